/* SPDX-License-Identifier: ISC */
/* Curation tests: lists, entries and their order, the undo journal for every kind of action,
 * detached items, purging, auto-list rules, imports and two writers on one database — each on a
 * fresh database, checked the way a user would see it (names, counts, order, messages). */
#include "store_testutil.h"

#include <signal.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>

#include "lists.h"

/* ---- helpers ---- */

/* A database with one feed of n items "g1".."gn" (g1 newest); ids[i] is the id of g(i+1). */
static struct store *fixture(char *path, size_t pn, int n, int64_t *feed, int64_t *ids)
{
    struct store *st = open_fresh(path, pn);
    int64_t f = add_feed(st, "https://example.org/feed", "Example", "news,tech");
    struct item_sink s;
    item_sink_init(&s);
    for (int i = 1; i <= n; i++) {
        char guid[16], title[32];
        snprintf(guid, sizeof guid, "g%d", i);
        snprintf(title, sizeof title, "Item %d", i);
        push(&s, guid, title, 1700000000 - i * 60);
    }
    commit(st, f, &s, NULL, NULL);
    item_sink_free(&s);
    for (int i = 1; i <= n && ids; i++) {
        char guid[16];
        snprintf(guid, sizeof guid, "g%d", i);
        ids[i - 1] = item_id_of(st, guid);
    }
    if (feed) *feed = f;
    return st;
}

static int64_t list_id(struct store *st, const char *name)
{
    struct error err = {{0}};
    struct list_row r;
    if (lists_find(st, name, &r, &err) != 0) fail_msg("find %s: %s", name, err.msg);
    int64_t id = r.id;
    lists_row_free(&r);
    return id;
}

static int64_t new_list(struct store *st, const char *name)
{
    struct error err = {{0}};
    int64_t id = 0;
    if (lists_create(st, name, &id, &err) != 0) fail_msg("create %s: %s", name, err.msg);
    return id;
}

static void add(struct store *st, int64_t list, const int64_t *ids, size_t n)
{
    struct error err = {{0}};
    if (lists_add(st, list, ids, n, NULL, &err) != 0) fail_msg("add: %s", err.msg);
}

/* The list's titles in list order, joined by commas. */
static void order(struct store *st, int64_t list, char *out, size_t n)
{
    struct item_query q = {0};
    q.list_id = list;
    struct item_sink s;
    query(st, &q, &s);
    out[0] = 0;
    for (size_t i = 0; i < s.n; i++)
        snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? "," : "", s.items[i].title + 5);   /* "Item " */
    item_sink_free(&s);
}

#define assert_order(st, list, want) do { \
    char got_[512]; order(st, list, got_, sizeof got_); assert_string_equal(got_, want); } while (0)

static int undo(struct store *st, char *what, size_t n)
{
    struct error err = {{0}};
    int rc = lists_undo(st, what, n, &err);
    if (rc < 0) fail_msg("undo: %s", err.msg);
    return rc;
}

static int64_t count_in(struct store *st, int64_t list)
{
    struct item_query q = {0};
    q.list_id = list;
    return count_items(st, &q);
}

/* ---- lists ---- */

static void test_seeded_lists_and_counts(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[3];
    struct store *st = fixture(path, sizeof path, 3, NULL, ids);
    struct error err = {{0}};
    struct list_row *rows;
    size_t n;
    assert_int_equal(lists_all(st, &rows, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].name, "keep");
    assert_string_equal(rows[1].name, "watch later");
    assert_int_equal(rows[0].count, 0);
    assert_int_equal(rows[0].last_used, 1);      /* `a` goes to keep before anything else */
    lists_rows_free(rows, n);

    int64_t keep = list_id(st, "keep");
    add(st, keep, ids, 2);
    assert_int_equal(store_item_set_read(st, ids[0], 1, &err), 0);
    int64_t mine = new_list(st, "  my   picks ");
    assert_int_equal(lists_all(st, &rows, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].count, 2);
    assert_int_equal(rows[0].unread, 1);
    assert_string_equal(rows[2].name, "my picks");   /* sanitised and trimmed */
    assert_int_equal(rows[2].id, mine);
    lists_rows_free(rows, n);
    store_close(st);
}

static void test_create_rename_delete(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[3];
    struct store *st = fixture(path, sizeof path, 3, NULL, ids);
    struct error err = {{0}};
    int64_t id;
    assert_int_equal(lists_create(st, "keep", &id, &err), -1);
    assert_string_equal(err.msg, "a list named \"keep\" exists");
    assert_int_equal(lists_create(st, " \t", &id, &err), -1);
    assert_string_equal(err.msg, "a list needs a name");
    assert_int_equal(lists_create(st, "a\x1b[2Jb", &id, &err), 0);   /* no escape reaches a name */
    struct list_row r;
    assert_int_equal(lists_find(st, "a[2Jb", &r, &err), 0);
    lists_row_free(&r);

    int64_t music = new_list(st, "music");
    add(st, music, ids, 3);
    assert_int_equal(lists_rename(st, music, "watch later", &err), -1);
    assert_string_equal(err.msg, "a list named \"watch later\" exists");
    assert_int_equal(lists_rename(st, music, "songs", &err), 0);
    assert_int_equal(lists_find(st, "music", &r, &err), -1);
    assert_string_equal(err.msg, "no list named \"music\"");
    assert_int_equal(list_id(st, "songs"), music);

    assert_int_equal(lists_delete(st, music, &err), 0);
    assert_int_equal(lists_find(st, "songs", &r, &err), -1);
    assert_int_equal(count_items(st, NULL), 3);          /* deleting a list never deletes items */
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM list_items"), 0);
    assert_int_equal(lists_delete(st, music, &err), -1);
    assert_string_equal(err.msg, "no list with id 4");

    /* ids are never handed out twice, so an undo can restore a list under its own id */
    assert_true(new_list(st, "again") > music);
    store_close(st);
}

/* ---- entries ---- */

static void test_add_appends_idempotent_atomic(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[5];
    struct store *st = fixture(path, sizeof path, 5, NULL, ids);
    struct error err = {{0}};
    int64_t keep = list_id(st, "keep"), later = list_id(st, "watch later");
    size_t added = 9;
    assert_int_equal(lists_add(st, keep, (int64_t[]){ids[2], ids[0]}, 2, &added, &err), 0);
    assert_int_equal(added, 2);
    assert_int_equal(lists_add(st, keep, (int64_t[]){ids[0], ids[4], ids[4]}, 3, &added, &err), 0);
    assert_int_equal(added, 1);                             /* g1 was there, g5 only once */
    assert_order(st, keep, "3,1,5");                        /* appended in the order given */

    /* one bad id: nothing of the action happens */
    assert_int_equal(lists_add(st, keep, (int64_t[]){ids[1], 99999}, 2, &added, &err), -1);
    assert_string_equal(err.msg, "no item with id 99999");
    assert_order(st, keep, "3,1,5");
    assert_int_equal(lists_add(st, 777, ids, 1, &added, &err), -1);
    assert_string_equal(err.msg, "no list with id 777");

    /* an item can be in several lists; the last list added to is the one `a` uses */
    add(st, later, ids, 1);
    int64_t last = 0;
    assert_int_equal(lists_last_used(st, &last, &err), 0);
    assert_int_equal(last, later);
    int64_t *of;
    size_t n;
    assert_int_equal(lists_of_item(st, ids[0], &of, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(of[0], keep);
    assert_int_equal(of[1], later);
    free(of);
    assert_int_equal(lists_set_last_used(st, keep, &err), 0);
    assert_int_equal(lists_last_used(st, &last, &err), 0);
    assert_int_equal(last, keep);
    /* a deleted last-used list falls back to keep */
    assert_int_equal(lists_set_last_used(st, later, &err), 0);
    assert_int_equal(lists_delete(st, later, &err), 0);
    assert_int_equal(lists_last_used(st, &last, &err), 0);
    assert_int_equal(last, keep);
    store_close(st);
}

static void test_remove_and_move(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[5];
    struct store *st = fixture(path, sizeof path, 5, NULL, ids);
    struct error err = {{0}};
    int64_t keep = list_id(st, "keep");
    add(st, keep, ids, 5);
    assert_order(st, keep, "1,2,3,4,5");

    assert_int_equal(lists_move(st, keep, ids[4], 1, &err), 0);
    assert_order(st, keep, "5,1,2,3,4");
    assert_int_equal(lists_move(st, keep, ids[4], 3, &err), 0);
    assert_order(st, keep, "1,2,5,3,4");
    assert_int_equal(lists_move(st, keep, ids[0], 99, &err), 0);      /* clamped to the end */
    assert_order(st, keep, "2,5,3,4,1");
    assert_int_equal(lists_move_by(st, keep, ids[0], -1, &err), 0);
    assert_order(st, keep, "2,5,3,1,4");
    assert_int_equal(lists_move_by(st, keep, ids[1], -1, &err), 0);   /* already at the top */
    assert_order(st, keep, "2,5,3,1,4");
    assert_int_equal(lists_move_by(st, keep, ids[1], 2, &err), 0);
    assert_order(st, keep, "5,3,2,1,4");
    int64_t pos;
    assert_int_equal(lists_position(st, keep, ids[1], &pos, &err), 0);
    assert_int_equal(pos, 3);
    assert_int_equal(lists_move(st, keep, 99999, 1, &err), -1);
    assert_string_equal(err.msg, "item 99999 is not in list keep");

    size_t removed;
    assert_int_equal(lists_remove(st, keep, (int64_t[]){ids[2], 12345}, 2, &removed, &err), 0);
    assert_int_equal(removed, 1);
    assert_order(st, keep, "5,2,1,4");
    assert_int_equal(lists_position(st, keep, ids[3], &pos, &err), 0);
    assert_int_equal(pos, 4);                                          /* dense after a removal */
    assert_int_equal(lists_position(st, keep, ids[2], &pos, &err), 0);
    assert_int_equal(pos, 0);
    assert_int_equal(sql_int(st, "SELECT MAX(position) FROM list_items"), 4);

    /* gaps made behind the engine's back are closed by the next action */
    sql_exec(st, "UPDATE list_items SET position = position * 10");
    assert_int_equal(lists_move(st, keep, ids[3], 1, &err), 0);
    assert_order(st, keep, "4,5,2,1");
    char pos_s[64];
    sql_text(st, "SELECT group_concat(position) FROM (SELECT position FROM list_items ORDER BY position)",
             pos_s, sizeof pos_s);
    assert_string_equal(pos_s, "1,2,3,4");
    store_close(st);
}

static void test_star_read_through_store(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[3];
    struct store *st = fixture(path, sizeof path, 3, NULL, ids);
    struct error err = {{0}};
    assert_int_equal(lists_set_starred(st, ids, 2, 1, &err), 0);
    struct item_query q = {0};
    q.starred_only = 1;
    assert_int_equal(count_items(st, &q), 2);
    assert_int_equal(lists_set_read(st, ids, 3, 1, &err), 0);
    q.starred_only = 0;
    q.unread_only = 1;
    assert_int_equal(count_items(st, &q), 0);
    assert_int_equal(lists_set_starred(st, (int64_t[]){4242}, 1, 1, &err), -1);
    assert_string_equal(err.msg, "no item with id 4242");
    store_close(st);
}

/* ---- undo ---- */

static void test_undo_each_kind(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[4];
    struct store *st = fixture(path, sizeof path, 4, NULL, ids);
    struct error err = {{0}};
    char what[256];
    int64_t keep = list_id(st, "keep");
    assert_int_equal(undo(st, what, sizeof what), 0);           /* nothing yet */

    /* add (several at once are one action) */
    add(st, keep, ids, 3);
    add(st, keep, &ids[3], 1);
    assert_int_equal(lists_undo_peek(st, what, sizeof what, &err), 1);
    assert_string_equal(what, "add \u201cItem 4\u201d to keep");
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "add \u201cItem 4\u201d to keep");
    assert_order(st, keep, "1,2,3");
    add(st, keep, ids, 3);                                      /* all there: not an action */
    assert_int_equal(lists_undo_peek(st, what, sizeof what, &err), 1);
    assert_string_equal(what, "add 3 items to keep");

    /* remove, back in its place */
    assert_int_equal(lists_remove(st, keep, (int64_t[]){ids[1], ids[0]}, 2, NULL, &err), 0);
    assert_order(st, keep, "3");
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "remove 2 items from keep");
    assert_order(st, keep, "1,2,3");

    /* move */
    assert_int_equal(lists_move(st, keep, ids[0], 3, &err), 0);
    assert_order(st, keep, "2,3,1");
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "move \u201cItem 1\u201d to 3 in keep");
    assert_order(st, keep, "1,2,3");

    /* rename */
    assert_int_equal(lists_rename(st, keep, "kept", &err), 0);
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "rename list keep to kept");
    assert_int_equal(list_id(st, "keep"), keep);

    /* delete, with its entries in order */
    assert_int_equal(lists_move(st, keep, ids[2], 1, &err), 0);
    assert_order(st, keep, "3,1,2");
    int64_t later = list_id(st, "watch later");
    add(st, later, &ids[3], 1);
    assert_int_equal(lists_delete(st, keep, &err), 0);
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "delete list keep (3 items)");
    assert_int_equal(list_id(st, "keep"), keep);               /* its own id back */
    assert_order(st, keep, "3,1,2");
    struct list_row *rows;
    size_t n;
    assert_int_equal(lists_all(st, &rows, &n, &err), 0);
    assert_string_equal(rows[0].name, "keep");                 /* and its place among the lists */
    lists_rows_free(rows, n);

    /* create */
    int64_t tmp = new_list(st, "tmp");
    add(st, tmp, ids, 1);
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "create list tmp");
    struct list_row r;
    assert_int_equal(lists_find(st, "tmp", &r, &err), -1);

    /* a long title is cut to fit a status line */
    sql_exec(st, "UPDATE items SET title = 'Item 1 with a title far too long for any status line' WHERE guid = 'g1'");
    assert_int_equal(lists_set_read(st, ids, 1, 1, &err), 0);
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "mark \u201cItem 1 with a title far too long for any\u2026\u201d read");
    sql_exec(st, "UPDATE items SET title = 'Item 1' WHERE guid = 'g1'");

    /* star and read: each item back to what it was */
    assert_int_equal(lists_set_starred(st, (int64_t[]){ids[0]}, 1, 1, &err), 0);
    assert_int_equal(lists_set_starred(st, ids, 3, 1, &err), 0);
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "star 2 items");
    char flags[32];
    sql_text(st, "SELECT group_concat(starred, '') FROM (SELECT starred FROM items ORDER BY guid)", flags,
             sizeof flags);
    assert_string_equal(flags, "1000");
    assert_int_equal(lists_set_read(st, &ids[1], 2, 1, &err), 0);
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "mark 2 items read");
    sql_text(st, "SELECT group_concat(read, '') FROM (SELECT read FROM items ORDER BY guid)", flags, sizeof flags);
    assert_string_equal(flags, "0000");
    store_close(st);
}

static void test_undo_persists_and_is_bounded(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[2];
    struct store *st = fixture(path, sizeof path, 2, NULL, ids);
    struct error err = {{0}};
    int64_t keep = list_id(st, "keep");
    add(st, keep, ids, 1);
    store_close(st);

    /* a restart (or a kill) does not lose the journal */
    st = store_open(path, &err);
    assert_non_null(st);
    char what[256];
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "add \u201cItem 1\u201d to keep");
    assert_int_equal(count_in(st, keep), 0);

    for (int i = 0; i < LISTS_UNDO_MAX + 30; i++)
        assert_int_equal(lists_set_starred(st, ids, 1, i % 2 == 0, &err), 0);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM curation_undo"), LISTS_UNDO_MAX);
    int undone = 0;
    while (undo(st, what, sizeof what) == 1) undone++;
    assert_int_equal(undone, LISTS_UNDO_MAX);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM curation_undo_ops"), 0);
    store_close(st);
}

static void test_undo_conflict_is_dropped(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[2];
    struct store *st = fixture(path, sizeof path, 2, NULL, ids);
    struct error err = {{0}};
    int64_t keep = list_id(st, "keep");
    add(st, keep, ids, 1);
    assert_int_equal(lists_rename(st, keep, "kept", &err), 0);
    /* a rule makes a list named "keep" (rules are not undoable actions) */
    struct list_rule r;
    assert_int_equal(lists_rule_parse("auto-list keep when tag=news", &r, &err), 0);
    assert_int_equal(lists_apply_rules(st, &r, 1, &ids[1], 1, &err), 1);
    lists_rule_free(&r);
    char what[256];
    assert_int_equal(lists_undo(st, what, sizeof what, &err), -1);
    assert_string_equal(err.msg, "cannot undo \"rename list keep to kept\": a list named \"keep\" exists now;"
                                 " it is dropped from the undo history");
    assert_int_equal(list_id(st, "kept"), keep);
    /* the next undo reaches further back */
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "add \u201cItem 1\u201d to keep");
    assert_int_equal(count_in(st, keep), 0);
    store_close(st);
}

static void test_undo_never_restores_a_stranger(void **state)
{
    (void)state;
    char path[512];
    int64_t feed, ids[2];
    struct store *st = fixture(path, sizeof path, 2, &feed, ids);
    struct error err = {{0}};
    int64_t keep = list_id(st, "keep");
    add(st, keep, &ids[1], 1);
    assert_int_equal(lists_remove(st, keep, &ids[1], 1, NULL, &err), 0);
    /* the item goes (its feed is removed) and its id is handed to a new item */
    assert_int_equal(store_feed_remove(st, feed, &err), 0);
    int64_t f2 = add_feed(st, "https://example.org/other", NULL, NULL);
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "other", "Item other", 1700000000);
    push(&s, "other2", "Item other2", 1700000000);
    commit(st, f2, &s, NULL, NULL);
    item_sink_free(&s);
    assert_int_equal(item_id_of(st, "other2"), ids[1]);          /* the old id, a new item */
    char what[256];
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_int_equal(count_in(st, keep), 0);
    store_close(st);
}

/* ---- detached and purged items ---- */

static void test_listed_items_survive_feed_removal(void **state)
{
    (void)state;
    char path[512];
    int64_t feed, ids[3];
    struct store *st = fixture(path, sizeof path, 3, &feed, ids);
    struct error err = {{0}};
    int64_t keep = list_id(st, "keep");
    add(st, keep, &ids[1], 1);
    assert_int_equal(lists_set_starred(st, &ids[2], 1, 1, &err), 0);
    assert_int_equal(store_feed_remove(st, feed, &err), 0);
    assert_int_equal(count_items(st, NULL), 2);
    struct item_query q = {0};
    q.list_id = keep;
    struct item_sink s;
    query(st, &q, &s);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].title, "Item 2");
    assert_int_equal(s.items[0].feed_id, 0);                     /* detached */
    assert_string_equal(s.items[0].feed_title, "Example");       /* still says where it came from */
    item_sink_free(&s);
    store_close(st);
}

static void test_purge(void **state)
{
    (void)state;
    char path[512];
    int64_t feed, ids[6];
    struct store *st = fixture(path, sizeof path, 6, &feed, ids);
    struct error err = {{0}};
    int64_t now = (int64_t)time(NULL), old = now - 40 * 86400;
    char sql[256];
    /* g1..g5 are old; g6 was published long ago but first seen today */
    snprintf(sql, sizeof sql, "UPDATE items SET first_seen = %lld, published = %lld WHERE guid != 'g6'",
             (long long)old, (long long)old);
    sql_exec(st, sql);
    snprintf(sql, sizeof sql, "UPDATE items SET first_seen = %lld, published = %lld WHERE guid = 'g6'",
             (long long)now, (long long)old);
    sql_exec(st, sql);
    add(st, list_id(st, "keep"), &ids[0], 1);
    assert_int_equal(lists_set_starred(st, &ids[1], 1, 1, &err), 0);

    int64_t purged = -1;
    assert_int_equal(store_purge_old(st, 0, &purged, &err), 0);     /* 0: keep forever */
    assert_int_equal(purged, 0);
    /* a feed whose last refresh failed loses nothing */
    assert_int_equal(store_feed_failed(st, feed, "HTTP 500", &err), 0);
    assert_int_equal(store_purge_old(st, 30, &purged, &err), 0);
    assert_int_equal(purged, 0);
    assert_int_equal(store_feed_unchanged(st, feed, &err), 0);
    assert_int_equal(store_purge_old(st, 60, &purged, &err), 0);    /* not old enough */
    assert_int_equal(purged, 0);
    assert_int_equal(store_purge_old(st, 30, &purged, &err), 0);
    assert_int_equal(purged, 3);                                    /* g3, g4, g5 */
    char left[64];
    sql_text(st, "SELECT group_concat(guid) FROM (SELECT guid FROM items ORDER BY guid)", left, sizeof left);
    assert_string_equal(left, "g1,g2,g6");
    store_close(st);
}

/* keep-days must not be undone by the next refresh: a purged item the feed still carries stays
 * purged; once the feed drops it for a day, the tombstone goes. */
static void test_purged_stay_purged(void **state)
{
    (void)state;
    char path[512];
    int64_t feed, ids[3];
    struct store *st = fixture(path, sizeof path, 3, &feed, ids);
    struct error err = {{0}};
    int64_t now = (int64_t)time(NULL), old = now - 40 * 86400;
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE items SET first_seen = %lld, published = %lld WHERE guid != 'g3'",
             (long long)old, (long long)old);
    sql_exec(st, sql);
    int64_t purged = -1;
    assert_int_equal(store_purge_old(st, 30, &purged, &err), 0);
    assert_int_equal(purged, 2);                                     /* g1, g2 */
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM purged"), 2);

    /* the feed still carries g1 and g2, and a new g4: only g4 is new */
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "g1", "Item 1", 1700000000 - 60);
    push(&s, "g2", "Item 2", 1700000000 - 120);
    push(&s, "g3", "Item 3", 1700000000 - 180);
    push(&s, "g4", "Item 4", 1700000000);
    int fresh = -1;
    assert_int_equal(store_feed_commit(st, feed, &s, NULL, NULL, &fresh, &err), 0);
    assert_int_equal(fresh, 1);
    char left[64];
    sql_text(st, "SELECT group_concat(guid) FROM (SELECT guid FROM items ORDER BY guid)", left, sizeof left);
    assert_string_equal(left, "g3,g4");
    /* an adapter asking before it fetches (HN, PeerTube) hears that g1 needs no fetching */
    assert_int_equal(store_item_known(st, feed, "g1", &err), 1);
    assert_int_equal(store_item_known(st, feed, "g9", &err), 0);

    /* the feed drops g2; a day later its tombstone goes, g1's stays while the feed carries it */
    snprintf(sql, sizeof sql, "UPDATE purged SET seen = %lld", (long long)(now - 2 * 86400));
    sql_exec(st, sql);
    item_sink_free(&s);
    item_sink_init(&s);
    push(&s, "g1", "Item 1", 1700000000 - 60);
    push(&s, "g4", "Item 4", 1700000000);
    assert_int_equal(store_feed_commit(st, feed, &s, NULL, NULL, &fresh, &err), 0);
    assert_int_equal(fresh, 0);
    sql_text(st, "SELECT group_concat(guid) FROM purged", left, sizeof left);
    assert_string_equal(left, "g1");
    /* removing the feed takes its tombstones along */
    item_sink_free(&s);
    assert_int_equal(store_feed_remove(st, feed, &err), 0);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM purged"), 0);
    store_close(st);
}

/* ---- finding within a view (the reader's search) ---- */

static int title_has(const char *title, const char *summary, void *needle)
{
    (void)summary;
    return strstr(title, needle) != NULL;
}

static int64_t find(struct store *st, const struct item_query *q, int64_t from, int dir, const char *needle)
{
    struct error err = {{0}};
    int64_t r = store_items_find(st, q, from, dir, title_has, (void *)needle, &err);
    if (r == -2) fail_msg("find: %s", err.msg);
    return r;
}

static void test_find_in_view_order(void **state)
{
    (void)state;
    char path[512];
    int64_t feed, ids[6];
    struct store *st = fixture(path, sizeof path, 6, &feed, ids);   /* Item 1 newest .. Item 6 */
    struct error err = {{0}};
    struct item_query q = {0};
    assert_int_equal(find(st, &q, 0, 1, "Item 4"), 3);
    assert_int_equal(find(st, &q, 3, 1, "Item 4"), 3);     /* at `from` counts */
    assert_int_equal(find(st, &q, 4, 1, "Item 4"), -1);
    assert_int_equal(find(st, &q, 5, -1, "Item 4"), 3);
    assert_int_equal(find(st, &q, 2, -1, "Item 4"), -1);
    assert_int_equal(find(st, &q, 99, -1, "Item 6"), 5);   /* from past the end: the last item */
    assert_int_equal(find(st, &q, 0, 1, "Item 9"), -1);
    q.limit = 3;                                            /* looks at positions 0..2 only */
    assert_int_equal(find(st, &q, 0, 1, "Item 4"), -1);
    q.limit = 4;
    assert_int_equal(find(st, &q, 0, 1, "Item 4"), 3);
    q.limit = 2;                                            /* backward: 5, 4 */
    assert_int_equal(find(st, &q, 5, -1, "Item 4"), -1);
    assert_int_equal(find(st, &q, 5, -1, "Item 5"), 4);

    /* filters shift positions: Item 2 read, the unread view is 1,3,4,5,6 */
    assert_int_equal(store_item_set_read(st, ids[1], 1, &err), 0);
    struct item_query u = {0};
    u.unread_only = 1;
    assert_int_equal(find(st, &u, 0, 1, "Item 3"), 1);
    assert_int_equal(find(st, &u, 4, -1, "Item 1"), 0);
    assert_int_equal(find(st, &u, 0, 1, "Item 2"), -1);

    /* a list keeps its own order: 5, 2, 3 */
    int64_t l = new_list(st, "mix");
    int64_t in[3] = {ids[4], ids[1], ids[2]};
    add(st, l, in, 3);
    struct item_query lq = {0};
    lq.list_id = l;
    assert_int_equal(find(st, &lq, 0, 1, "Item 2"), 1);
    assert_int_equal(find(st, &lq, 2, -1, "Item 5"), 0);
    assert_int_equal(find(st, &lq, 2, -1, "Item 3"), 2);
    assert_int_equal(find(st, &lq, 1, 1, "Item 5"), -1);
    store_close(st);
}

/* ---- import ---- */

static void test_import_detached_and_dedup(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[2];
    struct store *st = fixture(path, sizeof path, 2, NULL, ids);
    struct error err = {{0}};
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "g1", "Item 1", 1700000000 - 60);          /* known: same guid and link */
    struct item it;
    item_init(&it);
    it.guid = "elsewhere-1";
    it.title = "Item far";
    it.url = "https://far.example/1";
    it.media_url = "https://far.example/1.mp3";
    it.media_type = "audio/mpeg";
    it.media_duration = 61;
    it.feed_title = "Far Feed";
    item_sink_push(&s, &it);
    size_t added, inserted;
    assert_int_equal(lists_import(st, "shared", s.items, s.n, &added, &inserted, &err), 0);
    assert_int_equal(added, 2);
    assert_int_equal(inserted, 1);
    int64_t shared = list_id(st, "shared");
    assert_order(st, shared, "1,far");
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM items WHERE feed_id IS NULL AND guid = 'elsewhere-1'"
                                 " AND media_duration = 61"), 1);
    /* again: nothing new */
    assert_int_equal(lists_import(st, "shared", s.items, s.n, &added, &inserted, &err), 0);
    assert_int_equal(added, 0);
    assert_int_equal(inserted, 0);
    assert_int_equal(count_items(st, NULL), 3);
    /* into an existing list: appended, one undoable action */
    add(st, list_id(st, "keep"), &ids[1], 1);
    assert_int_equal(lists_import(st, "keep", s.items, s.n, &added, &inserted, &err), 0);
    assert_order(st, list_id(st, "keep"), "2,1,far");
    char what[256];
    assert_int_equal(undo(st, what, sizeof what), 1);
    assert_string_equal(what, "import 2 items into keep");
    assert_order(st, list_id(st, "keep"), "2");
    item_sink_free(&s);
    store_close(st);
}

/* ---- rules ---- */

static void test_rule_parse(void **state)
{
    (void)state;
    struct error err = {{0}};
    struct list_rule r;
    assert_int_equal(lists_rule_parse("auto-list watch later when source=youtube and title~/\\bcats?\\b|k\\/9/",
                                      &r, &err), 0);
    assert_string_equal(r.list, "watch later");
    assert_int_equal(r.n, 2);
    assert_int_equal(r.conds[0].field, RULE_SOURCE);
    assert_string_equal(r.conds[0].value, "youtube");
    assert_int_equal(r.conds[1].field, RULE_TITLE);
    assert_string_equal(r.conds[1].value, "\\bcats?\\b|k/9");
    lists_rule_free(&r);
    assert_int_equal(lists_rule_parse("\"when and\" when feed = \"Daring Fireball\" AND author=@gruber", &r, &err), 0);
    assert_string_equal(r.list, "when and");
    assert_string_equal(r.conds[0].value, "Daring Fireball");
    assert_int_equal(r.conds[1].field, RULE_AUTHOR);
    lists_rule_free(&r);
    assert_int_equal(lists_rule_parse("keep when provenance=verified and tag=news", &r, &err), 0);
    lists_rule_free(&r);

    static const struct { const char *text, *msg; } bad[] = {
        {"keep", "auto-list: expected \"when\" after the list name (auto-list NAME when CONDITION)"},
        {"when source=x", "auto-list: no list name (auto-list NAME when CONDITION)"},
        {"keep when colour=red", "auto-list keep: unknown condition \"colour\" (source, feed, author, tag, title, provenance, category)"},
        {"keep when source=", "auto-list keep: empty value"},
        {"keep when source=a or tag=b", "auto-list keep: expected \"and\" or the end at \"or tag=b\""},
        {"keep when title=x", "auto-list keep: title takes ~/REGEX/"},
        {"keep when title~/(a/", NULL},
        {"keep when title~/(a)\\1/", "auto-list keep: back-references (\\1) are not allowed in a rule's regex"},
        {"keep when title~/abc", "auto-list keep: unterminated /regex/"},
        {"keep when feed=\"x", "auto-list keep: unterminated quote"},
        {"keep when tag=a and", "auto-list keep: expected a condition at \"\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(lists_rule_parse(bad[i].text, &r, &err), -1);
        if (bad[i].msg) assert_string_equal(err.msg, bad[i].msg);
        else assert_non_null(strstr(err.msg, "bad regex"));
        assert_null(r.list);
    }
    char long_re[400] = "keep when title~/";
    memset(long_re + strlen(long_re), 'a', 300);
    strcat(long_re, "/");
    assert_int_equal(lists_rule_parse(long_re, &r, &err), -1);
    assert_string_equal(err.msg, "auto-list keep: regex longer than 256 bytes");
}

static int fake_provenance(const struct item *it, const char *filter, void *user)
{
    (void)user;
    return !strcasecmp(filter, "bot") && it->author_bot;
}

static void test_rule_match(void **state)
{
    (void)state;
    struct error err = {{0}};
    struct item it;
    item_init(&it);
    it.title = "Why Cats Purr";
    it.author = "Jane Doe";
    it.author_handle = "@jane@example.social";
    it.platform = "youtube";
    it.categories = "Science\nAnimal Behaviour";
    struct list_rule_subject s = {&it, 7, "https://example.org/feed", "feed", "Example", "news,Tech"};
    static const struct { const char *rule; int want; } cases[] = {
        {"x when source=youtube", 1}, {"x when source=FEED", 1}, {"x when source=rss", 0},
        {"x when feed=7", 1}, {"x when feed=https://example.org/feed", 1}, {"x when feed=example", 1},
        {"x when feed=8", 0}, {"x when author=\"jane doe\"", 1}, {"x when author=jane@example.social", 1},
        {"x when author=@jane", 0}, {"x when tag=tech", 1}, {"x when tag=tec", 0},
        {"x when title~/\\bcats?\\b/", 1}, {"x when title~/^cats/", 0},
        {"x when provenance=unknown", 1}, {"x when provenance=automated", 0},
        {"x when tag=news and source=youtube and title~/purr$/", 1}, {"x when tag=news and source=rss", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct list_rule r;
        if (lists_rule_parse(cases[i].rule, &r, &err) != 0) fail_msg("%s: %s", cases[i].rule, err.msg);
        if (lists_rule_match(&r, &s) != cases[i].want) fail_msg("%s: want %d", cases[i].rule, cases[i].want);
        lists_rule_free(&r);
    }
    /* the provenance module plugs in through the hook */
    lists_set_provenance_hook(fake_provenance, NULL);
    it.author_bot = 1;
    struct list_rule r;
    assert_int_equal(lists_rule_parse("bots when provenance=bot", &r, &err), 0);
    assert_int_equal(lists_rule_asks_provenance(&r), 1);
    assert_int_equal(lists_rule_match(&r, &s), 1);
    it.author_bot = 0;
    assert_int_equal(lists_rule_match(&r, &s), 0);
    lists_rule_free(&r);
    lists_set_provenance_hook(NULL, NULL);
}

static void test_apply_rules_to_new_items(void **state)
{
    (void)state;
    char path[512];
    int64_t feed, ids[2];
    struct store *st = fixture(path, sizeof path, 2, &feed, ids);
    struct error err = {{0}};
    struct list_rule rules[2];
    assert_int_equal(lists_rule_parse("auto-list odd when title~/[13579]$/", &rules[0], &err), 0);
    assert_int_equal(lists_rule_parse("auto-list keep when feed=Example and title~/^item 4$/", &rules[1], &err), 0);

    /* what the refresh does: mark, commit, collect the new ids, apply */
    int64_t mark;
    assert_int_equal(lists_item_mark(st, &mark, &err), 0);
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "g1", "Item 1", 1700000000);   /* known: not new */
    push(&s, "g3", "Item 3", 1700000000);
    push(&s, "g4", "Item 4", 1700000000);
    push(&s, "g5", "Item 5", 1700000000);
    assert_int_equal(commit(st, feed, &s, NULL, NULL), 3);
    item_sink_free(&s);
    int64_t *fresh;
    size_t n;
    assert_int_equal(lists_new_items(st, mark, feed, &fresh, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(lists_apply_rules(st, rules, 2, fresh, n, &err), 3);
    int64_t odd = list_id(st, "odd");                         /* made by the rule */
    assert_order(st, odd, "3,5");
    assert_order(st, list_id(st, "keep"), "4");
    assert_int_equal(lists_apply_rules(st, rules, 2, fresh, n, &err), 0);   /* idempotent */
    free(fresh);
    /* the one-call form the refresh uses */
    assert_int_equal(lists_item_mark(st, &mark, &err), 0);
    item_sink_init(&s);
    push(&s, "g7", "Item 7", 1700000000);
    push(&s, "g8", "Item 8", 1700000000);
    assert_int_equal(commit(st, feed, &s, NULL, NULL), 2);
    item_sink_free(&s);
    assert_int_equal(lists_apply_rules_since(st, rules, 2, feed, mark, &err), 1);
    assert_order(st, odd, "3,5,7");
    struct list_row row;
    assert_int_equal(lists_get(st, odd, &row, &err), 0);
    assert_string_equal(row.name, "odd");
    assert_int_equal(row.count, 3);
    lists_row_free(&row);
    assert_int_equal(lists_get(st, 4242, &row, &err), -1);
    assert_string_equal(err.msg, "no list with id 4242");
    /* rules are not undoable actions */
    char what[256];
    assert_int_equal(lists_undo_peek(st, what, sizeof what, &err), 0);
    /* ids that are gone are skipped */
    assert_int_equal(lists_apply_rules(st, rules, 2, (int64_t[]){999999}, 1, &err), 0);
    lists_rule_free(&rules[0]);
    lists_rule_free(&rules[1]);
    store_close(st);
}

/* ---- two winnows on one database ---- */

static void test_two_handles(void **state)
{
    (void)state;
    char path[512];
    int64_t ids[2];
    struct store *st = fixture(path, sizeof path, 2, NULL, ids);
    int64_t keep = list_id(st, "keep");
    struct error err = {{0}};
    /* make the journal tables exist first, as any earlier action would */
    add(st, keep, ids, 1);
    store_close(st);

    struct store *a = store_open(path, &err), *b = store_open(path, &err);
    assert_non_null(a);
    assert_non_null(b);
    sql_exec(a, "BEGIN IMMEDIATE");
    store_set_busy_timeout(b, 100);
    assert_int_equal(lists_add(b, keep, &ids[1], 1, NULL, &err), -1);
    assert_string_equal(err.msg, "database is busy (another winnow is writing); try again");
    struct list_row *rows;
    size_t n;
    assert_int_equal(lists_all(b, &rows, &n, &err), 0);              /* reading never waits (WAL) */
    lists_rows_free(rows, n);
    sql_exec(a, "COMMIT");
    assert_int_equal(lists_add(b, keep, &ids[1], 1, NULL, &err), 0);
    assert_int_equal(count_in(a, keep), 2);
    store_close(a);
    store_close(b);

    /* another process holds the write lock for a while: the second one waits and then works */
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct error e2 = {{0}};
        struct store *c = store_open(path, &e2);
        if (!c) _exit(1);
        sqlite3_exec(store_db(c), "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (write(pipefd[1], "x", 1) != 1) _exit(1);
        usleep(300 * 1000);
        sqlite3_exec(store_db(c), "COMMIT", NULL, NULL, NULL);
        store_close(c);
        _exit(0);
    }
    char x;
    assert_int_equal(read(pipefd[0], &x, 1), 1);
    struct store *d = store_open(path, &err);
    assert_non_null(d);
    double t0 = now_ms();
    assert_int_equal(lists_remove(d, keep, ids, 1, NULL, &err), 0);
    assert_true(now_ms() - t0 >= 200);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(count_in(d, keep), 1);
    char ok[16];
    sql_text(d, "PRAGMA integrity_check", ok, sizeof ok);
    assert_string_equal(ok, "ok");
    store_close(d);
    close(pipefd[0]);
    close(pipefd[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeded_lists_and_counts),
        cmocka_unit_test(test_create_rename_delete),
        cmocka_unit_test(test_add_appends_idempotent_atomic),
        cmocka_unit_test(test_remove_and_move),
        cmocka_unit_test(test_star_read_through_store),
        cmocka_unit_test(test_undo_each_kind),
        cmocka_unit_test(test_undo_persists_and_is_bounded),
        cmocka_unit_test(test_undo_conflict_is_dropped),
        cmocka_unit_test(test_undo_never_restores_a_stranger),
        cmocka_unit_test(test_listed_items_survive_feed_removal),
        cmocka_unit_test(test_purge),
        cmocka_unit_test(test_purged_stay_purged),
        cmocka_unit_test(test_find_in_view_order),
        cmocka_unit_test(test_import_detached_and_dedup),
        cmocka_unit_test(test_rule_parse),
        cmocka_unit_test(test_rule_match),
        cmocka_unit_test(test_apply_rules_to_new_items),
        cmocka_unit_test(test_two_handles),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
