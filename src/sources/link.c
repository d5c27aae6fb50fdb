/* SPDX-License-Identifier: ISC */
/* link — one web page kept as one item: a share link from Sora, Meta Vibes, X, TikTok, YouTube or
 * any site.  Its OpenGraph and Twitter-card meta tags give the title, picture, video and site;
 * a page that announces an oEmbed endpoint (<link type="application/json+oembed">) is asked for
 * the author and a better thumbnail, as an optional follow-up.  Only the page's first MiB is
 * fetched: the meta tags live in <head>.  A URL that turns out to be a video, audio file or
 * picture itself becomes an item with that media.
 *
 * Pages on a platform that only hosts generated media (Sora, Meta's Vibes: ai_platforms.def) carry
 * that platform's nature (extra "platform_nature"), which the badge shows as inferred from the
 * site, not as anybody's disclosure. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "apiutil.h"
#include "date.h"
#include "feedutil.h"
#include "html.h"
#include "platforms.h"
#include "source.h"
#include "text.h"

#define LINK_HEAD_BYTES (1L << 20)

/* Hosts whose share links are clearly single items, so `winnow add URL` picks this adapter. */
static const struct { const char *host, *path; } share_hosts[] = {
    {"sora.chatgpt.com", "/p/"}, {"sora.com", "/p/"}, {"x.com", "/status/"}, {"twitter.com", "/status/"},
    {"meta.ai", "/"}, {"tiktok.com", "/video/"}, {"instagram.com", "/p/"}, {"instagram.com", "/reel/"},
    {"threads.net", "/post/"}, {"threads.com", "/post/"}, {"youtube.com", "/watch"}, {"youtube.com", "/shorts/"},
    {"youtu.be", "/"}, {"vimeo.com", "/"}, {"facebook.com", "/reel/"}, {"facebook.com", "/share/"},
};

static int link_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int score = 0;
    if (aurl_parse(&a, url, &u) == 0) {
        for (size_t i = 0; i < sizeof share_hosts / sizeof share_hosts[0]; i++)
            if (api_host_is(u.host, share_hosts[i].host) && strstr(u.path, share_hosts[i].path)) score = 80;
    }
    arena_free(&a);
    return score;
}

static int link_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    /* a page saved on this machine (the demo's) is a page too; app and the fetcher hold file://
     * to regular local files */
    if (!sub->url || (strncasecmp(sub->url, "http://", 7) && strncasecmp(sub->url, "https://", 8) &&
                      strncasecmp(sub->url, "file://", 7))) {
        error_set(err, "link: only http(s) pages and local files can be kept as links");
        return -1;
    }
    sb_adds(out, sub->url);
    return 0;
}

static int link_describe(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    if (link_request(sub, out, err) < 0) return -1;
    sb_reset(out);
    sb_adds(out, "one item from the page's OpenGraph tags");
    if (source_ytdlp_video_host(sub->url) && !source_ytdlp_available()) sb_adds(out, "; install yt-dlp for video pages");
    return 0;
}

/* ---- the page's head ------------------------------------------------------------------------- */

enum tag {
    T_TITLE, T_DESC, T_IMAGE, T_IMAGE_W, T_IMAGE_H, T_VIDEO, T_VIDEO_TYPE, T_VIDEO_W, T_VIDEO_H,
    T_SITE, T_URL, T_TYPE, T_AUTHOR, T_PUBLISHED, T_TW_TITLE, T_TW_DESC, T_TW_IMAGE, T_TW_PLAYER,
    T_TW_CREATOR, T_META_DESC, T_META_AUTHOR, T_AUDIO, T_AI, T__N
};

static const struct { const char *name; enum tag t; } tags[] = {
    {"og:title", T_TITLE}, {"og:description", T_DESC}, {"og:image", T_IMAGE},
    {"og:image:url", T_IMAGE}, {"og:image:secure_url", T_IMAGE}, {"og:image:width", T_IMAGE_W},
    {"og:image:height", T_IMAGE_H}, {"og:video", T_VIDEO}, {"og:video:url", T_VIDEO},
    {"og:video:secure_url", T_VIDEO}, {"og:video:type", T_VIDEO_TYPE}, {"og:video:width", T_VIDEO_W},
    {"og:video:height", T_VIDEO_H}, {"og:site_name", T_SITE}, {"og:url", T_URL}, {"og:type", T_TYPE},
    {"article:author", T_AUTHOR}, {"article:published_time", T_PUBLISHED}, {"og:audio", T_AUDIO},
    {"twitter:title", T_TW_TITLE}, {"twitter:description", T_TW_DESC}, {"twitter:image", T_TW_IMAGE},
    {"twitter:image:src", T_TW_IMAGE}, {"twitter:player", T_TW_PLAYER}, {"twitter:creator", T_TW_CREATOR},
    {"description", T_META_DESC}, {"author", T_META_AUTHOR}, {"ai-generated", T_AI},
};

struct head {
    struct arena *a;
    const char *v[T__N];
    const char *canonical, *oembed;
    struct strbuf title;
    int in_title;
};

static const char *attr(const xmlChar **atts, const char *name)
{
    for (size_t i = 0; atts && atts[i]; i += 2)
        if (!strcasecmp((const char *)atts[i], name)) return atts[i + 1] ? (const char *)atts[i + 1] : "";
    return NULL;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    struct head *h = ((htmlParserCtxtPtr)ctx)->_private;
    const char *n = (const char *)name;
    if (!strcmp(n, "title")) {
        h->in_title = !h->title.len;
    } else if (!strcmp(n, "meta")) {
        const char *key = attr(atts, "property");
        if (!key) key = attr(atts, "name");
        const char *content = attr(atts, "content");
        if (!key || !content) return;
        for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
            if (!strcasecmp(key, tags[i].name) && !h->v[tags[i].t]) h->v[tags[i].t] = arena_strdup(h->a, content);
    } else if (!strcmp(n, "link")) {
        const char *rel = attr(atts, "rel"), *href = attr(atts, "href"), *type = attr(atts, "type");
        if (!rel || !href || !*href) return;
        if (!strcasecmp(rel, "canonical") && !h->canonical) h->canonical = arena_strdup(h->a, href);
        if (!strcasecmp(rel, "alternate") && type && !strcasecmp(type, "application/json+oembed") && !h->oembed)
            h->oembed = arena_strdup(h->a, href);
    } else if (!strcmp(n, "body")) {
        /* the head is over; meta tags in the body are too rare to read a MiB of markup for */
        xmlStopParser((htmlParserCtxtPtr)ctx);
    }
}

static void on_end(void *ctx, const xmlChar *name)
{
    struct head *h = ((htmlParserCtxtPtr)ctx)->_private;
    if (!strcmp((const char *)name, "title")) h->in_title = 0;
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
    struct head *h = ((htmlParserCtxtPtr)ctx)->_private;
    if (h->in_title && len > 0 && h->title.len < 4096) sb_add(&h->title, (const char *)s, (size_t)len);
}

static int valid_utf8(const char *s, size_t n)
{
    /* a ranged fetch may end inside a character: the last three bytes do not count */
    size_t end = n > 3 ? n - 3 : 0;
    for (size_t i = 0; i < end;) {
        unsigned cp;
        const unsigned char *p = (const unsigned char *)s + i;
        int l = utf8_decode(p, n - i, &cp);
        if (cp == 0xFFFD && !(l == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xBD)) return 0;
        i += (size_t)(l > 0 ? l : 1);
    }
    return 1;
}

static void init_once(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, xmlInitParser);
}

static void read_head(const char *body, size_t len, struct head *h)
{
    init_once();
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    if (len > INT32_MAX) len = INT32_MAX;
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(body, (int)len);
    if (!ctxt) return;
    *ctxt->sax = sax;
    ctxt->_private = h;
    int utf8 = valid_utf8(body, len);
    htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_RECOVER | HTML_PARSE_NODEFDTD | (utf8 ? HTML_PARSE_IGNORE_ENC : 0));
    /* valid UTF-8 is read as UTF-8 whatever the page claims; anything else, as it declares */
    if (utf8) xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    htmlFreeParserCtxt(ctxt);
}

/* ---- items ----------------------------------------------------------------------------------- */

static int dim(const char *s)
{
    int64_t v = feed_parse_count(s);
    return v > 0 && v < 100000 ? (int)v : 0;
}

/* The URL itself is a file, not a page. */
static int push_file(struct arena *a, const struct subscription *sub, struct item_sink *out)
{
    const char *ct = sub->content_type;
    int video = !strncmp(ct, "video/", 6), audio = !strncmp(ct, "audio/", 6), image = !strncmp(ct, "image/", 6);
    int hls = strstr(ct, "mpegurl") != NULL;
    if (!video && !audio && !image && !hls) return 0;
    struct item it;
    item_init(&it);
    cJSON *extra = api_extra_new();
    it.guid = sub->url;
    it.url = sub->url;
    const char *slash = strrchr(sub->url, '/');
    it.title = slash && slash[1] ? slash + 1 : sub->url;
    if (image) {
        it.thumb_url = sub->url;
        api_extra_str(extra, "media_kind", "image", 16);
    } else {
        it.media_url = sub->url;
        size_t n = strcspn(ct, "; ");
        it.media_type = hls ? "hls" : arena_strndup(a, ct, n);
        api_extra_str(extra, "media_kind", hls ? "hls" : video ? "video" : "audio", 16);
    }
    it.platform = "link";
    it.host = url_host(a, sub->url);
    ai_platform_mark(extra, sub->url);
    it.extra = api_extra_done(a, extra);
    item_sink_push(out, &it);
    return 1;
}

static const char *first(const char *a, const char *b, const char *c)
{
    return !feed_blank(a) ? a : !feed_blank(b) ? b : !feed_blank(c) ? c : NULL;
}

static int push_page(struct arena *a, const char *body, size_t len, const struct subscription *sub,
                     struct item_sink *out, struct error *err)
{
    struct head h = {.a = a};
    sb_init(&h.title);
    read_head(body, len, &h);
    const char *base = sub->fetch_url ? sub->fetch_url : sub->url;
    const char *doc_title = h.title.len ? arena_strdup(a, h.title.s) : NULL;
    sb_free(&h.title);
    const char *title = first(h.v[T_TITLE], h.v[T_TW_TITLE], doc_title);
    if (!title && !h.v[T_IMAGE] && !h.v[T_VIDEO] && !h.oembed && !html_looks_like(body, len < 4096 ? len : 4096)) {
        error_set(err, "link: not a web page (no HTML, no title, no OpenGraph tags)");
        return -1;
    }

    struct item it;
    item_init(&it);
    cJSON *extra = api_extra_new();
    it.guid = sub->url;
    const char *canon = first(h.v[T_URL], h.canonical, NULL);
    it.url = canon ? url_resolve(a, base, canon) : sub->url;
    if (strncmp(it.url, "http://", 7) && strncmp(it.url, "https://", 8)) it.url = sub->url;
    it.summary = first(h.v[T_DESC], h.v[T_TW_DESC], h.v[T_META_DESC]);
    it.title = api_title(a, title, it.summary, sub->url);
    it.author = first(h.v[T_AUTHOR], h.v[T_META_AUTHOR], h.v[T_TW_CREATOR]);
    /* article:author is often a profile URL rather than a name */
    if (it.author && (!strncmp(it.author, "http://", 7) || !strncmp(it.author, "https://", 8))) {
        it.author_url = it.author;
        it.author = h.v[T_META_AUTHOR];
    }
    if (h.v[T_TW_CREATOR] && h.v[T_TW_CREATOR][0] == '@') it.author_handle = h.v[T_TW_CREATOR];
    it.published = date_parse(h.v[T_PUBLISHED]);

    const char *img = first(h.v[T_IMAGE], h.v[T_TW_IMAGE], NULL);
    if (img) {
        it.thumb_url = url_resolve(a, base, img);
        it.thumb_w = dim(h.v[T_IMAGE_W]);
        it.thumb_h = dim(h.v[T_IMAGE_H]);
    }
    const char *video = h.v[T_VIDEO], *vtype = h.v[T_VIDEO_TYPE];
    if (video) {
        const char *v = url_resolve(a, base, video);
        if (vtype && (strstr(vtype, "mpegurl") || strstr(vtype, "mpegURL"))) {
            it.media_url = v;
            it.media_type = "hls";
        } else if (vtype && !strncasecmp(vtype, "video/", 6)) {
            it.media_url = v;
            it.media_type = arena_strdup(a, vtype);
        } else {
            /* an embedded player (text/html): the page itself is what mpv's ytdl hook plays */
            it.media_url = it.url;
            it.media_type = "page";
        }
        it.media_w = dim(h.v[T_VIDEO_W]);
        it.media_h = dim(h.v[T_VIDEO_H]);
        api_extra_str(extra, "media_kind", !strcmp(it.media_type, "hls") ? "hls" : "video", 16);
    } else if (h.v[T_TW_PLAYER]) {
        it.media_url = it.url;
        it.media_type = "page";
        api_extra_str(extra, "media_kind", "video", 16);
    } else if (h.v[T_AUDIO]) {
        it.media_url = url_resolve(a, base, h.v[T_AUDIO]);
        const char *m = feed_guess_mime(it.media_url);
        it.media_type = m ? m : "audio/mpeg";
        api_extra_str(extra, "media_kind", "audio", 16);
    } else if (it.thumb_url) {
        api_extra_str(extra, "media_kind", "image", 16);
    }
    api_extra_str(extra, "site_name", h.v[T_SITE], TEXT_MAX_SHORT);
    api_extra_str(extra, "og_type", h.v[T_TYPE], 64);
    it.platform = "link";
    it.host = url_host(a, it.url);
    ai_platform_mark(extra, sub->url);
    if (h.v[T_AI] && (!strcasecmp(h.v[T_AI], "true") || !strcasecmp(h.v[T_AI], "yes"))) {
        api_extra_bool(extra, "synthetic_media", 1);
        api_extra_str(extra, "ai_label", "the page says it is AI-generated", TEXT_MAX_NAME);
    }
    it.extra = api_extra_done(a, extra);
    item_sink_push(out, &it);
    item_sink_meta(out, title ? title : sub->url, it.url, "link");

    /* an X status or an AI-video app's page: yt-dlp, when it is there and knows the page, gives the
     * video itself; optional, since a status without a video has none (the card stands) */
    int xstatus = source_ytdlp_video_host(sub->url) && (strstr(sub->url, "x.com/") || strstr(sub->url, "twitter.com/"));
    if ((xstatus || ai_platform_for_url(sub->url)) && (!sub->kind || !strcmp(sub->kind, "link")) &&
        source_ytdlp_available()) {
        struct item_follow y = {.url = arena_printf(a, SOURCE_YTDLP_PREFIX "%s", sub->url), .stage = "ytdlp", .optional = 1};
        item_sink_follow(out, &y);
    }

    /* oEmbed knows the author and a thumbnail; X's pages tell ordinary clients nothing */
    const char *oembed = h.oembed ? url_resolve(a, base, h.oembed) : NULL;
    struct aurl u;
    if (!oembed && !title && aurl_parse(a, sub->url, &u) == 0 &&
        (api_host_is(u.host, "x.com") || api_host_is(u.host, "twitter.com")) && strstr(u.path, "/status/")) {
        struct strbuf b;
        sb_init(&b);
        sb_adds(&b, "https://publish.twitter.com/oembed?omit_script=1&url=");
        sb_add_pct(&b, sub->url);
        oembed = arena_strdup(a, b.s);
        sb_free(&b);
    }
    if (oembed && (!strncmp(oembed, "http://", 7) || !strncmp(oembed, "https://", 8))) {
        struct item_follow f = {.url = oembed, .stage = "oembed", .optional = 1};
        item_sink_follow(out, &f);
    }
    return 0;
}

/* The oEmbed answer completes the page's item. */
static int oembed(const char *body, size_t len, const struct subscription *sub, struct item_sink *out,
                  struct error *err)
{
    cJSON *o = api_json_parse(body, len, err);
    if (!o) return -1;
    struct item *have = item_sink_find(out, sub->url);
    if (!have || !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return 0;
    }
    struct arena a;
    arena_init(&a);
    struct item it = *have;
    if (!it.author || !it.author_url) {
        if (!it.author) it.author = api_jstr(o, "author_name");
        if (!it.author_url) it.author_url = api_jstr(o, "author_url");
    }
    /* X's oEmbed names the author by profile URL: the handle is the account */
    struct aurl au;
    if (!it.author_handle && it.author_url && aurl_parse(&a, it.author_url, &au) == 0 && au.nseg == 1 &&
        (api_host_is(au.host, "x.com") || api_host_is(au.host, "twitter.com")))
        it.author_handle = arena_printf(&a, "@%s", au.seg[0]);
    const char *title = api_jstr(o, "title");
    if (title && (!it.title || !strcmp(it.title, sub->url))) it.title = title;
    const char *html = api_jstr(o, "html");
    if (!it.summary && html) {
        it.summary = api_text(&a, html);
        if (!title && (!it.title || !strcmp(it.title, sub->url))) it.title = api_title(&a, NULL, it.summary, it.title);
    }
    if (!it.thumb_url && api_jstr(o, "thumbnail_url")) {
        it.thumb_url = api_jstr(o, "thumbnail_url");
        int64_t w = api_jint(o, "thumbnail_width"), h = api_jint(o, "thumbnail_height");
        it.thumb_w = w > 0 && w < 100000 ? (int)w : 0;
        it.thumb_h = h > 0 && h < 100000 ? (int)h : 0;
    }
    const char *type = api_jstr(o, "type");
    if (!it.media_url && type && !strcmp(type, "video")) {
        it.media_url = it.url;
        it.media_type = "page";
    }
    /* extra gains the provider's name when the page had no site name */
    if (api_jstr(o, "provider_name") && (!it.extra || !strstr(it.extra, "\"site_name\""))) {
        cJSON *e = it.extra ? cJSON_Parse(it.extra) : NULL;
        if (!cJSON_IsObject(e)) {
            cJSON_Delete(e);
            e = api_extra_new();
        }
        api_extra_str(e, "site_name", api_jstr(o, "provider_name"), TEXT_MAX_SHORT);
        it.extra = api_extra_done(&a, e);
    }
    item_sink_replace(out, &it);
    arena_free(&a);
    cJSON_Delete(o);
    return 0;
}

/* yt-dlp's answer completes the card: its media (the format it chose), length and the account. */
static int ytdlp_media(const char *body, size_t len, const struct subscription *sub, struct item_sink *out,
                       struct error *err)
{
    struct item_sink tmp;
    item_sink_init(&tmp);
    struct subscription s2 = *sub;
    s2.stage = NULL;
    int rc = source_ytdlp.parse(body, len, &s2, &tmp, err);
    const struct item *have = item_sink_find(out, sub->url);
    if (rc == 0 && tmp.n && have) {
        struct arena a;
        arena_init(&a);
        struct item it = *have;
        const struct item *y = &tmp.items[0];
        if (y->media_url && strcmp(y->media_type ? y->media_type : "", "page")) {
            it.media_url = y->media_url;
            it.media_type = y->media_type;
            it.media_w = y->media_w;
            it.media_h = y->media_h;
        }
        if (y->media_duration >= 0) it.media_duration = y->media_duration;
        if (!it.thumb_url && y->thumb_url) {
            it.thumb_url = y->thumb_url;
            it.thumb_w = y->thumb_w;
            it.thumb_h = y->thumb_h;
        }
        if (!it.author_handle) it.author_handle = y->author_handle;
        if (!it.author) it.author = y->author;
        cJSON *e = it.extra ? cJSON_Parse(it.extra) : NULL;
        if (!cJSON_IsObject(e)) {
            cJSON_Delete(e);
            e = api_extra_new();
        }
        cJSON_DeleteItemFromObjectCaseSensitive(e, "media_via");
        api_extra_str(e, "media_via", "yt-dlp", 16);
        it.extra = api_extra_done(&a, e);
        item_sink_replace(out, &it);
        arena_free(&a);
    }
    item_sink_free(&tmp);
    return rc;
}

static int link_parse(const char *body, size_t len, const struct subscription *sub, struct item_sink *out,
                      struct error *err)
{
    if (sub->stage && !strcmp(sub->stage, "oembed")) return oembed(body, len, sub, out, err);
    if (sub->stage && !strcmp(sub->stage, "ytdlp")) return ytdlp_media(body, len, sub, out, err);
    struct arena a;
    arena_init(&a);
    int rc = 0;
    if (sub->content_type && push_file(&a, sub, out)) {
        rc = 0;
    } else if (!body || !len) {
        error_set(err, "empty response");
        rc = -1;
    } else {
        /* a server that ignored the range sent more than the head; the rest is not read */
        rc = push_page(&a, body, len > (size_t)LINK_HEAD_BYTES ? (size_t)LINK_HEAD_BYTES : len, sub, out, err);
    }
    arena_free(&a);
    return rc;
}

const struct source source_link = {
    .name = "link",
    .description = "one web page as one item (OpenGraph/oEmbed): a Sora, Meta Vibes or X share link, any page",
    .detect = link_detect,
    .request = link_request,
    .parse = link_parse,
    .describe = link_describe,
    .head_bytes = LINK_HEAD_BYTES,
};
