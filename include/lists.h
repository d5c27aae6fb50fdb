/* SPDX-License-Identifier: ISC */
/* lists — curation: named, ordered lists of items that persist, play and travel.  The user keeps
 * what matters from an endless feed with single keys; this is the engine both faces drive.
 *
 * Every action commits at once in its own transaction (BEGIN IMMEDIATE), so there is nothing to
 * save on quit and a kill -9 right after `a` keeps the item; a second winnow on the same database
 * waits for the write lock and, past the store's busy timeout, fails with the store's "database is
 * busy" message instead of corrupting anything.  Every user action also records its inverse in an
 * undo journal inside the same transaction, so `u` works across restarts.
 *
 * Positions inside a list are 1-based and dense; adding appends at the end.  An item can be in any
 * number of lists; deleting a list never deletes an item, and a listed item stays when its feed
 * drops it or is removed (store_feed_remove detaches it).
 *
 * The store part lives in src/store/lists.c (lists, entries, import, purge), lists_undo.c (the
 * journal) and lists_rules.c (auto-list rules); the export writers (m3u, opml, atom) in
 * src/app/export.c; the JSON form beside the CLI's item JSON (src/cli/json.c). */
#ifndef WINNOW_LISTS_H
#define WINNOW_LISTS_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "item.h"
#include "store.h"
#include "util.h"

/* How many actions the undo journal remembers; older ones are dropped. */
#define LISTS_UNDO_MAX 100
/* Longest list name (bytes, after sanitising). */
#define LISTS_NAME_MAX 200

struct list_row {
    int64_t id;
    char *name;
    int64_t created;        /* Unix seconds */
    int64_t count;          /* items in the list */
    int64_t unread;
    int last_used;          /* 1 for the list `a` adds to */
};

/* ---- lists ---- */

/* Every list with its counts, in the order the user sees them (keep, watch later, then by
 * creation).  Free with lists_rows_free. */
int lists_all(struct store *st, struct list_row **rows, size_t *n, struct error *err);
void lists_rows_free(struct list_row *rows, size_t n);
/* The list with exactly this name: "no list named \"x\"" when there is none. */
int lists_find(struct store *st, const char *name, struct list_row *out, struct error *err);
/* The list with this id (for "→ keep" after lists_add): "no list with id N" when there is none. */
int lists_get(struct store *st, int64_t list_id, struct list_row *out, struct error *err);
void lists_row_free(struct list_row *r);

/* The name is sanitised to one line and trimmed; empty names and names taken by another list are
 * refused ("a list named \"x\" exists").  List ids are never reused, so an undo can restore a
 * deleted list under its old id. */
int lists_create(struct store *st, const char *name, int64_t *id_out, struct error *err) __attribute__((warn_unused_result));
int lists_rename(struct store *st, int64_t list_id, const char *new_name, struct error *err) __attribute__((warn_unused_result));
/* Deletes the list and its entries (never the items); the undo journal keeps the entries. */
int lists_delete(struct store *st, int64_t list_id, struct error *err) __attribute__((warn_unused_result));

/* ---- entries ---- */

/* Appends the items in the order given; items already in the list stay where they are (adding is
 * idempotent).  *added_out (may be NULL) counts the ones really added.  Makes the list the last
 * used one.  Fails without changing anything when an id names no item. */
int lists_add(struct store *st, int64_t list_id, const int64_t *item_ids, size_t n, size_t *added_out,
              struct error *err) __attribute__((warn_unused_result));
/* Removes the items from the list (ids not in it are skipped); later entries move up. */
int lists_remove(struct store *st, int64_t list_id, const int64_t *item_ids, size_t n,
                 size_t *removed_out, struct error *err) __attribute__((warn_unused_result));
/* Moves an entry to position (1-based, clamped to the list), shifting the ones between. */
int lists_move(struct store *st, int64_t list_id, int64_t item_id, int64_t position, struct error *err) __attribute__((warn_unused_result));
/* Moves an entry by delta places (-1 up, +1 down), clamped at the ends. */
int lists_move_by(struct store *st, int64_t list_id, int64_t item_id, int64_t delta, struct error *err) __attribute__((warn_unused_result));
/* An entry's position, 0 when the item is not in the list. */
int lists_position(struct store *st, int64_t list_id, int64_t item_id, int64_t *pos, struct error *err);
/* The ids of the lists holding an item (for a badge); malloc'd, free it. */
int lists_of_item(struct store *st, int64_t item_id, int64_t **list_ids, size_t *n, struct error *err);

/* Star / read several items at once as one undoable action (through store_item_set_*). */
int lists_set_starred(struct store *st, const int64_t *item_ids, size_t n, int starred, struct error *err) __attribute__((warn_unused_result));
int lists_set_read(struct store *st, const int64_t *item_ids, size_t n, int read, struct error *err) __attribute__((warn_unused_result));

/* The list `a` adds to: the last one added to, else "keep", else the first list; 0 when there are
 * no lists at all (the TUI then opens the picker). */
int lists_last_used(struct store *st, int64_t *list_id, struct error *err);
int lists_set_last_used(struct store *st, int64_t list_id, struct error *err) __attribute__((warn_unused_result));

/* ---- undo ---- */

/* Reverts the last recorded action (add, remove, move, create, rename, delete with its entries,
 * star, read; a multi-item action as a whole).  Returns 1 and describes it in what ("add 2 items
 * to keep"), 0 when there is nothing to undo, -1 on failure.  An action that can no longer be
 * reverted (say a list with the old name exists again) is dropped from the journal and reported,
 * so the next undo reaches further back. */
int lists_undo(struct store *st, char *what, size_t what_n, struct error *err) __attribute__((warn_unused_result));
/* What lists_undo would revert, without reverting it: 1, 0 or -1 as above. */
int lists_undo_peek(struct store *st, char *what, size_t what_n, struct error *err);

/* ---- import (detached items) ---- */

/* Appends items to the list named name (created when missing), as one undoable action.  Items are
 * matched to stored ones by guid and link; unknown ones are inserted without a feed (feed_id NULL)
 * so they live as long as a list or a star keeps them.  The items should come from a sink
 * (sanitised).  Counts: entries added, items inserted. */
int lists_import(struct store *st, const char *name, const struct item *items, size_t n,
                 size_t *added_out, size_t *inserted_out, struct error *err) __attribute__((warn_unused_result));

/* ---- purge ---- */

/* Deletes items first seen and published more than days ago that are not starred, in no list, and
 * not of a feed whose last refresh failed (a feed that is down never loses its items).  days <= 0
 * keeps everything.  *purged_out (may be NULL) counts the deleted items. */
int store_purge_old(struct store *st, int days, int64_t *purged_out, struct error *err) __attribute__((warn_unused_result));

/* ---- auto-list rules ---- */

/* "auto-list NAME when CONDITION [and CONDITION]..." (the leading "auto-list" is optional, NAME
 * may be quoted).  Conditions, case-insensitive:
 *   source=NAME      the item's platform (rss, atom, youtube, ...) or its feed's adapter
 *   feed=X           the feed's URL, id or title
 *   author=X         the author's name or handle (a leading @ is ignored)
 *   tag=X            one of the feed's tags
 *   category=X       one of the item's own categories (what the feed filed it under)
 *   title~/REGEX/    POSIX extended, case-insensitive; \/ for a slash; no back-references
 *   provenance=CLASS the class the provenance hook gives ("unknown" without one)
 * Values with spaces are quoted: feed="Daring Fireball". */
enum list_rule_field {
    RULE_SOURCE, RULE_FEED, RULE_AUTHOR, RULE_TAG, RULE_TITLE, RULE_PROVENANCE, RULE_CATEGORY,
};

#define LISTS_RULE_MAX_LINE 1024
#define LISTS_RULE_MAX_REGEX 256
#define LISTS_RULE_MAX_CONDS 16

struct list_rule_cond {
    enum list_rule_field field;
    char *value;             /* the value, or the regex text for RULE_TITLE */
    regex_t re;              /* compiled when field is RULE_TITLE */
};

struct list_rule {
    char *list;              /* the list's name */
    struct list_rule_cond *conds;
    size_t n;
};

/* Parses one rule.  Errors name what is wrong ("unknown condition \"colour\"", "bad regex ...").
 * Free a parsed rule with lists_rule_free. */
int lists_rule_parse(const char *text, struct list_rule *out, struct error *err);
void lists_rule_free(struct list_rule *r);

/* What a rule is evaluated against: the item and its feed (feed fields NULL for detached items). */
struct list_rule_subject {
    const struct item *item;
    int64_t feed_id;
    const char *feed_url, *feed_kind, *feed_title, *feed_tags;
};
int lists_rule_match(const struct list_rule *r, const struct list_rule_subject *s);

/* Whether an item falls under a provenance filter name ("ai-generated", "credentials-valid", ...
 * as the provenance module defines them): 1 yes, 0 no.  Without a hook only "unknown" and
 * "ai-unknown" match.  Set by the session (app) when it loads its rules; not thread-safe. */
typedef int (*lists_provenance_fn)(const struct item *it, const char *filter, void *user);
void lists_set_provenance_hook(lists_provenance_fn fn, void *user);
/* 1 when the rule has a provenance= condition (so a finished media scan may make it match). */
int lists_rule_asks_provenance(const struct list_rule *r);

/* Puts each of the new items into the lists of the rules it matches (lists are created when
 * missing), in one transaction, after the refresh committed them.  Not recorded for undo: rules
 * are the user's standing order, not an action.  Returns the number of entries added, or -1. */
int lists_apply_rules(struct store *st, const struct list_rule *rules, size_t n,
                      const int64_t *new_item_ids, size_t n_new, struct error *err) __attribute__((warn_unused_result));

/* For the refresh: the highest item id before a commit, and afterwards the ids of a feed's items
 * above it (new rows always get ids above the highest one present).  malloc'd. */
int lists_item_mark(struct store *st, int64_t *mark, struct error *err);
int lists_new_items(struct store *st, int64_t mark, int64_t feed_id, int64_t **ids, size_t *n,
                    struct error *err);
/* lists_new_items + lists_apply_rules in one call: files a feed's items above mark. */
int lists_apply_rules_since(struct store *st, const struct list_rule *rules, size_t n, int64_t feed_id,
                            int64_t mark, struct error *err) __attribute__((warn_unused_result));

/* ---- export (src/app/export.c) ---- */

enum list_format { LIST_FMT_M3U, LIST_FMT_JSON, LIST_FMT_OPML, LIST_FMT_ATOM };

/* "m3u", "json", "opml", "atom" → the format; -1 for anything else. */
int list_format_parse(const char *name, enum list_format *out);

struct list_export {
    const char *name;        /* the list's name */
    int64_t list_id, created;
    const char *self_url;    /* where the Atom file will live (rel="self"), or NULL */
    int64_t now;             /* the export time (Unix seconds) */
    /* play's media rule (app_media_url_allowed): 1 when url of it may go to a player; NULL takes
     * http(s) only.  A URL it refuses (av://, edl://, a remote feed's file://) is left out. */
    int (*media_ok)(void *ctx, const struct item *it, const char *url);
    void *media_ctx;
};

/* Each writes the whole document; -1 with "write error: ..." when out fails. */
int export_m3u(FILE *out, const struct list_export *meta, const struct item *items, size_t n,
               struct error *err);
int export_opml(FILE *out, const struct list_export *meta, const struct item *items, size_t n,
                struct error *err);
int export_atom(FILE *out, const struct list_export *meta, const struct item *items, size_t n,
                struct error *err);

/* Appends s to b escaped for XML text and double-quoted attribute values (& < > "), dropping what
 * XML 1.0 cannot carry and what the sanitiser would remove. */
void export_xml_escape(struct strbuf *b, const char *s);

#endif
