/* SPDX-License-Identifier: ISC */
/* The video platforms' adapters on generated input: yt-dlp's JSON mapped to items (thumbnails,
 * dates, the chosen format, playlists and flat entries), Sora's post JSON (deleted, private,
 * blocked output, the fallbacks when refused, the headers), X profiles through a bridge, the
 * AI-native platform table, and the credentials file (mode checks, what a token may hold). */
#include "srcutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "login.h"
#include "ytdlp.h"
#include "date.h"

static void parse_str(struct run *r, const struct source *src, const char *body, const char *url,
                      const char *stage, long status, const char *ct)
{
    item_sink_init(&r->s);
    memset(&r->e, 0, sizeof r->e);
    struct subscription sub = {.id = 1, .url = url, .stage = stage, .status = status, .content_type = ct};
    r->rc = src->parse(body, strlen(body), &sub, &r->s, &r->e);
}

static void test_ytdlp_video(void **state)
{
    (void)state;
    struct run r;
    parse_str(&r, &source_ytdlp,
              "{\"id\":\"v1\",\"title\":\"A clip\",\"description\":\"About it\",\"uploader\":\"Someone\","
              "\"uploader_id\":\"@someone\",\"uploader_url\":\"https://v.example/@someone\",\"upload_date\":\"20240131\","
              "\"duration\":61.6,\"webpage_url\":\"https://v.example/watch/v1\",\"extractor_key\":\"Vimeo\","
              "\"thumbnails\":[{\"url\":\"https://i/s.jpg\",\"width\":120},{\"url\":\"https://i/m.jpg\",\"width\":480,\"height\":270},"
              "{\"url\":\"https://i/l.jpg\",\"width\":1920},{\"url\":\"javascript:x\",\"width\":480}],"
              "\"like_count\":5,\"view_count\":99,\"protocol\":\"https\",\"url\":\"https://cdn/v1.mp4\",\"ext\":\"mp4\","
              "\"format_id\":\"hd\",\"width\":1280,\"height\":720,\"vcodec\":\"avc1\"}",
              "https://v.example/watch/v1", NULL, 0, "application/json");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 1);
    const struct item *it = &r.s.items[0];
    assert_string_equal(it->guid, "Vimeo:v1");
    assert_string_equal(it->title, "A clip");
    assert_string_equal(it->author, "Someone");
    assert_string_equal(it->author_handle, "@someone");
    assert_int_equal(it->published, date_parse("2024-01-31T00:00:00Z"));
    assert_int_equal(it->media_duration, 62);
    assert_string_equal(it->thumb_url, "https://i/m.jpg");   /* nearest 480 wide */
    assert_int_equal(it->thumb_h, 270);
    assert_string_equal(it->media_url, "https://cdn/v1.mp4");
    assert_string_equal(it->media_type, "video/mp4");
    assert_int_equal(it->media_w, 1280);
    char buf[128];
    assert_string_equal(extra_str_of(it, "extractor", buf, sizeof buf), "Vimeo");
    assert_string_equal(extra_str_of(it, "ytdlp_format", buf, sizeof buf), "hd");
    assert_true(extra_has(it, "like_count"));
    assert_false(extra_has(it, "platform_nature"));
    run_free(&r);

    /* split video+audio: mpv's own ytdl hook resolves the page */
    parse_str(&r, &source_ytdlp,
              "{\"id\":\"v2\",\"title\":\"T\",\"webpage_url\":\"https://v.example/v2\",\"requested_formats\":[{},{}],"
              "\"url\":\"https://cdn/v.mp4\",\"protocol\":\"https\"}", "https://v.example/v2", NULL, 0, NULL);
    assert_string_equal(r.s.items[0].media_type, "page");
    assert_string_equal(r.s.items[0].media_url, "https://v.example/v2");
    run_free(&r);
    /* HLS, and a timestamp */
    parse_str(&r, &source_ytdlp,
              "{\"id\":\"v3\",\"timestamp\":1700000000,\"webpage_url\":\"https://sora.chatgpt.com/p/s_ab\","
              "\"url\":\"https://cdn/x.m3u8\",\"protocol\":\"m3u8_native\"}", "https://v.example/v3", NULL, 0, NULL);
    assert_string_equal(r.s.items[0].media_type, "hls");
    assert_int_equal(r.s.items[0].published, 1700000000);
    assert_string_equal(extra_str_of(&r.s.items[0], "platform_nature", buf, sizeof buf), "Sora generates every video");
    run_free(&r);
}

static void test_ytdlp_playlist_and_errors(void **state)
{
    (void)state;
    struct run r;
    parse_str(&r, &source_ytdlp,
              "{\"_type\":\"playlist\",\"title\":\"A channel\",\"webpage_url\":\"https://v.example/c\",\"entries\":["
              "{\"_type\":\"url\",\"ie_key\":\"Vimeo\",\"id\":\"1\",\"url\":\"https://v.example/1\",\"title\":\"One\",\"duration\":3},"
              "{\"_type\":\"url\",\"ie_key\":\"Vimeo\",\"id\":\"2\",\"url\":\"https://v.example/2\"},"
              "7, null, \"x\"]}", "https://v.example/c", NULL, 0, NULL);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 2);
    assert_string_equal(r.s.meta.title, "A channel");
    assert_string_equal(r.s.items[0].url, "https://v.example/1");
    assert_string_equal(r.s.items[0].media_type, "page");
    assert_string_equal(r.s.items[1].guid, "Vimeo:2");
    assert_string_equal(r.s.items[1].title, "https://v.example/2");   /* no title: its URL */
    run_free(&r);
    parse_str(&r, &source_ytdlp, "[1,2]", "https://v.example/c", NULL, 0, NULL);
    assert_int_equal(r.rc, -1);
    assert_clear_error(&r);
    run_free(&r);
    parse_str(&r, &source_ytdlp, "{\"title\":", "https://v.example/c", NULL, 0, NULL);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.e.msg, "ytdlp"));
    run_free(&r);
    /* the request is yt-dlp's, never a fetch, and only for http(s) */
    struct strbuf b;
    sb_init(&b);
    struct error e = {{0}};
    struct subscription sub = {.url = "https://v.example/c"};
    assert_int_equal(source_ytdlp.request(&sub, &b, &e), 0);
    assert_string_equal(b.s, "ytdlp:https://v.example/c");
    assert_string_equal(source_ytdlp_target(b.s), "https://v.example/c");
    sub.url = "file:///etc/passwd";
    sb_reset(&b);
    assert_int_equal(source_ytdlp.request(&sub, &b, &e), -1);
    sb_free(&b);
}

static void test_ytdlp_argv(void **state)
{
    (void)state;
    struct ytdlp_opts o;
    memset(&o, 0, sizeof o);
    o.options[0] = "--cookies-from-browser";
    o.options[1] = "firefox";
    o.n_options = 2;
    o.playlist_end = 7;
    char **argv = ytdlp_argv(&o, "-e");
    const char *want[] = {"yt-dlp", "-J", "--flat-playlist", "--playlist-end", "7", "--no-progress", "--no-cache-dir",
                          "--cookies-from-browser", "firefox", "--", "-e", NULL};
    for (int i = 0; want[i]; i++) assert_string_equal(argv[i], want[i]);
    assert_null(argv[11]);
    ytdlp_argv_free(argv);
    /* a program that is not there */
    struct strbuf out;
    sb_init(&out);
    struct error e = {{0}};
    o.path = "/nonexistent/yt-dlp";
    assert_int_equal(ytdlp_run(&o, "https://v.example/", -1, &out, &e), -1);
    assert_non_null(strstr(e.msg, "install yt-dlp for video pages"));
    /* a program that fails: its last line is the message, sanitised */
    o.path = "false";
    assert_int_equal(ytdlp_run(&o, "https://v.example/", -1, &out, &e), -1);
    assert_non_null(strstr(e.msg, "yt-dlp:"));
    /* one that closes its output and lingers is bounded by the timeout too */
    char prog[] = "/tmp/winnow-linger.XXXXXX";
    int fd = mkstemp(prog);
    assert_true(fd >= 0);
    const char *script = "#!/usr/bin/env python3\nimport os, time\nos.close(1)\nos.close(2)\ntime.sleep(20)\n";
    assert_int_equal(write(fd, script, strlen(script)), (int)strlen(script));
    close(fd);
    chmod(prog, 0700);
    o.path = prog;
    o.timeout_s = 1;
    assert_int_equal(ytdlp_run(&o, "https://v.example/", -1, &out, &e), -1);
    assert_string_equal(e.msg, "yt-dlp: timed out after 1 s");
    unlink(prog);
    sb_free(&out);
}

static void test_sora(void **state)
{
    (void)state;
    assert_int_equal(source_for_url("https://sora.chatgpt.com/p/s_68ab12")->name[0], 's');
    assert_string_equal(source_for_url("https://www.sora.com/p/s_68ab12")->name, "sora");
    assert_string_not_equal(source_for_url("https://sora.chatgpt.com/explore")->name, "sora");
    assert_string_not_equal(source_for_url("https://sora.chatgpt.com/p/s_zz")->name, "sora");
    struct strbuf b;
    sb_init(&b);
    struct error e = {{0}};
    struct subscription sub = {.url = "https://sora.chatgpt.com/p/s_68ab12"};
    assert_int_equal(source_sora.request(&sub, &b, &e), 0);
    assert_string_equal(b.s, "https://sora.chatgpt.com/backend/project_y/post/s_68ab12");
    struct arena a;
    arena_init(&a);
    const char *const *h = source_sora.headers(&sub, b.s, &a);
    assert_string_equal(h[0], "Accept: application/json");
    assert_string_equal(h[1], "Origin: https://sora.chatgpt.com");
    assert_string_equal(h[2], "Referer: https://sora.chatgpt.com/p/s_68ab12");
    assert_null(h[3]);
    assert_null(source_sora.headers(&sub, "https://elsewhere.example/backend/project_y/post/s_68ab12", &a));
    arena_free(&a);
    sb_free(&b);

    const char *url = "https://sora.chatgpt.com/p/s_68ab12";
    struct run r;
    parse_str(&r, &source_sora,
              "{\"post\":{\"text\":\"Cats\",\"posted_at\":1760000000,\"tombstoned_at\":null,"
              "\"attachments\":[{\"output_blocked\":true,\"width\":720,\"height\":1280,\"duration_s\":10,"
              "\"encodings\":{\"source\":{\"path\":\"https://v/s.mp4\"},\"thumbnail\":{\"path\":\"https://v/t.jpg\"}}}]},"
              "\"profile\":{\"username\":\"u\"}}", url, NULL, 200, "application/json");
    assert_int_equal(r.rc, 0);
    assert_null(r.s.items[0].media_url);          /* the output was blocked */
    assert_string_equal(r.s.items[0].thumb_url, "https://v/t.jpg");
    assert_string_equal(r.s.items[0].author, "u");
    char buf[128];
    assert_string_equal(extra_str_of(&r.s.items[0], "platform_nature", buf, sizeof buf), "Sora generates every video");
    run_free(&r);
    parse_str(&r, &source_sora, "{\"post\":{\"tombstoned_at\":1}}", url, NULL, 200, NULL);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.e.msg, "sora: the post was deleted");
    run_free(&r);
    parse_str(&r, &source_sora, "{\"post\":{\"permissions\":{\"can_read\":false}}}", url, NULL, 200, NULL);
    assert_string_equal(r.e.msg, "sora: the post is private");
    run_free(&r);
    parse_str(&r, &source_sora, "{\"nope\":1}", url, NULL, 200, NULL);
    assert_int_equal(r.rc, -1);
    run_free(&r);
    /* a challenge page: yt-dlp, then the card, both optional */
    parse_str(&r, &source_sora, "<html>Just a moment</html>", url, NULL, 403, "text/html");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 1);   /* the link itself, until a way in answers */
    assert_string_equal(r.s.items[0].media_type, "page");
    assert_string_equal(extra_str_of(&r.s.items[0], "via", buf, sizeof buf), "none");
    assert_int_equal(r.s.n_follows, 2);
    assert_string_equal(r.s.follows[0].url, "ytdlp:https://sora.chatgpt.com/p/s_68ab12");
    assert_string_equal(r.s.follows[0].stage, "ytdlp");
    assert_string_equal(r.s.follows[1].stage, "card");
    assert_true(r.s.follows[0].optional && r.s.follows[1].optional);
    /* the card, then yt-dlp's fuller answer replaces it: one item, the share link's */
    struct subscription s2 = {.url = url, .stage = "card", .content_type = "text/html"};
    const char *page = "<html><head><meta property=\"og:title\" content=\"Card title\"></head></html>";
    assert_int_equal(source_sora.parse(page, strlen(page), &s2, &r.s, &r.e), 0);
    assert_int_equal(r.s.n, 1);
    assert_string_equal(extra_str_of(&r.s.items[0], "via", buf, sizeof buf), "card");
    assert_string_equal(r.s.items[0].title, "Card title");
    s2.stage = "ytdlp";
    const char *yj = "{\"id\":\"s_68ab12\",\"title\":\"From yt-dlp\",\"url\":\"https://v/y.mp4\",\"protocol\":\"https\",\"ext\":\"mp4\"}";
    assert_int_equal(source_sora.parse(yj, strlen(yj), &s2, &r.s, &r.e), 0);
    assert_int_equal(r.s.n, 1);
    assert_string_equal(r.s.items[0].title, "From yt-dlp");
    assert_string_equal(r.s.items[0].guid, url);
    assert_string_equal(r.s.items[0].platform, "sora");
    assert_string_equal(extra_str_of(&r.s.items[0], "via", buf, sizeof buf), "yt-dlp");
    /* a card arriving after yt-dlp does not overwrite it */
    s2.stage = "card";
    assert_int_equal(source_sora.parse(page, strlen(page), &s2, &r.s, &r.e), 0);
    assert_string_equal(r.s.items[0].title, "From yt-dlp");
    run_free(&r);
}

static void test_x(void **state)
{
    (void)state;
    assert_string_equal(source_for_url("https://x.com/jack")->name, "x");
    assert_string_equal(source_for_url("https://mobile.twitter.com/@jack")->name, "x");
    assert_string_equal(source_for_url("https://x.com/jack/media")->name, "x");
    assert_string_equal(source_for_url("https://x.com/home")->name, "feed");
    assert_string_equal(source_for_url("https://x.com/search")->name, "feed");
    assert_string_equal(source_for_url("https://x.com/a-b")->name, "feed");
    struct strbuf b;
    sb_init(&b);
    struct error e = {{0}};
    struct subscription sub = {.url = "https://x.com/jack"};
    source_set_option("bridge-x", "");
    assert_int_equal(source_x.request(&sub, &b, &e), -1);
    assert_non_null(strstr(e.msg, "bridge-x = https://nitter.example"));
    source_set_option("bridge-x", "https://nitter.example/");
    assert_int_equal(source_x.request(&sub, &b, &e), 0);
    assert_string_equal(b.s, "https://nitter.example/jack/rss");
    sb_reset(&b);
    source_set_option("bridge-x", "https://feeds.example/rsshub/twitter/user");
    assert_int_equal(source_x.request(&sub, &b, &e), 0);
    assert_string_equal(b.s, "https://feeds.example/rsshub/twitter/user/jack");
    source_set_option("bridge-x", "");
    sb_free(&b);
    struct run r;
    parse_str(&r, &source_x,
              "<rss version=\"2.0\"><channel><title>t</title><item><title>Hi</title>"
              "<link>https://nitter.example/jack/status/20#m</link></item></channel></rss>",
              "https://x.com/jack", NULL, 200, "application/rss+xml");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.s.items[0].url, "https://x.com/jack/status/20");
    assert_string_equal(r.s.items[0].author_handle, "@jack");
    assert_string_equal(r.s.items[0].platform, "x");
    assert_string_equal(r.s.meta.title, "@jack on X");
    run_free(&r);
    parse_str(&r, &source_x, "<html>rate limited</html>", "https://x.com/jack", NULL, 200, "text/html");
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.e.msg, "x: the bridge did not send RSS"));
    run_free(&r);
}

/* With yt-dlp there (any executable stands in), video pages no adapter reads go to it. */
static void test_video_pages_pick_ytdlp(void **state)
{
    (void)state;
    static const char *const pages[] = {"https://www.tiktok.com/@nasa/video/7412345678901234567",
                                        "https://www.instagram.com/reel/C8abcdefgh/", "https://vimeo.com/76979871", NULL};
    source_set_option("ytdlp-path", "/bin/true");
    for (int i = 0; pages[i]; i++) assert_string_equal(source_for_url(pages[i])->name, "ytdlp");
    /* pages with an adapter of their own keep it */
    assert_string_equal(source_for_url("https://sora.chatgpt.com/p/s_68e2")->name, "sora");
    assert_string_equal(source_for_url("https://www.youtube.com/@kurzgesagt")->name, "youtube");
    /* an X status stays a card (most have no video) and asks yt-dlp on the side */
    const char *status = "https://x.com/NASA/status/1837541412541624549";
    assert_string_equal(source_for_url(status)->name, "link");
    struct run r;
    parse_str(&r, &source_link, "<html><head><meta property=\"og:title\" content=\"Liftoff\"></head></html>", status, NULL,
              200, "text/html");
    assert_int_equal(r.s.n, 1);
    int found = 0;
    for (size_t i = 0; i < r.s.n_follows; i++)
        if (!strcmp(r.s.follows[i].stage, "ytdlp")) {
            found = 1;
            assert_true(r.s.follows[i].optional);
            assert_string_equal(r.s.follows[i].url, "ytdlp:https://x.com/NASA/status/1837541412541624549");
        }
    assert_true(found);
    /* yt-dlp's answer gives the card its video, and keeps the card's text */
    struct subscription ys = {.url = status, .stage = "ytdlp"};
    const char *yj = "{\"id\":\"1837\",\"title\":\"NASA - Liftoff\",\"uploader_id\":\"NASA\",\"duration\":30,"
                     "\"url\":\"https://video.twimg.example/v.mp4\",\"protocol\":\"https\",\"ext\":\"mp4\"}";
    assert_int_equal(source_link.parse(yj, strlen(yj), &ys, &r.s, &r.e), 0);
    assert_int_equal(r.s.n, 1);
    assert_string_equal(r.s.items[0].title, "Liftoff");
    assert_string_equal(r.s.items[0].media_url, "https://video.twimg.example/v.mp4");
    assert_int_equal(r.s.items[0].media_duration, 30);
    char buf[64];
    assert_string_equal(extra_str_of(&r.s.items[0], "media_via", buf, sizeof buf), "yt-dlp");
    run_free(&r);
    source_set_option("ytdlp-path", "/nonexistent/yt-dlp");
    for (int i = 0; pages[i]; i++) assert_string_equal(source_for_url(pages[i])->name, "link");
    source_set_option("ytdlp-path", "");
}

static void test_timeline_refusals(void **state)
{
    (void)state;
    struct run r;
    parse_str(&r, &source_mastodon_login, "{\"error\":\"The access token is invalid\"}",
              "https://mastodon.social/api/v1/timelines/home", NULL, 401, "application/json");
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.e.msg, "mastodon.social: login expired: winnow login mastodon mastodon.social");
    run_free(&r);
    parse_str(&r, &source_bluesky_login, "{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}",
              "https://pds.example/xrpc/app.bsky.feed.getTimeline", NULL, 400, "application/json");
    assert_non_null(strstr(r.e.msg, "pds.example: login expired: winnow login bluesky"));
    run_free(&r);
    parse_str(&r, &source_mastodon_login, "oops", "https://m.example/api/v1/timelines/home", NULL, 500, "text/html");
    assert_string_equal(r.e.msg, "m.example: HTTP 500");
    run_free(&r);
    /* mentions: the statuses inside the mention notifications */
    parse_str(&r, &source_mastodon_login,
              "[{\"type\":\"mention\",\"status\":{\"id\":\"1\",\"uri\":\"https://m.example/s/1\",\"url\":\"https://m.example/s/1\","
              "\"content\":\"<p>hi</p>\",\"created_at\":\"2024-01-01T00:00:00Z\",\"account\":{\"acct\":\"a\",\"url\":\"https://m.example/@a\"}}},"
              "{\"type\":\"follow\"}, 3]", "https://m.example/api/v1/notifications?types%5B%5D=mention", NULL, 200, NULL);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.s.n, 1);
    run_free(&r);
    /* paging: the Link header's newer page becomes a follow-up (and the endpoint), never another origin */
    const char *st = "[{\"id\":\"5\",\"uri\":\"https://m.example/s/5\",\"content\":\"x\",\"created_at\":\"2024-01-01T00:00:00Z\","
                     "\"account\":{\"acct\":\"a\"}}]";
    struct subscription ps = {.url = "https://m.example/api/v1/timelines/home", .status = 200,
                              .link = "<https://m.example/api/v1/timelines/home?max_id=1>; rel=\"next\", "
                                      "<https://m.example/api/v1/timelines/home?min_id=5>; rel=\"prev\""};
    item_sink_init(&r.s);
    assert_int_equal(source_mastodon_login.parse(st, strlen(st), &ps, &r.s, &r.e), 0);
    assert_int_equal(r.s.n_follows, 1);
    assert_string_equal(r.s.follows[0].url, "https://m.example/api/v1/timelines/home?min_id=5");
    assert_true(r.s.follows[0].endpoint && r.s.follows[0].optional);
    run_free(&r);
    ps.link = "<https://evil.example/api/v1/timelines/home?min_id=5>; rel=\"prev\", <https://m.example/other?min_id=5>; rel=\"prev\"";
    item_sink_init(&r.s);
    assert_int_equal(source_mastodon_login.parse(st, strlen(st), &ps, &r.s, &r.e), 0);
    assert_int_equal(r.s.n_follows, 0);
    run_free(&r);
    ps.link = "<<<>;;,,<";
    item_sink_init(&r.s);
    assert_int_equal(source_mastodon_login.parse(st, strlen(st), &ps, &r.s, &r.e), 0);
    assert_int_equal(r.s.n_follows, 0);
    run_free(&r);
    /* these kinds are never picked from a URL: only `winnow add mastodon:home` makes one */
    assert_string_equal(source_for_url("https://mastodon.social/api/v1/timelines/home")->name, "mastodon");
}

static void test_credentials_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/winnow-cred.XXXXXX";
    assert_non_null(mkdtemp(dir));
    /* an empty config file (tests write one) reads as an empty string */
    char empty[256];
    snprintf(empty, sizeof empty, "%s/empty", dir);
    fclose(fopen(empty, "w"));
    char *text = NULL;
    size_t tl = 1;
    struct error re = {{0}};
    assert_int_equal(read_file(empty, 1 << 20, &text, &tl, &re), 0);
    assert_int_equal(tl, 0);
    assert_string_equal(text, "");
    free(text);
    unlink(empty);
    char path[256];
    snprintf(path, sizeof path, "%s/sub/credentials", dir);
    struct creds cs;
    struct error e = {{0}};
    assert_int_equal(cred_load(path, &cs, &e), 0);   /* none yet */
    assert_int_equal((int)cs.n, 0);
    snprintf(cs.c[0].service, sizeof cs.c[0].service, "mastodon");
    snprintf(cs.c[0].server, sizeof cs.c[0].server, "https://m.example");
    snprintf(cs.c[0].access, sizeof cs.c[0].access, "tok123");
    snprintf(cs.c[1].service, sizeof cs.c[1].service, "bluesky");
    snprintf(cs.c[1].server, sizeof cs.c[1].server, "https://bsky.social");
    snprintf(cs.c[1].pds, sizeof cs.c[1].pds, "https://pds.example");
    cs.n = 2;
    assert_int_equal(cred_save(path, &cs, &e), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    struct creds back;
    assert_int_equal(cred_load(path, &back, &e), 0);
    assert_int_equal((int)back.n, 2);
    assert_string_equal(cred_find(&back, "mastodon", "https://M.example/api/v1/x")->access, "tok123");
    assert_null(cred_find(&back, "mastodon", "https://m.example.evil/api"));
    assert_null(cred_find(&back, "mastodon", "http://m.example/api"));   /* another scheme, another origin */
    assert_non_null(cred_find(&back, "bluesky", "https://pds.example/xrpc/x"));
    assert_non_null(cred_find(&back, "bluesky", NULL));
    assert_int_equal(cred_remove(&back, "bluesky", NULL), 1);
    assert_int_equal((int)back.n, 1);
    chmod(path, 0640);
    assert_int_equal(cred_load(path, &back, &e), -1);
    assert_non_null(strstr(e.msg, "readable by others (mode 0640): chmod 600"));
    chmod(path, 0600);
    /* a malformed line is refused without repeating it (it may hold a secret) */
    FILE *f = fopen(path, "a");
    fputs("mastodon https://m2.example access=SECRETVALUE bogus\n", f);
    fclose(f);
    assert_int_equal(cred_load(path, &back, &e), -1);
    assert_null(strstr(e.msg, "SECRETVALUE"));
    assert_non_null(strstr(e.msg, ":4: malformed line"));
    assert_true(cred_token_ok("abc-DEF_123.x~", 64));
    assert_false(cred_token_ok("a b", 64));
    assert_false(cred_token_ok("a\r\nX-Injected: 1", 64));
    assert_false(cred_token_ok("", 64));
    assert_false(cred_token_ok("abcdef", 4));
    unlink(path);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    rmdir(sub);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ytdlp_video),
        cmocka_unit_test(test_ytdlp_playlist_and_errors),
        cmocka_unit_test(test_ytdlp_argv),
        cmocka_unit_test(test_sora),
        cmocka_unit_test(test_x),
        cmocka_unit_test(test_video_pages_pick_ytdlp),
        cmocka_unit_test(test_timeline_refusals),
        cmocka_unit_test(test_credentials_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
