/* SPDX-License-Identifier: ISC */
/* Writers take turns.  SQLite's write lock is not fair: a writer that waits sleeps in its busy
 * handler and gets the lock only if it happens to wake while the lock is free.  A refresh commits
 * every few milliseconds and begins again at once, so `winnow list add` (or the reader marking an
 * item read) could wait for the whole refresh: in CI a list add waited 3 s for a 200,000-item
 * refresh to end, although every batch held the lock for at most 100 ms.
 *
 * The turn file ("<database>-wait") says who waits.  A writer holds a shared flock(2) on it while
 * it waits for BEGIN IMMEDIATE, and lets go once it has the lock.  Before it begins, every writer
 * first looks whether somebody else holds that shared lock (an exclusive lock it cannot get) and,
 * if so, lets them go first: it waits until nobody waits any more, at most the busy timeout.
 *
 * A statement that writes outside a transaction (the reader marking an item read) takes the lock
 * as BEGIN IMMEDIATE does, so it takes its turn the same way (store_step): with a refresh of
 * 200,000 items running in another process, a mark-read every tenth of a second waited at most
 * 0.5 s (median 30 ms), where it had waited up to 3 s.
 *
 * No cycle can form: a writer waiting for its turn holds neither the shared lock nor the database;
 * one that holds the shared lock waits only for the database, whose holder is inside a transaction
 * and never waits for a turn (statements inside one, even those store_tx_end runs after its depth
 * is back to 0, take none: SQLite's autocommit says).  A crashed writer's locks go with its
 * process.  Without the file (a read-only directory, an in-memory database) writers simply race,
 * as SQLite has them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"
#include "util.h"

static int turn_fd(struct store *st)
{
    if (st->turn_fd == 0) {
        st->turn_fd = -1;
        if (st->path && strcmp(st->path, ":memory:") != 0) {
            char p[4096];
            if ((size_t)snprintf(p, sizeof p, "%s-wait", st->path) < sizeof p) {
                int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
                /* 0 is a valid descriptor but not one this code keeps: store_open's caller has its
                 * standard streams open */
                if (fd > 0) st->turn_fd = fd;
                else if (fd == 0) close(fd);
            }
        }
    }
    return st->turn_fd;
}

void store_turn_enter(struct store *st, int timeout_ms)
{
    int fd = turn_fd(st);
    if (fd < 0) return;
    /* somebody waits when the exclusive lock cannot be had: let them go first */
    double end = now_ms() + timeout_ms;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if ((errno != EWOULDBLOCK && errno != EINTR) || now_ms() >= end) break;
        const struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    /* from exclusive (or nothing) to shared: now this writer is the one that waits */
    while (flock(fd, LOCK_SH) != 0 && errno == EINTR) continue;
}

void store_turn_leave(struct store *st)
{
    if (st->turn_fd > 0) flock(st->turn_fd, LOCK_UN);
}

void store_turn_close(struct store *st)
{
    if (st->turn_fd > 0) close(st->turn_fd);
    st->turn_fd = -1;
}
