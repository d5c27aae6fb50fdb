/* SPDX-License-Identifier: ISC */
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
#include "lists.h"
#include "player.h"
#include "store.h"
#include "util.h"

/* Where things live; NULL fields take the XDG defaults (or WINNOW_DB / WINNOW_CONFIG). */
struct app_paths {
    const char *db;
    const char *config;
    int no_store;             /* config and session only, no database (badge, thumb: they read one
                                 file, and many may run at once) */
};

struct app {
    struct config cfg;
    struct store *store;
    char *db_path;
    char *config_path;
    char *data_dir;
    char *cache_dir;
    char *config_dir;
    /* the config's auto-list rules, parsed at app_open; a refresh files new items by them */
    struct list_rule *rules;
    size_t n_rules;
    /* the session's one fetch engine, shared by refreshes, provenance scans, the reader's
     * thumbnails and media heads (so that low priority really waits behind feeds); made on first
     * use (app_fetcher) */
    struct fetcher *fetcher;
    /* provenance: rules, trust, badge cache and scan queue, loaded on first use (verdict.c) */
    struct app_prov *prov;
    int no_scan;              /* this session fetches no media for scans (refresh --no-scan) */
    /* store writes of background work (media scans and the rules they wake) that failed: how
     * many and the first one's words, for the CLI's last line and the reader's status line */
    unsigned store_errors;
    char store_error[320];
};
/* Counts a failed background store write and keeps the first one's words (what: "scan of URL"). */
void app_note_store_error(struct app *app, const char *what, const struct error *err);

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

/* `winnow add`: app_add_feed with care.  The URL is checked with one request (short timeouts)
 * unless offline, and a failure is refused with what failed ("HTTP 404 Not Found: Record not
 * found", "could not connect ...").  A web page (text/html) given to the feed adapter is searched
 * for the feeds it names (<link rel="alternate" type="application/rss+xml|atom+xml|feed+json">,
 * rel="feed"), and the pick-th (1-based; 0 = the first) is subscribed instead; a page naming none
 * is refused with the --link advice.  The same feed under another spelling is not added again:
 * res->existing names it and 0 is returned. */
#define APP_DISCOVER_MAX 16
struct app_discovered {
    char *url[APP_DISCOVER_MAX];      /* absolute, sanitised */
    char *title[APP_DISCOVER_MAX];    /* the link's title, or NULL */
    size_t n;
};
struct app_add_opts {
    const char *url, *kind, *title, *tags;
    int offline, insecure_tls, pick;
};
struct app_add_result {
    int64_t id;                       /* the new feed */
    int64_t existing;                 /* > 0: already subscribed as this feed; nothing added */
    const char *kind;                 /* the adapter picked */
    char *url;                        /* what was subscribed (a discovered feed, or the URL) */
    struct app_discovered found;      /* the feeds the page named (n == 0: not a page) */
    int picked;                       /* 1-based index into found, 0 when not a page */
};
int app_subscribe(struct app *app, const struct app_add_opts *o, struct app_add_result *res,
                  struct error *err);
void app_add_result_free(struct app_add_result *r);
/* The feeds an HTML page names, hrefs resolved against base (the page's final URL). */
void app_discover_feeds(const char *html, size_t len, const char *base, struct app_discovered *d);
void app_discovered_free(struct app_discovered *d);
/* A URL in the form duplicates are compared in: scheme and host lower-cased, no default port, no
 * fragment, no trailing slash on the path (malloc'd). */
char *app_url_normalise(const char *url);
/* The id of the feed that is this URL under another spelling, or whose first request or
 * remembered endpoint is the same; 0 when none. */
int64_t app_feed_duplicate(struct app *app, const char *url, const char *kind);
/* The same question asked many times (an import): the feeds' spellings worked out once. */
struct app_dup_index;
struct app_dup_index *app_dup_index_new(struct app *app);
int64_t app_dup_index_find(const struct app_dup_index *x, const char *url, const char *kind);
void app_dup_index_add(struct app_dup_index *x, int64_t id, const char *url, const char *kind, const char *endpoint);
void app_dup_index_free(struct app_dup_index *x);
/* The reason an API's JSON error body gives ({"message": ...} of Bluesky and Reddit, {"error":
 * ...} of Mastodon), sanitised and at most 160 bytes, into out; 1 when there was one. */
int app_api_reason(const char *body, size_t len, char *out, size_t cap);
/* A failed fetch in words: its error, and the API's reason when the body gives one. */
void app_fetch_error(const struct fetch_result *res, char *out, size_t cap);

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
    /* Store writes that failed besides a feed's commit (a failure, a wait or an endpoint not
     * recorded, rules not applied, keep-days not purged): how many, and the first one's words.
     * Each is also in its feed's event message; nothing fetched is dropped because of them. */
    size_t store_errors;
    char store_error[320];
    /* Bodies parsed on the refresh's own thread, there being no parse worker (one CPU); the rest
     * went to the workers. */
    size_t parsed_here;
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

/* A file:// subscription must name a regular file of this machine: never a terminal, a FIFO or a
 * device (reading /dev/tty waits for the keyboard), checked at add and again by the fetch engine
 * at every refresh.  0, or -1 with the reason. */
int app_local_feed_check(const char *url, struct error *err);

/* Import an OPML file or a newsboat urls file (sniffed).  Counts added and skipped (existing).
 * A shared list is a remote document: its file:// entries are refused (each named in *refused,
 * one "URL: reason" line each, when refused is not NULL) unless allow_file is set, and even then
 * only regular files are taken. */
int app_import(struct app *app, const char *path, int allow_file, int *added, int *skipped,
               struct strbuf *refused, struct error *err);
/* The OPML reader on its own (no store), so that it can be fuzzed: each outline with an xmlUrl is
 * handed to each() with its title, tags (enclosing folders and category, comma-separated) and
 * winnow's kind when winnow's own export wrote it (winnow:kind with winnow:url, which is then
 * the URL), else NULL. */
typedef void opml_outline_fn(void *ud, const char *url, const char *title, const char *tags,
                             const char *kind);
int opml_parse(const char *buf, size_t len, const char *name, opml_outline_fn *each, void *ud,
               struct error *err);
/* Writes all feeds as OPML 2.0: xmlUrl is a feed other readers can use (the platform's own RSS or
 * Atom where it has one), htmlUrl the web page, and winnow:kind / winnow:url (xmlns:winnow=
 * "urn:winnow:opml:1") keep what winnow subscribed. */
int app_export_opml(struct app *app, FILE *out, struct error *err);

/* ---- playback (src/app/play.c): items from the store, resume, read marks ---- */

enum app_resume { APP_RESUME_YES, APP_RESUME_NO, APP_RESUME_ASK };

/* The playback settings of the config file: keys video-output, video-preset, audio-only, resume,
 * mpv-config and mpv-option (repeatable). */
#define APP_PLAY_MAX_MPV_OPTIONS 32
/* play's media rule: 1 when url (of item it) may go to a player: http(s), or file:// of an item
 * whose feed is itself a local file.  Exports apply it too. */
int app_media_url_allowed(struct app *app, const struct item *it, const char *url);

struct app_play_settings {
    struct player_opts opts;
    enum app_resume resume;
    const char *mpv_options[APP_PLAY_MAX_MPV_OPTIONS];   /* opts.mpv_options points here */
};
/* From the typed values of a config (config_parse checked its words; config_defaults gives the
 * defaults: tct, auto, resume yes, mpv's own config read).  The mpv option strings stay in c,
 * which must outlive out.  -1 with a message for an mpv option that is not KEY=VALUE (a config
 * built by hand). */
int app_play_settings_from(struct app_play_settings *out, const struct config *c, struct error *err);
/* The settings of app's config (its values were checked when the config was read). */
void app_play_settings(const struct app *app, struct app_play_settings *out);

struct app_play_entry {
    /* in: an item of the store, or (item_id 0) a URL */
    int64_t item_id;
    const char *url;
    /* filled by app_play_prepare */
    char *media_url;                  /* what mpv opens; NULL: nothing to play (result says why) */
    char *title;
    int page, audio_only;
    double saved_position;            /* the stored resume position, 0 none */
    double start;                     /* where playback starts: the saved position with resume
                                         yes (and ask: the TUI asks and may set 0) */
    /* filled by app_play_run */
    struct player_result result;
    int position_saved;               /* stopped early: the position was stored for resume */
    int marked_read;                  /* played to the end: marked read, position cleared */
};

/* Looks the items up and picks what to play: the media URL, else the link of a page item; a URL
 * entry is played as given (a page URL through yt-dlp).  -1 when an item id does not exist; an item
 * without media gets an ERROR result and is skipped by app_play_run. */
int app_play_prepare(struct app *app, struct app_play_entry *entries, size_t n,
                     enum app_resume resume, struct error *err);
/* Plays the prepared entries as one queue, then stores what happened: a position for an item
 * stopped early, read and no position for an item played to the end.  0, or -1 when mpv could not
 * start or the store failed. */
int app_play_run(struct app *app, struct app_play_entry *entries, size_t n,
                 const struct player_opts *opts, struct error *err);
void app_play_entries_free(struct app_play_entry *entries, size_t n);
/* How an entry ended, in words for the CLI and the status line: "ended (marked read)",
 * "quit at 0:01 of 0:03 (position saved)", "skipped at 0:12", "error: loading failed (HTTP 404
 * Not Found)", "not played". */
const char *app_play_describe(const struct app_play_entry *e, char *buf, size_t size);

/* "playing without sound (no audio device)" when mpv found no sound device and played on without
 * one (said once for the queue), else NULL. */
const char *app_play_sound_note(const struct app_play_entry *entries, size_t n);

/* ---- the session's fetcher ---- */

/* The one fetcher, made with the config's limits on first use (jobs > 0 overrides the config's
 * parallel transfers, for `refresh --jobs`, when it is made).  NULL when libcurl cannot start
 * (its global init or a multi handle failed): every caller says so instead of fetching;
 * APP_NO_FETCHER is the words for it. */
struct fetcher *app_fetcher_jobs(struct app *app, int jobs) __attribute__((warn_unused_result));
struct fetcher *app_fetcher(struct app *app) __attribute__((warn_unused_result));
#define APP_NO_FETCHER "the fetch engine could not start (libcurl failed to initialise)"
/* Drives the fetcher (scans, thumbnails, media heads) like fetch_poll; a running refresh is
 * driven by app_refresh_poll instead, which drives the same fetcher.  Returns requests pending. */
int app_poll(struct app *app, int timeout_ms, struct fetch_waitfd *extra, unsigned n_extra);
/* Requests queued or running on the session's fetcher. */
int app_busy(const struct app *app);
/* Fetches one URL, blocking (the CLI's `thumb` and `badge`): at most max bytes, only bytes
 * 0..range_end when range_end > 0.  allow_file: the URL is the user's own argument.  0 with a
 * malloc'd *body, or -1 with "URL: reason". */
int app_fetch_one(struct app *app, const char *url, size_t max, long range_end, int allow_file,
                  char **body, size_t *len, struct error *err);
/* 1 when a command-line argument is a URL app_fetch_one takes (http, https, file; any case),
 * 0 for a path. */
int app_arg_is_url(const char *s);

/* ---- provenance as a stored fact (src/app/verdict.c) ---- */

struct prov_badge;
struct cJSON;

/* The badge of an item: its stored platform signals folded with its stored media scans under the
 * session's rules.  The reader, `items --json`, exports and rules all use this one function. */
void app_item_badge(struct app *app, const struct item *it, struct prov_badge *b);
enum { APP_TONE_PLAIN, APP_TONE_GOOD, APP_TONE_WARN, APP_TONE_BAD };
/* The badge's two cells (cached per item until a verdict changes) and its tone (APP_TONE_*). */
int app_badge_cells(struct app *app, const struct item *it, int ascii, char out[2][8]);
/* The detail view's provenance lines. */
void app_badge_lines(struct app *app, const struct item *it, int ascii, struct strbuf *out);
/* The same facts as a JSON object (cJSON, the caller's). */
struct cJSON *app_badge_json(struct app *app, const struct item *it);
/* Media the platform or its author marked sensitive (Mastodon sensitive, Reddit nsfw, Bluesky
 * porn/sexual/nudity/graphic-media/gore labels): 1 with why ("graphic-media (author)",
 * "marked sensitive by the platform"), else 0. */
int app_item_sensitive(struct app *app, const struct item *it, char *why, size_t n);
/* The post's content warning, into cw: a Bluesky !warn from a labeller the user honours, or
 * Mastodon's spoiler_text; 0 when it has none. */
int app_item_content_warning(struct app *app, const struct item *it, char *cw, size_t n);
/* What a platform label asks of a reader, in words (Bluesky's "!" values), or NULL. */
const char *app_label_meaning(const char *value);
/* Changes whenever a stored verdict changes: the reader redraws badges and re-filters. */
unsigned app_prov_generation(struct app *app);
/* The curation masks for an item_query: the config's hide/only (and the trust file's), plus the
 * reader's H (hide_ai).  -1 when the rules cannot be loaded. */
int app_curation_masks(struct app *app, int hide_ai, int64_t *hide, int64_t *only, struct error *err);
/* Masks for filter names given on the command line (`items --hide/--only`); -1 for an unknown
 * name, naming the valid ones. */
int app_filter_masks(const char *const *hide, size_t n_hide, const char *const *only, size_t n_only,
                     int64_t *hmask, int64_t *omask, struct error *err);
/* The badge of a media file's bytes alone (`winnow badge`), judged with the session's rules and
 * trust (the config's trust-anchor lines included); have_list: the C2PA trust list is there. */
int app_badge_media(struct app *app, const void *bytes, size_t len, int head_only, int use_cache,
                    struct prov_badge *b, int *have_list, struct error *err);
/* The same for a local file of any size, mapped and hashed as a stream (prov_scan_file). */
int app_badge_file(struct app *app, const char *path, int use_cache, struct prov_badge *b, int *have_list,
                   struct error *err);
/* Time stamping authorities the session trusts (the C2PA TSA list). */
int app_trust_tsa_count(struct app *app);
/* The session's trust anchors: counts (official list, the user's own) and each one through fn. */
void app_trust_each(struct app *app, int *n_official, int *n_mine,
                    void (*fn)(const char *org, const char *cn, const char *sha256, int official, void *user),
                    void *user, struct error *err);
/* Loads the rules and trust again (after `trust update` or `trust add`): every stored verdict
 * made under the old trust store is judged again from its evidence, without fetching media. */
int app_prov_reload(struct app *app, struct error *err);

/* Scanning.  A scan fetches media (a thumbnail whole, an image or video's first 4 MiB) on the
 * session's fetcher at low priority and stores what it found.  app_scan_items queues the media of
 * the given items (n == 0: every item waiting or failed); app_scan_item queues one item's, ahead
 * of the rest (the reader opened it).  app_scan_bytes stores a scan of bytes fetched anyway (the
 * reader's thumbnails) unless one is stored.  Failed scans are retried up to APP_SCAN_TRIES times
 * in a row. */
#define APP_SCAN_TRIES 5
int app_scan_items(struct app *app, const int64_t *ids, size_t n, struct error *err);
void app_scan_item(struct app *app, const struct item *it);
void app_scan_bytes(struct app *app, const char *url, const void *bytes, size_t len);
int app_scan_pending(struct app *app);

/* Path helpers: $XDG_*_HOME/winnow with the usual fallbacks (malloc'd). */
char *app_xdg_dir(const char *env, const char *fallback_rel);

#endif
