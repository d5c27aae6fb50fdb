/* SPDX-License-Identifier: ISC */
/* peertube — PeerTube instances through their REST API (/api/v1): channels, accounts, the
 * trending/recent/local lists, searches, playlists and single videos.  A list says little about
 * how to play a video, so for each video not stored yet the refresh also fetches its detail
 * (/api/v1/videos/UUID, an optional follow-up), whose HLS playlist or web-video files become the
 * media; until then the watch page stands in (mpv's ytdl hook plays it).  Paths the API gives
 * relative (thumbnailPath, previewPath) are made absolute against the instance that answered. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "date.h"
#include "feedutil.h"
#include "source.h"
#include "text.h"

/* Details fetched per refresh at most: a first refresh of a busy channel stays a handful of
 * requests, and later refreshes fetch only what is new. */
#define MAX_DETAILS 20

static const char *const known_hosts[] = {
    "framatube.org", "peertube.cpy.re", "tilvids.com", "video.blender.org", "peertube.tv",
    "diode.zone", "videos.lukesmith.xyz", "tube.tchncs.de", "kolektiva.media", "peertube.social",
    "video.ploud.fr", "spectra.video", "makertube.net", "fediverse.tv", "tube.shanti.cafe", NULL,
};

static int known_host(const char *host)
{
    for (size_t i = 0; known_hosts[i]; i++)
        if (api_host_is(host, known_hosts[i])) return 1;
    return strstr(host, "peertube") || ((strstr(host, "tube") || strstr(host, "video")) &&
                                        !api_host_is(host, "youtube.com") && !strstr(host, "youtube"));
}

/* The API path (with query) for a user's URL, or NULL. */
static const char *api_path(struct arena *a, const struct aurl *u, int *is_api, int *single)
{
    *is_api = *single = 0;
    if (aurl_seg_is(u, 0, "api") && aurl_seg_is(u, 1, "v1") && u->nseg >= 3) {
        static const char *const ok[] = {"videos", "video-channels", "accounts", "search", "video-playlists", NULL};
        for (size_t i = 0; ok[i]; i++)
            if (aurl_seg_is(u, 2, ok[i])) {
                *is_api = 1;
                return u->path;
            }
        return NULL;
    }
    const char *s0 = u->nseg ? u->seg[0] : "";
    if ((!strcasecmp(s0, "c") || !strcasecmp(s0, "video-channels")) && u->nseg >= 2 && u->nseg <= 3)
        return arena_printf(a, "/api/v1/video-channels/%s/videos?sort=-publishedAt", u->seg[1]);
    if ((!strcasecmp(s0, "a") || !strcasecmp(s0, "accounts")) && u->nseg >= 2 && u->nseg <= 3)
        return arena_printf(a, "/api/v1/accounts/%s/videos?sort=-publishedAt", u->seg[1]);
    if (!strcasecmp(s0, "w") && u->nseg == 3 && aurl_seg_is(u, 1, "p"))
        return arena_printf(a, "/api/v1/video-playlists/%s/videos", u->seg[2]);
    if (!strcasecmp(s0, "w") && u->nseg == 2) {
        *single = 1;
        return arena_printf(a, "/api/v1/videos/%s", u->seg[1]);
    }
    if (!strcasecmp(s0, "videos") && u->nseg >= 2) {
        if (aurl_seg_is(u, 1, "watch") && u->nseg == 4 && aurl_seg_is(u, 2, "playlist"))
            return arena_printf(a, "/api/v1/video-playlists/%s/videos", u->seg[3]);
        if (aurl_seg_is(u, 1, "watch") && u->nseg == 3) {
            *single = 1;
            return arena_printf(a, "/api/v1/videos/%s", u->seg[2]);
        }
        if (u->nseg != 2) return NULL;
        if (aurl_seg_is(u, 1, "trending")) return "/api/v1/videos?sort=-trending";
        if (aurl_seg_is(u, 1, "recently-added")) return "/api/v1/videos?sort=-publishedAt";
        if (aurl_seg_is(u, 1, "local")) return "/api/v1/videos?sort=-publishedAt&isLocal=true";
        if (aurl_seg_is(u, 1, "most-liked")) return "/api/v1/videos?sort=-likes";
        if (aurl_seg_is(u, 1, "browse")) {
            const char *sort = aurl_param(a, u, "sort"), *scope = aurl_param(a, u, "scope");
            struct strbuf b;
            sb_init(&b);
            sb_adds(&b, "/api/v1/videos?sort=");
            sb_add_pct(&b, sort && *sort ? sort : "-publishedAt");
            if (scope && !strcmp(scope, "local")) sb_adds(&b, "&isLocal=true");
            const char *r = arena_strdup(a, b.s);
            sb_free(&b);
            return r;
        }
        return NULL;
    }
    if (!strcasecmp(s0, "search") && u->nseg == 1) {
        const char *q = aurl_param(a, u, "search");
        if (!q || !*q) return NULL;
        struct strbuf b;
        sb_init(&b);
        sb_adds(&b, "/api/v1/search/videos?sort=-publishedAt&search=");
        sb_add_pct(&b, q);
        const char *r = arena_strdup(a, b.s);
        sb_free(&b);
        return r;
    }
    return NULL;
}

static int peertube_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int score = 0, api, single;
    if (aurl_parse(&a, url, &u) == 0 && api_path(&a, &u, &api, &single)) {
        if (known_host(u.host)) score = 90;
        else if (api) score = aurl_seg_is(&u, 2, "videos") || aurl_seg_is(&u, 2, "video-channels") ||
                              aurl_seg_is(&u, 2, "video-playlists") || aurl_path_ends(&u, "/videos")
                              ? 85 : 0;
        else if (aurl_seg_is(&u, 0, "videos") || aurl_seg_is(&u, 0, "w") || aurl_seg_is(&u, 0, "video-channels"))
            score = 45;
        else score = 40;   /* /c/ and /a/: Lemmy has /c/ too, on hosts it recognises itself */
        if (api_host_is(u.host, "youtube.com")) score = 0;
    }
    arena_free(&a);
    return score;
}

static int peertube_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int api = 0, single = 0, rc = 0;
    const char *path = aurl_parse(&a, sub->url, &u) == 0 ? api_path(&a, &u, &api, &single) : NULL;
    if (!path) {
        error_set(err, "peertube: %s is not a channel, account, video list, search or video URL", sub->url);
        rc = -1;
    } else if (api) {
        sb_adds(out, sub->url);
    } else {
        sb_printf(out, "%s%s", u.origin, path);
        if (sub->max_items && !single)
            sb_printf(out, "%scount=%zu", strchr(path, '?') ? "&" : "?", sub->max_items < 100 ? sub->max_items : 100);
    }
    arena_free(&a);
    return rc;
}

/* ---- videos ---------------------------------------------------------------------------------- */

static const char *absolute(struct arena *a, const char *origin, const char *path)
{
    if (!path) return NULL;
    if (!strncmp(path, "http://", 7) || !strncmp(path, "https://", 8)) return path;
    return origin ? arena_printf(a, "%s%s", origin, path) : NULL;
}

/* The best web-video file for a terminal session: the highest resolution up to 1080p. */
static const cJSON *best_file(const cJSON *files)
{
    const cJSON *f, *best = NULL;
    int64_t best_res = -1;
    cJSON_ArrayForEach(f, files) {
        if (!api_jstr(f, "fileUrl")) continue;
        int64_t res = api_jint(api_jobj(f, "resolution"), "id");
        if (res <= 0) continue;   /* 0 is the audio-only file */
        if (res <= 1080 && res > best_res) { best = f; best_res = res; }
    }
    return best;
}

static void detail_media(const cJSON *v, struct item *it, cJSON *extra)
{
    const cJSON *pls = api_jarr(v, "streamingPlaylists");
    const cJSON *hls = pls ? pls->child : NULL;
    const cJSON *file = best_file(api_jarr(v, "files"));
    const cJSON *hls_file = hls ? best_file(api_jarr(hls, "files")) : NULL;
    const cJSON *dims = file ? file : hls_file;
    if (hls && api_jstr(hls, "playlistUrl")) {
        it->media_url = api_jstr(hls, "playlistUrl");
        it->media_type = "hls";
        api_extra_str(extra, "media_kind", "hls", 16);
        if (file) api_extra_str(extra, "fallback_url", api_jstr(file, "fileUrl"), TEXT_MAX_URL);
    } else if (file) {
        it->media_url = api_jstr(file, "fileUrl");
        const char *m = feed_guess_mime(it->media_url);
        it->media_type = m ? m : "video/mp4";
        it->media_size = api_jint(file, "size");
        api_extra_str(extra, "media_kind", "video", 16);
    }
    if (dims) {
        int64_t w = api_jint(dims, "width"), h = api_jint(dims, "height");
        if (w > 0 && h > 0 && w < 100000 && h < 100000) { it->media_w = (int)w; it->media_h = (int)h; }
        else {
            int64_t r = api_jint(api_jobj(dims, "resolution"), "id");
            if (r > 0 && r < 100000) it->media_h = (int)r;
        }
    }
}

static void build(struct arena *a, const cJSON *v, const char *origin, int detail, struct item *it,
                  struct strbuf *labels)
{
    cJSON *extra = api_extra_new();
    item_init(it);
    it->url = api_jstr(v, "url");
    if (!it->url && api_jstr(v, "uuid")) it->url = absolute(a, origin, arena_printf(a, "/videos/watch/%s", api_jstr(v, "uuid")));
    it->guid = it->url;
    it->title = api_title(a, api_jstr(v, "name"), NULL, it->url);
    const char *desc = api_jstr(v, "description");
    if (!desc) desc = api_jstr(v, "truncatedDescription");
    it->summary = desc;
    const cJSON *ch = api_jobj(v, "channel"), *acc = api_jobj(v, "account");
    const cJSON *who = ch ? ch : acc;
    it->author = api_jstr(who, "displayName");
    if (!it->author) it->author = api_jstr(who, "name");
    if (api_jstr(who, "name")) {
        const char *host = api_jstr(who, "host");
        it->author_handle = host ? arena_printf(a, "%s@%s", api_jstr(who, "name"), host) : api_jstr(who, "name");
    }
    it->author_url = api_jstr(who, "url");
    it->published = date_parse(api_jstr(v, "publishedAt"));
    if (it->published < 0) it->published = date_parse(api_jstr(v, "createdAt"));
    it->updated = date_parse(api_jstr(v, "updatedAt"));
    it->thumb_url = absolute(a, origin, api_jstr(v, "thumbnailPath"));
    api_extra_str(extra, "preview_url", absolute(a, origin, api_jstr(v, "previewPath")), TEXT_MAX_URL);
    it->media_duration = api_jint(v, "duration");
    if (detail) detail_media(v, it, extra);
    if (!it->media_url) {
        it->media_url = it->url;
        it->media_type = "page";
        api_extra_str(extra, "media_kind", "video", 16);
    }
    if (api_jbool(v, "isLive")) api_extra_bool(extra, "live", 1);
    if (api_jbool(v, "nsfw")) {
        api_labels_add(labels, "nsfw", "platform");
        api_extra_bool(extra, "nsfw", 1);
        api_extra_bool(extra, "sensitive", 1);
    }
    api_extra_str(extra, "category", api_jstr(api_jobj(v, "category"), "label"), TEXT_MAX_SHORT);
    api_extra_str(extra, "licence", api_jstr(api_jobj(v, "licence"), "label"), TEXT_MAX_SHORT);
    if (api_jint(v, "views") >= 0) api_extra_num(extra, "views", (double)api_jint(v, "views"));
    api_extra_str(extra, "instance", url_host(a, origin), TEXT_MAX_SHORT);
    it->labels = labels->s;
    it->platform = "peertube";
    it->host = url_host(a, it->url);
    it->extra = api_extra_done(a, extra);
}

/* What a list is, from the URL the user gave: "framatube.org: trending", "framatube.org/c/x". */
static const char *list_name(struct arena *a, const struct subscription *sub)
{
    struct aurl u;
    if (aurl_parse(a, sub->url, &u) < 0) return NULL;
    if (aurl_seg_is(&u, 0, "videos") && u.nseg == 2) return arena_printf(a, "%s: %s", u.host, u.seg[1]);
    if ((aurl_seg_is(&u, 0, "c") || aurl_seg_is(&u, 0, "a")) && u.nseg >= 2)
        return arena_printf(a, "%s/%s/%s", u.host, u.seg[0], u.seg[1]);
    const char *q = aurl_param(a, &u, "search");
    if (q) return arena_printf(a, "%s: search \"%s\"", u.host, q);
    return arena_printf(a, "PeerTube videos on %s", u.host);
}

static int peertube_parse(const char *body, size_t len, const struct subscription *sub,
                          struct item_sink *out, struct error *err)
{
    cJSON *root = api_json_parse(body, len, err);
    if (!root) return -1;
    struct arena a;
    arena_init(&a);
    struct aurl u;
    const char *origin = aurl_parse(&a, sub->fetch_url ? sub->fetch_url : sub->url, &u) == 0 ? u.origin : NULL;
    int rc = 0;
    const cJSON *data = api_jarr(root, "data");
    if (data) {
        const cJSON *v;
        int details = 0;
        cJSON_ArrayForEach(v, data) {
            const cJSON *video = api_jobj(v, "video");   /* playlist elements wrap their video */
            if (!video) video = v;
            if (!cJSON_IsObject(video) || !api_jstr(video, "uuid")) continue;
            struct item it;
            struct strbuf labels;
            sb_init(&labels);
            build(&a, video, origin, 0, &it, &labels);
            size_t before = out->n;
            item_sink_push(out, &it);
            sb_free(&labels);
            if (out->n > before && origin && details < MAX_DETAILS && !api_jbool(video, "isLive")) {
                const char *url = arena_printf(&a, "%s/api/v1/videos/%s", origin, api_jstr(video, "uuid"));
                struct item_follow f = {.url = url, .stage = "detail", .skip_guid = out->items[before].guid,
                                        .optional = 1};
                item_sink_follow(out, &f);
                details++;
            }
        }
        item_sink_meta(out, list_name(&a, sub), NULL, "peertube-video-list");
    } else if (cJSON_IsObject(root) && api_jstr(root, "uuid")) {
        struct item it;
        struct strbuf labels;
        sb_init(&labels);
        build(&a, root, origin, 1, &it, &labels);
        item_sink_replace(out, &it);
        sb_free(&labels);
        if (!sub->stage) item_sink_meta(out, NULL, NULL, "peertube-video-detail");
    } else if (cJSON_IsObject(root) && (api_jstr(root, "error") || api_jstr(root, "detail"))) {
        error_set(err, "peertube: the server says: %.200s", api_jstr(root, "detail") ? api_jstr(root, "detail") : api_jstr(root, "error"));
        rc = -1;
    } else {
        error_set(err, "peertube: not a list of videos (unexpected JSON)");
        rc = -1;
    }
    arena_free(&a);
    cJSON_Delete(root);
    return rc;
}

const struct source source_peertube = {
    .name = "peertube",
    .description = "PeerTube: https://INSTANCE/c/NAME, /a/NAME, /videos/trending, /search?search=..., /w/ID",
    .detect = peertube_detect,
    .request = peertube_request,
    .parse = peertube_parse,
};
