/* SPDX-License-Identifier: ISC */
/* Helpers shared by the source adapter tests (test_src_*.c): running an adapter's parse on a body
 * as the refresh would, reading expected.json, and checking that nothing unsafe reaches an item. */
#ifndef WINNOW_SRCUTIL_H
#define WINNOW_SRCUTIL_H

#include "testutil.h"

#include <cjson/cJSON.h>

#include "source.h"
#include "text.h"

struct run {
    struct item_sink s;
    struct error e;
    int rc;
    double ms;
};

/* Parses body with src as the refresh would for a response from fetch_url (stage NULL = the first
 * request).  The sink keeps its follow-ups for the test to look at. */
static inline void run_parse(struct run *r, const struct source *src, const char *body, size_t len,
                             const char *user_url, const char *fetch_url, const char *stage,
                             const char *content_type)
{
    item_sink_init(&r->s);
    memset(&r->e, 0, sizeof r->e);
    struct subscription sub = {.id = 1, .url = user_url, .fetch_url = fetch_url, .stage = stage,
                               .content_type = content_type};
    double t0 = now_ms();
    r->rc = src->parse(body, len, &sub, &r->s, &r->e);
    r->ms = now_ms() - t0;
}

static inline void run_free(struct run *r)
{
    item_sink_free(&r->s);
}

/* The parsed expected.json record of a fixture (owned by the returned root). */
static inline cJSON *expected_root(void)
{
    size_t len = 0;
    char *text = fixture_read("feeds/expected.json", &len);
    cJSON *exp = cJSON_ParseWithLength(text, len);
    free(text);
    if (!exp) fail_msg("expected.json does not parse");
    return exp;
}

static inline const cJSON *expected_for(const cJSON *root, const char *rel)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "files"), rel);
    if (!f) fail_msg("expected.json has no record for %s", rel);
    return f;
}

static inline const char *xstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline int xint(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v)) fail_msg("expected.json: no number \"%s\"", k);
    return v->valueint;
}

/* No ESC, BEL or other C0 control but LF/TAB, no DEL, no C1 control, valid UTF-8. */
static inline void assert_terminal_safe(const char *s)
{
    if (!s) return;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; u[i]; i++) {
        if (u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') fail_msg("control byte 0x%02x in \"%.80s\"", u[i], s);
        if (u[i] == 0x7f) fail_msg("DEL in \"%.80s\"", s);
        if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) fail_msg("C1 control in \"%.80s\"", s);
    }
    assert_true(text_is_clean(s, TEXT_MULTILINE | TEXT_KEEP_TABS));
}

/* Every string safe, every item with a guid and a title, extra a JSON object. */
static inline void assert_items_sane(const struct item_sink *s)
{
    assert_terminal_safe(s->meta.title);
    assert_terminal_safe(s->meta.link);
    for (size_t i = 0; i < s->n; i++) {
        const struct item *it = &s->items[i];
        const char *f[] = {it->guid, it->title, it->author, it->author_handle, it->author_url, it->url,
                           it->summary, it->thumb_url, it->media_url, it->media_type, it->platform,
                           it->host, it->labels, it->extra};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) assert_terminal_safe(f[k]);
        assert_non_null(it->guid);
        assert_non_null(it->title);
        assert_non_null(it->platform);
        if (it->title) assert_null(strchr(it->title, '\n'));
        if (it->extra) {
            cJSON *x = cJSON_Parse(it->extra);
            if (!cJSON_IsObject(x)) fail_msg("extra is not a JSON object: %.200s", it->extra);
            cJSON_Delete(x);
        }
    }
}

/* An item's extra, parsed (NULL when none); the caller deletes it. */
static inline cJSON *extra_of(const struct item *it)
{
    return it->extra ? cJSON_Parse(it->extra) : NULL;
}

static inline int extra_has(const struct item *it, const char *key)
{
    cJSON *x = extra_of(it);
    int r = cJSON_GetObjectItemCaseSensitive(x, key) != NULL && !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(x, key));
    cJSON_Delete(x);
    return r;
}

/* The string member key of an item's extra, copied into buf ("" when absent). */
static inline const char *extra_str_of(const struct item *it, const char *key, char *buf, size_t n)
{
    cJSON *x = extra_of(it);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);
    snprintf(buf, n, "%s", cJSON_IsString(v) ? v->valuestring : "");
    cJSON_Delete(x);
    return buf;
}

static inline const struct item *find_guid(const struct item_sink *s, const char *guid)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i].guid && !strcmp(s->items[i].guid, guid)) return &s->items[i];
    return NULL;
}

/* An error is one printable line a person can read. */
static inline void assert_clear_error(const struct run *r)
{
    assert_int_equal(r->rc, -1);
    size_t n = strlen(r->e.msg);
    if (n <= 5 || n >= 300) fail_msg("unclear error: \"%s\"", r->e.msg);
    assert_true(text_is_clean(r->e.msg, 0));
    assert_null(strchr(r->e.msg, '\n'));
}

static inline int starts_with(const char *s, const char *p)
{
    return s && !strncmp(s, p, strlen(p));
}

#endif
