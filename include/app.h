/* app — the session both faces (CLI and TUI) drive: paths, config, store and fetcher together;
 * subscribing, refreshing (asynchronously, so the TUI can keep typing), querying and import/export.
 * Neither face calls libcurl or SQLite itself. */
#ifndef WINNOW_APP_H
#define WINNOW_APP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "fetch.h"
#include "item.h"
#include "store.h"
#include "util.h"

/* Where things live; NULL fields take the XDG defaults (or WINNOW_DB / WINNOW_CONFIG). */
struct app_paths {
    const char *db;
    const char *config;
};

struct app {
    struct config cfg;
    struct store *store;
    char *db_path;
    char *config_path;
    char *data_dir;
    char *cache_dir;
    char *config_dir;
};

int app_open(struct app *app, const struct app_paths *paths, struct error *err);
void app_close(struct app *app);

/* Subscribing.  kind NULL = pick by URL; picked_out receives the adapter's name.  kind "link"
 * keeps one web page (a Sora, Meta Vibes or X share link, any article) as one item, from its
 * OpenGraph tags.  A URL the adapter cannot serve is refused here, with the adapter's reason. */
int app_add_feed(struct app *app, const char *url, const char *kind, const char *title,
                 const char *tags, int64_t *id_out, const char **picked_out, struct error *err);
/* What a refresh of URL (with kind, NULL = picked by URL) will fetch first, in words, for saying
 * what `add` picked: "/api/v1/accounts/lookup?acct=Gargron → statuses". */
int app_feed_plan(struct app *app, const char *url, const char *kind, struct strbuf *out,
                  struct error *err);
int app_remove_feed(struct app *app, const char *url_or_id, struct error *err);

/* Refreshing.  One status line per feed is reported through the callback as each finishes. */
enum refresh_status { REFRESH_NEW, REFRESH_UNCHANGED, REFRESH_FAILED };

struct refresh_event {
    const struct feed_row *feed;
    enum refresh_status status;
    int new_items;
    int items;               /* items in the response */
    const char *message;     /* error text when failed */
};

typedef void (*refresh_fn)(const struct refresh_event *ev, void *user);

struct refresh_report {
    size_t feeds, done, updated, unchanged, failed, new_items;
    double elapsed_ms;
};

struct refresh;

/* Starts refreshing the given feeds (n == 0: all).  jobs <= 0 uses the config. */
struct refresh *app_refresh_start(struct app *app, const int64_t *ids, size_t n, int jobs,
                                  refresh_fn cb, void *user, struct error *err);
/* Drives the refresh; see fetch_poll.  Returns the number of feeds still pending. */
int app_refresh_poll(struct refresh *r, int timeout_ms, struct fetch_waitfd *extra, unsigned n_extra);
const struct refresh_report *app_refresh_report(const struct refresh *r);
void app_refresh_free(struct refresh *r);

/* Blocking refresh for the CLI.  Returns 0 when every feed succeeded, 1 when some failed, -1 on
 * a setup error. */
int app_refresh(struct app *app, const int64_t *ids, size_t n, int jobs, refresh_fn cb, void *user,
                struct refresh_report *report, struct error *err);

/* Import an OPML file or a newsboat urls file (sniffed).  Counts added and skipped (existing). */
int app_import(struct app *app, const char *path, int *added, int *skipped, struct error *err);
/* Writes all feeds as OPML 2.0. */
int app_export_opml(struct app *app, FILE *out, struct error *err);

/* Path helpers: $XDG_*_HOME/winnow with the usual fallbacks (malloc'd). */
char *app_xdg_dir(const char *env, const char *fallback_rel);

#endif
