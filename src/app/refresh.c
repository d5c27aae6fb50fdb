/* SPDX-License-Identifier: ISC */
/* Refresh: fetch every feed through the fetch engine, hand each body to its adapter as it arrives,
 * fetch the follow-ups adapters ask for (source.h), and commit each feed in one transaction once
 * all of its requests are done.
 *
 * Threads: the network and the store stay on the caller's thread (the store never sees two
 * writers from one process).  Parsing a body is handed to worker threads when the machine has a
 * CPU to spare (workq.h), so a refresh parses one feed while it commits another; half of a cold
 * refresh is parsing.  A job has at most one parse under way: its sink belongs to that parse until
 * the result is taken back here, and its other bodies wait in order behind it.  On a single CPU,
 * or when many bodies already wait for a worker, the body is parsed on the spot, as before.
 *
 * Hosts are treated politely: an adapter may cap its parallel requests per host, and a host that
 * answers 429/503 is not asked again during this refresh; the feeds concerned are skipped by later
 * refreshes until the time the server gave (Retry-After, else a minute). */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "refresh_int.h"
#include "source.h"
#include "login.h"
#include "ytdlp.h"

/* Without a Retry-After, a 429 still means "slow down": wait this long. */
#define DEFAULT_RETRY_S 60
/* A server asking for more than a day is either broken or hostile; a day is long enough. */
#define MAX_RETRY_S 86400
/* Bodies waiting for a parse worker (or for the store's thread to take their items), in bytes:
 * beyond this no new request starts (pump), so a fast network cannot pile up memory in front of
 * a slow parser or store. */
#define POOL_MAX_BYTES ((size_t)8 << 20)
/* Parse workers at most, whatever the CPU count: the store's thread is the next bottleneck. */
#define POOL_MAX_THREADS 3

static void dispatch(struct refresh *r, struct req *q);

static int64_t wall_now(void)
{
    return (int64_t)time(NULL);
}


static struct host_gate *gate_for(struct refresh *r, const char *host)
{
    for (size_t i = 0; i < r->n_gates; i++)
        if (!strcmp(r->gates[i].host, host)) return &r->gates[i];
    if (r->n_gates == r->cap_gates) {
        r->cap_gates = r->cap_gates ? r->cap_gates * 2 : 16;
        r->gates = xrealloc(r->gates, r->cap_gates * sizeof *r->gates);
    }
    struct host_gate *g = &r->gates[r->n_gates++];
    memset(g, 0, sizeof *g);
    g->host = xstrdup(host);
    return g;
}

static struct req *req_new(struct refresh_job *j, const char *url, const char *stage)
{
    struct req *q = xcalloc(1, sizeof *q);
    struct refresh *r = j->r;
    q->j = j;
    q->url = xstrdup(url);
    q->stage = stage ? xstrdup(stage) : NULL;
    struct arena a;
    arena_init(&a);
    char *h = url_host(&a, source_ytdlp_target(url));
    q->host = xstrdup(h ? h : "");
    arena_free(&a);
    q->live_next = r->live;
    if (r->live) r->live->live_prev = q;
    r->live = q;
    j->pending++;
    j->issued++;
    return q;
}

static void req_free(struct req *q)
{
    struct refresh *r = q->j->r;
    if (q->live_prev) q->live_prev->live_next = q->live_next;
    else r->live = q->live_next;
    if (q->live_next) q->live_next->live_prev = q->live_prev;
    free(q->url);
    free(q->stage);
    free(q->host);
    free(q);
}

static void req_finish(struct req *q)
{
    struct refresh_job *j = q->j;
    req_free(q);
    if (--j->pending == 0) app_refresh_job_finish(j);
}

static void keep(char **slot, const char *v)
{
    free(*slot);
    *slot = v ? xstrdup(v) : NULL;
}

/* Queues the follow-ups the last parse asked for. */
static void take_follows(struct refresh_job *j, const struct req *parent)
{
    struct item_sink *s = &j->sink;
    struct app *app = j->r->app;
    for (size_t i = 0; i < s->n_follows && !j->failed; i++) {
        const struct item_follow *f = &s->follows[i];
        if (parent->depth + 1 > SOURCE_MAX_DEPTH || j->issued >= SOURCE_MAX_REQUESTS) {
            j->dropped++;
            continue;
        }
        if (f->skip_guid) {
            struct error e;
            error_clear(&e);
            if (store_item_known(app->store, j->feed.id, f->skip_guid, &e) == 1) {
                /* Stored and completed earlier: leave that copy alone rather than overwrite it
                 * with the sketchier one this parse pushed. */
                struct item *it = item_sink_find(s, f->skip_guid);
                if (it) {
                    size_t k = (size_t)(it - s->items);
                    memmove(it, it + 1, (s->n - k - 1) * sizeof *it);
                    s->n--;
                }
                continue;
            }
        }
        struct req *q = req_new(j, f->url, f->stage ? f->stage : "");
        q->optional = f->optional;
        q->endpoint = f->endpoint;
        q->depth = parent->depth + 1;
        dispatch(j->r, q);
    }
    s->n_follows = 0;
}

static int is_html_type(const char *ct)
{
    return ct && (!strncasecmp(ct, "text/html", 9) || !strncasecmp(ct, "application/xhtml", 17));
}

static char *dup_or_null(const char *v) { return v ? xstrdup(v) : NULL; }

static struct ptask *ptask_new(struct req *q, const struct fetch_result *res)
{
    struct ptask *t = xcalloc(1, sizeof *t);
    t->q = q;
    t->body = xmalloc(res->len + 1);
    memcpy(t->body, res->body, res->len);
    t->body[res->len] = 0;
    t->len = res->len;
    t->max_items = (size_t)q->j->r->app->cfg.max_items;
    t->fetch_url = xstrdup(res->effective_url ? res->effective_url : q->url);
    t->content_type = dup_or_null(res->content_type);
    t->content_location = dup_or_null(res->content_location);
    t->etag = dup_or_null(res->etag);
    t->last_modified = dup_or_null(res->last_modified);
    t->status = res->status;
    t->link = dup_or_null(res->link);
    error_clear(&t->e);
    return t;
}

static void ptask_free(struct ptask *t)
{
    free(t->body);
    free(t->fetch_url);
    free(t->content_type);
    free(t->content_location);
    free(t->etag);
    free(t->last_modified);
    free(t->link);
    free(t);
}

/* On a worker (or here): touches the task and its job's sink, which nobody else touches until the
 * task is taken back; the job's feed row and source do not change during a refresh. */
static void run_parse(struct wtask *w)
{
    struct ptask *t = (struct ptask *)w;
    struct refresh_job *j = t->q->j;
    struct subscription sub = {
        .id = j->feed.id, .url = j->feed.url, .kind = j->feed.kind, .title = j->feed.title,
        .max_items = t->max_items,
        .fetch_url = t->fetch_url,
        .stage = t->q->stage && *t->q->stage ? t->q->stage : NULL,
        .content_type = t->content_type,
        .status = t->status,
        .link = t->link,
        .content_location = t->content_location,
    };
    t->rc = j->src->parse(t->body, t->len, &sub, &j->sink, &t->e);
    if (t->rc < 0) j->sink.n_follows = 0;
}

static void start_parse(struct refresh *r, struct ptask *t);

/* Back on the refresh's thread: what the parse found, then the request is done. */
static void parse_done(struct ptask *t)
{
    struct req *q = t->q;
    struct refresh_job *j = q->j;
    struct refresh *r = j->r;
    j->parsing = 0;
    if (t->rc < 0) {
        if (q->optional) {
            j->dropped++;
        } else {
            char msg[sizeof t->e.msg + 100];
            const char *why = t->e.msg[0] ? t->e.msg : "could not parse the response";
            /* A page served as HTML is the common case of a wrong URL: say so in words. */
            if (is_html_type(t->content_type) && !strcmp(j->src->name, "feed"))
                snprintf(msg, sizeof msg,
                         "not a feed: got %s (%s); `winnow add --link URL` keeps a page as one item",
                         "text/html", why);
            else
                snprintf(msg, sizeof msg, "%s", why);
            app_refresh_job_fail(j, msg);
        }
    } else {
        if (q->first || q->endpoint) {
            keep(&j->etag, t->etag);
            keep(&j->last_modified, t->last_modified);
        }
        if (q->endpoint) {
            keep(&j->endpoint, q->url);
            keep(&j->endpoint_stage, q->stage);
        }
        take_follows(j, q);
    }
    ptask_free(t);
    /* the next body of this job, if one waits (its request keeps the job open) */
    struct ptask *next = j->wait_head;
    if (next) {
        j->wait_head = next->next;
        if (!j->wait_head) j->wait_tail = NULL;
    }
    req_finish(q);
    if (next) start_parse(r, next);
}

static void start_parse(struct refresh *r, struct ptask *t)
{
    struct refresh_job *j = t->q->j;
    if (j->failed) {
        /* a failure arrived while this body waited: it is not read, as before a failure */
        struct req *q = t->q;
        struct ptask *next = j->wait_head;
        if (next) {
            j->wait_head = next->next;
            if (!j->wait_head) j->wait_tail = NULL;
        }
        ptask_free(t);
        req_finish(q);
        if (next) start_parse(r, next);
        return;
    }
    j->parsing = 1;
    if (!r->pool_tried) {
        r->pool_tried = 1;
        /* one worker per CPU: the refresh's own thread mostly waits on the network and the
         * disk, and a second parser keeps both CPUs busy while it commits */
        int n = workq_cpus_spare(POOL_MAX_THREADS);
        if (n > 0) r->pool = workq_new(n + 1 > POOL_MAX_THREADS ? POOL_MAX_THREADS : n + 1);
    }
    /* past the queue's bound only bodies of requests already under way arrive (pump starts no
     * more), and they are in memory anyway: to the workers too, so the store's thread, the
     * refresh's bottleneck, never parses */
    if (r->pool) {
        r->pool_bytes += t->len;
        t->w.run = run_parse;
        workq_submit(r->pool, &t->w);
    } else {
        r->report.parsed_here++;
        run_parse(&t->w);
        parse_done(t);
    }
}

/* A body arrived: parse it now, or after the parse of this job's previous body. */
static void handle_body(struct refresh_job *j, struct req *q, const struct fetch_result *res)
{
    if (res->len == 0) {
        if (q->optional) j->dropped++;
        else app_refresh_job_fail(j, "empty response");
        req_finish(q);
        return;
    }
    struct ptask *t = ptask_new(q, res);
    if (j->parsing) {
        if (j->wait_tail) j->wait_tail->next = t;
        else j->wait_head = t;
        j->wait_tail = t;
        return;
    }
    start_parse(j->r, t);
}

/* Takes back the parses the workers finished. */
static int take_parsed(struct refresh *r)
{
    int n = 0;
    struct wtask *w;
    while (r->pool && (w = workq_take(r->pool))) {
        struct ptask *t = (struct ptask *)w;
        r->pool_bytes -= t->len;
        parse_done(t);
        n++;
    }
    return n;
}

static void handle_failure(struct refresh_job *j, struct req *q, const struct fetch_result *res,
                           struct host_gate *g)
{
    char msg[600], full[460];
    /* the API's own words ("Profile not found") say more than its status line */
    app_fetch_error(res, full, sizeof full);
    const char *why = full;
    if (res->status == 429 || res->status == 503) {
        long secs = res->retry_after_s >= 0 ? res->retry_after_s : res->status == 429 ? DEFAULT_RETRY_S : 0;
        if (secs > MAX_RETRY_S) secs = MAX_RETRY_S;
        if (secs > 0) {
            int64_t until = wall_now() + secs;
            if (until > j->retry_until) j->retry_until = until;
            if (until > g->blocked_until) {
                g->blocked_until = until;
                g->status = res->status;
            }
            snprintf(msg, sizeof msg, "%s, retrying after %ld s", why, secs);
            why = msg;
        }
    }
    /* A remembered endpoint that is gone (account moved, renamed): resolve the URL again next time. */
    if (q->first && j->feed.endpoint && (res->status == 404 || res->status == 410)) j->forget_endpoint = 1;
    if (q->optional && !q->first) j->dropped++;
    else app_refresh_job_fail(j, why);
}

static void pump(struct refresh *r);

static void on_done(const struct fetch_result *res, void *user)
{
    struct req *q = user;
    struct refresh_job *j = q->j;
    struct refresh *r = j->r;
    struct host_gate *g = gate_for(r, q->host);
    if (g->inflight > 0) g->inflight--;
    /* hook: an adapter that falls back on an error page (parse_errors) reads the first one */
    int error_page = !res->ok && q->first && j->src->parse_errors && res->status >= 400 && res->len > 0;
    if ((res->ok || error_page) && !res->not_modified && !j->failed) {
        if (res->from_public) j->from_public = 1;
        handle_body(j, q, res);   /* finishes q when its parse is done */
    } else {
        if (!res->ok) handle_failure(j, q, res, g);
        else if (res->not_modified) j->not_modified |= q->first;
        req_finish(q);
    }
    pump(r);
}

/* Fails a request to a host that asked us to wait, without asking it again. */
static void refuse_blocked(struct req *q, const struct host_gate *g)
{
    struct refresh_job *j = q->j;
    if (g->blocked_until > j->retry_until) j->retry_until = g->blocked_until;
    if (q->optional && !q->first) {
        j->dropped++;
    } else {
        char msg[300];
        snprintf(msg, sizeof msg, "skipped: %s asked to wait (HTTP %ld), retrying after %lld s", g->host,
                 g->status, (long long)(g->blocked_until - wall_now()));
        app_refresh_job_fail(j, msg);
    }
    req_finish(q);
}

static int host_full(const struct req *q, const struct host_gate *g)
{
    int lim = q->j->src->max_per_host;
    return lim > 0 && g->inflight >= lim;
}

static void dispatch(struct refresh *r, struct req *q)
{
    struct host_gate *g = gate_for(r, q->host);
    if (g->blocked_until > wall_now()) {
        refuse_blocked(q, g);
        return;
    }
    if (host_full(q, g)) {
        q->next = NULL;
        if (r->wait_tail) r->wait_tail->next = q;
        else r->wait_head = q;
        r->wait_tail = q;
        return;
    }
    g->inflight++;
    /* hook: a "ytdlp:" request runs yt-dlp instead of a fetch; its JSON comes back to on_done */
    if (strncmp(q->url, SOURCE_YTDLP_PREFIX, strlen(SOURCE_YTDLP_PREFIX)) == 0) {
        if (!r->ytq) r->ytq = app_ytdlp_queue_new(r->app);
        if (!r->ytq) {
            g->inflight--;
            app_refresh_job_fail(q->j, "yt-dlp: could not start a worker thread");
            req_finish(q);
            return;
        }
        ytdlp_queue_add(r->ytq, source_ytdlp_target(q->url), on_done, q);
        return;
    }
    struct fetch_req fr = {0};
    fr.url = q->url;
    fr.tag = r;
    fr.insecure_tls = q->j->feed.insecure_tls;   /* the user opted in for this feed (add --insecure-tls) */
    /* a local feed (the demo) is read from disk; nothing a remote document names ever is */
    fr.allow_file = !strncasecmp(q->j->feed.url, "file:", 5);
    if (q->first) {
        fr.etag = q->j->feed.etag;
        fr.last_modified = q->j->feed.last_modified;
        if (q->j->src->head_bytes > 0 && !q->stage) fr.range_end = q->j->src->head_bytes - 1;
    }
    /* hook: the adapter's own headers and, for a logged-in feed, its credentials (login.h) */
    struct arena ha;
    arena_init(&ha);
    char why[300];
    fr.headers = app_request_headers(r->app, &q->j->feed, q->j->src, q->url, &ha, why, sizeof why);
    if (why[0]) {
        g->inflight--;
        app_refresh_job_fail(q->j, why);
        req_finish(q);
    } else {
        fetch_add(r->fetcher, &fr, on_done, q);
    }
    arena_free(&ha);
}

/* Starts waiting requests whose host has room again (or fails those whose host is blocked). */
static void pump(struct refresh *r)
{
    /* bodies enough wait for the parse workers: no new request until they take some (the poll
     * pumps again then), so a fast network neither piles up memory nor makes the store's thread
     * parse the overflow itself */
    if (r->pool && r->pool_bytes >= POOL_MAX_BYTES) return;
    struct req *q = r->wait_head, *prev = NULL;
    while (q) {
        struct req *next = q->next;
        struct host_gate *g = gate_for(r, q->host);
        if (g->blocked_until > wall_now() || !host_full(q, g)) {
            if (prev) prev->next = next;
            else r->wait_head = next;
            if (r->wait_tail == q) r->wait_tail = prev;
            dispatch(r, q);
            /* dispatch may have queued or finished others: start over from the head */
            q = r->wait_head;
            prev = NULL;
            continue;
        }
        prev = q;
        q = next;
    }
}

static void start_job(struct refresh *r, struct refresh_job *j, struct strbuf *url)
{
    struct app *app = r->app;
    struct subscription sub = {.id = j->feed.id, .url = j->feed.url, .kind = j->feed.kind,
                               .title = j->feed.title, .max_items = (size_t)app->cfg.max_items};
    j->src = source_for_sub(&sub);
    item_sink_init(&j->sink);
    j->sink.max_items = (size_t)app->cfg.max_items;
    int64_t now = wall_now();
    if (j->feed.retry_after > now) {
        char msg[300];
        snprintf(msg, sizeof msg, "skipped: the server asked to wait, retrying after %lld s",
                 (long long)(j->feed.retry_after - now));
        app_refresh_set_msg(j, msg);
        j->deferred = j->skipped = 1;
        return;
    }
    const char *stage = NULL;
    sb_reset(url);
    if (j->feed.endpoint) {
        sb_adds(url, j->feed.endpoint);
        stage = j->feed.endpoint_stage;
    } else {
        struct error e;
        error_clear(&e);
        if (j->src->request(&sub, url, &e) < 0) {
            app_refresh_job_fail(j, e.msg);
            j->deferred = 1;
            return;
        }
    }
    struct req *q = req_new(j, url->s, stage);
    q->first = 1;
    dispatch(r, q);
}

struct refresh *app_refresh_start(struct app *app, const int64_t *ids, size_t n, int jobs,
                                  refresh_fn cb, void *user, struct error *err)
{
    struct feed_row *rows = NULL;
    size_t nrows = 0;
    if (store_feeds(app->store, &rows, &nrows, err) < 0) return NULL;

    struct refresh *r = xcalloc(1, sizeof *r);
    r->app = app;
    r->cb = cb;
    r->user = user;
    r->started = now_ms();
    r->jobs = xcalloc(nrows ? nrows : 1, sizeof *r->jobs);
    for (size_t i = 0; i < nrows; i++) {
        int want = n == 0;
        for (size_t k = 0; k < n && !want; k++)
            if (ids[k] == rows[i].id) want = 1;
        if (!want) {
            store_feed_row_free(&rows[i]);
            continue;
        }
        struct refresh_job *j = &r->jobs[r->n++];
        j->r = r;
        j->feed = rows[i];
    }
    free(rows);

    r->fetcher = app_fetcher_jobs(app, jobs);   /* the session's: scans and thumbnails share it */
    if (!r->fetcher) {
        error_set(err, "%s", APP_NO_FETCHER);
        for (size_t i = 0; i < r->n; i++) store_feed_row_free(&r->jobs[i].feed);
        free(r->jobs);
        free(r);
        return NULL;
    }
    r->report.feeds = r->n;

    struct strbuf url;
    sb_init(&url);
    for (size_t i = 0; i < r->n; i++) start_job(r, &r->jobs[i], &url);
    sb_free(&url);
    return r;
}

/* Jobs that ended before asking anything are reported here, not from inside app_refresh_start,
 * so a callback can rely on the refresh handle it was given. */
static int report_deferred(struct refresh *r)
{
    int n = 0;
    for (size_t i = 0; i < r->n; i++) {
        struct refresh_job *j = &r->jobs[i];
        if (!j->deferred) continue;
        j->deferred = 0;
        n++;
        if (j->skipped) {
            j->done = 1;
            item_sink_free(&j->sink);
            app_refresh_emit(j, REFRESH_FAILED, 0, 0, j->msg);
        } else {
            app_refresh_job_finish(j);
        }
    }
    return n;
}

int app_refresh_poll(struct refresh *r, int timeout_ms, struct fetch_waitfd *extra, unsigned n_extra)
{
    r->in_poll = 1;
    /* results to show now: no waiting this time */
    if (report_deferred(r)) timeout_ms = 0;
    /* wait for the parse workers and the yt-dlp runs too: the caller's fds and theirs, answers
     * copied back */
    if (r->pool || r->ytq) {
        struct fetch_waitfd fds[10];
        struct fetch_waitfd *all = n_extra < 8 ? fds : xcalloc(n_extra + 2, sizeof *all);
        unsigned n = n_extra;
        for (unsigned i = 0; i < n_extra; i++) all[i] = extra[i];
        if (r->pool) all[n++] = (struct fetch_waitfd){workq_fd(r->pool), POLLIN, 0};
        if (r->ytq) all[n++] = (struct fetch_waitfd){ytdlp_queue_fd(r->ytq), POLLIN, 0};
        fetch_poll(r->fetcher, timeout_ms, all, n);
        for (unsigned i = 0; i < n_extra; i++) extra[i].revents = all[i].revents;
        if (all != fds) free(all);
    } else {
        fetch_poll(r->fetcher, timeout_ms, extra, n_extra);
    }
    ytdlp_queue_take(r->ytq);
    size_t batched = r->n_batch;
    if (take_parsed(r) > 0) pump(r);
    /* A blocking refresh keeps its batch open over the next poll while feeds keep finishing
     * (within the batch's bounds): each commit writes every index page it touched to the WAL
     * again, a third of them for 300 feeds when each poll committed.  Another writer (`winnow list
     * add`) waits at most for this batch: the next one lets it go first (the store's turns,
     * src/store/turn.c).  The reader's refresh commits every poll: its own writes (an item marked
     * read) share the connection. */
    if (!r->span_polls || r->n_batch == batched || r->report.done + r->n_batch >= r->n ||
        now_ms() - r->batch_t0 >= APP_REFRESH_BATCH_MS)
        app_refresh_batch_end(r);
    r->report.elapsed_ms = now_ms() - r->started;
    size_t open = r->n - r->report.done;
    if (open && fetch_pending(r->fetcher) == 0 && !(r->pool && workq_outstanding(r->pool)) &&
        !ytdlp_queue_pending(r->ytq)) {
        /* Nothing runs, so nothing will start the waiting requests: start them here.  This cannot
         * happen by construction (a request waits only behind a running one); it keeps a mistake
         * from hanging the refresh. */
        pump(r);
        if (fetch_pending(r->fetcher) == 0 && !ytdlp_queue_pending(r->ytq)) {
            for (size_t i = 0; i < r->n; i++) {
                struct refresh_job *j = &r->jobs[i];
                if (j->done || j->deferred) continue;
                app_refresh_job_fail(j, "internal error: a request was lost");
                app_refresh_job_finish(j);
            }
            app_refresh_batch_end(r);
        }
    }
    r->in_poll = 0;
    int left = (int)(r->n - r->report.done);
    if (left == 0 && !r->purged) {
        /* once, when everything settled: a feed that failed this time keeps its items anyway
         * (store_purge_old skips feeds whose last refresh failed) */
        r->purged = 1;
        struct error e;
        error_clear(&e);
        if (r->app->cfg.keep_days > 0 && store_purge_old(r->app->store, r->app->cfg.keep_days, NULL, &e) < 0) {
            /* nothing was deleted (one transaction): the next refresh tries again */
            struct refresh_report *rep = &r->report;
            if (!rep->store_errors++)
                snprintf(rep->store_error, sizeof rep->store_error, "keep-days: old items not purged: %.250s", e.msg);
        }
    }
    return left;
}

const struct refresh_report *app_refresh_report(const struct refresh *r) { return &r->report; }

static void drop_task(struct wtask *w) { ptask_free((struct ptask *)w); }

void app_refresh_free(struct refresh *r)
{
    if (!r) return;
    app_refresh_batch_end(r);
    free(r->batch);
    /* Parses under way end first (they write into the jobs' sinks); those not taken are dropped. */
    workq_free(r->pool, drop_task);
    ytdlp_queue_free(r->ytq);   /* yt-dlp runs under way are killed, without callbacks */
    for (size_t i = 0; i < r->n; i++) {
        struct ptask *t = r->jobs[i].wait_head, *next;
        for (; t; t = next) {
            next = t->next;
            ptask_free(t);
        }
    }
    /* Requests still running or waiting belong to no callback any more; the fetcher is the
     * session's and goes on with the others' (scans, thumbnails). */
    fetch_cancel(r->fetcher, r);
    while (r->live) req_free(r->live);
    for (size_t i = 0; i < r->n; i++) {
        struct refresh_job *j = &r->jobs[i];
        item_sink_free(&j->sink);   /* a job's items are kept until its batch ends */
        store_feed_row_free(&j->feed);
        free(j->etag);
        free(j->last_modified);
        free(j->endpoint);
        free(j->endpoint_stage);
    }
    for (size_t i = 0; i < r->n_gates; i++) free(r->gates[i].host);
    free(r->gates);
    free(r->jobs);
    free(r);
}

int app_refresh(struct app *app, const int64_t *ids, size_t n, int jobs, refresh_fn cb, void *user,
                struct refresh_report *report, struct error *err)
{
    struct refresh *r = app_refresh_start(app, ids, n, jobs, cb, user, err);
    if (!r) return -1;
    r->span_polls = 1;
    /* the new rows go into the text index in groups, the last group as soon as the feeds are in */
    store_fts_group(app->store, 1);
    while (app_refresh_poll(r, 1000, NULL, 0) > 0)
        ;
    store_fts_group(app->store, 0);
    struct error fe;
    error_clear(&fe);
    if (store_fts_catch_up(app->store, &fe) < 0 && !r->report.store_errors++)
        snprintf(r->report.store_error, sizeof r->report.store_error,
                 "the search index did not take the new items (the next write does): %.200s", fe.msg);
    /* the media scans the refresh queued, which run behind its feeds on the same fetcher */
    while (app_scan_pending(app) > 0 && app_poll(app, 1000, NULL, 0) >= 0)
        ;
    if (report) *report = r->report;
    int rc = r->report.failed || r->report.store_errors ? 1 : 0;
    app_refresh_free(r);
    return rc;
}
