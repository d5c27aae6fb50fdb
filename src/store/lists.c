/* SPDX-License-Identifier: ISC */
/* Lists: the curation engine's store side — lists and their entries in order, star and read as
 * undoable actions, the last-used list.  Detached imports and purging are in lists_import.c, the
 * undo journal in lists_undo.c, auto-list rules in lists_rules.c.
 *
 * Three tables of its own (the journal, its operations, and a small key/value state) are created
 * here with CREATE TABLE IF NOT EXISTS rather than by a migration in schema.c: they are private
 * to curation, nothing else reads them, and a database that never curates never grows them.
 * When they exist the statement is a read of the schema only, so it costs no write lock.
 *
 * Curation runs at the pace of keys, not of refreshes, so its statements are prepared per call
 * instead of taking slots in the store's statement cache. */
#include <stdlib.h>
#include <string.h>

#include "lists_int.h"
#include "text.h"

static const char tables_sql[] =
    "CREATE TABLE IF NOT EXISTS curation_undo ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  label TEXT NOT NULL DEFAULT ''"
    ");"
    /* One row per elementary inverse; a group is undone in reverse seq order.  guid pins the item
     * an operation is about: item ids can be handed out again after the newest item is deleted,
     * and an undo must never put a stranger into a list. */
    "CREATE TABLE IF NOT EXISTS curation_undo_ops ("
    "  seq INTEGER PRIMARY KEY,"
    "  grp INTEGER NOT NULL REFERENCES curation_undo(id) ON DELETE CASCADE,"
    "  op INTEGER NOT NULL,"
    "  list_id INTEGER, item_id INTEGER, guid TEXT, pos INTEGER, num INTEGER, txt TEXT"
    ");"
    "CREATE INDEX IF NOT EXISTS curation_undo_ops_grp ON curation_undo_ops(grp, seq);"
    "CREATE TABLE IF NOT EXISTS curation_state ("
    "  key TEXT PRIMARY KEY,"
    "  value INTEGER"
    ");";

int li_ensure(struct store *st, struct error *err)
{
    return store_exec(st, tables_sql, err);
}

/* ---- small statement helpers ---- */

sqlite3_stmt *li_prep(struct store *st, const char *sql, struct error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK) {
        store_fail(st, rc, err);
        sqlite3_finalize(s);
        return NULL;
    }
    return s;
}

static void bind_ids(sqlite3_stmt *s, const int64_t *args, int n)
{
    for (int i = 0; i < n; i++) sqlite3_bind_int64(s, i + 1, args[i]);
}

int li_exec(struct store *st, const char *sql, const int64_t *args, int n, int *changes,
            struct error *err)
{
    sqlite3_stmt *s = li_prep(st, sql, err);
    if (!s) return -1;
    bind_ids(s, args, n);
    int rc = store_step(st, s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return store_fail(st, rc, err);
    if (changes) *changes = sqlite3_changes(st->db);
    return 0;
}

int li_query_int(struct store *st, const char *sql, const int64_t *args, int n, int64_t *out,
                 int *found, struct error *err)
{
    sqlite3_stmt *s = li_prep(st, sql, err);
    if (!s) return -1;
    bind_ids(s, args, n);
    int rc = store_step(st, s);
    *found = 0;
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        *out = sqlite3_column_int64(s, 0);
        *found = 1;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return store_fail(st, rc, err);
    return 0;
}

char *li_clean_name(const char *name, struct error *err)
{
    if (!name) {
        error_set(err, "a list needs a name");
        return NULL;
    }
    char *c = text_sanitize_dup(name, strlen(name), LISTS_NAME_MAX, 0);
    if (!*c) {
        free(c);
        error_set(err, "a list needs a name");
        return NULL;
    }
    return c;
}

char *li_begin_named(struct store *st, const char *name, struct error *err)
{
    char *clean = li_clean_name(name, err);
    if (!clean) return NULL;
    if (li_ensure(st, err) != 0 || store_tx_begin(st, err) != 0) {
        free(clean);
        return NULL;
    }
    return clean;
}

const char *li_plural(size_t n) { return n == 1 ? "" : "s"; }

/* How a label names what an action touched: the item's title (cut to fit a status line) when it
 * was one item, else a count. */
#define WHAT_MAX 160
static void what_items(struct store *st, size_t count, int64_t one, char *out, size_t n)
{
    snprintf(out, n, "%zu item%s", count, li_plural(count));
    if (count != 1) return;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT title FROM items WHERE id = ?1", -1, &s, NULL) != SQLITE_OK) {
        sqlite3_finalize(s);
        return;
    }
    sqlite3_bind_int64(s, 1, one);
    if (store_step(st, s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        int used;
        size_t fit = text_fit(t, 40, &used);
        snprintf(out, n, "\xe2\x80\x9c%.*s%s\xe2\x80\x9d", (int)fit, t, t[fit] ? "\xe2\x80\xa6" : "");
    }
    sqlite3_finalize(s);
}

/* ---- state ---- */

static int state_get(struct store *st, const char *key, int64_t *v, int *found, struct error *err)
{
    sqlite3_stmt *s = li_prep(st, "SELECT value FROM curation_state WHERE key = ?1", err);
    if (!s) return -1;
    store_bind_text(s, 1, key);
    int rc = store_step(st, s);
    *found = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL;
    if (*found) *v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : store_fail(st, rc, err);
}

static int state_set(struct store *st, const char *key, int64_t v, struct error *err)
{
    sqlite3_stmt *s = li_prep(st,
        "INSERT INTO curation_state(key, value) VALUES(?1, ?2)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value", err);
    if (!s) return -1;
    store_bind_text(s, 1, key);
    sqlite3_bind_int64(s, 2, v);
    int rc = store_step(st, s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

/* ---- list rows ---- */

#define LIST_COLS \
    "l.id, l.name, l.created," \
    " (SELECT COUNT(*) FROM list_items li WHERE li.list_id = l.id)," \
    " (SELECT COUNT(*) FROM list_items li JOIN items i ON i.id = li.item_id" \
    "  WHERE li.list_id = l.id AND i.read = 0)"

static void read_list_row(sqlite3_stmt *s, struct list_row *r, int64_t last)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(s, 0);
    r->name = store_col_dup(s, 1);
    r->created = sqlite3_column_int64(s, 2);
    r->count = sqlite3_column_int64(s, 3);
    r->unread = sqlite3_column_int64(s, 4);
    r->last_used = r->id == last;
}

void lists_row_free(struct list_row *r)
{
    if (!r) return;
    free(r->name);
    memset(r, 0, sizeof *r);
}

void lists_rows_free(struct list_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) lists_row_free(&rows[i]);
    free(rows);
}

static int last_used(struct store *st, int64_t *id, struct error *err)
{
    int found = 0;
    *id = 0;
    if (li_query_int(st, "SELECT value FROM curation_state WHERE key = 'last_list'"
                      " AND value IN (SELECT id FROM lists)", NULL, 0, id, &found, err) != 0)
        return -1;
    if (!found && li_query_int(st, "SELECT id FROM lists WHERE name = 'keep'", NULL, 0, id, &found, err) != 0)
        return -1;
    if (!found && li_query_int(st, "SELECT id FROM lists ORDER BY position, id LIMIT 1", NULL, 0, id, &found,
                            err) != 0)
        return -1;
    if (!found) *id = 0;
    return 0;
}

int lists_last_used(struct store *st, int64_t *list_id, struct error *err)
{
    if (li_ensure(st, err) != 0) return -1;
    return last_used(st, list_id, err);
}

int lists_all(struct store *st, struct list_row **rows, size_t *n, struct error *err)
{
    *rows = NULL;
    *n = 0;
    int64_t last;
    if (lists_last_used(st, &last, err) != 0) return -1;
    sqlite3_stmt *s = li_prep(st, "SELECT " LIST_COLS " FROM lists l ORDER BY l.position, l.id", err);
    if (!s) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = store_step(st, s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *rows = xrealloc(*rows, cap * sizeof **rows);
        }
        read_list_row(s, &(*rows)[(*n)++], last);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        lists_rows_free(*rows, *n);
        *rows = NULL;
        *n = 0;
        return store_fail(st, rc, err);
    }
    return 0;
}

/* By name (exact) or, when name is NULL, by id. */
static int find_list(struct store *st, const char *name, int64_t id, struct list_row *out, struct error *err)
{
    int64_t last;
    if (lists_last_used(st, &last, err) != 0) return -1;
    sqlite3_stmt *s = li_prep(st, name ? "SELECT " LIST_COLS " FROM lists l WHERE l.name = ?1"
                                    : "SELECT " LIST_COLS " FROM lists l WHERE l.id = ?2", err);
    if (!s) return -1;
    if (name) store_bind_text(s, 1, name);
    else sqlite3_bind_int64(s, 2, id);
    int rc = store_step(st, s);
    int ret = 0;
    if (rc == SQLITE_ROW) read_list_row(s, out, last);
    else if (rc == SQLITE_DONE && name) ret = (error_set(err, "no list named \"%s\"", name), -1);
    else if (rc == SQLITE_DONE) ret = (error_set(err, "no list with id %lld", (long long)id), -1);
    else ret = store_fail(st, rc, err);
    sqlite3_finalize(s);
    return ret;
}

int lists_find(struct store *st, const char *name, struct list_row *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    /* names are stored sanitised and trimmed; look up what the user meant the same way */
    char *clean = li_clean_name(name, err);
    if (!clean) return -1;
    int rc = find_list(st, clean, 0, out, err);
    free(clean);
    return rc;
}

int lists_get(struct store *st, int64_t list_id, struct list_row *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    return find_list(st, NULL, list_id, out, err);
}

/* The list's name (malloc'd) or NULL with "no list with id N". */
static char *list_name(struct store *st, int64_t id, struct error *err)
{
    sqlite3_stmt *s = li_prep(st, "SELECT name FROM lists WHERE id = ?1", err);
    if (!s) return NULL;
    sqlite3_bind_int64(s, 1, id);
    int rc = store_step(st, s);
    char *name = NULL;
    if (rc == SQLITE_ROW) name = store_col_dup(s, 0);
    else if (rc == SQLITE_DONE) error_set(err, "no list with id %lld", (long long)id);
    else store_fail(st, rc, err);
    sqlite3_finalize(s);
    return name;
}

int li_name_taken(struct store *st, const char *name, int64_t except, int *taken, struct error *err)
{
    sqlite3_stmt *s = li_prep(st, "SELECT 1 FROM lists WHERE name = ?1 AND id != ?2", err);
    if (!s) return -1;
    store_bind_text(s, 1, name);
    sqlite3_bind_int64(s, 2, except);
    int rc = store_step(st, s);
    *taken = rc == SQLITE_ROW;
    sqlite3_finalize(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : store_fail(st, rc, err);
}

/* ---- list operations (inside a transaction) ---- */

/* Makes positions 1..n again (gaps appear if entries vanish behind the engine's back, say through
 * a cascade), keeping the order. */
int li_renumber(struct store *st, int64_t list_id, struct error *err)
{
    return li_exec(st,
        "UPDATE list_items SET position = r.rn FROM ("
        "  SELECT item_id, row_number() OVER (ORDER BY position, added_at, item_id) AS rn"
        "  FROM list_items WHERE list_id = ?1) AS r "
        "WHERE list_items.list_id = ?1 AND list_items.item_id = r.item_id"
        " AND list_items.position IS NOT r.rn",
        (int64_t[]){list_id}, 1, NULL, err);
}

int li_create_list(struct store *st, const char *clean, int64_t *id_out, struct error *err)
{
    int taken;
    if (li_name_taken(st, clean, 0, &taken, err) != 0) return -1;
    if (taken) {
        error_set(err, "a list named \"%s\" exists", clean);
        return -1;
    }
    int64_t hw = 0, max = 0, pos = 0;
    int found;
    if (state_get(st, "list_id_hw", &hw, &found, err) != 0) return -1;
    if (li_query_int(st, "SELECT MAX(id) FROM lists", NULL, 0, &max, &found, err) != 0) return -1;
    if (li_query_int(st, "SELECT MAX(position) FROM lists", NULL, 0, &pos, &found, err) != 0) return -1;
    int64_t id = (hw > max ? hw : max) + 1;
    sqlite3_stmt *s = li_prep(st, "INSERT INTO lists(id, name, created, position) VALUES(?1, ?2, ?3, ?4)", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, clean);
    sqlite3_bind_int64(s, 3, store_now());
    sqlite3_bind_int64(s, 4, pos + 1);
    int rc = store_step(st, s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return store_fail(st, rc, err);
    if (state_set(st, "list_id_hw", id, err) != 0) return -1;
    *id_out = id;
    return 0;
}

static int item_exists(struct store *st, int64_t item_id, struct error *err)
{
    int64_t v;
    int found;
    if (li_query_int(st, "SELECT 1 FROM items WHERE id = ?1", &item_id, 1, &v, &found, err) != 0) return -1;
    if (!found) {
        error_set(err, "no item with id %lld", (long long)item_id);
        return -1;
    }
    return 0;
}

/* Appends (list, item) unless present; *added says whether it was. */
int li_append(struct store *st, int64_t list_id, int64_t item_id, int *added, struct error *err)
{
    return li_exec(st,
        "INSERT OR IGNORE INTO list_items(list_id, item_id, position, added_at)"
        " SELECT ?1, ?2, COALESCE(MAX(position), 0) + 1, ?3 FROM list_items WHERE list_id = ?1",
        (int64_t[]){list_id, item_id, store_now()}, 3, added, err);
}

int li_entry_pos(struct store *st, int64_t list_id, int64_t item_id, int64_t *pos, int64_t *added_at,
                 int *found, struct error *err)
{
    sqlite3_stmt *s = li_prep(st, "SELECT position, added_at FROM list_items WHERE list_id = ?1 AND item_id = ?2",
                           err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, list_id);
    sqlite3_bind_int64(s, 2, item_id);
    int rc = store_step(st, s);
    *found = rc == SQLITE_ROW;
    if (*found) {
        *pos = sqlite3_column_int64(s, 0);
        if (added_at) *added_at = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : store_fail(st, rc, err);
}

int li_take_entry(struct store *st, int64_t list_id, int64_t item_id, int64_t pos, struct error *err)
{
    if (li_exec(st, "DELETE FROM list_items WHERE list_id = ?1 AND item_id = ?2",
                 (int64_t[]){list_id, item_id}, 2, NULL, err) != 0)
        return -1;
    return li_exec(st, "UPDATE list_items SET position = position - 1 WHERE list_id = ?1 AND position > ?2",
                    (int64_t[]){list_id, pos}, 2, NULL, err);
}

/* Inserts (list, item) at pos, moving the entries from pos on down by one. */
int li_put_entry(struct store *st, int64_t list_id, int64_t item_id, int64_t pos, int64_t added_at,
                 struct error *err)
{
    if (li_exec(st, "UPDATE list_items SET position = position + 1 WHERE list_id = ?1 AND position >= ?2",
                 (int64_t[]){list_id, pos}, 2, NULL, err) != 0)
        return -1;
    return li_exec(st, "INSERT INTO list_items(list_id, item_id, position, added_at) VALUES(?1, ?2, ?3, ?4)",
                    (int64_t[]){list_id, item_id, pos, added_at}, 4, NULL, err);
}

/* Moves an entry from old to pos (both valid positions of a renumbered list). */
int li_shift_entry(struct store *st, int64_t list_id, int64_t item_id, int64_t old, int64_t pos,
                   struct error *err)
{
    int rc = pos < old
        ? li_exec(st, "UPDATE list_items SET position = position + 1"
                       " WHERE list_id = ?1 AND position >= ?2 AND position < ?3",
                   (int64_t[]){list_id, pos, old}, 3, NULL, err)
        : li_exec(st, "UPDATE list_items SET position = position - 1"
                       " WHERE list_id = ?1 AND position > ?3 AND position <= ?2",
                   (int64_t[]){list_id, pos, old}, 3, NULL, err);
    if (rc != 0) return -1;
    return li_exec(st, "UPDATE list_items SET position = ?3 WHERE list_id = ?1 AND item_id = ?2",
                    (int64_t[]){list_id, item_id, pos}, 3, NULL, err);
}

int li_count(struct store *st, int64_t list_id, int64_t *n, struct error *err)
{
    int found;
    return li_query_int(st, "SELECT COUNT(*) FROM list_items WHERE list_id = ?1", &list_id, 1, n, &found, err);
}

/* ---- public actions: each one transaction, each one journal group ---- */

int lists_create(struct store *st, const char *name, int64_t *id_out, struct error *err)
{
    char *clean = li_begin_named(st, name, err);
    if (!clean) return -1;
    struct li_journal j;
    int64_t id = 0;
    char label[LISTS_NAME_MAX + 32];
    snprintf(label, sizeof label, "create list %s", clean);
    int ok = li_jr_begin(st, &j, err) == 0 && li_create_list(st, clean, &id, err) == 0 &&
             li_jr_op(st, &j, OP_UNCREATE, id, 0, 0, 0, NULL, err) == 0 && li_jr_end(st, &j, label, err) == 0;
    free(clean);
    if (store_tx_end(st, ok, err) != 0) return -1;
    if (id_out) *id_out = id;
    return 0;
}

int lists_rename(struct store *st, int64_t list_id, const char *new_name, struct error *err)
{
    char *clean = li_begin_named(st, new_name, err);
    if (!clean) return -1;
    struct li_journal j;
    char *old = list_name(st, list_id, err);
    int ok = old != NULL, taken = 0;
    if (ok) ok = li_name_taken(st, clean, list_id, &taken, err) == 0;
    if (ok && taken) ok = (error_set(err, "a list named \"%s\" exists", clean), 0);
    if (ok && strcmp(old, clean) != 0) {
        char label[2 * LISTS_NAME_MAX + 32];
        snprintf(label, sizeof label, "rename list %s to %s", old, clean);
        sqlite3_stmt *s = li_prep(st, "UPDATE lists SET name = ?2 WHERE id = ?1", err);
        ok = s != NULL;
        if (ok) {
            sqlite3_bind_int64(s, 1, list_id);
            store_bind_text(s, 2, clean);
            int rc = store_step(st, s);
            sqlite3_finalize(s);
            if (rc != SQLITE_DONE) ok = store_fail(st, rc, err) == 0;
        }
        ok = ok && li_jr_begin(st, &j, err) == 0 && li_jr_op(st, &j, OP_RENAME_BACK, list_id, 0, 0, 0, old, err) == 0 &&
             li_jr_end(st, &j, label, err) == 0;
    }
    free(old);
    free(clean);
    return store_tx_end(st, ok, err);
}

int lists_delete(struct store *st, int64_t list_id, struct error *err)
{
    if (li_ensure(st, err) != 0 || store_tx_begin(st, err) != 0) return -1;
    struct li_journal j;
    struct list_row row;
    memset(&row, 0, sizeof row);
    int ok = find_list(st, NULL, list_id, &row, err) == 0 && li_renumber(st, list_id, err) == 0 &&
             li_jr_begin(st, &j, err) == 0;
    int64_t position = 0;
    int found;
    if (ok) ok = li_query_int(st, "SELECT position FROM lists WHERE id = ?1", &list_id, 1, &position, &found, err) == 0;
    if (ok) {
        /* Recorded last position first, so the undo (which runs backwards) puts them back in
         * order, each at the end. */
        sqlite3_stmt *s = li_prep(st, "SELECT item_id, position, added_at FROM list_items WHERE list_id = ?1"
                                   " ORDER BY position DESC", err);
        ok = s != NULL;
        if (ok) {
            sqlite3_bind_int64(s, 1, list_id);
            int rc;
            while (ok && (rc = store_step(st, s)) == SQLITE_ROW)
                ok = li_jr_op(st, &j, OP_REINSERT, list_id, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                           sqlite3_column_int64(s, 2), NULL, err) == 0;
            if (ok && rc != SQLITE_DONE) ok = store_fail(st, rc, err) == 0;
            sqlite3_finalize(s);
        }
    }
    if (ok) ok = li_jr_op(st, &j, OP_RESTORE_LIST, list_id, 0, position, row.created, row.name, err) == 0;
    if (ok) ok = li_exec(st, "DELETE FROM list_items WHERE list_id = ?1", &list_id, 1, NULL, err) == 0 &&
                 li_exec(st, "DELETE FROM lists WHERE id = ?1", &list_id, 1, NULL, err) == 0;
    if (ok) {
        char label[LISTS_NAME_MAX + 64];
        snprintf(label, sizeof label, "delete list %s (%lld item%s)", row.name, (long long)row.count,
                 li_plural((size_t)row.count));
        ok = li_jr_end(st, &j, label, err) == 0;
    }
    lists_row_free(&row);
    return store_tx_end(st, ok, err);
}

static int set_last_used(struct store *st, int64_t list_id, struct error *err)
{
    return state_set(st, "last_list", list_id, err);
}

int lists_set_last_used(struct store *st, int64_t list_id, struct error *err)
{
    if (li_ensure(st, err) != 0 || store_tx_begin(st, err) != 0) return -1;
    char *name = list_name(st, list_id, err);
    int ok = name && set_last_used(st, list_id, err) == 0;
    free(name);
    return store_tx_end(st, ok, err);
}

int lists_add(struct store *st, int64_t list_id, const int64_t *item_ids, size_t n, size_t *added_out,
              struct error *err)
{
    if (added_out) *added_out = 0;
    if (li_ensure(st, err) != 0 || store_tx_begin(st, err) != 0) return -1;
    struct li_journal j;
    size_t added = 0;
    int64_t one = 0;
    char *name = list_name(st, list_id, err);
    int ok = name && li_renumber(st, list_id, err) == 0 && li_jr_begin(st, &j, err) == 0;
    for (size_t i = 0; ok && i < n; i++) {
        int fresh = 0;
        ok = item_exists(st, item_ids[i], err) == 0 && li_append(st, list_id, item_ids[i], &fresh, err) == 0;
        if (ok && fresh) {
            added++;
            one = item_ids[i];
            ok = li_jr_op(st, &j, OP_UNADD, list_id, item_ids[i], 0, 0, NULL, err) == 0;
        }
    }
    if (ok) {
        char label[LISTS_NAME_MAX + WHAT_MAX + 16], what[WHAT_MAX];
        what_items(st, added, one, what, sizeof what);
        snprintf(label, sizeof label, "add %s to %s", what, name);
        ok = li_jr_end(st, &j, label, err) == 0 && set_last_used(st, list_id, err) == 0;
    }
    free(name);
    if (store_tx_end(st, ok, err) != 0) return -1;
    if (added_out) *added_out = added;
    return 0;
}

int lists_remove(struct store *st, int64_t list_id, const int64_t *item_ids, size_t n, size_t *removed_out,
                 struct error *err)
{
    if (removed_out) *removed_out = 0;
    if (li_ensure(st, err) != 0 || store_tx_begin(st, err) != 0) return -1;
    struct li_journal j;
    size_t removed = 0;
    int64_t one = 0;
    char *name = list_name(st, list_id, err);
    int ok = name && li_renumber(st, list_id, err) == 0 && li_jr_begin(st, &j, err) == 0;
    for (size_t i = 0; ok && i < n; i++) {
        int64_t pos = 0, added_at = 0;
        int found = 0;
        ok = li_entry_pos(st, list_id, item_ids[i], &pos, &added_at, &found, err) == 0;
        if (ok && found) {
            ok = li_jr_op(st, &j, OP_REINSERT, list_id, item_ids[i], pos, added_at, NULL, err) == 0 &&
                 li_take_entry(st, list_id, item_ids[i], pos, err) == 0;
            removed++;
            one = item_ids[i];
        }
    }
    if (ok) {
        char label[LISTS_NAME_MAX + WHAT_MAX + 16], what[WHAT_MAX];
        what_items(st, removed, one, what, sizeof what);
        snprintf(label, sizeof label, "remove %s from %s", what, name);
        ok = li_jr_end(st, &j, label, err) == 0;
    }
    free(name);
    if (store_tx_end(st, ok, err) != 0) return -1;
    if (removed_out) *removed_out = removed;
    return 0;
}

/* to < 0: by delta from the current place; else to that position. */
static int move_entry(struct store *st, int64_t list_id, int64_t item_id, int64_t to, int64_t delta,
                      struct error *err)
{
    if (li_ensure(st, err) != 0 || store_tx_begin(st, err) != 0) return -1;
    struct li_journal j;
    int64_t old = 0, count = 0;
    int found = 0;
    char *name = list_name(st, list_id, err);
    int ok = name && li_renumber(st, list_id, err) == 0 && li_entry_pos(st, list_id, item_id, &old, NULL, &found, err) == 0;
    if (ok && !found)
        ok = (error_set(err, "item %lld is not in list %s", (long long)item_id, name), 0);
    if (ok) ok = li_count(st, list_id, &count, err) == 0;
    if (ok) {
        int64_t pos = to >= 0 ? to : old + delta;
        if (pos < 1) pos = 1;
        if (pos > count) pos = count;
        if (pos != old) {
            char label[LISTS_NAME_MAX + WHAT_MAX + 48], what[WHAT_MAX];
            what_items(st, 1, item_id, what, sizeof what);
            snprintf(label, sizeof label, "move %s to %lld in %s", what, (long long)pos, name);
            ok = li_jr_begin(st, &j, err) == 0 && li_jr_op(st, &j, OP_MOVE_BACK, list_id, item_id, old, 0, NULL, err) == 0 &&
                 li_shift_entry(st, list_id, item_id, old, pos, err) == 0 && li_jr_end(st, &j, label, err) == 0;
        }
    }
    free(name);
    return store_tx_end(st, ok, err);
}

int lists_move(struct store *st, int64_t list_id, int64_t item_id, int64_t position, struct error *err)
{
    return move_entry(st, list_id, item_id, position < 1 ? 1 : position, 0, err);
}

int lists_move_by(struct store *st, int64_t list_id, int64_t item_id, int64_t delta, struct error *err)
{
    return move_entry(st, list_id, item_id, -1, delta, err);
}

int lists_position(struct store *st, int64_t list_id, int64_t item_id, int64_t *pos, struct error *err)
{
    int found = 0;
    *pos = 0;
    if (li_entry_pos(st, list_id, item_id, pos, NULL, &found, err) != 0) return -1;
    if (!found) {
        *pos = 0;
        return 0;
    }
    /* the rank, not the stored number, in case of gaps */
    return li_query_int(st, "SELECT COUNT(*) FROM list_items WHERE list_id = ?1 AND"
                         " (position < ?2 OR (position = ?2 AND (added_at, item_id) <="
                         "  (SELECT added_at, item_id FROM list_items WHERE list_id = ?1 AND item_id = ?3)))",
                     (int64_t[]){list_id, *pos, item_id}, 3, pos, &found, err);
}

int lists_of_item(struct store *st, int64_t item_id, int64_t **list_ids, size_t *n, struct error *err)
{
    *list_ids = NULL;
    *n = 0;
    sqlite3_stmt *s = li_prep(st, "SELECT li.list_id FROM list_items li JOIN lists l ON l.id = li.list_id"
                               " WHERE li.item_id = ?1 ORDER BY l.position, l.id", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, item_id);
    size_t cap = 0;
    int rc;
    while ((rc = store_step(st, s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            *list_ids = xrealloc(*list_ids, cap * sizeof **list_ids);
        }
        (*list_ids)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        free(*list_ids);
        *list_ids = NULL;
        *n = 0;
        return store_fail(st, rc, err);
    }
    return 0;
}

/* star = 1: the starred flag, else the read flag. */
static int set_flags(struct store *st, const int64_t *ids, size_t n, int value, int star, struct error *err)
{
    if (li_ensure(st, err) != 0 || store_tx_begin(st, err) != 0) return -1;
    struct li_journal j;
    size_t changed = 0;
    int64_t one = 0;
    int ok = li_jr_begin(st, &j, err) == 0;
    for (size_t i = 0; ok && i < n; i++) {
        int64_t cur = 0;
        int found = 0;
        ok = li_query_int(st, star ? "SELECT starred FROM items WHERE id = ?1" : "SELECT read FROM items WHERE id = ?1",
                       &ids[i], 1, &cur, &found, err) == 0;
        if (ok && !found) ok = (error_set(err, "no item with id %lld", (long long)ids[i]), 0);
        if (ok && (cur != 0) != (value != 0)) {
            ok = li_jr_op(st, &j, star ? OP_STAR : OP_READ, 0, ids[i], 0, cur != 0, NULL, err) == 0 &&
                 (star ? store_item_set_starred(st, ids[i], value, err) : store_item_set_read(st, ids[i], value, err)) == 0;
            changed++;
            one = ids[i];
        }
    }
    if (ok) {
        char label[WHAT_MAX + 32], what[WHAT_MAX];
        what_items(st, changed, one, what, sizeof what);
        if (star) snprintf(label, sizeof label, "%s %s", value ? "star" : "unstar", what);
        else snprintf(label, sizeof label, "mark %s %s", what, value ? "read" : "unread");
        ok = li_jr_end(st, &j, label, err) == 0;
    }
    return store_tx_end(st, ok, err);
}

int lists_set_starred(struct store *st, const int64_t *item_ids, size_t n, int starred, struct error *err)
{
    return set_flags(st, item_ids, n, starred, 1, err);
}

int lists_set_read(struct store *st, const int64_t *item_ids, size_t n, int read, struct error *err)
{
    return set_flags(st, item_ids, n, read, 0, err);
}
