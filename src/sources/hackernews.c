/* SPDX-License-Identifier: ISC */
/* hackernews — Hacker News through its Firebase API (hacker-news.firebaseio.com/v0).  A list
 * (topstories, newstories, ...) is only ids, so the first page of them (max-items, else 30) is
 * fetched item by item as optional follow-ups, in parallel within the fetcher's per-host limit;
 * stories already stored are not fetched again. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "date.h"
#include "feedutil.h"
#include "source.h"
#include "text.h"

#define HN_API "https://hacker-news.firebaseio.com/v0"
#define HN_WEB "https://news.ycombinator.com"
#define HN_PAGE 30

static const struct { const char *page, *list, *title; } lists[] = {
    {"", "topstories", "top"}, {"news", "topstories", "top"}, {"front", "topstories", "top"},
    {"newest", "newstories", "new"}, {"best", "beststories", "best"}, {"ask", "askstories", "Ask HN"},
    {"show", "showstories", "Show HN"}, {"jobs", "jobstories", "jobs"},
};

static int is_hn(const char *host)
{
    return api_host_is(host, "news.ycombinator.com") || api_host_is(host, "hacker-news.firebaseio.com");
}

/* The API path under /v0 for a user's URL ("topstories.json", "item/8863.json"), or NULL. */
static const char *api_path(struct arena *a, const struct aurl *u, int *is_api)
{
    *is_api = 0;
    /* the API itself, under any prefix (a mirror, the tests' server) */
    for (int i = 0; i < u->nseg && i < AURL_MAX_SEGS; i++)
        if (!strcmp(u->seg[i], "v0") && aurl_path_ends(u, ".json")) {
            *is_api = 1;
            return u->path;
        }
    if (!api_host_is(u->host, "news.ycombinator.com")) return NULL;
    const char *page = u->nseg ? u->seg[0] : "";
    if (u->nseg > 1) return NULL;
    if (!strcmp(page, "item") || !strcmp(page, "user")) {
        const char *id = aurl_param(a, u, "id");
        if (!id || !*id) return NULL;
        struct strbuf b;
        sb_init(&b);
        sb_printf(&b, "%s/", page);
        sb_add_pct(&b, id);
        sb_adds(&b, ".json");
        const char *r = arena_strdup(a, b.s);
        sb_free(&b);
        return r;
    }
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (!strcmp(page, lists[i].page)) return arena_printf(a, "%s.json", lists[i].list);
    return NULL;
}

static int hn_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int score = 0, api;
    if (aurl_parse(&a, url, &u) == 0 && api_path(&a, &u, &api)) {
        score = is_hn(u.host) ? 95 : 50;
        for (size_t i = 0; !is_hn(u.host) && i < sizeof lists / sizeof lists[0]; i++)
            if (aurl_path_ends(&u, arena_printf(&a, "/v0/%s.json", lists[i].list))) score = 80;
    }
    arena_free(&a);
    return score;
}

static int hn_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int api = 0, rc = 0;
    const char *path = aurl_parse(&a, sub->url, &u) == 0 ? api_path(&a, &u, &api) : NULL;
    if (!path) {
        error_set(err, "hackernews: %s is not a Hacker News list, item or user URL", sub->url);
        rc = -1;
    } else if (api) {
        sb_adds(out, sub->url);
    } else {
        sb_printf(out, "%s/%s", HN_API, path);
    }
    arena_free(&a);
    return rc;
}

static int hn_describe(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct strbuf req;
    sb_init(&req);
    int rc = hn_request(sub, &req, err);
    if (rc == 0) {
        struct arena a;
        arena_init(&a);
        sb_adds(out, api_url_short(&a, req.s, sub->url));
        arena_free(&a);
        if (!strstr(req.s, "/item/"))
            sb_printf(out, " \xe2\x86\x92 the first %zu items", sub->max_items ? sub->max_items : (size_t)HN_PAGE);
    }
    sb_free(&req);
    return rc;
}

static void push_item(struct arena *a, const cJSON *o, struct item_sink *out)
{
    if (api_jbool(o, "deleted") || api_jbool(o, "dead")) return;
    const char *id = api_jid(a, o, "id");
    if (!id) return;
    struct item it;
    item_init(&it);
    cJSON *extra = api_extra_new();
    const char *page = arena_printf(a, "%s/item?id=%s", HN_WEB, id);
    it.guid = page;
    it.url = api_jstr(o, "url");
    if (!it.url) it.url = page;
    else api_extra_str(extra, "comments_url", page, TEXT_MAX_URL);
    const char *text = api_text_linked(a, api_jstr(o, "text"));
    it.summary = text ? text : api_jstr(o, "url");
    it.title = api_title(a, api_jstr(o, "title"), text, page);
    it.author = api_jstr(o, "by");
    it.author_handle = it.author;
    if (it.author) it.author_url = arena_printf(a, "%s/user?id=%s", HN_WEB, it.author);
    double t = api_jnum(o, "time", -1);
    it.published = t > 0 && t < 1e11 ? (int64_t)t : -1;
    api_extra_str(extra, "type", api_jstr(o, "type"), 16);
    if (api_jint(o, "score") >= 0) api_extra_num(extra, "score", (double)api_jint(o, "score"));
    if (api_jint(o, "descendants") >= 0) api_extra_num(extra, "comments", (double)api_jint(o, "descendants"));
    it.platform = "hackernews";
    it.host = "news.ycombinator.com";
    it.extra = api_extra_done(a, extra);
    item_sink_push(out, &it);
}

/* A list of ids (a story list, or a user's submissions): their items are the feed. */
static void follow_ids(struct arena *a, const cJSON *ids, const char *rel, const struct subscription *sub,
                       struct item_sink *out)
{
    size_t want = sub->max_items ? sub->max_items : HN_PAGE, n = 0;
    const char *base = sub->fetch_url ? sub->fetch_url : sub->url;
    const cJSON *v;
    cJSON_ArrayForEach(v, ids) {
        if (n >= want) break;
        if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9e15) continue;
        long long id = (long long)v->valuedouble;
        struct item_follow f = {
            .url = url_resolve(a, base, arena_printf(a, "%s%lld.json", rel, id)),
            .stage = "item",
            .skip_guid = arena_printf(a, "%s/item?id=%lld", HN_WEB, id),
            .optional = 1,
        };
        item_sink_follow(out, &f);
        n++;
    }
}

static int hn_parse(const char *body, size_t len, const struct subscription *sub,
                    struct item_sink *out, struct error *err)
{
    cJSON *root = api_json_parse(body, len, err);
    if (!root) return -1;
    struct arena a;
    arena_init(&a);
    int rc = 0;
    if (cJSON_IsArray(root) && !sub->stage) {
        follow_ids(&a, root, "item/", sub, out);
        const char *from = sub->fetch_url ? sub->fetch_url : sub->url;
        for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
            if (from && strstr(from, arena_printf(&a, "/%s.json", lists[i].list))) {
                item_sink_meta(out, arena_printf(&a, "Hacker News: %s", lists[i].title), HN_WEB, "hackernews");
                break;
            }
    } else if (cJSON_IsObject(root) && api_jarr(root, "submitted") && !sub->stage) {
        follow_ids(&a, api_jarr(root, "submitted"), "../item/", sub, out);
        if (api_jstr(root, "id"))
            item_sink_meta(out, arena_printf(&a, "Hacker News: %s", api_jstr(root, "id")), NULL, "hackernews");
    } else if (cJSON_IsObject(root) && api_jid(&a, root, "id") && api_jstr(root, "type")) {
        push_item(&a, root, out);
    } else if (cJSON_IsNull(root)) {
        error_set(err, "hackernews: no such item");
        rc = -1;
    } else {
        error_set(err, "hackernews: not a list of stories or an item (unexpected JSON)");
        rc = -1;
    }
    arena_free(&a);
    cJSON_Delete(root);
    return rc;
}

const struct source source_hackernews = {
    .name = "hackernews",
    .description = "Hacker News: https://news.ycombinator.com/[news|newest|best|ask|show|jobs], item?id=, user?id=",
    .detect = hn_detect,
    .request = hn_request,
    .parse = hn_parse,
    .describe = hn_describe,
};
