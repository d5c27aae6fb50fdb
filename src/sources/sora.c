/* SPDX-License-Identifier: ISC */
/* sora — OpenAI's Sora share links (https://sora.chatgpt.com/p/s_<hex>, sora.com, www.sora.com) as
 * one item each, from the post's JSON at /backend/project_y/post/<id> on the same origin (the
 * shape yt-dlp's own Sora extractor reads: post.text, posted_at, attachments with their encodings,
 * tombstoned_at, permissions; profile; the counts).  The media URLs are signed and expire: they
 * are stored as they come, and a refresh fetches them anew.
 *
 * The site sits behind bot protection that plain libcurl may not pass.  When the JSON answer is a
 * challenge page (HTML, 403), the adapter falls back to yt-dlp (whose extractor impersonates a
 * browser) and to the page's OpenGraph card, both as optional follow-ups; the item says which way
 * in was used (extra "via": "api", "yt-dlp" or "card").
 *
 * Every item carries Sora's platform nature (ai_platforms.def): Sora generates every video. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "platforms.h"
#include "source.h"
#include "text.h"

#define SORA_API "/backend/project_y/post/"

/* The post id of a share link, in the arena, and the origin; NULL when it is not one. */
static const char *share_id(struct arena *a, const char *url, const char **origin)
{
    struct aurl u;
    if (!url || aurl_parse(a, url, &u) < 0) return NULL;
    if (!api_host_is(u.host, "sora.chatgpt.com") && !api_host_is(u.host, "sora.com")) return NULL;
    if (u.nseg != 2 || !aurl_seg_is(&u, 0, "p") || strncmp(u.seg[1], "s_", 2) || strlen(u.seg[1]) > 64) return NULL;
    for (const char *c = u.seg[1] + 2; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') || (*c >= 'A' && *c <= 'F'))) return NULL;
    if (origin) *origin = u.origin;
    return u.seg[1];
}

static int sora_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    int score = share_id(&a, url, NULL) ? 90 : 0;   /* above the link adapter's 80 */
    arena_free(&a);
    return score;
}

static int sora_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    const char *origin = NULL;
    const char *id = sub->url ? share_id(&a, sub->url, &origin) : NULL;
    if (!id) {
        error_set(err, "sora: %s is not a Sora share link (https://sora.chatgpt.com/p/s_...)", sub->url ? sub->url : "");
        arena_free(&a);
        return -1;
    }
    sb_printf(out, "%s" SORA_API "%s", origin, id);
    arena_free(&a);
    return 0;
}

static int sora_describe(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct strbuf req;
    sb_init(&req);
    int rc = sora_request(sub, &req, err);
    if (rc == 0) {
        struct arena a;
        arena_init(&a);
        sb_printf(out, "%s → the post's JSON (yt-dlp, then the OpenGraph card, if the site refuses)",
                  api_url_short(&a, req.s, sub->url));
        arena_free(&a);
    }
    sb_free(&req);
    return rc;
}

static const char *const *sora_headers(const struct subscription *sub, const char *url, struct arena *a)
{
    const char *origin = NULL, *id = share_id(a, sub->url, &origin);
    if (!id || strncmp(url, origin, strlen(origin)) || !strstr(url, SORA_API)) return NULL;
    const char **h = arena_alloc(a, 4 * sizeof *h);
    h[0] = "Accept: application/json";
    h[1] = arena_printf(a, "Origin: %s", origin);
    h[2] = arena_printf(a, "Referer: %s/p/%s", origin, id);
    h[3] = NULL;
    return h;
}

/* ---- the post's JSON --------------------------------------------------------------------------- */

static int is_http(const char *u)
{
    return u && (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8));
}

static const char *encoding(const cJSON *att, const char *name)
{
    const char *p = api_jstr(api_jobj(api_jobj(att, "encodings"), name), "path");
    return is_http(p) ? p : NULL;
}

static void counts(const cJSON *post, cJSON *extra)
{
    static const char *const keys[] = {"like_count", "view_count", "reply_count", "repost_count", "remix_count"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (api_jint(post, keys[i]) >= 0) api_extra_num(extra, keys[i], (double)api_jint(post, keys[i]));
}

static int push_post(struct arena *a, const cJSON *root, const struct subscription *sub, struct item_sink *out,
                     struct error *err)
{
    const cJSON *post = api_jobj(root, "post"), *profile = api_jobj(root, "profile");
    if (!post) {
        error_set(err, "sora: not a Sora post (no \"post\" in the JSON)");
        return -1;
    }
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(post, "tombstoned_at");
    if (ts && !cJSON_IsNull(ts)) {
        error_set(err, "sora: the post was deleted");
        return -1;
    }
    const cJSON *perm = api_jobj(post, "permissions");
    if (perm && cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(perm, "can_read"))) {
        error_set(err, "sora: the post is private");
        return -1;
    }
    struct item it;
    item_init(&it);
    cJSON *extra = api_extra_new();
    it.guid = sub->url;
    it.url = sub->url;
    it.summary = api_jstr(post, "text");
    it.title = api_title(a, NULL, it.summary, "Sora video");
    double t = api_jnum(post, "posted_at", -1);
    it.published = t > 0 && t < 4e10 ? (int64_t)t : -1;
    if (profile) {
        it.author = api_jstr(profile, "display_name");
        const char *user = api_jstr(profile, "username");
        if (user) it.author_handle = arena_printf(a, "@%s", user);
        if (!it.author) it.author = user;
        it.author_url = is_http(api_jstr(profile, "permalink")) ? api_jstr(profile, "permalink") : NULL;
        api_extra_str(extra, "user_id", api_jstr(profile, "user_id"), 96);
    }
    const cJSON *att = cJSON_GetArrayItem(api_jarr(post, "attachments"), 0);
    if (cJSON_IsObject(att)) {
        int blocked = api_jbool(att, "output_blocked");
        const char *media = encoding(att, "source");
        if (!media) media = encoding(att, "md");
        if (!media) media = encoding(att, "source_wm");
        if (!media) media = encoding(att, "ld");
        if (media && !blocked) {
            it.media_url = media;
            it.media_type = "video/mp4";
        }
        it.thumb_url = encoding(att, "thumbnail");
        int64_t w = api_jint(att, "width"), h = api_jint(att, "height");
        it.media_w = it.thumb_w = w > 0 && w < 100000 ? (int)w : 0;
        it.media_h = it.thumb_h = h > 0 && h < 100000 ? (int)h : 0;
        double d = api_jnum(att, "duration_s", -1);
        it.media_duration = d >= 0 && d < 1e6 ? (int64_t)(d + 0.5) : -1;
        api_extra_str(extra, "media_kind", "video", 16);
        if (blocked) api_extra_bool(extra, "output_blocked", 1);
    }
    if (is_http(api_jstr(post, "vtt_url"))) api_extra_str(extra, "vtt_url", api_jstr(post, "vtt_url"), TEXT_MAX_URL);
    counts(post, extra);
    api_extra_str(extra, "via", "api", 16);
    ai_platform_mark(extra, sub->url);
    it.platform = "sora";
    it.host = url_host(a, sub->url);
    it.extra = api_extra_done(a, extra);
    item_sink_push(out, &it);
    item_sink_meta(out, it.title, sub->url, "sora-api");
    return 0;
}

/* ---- the ways around a refusal ----------------------------------------------------------------- */

static int refused(const char *body, size_t len, const struct subscription *sub)
{
    if (sub->status >= 400) return 1;
    if (sub->content_type && strstr(sub->content_type, "html")) return 1;
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) i++;
    return i < len && body[i] == '<';
}

/* Parses a follow-up with another adapter into a sink of its own, then keeps its first item as
 * this link's item (guid = the share link), marked with the way in. */
static int adopt(const struct source *src, const char *body, size_t len, const struct subscription *sub,
                 const char *stage, const char *via, int replace, struct item_sink *out, struct error *err)
{
    struct item_sink tmp;
    item_sink_init(&tmp);
    struct subscription s2 = *sub;
    s2.stage = stage;
    int rc = src->parse(body, len, &s2, &tmp, err);
    const struct item *have = item_sink_find(out, sub->url);
    int placeholder = have && have->extra && strstr(have->extra, "\"via\":\"none\"");
    if (rc == 0 && tmp.n > 0 && (replace || !have || placeholder)) {
        struct arena a;
        arena_init(&a);
        struct item it = tmp.items[0];
        it.guid = sub->url;
        it.platform = "sora";
        it.host = url_host(&a, sub->url);
        if (!it.url || !is_http(it.url)) it.url = sub->url;
        cJSON *extra = it.extra ? cJSON_Parse(it.extra) : NULL;
        if (!cJSON_IsObject(extra)) {
            cJSON_Delete(extra);
            extra = api_extra_new();
        }
        cJSON_DeleteItemFromObjectCaseSensitive(extra, "via");
        api_extra_str(extra, "via", via, 16);
        ai_platform_mark(extra, sub->url);
        it.extra = api_extra_done(&a, extra);
        item_sink_replace(out, &it);
        item_sink_meta(out, it.title, sub->url, replace ? "sora-ytdlp" : "sora-card");
        arena_free(&a);
    }
    /* the card's own oEmbed follow-up comes back here, as stage "oembed" */
    for (size_t i = 0; i < tmp.n_follows; i++) item_sink_follow(out, &tmp.follows[i]);
    item_sink_free(&tmp);
    return rc;
}

static int sora_parse(const char *body, size_t len, const struct subscription *sub, struct item_sink *out,
                      struct error *err)
{
    const char *stage = sub->stage;
    if (stage && !strcmp(stage, "ytdlp")) return adopt(&source_ytdlp, body, len, sub, NULL, "yt-dlp", 1, out, err);
    if (stage && !strcmp(stage, "card")) return adopt(&source_link, body, len, sub, NULL, "card", 0, out, err);
    if (stage && !strcmp(stage, "oembed")) return source_link.parse(body, len, sub, out, err);
    if (refused(body, len, sub)) {
        /* a challenge page: yt-dlp first (it is let in more often), the card as the last resort;
         * until one of them answers, the item is the link itself, which mpv's ytdl hook can play,
         * so a refresh that gets past neither still leaves something to open */
        struct arena a;
        arena_init(&a);
        struct item it;
        item_init(&it);
        it.guid = it.url = sub->url;
        it.title = "Sora video (the site refused the API; not read yet)";
        it.media_url = sub->url;
        it.media_type = "page";
        it.platform = "sora";
        it.host = url_host(&a, sub->url);
        cJSON *extra = api_extra_new();
        api_extra_str(extra, "via", "none", 16);
        api_extra_str(extra, "media_kind", "video", 16);
        ai_platform_mark(extra, sub->url);
        it.extra = api_extra_done(&a, extra);
        if (!item_sink_find(out, sub->url)) item_sink_push(out, &it);
        arena_free(&a);
        struct strbuf b;
        sb_init(&b);
        sb_printf(&b, SOURCE_YTDLP_PREFIX "%s", sub->url);
        struct item_follow y = {.url = b.s, .stage = "ytdlp", .optional = 1};
        /* a link already stored keeps its item: the card is not asked for and the stand-in above
         * is dropped (skip_guid), so a refused refresh never overwrites what an earlier one read;
         * yt-dlp's answer, fuller, still replaces it */
        struct item_follow c = {.url = sub->url, .stage = "card", .optional = 1, .skip_guid = sub->url};
        item_sink_follow(out, &y);
        item_sink_follow(out, &c);
        sb_free(&b);
        return 0;
    }
    cJSON *root = api_json_parse(body, len, err);
    if (!root) {
        error_prefix(err, "sora");
        return -1;
    }
    struct arena a;
    arena_init(&a);
    int rc = push_post(&a, root, sub, out, err);
    arena_free(&a);
    cJSON_Delete(root);
    return rc;
}

const struct source source_sora = {
    .name = "sora",
    .description = "a Sora share link (https://sora.chatgpt.com/p/s_...): the post's video, text and author",
    .detect = sora_detect,
    .request = sora_request,
    .parse = sora_parse,
    .describe = sora_describe,
    .headers = sora_headers,
    .parse_errors = 1,
};
