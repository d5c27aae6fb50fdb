/* SPDX-License-Identifier: ISC */
/* source — the interface every feed/API adapter implements, and the registry that picks one.
 * Adding a source is one new file in src/sources/ plus one line in registry.c.
 *
 * A refresh of one subscription runs like this:
 *   1. request() turns the URL the user gave into the first URL to fetch (an API endpoint);
 *      only this first request carries the feed's stored validators (ETag, Last-Modified).
 *   2. parse() gets each response body.  It pushes items into the sink and may ask for more
 *      requests with item_sink_follow() (item.h): a lookup that yields an id, a list of ids whose
 *      items must be fetched one by one, a detail that completes an item.  Each follow-up's body
 *      comes back to the same parse with sub->stage set to the follow-up's stage and sub->fetch_url
 *      to its URL.  Follow-up bodies pass the same size caps, timeouts and error handling as the
 *      first; a failed follow-up fails the refresh unless it was marked optional.
 *   3. When every request has finished, the sink is committed in one transaction.
 * A follow-up marked as the feed's endpoint (what a user URL resolved to, e.g. the statuses URL
 * behind a Mastodon account lookup) is remembered: later refreshes start there, with that stage,
 * and its validators are the ones stored.  A refresh issues at most SOURCE_MAX_REQUESTS requests
 * and follow-ups nest at most SOURCE_MAX_DEPTH deep, so no adapter can loop.
 *
 * Items carry their platform facts in the shared encoding (item.h): platform = the adapter's
 * name, host = instance/host, author_bot, labels ("value", "value@DID", "value@self",
 * "value@platform") and extra (a JSON object: verified_fields, verified, verified_by, flair,
 * original_content, synthetic_media, ai_label, boosted_by, sensitive, spoiler_text, media_kind,
 * nsfw, ...).  media_type "page" means a web page that mpv plays through its ytdl hook (yt-dlp);
 * "hls" and "dash" are streaming playlists. */
#ifndef WINNOW_SOURCE_H
#define WINNOW_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "item.h"
#include "util.h"

#define SOURCE_MAX_REQUESTS 64
#define SOURCE_MAX_DEPTH 3

/* What the user subscribed to, and (for parse) which response of its refresh this is. */
struct subscription {
    int64_t id;
    const char *url;         /* as the user gave it */
    const char *kind;        /* adapter name, "" / NULL = auto */
    const char *title;
    size_t max_items;        /* 0 = adapter default (one page of the API) */
    /* Set by the refresh for each body it hands to parse; NULL when unknown (tests). */
    const char *fetch_url;   /* the URL the body came from, for relative links */
    const char *stage;       /* NULL for the first request, else the follow-up's stage */
    const char *content_type;/* of the response, lower-cased */
    long status;             /* HTTP status of the response (0 unknown, file://, yt-dlp); only an
                                adapter with parse_errors ever sees one >= 400 */
    const char *link;        /* the response's Link header (API paging), NULL when none */
    const char *content_location; /* the response's Content-Location header, or NULL */
};

struct source {
    const char *name;                                        /* "feed", "mastodon", ... */
    const char *description;                                 /* one line for `winnow help add` */
    /* How sure the adapter is that it serves this URL, 0..100.  "feed" answers a low default. */
    int (*detect)(const char *url);
    /* The URL to fetch for a subscription (an API endpoint); writes it into url_out. */
    int (*request)(const struct subscription *sub, struct strbuf *url_out, struct error *err);
    /* Parses a response body into items.  Must not crash on any input; on failure returns -1 with
     * a one-line message ("not valid XML at line 3: mismatched tag"). */
    int (*parse)(const char *body, size_t len, const struct subscription *sub,
                 struct item_sink *out, struct error *err);
    /* Optional: what request() picked, in words for `winnow add` ("/api/v1/accounts/lookup?acct=
     * Gargron → statuses").  Without it the request URL is shown. */
    int (*describe)(const struct subscription *sub, struct strbuf *out, struct error *err);
    /* > 0: at most this many of this adapter's requests run against one host at a time (on top
     * of the fetcher's own per-host limit), for APIs that punish bursts. */
    int max_per_host;
    /* > 0: the first request asks for only this many bytes (a page's <head> is enough). */
    long head_bytes;
    /* Optional: extra request headers for url ("Accept: application/json", ...), NULL-terminated,
     * in the arena; NULL for none.  Never credentials: the session adds those (login.h). */
    const char *const *(*headers)(const struct subscription *sub, const char *url, struct arena *a);
    /* 1: the first request's HTTP error answers (403 with a challenge page) go to parse, with
     * sub->status set, so the adapter can fall back to another way in (follow-ups). */
    int parse_errors;
};

/* A request URL an adapter hands out with this prefix ("ytdlp:https://...") is not fetched: the
 * refresh runs yt-dlp on the rest (ytdlp.h) and hands its JSON to the adapter's parse. */
#define SOURCE_YTDLP_PREFIX "ytdlp:"
/* The URL such a request runs on (url itself when it has no prefix). */
const char *source_ytdlp_target(const char *url);

/* Settings of the user's config that adapters need (set once, at app_open, before any refresh):
 * "ytdlp-path" (the yt-dlp program; "" = "yt-dlp" on PATH) and "bridge-x" (a Nitter or RSSHub
 * base URL for X profiles).  source_option returns "" for a key never set. */
void source_set_option(const char *key, const char *value);
const char *source_option(const char *key);
/* True when the start of an HTML page holds a video (<video>, og:video): such a page is read by
 * yt-dlp, or said to need it. */
int source_video_page(const char *body, size_t len);
/* True when the yt-dlp program of "ytdlp-path" can be run (found on PATH, executable). */
int source_ytdlp_available(void);

/* The adapter for a kind name, or NULL. */
const struct source *source_by_name(const char *name);
/* The best adapter for a URL (never NULL: falls back to "feed"). */
const struct source *source_for_url(const char *url);
/* The adapter for a subscription: its kind when set, else source_for_url. */
const struct source *source_for_sub(const struct subscription *sub);
/* All adapters, NULL-terminated. */
const struct source *const *source_all(void);

/* What a refresh of this subscription fetches first, in words (describe, else the request URL
 * without the origin when it is the user URL's; nothing when it is the URL itself).  For
 * `winnow add`. */
int source_describe(const struct source *src, const struct subscription *sub, struct strbuf *out,
                    struct error *err);

/* Built-in adapters (one per file). */
extern const struct source source_feed;      /* RSS 0.9x/1.0/2.0, Atom, JSON Feed: sniffed */
extern const struct source source_youtube;   /* channel/playlist/@handle → the Atom feed */
extern const struct source source_invidious; /* an instance's /api/v1 */
extern const struct source source_mastodon;  /* accounts, tags, public timelines */
extern const struct source source_bluesky;   /* the public AppView (no login) */
extern const struct source source_reddit;    /* .json listings */
extern const struct source source_peertube;  /* /api/v1 video lists and details */
extern const struct source source_hackernews;/* the Firebase API */
extern const struct source source_lemmy;     /* /api/v3/post/list */
extern const struct source source_link;      /* one page: OpenGraph / Twitter card / oEmbed */
extern const struct source source_ytdlp;     /* any video page yt-dlp knows, through yt-dlp -J */
extern const struct source source_sora;      /* Sora share links: the post's JSON, else yt-dlp, else the card */
extern const struct source source_x;         /* X profiles through a Nitter/RSSHub bridge (bridge-x) */
extern const struct source source_mastodon_login; /* your Mastodon timelines (winnow login mastodon) */
extern const struct source source_bluesky_login;  /* your Bluesky timeline and feeds (winnow login bluesky) */

/* Format parsers the "feed" adapter dispatches to (also used directly by tests).  The adapter
 * first converts the body to UTF-8 with the response's charset (sources/charset.h) and sets
 * meta.charset; feed_parse_xml called directly converts from what the body itself says (BOM,
 * declaration, else UTF-8 with windows-1252 for invalid bytes). */
int feed_parse_xml(const char *body, size_t len, const char *base_url, struct item_sink *out,
                   struct error *err);
int feed_parse_jsonfeed(const char *body, size_t len, const char *base_url, struct item_sink *out,
                        struct error *err);

/* Resolves a possibly relative reference against base (RFC 3986), into the arena.  Returns ref
 * unchanged when it is absolute or base is NULL. */
char *url_resolve(struct arena *a, const char *base, const char *ref);
/* The host part of an http(s) URL into the arena, or NULL. */
char *url_host(struct arena *a, const char *url);

#endif
