/* SPDX-License-Identifier: ISC */
/* reddit — subreddits, users, searches and single posts through Reddit's public .json listings.
 * Requests ask for raw_json=1, so URLs come unescaped; listings fetched without it (older
 * captures, a user's own .json URL) carry "&amp;" in every URL and entity-escaped text, which is
 * undone here.  Reddit rate-limits anonymous clients hard, so this adapter runs at most two
 * requests per host at a time.
 *
 * Videos hosted by Reddit become HLS media (the DASH "fallback" has no sound); galleries give
 * their first image; a crosspost lends its parent's media; NSFW, spoiler and OC flags become
 * platform labels, flair goes to extra. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "date.h"
#include "feedutil.h"
#include "source.h"
#include "text.h"

#define REDDIT "https://www.reddit.com"

static int is_reddit(const char *host)
{
    return api_host_is(host, "reddit.com") || api_host_is(host, "redd.it");
}

/* The listing path for a user's URL (without ".json"), or NULL when it is not one. */
static const char *listing_path(struct arena *a, const struct aurl *u, int *is_api)
{
    *is_api = 0;
    size_t n = strlen(u->path);
    if (n > 5 && !strcmp(u->path + n - 5, ".json")) {
        *is_api = 1;
        return u->path;
    }
    if (n > 4 && (!strcmp(u->path + n - 4, ".rss") || !strcmp(u->path + n - 4, ".xml"))) return NULL;
    if (api_host_is(u->host, "redd.it") && u->nseg == 1) return arena_printf(a, "/comments/%s", u->seg[0]);
    if (u->nseg == 0) return "/hot";
    static const char *const sorts[] = {"hot", "new", "top", "rising", "controversial", "best", NULL};
    const char *s0 = u->seg[0];
    if (u->nseg == 1) {
        for (size_t i = 0; sorts[i]; i++)
            if (!strcasecmp(s0, sorts[i])) return arena_printf(a, "/%s", sorts[i]);
        if (!strcasecmp(s0, "search")) return "/search";
        return NULL;
    }
    if (!strcasecmp(s0, "r") && u->nseg >= 2 && u->nseg <= AURL_MAX_SEGS) {
        const char *sub = u->seg[1];
        if (u->nseg == 2) return arena_printf(a, "/r/%s/hot", sub);
        if (u->nseg == 3) {
            for (size_t i = 0; sorts[i]; i++)
                if (!strcasecmp(u->seg[2], sorts[i])) return arena_printf(a, "/r/%s/%s", sub, sorts[i]);
            if (!strcasecmp(u->seg[2], "search")) return arena_printf(a, "/r/%s/search", sub);
            return NULL;
        }
        if (aurl_seg_is(u, 2, "comments") && u->nseg >= 4) {
            return u->nseg >= 5 ? arena_printf(a, "/r/%s/comments/%s/%s", sub, u->seg[3], u->seg[4])
                                : arena_printf(a, "/r/%s/comments/%s", sub, u->seg[3]);
        }
        return NULL;
    }
    if ((!strcasecmp(s0, "user") || !strcasecmp(s0, "u")) && u->nseg >= 2 && u->nseg <= 3) {
        const char *tab = u->nseg == 3 ? u->seg[2] : "submitted";
        if (strcasecmp(tab, "submitted") && strcasecmp(tab, "overview")) return NULL;
        return arena_printf(a, "/user/%s/submitted", u->seg[1]);
    }
    if (!strcasecmp(s0, "comments") && u->nseg >= 2) return arena_printf(a, "/comments/%s", u->seg[1]);
    return NULL;
}

static int reddit_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int score = 0, api;
    if (aurl_parse(&a, url, &u) == 0) {
        const char *p = listing_path(&a, &u, &api);
        if (p && is_reddit(u.host)) score = 95;
        /* another host: only the listing paths that cannot be anything else */
        else if (p && api && (aurl_seg_is(&u, 0, "r") || aurl_seg_is(&u, 0, "user"))) score = 60;
    }
    arena_free(&a);
    return score;
}

static int reddit_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int api = 0, rc = 0;
    const char *path = NULL;
    if (aurl_parse(&a, sub->url, &u) == 0) path = listing_path(&a, &u, &api);
    if (!path) {
        error_set(err, "reddit: %s is not a subreddit, user, search or post URL", sub->url);
        rc = -1;
    } else if (api) {
        sb_adds(out, sub->url);
    } else {
        sb_printf(out, "%s%s.json?raw_json=1", is_reddit(u.host) ? REDDIT : u.origin, path);
        static const char *const keep[] = {"t", "q", "sort", "restrict_sr", "type", NULL};
        for (size_t i = 0; keep[i]; i++) {
            const char *v = aurl_param(&a, &u, keep[i]);
            if (!v) continue;
            sb_printf(out, "&%s=", keep[i]);
            sb_add_pct(out, v);
        }
        if (sub->max_items) sb_printf(out, "&limit=%zu", sub->max_items < 100 ? sub->max_items : 100);
    }
    arena_free(&a);
    return rc;
}

/* ---- posts ----------------------------------------------------------------------------------- */

struct ctx {
    struct arena *a;
    int escaped;             /* the listing was fetched without raw_json: undo "&amp;" */
};

/* A URL from the listing, with its "&amp;" undone: a URL of Reddit's never holds one literally. */
static const char *rurl(const struct ctx *c, const char *s)
{
    if (!s || !strstr(s, "&amp;")) return s;
    struct strbuf b;
    sb_init(&b);
    for (const char *p = s; *p;) {
        if (!strncmp(p, "&amp;", 5)) { sb_addc(&b, '&'); p += 5; }
        else sb_addc(&b, *p++);
    }
    const char *r = arena_strdup(c->a, b.s);
    sb_free(&b);
    return r;
}

static const char *rtext(const struct ctx *c, const char *s)
{
    if (!s || !c->escaped) return s;
    return feed_decode_entities(c->a, arena_strdup(c->a, s));
}

static int is_http(const char *s)
{
    return s && (!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7));
}

/* The picture closest to a terminal thumbnail (at least 320 px wide), from a list of
 * {url|u, width|x, height|y} sizes and the full-size source. */
static void pick_image(const struct ctx *c, const cJSON *sizes, const cJSON *source, const char *ukey,
                       const char *wkey, const char *hkey, struct item *it)
{
    const cJSON *best = NULL, *r;
    cJSON_ArrayForEach(r, sizes) {
        if (!api_jstr(r, ukey)) continue;
        best = r;
        if (api_jint(r, wkey) >= 320) break;
    }
    if (!best || (api_jint(best, wkey) < 320 && api_jstr(source, ukey))) best = api_jstr(source, ukey) ? source : best;
    if (!best) return;
    it->thumb_url = rurl(c, api_jstr(best, ukey));
    int64_t w = api_jint(best, wkey), h = api_jint(best, hkey);
    if (w > 0 && h > 0 && w < 100000 && h < 100000) { it->thumb_w = (int)w; it->thumb_h = (int)h; }
}

static void gallery_image(const struct ctx *c, const cJSON *d, struct item *it)
{
    const cJSON *items = api_jarr(api_jobj(d, "gallery_data"), "items");
    const cJSON *meta = api_jobj(d, "media_metadata");
    const char *id = items && items->child ? api_jstr(items->child, "media_id") : NULL;
    const cJSON *m = id ? api_jobj(meta, id) : NULL;
    if (m) pick_image(c, api_jarr(m, "p"), api_jobj(m, "s"), "u", "x", "y", it);
}

static const cJSON *reddit_video(const cJSON *d)
{
    const cJSON *v = api_jobj(api_jobj(d, "secure_media"), "reddit_video");
    if (!v) v = api_jobj(api_jobj(d, "media"), "reddit_video");
    return v;
}

static void video(const struct ctx *c, const cJSON *v, struct item *it, cJSON *extra, const char *kind)
{
    const char *hls = rurl(c, api_jstr(v, "hls_url"));
    const char *fallback = rurl(c, api_jstr(v, "fallback_url"));
    it->media_url = hls ? hls : fallback;
    it->media_type = hls ? "hls" : "video/mp4";
    it->media_duration = api_duration(v, "duration");
    int64_t w = api_jint(v, "width"), h = api_jint(v, "height");
    if (w > 0 && h > 0 && w < 100000 && h < 100000) { it->media_w = (int)w; it->media_h = (int)h; }
    api_extra_str(extra, "media_kind", hls ? "hls" : kind, 16);
    api_extra_str(extra, "fallback_url", fallback, TEXT_MAX_URL);
    api_extra_str(extra, "dash_url", rurl(c, api_jstr(v, "dash_url")), TEXT_MAX_URL);
}

static int is_video_site(const char *host)
{
    return host && (api_host_is(host, "youtube.com") || api_host_is(host, "youtu.be") || api_host_is(host, "vimeo.com") ||
                    api_host_is(host, "streamable.com") || api_host_is(host, "twitch.tv"));
}

static void push_post(const struct ctx *c, const cJSON *d, struct item_sink *out)
{
    struct arena *a = c->a;
    struct item it;
    item_init(&it);
    cJSON *extra = api_extra_new();
    struct strbuf labels;
    sb_init(&labels);

    const char *permalink = api_jstr(d, "permalink");
    it.url = permalink ? arena_printf(a, "%s%s", REDDIT, permalink) : rurl(c, api_jstr(d, "url"));
    it.guid = it.url ? it.url : api_jstr(d, "name");
    const char *author = api_jstr(d, "author");
    if (author) {
        /* "u/name" is the name and the handle at once: a second copy would show as
         * "u/name @u/name" */
        it.author = arena_printf(a, "u/%s", author);
        if (strcmp(author, "[deleted]")) it.author_url = arena_printf(a, "%s/user/%s", REDDIT, author);
    }
    double created = api_jnum(d, "created_utc", -1);
    it.published = created > 0 && created < 1e11 ? (int64_t)created : -1;
    double edited = api_jnum(d, "edited", -1);
    it.updated = edited > 0 && edited < 1e11 ? (int64_t)edited : -1;
    it.summary = rtext(c, api_jstr(d, "selftext"));
    const char *link = rurl(c, api_jstr(d, "url"));
    if (link && !api_jbool(d, "is_self") && is_http(link) && !(it.url && strstr(link, permalink ? permalink : "\x01"))) {
        api_extra_str(extra, "link_url", link, TEXT_MAX_URL);
        if (feed_blank(it.summary)) it.summary = link;
    }
    it.title = api_title(a, rtext(c, api_jstr(d, "title")), it.summary, it.url);

    /* media: Reddit's own video, else a crosspost parent's, else a GIF's video preview */
    const cJSON *xp = api_jarr(d, "crosspost_parent_list");
    const cJSON *parent = xp && cJSON_IsObject(xp->child) ? xp->child : NULL;
    const cJSON *v = reddit_video(d);
    if (!v && parent) v = reddit_video(parent);
    if (v) {
        video(c, v, &it, extra, "video");
        api_extra_str(extra, "video_from", reddit_video(d) ? "post" : "crosspost", 16);
    } else {
        const cJSON *gif = api_jobj(api_jobj(d, "preview"), "reddit_video_preview");
        if (gif) {
            video(c, gif, &it, extra, "gifv");
            api_extra_str(extra, "video_from", "preview", 16);
        } else if (link && is_video_site(url_host(a, link))) {
            it.media_url = link;
            it.media_type = "page";
            api_extra_str(extra, "media_kind", "video", 16);
        }
    }
    const cJSON *img = cJSON_IsArray(api_jpath(d, "preview.images")) ? api_jpath(d, "preview.images")->child : NULL;
    if (!img && parent) {
        const cJSON *pi = api_jpath(parent, "preview.images");
        img = cJSON_IsArray(pi) ? pi->child : NULL;
    }
    if (img) pick_image(c, api_jarr(img, "resolutions"), api_jobj(img, "source"), "url", "width", "height", &it);
    if (!it.thumb_url && api_jbool(d, "is_gallery")) gallery_image(c, d, &it);
    if (!it.thumb_url && parent && api_jbool(parent, "is_gallery")) gallery_image(c, parent, &it);
    if (!it.thumb_url && is_http(api_jstr(d, "thumbnail"))) {
        it.thumb_url = rurl(c, api_jstr(d, "thumbnail"));
        int64_t w = api_jint(d, "thumbnail_width"), h = api_jint(d, "thumbnail_height");
        if (w > 0 && h > 0 && w < 100000 && h < 100000) { it.thumb_w = (int)w; it.thumb_h = (int)h; }
    }
    if (!cJSON_GetObjectItemCaseSensitive(extra, "media_kind") && it.thumb_url) api_extra_str(extra, "media_kind", "image", 16);

    if (parent) api_extra_str(extra, "crosspost_from", api_jstr(parent, "subreddit_name_prefixed"), TEXT_MAX_SHORT);
    api_extra_str(extra, "subreddit", api_jstr(d, "subreddit_name_prefixed"), TEXT_MAX_SHORT);
    api_extra_str(extra, "flair", rtext(c, api_jstr(d, "link_flair_text")), TEXT_MAX_SHORT);
    api_extra_str(extra, "author_flair", rtext(c, api_jstr(d, "author_flair_text")), TEXT_MAX_SHORT);
    api_extra_str(extra, "distinguished", api_jstr(d, "distinguished"), 32);
    if (api_jbool(d, "over_18")) {
        api_labels_add(&labels, "nsfw", "platform");
        api_extra_bool(extra, "nsfw", 1);
        api_extra_bool(extra, "sensitive", 1);
    }
    if (api_jbool(d, "spoiler")) {
        api_labels_add(&labels, "spoiler", "platform");
        api_extra_bool(extra, "spoiler", 1);
    }
    if (api_jbool(d, "is_original_content")) {
        api_labels_add(&labels, "original-content", "platform");
        api_extra_bool(extra, "original_content", 1);
    }
    if (api_jint(d, "score") >= 0) api_extra_num(extra, "score", (double)api_jint(d, "score"));
    if (api_jint(d, "num_comments") >= 0) api_extra_num(extra, "comments", (double)api_jint(d, "num_comments"));

    it.labels = labels.s;
    it.platform = "reddit";
    it.host = "www.reddit.com";
    it.extra = api_extra_done(a, extra);
    item_sink_push(out, &it);
    sb_free(&labels);
}

static int listing(const struct ctx *c, const cJSON *l, struct item_sink *out)
{
    const cJSON *children = api_jpath(l, "data.children");
    if (!cJSON_IsArray(children)) return -1;
    const cJSON *ch;
    cJSON_ArrayForEach(ch, children) {
        const char *kind = api_jstr(ch, "kind");
        const cJSON *d = api_jobj(ch, "data");
        if (kind && !strcmp(kind, "t3") && d) push_post(c, d, out);
    }
    return 0;
}

/* True when an "&amp;" sits inside a URL in the body: the listing was escaped, whatever was asked
 * for (a raw listing's URLs never hold one; its text may). */
static int escaped_urls(const char *body, size_t len)
{
    const char *end = body + len;
    for (const char *p = body; (p = memmem(p, (size_t)(end - p), "&amp;", 5)) != NULL; p += 5) {
        const char *q = p;
        while (q > body && q[-1] != '"' && q[-1] != ' ' && p - q < 2048) q--;
        if (memmem(q, (size_t)(p - q), "://", 3)) return 1;
    }
    return 0;
}

static int reddit_parse(const char *body, size_t len, const struct subscription *sub,
                        struct item_sink *out, struct error *err)
{
    cJSON *root = api_json_parse(body, len, err);
    if (!root) return -1;
    struct arena a;
    arena_init(&a);
    struct ctx c = {&a, 0};
    const char *from = sub->fetch_url ? sub->fetch_url : sub->url;
    c.escaped = memmem(body, len, "&amp;", 5) != NULL &&
                (!(from && strstr(from, "raw_json=1")) || escaped_urls(body, len));
    int rc = 0;
    if (cJSON_IsObject(root) && api_jstr(root, "kind") && !strcmp(api_jstr(root, "kind"), "Listing")) {
        rc = listing(&c, root, out);
    } else if (cJSON_IsArray(root) && cJSON_IsObject(root->child)) {
        /* a post's page: [the post's listing, its comments] */
        rc = listing(&c, root->child, out);
    } else if (cJSON_IsObject(root) && (api_jstr(root, "message") || api_jstr(root, "reason"))) {
        error_set(err, "reddit: the server says: %.200s",
                  api_jstr(root, "message") ? api_jstr(root, "message") : api_jstr(root, "reason"));
        rc = -2;
    } else {
        rc = -1;
    }
    if (rc == -1) error_set(err, "reddit: not a listing (unexpected JSON)");
    if (rc == 0) {
        struct aurl u;
        if (aurl_parse(&a, sub->url, &u) == 0 && aurl_seg_is(&u, 0, "r") && u.nseg >= 2)
            item_sink_meta(out, arena_printf(&a, "r/%s", u.seg[1]), arena_printf(&a, "%s/r/%s", REDDIT, u.seg[1]),
                           "reddit-listing");
        else if (aurl_parse(&a, sub->url, &u) == 0 && (aurl_seg_is(&u, 0, "user") || aurl_seg_is(&u, 0, "u")) && u.nseg >= 2)
            item_sink_meta(out, arena_printf(&a, "u/%s", u.seg[1]), NULL, "reddit-listing");
        else
            item_sink_meta(out, u.nseg == 0 || aurl_path_ends(&u, "/hot.json") ? "Reddit: front page" : NULL, NULL,
                           "reddit-listing");
    }
    arena_free(&a);
    cJSON_Delete(root);
    return rc < 0 ? -1 : 0;
}

const struct source source_reddit = {
    .name = "reddit",
    .description = "Reddit: https://www.reddit.com/r/NAME[/hot|new|top], /user/NAME, a search or a post",
    .detect = reddit_detect,
    .request = reddit_request,
    .parse = reddit_parse,
    .max_per_host = 2,
};
