/* SPDX-License-Identifier: ISC */
/* Lists from outside and the old items out: a list import stores the items it names that the
 * store does not hold as detached copies (no feed) and files them in the list; keep-days purges
 * the items nobody kept.  Both in one transaction each, beside lists.c's entries. */
#include <stdlib.h>
#include <string.h>

#include "lists_int.h"
#include "text.h"

/* ---- import ---- */

static int find_item(struct store *st, const struct item *it, int64_t *id, int *found, struct error *err)
{
    /* prefer the copy a feed still carries */
    sqlite3_stmt *s = li_prep(st, "SELECT id FROM items WHERE guid = ?1 AND url IS ?2"
                               " ORDER BY feed_id IS NULL, id LIMIT 1", err);
    if (!s) return -1;
    store_bind_text(s, 1, it->guid);
    store_bind_text(s, 2, it->url);
    int rc = store_step(st, s);
    *found = rc == SQLITE_ROW;
    if (*found) *id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : store_fail(st, rc, err);
}

static int insert_detached(struct store *st, const struct item *it, int64_t *id, struct error *err)
{
    sqlite3_stmt *s = li_prep(st,
        "INSERT INTO items(feed_id, guid" STORE_ITEM_COL_LIST ", feed_title, first_seen, sort_key) "
        "VALUES(NULL, ?1" STORE_ITEM_COL_PARAMS ", :feed_title, :now,"
        /* an imported list can carry a date in 9999 too: it sorts as imported (schema.c, 8) */
        " CASE WHEN :pub > :now + " STORE_FUTURE_SKEW_S " THEN :now ELSE COALESCE(:pub, :now) END)", err);
    if (!s) return -1;
    store_bind_text(s, 1, it->guid);
    store_bind_item(s, 2, it);
    store_bind_text(s, sqlite3_bind_parameter_index(s, ":feed_title"), it->feed_title);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":now"), store_now());
    store_bind_known(s, sqlite3_bind_parameter_index(s, ":pub"), it->published);
    int rc = store_step(st, s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return store_fail(st, rc, err);
    *id = sqlite3_last_insert_rowid(st->db);
    /* the text index takes new rows from their writer (store_int.h) */
    return store_fts_note_new(st, *id, err);
}

int lists_import(struct store *st, const char *name, const struct item *items, size_t n, size_t *added_out,
                 size_t *inserted_out, struct error *err)
{
    if (added_out) *added_out = 0;
    if (inserted_out) *inserted_out = 0;
    char *clean = li_begin_named(st, name, err);
    if (!clean) return -1;
    struct li_journal j;
    int64_t list_id = 0;
    size_t added = 0, inserted = 0;
    int found = 0;
    int ok = li_jr_begin(st, &j, err) == 0;
    if (ok) {
        sqlite3_stmt *s = li_prep(st, "SELECT id FROM lists WHERE name = ?1", err);
        ok = s != NULL;
        if (ok) {
            store_bind_text(s, 1, clean);
            int rc = store_step(st, s);
            found = rc == SQLITE_ROW;
            if (found) list_id = sqlite3_column_int64(s, 0);
            else if (rc != SQLITE_DONE) ok = store_fail(st, rc, err) == 0;
            sqlite3_finalize(s);
        }
    }
    if (ok && !found)
        ok = li_create_list(st, clean, &list_id, err) == 0 && li_jr_op(st, &j, OP_UNCREATE, list_id, 0, 0, 0, NULL, err) == 0;
    if (ok) ok = li_renumber(st, list_id, err) == 0;
    for (size_t i = 0; ok && i < n; i++) {
        const struct item *it = &items[i];
        if (!it->guid) continue;
        int64_t id = 0;
        int have = 0, fresh = 0;
        ok = find_item(st, it, &id, &have, err) == 0;
        if (ok && !have) {
            ok = insert_detached(st, it, &id, err) == 0;
            inserted++;
        }
        if (ok) ok = li_append(st, list_id, id, &fresh, err) == 0;
        if (ok && fresh) {
            added++;
            /* a freshly created list goes as a whole; its entries need no inverse of their own */
            if (found) ok = li_jr_op(st, &j, OP_UNADD, list_id, id, 0, 0, NULL, err) == 0;
        }
    }
    if (ok) {
        char label[LISTS_NAME_MAX + 64];
        snprintf(label, sizeof label, "import %zu item%s into %s", added, li_plural(added), clean);
        ok = li_jr_end(st, &j, label, err) == 0;
    }
    free(clean);
    if (store_tx_end(st, ok, err) != 0) return -1;
    if (added_out) *added_out = added;
    if (inserted_out) *inserted_out = inserted;
    return 0;
}

/* ---- purge ---- */

int store_purge_old(struct store *st, int days, int64_t *purged_out, struct error *err)
{
    if (purged_out) *purged_out = 0;
    if (days <= 0) return 0;
    int64_t cut = store_now() - (int64_t)days * 86400;
    if (store_tx_begin(st, err) != 0) return -1;
    int changes = 0, ignored = 0;
    /* first_seen too: an old post a feed only now carries would otherwise go at once and come
     * back as new with the next refresh. */
#define PURGE_WHERE \
        " starred = 0" \
        " AND COALESCE(first_seen, 0) < ?1 AND COALESCE(published, first_seen, 0) < ?1" \
        " AND NOT EXISTS (SELECT 1 FROM list_items li WHERE li.item_id = items.id)" \
        " AND (feed_id IS NULL OR feed_id NOT IN (SELECT id FROM feeds WHERE last_error IS NOT NULL))"
    /* Tombstones first, so the feed's next refresh does not bring them back as new (schema.c, 4).
     * seen starts now: a feed that no longer carries the item lets it go a day after. */
    int ok = li_exec(st,
        "INSERT OR REPLACE INTO purged(feed_id, guid, seen)"
        " SELECT feed_id, guid, ?2 FROM items"
        " WHERE feed_id IS NOT NULL AND" PURGE_WHERE,
        (const int64_t[]){cut, store_now()}, 2, &ignored, err) == 0;
    ok = ok && li_exec(st, "DELETE FROM items WHERE" PURGE_WHERE, &cut, 1, &changes, err) == 0;
#undef PURGE_WHERE
    if (store_tx_end(st, ok, err) != 0) return -1;
    if (purged_out) *purged_out = changes;
    return 0;
}
