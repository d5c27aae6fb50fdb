/* SPDX-License-Identifier: ISC */
/* The API adapters on hostile and broken input: the malformed variants of their captures in
 * fixtures/feeds/malformed (truncated, terminal escapes in titles, invalid UTF-8, 100 000 levels
 * of nesting, lone surrogates, an empty body, the wrong content type), plus what the tests make
 * here: a 10 MiB title in each source's JSON, captures cut in half for the sources without a
 * truncated variant, and every adapter fed every other source's body.  Each case ends in a clear
 * one-line error or in items that are safe to print, quickly and without crashing. */
#include "srcutil.h"

#define TEN_MIB (10u << 20)

static char *read_rel(const char *rel, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "feeds/%s", rel);
    return fixture_read(path, len);
}

static int any_field_contains(const struct item_sink *s, const char *needle)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct item *it = &s->items[i];
        const char *f[] = {it->title, it->author, it->summary, it->extra};
        for (size_t k = 0; k < 4; k++)
            if (f[k] && strstr(f[k], needle)) return 1;
    }
    return 0;
}

static void assert_escapes_gone(const struct run *r, size_t want)
{
    if (r->rc != 0) fail_msg("%s", r->e.msg);
    assert_int_equal(r->s.n, want);
    assert_items_sane(&r->s);
    /* the printable text around the sequences survives */
    assert_true(any_field_contains(&r->s, "Before"));
    assert_true(any_field_contains(&r->s, "After"));
    assert_true(any_field_contains(&r->s, "click me"));
    assert_false(any_field_contains(&r->s, "\x1b"));
    assert_false(any_field_contains(&r->s, "\xc2\x9b"));
    print_message("  escapes: %zu items in %.2f ms\n", r->s.n, r->ms);
}

static void parse_file(struct run *r, const struct source *src, const char *rel, const char *user_url,
                       const char *fetch_url, const char *ctype)
{
    size_t len = 0;
    char *body = read_rel(rel, &len);
    run_parse(r, src, body, len, user_url, fetch_url, NULL, ctype);
    free(body);
}

#define JSON_CT "application/json; charset=utf-8"

/* ---- the malformed variants of the captures ------------------------------------------------ */

static void test_truncated(void **state)
{
    (void)state;
    static const struct { const char *rel; const struct source *src; const char *url; } t[] = {
        {"malformed/truncated_half_mastodon.json", &source_mastodon, "https://mastodon.social/public"},
        {"malformed/truncated_half_reddit.json", &source_reddit, "https://www.reddit.com/r/popular"},
        {"malformed/truncated_half_youtube.xml", &source_youtube, "https://www.youtube.com/user/Kurzgesagt"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct run r;
        parse_file(&r, t[i].src, t[i].rel, t[i].url, NULL, JSON_CT);
        assert_clear_error(&r);
        if (!strstr(r.e.msg, "truncated")) fail_msg("%s: \"%s\"", t[i].rel, r.e.msg);
        assert_int_equal(r.s.n_follows, 0);
        run_free(&r);
    }
}

static void test_escape_titles(void **state)
{
    (void)state;
    struct run r;
    parse_file(&r, &source_mastodon, "malformed/escape_titles_mastodon.json", "https://mastodon.social/public",
               NULL, JSON_CT);
    assert_escapes_gone(&r, 20);
    /* the content warning made of escapes still collapses the post, as "CW: CW" */
    assert_string_equal(r.s.items[0].title, "CW: [2J[HCW");
    run_free(&r);

    parse_file(&r, &source_reddit, "malformed/escape_titles_reddit.json", "https://www.reddit.com/r/popular",
               NULL, JSON_CT);
    assert_escapes_gone(&r, 100);
    run_free(&r);

    /* the first post's facets now point past its text: they are not used, so nothing breaks */
    parse_file(&r, &source_bluesky, "malformed/escape_titles_bluesky.json", "https://bsky.app/profile/andrew.heiss.phd",
               NULL, JSON_CT);
    assert_escapes_gone(&r, 25);
    run_free(&r);

    parse_file(&r, &source_youtube, "malformed/escape_titles_c1_numeric_refs_youtube.xml",
               "https://www.youtube.com/user/Kurzgesagt", NULL, "application/atom+xml");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 15);
    assert_items_sane(&r.s);
    assert_true(any_field_contains(&r.s, "Jupiter Made Earth Possible"));
    assert_false(any_field_contains(&r.s, "\xc2\x9b"));
    run_free(&r);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    struct run r;
    parse_file(&r, &source_mastodon, "malformed/invalid_utf8_mastodon.json", "https://mastodon.social/public",
               NULL, JSON_CT);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 20);
    assert_items_sane(&r.s);
    assert_non_null(strstr(r.s.items[0].summary, "\xef\xbf\xbd"));   /* U+FFFD stands in */
    run_free(&r);

    parse_file(&r, &source_youtube, "malformed/invalid_utf8_youtube.xml", "https://www.youtube.com/user/Kurzgesagt",
               NULL, "application/atom+xml");
    if (r.rc == 0) {
        assert_int_equal(r.s.n, 15);
        assert_items_sane(&r.s);
    } else {
        assert_clear_error(&r);
    }
    run_free(&r);
}

static void test_nesting_and_surrogates(void **state)
{
    (void)state;
    const struct source *all[] = {&source_mastodon, &source_bluesky, &source_reddit, &source_peertube,
                                  &source_lemmy, &source_invidious, &source_hackernews};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        struct run r;
        double t0 = now_ms();
        parse_file(&r, all[i], "malformed/nested_100k_arrays.json", "https://example.org/api", NULL, JSON_CT);
        assert_clear_error(&r);
        assert_non_null(strstr(r.e.msg, "nesting too deep"));
        run_free(&r);
        parse_file(&r, all[i], "malformed/lone_surrogate_escapes.json", "https://example.org/api", NULL, JSON_CT);
        assert_clear_error(&r);
        assert_non_null(strstr(r.e.msg, "surrogate"));
        run_free(&r);
        parse_file(&r, all[i], "malformed/empty_body.json", "https://example.org/api", NULL, JSON_CT);
        assert_clear_error(&r);
        assert_non_null(strstr(r.e.msg, "empty"));
        run_free(&r);
        assert_true(now_ms() - t0 < 2000);
    }
    struct run r;
    parse_file(&r, &source_mastodon, "malformed/nested_100k_in_mastodon_card.json", "https://mastodon.social/public",
               NULL, JSON_CT);
    assert_clear_error(&r);
    assert_non_null(strstr(r.e.msg, "nesting too deep"));
    run_free(&r);
}

/* ---- wrong content types ---------------------------------------------------------------------- */

static void test_content_types(void **state)
{
    (void)state;
    struct run r;
    /* JSON served as text/html or octet-stream: the endpoint says JSON, the body is sniffed */
    parse_file(&r, &source_reddit, "reddit/r_all_hot_json_2019.json", "https://www.reddit.com/r/all",
               NULL, "text/html; charset=UTF-8");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 100);
    run_free(&r);
    parse_file(&r, &source_mastodon, "mastodon/mastodon.social_timelines_public.json", "https://mastodon.social/public",
               NULL, "application/octet-stream");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 20);
    run_free(&r);
    /* RSS served as JSON to a JSON adapter: a clean error, never raw markup as items */
    parse_file(&r, &source_mastodon, "rss/reddit_frontpage_2015.rss", "https://mastodon.social/public", NULL, JSON_CT);
    assert_clear_error(&r);
    assert_non_null(strstr(r.e.msg, "not JSON"));
    run_free(&r);
    /* an HTML error page where the API should answer */
    parse_file(&r, &source_bluesky, "malformed/youtube_feed_404_real.html", "https://bsky.app/profile/x.test", NULL,
               "text/html");
    assert_clear_error(&r);
    assert_non_null(strstr(r.e.msg, "HTML"));
    run_free(&r);
    /* a JSON body at an RSS URL fails cleanly in the feed adapter */
    parse_file(&r, &source_feed, "mastodon/mastodon.social_timelines_public.json", "https://example.org/feed.rss", NULL,
               "application/rss+xml");
    assert_clear_error(&r);
    run_free(&r);
    /* YouTube's real 404 page in place of a channel page: no channel id, said so */
    parse_file(&r, &source_youtube, "malformed/youtube_feed_404_real.html", "https://www.youtube.com/@nobody", NULL,
               "text/html");
    assert_clear_error(&r);
    assert_non_null(strstr(r.e.msg, "channel id"));
    run_free(&r);
}

/* Every adapter fed every other source's capture: an error or items, never a crash. */
static void test_cross_feeding(void **state)
{
    (void)state;
    static const char *const rels[] = {
        "mastodon/mastodon.social_timelines_public.json", "bluesky/getAuthorFeed_chriskenny.json",
        "reddit/r_popular_hot_oauth_2026.json", "peertube/framatube_videos_trending.json",
        "lemmy/post_list_v3_test_instance.json", "youtube/digitalfoundry_videos.xml",
        "rss/atp_podcast_enclosures.rss", "malformed/youtube_feed_404_real.html",
    };
    const struct source *const *all = source_all();
    for (size_t k = 0; all[k]; k++) {
        for (size_t i = 0; i < sizeof rels / sizeof rels[0]; i++) {
            struct run r;
            parse_file(&r, all[k], rels[i], "https://example.org/x", "https://example.org/api/x", JSON_CT);
            if (r.rc != 0) assert_clear_error(&r);
            for (size_t n = 0; n < r.s.n; n++)
                if (!r.s.items[n].title) fail_msg("%s on %s: item %zu has no title", all[k]->name, rels[i], n);
            if (r.rc == 0) assert_items_sane(&r.s);
            run_free(&r);
        }
    }
}

/* ---- generated: 10 MiB strings, captures cut in half ------------------------------------------ */

static char *big_text(void)
{
    static const char unit[] = "Lorem ipsum \xc3\xa9t\xc3\xa9 dolor ";
    size_t u = sizeof unit - 1;
    char *s = malloc(TEN_MIB + 1);
    for (size_t i = 0; i < TEN_MIB; i++) s[i] = unit[i % u];
    /* whole characters only */
    size_t end = TEN_MIB;
    while (end && ((unsigned char)s[end] & 0xC0) == 0x80) end--;
    s[end] = 0;
    return s;
}

/* The capture with one string member replaced by 10 MiB of text, as JSON. */
static char *with_big(const char *rel, const char *const *path, size_t *len)
{
    size_t n = 0;
    char *body = read_rel(rel, &n);
    cJSON *root = cJSON_ParseWithLength(body, n);
    free(body);
    assert_non_null(root);
    cJSON *o = root;
    for (size_t i = 0; path[i + 1]; i++) {
        const char *p = path[i];
        o = (p[0] >= '0' && p[0] <= '9') ? cJSON_GetArrayItem(o, atoi(p)) : cJSON_GetObjectItemCaseSensitive(o, p);
        assert_non_null(o);
    }
    char *big = big_text();
    const char *last = path[0];
    for (size_t i = 0; path[i]; i++) last = path[i];
    cJSON_ReplaceItemInObjectCaseSensitive(o, last, cJSON_CreateString(big));
    free(big);
    char *out = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    *len = strlen(out);
    return out;
}

static void test_ten_mib_titles(void **state)
{
    (void)state;
    static const char *const reddit_path[] = {"data", "children", "0", "data", "title", NULL};
    static const char *const bsky_path[] = {"feed", "0", "post", "record", "text", NULL};
    static const char *const masto_path[] = {"0", "content", NULL};
    static const char *const pt_path[] = {"data", "0", "name", NULL};
    static const char *const lemmy_path[] = {"posts", "0", "post", "name", NULL};
    static const struct {
        const char *rel;
        const char *const *path;
        const struct source *src;
        const char *url;
        size_t want;
    } t[] = {
        {"reddit/r_popular_hot_oauth_2026.json", reddit_path, &source_reddit, "https://www.reddit.com/r/popular", 100},
        {"bluesky/getAuthorFeed_andrew.heiss.phd.json", bsky_path, &source_bluesky, "https://bsky.app/profile/a.b", 25},
        {"mastodon/mastodon.social_timelines_public.json", masto_path, &source_mastodon, "https://mastodon.social/public", 20},
        {"peertube/framatube_videos_trending.json", pt_path, &source_peertube, "https://framatube.org/videos/trending", 12},
        {"lemmy/post_list_v3_test_instance.json", lemmy_path, &source_lemmy, "https://lemmy.world/c/x", 3},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t len = 0;
        char *body = with_big(t[i].rel, t[i].path, &len);
        struct run r;
        run_parse(&r, t[i].src, body, len, t[i].url, NULL, NULL, JSON_CT);
        free(body);
        if (r.rc != 0) fail_msg("%s: %s", t[i].rel, r.e.msg);
        print_message("  10 MiB in %s: %zu items in %.1f ms\n", t[i].rel, r.s.n, r.ms);
        assert_int_equal(r.s.n, t[i].want);
        assert_items_sane(&r.s);
        /* kept, cut to the field's bound on a character boundary */
        assert_true(strlen(r.s.items[0].title) <= TEXT_MAX_TITLE);
        assert_true(starts_with(r.s.items[0].title, "Lorem ipsum"));
        if (r.s.items[0].summary) assert_true(strlen(r.s.items[0].summary) <= TEXT_MAX_SUMMARY);
        assert_true(r.ms < 3000);
        run_free(&r);
    }

    /* a page whose <title> and og:title are 10 MiB each */
    char *big = big_text();
    struct strbuf b;
    sb_init(&b);
    sb_printf(&b, "<html><head><meta property=\"og:title\" content=\"%s\"><title>%s</title></head><body></body></html>",
              big, big);
    free(big);
    struct run r;
    run_parse(&r, &source_link, b.s, b.len, "https://example.org/p/1", NULL, NULL, "text/html");
    sb_free(&b);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 1);
    assert_items_sane(&r.s);
    assert_true(strlen(r.s.items[0].title) <= TEXT_MAX_TITLE);
    print_message("  10 MiB page title: %.1f ms\n", r.ms);
    assert_true(r.ms < 3000);
    run_free(&r);
}

static void test_cut_captures(void **state)
{
    (void)state;
    static const struct { const char *rel; const struct source *src; const char *url; } t[] = {
        {"bluesky/getAuthorFeed_chriskenny.json", &source_bluesky, "https://bsky.app/profile/c.b"},
        {"peertube/framatube_videos_trending.json", &source_peertube, "https://framatube.org/videos/trending"},
        {"peertube/peertube.cpy.re_video_detail.json", &source_peertube, "https://peertube.cpy.re/w/x"},
        {"lemmy/post_list_v3_test_instance.json", &source_lemmy, "https://lemmy.world/c/x"},
        {"mastodon/fosstodon_account_statuses_page5.json", &source_mastodon, "https://fosstodon.org/@x"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t len = 0;
        char *body = read_rel(t[i].rel, &len);
        /* at many points, not just the middle: inside strings, escapes, numbers */
        for (size_t cut = 1; cut < len; cut += len / 37 + 1) {
            struct run r;
            run_parse(&r, t[i].src, body, cut, t[i].url, NULL, NULL, JSON_CT);
            assert_clear_error(&r);
            assert_int_equal(r.s.n, 0);
            run_free(&r);
        }
        free(body);
    }
}

int main(void)
{
    require_fixtures();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_escape_titles),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nesting_and_surrogates),
        cmocka_unit_test(test_content_types),
        cmocka_unit_test(test_cross_feeding),
        cmocka_unit_test(test_ten_mib_titles),
        cmocka_unit_test(test_cut_captures),
    };
    return cmocka_run_group_tests_name("source malformed", tests, NULL, NULL);
}
