/* source — the interface every feed/API adapter implements, and the registry that picks one.
 * Adding a source is one new file in src/sources/ plus one line in registry.c. */
#ifndef WINNOW_SOURCE_H
#define WINNOW_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "item.h"
#include "util.h"

/* What the user subscribed to. */
struct subscription {
    int64_t id;
    const char *url;         /* as the user gave it */
    const char *kind;        /* adapter name, "" / NULL = auto */
    const char *title;
    size_t max_items;        /* 0 = adapter default */
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
};

/* The adapter for a kind name, or NULL. */
const struct source *source_by_name(const char *name);
/* The best adapter for a URL (never NULL: falls back to "feed"). */
const struct source *source_for_url(const char *url);
/* The adapter for a subscription: its kind when set, else source_for_url. */
const struct source *source_for_sub(const struct subscription *sub);
/* All adapters, NULL-terminated. */
const struct source *const *source_all(void);

/* Built-in adapters (one per file). */
extern const struct source source_feed;      /* RSS 0.9x/1.0/2.0, Atom, JSON Feed: sniffed */

/* Format parsers the "feed" adapter dispatches to (also used directly by tests). */
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
