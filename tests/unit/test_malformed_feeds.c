/* SPDX-License-Identifier: ISC */
/* Hostile and broken feeds from fixtures/feeds/malformed (driven by its manifest.json): every XML
 * or JSON Feed case ends in a clear one-line error or in sanitised items, fast and without
 * crashing.  The JSON cases for Mastodon, Reddit and Bluesky belong to those adapters; of them only
 * the generic ones (nesting, lone surrogates) are run here, to show the JSON Feed path copes.
 * The 10 MiB title case is generated here rather than stored. */
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

static void run_adapter(struct run *r, const char *body, size_t len)
{
    item_sink_init(&r->s);
    memset(&r->e, 0, sizeof r->e);
    struct subscription sub = {.url = "https://malformed.invalid/feed"};
    double t0 = now_ms();
    r->rc = source_feed.parse(body, len, &sub, &r->s, &r->e);
    r->ms = now_ms() - t0;
}

static void run_jsonfeed(struct run *r, const char *body, size_t len)
{
    item_sink_init(&r->s);
    memset(&r->e, 0, sizeof r->e);
    double t0 = now_ms();
    r->rc = feed_parse_jsonfeed(body, len, NULL, &r->s, &r->e);
    r->ms = now_ms() - t0;
}

/* An error is one printable line a person can read. */
static void assert_clear_error(const struct run *r)
{
    assert_int_equal(r->rc, -1);
    assert_int_equal(r->s.n, 0);
    size_t n = strlen(r->e.msg);
    assert_true(n > 5 && n < 200);
    assert_true(text_is_clean(r->e.msg, 0));
    assert_null(strchr(r->e.msg, '\n'));
}

/* No ESC, BEL or other C0 control but LF/TAB, no C1 control (UTF-8 C2 80..C2 9F), valid UTF-8. */
static void assert_terminal_safe(const char *s)
{
    if (!s) return;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; u[i]; i++) {
        if (u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') fail_msg("control byte 0x%02x in \"%s\"", u[i], s);
        if (u[i] == 0x7f) fail_msg("DEL in \"%s\"", s);
        if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) fail_msg("C1 control in \"%s\"", s);
    }
    assert_true(text_is_clean(s, TEXT_MULTILINE | TEXT_KEEP_TABS));
}

static void assert_items_safe(const struct item_sink *s)
{
    assert_terminal_safe(s->meta.title);
    assert_terminal_safe(s->meta.link);
    for (size_t i = 0; i < s->n; i++) {
        const struct item *it = &s->items[i];
        const char *f[] = {it->guid, it->title, it->author, it->author_handle, it->author_url, it->url,
                           it->summary, it->thumb_url, it->media_url, it->media_type, it->platform,
                           it->host, it->labels, it->extra};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) assert_terminal_safe(f[k]);
    }
}

static int any_field_contains(const struct item_sink *s, const char *needle)
{
    if (s->meta.title && strstr(s->meta.title, needle)) return 1;
    for (size_t i = 0; i < s->n; i++) {
        const struct item *it = &s->items[i];
        const char *f[] = {it->guid, it->title, it->author, it->url, it->summary, it->thumb_url,
                           it->media_url, it->extra};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            if (f[k] && strstr(f[k], needle)) return 1;
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int starts(const char *s, const char *p) { return s && !strncmp(s, p, strlen(p)); }

static int is_xml_name(const char *f)
{
    return ends_with(f, ".rss") || ends_with(f, ".xml") || ends_with(f, ".html");
}

/* ---- the manifest's cases --------------------------------------------------------------------- */

static void test_case(void **state)
{
    const cJSON *c = *state;
    const char *file = cJSON_GetObjectItemCaseSensitive(c, "file")->valuestring;
    char rel[512];
    snprintf(rel, sizeof rel, "feeds/malformed/%s", file);
    size_t len = 0;
    char *body = fixture_read(rel, &len);
    const cJSON *cnt = cJSON_GetObjectItemCaseSensitive(c, "expected_item_count");
    const cJSON *cnt_rec = cJSON_GetObjectItemCaseSensitive(c, "expected_item_count_if_recovered");
    const cJSON *cnt_rep = cJSON_GetObjectItemCaseSensitive(c, "expected_item_count_if_replaced");

    struct run r;
    run_adapter(&r, body, len);
    print_message("%s: rc=%d items=%zu %.2f ms%s%s\n", file, r.rc, r.s.n, r.ms, r.rc ? " error: " : "",
                  r.rc ? r.e.msg : "");
    assert_true(r.ms < 1000);
    assert_items_safe(&r.s);

    if (starts(file, "truncated_half_")) {
        assert_clear_error(&r);
        assert_true(starts(r.e.msg, "truncated: unexpected end of input at line "));
    } else if (starts(file, "youtube_feed_404")) {
        assert_clear_error(&r);
        assert_string_equal(r.e.msg, "not a feed: got an HTML page");
    } else if (!strcmp(file, "empty_body.json")) {
        assert_clear_error(&r);
        assert_string_equal(r.e.msg, "empty response");
        item_sink_free(&r.s);
        run_jsonfeed(&r, body, len);
        assert_clear_error(&r);
        assert_string_equal(r.e.msg, "empty response");
        item_sink_free(&r.s);
        run_adapter(&r, NULL, 0);
        assert_string_equal(r.e.msg, "empty response");
    } else if (starts(file, "escape_titles_")) {
        const cJSON *want = cnt ? cnt : cnt_rec;
        assert_non_null(want);
        if (r.rc != 0) fail_msg("%s: %s", file, r.e.msg);
        assert_int_equal(r.s.n, want->valueint);
        const char *t = r.s.items[0].title;
        if (strstr(file, "youtube")) {
            /* C1 controls around the original title: the title survives */
            assert_non_null(strstr(t, "Jupiter Made Earth Possible"));
        } else {
            assert_non_null(strstr(t, "Before"));
            assert_non_null(strstr(t, "After"));
        }
        if (strstr(file, "jsonfeed")) assert_non_null(strstr(r.s.items[2].summary, "click me"));
    } else if (!strcmp(file, "invalid_utf8_youtube.xml")) {
        assert_non_null(cnt_rep);
        if (r.rc != 0) fail_msg("%s: %s", file, r.e.msg);
        assert_int_equal(r.s.n, cnt_rep->valueint);
        assert_non_null(strstr(r.s.items[0].title, "\xef\xbf\xbd"));     /* U+FFFD */
        assert_non_null(strstr(r.s.items[0].title, "Jupiter Made Earth Possible"));
    } else if (!strcmp(file, "billion_laughs.rss") || !strcmp(file, "quadratic_blowup.rss")) {
        assert_clear_error(&r);
        assert_string_equal(r.e.msg, "entity declarations are refused");
        assert_true(r.ms < 1000);
    } else if (!strcmp(file, "external_entity_xxe.rss")) {
        assert_false(any_field_contains(&r.s, "root:"));
        assert_clear_error(&r);
    } else if (!strcmp(file, "nested_100k_arrays.json")) {
        assert_clear_error(&r);
        item_sink_free(&r.s);
        run_jsonfeed(&r, body, len);
        assert_clear_error(&r);
        assert_non_null(strstr(r.e.msg, "nesting too deep"));
    } else if (!strcmp(file, "lone_surrogate_escapes.json")) {
        assert_clear_error(&r);
        item_sink_free(&r.s);
        run_jsonfeed(&r, body, len);
        assert_clear_error(&r);
        assert_non_null(strstr(r.e.msg, "surrogate"));
    } else {
        fail_msg("no expectation written for %s", file);
    }
    item_sink_free(&r.s);
    free(body);
}

/* ---- generated: a 10 MiB title ---------------------------------------------------------------- */

static void test_title_10mib(void **state)
{
    size_t len = 0;
    char *src = fixture_read("feeds/rss/reddit_frontpage_2015.rss", &len);
    char *item = strstr(src, "<item>");
    assert_non_null(item);
    char *open = strstr(item, "<title>"), *close = open ? strstr(open, "</title>") : NULL;
    assert_non_null(close);
    open += strlen("<title>");
    size_t big = 10u << 20;
    size_t head = (size_t)(open - src), tail = len - (size_t)(close - src);
    char *doc = malloc(head + big + tail + 1);
    memcpy(doc, src, head);
    for (size_t i = 0; i < big; i++) doc[head + i] = (char)('A' + i % 26);
    memcpy(doc + head + big, close, tail);
    size_t n = head + big + tail;
    doc[n] = 0;

    struct run r;
    run_adapter(&r, doc, n);
    print_message("10 MiB title: rc=%d items=%zu %.1f ms\n", r.rc, r.s.n, r.ms);
    if (r.rc != 0) fail_msg("%s", r.e.msg);
    assert_int_equal(r.s.n, 24);
    const char *t = r.s.items[0].title;
    assert_true(strlen(t) <= TEXT_MAX_TITLE);
    assert_true(starts(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZABC"));
    assert_string_equal(r.s.items[1].title, "We are Aziz Ansari and Alan Yang from Master of None - Ask Us Anything");
    assert_true(r.ms < 3000);
    item_sink_free(&r.s);
    free(doc);
    free(src);
}

int main(void)
{
    require_fixtures();
    size_t len = 0;
    char *text = fixture_read("feeds/malformed/manifest.json", &len);
    cJSON *man = cJSON_ParseWithLength(text, len);
    free(text);
    if (!man) { fprintf(stderr, "manifest.json does not parse\n"); return 1; }
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(man, "cases");
    if (!cJSON_IsArray(cases)) cases = cJSON_GetObjectItemCaseSensitive(man, "files");
    size_t n = (size_t)cJSON_GetArraySize(cases);
    struct CMUnitTest *tests = calloc(n + 1, sizeof *tests);
    size_t k = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(c, "file");
        if (!cJSON_IsString(f)) continue;                      /* reuses a real file: other tests */
        const char *file = f->valuestring;
        const cJSON *serve = cJSON_GetObjectItemCaseSensitive(c, "serve");
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(serve, "status");
        if (cJSON_IsNumber(st) && st->valueint != 200) continue;   /* an HTTP error: the fetcher's */
        if (starts(file, "title_10mb")) continue;              /* generated below */
        int wanted = is_xml_name(file) || starts(file, "escape_titles_jsonfeed") ||
                     !strcmp(file, "empty_body.json") || !strcmp(file, "nested_100k_arrays.json") ||
                     !strcmp(file, "lone_surrogate_escapes.json");
        if (!wanted) continue;                                 /* Mastodon/Reddit/Bluesky adapters */
        tests[k].name = file;
        tests[k].test_func = test_case;
        tests[k].initial_state = (void *)c;
        k++;
    }
    tests[k].name = "title_10mib_generated";
    tests[k].test_func = test_title_10mib;
    k++;
    int failed = _cmocka_run_group_tests("malformed", tests, k, NULL, NULL);
    free(tests);
    cJSON_Delete(man);
    return failed;
}
