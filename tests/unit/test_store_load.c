/* SPDX-License-Identifier: ISC */
/* Store tests under load: two processes on one database, and volumes (300 feeds x 30 items, 100k
 * items).  Timings are printed for people and bench/; the assertions are about results and query
 * plans, never about time, except that a blocked writer really waited. */
#include "store_testutil.h"

#include <sys/wait.h>

/* ---- two processes ---- */

static void test_busy_fails_clearly(void **state)
{
    (void)state;
    char path[512];
    struct store *a = open_fresh(path, sizeof path);
    struct error err = {{0}};
    struct store *b = store_open(path, &err);
    assert_non_null(b);
    int64_t f = add_feed(a, "https://a.example/feed", NULL, NULL);

    sql_exec(a, "BEGIN IMMEDIATE");
    store_set_busy_timeout(b, 50);
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "g1", "One", 1000);
    double t0 = now_ms();
    assert_int_equal(store_feed_commit(b, f, &s, NULL, NULL, NULL, &err), -1);
    double waited = now_ms() - t0;
    assert_string_equal(err.msg, "database is busy (another winnow is writing); try again");
    assert_true(waited >= 40);
    assert_int_equal(store_item_set_read(b, 1, 1, &err), -1);
    assert_string_equal(err.msg, "database is busy (another winnow is writing); try again");
    /* Readers are not blocked by a writer in WAL mode. */
    assert_int_equal(count_items(b, NULL), 0);
    sql_exec(a, "ROLLBACK");

    assert_int_equal(store_feed_commit(b, f, &s, NULL, NULL, NULL, &err), 0);
    item_sink_free(&s);
    assert_int_equal(count_items(a, NULL), 1);
    store_close(b);
    store_close(a);
}

static void test_busy_waits_for_other_process(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", NULL, NULL);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct error cerr = {{0}};
        struct store *c = store_open(path, &cerr);
        if (!c || sqlite3_exec(store_db(c), "BEGIN IMMEDIATE; UPDATE feeds SET kind = 'held'",
                               NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        if (write(fds[1], "x", 1) != 1) _exit(1);
        usleep(300 * 1000);
        sqlite3_exec(store_db(c), "COMMIT", NULL, NULL, NULL);
        store_close(c);
        _exit(0);
    }
    close(fds[1]);
    char ch;
    assert_int_equal(read(fds[0], &ch, 1), 1);
    close(fds[0]);

    struct error err = {{0}};
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "g1", "One", 1000);
    double t0 = now_ms();
    int rc = store_feed_commit(st, f, &s, NULL, NULL, NULL, &err);
    double waited = now_ms() - t0;
    item_sink_free(&s);
    int status = 0;
    waitpid(pid, &status, 0);
    if (rc != 0) fail_msg("commit while another process wrote: %s", err.msg);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    printf("# commit waited %.0f ms for the other writer\n", waited);
    assert_true(waited >= 150);
    char kind[32];
    sql_text(st, "SELECT kind FROM feeds", kind, sizeof kind);
    assert_string_equal(kind, "held");
    assert_int_equal(count_items(st, NULL), 1);
    store_close(st);
}

/* ---- volume: these print timings (bench/ judges them) and check the results are right ---- */

static void fill_batch(struct item_sink *s, int feed, int n, int round, int64_t base)
{
    char guid[64], title[128];
    for (int i = 0; i < n; i++) {
        snprintf(guid, sizeof guid, "https://f%d.example/post/%d", feed, i);
        snprintf(title, sizeof title, "Post %d of feed %d, round %d", i, feed, round);
        struct item it;
        item_init(&it);
        it.guid = guid;
        it.url = guid;
        it.title = title;
        it.summary = "A paragraph of text that stands for the summary of a typical post in a feed.";
        it.author = "Writer";
        it.published = base + (int64_t)feed * n + i;
        it.platform = "rss";
        item_sink_push(s, &it);
    }
}

static void test_commit_300_feeds_by_30(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    enum { FEEDS = 300, PER = 30 };
    int64_t ids[FEEDS];
    char url[128];
    for (int f = 0; f < FEEDS; f++) {
        snprintf(url, sizeof url, "https://f%d.example/feed", f);
        ids[f] = add_feed(st, url, NULL, NULL);
    }
    /* Parse once; the rounds time the store only. */
    static struct item_sink batches[FEEDS][2];
    for (int f = 0; f < FEEDS; f++) {
        for (int r = 0; r < 2; r++) {
            item_sink_init(&batches[f][r]);
            item_sink_meta(&batches[f][r], "A feed", "https://example.org/", NULL);
            fill_batch(&batches[f][r], f, PER, r, 1600000000);
        }
    }
    const char *what[] = {"first (all new)", "again (unchanged)", "again (all retitled)",
                          "again (unchanged)"};
    const int use[] = {0, 0, 1, 1};
    for (int round = 0; round < 4; round++) {
        double t0 = now_ms();
        int total_new = 0;
        for (int f = 0; f < FEEDS; f++) total_new += commit(st, ids[f], &batches[f][use[round]], "\"e\"", NULL);
        double ms = now_ms() - t0;
        printf("# store_feed_commit 300 feeds x 30 items, %s: %.1f ms\n", what[round], ms);
        assert_int_equal(total_new, round == 0 ? FEEDS * PER : 0);
    }
    assert_int_equal(count_items(st, NULL), FEEDS * PER);
    char t[128];
    sql_text(st, "SELECT title FROM items WHERE guid = 'https://f7.example/post/3'", t, sizeof t);
    assert_string_equal(t, "Post 3 of feed 7, round 1");
    for (int f = 0; f < FEEDS; f++)
        for (int r = 0; r < 2; r++) item_sink_free(&batches[f][r]);
    store_close(st);
}

static int plan_has(struct store *st, const char *sql, const char *needle)
{
    char q[2048];
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), q, -1, &s, NULL), SQLITE_OK);
    int found = 0;
    while (sqlite3_step(s) == SQLITE_ROW)
        if (strstr((const char *)sqlite3_column_text(s, 3), needle)) found = 1;
    sqlite3_finalize(s);
    return found;
}

static void time_page(struct store *st, const char *label, const struct item_query *q, size_t expect)
{
    struct item_sink s;
    double best = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        item_sink_init(&s);
        double t0 = now_ms();
        struct error err = {{0}};
        assert_int_equal(store_items(st, q, &s, &err), 0);
        double ms = now_ms() - t0;
        if (ms < best) best = ms;
        assert_int_equal(s.n, expect);
        for (size_t i = 1; i < s.n; i++) assert_true(s.items[i - 1].published >= s.items[i].published);
        item_sink_free(&s);
    }
    printf("# first page (limit %lld) of 100k items, %s: %.2f ms\n", (long long)q->limit, label, best);
}

static void test_100k_items_first_page(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    enum { FEEDS = 100, PER = 1000 };
    char url[128];
    double t0 = now_ms();
    int64_t first = 0;
    for (int f = 0; f < FEEDS; f++) {
        snprintf(url, sizeof url, "https://f%d.example/feed", f);
        int64_t id = add_feed(st, url, NULL, f % 2 ? "odd" : "even");
        if (!first) first = id;
        struct item_sink s;
        item_sink_init(&s);
        fill_batch(&s, f, PER, 0, 1500000000);
        assert_int_equal(commit(st, id, &s, NULL, NULL), PER);
        item_sink_free(&s);
    }
    printf("# inserting 100k items (100 commits of 1000): %.0f ms\n", now_ms() - t0);
    sql_exec(st, "UPDATE items SET read = 1 WHERE id % 3 = 0");
    sql_exec(st, "UPDATE items SET starred = 1 WHERE id % 997 = 0");

    time_page(st, "all", &(struct item_query){.limit = 200}, 200);
    time_page(st, "one feed", &(struct item_query){.limit = 200, .feed_id = first + 50}, 200);
    time_page(st, "unread", &(struct item_query){.limit = 200, .unread_only = 1}, 200);
    time_page(st, "one feed, unread", &(struct item_query){.limit = 200, .feed_id = first + 7,
                                                           .unread_only = 1}, 200);
    time_page(st, "starred", &(struct item_query){.limit = 200, .starred_only = 1}, 100);
    time_page(st, "tag", &(struct item_query){.limit = 200, .tag = "odd"}, 200);
    time_page(st, "search", &(struct item_query){.limit = 200, .search = "feed 42,"}, 200);
    time_page(st, "offset 10000", &(struct item_query){.limit = 200, .offset = 10000}, 200);

    /* The page query walks an index in order: no sort of the whole table. */
    const char *page_sql = "SELECT i.id FROM items i LEFT JOIN feeds f ON f.id = i.feed_id WHERE 1 "
                           "ORDER BY i.sort_key DESC, i.id DESC LIMIT 200";
    assert_false(plan_has(st, page_sql, "TEMP B-TREE"));
    assert_true(plan_has(st, page_sql, "items_sort"));
    const char *feed_sql = "SELECT i.id FROM items i LEFT JOIN feeds f ON f.id = i.feed_id WHERE 1 "
                           "AND i.feed_id = 5 ORDER BY i.sort_key DESC, i.id DESC LIMIT 200";
    assert_false(plan_has(st, feed_sql, "TEMP B-TREE"));
    const char *unread_sql = "SELECT i.id FROM items i LEFT JOIN feeds f ON f.id = i.feed_id WHERE 1 "
                             "AND i.read = 0 ORDER BY i.sort_key DESC, i.id DESC LIMIT 200";
    assert_false(plan_has(st, unread_sql, "TEMP B-TREE"));
    const char *feed_unread_sql = "SELECT i.id FROM items i LEFT JOIN feeds f ON f.id = i.feed_id "
                                  "WHERE 1 AND i.feed_id = 5 AND i.read = 0 "
                                  "ORDER BY i.sort_key DESC, i.id DESC LIMIT 200";
    assert_false(plan_has(st, feed_unread_sql, "TEMP B-TREE"));

    struct error err = {{0}};
    t0 = now_ms();
    int64_t n = store_items_count(st, &(struct item_query){0}, &err);
    printf("# store_items_count, all: %.2f ms\n", now_ms() - t0);
    assert_int_equal(n, FEEDS * PER);
    t0 = now_ms();
    n = store_items_count(st, &(struct item_query){.unread_only = 1}, &err);
    printf("# store_items_count, unread: %.2f ms\n", now_ms() - t0);
    assert_int_equal(n, FEEDS * PER - FEEDS * PER / 3);
    t0 = now_ms();
    n = store_items_count(st, &(struct item_query){.tag = "odd"}, &err);
    printf("# store_items_count, tag: %.2f ms\n", now_ms() - t0);
    assert_int_equal(n, FEEDS * PER / 2);

    struct feed_row *rows;
    size_t nrows;
    t0 = now_ms();
    assert_int_equal(store_feeds(st, &rows, &nrows, &err), 0);
    printf("# store_feeds with counts over 100k items: %.2f ms\n", now_ms() - t0);
    assert_int_equal(nrows, FEEDS);
    int64_t total = 0;
    for (size_t i = 0; i < nrows; i++) total += rows[i].total;
    assert_int_equal(total, FEEDS * PER);
    store_feed_rows_free(rows, nrows);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_busy_fails_clearly),
        cmocka_unit_test(test_busy_waits_for_other_process),
        cmocka_unit_test(test_commit_300_feeds_by_30),
        cmocka_unit_test(test_100k_items_first_page),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
