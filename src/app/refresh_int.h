/* SPDX-License-Identifier: ISC */
/* The refresh's own state, shared by its two rooms: refresh.c (requests, hosts, parse workers, the
 * poll) and refresh_finish.c (a finished feed stored and reported, the poll's shared transaction).
 * Nothing outside src/app/refresh*.c includes this. */
#ifndef WINNOW_REFRESH_INT_H
#define WINNOW_REFRESH_INT_H

#include "app_int.h"
#include "workq.h"

struct refresh_job;
struct ptask;

struct req {
    struct refresh_job *j;
    char *url, *stage, *host;
    int first, optional, endpoint, depth;
    struct req *next;        /* in the waiting queue */
    struct req *live_prev, *live_next;   /* every request not yet finished, for freeing */
};

struct refresh_job {
    struct refresh *r;
    struct feed_row feed;
    const struct source *src;
    struct item_sink sink;
    int pending;             /* requests queued, waiting or running */
    int issued;
    int done, failed, not_modified;
    int from_public;         /* a body came from a public address: its items may not name local ones */
    int dropped;             /* optional follow-ups that failed or were refused */
    int deferred;            /* finished before its first request: reported at the first poll */
    int skipped;             /* ...because the server asked to wait: nothing is stored */
    char msg[600];
    char *etag, *last_modified;      /* validators to store */
    char *endpoint, *endpoint_stage; /* a resolved endpoint to remember */
    int forget_endpoint;
    int64_t retry_until;
    int parsing;             /* a parse of one of its bodies is under way (its sink is lent out) */
    int prepared;            /* its items' URLs confined and verdicts worked out (once) */
    struct ptask *wait_head, *wait_tail;   /* bodies waiting for that parse to end */
};

/* One body to parse: a copy of what the fetch callback was given, and the parse's outcome. */
struct ptask {
    struct wtask w;          /* first: the pool hands back &w */
    struct req *q;
    char *body;
    size_t len;
    size_t max_items;
    char *fetch_url, *content_type, *content_location, *etag, *last_modified, *link;
    long status;
    int rc;
    struct error e;
    struct ptask *next;      /* in its job's waiting list */
};

struct host_gate {
    char *host;
    int inflight;
    int64_t blocked_until;
    long status;             /* what blocked it */
};

struct refresh {
    struct app *app;
    struct fetcher *fetcher;
    struct refresh_job *jobs;
    size_t n;
    refresh_fn cb;
    void *user;
    struct refresh_report report;
    double started;
    struct host_gate *gates;
    size_t n_gates, cap_gates;
    struct req *wait_head, *wait_tail;
    struct req *live;
    int purged;              /* keep-days was applied after this refresh */
    struct workq *pool;      /* parse workers, started with the first body (NULL: parse here) */
    int pool_tried;
    size_t pool_bytes;       /* bytes of the bodies handed to the pool and not taken back */
    struct ytdlp_queue *ytq; /* yt-dlp runs for "ytdlp:" requests, started with the first one */
    /* the feeds finished during one poll (a blocking refresh: while feeds keep finishing) share
     * one transaction, with no savepoint per feed (store.h): a commit per feed wrote the same
     * index pages to the WAL again and again, 35,000 writes for 300 feeds.  Their reports and
     * items wait for the commit; if it fails, they are failures; if one feed's commit fails
     * half-way, the batch goes back and its feeds are stored again one by one (batch_redo). */
    int in_poll, batch_open;
    int span_polls;          /* the batch may stay open over polls (app_refresh: no one else writes here) */
    int redoing;             /* storing a broken batch's feeds again, one transaction each */
    size_t batch_items;      /* items stored in the open batch */
    double batch_t0;         /* when it was opened */
    struct batched { struct refresh_job *j; enum refresh_status st; int new_items, items, has_msg; } *batch;
    size_t n_batch, cap_batch;
};

/* The longest a batch holds the write lock (ms): another writer waits a moment, never its busy
 * timeout. */
#define APP_REFRESH_BATCH_MS 100.0

/* A feed's outcome to the caller's callback and the report's counts (now). */
void app_refresh_emit(struct refresh_job *j, enum refresh_status st, int new_items, int items, const char *msg);
/* The job's message, prefixed with the adapter's name ("mastodon: HTTP 404 Not Found"). */
void app_refresh_set_msg(struct refresh_job *j, const char *msg);
/* Marks the job failed with msg (the first failure's message stands). */
void app_refresh_job_fail(struct refresh_job *j, const char *msg);
/* All of a job's requests are done: its items are stored (in the poll's batch) and it is reported. */
void app_refresh_job_finish(struct refresh_job *j);
/* Commits the poll's batch and reports the feeds in it (failures, when the commit fails). */
void app_refresh_batch_end(struct refresh *r);

#endif
