/* SPDX-License-Identifier: ISC */
#include "item.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "text.h"

void item_init(struct item *it)
{
    memset(it, 0, sizeof *it);
    it->published = it->updated = it->published_orig = -1;
    it->media_duration = it->media_size = -1;
    it->prov_mask = -1;
}

int item_url_is_http(const char *url)
{
    return url && (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8));
}

static int is_file(const char *url)
{
    return url && !strncasecmp(url, "file:", 5);
}

int item_addr_is_local(const char *ip)
{
    unsigned char a[16];
    if (inet_pton(AF_INET, ip, a) == 1) {
    v4:
        return a[0] == 127 || a[0] == 10 || a[0] == 0 || (a[0] == 172 && (a[1] & 0xF0) == 16) ||
               (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
               (a[0] == 100 && (a[1] & 0xC0) == 64);
    }
    if (inet_pton(AF_INET6, ip, a) != 1) return 1;   /* unknown: treat as local, refuse */
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (!memcmp(a, mapped, 12)) {
        memmove(a, a + 12, 4);
        goto v4;
    }
    static const unsigned char zero[15] = {0};
    if (!memcmp(a, zero, 15) && (a[15] == 0 || a[15] == 1)) return 1;   /* :: and ::1 */
    return (a[0] & 0xFE) == 0xFC || (a[0] == 0xFE && (a[1] & 0xC0) == 0x80);   /* fc00::/7, fe80::/10 */
}

int item_url_host_local(const char *url)
{
    const char *s = url ? strstr(url, "://") : NULL;
    if (!s) return 0;
    s += 3;
    size_t n = strcspn(s, "/?#");
    const char *at = memchr(s, '@', n);   /* user:pass@host */
    if (at) {
        n -= (size_t)(at + 1 - s);
        s = at + 1;
    }
    char host[256];
    if (*s == '[') {
        const char *e = memchr(s, ']', n);
        if (!e || (size_t)(e - s - 1) >= sizeof host) return 1;   /* not a host curl would take either */
        snprintf(host, sizeof host, "%.*s", (int)(e - s - 1), s + 1);
        char *pct = strchr(host, '%');   /* fe80::1%eth0 */
        if (pct) *pct = 0;
        return item_addr_is_local(host);
    }
    size_t hl = strcspn(s, ":/?#");
    if (hl > n) hl = n;
    if (hl == 0 || hl >= sizeof host) return hl == 0;
    snprintf(host, sizeof host, "%.*s", (int)hl, s);
    while (hl && host[hl - 1] == '.') host[--hl] = 0;   /* localhost. */
    if (!strcasecmp(host, "localhost") || (hl > 10 && !strcasecmp(host + hl - 10, ".localhost"))) return 1;
    /* every spelling of an IPv4 address curl accepts: 127.1, 2130706433, 0x7f.0.0.1, 0177.0.0.1 */
    struct in_addr in;
    if (strspn(host, "0123456789.xXabcdefABCDEF") == hl && inet_aton(host, &in)) {
        char dotted[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &in, dotted, sizeof dotted);
        return item_addr_is_local(dotted);
    }
    return 0;
}

/* A URL that may stand: http(s) (not naming a local address when the document is from a public
 * one), or a file for a local file's document. */
static int allowed(const char *u, int origin)
{
    if (item_url_is_http(u)) return origin != ITEM_ORIGIN_PUBLIC || !item_url_host_local(u);
    return origin == ITEM_ORIGIN_FILE && is_file(u);
}

int item_confine_urls(struct item *it, int origin)
{
    int local_origin = origin == ITEM_ORIGIN_FILE;
    int n = 0;
    const char **media[] = {&it->thumb_url, &it->media_url};
    for (size_t i = 0; i < sizeof media / sizeof media[0]; i++) {
        const char *u = *media[i];
        if (!u || !*u || allowed(u, origin)) continue;
        *media[i] = NULL;
        n++;
    }
    if (!it->thumb_url) it->thumb_w = it->thumb_h = 0;
    if (!it->media_url) {
        it->media_type = NULL;
        it->media_duration = it->media_size = -1;
        it->media_w = it->media_h = 0;
    }
    /* every enclosure too (a JSON array of {"url": ...}); a hostile list loses all of them */
    for (const char *e = it->enclosures; e && (e = strstr(e, "\"url\":")); ) {
        e += 6;
        while (*e == ' ') e++;
        if (*e == '"') e++;
        const char *q = strchr(e, '"');
        char one[2048];
        snprintf(one, sizeof one, "%.*s", q ? (int)(q - e) : (int)strlen(e), e);
        if (allowed(one, origin)) continue;
        it->enclosures = NULL;
        n++;
        break;
    }
    const char **links[] = {&it->url, &it->author_url};
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (local_origin || !is_file(*links[i])) continue;
        *links[i] = NULL;
        n++;
    }
    return n;
}

void item_sink_init(struct item_sink *s)
{
    memset(s, 0, sizeof *s);
    arena_init(&s->arena);
}

void item_sink_free(struct item_sink *s)
{
    arena_free(&s->arena);
    free(s->items);
    free(s->follows);
    memset(s, 0, sizeof *s);
}

static const char *clean(struct arena *a, const char *s, size_t max, int flags)
{
    if (!s) return NULL;
    char *r = text_sanitize(a, s, strlen(s), max, flags);
    return (r && *r) ? r : NULL;
}

/* The next item of the sink, a copy of in still pointing at in's strings; NULL (counted as dropped)
 * past max_items. */
static struct item *sink_slot(struct item_sink *s, const struct item *in)
{
    if (s->max_items && s->n >= s->max_items) {
        s->dropped++;
        return NULL;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->items = xrealloc(s->items, s->cap * sizeof *s->items);
    }
    struct item *it = &s->items[s->n++];
    *it = *in;
    return it;
}

void item_sink_push(struct item_sink *s, const struct item *in)
{
    struct item *it = sink_slot(s, in);
    if (!it) return;
    struct arena *a = &s->arena;
    it->guid = clean(a, in->guid, TEXT_MAX_URL, 0);
    it->title = clean(a, in->title, TEXT_MAX_TITLE, 0);
    it->author = clean(a, in->author, TEXT_MAX_NAME, 0);
    it->author_handle = clean(a, in->author_handle, TEXT_MAX_NAME, 0);
    it->author_url = clean(a, in->author_url, TEXT_MAX_URL, 0);
    it->url = clean(a, in->url, TEXT_MAX_URL, 0);
    it->summary = clean(a, in->summary, TEXT_MAX_SUMMARY, TEXT_MULTILINE);
    it->thumb_url = clean(a, in->thumb_url, TEXT_MAX_URL, 0);
    it->media_url = clean(a, in->media_url, TEXT_MAX_URL, 0);
    it->media_type = clean(a, in->media_type, TEXT_MAX_SHORT, 0);
    it->platform = clean(a, in->platform, TEXT_MAX_SHORT, 0);
    it->host = clean(a, in->host, TEXT_MAX_SHORT, 0);
    it->labels = clean(a, in->labels, TEXT_MAX_NAME * 4, 0);
    it->extra = clean(a, in->extra, TEXT_MAX_SUMMARY, 0);
    it->categories = clean(a, in->categories, TEXT_MAX_SUMMARY / 16, TEXT_MULTILINE);
    it->enclosures = clean(a, in->enclosures, TEXT_MAX_SUMMARY, 0);
    it->feed_title = clean(a, in->feed_title, TEXT_MAX_TITLE, 0);
    if (!it->guid) it->guid = it->url;
    if (!it->guid) {
        char tmp[64];
        uint64_t h = hash_fnv1a(it->summary, hash_fnv1a(it->title, HASH_FNV_SEED));
        snprintf(tmp, sizeof tmp, "hash:%016llx:%lld", (unsigned long long)h, (long long)it->published);
        it->guid = arena_strdup(a, tmp);
    }
}

void item_sink_push_raw(struct item_sink *s, const struct item *in)
{
    struct item *it = sink_slot(s, in);
    if (!it) return;
    struct arena *a = &s->arena;
    it->guid = arena_strdup(a, in->guid);
    it->title = arena_strdup(a, in->title);
    it->author = arena_strdup(a, in->author);
    it->author_handle = arena_strdup(a, in->author_handle);
    it->author_url = arena_strdup(a, in->author_url);
    it->url = arena_strdup(a, in->url);
    it->summary = arena_strdup(a, in->summary);
    it->thumb_url = arena_strdup(a, in->thumb_url);
    it->media_url = arena_strdup(a, in->media_url);
    it->media_type = arena_strdup(a, in->media_type);
    it->platform = arena_strdup(a, in->platform);
    it->host = arena_strdup(a, in->host);
    it->labels = arena_strdup(a, in->labels);
    it->extra = arena_strdup(a, in->extra);
    it->categories = arena_strdup(a, in->categories);
    it->enclosures = arena_strdup(a, in->enclosures);
    it->feed_title = arena_strdup(a, in->feed_title);
}

void item_sink_meta(struct item_sink *s, const char *title, const char *link, const char *format)
{
    struct arena *a = &s->arena;
    if (title) s->meta.title = clean(a, title, TEXT_MAX_TITLE, 0);
    if (link) s->meta.link = clean(a, link, TEXT_MAX_URL, 0);
    if (format) s->meta.format = clean(a, format, TEXT_MAX_SHORT, 0);
}

struct item *item_sink_find(struct item_sink *s, const char *guid)
{
    if (!guid) return NULL;
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i].guid && !strcmp(s->items[i].guid, guid)) return &s->items[i];
    return NULL;
}

void item_sink_replace(struct item_sink *s, const struct item *in)
{
    /* Push first so the guid is compared in its sanitised form; the cap applies only to items
     * that turn out to be new. */
    size_t before = s->n, cap = s->max_items;
    s->max_items = 0;
    item_sink_push(s, in);
    s->max_items = cap;
    struct item *fresh = &s->items[before];
    for (size_t i = 0; i < before; i++) {
        if (s->items[i].guid && !strcmp(s->items[i].guid, fresh->guid)) {
            s->items[i] = *fresh;
            s->n--;
            return;
        }
    }
    if (cap && before >= cap) {
        s->n--;
        s->dropped++;
    }
}

void item_sink_follow(struct item_sink *s, const struct item_follow *f)
{
    if (!f || !f->url || !*f->url) return;
    if (s->n_follows == s->cap_follows) {
        s->cap_follows = s->cap_follows ? s->cap_follows * 2 : 8;
        s->follows = xrealloc(s->follows, s->cap_follows * sizeof *s->follows);
    }
    struct arena *a = &s->arena;
    struct item_follow *o = &s->follows[s->n_follows];
    o->url = clean(a, f->url, TEXT_MAX_URL, 0);
    if (!o->url) return;
    o->stage = f->stage ? clean(a, f->stage, TEXT_MAX_SHORT, 0) : NULL;
    o->skip_guid = f->skip_guid ? clean(a, f->skip_guid, TEXT_MAX_URL, 0) : NULL;
    o->optional = f->optional;
    o->endpoint = f->endpoint;
    s->n_follows++;
}
