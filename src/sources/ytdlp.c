/* SPDX-License-Identifier: ISC */
/* ytdlp — any video page yt-dlp knows (1,800+ sites), read through `yt-dlp -J --flat-playlist`:
 * a single video page becomes one item, a channel, user or playlist page a feed whose refresh asks
 * again and keeps the new entries.  The request is not fetched by libcurl: its URL carries the
 * "ytdlp:" prefix and the refresh runs the program (src/app/ytdlp.c, bounded and off the UI
 * thread), so parse() only reads yt-dlp's JSON.
 *
 * Mapping: title, description, uploader/channel (+ id, url), timestamp or upload_date, duration,
 * the best fitting thumbnail, webpage_url, the extractor (the site, in extra), like/view/comment
 * counts, and the format yt-dlp chose: a single http(s) format is stored as the media URL, so
 * playback hands mpv that file instead of resolving the page again; split video+audio or
 * unknown formats keep the page for mpv's own ytdl hook. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "apiutil.h"
#include "feedutil.h"
#include "platforms.h"
#include "source.h"
#include "text.h"

/* Video pages no other adapter reads, which `winnow add URL` hands to yt-dlp when it is
 * installed (without it, the link adapter keeps them as OpenGraph cards). */
static const struct { const char *host, *path; } video_hosts[] = {
    {"tiktok.com", "/video/"}, {"vimeo.com", "/"}, {"instagram.com", "/reel/"}, {"facebook.com", "/reel/"},
    {"facebook.com", "/watch"}, {"dailymotion.com", "/video/"}, {"twitch.tv", "/videos/"},
    {"x.com", "/status/"}, {"twitter.com", "/status/"}, {"bilibili.com", "/video/"},
    {"rumble.com", "/"}, {"streamable.com", "/"},
};

int source_ytdlp_video_host(const char *url)
{
    if (!url) return 0;
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int hit = 0;
    if (aurl_parse(&a, url, &u) == 0)
        for (size_t i = 0; i < sizeof video_hosts / sizeof video_hosts[0] && !hit; i++)
            hit = api_host_is(u.host, video_hosts[i].host) && strstr(u.path, video_hosts[i].path) && u.nseg > 0;
    arena_free(&a);
    return hit;
}

static int ytdlp_detect(const char *url)
{
    /* above the link adapter's 80 for the same hosts, only when the program is there; an X status
     * stays a card (most have no video) that asks yt-dlp for the video on the side */
    if (!url || strstr(url, "x.com/") || strstr(url, "twitter.com/")) return 0;
    return source_ytdlp_video_host(url) && source_ytdlp_available() ? 85 : 0;
}

static int ytdlp_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    if (!sub->url || (strncasecmp(sub->url, "http://", 7) && strncasecmp(sub->url, "https://", 8))) {
        error_set(err, "ytdlp: only http(s) pages can be read with yt-dlp");
        return -1;
    }
    sb_adds(out, SOURCE_YTDLP_PREFIX);
    sb_adds(out, sub->url);
    return 0;
}

static int ytdlp_describe(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    if (ytdlp_request(sub, out, err) < 0) return -1;
    sb_reset(out);
    if (source_ytdlp_available()) sb_adds(out, "yt-dlp -J (a video becomes one item; a channel or playlist, a feed)");
    else sb_adds(out, "yt-dlp -J, which is not installed: install yt-dlp for video pages");
    return 0;
}

static int is_http(const char *u)
{
    return u && (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8));
}

/* "20240131" → Unix seconds at midnight UTC */
static int64_t upload_date(const char *s)
{
    if (!s || strlen(s) != 8) return -1;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(s, "%4d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return -1;
    if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31) return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
}

static int dimension(const cJSON *o, const char *key)
{
    int64_t v = api_jint(o, key);
    return v > 0 && v < 100000 ? (int)v : 0;
}

/* The thumbnail nearest 480 px wide (what a card shows), else the plain "thumbnail". */
static void pick_thumb(const cJSON *v, struct item *it)
{
    const cJSON *t, *best = NULL;
    int best_d = 1 << 30;
    cJSON_ArrayForEach(t, api_jarr(v, "thumbnails"))
    {
        if (!is_http(api_jstr(t, "url"))) continue;
        int w = dimension(t, "width");
        int d = w ? (w > 480 ? w - 480 : (480 - w) * 2) : 100000;   /* upscaling looks worse */
        if (!best || d < best_d) { best = t; best_d = d; }
    }
    if (best) {
        it->thumb_url = api_jstr(best, "url");
        it->thumb_w = dimension(best, "width");
        it->thumb_h = dimension(best, "height");
    } else if (is_http(api_jstr(v, "thumbnail"))) {
        it->thumb_url = api_jstr(v, "thumbnail");
    }
}

/* What mpv opens: the one http(s) format yt-dlp chose, or the page. */
static void pick_media(struct arena *a, const cJSON *v, struct item *it, cJSON *extra)
{
    const char *proto = api_jstr(v, "protocol"), *url = api_jstr(v, "url"), *ext = api_jstr(v, "ext");
    const char *vcodec = api_jstr(v, "vcodec");
    int audio = vcodec && !strcmp(vcodec, "none");
    if (!api_jarr(v, "requested_formats") && is_http(url) && proto) {
        if (!strcmp(proto, "http") || !strcmp(proto, "https")) {
            it->media_url = url;
            it->media_type = arena_printf(a, "%s/%s", audio ? "audio" : "video", ext ? ext : "mp4");
        } else if (!strncmp(proto, "m3u8", 4)) {
            it->media_url = url;
            it->media_type = "hls";
        } else if (!strncmp(proto, "http_dash", 9)) {
            it->media_url = url;
            it->media_type = "dash";
        }
    }
    if (!it->media_url && is_http(it->url)) {
        it->media_url = it->url;
        it->media_type = "page";
    }
    it->media_w = dimension(v, "width");
    it->media_h = dimension(v, "height");
    api_extra_str(extra, "media_kind", audio ? "audio" : it->media_type && !strcmp(it->media_type, "hls") ? "hls" : "video", 16);
    api_extra_str(extra, "ytdlp_format", api_jstr(v, "format_id"), 64);
}

static void push_video(struct arena *a, const cJSON *v, const struct subscription *sub, struct item_sink *out)
{
    struct item it;
    item_init(&it);
    cJSON *extra = api_extra_new();
    const char *extractor = api_jstr(v, "extractor_key");
    if (!extractor) extractor = api_jstr(v, "ie_key");
    if (!extractor) extractor = api_jstr(v, "extractor");
    const char *id = api_jid(a, v, "id");
    const char *page = is_http(api_jstr(v, "webpage_url")) ? api_jstr(v, "webpage_url") : NULL;
    /* a flat entry is a link to its own page */
    if (!page && api_jstr(v, "_type") && !strcmp(api_jstr(v, "_type"), "url") && is_http(api_jstr(v, "url"))) page = api_jstr(v, "url");
    it.url = page ? page : sub->url;
    /* the extractor's own id is what stays put; a page listing several videos shares one URL */
    it.guid = id ? arena_printf(a, "%s:%s", extractor ? extractor : "ytdlp", id) : it.url;
    it.summary = api_jstr(v, "description");
    it.title = api_title(a, api_jstr(v, "title"), it.summary, it.url);
    it.author = api_jstr(v, "uploader");
    if (!it.author) it.author = api_jstr(v, "channel");
    it.author_handle = api_jstr(v, "uploader_id");
    if (!it.author_handle) it.author_handle = api_jstr(v, "channel_id");
    it.author_url = api_jstr(v, "uploader_url");
    if (!it.author_url) it.author_url = api_jstr(v, "channel_url");
    if (!is_http(it.author_url)) it.author_url = NULL;
    double ts = api_jnum(v, "timestamp", -1);
    it.published = ts > 0 && ts < 4e10 ? (int64_t)ts : upload_date(api_jstr(v, "upload_date"));
    double dur = api_jnum(v, "duration", -1);
    it.media_duration = dur >= 0 && dur < 1e7 ? (int64_t)(dur + 0.5) : -1;
    pick_thumb(v, &it);
    int flat = api_jstr(v, "_type") && !strcmp(api_jstr(v, "_type"), "url");
    if (flat) {
        it.media_url = it.url;
        it.media_type = "page";
        api_extra_str(extra, "media_kind", "video", 16);
    } else {
        pick_media(a, v, &it, extra);
    }
    it.platform = "ytdlp";
    it.host = url_host(a, it.url);
    api_extra_str(extra, "extractor", extractor, 64);
    const char *counts[] = {"like_count", "view_count", "comment_count", "repost_count"};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (api_jint(v, counts[i]) >= 0) api_extra_num(extra, counts[i], (double)api_jint(v, counts[i]));
    ai_platform_mark(extra, it.url);
    it.extra = api_extra_done(a, extra);
    item_sink_push(out, &it);
}

static int ytdlp_parse(const char *body, size_t len, const struct subscription *sub, struct item_sink *out,
                       struct error *err)
{
    cJSON *root = api_json_parse(body, len, err);
    if (!root) {
        error_prefix(err, "ytdlp");
        return -1;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        error_set(err, "ytdlp: yt-dlp printed JSON that is not an object");
        return -1;
    }
    struct arena a;
    arena_init(&a);
    const char *type = api_jstr(root, "_type");
    const char *page = is_http(api_jstr(root, "webpage_url")) ? api_jstr(root, "webpage_url") : sub->url;
    if (type && !strcmp(type, "playlist")) {
        const cJSON *e;
        size_t n = 0;
        cJSON_ArrayForEach(e, api_jarr(root, "entries"))
            if (cJSON_IsObject(e)) {
                push_video(&a, e, sub, out);
                n++;
            }
        const char *title = api_jstr(root, "title");
        if (!title) title = api_jstr(root, "uploader");
        item_sink_meta(out, title ? title : page, page, "ytdlp-playlist");
        (void)n;
    } else {
        push_video(&a, root, sub, out);
        item_sink_meta(out, api_jstr(root, "title") ? api_jstr(root, "title") : page, page, "ytdlp");
    }
    arena_free(&a);
    cJSON_Delete(root);
    return 0;
}

const struct source source_ytdlp = {
    .name = "ytdlp",
    .description = "any video page yt-dlp knows (TikTok, Vimeo, Instagram, X, ...): a video, or a "
                   "channel/playlist as a feed; needs the yt-dlp program",
    .detect = ytdlp_detect,
    .request = ytdlp_request,
    .parse = ytdlp_parse,
    .describe = ytdlp_describe,
    .max_per_host = 1,
};
