/* SPDX-License-Identifier: ISC */
/* The WAL goes back into the database on a thread of its own.
 *
 * SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages, on the
 * writer's thread: it copies the pages into the database and syncs both files, and the writer
 * waits.  In a cold refresh of 300 feeds that was one checkpoint of about 50 ms in the middle of
 * the main thread's work, two thirds of it waiting for fdatasync (strace).  Here the writer's
 * connection has no automatic checkpoint; a WAL hook (called after every commit, with the write
 * lock already released) wakes a thread that runs a PASSIVE checkpoint on a connection of its own,
 * while the writer goes on.  A passive checkpoint never takes the write lock and never waits.
 *
 * A writer that never pauses would keep the WAL from starting over: SQLite rewinds it only at the
 * start of a write once every frame in it is back in the database.  So when the WAL reaches
 * CKPT_REWIND pages the writer's own commit checkpoints once more, synchronously, like SQLite's
 * automatic checkpoint: by then the thread has copied nearly all of it, and what is left is the
 * last frames and the syncs; the next write rewinds.  The WAL stays under about CKPT_REWIND pages.
 *
 * The thread starts with the first checkpoint a connection asks for, so a short command never
 * starts one; if it cannot start, the writer checkpoints itself, as SQLite would. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"
#include "util.h"

enum {
    CKPT_PAGES = 256,     /* SQLite's own threshold: the WAL pages a checkpoint waits for */
    CKPT_REWIND = 4000    /* here the writer checkpoints itself, so that the WAL can rewind */
};

struct store_ckpt {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_cond_t idle;  /* the thread finished a checkpoint */
    sqlite3 *db;          /* the thread's connection */
    int wanted;           /* a commit asked for a checkpoint since the last one began */
    int stop;
    int running;          /* the thread is checkpointing */
    int asked_at;         /* WAL pages when the writer last asked */
    int fd;               /* the database file, to sync what the checkpoint wrote */
};

static void *ckpt_main(void *arg)
{
    struct store_ckpt *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->wanted && !c->stop) pthread_cond_wait(&c->cv, &c->mu);
        if (c->stop) break;
        c->wanted = 0;
        c->running = 1;
        pthread_mutex_unlock(&c->mu);
        /* SQLITE_BUSY (another checkpoint is running, in this process or another) just waits for
         * the next request */
        (void)sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (c->fd >= 0) (void)fdatasync(c->fd);
        pthread_mutex_lock(&c->mu);
        c->running = 0;
        pthread_cond_broadcast(&c->idle);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* What ckpt_start made, once the thread (if it started) has ended. */
static void ckpt_free(struct store_ckpt *c)
{
    pthread_cond_destroy(&c->idle);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    sqlite3_close(c->db);
    if (c->fd >= 0) close(c->fd);
    free(c);
}

static struct store_ckpt *ckpt_start(const char *path)
{
    struct store_ckpt *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    pthread_cond_init(&c->idle, NULL);
    c->fd = -1;
    /* a connection checkpoints only once it has read the database and found its WAL */
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(c->db, 1000) != SQLITE_OK ||
        sqlite3_exec(c->db, "PRAGMA schema_version", NULL, NULL, NULL) != SQLITE_OK) {
        ckpt_free(c);
        return NULL;
    }
    c->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (pthread_create(&c->th, NULL, ckpt_main, c) != 0) {
        ckpt_free(c);
        return NULL;
    }
    return c;
}

static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct store *st = arg;
    if (pages < CKPT_PAGES) return SQLITE_OK;
    if (!st->ckpt && !st->ckpt_failed) {
        st->ckpt = ckpt_start(st->path);
        st->ckpt_failed = !st->ckpt;
    }
    struct store_ckpt *c = st->ckpt;
    if (c && pages >= CKPT_REWIND) {
        /* the writer's own checkpoint, so that the next write rewinds the WAL: a checkpoint running
         * on the thread would make it busy (and hold the read marks the rewind needs), so wait for
         * the thread's current one, which has copied most of what is there */
        pthread_mutex_lock(&c->mu);
        c->wanted = 0;
        while (c->running) pthread_cond_wait(&c->idle, &c->mu);
        pthread_mutex_unlock(&c->mu);
        c->asked_at = 0;
    }
    if (!c || pages >= CKPT_REWIND) {
        /* what SQLite's automatic checkpoint does */
        (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        return SQLITE_OK;
    }
    /* ask again only once another CKPT_PAGES have come (or the WAL has rewound) */
    if (pages < c->asked_at || pages - c->asked_at >= CKPT_PAGES) {
        c->asked_at = pages;
        pthread_mutex_lock(&c->mu);
        c->wanted = 1;
        pthread_cond_signal(&c->cv);
        pthread_mutex_unlock(&c->mu);
    }
    return SQLITE_OK;
}

void store_ckpt_install(struct store *st)
{
    if (st->path && strcmp(st->path, ":memory:") != 0) sqlite3_wal_hook(st->db, wal_hook, st);
}

void store_ckpt_stop(struct store *st)
{
    struct store_ckpt *c = st->ckpt;
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->th, NULL);
    ckpt_free(c);
    st->ckpt = NULL;
}
