/* SPDX-License-Identifier: ISC */
/* timeline — your own timelines, read with your login (winnow login): Mastodon's home, lists,
 * bookmarks, favourites and mentions, Bluesky's following timeline, feeds and lists.  The feed's
 * URL is the real API URL (what `winnow add mastodon:home` resolved it to); the session adds the
 * token when it sends the request (login.h), so this adapter never sees a secret.  The bodies are
 * the Mastodon and Bluesky adapters' own formats and go to their parsers; what is this adapter's
 * own is the mention notifications' unwrapping and the answer to an expired or revoked login:
 * "mastodon.social: login expired: winnow login mastodon mastodon.social", nothing deleted.
 * Mastodon timelines page by the Link header: the rel="prev" URL (min_id = the newest status seen)
 * becomes the feed's endpoint, so each refresh asks only for what is newer. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "source.h"
#include "text.h"

static int is_api(const char *url, const char *mark)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int ok = aurl_parse(&a, url, &u) == 0 && strstr(u.path, mark) == u.path;
    arena_free(&a);
    return ok;
}

static int login_request(const struct subscription *sub, struct strbuf *out, struct error *err, const char *mark,
                         const char *service)
{
    if (!sub->url || !is_api(sub->url, mark)) {
        error_set(err, "%s-login: add your timelines by name: winnow add %s:%s", service, service,
                  !strcmp(service, "mastodon") ? "home" : "following");
        return -1;
    }
    sb_adds(out, sub->url);
    return 0;
}

/* A refusal of the login itself: what to do about it, in words. */
static int login_refused(const struct subscription *sub, const char *body, size_t len, const char *service,
                         struct error *err)
{
    struct arena a;
    arena_init(&a);
    /* the server as `winnow login` takes it: host, and the port when there is one */
    struct aurl u;
    const char *host = aurl_parse(&a, sub->fetch_url ? sub->fetch_url : sub->url, &u) == 0 ? strstr(u.origin, "://") + 3 : NULL;
    cJSON *o = cJSON_ParseWithLength(body, len);
    const char *code = cJSON_IsObject(o) ? api_jstr(o, "error") : NULL;
    int expired = sub->status == 401 || (code && (!strcmp(code, "ExpiredToken") || !strcmp(code, "InvalidToken") ||
                                                  !strcmp(code, "AuthenticationRequired")));
    if (expired)
        error_set(err, "%s: login expired: winnow login %s %s", host ? host : "?", service,
                  !strcmp(service, "mastodon") && host ? host : "HANDLE");
    else
        error_set(err, "%s: HTTP %ld%s%.200s", host ? host : "?", sub->status, code ? ": " : "", code ? code : "");
    cJSON_Delete(o);
    arena_free(&a);
    return -1;
}

static int mastodon_login_detect(const char *url) { (void)url; return 0; }

static int mastodon_login_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    return login_request(sub, out, err, "/api/v1/", "mastodon");
}

/* Notifications wrap the status: the mentions are what is read. */
static int mentions(const char *body, size_t len, const struct subscription *sub, struct item_sink *out,
                    struct error *err)
{
    cJSON *root = api_json_parse(body, len, err);
    if (!root) return -1;
    cJSON *st = cJSON_CreateArray();
    const cJSON *n, *list = cJSON_IsArray(root) ? root : NULL;
    cJSON_ArrayForEach(n, list)
    {
        cJSON *s = cJSON_GetObjectItemCaseSensitive(n, "status");
        if (cJSON_IsObject(s)) cJSON_AddItemReferenceToArray(st, s);
    }
    char *text = cJSON_PrintUnformatted(st);
    int rc = source_mastodon.parse(text, strlen(text), sub, out, err);
    cJSON_free(text);
    cJSON_Delete(st);
    cJSON_Delete(root);
    return rc;
}

/* The rel="prev" URL of a Link header (Mastodon: the statuses newer than this page, by min_id),
 * in the arena; only on the origin and path of the page itself. */
static const char *link_prev(struct arena *a, const char *link, const char *page)
{
    struct aurl pu, lu;
    if (!link || !page || aurl_parse(a, page, &pu) < 0) return NULL;
    for (const char *p = link; (p = strchr(p, '<'));) {
        const char *e = strchr(p, '>');
        if (!e || e - p > 2048) return NULL;
        const char *params = e + 1, *next = strchr(params, ',');
        size_t pl = next ? (size_t)(next - params) : strlen(params);
        const char *url = arena_strndup(a, p + 1, (size_t)(e - p - 1));
        const char *ps = arena_strndup(a, params, pl);
        if ((strstr(ps, "rel=\"prev\"") || strstr(ps, "rel=prev")) && aurl_parse(a, url, &lu) == 0 &&
            !strcmp(lu.origin, pu.origin) && !strcmp(lu.path, pu.path) && strstr(lu.query, "min_id="))
            return url;
        p = e + 1;
    }
    return NULL;
}

static int mastodon_login_parse(const char *body, size_t len, const struct subscription *sub,
                                struct item_sink *out, struct error *err)
{
    if (sub->status >= 400) return login_refused(sub, body, len, "mastodon", err);
    size_t before = out->n;
    int rc = sub->url && strstr(sub->url, "/api/v1/notifications") ? mentions(body, len, sub, out, err)
                                                       : source_mastodon.parse(body, len, sub, out, err);
    /* paging: the statuses newer than these are where the next refresh starts (min_id from the Link
     * header), so a refresh asks only for what is new; fetched now too, it is usually empty */
    if (rc == 0 && out->n > before) {
        struct arena a;
        arena_init(&a);
        const char *prev = link_prev(&a, sub->link, sub->fetch_url ? sub->fetch_url : sub->url);
        if (prev) {
            struct item_follow f = {.url = prev, .stage = "page", .optional = 1, .endpoint = 1};
            item_sink_follow(out, &f);
        }
        arena_free(&a);
    }
    return rc;
}

static int bluesky_login_detect(const char *url) { (void)url; return 0; }

static int bluesky_login_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    return login_request(sub, out, err, "/xrpc/app.bsky.feed.", "bluesky");
}

static int bluesky_login_parse(const char *body, size_t len, const struct subscription *sub,
                               struct item_sink *out, struct error *err)
{
    if (sub->status >= 400) return login_refused(sub, body, len, "bluesky", err);
    return source_bluesky.parse(body, len, sub, out, err);
}

const struct source source_mastodon_login = {
    .name = "mastodon-login",
    .description = "your Mastodon timelines after `winnow login mastodon SERVER`: winnow add mastodon:home, "
                   "mastodon:list/ID, :bookmarks, :favourites, :notifications",
    .detect = mastodon_login_detect,
    .request = mastodon_login_request,
    .parse = mastodon_login_parse,
    .parse_errors = 1,
};

const struct source source_bluesky_login = {
    .name = "bluesky-login",
    .description = "your Bluesky timelines after `winnow login bluesky HANDLE`: winnow add bluesky:following, "
                   "bluesky:feed/AT-URI, bluesky:list/AT-URI",
    .detect = bluesky_login_detect,
    .request = bluesky_login_request,
    .parse = bluesky_login_parse,
    .parse_errors = 1,
};
