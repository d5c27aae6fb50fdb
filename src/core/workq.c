/* SPDX-License-Identifier: ISC */
/* workq — worker threads with a queue in, a queue out and a pipe to wake the owner (workq.h). */
#include "workq.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

#define MAX_THREADS 16

struct workq {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct wtask *in_head, *in_tail;     /* submitted, not started */
    struct wtask *out_head, *out_tail;   /* finished, not taken */
    size_t outstanding;
    int stop;
    int pipe_r, pipe_w;
    pthread_t th[MAX_THREADS];
    int n_th;
};

int workq_cpus_spare(int max)
{
    int n = 0;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
    if (n <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (int)c : 1;
    }
    n -= 1;
    return n < 0 ? 0 : n > max ? max : n;
}

static void push(struct wtask **head, struct wtask **tail, struct wtask *t)
{
    t->next = NULL;
    if (*tail) (*tail)->next = t;
    else *head = t;
    *tail = t;
}

/* Into the queue of tasks to start: after every task of the same or a higher priority. */
static void insert(struct workq *q, struct wtask *t)
{
    /* the usual case, equal priorities, appends without a walk */
    struct wtask **p = q->in_tail && q->in_tail->priority >= t->priority ? &q->in_tail->next : &q->in_head;
    while (*p && (*p)->priority >= t->priority) p = &(*p)->next;
    t->next = *p;
    *p = t;
    if (!t->next) q->in_tail = t;
    t->queued = 1;
}

static void unlink_queued(struct workq *q, struct wtask *t)
{
    struct wtask *prev = NULL;
    for (struct wtask **p = &q->in_head; *p; prev = *p, p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            if (q->in_tail == t) q->in_tail = prev;
            t->next = NULL;
            t->queued = 0;
            return;
        }
}

static struct wtask *pop(struct wtask **head, struct wtask **tail)
{
    struct wtask *t = *head;
    if (t) {
        *head = t->next;
        if (!*head) *tail = NULL;
        t->next = NULL;
    }
    return t;
}

/* Caller holds q->mu. */
static void finish(struct workq *q, struct wtask *t)
{
    int was_empty = q->out_head == NULL;
    push(&q->out_head, &q->out_tail, t);
    if (was_empty) {
        /* one byte per empty→non-empty change; a full pipe still wakes the owner */
        ssize_t w;
        do w = write(q->pipe_w, "x", 1);
        while (w < 0 && errno == EINTR);
    }
}

static void *worker(void *arg)
{
    struct workq *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->stop && !q->in_head) pthread_cond_wait(&q->cv, &q->mu);
        if (q->stop) break;
        struct wtask *t = pop(&q->in_head, &q->in_tail);
        t->queued = 0;
        pthread_mutex_unlock(&q->mu);
        t->run(t);
        pthread_mutex_lock(&q->mu);
        finish(q, t);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

struct workq *workq_new(int threads)
{
    if (threads < 1) threads = 1;
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    struct workq *q = xcalloc(1, sizeof *q);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        free(q);
        return NULL;
    }
    q->pipe_r = fds[0];
    q->pipe_w = fds[1];
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    /* Workers take no signals: SIGWINCH, SIGINT and the like stay with the owner's thread. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&q->th[q->n_th], NULL, worker, q) != 0) break;
        q->n_th++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (q->n_th == 0) {
        workq_free(q, NULL);
        return NULL;
    }
    return q;
}

void workq_submit(struct workq *q, struct wtask *t)
{
    pthread_mutex_lock(&q->mu);
    insert(q, t);
    q->outstanding++;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

int workq_reprioritize(struct workq *q, struct wtask *t, int priority)
{
    pthread_mutex_lock(&q->mu);
    int moved = t->queued;
    if (moved) {
        unlink_queued(q, t);
        t->priority = priority;
        insert(q, t);
    } else {
        t->priority = priority;
    }
    pthread_mutex_unlock(&q->mu);
    return moved;
}

void workq_post(struct workq *q, struct wtask *t)
{
    pthread_mutex_lock(&q->mu);
    q->outstanding++;
    t->queued = 0;
    finish(q, t);
    pthread_mutex_unlock(&q->mu);
}

int workq_fd(const struct workq *q) { return q->pipe_r; }

struct wtask *workq_take(struct workq *q)
{
    pthread_mutex_lock(&q->mu);
    struct wtask *t = pop(&q->out_head, &q->out_tail);
    if (t) q->outstanding--;
    if (!q->out_head) {
        /* empty again: swallow the wake-ups so the fd stops being readable */
        char buf[64];
        while (read(q->pipe_r, buf, sizeof buf) > 0)
            ;
    }
    pthread_mutex_unlock(&q->mu);
    return t;
}

size_t workq_outstanding(const struct workq *q)
{
    pthread_mutex_lock((pthread_mutex_t *)&q->mu);
    size_t n = q->outstanding;
    pthread_mutex_unlock((pthread_mutex_t *)&q->mu);
    return n;
}

void workq_free(struct workq *q, void (*drop)(struct wtask *t))
{
    if (!q) return;
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    for (int i = 0; i < q->n_th; i++) pthread_join(q->th[i], NULL);
    struct wtask *t;
    while ((t = pop(&q->out_head, &q->out_tail)) || (t = pop(&q->in_head, &q->in_tail)))
        if (drop) drop(t);
    close(q->pipe_r);
    close(q->pipe_w);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    free(q);
}
