/* SPDX-License-Identifier: ISC */
/* lemmy — Lemmy instances through the v3 API: a community's posts (/api/v3/post/list?
 * community_name=…), the instance's front page, a user's posts, a search, one post.  Bot accounts
 * are flagged by the platform (creator.bot_account); NSFW posts and communities become platform
 * labels. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "date.h"
#include "feedutil.h"
#include "source.h"
#include "text.h"

static const char *const known_hosts[] = {
    "lemmy.world", "lemmy.ml", "beehaw.org", "programming.dev", "sh.itjust.works", "lemm.ee",
    "feddit.de", "feddit.org", "lemmy.ca", "lemmy.dbzer0.com", "hexbear.net", "lemmygrad.ml",
    "lemmy.blahaj.zone", "discuss.tchncs.de", "lemmy.zip", "slrpnk.net", "aussie.zone",
    "lemmy.sdf.org", "infosec.pub", "startrek.website", "midwest.social", "reddthat.com", NULL,
};

static int known_host(const char *host)
{
    for (size_t i = 0; known_hosts[i]; i++)
        if (api_host_is(host, known_hosts[i])) return 1;
    return strstr(host, "lemmy") != NULL;
}

/* The API path (with query) for a user's URL, or NULL. */
static const char *api_path(struct arena *a, const struct aurl *u, int *is_api)
{
    *is_api = 0;
    if (aurl_seg_is(u, 0, "api") && aurl_seg_is(u, 1, "v3") && u->nseg >= 3) {
        if (aurl_seg_is(u, 2, "post") || aurl_seg_is(u, 2, "user") || aurl_seg_is(u, 2, "search")) {
            *is_api = 1;
            return u->path;
        }
        return NULL;
    }
    struct strbuf b;
    sb_init(&b);
    const char *sort = aurl_param(a, u, "sort");
    if (u->nseg == 0) {
        const char *type = aurl_param(a, u, "listingType");
        sb_adds(&b, "/api/v3/post/list?type_=");
        sb_add_pct(&b, type && *type ? type : "Local");
        sb_adds(&b, "&sort=");
        sb_add_pct(&b, sort && *sort ? sort : "New");
    } else if ((aurl_seg_is(u, 0, "c") || aurl_seg_is(u, 0, "m")) && u->nseg == 2) {
        sb_adds(&b, "/api/v3/post/list?community_name=");
        sb_add_pct(&b, u->seg[1]);
        sb_adds(&b, "&sort=");
        sb_add_pct(&b, sort && *sort ? sort : "New");
    } else if (aurl_seg_is(u, 0, "u") && u->nseg == 2) {
        sb_adds(&b, "/api/v3/user?sort=New&username=");
        sb_add_pct(&b, u->seg[1]);
    } else if (aurl_seg_is(u, 0, "post") && u->nseg == 2) {
        sb_adds(&b, "/api/v3/post?id=");
        sb_add_pct(&b, u->seg[1]);
    } else if (aurl_seg_is(u, 0, "search") && u->nseg == 1 && aurl_param(a, u, "q")) {
        sb_adds(&b, "/api/v3/search?type_=Posts&sort=New&q=");
        sb_add_pct(&b, aurl_param(a, u, "q"));
    }
    const char *r = b.len ? arena_strdup(a, b.s) : NULL;
    sb_free(&b);
    return r;
}

static int lemmy_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int score = 0, api;
    if (aurl_parse(&a, url, &u) == 0 && api_path(&a, &u, &api)) {
        if (api) score = 90;
        else if (known_host(u.host)) score = u.nseg ? 90 : 60;
    }
    arena_free(&a);
    return score;
}

static int lemmy_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    int api = 0, rc = 0;
    const char *path = aurl_parse(&a, sub->url, &u) == 0 ? api_path(&a, &u, &api) : NULL;
    if (!path) {
        error_set(err, "lemmy: %s is not a community, user, post, search or front page URL", sub->url);
        rc = -1;
    } else if (api) {
        sb_adds(out, sub->url);
    } else {
        sb_printf(out, "%s%s", u.origin, path);
        if (sub->max_items && !strstr(path, "/api/v3/post?"))
            sb_printf(out, "&limit=%zu", sub->max_items < 50 ? sub->max_items : 50);
    }
    arena_free(&a);
    return rc;
}

static int is_video_site(const char *host)
{
    return host && (api_host_is(host, "youtube.com") || api_host_is(host, "youtu.be") || api_host_is(host, "vimeo.com"));
}

static void push_post(struct arena *a, const cJSON *pv, struct item_sink *out)
{
    const cJSON *post = api_jobj(pv, "post"), *creator = api_jobj(pv, "creator"), *comm = api_jobj(pv, "community");
    if (!post) return;
    struct item it;
    item_init(&it);
    cJSON *extra = api_extra_new();
    struct strbuf labels, text;
    sb_init(&labels);
    sb_init(&text);

    it.url = api_jstr(post, "ap_id");
    it.guid = it.url ? it.url : api_jid(a, post, "id");
    const char *body = api_jstr(post, "body"), *link = api_jstr(post, "url");
    if (body) sb_adds(&text, body);
    if (link) sb_printf(&text, "%s%s", text.len ? "\n\n" : "", link);
    it.summary = text.s;
    it.title = api_title(a, api_jstr(post, "name"), body, it.url);
    it.author = api_jstr(creator, "display_name");
    if (feed_blank(it.author)) it.author = api_jstr(creator, "name");
    const char *actor = api_jstr(creator, "actor_id"), *host = url_host(a, actor);
    if (api_jstr(creator, "name")) it.author_handle = host ? arena_printf(a, "@%s@%s", api_jstr(creator, "name"), host)
                                                       : api_jstr(creator, "name");
    it.author_url = actor;
    it.author_bot = api_jbool(creator, "bot_account");
    it.published = date_parse(api_jstr(post, "published"));
    it.updated = date_parse(api_jstr(post, "updated"));

    const char *ctype = api_jstr(post, "url_content_type");
    it.thumb_url = api_jstr(post, "thumbnail_url");
    if (!it.thumb_url && link && ctype && !strncmp(ctype, "image/", 6)) it.thumb_url = link;
    const char *video = api_jstr(post, "embed_video_url");
    if (video) {
        it.media_url = video;
        const char *m = feed_guess_mime(video);
        it.media_type = m ? m : "page";
    } else if (link && ctype && (!strncmp(ctype, "video/", 6) || !strncmp(ctype, "audio/", 6))) {
        it.media_url = link;
        it.media_type = ctype;
    } else if (link && is_video_site(url_host(a, link))) {
        it.media_url = link;
        it.media_type = "page";
    }
    if (it.media_url) api_extra_str(extra, "media_kind", ctype && !strncmp(ctype, "audio/", 6) ? "audio" : "video", 16);
    else if (it.thumb_url) api_extra_str(extra, "media_kind", "image", 16);

    if (api_jbool(post, "nsfw") || api_jbool(comm, "nsfw")) {
        api_labels_add(&labels, "nsfw", "platform");
        api_extra_bool(extra, "nsfw", 1);
        api_extra_bool(extra, "sensitive", 1);
    }
    const char *cname = api_jstr(comm, "name"), *chost = url_host(a, api_jstr(comm, "actor_id"));
    if (cname) api_extra_str(extra, "community", chost ? arena_printf(a, "!%s@%s", cname, chost) : cname, TEXT_MAX_SHORT);
    api_extra_str(extra, "link_url", link, TEXT_MAX_URL);
    const cJSON *counts = api_jobj(pv, "counts");
    if (api_jint(counts, "score") >= 0) api_extra_num(extra, "score", (double)api_jint(counts, "score"));
    if (api_jint(counts, "comments") >= 0) api_extra_num(extra, "comments", (double)api_jint(counts, "comments"));
    if (api_jbool(pv, "creator_is_admin")) api_extra_bool(extra, "admin", 1);
    if (api_jbool(pv, "creator_is_moderator")) api_extra_bool(extra, "moderator", 1);

    it.labels = labels.s;
    it.platform = "lemmy";
    it.host = url_host(a, it.url);
    it.extra = api_extra_done(a, extra);
    item_sink_push(out, &it);
    sb_free(&labels);
    sb_free(&text);
}

static int lemmy_parse(const char *body, size_t len, const struct subscription *sub,
                       struct item_sink *out, struct error *err)
{
    (void)sub;
    cJSON *root = api_json_parse(body, len, err);
    if (!root) return -1;
    struct arena a;
    arena_init(&a);
    int rc = 0;
    const cJSON *posts = api_jarr(root, "posts");
    if (posts) {
        const cJSON *pv;
        cJSON_ArrayForEach(pv, posts) push_post(&a, pv, out);
        item_sink_meta(out, NULL, NULL, "lemmy-post-list-v3");
    } else if (api_jobj(root, "post_view")) {
        push_post(&a, api_jobj(root, "post_view"), out);
        const cJSON *comm = api_jobj(api_jobj(root, "community_view"), "community");
        item_sink_meta(out, api_jstr(comm, "title"), api_jstr(comm, "actor_id"), "lemmy-post-v3");
    } else if (api_jstr(root, "error")) {
        error_set(err, "lemmy: the server says: %.200s", api_jstr(root, "error"));
        rc = -1;
    } else {
        error_set(err, "lemmy: not a list of posts (unexpected JSON)");
        rc = -1;
    }
    /* a community feed is named after the community */
    if (rc == 0 && posts && posts->child) {
        const cJSON *c = api_jobj(posts->child, "community");
        struct aurl u;
        if (aurl_parse(&a, sub->url, &u) == 0 && (aurl_seg_is(&u, 0, "c") || strstr(u.query, "community_name=")))
            item_sink_meta(out, api_jstr(c, "title"), api_jstr(c, "actor_id"), NULL);
    }
    arena_free(&a);
    cJSON_Delete(root);
    return rc;
}

const struct source source_lemmy = {
    .name = "lemmy",
    .description = "Lemmy: https://INSTANCE/c/COMMUNITY, /u/NAME, /post/ID, or an /api/v3 URL",
    .detect = lemmy_detect,
    .request = lemmy_request,
    .parse = lemmy_parse,
};
