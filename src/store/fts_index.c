/* SPDX-License-Identifier: ISC */
/* The text index's writer side: new rows go into items_fts from their writer's transaction, or,
 * during a blocking refresh, in groups across its transactions (store_int.h tells the rules). */
#include "store_int.h"

/* The rows from from_id on into the text index, in one statement. */
static int fts_index_from(struct store *st, int64_t from_id, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_FTS_NEW,
        "INSERT INTO items_fts(rowid, title, summary, categories)"
        " SELECT id, title, summary, categories FROM items WHERE id >= ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, from_id);
    return store_step_done(st, s, err);
}

int store_fts_note_new(struct store *st, int64_t from_id, struct error *err)
{
    if (st->fts_from <= 0 || from_id < st->fts_from) st->fts_from = from_id;
    if (st->tx_depth > 0) return 0;
    /* outside a transaction: one of its own, whose end indexes the rows (store_fts_flush) */
    if (store_tx_begin(st, err) != 0) {
        st->fts_from = 0;
        return -1;
    }
    return store_tx_end(st, 1, err);
}

/* The rows that wait for the text index across transactions (store_int.h): the lowest id of
 * them, kept in meta, 0 when none. */
static int fts_waiting(struct store *st, int64_t *from, struct error *err)
{
    *from = 0;
    sqlite3_stmt *s = store_stmt(st, Q_FTS_WAIT_GET, "SELECT value FROM meta WHERE key = 'fts_from'", err);
    if (!s) return -1;
    int rc = store_step(st, s);
    if (rc == SQLITE_ROW) *from = sqlite3_column_int64(s, 0);
    store_stmt_done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

static int fts_set_waiting(struct store *st, int64_t from, struct error *err)
{
    sqlite3_stmt *s = from > 0
        ? store_stmt(st, Q_FTS_WAIT_SET, "INSERT INTO meta(key, value) VALUES('fts_from', ?1)"
                                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value", err)
        : store_stmt(st, Q_FTS_WAIT_DEL, "DELETE FROM meta WHERE key = 'fts_from'", err);
    if (!s) return -1;
    if (from > 0) sqlite3_bind_int64(s, 1, from);
    return store_step_done(st, s, err);
}

int store_fts_flush(struct store *st, struct error *err)
{
    int64_t mine = st->fts_from, waiting = 0;
    st->fts_from = 0;
    if (st->read_only) return 0;
    if (st->migrated && fts_waiting(st, &waiting, err) != 0) return -1;
    int64_t from = mine > 0 && (waiting <= 0 || mine < waiting) ? mine : waiting;
    if (from <= 0) return 0;
    if (st->fts_group > 0) {
        int64_t max = store_max_item_id(st, err);
        if (max < 0) return -1;
        /* fewer than a group: they wait, in the same transaction as the rows */
        if (max - from + 1 < STORE_FTS_GROUP) return from == waiting ? 0 : fts_set_waiting(st, from, err);
    }
    if (fts_index_from(st, from, err) != 0) return -1;
    return waiting > 0 ? fts_set_waiting(st, 0, err) : 0;
}

void store_fts_group(struct store *st, int on)
{
    st->fts_group += on ? 1 : -1;
    if (st->fts_group < 0) st->fts_group = 0;
}

int store_fts_catch_up(struct store *st, struct error *err)
{
    if (st->read_only) return 0;
    if (store_tx_begin(st, err) != 0) return -1;
    return store_tx_end(st, 1, err);
}
