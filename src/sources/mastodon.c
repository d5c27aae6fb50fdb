/* SPDX-License-Identifier: ISC */
/* mastodon — Mastodon (and API-compatible servers: GoToSocial, Pleroma, Akkoma) through the public
 * REST API, no login.  A profile URL needs two steps: /api/v1/accounts/lookup gives the account's
 * id, then /api/v1/accounts/:id/statuses its posts; the statuses URL is remembered as the feed's
 * endpoint so later refreshes skip the lookup.  Tags and the public timelines are one request.
 *
 * A boost becomes the boosted post, by its original author, with "boosted_by" in extra; a content
 * warning becomes the title ("CW: ...") so the text stays collapsed; sensitive media is flagged,
 * never dropped, so the reader can show it when asked. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "date.h"
#include "feedutil.h"
#include "source.h"
#include "text.h"

/* Instances common enough that their URLs are recognised whatever the path looks like. */
static const char *const known_hosts[] = {
    "mastodon.social", "mastodon.online", "mstdn.social", "fosstodon.org", "hachyderm.io",
    "infosec.exchange", "mas.to", "chaos.social", "mastodon.world", "mstdn.science",
    "social.vivaldi.net", "troet.cafe", "mastodon.art", "techhub.social", "universeodon.com",
    "aus.social", "mastodon.nz", "sfba.social", "ioc.exchange", "mathstodon.xyz", "masto.ai",
    "toot.community", "floss.social", "social.coop", "mstdn.jp", "pawoo.net", "indieweb.social",
    NULL,
};

enum shape { M_NONE, M_API, M_ACCOUNT, M_STATUS, M_TAG, M_PUBLIC, M_TRENDS };

struct target {
    enum shape shape;
    const char *acct;        /* M_ACCOUNT */
    const char *id;          /* M_STATUS */
    const char *tag;         /* M_TAG */
    int local, remote;       /* M_PUBLIC */
    int replies, media;      /* M_ACCOUNT: /with_replies, /media */
};

static int known_host(const char *host)
{
    for (size_t i = 0; known_hosts[i]; i++)
        if (api_host_is(host, known_hosts[i])) return 1;
    return strstr(host, "mastodon") || strstr(host, "mstdn") || strstr(host, "toot");
}

static int all_digits(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

static enum shape classify(const struct aurl *u, struct target *t)
{
    memset(t, 0, sizeof *t);
    int i = 0;
    if (aurl_seg_is(u, 0, "web")) i = 1;     /* the web app's own prefix */
    if (aurl_seg_is(u, 0, "api") && u->nseg >= 3) return t->shape = M_API;
    if (u->nseg <= i) return M_NONE;
    const char *s0 = u->seg[i];
    if (s0[0] == '@' && s0[1]) {
        /* "@name" or "@name@host"; "@name.rss" is the account's RSS, for the feed adapter */
        size_t n = strlen(s0);
        if (n > 4 && (!strcasecmp(s0 + n - 4, ".rss") || !strcasecmp(s0 + n - 5, ".json") ||
                      !strcasecmp(s0 + n - 5, ".atom")))
            return M_NONE;
        t->acct = s0 + 1;
        if (u->nseg == i + 2 && all_digits(u->seg[i + 1])) {
            t->id = u->seg[i + 1];
            return t->shape = M_STATUS;
        }
        if (u->nseg > i + 2) return M_NONE;
        if (u->nseg == i + 2) {
            if (!strcasecmp(u->seg[i + 1], "with_replies")) t->replies = 1;
            else if (!strcasecmp(u->seg[i + 1], "media")) t->media = 1;
            else if (strcasecmp(u->seg[i + 1], "featured")) return M_NONE;
        }
        return t->shape = M_ACCOUNT;
    }
    if (!strcasecmp(s0, "users") && u->nseg > i + 1) {
        t->acct = u->seg[i + 1];
        if (u->nseg == i + 4 && aurl_seg_is(u, i + 2, "statuses") && all_digits(u->seg[i + 3])) {
            t->id = u->seg[i + 3];
            return t->shape = M_STATUS;
        }
        return u->nseg == i + 2 ? (t->shape = M_ACCOUNT) : M_NONE;
    }
    if ((!strcasecmp(s0, "tags") || !strcasecmp(s0, "tag")) && u->nseg == i + 2) {
        t->tag = u->seg[i + 1];
        return t->shape = M_TAG;
    }
    if (!strcasecmp(s0, "public") && u->nseg <= i + 2) {
        if (u->nseg == i + 2) {
            if (!strcasecmp(u->seg[i + 1], "local")) t->local = 1;
            else if (!strcasecmp(u->seg[i + 1], "remote")) t->remote = 1;
            else return M_NONE;
        }
        return t->shape = M_PUBLIC;
    }
    if (!strcasecmp(s0, "explore") && u->nseg == i + 1) return t->shape = M_TRENDS;
    return M_NONE;
}

static int mastodon_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    struct target t;
    int score = 0;
    if (aurl_parse(&a, url, &u) == 0) {
        enum shape s = classify(&u, &t);
        int known = known_host(u.host);
        if (s == M_API) {
            /* the API's own paths, on any host (PeerTube shares /api/v1 but not these names) */
            if (aurl_seg_is(&u, 2, "timelines") || (aurl_seg_is(&u, 2, "accounts") &&
                                                     (aurl_path_ends(&u, "/statuses") || aurl_seg_is(&u, 3, "lookup"))) ||
                aurl_seg_is(&u, 2, "statuses") || aurl_seg_is(&u, 2, "trends"))
                score = 90;
        } else if (s == M_ACCOUNT || s == M_STATUS) {
            score = known ? 90 : 55;
        } else if (s != M_NONE) {
            score = known ? 90 : 35;
        }
        if (score && (api_host_is(u.host, "youtube.com") || api_host_is(u.host, "medium.com") ||
                      api_host_is(u.host, "tiktok.com") || api_host_is(u.host, "bsky.app")))
            score = 0;
    }
    arena_free(&a);
    return score;
}

static size_t page_limit(const struct subscription *sub)
{
    return sub->max_items ? (sub->max_items < 40 ? sub->max_items : 40) : 0;
}

static int mastodon_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    struct target t;
    int rc = 0;
    if (aurl_parse(&a, sub->url, &u) < 0 || classify(&u, &t) == M_NONE) {
        error_set(err, "mastodon: %s is not a profile, tag, status or timeline URL", sub->url);
        rc = -1;
    } else {
        size_t lim = page_limit(sub);
        switch (t.shape) {
        case M_API:
            sb_adds(out, sub->url);
            break;
        case M_ACCOUNT:
            sb_printf(out, "%s/api/v1/accounts/lookup?acct=", u.origin);
            sb_add_pct(out, t.acct);
            break;
        case M_STATUS:
            sb_printf(out, "%s/api/v1/statuses/", u.origin);
            sb_add_pct(out, t.id);
            break;
        case M_TAG:
            sb_printf(out, "%s/api/v1/timelines/tag/", u.origin);
            sb_add_pct(out, t.tag);
            if (lim) sb_printf(out, "?limit=%zu", lim);
            break;
        case M_PUBLIC:
            sb_printf(out, "%s/api/v1/timelines/public%s", u.origin,
                      t.local ? "?local=true" : t.remote ? "?remote=true" : "");
            if (lim) sb_printf(out, "%slimit=%zu", (t.local || t.remote) ? "&" : "?", lim);
            break;
        case M_TRENDS:
            sb_printf(out, "%s/api/v1/trends/statuses", u.origin);
            if (lim) sb_printf(out, "?limit=%zu", lim);
            break;
        case M_NONE:
            break;
        }
    }
    arena_free(&a);
    return rc;
}

static int mastodon_describe(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct strbuf req;
    sb_init(&req);
    int rc = mastodon_request(sub, &req, err);
    if (rc == 0) {
        api_describe_req(out, req.s, sub->url);
        if (strstr(req.s, "/api/v1/accounts/lookup?")) sb_adds(out, " \xe2\x86\x92 statuses");
    }
    sb_free(&req);
    return rc;
}

/* ---- statuses -------------------------------------------------------------------------------- */

/* "@name@host" for a local "name" too, so a handle says where the account lives. */
static const char *full_handle(struct arena *a, const cJSON *acc)
{
    const char *acct = api_jstr(acc, "acct");
    if (!acct) return NULL;
    if (strchr(acct, '@')) return arena_printf(a, "@%s", acct);
    const char *host = url_host(a, api_jstr(acc, "url"));
    return host ? arena_printf(a, "@%s@%s", acct, host) : arena_printf(a, "@%s", acct);
}

static const char *display_name(const cJSON *acc)
{
    const char *n = api_jstr(acc, "display_name");
    if (feed_blank(n)) n = api_jstr(acc, "username");
    return n;
}

/* Profile fields whose link the server verified (rel="me" back-links). */
static void verified_fields(struct arena *a, const cJSON *acc, cJSON *extra)
{
    const cJSON *fields = api_jarr(acc, "fields");
    cJSON *arr = NULL;
    const cJSON *f;
    cJSON_ArrayForEach(f, fields) {
        const char *at = api_jstr(f, "verified_at");
        if (!at) continue;
        if (!arr) arr = cJSON_AddArrayToObject(extra, "verified_fields");
        cJSON *o = cJSON_CreateObject();
        api_extra_str(o, "name", api_jstr(f, "name"), TEXT_MAX_SHORT);
        api_extra_str(o, "value", api_text(a, api_jstr(f, "value")), TEXT_MAX_SHORT);
        api_extra_str(o, "verified_at", at, 64);
        cJSON_AddItemToArray(arr, o);
    }
}

static const char *mime_for(const char *type, const char *url)
{
    const char *m = feed_guess_mime(url);
    if (m) return m;
    if (!strcmp(type, "audio")) return "audio/mpeg";
    return "video/mp4";
}

static void attachments(const cJSON *st, struct item *it, cJSON *extra)
{
    const cJSON *list = api_jarr(st, "media_attachments");
    const cJSON *m, *av = NULL, *first = NULL;
    cJSON *images = NULL;
    int n_images = 0;
    cJSON_ArrayForEach(m, list) {
        const char *type = api_jstr(m, "type");
        if (!type || !api_jstr(m, "url")) continue;
        if (!first) first = m;
        if (!av && (!strcmp(type, "video") || !strcmp(type, "gifv") || !strcmp(type, "audio"))) av = m;
        if (!strcmp(type, "image") && n_images < 8) {
            if (!images) images = cJSON_AddArrayToObject(extra, "images");
            cJSON *o = cJSON_CreateObject();
            api_extra_str(o, "url", api_jstr(m, "url"), TEXT_MAX_URL);
            api_extra_str(o, "preview", api_jstr(m, "preview_url"), TEXT_MAX_URL);
            const cJSON *orig = api_jpath(m, "meta.original");
            if (api_jint(orig, "width") > 0) api_extra_num(o, "w", (double)api_jint(orig, "width"));
            if (api_jint(orig, "height") > 0) api_extra_num(o, "h", (double)api_jint(orig, "height"));
            api_extra_str(o, "alt", api_jstr(m, "description"), 1000);
            cJSON_AddItemToArray(images, o);
            n_images++;
        }
    }
    if (av) {
        const char *type = api_jstr(av, "type");
        const cJSON *orig = api_jpath(av, "meta.original");
        it->media_url = api_jstr(av, "url");
        it->media_type = mime_for(type, it->media_url);
        it->media_duration = api_duration(orig, "duration");
        if (it->media_duration < 0) it->media_duration = api_duration(api_jobj(av, "meta"), "duration");
        it->media_w = (int)(api_jint(orig, "width") > 0 && api_jint(orig, "width") < 100000 ? api_jint(orig, "width") : 0);
        it->media_h = (int)(api_jint(orig, "height") > 0 && api_jint(orig, "height") < 100000 ? api_jint(orig, "height") : 0);
        api_extra_str(extra, "media_kind", type, 16);
        api_extra_str(extra, "alt", api_jstr(av, "description"), 1000);
    } else if (first) {
        api_extra_str(extra, "media_kind", api_jstr(first, "type"), 16);
    }
    const cJSON *pic = av ? av : first;
    if (pic && api_jstr(pic, "preview_url")) {
        it->thumb_url = api_jstr(pic, "preview_url");
        const cJSON *small = api_jpath(pic, "meta.small");
        int64_t w = api_jint(small, "width"), h = api_jint(small, "height");
        if (w > 0 && h > 0 && w < 100000 && h < 100000) { it->thumb_w = (int)w; it->thumb_h = (int)h; }
    }
}

static void card(const cJSON *st, struct item *it, cJSON *extra, struct strbuf *text)
{
    const cJSON *c = api_jobj(st, "card");
    const char *url = api_jstr(c, "url");
    if (!url) return;
    const char *title = api_jstr(c, "title");
    cJSON *o = cJSON_AddObjectToObject(extra, "card");
    api_extra_str(o, "url", url, TEXT_MAX_URL);
    api_extra_str(o, "title", title, TEXT_MAX_TITLE);
    api_extra_str(o, "provider", api_jstr(c, "provider_name"), TEXT_MAX_SHORT);
    if (!it->thumb_url && api_jstr(c, "image")) {
        it->thumb_url = api_jstr(c, "image");
        int64_t w = api_jint(c, "width"), h = api_jint(c, "height");
        if (w > 0 && h > 0 && w < 100000 && h < 100000) { it->thumb_w = (int)w; it->thumb_h = (int)h; }
    }
    /* a video card (a YouTube link, say) is playable through mpv's ytdl hook */
    const char *type = api_jstr(c, "type");
    if (!it->media_url && type && !strcmp(type, "video")) {
        it->media_url = url;
        it->media_type = "page";
        if (!cJSON_GetObjectItemCaseSensitive(extra, "media_kind")) api_extra_str(extra, "media_kind", "video", 16);
    }
    sb_printf(text, "\n\n%s%s%s", title ? title : "", title ? "\n" : "", url);
}

static void push_status(struct arena *a, const cJSON *outer, const char *base, struct item_sink *out)
{
    const cJSON *st = api_jobj(outer, "reblog");
    if (!st) st = outer;
    const cJSON *acc = api_jobj(st, "account");
    struct item it;
    item_init(&it);
    cJSON *extra = api_extra_new();
    struct strbuf labels, text;
    sb_init(&labels);
    sb_init(&text);

    it.url = api_jstr(st, "url");
    if (!it.url) it.url = api_jstr(st, "uri");
    it.guid = api_jstr(st, "uri");
    if (!it.guid) it.guid = it.url;
    const char *body = api_text_linked(a, api_jstr(st, "content"));
    if (body) sb_adds(&text, body);

    it.author = display_name(acc);
    it.author_handle = full_handle(a, acc);
    it.author_url = api_jstr(acc, "url");
    it.author_bot = api_jbool(acc, "bot");
    verified_fields(a, acc, extra);

    /* a boost sorts by when it was boosted: that is when it entered this feed */
    it.published = date_parse(api_jstr(outer, "created_at"));
    if (it.published < 0) it.published = date_parse(api_jstr(st, "created_at"));
    it.updated = date_parse(api_jstr(st, "edited_at"));
    if (st != outer) {
        const cJSON *by = api_jobj(outer, "account");
        const char *name = display_name(by), *h = full_handle(a, by);
        api_extra_str(extra, "boosted_by", h ? arena_printf(a, "%s (%s)", name ? name : h, h) : name, TEXT_MAX_NAME);
    }

    attachments(st, &it, extra);
    card(st, &it, extra, &text);

    const char *cw = api_jstr(st, "spoiler_text");
    int sensitive = api_jbool(st, "sensitive");
    if (sensitive) {
        api_extra_bool(extra, "sensitive", 1);
        api_labels_add(&labels, "sensitive", "platform");
    }
    if (!feed_blank(cw)) {
        api_extra_str(extra, "spoiler_text", cw, TEXT_MAX_TITLE);
        it.title = arena_printf(a, "CW: %s", cw);
    } else {
        const char *fallback = api_jstr(api_jobj(st, "card"), "title");
        if (!fallback) fallback = it.media_url ? "(video)" : it.thumb_url ? "(image)" : it.url;
        it.title = api_title(a, NULL, body, fallback);
    }
    it.summary = text.s;
    it.labels = labels.s;
    it.platform = "mastodon";
    it.host = url_host(a, it.url);
    if (!it.host) it.host = url_host(a, base);
    it.extra = api_extra_done(a, extra);
    item_sink_push(out, &it);
    sb_free(&labels);
    sb_free(&text);
}

/* The lookup's answer: an account.  Its statuses are the feed. */
static int follow_account(struct arena *a, const cJSON *acc, const struct subscription *sub,
                          struct item_sink *out, struct error *err)
{
    const char *id = api_jid(a, acc, "id");
    if (!id) {
        error_set(err, "mastodon: the account lookup gave no id");
        return -1;
    }
    const char *base = sub->fetch_url ? sub->fetch_url : sub->url;
    struct aurl u;
    if (aurl_parse(a, base, &u) < 0) {
        error_set(err, "mastodon: cannot tell the instance from %s", base);
        return -1;
    }
    struct aurl user;
    struct target t;
    int replies = 0, media = 0;
    if (aurl_parse(a, sub->url, &user) == 0 && classify(&user, &t) == M_ACCOUNT) {
        replies = t.replies;
        media = t.media;
    }
    struct strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s/api/v1/accounts/", u.origin);
    sb_add_pct(&b, id);
    sb_printf(&b, "/statuses?exclude_replies=%s", replies ? "false" : "true");
    if (media) sb_adds(&b, "&only_media=true");
    size_t lim = page_limit(sub);
    if (lim) sb_printf(&b, "&limit=%zu", lim);
    struct item_follow f = {.url = b.s, .stage = "statuses", .endpoint = 1};
    item_sink_follow(out, &f);
    sb_free(&b);
    const char *name = display_name(acc), *h = full_handle(a, acc);
    item_sink_meta(out, h ? arena_printf(a, "%s (%s)", name ? name : h, h) : name, api_jstr(acc, "url"),
                   "mastodon-account");
    return 0;
}

/* A timeline is named after what it shows; an account is named by its lookup. */
static void name_feed(struct arena *a, const struct subscription *sub, struct item_sink *out)
{
    struct aurl u;
    struct target t;
    if (aurl_parse(a, sub->url, &u) < 0) return;
    enum shape s = classify(&u, &t);
    const char *name = NULL;
    if (s == M_API && aurl_seg_is(&u, 3, "public")) s = M_PUBLIC, t.local = strstr(u.query, "local=true") != NULL;
    if (s == M_API && aurl_seg_is(&u, 3, "tag") && u.nseg >= 5) s = M_TAG, t.tag = u.seg[4];
    if (s == M_PUBLIC) name = arena_printf(a, "%s: %s timeline", u.host, t.local ? "local" : t.remote ? "remote" : "public");
    else if (s == M_TAG) name = arena_printf(a, "#%s on %s", t.tag, u.host);
    else if (s == M_TRENDS) name = arena_printf(a, "%s: trending posts", u.host);
    if (name) item_sink_meta(out, name, NULL, NULL);
}

static int mastodon_parse(const char *body, size_t len, const struct subscription *sub,
                          struct item_sink *out, struct error *err)
{
    cJSON *root = api_json_parse(body, len, err);
    if (!root) return -1;
    struct arena a;
    arena_init(&a);
    const char *base = sub->fetch_url ? sub->fetch_url : sub->url;
    int rc = 0;
    if (cJSON_IsArray(root)) {
        const cJSON *st;
        cJSON_ArrayForEach(st, root)
            if (cJSON_IsObject(st)) push_status(&a, st, base, out);
        if (!out->meta.format) item_sink_meta(out, NULL, NULL, "mastodon-statuses");
    } else if (cJSON_IsObject(root) && api_jstr(root, "error")) {
        error_set(err, "mastodon: the server says: %.200s", api_jstr(root, "error"));
        rc = -1;
    } else if (cJSON_IsObject(root) && api_jstr(root, "content") && api_jobj(root, "account")) {
        push_status(&a, root, base, out);
    } else if (cJSON_IsObject(root) && api_jstr(root, "acct") && !(sub->stage && *sub->stage)) {
        rc = follow_account(&a, root, sub, out, err);
    } else {
        error_set(err, "mastodon: not a list of statuses (unexpected JSON)");
        rc = -1;
    }
    if (rc == 0 && !out->meta.title) name_feed(&a, sub, out);
    arena_free(&a);
    cJSON_Delete(root);
    return rc;
}

const struct source source_mastodon = {
    .name = "mastodon",
    .description = "Mastodon: https://INSTANCE/@user, /tags/NAME, /public[/local], or an /api/v1 URL",
    .detect = mastodon_detect,
    .request = mastodon_request,
    .parse = mastodon_parse,
    .describe = mastodon_describe,
};
