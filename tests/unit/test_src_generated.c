/* SPDX-License-Identifier: ISC */
/* The sources with no real capture in the fixtures (Hacker News, Invidious, single links), on
 * documents generated here in the shapes their APIs and pages document, plus the shapes the
 * captures happen not to contain for the others (a boost, a content warning, an audio post, a
 * Bluesky bot and AI label, a Reddit crosspost and gallery, a Lemmy video). */
#include "srcutil.h"

#include "date.h"

#define run_parse_s(r, src, doc, ...) run_parse(r, src, doc, strlen(doc), __VA_ARGS__)

static void parse_str(struct run *r, const struct source *src, const char *doc, const char *user_url,
                      const char *fetch_url, const char *stage, const char *ctype)
{
    run_parse(r, src, doc, strlen(doc), user_url, fetch_url, stage, ctype);
    if (r->rc != 0) fail_msg("%s: %s", src->name, r->e.msg);
    assert_items_sane(&r->s);
}

/* ---- Hacker News ------------------------------------------------------------------------------ */

static void test_hn_list(void **state)
{
    (void)state;
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "[");
    for (int i = 0; i < 500; i++) sb_printf(&b, "%s%d", i ? "," : "", 40000000 - i);
    sb_adds(&b, "]");
    struct run r;
    parse_str(&r, &source_hackernews, b.s, "https://news.ycombinator.com/",
              "https://hacker-news.firebaseio.com/v0/topstories.json", NULL, "application/json");
    assert_int_equal(r.s.n, 0);
    assert_int_equal(r.s.n_follows, 30);   /* one page, the first 30 */
    assert_string_equal(r.s.follows[0].url, "https://hacker-news.firebaseio.com/v0/item/40000000.json");
    assert_string_equal(r.s.follows[0].skip_guid, "https://news.ycombinator.com/item?id=40000000");
    assert_string_equal(r.s.follows[29].url, "https://hacker-news.firebaseio.com/v0/item/39999971.json");
    assert_true(r.s.follows[0].optional);
    assert_false(r.s.follows[0].endpoint);
    assert_string_equal(r.s.meta.title, "Hacker News: top");
    run_free(&r);

    /* max-items is the page; a test server's prefix is kept */
    item_sink_init(&r.s);
    struct subscription sub = {.url = "http://127.0.0.1:9/hn/v0/newstories.json",
                               .fetch_url = "http://127.0.0.1:9/hn/v0/newstories.json", .max_items = 5};
    struct error e = {{0}};
    assert_int_equal(source_hackernews.parse(b.s, b.len, &sub, &r.s, &e), 0);
    assert_int_equal(r.s.n_follows, 5);
    assert_string_equal(r.s.follows[4].url, "http://127.0.0.1:9/hn/v0/item/39999996.json");
    assert_string_equal(r.s.meta.title, "Hacker News: new");
    run_free(&r);
    sb_free(&b);

    parse_str(&r, &source_hackernews, "{\"id\":\"pg\",\"created\":1160418092,\"karma\":157236,\"submitted\":[8863,121003]}",
              "https://news.ycombinator.com/user?id=pg", "https://hacker-news.firebaseio.com/v0/user/pg.json", NULL, NULL);
    assert_int_equal(r.s.n_follows, 2);
    assert_string_equal(r.s.follows[1].url, "https://hacker-news.firebaseio.com/v0/item/121003.json");
    run_free(&r);
}

static void test_hn_items(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{\"by\":\"dhouston\",\"descendants\":71,\"id\":8863,\"kids\":[9224,8917],\"score\":104,\"time\":1175714200,"
        "\"title\":\"My YC app: Dropbox - Throw away your USB drive\",\"type\":\"story\","
        "\"url\":\"http://www.getdropbox.com/u/2/screencast.html\"}",
        "{\"by\":\"tel\",\"descendants\":16,\"id\":121003,\"score\":25,\"text\":\"<i>or</i> HN: the Next Iteration<p>"
        "I get the impression that with Arc being released a lot of people who never had time for HN before\",\"time\":1203647620,"
        "\"title\":\"Ask HN: The Arc Effect\",\"type\":\"story\"}",
        "{\"by\":\"justin\",\"id\":192327,\"score\":6,\"text\":\"Justin.tv is the biggest live video site online.\","
        "\"time\":1210981217,\"title\":\"Justin.tv is looking for a Lead Flash Engineer!\",\"type\":\"job\",\"url\":\"\"}",
        "{\"id\":2921983,\"deleted\":true,\"type\":\"comment\",\"time\":1314211127}",
        "{\"by\":\"norvig\",\"id\":2921984,\"parent\":2921506,\"text\":\"Aw shucks, guys ... you make me blush with your "
        "compliments.<p>Tell you what, Ill make a deal\",\"time\":1314211127,\"type\":\"comment\"}",
    };
    struct item_sink s;
    item_sink_init(&s);
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        struct subscription sub = {.url = "https://news.ycombinator.com/", .stage = "item",
                                   .fetch_url = "https://hacker-news.firebaseio.com/v0/item/1.json"};
        struct error e = {{0}};
        assert_int_equal(source_hackernews.parse(docs[i], strlen(docs[i]), &sub, &s, &e), 0);
    }
    assert_items_sane(&s);
    assert_int_equal(s.n, 4);   /* the deleted one is not an item */
    const struct item *dropbox = &s.items[0];
    assert_string_equal(dropbox->title, "My YC app: Dropbox - Throw away your USB drive");
    assert_string_equal(dropbox->url, "http://www.getdropbox.com/u/2/screencast.html");
    assert_string_equal(dropbox->guid, "https://news.ycombinator.com/item?id=8863");
    assert_string_equal(dropbox->author, "dhouston");
    assert_string_equal(dropbox->author_url, "https://news.ycombinator.com/user?id=dhouston");
    assert_int_equal(dropbox->published, 1175714200);
    assert_string_equal(dropbox->platform, "hackernews");
    assert_string_equal(dropbox->host, "news.ycombinator.com");
    char buf[256];
    assert_string_equal(extra_str_of(dropbox, "comments_url", buf, sizeof buf), "https://news.ycombinator.com/item?id=8863");
    assert_non_null(strstr(dropbox->extra, "\"score\":104"));
    const struct item *ask = &s.items[1];
    assert_string_equal(ask->url, "https://news.ycombinator.com/item?id=121003");
    assert_true(starts_with(ask->summary, "or HN: the Next Iteration\n"));
    /* a comment has no title: its first line stands in */
    assert_true(starts_with(s.items[3].title, "Aw shucks"));
    item_sink_free(&s);

    struct run r;
    run_parse(&r, &source_hackernews, "null", 4, "https://news.ycombinator.com/item?id=1",
              "https://hacker-news.firebaseio.com/v0/item/1.json", NULL, NULL);
    assert_clear_error(&r);
    run_free(&r);
}

/* ---- Invidious -------------------------------------------------------------------------------- */

#define INV_VIDEO(id, title, pub, len)                                                                     \
    "{\"type\":\"video\",\"title\":\"" title "\",\"videoId\":\"" id "\",\"author\":\"Kurzgesagt \\u2013 In a Nutshell\"," \
    "\"authorId\":\"UCsXVk37bltHxD1rDPwtNM8Q\",\"authorUrl\":\"/channel/UCsXVk37bltHxD1rDPwtNM8Q\","          \
    "\"authorVerified\":true,\"videoThumbnails\":["                                                          \
    "{\"quality\":\"maxres\",\"url\":\"https://inv.example/vi/" id "/maxres.jpg\",\"width\":1280,\"height\":720}," \
    "{\"quality\":\"high\",\"url\":\"/vi/" id "/hqdefault.jpg\",\"width\":480,\"height\":360},"                 \
    "{\"quality\":\"default\",\"url\":\"/vi/" id "/mqdefault.jpg\",\"width\":320,\"height\":180}],"           \
    "\"description\":\"A description.\",\"descriptionHtml\":\"A <b>description</b>.\",\"viewCount\":1234567," \
    "\"published\":" #pub ",\"publishedText\":\"2 days ago\",\"lengthSeconds\":" #len ",\"liveNow\":false,"     \
    "\"premium\":false,\"isUpcoming\":false}"

static void check_inv_video(const struct item *it, const char *origin)
{
    assert_string_equal(it->platform, "invidious");
    assert_true(starts_with(it->guid, "yt:video:"));
    assert_true(starts_with(it->url, origin));
    assert_true(strstr(it->url, "/watch?v=") != NULL);
    assert_true(starts_with(it->media_url, "https://www.youtube.com/watch?v="));
    assert_string_equal(it->media_type, "page");
    assert_true(starts_with(it->thumb_url, origin));   /* relative paths made absolute */
    assert_int_equal(it->thumb_w, 480);
    assert_int_equal(it->thumb_h, 360);
    assert_string_equal(it->author_url, "https://yewtu.be/channel/UCsXVk37bltHxD1rDPwtNM8Q");
    assert_true(extra_has(it, "verified"));
}

static void test_invidious(void **state)
{
    (void)state;
    const char *popular = "[" INV_VIDEO("zg40FHOAqC0", "Jupiter Made Earth Possible", 1769094102, 61) ","
                          INV_VIDEO("W_S7iKZZdHw", "The Oliver Mackenzie Collection", 1735747644, 1830) "]";
    struct run r;
    parse_str(&r, &source_invidious, popular, "https://yewtu.be/feed/popular", "https://yewtu.be/api/v1/popular",
              NULL, "application/json");
    assert_int_equal(r.s.n, 2);
    check_inv_video(&r.s.items[0], "https://yewtu.be/");
    assert_string_equal(r.s.items[0].title, "Jupiter Made Earth Possible");
    assert_string_equal(r.s.items[0].url, "https://yewtu.be/watch?v=zg40FHOAqC0");
    assert_string_equal(r.s.items[0].summary, "A description.");
    assert_int_equal(r.s.items[0].published, 1769094102);
    assert_int_equal(r.s.items[1].media_duration, 1830);
    assert_string_equal(r.s.items[0].host, "yewtu.be");
    run_free(&r);

    /* a channel's page of videos (newer instances wrap the list) and a playlist */
    const char *channel = "{\"videos\":[" INV_VIDEO("zg40FHOAqC0", "Jupiter", 1769094102, 61) "],\"continuation\":\"x\"}";
    parse_str(&r, &source_invidious, channel, "https://yewtu.be/channel/UCsXVk37bltHxD1rDPwtNM8Q",
              "https://yewtu.be/api/v1/channels/UCsXVk37bltHxD1rDPwtNM8Q/videos", NULL, NULL);
    assert_int_equal(r.s.n, 1);
    check_inv_video(&r.s.items[0], "https://yewtu.be/");
    run_free(&r);
    const char *playlist = "{\"type\":\"playlist\",\"title\":\"Kurzgesagt Classics\",\"playlistId\":\"PLx\","
                           "\"videos\":[" INV_VIDEO("zg40FHOAqC0", "Jupiter", 1769094102, 61) "]}";
    parse_str(&r, &source_invidious, playlist, "https://yewtu.be/playlist?list=PLx", "https://yewtu.be/api/v1/playlists/PLx",
              NULL, NULL);
    assert_int_equal(r.s.n, 1);
    assert_string_equal(r.s.meta.title, "Kurzgesagt Classics");
    run_free(&r);

    /* a search mixes in channels and playlists, which are not videos */
    const char *search = "[{\"type\":\"channel\",\"author\":\"Kurzgesagt\",\"authorId\":\"UCsXVk37bltHxD1rDPwtNM8Q\"},"
                         "{\"type\":\"playlist\",\"title\":\"P\",\"playlistId\":\"PLy\",\"videos\":[]},"
                         INV_VIDEO("zg40FHOAqC0", "Jupiter", 1769094102, 61) "]";
    parse_str(&r, &source_invidious, search, "https://yewtu.be/search?q=jupiter", "https://yewtu.be/api/v1/search?q=jupiter",
              NULL, NULL);
    assert_int_equal(r.s.n, 1);
    run_free(&r);

    /* a handle resolves to its channel, and that endpoint is remembered */
    parse_str(&r, &source_invidious, "{\"ucid\":\"UCsXVk37bltHxD1rDPwtNM8Q\",\"pageType\":\"WEB_PAGE_TYPE_CHANNEL\"}",
              "https://yewtu.be/@kurzgesagt", "https://yewtu.be/api/v1/resolveurl?url=x", NULL, NULL);
    assert_int_equal(r.s.n_follows, 1);
    assert_string_equal(r.s.follows[0].url, "https://yewtu.be/api/v1/channels/UCsXVk37bltHxD1rDPwtNM8Q/videos");
    assert_true(r.s.follows[0].endpoint);
    run_free(&r);
    run_parse_s(&r, &source_invidious, "{\"error\":\"This channel does not exist.\"}", "https://yewtu.be/channel/x",
              NULL, NULL, NULL);
    assert_clear_error(&r);
    assert_non_null(strstr(r.e.msg, "does not exist"));
    run_free(&r);
}

/* ---- single links ----------------------------------------------------------------------------- */

static void test_link_page(void **state)
{
    (void)state;
    const char *page =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        "<title>Fallback title</title>"
        "<meta property=\"og:title\" content=\"A corgi surfs a wave at sunset\">"
        "<meta property=\"og:description\" content=\"Made with Sora. &amp; shared.\">"
        "<meta property=\"og:image\" content=\"/thumb/abc.jpg\">"
        "<meta property=\"og:image:width\" content=\"1280\"><meta property=\"og:image:height\" content=\"720\">"
        "<meta property=\"og:video\" content=\"https://videos.example/abc.mp4\">"
        "<meta property=\"og:video:type\" content=\"video/mp4\">"
        "<meta property=\"og:video:width\" content=\"1920\"><meta property=\"og:video:height\" content=\"1080\">"
        "<meta property=\"og:site_name\" content=\"Sora\"><meta property=\"og:type\" content=\"video.other\">"
        "<meta property=\"og:url\" content=\"https://sora.chatgpt.com/p/s_abc\">"
        "<meta property=\"article:author\" content=\"https://sora.chatgpt.com/profile/someone\">"
        "<meta name=\"author\" content=\"Some One\">"
        "<meta property=\"article:published_time\" content=\"2025-10-01T12:00:00Z\">"
        "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"/oembed?url=https%3A%2F%2Fsora.chatgpt.com%2Fp%2Fs_abc\">"
        "</head><body><meta property=\"og:title\" content=\"late\"><p>text</p></body></html>";
    struct run r;
    parse_str(&r, &source_link, page, "https://sora.chatgpt.com/p/s_abc?share=1", "https://sora.chatgpt.com/p/s_abc?share=1",
              NULL, "text/html; charset=utf-8");
    assert_int_equal(r.s.n, 1);
    const struct item *it = &r.s.items[0];
    assert_string_equal(it->guid, "https://sora.chatgpt.com/p/s_abc?share=1");
    assert_string_equal(it->url, "https://sora.chatgpt.com/p/s_abc");
    assert_string_equal(it->title, "A corgi surfs a wave at sunset");
    assert_string_equal(it->summary, "Made with Sora. & shared.");
    assert_string_equal(it->thumb_url, "https://sora.chatgpt.com/thumb/abc.jpg");
    assert_int_equal(it->thumb_w, 1280);
    assert_string_equal(it->media_url, "https://videos.example/abc.mp4");
    assert_string_equal(it->media_type, "video/mp4");
    assert_int_equal(it->media_w, 1920);
    assert_int_equal(it->media_h, 1080);
    assert_string_equal(it->author, "Some One");
    assert_string_equal(it->author_url, "https://sora.chatgpt.com/profile/someone");
    assert_int_equal(it->published, date_parse("2025-10-01T12:00:00Z"));
    assert_string_equal(it->platform, "link");
    assert_string_equal(it->host, "sora.chatgpt.com");
    char buf[256];
    assert_string_equal(extra_str_of(it, "site_name", buf, sizeof buf), "Sora");
    /* Sora hosts only generated video: that is what the site is, not what anybody disclosed */
    assert_false(extra_has(it, "synthetic_media"));
    assert_false(extra_has(it, "ai_label"));
    assert_string_equal(extra_str_of(it, "platform_nature", buf, sizeof buf), "Sora generates every video");
    assert_int_equal(r.s.n_follows, 1);
    assert_string_equal(r.s.follows[0].stage, "oembed");
    assert_string_equal(r.s.follows[0].url, "https://sora.chatgpt.com/oembed?url=https%3A%2F%2Fsora.chatgpt.com%2Fp%2Fs_abc");
    assert_true(r.s.follows[0].optional);

    /* the oEmbed answer fills in what the page left out, in the same item */
    struct subscription sub = {.url = "https://sora.chatgpt.com/p/s_abc?share=1", .stage = "oembed"};
    struct error e = {{0}};
    const char *oe = "{\"type\":\"video\",\"version\":\"1.0\",\"author_name\":\"someone\",\"provider_name\":\"Sora\","
                     "\"thumbnail_url\":\"https://x/t.jpg\",\"thumbnail_width\":640,\"thumbnail_height\":360}";
    assert_int_equal(source_link.parse(oe, strlen(oe), &sub, &r.s, &e), 0);
    assert_int_equal(r.s.n, 1);
    assert_string_equal(r.s.items[0].author, "Some One");                 /* the page's own wins */
    assert_string_equal(r.s.items[0].thumb_url, "https://sora.chatgpt.com/thumb/abc.jpg");
    run_free(&r);

    /* an X link: the page tells a plain client nothing; oEmbed (publish.twitter.com) does */
    parse_str(&r, &source_link, "<html><head><title></title></head><body><noscript>JS</noscript></body></html>",
              "https://x.com/NASA/status/1837541412541624549", NULL, NULL, "text/html");
    assert_int_equal(r.s.n, 1);
    assert_int_equal(r.s.n_follows, 1);
    assert_string_equal(r.s.follows[0].url, "https://publish.twitter.com/oembed?omit_script=1&url="
                                            "https%3A%2F%2Fx.com%2FNASA%2Fstatus%2F1837541412541624549");
    sub.url = "https://x.com/NASA/status/1837541412541624549";
    oe = "{\"url\":\"https://twitter.com/NASA/status/1837541412541624549\",\"author_name\":\"NASA\","
         "\"author_url\":\"https://twitter.com/NASA\",\"html\":\"<blockquote class=\\\"twitter-tweet\\\"><p lang=\\\"en\\\">"
         "Liftoff! The crew is on its way.</p>&mdash; NASA (@NASA) <a href=\\\"x\\\">September 20, 2024</a></blockquote>\","
         "\"provider_name\":\"Twitter\",\"type\":\"rich\"}";
    assert_int_equal(source_link.parse(oe, strlen(oe), &sub, &r.s, &e), 0);
    assert_int_equal(r.s.n, 1);
    assert_string_equal(r.s.items[0].author, "NASA");
    assert_string_equal(r.s.items[0].author_url, "https://twitter.com/NASA");
    assert_string_equal(r.s.items[0].author_handle, "@NASA");   /* the account, for the badge */
    assert_true(starts_with(r.s.items[0].title, "Liftoff! The crew is on its way."));
    assert_string_equal(extra_str_of(&r.s.items[0], "site_name", buf, sizeof buf), "Twitter");
    assert_items_sane(&r.s);
    run_free(&r);
}

static void test_link_kinds(void **state)
{
    (void)state;
    struct run r;
    /* an embedded player: the page is what mpv plays */
    parse_str(&r, &source_link,
              "<html><head><meta property=\"og:title\" content=\"Jupiter\"><meta property=\"og:video:url\" "
              "content=\"https://www.youtube.com/embed/zg40FHOAqC0\"><meta property=\"og:video:type\" content=\"text/html\">"
              "</head></html>",
              "https://www.youtube.com/watch?v=zg40FHOAqC0", NULL, NULL, "text/html");
    assert_string_equal(r.s.items[0].media_url, "https://www.youtube.com/watch?v=zg40FHOAqC0");
    assert_string_equal(r.s.items[0].media_type, "page");
    run_free(&r);

    /* the URL is a video file: one item with that media, nothing parsed */
    run_parse(&r, &source_link, "\x00\x00\x00\x18" "ftypmp42", 12, "https://cdn.example/clip.mp4", NULL, NULL, "video/mp4");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.s.items[0].media_url, "https://cdn.example/clip.mp4");
    assert_string_equal(r.s.items[0].media_type, "video/mp4");
    assert_string_equal(r.s.items[0].title, "clip.mp4");
    run_free(&r);
    run_parse(&r, &source_link, "\x89PNG", 4, "https://cdn.example/a.png", NULL, NULL, "image/png");
    assert_string_equal(r.s.items[0].thumb_url, "https://cdn.example/a.png");
    assert_null(r.s.items[0].media_url);
    run_free(&r);

    /* a page in windows-1252 that says so */
    parse_str(&r, &source_link,
              "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
              "<title>Caf\xe9 \x93quoted\x94</title></head></html>",
              "https://old.example/page", NULL, NULL, "text/html");
    assert_string_equal(r.s.items[0].title, "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d");
    run_free(&r);

    /* Twitter card only, and a page that calls itself AI-generated */
    parse_str(&r, &source_link,
              "<html><head><meta name=\"twitter:title\" content=\"Card\"><meta name=\"twitter:image\" content=\"https://i/x.jpg\">"
              "<meta name=\"twitter:player\" content=\"https://p/x\"><meta name=\"twitter:creator\" content=\"@someone\">"
              "<meta name=\"ai-generated\" content=\"true\"></head></html>",
              "https://cards.example/x", NULL, NULL, "text/html");
    assert_string_equal(r.s.items[0].title, "Card");
    assert_string_equal(r.s.items[0].thumb_url, "https://i/x.jpg");
    assert_string_equal(r.s.items[0].media_type, "page");
    assert_string_equal(r.s.items[0].author_handle, "@someone");
    assert_true(extra_has(&r.s.items[0], "synthetic_media"));
    run_free(&r);

    /* not a page at all */
    run_parse(&r, &source_link, "just some bytes", 15, "https://example.org/x", NULL, NULL, "application/octet-stream");
    assert_clear_error(&r);
    run_free(&r);
}

/* ---- shapes the captures lack ----------------------------------------------------------------- */

static void test_mastodon_shapes(void **state)
{
    (void)state;
    const char *doc =
        "[{\"id\":\"2\",\"created_at\":\"2025-01-02T00:00:00.000Z\",\"uri\":\"https://a.example/users/bob/statuses/2\","
        "\"url\":\"https://a.example/@bob/2\",\"content\":\"\",\"sensitive\":false,\"spoiler_text\":\"\","
        "\"account\":{\"id\":\"9\",\"acct\":\"bob\",\"display_name\":\"Bob\",\"url\":\"https://a.example/@bob\",\"bot\":false,\"fields\":[]},"
        "\"media_attachments\":[],\"card\":null,"
        "\"reblog\":{\"id\":\"1\",\"created_at\":\"2025-01-01T00:00:00.000Z\",\"uri\":\"https://b.example/users/ann/statuses/1\","
        "\"url\":\"https://b.example/@ann/1\",\"content\":\"<p>Original words</p>\",\"sensitive\":true,"
        "\"spoiler_text\":\"politics\",\"account\":{\"id\":\"8\",\"acct\":\"ann@b.example\",\"display_name\":\"Ann\","
        "\"url\":\"https://b.example/@ann\",\"bot\":true,\"fields\":[]},"
        "\"media_attachments\":[{\"id\":\"5\",\"type\":\"audio\",\"url\":\"https://b.example/a.mp3\",\"preview_url\":null,"
        "\"meta\":{\"original\":{\"duration\":184.5}},\"description\":\"a song\"}],\"card\":null}},"
        "{\"id\":\"3\",\"created_at\":\"2025-01-03T00:00:00.000Z\",\"uri\":\"https://a.example/users/bob/statuses/3\","
        "\"url\":\"https://a.example/@bob/3\",\"content\":\"<p>Look</p>\",\"sensitive\":false,\"spoiler_text\":\"\","
        "\"account\":{\"id\":\"9\",\"acct\":\"bob\",\"display_name\":\"\",\"username\":\"bob\",\"url\":\"https://a.example/@bob\"},"
        "\"media_attachments\":[],\"reblog\":null,\"card\":{\"url\":\"https://www.youtube.com/watch?v=zg40FHOAqC0\","
        "\"title\":\"Jupiter\",\"type\":\"video\",\"image\":\"https://a.example/c.jpg\",\"width\":400,\"height\":225}}]";
    struct run r;
    parse_str(&r, &source_mastodon, doc, "https://a.example/@bob", "https://a.example/api/v1/accounts/9/statuses",
              "statuses", "application/json");
    assert_int_equal(r.s.n, 2);
    const struct item *boost = &r.s.items[0];
    assert_string_equal(boost->author, "Ann");                          /* the original author */
    assert_string_equal(boost->author_handle, "@ann@b.example");
    assert_true(boost->author_bot);
    assert_string_equal(boost->guid, "https://b.example/users/ann/statuses/1");
    assert_int_equal(boost->published, date_parse("2025-01-02T00:00:00Z"));   /* when it was boosted */
    char buf[256];
    assert_string_equal(extra_str_of(boost, "boosted_by", buf, sizeof buf), "Bob (@bob@a.example)");
    assert_string_equal(boost->title, "CW: politics");                 /* the warning, not the text */
    assert_string_equal(extra_str_of(boost, "spoiler_text", buf, sizeof buf), "politics");
    assert_true(extra_has(boost, "sensitive"));
    assert_string_equal(boost->labels, "sensitive@platform");
    assert_string_equal(boost->media_url, "https://b.example/a.mp3");
    assert_string_equal(boost->media_type, "audio/mpeg");
    assert_int_equal(boost->media_duration, 185);
    assert_string_equal(extra_str_of(boost, "media_kind", buf, sizeof buf), "audio");
    assert_string_equal(boost->host, "b.example");
    const struct item *card = &r.s.items[1];
    assert_string_equal(card->author, "bob");
    assert_string_equal(card->media_url, "https://www.youtube.com/watch?v=zg40FHOAqC0");
    assert_string_equal(card->media_type, "page");
    assert_string_equal(card->thumb_url, "https://a.example/c.jpg");
    assert_int_equal(card->thumb_w, 400);
    run_free(&r);

    run_parse_s(&r, &source_mastodon, "{\"error\":\"Record not found\"}", "https://a.example/@x", NULL, NULL, NULL);
    assert_clear_error(&r);
    assert_non_null(strstr(r.e.msg, "Record not found"));
    run_free(&r);
}

static void test_bluesky_shapes(void **state)
{
    (void)state;
    const char *doc =
        "{\"feed\":[{\"post\":{\"uri\":\"at://did:plc:bot/app.bsky.feed.post/3k1\",\"cid\":\"c\","
        "\"author\":{\"did\":\"did:plc:bot\",\"handle\":\"newsbot.example\",\"displayName\":\"News Bot\","
        "\"labels\":[{\"src\":\"did:plc:bot\",\"uri\":\"at://did:plc:bot/app.bsky.actor.profile/self\",\"val\":\"bot\"}],"
        "\"verification\":{\"verifications\":[],\"verifiedStatus\":\"none\",\"trustedVerifierStatus\":\"none\"}},"
        "\"record\":{\"$type\":\"app.bsky.feed.post\",\"createdAt\":\"2025-01-01T00:00:00Z\",\"text\":\"Line one\\nLine two\"},"
        "\"labels\":[{\"src\":\"did:plc:labeller\",\"uri\":\"at://did:plc:bot/app.bsky.feed.post/3k1\",\"val\":\"ai-imagery\"},"
        "{\"src\":\"did:plc:labeller\",\"uri\":\"x\",\"val\":\"spam\",\"neg\":true}],"
        "\"indexedAt\":\"2025-01-01T00:00:01Z\"},"
        "\"reply\":{\"root\":{},\"parent\":{\"author\":{\"handle\":\"ann.example\",\"displayName\":\"Ann\"}}},"
        "\"reason\":{\"$type\":\"app.bsky.feed.defs#reasonRepost\",\"by\":{\"handle\":\"bob.example\",\"displayName\":\"Bob\"},"
        "\"indexedAt\":\"2025-01-05T00:00:00Z\"}}]}";
    struct run r;
    parse_str(&r, &source_bluesky, doc, "https://bsky.app/profile/bob.example", NULL, NULL, NULL);
    assert_int_equal(r.s.n, 1);
    const struct item *it = &r.s.items[0];
    assert_true(it->author_bot);
    assert_string_equal(it->labels, "bot@self,ai-imagery@did:plc:labeller");   /* the negated one is gone */
    char buf[256];
    assert_string_equal(extra_str_of(it, "ai_label", buf, sizeof buf), "ai-imagery@did:plc:labeller");
    assert_false(extra_has(it, "verified"));
    assert_string_equal(extra_str_of(it, "boosted_by", buf, sizeof buf), "Bob (@bob.example)");
    assert_string_equal(extra_str_of(it, "reply_to", buf, sizeof buf), "Ann (@ann.example)");
    assert_int_equal(it->published, date_parse("2025-01-05T00:00:00Z"));
    assert_string_equal(it->title, "Line one");
    assert_string_equal(it->url, "https://bsky.app/profile/newsbot.example/post/3k1");
    run_free(&r);

    /* a single post (getPostThread) */
    parse_str(&r, &source_bluesky,
              "{\"thread\":{\"$type\":\"app.bsky.feed.defs#threadViewPost\",\"post\":{\"uri\":\"at://did:plc:a/app.bsky.feed.post/1\","
              "\"author\":{\"did\":\"did:plc:a\",\"handle\":\"a.example\"},\"record\":{\"text\":\"hi\"},\"indexedAt\":\"2025-01-01T00:00:00Z\"}}}",
              "https://bsky.app/profile/did:plc:a/post/1", NULL, NULL, NULL);
    assert_int_equal(r.s.n, 1);
    assert_string_equal(r.s.items[0].author, "a.example");
    run_free(&r);
    run_parse_s(&r, &source_bluesky, "{\"error\":\"InvalidRequest\",\"message\":\"Profile not found\"}",
              "https://bsky.app/profile/x.example", NULL, NULL, NULL);
    assert_clear_error(&r);
    assert_non_null(strstr(r.e.msg, "Profile not found"));
    run_free(&r);
}

static void test_reddit_shapes(void **state)
{
    (void)state;
    /* fetched without raw_json: "&amp;" in URLs and text is undone */
    const char *doc =
        "{\"kind\":\"Listing\",\"data\":{\"children\":[{\"kind\":\"t3\",\"data\":{\"title\":\"Fish &amp; chips\","
        "\"permalink\":\"/r/food/comments/1/fish/\",\"author\":\"cook\",\"created_utc\":1700000000.0,\"is_self\":false,"
        "\"url\":\"https://www.reddit.com/gallery/1\",\"is_gallery\":true,\"gallery_data\":{\"items\":[{\"media_id\":\"m1\"}]},"
        "\"media_metadata\":{\"m1\":{\"status\":\"valid\",\"p\":[{\"y\":108,\"x\":108,\"u\":\"https://preview.redd.it/m1.jpg?width=108&amp;s=a\"},"
        "{\"y\":320,\"x\":320,\"u\":\"https://preview.redd.it/m1.jpg?width=320&amp;s=b\"}],\"s\":{\"y\":999,\"x\":999,"
        "\"u\":\"https://preview.redd.it/m1.jpg?s=c\"}}},\"over_18\":false,\"spoiler\":false,\"link_flair_text\":\"Recipe &amp; more\"}},"
        "{\"kind\":\"t3\",\"data\":{\"title\":\"Crossposted\",\"permalink\":\"/r/b/comments/2/x/\",\"author\":\"x\","
        "\"created_utc\":1700000001,\"crosspost_parent_list\":[{\"subreddit_name_prefixed\":\"r/a\",\"secure_media\":"
        "{\"reddit_video\":{\"hls_url\":\"https://v.redd.it/z/HLSPlaylist.m3u8?a=1&amp;b=2\",\"fallback_url\":"
        "\"https://v.redd.it/z/DASH_720.mp4\",\"duration\":12,\"width\":1280,\"height\":720}}}]}},"
        "{\"kind\":\"t1\",\"data\":{\"body\":\"a comment\"}}]}}";
    struct run r;
    parse_str(&r, &source_reddit, doc, "https://www.reddit.com/r/food/hot.json", "https://www.reddit.com/r/food/hot.json",
              NULL, NULL);
    assert_int_equal(r.s.n, 2);
    assert_string_equal(r.s.items[0].title, "Fish & chips");
    assert_string_equal(r.s.items[0].thumb_url, "https://preview.redd.it/m1.jpg?width=320&s=b");
    assert_int_equal(r.s.items[0].thumb_w, 320);
    char buf[256];
    assert_string_equal(extra_str_of(&r.s.items[0], "flair", buf, sizeof buf), "Recipe & more");
    assert_string_equal(r.s.items[1].media_url, "https://v.redd.it/z/HLSPlaylist.m3u8?a=1&b=2");
    assert_string_equal(extra_str_of(&r.s.items[1], "crosspost_from", buf, sizeof buf), "r/a");
    assert_string_equal(extra_str_of(&r.s.items[1], "video_from", buf, sizeof buf), "crosspost");
    assert_string_equal(r.s.meta.title, "r/food");
    run_free(&r);

    /* a post's page is [the post, its comments] */
    parse_str(&r, &source_reddit,
              "[{\"kind\":\"Listing\",\"data\":{\"children\":[{\"kind\":\"t3\",\"data\":{\"title\":\"Only me\","
              "\"permalink\":\"/r/x/comments/3/y/\",\"author\":\"z\",\"is_self\":true,\"selftext\":\"body\"}}]}},"
              "{\"kind\":\"Listing\",\"data\":{\"children\":[{\"kind\":\"t1\",\"data\":{}}]}}]",
              "https://www.reddit.com/r/x/comments/3/y/", NULL, NULL, NULL);
    assert_int_equal(r.s.n, 1);
    assert_string_equal(r.s.items[0].summary, "body");
    run_free(&r);
    run_parse_s(&r, &source_reddit, "{\"message\":\"Forbidden\",\"error\":403}", "https://www.reddit.com/r/x", NULL,
              NULL, NULL);
    assert_clear_error(&r);
    assert_non_null(strstr(r.e.msg, "Forbidden"));
    run_free(&r);
}

static void test_lemmy_shapes(void **state)
{
    (void)state;
    struct run r;
    parse_str(&r, &source_lemmy,
              "{\"post_view\":{\"post\":{\"id\":7,\"name\":\"A video\",\"url\":\"https://v.example/a.mp4\","
              "\"embed_video_url\":\"https://v.example/a.mp4\",\"thumbnail_url\":\"https://l.example/pictrs/t.jpg\","
              "\"nsfw\":true,\"ap_id\":\"https://l.example/post/7\",\"published\":\"2024-05-01T10:00:00.123456Z\"},"
              "\"creator\":{\"name\":\"bot1\",\"actor_id\":\"https://l.example/u/bot1\",\"bot_account\":true},"
              "\"community\":{\"name\":\"videos\",\"title\":\"Videos\",\"actor_id\":\"https://l.example/c/videos\"},"
              "\"counts\":{\"score\":5,\"comments\":2}},\"community_view\":{\"community\":{\"title\":\"Videos\","
              "\"actor_id\":\"https://l.example/c/videos\"}}}",
              "https://l.example/post/7", "https://l.example/api/v3/post?id=7", NULL, NULL);
    assert_int_equal(r.s.n, 1);
    const struct item *it = &r.s.items[0];
    assert_string_equal(it->media_url, "https://v.example/a.mp4");
    assert_string_equal(it->media_type, "video/mp4");
    assert_string_equal(it->thumb_url, "https://l.example/pictrs/t.jpg");
    assert_true(it->author_bot);
    assert_string_equal(it->labels, "nsfw@platform");
    assert_true(extra_has(it, "nsfw"));
    char buf[128];
    assert_string_equal(extra_str_of(it, "community", buf, sizeof buf), "!videos@l.example");
    assert_int_equal(it->published, date_parse("2024-05-01T10:00:00Z"));
    assert_string_equal(r.s.meta.title, "Videos");
    run_free(&r);
}

int main(void)
{
    /* the adapters as they are without yt-dlp, whatever this machine has installed (test_src_video
     * has them with it) */
    source_set_option("ytdlp-path", "/nonexistent/yt-dlp");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hn_list),         cmocka_unit_test(test_hn_items),
        cmocka_unit_test(test_invidious),       cmocka_unit_test(test_link_page),
        cmocka_unit_test(test_link_kinds),      cmocka_unit_test(test_mastodon_shapes),
        cmocka_unit_test(test_bluesky_shapes),  cmocka_unit_test(test_reddit_shapes),
        cmocka_unit_test(test_lemmy_shapes),
    };
    return cmocka_run_group_tests_name("generated source data", tests, NULL, NULL);
}
