/* SPDX-License-Identifier: ISC */
/* x — X (Twitter) profiles.  X has no public feed, so a profile URL (https://x.com/NAME,
 * twitter.com, mobile.) is read through a bridge the user names in the config: a Nitter instance
 * (`bridge-x = https://nitter.example` → /NAME/rss) or RSSHub (`bridge-x = https://rsshub.example`
 * → /twitter/user/NAME; a base already ending in /twitter/user is used as it is).  Without one,
 * `winnow add` says so and how.  The bridge's RSS is read by the feed parser; the items are then
 * the account's: platform x, the handle as the account, links back on x.com.
 * A single status link is not this adapter's: it goes to yt-dlp (a video) or the link card. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "source.h"
#include "text.h"

/* Paths of x.com that are not profiles. */
static const char *const reserved[] = {"home", "i", "search", "explore", "settings", "hashtag", "intent",
                                       "share", "notifications", "messages", "login", "signup", "tos",
                                       "privacy", "compose", NULL};

/* The screen name of a profile URL, in the arena, or NULL. */
static const char *profile_name(struct arena *a, const char *url)
{
    struct aurl u;
    if (!url || aurl_parse(a, url, &u) < 0) return NULL;
    if (!api_host_is(u.host, "x.com") && !api_host_is(u.host, "twitter.com")) return NULL;
    if (u.nseg < 1 || u.nseg > 2) return NULL;
    if (u.nseg == 2 && !aurl_seg_is(&u, 1, "media") && !aurl_seg_is(&u, 1, "with_replies")) return NULL;
    const char *n = u.seg[0];
    if (n[0] == '@') n++;
    size_t l = strlen(n);
    if (l < 1 || l > 15) return NULL;
    for (const char *c = n; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_')) return NULL;
    for (int i = 0; reserved[i]; i++)
        if (!strcasecmp(n, reserved[i])) return NULL;
    return n;
}

static int x_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    int s = profile_name(&a, url) ? 85 : 0;
    arena_free(&a);
    return s;
}

static int x_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    const char *name = profile_name(&a, sub->url);
    const char *bridge = source_option("bridge-x");
    int rc = 0;
    if (!name) {
        error_set(err, "x: %s is not an X profile (https://x.com/NAME)", sub->url ? sub->url : "");
        rc = -1;
    } else if (!*bridge) {
        error_set(err, "x: X has no public feed; name a bridge in the config: `bridge-x = https://nitter.example` "
                       "(a Nitter instance) or `bridge-x = https://rsshub.example` (RSSHub), then add %s again",
                  sub->url);
        rc = -1;
    } else {
        size_t bl = strlen(bridge);
        while (bl && bridge[bl - 1] == '/') bl--;
        if (bl >= 13 && !strncmp(bridge + bl - 13, "/twitter/user", 13))
            sb_printf(out, "%.*s/%s", (int)bl, bridge, name);
        else if (strstr(bridge, "rsshub"))
            sb_printf(out, "%.*s/twitter/user/%s", (int)bl, bridge, name);
        else
            sb_printf(out, "%.*s/%s/rss", (int)bl, bridge, name);
    }
    arena_free(&a);
    return rc;
}

static int x_describe(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct strbuf req;
    sb_init(&req);
    int rc = x_request(sub, &req, err);
    if (rc == 0) sb_printf(out, "the bridge's RSS: %s", req.s);
    sb_free(&req);
    return rc;
}

/* A bridge's link (https://nitter.example/NAME/status/1#m) back on x.com. */
static const char *on_x(struct arena *a, const char *link)
{
    struct aurl u;
    if (!link || aurl_parse(a, link, &u) < 0) return link;
    const char *st = strstr(u.path, "/status/");
    if (!st) return link;
    size_t n = strcspn(u.path, "#");
    return arena_printf(a, "https://x.com%.*s", (int)n, u.path);
}

static int x_parse(const char *body, size_t len, const struct subscription *sub, struct item_sink *out,
                   struct error *err)
{
    size_t first = out->n;
    const char *base = sub->fetch_url ? sub->fetch_url : sub->url;
    if (feed_parse_xml(body, len, base, out, err) < 0) {
        error_prefix(err, "x: the bridge did not send RSS");
        return -1;
    }
    struct arena a;
    arena_init(&a);
    const char *name = profile_name(&a, sub->url);
    const char *handle = name ? arena_strdup(&out->arena, arena_printf(&a, "@%s", name)) : NULL;
    for (size_t i = first; i < out->n; i++) {
        struct item *it = &out->items[i];
        it->platform = "x";
        it->host = "x.com";
        if (handle) it->author_handle = handle;
        if (!it->author) it->author = handle;
        const char *link = on_x(&a, it->url);
        if (link != it->url) it->url = arena_strdup(&out->arena, link);
        if (handle) it->author_url = arena_strdup(&out->arena, arena_printf(&a, "https://x.com/%s", name));
    }
    if (name) item_sink_meta(out, arena_printf(&a, "@%s on X", name), arena_printf(&a, "https://x.com/%s", name), "x-bridge");
    arena_free(&a);
    return 0;
}

const struct source source_x = {
    .name = "x",
    .description = "an X profile (https://x.com/NAME) through the Nitter or RSSHub bridge named by bridge-x",
    .detect = x_detect,
    .request = x_request,
    .parse = x_parse,
    .describe = x_describe,
};
