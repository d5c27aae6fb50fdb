/* SPDX-License-Identifier: ISC */
/* lists_int — what the three rooms of the curation store share and nobody else sees: lists.c
 * (lists, entries, flags, import, purge), lists_undo.c (the journal and undo) and lists_rules.c
 * (auto-list rules).  All of it runs inside the caller's transaction. */
#ifndef WINNOW_LISTS_INT_H
#define WINNOW_LISTS_INT_H

#include "lists.h"
#include "store_int.h"

/* The inverse operations the journal records. */
enum undo_op {
    OP_UNADD = 1,        /* take (list, item) out again */
    OP_REINSERT,         /* put (list, item) back at pos, added at num */
    OP_MOVE_BACK,        /* move (list, item) back to pos */
    OP_RENAME_BACK,      /* rename list back to txt */
    OP_UNCREATE,         /* delete the list */
    OP_RESTORE_LIST,     /* recreate list (id, name txt, created num, position pos) */
    OP_STAR,             /* set item's starred to num */
    OP_READ,             /* set item's read to num */
};

/* One action's group in the journal, open while the action runs. */
struct li_journal {
    int64_t grp;
    size_t ops;
};

/* Creates the curation tables when missing (a read of the schema when they exist). */
int li_ensure(struct store *st, struct error *err);

/* Statements prepared per call: curation runs at the pace of keys.  li_exec runs sql with integer
 * parameters ?1..?n (changes: rows changed, may be NULL); li_query_int reads the first column of
 * the first row (*found 0 for no row or NULL). */
sqlite3_stmt *li_prep(struct store *st, const char *sql, struct error *err);
int li_exec(struct store *st, const char *sql, const int64_t *args, int n, int *changes, struct error *err);
int li_query_int(struct store *st, const char *sql, const int64_t *args, int n, int64_t *out, int *found,
                 struct error *err);
const char *li_plural(size_t n);

/* A list name as stored (sanitised, one trimmed line; malloc'd), NULL with err when empty. */
char *li_clean_name(const char *name, struct error *err);
/* The name cleaned (malloc'd) with the lists' tables there and a transaction begun, or NULL. */
char *li_begin_named(struct store *st, const char *name, struct error *err);
int li_name_taken(struct store *st, const char *name, int64_t except, int *taken, struct error *err);
/* A new list (no journal entry); ids are never reused. */
int li_create_list(struct store *st, const char *clean, int64_t *id_out, struct error *err);

/* Entries.  Positions are dense from 1 after li_renumber; li_append adds at the end unless the
 * item is there (*added); li_take_entry / li_put_entry / li_shift_entry keep positions dense. */
int li_renumber(struct store *st, int64_t list_id, struct error *err);
int li_append(struct store *st, int64_t list_id, int64_t item_id, int *added, struct error *err);
int li_entry_pos(struct store *st, int64_t list_id, int64_t item_id, int64_t *pos, int64_t *added_at,
                 int *found, struct error *err);
int li_take_entry(struct store *st, int64_t list_id, int64_t item_id, int64_t pos, struct error *err);
int li_put_entry(struct store *st, int64_t list_id, int64_t item_id, int64_t pos, int64_t added_at,
                 struct error *err);
int li_shift_entry(struct store *st, int64_t list_id, int64_t item_id, int64_t old, int64_t pos,
                   struct error *err);
int li_count(struct store *st, int64_t list_id, int64_t *n, struct error *err);

/* The journal (lists_undo.c): begin a group, record inverses, end it with a label (a group with no
 * operations is dropped; the oldest beyond LISTS_UNDO_MAX are forgotten). */
int li_jr_begin(struct store *st, struct li_journal *j, struct error *err);
int li_jr_op(struct store *st, struct li_journal *j, enum undo_op op, int64_t list_id, int64_t item_id,
             int64_t pos, int64_t num, const char *txt, struct error *err);
int li_jr_end(struct store *st, struct li_journal *j, const char *label, struct error *err);

#endif
