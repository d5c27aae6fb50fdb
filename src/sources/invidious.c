/* SPDX-License-Identifier: ISC */
/* invidious — an Invidious instance (a privacy front end to YouTube) through its /api/v1: a
 * channel's videos, a playlist, a search, the popular and trending pages, one video.  Handles and
 * custom URLs (/@name, /c/NAME, /user/NAME) are resolved with /api/v1/resolveurl first and the
 * channel endpoint is remembered.  Items link to the instance's watch page; the media is the
 * YouTube watch URL, which mpv plays through its ytdl hook. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "date.h"
#include "feedutil.h"
#include "source.h"
#include "text.h"

static const char *const known_hosts[] = {
    "yewtu.be", "inv.nadeko.net", "invidious.nerdvpn.de", "iv.ggtyler.dev", "invidious.jing.rocks",
    "invidious.privacyredirect.com", "inv.tux.pizza", "vid.puffyan.us", "invidious.fdn.fr",
    "invidious.kavin.rocks", "invidious.snopyta.org", "y.com.sb", "invidious.flokinet.to",
    "inv.in.projectsegfau.lt", "invidious.protokolla.fi", NULL,
};

static int known_host(const char *host)
{
    for (size_t i = 0; known_hosts[i]; i++)
        if (api_host_is(host, known_hosts[i])) return 1;
    return strstr(host, "invidious") != NULL || !strncmp(host, "inv.", 4) || !strncmp(host, "iv.", 3);
}

static int channel_id_ok(const char *s)
{
    if (!s || strncmp(s, "UC", 2) || strlen(s) != 24) return 0;
    for (const char *p = s; *p; p++)
        if (!(*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            return 0;
    return 1;
}

enum shape { I_NONE, I_API, I_PATH, I_RESOLVE };

/* What a user's URL asks for: an API path to fetch (I_PATH), or a name to resolve first. */
static enum shape classify(struct arena *a, const struct aurl *u, const char **path)
{
    *path = NULL;
    if (aurl_seg_is(u, 0, "api") && aurl_seg_is(u, 1, "v1") && u->nseg >= 3) {
        static const char *const ok[] = {"channels", "playlists", "search", "popular", "trending", "videos", NULL};
        for (size_t i = 0; ok[i]; i++)
            if (aurl_seg_is(u, 2, ok[i])) return I_API;
        return I_NONE;
    }
    const char *s0 = u->nseg ? u->seg[0] : "";
    if (u->nseg == 0 || (aurl_seg_is(u, 0, "feed") && aurl_seg_is(u, 1, "popular") && u->nseg == 2)) {
        *path = "/api/v1/popular";
        return I_PATH;
    }
    if (aurl_seg_is(u, 0, "feed") && aurl_seg_is(u, 1, "trending") && u->nseg == 2) {
        *path = "/api/v1/trending";
        return I_PATH;
    }
    if (!strcasecmp(s0, "channel") && u->nseg >= 2 && u->nseg <= 3 && channel_id_ok(u->seg[1])) {
        *path = arena_printf(a, "/api/v1/channels/%s/videos", u->seg[1]);
        return I_PATH;
    }
    if (!strcasecmp(s0, "playlist") && u->nseg == 1) {
        const char *list = aurl_param(a, u, "list");
        if (!list || !*list) return I_NONE;
        struct strbuf b;
        sb_init(&b);
        sb_adds(&b, "/api/v1/playlists/");
        sb_add_pct(&b, list);
        *path = arena_strdup(a, b.s);
        sb_free(&b);
        return I_PATH;
    }
    if (!strcasecmp(s0, "search") && u->nseg == 1) {
        const char *q = aurl_param(a, u, "q");
        if (!q || !*q) return I_NONE;
        struct strbuf b;
        sb_init(&b);
        sb_adds(&b, "/api/v1/search?type=video&sort_by=upload_date&q=");
        sb_add_pct(&b, q);
        *path = arena_strdup(a, b.s);
        sb_free(&b);
        return I_PATH;
    }
    if (!strcasecmp(s0, "watch") && u->nseg == 1) {
        const char *v = aurl_param(a, u, "v");
        if (!v || !*v) return I_NONE;
        struct strbuf b;
        sb_init(&b);
        sb_adds(&b, "/api/v1/videos/");
        sb_add_pct(&b, v);
        *path = arena_strdup(a, b.s);
        sb_free(&b);
        return I_PATH;
    }
    if ((s0[0] == '@' && s0[1] && u->nseg <= 2) ||
        ((!strcasecmp(s0, "c") || !strcasecmp(s0, "user")) && u->nseg >= 2 && u->nseg <= 3))
        return I_RESOLVE;
    return I_NONE;
}

static int invidious_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    const char *path;
    int score = 0;
    if (aurl_parse(&a, url, &u) == 0) {
        enum shape s = classify(&a, &u, &path);
        if (s != I_NONE && known_host(u.host)) score = 92;
        /* the API's own names, on any host; /api/v1/videos belongs to PeerTube */
        else if (s == I_API && !aurl_seg_is(&u, 2, "videos") && !aurl_seg_is(&u, 2, "search")) score = 85;
        else if (s == I_PATH && aurl_seg_is(&u, 0, "channel") && !api_host_is(u.host, "youtube.com")) score = 50;
        if (api_host_is(u.host, "youtube.com") || api_host_is(u.host, "youtu.be")) score = 0;
    }
    arena_free(&a);
    return score;
}

static int invidious_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    const char *path;
    int rc = 0;
    enum shape s = aurl_parse(&a, sub->url, &u) == 0 ? classify(&a, &u, &path) : I_NONE;
    if (s == I_NONE) {
        error_set(err, "invidious: %s is not a channel, playlist, search, popular or trending URL", sub->url);
        rc = -1;
    } else if (s == I_API) {
        sb_adds(out, sub->url);
    } else if (s == I_RESOLVE) {
        /* the instance asks YouTube what the name stands for */
        struct strbuf yt;
        sb_init(&yt);
        sb_printf(&yt, "https://www.youtube.com%s", u.path);
        sb_printf(out, "%s/api/v1/resolveurl?url=", u.origin);
        sb_add_pct(out, yt.s);
        sb_free(&yt);
    } else {
        sb_printf(out, "%s%s", u.origin, path);
    }
    arena_free(&a);
    return rc;
}

static int invidious_describe(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct strbuf req;
    sb_init(&req);
    int rc = invidious_request(sub, &req, err);
    if (rc == 0) {
        api_describe_req(out, req.s, sub->url);
        if (strstr(req.s, "/api/v1/resolveurl?")) sb_adds(out, " \xe2\x86\x92 /api/v1/channels/UC\xe2\x80\xa6/videos");
    }
    sb_free(&req);
    return rc;
}

/* ---- videos ---------------------------------------------------------------------------------- */

static const char *absolute(struct arena *a, const char *origin, const char *path)
{
    if (!path) return NULL;
    if (!strncmp(path, "http://", 7) || !strncmp(path, "https://", 8)) return path;
    if (!strncmp(path, "//", 2)) return arena_printf(a, "https:%s", path);
    return origin ? arena_printf(a, "%s%s", origin, path) : NULL;
}

/* The thumbnail nearest 480 px wide: big enough for a cell grid, small to fetch. */
static void thumbnail(struct arena *a, const cJSON *v, const char *origin, struct item *it)
{
    const cJSON *t, *best = NULL;
    int64_t best_d = -1;
    cJSON_ArrayForEach(t, api_jarr(v, "videoThumbnails")) {
        if (!api_jstr(t, "url")) continue;
        int64_t w = api_jint(t, "width");
        int64_t d = w > 0 ? (w > 480 ? w - 480 : 480 - w) : 100000;
        if (!best || d < best_d) { best = t; best_d = d; }
    }
    if (!best) return;
    it->thumb_url = absolute(a, origin, api_jstr(best, "url"));
    int64_t w = api_jint(best, "width"), h = api_jint(best, "height");
    if (w > 0 && h > 0 && w < 100000 && h < 100000) { it->thumb_w = (int)w; it->thumb_h = (int)h; }
}

static void push_video(struct arena *a, const cJSON *v, const char *origin, struct item_sink *out)
{
    const char *id = api_jstr(v, "videoId");
    if (!id) return;
    struct item it;
    item_init(&it);
    cJSON *extra = api_extra_new();
    it.guid = arena_printf(a, "yt:video:%s", id);
    struct strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s/watch?v=", origin ? origin : "https://www.youtube.com");
    sb_add_pct(&b, id);
    it.url = arena_strdup(a, b.s);
    sb_reset(&b);
    sb_adds(&b, "https://www.youtube.com/watch?v=");
    sb_add_pct(&b, id);
    it.media_url = arena_strdup(a, b.s);
    sb_free(&b);
    it.media_type = "page";
    it.title = api_title(a, api_jstr(v, "title"), NULL, it.url);
    const char *html = api_jstr(v, "descriptionHtml");
    it.summary = html ? api_text(a, html) : api_jstr(v, "description");
    it.author = api_jstr(v, "author");
    it.author_handle = api_jstr(v, "authorId");
    it.author_url = absolute(a, origin, api_jstr(v, "authorUrl"));
    double pub = api_jnum(v, "published", -1);
    it.published = pub > 0 && pub < 1e11 ? (int64_t)pub : -1;
    it.media_duration = api_jint(v, "lengthSeconds");
    if (it.media_duration == 0 && (api_jbool(v, "liveNow") || api_jbool(v, "isUpcoming"))) it.media_duration = -1;
    thumbnail(a, v, origin, &it);
    api_extra_str(extra, "videoId", id, 64);
    api_extra_str(extra, "media_kind", "video", 16);
    if (api_jint(v, "viewCount") >= 0) api_extra_num(extra, "views", (double)api_jint(v, "viewCount"));
    if (api_jbool(v, "liveNow")) api_extra_bool(extra, "live", 1);
    if (api_jbool(v, "isUpcoming")) api_extra_bool(extra, "upcoming", 1);
    if (api_jbool(v, "premium")) api_extra_bool(extra, "premium", 1);
    if (api_jbool(v, "authorVerified")) api_extra_bool(extra, "verified", 1);
    api_extra_str(extra, "instance", url_host(a, origin), TEXT_MAX_SHORT);
    it.platform = "invidious";
    it.host = url_host(a, origin);
    it.extra = api_extra_done(a, extra);
    item_sink_push(out, &it);
}

static void push_list(struct arena *a, const cJSON *arr, const char *origin, struct item_sink *out)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, arr) {
        const char *type = api_jstr(v, "type");
        /* searches mix in channels and playlists */
        if (type && strcmp(type, "video") && strcmp(type, "shortVideo")) continue;
        push_video(a, v, origin, out);
    }
}

static int invidious_parse(const char *body, size_t len, const struct subscription *sub,
                           struct item_sink *out, struct error *err)
{
    cJSON *root = api_json_parse(body, len, err);
    if (!root) return -1;
    struct arena a;
    arena_init(&a);
    struct aurl u;
    const char *origin = aurl_parse(&a, sub->fetch_url ? sub->fetch_url : sub->url, &u) == 0 ? u.origin : NULL;
    int rc = 0;
    if (cJSON_IsArray(root)) {
        push_list(&a, root, origin, out);
        const char *what = strstr(sub->fetch_url ? sub->fetch_url : sub->url, "/trending") ? "trending"
                           : strstr(sub->fetch_url ? sub->fetch_url : sub->url, "/search") ? "search" : "popular";
        item_sink_meta(out, arena_printf(&a, "%s: %s", url_host(&a, origin) ? url_host(&a, origin) : "Invidious", what),
                       NULL, "invidious-videos");
    } else if (api_jarr(root, "videos")) {
        push_list(&a, api_jarr(root, "videos"), origin, out);
        /* a playlist names itself; a channel's page of videos is named after its author */
        const cJSON *first = api_jarr(root, "videos")->child;
        item_sink_meta(out, api_jstr(root, "title") ? api_jstr(root, "title") : api_jstr(first, "author"), NULL, "invidious-videos");
    } else if (api_jstr(root, "videoId")) {
        push_video(&a, root, origin, out);
        item_sink_meta(out, NULL, NULL, "invidious-video");
    } else if (api_jstr(root, "ucid") && !sub->stage && origin) {
        const char *ucid = api_jstr(root, "ucid");
        if (!channel_id_ok(ucid)) {
            error_set(err, "invidious: the name resolved to something that is not a channel");
            rc = -1;
        } else {
            struct item_follow f = {.url = arena_printf(&a, "%s/api/v1/channels/%s/videos", origin, ucid),
                                    .stage = "videos", .endpoint = 1};
            item_sink_follow(out, &f);
        }
    } else if (api_jstr(root, "error")) {
        error_set(err, "invidious: the server says: %.200s", api_jstr(root, "error"));
        rc = -1;
    } else {
        error_set(err, "invidious: not a list of videos (unexpected JSON)");
        rc = -1;
    }
    arena_free(&a);
    cJSON_Delete(root);
    return rc;
}

const struct source source_invidious = {
    .name = "invidious",
    .description = "Invidious: https://INSTANCE/channel/UC..., /playlist?list=..., /search?q=..., /feed/popular",
    .detect = invidious_detect,
    .request = invidious_request,
    .parse = invidious_parse,
    .describe = invidious_describe,
};
