/* SPDX-License-Identifier: ISC */
/* Helpers shared by the store's tests: one temporary directory per test program, a fresh database
 * per test, and short ways to add feeds, commit batches and read results. */
#ifndef WINNOW_STORE_TESTUTIL_H
#define WINNOW_STORE_TESTUTIL_H

#include "testutil.h"

#include <ftw.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store.h"

static char tmpdir[] = "/tmp/winnow-store-XXXXXX";
static int db_counter;

static inline int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static inline int group_setup(void **state)
{
    (void)state;
    umask(022);
    return mkdtemp(tmpdir) ? 0 : -1;
}

static inline int group_teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh database path for one test. */
static inline void db_path(char *buf, size_t n)
{
    snprintf(buf, n, "%s/t%d.db", tmpdir, ++db_counter);
}

static inline struct store *open_fresh(char *path, size_t n)
{
    struct error err = {{0}};
    db_path(path, n);
    struct store *st = store_open(path, &err);
    if (!st) fail_msg("store_open: %s", err.msg);
    return st;
}

static inline int64_t add_feed(struct store *st, const char *url, const char *title, const char *tags)
{
    struct error err = {{0}};
    int64_t id = 0;
    if (store_feed_add(st, url, "rss", title, tags, &id, &err) != 0) fail_msg("add %s: %s", url, err.msg);
    return id;
}

/* Pushes an item with the given guid, title and published time (-1 unknown). */
static inline void push(struct item_sink *s, const char *guid, const char *title, int64_t published)
{
    struct item it;
    item_init(&it);
    it.guid = guid;
    it.title = title;
    it.published = published;
    it.summary = "summary text";
    it.url = "https://example.org/x";
    item_sink_push(s, &it);
}

static inline int commit(struct store *st, int64_t feed, struct item_sink *s, const char *etag,
                  const char *lm)
{
    struct error err = {{0}};
    int fresh = -1;
    if (store_feed_commit(st, feed, s, etag, lm, &fresh, &err) != 0) fail_msg("commit: %s", err.msg);
    return fresh;
}

static inline int64_t sql_int(struct store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static inline void sql_text(struct store *st, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const char *v = (const char *)sqlite3_column_text(s, 0);
    snprintf(out, n, "%s", v ? v : "(null)");
    sqlite3_finalize(s);
}

static inline void sql_exec(struct store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg);
    }
}

static inline int64_t count_items(struct store *st, const struct item_query *q)
{
    struct error err = {{0}};
    struct item_query all = {0};
    int64_t n = store_items_count(st, q ? q : &all, &err);
    if (n < 0) fail_msg("count: %s", err.msg);
    return n;
}

/* Runs q into a fresh sink (caller frees). */
static inline void query(struct store *st, const struct item_query *q, struct item_sink *out)
{
    struct error err = {{0}};
    item_sink_init(out);
    if (store_items(st, q, out, &err) != 0) fail_msg("store_items: %s", err.msg);
}

static inline const struct item *find_guid(const struct item_sink *s, const char *guid)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i].guid && strcmp(s->items[i].guid, guid) == 0) return &s->items[i];
    return NULL;
}

static inline int64_t item_id_of(struct store *st, const char *guid)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id FROM items WHERE guid = '%s'", guid);
    return sql_int(st, sql);
}

#endif
