/* SPDX-License-Identifier: ISC */
/* Feeds: subscribing, looking up, listing with counts, removing, and the three outcomes of a
 * refresh.  Only store_feed_commit writes items, and it only inserts or updates them. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"

#define FEED_COLS \
    "f.id, f.url, f.kind, f.title, f.tags, f.site_url, f.etag, f.last_modified, f.last_error, " \
    "f.last_fetch, f.last_success, f.retry_after, f.endpoint, f.endpoint_stage, " \
    "f.insecure_tls, f.charset"

/* Reads FEED_COLS followed by the total and unread counts. */
static void read_feed_row(sqlite3_stmt *s, struct feed_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(s, 0);
    r->url = store_col_dup(s, 1);
    r->kind = store_col_dup(s, 2);
    r->title = store_col_dup(s, 3);
    r->tags = store_col_dup(s, 4);
    r->site_url = store_col_dup(s, 5);
    r->etag = store_col_dup(s, 6);
    r->last_modified = store_col_dup(s, 7);
    r->last_error = store_col_dup(s, 8);
    r->last_fetch = sqlite3_column_int64(s, 9);
    r->last_success = sqlite3_column_int64(s, 10);
    r->retry_after = sqlite3_column_int64(s, 11);
    r->endpoint = store_col_dup(s, 12);
    r->endpoint_stage = store_col_dup(s, 13);
    r->insecure_tls = sqlite3_column_int(s, 14);
    r->charset = store_col_dup(s, 15);
    r->total = sqlite3_column_int64(s, 16);
    r->unread = sqlite3_column_int64(s, 17);
}

void store_feed_row_free(struct feed_row *r)
{
    if (!r) return;
    free(r->url);
    free(r->kind);
    free(r->title);
    free(r->tags);
    free(r->site_url);
    free(r->etag);
    free(r->last_modified);
    free(r->last_error);
    free(r->endpoint);
    free(r->endpoint_stage);
    free(r->charset);
    memset(r, 0, sizeof *r);
}

void store_feed_rows_free(struct feed_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) store_feed_row_free(&rows[i]);
    free(rows);
}

/* "a, b,,c " → "a,b,c", so the tag filter can match whole tags between commas; NULL when empty. */
static char *normalise_tags(const char *tags)
{
    if (!tags) return NULL;
    char *clean = text_sanitize_dup(tags, strlen(tags), TEXT_MAX_NAME, 0);
    struct strbuf b;
    sb_init(&b);
    for (const char *p = clean; *p;) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        const char *a = p, *z = end;
        while (a < z && *a == ' ') a++;
        while (z > a && z[-1] == ' ') z--;
        if (z > a) {
            if (b.len) sb_addc(&b, ',');
            sb_add(&b, a, (size_t)(z - a));
        }
        p = *end ? end + 1 : end;
    }
    free(clean);
    if (!b.len) {
        sb_free(&b);
        return NULL;
    }
    return sb_steal(&b);
}

static char *clean_or_null(const char *s, size_t max)
{
    if (!s) return NULL;
    char *c = text_sanitize_dup(s, strlen(s), max, 0);
    if (!*c) {
        free(c);
        return NULL;
    }
    return c;
}

int store_feed_add(struct store *st, const char *url, const char *kind, const char *title,
                   const char *tags, int64_t *id_out, struct error *err)
{
    char *u = clean_or_null(url, TEXT_MAX_URL);
    if (!u) {
        error_set(err, "feed URL is empty");
        return -1;
    }
    char *k = clean_or_null(kind, TEXT_MAX_SHORT);
    char *t = clean_or_null(title, TEXT_MAX_TITLE);
    char *tg = normalise_tags(tags);
    int ret = -1;
    sqlite3_stmt *s = store_stmt(st, Q_FEED_ADD,
        "INSERT INTO feeds(url, kind, title, user_title, tags, created) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
        err);
    if (s) {
        store_bind_text(s, 1, u);
        store_bind_text(s, 2, k);
        store_bind_text(s, 3, t);
        /* A title given at subscription (by hand, or from the user's OPML) is the user's: refreshes
         * keep it. */
        sqlite3_bind_int(s, 4, t != NULL);
        store_bind_text(s, 5, tg);
        sqlite3_bind_int64(s, 6, store_now());
        int rc = store_step(st, s);
        if (rc == SQLITE_DONE) {
            if (id_out) *id_out = sqlite3_last_insert_rowid(st->db);
            ret = 0;
        } else if (rc == SQLITE_CONSTRAINT_UNIQUE) {
            error_set(err, "already subscribed: %s", u);
        } else {
            store_fail(st, rc, err);
        }
        store_stmt_done(s);
    }
    free(u);
    free(k);
    free(t);
    free(tg);
    return ret;
}

int store_feed_get(struct store *st, const char *url_or_id, struct feed_row *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (!url_or_id || !*url_or_id) {
        error_set(err, "no feed given");
        return -1;
    }
    int numeric = strspn(url_or_id, "0123456789") == strlen(url_or_id) && strlen(url_or_id) < 19;
    /* the counts the triggers keep (schema.c, 10) */
    sqlite3_stmt *s = numeric
        ? store_stmt(st, Q_FEED_BY_ID, "SELECT " FEED_COLS ", f.n_items, f.n_unread FROM feeds f WHERE f.id = ?1", err)
        : store_stmt(st, Q_FEED_BY_URL, "SELECT " FEED_COLS ", f.n_items, f.n_unread FROM feeds f WHERE f.url = ?1", err);
    if (!s) return -1;
    if (numeric) sqlite3_bind_int64(s, 1, strtoll(url_or_id, NULL, 10));
    else store_bind_text(s, 1, url_or_id);
    int rc = store_step(st, s);
    int ret = 0;
    if (rc == SQLITE_ROW) read_feed_row(s, out);
    else if (rc == SQLITE_DONE) ret = (error_set(err, "no feed matches %s", url_or_id), -1);
    else ret = store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}

int store_feeds(struct store *st, struct feed_row **rows, size_t *n, struct error *err)
{
    *rows = NULL;
    *n = 0;
    /* the counts the triggers keep (schema.c, 10): a thousand feeds of a million items read a
     * thousand rows */
    sqlite3_stmt *s = store_stmt(st, Q_FEEDS,
        "SELECT " FEED_COLS ", f.n_items, f.n_unread FROM feeds f "
        "ORDER BY COALESCE(f.title, f.url) COLLATE NOCASE, f.id", err);
    if (!s) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = store_step(st, s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *rows = xrealloc(*rows, cap * sizeof **rows);
        }
        read_feed_row(s, &(*rows)[(*n)++]);
    }
    if (rc != SQLITE_DONE) {
        store_fail(st, rc, err);
        store_stmt_done(s);
        store_feed_rows_free(*rows, *n);
        *rows = NULL;
        *n = 0;
        return -1;
    }
    store_stmt_done(s);
    return 0;
}

/* Runs an UPDATE/DELETE on one feed; "no feed with id N" when it touched no row. */
static int feed_write(struct store *st, sqlite3_stmt *s, int64_t id, struct error *err)
{
    int rc = store_step(st, s);
    if (rc != SQLITE_DONE) {
        store_fail(st, rc, err);
        store_stmt_done(s);
        return -1;
    }
    store_stmt_done(s);
    if (sqlite3_changes(st->db) == 0) {
        error_set(err, "no feed with id %lld", (long long)id);
        return -1;
    }
    return 0;
}

int store_feed_remove(struct store *st, int64_t id, struct error *err)
{
    if (store_tx_begin(st, err) != 0) return -1;
    /* Kept items lose their feed but keep its name, so lists can still say where they came from. */
    sqlite3_stmt *s = store_stmt(st, Q_FEED_DETACH,
        "UPDATE items SET feed_id = NULL,"
        " feed_title = COALESCE((SELECT COALESCE(title, url) FROM feeds WHERE id = ?1), feed_title) "
        "WHERE feed_id = ?1 AND (starred = 1 OR EXISTS(SELECT 1 FROM list_items WHERE item_id = items.id))",
        err);
    int ok = s != NULL;
    if (ok) {
        sqlite3_bind_int64(s, 1, id);
        ok = store_step_done(st, s, err) == 0;
    }
    if (ok) {
        s = store_stmt(st, Q_FEED_DEL_ITEMS, "DELETE FROM items WHERE feed_id = ?1", err);
        ok = s != NULL;
    }
    if (ok) {
        sqlite3_bind_int64(s, 1, id);
        ok = store_step_done(st, s, err) == 0;
    }
    if (ok) {
        s = store_stmt(st, Q_FEED_DEL, "DELETE FROM feeds WHERE id = ?1", err);
        ok = s != NULL;
    }
    if (ok) {
        sqlite3_bind_int64(s, 1, id);
        ok = feed_write(st, s, id, err) == 0;
    }
    return store_tx_end(st, ok, err);
}

int store_feed_failed(struct store *st, int64_t id, const char *msg, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_FEED_FAILED,
        "UPDATE feeds SET last_error = ?2, last_fetch = ?3 WHERE id = ?1", err);
    if (!s) return -1;
    char *m = text_sanitize_dup(msg ? msg : "failed", strlen(msg ? msg : "failed"), TEXT_MAX_TITLE, 0);
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, m);
    sqlite3_bind_int64(s, 3, store_now());
    int ret = feed_write(st, s, id, err);
    free(m);
    return ret;
}

int store_feed_unchanged(struct store *st, int64_t id, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_FEED_UNCHANGED,
        "UPDATE feeds SET last_error = NULL, last_fetch = ?2, last_success = ?2, retry_after = NULL "
        "WHERE id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, store_now());
    return feed_write(st, s, id, err);
}

/* The feed's display name as items copy it: its title, else its URL.  malloc'd. */
static char *feed_name(struct store *st, int64_t id, struct error *err, int *ok)
{
    *ok = 0;
    sqlite3_stmt *s = store_stmt(st, Q_FEED_TITLE, "SELECT COALESCE(title, url) FROM feeds WHERE id = ?1",
                                 err);
    if (!s) return NULL;
    sqlite3_bind_int64(s, 1, id);
    char *name = NULL;
    int rc = store_step(st, s);
    if (rc == SQLITE_ROW) {
        name = store_col_dup(s, 0);
        *ok = 1;
    } else if (rc == SQLITE_DONE) {
        error_set(err, "no feed with id %lld", (long long)id);
    } else {
        store_fail(st, rc, err);
    }
    store_stmt_done(s);
    return name;
}

/* The content columns an upsert replaces (STORE_ITEM_FIELDS).  read, starred, first_seen and
 * feed_title are absent: they belong to the reader or to the first sighting, not to the feed's
 * latest copy.  sort_key is absent too: the items_sort_key trigger (schema.c) moves it when
 * published really changes. */
#define UPSERT_SET_(c, k) ", " #c " = excluded." #c
#define UPSERT_DIFF_(c, k) " OR items." #c " IS NOT excluded." #c

/* A date past the fetch time (plus an hour of clock skew) sorts as fetched (schema.c, 8). */
#define INSERT_ITEM_SQL \
    "INSERT INTO items(feed_id, guid" STORE_ITEM_COL_LIST ", feed_title, first_seen, sort_key, prov_mask," \
    " scan_state) VALUES(?1, ?2" STORE_ITEM_COL_PARAMS ", :feed_title, :now," \
    " CASE WHEN :pub > :now + " STORE_FUTURE_SKEW_S " THEN :now ELSE COALESCE(:pub, :now) END," \
    " :prov_mask, :scan_state) "

/* A new item goes in by a plain insert: an upsert's DO UPDATE branch (and the sort_key trigger it
 * may fire) makes SQLite keep a statement journal for every row, a fifth of a cold refresh's store
 * time.  Only when the row is there already does the upsert below run. */
static const char insert_sql[] = INSERT_ITEM_SQL " ON CONFLICT(feed_id, guid) DO NOTHING";

static const char upsert_sql[] = INSERT_ITEM_SQL
    "ON CONFLICT(feed_id, guid) DO UPDATE SET "
    /* what the badge is made of changed: the verdict the refresh worked out for this copy (NULL
     * when it did not: app/verdict.c catches up) */
    "prov_mask = excluded.prov_mask, scan_state = excluded.scan_state" STORE_ITEM_FIELDS(UPSERT_SET_)
    /* Most refreshes repeat what is stored; skipping identical rows writes no pages at all. */
    " WHERE 0" STORE_ITEM_FIELDS(UPSERT_DIFF_);

/* The named parameters of both statements above, in the order of st->item_param. */
static const char *const item_param_names[STORE_ITEM_PARAMS] = {":feed_title", ":now", ":pub", ":prov_mask",
                                                                ":scan_state"};

static void bind_item(struct store *st, sqlite3_stmt *s, int64_t feed_id, const struct item *it,
                      const char *feed_title, int64_t now)
{
    /* looked up by name once: per row it was a fifth of the bind (callgrind); both statements
     * begin with the same INSERT, so their parameters have the same numbers */
    int *at = st->item_param;
    if (!at[0])
        for (int k = 0; k < STORE_ITEM_PARAMS; k++) at[k] = sqlite3_bind_parameter_index(s, item_param_names[k]);
    sqlite3_bind_int64(s, 1, feed_id);
    store_bind_text(s, 2, it->guid);
    store_bind_item(s, 3, it);
    store_bind_text(s, at[0], feed_title);
    sqlite3_bind_int64(s, at[1], now);
    store_bind_known(s, at[2], it->published);
    store_bind_known(s, at[3], it->prov_mask);
    sqlite3_bind_int(s, at[4], it->scan_state);
}

static int upsert_item(struct store *st, int64_t feed_id, const struct item *it, const char *feed_title,
                       int64_t now, int *is_new, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_INSERT_ITEM, insert_sql, err);
    if (!s) return -1;
    bind_item(st, s, feed_id, it, feed_title, now);
    int rc = store_step(st, s);
    if (rc == SQLITE_DONE && sqlite3_changes(st->db) > 0) {
        store_stmt_done(s);
        *is_new = 1;
        return 0;
    }
    store_stmt_done(s);
    if (rc != SQLITE_DONE) return store_fail(st, rc, err);
    if (!(s = store_stmt(st, Q_UPSERT_ITEM, upsert_sql, err))) return -1;
    bind_item(st, s, feed_id, it, feed_title, now);
    /* An upsert reports one change whether it inserted or updated; only an insert sets the last
     * rowid, so zeroing it first tells the two apart without a second lookup. */
    sqlite3_set_last_insert_rowid(st->db, 0);
    rc = store_step(st, s);
    if (rc != SQLITE_DONE) {
        store_fail(st, rc, err);
        store_stmt_done(s);
        return -1;
    }
    store_stmt_done(s);
    *is_new = sqlite3_last_insert_rowid(st->db) != 0;
    return 0;
}

/* ---- tombstones of purged items ---- */

/* A tombstone not seen by any refresh for this long belongs to an item the feed dropped. */
#define TOMB_FORGET_S 86400

/* 1 when the feed has tombstones, 0 when not, -1 on error. */
static int has_tombstones(struct store *st, int64_t feed_id, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_PURGED_ANY, "SELECT 1 FROM purged WHERE feed_id = ?1 LIMIT 1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, feed_id);
    int rc = store_step(st, s);
    int ret = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}

/* 1 when the statement (SELECT 1 ... WHERE feed_id = ?1 AND guid = ?2) finds a row, 0 when not,
 * -1 on error. */
static int feed_guid_found(struct store *st, enum stmt_id id, const char *sql, int64_t feed_id,
                           const char *guid, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, id, sql, err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, feed_id);
    store_bind_text(s, 2, guid);
    int rc = store_step(st, s);
    int ret = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}

/* 1 when guid (as stored: sanitised) was purged from the feed, and notes that the feed still
 * carries it; 0 when not, -1 on error. */
static int tombstone_seen(struct store *st, int64_t feed_id, const char *guid, int64_t now, struct error *err)
{
    if (!guid) return 0;
    /* look first: store_item_known runs outside a transaction, and an UPDATE would take the
     * write lock even when it matches nothing */
    int ret = feed_guid_found(st, Q_PURGED_HAS, "SELECT 1 FROM purged WHERE feed_id = ?1 AND guid = ?2",
                              feed_id, guid, err);
    if (ret != 1) return ret;
    sqlite3_stmt *s = store_stmt(st, Q_PURGED_SEEN, "UPDATE purged SET seen = ?3 WHERE feed_id = ?1 AND guid = ?2", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, feed_id);
    store_bind_text(s, 2, guid);
    sqlite3_bind_int64(s, 3, now);
    return store_step_done(st, s, err) == 0 ? 1 : -1;
}

static int tombstones_forget(struct store *st, int64_t feed_id, int64_t now, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_PURGED_FORGET,
        "DELETE FROM purged WHERE feed_id = ?1 AND COALESCE(seen, 0) < ?2", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, feed_id);
    sqlite3_bind_int64(s, 2, now - TOMB_FORGET_S);
    int rc = store_step(st, s);
    store_stmt_done(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

void store_set_retention(struct store *st, const struct store_retention *keep)
{
    st->keep = *keep;
}

int store_last_capped(struct store *st)
{
    return st->last_capped;
}

/* A feed's items are sized from at most this many of its newest, scaled to all of them: the sum
 * over every row read every summary, 6.9 s for `winnow feeds` over a million items. */
#define FEED_BYTES_SAMPLE 256

int store_feed_bytes(struct store *st, int64_t id, int64_t *bytes_out, struct error *err)
{
    *bytes_out = 0;
    /* `winnow feeds` only: not worth a slot in the statement cache */
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db,
        "SELECT SUM(100 + COALESCE(length(CAST(title AS BLOB)), 0) + COALESCE(length(CAST(summary AS BLOB)), 0)"
        " + COALESCE(length(CAST(url AS BLOB)), 0) + COALESCE(length(CAST(guid AS BLOB)), 0)"
        " + COALESCE(length(CAST(author AS BLOB)), 0) + COALESCE(length(CAST(thumb_url AS BLOB)), 0)"
        " + COALESCE(length(CAST(media_url AS BLOB)), 0) + COALESCE(length(CAST(extra AS BLOB)), 0)"
        " + COALESCE(length(CAST(labels AS BLOB)), 0) + COALESCE(length(CAST(feed_title AS BLOB)), 0)),"
        " COUNT(*), (SELECT n_items FROM feeds WHERE id = ?1)"
        " FROM (SELECT * FROM items WHERE feed_id = ?1 ORDER BY sort_key DESC LIMIT ?2)", -1, &s, NULL);
    if (rc != SQLITE_OK) return store_fail(st, rc, err);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, FEED_BYTES_SAMPLE);
    rc = store_step(st, s);
    if (rc == SQLITE_ROW) {
        int64_t sum = sqlite3_column_int64(s, 0), seen = sqlite3_column_int64(s, 1), all = sqlite3_column_int64(s, 2);
        *bytes_out = seen > 0 && all > seen ? (int64_t)((double)sum * (double)all / (double)seen) : sum;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : store_fail(st, rc, err);
}

/* The retention rule (store.h, store_set_retention) for one feed, inside its commit.  Tombstones
 * first, as keep-days does (lists.c), so the next refresh does not bring the items back. */
static int feed_trim(struct store *st, int64_t id, int64_t now, struct error *err)
{
    if (st->keep.keep_items <= 0) return 0;
    /* A feed within its bound has nothing to trim: one count over its index entries is cheaper than
     * the two statements below (a ninth of a cold refresh's store time). */
    sqlite3_stmt *c = store_stmt(st, Q_TRIM_COUNT, "SELECT count(*) FROM items WHERE feed_id = ?1", err);
    if (!c) return -1;
    sqlite3_bind_int64(c, 1, id);
    int rc = store_step(st, c);
    sqlite3_int64 have = rc == SQLITE_ROW ? sqlite3_column_int64(c, 0) : -1;
    store_stmt_done(c);
    if (rc != SQLITE_ROW) return store_fail(st, rc, err);
    if (have <= st->keep.keep_items) return 0;
#define TRIM_WHERE \
    " feed_id = ?1 AND starred = 0" \
    " AND id NOT IN (SELECT id FROM items WHERE feed_id = ?1 ORDER BY sort_key DESC, id DESC LIMIT ?2)" \
    " AND NOT (read != 0 AND ?3 > 0 AND COALESCE(read_at, 0) >= ?4 - ?3 * 86400)" \
    " AND NOT EXISTS (SELECT 1 FROM list_items li WHERE li.item_id = items.id)"
    static const char *const sql[2] = {
        "INSERT OR REPLACE INTO purged(feed_id, guid, seen) SELECT feed_id, guid, ?4 FROM items WHERE" TRIM_WHERE,
        "DELETE FROM items WHERE" TRIM_WHERE,
    };
#undef TRIM_WHERE
    for (int k = 0; k < 2; k++) {
        sqlite3_stmt *s = store_stmt(st, k ? Q_TRIM_DEL : Q_TRIM_TOMB, sql[k], err);
        if (!s) return -1;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int(s, 2, st->keep.keep_items);
        sqlite3_bind_int(s, 3, st->keep.read_days);
        sqlite3_bind_int64(s, 4, now);
        if (store_step_done(st, s, err) != 0) return -1;
    }
    return 0;
}

/* The kept counts of a feed that just got n new (unread) rows. */
static int feed_count_new(struct store *st, int64_t id, int n, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_FEED_COUNT_NEW,
        "UPDATE feeds SET n_items = n_items + ?2, n_unread = n_unread + ?2 WHERE id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, n);
    return store_step_done(st, s, err);
}

int store_feed_commit(struct store *st, int64_t id, const struct item_sink *items, const char *etag,
                      const char *last_modified, int *new_out, struct error *err)
{
    if (new_out) *new_out = 0;
    /* in a batch, no savepoint (store.h): a failure breaks the batch instead */
    int in_batch = store_batch_open(st);
    if (!in_batch && store_tx_begin(st, err) != 0) return -1;
    int64_t now = store_now();
    int ok = 0, fresh = 0, capped = 0;
    char *name = NULL;
    st->last_capped = 0;
    sqlite3_stmt *s = store_stmt(st, Q_FEED_COMMIT,
        "UPDATE feeds SET"
        " title = CASE WHEN user_title THEN title ELSE COALESCE(?2, title) END,"
        " site_url = COALESCE(?3, site_url), etag = ?4, last_modified = ?5, last_error = NULL,"
        " last_fetch = ?6, last_success = ?6, retry_after = NULL, charset = COALESCE(?7, charset) "
        "WHERE id = ?1", err);
    if (s) {
        sqlite3_bind_int64(s, 1, id);
        store_bind_text(s, 2, items ? items->meta.title : NULL);
        store_bind_text(s, 3, items ? items->meta.link : NULL);
        store_bind_text(s, 4, etag);
        store_bind_text(s, 5, last_modified);
        sqlite3_bind_int64(s, 6, now);
        store_bind_text(s, 7, items ? items->meta.charset : NULL);
        ok = feed_write(st, s, id, err) == 0;
    }
    if (ok) name = feed_name(st, id, err, &ok);
    /* Items keep-days deleted stay deleted while the feed carries them (schema.c, version 4).
     * Most feeds have no tombstones: one look, and the items go straight in. */
    int tombs = 0;
    if (ok && items && items->n) {
        tombs = has_tombstones(st, id, err);
        ok = tombs >= 0;
    }
    int64_t last_id = 0;
    if (ok && items && items->n) {
        last_id = store_max_item_id(st, err);
        ok = last_id >= 0;
    }
    if (ok && items && items->n) {
        ok = 1;
        for (size_t i = 0; ok && i < items->n; i++) {
            if (tombs) {
                int dead = tombstone_seen(st, id, items->items[i].guid, now, err);
                if (dead != 0) {
                    ok = dead > 0;
                    continue;
                }
            }
            if (st->keep.new_cap > 0 && fresh >= st->keep.new_cap) {
                /* the cap bites: items already stored are still updated, new ones wait */
                int known = feed_guid_found(st, Q_ITEM_KNOWN, "SELECT 1 FROM items WHERE feed_id = ?1 AND guid = ?2",
                                            id, items->items[i].guid, err);
                if (known <= 0) {
                    ok = known == 0;
                    capped++;
                    continue;
                }
            }
            int is_new = 0;
            ok = upsert_item(st, id, &items->items[i], name, now, &is_new, err) == 0;
            fresh += is_new;
        }
    }
    /* the feed's kept counts (schema.c, 12): new rows come in unread */
    if (ok && fresh > 0) ok = feed_count_new(st, id, fresh, err) == 0;
    /* the new rows into the text index when the outermost transaction ends (store_int.h) */
    if (ok && items && items->n) ok = store_fts_note_new(st, last_id + 1, err) == 0;
    if (ok && tombs) ok = tombstones_forget(st, id, now, err) == 0;
    if (ok && items && items->n) ok = feed_trim(st, id, now, err) == 0;
    free(name);
    if (in_batch && !ok) store_batch_break(st);
    if (in_batch ? !ok : store_tx_end(st, ok, err) != 0) return -1;
    if (new_out) *new_out = fresh;
    st->last_capped = capped;
    return 0;
}

int store_feed_set_retry(struct store *st, int64_t id, int64_t not_before, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_FEED_RETRY, "UPDATE feeds SET retry_after = ?2 WHERE id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    if (not_before > 0) sqlite3_bind_int64(s, 2, not_before);
    else sqlite3_bind_null(s, 2);
    return feed_write(st, s, id, err);
}

int store_feed_set_insecure_tls(struct store *st, int64_t id, int on, struct error *err)
{
    /* Set once per `winnow add`: not worth a slot in the statement cache. */
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "UPDATE feeds SET insecure_tls = ?2 WHERE id = ?1", -1, &s, NULL);
    if (rc != SQLITE_OK) return store_fail(st, rc, err);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, on ? 1 : 0);
    rc = store_step(st, s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return store_fail(st, rc, err);
    if (sqlite3_changes(st->db) == 0) {
        error_set(err, "no feed with id %lld", (long long)id);
        return -1;
    }
    return 0;
}

int64_t store_list_feed_count(struct store *st, int64_t list_id, struct error *err)
{
    /* a few times per list opened: not worth a slot in the statement cache */
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db,
        "SELECT COUNT(DISTINCT i.feed_id) FROM list_items li JOIN items i ON i.id = li.item_id "
        "WHERE li.list_id = ?1 AND i.feed_id IS NOT NULL", -1, &s, NULL);
    if (rc != SQLITE_OK) return store_fail(st, rc, err);
    sqlite3_bind_int64(s, 1, list_id);
    int64_t n = -1;
    rc = store_step(st, s);
    if (rc == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (n < 0) return store_fail(st, rc, err);
    return n;
}

int store_feed_merge_tags(struct store *st, int64_t id, const char *tags, struct error *err)
{
    char *add = normalise_tags(tags);
    if (!add) return 0;
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
    struct feed_row row;
    if (store_feed_get(st, idbuf, &row, err) < 0) {
        free(add);
        return -1;
    }
    struct strbuf b;
    sb_init(&b);
    if (row.tags && *row.tags) sb_adds(&b, row.tags);
    char *save = NULL;
    for (char *tok = strtok_r(add, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int have = 0;
        if (row.tags) {
            char *copy = xstrdup(row.tags), *s2 = NULL;
            for (char *t = strtok_r(copy, ",", &s2); t && !have; t = strtok_r(NULL, ",", &s2)) have = !strcmp(t, tok);
            free(copy);
        }
        if (!have) sb_printf(&b, "%s%s", b.len ? "," : "", tok);
    }
    store_feed_row_free(&row);
    free(add);
    char *merged = normalise_tags(b.s ? b.s : "");
    sb_free(&b);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "UPDATE feeds SET tags = ?2 WHERE id = ?1", -1, &s, NULL);
    if (rc != SQLITE_OK) {
        free(merged);
        return store_fail(st, rc, err);
    }
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, merged);
    rc = store_step(st, s);
    sqlite3_finalize(s);
    free(merged);
    if (rc != SQLITE_DONE) return store_fail(st, rc, err);
    return 0;
}

int store_feed_set_endpoint(struct store *st, int64_t id, const char *url, const char *stage,
                            struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_FEED_ENDPOINT,
        /* Forgetting an endpoint forgets its validators too: they belong to its URL. */
        "UPDATE feeds SET endpoint = ?2, endpoint_stage = ?3,"
        " etag = CASE WHEN ?2 IS NULL THEN NULL ELSE etag END,"
        " last_modified = CASE WHEN ?2 IS NULL THEN NULL ELSE last_modified END WHERE id = ?1", err);
    if (!s) return -1;
    char *u = clean_or_null(url, TEXT_MAX_URL);
    char *g = url ? clean_or_null(stage, TEXT_MAX_SHORT) : NULL;
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, u);
    store_bind_text(s, 3, g);
    int ret = feed_write(st, s, id, err);
    free(u);
    free(g);
    return ret;
}

int store_item_known(struct store *st, int64_t feed_id, const char *guid, struct error *err)
{
    if (!guid) return 0;
    char *g = text_sanitize_dup(guid, strlen(guid), TEXT_MAX_URL, 0);
    /* a purged item counts as known: an adapter need not fetch what would not be stored */
    int ret = tombstone_seen(st, feed_id, g, store_now(), err);
    if (ret == 0)
        ret = feed_guid_found(st, Q_ITEM_KNOWN, "SELECT 1 FROM items WHERE feed_id = ?1 AND guid = ?2", feed_id,
                              g, err);
    free(g);
    return ret;
}
