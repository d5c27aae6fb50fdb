/* SPDX-License-Identifier: ISC */
/* Store tests: what a user would see after each operation (counts, titles, flags, messages), each
 * on a fresh database in one temporary directory. */
#include "store_testutil.h"
#include "../../src/store/store_int.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* ---- opening ---- */

static void test_open_creates_private_wal_v1(void **state)
{
    (void)state;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/open/deeper", tmpdir);
    snprintf(path, sizeof path, "%s/winnow.db", dir);
    struct error err = {{0}};
    struct store *st = store_open(path, &err);
    assert_non_null(st);

    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    char parent[600];
    snprintf(parent, sizeof parent, "%s/open", tmpdir);
    assert_int_equal(stat(parent, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);

    char mode[32];
    sql_text(st, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(sql_int(st, "PRAGMA synchronous"), 1);      /* NORMAL */
    assert_int_equal(sql_int(st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(sql_int(st, "PRAGMA busy_timeout"), 5000);
    assert_int_equal(sql_int(st, "PRAGMA temp_store"), 2);      /* MEMORY: no statement journals in /var/tmp */
    assert_int_equal(store_schema_version(st), store_migrations_n);
    assert_int_equal(sql_int(st, "PRAGMA user_version"), store_migrations_n);

    /* The WAL file SQLite creates beside it takes the database's permissions. */
    add_feed(st, "https://example.org/feed", NULL, NULL);
    char wal[640];
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(stat(wal, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    store_close(st);

    /* Reopening migrates nothing and seeds nothing twice. */
    for (int i = 0; i < 2; i++) {
        st = store_open(path, &err);
        assert_non_null(st);
        assert_int_equal(store_schema_version(st), store_migrations_n);
        assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM lists"), 2);
        assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM feeds"), 1);
        store_close(st);
    }
}

static void test_open_errors(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 200; i++) fputs("this is not sqlite at all\n", f);
    fclose(f);
    struct error err = {{0}};
    assert_null(store_open(path, &err));
    assert_non_null(strstr(err.msg, "not a database"));
    assert_non_null(strstr(err.msg, path));

    /* A database from a newer winnow is refused, not damaged. */
    char p2[512];
    struct store *st = open_fresh(p2, sizeof p2);
    sql_exec(st, "PRAGMA user_version = 42");
    store_close(st);
    assert_null(store_open(p2, &err));
    assert_non_null(strstr(err.msg, "newer"));

    assert_null(store_open("", &err));
    assert_null(store_open("/proc/no/such/dir/winnow.db", &err));
    assert_non_null(strstr(err.msg, "cannot create directory"));
}

static void test_lists_seeded(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    char name[64];
    sql_text(st, "SELECT name FROM lists ORDER BY position LIMIT 1", name, sizeof name);
    assert_string_equal(name, "keep");
    sql_text(st, "SELECT name FROM lists ORDER BY position LIMIT 1 OFFSET 1", name, sizeof name);
    assert_string_equal(name, "watch later");
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM lists"), 2);
    store_close(st);
}

/* ---- feeds ---- */

static void test_feed_add_get(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    struct error err = {{0}};
    int64_t a = add_feed(st, "https://a.example/feed.xml", NULL, " news , tech,,");
    int64_t b = add_feed(st, "https://b.example/atom", "Bee", NULL);
    assert_true(a > 0 && b > a);

    assert_int_equal(store_feed_add(st, "https://a.example/feed.xml", NULL, NULL, NULL, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "already subscribed"));
    assert_int_equal(store_feed_add(st, "", NULL, NULL, NULL, NULL, &err), -1);

    struct feed_row r;
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)a);
    assert_int_equal(store_feed_get(st, idbuf, &r, &err), 0);
    assert_string_equal(r.url, "https://a.example/feed.xml");
    assert_string_equal(r.kind, "rss");
    assert_null(r.title);
    assert_string_equal(r.tags, "news,tech");
    assert_int_equal(r.total, 0);
    assert_int_equal(r.last_fetch, 0);
    store_feed_row_free(&r);

    assert_int_equal(store_feed_get(st, "https://b.example/atom", &r, &err), 0);
    assert_int_equal(r.id, b);
    assert_string_equal(r.title, "Bee");
    store_feed_row_free(&r);

    assert_int_equal(store_feed_get(st, "https://nope.example/", &r, &err), -1);
    assert_string_equal(err.msg, "no feed matches https://nope.example/");
    assert_int_equal(store_feed_get(st, "999", &r, &err), -1);
    assert_string_equal(err.msg, "no feed matches 999");

    /* Ordered by title, untitled feeds by URL. */
    struct feed_row *rows;
    size_t n;
    assert_int_equal(store_feeds(st, &rows, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].title, "Bee");
    assert_int_equal(rows[1].id, a);
    store_feed_rows_free(rows, n);
    store_close(st);
}

static void test_commit_inserts_then_upserts(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", NULL, NULL);

    struct item_sink s;
    item_sink_init(&s);
    item_sink_meta(&s, "The Feed", "https://a.example/", "rss2.0");
    push(&s, "g1", "One", 1000);
    push(&s, "g2", "Two", 2000);
    push(&s, "g3", "Three", 3000);
    assert_int_equal(commit(st, f, &s, NULL, NULL), 3);
    item_sink_free(&s);

    struct error err = {{0}};
    struct feed_row r;
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    assert_string_equal(r.title, "The Feed");
    assert_string_equal(r.site_url, "https://a.example/");
    assert_int_equal(r.total, 3);
    assert_int_equal(r.unread, 3);
    assert_true(r.last_success > 0 && r.last_fetch == r.last_success);
    store_feed_row_free(&r);

    int64_t g1 = item_id_of(st, "g1");
    assert_int_equal(store_item_set_read(st, g1, 1, &err), 0);
    assert_int_equal(store_item_set_starred(st, g1, 1, &err), 0);
    int64_t first_seen = sql_int(st, "SELECT first_seen FROM items WHERE guid = 'g1'");

    /* Same guids again, one retitled, one new, one repeated within the batch. */
    item_sink_init(&s);
    item_sink_meta(&s, "The Feed, renamed", NULL, NULL);
    push(&s, "g1", "One (edited)", 1000);
    push(&s, "g2", "Two", 2000);
    push(&s, "g4", "Four", 4000);
    push(&s, "g4", "Four again", 4000);
    assert_int_equal(commit(st, f, &s, NULL, NULL), 1);
    item_sink_free(&s);

    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM items WHERE guid = 'g1'"), 1);
    assert_int_equal(count_items(st, NULL), 4);
    item_sink_init(&s);
    assert_int_equal(store_item_get(st, g1, &s, &err), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].title, "One (edited)");
    assert_int_equal(s.items[0].read, 1);
    assert_int_equal(s.items[0].starred, 1);
    assert_int_equal(s.items[0].feed_id, f);
    assert_string_equal(s.items[0].feed_title, "The Feed, renamed");
    item_sink_free(&s);
    assert_int_equal(sql_int(st, "SELECT first_seen FROM items WHERE guid = 'g1'"), first_seen);
    char t[64];
    sql_text(st, "SELECT title FROM items WHERE guid = 'g4'", t, sizeof t);
    assert_string_equal(t, "Four again");

    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    assert_string_equal(r.site_url, "https://a.example/");   /* kept: the batch had no link */
    assert_int_equal(r.total, 4);
    assert_int_equal(r.unread, 3);
    store_feed_row_free(&r);

    /* A changed date moves the item; an unknown one falls back to when it was first seen. */
    item_sink_init(&s);
    push(&s, "g2", "Two", 9000);
    push(&s, "g3", "Three", -1);
    assert_int_equal(commit(st, f, &s, NULL, NULL), 0);
    item_sink_free(&s);
    query(st, &(struct item_query){.limit = 2}, &s);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.items[0].guid, "g3");                /* first_seen: now */
    assert_int_equal(s.items[0].published, -1);
    assert_string_equal(s.items[1].guid, "g2");
    item_sink_free(&s);
    assert_int_equal(sql_int(st, "SELECT sort_key FROM items WHERE guid = 'g2'"), 9000);
    assert_int_equal(sql_int(st, "SELECT sort_key = first_seen FROM items WHERE guid = 'g3'"), 1);

    /* An empty batch is a successful refresh with nothing in it. */
    item_sink_init(&s);
    assert_int_equal(commit(st, f, &s, NULL, NULL), 0);
    item_sink_free(&s);
    assert_int_equal(count_items(st, NULL), 4);

    assert_int_equal(store_feed_commit(st, 999, NULL, NULL, NULL, NULL, &err), -1);
    assert_string_equal(err.msg, "no feed with id 999");
    assert_int_equal(store_item_set_read(st, 12345, 1, &err), -1);
    assert_string_equal(err.msg, "no item with id 12345");
    store_close(st);
}

static void test_user_title_kept(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", "My name for it", NULL);
    struct item_sink s;
    item_sink_init(&s);
    item_sink_meta(&s, "Their name", NULL, NULL);
    push(&s, "g1", "One", 1000);
    commit(st, f, &s, NULL, NULL);
    item_sink_free(&s);
    struct error err = {{0}};
    struct feed_row r;
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    assert_string_equal(r.title, "My name for it");
    store_feed_row_free(&r);
    store_close(st);
}

static void test_failed_refresh_keeps_items(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", NULL, NULL);
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "g1", "One", 1000);
    push(&s, "g2", "Two", 2000);
    commit(st, f, &s, "\"e1\"", NULL);
    item_sink_free(&s);

    struct error err = {{0}};
    struct feed_row r;
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    int64_t success = r.last_success;
    store_feed_row_free(&r);

    assert_int_equal(store_feed_failed(st, f, "feed https://a.example/feed: HTTP 500", &err), 0);
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    assert_string_equal(r.last_error, "feed https://a.example/feed: HTTP 500");
    assert_int_equal(r.total, 2);
    assert_int_equal(r.last_success, success);
    assert_string_equal(r.etag, "\"e1\"");
    store_feed_row_free(&r);

    assert_int_equal(store_feed_unchanged(st, f, &err), 0);
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    assert_null(r.last_error);
    assert_int_equal(r.total, 2);
    assert_string_equal(r.etag, "\"e1\"");
    store_feed_row_free(&r);

    assert_int_equal(store_feed_failed(st, f, "again", &err), 0);
    item_sink_init(&s);
    commit(st, f, &s, NULL, NULL);
    item_sink_free(&s);
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    assert_null(r.last_error);
    store_feed_row_free(&r);

    assert_int_equal(store_feed_failed(st, 999, "x", &err), -1);
    assert_int_equal(store_feed_unchanged(st, 999, &err), -1);
    store_close(st);
}

static void test_validators_replaced(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", NULL, NULL);
    struct item_sink s;
    item_sink_init(&s);
    commit(st, f, &s, "W/\"abc\"", "Wed, 21 Oct 2015 07:28:00 GMT");
    struct error err = {{0}};
    struct feed_row r;
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    assert_string_equal(r.etag, "W/\"abc\"");
    assert_string_equal(r.last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
    store_feed_row_free(&r);

    commit(st, f, &s, "\"def\"", NULL);
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    assert_string_equal(r.etag, "\"def\"");
    assert_null(r.last_modified);
    store_feed_row_free(&r);
    item_sink_free(&s);
    store_close(st);
}

static void test_remove_keeps_listed_and_starred(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", NULL, NULL);
    int64_t other = add_feed(st, "https://b.example/feed", NULL, NULL);
    struct item_sink s;
    item_sink_init(&s);
    item_sink_meta(&s, "Alpha Feed", NULL, NULL);
    push(&s, "starred", "S", 1000);
    push(&s, "listed", "L", 2000);
    push(&s, "plain", "P", 3000);
    push(&s, "played", "M", 4000);
    commit(st, f, &s, NULL, NULL);
    item_sink_free(&s);
    item_sink_init(&s);
    push(&s, "other", "O", 5000);
    commit(st, other, &s, NULL, NULL);
    item_sink_free(&s);

    struct error err = {{0}};
    assert_int_equal(store_item_set_starred(st, item_id_of(st, "starred"), 1, &err), 0);
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO list_items(list_id, item_id, position, added_at) "
             "SELECT id, %lld, 1, 0 FROM lists WHERE name = 'keep'", (long long)item_id_of(st, "listed"));
    sql_exec(st, sql);
    assert_int_equal(store_position_set(st, item_id_of(st, "played"), 42, &err), 0);

    assert_int_equal(store_feed_remove(st, f, &err), 0);
    struct feed_row r;
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), -1);
    assert_int_equal(count_items(st, NULL), 3);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM positions"), 0);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM list_items"), 1);

    query(st, &(struct item_query){0}, &s);
    assert_int_equal(s.n, 3);
    const struct item *it = find_guid(&s, "starred");
    assert_non_null(it);
    assert_int_equal(it->feed_id, 0);
    assert_string_equal(it->feed_title, "Alpha Feed");
    it = find_guid(&s, "listed");
    assert_non_null(it);
    assert_int_equal(it->feed_id, 0);
    assert_string_equal(it->feed_title, "Alpha Feed");
    assert_null(find_guid(&s, "plain"));
    assert_non_null(find_guid(&s, "other"));
    item_sink_free(&s);

    /* Subscribing again starts clean; the kept copies stay apart from the new ones. */
    int64_t again = add_feed(st, "https://a.example/feed", NULL, NULL);
    item_sink_init(&s);
    push(&s, "starred", "S", 1000);
    assert_int_equal(commit(st, again, &s, NULL, NULL), 1);
    item_sink_free(&s);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM items WHERE guid = 'starred'"), 2);

    assert_int_equal(store_feed_remove(st, 999, &err), -1);
    assert_string_equal(err.msg, "no feed with id 999");
    store_close(st);
}

/* ---- queries ---- */

static void test_item_queries(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t a = add_feed(st, "https://a.example/feed", "A", "news,tech");
    int64_t b = add_feed(st, "https://b.example/feed", "B", "technology");
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "a1", "50% off everything", 100);
    push(&s, "a2", "500 off nothing", 200);
    push(&s, "a3", "snake_case names", 300);
    push(&s, "a4", "snakeXcase names", 400);
    push(&s, "a5", "Back\\slash", 500);
    commit(st, a, &s, NULL, NULL);
    item_sink_free(&s);
    item_sink_init(&s);
    push(&s, "b1", "Bee one", 150);
    push(&s, "b2", "bee TWO", 250);
    push(&s, "b3", "undated", -1);   /* sorts by first seen: now, newest of all */
    commit(st, b, &s, NULL, NULL);
    item_sink_free(&s);

    /* Newest first; ties broken by id, newest row first. */
    query(st, &(struct item_query){0}, &s);
    assert_int_equal(s.n, 8);
    const char *order[] = {"b3", "a5", "a4", "a3", "b2", "a2", "b1", "a1"};
    for (size_t i = 0; i < 8; i++) assert_string_equal(s.items[i].guid, order[i]);
    assert_int_equal(s.items[0].published, -1);
    assert_int_equal(s.items[1].published, 500);
    assert_string_equal(s.items[1].feed_title, "A");
    assert_string_equal(s.items[0].feed_title, "B");
    assert_string_equal(s.items[1].summary, "summary text");
    assert_true(s.items[1].id > 0);
    item_sink_free(&s);

    struct item_query q = {.feed_id = b};
    assert_int_equal(count_items(st, &q), 3);
    query(st, &q, &s);
    assert_int_equal(s.n, 3);
    for (size_t i = 0; i < s.n; i++) assert_int_equal(s.items[i].feed_id, b);
    item_sink_free(&s);

    /* "tech" is a whole tag of A only, not a prefix of B's "technology". */
    q = (struct item_query){.tag = "tech"};
    assert_int_equal(count_items(st, &q), 5);
    q = (struct item_query){.tag = "technology"};
    assert_int_equal(count_items(st, &q), 3);
    q = (struct item_query){.tag = "tech%"};
    assert_int_equal(count_items(st, &q), 0);
    q = (struct item_query){.tag = "news"};
    assert_int_equal(count_items(st, &q), 5);

    /* % and _ in a search are literal characters. */
    q = (struct item_query){.search = "50%"};
    query(st, &q, &s);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].guid, "a1");
    item_sink_free(&s);
    /* a search starts at a word (the full-text index): "e_c" inside snake_case is no match */
    q = (struct item_query){.search = "e_c"};
    assert_int_equal(count_items(st, &q), 0);
    q = (struct item_query){.search = "snake_c"};
    query(st, &q, &s);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].guid, "a3");
    item_sink_free(&s);
    q = (struct item_query){.search = "back\\s"};
    assert_int_equal(count_items(st, &q), 1);
    q = (struct item_query){.search = "BEE"};                 /* ASCII case-insensitive */
    assert_int_equal(count_items(st, &q), 2);
    q = (struct item_query){.search = "summary"};             /* matches the summary too */
    assert_int_equal(count_items(st, &q), 8);

    struct error err = {{0}};
    assert_int_equal(store_item_set_read(st, item_id_of(st, "a5"), 1, &err), 0);
    assert_int_equal(store_item_set_read(st, item_id_of(st, "b3"), 1, &err), 0);
    assert_int_equal(store_item_set_starred(st, item_id_of(st, "a2"), 1, &err), 0);
    q = (struct item_query){.unread_only = 1};
    query(st, &q, &s);
    assert_int_equal(s.n, 6);
    assert_string_equal(s.items[0].guid, "a4");
    item_sink_free(&s);
    q = (struct item_query){.starred_only = 1};
    query(st, &q, &s);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].guid, "a2");
    assert_int_equal(s.items[0].starred, 1);
    item_sink_free(&s);
    q = (struct item_query){.unread_only = 1, .feed_id = b, .search = "bee"};
    assert_int_equal(count_items(st, &q), 2);

    /* Pages. */
    q = (struct item_query){.limit = 3, .offset = 2};
    query(st, &q, &s);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.items[0].guid, "a4");
    assert_string_equal(s.items[2].guid, "b2");
    item_sink_free(&s);
    q = (struct item_query){.limit = 3, .offset = 7};
    query(st, &q, &s);
    assert_int_equal(s.n, 1);
    item_sink_free(&s);

    /* A list gives its items in list order, whatever their dates. */
    int64_t keep = sql_int(st, "SELECT id FROM lists WHERE name = 'keep'");
    char sql[256];
    const char *listed[] = {"a1", "b2", "a4"};
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO list_items(list_id, item_id, position, added_at) "
                 "VALUES(%lld, %lld, %d, 0)", (long long)keep, (long long)item_id_of(st, listed[i]), i + 1);
        sql_exec(st, sql);
    }
    q = (struct item_query){.list_id = keep};
    query(st, &q, &s);
    assert_int_equal(s.n, 3);
    for (int i = 0; i < 3; i++) assert_string_equal(s.items[i].guid, listed[i]);
    item_sink_free(&s);
    assert_int_equal(count_items(st, &q), 3);
    q = (struct item_query){.list_id = keep, .feed_id = a};
    assert_int_equal(count_items(st, &q), 2);

    /* Marking read by feed and for all. */
    assert_int_equal(store_feed_mark_read(st, a, &err), 0);
    q = (struct item_query){.unread_only = 1};
    assert_int_equal(count_items(st, &q), 2);
    assert_int_equal(store_feed_mark_read(st, 0, &err), 0);
    assert_int_equal(count_items(st, &q), 0);

    struct feed_row *rows;
    size_t n;
    assert_int_equal(store_feeds(st, &rows, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].total, 5);
    assert_int_equal(rows[1].total, 3);
    assert_int_equal(rows[0].unread + rows[1].unread, 0);
    store_feed_rows_free(rows, n);

    assert_int_equal(store_item_get(st, 99999, &s, &err), -1);
    assert_string_equal(err.msg, "no item with id 99999");
    store_close(st);
}

static void test_item_fields_round_trip(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://v.example/", NULL, NULL);
    struct item_sink s;
    item_sink_init(&s);
    struct item it;
    item_init(&it);
    it.guid = "yt:abc";
    it.title = "A video";
    it.author = "Someone";
    it.author_handle = "@someone";
    it.author_url = "https://v.example/@someone";
    it.url = "https://v.example/watch?v=abc";
    it.published = 1700000000;
    it.updated = 1700000100;
    it.summary = "line one\nline two";
    it.thumb_url = "https://v.example/t.jpg";
    it.thumb_w = 480;
    it.thumb_h = 360;
    it.media_url = "https://v.example/v.m3u8";
    it.media_type = "hls";
    it.media_duration = 610;
    it.media_size = 123456789;
    it.media_w = 1920;
    it.media_h = 1080;
    it.platform = "youtube";
    it.host = "v.example";
    it.author_bot = 1;
    it.labels = "ai-generated,sponsored";
    it.extra = "{\"views\":10}";
    item_sink_push(&s, &it);
    commit(st, f, &s, NULL, NULL);
    item_sink_free(&s);

    query(st, &(struct item_query){0}, &s);
    assert_int_equal(s.n, 1);
    const struct item *r = &s.items[0];
    assert_string_equal(r->guid, "yt:abc");
    assert_string_equal(r->author_handle, "@someone");
    assert_string_equal(r->summary, "line one\nline two");
    assert_int_equal(r->updated, 1700000100);
    assert_int_equal(r->thumb_w, 480);
    assert_int_equal(r->media_duration, 610);
    assert_int_equal(r->media_size, 123456789);
    assert_int_equal(r->media_h, 1080);
    assert_string_equal(r->media_type, "hls");
    assert_int_equal(r->author_bot, 1);
    assert_string_equal(r->labels, "ai-generated,sponsored");
    assert_string_equal(r->extra, "{\"views\":10}");
    assert_string_equal(r->feed_title, "https://v.example/");    /* untitled feed: its URL */
    assert_int_equal(r->read, 0);
    item_sink_free(&s);
    store_close(st);
}

static void test_positions(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", NULL, NULL);
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "g1", "One", 1000);
    commit(st, f, &s, NULL, NULL);
    item_sink_free(&s);
    int64_t id = item_id_of(st, "g1");
    struct error err = {{0}};
    double sec = -1;
    assert_int_equal(store_position_get(st, id, &sec, &err), 0);
    assert_true(sec == 0);
    assert_int_equal(store_position_set(st, id, 12.5, &err), 0);
    assert_int_equal(store_position_get(st, id, &sec, &err), 0);
    assert_true(sec == 12.5);
    assert_int_equal(store_position_set(st, id, 30.25, &err), 0);
    assert_int_equal(store_position_get(st, id, &sec, &err), 0);
    assert_true(sec == 30.25);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM positions"), 1);
    assert_int_equal(store_position_set(st, 4242, 1, &err), -1);
    assert_string_equal(err.msg, "no item with id 4242");
    assert_int_equal(store_position_set(st, id, -3, &err), -1);
    store_close(st);
}

/* ---- atomicity ---- */

static void test_commit_rolls_back(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", NULL, NULL);
    struct item_sink s;
    item_sink_init(&s);
    item_sink_meta(&s, "Before", NULL, NULL);
    push(&s, "g1", "One", 1000);
    push(&s, "g2", "Two", 2000);
    commit(st, f, &s, "\"e1\"", NULL);
    item_sink_free(&s);
    struct error err = {{0}};
    assert_int_equal(store_feed_failed(st, f, "earlier failure", &err), 0);

    /* The third item has no guid, which only push_raw lets through: the insert fails part-way. */
    item_sink_init(&s);
    item_sink_meta(&s, "After", "https://a.example/", NULL);
    push(&s, "g1", "One changed", 1000);
    push(&s, "g3", "Three", 3000);
    struct item bad;
    item_init(&bad);
    bad.title = "no guid";
    item_sink_push_raw(&s, &bad);
    int fresh = 77;
    assert_int_equal(store_feed_commit(st, f, &s, "\"e2\"", "lm", &fresh, &err), -1);
    assert_int_equal(fresh, 0);
    assert_non_null(strstr(err.msg, "database /"));   /* names the file */
    assert_non_null(strstr(err.msg, "NOT NULL"));
    item_sink_free(&s);

    struct feed_row r;
    assert_int_equal(store_feed_get(st, "https://a.example/feed", &r, &err), 0);
    assert_string_equal(r.title, "Before");
    assert_null(r.site_url);
    assert_string_equal(r.etag, "\"e1\"");
    assert_null(r.last_modified);
    assert_string_equal(r.last_error, "earlier failure");
    assert_int_equal(r.total, 2);
    store_feed_row_free(&r);
    char t[64];
    sql_text(st, "SELECT title FROM items WHERE guid = 'g1'", t, sizeof t);
    assert_string_equal(t, "One");

    /* The handle is usable afterwards. */
    item_sink_init(&s);
    push(&s, "g3", "Three", 3000);
    assert_int_equal(commit(st, f, &s, NULL, NULL), 1);
    item_sink_free(&s);
    store_close(st);
}

struct tx_ctx {
    int64_t feed;
    int fail;
    struct error *err;
};

static int tx_body(struct store *st, void *p)
{
    struct tx_ctx *c = p;
    struct item_sink s;
    item_sink_init(&s);
    push(&s, "t1", "In a transaction", 10);
    int rc = store_feed_commit(st, c->feed, &s, NULL, NULL, NULL, c->err);
    item_sink_free(&s);
    if (rc != 0) return -1;
    if (c->fail) {
        error_set(c->err, "changed my mind");
        return -1;
    }
    return 0;
}

static void test_transaction_nests(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", NULL, NULL);
    struct error err = {{0}};
    struct tx_ctx c = {f, 1, &err};
    assert_int_equal(store_transaction(st, tx_body, &c, &err), -1);
    assert_string_equal(err.msg, "changed my mind");
    assert_int_equal(count_items(st, NULL), 0);
    c.fail = 0;
    assert_int_equal(store_transaction(st, tx_body, &c, &err), 0);
    assert_int_equal(count_items(st, NULL), 1);
    assert_int_equal(sqlite3_get_autocommit(store_db(st)), 1);
    store_close(st);
}

/* Writers take turns (turn.c): a writer that begins again right after its commit, as a refresh
 * does batch after batch, lets one that already waits go first.  Without the turn the waiting
 * process sleeps in SQLite's busy handler while the lock is taken again within microseconds.  The
 * waiting writer is a transaction (`winnow list add`) or a single statement outside one (the
 * reader marking an item read): both announce themselves. */
static int turn_item_id;

static int write_in_tx(struct store *c, struct error *e)
{
    return store_tx_begin(c, e) == 0 &&
           sqlite3_exec(store_db(c), "INSERT INTO turns VALUES ('child')", NULL, NULL, NULL) == SQLITE_OK &&
           store_tx_end(c, 1, e) == 0;
}

static int write_one_statement(struct store *c, struct error *e)
{
    return store_item_set_read(c, turn_item_id, 1, e) == 0;
}

static void writers_take_turns(int (*child_write)(struct store *, struct error *), const char *check)
{
    char path[512], wait_path[600];
    struct store *st = open_fresh(path, sizeof path);
    snprintf(wait_path, sizeof wait_path, "%s-wait", path);
    sql_exec(st, "CREATE TABLE turns(who TEXT)");
    int64_t f = add_feed(st, "https://a.example/feed", "A", NULL);
    struct item_sink items;
    item_sink_init(&items);
    push(&items, "g1", "one", 1000);
    assert_int_equal(commit(st, f, &items, NULL, NULL), 1);
    item_sink_free(&items);
    turn_item_id = (int)sql_int(st, "SELECT id FROM items WHERE guid = 'g1'");
    store_close(st);
    /* the child is forked with no connection open: SQLite's locks must not cross a fork */
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        char b;
        close(go[1]);
        int ok = read(go[0], &b, 1) == 1;
        struct error e2 = {{0}};
        struct store *c = ok ? store_open(path, &e2) : NULL;
        ok = c && child_write(c, &e2);
        store_close(c);
        _exit(ok ? 0 : 1);
    }
    close(go[0]);
    struct error err = {{0}};
    st = store_open(path, &err);
    assert_non_null(st);
    assert_int_equal(store_tx_begin(st, &err), 0);
    assert_int_equal(write(go[1], "x", 1), 1);
    close(go[1]);
    /* the child waits when it holds its shared lock on the turn file */
    int fd = -1, waiting = 0;
    for (int i = 0; i < 5000 && !waiting; i++) {
        if (fd < 0) fd = open(wait_path, O_RDWR | O_CLOEXEC);
        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) waiting = 1;
        else {
            if (fd >= 0) flock(fd, LOCK_UN);
            usleep(1000);
        }
    }
    assert_true(waiting);
    close(fd);
    usleep(20000);   /* well inside SQLite's busy handler by now */
    /* a commit and a new transaction at once, as a refresh's batches: the child goes in between.
     * The commit ends with the text index's statements for a new row, inside the transaction:
     * taking a turn there would wait for the child while holding the lock the child waits for. */
    push(&items, "g2", "two", 2000);
    assert_int_equal(commit(st, f, &items, NULL, NULL), 1);
    item_sink_free(&items);
    assert_int_equal(store_tx_end(st, 1, &err), 0);
    assert_int_equal(store_tx_begin(st, &err), 0);
    assert_int_equal(sql_int(st, check), 1);
    assert_int_equal(store_tx_end(st, 1, &err), 0);
    int status = -1;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    store_close(st);
}

static void test_writers_take_turns(void **state)
{
    (void)state;
    writers_take_turns(write_in_tx, "SELECT COUNT(*) FROM turns WHERE who = 'child'");
}

static void test_single_statements_take_turns(void **state)
{
    (void)state;
    writers_take_turns(write_one_statement, "SELECT read FROM items WHERE guid = 'g1'");
}

/* Checkpoints run on the store's own thread (checkpoint.c): a writer's commits leave the WAL to it,
 * and the pages reach the database file while the store is still open and nobody writes.  SQLite's
 * automatic checkpoint would wait for 1,000 pages and run inside a commit; here 400 pages are in
 * the database file soon after the last commit.  And a writer that never pauses still keeps the WAL
 * bounded: it rewinds once it holds CKPT_REWIND (4,000) pages.  The database has 1 KiB pages so
 * that the test writes a few megabytes, not sixty. */
static long file_size(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

static void test_checkpoints_in_background(void **state)
{
    (void)state;
    char path[512], wal[600];
    db_path(path, sizeof path);
    snprintf(wal, sizeof wal, "%s-wal", path);
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA page_size = 1024; PRAGMA journal_mode = WAL;"
                                       "CREATE TABLE big(b BLOB)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    struct error err = {{0}};
    struct store *st = store_open(path, &err);
    assert_non_null(st);
    long before = file_size(path);
    /* 400 commits of a row that fills a page: the WAL passes 256 pages, the thread's threshold */
    for (int i = 0; i < 400; i++)
        sql_exec(st, "INSERT INTO big VALUES (zeroblob(900))");
    long after = before;
    for (int i = 0; i < 2000 && after < before + 400 * 1024; i++) {
        usleep(1000);
        after = file_size(path);
    }
    assert_true(after >= before + 400 * 1024);
    /* a writer that never pauses: 12,000 pages in commits of 20, and the WAL never holds more
     * than 4,000 of them and a commit's (each page is a frame of 1,048 bytes) */
    long most = 0;
    for (int i = 0; i < 600; i++) {
        assert_int_equal(store_tx_begin(st, &err), 0);
        for (int k = 0; k < 20; k++) sql_exec(st, "INSERT INTO big VALUES (zeroblob(900))");
        assert_int_equal(store_tx_end(st, 1, &err), 0);
        long w = file_size(wal);
        if (w > most) most = w;
    }
    assert_true(most > 256 * 1048);
    assert_true(most < 4300L * 1048);
    assert_int_equal(sql_int(st, "SELECT COUNT(*) FROM big"), 12400);
    store_close(st);
    /* the last connection's close checkpoints and removes the WAL, as before */
    assert_int_equal(file_size(wal), -1);
}

/* Issue 17, point 10: a write that finds no room says "disk full" with the path, not "disk I/O
 * error".  max_page_count makes SQLite answer SQLITE_FULL exactly as a full disk does. */
static void test_disk_full_named(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", NULL, NULL);
    sqlite3_exec(store_db(st), "PRAGMA max_page_count = 1", NULL, NULL, NULL);   /* no more pages */
    struct item_sink s;
    item_sink_init(&s);
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    for (int i = 0; i < 50; i++) {
        char g[16];
        snprintf(g, sizeof g, "g%d", i);
        push(&s, g, big, 1000 + i);
    }
    struct error err = {{0}};
    assert_int_equal(store_feed_commit(st, f, &s, NULL, NULL, NULL, &err), -1);
    char want[600];
    snprintf(want, sizeof want, "disk full: cannot write the database %s", path);
    assert_string_equal(err.msg, want);
    item_sink_free(&s);
    assert_int_equal(count_items(st, NULL), 0);   /* and nothing half-written */
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_creates_private_wal_v1),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_lists_seeded),
        cmocka_unit_test(test_feed_add_get),
        cmocka_unit_test(test_commit_inserts_then_upserts),
        cmocka_unit_test(test_user_title_kept),
        cmocka_unit_test(test_failed_refresh_keeps_items),
        cmocka_unit_test(test_validators_replaced),
        cmocka_unit_test(test_remove_keeps_listed_and_starred),
        cmocka_unit_test(test_item_queries),
        cmocka_unit_test(test_item_fields_round_trip),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_commit_rolls_back),
        cmocka_unit_test(test_transaction_nests),
        cmocka_unit_test(test_disk_full_named),
        cmocka_unit_test(test_writers_take_turns),
        cmocka_unit_test(test_single_statements_take_turns),
        cmocka_unit_test(test_checkpoints_in_background),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
