/* SPDX-License-Identifier: ISC */
/* The feed parsers against every real RSS, Atom, YouTube and JSON Feed fixture, checked against the
 * facts in fixtures/feeds/expected.json (read at run time, so the test follows the file), plus
 * small synthetic documents for the formats and extensions the fixtures do not cover (RSS 1.0,
 * RSS 0.91 with its DTD, XHTML content, xml:base, windows-1251, iTunes durations) and the
 * registry. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "date.h"
#include "source.h"
#include "text.h"

/* ---- helpers ---------------------------------------------------------------------------------- */

/* White space folded and trimmed, as the sanitiser does to one-line fields. */
static char *norm(const char *s)
{
    char *r = malloc(strlen(s) + 1);
    size_t o = 0;
    int sp = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') { sp = 1; continue; }
        if (sp && o) r[o++] = ' ';
        sp = 0;
        r[o++] = *s;
    }
    r[o] = 0;
    return r;
}

static void assert_text_eq(const char *what, const char *got, const char *want)
{
    if (!got) fail_msg("%s: got NULL, want \"%s\"", what, want);
    char *a = norm(got), *b = norm(want);
    if (strcmp(a, b)) {
        fail_msg("%s: got \"%s\", want \"%s\"", what, a, b);
    }
    free(a);
    free(b);
}

static const char *api_jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int api_jint(const cJSON *o, const char *k, int dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valueint : dflt;
}

static int starts(const char *s, const char *p) { return s && !strncmp(s, p, strlen(p)); }

static void assert_clean_item(const struct item *it)
{
    const char *one_line[] = {it->guid, it->title, it->author, it->author_url, it->url, it->thumb_url,
                              it->media_url, it->media_type, it->platform, it->host, it->extra};
    for (size_t i = 0; i < sizeof one_line / sizeof one_line[0]; i++)
        if (one_line[i] && !text_is_clean(one_line[i], 0)) fail_msg("unclean field: \"%s\"", one_line[i]);
    if (it->summary && !text_is_clean(it->summary, TEXT_MULTILINE)) fail_msg("unclean summary");
    assert_non_null(it->guid);
    assert_non_null(it->title);
}

static int parse_body(const char *body, size_t len, const char *url, struct item_sink *s, struct error *e)
{
    struct subscription sub = {.url = url};
    return source_feed.parse(body, len, &sub, s, e);
}

/* ---- the real fixtures ------------------------------------------------------------------------ */

static void test_fixture(void **state)
{
    const cJSON *exp = *state;
    const char *rel = api_jstr(exp, "file");
    char path[512];
    snprintf(path, sizeof path, "feeds/%s", rel);
    size_t len = 0;
    char *body = fixture_read(path, &len);
    char url[600];
    snprintf(url, sizeof url, "https://fixtures.invalid/%s", rel);

    struct item_sink s;
    item_sink_init(&s);
    struct error e = {{0}};
    double t0 = now_ms();
    int rc = parse_body(body, len, url, &s, &e);
    double ms = now_ms() - t0;
    if (rc != 0) fail_msg("%s: %s", rel, e.msg);
    print_message("%s: %zu items in %.2f ms\n", rel, s.n, ms);

    const char *format = api_jstr(exp, "format");
    int is_json = !strcmp(format, "jsonfeed");
    int is_rss = !strcmp(format, "rss2.0");
    int is_yt = api_jint(exp, "items_with_yt_videoId", 0) > 0;

    assert_int_equal(s.n, api_jint(exp, "item_count", -1));
    assert_text_eq("feed title", s.meta.title, api_jstr(exp, "feed_title"));
    if (is_json) {
        const char *v = api_jstr(exp, "version");
        assert_string_equal(s.meta.format, strstr(v, "1.1") ? "jsonfeed1.1" : "jsonfeed1.0");
    } else {
        assert_string_equal(s.meta.format, format);
    }
    for (size_t i = 0; i < s.n; i++) assert_clean_item(&s.items[i]);

    const struct item *first = &s.items[0];
    const char *want_title = api_jstr(exp, "first_item_title");
    if (want_title) {
        assert_text_eq("first title", first->title, want_title);
    } else {
        /* no <title>: the first line of the text stands in */
        assert_non_null(first->title);
        assert_true(strlen(first->title) > 0 && strlen(first->title) <= 130 * 4);
        assert_non_null(first->summary);
        char *t = strdup(first->title);
        size_t n = strlen(t);
        if (n >= 3 && !strcmp(t + n - 3, "\xe2\x80\xa6")) t[n - 3] = 0;
        assert_true(starts(first->summary, t));
        free(t);
    }

    const char *want_link = api_jstr(exp, is_json ? "first_item_url" : "first_item_link");
    if (want_link) assert_text_eq("first link", first->url, want_link);
    const char *want_id = api_jstr(exp, "first_item_id");
    if (want_id) assert_text_eq("first id", first->guid, want_id);

    const char *want_pub = api_jstr(exp, is_json ? "first_item_date_published"
                                             : is_rss ? "first_item_pubDate" : "first_item_published");
    if (want_pub) {
        assert_true(date_parse(want_pub) > 0);
        assert_int_equal(first->published, date_parse(want_pub));
    }
    const char *want_upd = api_jstr(exp, "first_item_updated");
    if (want_upd) assert_int_equal(first->updated, date_parse(want_upd));

    size_t n_media = 0, n_audio = 0, n_video = 0, n_thumb = 0, n_dur = 0, n_media_or_thumb = 0,
           n_yt = 0, n_title = 0;
    for (size_t i = 0; i < s.n; i++) {
        const struct item *it = &s.items[i];
        n_media += it->media_url != NULL;
        n_audio += starts(it->media_type, "audio/");
        n_video += starts(it->media_type, "video/");
        n_thumb += it->thumb_url != NULL;
        n_dur += it->media_duration >= 0;
        n_media_or_thumb += it->media_url || it->thumb_url;
        n_yt += it->platform && !strcmp(it->platform, "youtube") && it->media_type &&
                !strcmp(it->media_type, "page");
        n_title += it->title != NULL;
        const char *want_platform = is_json ? "jsonfeed" : is_yt ? "youtube" : is_rss ? "rss" : "atom";
        assert_string_equal(it->platform, want_platform);
    }

    if (is_rss) {
        int enc = api_jint(exp, "items_with_enclosure", 0), mc = api_jint(exp, "items_with_media_content", 0);
        int thumbs = api_jint(exp, "items_with_thumbnail", 0);
        /* every enclosure shows up as the playable media or, for images, as the picture */
        assert_true(n_media_or_thumb >= (size_t)enc);
        const char *enc_url = api_jstr(exp, "first_item_enclosure_url");
        if (enc_url)
            assert_true((first->media_url && !strcmp(first->media_url, enc_url)) ||
                        (first->thumb_url && !strcmp(first->thumb_url, enc_url)));
        /* typeless enclosures get a type from their extension, so audio can only grow */
        int audio = api_jint(exp, "items_with_audio_enclosure", 0);
        assert_true(n_audio >= (size_t)audio);
        assert_true(n_audio <= (size_t)(enc > mc ? enc : mc));
        assert_int_equal(n_video, api_jint(exp, "items_with_video", 0));
        assert_true(n_thumb >= (size_t)thumbs);
        if (enc == 0 && mc == 0) assert_int_equal(n_thumb, thumbs);
        assert_true(n_dur >= (size_t)api_jint(exp, "items_with_itunes_duration", 0));
        assert_true(n_thumb >= (size_t)api_jint(exp, "items_with_media_thumbnail", 0));
    } else if (!is_json) {
        assert_int_equal(n_thumb, api_jint(exp, "items_with_media_thumbnail", 0));
        assert_int_equal(n_yt, api_jint(exp, "items_with_yt_videoId", 0));
        if (is_yt) {
            assert_int_equal(n_yt, api_jint(exp, "items_with_video", 0));
            char want[256];
            snprintf(want, sizeof want, "https://www.youtube.com/watch?v=%s", api_jstr(exp, "first_item_yt_videoId"));
            assert_string_equal(first->media_url, want);
            assert_string_equal(first->thumb_url, api_jstr(exp, "first_item_media_thumbnail_url"));
            assert_true(first->thumb_w > 0 && first->thumb_h > 0);
            assert_non_null(first->extra);
            snprintf(want, sizeof want, "\"videoId\":\"%s\"", api_jstr(exp, "first_item_yt_videoId"));
            assert_non_null(strstr(first->extra, want));
            assert_non_null(strstr(first->extra, api_jstr(exp, "yt_channelId")));
            assert_non_null(strstr(first->extra, "\"views\":"));
            cJSON *x = cJSON_Parse(first->extra);
            assert_non_null(x);
            cJSON_Delete(x);
        }
    } else {
        assert_int_equal(n_media, api_jint(exp, "items_with_attachments", 0));
        assert_int_equal(n_video, api_jint(exp, "items_with_video", 0));
        assert_true(n_thumb >= (size_t)api_jint(exp, "items_with_image", 0));
        assert_true(n_title >= (size_t)api_jint(exp, "items_with_title", 0));
        const cJSON *authors = cJSON_GetObjectItemCaseSensitive(exp, "has_authors_array");
        if (cJSON_IsTrue(authors)) assert_non_null(first->author);
    }

    item_sink_free(&s);
    free(body);
}

/* ---- synthetic documents ---------------------------------------------------------------------- */

struct parsed {
    struct item_sink s;
    struct error e;
    int rc;
};

static void parse_str(struct parsed *p, const char *doc, const char *url)
{
    item_sink_init(&p->s);
    memset(&p->e, 0, sizeof p->e);
    p->rc = parse_body(doc, strlen(doc), url, &p->s, &p->e);
}

static void test_rss1_rdf(void **state)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\""
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        " <channel rdf:about=\"http://example.com/\"><title>RDF Site</title><link>http://example.com/</link>"
        "  <items><rdf:Seq><rdf:li resource=\"http://example.com/a\"/></rdf:Seq></items></channel>\n"
        " <item rdf:about=\"http://example.com/a\"><title>First &amp; best</title><link>/a</link>"
        "  <description>Hello &lt;b&gt;world&lt;/b&gt;</description><dc:creator>Ann</dc:creator>"
        "  <dc:date>2020-01-02T03:04:05Z</dc:date></item>\n"
        " <item rdf:about=\"http://example.com/b\"><title>Second</title><link>b/c</link></item>\n"
        "</rdf:RDF>\n";
    struct parsed p;
    parse_str(&p, doc, "https://feeds.example/rdf");
    assert_int_equal(p.rc, 0);
    assert_string_equal(p.s.meta.format, "rss1.0");
    assert_string_equal(p.s.meta.title, "RDF Site");
    assert_int_equal(p.s.n, 2);
    assert_string_equal(p.s.items[0].title, "First & best");
    assert_string_equal(p.s.items[0].url, "https://feeds.example/a");   /* relative to the document */
    assert_string_equal(p.s.items[0].summary, "Hello world");
    assert_string_equal(p.s.items[0].author, "Ann");
    assert_int_equal(p.s.items[0].published, 1577934245);
    assert_string_equal(p.s.items[1].url, "https://feeds.example/b/c");
    item_sink_free(&p.s);
}

/* RSS 0.91 with the Netscape DTD (never fetched) and HTML entities it would have declared. */
static void test_rss091_dtd_entities(void **state)
{
    const char *doc =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
        "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" "
        "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n"
        "<rss version=\"0.91\"><channel><title>Old &eacute;cole</title><link>http://old.example/</link>\n"
        "<item><title>Caf&eacute; \xe9t\xe9</title><link>http://old.example/1</link>"
        "<description>Na&iuml;ve</description></item>\n</channel></rss>\n";
    struct parsed p;
    parse_str(&p, doc, NULL);
    assert_int_equal(p.rc, 0);
    assert_string_equal(p.s.meta.format, "rss0.9x");
    assert_string_equal(p.s.meta.title, "Old \xc3\xa9" "cole");
    assert_int_equal(p.s.n, 1);
    assert_string_equal(p.s.items[0].title, "Caf\xc3\xa9 \xc3\xa9t\xc3\xa9");    /* Latin-1 decoded */
    assert_string_equal(p.s.items[0].summary, "Na\xc3\xafve");
    item_sink_free(&p.s);
}

/* HTML entities without any DTD are not XML, but common: the parse is retried leniently. */
static void test_undeclared_entities(void **state)
{
    const char *doc =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<rss version=\"2.0\"><channel><title>Feed</title><link>http://b.example/</link>\n"
        "<item><title>It&rsquo;s here</title><link>http://b.example/1</link></item>\n</channel></rss>\n";
    struct parsed p;
    parse_str(&p, doc, NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.s.n, 1);
    assert_string_equal(p.s.items[0].title, "It\xe2\x80\x99s here");
    item_sink_free(&p.s);

    parse_str(&p, "<rss version=\"2.0\"><channel><item><title>&nosuch;</title></item></channel></rss>", NULL);
    assert_int_equal(p.rc, 0);              /* unknown names are dropped, the item stays */
    assert_int_equal(p.s.n, 1);
    item_sink_free(&p.s);
}

static void test_atom_xhtml_base(void **state)
{
    const char *doc =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://x.example/blog/\">\n"
        " <title type=\"html\">X &lt;i&gt;blog&lt;/i&gt;</title><link href=\"./\"/>\n"
        " <author><name>Feed Author</name></author>\n"
        " <entry><title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">A <b>bold</b> title</div></title>\n"
        "  <link rel=\"self\" href=\"/self\"/><link href=\"posts/1\" rel=\"alternate\"/><link href=\"posts/1b\"/>\n"
        "  <link rel=\"enclosure\" href=\"../media/ep1.mp3\" length=\"1234\" type=\"audio/mpeg\"/>\n"
        "  <id>urn:x:1</id><updated>2021-05-06T07:08:09+02:00</updated>\n"
        "  <content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Para 1 &lt;not a tag&gt;</p>"
        "<p>Para <img alt=\"pic\" src=\"p.png\"/> 2</p></div></content>\n"
        " </entry>\n"
        " <entry><title>Text &amp; title</title><link href=\"//cdn.example/x\"/>"
        "<author><name>Entry Author</name><uri>/about</uri></author>"
        "<published>2021-01-01T00:00:00Z</published>"
        "<summary>plain &lt;b&gt; text</summary></entry>\n"
        "</feed>\n";
    struct parsed p;
    parse_str(&p, doc, "https://elsewhere.example/feed");
    assert_int_equal(p.rc, 0);
    assert_string_equal(p.s.meta.format, "atom1.0");
    assert_string_equal(p.s.meta.title, "X blog");
    assert_string_equal(p.s.meta.link, "http://x.example/blog/");
    assert_int_equal(p.s.n, 2);
    const struct item *a = &p.s.items[0], *b = &p.s.items[1];
    assert_string_equal(a->title, "A bold title");
    assert_string_equal(a->url, "http://x.example/blog/posts/1");    /* first alternate wins */
    assert_string_equal(a->guid, "urn:x:1");
    assert_string_equal(a->author, "Feed Author");                    /* inherited from the feed */
    assert_string_equal(a->media_url, "http://x.example/media/ep1.mp3");
    assert_string_equal(a->media_type, "audio/mpeg");
    assert_int_equal(a->media_size, 1234);
    assert_string_equal(a->summary, "Para 1 <not a tag>\n\nPara [image: pic] 2");
    assert_int_equal(a->updated, date_parse("2021-05-06T05:08:09Z"));
    assert_int_equal(a->published, a->updated);                       /* no published: updated */
    assert_string_equal(b->title, "Text & title");
    assert_string_equal(b->url, "http://cdn.example/x");
    assert_string_equal(b->author, "Entry Author");
    assert_string_equal(b->author_url, "http://x.example/about");
    assert_string_equal(b->summary, "plain <b> text");                /* type=text stays text */
    item_sink_free(&p.s);
}

static void test_windows1251(void **state)
{
    const char *doc = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<rss version=\"2.0\"><channel>"
                      "<title>\xcf\xf0\xe8\xe2\xe5\xf2</title><item><title>\xcc\xe8\xf0</title>"
                      "<link>http://ru.example/1</link></item></channel></rss>\n";
    struct parsed p;
    parse_str(&p, doc, NULL);
    assert_int_equal(p.rc, 0);
    assert_string_equal(p.s.meta.title, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");   /* Привет */
    assert_string_equal(p.s.items[0].title, "\xd0\x9c\xd0\xb8\xd1\x80");                       /* Мир */
    item_sink_free(&p.s);
}

/* Podcast and Media RSS details: durations in every notation, the largest thumbnail, typeless
 * enclosures, media:group, the rssboard namespace, channel art, authors in RSS's email form. */
static void test_podcast_media(void **state)
{
    const char *doc =
        "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""
        " xmlns:media=\"http://www.rssboard.org/media-rss\" xmlns:m2=\"http://search.yahoo.com/mrss/\">"
        "<channel><title>Pod</title><link>https://pod.example/</link>"
        "<itunes:image href=\"https://pod.example/cover.jpg\"/>"
        "<item><title>e1</title><itunes:duration>01:02:03</itunes:duration>"
        " <enclosure url=\"https://pod.example/e1.mp3\" length=\"99\"/>"
        " <author>host@pod.example (The Host)</author></item>"
        "<item><title>e2</title><itunes:duration>62:03</itunes:duration>"
        " <media:group><media:content url=\"/v/e2.mp4\" type=\"video/mp4\" width=\"1280\" height=\"720\" duration=\"60\"/>"
        "  <media:thumbnail url=\"/t/small.jpg\" width=\"120\" height=\"90\"/>"
        "  <media:thumbnail url=\"/t/big.jpg\" width=\"640\" height=\"480\"/>"
        "  <media:thumbnail url=\"/t/mid.jpg\" width=\"320\" height=\"240\"/></media:group></item>"
        "<item><title>e3</title><itunes:duration>3723</itunes:duration>"
        " <m2:content url=\"https://img.example/a.png\" medium=\"image\"/>"
        " <itunes:image href=\"https://pod.example/e3.jpg\"/></item>"
        "<item><title>e4</title><itunes:duration>soon</itunes:duration>"
        " <enclosure url=\"https://img.example/b.jpg\" type=\"image/jpeg\"/></item>"
        "</channel></rss>";
    struct parsed p;
    parse_str(&p, doc, NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.s.n, 4);
    const struct item *it = p.s.items;
    assert_int_equal(it[0].media_duration, 3723);
    assert_string_equal(it[0].media_url, "https://pod.example/e1.mp3");
    assert_string_equal(it[0].media_type, "audio/mpeg");               /* from the extension */
    assert_int_equal(it[0].media_size, 99);
    assert_string_equal(it[0].author, "The Host");
    assert_string_equal(it[0].thumb_url, "https://pod.example/cover.jpg");   /* channel art */
    assert_int_equal(it[1].media_duration, 3723);
    assert_string_equal(it[1].media_url, "https://pod.example/v/e2.mp4");
    assert_int_equal(it[1].media_w, 1280);
    assert_string_equal(it[1].thumb_url, "https://pod.example/t/big.jpg");
    assert_int_equal(it[1].thumb_w, 640);
    assert_int_equal(it[1].thumb_h, 480);
    assert_int_equal(it[2].media_duration, 3723);
    assert_null(it[2].media_url);
    assert_string_equal(it[2].thumb_url, "https://pod.example/e3.jpg");   /* itunes:image first */
    assert_int_equal(it[3].media_duration, -1);
    assert_null(it[3].media_url);
    assert_string_equal(it[3].thumb_url, "https://img.example/b.jpg");
    item_sink_free(&p.s);
}

/* Items without a title get the first line of their text, cut at a word boundary. */
static void test_derived_titles(void **state)
{
    const char *doc =
        "<rss version=\"2.0\"><channel><title>t</title>"
        "<item><description>&lt;p&gt;Short first line&lt;br&gt;second line&lt;/p&gt;</description>"
        "<guid isPermaLink=\"false\">g1</guid></item>"
        "<item><description>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation"
        "</description></item>"
        "<item><guid>https://perma.example/3</guid></item>"
        "</channel></rss>";
    struct parsed p;
    parse_str(&p, doc, NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.s.n, 3);
    assert_string_equal(p.s.items[0].title, "Short first line");
    assert_string_equal(p.s.items[0].guid, "g1");
    assert_null(p.s.items[0].url);                 /* isPermaLink="false" is not a link */
    const char *t = p.s.items[1].title;
    size_t n = strlen(t);
    assert_true(n <= 120 + 3);
    assert_string_equal(t + n - 3, "\xe2\x80\xa6");
    assert_true(t[n - 4] != ' ');
    assert_true(strncmp(p.s.items[1].summary, t, n - 3) == 0);
    assert_true(p.s.items[1].summary[n - 3] == ' ');   /* cut where a word ended */
    assert_string_equal(p.s.items[2].url, "https://perma.example/3");
    item_sink_free(&p.s);
}

static void test_xml_errors(void **state)
{
    static const struct { const char *doc, *want; } c[] = {
        {"<rss version=\"2.0\"><channel><item><title>a</titel></item></channel></rss>",
         "not valid XML at line 1: mismatched tag"},
        {"<?xml version=\"1.0\"?>\n<rss>\n<channel>\n<item><title>cut", "truncated: unexpected end of input at line 4"},
        {"<foo/>", "not a feed: the document is <foo>, not RSS or Atom"},
        {"<?xml version=\"1.0\"?>\n<html><body>x</body></html>", "not a feed: got an HTML page"},
        {"<!DOCTYPE html>\n<html lang=en><p>x", "not a feed: got an HTML page"},
        {"\xef\xbb\xbf  \n ", "empty response"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct parsed p;
        parse_str(&p, c[i].doc, NULL);
        assert_int_equal(p.rc, -1);
        assert_int_equal(p.s.n, 0);
        if (strcmp(p.e.msg, c[i].want)) fail_msg("case %zu: \"%s\", want \"%s\"", i, p.e.msg, c[i].want);
        item_sink_free(&p.s);
    }
    /* nesting beyond the cap */
    char *deep = malloc(300 * 7 + 64);
    strcpy(deep, "<rss><channel>");
    for (int i = 0; i < 300; i++) strcat(deep, "<x>");
    struct parsed p;
    parse_str(&p, deep, NULL);
    assert_int_equal(p.rc, -1);
    assert_string_equal(p.e.msg, "nesting too deep");
    item_sink_free(&p.s);
    free(deep);
}

static void test_jsonfeed_synthetic(void **state)
{
    const char *doc =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\",\"home_page_url\":\"https://j.example/\","
        "\"authors\":[{\"name\":\"Feed Person\"}],"
        "\"items\":["
        " {\"id\":42,\"url\":\"/posts/1\",\"content_text\":\"First line\\nsecond\","
        "  \"date_modified\":\"2022-02-02T02:02:02Z\","
        "  \"attachments\":[{\"url\":\"/c.png\",\"mime_type\":\"image/png\"},"
        "                   {\"url\":\"https://cdn.example/v.mp4\",\"mime_type\":\"video/mp4\","
        "                    \"size_in_bytes\":1000,\"duration_in_seconds\":61}]},"
        " {\"id\":\"b\",\"external_url\":\"https://ext.example/\",\"title\":\"T\",\"summary\":\"S\","
        "  \"author\":{\"name\":\"Old Style\",\"url\":\"https://old.example/\"},\"banner_image\":\"/ban.jpg\"},"
        " \"not an object\","
        " {\"id\":\"c\",\"content_html\":\"<p>Html <b>body</b></p>\",\"title\":\"\"}"
        "]}";
    struct parsed p;
    parse_str(&p, doc, "https://j.example/feed.json");
    assert_int_equal(p.rc, 0);
    assert_string_equal(p.s.meta.format, "jsonfeed1.1");
    assert_string_equal(p.s.meta.link, "https://j.example/");
    assert_int_equal(p.s.n, 3);
    const struct item *it = p.s.items;
    assert_string_equal(it[0].guid, "42");
    assert_string_equal(it[0].url, "https://j.example/posts/1");
    assert_string_equal(it[0].title, "First line");
    assert_string_equal(it[0].author, "Feed Person");
    assert_string_equal(it[0].media_url, "https://cdn.example/v.mp4");
    assert_string_equal(it[0].media_type, "video/mp4");
    assert_int_equal(it[0].media_size, 1000);
    assert_int_equal(it[0].media_duration, 61);
    assert_string_equal(it[0].thumb_url, "https://j.example/c.png");
    assert_int_equal(it[0].published, date_parse("2022-02-02T02:02:02Z"));
    assert_string_equal(it[1].url, "https://ext.example/");
    assert_string_equal(it[1].summary, "S");
    assert_string_equal(it[1].author, "Old Style");
    assert_string_equal(it[1].thumb_url, "https://j.example/ban.jpg");
    assert_string_equal(it[2].summary, "Html body");
    assert_string_equal(it[2].title, "Html body");
    item_sink_free(&p.s);

    static const struct { const char *doc, *want; } bad[] = {
        {"{\"title\":\"no version\"}", "not a feed: got JSON that is not a JSON Feed"},
        {"[1,2,3]", "not a feed: got JSON that is not a JSON Feed"},
        {"{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[{\"id\":\"x\"", "truncated: unexpected end of input at line 1"},
        {"{\"version\":\"https://jsonfeed.org/version/1\",\n\"items\":[}", "not valid JSON at line 2"},
        {"{\"version\":\"https://jsonfeed.org/version/1\",\"items\":{}}", "not a valid JSON Feed: \"items\" is not an array"},
        {"hello", "not a feed: the response is neither XML nor JSON"},
        {"", "empty response"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        parse_str(&p, bad[i].doc, NULL);
        assert_int_equal(p.rc, -1);
        if (strcmp(p.e.msg, bad[i].want)) fail_msg("case %zu: \"%s\", want \"%s\"", i, p.e.msg, bad[i].want);
        item_sink_free(&p.s);
    }
}

static void test_registry(void **state)
{
    assert_ptr_equal(source_by_name("feed"), &source_feed);
    assert_ptr_equal(source_by_name("rss"), &source_feed);
    assert_ptr_equal(source_by_name("atom"), &source_feed);
    assert_ptr_equal(source_by_name("jsonfeed"), &source_feed);
    assert_null(source_by_name("no-such-adapter"));
    assert_null(source_by_name(""));
    assert_null(source_by_name(NULL));
    assert_ptr_equal(source_for_url("https://example.org/feed.xml"), &source_feed);
    assert_ptr_equal(source_for_url("gopher://old.example/"), &source_feed);   /* never NULL */
    assert_ptr_equal(source_for_url(NULL), &source_feed);
    assert_int_equal(source_feed.detect("https://x.example/"), 10);
    assert_int_equal(source_feed.detect("HTTP://x.example/"), 10);
    assert_int_equal(source_feed.detect("file:///tmp/a.xml"), 10);
    assert_int_equal(source_feed.detect("mailto:x@y"), 0);
    struct subscription sub = {.url = "https://x.example/feed", .kind = "rss"};
    assert_ptr_equal(source_for_sub(&sub), &source_feed);
    sub.kind = NULL;
    assert_ptr_equal(source_for_sub(&sub), &source_feed);

    const struct source *const *all = source_all();
    size_t n = 0;
    for (; all[n]; n++) {
        assert_non_null(all[n]->name);
        assert_non_null(all[n]->description);
        assert_ptr_equal(source_by_name(all[n]->name), all[n]);
    }
    assert_true(n >= 1);

    struct strbuf b;
    sb_init(&b);
    struct error e = {{0}};
    assert_int_equal(source_feed.request(&sub, &b, &e), 0);
    assert_string_equal(b.s, "https://x.example/feed");
    sb_free(&b);
}

/* ---- main ------------------------------------------------------------------------------------- */

int main(void)
{
    const struct CMUnitTest synthetic[] = {
        cmocka_unit_test(test_rss1_rdf),
        cmocka_unit_test(test_rss091_dtd_entities),
        cmocka_unit_test(test_undeclared_entities),
        cmocka_unit_test(test_atom_xhtml_base),
        cmocka_unit_test(test_windows1251),
        cmocka_unit_test(test_podcast_media),
        cmocka_unit_test(test_derived_titles),
        cmocka_unit_test(test_xml_errors),
        cmocka_unit_test(test_jsonfeed_synthetic),
        cmocka_unit_test(test_registry),
    };
    int failed = cmocka_run_group_tests_name("synthetic", synthetic, NULL, NULL);
    if (failed) return failed;

    require_fixtures();
    size_t len = 0;
    char *text = fixture_read("feeds/expected.json", &len);
    cJSON *exp = cJSON_ParseWithLength(text, len);
    free(text);
    if (!exp) { fprintf(stderr, "expected.json does not parse\n"); return 1; }
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(exp, "files");
    size_t n = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, files) n++;
    struct CMUnitTest *tests = calloc(n ? n : 1, sizeof *tests);
    size_t k = 0;
    cJSON_ArrayForEach(f, files) {
        const char *rel = f->string;
        if (!starts(rel, "rss/") && !starts(rel, "atom/") && !starts(rel, "youtube/") && !starts(rel, "jsonfeed/"))
            continue;
        tests[k].name = rel;
        tests[k].test_func = test_fixture;
        tests[k].initial_state = (void *)f;
        k++;
    }
    if (k == 0) { fprintf(stderr, "expected.json lists no feed fixtures\n"); return 1; }
    failed = _cmocka_run_group_tests("fixtures", tests, k, NULL, NULL);
    free(tests);
    cJSON_Delete(exp);
    return failed;
}
