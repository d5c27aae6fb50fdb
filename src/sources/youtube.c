/* SPDX-License-Identifier: ISC */
/* youtube — YouTube channels and playlists through their public Atom feeds
 * (/feeds/videos.xml?channel_id=… / ?playlist_id=… / ?user=…), which need no API key.  Handles
 * and custom URLs (/@name, /c/NAME) have no feed of their own: the channel page is fetched once,
 * the channel id read from it, and the feed URL remembered as the endpoint.
 *
 * The Atom parsing itself is the feed parser's (it knows yt: and media:); each entry's media is
 * its watch URL with type "page", which mpv plays through its ytdl hook when yt-dlp is
 * installed. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apiutil.h"
#include "source.h"

#define YT "https://www.youtube.com"

enum shape { Y_NONE, Y_FEED, Y_CHANNEL, Y_USER, Y_PLAYLIST, Y_PAGE };

static int is_yt(const char *host)
{
    return api_host_is(host, "youtube.com") || api_host_is(host, "youtube-nocookie.com");
}

static int id_ok(const char *s, size_t min, size_t max)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!(s[n] == '-' || s[n] == '_' || (s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'z') ||
              (s[n] >= 'A' && s[n] <= 'Z')))
            return 0;
    return n >= min && n <= max;
}

static int channel_ok(const char *s)
{
    return s && !strncmp(s, "UC", 2) && strlen(s) == 24 && id_ok(s, 24, 24);
}

static const char *const tabs[] = {"videos", "shorts", "streams", "featured", "playlists", "community", NULL};

static int is_tab(const char *s)
{
    for (size_t i = 0; tabs[i]; i++)
        if (!strcasecmp(s, tabs[i])) return 1;
    return 0;
}

/* id receives the channel id, user name or playlist id the URL names; for Y_PAGE, the page path. */
static enum shape classify(struct arena *a, const struct aurl *u, const char **id)
{
    *id = NULL;
    if (aurl_seg_is(u, 0, "feeds") && aurl_seg_is(u, 1, "videos.xml") && u->nseg == 2) {
        if (aurl_param(a, u, "channel_id") || aurl_param(a, u, "playlist_id") || aurl_param(a, u, "user"))
            return Y_FEED;
        return Y_NONE;
    }
    const char *list = aurl_param(a, u, "list");
    if ((aurl_seg_is(u, 0, "playlist") || aurl_seg_is(u, 0, "watch")) && u->nseg == 1 && list &&
        id_ok(list, 2, 64)) {
        *id = list;
        return Y_PLAYLIST;
    }
    if (u->nseg < 1) return Y_NONE;
    const char *s0 = u->seg[0];
    if (!strcasecmp(s0, "channel") && u->nseg >= 2 && u->nseg <= 3 && channel_ok(u->seg[1]) &&
        (u->nseg == 2 || is_tab(u->seg[2]))) {
        *id = u->seg[1];
        return Y_CHANNEL;
    }
    if (!strcasecmp(s0, "user") && u->nseg >= 2 && u->nseg <= 3 && (u->nseg == 2 || is_tab(u->seg[2]))) {
        *id = u->seg[1];
        return Y_USER;
    }
    if ((s0[0] == '@' && s0[1] && u->nseg <= 2 && (u->nseg == 1 || is_tab(u->seg[1]))) ||
        (!strcasecmp(s0, "c") && u->nseg >= 2 && u->nseg <= 3 && (u->nseg == 2 || is_tab(u->seg[2])))) {
        /* the channel's home page is the smallest to fetch and always carries its id */
        *id = s0[0] == '@' ? arena_printf(a, "/%s", s0) : arena_printf(a, "/c/%s", u->seg[1]);
        return Y_PAGE;
    }
    return Y_NONE;
}

static int youtube_detect(const char *url)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    const char *id;
    int score = 0;
    if (aurl_parse(&a, url, &u) == 0) {
        enum shape s = classify(&a, &u, &id);
        if (s != Y_NONE && is_yt(u.host)) score = 95;
        /* a feed URL's query names are YouTube's own (PeerTube's feeds use others) */
        else if (s == Y_FEED) score = 70;
    }
    arena_free(&a);
    return score;
}

/* The origin requests go to: YouTube's for any youtube.com host, else the URL's own (a proxy, or
 * the tests' loopback server). */
static const char *origin_of(const struct aurl *u)
{
    return is_yt(u->host) ? YT : u->origin;
}

static void feed_url(struct strbuf *b, const char *origin, const char *param, const char *id)
{
    sb_printf(b, "%s/feeds/videos.xml?%s=", origin, param);
    sb_add_pct(b, id);
}

static int youtube_request(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    const char *id = NULL;
    int rc = 0;
    enum shape s = aurl_parse(&a, sub->url, &u) == 0 ? classify(&a, &u, &id) : Y_NONE;
    switch (s) {
    case Y_NONE:
        error_set(err, "youtube: %s is not a channel, @handle, user or playlist URL", sub->url);
        rc = -1;
        break;
    case Y_FEED: sb_adds(out, sub->url); break;
    case Y_CHANNEL: feed_url(out, origin_of(&u), "channel_id", id); break;
    case Y_USER: feed_url(out, origin_of(&u), "user", id); break;
    case Y_PLAYLIST: feed_url(out, origin_of(&u), "playlist_id", id); break;
    case Y_PAGE: sb_printf(out, "%s%s", origin_of(&u), id); break;
    }
    arena_free(&a);
    return rc;
}

static int youtube_describe(const struct subscription *sub, struct strbuf *out, struct error *err)
{
    struct strbuf req;
    sb_init(&req);
    int rc = youtube_request(sub, &req, err);
    if (rc == 0 && !strstr(req.s, "/feeds/videos.xml")) {
        sb_printf(out, "%s \xe2\x86\x92 channel id \xe2\x86\x92 /feeds/videos.xml?channel_id=UC\xe2\x80\xa6", req.s);
    } else if (rc == 0) {
        api_describe_req(out, req.s, sub->url);
    }
    sb_free(&req);
    return rc;
}

/* The channel id in a channel page: the canonical link, else the page data's externalId or
 * channelId.  The page is ~1 MB of markup and script; a plain search is all it takes. */
static const char *find_channel_id(struct arena *a, const char *body, size_t len)
{
    static const char *const marks[] = {
        "<link rel=\"canonical\" href=\"https://www.youtube.com/channel/", "\"externalId\":\"",
        "<meta itemprop=\"channelId\" content=\"", "\"channelId\":\"", "youtube.com/channel/", NULL,
    };
    for (size_t i = 0; marks[i]; i++) {
        size_t m = strlen(marks[i]);
        const char *p = body, *end = body + len;
        while ((p = memmem(p, (size_t)(end - p), marks[i], m)) != NULL) {
            p += m;
            if (end - p >= 24) {
                char *id = arena_strndup(a, p, 24);
                if (channel_ok(id)) return id;
            }
        }
    }
    return NULL;
}

static int youtube_parse(const char *body, size_t len, const struct subscription *sub,
                         struct item_sink *out, struct error *err)
{
    struct arena a;
    arena_init(&a);
    struct aurl u;
    const char *id = NULL;
    enum shape s = aurl_parse(&a, sub->url, &u) == 0 ? classify(&a, &u, &id) : Y_NONE;
    int rc = 0;
    if (s == Y_PAGE && !sub->stage) {
        const char *ch = find_channel_id(&a, body, len);
        struct aurl f;
        if (!ch) {
            error_set(err, "youtube: no channel id in the page of %s (a consent or error page?)", sub->url);
            rc = -1;
        } else if (aurl_parse(&a, sub->fetch_url ? sub->fetch_url : sub->url, &f) < 0) {
            error_set(err, "youtube: cannot tell where the page came from");
            rc = -1;
        } else {
            struct strbuf b;
            sb_init(&b);
            feed_url(&b, is_yt(f.host) ? YT : f.origin, "channel_id", ch);
            struct item_follow fo = {.url = b.s, .stage = "feed", .endpoint = 1};
            item_sink_follow(out, &fo);
            sb_free(&b);
        }
    } else {
        struct subscription fs = *sub;
        fs.url = sub->fetch_url ? sub->fetch_url : sub->url;
        rc = source_feed.parse(body, len, &fs, out, err);
    }
    arena_free(&a);
    return rc;
}

const struct source source_youtube = {
    .name = "youtube",
    .description = "YouTube: https://www.youtube.com/channel/UC..., /@handle, /user/NAME, /playlist?list=...",
    .detect = youtube_detect,
    .request = youtube_request,
    .parse = youtube_parse,
    .describe = youtube_describe,
};
