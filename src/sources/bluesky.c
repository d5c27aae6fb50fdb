/* SPDX-License-Identifier: ISC */
/* bluesky — Bluesky through the public AppView (public.api.bsky.app), which needs no login.
 * Profiles are app.bsky.feed.getAuthorFeed; custom feeds and lists need the owner's DID in their
 * at:// URI, so a handle in such a URL is first resolved (com.atproto.identity.resolveHandle) and
 * the resulting endpoint is remembered.  Single posts go through getPostThread, searches through
 * searchPosts.
 *
 * Labels keep their source: "graphic-media@did:plc:…" for a labeller's, "value@self" for the
 * author's own.  A "bot" label on the author sets author_bot; adult and graphic labels mark the
 * post sensitive so the reader hides its media until asked. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "date.h"
#include "feedutil.h"
#include "source.h"
#include "text.h"

#define APPVIEW "https://public.api.bsky.app"

enum shape { B_NONE, B_API, B_PROFILE, B_FEED, B_LIST, B_POST, B_SEARCH };

struct target {
    enum shape shape;
    const char *actor;       /* handle or DID */
    const char *rkey;        /* feed name, list id or post key */
    const char *query;       /* B_SEARCH */
    const char *filter;      /* B_PROFILE: getAuthorFeed filter */
};

static int is_bsky_web(const char *host)
{
    return api_host_is(host, "bsky.app") || api_host_is(host, "bsky.social") || api_host_is(host, "main.bsky.dev");
}

static enum shape classify(struct arena *a, const struct aurl *u, struct target *t)
{
    memset(t, 0, sizeof *t);
    if (aurl_seg_is(u, 0, "xrpc") && u->nseg == 2 &&
        (!strncmp(u->seg[1], "app.bsky.feed.", 14) || !strncmp(u->seg[1], "app.bsky.graph.", 15)))
        return t->shape = B_API;
    if (aurl_seg_is(u, 0, "profile") && u->nseg >= 2) {
        t->actor = u->seg[1];
        if (u->nseg == 2) {
            t->filter = "posts_no_replies";
            return t->shape = B_PROFILE;
        }
        if (u->nseg == 3) {
            /* the profile page's tabs */
            if (aurl_seg_is(u, 2, "media")) t->filter = "posts_with_media";
            else if (aurl_seg_is(u, 2, "replies")) t->filter = "posts_with_replies";
            else if (aurl_seg_is(u, 2, "video")) t->filter = "posts_with_video";
            else return B_NONE;    /* "rss" is the profile's RSS feed: the feed adapter's */
            return t->shape = B_PROFILE;
        }
        if (u->nseg == 4) {
            t->rkey = u->seg[3];
            if (aurl_seg_is(u, 2, "feed")) return t->shape = B_FEED;
            if (aurl_seg_is(u, 2, "lists")) return t->shape = B_LIST;
            if (aurl_seg_is(u, 2, "post")) return t->shape = B_POST;
        }
        return B_NONE;
    }
    if (aurl_seg_is(u, 0, "search") && u->nseg == 1) {
        t->query = aurl_param(a, u, "q");
        return t->query && *t->query ? (t->shape = B_SEARCH) : B_NONE;
    }
    if (aurl_seg_is(u, 0, "hashtag") && u->nseg == 2) {
        t->query = arena_printf(a, "#%s", u->seg[1]);
        return t->shape = B_SEARCH;
    }
    return B_NONE;
}

static int bluesky_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    struct target t;
    int score = 0;
    if (aurl_parse(&a, url, &u) == 0) {
        enum shape s = classify(&a, &u, &t);
        if (s == B_API) score = 90;
        else if (s != B_NONE) score = is_bsky_web(u.host) ? 95 : (s == B_PROFILE ? 30 : 20);
    }
    arena_free(&a);
    return score;
}

/* The AppView serving a URL: Bluesky's public one for bsky.app, else the URL's own origin (a
 * self-hosted AppView, or the tests' loopback server). */
static const char *appview(const struct aurl *u)
{
    return is_bsky_web(u->host) ? APPVIEW : u->origin;
}

static void add_limit(struct strbuf *b, const struct subscription *sub, size_t max)
{
    if (sub->max_items) sb_printf(b, "&limit=%zu", sub->max_items < max ? sub->max_items : max);
}

/* The endpoint for a target whose actor is a DID (or needs none). */
static void endpoint(struct strbuf *b, const char *base, const struct target *t, const char *did,
                     const struct subscription *sub)
{
    switch (t->shape) {
    case B_PROFILE:
        sb_printf(b, "%s/xrpc/app.bsky.feed.getAuthorFeed?actor=", base);
        sb_add_pct(b, t->actor);
        sb_printf(b, "&filter=%s", t->filter);
        add_limit(b, sub, 100);
        break;
    case B_FEED:
        sb_printf(b, "%s/xrpc/app.bsky.feed.getFeed?feed=", base);
        sb_add_pct(b, "at://");
        sb_add_pct(b, did);
        sb_add_pct(b, "/app.bsky.feed.generator/");
        sb_add_pct(b, t->rkey);
        add_limit(b, sub, 100);
        break;
    case B_LIST:
        sb_printf(b, "%s/xrpc/app.bsky.feed.getListFeed?list=", base);
        sb_add_pct(b, "at://");
        sb_add_pct(b, did);
        sb_add_pct(b, "/app.bsky.graph.list/");
        sb_add_pct(b, t->rkey);
        add_limit(b, sub, 100);
        break;
    case B_POST:
        sb_printf(b, "%s/xrpc/app.bsky.feed.getPostThread?depth=0&uri=", base);
        sb_add_pct(b, "at://");
        sb_add_pct(b, did);
        sb_add_pct(b, "/app.bsky.feed.post/");
        sb_add_pct(b, t->rkey);
        break;
    case B_SEARCH:
        sb_printf(b, "%s/xrpc/app.bsky.feed.searchPosts?sort=latest&q=", base);
        sb_add_pct(b, t->query);
        add_limit(b, sub, 100);
        break;
    default:
        break;
    }
}

static int needs_did(const struct target *t)
{
    return (t->shape == B_FEED || t->shape == B_LIST || t->shape == B_POST) &&
           strncmp(t->actor, "did:", 4) != 0;
}

static int bluesky_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    struct target t;
    int rc = 0;
    if (aurl_parse(&a, sub->url, &u) < 0 || classify(&a, &u, &t) == B_NONE) {
        error_set(err, "bluesky: %s is not a profile, feed, list, post or search URL", sub->url);
        rc = -1;
    } else if (t.shape == B_API) {
        sb_adds(out, sub->url);
    } else if (needs_did(&t)) {
        sb_printf(out, "%s/xrpc/com.atproto.identity.resolveHandle?handle=", appview(&u));
        sb_add_pct(out, t.actor);
    } else {
        endpoint(out, appview(&u), &t, t.actor, sub);
    }
    arena_free(&a);
    return rc;
}

static int bluesky_describe(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct strbuf req;
    sb_init(&req);
    int rc = bluesky_request(sub, &req, err);
    if (rc == 0) {
        api_describe_req(out, req.s, sub->url);
        if (strstr(req.s, "resolveHandle")) {
            struct arena a;
            arena_init(&a);
            struct aurl u;
            struct target t;
            aurl_parse(&a, sub->url, &u);
            classify(&a, &u, &t);
            sb_printf(out, " \xe2\x86\x92 %s", t.shape == B_FEED ? "getFeed" : t.shape == B_LIST ? "getListFeed"
                                                                                   : "getPostThread");
            arena_free(&a);
        }
    }
    sb_free(&req);
    return rc;
}

/* ---- posts ----------------------------------------------------------------------------------- */

struct post_ctx {
    struct arena *a;
    struct item it;
    cJSON *extra;
    struct strbuf labels, text;
    int sensitive;
};

static const char *profile_url(struct arena *a, const cJSON *author)
{
    const char *h = api_jstr(author, "handle");
    if (!h || !strcmp(h, "handle.invalid")) h = api_jstr(author, "did");
    return h ? arena_printf(a, "https://bsky.app/profile/%s", h) : NULL;
}

static const char *who(struct arena *a, const cJSON *author)
{
    const char *name = api_jstr(author, "displayName"), *h = api_jstr(author, "handle");
    if (feed_blank(name)) return h ? arena_printf(a, "@%s", h) : NULL;
    return h ? arena_printf(a, "%s (@%s)", name, h) : name;
}

static int is_sensitive_label(const char *v)
{
    static const char *const tab[] = {"porn", "sexual", "nudity", "graphic-media", "gore", "nsfl", NULL};
    for (size_t i = 0; tab[i]; i++)
        if (!strcmp(v, tab[i])) return 1;
    return 0;
}

static int is_ai_label(const char *v)
{
    return strstr(v, "ai-") == v || strstr(v, "-ai") || !strcmp(v, "ai") || strstr(v, "generated") ||
           strstr(v, "synthetic");
}

static void take_labels(struct post_ctx *c, const cJSON *labels, const char *owner_did, int author)
{
    const cJSON *l;
    cJSON_ArrayForEach(l, labels) {
        const char *v = api_jstr(l, "val"), *src = api_jstr(l, "src");
        if (!v || api_jbool(l, "neg")) continue;
        const char *source = (src && owner_did && !strcmp(src, owner_did)) ? "self" : src;
        api_labels_add(&c->labels, v, source);
        if (author && !strcmp(v, "bot")) c->it.author_bot = 1;
        if (is_sensitive_label(v)) c->sensitive = 1;
        if (is_ai_label(v) && !cJSON_GetObjectItemCaseSensitive(c->extra, "ai_label"))
            api_extra_str(c->extra, "ai_label", source ? arena_printf(c->a, "%s@%s", v, source) : v, TEXT_MAX_NAME);
    }
}

static void verification(struct post_ctx *c, const cJSON *author)
{
    const cJSON *v = api_jobj(author, "verification");
    if (!v) return;
    const char *status = api_jstr(v, "verifiedStatus");
    api_extra_bool(c->extra, "verified", status && !strcmp(status, "valid"));
    const cJSON *ver;
    cJSON_ArrayForEach(ver, api_jarr(v, "verifications")) {
        if (!api_jbool(ver, "isValid")) continue;
        api_extra_str(c->extra, "verified_by", api_jstr(ver, "issuer"), TEXT_MAX_NAME);
        break;
    }
    const char *trusted = api_jstr(v, "trustedVerifierStatus");
    if (trusted && !strcmp(trusted, "valid")) api_extra_bool(c->extra, "trusted_verifier", 1);
}

static int is_video_site(const char *host)
{
    return host && (api_host_is(host, "youtube.com") || api_host_is(host, "youtu.be") || api_host_is(host, "vimeo.com") ||
                    api_host_is(host, "twitch.tv") || api_host_is(host, "dailymotion.com"));
}

static void aspect(const cJSON *o, int *w, int *h)
{
    const cJSON *ar = api_jobj(o, "aspectRatio");
    int64_t x = api_jint(ar, "width"), y = api_jint(ar, "height");
    if (x > 0 && y > 0 && x < 100000 && y < 100000) { *w = (int)x; *h = (int)y; }
}

/* One embed view (images, video, external); quotes are handled by the caller. */
static void media_view(struct post_ctx *c, const cJSON *e)
{
    const char *type = api_jstr(e, "$type");
    if (!type) return;
    if (!strcmp(type, "app.bsky.embed.images#view")) {
        cJSON *arr = cJSON_AddArrayToObject(c->extra, "images");
        const cJSON *img;
        int n = 0;
        cJSON_ArrayForEach(img, api_jarr(e, "images")) {
            if (!api_jstr(img, "thumb") || n++ >= 8) continue;
            if (!c->it.thumb_url) {
                c->it.thumb_url = api_jstr(img, "thumb");
                aspect(img, &c->it.thumb_w, &c->it.thumb_h);
            }
            cJSON *o = cJSON_CreateObject();
            api_extra_str(o, "url", api_jstr(img, "fullsize"), TEXT_MAX_URL);
            api_extra_str(o, "preview", api_jstr(img, "thumb"), TEXT_MAX_URL);
            api_extra_str(o, "alt", api_jstr(img, "alt"), 1000);
            cJSON_AddItemToArray(arr, o);
        }
        if (!cJSON_GetObjectItemCaseSensitive(c->extra, "media_kind")) api_extra_str(c->extra, "media_kind", "image", 16);
    } else if (!strcmp(type, "app.bsky.embed.video#view")) {
        c->it.media_url = api_jstr(e, "playlist");
        c->it.media_type = "hls";
        aspect(e, &c->it.media_w, &c->it.media_h);
        if (api_jstr(e, "thumbnail")) {
            c->it.thumb_url = api_jstr(e, "thumbnail");
            aspect(e, &c->it.thumb_w, &c->it.thumb_h);
        }
        api_extra_str(c->extra, "media_kind", "hls", 16);
        api_extra_str(c->extra, "alt", api_jstr(e, "alt"), 1000);
    } else if (!strcmp(type, "app.bsky.embed.external#view")) {
        const cJSON *x = api_jobj(e, "external");
        const char *uri = api_jstr(x, "uri"), *title = api_jstr(x, "title");
        if (!uri) return;
        cJSON *o = cJSON_AddObjectToObject(c->extra, "card");
        api_extra_str(o, "url", uri, TEXT_MAX_URL);
        api_extra_str(o, "title", title, TEXT_MAX_TITLE);
        if (!c->it.thumb_url) c->it.thumb_url = api_jstr(x, "thumb");
        if (!c->it.media_url && is_video_site(url_host(c->a, uri))) {
            c->it.media_url = uri;
            c->it.media_type = "page";
            api_extra_str(c->extra, "media_kind", "video", 16);
        }
        sb_printf(&c->text, "\n\n%s%s%s", title ? title : "", title ? "\n" : "", uri);
    }
}

static void quote(struct post_ctx *c, const cJSON *rec)
{
    const char *type = api_jstr(rec, "$type");
    if (!type) return;
    if (strcmp(type, "app.bsky.embed.record#viewRecord") != 0) {
        /* viewNotFound, viewBlocked, viewDetached, or a feed/list record: say what it was */
        if (strstr(type, "NotFound") || strstr(type, "Blocked") || strstr(type, "Detached"))
            sb_adds(&c->text, "\n\n[quoted post unavailable]");
        return;
    }
    const cJSON *author = api_jobj(rec, "author");
    const char *text = api_jstr(api_jobj(rec, "value"), "text");
    cJSON *o = cJSON_AddObjectToObject(c->extra, "quote");
    api_extra_str(o, "uri", api_jstr(rec, "uri"), TEXT_MAX_URL);
    api_extra_str(o, "author", who(c->a, author), TEXT_MAX_NAME);
    api_extra_str(o, "text", text, 2000);
    sb_printf(&c->text, "\n\n\xe2\x80\x9c%s\xe2\x80\x9d \xe2\x80\x94 %s", text ? text : "",
              who(c->a, author) ? who(c->a, author) : "?");
    /* a quoted post's picture stands in when the quoting one has none; its media stay its own */
    const cJSON *emb = api_jarr(rec, "embeds") ? api_jarr(rec, "embeds")->child : NULL;
    const char *etype = api_jstr(emb, "$type");
    if (etype && strstr(etype, "recordWithMedia")) emb = api_jobj(emb, "media"), etype = api_jstr(emb, "$type");
    if (!c->it.thumb_url && etype) {
        if (strstr(etype, "images#view") && api_jarr(emb, "images") && api_jarr(emb, "images")->child)
            c->it.thumb_url = api_jstr(api_jarr(emb, "images")->child, "thumb");
        else if (strstr(etype, "video#view"))
            c->it.thumb_url = api_jstr(emb, "thumbnail");
        else if (strstr(etype, "external#view"))
            c->it.thumb_url = api_jstr(api_jobj(emb, "external"), "thumb");
        if (c->it.thumb_url) api_extra_bool(c->extra, "thumb_from_quote", 1);
    }
}

static void embed(struct post_ctx *c, const cJSON *e)
{
    const char *type = api_jstr(e, "$type");
    if (!type) return;
    if (!strcmp(type, "app.bsky.embed.record#view")) {
        quote(c, api_jobj(e, "record"));
    } else if (!strcmp(type, "app.bsky.embed.recordWithMedia#view")) {
        media_view(c, api_jobj(e, "media"));
        quote(c, api_jobj(api_jobj(e, "record"), "record"));
    } else {
        media_view(c, e);
    }
}

static const char *rkey_of(const char *uri)
{
    const char *s = uri ? strrchr(uri, '/') : NULL;
    return s && s[1] ? s + 1 : NULL;
}

static void push_post(struct arena *a, const cJSON *post, const cJSON *fv, int logged_in, struct item_sink *out)
{
    struct post_ctx c = {.a = a};
    item_init(&c.it);
    c.extra = api_extra_new();
    sb_init(&c.labels);
    sb_init(&c.text);
    const cJSON *author = api_jobj(post, "author");
    const cJSON *rec = api_jobj(post, "record");
    const char *did = api_jstr(author, "did"), *handle = api_jstr(author, "handle");

    c.it.guid = api_jstr(post, "uri");
    if (!c.it.guid) {
        /* not a post view: another API's JSON with a "posts" member */
        cJSON_Delete(c.extra);
        sb_free(&c.labels);
        sb_free(&c.text);
        return;
    }
    const char *rkey = rkey_of(c.it.guid);
    if (rkey && (handle || did))
        c.it.url = arena_printf(a, "https://bsky.app/profile/%s/post/%s",
                                handle && strcmp(handle, "handle.invalid") ? handle : did, rkey);
    const char *text = api_jstr(rec, "text");
    if (text) sb_adds(&c.text, text);
    c.it.author = api_jstr(author, "displayName");
    if (feed_blank(c.it.author)) c.it.author = handle;
    c.it.author_handle = handle ? arena_printf(a, "@%s", handle) : did;
    c.it.author_url = profile_url(a, author);
    verification(&c, author);
    take_labels(&c, api_jarr(author, "labels"), did, 1);
    take_labels(&c, api_jarr(post, "labels"), did, 0);

    c.it.published = date_parse(api_jstr(post, "indexedAt"));
    if (c.it.published < 0) c.it.published = date_parse(api_jstr(rec, "createdAt"));
    const cJSON *reason = api_jobj(fv, "reason");
    const char *rtype = api_jstr(reason, "$type");
    if (rtype && strstr(rtype, "reasonRepost")) {
        api_extra_str(c.extra, "boosted_by", who(a, api_jobj(reason, "by")), TEXT_MAX_NAME);
        int64_t when = date_parse(api_jstr(reason, "indexedAt"));
        if (when >= 0) c.it.published = when;
    }
    const cJSON *parent = api_jobj(api_jobj(fv, "reply"), "parent");
    if (parent) api_extra_str(c.extra, "reply_to", who(a, api_jobj(parent, "author")), TEXT_MAX_NAME);

    embed(&c, api_jobj(post, "embed"));
    if (c.sensitive) api_extra_bool(c.extra, "sensitive", 1);
    if (logged_in) api_extra_bool(c.extra, "logged_in", 1);   /* provenance: !no-unauthenticated is shown */

    const char *fallback = c.it.media_url ? "(video)" : c.it.thumb_url ? "(image)" : c.it.url;
    c.it.title = api_title(a, NULL, text, fallback);
    c.it.summary = c.text.s;
    c.it.labels = c.labels.s;
    c.it.platform = "bluesky";
    c.it.host = "bsky.app";
    c.it.extra = api_extra_done(a, c.extra);
    item_sink_push(out, &c.it);
    sb_free(&c.labels);
    sb_free(&c.text);
}

/* resolveHandle's answer: now the real endpoint can be built. */
static int follow_did(struct arena *a, const cJSON *root, const struct subscription *sub,
                      struct item_sink *out, struct error *err)
{
    const char *did = api_jstr(root, "did");
    struct aurl u, f;
    struct target t;
    if (!did || strncmp(did, "did:", 4)) {
        error_set(err, "bluesky: the handle did not resolve to a DID");
        return -1;
    }
    if (aurl_parse(a, sub->url, &u) < 0 || classify(a, &u, &t) == B_NONE || !needs_did(&t) ||
        aurl_parse(a, sub->fetch_url ? sub->fetch_url : sub->url, &f) < 0) {
        error_set(err, "bluesky: unexpected answer to a handle lookup");
        return -1;
    }
    struct strbuf b;
    sb_init(&b);
    endpoint(&b, f.origin, &t, did, sub);
    struct item_follow fo = {.url = b.s, .stage = "feed", .endpoint = 1};
    item_sink_follow(out, &fo);
    sb_free(&b);
    return 0;
}

static int bluesky_parse(const char *body, size_t len, const struct subscription *sub,
                         struct item_sink *out, struct error *err)
{
    cJSON *root = api_json_parse(body, len, err);
    if (!root) return -1;
    struct arena a;
    arena_init(&a);
    int rc = 0;
    /* read with the user's login (the timeline adapter hands its bodies here) */
    int logged_in = sub && sub->kind && !strcmp(sub->kind, "bluesky-login");
    const cJSON *feed = api_jarr(root, "feed"), *posts = api_jarr(root, "posts");
    const cJSON *thread = api_jobj(root, "thread");
    if (feed) {
        const cJSON *fv;
        cJSON_ArrayForEach(fv, feed) {
            const cJSON *post = api_jobj(fv, "post");
            if (post) push_post(&a, post, fv, logged_in, out);
        }
        item_sink_meta(out, NULL, NULL, "bluesky-feed");
    } else if (posts) {
        const cJSON *p;
        cJSON_ArrayForEach(p, posts)
            if (cJSON_IsObject(p)) push_post(&a, p, NULL, logged_in, out);
        item_sink_meta(out, NULL, NULL, "bluesky-posts");
    } else if (thread && api_jobj(thread, "post")) {
        push_post(&a, api_jobj(thread, "post"), NULL, logged_in, out);
        item_sink_meta(out, NULL, NULL, "bluesky-thread");
    } else if (api_jstr(root, "did") && !sub->stage) {
        rc = follow_did(&a, root, sub, out, err);
    } else if (api_jstr(root, "error")) {
        error_set(err, "bluesky: the server says: %.60s: %.200s", api_jstr(root, "error"),
                  api_jstr(root, "message") ? api_jstr(root, "message") : "");
        rc = -1;
    } else {
        error_set(err, "bluesky: not a feed of posts (unexpected JSON)");
        rc = -1;
    }
    /* a profile feed is named after its author, other feeds after what the URL says */
    if (rc == 0 && out->n && !out->meta.title) {
        struct aurl u;
        struct target t;
        enum shape s = aurl_parse(&a, sub->url, &u) == 0 ? classify(&a, &u, &t) : B_NONE;
        if (s == B_FEED) item_sink_meta(out, arena_printf(&a, "Bluesky feed \"%s\" by @%s", t.rkey, t.actor), NULL, NULL);
        else if (s == B_LIST) item_sink_meta(out, arena_printf(&a, "Bluesky list by @%s", t.actor), NULL, NULL);
        else if (s == B_SEARCH) item_sink_meta(out, arena_printf(&a, "Bluesky search: %s", t.query), NULL, NULL);
        if (s == B_PROFILE) {
            for (size_t i = 0; i < out->n; i++) {
                const struct item *it = &out->items[i];
                if (it->author_handle && it->author_handle[0] == '@' &&
                    !strcasecmp(it->author_handle + 1, t.actor)) {
                    item_sink_meta(out, arena_printf(&a, "%s (%s)", it->author ? it->author : "", it->author_handle),
                                   it->author_url, NULL);
                    break;
                }
            }
        }
    }
    arena_free(&a);
    cJSON_Delete(root);
    return rc;
}

const struct source source_bluesky = {
    .name = "bluesky",
    .description = "Bluesky: https://bsky.app/profile/HANDLE[/feed/NAME|/lists/ID], search, or an /xrpc URL",
    .detect = bluesky_detect,
    .request = bluesky_request,
    .parse = bluesky_parse,
    .describe = bluesky_describe,
};
