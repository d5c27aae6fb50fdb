/* SPDX-License-Identifier: ISC */
/* The worker pool refresh hands parsing to: every task comes back once, the fd says when, tasks
 * start in order (by priority first, also after a change of priority), a posted task comes back
 * without running, workers take no signals, freeing with work outstanding hands everything back,
 * and the CPU count follows the affinity mask. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "testutil.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

#include "workq.h"

struct t {
    struct wtask w;
    int id;
    atomic_int *order;      /* next start number */
    int started_as;
    int delay_ms;
    pthread_t who;
};

static void run(struct wtask *w)
{
    struct t *t = (struct t *)w;
    t->started_as = atomic_fetch_add(t->order, 1);
    t->who = pthread_self();
    if (t->delay_ms) usleep((useconds_t)t->delay_ms * 1000);
    /* some work the sanitiser would notice if two threads shared it */
    volatile unsigned x = 0;
    for (int i = 0; i < 10000; i++) x += (unsigned)i * (unsigned)t->id;
}

static int wait_fd(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, ms);
}

static void test_all_back_in_order(void **state)
{
    (void)state;
    struct workq *q = workq_new(1);
    assert_non_null(q);
    atomic_int order = 0;
    enum { N = 200 };
    struct t ts[N];
    memset(ts, 0, sizeof ts);
    for (int i = 0; i < N; i++) {
        ts[i].w.run = run;
        ts[i].id = i;
        ts[i].order = &order;
        workq_submit(q, &ts[i].w);
    }
    int seen[N] = {0}, got = 0;
    while (got < N) {
        assert_true(wait_fd(workq_fd(q), 5000) > 0);   /* readable while results wait */
        struct wtask *w;
        while ((w = workq_take(q))) {
            struct t *t = (struct t *)w;
            assert_int_equal(seen[t->id], 0);
            seen[t->id] = 1;
            /* one worker: started in the order submitted, and not on this thread */
            assert_int_equal(t->started_as, t->id);
            assert_false(pthread_equal(t->who, pthread_self()));
            got++;
        }
    }
    assert_int_equal(workq_outstanding(q), 0);
    /* nothing left: the fd is quiet again */
    assert_int_equal(wait_fd(workq_fd(q), 50), 0);
    workq_free(q, NULL);
}

static void test_several_workers(void **state)
{
    (void)state;
    struct workq *q = workq_new(3);
    assert_non_null(q);
    atomic_int order = 0;
    enum { N = 60 };
    struct t ts[N];
    memset(ts, 0, sizeof ts);
    for (int i = 0; i < N; i++) {
        ts[i] = (struct t){.w.run = run, .id = i, .order = &order, .delay_ms = 1};
        workq_submit(q, &ts[i].w);
    }
    int got = 0;
    while (got < N) {
        assert_true(wait_fd(workq_fd(q), 5000) > 0);
        while (workq_take(q)) got++;
    }
    assert_int_equal(atomic_load(&order), N);
    workq_free(q, NULL);
}

/* Holds the one worker until released, so that the tasks after it wait in the queue. */
static atomic_int gate, holding;
static int signals_blocked;
static void hold(struct wtask *w)
{
    (void)w;
    atomic_store(&holding, 1);
    sigset_t cur;
    pthread_sigmask(SIG_BLOCK, NULL, &cur);
    signals_blocked = sigismember(&cur, SIGWINCH) && sigismember(&cur, SIGINT) && sigismember(&cur, SIGTERM);
    while (!atomic_load(&gate)) usleep(1000);
}

static void test_priority(void **state)
{
    (void)state;
    struct workq *q = workq_new(1);
    assert_non_null(q);
    atomic_store(&gate, 0);
    struct wtask blocker = {.run = hold};
    workq_submit(q, &blocker);
    /* the tasks below would start before it otherwise: they outrank it */
    for (int i = 0; i < 5000 && !atomic_load(&holding); i++) usleep(1000);
    assert_true(atomic_load(&holding));
    atomic_int order = 0;
    enum { N = 6 };
    const int prio[N] = {0, 5, 0, 5, 9, 0};
    struct t ts[N];
    memset(ts, 0, sizeof ts);
    for (int i = 0; i < N; i++) {
        ts[i] = (struct t){.w.run = run, .w.priority = prio[i], .id = i, .order = &order, .started_as = -1};
        if (i < N - 1) workq_submit(q, &ts[i].w);
    }
    assert_int_equal(workq_reprioritize(q, &ts[2].w, 7), 1);   /* 0 → 7: ahead of the fives */
    workq_post(q, &ts[5].w);                                   /* back without running */
    assert_int_equal(workq_outstanding(q), N + 1);
    atomic_store(&gate, 1);
    int got = 0;
    while (got < N + 1) {
        assert_true(wait_fd(workq_fd(q), 5000) > 0);
        while (workq_take(q)) got++;
    }
    /* 9 first, then the raised one, the fives in the order submitted, the zero last */
    assert_int_equal(ts[4].started_as, 0);
    assert_int_equal(ts[2].started_as, 1);
    assert_int_equal(ts[1].started_as, 2);
    assert_int_equal(ts[3].started_as, 3);
    assert_int_equal(ts[0].started_as, 4);
    assert_int_equal(ts[5].started_as, -1);
    /* a task that ran is not queued any more */
    assert_int_equal(workq_reprioritize(q, &ts[0].w, 3), 0);
    /* the worker ran with SIGWINCH, SIGINT and SIGTERM blocked: they stay with this thread */
    assert_true(signals_blocked);
    workq_free(q, NULL);
}

static int dropped;
static void drop(struct wtask *w)
{
    (void)w;
    dropped++;
}

static void test_free_hands_back(void **state)
{
    (void)state;
    struct workq *q = workq_new(1);
    atomic_int order = 0;
    enum { N = 20 };
    struct t ts[N];
    memset(ts, 0, sizeof ts);
    for (int i = 0; i < N; i++) {
        ts[i] = (struct t){.w.run = run, .id = i, .order = &order, .delay_ms = 5};
        workq_submit(q, &ts[i].w);
    }
    usleep(12000);   /* a few have run, one may be running */
    dropped = 0;
    workq_free(q, drop);   /* waits for the running one; the rest come back unrun or finished */
    assert_int_equal(dropped, N);
    assert_true(atomic_load(&order) < N);
}

static void test_cpus_follow_affinity(void **state)
{
    (void)state;
    cpu_set_t old, one;
    assert_int_equal(sched_getaffinity(0, sizeof old, &old), 0);
    int first = -1;
    for (int c = 0; c < CPU_SETSIZE && first < 0; c++)
        if (CPU_ISSET(c, &old)) first = c;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
    assert_int_equal(workq_cpus_spare(3), 0);     /* one CPU: parse on the caller's thread */
    assert_int_equal(sched_setaffinity(0, sizeof old, &old), 0);
    int n = CPU_COUNT(&old);
    int want = n - 1 > 3 ? 3 : n - 1;
    assert_int_equal(workq_cpus_spare(3), want);
    assert_true(workq_cpus_spare(1) <= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_back_in_order),
        cmocka_unit_test(test_several_workers),
        cmocka_unit_test(test_priority),
        cmocka_unit_test(test_free_hands_back),
        cmocka_unit_test(test_cpus_follow_affinity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
