/* SPDX-License-Identifier: ISC */
/* workq — a small pool of worker threads for CPU work the event loop hands off (parsing feeds).
 *
 * The owner submits tasks and takes them back when they are done, on its own thread; a task's
 * run() is the only thing that executes on a worker.  Finished tasks are announced on a file
 * descriptor, so the owner can wait for them in the same poll as the network and the terminal.
 * Tasks start by priority, highest first, and in the order they were submitted among equals.
 * Workers block every signal, so SIGWINCH, SIGINT and the like stay with the owner's thread.
 * It serves the refresh's parsers, the fetcher's file reads, yt-dlp runs and the thumbnails. */
#ifndef WINNOW_WORKQ_H
#define WINNOW_WORKQ_H

#include <stddef.h>

struct wtask {
    void (*run)(struct wtask *t);   /* on a worker thread */
    int priority;                   /* higher starts first; 0 for most */
    struct wtask *next;             /* the queue's */
    int queued;                     /* the queue's: submitted and not started */
};

struct workq;

/* Worker threads this machine can use for such work: one less than the CPUs this process may
 * run on (sched_getaffinity, so `taskset` and container limits count), at most max.  0 on a
 * single CPU: the caller should then run tasks itself. */
int workq_cpus_spare(int max);

/* Starts `threads` workers (>= 1).  NULL if a thread or the pipe could not be made. */
struct workq *workq_new(int threads);

/* Queues t; t must stay valid until workq_take returns it (or workq_free hands it back). */
void workq_submit(struct workq *q, struct wtask *t);

/* Moves t, when it has not started yet, to its place for a new priority; 1 if it moved, 0 when it
 * has started (or finished) already. */
int workq_reprioritize(struct workq *q, struct wtask *t, int priority);

/* Hands t back through workq_take as if it had run, without running it (work that failed before
 * it needed a worker, delivered in order with the rest). */
void workq_post(struct workq *q, struct wtask *t);

/* Readable while finished tasks wait to be taken. */
int workq_fd(const struct workq *q);

/* The next finished task, in the order they finished, or NULL. */
struct wtask *workq_take(struct workq *q);

/* Tasks submitted and not yet taken. */
size_t workq_outstanding(const struct workq *q);

/* Lets the running tasks end, starts no more, joins the workers, and hands every task not taken
 * (finished or never started) to drop(), then frees the pool. */
void workq_free(struct workq *q, void (*drop)(struct wtask *t));

#endif
