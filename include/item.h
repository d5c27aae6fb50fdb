/* SPDX-License-Identifier: ISC */
/* item — the one normalised model every source adapter produces, and the sink adapters push items
 * into.  The sink is where the sanitiser is applied: every string an adapter hands over passes
 * text_sanitize with its field's bound on the way in, so no adapter can forget it. */
#ifndef WINNOW_ITEM_H
#define WINNOW_ITEM_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct item {
    int64_t id;              /* store row id (0 before it is stored) */
    int64_t feed_id;
    const char *guid;        /* stable: guid / id / link / a hash of title+date, never empty */
    const char *title;       /* one line; the first line of the text for posts without one */
    const char *author;      /* display name */
    const char *author_handle;
    const char *author_url;
    const char *url;         /* canonical link */
    int64_t published;       /* Unix seconds, -1 unknown */
    int64_t updated;         /* Unix seconds, -1 unknown */
    int64_t published_orig;  /* read from the store: the feed's own date when it lay past the
                                fetch time, so published holds the fetch time it sorts by; else -1 */
    const char *summary;     /* plain text, LF between paragraphs */
    const char *thumb_url;
    int thumb_w, thumb_h;
    const char *media_url;
    const char *media_type;  /* MIME type, or "hls" / "dash" / "page" */
    int64_t media_duration;  /* seconds, -1 unknown */
    int64_t media_size;      /* bytes, -1 unknown */
    int media_w, media_h;
    /* every category / tag / subject the source gives, one per line (LF-separated), or NULL */
    const char *categories;
    /* every enclosure the source lists, as a JSON array of {"url","type","length"} objects
     * (type and length only when known), or NULL; media_url is the one that plays */
    const char *enclosures;
    /* platform facts for provenance */
    const char *platform;    /* "rss", "atom", "jsonfeed", "youtube", "mastodon", ... */
    const char *host;        /* instance or site host */
    int author_bot;          /* 1 = the platform says the account is automated */
    const char *labels;      /* comma-separated platform / labeller labels */
    const char *extra;       /* JSON object text with further platform fields, or NULL */
    /* state kept by the store */
    int read, starred;
    int64_t prov_mask;       /* the curation filters its badge falls under (one bit per name of
                                prov_filter_names), -1 not yet worked out */
    int scan_state;          /* its media: 0 nothing to scan, 1 not checked yet, 2 scanned, 3 could
                                not be checked */
    const char *feed_title;  /* filled by queries */
};

void item_init(struct item *it);   /* zero strings, -1 for unknown numbers */

/* The origin rule for URLs an item names: a document fetched from the network may point only at
 * the network.  A picture or media URL that is not http(s) is dropped (file:///dev/tty as a
 * thumbnail froze the reader; file:///etc/passwd was opened), as is a file: link or author link;
 * only a feed that is itself a local file (ITEM_ORIGIN_FILE: the demo) may name local files.  A
 * document from a public address (ITEM_ORIGIN_PUBLIC) may not name the user's own machine or
 * network either (http://127.0.0.1:631/, http://192.168.1.1/, http://localhost/, in any spelling
 * curl accepts): a feed must not make winnow probe local services.  One from a local address (a
 * home server: ITEM_ORIGIN_NETWORK) may.  Returns how many URLs were dropped. */
enum { ITEM_ORIGIN_NETWORK = 0, ITEM_ORIGIN_FILE = 1, ITEM_ORIGIN_PUBLIC = 2 };
int item_confine_urls(struct item *it, int origin);
/* 1 when ip (text) is loopback, private, link-local, CGNAT or unspecified (or not an address). */
int item_addr_is_local(const char *ip);
/* 1 when the URL's host is a local address or localhost, in any spelling curl accepts; names
 * are not resolved (0 for them). */
int item_url_host_local(const char *url);

/* 1 when url starts with http:// or https:// (any case). */
int item_url_is_http(const char *url);

/* Feed-level facts a parser finds. */
struct feed_meta {
    const char *title;
    const char *link;
    const char *format;      /* "rss2.0", "rss1.0", "atom1.0", "jsonfeed1.1", ... */
    const char *charset;     /* the body's character encoding as read ("utf-8", "big5", ...) */
};

/* A further request an adapter asks for while parsing a response: the multi-step sources (a
 * Mastodon account lookup before its statuses, a YouTube @handle page before the channel's feed,
 * Hacker News' list of ids before the stories).  The refresh fetches it and hands its body to the
 * same adapter's parse, with sub->stage set to stage, into the same sink; the feed's items are
 * committed once, when every request of the refresh has finished.  See source.h. */
struct item_follow {
    const char *url;
    const char *stage;       /* handed back in subscription.stage; NULL = "" */
    const char *skip_guid;   /* when the feed already stores an item with this guid, the request
                                is not made and an item with this guid in the sink is dropped:
                                stored items are not fetched again, nor overwritten by the
                                sketchier copy a list gave */
    int optional;            /* its failure drops only this request; else the whole refresh fails */
    int endpoint;            /* this URL is the feed's real endpoint (what a user URL resolved to):
                                later refreshes start here, with its stage, and its validators */
};

struct item_sink {
    struct arena arena;      /* owns every string of the batch */
    struct item *items;
    size_t n, cap;
    struct feed_meta meta;
    size_t max_items;        /* 0 = no limit; further pushes are dropped and counted */
    size_t dropped;
    struct item_follow *follows;   /* asked for by the last parse, not yet taken by the refresh */
    size_t n_follows, cap_follows;
};

void item_sink_init(struct item_sink *s);
void item_sink_free(struct item_sink *s);

/* Copies *it into the sink, sanitising every string with its field's bound (the strings of *it
 * may be temporary).  Fills a guid when the item has none (link, else title+date hash). */
void item_sink_push(struct item_sink *s, const struct item *it);
/* Copies *it into the sink verbatim: strings are duplicated into the arena but not sanitised and
 * no guid is invented.  Only for text that is already clean (the store's query results), where a
 * second pass through the sanitiser would cost time and could not change anything. */
void item_sink_push_raw(struct item_sink *s, const struct item *it);
/* Like item_sink_push, but an item already in the sink with the same guid (after sanitising) is
 * replaced instead of added: a later, fuller response about the same item (a PeerTube video's
 * detail after the list) completes it. */
void item_sink_replace(struct item_sink *s, const struct item *it);
/* The item in the sink with this guid, or NULL. */
struct item *item_sink_find(struct item_sink *s, const char *guid);
/* Queues a follow-up request (strings copied, URL sanitised).  Ignored when f->url is NULL/empty. */
void item_sink_follow(struct item_sink *s, const struct item_follow *f);
/* Sets the feed meta, sanitised. */
void item_sink_meta(struct item_sink *s, const char *title, const char *link, const char *format);

#endif
