/* SPDX-License-Identifier: ISC */
/* The follow-up mechanism (source.h, item.h) from the adapters' side: what each multi-step source
 * asks for after its first response (a Mastodon account lookup, a Bluesky handle, a YouTube
 * channel page, a PeerTube video's detail completing its list entry), the sink's follow, find and
 * replace, and the store's side of it: the schema migration that adds a feed's retry time and
 * remembered endpoint, and the functions a refresh uses. */
#include "srcutil.h"

#include <sqlite3.h>
#include <unistd.h>

#include "store.h"

static void parse_str(struct run *r, const struct source *src, const char *doc, const char *user_url,
                      const char *fetch_url, const char *stage)
{
    run_parse(r, src, doc, strlen(doc), user_url, fetch_url, stage, "application/json");
    if (r->rc != 0) fail_msg("%s: %s", src->name, r->e.msg);
}

static void test_mastodon_lookup(void **state)
{
    (void)state;
    const char *acct = "{\"id\":\"109302436954721982\",\"username\":\"schochastics\",\"acct\":\"schochastics\","
                       "\"display_name\":\"David Schoch\",\"url\":\"https://fosstodon.org/@schochastics\",\"bot\":false}";
    struct run r;
    parse_str(&r, &source_mastodon, acct, "https://fosstodon.org/@schochastics",
              "https://fosstodon.org/api/v1/accounts/lookup?acct=schochastics", NULL);
    assert_int_equal(r.s.n, 0);
    assert_int_equal(r.s.n_follows, 1);
    const struct item_follow *f = &r.s.follows[0];
    assert_string_equal(f->url, "https://fosstodon.org/api/v1/accounts/109302436954721982/statuses?exclude_replies=true");
    assert_string_equal(f->stage, "statuses");
    assert_true(f->endpoint);
    assert_false(f->optional);
    assert_string_equal(r.s.meta.title, "David Schoch (@schochastics@fosstodon.org)");
    assert_string_equal(r.s.meta.link, "https://fosstodon.org/@schochastics");
    run_free(&r);

    /* the profile's tabs carry over, and so does the page size; the instance is the one asked */
    item_sink_init(&r.s);
    struct subscription sub = {.url = "http://127.0.0.1:5/@schochastics/media", .max_items = 15,
                               .fetch_url = "http://127.0.0.1:5/api/v1/accounts/lookup?acct=schochastics"};
    struct error e = {{0}};
    assert_int_equal(source_mastodon.parse(acct, strlen(acct), &sub, &r.s, &e), 0);
    assert_string_equal(r.s.follows[0].url, "http://127.0.0.1:5/api/v1/accounts/109302436954721982/statuses"
                                            "?exclude_replies=true&only_media=true&limit=15");
    run_free(&r);

    /* an account object at the statuses stage is not a lookup any more: an error, not a loop */
    run_parse(&r, &source_mastodon, acct, strlen(acct), "https://fosstodon.org/@schochastics",
              "https://fosstodon.org/api/v1/accounts/1/statuses", "statuses", NULL);
    assert_clear_error(&r);
    assert_int_equal(r.s.n_follows, 0);
    run_free(&r);
}

static void test_bluesky_resolve(void **state)
{
    (void)state;
    struct run r;
    parse_str(&r, &source_bluesky, "{\"did\":\"did:plc:z72i7hdynmk6r22z27h6tvur\"}",
              "https://bsky.app/profile/bsky.app/feed/whats-hot",
              "https://public.api.bsky.app/xrpc/com.atproto.identity.resolveHandle?handle=bsky.app", NULL);
    assert_int_equal(r.s.n_follows, 1);
    assert_string_equal(r.s.follows[0].url,
                        "https://public.api.bsky.app/xrpc/app.bsky.feed.getFeed?feed=at%3A%2F%2Fdid%3Aplc%3A"
                        "z72i7hdynmk6r22z27h6tvur%2Fapp.bsky.feed.generator%2Fwhats-hot");
    assert_true(r.s.follows[0].endpoint);
    assert_string_equal(r.s.follows[0].stage, "feed");
    run_free(&r);

    parse_str(&r, &source_bluesky, "{\"did\":\"did:plc:abc\"}", "http://127.0.0.1:7/profile/x.test/lists/3kx",
              "http://127.0.0.1:7/xrpc/com.atproto.identity.resolveHandle?handle=x.test", NULL);
    assert_string_equal(r.s.follows[0].url, "http://127.0.0.1:7/xrpc/app.bsky.feed.getListFeed?list=at%3A%2F%2F"
                                            "did%3Aplc%3Aabc%2Fapp.bsky.graph.list%2F3kx");
    run_free(&r);

    run_parse(&r, &source_bluesky, "{\"did\":\"not-a-did\"}", 19, "https://bsky.app/profile/x.test/feed/f", NULL, NULL, NULL);
    assert_clear_error(&r);
    run_free(&r);
}

static void test_youtube_page(void **state)
{
    (void)state;
    /* the bits of a channel page that carry its id, in a page of realistic bulk */
    struct strbuf page;
    sb_init(&page);
    sb_adds(&page, "<!DOCTYPE html><html><head><title>Kurzgesagt - YouTube</title>"
                   "<link rel=\"canonical\" href=\"https://www.youtube.com/channel/UCsXVk37bltHxD1rDPwtNM8Q\">");
    for (int i = 0; i < 20000; i++) sb_adds(&page, "<script>var ytInitialData = {\"a\":1};</script>");
    sb_adds(&page, "</head><body></body></html>");
    struct run r;
    run_parse(&r, &source_youtube, page.s, page.len, "https://www.youtube.com/@kurzgesagt",
              "https://www.youtube.com/@kurzgesagt", NULL, "text/html");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n_follows, 1);
    assert_string_equal(r.s.follows[0].url, "https://www.youtube.com/feeds/videos.xml?channel_id=UCsXVk37bltHxD1rDPwtNM8Q");
    assert_string_equal(r.s.follows[0].stage, "feed");
    assert_true(r.s.follows[0].endpoint);
    print_message("  channel page of %zu bytes searched in %.2f ms\n", page.len, r.ms);
    run_free(&r);
    sb_free(&page);

    /* only the page data: "externalId", as on pages without a canonical link */
    const char *data = "<html><script>{\"metadata\":{\"channelMetadataRenderer\":{\"title\":\"X\","
                       "\"externalId\":\"UC9PBzalIcEQCsiIkq36PyUA\"}}}</script></html>";
    run_parse(&r, &source_youtube, data, strlen(data), "http://127.0.0.1:9/@DigitalFoundry",
              "http://127.0.0.1:9/@DigitalFoundry", NULL, "text/html");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.s.follows[0].url, "http://127.0.0.1:9/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA");
    run_free(&r);

    /* a remembered endpoint comes back with its stage: the body is the feed */
    size_t len = 0;
    char *feed = fixture_read("feeds/youtube/kurzgesagt_videos_2026-01.xml", &len);
    run_parse(&r, &source_youtube, feed, len, "https://www.youtube.com/@kurzgesagt",
              "https://www.youtube.com/feeds/videos.xml?channel_id=UCsXVk37bltHxD1rDPwtNM8Q", "feed", "application/atom+xml");
    free(feed);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 15);
    assert_int_equal(r.s.n_follows, 0);
    run_free(&r);
}

static void test_peertube_detail(void **state)
{
    (void)state;
    size_t len = 0;
    char *list = fixture_read("feeds/peertube/framatube_videos_trending.json", &len);
    struct run r;
    run_parse(&r, &source_peertube, list, len, "https://framatube.org/videos/trending",
              "https://framatube.org/api/v1/videos?sort=-trending", NULL, "application/json");
    free(list);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 12);
    /* a detail that answers for one of the listed videos completes it in place */
    struct item it;
    item_init(&it);
    it.guid = r.s.items[0].guid;
    it.title = "Completed";
    it.media_url = "https://peertube.opencloud.lu/static/streaming-playlists/hls/x/master.m3u8";
    it.media_type = "hls";
    item_sink_replace(&r.s, &it);
    assert_int_equal(r.s.n, 12);
    assert_string_equal(r.s.items[0].title, "Completed");
    assert_ptr_equal(item_sink_find(&r.s, it.guid), &r.s.items[0]);
    /* one it has not seen is added */
    it.guid = "https://framatube.org/videos/watch/new";
    item_sink_replace(&r.s, &it);
    assert_int_equal(r.s.n, 13);
    run_free(&r);

    char *detail = fixture_read("feeds/peertube/peertube.cpy.re_video_detail.json", &len);
    item_sink_init(&r.s);
    it.guid = "https://peertube.cpy.re/videos/watch/d2a5ec78-5f85-4090-8ec5-dc1102e022ea";
    it.title = "from the list";
    it.media_url = it.guid;
    it.media_type = "page";
    item_sink_push(&r.s, &it);
    struct subscription sub = {.url = "https://peertube.cpy.re/c/x", .stage = "detail",
                               .fetch_url = "https://peertube.cpy.re/api/v1/videos/d2a5ec78-5f85-4090-8ec5-dc1102e022ea"};
    struct error e = {{0}};
    assert_int_equal(source_peertube.parse(detail, len, &sub, &r.s, &e), 0);
    free(detail);
    assert_int_equal(r.s.n, 1);
    assert_string_equal(r.s.items[0].title, "Nothing to Hide (VOSTFR)");
    assert_string_equal(r.s.items[0].media_type, "hls");
    run_free(&r);
}

static void test_sink_follow(void **state)
{
    (void)state;
    struct item_sink s;
    item_sink_init(&s);
    s.max_items = 2;
    struct item_follow f = {.url = "https://a.example/x\x1b[2J", .stage = "s", .skip_guid = "g", .optional = 1};
    item_sink_follow(&s, &f);
    struct item_follow none = {.url = ""};
    item_sink_follow(&s, &none);
    item_sink_follow(&s, NULL);
    assert_int_equal(s.n_follows, 1);
    assert_string_equal(s.follows[0].url, "https://a.example/x[2J");   /* sanitised like any URL */
    assert_string_equal(s.follows[0].stage, "s");
    /* the item cap counts new items only: a replacement always lands */
    struct item it;
    item_init(&it);
    const char *guids[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        it.guid = guids[i];
        it.title = guids[i];
        item_sink_push(&s, &it);
    }
    assert_int_equal(s.n, 2);
    assert_int_equal(s.dropped, 1);
    it.guid = "b";
    it.title = "B";
    item_sink_replace(&s, &it);
    assert_int_equal(s.n, 2);
    assert_string_equal(item_sink_find(&s, "b")->title, "B");
    it.guid = "d";
    item_sink_replace(&s, &it);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.dropped, 2);
    assert_null(item_sink_find(&s, "d"));
    item_sink_free(&s);
}

/* ---- the store's side ------------------------------------------------------------------------- */

static char dir[] = "/tmp/winnow-srcfollow-XXXXXX";

static void sql(sqlite3 *db, const char *q)
{
    char *msg = NULL;
    if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", q, msg);
}

static void test_store_migration_and_state(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/m.db", dir);
    struct error err = {{0}};
    struct store *st = store_open(path, &err);
    assert_non_null(st);
    int64_t id = 0;
    assert_int_equal(store_feed_add(st, "https://mastodon.social/@Gargron", "mastodon", NULL, NULL, &id, &err), 0);
    store_close(st);
    /* make it a version-1 database, as an earlier winnow left it */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sql(db, "DROP TRIGGER items_fts_del; DROP TRIGGER items_fts_upd;"
            "DROP TABLE items_fts; DROP TRIGGER items_count_del;"
            "DROP TRIGGER items_count_upd; ALTER TABLE feeds DROP COLUMN n_items;"
            "ALTER TABLE feeds DROP COLUMN n_unread;"
            "ALTER TABLE feeds DROP COLUMN retry_after; ALTER TABLE feeds DROP COLUMN endpoint;"
            "ALTER TABLE feeds DROP COLUMN endpoint_stage; ALTER TABLE feeds DROP COLUMN insecure_tls;"
            "DROP TABLE purged;"
            "ALTER TABLE items DROP COLUMN categories; ALTER TABLE items DROP COLUMN enclosures;"
            "ALTER TABLE feeds DROP COLUMN charset;"
            "DROP INDEX items_prov_todo; DROP INDEX items_scan_todo; DROP INDEX items_prov_read; DROP INDEX items_withheld;"
            "ALTER TABLE items DROP COLUMN prov_mask; ALTER TABLE items DROP COLUMN scan_state;"
            "DROP TABLE media_scans; DROP TABLE meta;"
            "DROP TRIGGER items_read_at; ALTER TABLE items DROP COLUMN read_at;"
            "PRAGMA user_version = 1;");
    sqlite3_close(db);

    st = store_open(path, &err);
    if (!st) fail_msg("%s", err.msg);
    assert_true(store_schema_version(st) >= 2);
    struct feed_row row;
    assert_int_equal(store_feed_get(st, "https://mastodon.social/@Gargron", &row, &err), 0);
    assert_int_equal(row.retry_after, 0);
    assert_null(row.endpoint);
    assert_int_equal(row.insecure_tls, 0);
    store_feed_row_free(&row);
    /* version 3: the per-feed TLS opt-in */
    assert_int_equal(store_feed_set_insecure_tls(st, id, 1, &err), 0);
    assert_int_equal(store_feed_get(st, "https://mastodon.social/@Gargron", &row, &err), 0);
    assert_int_equal(row.insecure_tls, 1);
    store_feed_row_free(&row);
    assert_int_equal(store_feed_set_insecure_tls(st, id, 0, &err), 0);

    assert_int_equal(store_feed_set_retry(st, id, 2000000000, &err), 0);
    assert_int_equal(store_feed_set_endpoint(st, id, "https://mastodon.social/api/v1/accounts/1/statuses", "statuses",
                                             &err), 0);
    assert_int_equal(store_feed_get(st, "1", &row, &err), 0);
    assert_int_equal(row.retry_after, 2000000000);
    assert_string_equal(row.endpoint, "https://mastodon.social/api/v1/accounts/1/statuses");
    assert_string_equal(row.endpoint_stage, "statuses");
    store_feed_row_free(&row);

    /* a successful commit clears the wait; items become known */
    struct item_sink s;
    item_sink_init(&s);
    struct item it;
    item_init(&it);
    it.guid = "https://mastodon.social/users/Gargron/statuses/1";
    it.title = "t";
    item_sink_push(&s, &it);
    int fresh = 0;
    assert_int_equal(store_feed_commit(st, id, &s, "\"e1\"", NULL, &fresh, &err), 0);
    item_sink_free(&s);
    assert_int_equal(fresh, 1);
    assert_int_equal(store_item_known(st, id, "https://mastodon.social/users/Gargron/statuses/1", &err), 1);
    assert_int_equal(store_item_known(st, id, "https://mastodon.social/users/Gargron/statuses/2", &err), 0);
    assert_int_equal(store_item_known(st, id + 1, "https://mastodon.social/users/Gargron/statuses/1", &err), 0);
    assert_int_equal(store_feed_get(st, "1", &row, &err), 0);
    assert_int_equal(row.retry_after, 0);
    assert_string_equal(row.etag, "\"e1\"");
    store_feed_row_free(&row);

    /* forgetting the endpoint forgets its validators, which were the endpoint's */
    assert_int_equal(store_feed_set_endpoint(st, id, NULL, "ignored", &err), 0);
    assert_int_equal(store_feed_get(st, "1", &row, &err), 0);
    assert_null(row.endpoint);
    assert_null(row.endpoint_stage);
    assert_null(row.etag);
    store_feed_row_free(&row);
    assert_int_equal(store_feed_set_retry(st, 999, 5, &err), -1);
    assert_non_null(strstr(err.msg, "no feed"));
    store_close(st);
    char p2[300];
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
    unlink(path);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(dir);
}

int main(void)
{
    require_fixtures();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mastodon_lookup),
        cmocka_unit_test(test_bluesky_resolve),
        cmocka_unit_test(test_youtube_page),
        cmocka_unit_test(test_peertube_detail),
        cmocka_unit_test(test_sink_follow),
        cmocka_unit_test(test_store_migration_and_state),
    };
    return cmocka_run_group_tests_name("follow-ups", tests, setup, teardown);
}
