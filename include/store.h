/* SPDX-License-Identifier: ISC */
/* store — the SQLite store: feeds, items, lists, list items, playback positions.  WAL mode, schema
 * migrations by PRAGMA user_version, every write in a transaction.  A failed refresh never deletes
 * anything: only store_feed_commit touches items; it inserts and updates, and trims a feed that was
 * refreshed to the retention bound (store_set_retention). */
#ifndef WINNOW_STORE_H
#define WINNOW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "item.h"
#include "util.h"

struct store;

struct feed_row {
    int64_t id;
    char *url, *kind, *title, *tags, *site_url;
    char *etag, *last_modified, *last_error;
    int64_t last_fetch, last_success;   /* Unix seconds, 0 never */
    int64_t total, unread;              /* item counts */
    int64_t retry_after;                /* Unix seconds: refreshes skip the feed until then; 0 none */
    char *endpoint, *endpoint_stage;    /* what the URL resolved to (source.h), or NULL */
    int insecure_tls;                   /* 1: fetched without checking the TLS certificate */
    char *charset;                      /* the encoding the last refresh read ("utf-8", "big5"), or NULL */
};

/* Opens (creating 0600, with parent directories 0700) and migrates the database.  When it cannot
 * be written (a full disk, a read-only file), it is opened read-only so that reading still works;
 * every write then fails naming the reason, and a full disk says "disk full" with the path. */
struct store *store_open(const char *path, struct error *err);
/* 1 when store_open fell back to read-only. */
int store_read_only(struct store *st);
void store_close(struct store *st);
int store_schema_version(struct store *st);
/* The SQLite library's version ("3.40.1"), for `winnow --version`. */
const char *store_sqlite_version(void);
/* How long a write waits for another process's write transaction before failing with "database is
 * busy (another winnow is writing); try again".  The default is 5000 ms; tests use less. */
void store_set_busy_timeout(struct store *st, int ms);

/* The bound on every feed, applied by each store_feed_commit in its transaction (0 switches a part
 * off; a new handle has all three off).  keep_items: the newest this many items of a feed stay;
 * older ones go unless starred, in a list, or read within the last read_days days; a deleted item
 * is remembered (tombstone) while the feed carries it, so it does not come back as new.  new_cap:
 * at most this many items new to the store per commit; store_last_capped says how many more the
 * last commit left out. */
struct store_retention {
    int keep_items, read_days, new_cap;
};
void store_set_retention(struct store *st, const struct store_retention *keep);
int store_last_capped(struct store *st);
/* Bytes the feed's items take in the database (their text, roughly), for `winnow feeds`. */
int store_feed_bytes(struct store *st, int64_t id, int64_t *bytes_out, struct error *err);

/* Feeds.  tags: comma-separated.  Adding a URL that exists fails with "already subscribed". */
int store_feed_add(struct store *st, const char *url, const char *kind, const char *title,
                   const char *tags, int64_t *id_out, struct error *err) __attribute__((warn_unused_result));
/* Looks a feed up by numeric id or by URL. */
int store_feed_get(struct store *st, const char *url_or_id, struct feed_row *out, struct error *err);
/* Removes the feed and its items, except items that are starred or in a list (they stay, detached). */
int store_feed_remove(struct store *st, int64_t id, struct error *err) __attribute__((warn_unused_result));
/* All feeds, ordered by title; free with store_feed_rows_free. */
int store_feeds(struct store *st, struct feed_row **rows, size_t *n, struct error *err);
void store_feed_row_free(struct feed_row *r);
void store_feed_rows_free(struct feed_row *rows, size_t n);

/* A batch of writes in one transaction: end commits them all at once, or with ok = 0 rolls them
 * all back.  A refresh stores the feeds that finish together this way: a commit per feed rewrote
 * the same index pages to the WAL for every feed.  Every write function's own transaction nests
 * inside it as a savepoint (a failing write rolls back alone), except store_feed_commit's: a
 * savepoint copies every page it is about to change first, 12 % of a 3,000-feed refresh.  A feed
 * commit that fails in a batch leaves it broken (store_batch_broken): its end rolls everything
 * back and fails, and the caller stores the batch's feeds again, one transaction each. */
int store_batch_begin(struct store *st, struct error *err);
int store_batch_end(struct store *st, int ok, struct error *err);
int store_batch_broken(const struct store *st);

/* A blocking refresh's new rows go into the text index in groups (store_int.h): on while it runs
 * (on = 1), off after (0), then store_fts_catch_up indexes every row that still waits, in a
 * transaction of its own.  Until then a search does not find those rows. */
void store_fts_group(struct store *st, int on);
int store_fts_catch_up(struct store *st, struct error *err) __attribute__((warn_unused_result));

/* Refresh outcomes.  failed: records the message and time, touches no item.  unchanged (304): clears
 * the error.  commit: in one transaction upserts the items by (feed, guid), updates the feed's
 * title (unless the user set one), site link and validators, clears the error; *new_out counts
 * items not seen before. */
int store_feed_failed(struct store *st, int64_t id, const char *msg, struct error *err) __attribute__((warn_unused_result));
int store_feed_unchanged(struct store *st, int64_t id, struct error *err) __attribute__((warn_unused_result));
int store_feed_commit(struct store *st, int64_t id, const struct item_sink *items, const char *etag,
                      const char *last_modified, int *new_out, struct error *err) __attribute__((warn_unused_result));

/* Rate limits: refreshes skip the feed until not_before (Unix seconds; 0 clears it).  A commit or
 * an unchanged refresh clears it too. */
int store_feed_set_retry(struct store *st, int64_t id, int64_t not_before, struct error *err) __attribute__((warn_unused_result));
/* Marks a feed as fetched without TLS certificate checks (1) or with them (0). */
int store_feed_set_insecure_tls(struct store *st, int64_t id, int on, struct error *err) __attribute__((warn_unused_result));
/* How many feeds the items of a list come from (items kept after their feed went count for none);
 * -1 on error. */
int64_t store_list_feed_count(struct store *st, int64_t list_id, struct error *err);
/* Adds the tags (comma-separated) a feed does not have yet, keeping its own (an OPML import over
 * an existing feed files it under the folder too). */
int store_feed_merge_tags(struct store *st, int64_t id, const char *tags, struct error *err) __attribute__((warn_unused_result));
/* Remembers (url non-NULL) or forgets the endpoint a feed's URL resolved to, and its stage. */
int store_feed_set_endpoint(struct store *st, int64_t id, const char *url, const char *stage,
                            struct error *err) __attribute__((warn_unused_result));
/* 1 when the feed already stores an item with this guid, 0 when not, -1 on error. */
int store_item_known(struct store *st, int64_t feed_id, const char *guid, struct error *err);

/* Item queries.  Items come newest first (published, else first seen), into the sink's arena
 * without re-sanitising (the store holds sanitised text only). */
struct item_query {
    int64_t feed_id;        /* 0 = all feeds */
    const char *tag;        /* only feeds with this tag */
    int64_t list_id;        /* 0 = not restricted to a list; >0 items of that list in list order */
    int unread_only;
    int starred_only;
    const char *search;     /* text in title, summary or categories (case-insensitive ASCII) that
                             * starts at a word ("snake_ca" finds "snake_case", "ake" does not):
                             * found through the full-text index; text with no letter or digit in
                             * it is looked for anywhere, row by row */
    const char *category;   /* only items with this category (a whole one, ASCII case folded) */
    int64_t prov_hide;      /* drop items whose prov_mask has any of these bits (hide = ...) */
    int64_t prov_only;      /* when set, keep only items whose prov_mask has one of them (only = ...) */
    int64_t limit;          /* 0 = no limit */
    int64_t offset;
    /* Paging by key instead of offset (not with list_id): the items strictly after this item
     * (older, in page order), or strictly before it (newer, nearest first: the reverse of page
     * order).  A page costs its own rows wherever it lies.  An item that is gone gives none.
     * before_id = STORE_PAST_END: the last items of the order, the last one first. */
    int64_t after_id, before_id;
};
#define STORE_PAST_END INT64_MAX
int store_items(struct store *st, const struct item_query *q, struct item_sink *out, struct error *err);
int64_t store_items_count(struct store *st, const struct item_query *q, struct error *err);
/* The position (in store_items order under q) of the first item at or after `from` (dir > 0), or
 * at or before it (dir < 0), whose title and summary satisfy match, looking at no more than
 * q->limit items (0: to the end); -1 when none does, -2 on error.  q->offset is ignored.  Reads only those two columns, walking the order from `from`
 * and stopping at the first match: the reader's search over 100k items without loading pages. */
typedef int (*store_match_fn)(const char *title, const char *summary, void *user);
int64_t store_items_find(struct store *st, const struct item_query *q, int64_t from, int dir,
                         store_match_fn match, void *user, struct error *err);
/* The text search (q->search's rules) over the items of q in page order: the first item whose
 * title or summary matches text, starting at from_id (included when inclusive) and going
 * forward (dir > 0, older) or back; from_id 0 starts at the first (or last) item.  from_pos is
 * from_id's position under q, total is store_items_count(q).  Returns the item's id and, in *pos, its position under q; 0 when none
 * matches, -1 on error.  Cost: a short walk from from_id, then the index's matches, then a count
 * from the nearer end of the order, never a walk of every item.  Not with q->list_id. */
int64_t store_items_search(struct store *st, const struct item_query *q, const char *text, int64_t from_id,
                           int64_t from_pos, int inclusive, int dir, int64_t total, int64_t *pos,
                           struct error *err);
int store_item_get(struct store *st, int64_t id, struct item_sink *out, struct error *err);
int store_item_set_read(struct store *st, int64_t id, int read, struct error *err) __attribute__((warn_unused_result));
int store_item_set_starred(struct store *st, int64_t id, int starred, struct error *err) __attribute__((warn_unused_result));
int store_feed_mark_read(struct store *st, int64_t feed_id, struct error *err) __attribute__((warn_unused_result));   /* 0 = all */

/* Playback positions (seconds), for resume.  get gives 0 when none was saved. */
int store_position_set(struct store *st, int64_t item_id, double seconds, struct error *err) __attribute__((warn_unused_result));
int store_position_get(struct store *st, int64_t item_id, double *seconds, struct error *err);

/* ---- provenance facts (src/store/scans.c) ---- */

/* What one media URL's bytes said, as stored.  result is the scan's facts (prov_media_format's
 * text), error why it could not be checked ("HTTP 404 Not Found"); exactly one is set. */
struct store_scan {
    char *url, *sha256, *trust_fp, *result, *error;
    int64_t scanned;
    int manifest, head_only, tries;
};
void store_scan_free(struct store_scan *s);
/* 1 found (out filled), 0 none, -1 error. */
int store_scan_get(struct store *st, const char *url, struct store_scan *out, struct error *err);
/* 1 when a scan is stored for some URL from lo to hi (both included, in strcmp's order), 0 when
 * none is, -1 error: when 0, none of a batch's URLs within the range needs a lookup. */
int store_scans_between(struct store *st, const char *lo, const char *hi, struct error *err);
/* Inserts or replaces the scan of s->url; tries counts the failed attempts in a row. */
int store_scan_put(struct store *st, const struct store_scan *s, struct error *err)
    __attribute__((warn_unused_result));
/* Scans with Content Credentials judged against a trust store other than trust_fp (malloc'd array). */
int store_scans_to_rejudge(struct store *st, const char *trust_fp, struct store_scan **out, size_t *n,
                           struct error *err);
void store_scans_free(struct store_scan *v, size_t n);

/* Items whose provenance mask is not worked out yet (of one feed, 0: all), at most limit (0: all). */
int store_items_unjudged(struct store *st, int64_t feed_id, size_t limit, struct item_sink *out,
                         struct error *err);
/* Items whose media wait for a scan (state 1; with failed, also 3) of one feed (0: all). */
int store_items_scan_todo(struct store *st, int64_t feed_id, int failed, struct item_sink *out,
                          struct error *err);
/* Items naming url as thumbnail or media (a walk of every item: for rare work), and only those of
 * them whose scans wait or failed (through the small index of those). */
int store_items_by_media(struct store *st, const char *url, struct item_sink *out, struct error *err);
int store_items_waiting_for(struct store *st, const char *url, struct item_sink *out, struct error *err);
/* Forgets the scan of url, so that it is fetched again. */
int store_scan_delete(struct store *st, const char *url, struct error *err) __attribute__((warn_unused_result));
int store_item_set_prov(struct store *st, int64_t id, int64_t mask, int scan_state, struct error *err)
    __attribute__((warn_unused_result));
/* Forgets every item's mask (the rules they were made under changed). */
int store_items_forget_prov(struct store *st, struct error *err) __attribute__((warn_unused_result));
/* The prov_mask bit of the "withheld" filter (prov_filter_index): items a feed holds back. */
#define STORE_MASK_WITHHELD ((int64_t)1 << 15)
/* Per feed, how many of its items are withheld and how many of those unread (malloc'd arrays of
 * *n entries, only feeds with any). */
int store_withheld_counts(struct store *st, int64_t **feed_ids, int64_t **total, int64_t **unread, size_t *n,
                          struct error *err);
/* Small facts of the database; get gives 0 with *value NULL when the key is not set. */
int store_meta_get(struct store *st, const char *key, char **value, struct error *err);
int store_meta_set(struct store *st, const char *key, const char *value, struct error *err)
    __attribute__((warn_unused_result));

/* Runs f inside one transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK when f fails). */
int store_transaction(struct store *st, int (*f)(struct store *, void *), void *ctx, struct error *err) __attribute__((warn_unused_result));

/* The raw handle, for the store's own modules (lists) and tests only. */
struct sqlite3 *store_db(struct store *st);

#endif
