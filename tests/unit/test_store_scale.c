/* SPDX-License-Identifier: ISC */
/* The store at scale, by its invariants rather than its timings: the counts the feeds keep equal a
 * COUNT(*) after every kind of write; paging by key visits every row once, in page order, equal
 * dates included; the text index finds what a search names, in date order, and follows the rows
 * when they change or go. */
#include "store_testutil.h"

#include "lists.h"

/* Every feed's kept counts, and the view counts built on them, against a walk of the items. */
static void check_counts(struct store *st)
{
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM feeds f WHERE n_items !="
                                 " (SELECT COUNT(*) FROM items WHERE feed_id = f.id)"), 0);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM feeds f WHERE n_unread !="
                                 " (SELECT COUNT(*) FROM items WHERE feed_id = f.id AND read = 0)"), 0);
    assert_int_equal(count_items(st, &(struct item_query){0}), sql_int(st, "SELECT COUNT(*) FROM items"));
    assert_int_equal(count_items(st, &(struct item_query){.unread_only = 1}),
                     sql_int(st, "SELECT COUNT(*) FROM items WHERE read = 0"));
    assert_int_equal(count_items(st, &(struct item_query){.tag = "t"}),
                     sql_int(st, "SELECT COUNT(*) FROM items i JOIN feeds f ON f.id = i.feed_id"
                                 " WHERE ',' || f.tags || ',' LIKE '%,t,%'"));
    /* curated by provenance: the masks' sums against a walk (a NULL mask hides nothing) */
    for (int unread = 0; unread < 2; unread++) {
        char sql[256];
        const char *r = unread ? " AND read = 0" : "";
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM items WHERE (IFNULL(prov_mask, 0) & 5) = 0%s", r);
        assert_int_equal(count_items(st, &(struct item_query){.unread_only = unread, .prov_hide = 5}), sql_int(st, sql));
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM items WHERE (IFNULL(prov_mask, 0) & 6) != 0%s", r);
        assert_int_equal(count_items(st, &(struct item_query){.unread_only = unread, .prov_only = 6}), sql_int(st, sql));
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM items WHERE (IFNULL(prov_mask, 0) & 6) != 0"
                                  " AND (IFNULL(prov_mask, 0) & 1) = 0%s", r);
        assert_int_equal(count_items(st, &(struct item_query){.unread_only = unread, .prov_only = 6, .prov_hide = 1}),
                         sql_int(st, sql));
    }
    struct feed_row *rows;
    size_t n;
    struct error err = {{0}};
    assert_int_equal(store_feeds(st, &rows, &n, &err), 0);
    for (size_t i = 0; i < n; i++) {
        struct item_query q = {.feed_id = rows[i].id};
        assert_int_equal(rows[i].total, count_items(st, &q));
        q.unread_only = 1;
        assert_int_equal(rows[i].unread, count_items(st, &q));
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM items WHERE feed_id = %lld", (long long)rows[i].id);
        assert_int_equal(rows[i].total, sql_int(st, sql));
    }
    store_feed_rows_free(rows, n);
}

static void push_n(struct item_sink *s, const char *prefix, int from, int to, int64_t date0)
{
    char guid[64], title[64];
    for (int k = from; k < to; k++) {
        snprintf(guid, sizeof guid, "%s%d", prefix, k);
        snprintf(title, sizeof title, "%s number %d", prefix, k);
        push(s, guid, title, date0 + k);
    }
}

static void test_counts_follow_every_write(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    struct error err = {{0}};
    int64_t a = add_feed(st, "https://a.example/feed", "A", "t");
    int64_t b = add_feed(st, "https://b.example/feed", "B", "u");
    check_counts(st);
    struct item_sink s;
    item_sink_init(&s);
    push_n(&s, "a", 0, 10, 1000);
    assert_int_equal(commit(st, a, &s, NULL, NULL), 10);
    item_sink_free(&s);
    item_sink_init(&s);
    push_n(&s, "b", 0, 6, 2000);
    assert_int_equal(commit(st, b, &s, NULL, NULL), 6);
    item_sink_free(&s);
    /* provenance masks of every kind, and none (NULL) */
    sql_exec(st, "UPDATE items SET prov_mask = CASE id % 5 WHEN 0 THEN NULL WHEN 1 THEN 0 WHEN 2 THEN 1"
                 " WHEN 3 THEN 2 ELSE 6 END");
    check_counts(st);

    /* read and unread, one by one, twice over (a second "read" changes nothing), in a batch */
    int64_t a3 = item_id_of(st, "a3");
    assert_int_equal(store_item_set_read(st, a3, 1, &err), 0);
    assert_int_equal(store_item_set_read(st, a3, 1, &err), 0);
    check_counts(st);
    assert_int_equal(sql_int(st, "SELECT n_unread FROM feeds WHERE url = 'https://a.example/feed'"), 9);
    assert_int_equal(store_item_set_read(st, a3, 0, &err), 0);
    check_counts(st);
    int64_t ids[] = {item_id_of(st, "a1"), item_id_of(st, "b2")};
    assert_int_equal(lists_set_read(st, ids, 2, 1, &err), 0);
    check_counts(st);
    assert_int_equal(store_feed_mark_read(st, b, &err), 0);
    check_counts(st);
    assert_int_equal(sql_int(st, "SELECT n_unread FROM feeds WHERE url = 'https://b.example/feed'"), 0);

    /* new rows are counted by their writer (schema.c, 12): also two feeds in one poll's batch,
     * a commit whose insert fails half-way (nothing of it, count included, stays) and one whose
     * new items the max-new-items cap cuts short */
    sql_exec(st, "CREATE TEMP TRIGGER no_b31 BEFORE INSERT ON items WHEN NEW.guid = 'b31'"
                 " BEGIN SELECT RAISE(ABORT, 'injected'); END");
    assert_int_equal(store_batch_begin(st, &err), 0);
    item_sink_init(&s);
    push_n(&s, "a", 20, 23, 1000);
    assert_int_equal(commit(st, a, &s, NULL, NULL), 3);
    item_sink_free(&s);
    item_sink_init(&s);
    push_n(&s, "b", 20, 22, 2000);
    assert_int_equal(commit(st, b, &s, NULL, NULL), 2);
    item_sink_free(&s);
    item_sink_init(&s);
    push_n(&s, "b", 30, 33, 2000);
    int n_new = 0;
    assert_int_equal(store_feed_commit(st, b, &s, NULL, NULL, &n_new, &err), -1);
    item_sink_free(&s);
    assert_true(store_batch_broken(st));
    /* a feed commit in a batch has no savepoint (store.h): the batch can only go back whole */
    assert_int_equal(store_batch_end(st, 1, &err), -1);
    sql_exec(st, "DROP TRIGGER no_b31");
    check_counts(st);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM items WHERE guid IN ('b30', 'b31', 'b32', 'a20', 'b20')"), 0);
    /* the caller stores them again (the refresh does, test_refresh.c) */
    item_sink_init(&s);
    push_n(&s, "a", 20, 23, 1000);
    assert_int_equal(commit(st, a, &s, NULL, NULL), 3);
    item_sink_free(&s);
    item_sink_init(&s);
    push_n(&s, "b", 20, 22, 2000);
    assert_int_equal(commit(st, b, &s, NULL, NULL), 2);
    item_sink_free(&s);
    check_counts(st);
    store_set_retention(st, &(struct store_retention){.new_cap = 2});
    item_sink_init(&s);
    push_n(&s, "a", 40, 45, 1000);
    assert_int_equal(commit(st, a, &s, NULL, NULL), 2);
    item_sink_free(&s);
    store_set_retention(st, &(struct store_retention){0});
    check_counts(st);
    sql_exec(st, "DELETE FROM items WHERE guid IN ('a20', 'a21', 'a22', 'b20', 'b21', 'a40', 'a41')");
    check_counts(st);

    /* a failed refresh touches no item and no count; an unchanged one neither */
    assert_int_equal(store_feed_failed(st, a, "HTTP 500", &err), 0);
    assert_int_equal(store_feed_unchanged(st, b, &err), 0);
    check_counts(st);

    /* the same items again (updated in place, a title changed): no count moves */
    item_sink_init(&s);
    push_n(&s, "b", 0, 6, 2000);
    s.items[0].title = "b renamed";
    assert_int_equal(commit(st, b, &s, NULL, NULL), 0);
    item_sink_free(&s);
    check_counts(st);

    /* retention trims a feed to its newest 4 in the commit's transaction */
    store_set_retention(st, &(struct store_retention){.keep_items = 4});
    item_sink_init(&s);
    push_n(&s, "a", 10, 12, 1000);
    commit(st, a, &s, NULL, NULL);
    item_sink_free(&s);
    store_set_retention(st, &(struct store_retention){0});
    assert_int_equal(sql_int(st, "SELECT n_items FROM feeds WHERE url = 'https://a.example/feed'"), 4);
    check_counts(st);

    /* keep-days purges old read items */
    sql_exec(st, "UPDATE items SET read = 1, read_at = 1, first_seen = 1, published = 5, sort_key = 5"
                 " WHERE guid IN ('b3', 'b4')");
    check_counts(st);
    int64_t purged = 0;
    assert_int_equal(store_purge_old(st, 1, &purged, &err), 0);
    assert_true(purged >= 2);
    check_counts(st);

    /* a feed removed: its starred item stays, detached, and still counts among all items */
    assert_int_equal(store_item_set_starred(st, item_id_of(st, "a11"), 1, &err), 0);
    assert_int_equal(store_feed_remove(st, a, &err), 0);
    check_counts(st);
    assert_int_equal(count_items(st, NULL), sql_int(st, "SELECT COUNT(*) FROM items"));
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM items WHERE feed_id IS NULL"), 1);
    assert_int_equal(count_items(st, &(struct item_query){.unread_only = 1}),
                     sql_int(st, "SELECT COUNT(*) FROM items WHERE read = 0"));

    /* a list import stores detached copies: counted too */
    struct item it;
    item_init(&it);
    it.guid = "imported";
    it.title = "Imported one";
    it.url = "https://x.example/1";
    it.published = 50;
    size_t added = 0, inserted = 0;
    assert_int_equal(lists_import(st, "imported", &it, 1, &added, &inserted, &err), 0);
    assert_int_equal(inserted, 1);
    check_counts(st);
    store_close(st);

    /* counts of a database written before them are worked out by the migration, and stay */
    st = store_open(path, &err);
    assert_non_null(st);
    check_counts(st);
    store_close(st);
}

/* Walks q by key pages of `page` rows and checks the walk against one offset listing. */
static void check_key_walk(struct store *st, const struct item_query *base, size_t page)
{
    struct item_sink all;
    query(st, base, &all);
    assert_true(all.n > page);
    /* forward, after the last row of each page */
    size_t at = 0;
    int64_t last = 0;
    for (;;) {
        struct item_query q = *base;
        q.limit = (int64_t)page;
        q.after_id = last;
        struct item_sink s;
        if (last == 0) q.offset = 0;
        query(st, &q, &s);
        for (size_t i = 0; i < s.n; i++, at++) {
            assert_true(at < all.n);
            assert_int_equal(s.items[i].id, all.items[at].id);
        }
        size_t got = s.n;
        if (got) last = s.items[got - 1].id;
        item_sink_free(&s);
        if (got < page) break;
    }
    assert_int_equal(at, all.n);
    /* backward, from past the end, then before the first row of each page, nearest first */
    size_t left = all.n;
    int64_t first = STORE_PAST_END;
    for (;;) {
        struct item_query q = *base;
        q.limit = (int64_t)page;
        q.before_id = first;
        struct item_sink s;
        query(st, &q, &s);
        for (size_t i = 0; i < s.n; i++) {
            assert_true(left > 0);
            left--;
            assert_int_equal(s.items[i].id, all.items[left].id);
        }
        size_t got = s.n;
        if (got) first = s.items[got - 1].id;
        item_sink_free(&s);
        if (got < page) break;
    }
    assert_int_equal(left, 0);
    item_sink_free(&all);
}

static void test_key_paging_equal_dates(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t a = add_feed(st, "https://a.example/feed", "A", "t");
    int64_t b = add_feed(st, "https://b.example/feed", "B", "t,u");
    /* 60 items over 4 dates: runs of 15 equal dates that page boundaries fall inside */
    struct item_sink s;
    item_sink_init(&s);
    char guid[32];
    for (int k = 0; k < 40; k++) {
        snprintf(guid, sizeof guid, "a%d", k);
        push(&s, guid, "same time", 1000 + (k % 4) * 100);
    }
    commit(st, a, &s, NULL, NULL);
    item_sink_free(&s);
    item_sink_init(&s);
    for (int k = 0; k < 20; k++) {
        snprintf(guid, sizeof guid, "b%d", k);
        push(&s, guid, "same time", 1000 + (k % 4) * 100);
    }
    commit(st, b, &s, NULL, NULL);
    item_sink_free(&s);
    sql_exec(st, "UPDATE items SET read = 1 WHERE id % 3 = 0");
    for (size_t page = 1; page <= 8; page++) check_key_walk(st, &(struct item_query){0}, page);
    check_key_walk(st, &(struct item_query){.unread_only = 1}, 4);
    check_key_walk(st, &(struct item_query){.feed_id = a}, 7);
    check_key_walk(st, &(struct item_query){.tag = "u"}, 3);
    check_key_walk(st, &(struct item_query){.prov_hide = 1}, 5);

    /* a page by key from an item that is gone is empty, not the wrong rows */
    struct item_sink none;
    query(st, &(struct item_query){.after_id = 999999, .limit = 5}, &none);
    assert_int_equal(none.n, 0);
    item_sink_free(&none);
    /* a list pages by position */
    struct error err = {{0}};
    item_sink_init(&none);
    assert_int_equal(store_items(st, &(struct item_query){.list_id = 1, .after_id = 1}, &none, &err), -1);
    item_sink_free(&none);
    store_close(st);
}

/* A page far down asked for by offset is found by a walk of the index and then by key: the
 * same rows as the offset itself would give, equal dates included. */
static void test_far_offsets(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t a = add_feed(st, "https://a.example/feed", "A", "t");
    struct item_sink s;
    item_sink_init(&s);
    char guid[32];
    for (int k = 0; k < 1500; k++) {
        snprintf(guid, sizeof guid, "a%d", k);
        push(&s, guid, "same", 1000 + k / 7);
    }
    commit(st, a, &s, NULL, NULL);
    item_sink_free(&s);
    sql_exec(st, "UPDATE items SET read = 1 WHERE id % 5 = 0");
    const struct item_query shapes[] = {{0}, {.unread_only = 1}, {.feed_id = a}, {.tag = "t"}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        struct item_sink all;
        query(st, &shapes[k], &all);
        const int64_t offs[] = {999, 1000, 1001, 1002, 1117, (int64_t)all.n - 3, (int64_t)all.n, (int64_t)all.n + 9};
        for (size_t o = 0; o < sizeof offs / sizeof offs[0]; o++) {
            struct item_query q = shapes[k];
            q.offset = offs[o];
            q.limit = 10;
            struct item_sink page;
            query(st, &q, &page);
            size_t want = offs[o] >= (int64_t)all.n ? 0 : all.n - (size_t)offs[o];
            if (want > 10) want = 10;
            assert_int_equal(page.n, want);
            for (size_t i = 0; i < page.n; i++) assert_int_equal(page.items[i].id, all.items[offs[o] + (int64_t)i].id);
            item_sink_free(&page);
        }
        item_sink_free(&all);
    }
    store_close(st);
}

/* The position of item id under q, from a full listing. */
static int64_t position_of(struct store *st, const struct item_query *q, int64_t id)
{
    struct item_sink all;
    query(st, q, &all);
    int64_t pos = -1;
    for (size_t i = 0; i < all.n; i++)
        if (all.items[i].id == id) pos = (int64_t)i;
    item_sink_free(&all);
    return pos;
}

static int64_t search(struct store *st, const struct item_query *q, const char *text, int64_t from, int incl,
                      int dir, int64_t *pos)
{
    struct error err = {{0}};
    int64_t total = count_items(st, q);
    int64_t from_pos = from ? position_of(st, q, from) : 0;
    int64_t id = store_items_search(st, q, text, from, from_pos, incl, dir, total, pos, &err);
    if (id < 0) fail_msg("search: %s", err.msg);
    if (id > 0) assert_int_equal(*pos, position_of(st, q, id));
    return id;
}

static void test_text_index(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t a = add_feed(st, "https://a.example/feed", "A", NULL);
    /* 700 items, more than the search walks before it asks the index; the needles are stored
     * out of date order (the oldest last), so a ranking by row id would be caught */
    struct item_sink s;
    item_sink_init(&s);
    char guid[32], title[64];
    for (int k = 0; k < 700; k++) {
        snprintf(guid, sizeof guid, "g%d", k);
        snprintf(title, sizeof title, "filler %d about nothing", k);
        push(&s, guid, title, 100000 + k * 10);
    }
    push(&s, "old", "Kiwifruit harvest", 50);        /* the oldest of all */
    push(&s, "mid", "A kiwifruit pie", 100000 + 3500);
    push(&s, "new", "kiwifruit again", 100000 + 6990);
    push(&s, "tie1", "Tie break", 100000 + 3000);   /* same date as g300 */
    commit(st, a, &s, NULL, NULL);
    item_sink_free(&s);
    int64_t old = item_id_of(st, "old"), mid = item_id_of(st, "mid"), neu = item_id_of(st, "new");
    struct item_query all = {0};
    int64_t pos = -1;

    /* forward from the top: newest match first, then by date; then none */
    assert_int_equal(search(st, &all, "kiwi", 0, 1, 1, &pos), neu);
    assert_int_equal(search(st, &all, "kiwi", neu, 0, 1, &pos), mid);
    assert_int_equal(search(st, &all, "kiwi", mid, 0, 1, &pos), old);
    assert_int_equal(pos, 703);   /* the last row: 704 items */
    assert_int_equal(search(st, &all, "kiwi", old, 0, 1, &pos), 0);
    /* included when inclusive; backwards from the end */
    assert_int_equal(search(st, &all, "kiwifruit", mid, 1, 1, &pos), mid);
    assert_int_equal(search(st, &all, "KIWIFRUIT HAR", 0, 1, -1, &pos), old);
    assert_int_equal(search(st, &all, "kiwi", old, 0, -1, &pos), mid);
    /* a phrase, the last word a prefix, in order; a word's middle is no match */
    assert_int_equal(search(st, &all, "kiwifruit p", 0, 1, 1, &pos), mid);
    assert_int_equal(search(st, &all, "pie kiwifruit", 0, 1, 1, &pos), 0);
    assert_int_equal(search(st, &all, "wifruit", 0, 1, 1, &pos), 0);
    /* the query language is not the user's: quotes, stars and operators are text */
    assert_int_equal(search(st, &all, "\"kiwi* OR NEAR(", 0, 1, 1, &pos), 0);
    assert_int_equal(search(st, &all, "filler 5 about", 0, 1, 1, &pos), item_id_of(st, "g5"));
    /* equal dates: the position counts them by id */
    assert_int_equal(search(st, &all, "tie", 0, 1, 1, &pos), item_id_of(st, "tie1"));
    assert_int_equal(search(st, &all, "tie", 0, 1, -1, &pos), item_id_of(st, "tie1"));
    /* text with no word: row by row, anywhere */
    assert_int_equal(search(st, &all, "--", 0, 1, 1, &pos), 0);

    /* the filter (q.search) uses the index too */
    assert_int_equal(count_items(st, &(struct item_query){.search = "kiwi"}), 3);

    /* an item whose title changes leaves the index's old words behind */
    item_sink_init(&s);
    push(&s, "mid", "A plum pie", 100000 + 3500);
    commit(st, a, &s, NULL, NULL);
    item_sink_free(&s);
    assert_int_equal(search(st, &all, "kiwi", neu, 0, 1, &pos), old);
    assert_int_equal(search(st, &all, "plum", 0, 1, 1, &pos), mid);
    assert_int_equal(count_items(st, &(struct item_query){.search = "kiwi"}), 2);
    /* a deleted item leaves it too */
    struct error err = {{0}};
    int64_t purged = 0;
    sql_exec(st, "UPDATE items SET read = 1, read_at = 1, first_seen = 1 WHERE guid = 'old'");
    assert_int_equal(store_purge_old(st, 1, &purged, &err), 0);
    assert_int_equal(search(st, &all, "kiwi", neu, 0, 1, &pos), 0);
    assert_int_equal(count_items(st, &(struct item_query){.search = "kiwi"}), 1);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH 'harvest'"), 0);
    /* a batch that names one guid twice (updated before its batch is indexed) and is trimmed in
     * its own commit leaves the index whole; the kept copy is found by its last text */
    item_sink_init(&s);
    push(&s, "dup", "first words", 100000 + 7000);
    push(&s, "dup", "second words", 100000 + 7000);
    push(&s, "gone", "quince trimmed", 10);
    store_set_retention(st, &(struct store_retention){.keep_items = 600});
    commit(st, a, &s, NULL, NULL);
    store_set_retention(st, &(struct store_retention){0});
    item_sink_free(&s);
    assert_int_equal(search(st, &all, "second words", 0, 1, 1, &pos), item_id_of(st, "dup"));
    assert_int_equal(search(st, &all, "first words", 0, 1, 1, &pos), 0);
    assert_int_equal(search(st, &all, "quince", 0, 1, 1, &pos), 0);
    /* an imported list's detached copies are indexed too */
    struct item it;
    item_init(&it);
    it.guid = "imp";
    it.title = "Persimmon import";
    it.url = "https://x.example/imp";
    it.published = 100000 + 8000;
    size_t added = 0, inserted = 0;
    assert_int_equal(lists_import(st, "from outside", &it, 1, &added, &inserted, &err), 0);
    assert_int_equal(search(st, &all, "persimmon", 0, 1, 1, &pos), item_id_of(st, "imp"));
    /* and the index agrees with its table */
    sql_exec(st, "INSERT INTO items_fts(items_fts, rank) VALUES('integrity-check', 1)");
    (void)old;
    store_close(st);
}

/* Commits n items to feed in one transaction: guids "<prefix><i>", one title, dates from t0 on. */
static void commit_n(struct store *st, int64_t feed, const char *prefix, const char *title, int n, int64_t t0)
{
    struct item_sink s;
    item_sink_init(&s);
    char guid[64];
    for (int i = 0; i < n; i++) {
        snprintf(guid, sizeof guid, "%s%d", prefix, i);
        push(&s, guid, title, t0 + i);
    }
    commit(st, feed, &s, NULL, NULL);
    item_sink_free(&s);
}

static int64_t fts_hits(struct store *st, const char *word)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH '%s'", word);
    return sql_int(st, sql);
}

/* A blocking refresh's rows go into the text index in groups (store_int.h): across transactions
 * they wait (recorded in meta), a group's worth goes in at once, the rest at the catch-up; a
 * writer that does not group takes waiting rows in with its own, and so does the first write
 * after a crash; nothing is indexed twice (FTS5's integrity check). */
static void test_text_index_groups(void **state)
{
    (void)state;
    char path[512];
    struct error err = {{0}};
    struct store *st = open_fresh(path, sizeof path);
    int64_t a = add_feed(st, "https://a.example/feed", "A", NULL);
    int64_t b = add_feed(st, "https://b.example/feed", "B", NULL);
    store_fts_group(st, 1);
    char prefix[16];
    for (int t = 0; t < 3; t++) {   /* three transactions, as a refresh's batches */
        snprintf(prefix, sizeof prefix, "a%d-", t);
        commit_n(st, a, prefix, "Grouped apricot", 10, 1000 + t * 10);
    }
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM items"), 30);
    assert_int_equal(fts_hits(st, "apricot"), 0);   /* they wait */
    assert_int_equal(sql_int(st, "SELECT value FROM meta WHERE key = 'fts_from'"), item_id_of(st, "a0-0"));

    /* another writer, not grouping (here a second connection), takes them in with its own */
    struct store *other = store_open(path, &err);
    assert_non_null(other);
    commit_n(other, b, "b", "Other blueberry", 1, 5000);
    assert_int_equal(fts_hits(other, "apricot"), 30);
    assert_int_equal(fts_hits(other, "blueberry"), 1);
    assert_int_equal(sql_int(other, "SELECT COUNT(*) FROM meta WHERE key = 'fts_from'"), 0);
    store_close(other);

    /* the grouping writer goes on: only its new rows wait now */
    commit_n(st, a, "a9-", "Late cherry", 1, 6000);
    assert_int_equal(fts_hits(st, "cherry"), 0);
    store_fts_group(st, 0);
    assert_int_equal(store_fts_catch_up(st, &err), 0);
    assert_int_equal(fts_hits(st, "cherry"), 1);
    assert_int_equal(fts_hits(st, "apricot"), 30);

    /* a group's worth goes in without waiting for the end */
    store_fts_group(st, 1);
    commit_n(st, a, "many", "Many damson", 20000, 10000);
    assert_int_equal(fts_hits(st, "damson"), 20000);

    /* a refresh that stops half-way (a crash: no catch-up) leaves its rows waiting, and the next
     * transaction of anyone takes them in */
    commit_n(st, a, "crash", "Stranded elderberry", 1, 90000);
    store_close(st);
    st = store_open(path, &err);
    assert_non_null(st);
    assert_int_equal(fts_hits(st, "elderberry"), 0);
    commit_n(st, b, "next", "Next fig", 1, 91000);
    assert_int_equal(fts_hits(st, "elderberry"), 1);
    assert_int_equal(fts_hits(st, "fig"), 1);
    sql_exec(st, "INSERT INTO items_fts(items_fts, rank) VALUES('integrity-check', 1)");
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM items_fts_docsize"),
                     sql_int(st, "SELECT COUNT(*) FROM items"));
    store_close(st);
}

/* A new database has 16 KiB pages (store.c); one made with SQLite's 4 KiB keeps them and works. */
static void test_page_size(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    assert_int_equal(sql_int(st, "PRAGMA page_size"), 16384);
    /* and its text index merges sixteen segments at a time (schema.c, 13) */
    assert_int_equal(sql_int(st, "SELECT v FROM items_fts_config WHERE k = 'automerge'"), 16);
    store_close(st);
    db_path(path, sizeof path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA page_size = 4096; CREATE TABLE t(x); DROP TABLE t;", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    struct error err = {{0}};
    st = store_open(path, &err);
    assert_non_null(st);
    assert_int_equal(sql_int(st, "PRAGMA page_size"), 4096);
    int64_t f = add_feed(st, "https://a.example/feed", "A", NULL);
    struct item_sink s;
    item_sink_init(&s);
    push_n(&s, "p", 0, 50, 1000);
    assert_int_equal(commit(st, f, &s, NULL, NULL), 50);
    item_sink_free(&s);
    check_counts(st);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_follow_every_write),
        cmocka_unit_test(test_key_paging_equal_dates),
        cmocka_unit_test(test_far_offsets),
        cmocka_unit_test(test_text_index),
        cmocka_unit_test(test_text_index_groups),
        cmocka_unit_test(test_page_size),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
