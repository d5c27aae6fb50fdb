/* SPDX-License-Identifier: ISC */
/* Provenance facts: the stored scan of each media URL, the items' curation masks worked out from
 * them, and the meta table that remembers under which rules the masks were made.  The store keeps
 * these as given; what they mean is the provenance module's and app's business. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

void store_scan_free(struct store_scan *s)
{
    if (!s) return;
    free(s->url);
    free(s->sha256);
    free(s->trust_fp);
    free(s->result);
    free(s->error);
    memset(s, 0, sizeof *s);
}

void store_scans_free(struct store_scan *v, size_t n)
{
    for (size_t i = 0; i < n; i++) store_scan_free(&v[i]);
    free(v);
}

#define SCAN_COLS "url, sha256, scanned, trust_fp, manifest, head_only, result, error, tries"

static void read_scan(sqlite3_stmt *s, struct store_scan *out)
{
    out->url = store_col_dup(s, 0);
    out->sha256 = store_col_dup(s, 1);
    out->scanned = sqlite3_column_int64(s, 2);
    out->trust_fp = store_col_dup(s, 3);
    out->manifest = sqlite3_column_int(s, 4);
    out->head_only = sqlite3_column_int(s, 5);
    out->result = store_col_dup(s, 6);
    out->error = store_col_dup(s, 7);
    out->tries = sqlite3_column_int(s, 8);
}

int store_scan_get(struct store *st, const char *url, struct store_scan *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (!url || !*url) return 0;
    sqlite3_stmt *s = store_stmt(st, Q_SCAN_GET, "SELECT " SCAN_COLS " FROM media_scans WHERE url = ?1", err);
    if (!s) return -1;
    store_bind_text(s, 1, url);
    int rc = store_step(st, s);
    int ret = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    if (ret == 1) read_scan(s, out);
    store_stmt_done(s);
    return ret;
}

int store_scans_between(struct store *st, const char *lo, const char *hi, struct error *err)
{
    /* one walk of the primary key's index (url BETWEEN: the BINARY order, which is strcmp's) */
    sqlite3_stmt *s = store_stmt(st, Q_SCAN_RANGE, "SELECT 1 FROM media_scans WHERE url BETWEEN ?1 AND ?2 LIMIT 1", err);
    if (!s) return -1;
    store_bind_text(s, 1, lo);
    store_bind_text(s, 2, hi);
    int rc = store_step(st, s);
    int ret = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}

int store_scan_put(struct store *st, const struct store_scan *v, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_SCAN_PUT,
        "INSERT INTO media_scans(" SCAN_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "ON CONFLICT(url) DO UPDATE SET sha256 = excluded.sha256, scanned = excluded.scanned,"
        " trust_fp = excluded.trust_fp, manifest = excluded.manifest, head_only = excluded.head_only,"
        " result = excluded.result, error = excluded.error, tries = excluded.tries", err);
    if (!s) return -1;
    store_bind_text(s, 1, v->url);
    store_bind_text(s, 2, v->sha256);
    sqlite3_bind_int64(s, 3, v->scanned);
    store_bind_text(s, 4, v->trust_fp);
    sqlite3_bind_int(s, 5, v->manifest != 0);
    sqlite3_bind_int(s, 6, v->head_only != 0);
    store_bind_text(s, 7, v->result);
    store_bind_text(s, 8, v->error);
    sqlite3_bind_int(s, 9, v->tries > 0 ? v->tries : 1);
    return store_step_done(st, s, err);
}

int store_scans_to_rejudge(struct store *st, const char *trust_fp, struct store_scan **out, size_t *n,
                           struct error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db, "SELECT " SCAN_COLS " FROM media_scans"
                                " WHERE manifest = 1 AND trust_fp IS NOT ?1", -1, &s, NULL);
    if (rc != SQLITE_OK) return store_fail(st, rc, err);
    store_bind_text(s, 1, trust_fp);
    size_t cap = 0;
    while ((rc = store_step(st, s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        memset(&(*out)[*n], 0, sizeof **out);
        read_scan(s, &(*out)[(*n)++]);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        store_scans_free(*out, *n);
        *out = NULL;
        *n = 0;
        return store_fail(st, rc, err);
    }
    return 0;
}

/* Runs a statement whose rows are ITEM_COLS-shaped (see items.c) into out. */
static int item_rows(struct store *st, sqlite3_stmt *s, struct item_sink *out, struct error *err)
{
    int rc;
    while ((rc = store_step(st, s)) == SQLITE_ROW) store_push_item_row(s, out);
    int ret = rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}

int store_items_unjudged(struct store *st, int64_t feed_id, size_t limit, struct item_sink *out,
                         struct error *err)
{
    /* two statements, so that each is a walk of the partial index items_prov_todo (an OR of the
     * two cases would make SQLite read every item: 300 feeds x 9,000 items per refresh) */
    sqlite3_stmt *s = feed_id ? store_stmt(st, Q_ITEMS_UNJUDGED,
        "SELECT " STORE_ITEM_COLS " FROM items i INDEXED BY items_prov_todo LEFT JOIN feeds f ON f.id = i.feed_id"
        " WHERE i.prov_mask IS NULL AND i.feed_id = ?1 LIMIT ?2", err)
                              : store_stmt(st, Q_ITEMS_UNJUDGED_ALL,
        "SELECT " STORE_ITEM_COLS " FROM items i LEFT JOIN feeds f ON f.id = i.feed_id"
        " WHERE i.prov_mask IS NULL LIMIT ?2", err);
    if (!s) return -1;
    if (feed_id) sqlite3_bind_int64(s, 1, feed_id);
    sqlite3_bind_int64(s, 2, limit ? (int64_t)limit : -1);
    return item_rows(st, s, out, err);
}

int store_items_scan_todo(struct store *st, int64_t feed_id, int failed, struct item_sink *out,
                          struct error *err)
{
    sqlite3_stmt *s = feed_id ? store_stmt(st, Q_ITEMS_SCAN_TODO,
        "SELECT " STORE_ITEM_COLS " FROM items i INDEXED BY items_scan_todo LEFT JOIN feeds f ON f.id = i.feed_id"
        " WHERE i.scan_state IN (1, 3) AND (i.scan_state = 1 OR ?2) AND i.feed_id = ?1", err)
                              : store_stmt(st, Q_ITEMS_SCAN_TODO_ALL,
        "SELECT " STORE_ITEM_COLS " FROM items i INDEXED BY items_scan_todo LEFT JOIN feeds f ON f.id = i.feed_id"
        " WHERE i.scan_state IN (1, 3) AND (i.scan_state = 1 OR ?2)", err);
    if (!s) return -1;
    if (feed_id) sqlite3_bind_int64(s, 1, feed_id);
    sqlite3_bind_int(s, 2, failed != 0);
    return item_rows(st, s, out, err);
}

int store_items_by_media(struct store *st, const char *url, struct item_sink *out, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_ITEMS_BY_MEDIA,
        "SELECT " STORE_ITEM_COLS " FROM items i LEFT JOIN feeds f ON f.id = i.feed_id"
        " WHERE i.thumb_url = ?1 OR i.media_url = ?1", err);
    if (!s) return -1;
    store_bind_text(s, 1, url);
    return item_rows(st, s, out, err);
}

int store_items_waiting_for(struct store *st, const char *url, struct item_sink *out, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_ITEMS_WAITING,
        "SELECT " STORE_ITEM_COLS " FROM items i INDEXED BY items_scan_todo LEFT JOIN feeds f ON f.id = i.feed_id"
        " WHERE i.scan_state IN (1, 3) AND (i.thumb_url = ?1 OR i.media_url = ?1)", err);
    if (!s) return -1;
    store_bind_text(s, 1, url);
    return item_rows(st, s, out, err);
}

int store_scan_delete(struct store *st, const char *url, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_SCAN_DEL, "DELETE FROM media_scans WHERE url = ?1", err);
    if (!s) return -1;
    store_bind_text(s, 1, url);
    return store_step_done(st, s, err);
}

int store_item_set_prov(struct store *st, int64_t id, int64_t mask, int scan_state, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_ITEM_SET_PROV,
        "UPDATE items SET prov_mask = ?2, scan_state = ?3 WHERE id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, mask);
    sqlite3_bind_int(s, 3, scan_state);
    return store_step_done(st, s, err);
}

int store_withheld_counts(struct store *st, int64_t **feed_ids, int64_t **total, int64_t **unread, size_t *n,
                          struct error *err)
{
    *feed_ids = *total = *unread = NULL;
    *n = 0;
    /* the WHERE is the partial index's own (migration 10), so only the withheld rows are read */
    sqlite3_stmt *s = store_stmt(st, Q_WITHHELD,
        "SELECT feed_id, COUNT(*), SUM(read = 0) FROM items INDEXED BY items_withheld"
        " WHERE (prov_mask & 32768) != 0 GROUP BY feed_id", err);
    if (!s) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = store_step(st, s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *feed_ids = xrealloc(*feed_ids, cap * sizeof **feed_ids);
            *total = xrealloc(*total, cap * sizeof **total);
            *unread = xrealloc(*unread, cap * sizeof **unread);
        }
        (*feed_ids)[*n] = sqlite3_column_int64(s, 0);
        (*total)[*n] = sqlite3_column_int64(s, 1);
        (*unread)[*n] = sqlite3_column_int64(s, 2);
        (*n)++;
    }
    if (rc != SQLITE_DONE) store_fail(st, rc, err);
    store_stmt_done(s);
    if (rc != SQLITE_DONE) {
        free(*feed_ids);
        free(*total);
        free(*unread);
        *feed_ids = *total = *unread = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int store_items_forget_prov(struct store *st, struct error *err)
{
    return store_exec(st, "UPDATE items SET prov_mask = NULL WHERE prov_mask IS NOT NULL", err);
}

int store_meta_get(struct store *st, const char *key, char **value, struct error *err)
{
    *value = NULL;
    sqlite3_stmt *s = store_stmt(st, Q_META_GET, "SELECT value FROM meta WHERE key = ?1", err);
    if (!s) return -1;
    store_bind_text(s, 1, key);
    int rc = store_step(st, s);
    int ret = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    if (rc == SQLITE_ROW) *value = store_col_dup(s, 0);
    store_stmt_done(s);
    return ret;
}

int store_meta_set(struct store *st, const char *key, const char *value, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_META_SET,
        "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", err);
    if (!s) return -1;
    store_bind_text(s, 1, key);
    store_bind_text(s, 2, value);
    return store_step_done(st, s, err);
}
