/* SPDX-License-Identifier: ISC */
/* store_int — what the store's own files share and nobody else sees: the handle, the cache of
 * prepared statements, transaction nesting and the translation of SQLite failures into one-line
 * messages. */
#ifndef WINNOW_STORE_INT_H
#define WINNOW_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

/* Statements with fixed text, prepared on first use and kept for the life of the handle: a refresh
 * of hundreds of feeds runs the same few statements thousands of times. */
enum stmt_id {
    Q_UPSERT_ITEM,
    Q_INSERT_ITEM,
    Q_TRIM_COUNT,
    Q_FEED_COMMIT,
    Q_FEED_TITLE,
    Q_FEED_FAILED,
    Q_FEED_UNCHANGED,
    Q_FEED_ADD,
    Q_FEED_BY_ID,
    Q_FEED_BY_URL,
    Q_FEEDS,
    Q_ITEM_GET,
    Q_ITEM_READ,
    Q_ITEM_STARRED,
    Q_MARK_READ_FEED,
    Q_MARK_READ_ALL,
    Q_POS_SET,
    Q_POS_GET,
    Q_FEED_DETACH,
    Q_FEED_DEL_ITEMS,
    Q_FEED_DEL,
    Q_FEED_RETRY,
    Q_FEED_ENDPOINT,
    Q_ITEM_KNOWN,
    Q_PURGED_ANY,
    Q_PURGED_HAS,
    Q_PURGED_SEEN,
    Q_PURGED_FORGET,
    Q_SCAN_GET,
    Q_SCAN_PUT,
    Q_SCAN_RANGE,
    Q_ITEM_SET_PROV,
    Q_ITEMS_UNJUDGED,
    Q_ITEMS_SCAN_TODO,
    Q_ITEMS_BY_MEDIA,
    Q_ITEMS_WAITING,
    Q_ITEMS_UNJUDGED_ALL,
    Q_ITEMS_SCAN_TODO_ALL,
    Q_SCAN_DEL,
    Q_META_GET,
    Q_META_SET,
    Q_TRIM_TOMB,
    Q_TRIM_DEL,
    Q_WITHHELD,
    Q_ITEM_KEY,
    Q_FTS_ROW,
    Q_MAX_ITEM,
    Q_FTS_NEW,
    Q_FEED_COUNT_NEW,
    Q_FTS_WAIT_GET,
    Q_FTS_WAIT_SET,
    Q_FTS_WAIT_DEL,
    Q__COUNT
};

/* store_items builds its SQL from which filters are present; each combination is prepared once.
 * The bits are the QS_* flags below. */
enum {
    QS_FEED = 1 << 0,
    QS_TAG = 1 << 1,
    QS_LIST = 1 << 2,
    QS_UNREAD = 1 << 3,
    QS_STARRED = 1 << 4,
    QS_SEARCH = 1 << 5,
    QS_PHIDE = 1 << 6,
    QS_PONLY = 1 << 7,
    QS_CATEGORY = 1 << 8,
    QS_LIKE = 1 << 9,           /* a search with no word in it: a substring, by LIKE */
    QS__SHAPES = 1 << 10
};

/* How a page statement is paged: by offset, or by key after or before an item. */
enum { QP_OFFSET, QP_AFTER, QP_BEFORE, QP__N };

/* The item insert's named parameters, after the fields (feeds.c). */
#define STORE_ITEM_PARAMS 5

struct store {
    sqlite3 *db;
    char *path;
    int tx_depth;                        /* >0: inside store_tx_begin; nested levels use savepoints */
    sqlite3_stmt *stmt[Q__COUNT];
    sqlite3_stmt *page[QP__N][QS__SHAPES];  /* store_items, by paging and shape */
    sqlite3_stmt *near[2][QS__SHAPES];   /* store_items_search: the walk, by direction, shape */
    sqlite3_stmt *far[2][QS__SHAPES];    /* ... the index's first match past the walk */
    sqlite3_stmt *side[2][QS__SHAPES];   /* ... items after (0) or before (1) one: its position */
    sqlite3_stmt *at[QS__SHAPES];        /* the id at an offset, by an index walk (store_items) */
    sqlite3_stmt *count[QS__SHAPES];     /* store_items_count, by shape */
    sqlite3_stmt *find[2][QS__SHAPES];   /* store_items_find, by direction (1: forward), shape */
    int read_only;                       /* opened read-only: the file could not be written */
    char read_only_why[64];
    struct store_retention keep;         /* applied by every store_feed_commit */
    int last_capped;                     /* new items the last commit left out (keep.new_cap) */
    int64_t fts_from;                    /* >0: rows from this id on wait for the text index */
    int fts_group;                       /* >0: it takes them in groups (store_fts_group) */
    int migrated;                        /* the schema is this version's (meta exists) */
    int item_param[STORE_ITEM_PARAMS];   /* the item insert's named parameters (feeds.c), 0: not looked up */
    int batch;                           /* the outer transaction is store_batch_begin's */
    int batch_broken;                    /* ...and a feed's commit failed half-way in it */
    int busy_ms;                         /* the busy timeout (store_set_busy_timeout) */
    int turn_fd;                         /* turn.c's "<path>-wait": 0 not yet opened, -1 none */
    struct store_ckpt *ckpt;             /* checkpoint.c's thread, once a commit asked for it */
    int ckpt_failed;                     /* ...and it could not start: commits checkpoint */
};
/* Writers take turns (turn.c).  Before BEGIN IMMEDIATE: lets a writer that already waits go first
 * (at most timeout_ms), then marks this one as waiting.  Leave once the transaction has begun (or
 * failed to); close with the store. */
void store_turn_enter(struct store *st, int timeout_ms);
void store_turn_leave(struct store *st);
void store_turn_close(struct store *st);
void store_ckpt_install(struct store *st);
void store_ckpt_stop(struct store *st);
/* Inside store_batch_begin's transaction, not nested deeper: a feed commit needs no savepoint. */
int store_batch_open(const struct store *st);
/* A write failed half-way with no savepoint of its own: the batch can only be rolled back. */
void store_batch_break(struct store *st);

/* Seconds a published date may lie past the fetch time before it sorts as the fetch time (text,
 * for the SQL; the migration in schema.c says 3600 too). */
#define STORE_FUTURE_SKEW_S "3600"

/* One migration: the SQL that takes the schema from version (index) to version (index + 1). */
extern const char *const store_migrations[];
extern const int store_migrations_n;

/* Fills err from the handle's last failure ("database: ..."), or with the busy message. */
int store_fail(struct store *st, int rc, struct error *err);
/* The cached statement for id (sql is its text, used the first time); NULL with err filled when it
 * does not prepare.  Hand it back with store_stmt_done. */
sqlite3_stmt *store_stmt(struct store *st, enum stmt_id id, const char *sql, struct error *err);
/* Prepares sql once into *slot. */
sqlite3_stmt *store_stmt_cached(struct store *st, sqlite3_stmt **slot, const char *sql,
                                struct error *err);
/* Resets s for its next use and drops bindings, so no pointer of this call outlives it. */
void store_stmt_done(sqlite3_stmt *s);
/* sqlite3_step, in turn with other writers (turn.c) when s writes outside a transaction. */
int store_step(struct store *st, sqlite3_stmt *s);
/* Runs s to completion (a statement that returns no rows); 0 or -1 with err.  Resets s. */
int store_step_done(struct store *st, sqlite3_stmt *s, struct error *err);
/* Runs SQL text with no parameters. */
int store_exec(struct store *st, const char *sql, struct error *err);

/* BEGIN IMMEDIATE at the outer level, a savepoint inside; end commits (ok) or rolls back. */
int store_tx_begin(struct store *st, struct error *err);
int store_tx_end(struct store *st, int ok, struct error *err);

/* Column i of the current row as a malloc'd string, NULL for NULL (one copy for the store's
 * files: it was written three times). */
char *store_col_dup(sqlite3_stmt *s, int i);
/* Binds s as text, or NULL when s is NULL; the string must outlive the step. */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Binds v, or NULL when v < 0 (the item model's "unknown"). */
void store_bind_known(sqlite3_stmt *s, int i, int64_t v);

int64_t store_now(void);

/* The columns of an item that a feed's copy of it fills, each named as struct item's field and
 * with how it binds (TEXT, KNOWN: NULL when < 0, INT, BOOL): the one list behind a refresh's
 * upsert (feeds.c) and a list import's insert (lists_import.c), so a new column is one line here
 * (and its migration).  STORE_ITEM_COL_LIST gives ", a, b, ...", STORE_ITEM_COL_PARAMS as many
 * ", ?", and store_bind_item binds them from parameter `first` on. */
#define STORE_ITEM_FIELDS(X) \
    X(title, TEXT) X(author, TEXT) X(author_handle, TEXT) X(author_url, TEXT) X(url, TEXT) \
    X(published, KNOWN) X(updated, KNOWN) X(summary, TEXT) X(thumb_url, TEXT) X(thumb_w, INT) \
    X(thumb_h, INT) X(media_url, TEXT) X(media_type, TEXT) X(media_duration, KNOWN) \
    X(media_size, KNOWN) X(media_w, INT) X(media_h, INT) X(platform, TEXT) X(host, TEXT) \
    X(author_bot, BOOL) X(labels, TEXT) X(extra, TEXT) X(categories, TEXT) X(enclosures, TEXT)
#define STORE_ITEM_COL_NAME_(c, k) ", " #c
#define STORE_ITEM_COL_PARAM_(c, k) ", ?"
#define STORE_ITEM_COL_LIST STORE_ITEM_FIELDS(STORE_ITEM_COL_NAME_)
#define STORE_ITEM_COL_PARAMS STORE_ITEM_FIELDS(STORE_ITEM_COL_PARAM_)
/* Returns the next parameter index. */
int store_bind_item(sqlite3_stmt *s, int first, const struct item *it);

/* The text index (schema.c, 10) takes new rows from their writer: store_max_item_id before the
 * inserts, store_fts_note_new(that id + 1) after them.  Rows get ids above every existing one
 * (INTEGER PRIMARY KEY), so the new rows are the range from there on.  Inside a transaction the
 * range waits, the lowest start kept, and the outermost store_tx_end indexes it in one statement
 * before its COMMIT: FTS5 writes a segment each time a savepoint ends after it was written to,
 * and a refresh commits each feed in a savepoint of the poll's transaction, so indexing feed by
 * feed wrote three hundred small segments and merged them (43 % of a cold refresh's main
 * thread, callgrind).  A row changed or deleted before that is safe: the index triggers only
 * touch rows the index holds.
 *
 * During a blocking refresh (store_fts_group) rows wait longer, across its transactions, until
 * STORE_FTS_GROUP of them wait or the refresh ends (store_fts_catch_up): each transaction's rows
 * made a segment of their own, and at 3,000 feeds (forty-five transactions) FTS5 merged those
 * segments as it went, 17 times the work of 300 feeds for 10 times the rows.  The rows that wait
 * are recorded in meta ("fts_from": the lowest id, every row from there on unindexed) in the
 * transaction that stored them, and every writer's outermost store_tx_end indexes them (unless
 * it groups and they are fewer than a group): another process's writer, or the next one after
 * a crash, takes them in with its own; until then a search does not find them. */
#define STORE_FTS_GROUP 20000
/* The text index's tokenizer on this connection: unicode61's words, faster (fts_tok.c).  Not
 * installing it (SQLITE_* returned) leaves the built-in one, which gives the same words. */
int store_fts_tok_install(sqlite3 *db);
int64_t store_max_item_id(struct store *st, struct error *err);
int store_fts_note_new(struct store *st, int64_t from_id, struct error *err) __attribute__((warn_unused_result));
int store_fts_flush(struct store *st, struct error *err) __attribute__((warn_unused_result));

/* The columns of an item row (items i LEFT JOIN feeds f), and the reader of one such row into a
 * sink (items.c); every query that returns items uses both. */
#define STORE_ITEM_COLS \
    "i.id, i.feed_id, i.guid, i.title, i.author, i.author_handle, i.author_url, i.url," \
    " i.published, i.updated, i.summary, i.thumb_url, i.thumb_w, i.thumb_h, i.media_url," \
    " i.media_type, i.media_duration, i.media_size, i.media_w, i.media_h, i.platform, i.host," \
    " i.author_bot, i.labels, i.extra, i.read, i.starred, COALESCE(f.title, i.feed_title)," \
    " i.prov_mask, i.scan_state, i.categories, i.enclosures, i.sort_key"
void store_push_item_row(sqlite3_stmt *s, struct item_sink *out);

#endif
