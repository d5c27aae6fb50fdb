/* SPDX-License-Identifier: ISC */
/* Export writers for a list: M3U (to play it), OPML (to hand it to another reader) and Atom (a real
 * feed others can subscribe to).  The JSON form lives beside the CLI's item JSON (src/cli/json.c)
 * so the two can never drift apart.
 *
 * Everything in the store is sanitised already, but a writer cannot rely on that alone: XML 1.0
 * forbids characters the sanitiser lets through (U+FFFE, U+FFFF), and a line-based format must
 * not get a line break smuggled into a title.  So each writer cleans what it writes itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "lists.h"
#include "text.h"

#define PROV_SCHEME "https://winnow.dev/ns/provenance"
/* tag: URIs (RFC 4151) need an authority and a date it was held */
#define TAG_PREFIX "tag:winnow.dev,2026:"

int list_format_parse(const char *name, enum list_format *out)
{
    static const struct { const char *name; enum list_format f; } tab[] = {
        {"m3u", LIST_FMT_M3U}, {"m3u8", LIST_FMT_M3U}, {"json", LIST_FMT_JSON},
        {"opml", LIST_FMT_OPML}, {"atom", LIST_FMT_ATOM},
    };
    for (size_t i = 0; name && i < sizeof tab / sizeof tab[0]; i++)
        if (!strcmp(name, tab[i].name)) {
            *out = tab[i].f;
            return 0;
        }
    return -1;
}

static int xml_char_ok(unsigned cp)
{
    if (cp == 0x9 || cp == 0xA || cp == 0xD) return 1;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return 0;      /* C0, DEL, C1 */
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;                 /* surrogates */
    if (cp == 0xFFFE || cp == 0xFFFF) return 0;
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return 0;   /* bidi */
    return cp <= 0x10FFFF;
}

void export_xml_escape(struct strbuf *b, const char *s)
{
    if (!s) return;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n) {
        unsigned cp;
        int len = utf8_decode(p, n, &cp);
        switch (cp) {
        case '&': sb_adds(b, "&amp;"); break;
        case '<': sb_adds(b, "&lt;"); break;
        case '>': sb_adds(b, "&gt;"); break;
        case '"': sb_adds(b, "&quot;"); break;
        case '\r': sb_adds(b, "&#13;"); break;    /* a parser would fold a literal CR away */
        default:
            if (xml_char_ok(cp)) {
                char u[4];
                sb_add(b, u, (size_t)utf8_encode(cp, u));
            }
        }
        p += len;
        n -= (size_t)len;
    }
}

/* One line of text for a line-based format: sanitised without line breaks. */
static char *one_line(const char *s)
{
    return s ? text_sanitize_dup(s, strlen(s), TEXT_MAX_URL, 0) : xstrdup("");
}

static int finish(FILE *out, struct strbuf *b, struct error *err)
{
    errno = 0;
    int ok = fwrite(b->s ? b->s : "", 1, b->len, out) == b->len && fflush(out) == 0 && !ferror(out);
    sb_free(b);
    if (!ok) error_set(err, "write error: %s", errno ? strerror(errno) : "could not write the export");
    return ok ? 0 : -1;
}

/* ---- M3U ---- */

/* url, when the export may name it for a player (play's rule, list_export.media_ok), else NULL:
 * an export must not hand a player what `play` refuses. */
static const char *playable(const struct list_export *meta, const struct item *it, const char *url)
{
    if (!url || !*url) return NULL;
    int ok = meta->media_ok ? meta->media_ok(meta->media_ctx, it, url) : item_url_is_http(url);
    return ok ? url : NULL;
}

/* What a player should open: the media, else the page. */
static const char *play_url(const struct list_export *meta, const struct item *it)
{
    const char *m = playable(meta, it, it->media_url);
    return m ? m : playable(meta, it, it->url);
}

int export_m3u(FILE *out, const struct list_export *meta, const struct item *items, size_t n,
               struct error *err)
{
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "#EXTM3U\n");
    char *name = one_line(meta->name);
    if (*name) sb_printf(&b, "#PLAYLIST:%s\n", name);
    free(name);
    for (size_t i = 0; i < n; i++) {
        const struct item *it = &items[i];
        if (!play_url(meta, it)) continue;
        char *url = one_line(play_url(meta, it));
        char *title = one_line(it->title ? it->title : url);
        char *author = one_line(it->author);
        sb_printf(&b, "#EXTINF:%lld,", (long long)(playable(meta, it, it->media_url) && it->media_duration >= 0 ? it->media_duration : -1));
        if (*author) sb_printf(&b, "%s - ", author);
        sb_printf(&b, "%s\n%s\n", title, url);
        free(url);
        free(title);
        free(author);
    }
    return finish(out, &b, err);
}

/* ---- OPML ---- */

/* RFC 822 in English whatever the locale (strftime's %a and %b follow LC_TIME). */
static void rfc822(int64_t t, char *buf, size_t n)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(buf, n, "Thu, 01 Jan 1970 00:00:00 GMT");
        return;
    }
    snprintf(buf, n, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void attr(struct strbuf *b, const char *name, const char *v)
{
    if (!v) return;
    sb_printf(b, " %s=\"", name);
    export_xml_escape(b, v);
    sb_addc(b, '"');
}

int export_opml(FILE *out, const struct list_export *meta, const struct item *items, size_t n,
                struct error *err)
{
    struct strbuf b;
    sb_init(&b);
    char t[64];
    sb_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>");
    export_xml_escape(&b, meta->name);
    sb_adds(&b, "</title>\n");
    if (meta->created > 0) {
        rfc822(meta->created, t, sizeof t);
        sb_printf(&b, "    <dateCreated>%s</dateCreated>\n", t);
    }
    rfc822(meta->now, t, sizeof t);
    sb_printf(&b, "    <dateModified>%s</dateModified>\n  </head>\n  <body>\n", t);
    for (size_t i = 0; i < n; i++) {
        const struct item *it = &items[i];
        const char *url = it->url ? it->url : playable(meta, it, it->media_url);
        if (!url) continue;
        sb_adds(&b, "    <outline type=\"link\"");
        attr(&b, "text", it->title ? it->title : url);
        attr(&b, "url", url);
        if (it->published >= 0) {
            rfc822(it->published, t, sizeof t);
            attr(&b, "created", t);
        }
        const char *enc = playable(meta, it, it->media_url);
        if (enc && enc != url) attr(&b, "enclosure", enc);
        sb_adds(&b, "/>\n");
    }
    sb_adds(&b, "  </body>\n</opml>\n");
    return finish(out, &b, err);
}

/* ---- Atom ---- */

/* An absolute IRI can stand as an Atom id as it is: scheme ":" and no white space. */
static int is_iri(const char *s)
{
    const char *p = s;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '+' ||
           *p == '-' || *p == '.')
        p++;
    if (*p != ':' || !p[1]) return 0;
    for (; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"') return 0;
    return 1;
}

static void tag_uri(struct strbuf *b, const char *kind, const char *s)
{
    sb_printf(b, TAG_PREFIX "%s:", kind);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            sb_addc(b, (char)*p);
        else
            sb_printf(b, "%%%02X", *p);
    }
}

static void element(struct strbuf *b, const char *indent, const char *name, const char *text)
{
    if (!text) return;
    sb_printf(b, "%s<%s>", indent, name);
    export_xml_escape(b, text);
    sb_printf(b, "</%s>\n", name);
}

static void category(struct strbuf *b, const char *prefix, const char *value, const char *label)
{
    char term[600], lab[600];
    snprintf(term, sizeof term, "%s%s", prefix, value ? value : "");
    snprintf(lab, sizeof lab, "%s%s%s", label, value ? ": " : "", value ? value : "");
    sb_adds(b, "    <category scheme=\"" PROV_SCHEME "\"");
    attr(b, "term", term);
    attr(b, "label", lab);
    sb_adds(b, "/>\n");
}

/* The MIME type an enclosure carries, or NULL when the media is a web page (no enclosure). */
static const char *enclosure_type(const char *type)
{
    if (!type) return "";
    if (!strcmp(type, "page")) return NULL;
    if (!strcmp(type, "hls")) return "application/vnd.apple.mpegurl";
    if (!strcmp(type, "dash")) return "application/dash+xml";
    return type;
}

static void atom_entry(struct strbuf *b, const struct list_export *meta, const struct item *it, int64_t now)
{
    char t[40];
    sb_adds(b, "  <entry>\n    <id>");
    if (is_iri(it->guid)) {
        export_xml_escape(b, it->guid);
    } else {
        struct strbuf id;
        sb_init(&id);
        tag_uri(&id, "item", it->guid);
        export_xml_escape(b, id.s);
        sb_free(&id);
    }
    sb_adds(b, "</id>\n    <title type=\"text\">");
    export_xml_escape(b, it->title ? it->title : (it->url ? it->url : "(untitled)"));
    sb_adds(b, "</title>\n");
    if (it->url) {
        sb_adds(b, "    <link rel=\"alternate\" type=\"text/html\"");
        attr(b, "href", it->url);
        sb_adds(b, "/>\n");
    }
    const char *etype = playable(meta, it, it->media_url) ? enclosure_type(it->media_type) : NULL;
    if (etype) {
        sb_adds(b, "    <link rel=\"enclosure\"");
        attr(b, "href", playable(meta, it, it->media_url));
        if (*etype) attr(b, "type", etype);
        if (it->media_size >= 0) sb_printf(b, " length=\"%lld\"", (long long)it->media_size);
        sb_adds(b, "/>\n");
        if (it->media_duration >= 0) sb_printf(b, "    <itunes:duration>%lld</itunes:duration>\n",
                                               (long long)it->media_duration);
    }
    if (it->thumb_url) {
        sb_adds(b, "    <media:thumbnail");
        attr(b, "url", it->thumb_url);
        if (it->thumb_w > 0 && it->thumb_h > 0) sb_printf(b, " width=\"%d\" height=\"%d\"", it->thumb_w, it->thumb_h);
        sb_adds(b, "/>\n");
    }
    /* Atom wants an author on every entry (or the feed); the feed an item came from is the
     * honest stand-in when the item names nobody. */
    const char *who = it->author ? it->author : it->feed_title;
    if (who) {
        sb_adds(b, "    <author>\n");
        element(b, "      ", "name", who);
        if (it->author && it->author_url) element(b, "      ", "uri", it->author_url);
        sb_adds(b, "    </author>\n");
    }
    if (it->published >= 0) {
        date_rfc3339(it->published, t, sizeof t);
        element(b, "    ", "published", t);
    }
    date_rfc3339(it->updated >= 0 ? it->updated : it->published >= 0 ? it->published : now, t, sizeof t);
    element(b, "    ", "updated", t);
    if (it->summary) {
        sb_adds(b, "    <summary type=\"text\">");
        export_xml_escape(b, it->summary);
        sb_adds(b, "</summary>\n");
    }
    /* the item's own categories, as the feed gave them (no scheme: they are the publisher's) */
    for (const char *c = it->categories; c && *c;) {
        size_t l = strcspn(c, "\n");
        char term[600];
        snprintf(term, sizeof term, "%.*s", (int)(l < 500 ? l : 500), c);
        sb_adds(b, "    <category");
        attr(b, "term", term);
        sb_adds(b, "/>\n");
        c += l;
        if (*c) c++;
    }
    if (it->platform) category(b, "platform:", it->platform, "Platform");
    if (it->host) category(b, "host:", it->host, "Host");
    if (it->author_bot) category(b, "bot", NULL, "Automated account");
    if (it->labels) {
        char *copy = xstrdup(it->labels), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            while (*tok == ' ') tok++;
            if (*tok) category(b, "label:", tok, "Label");
        }
        free(copy);
    }
    sb_adds(b, "  </entry>\n");
}

int export_atom(FILE *out, const struct list_export *meta, const struct item *items, size_t n,
                struct error *err)
{
    struct strbuf b;
    sb_init(&b);
    char t[40];
    sb_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:media=\"http://search.yahoo.com/mrss/\""
                " xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">\n  <id>");
    char lid[64];
    snprintf(lid, sizeof lid, "%lld.%lld", (long long)meta->list_id, (long long)meta->created);
    struct strbuf id;
    sb_init(&id);
    tag_uri(&id, "list", lid);
    sb_adds(&b, id.s);
    sb_free(&id);
    sb_adds(&b, "</id>\n  <title type=\"text\">");
    export_xml_escape(&b, meta->name);
    sb_adds(&b, "</title>\n");
    /* the feed changed when its newest entry did, else now */
    int64_t updated = -1;
    for (size_t i = 0; i < n; i++) {
        int64_t u = items[i].updated >= 0 ? items[i].updated : items[i].published;
        if (u > updated) updated = u;
    }
    date_rfc3339(updated >= 0 ? updated : meta->now, t, sizeof t);
    element(&b, "  ", "updated", t);
    if (meta->self_url) {
        sb_adds(&b, "  <link rel=\"self\" type=\"application/atom+xml\"");
        attr(&b, "href", meta->self_url);
        sb_adds(&b, "/>\n");
    }
    sb_adds(&b, "  <generator uri=\"https://winnow.dev/\" version=\"" PACKAGE_VERSION "\">winnow</generator>\n");
    int anonymous = 0;
    for (size_t i = 0; i < n; i++)
        if (!items[i].author && !items[i].feed_title) anonymous = 1;
    if (anonymous) sb_adds(&b, "  <author>\n    <name>winnow</name>\n  </author>\n");
    for (size_t i = 0; i < n; i++)
        if (items[i].guid) atom_entry(&b, meta, &items[i], meta->now);
    sb_adds(&b, "</feed>\n");
    return finish(out, &b, err);
}
