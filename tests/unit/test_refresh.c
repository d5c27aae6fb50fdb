/* SPDX-License-Identifier: ISC */
/* The refresh state machine (src/app/refresh.c) driven through the app API against the loopback
 * server: new and not-modified answers, failures that keep every item and store their wait, a
 * redirect, an API endpoint remembered and forgotten, several feeds where some fail, keep-days
 * purging, a refresh freed while a request runs, and store writes that fail (injected with
 * SQLite triggers): each is said in the feed's message and the report, and nothing is lost. */
#include "testutil.h"
#include "testserver.h"

#include <sqlite3.h>
#include <time.h>

#include "app.h"
#include "lists.h"
#include "store.h"

static char tmp[256], docroot[300];
static struct test_server server;

/* What the refresh said, feed by feed, in order. */
#define MAX_EVENTS 64
struct seen {
    size_t n;
    enum refresh_status st[MAX_EVENTS];
    int new_items[MAX_EVENTS];
    char url[MAX_EVENTS][256];
    char msg[MAX_EVENTS][700];
};

static void on_event(const struct refresh_event *ev, void *user)
{
    struct seen *s = user;
    if (s->n == MAX_EVENTS) return;
    s->st[s->n] = ev->status;
    s->new_items[s->n] = ev->new_items;
    snprintf(s->url[s->n], sizeof s->url[0], "%s", ev->feed->url);
    snprintf(s->msg[s->n], sizeof s->msg[0], "%s", ev->message ? ev->message : "");
    s->n++;
}

/* The event of the feed whose URL ends with tail. */
static int event_of(const struct seen *s, const char *tail)
{
    for (size_t i = 0; i < s->n; i++) {
        size_t a = strlen(s->url[i]), b = strlen(tail);
        if (a >= b && !strcmp(s->url[i] + a - b, tail)) return (int)i;
    }
    fail_msg("no event for a feed ending in %s", tail);
    return -1;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A small RSS feed of n items (guids g1..gn) in the docroot as name. */
static void write_feed(const char *name, int n)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", docroot, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>%s</title>"
               "<link>https://example.org/</link><description>d</description>\n", name);
    for (int i = 1; i <= n; i++)
        fprintf(f, "<item><title>%s item %d</title><guid>g%d</guid>"
                   "<pubDate>Mon, 01 Dec 2025 10:%02d:00 GMT</pubDate></item>\n", name, i, i, i);
    fputs("</channel></rss>\n", f);
    fclose(f);
}

/* A fresh session: its own database and config (extra config lines, may be ""). */
static void open_app(struct app *app, const char *name, const char *config)
{
    char db[400], cfg[400];
    snprintf(db, sizeof db, "%s/%s.db", tmp, name);
    snprintf(cfg, sizeof cfg, "%s/%s.config", tmp, name);
    unlink(db);
    write_text(cfg, config);
    struct app_paths paths = {.db = db, .config = cfg};
    struct error e;
    error_clear(&e);
    if (app_open(app, &paths, &e) < 0) fail_msg("app_open: %s", e.msg);
}

static int64_t add(struct app *app, const char *path, const char *kind)
{
    char url[400];
    snprintf(url, sizeof url, "%s%s", server.url, path);
    int64_t id = 0;
    struct error e;
    error_clear(&e);
    if (store_feed_add(app->store, url, kind, NULL, NULL, &id, &e) < 0) fail_msg("add %s: %s", url, e.msg);
    return id;
}

static int refresh(struct app *app, struct seen *s, struct refresh_report *rep)
{
    memset(s, 0, sizeof *s);
    struct error e;
    error_clear(&e);
    return app_refresh(app, NULL, 0, 0, on_event, s, rep, &e);
}

static int64_t count_items(struct app *app, int64_t feed_id)
{
    struct item_query q = {.feed_id = feed_id};
    struct error e;
    error_clear(&e);
    return store_items_count(app->store, &q, &e);
}

static void feed_row(struct app *app, int64_t id, struct feed_row *row)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    struct error e;
    error_clear(&e);
    if (store_feed_get(app->store, key, row, &e) < 0) fail_msg("feed %lld: %s", (long long)id, e.msg);
}

static int64_t sql_int(struct app *app, const char *q)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store_db(app->store), q, -1, &st, NULL) != SQLITE_OK) fail_msg("%s", q);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static void sql(struct app *app, const char *stmt)
{
    char *msg = NULL;
    if (sqlite3_exec(store_db(app->store), stmt, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", stmt, msg);
}

static int count_commit(void *user)
{
    (*(int *)user)++;
    return 0;
}

/* A blocking refresh (`winnow refresh`) keeps one batch open over the polls while feeds keep
 * finishing: far fewer commits than feeds.  The reader's refresh (start, then poll) holds no
 * transaction between its polls, so its own writes (an item marked read) never wait or join it. */
static void test_batches_span_polls(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "span", "");
    enum { FEEDS = 40 };
    char name[32], path[40];
    for (int i = 0; i < FEEDS; i++) {
        snprintf(name, sizeof name, "span%d.xml", i);
        snprintf(path, sizeof path, "/d/%s", name);
        write_feed(name, 5);
        add(&app, path, NULL);
    }
    int commits = 0;
    sqlite3_commit_hook(store_db(app.store), count_commit, &commits);
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(rep.updated, FEEDS);
    assert_int_equal(count_items(&app, 0), FEEDS * 5);
    assert_true(sqlite3_get_autocommit(store_db(app.store)));
    print_message("blocking refresh of %d feeds: %d commits\n", FEEDS, commits);
    assert_true(commits <= FEEDS / 2);

    /* the reader's way: new items again, and after every poll nothing is left open */
    for (int i = 0; i < FEEDS; i++) {
        snprintf(name, sizeof name, "span%d.xml", i);
        write_feed(name, 7);
    }
    struct error e;
    error_clear(&e);
    memset(&s, 0, sizeof s);
    struct refresh *r = app_refresh_start(&app, NULL, 0, 0, on_event, &s, &e);
    assert_non_null(r);
    int left = FEEDS;
    for (int i = 0; i < 2000 && left > 0; i++) {
        left = app_refresh_poll(r, 100, NULL, 0);
        assert_true(sqlite3_get_autocommit(store_db(app.store)));
    }
    assert_int_equal(left, 0);
    app_refresh_free(r);
    assert_int_equal(count_items(&app, 0), FEEDS * 7);
    sqlite3_commit_hook(store_db(app.store), NULL, NULL);
    app_close(&app);
}

/* One feed whose items cannot be stored, in the middle of a batch (no savepoint per feed): the
 * batch goes back, the others are stored again one by one, the bad one alone fails, and every
 * feed is reported once. */
static void test_broken_batch_redone(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "redo", "");
    enum { FEEDS = 40 };
    char name[32], path[40];
    for (int i = 0; i < FEEDS; i++) {
        snprintf(name, sizeof name, "redo%d.xml", i);
        snprintf(path, sizeof path, "/d/%s", name);
        write_feed(name, 4);
        add(&app, path, NULL);
    }
    sql(&app, "CREATE TEMP TRIGGER no_redo33 BEFORE INSERT ON items WHEN NEW.title = 'redo33.xml item 3'"
              " BEGIN SELECT RAISE(ABORT, 'injected: no room for this one'); END");
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 1);
    assert_int_equal(rep.done, FEEDS);
    assert_int_equal(rep.failed, 1);
    assert_int_equal(rep.updated, FEEDS - 1);
    assert_int_equal(s.n, FEEDS < MAX_EVENTS ? FEEDS : MAX_EVENTS);
    int k = event_of(&s, "redo33.xml");
    assert_int_equal(s.st[k], REFRESH_FAILED);
    assert_non_null(strstr(s.msg[k], "injected"));
    assert_int_equal(count_items(&app, 0), (FEEDS - 1) * 4);
    assert_int_equal(sql_int(&app, "SELECT COUNT(*) FROM items i JOIN feeds f ON f.id = i.feed_id"
                                   " WHERE f.url LIKE '%redo33.xml'"), 0);
    assert_int_equal(sql_int(&app, "SELECT SUM(n_items) FROM feeds"), (FEEDS - 1) * 4);
    sql(&app, "DROP TRIGGER no_redo33");
    /* the next refresh stores it */
    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(count_items(&app, 0), FEEDS * 4);
    app_close(&app);
}

/* More bodies than the parse queue holds (8 MiB): the requests wait while the workers and the
 * store catch up, and resume (no refresh hangs on a full queue); the store's own thread parses
 * none of them when there are workers. */
static void test_parse_queue_full(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "full", "");
    enum { FEEDS = 24, ITEMS = 300 };
    char name[32], path[400];
    for (int i = 0; i < FEEDS; i++) {
        snprintf(name, sizeof name, "full%d.xml", i);
        snprintf(path, sizeof path, "%s/%s", docroot, name);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>%s</title>\n", name);
        for (int k = 0; k < ITEMS; k++) {
            fprintf(f, "<item><title>%s %d</title><guid>g%d</guid><description>", name, k, k);
            for (int w = 0; w < 100; w++) fputs("&lt;p&gt;word and more words&lt;/p&gt; ", f);
            fputs("</description></item>\n", f);
        }
        fputs("</channel></rss>\n", f);
        fclose(f);
        snprintf(path, sizeof path, "/d/%s", name);
        add(&app, path, NULL);
    }
    struct seen s;
    struct refresh_report rep;
    struct error e;
    error_clear(&e);
    memset(&s, 0, sizeof s);
    /* four requests at a time: the others wait for the queue, not for the network */
    assert_int_equal(app_refresh(&app, NULL, 0, 4, on_event, &s, &rep, &e), 0);
    assert_int_equal(rep.updated, FEEDS);
    assert_int_equal(count_items(&app, 0), FEEDS * ITEMS);
    print_message("%d bodies of about 1.1 MB: %zu parsed on the refresh's own thread\n", FEEDS, rep.parsed_here);
    if (sysconf(_SC_NPROCESSORS_ONLN) > 1) assert_int_equal(rep.parsed_here, 0);
    app_close(&app);
}

/* New items, then the same feed again: the server answers 304 to the stored validators. */
static void test_new_then_not_modified(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "nm", "");
    write_feed("nm.xml", 3);
    int64_t id = add(&app, "/d/nm.xml", NULL);
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.st[0], REFRESH_NEW);
    assert_int_equal(s.new_items[0], 3);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(rep.new_items, 3);
    struct feed_row row;
    feed_row(&app, id, &row);
    assert_non_null(row.etag);
    assert_null(row.last_error);
    assert_true(row.last_success > 0);
    store_feed_row_free(&row);

    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(s.st[0], REFRESH_UNCHANGED);
    assert_string_equal(s.msg[0], "");
    assert_int_equal(rep.unchanged, 1);
    assert_int_equal(rep.new_items, 0);
    assert_int_equal(rep.store_errors, 0);
    assert_int_equal(count_items(&app, id), 3);
    app_close(&app);
}

/* A feed that fails keeps its items and says why; a 429 stores the wait, and the next refresh
 * skips the feed without asking the server. */
static void test_failed_keeps_items_and_wait(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "fail", "");
    write_feed("gone.xml", 2);
    int64_t id = add(&app, "/d/gone.xml", NULL);
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(count_items(&app, id), 2);
    char path[400];
    snprintf(path, sizeof path, "%s/gone.xml", docroot);
    unlink(path);
    int64_t busy = add(&app, "/status/429", NULL);
    assert_int_equal(refresh(&app, &s, &rep), 1);
    assert_int_equal(rep.failed, 2);
    int g = event_of(&s, "/d/gone.xml");
    assert_int_equal(s.st[g], REFRESH_FAILED);
    assert_non_null(strstr(s.msg[g], "404"));
    assert_int_equal(count_items(&app, id), 2);   /* nothing lost */
    struct feed_row row;
    feed_row(&app, id, &row);
    assert_non_null(row.last_error);
    assert_non_null(strstr(row.last_error, "404"));
    store_feed_row_free(&row);
    int b = event_of(&s, "/status/429");
    assert_non_null(strstr(s.msg[b], "retrying after 2 s"));
    feed_row(&app, busy, &row);
    int64_t now = (int64_t)time(NULL);
    assert_true(row.retry_after > now - 5 && row.retry_after <= now + 3);
    store_feed_row_free(&row);
    /* the wait is honoured: skipped, said, nothing stored over the error */
    sql(&app, "UPDATE feeds SET retry_after = strftime('%s','now') + 3600 WHERE url LIKE '%/status/429'");
    assert_int_equal(refresh(&app, &s, &rep), 1);
    b = event_of(&s, "/status/429");
    assert_int_equal(s.st[b], REFRESH_FAILED);
    assert_non_null(strstr(s.msg[b], "skipped: the server asked to wait"));
    app_close(&app);
}

/* Several feeds at once, some failing in different ways: each is reported once, the good ones
 * are stored, the summary counts them. */
static void test_partial_failures(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "partial", "");
    write_feed("a.xml", 2);
    write_feed("b.xml", 4);
    int64_t a = add(&app, "/d/a.xml", NULL);
    add(&app, "/status/404", NULL);
    add(&app, "/empty", NULL);
    int64_t b = add(&app, "/d/b.xml", NULL);
    add(&app, "/status/500", NULL);
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 1);
    assert_int_equal(s.n, 5);
    assert_int_equal(rep.feeds, 5);
    assert_int_equal(rep.done, 5);
    assert_int_equal(rep.updated, 2);
    assert_int_equal(rep.failed, 3);
    assert_int_equal(rep.new_items, 6);
    assert_int_equal(s.st[event_of(&s, "/status/404")], REFRESH_FAILED);
    assert_non_null(strstr(s.msg[event_of(&s, "/empty")], "empty response"));
    assert_non_null(strstr(s.msg[event_of(&s, "/status/500")], "500"));
    assert_int_equal(s.new_items[event_of(&s, "/d/b.xml")], 4);
    assert_int_equal(count_items(&app, a), 2);
    assert_int_equal(count_items(&app, b), 4);
    app_close(&app);
}

/* A redirect is followed to the feed, and the feed's URL stays the one subscribed. */
static void test_redirect(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "redir", "");
    int64_t id = add(&app, "/redirect/2", NULL);
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(s.st[0], REFRESH_NEW);
    assert_true(count_items(&app, id) > 0);
    struct feed_row row;
    feed_row(&app, id, &row);
    assert_non_null(strstr(row.url, "/redirect/2"));
    store_feed_row_free(&row);
    app_close(&app);
}

/* An API feed remembers the endpoint its URL resolved to; when that endpoint is gone (404) the
 * refresh fails, forgets it, and the next refresh resolves the URL again. */
static void test_endpoint_remembered_and_forgotten(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "endpoint", "scan-media = no\n");
    int64_t id = add(&app, "/@schochastics", "mastodon");
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(s.st[0], REFRESH_NEW);
    int64_t items = count_items(&app, id);
    assert_true(items > 0);
    struct feed_row row;
    feed_row(&app, id, &row);
    assert_non_null(row.endpoint);
    assert_non_null(strstr(row.endpoint, "/statuses"));
    store_feed_row_free(&row);
    /* the account moved: its remembered endpoint answers 404 */
    char gone[300];
    snprintf(gone, sizeof gone, "%s/status/404", server.url);
    struct error e;
    error_clear(&e);
    assert_int_equal(store_feed_set_endpoint(app.store, id, gone, "statuses", &e), 0);
    assert_int_equal(refresh(&app, &s, &rep), 1);
    assert_int_equal(s.st[0], REFRESH_FAILED);
    feed_row(&app, id, &row);
    assert_null(row.endpoint);
    assert_non_null(row.last_error);
    store_feed_row_free(&row);
    assert_int_equal(count_items(&app, id), items);
    assert_int_equal(refresh(&app, &s, &rep), 0);
    feed_row(&app, id, &row);
    assert_non_null(row.endpoint);
    assert_null(row.last_error);
    store_feed_row_free(&row);
    app_close(&app);
}

/* keep-days: after the refresh, items seen and published long ago go, except starred ones and
 * those of a feed whose refresh failed. */
static void test_purge(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "purge", "keep-days = 30\n");
    write_feed("old.xml", 3);
    write_feed("oldfail.xml", 2);
    int64_t id = add(&app, "/d/old.xml", NULL);
    int64_t fid = add(&app, "/d/oldfail.xml", NULL);
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(count_items(&app, id), 3);
    /* the items were first seen a year ago; one is starred; the feed now carries only g3 */
    sql(&app, "UPDATE items SET first_seen = first_seen - 365*86400");
    sql(&app, "UPDATE items SET starred = 1 WHERE guid = 'g1'");
    write_feed("old.xml", 0);
    char path[400];
    snprintf(path, sizeof path, "%s/oldfail.xml", docroot);
    unlink(path);
    assert_int_equal(refresh(&app, &s, &rep), 1);   /* oldfail.xml failed */
    assert_int_equal(rep.store_errors, 0);
    assert_int_equal(count_items(&app, id), 1);     /* the starred one stays */
    assert_int_equal(count_items(&app, fid), 2);    /* a failed feed keeps everything */
    app_close(&app);
}

/* A refresh freed while a request still runs: the finished feed is stored, the other one is
 * neither failed nor emptied, and the session refreshes again afterwards. */
static void test_cancel(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "cancel", "");
    write_feed("quick.xml", 2);
    int64_t quick = add(&app, "/d/quick.xml", NULL);
    int64_t slow = add(&app, "/slow", NULL);
    struct seen s;
    memset(&s, 0, sizeof s);
    struct error e;
    error_clear(&e);
    struct refresh *r = app_refresh_start(&app, NULL, 0, 0, on_event, &s, &e);
    assert_non_null(r);
    int left = 2;
    for (int i = 0; i < 200 && left > 1; i++) left = app_refresh_poll(r, 100, NULL, 0);
    assert_int_equal(left, 1);
    assert_int_equal(s.n, 1);
    app_refresh_free(r);
    assert_int_equal(count_items(&app, quick), 2);
    struct feed_row row;
    feed_row(&app, slow, &row);
    assert_null(row.last_error);
    assert_int_equal(row.last_fetch, 0);
    store_feed_row_free(&row);
    /* the session goes on: the slow feed out of the way, a refresh works */
    error_clear(&e);
    assert_int_equal(store_feed_remove(app.store, slow, &e), 0);
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(rep.feeds, 1);
    app_close(&app);
}

/* Store writes that fail besides the commit: each is said in its feed's message, counted in the
 * report, and the refresh exits 1; the items stay. */
static void test_store_write_failures(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "storefail", "");
    write_feed("ok.xml", 2);
    int64_t ok = add(&app, "/d/ok.xml", NULL);
    add(&app, "/status/429", NULL);
    struct seen s;
    struct refresh_report rep;
    /* recording an error and a wait fails */
    sql(&app, "CREATE TRIGGER no_error BEFORE UPDATE OF last_error ON feeds WHEN NEW.last_error IS NOT NULL"
              " BEGIN SELECT RAISE(ABORT, 'injected: no error column'); END;"
              "CREATE TRIGGER no_wait BEFORE UPDATE OF retry_after ON feeds WHEN NEW.retry_after > 0"
              " BEGIN SELECT RAISE(ABORT, 'injected: no wait'); END;");
    assert_int_equal(refresh(&app, &s, &rep), 1);
    int b = event_of(&s, "/status/429");
    assert_int_equal(s.st[b], REFRESH_FAILED);
    assert_non_null(strstr(s.msg[b], "retrying after"));   /* the failure itself is still said */
    assert_non_null(strstr(s.msg[b], "the error could not be stored"));
    assert_non_null(strstr(s.msg[b], "the wait the server asked for could not be stored"));
    assert_non_null(strstr(s.msg[b], "injected"));
    assert_int_equal(rep.store_errors, 2);
    assert_non_null(strstr(rep.store_error, "the error could not be stored"));
    assert_int_equal(s.st[event_of(&s, "/d/ok.xml")], REFRESH_NEW);
    assert_int_equal(count_items(&app, ok), 2);
    sql(&app, "DROP TRIGGER no_error; DROP TRIGGER no_wait;"
              "DELETE FROM feeds WHERE url LIKE '%/status/429'");

    /* a 304 whose bookkeeping cannot be stored counts as failed, and says so */
    sql(&app, "CREATE TRIGGER no_fetch BEFORE UPDATE OF last_fetch ON feeds"
              " BEGIN SELECT RAISE(ABORT, 'injected: read-only'); END;");
    assert_int_equal(refresh(&app, &s, &rep), 1);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.st[0], REFRESH_FAILED);
    assert_non_null(strstr(s.msg[0], "unchanged, but the refresh could not be stored"));
    assert_int_equal(rep.failed, 1);
    assert_int_equal(rep.store_errors, 1);
    assert_int_equal(count_items(&app, ok), 2);
    sql(&app, "DROP TRIGGER no_fetch");
    assert_int_equal(refresh(&app, &s, &rep), 0);
    assert_int_equal(rep.store_errors, 0);
    app_close(&app);
}

/* keep-days purging that fails is in the report (no feed's line would show it); nothing goes. */
static void test_purge_failure_reported(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "purgefail", "keep-days = 30\n");
    write_feed("p.xml", 2);
    int64_t id = add(&app, "/d/p.xml", NULL);
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 0);
    sql(&app, "UPDATE items SET first_seen = first_seen - 365*86400;"
              "CREATE TRIGGER no_purge BEFORE DELETE ON items BEGIN SELECT RAISE(ABORT, 'injected: no delete'); END;");
    write_feed("p.xml", 0);
    assert_int_equal(refresh(&app, &s, &rep), 1);
    assert_int_equal(rep.failed, 0);
    assert_int_equal(rep.store_errors, 1);
    assert_non_null(strstr(rep.store_error, "keep-days: old items not purged"));
    assert_non_null(strstr(rep.store_error, "injected"));
    assert_int_equal(count_items(&app, id), 2);
    app_close(&app);
}

/* auto-list rules that cannot file the new items: the items are stored, the feed's line says so. */
static void test_rules_failure_said(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "rulesfail", "auto-list picks when title~/item/\n");
    write_feed("r.xml", 2);
    int64_t id = add(&app, "/d/r.xml", NULL);
    sql(&app, "CREATE TRIGGER no_file BEFORE INSERT ON list_items BEGIN SELECT RAISE(ABORT, 'injected: no filing'); END;");
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 1);
    assert_int_equal(s.st[0], REFRESH_NEW);
    assert_int_equal(s.new_items[0], 2);
    assert_non_null(strstr(s.msg[0], "auto-list rules did not file the new items"));
    assert_int_equal(rep.store_errors, 1);
    assert_int_equal(count_items(&app, id), 2);
    app_close(&app);
}

/* A media scan whose verdict cannot be stored: the items stay, the session counts it and keeps
 * its words for the CLI's last line and the reader's status line. */
static void test_scan_store_failure_noted(void **state)
{
    (void)state;
    struct app app;
    open_app(&app, "scanfail", "scan-media = yes\n");
    char path[400];
    snprintf(path, sizeof path, "%s/pic.jpg", docroot);
    write_text(path, "not really a picture, but bytes to scan");
    snprintf(path, sizeof path, "%s/m.xml", docroot);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>m</title><link>https://example.org/</link>"
               "<description>d</description><item><title>pic</title><guid>p1</guid>"
               "<enclosure url=\"%s/d/pic.jpg\" type=\"image/jpeg\" length=\"40\"/></item></channel></rss>\n",
            server.url);
    fclose(f);
    int64_t id = add(&app, "/d/m.xml", NULL);
    sql(&app, "CREATE TRIGGER no_scan BEFORE INSERT ON media_scans BEGIN SELECT RAISE(ABORT, 'injected: no scans'); END;");
    struct seen s;
    struct refresh_report rep;
    assert_int_equal(refresh(&app, &s, &rep), 0);   /* the feed itself was stored */
    assert_int_equal(count_items(&app, id), 1);
    assert_true(app.store_errors >= 1);
    assert_non_null(strstr(app.store_error, "a media scan was not stored"));
    assert_non_null(strstr(app.store_error, "injected: no scans"));   /* the database's own words */
    app_close(&app);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/winnow-test-refresh-XXXXXX");
    if (!mkdtemp(tmp)) return 1;
    snprintf(docroot, sizeof docroot, "%s/doc", tmp);
    mkdir(docroot, 0700);
    setenv("XDG_CACHE_HOME", tmp, 1);
    setenv("XDG_DATA_HOME", tmp, 1);
    setenv("XDG_CONFIG_HOME", tmp, 1);
    int rc = test_server_start(&server, tmp, "--docroot", docroot);
    if (rc == 77) return 77;
    if (rc != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_then_not_modified),
        cmocka_unit_test(test_failed_keeps_items_and_wait),
        cmocka_unit_test(test_partial_failures),
        cmocka_unit_test(test_redirect),
        cmocka_unit_test(test_endpoint_remembered_and_forgotten),
        cmocka_unit_test(test_purge),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_store_write_failures),
        cmocka_unit_test(test_purge_failure_reported),
        cmocka_unit_test(test_rules_failure_said),
        cmocka_unit_test(test_scan_store_failure_noted),
        cmocka_unit_test(test_batches_span_polls),
        cmocka_unit_test(test_parse_queue_full),
        cmocka_unit_test(test_broken_batch_redone),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    test_server_stop(&server, tmp);
    /* the temporary tree: databases, configs, the docroot */
    rm_tree(tmp);
    return failed;
}
