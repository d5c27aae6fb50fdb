/* SPDX-License-Identifier: ISC */
/* The undo journal: every curation action records its inverses in the same transaction as the
 * action itself, as one group; lists_undo replays the newest group backwards.  Kept in the
 * database, so an undo works after a restart or a kill, and bounded to LISTS_UNDO_MAX groups. */
#include <stdlib.h>
#include <string.h>

#include "lists_int.h"

int li_jr_begin(struct store *st, struct li_journal *j, struct error *err)
{
    j->ops = 0;
    j->grp = 0;
    sqlite3_stmt *s = li_prep(st, "INSERT INTO curation_undo(at) VALUES(?1)", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, store_now());
    int rc = store_step(st, s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return store_fail(st, rc, err);
    j->grp = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int li_jr_op(struct store *st, struct li_journal *j, enum undo_op op, int64_t list_id, int64_t item_id,
             int64_t pos, int64_t num, const char *txt, struct error *err)
{
    sqlite3_stmt *s = li_prep(st,
        "INSERT INTO curation_undo_ops(grp, op, list_id, item_id, guid, pos, num, txt)"
        " VALUES(?1, ?2, ?3, ?4, (SELECT guid FROM items WHERE id = ?4), ?5, ?6, ?7)", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, j->grp);
    sqlite3_bind_int(s, 2, (int)op);
    sqlite3_bind_int64(s, 3, list_id);
    sqlite3_bind_int64(s, 4, item_id);
    sqlite3_bind_int64(s, 5, pos);
    sqlite3_bind_int64(s, 6, num);
    store_bind_text(s, 7, txt);
    int rc = store_step(st, s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return store_fail(st, rc, err);
    j->ops++;
    return 0;
}

/* Labels the group, or drops it when the action changed nothing, and forgets the oldest groups. */
int li_jr_end(struct store *st, struct li_journal *j, const char *label, struct error *err)
{
    if (j->ops == 0)
        return li_exec(st, "DELETE FROM curation_undo WHERE id = ?1", (int64_t[]){j->grp}, 1, NULL, err);
    sqlite3_stmt *s = li_prep(st, "UPDATE curation_undo SET label = ?2 WHERE id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, j->grp);
    store_bind_text(s, 2, label);
    int rc = store_step(st, s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return store_fail(st, rc, err);
    /* ops go with their group through ON DELETE CASCADE */
    return li_exec(st, "DELETE FROM curation_undo WHERE id <= ?1", (int64_t[]){j->grp - LISTS_UNDO_MAX},
                    1, NULL, err);
}

/* ---- undo ---- */

static int top_group(struct store *st, int64_t *grp, char *what, size_t what_n, int *found, struct error *err)
{
    sqlite3_stmt *s = li_prep(st, "SELECT id, label FROM curation_undo ORDER BY id DESC LIMIT 1", err);
    if (!s) return -1;
    int rc = store_step(st, s);
    *found = rc == SQLITE_ROW;
    if (*found) {
        *grp = sqlite3_column_int64(s, 0);
        const char *l = (const char *)sqlite3_column_text(s, 1);
        if (what && what_n) snprintf(what, what_n, "%s", l ? l : "");
    }
    sqlite3_finalize(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : store_fail(st, rc, err);
}

int lists_undo_peek(struct store *st, char *what, size_t what_n, struct error *err)
{
    if (what && what_n) what[0] = 0;
    if (li_ensure(st, err) != 0) return -1;
    int64_t grp;
    int found;
    if (top_group(st, &grp, what, what_n, &found, err) != 0) return -1;
    return found;
}

/* Whether item_id still is the item guid names (NULL guid: the item was gone when recorded). */
static int same_item(struct store *st, int64_t item_id, const char *guid, int *same, struct error *err)
{
    *same = 0;
    if (!guid) return 0;
    sqlite3_stmt *s = li_prep(st, "SELECT 1 FROM items WHERE id = ?1 AND guid = ?2", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, item_id);
    store_bind_text(s, 2, guid);
    int rc = store_step(st, s);
    *same = rc == SQLITE_ROW;
    sqlite3_finalize(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : store_fail(st, rc, err);
}

static int list_exists(struct store *st, int64_t list_id, int *exists, struct error *err)
{
    int64_t v;
    return li_query_int(st, "SELECT 1 FROM lists WHERE id = ?1", &list_id, 1, &v, exists, err);
}

/* Applies one inverse.  *conflict is set when it cannot apply for a reason that will not go away
 * (a name taken since); such an action is dropped rather than retried forever. */
static int apply_op(struct store *st, int op, int64_t list_id, int64_t item_id, const char *guid, int64_t pos,
                    int64_t num, const char *txt, int *conflict, struct error *err)
{
    int same = 0, exists = 0, found = 0, taken = 0;
    int64_t cur = 0;
    switch (op) {
    case OP_UNADD:
        if (li_entry_pos(st, list_id, item_id, &cur, NULL, &found, err) != 0) return -1;
        return found ? li_take_entry(st, list_id, item_id, cur, err) : 0;
    case OP_REINSERT: {
        if (same_item(st, item_id, guid, &same, err) != 0 || list_exists(st, list_id, &exists, err) != 0) return -1;
        if (!same || !exists) return 0;   /* the item is gone for good: nothing to put back */
        if (li_entry_pos(st, list_id, item_id, &cur, NULL, &found, err) != 0) return -1;
        if (found) return 0;
        int64_t count = 0;
        if (li_renumber(st, list_id, err) != 0 || li_count(st, list_id, &count, err) != 0) return -1;
        if (pos < 1) pos = 1;
        if (pos > count + 1) pos = count + 1;
        return li_put_entry(st, list_id, item_id, pos, num, err);
    }
    case OP_MOVE_BACK: {
        int64_t count = 0;
        if (li_renumber(st, list_id, err) != 0 || li_entry_pos(st, list_id, item_id, &cur, NULL, &found, err) != 0 ||
            li_count(st, list_id, &count, err) != 0)
            return -1;
        if (!found) return 0;
        if (pos < 1) pos = 1;
        if (pos > count) pos = count;
        return pos == cur ? 0 : li_shift_entry(st, list_id, item_id, cur, pos, err);
    }
    case OP_RENAME_BACK: {
        if (list_exists(st, list_id, &exists, err) != 0) return -1;
        if (!exists) return 0;
        if (li_name_taken(st, txt, list_id, &taken, err) != 0) return -1;
        if (taken) {
            *conflict = 1;
            error_set(err, "a list named \"%s\" exists now", txt);
            return -1;
        }
        sqlite3_stmt *s = li_prep(st, "UPDATE lists SET name = ?2 WHERE id = ?1", err);
        if (!s) return -1;
        sqlite3_bind_int64(s, 1, list_id);
        store_bind_text(s, 2, txt);
        int rc = store_step(st, s);
        sqlite3_finalize(s);
        return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    }
    case OP_UNCREATE:
        return li_exec(st, "DELETE FROM list_items WHERE list_id = ?1", &list_id, 1, NULL, err) == 0 &&
                       li_exec(st, "DELETE FROM lists WHERE id = ?1", &list_id, 1, NULL, err) == 0
                   ? 0 : -1;
    case OP_RESTORE_LIST: {
        if (list_exists(st, list_id, &exists, err) != 0) return -1;
        if (exists) return 0;
        if (li_name_taken(st, txt, 0, &taken, err) != 0) return -1;
        if (taken) {
            *conflict = 1;
            error_set(err, "a list named \"%s\" exists now", txt);
            return -1;
        }
        sqlite3_stmt *s = li_prep(st, "INSERT INTO lists(id, name, created, position) VALUES(?1, ?2, ?3, ?4)", err);
        if (!s) return -1;
        sqlite3_bind_int64(s, 1, list_id);
        store_bind_text(s, 2, txt);
        sqlite3_bind_int64(s, 3, num);
        sqlite3_bind_int64(s, 4, pos);
        int rc = store_step(st, s);
        sqlite3_finalize(s);
        return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    }
    case OP_STAR:
    case OP_READ:
        if (same_item(st, item_id, guid, &same, err) != 0) return -1;
        if (!same) return 0;
        return op == OP_STAR ? store_item_set_starred(st, item_id, (int)num, err)
                             : store_item_set_read(st, item_id, (int)num, err);
    default:
        error_set(err, "undo journal: unknown operation %d", op);
        *conflict = 1;
        return -1;
    }
}

static int undo_group(struct store *st, int64_t grp, int *conflict, struct error *err)
{
    sqlite3_stmt *s = li_prep(st, "SELECT op, list_id, item_id, guid, pos, num, txt FROM curation_undo_ops"
                               " WHERE grp = ?1 ORDER BY seq DESC", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, grp);
    int rc, ok = 1;
    while (ok && (rc = store_step(st, s)) == SQLITE_ROW) {
        /* the column texts stay valid while s sits on this row; apply_op runs other statements */
        ok = apply_op(st, sqlite3_column_int(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2),
                      (const char *)sqlite3_column_text(s, 3), sqlite3_column_int64(s, 4),
                      sqlite3_column_int64(s, 5), (const char *)sqlite3_column_text(s, 6), conflict, err) == 0;
    }
    if (ok && rc != SQLITE_DONE) ok = store_fail(st, rc, err) == 0;
    sqlite3_finalize(s);
    if (!ok) return -1;
    return li_exec(st, "DELETE FROM curation_undo WHERE id = ?1", &grp, 1, NULL, err);
}

int lists_undo(struct store *st, char *what, size_t what_n, struct error *err)
{
    if (what && what_n) what[0] = 0;
    if (li_ensure(st, err) != 0 || store_tx_begin(st, err) != 0) return -1;
    int64_t grp = 0;
    int found = 0, conflict = 0;
    char label[512] = "";
    int ok = top_group(st, &grp, label, sizeof label, &found, err) == 0;
    if (ok && found) ok = undo_group(st, grp, &conflict, err) == 0;
    if (store_tx_end(st, ok, err) != 0) {
        if (!conflict) return -1;
        /* Forget the action that cannot come back, in a transaction of its own. */
        struct error why = *err;
        if (store_tx_begin(st, err) != 0) return -1;
        ok = li_exec(st, "DELETE FROM curation_undo WHERE id = ?1", &grp, 1, NULL, err) == 0;
        if (store_tx_end(st, ok, err) != 0) return -1;
        error_set(err, "cannot undo \"%s\": %s; it is dropped from the undo history", label, why.msg);
        return -1;
    }
    if (what && what_n) snprintf(what, what_n, "%s", label);
    return found;
}
