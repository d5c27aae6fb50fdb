/* SPDX-License-Identifier: ISC */
/* The store's handle: opening (files, pragmas, migrations), the statement cache, transactions and
 * error messages.  Feed and item operations live in feeds.c and items.c; the schema in schema.c. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

#define BUSY_TIMEOUT_MS 5000

/* A write that found no room: SQLite says SQLITE_FULL for most, but a WAL or shared-memory file
 * that cannot grow comes back as an I/O error with the system's errno. */
static const char *no_room(int primary, int sys)
{
    if (primary == SQLITE_FULL) return "disk full";
    if (primary != SQLITE_IOERR) return NULL;
    if (sys == ENOSPC) return "disk full";
    if (sys == EDQUOT) return "disk quota exceeded";
    if (sys == EFBIG) return "file size limit reached";
    return NULL;
}

int store_fail(struct store *st, int rc, struct error *err)
{
    int primary = rc & 0xff;
    int sys = st->db ? sqlite3_system_errno(st->db) : 0;
    /* every message names the file: with several databases (the demo's, a test's) "database disk
     * image is malformed" alone does not say which */
    const char *path = st->path && strcmp(st->path, ":memory:") ? st->path : NULL;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        error_set(err, "database is busy (another winnow is writing); try again");
    else if (no_room(primary, sys))
        error_set(err, "%s: cannot write the database %s", no_room(primary, sys), path ? path : "(in memory)");
    else if (primary == SQLITE_READONLY && st->read_only)
        error_set(err, "database %s is open read-only (%s): nothing can be changed", path ? path : "",
                  st->read_only_why);
    else if (path)
        error_set(err, "database %s: %s", path, sqlite3_errmsg(st->db));
    else
        error_set(err, "database: %s", sqlite3_errmsg(st->db));
    return -1;
}

int store_read_only(struct store *st) { return st->read_only; }

sqlite3_stmt *store_stmt_cached(struct store *st, sqlite3_stmt **slot, const char *sql,
                                struct error *err)
{
    if (*slot) return *slot;
    /* PERSISTENT: these live as long as the handle, so SQLite keeps them out of its lookaside. */
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
    if (rc != SQLITE_OK) {
        store_fail(st, rc, err);
        sqlite3_finalize(*slot);
        *slot = NULL;
    }
    return *slot;
}

sqlite3_stmt *store_stmt(struct store *st, enum stmt_id id, const char *sql, struct error *err)
{
    return store_stmt_cached(st, &st->stmt[id], sql, err);
}

void store_stmt_done(sqlite3_stmt *s)
{
    if (!s) return;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

int store_step(struct store *st, sqlite3_stmt *s)
{
    /* A statement that writes outside a transaction takes the write lock as BEGIN IMMEDIATE does,
     * and waits for it as long: it takes its turn the same way (turn.c).  Without one, the reader
     * marking an item read while `winnow refresh` ran in another process slept in SQLite's busy
     * handler while batch after batch took the lock.  Outside means SQLite's autocommit: the
     * statements that end a transaction (the text index's, store_tx_end) run in it with tx_depth
     * already 0, and one that waited for a turn there would hold the write lock while it waited.
     * Only a statement's first step: one under way may hold the lock already. */
    int turn = st->tx_depth == 0 && !st->read_only && sqlite3_get_autocommit(st->db) && !sqlite3_stmt_busy(s) &&
               !sqlite3_stmt_readonly(s);
    if (turn) store_turn_enter(st, st->busy_ms);
    int rc = sqlite3_step(s);
    if (turn) store_turn_leave(st);
    return rc;
}

int store_step_done(struct store *st, sqlite3_stmt *s, struct error *err)
{
    int rc = store_step(st, s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        store_fail(st, rc, err);
        store_stmt_done(s);
        return -1;
    }
    store_stmt_done(s);
    return 0;
}

int store_exec(struct store *st, const char *sql, struct error *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : store_fail(st, rc, err);
}

int store_bind_item(sqlite3_stmt *s, int first, const struct item *it)
{
    int i = first;
#define BIND_TEXT(f) store_bind_text(s, i++, it->f);
#define BIND_KNOWN(f) store_bind_known(s, i++, it->f);
#define BIND_INT(f) sqlite3_bind_int(s, i++, it->f);
#define BIND_BOOL(f) sqlite3_bind_int(s, i++, it->f != 0);
#define BIND(c, k) BIND_##k(c)
    STORE_ITEM_FIELDS(BIND)
#undef BIND
#undef BIND_TEXT
#undef BIND_KNOWN
#undef BIND_INT
#undef BIND_BOOL
    return i;
}

char *store_col_dup(sqlite3_stmt *s, int i)
{
    const char *v = (const char *)sqlite3_column_text(s, i);
    return v ? xstrdup(v) : NULL;
}

void store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(s, i);
}

void store_bind_known(sqlite3_stmt *s, int i, int64_t v)
{
    if (v >= 0) sqlite3_bind_int64(s, i, v);
    else sqlite3_bind_null(s, i);
}

int64_t store_now(void)
{
    return (int64_t)time(NULL);
}

/* ---- transactions ---- */

int store_tx_begin(struct store *st, struct error *err)
{
    /* IMMEDIATE takes the write lock now, so waiting for another writer happens here, under the busy
     * timeout, and never as a failed lock upgrade half-way through the work. */
    const char *sql = st->tx_depth ? "SAVEPOINT winnow" : "BEGIN IMMEDIATE";
    /* ...in turn with the other writers (turn.c): a refresh that begins batch after batch lets a
     * waiting `winnow list add` in between */
    int outer = st->tx_depth == 0 && !st->read_only;
    if (outer) store_turn_enter(st, st->busy_ms);
    int rc = store_exec(st, sql, err);
    if (outer) store_turn_leave(st);
    if (rc != 0) return -1;
    st->tx_depth++;
    return 0;
}

int store_tx_end(struct store *st, int ok, struct error *err)
{
    if (st->tx_depth <= 0) return ok ? 0 : -1;
    st->tx_depth--;
    int outer = st->tx_depth == 0;
    /* Some failures (I/O, full disk) make SQLite roll back by itself; then there is nothing to end. */
    if (sqlite3_get_autocommit(st->db)) {
        st->fts_from = 0;
        if (ok) error_set(err, "database: transaction was rolled back");
        return -1;
    }
    /* the new rows wait for the text index until here (store_int.h) */
    if (ok && outer && store_fts_flush(st, err) != 0) ok = 0;
    if (ok) {
        if (store_exec(st, outer ? "COMMIT" : "RELEASE winnow", err) == 0) return 0;
    }
    struct error ignored;
    if (outer) st->fts_from = 0;
    if (outer) store_exec(st, "ROLLBACK", &ignored);
    else store_exec(st, "ROLLBACK TO winnow; RELEASE winnow", &ignored);
    return -1;
}

int store_batch_begin(struct store *st, struct error *err)
{
    if (store_tx_begin(st, err) != 0) return -1;
    if (st->tx_depth == 1) st->batch = 1;
    st->batch_broken = 0;
    return 0;
}

int store_batch_end(struct store *st, int ok, struct error *err)
{
    int broken = st->batch && st->batch_broken;
    if (st->tx_depth == 1) st->batch = st->batch_broken = 0;
    if (broken) {
        store_tx_end(st, 0, NULL);
        error_set(err, "a feed of the batch could not be stored, so none of it was");
        return -1;
    }
    return store_tx_end(st, ok, err);
}

int store_batch_broken(const struct store *st) { return st->batch && st->batch_broken; }

int store_batch_open(const struct store *st) { return st->batch && st->tx_depth == 1; }

void store_batch_break(struct store *st) { st->batch_broken = 1; }

int store_transaction(struct store *st, int (*f)(struct store *, void *), void *ctx, struct error *err)
{
    if (store_tx_begin(st, err) != 0) return -1;
    if (f(st, ctx) != 0) {
        store_tx_end(st, 0, NULL);
        return -1;
    }
    return store_tx_end(st, 1, err);
}

/* ---- opening ---- */

static int user_version(struct store *st, int *v, struct error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        store_fail(st, rc, err);
        sqlite3_finalize(s);
        return -1;
    }
    *v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return 0;
}

static int fk_violations(struct store *st, struct error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        error_set(err, "database: migration broke a reference in table %s",
                  (const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
        return -1;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

static int migrate(struct store *st, struct error *err)
{
    int v;
    if (user_version(st, &v, err) != 0) return -1;
    if (v > store_migrations_n) {
        error_set(err, "database %s has schema version %d, newer than this winnow knows (%d); "
                  "upgrade winnow", st->path, v, store_migrations_n);
        return -1;
    }
    while (v < store_migrations_n) {
        if (store_tx_begin(st, err) != 0) return -1;
        /* Another winnow may have migrated while we waited for the lock. */
        int ok = user_version(st, &v, err) == 0;
        if (ok && v < store_migrations_n) {
            char pragma[64];
            snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
            ok = store_exec(st, store_migrations[v], err) == 0 && fk_violations(st, err) == 0 &&
                 store_exec(st, pragma, err) == 0;
            if (!ok) error_prefix(err, "migrating to schema version %d", v + 1);
        }
        if (store_tx_end(st, ok, err) != 0) return -1;
        if (user_version(st, &v, err) != 0) return -1;
    }
    return 0;
}

/* Creates the parent directories (0700) and the file itself (0600) before SQLite sees the path:
 * SQLite would create it with the process umask, and the database holds what a person reads. */
static int prepare_file(const char *path, struct error *err)
{
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        char *dir = xstrdup(path);
        dir[slash - path] = 0;
        int rc = mkdir_p(dir, 0700);
        if (rc != 0) error_set(err, "database %s: cannot create directory %s: %s", path, dir,
                               strerror(errno));
        free(dir);
        if (rc != 0) return -1;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        error_set(err, "database %s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

static int configure(struct store *st, struct error *err)
{
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    /* A new database gets 16 KiB pages (SQLite's default is 4 KiB): a refresh writes each item
     * into eight b-trees and the text index, and with larger pages it touches fewer of them, in
     * a tree a level shallower: the main thread of a cold 300-feed refresh took 0.15 s of CPU
     * instead of 0.19 s (mostly fewer WAL writes and page reads).  An existing database keeps
     * its pages (only a VACUUM would change them); this must come before journal_mode. */
    if (store_exec(st, "PRAGMA page_size = 16384", err) != 0) return -1;
    /* journal_mode answers with the mode in force; a file system without shared memory keeps
     * "delete", which still works, only with readers and writers excluding each other. */
    if (store_exec(st, "PRAGMA journal_mode = WAL", err) != 0) return -1;
    /* In WAL mode NORMAL loses at most the last transactions on power loss, never consistency. */
    if (store_exec(st, "PRAGMA synchronous = NORMAL", err) != 0) return -1;
    /* checkpoints on a thread of their own (checkpoint.c), not inside the writer's commits */
    store_ckpt_install(st);
    /* An insert that may abort half-way (several indexes, a foreign key) keeps a statement journal
     * to undo itself.  Debian's SQLite keeps temporary files on disk, and once that journal passed
     * its in-memory limit the item upsert wrote it to /var/tmp: 620,000 writes instead of 30,000
     * and twice the time for 100k items (measured).  One statement's journal is small. */
    if (store_exec(st, "PRAGMA temp_store = MEMORY", err) != 0) return -1;
    /* before anything opens the text index; without it the built-in tokenizer gives the same words */
    (void)store_fts_tok_install(st->db);
    if (migrate(st, err) != 0) return -1;
    st->migrated = 1;
    return store_exec(st, "PRAGMA foreign_keys = ON", err);
}

/* The database as it is, for reading, when it cannot be written: read-only through the WAL's
 * shared memory when that works, else (no WAL left behind by an unclean exit) as an immutable
 * file, which needs no -shm or -wal at all, so a full disk cannot stop it. */
static int open_read_only(struct store *st, const char *why, struct error *err)
{
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", st->path);
    struct stat sb;
    int wal_frames = stat(wal, &sb) == 0 && sb.st_size > 32;
    for (int immutable = 0; immutable < 2; immutable++) {
        if (immutable && wal_frames) break;   /* immutable would miss what the WAL holds */
        struct strbuf uri;
        sb_init(&uri);
        sb_adds(&uri, "file:");
        for (const char *p = st->path; *p; p++) {
            /* a URI: ?, # and % in a path must be escaped */
            if (*p == '?' || *p == '#' || *p == '%') sb_printf(&uri, "%%%02X", (unsigned char)*p);
            else sb_addc(&uri, *p);
        }
        sb_adds(&uri, immutable ? "?immutable=1" : "?mode=ro");
        int rc = sqlite3_open_v2(uri.s, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
        sb_free(&uri);
        int v = -1;
        if (rc == SQLITE_OK) {
            sqlite3_extended_result_codes(st->db, 1);
            sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
            rc = sqlite3_exec(st->db, "PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON", NULL, NULL, NULL);
            (void)store_fts_tok_install(st->db);
        }
        if (rc == SQLITE_OK && user_version(st, &v, err) == 0 && v == store_migrations_n) {
            st->read_only = 1;
            snprintf(st->read_only_why, sizeof st->read_only_why, "%s", why);
            return 0;
        }
        if (rc == SQLITE_OK && v >= 0)
            error_set(err, "database %s needs schema version %d and cannot be written (%s)", st->path,
                      store_migrations_n, why);
        sqlite3_close(st->db);
        st->db = NULL;
    }
    return -1;
}

/* SQLite keeps allocation statistics under a global mutex by default: one lock per malloc, 4 % of
 * a cold refresh.  Nothing here reads those statistics.  The setting must come before SQLite
 * initialises itself; if something else initialised it first, the call fails harmlessly. */
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct store *store_open(const char *path, struct error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    if (!path || !*path) {
        error_set(err, "database: no path given");
        return NULL;
    }
    int memory = strcmp(path, ":memory:") == 0;
    struct store *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    st->busy_ms = BUSY_TIMEOUT_MS;
    if (!memory && prepare_file(path, err) != 0) {
        /* a database on a read-only file system, or a file made read-only: read what is there */
        int e = errno;
        if ((e == EROFS || e == EACCES) && access(path, R_OK) == 0 &&
            open_read_only(st, "the file cannot be written", err) == 0)
            return st;
        store_close(st);
        return NULL;
    }
    /* A store handle belongs to one thread (the reader's or the command's), so the connection needs
     * no mutex of its own; other threads (thumbnails, parsing) never see it. */
    int rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        error_set(err, "database %s: %s", path, st->db ? sqlite3_errmsg(st->db) : "cannot open");
        store_close(st);
        return NULL;
    }
    if (configure(st, err) != 0) {
        int xrc = sqlite3_extended_errcode(st->db), sys = sqlite3_system_errno(st->db);
        sqlite3_close(st->db);
        st->db = NULL;
        /* A full disk (or a read-only one) must not keep anyone from reading what is stored. */
        const char *why = no_room(xrc & 0xff, sys);
        if (!memory && (why || (xrc & 0xff) == SQLITE_READONLY)) {
            struct error e2;
            error_clear(&e2);
            if (open_read_only(st, why ? why : "the file cannot be written", &e2) == 0) return st;
        }
        store_close(st);
        return NULL;
    }
    return st;
}

void store_close(struct store *st)
{
    if (!st) return;
    store_ckpt_stop(st);
    for (int i = 0; i < Q__COUNT; i++) sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < QS__SHAPES; i++) {
        for (int k = 0; k < QP__N; k++) sqlite3_finalize(st->page[k][i]);
        sqlite3_finalize(st->count[i]);
        sqlite3_finalize(st->at[i]);
        for (int d = 0; d < 2; d++) {
            sqlite3_finalize(st->find[d][i]);
            sqlite3_finalize(st->near[d][i]);
            sqlite3_finalize(st->far[d][i]);
            sqlite3_finalize(st->side[d][i]);
        }
    }
    if (st->db) sqlite3_close(st->db);
    store_turn_close(st);
    free(st->path);
    free(st);
}

const char *store_sqlite_version(void) { return sqlite3_libversion(); }

int store_schema_version(struct store *st)
{
    int v = -1;
    struct error ignored;
    if (user_version(st, &v, &ignored) != 0) return -1;
    return v;
}

void store_set_busy_timeout(struct store *st, int ms)
{
    st->busy_ms = ms < 0 ? 0 : ms;
    sqlite3_busy_timeout(st->db, ms < 0 ? 0 : ms);
}

struct sqlite3 *store_db(struct store *st)
{
    return st->db;
}
