/* SPDX-License-Identifier: ISC */
/* The fetch engine: one libcurl multi handle driven from the caller's loop.  Requests wait in our
 * own two queues (normal, then low priority) so that no more than max_total easy handles are ever
 * inside the multi handle, and no more than max_per_host of them for one host: a handle that curl
 * parks waiting for a free connection to a busy host would hold a slot other hosts could use, and
 * its total timeout runs while it waits.  curl spreads the admitted transfers over connections
 * within the same limits and multiplexes them on HTTP/2. */
#include "fetch.h"
#include "fetch_file.h"
#include "fetch_int.h"
#include "text.h"
#include "util.h"
#include "workq.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* configure passes the version in DEFS (there is no generated config.h: include/config.h is the
 * user's settings module). */
#ifndef PACKAGE_VERSION
#error "PACKAGE_VERSION is not defined: build through configure"
#endif

/* One file:// read on the worker. */
struct file_task {
    struct wtask t;
    struct file_task *live_next;   /* the fetcher's list of reads not yet delivered */
    struct xfer *x;
    size_t max;
    char *body;
    size_t len;
    int ok;
    char error[256];
};

/* ---------------------------------------------------------------------------------------------- */

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;
static char version_line[512];

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(version_line, sizeof version_line, "winnow/%s %s", PACKAGE_VERSION, curl_version());
}

void fetch_opts_default(struct fetch_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_total = 16;
    o->max_per_host = 6;
    o->connect_timeout_s = 10;
    o->timeout_s = 30;
    o->low_speed_bytes = 1;
    o->low_speed_time_s = 15;
    o->max_body = 16 * MIB;
    o->max_redirects = 5;
    o->user_agent = NULL;
}

const char *fetch_version(void)
{
    pthread_once(&global_once, global_init);
    return version_line;
}

/* A request joins or leaves a queue: its host's count for that queue follows. */
static void q_count(struct queue *q, const struct xfer *x, int d)
{
    if (q->kind < 2 && x->host >= 0) x->f->hosts[x->host].queued[q->kind] += d;
}

static void q_push(struct queue *q, struct xfer *x)
{
    q_count(q, x, 1);
    x->next = NULL;
    if (q->tail) q->tail->next = x;
    else q->head = x;
    q->tail = x;
    q->n++;
}

static struct xfer *q_pop(struct queue *q)
{
    struct xfer *x = q->head;
    if (!x) return NULL;
    q->head = x->next;
    if (!q->head) q->tail = NULL;
    q->n--;
    q_count(q, x, -1);
    x->next = NULL;
    return x;
}

static void q_unlink(struct queue *q, struct xfer *prev, struct xfer *x)
{
    if (prev) prev->next = x->next;
    else q->head = x->next;
    if (q->tail == x) q->tail = prev;
    q->n--;
    q_count(q, x, -1);
    x->next = NULL;
}

static void xfer_free(struct xfer *x)
{
    fetch_reset_response(x);
    free(x->body);
    free(x->url);
    free(x->req_etag);
    free(x->req_lm);
    free(x->file_path);
    free(x->early_error);
    free(x->post_body);
    curl_slist_free_all(x->hdrs);
    free(x);
}

/* ---------------------------------------------------------------------------------------------- */

static void deliver(struct xfer *x, struct fetch_result *r)
{
    if (!r->body) r->body = "";
    if (r->error[0]) {
        /* Messages quote servers (reason phrases, redirect targets) and paths: make them safe to
         * show, and repair a UTF-8 sequence that snprintf may have cut. */
        char *clean = text_sanitize_dup(r->error, strlen(r->error), sizeof r->error - 1, 0);
        snprintf(r->error, sizeof r->error, "%s", clean);
        free(clean);
    }
    if (x->done) x->done(r, x->user);
}

static void finish(struct fetcher *f, struct xfer *x, CURLcode rc)
{
    struct fetch_result r;
    memset(&r, 0, sizeof r);
    long status = 0;
    char *eff = NULL;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);

    r.url = x->url;
    r.effective_url = eff ? eff : x->url;
    r.status = status;
    r.from_public = x->hops > 0 && !x->origin_local;
    r.elapsed_ms = now_ms() - x->t_start;
    r.content_type = x->content_type;
    r.content_location = x->content_location;
    r.etag = x->etag;
    r.last_modified = x->last_modified;
    r.link = x->link;
    r.retry_after_s = (status == 429 || status == 503) ? x->retry_after_s : -1;

    if (rc != CURLE_OK) {
        fetch_describe_error(x, rc, status, r.error, sizeof r.error);
    } else if (status == 304) {
        r.ok = 1;
        r.not_modified = 1;
        /* A 304 may omit the validators; the ones we sent are still the current ones. */
        if (!r.etag) r.etag = x->req_etag;
        if (!r.last_modified) r.last_modified = x->req_lm;
        x->len = 0;
    } else if (status >= 200 && status < 300) {
        r.ok = 1;
        r.body = x->body;
        r.len = x->len;
    } else {
        const char *reason = (x->line_status == status && x->reason[0]) ? x->reason
                                                                       : fetch_reason_for(status);
        snprintf(r.error, sizeof r.error, "HTTP %ld%s%s", status, reason[0] ? " " : "", reason);
        r.body = x->body;
        r.len = x->len;
    }

    curl_multi_remove_handle(f->multi, x->easy);
    for (int i = 0; i < f->n_active; i++) {
        if (f->active[i] == x) {
            f->active[i] = f->active[--f->n_active];
            if (x->host >= 0) f->hosts[x->host].active--;
            break;
        }
    }
    deliver(x, &r);

    if (f->n_pool < f->o.max_total) {
        curl_easy_reset(x->easy);
        f->pool[f->n_pool++] = x->easy;
    } else {
        curl_easy_cleanup(x->easy);
    }
    x->easy = NULL;
    xfer_free(x);
}

static void fail_early(struct fetcher *f, struct xfer *x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_early(struct fetcher *f, struct xfer *x, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->early_error = fetch_dup_clean(msg, strlen(msg));
    q_push(&f->failed, x);
}

static int deliver_failed(struct fetcher *f)
{
    int n = 0;
    /* Take the list first: a callback may queue another bad URL, which waits for the next poll. */
    struct queue q = f->failed;
    memset(&f->failed, 0, sizeof f->failed);
    f->failed.kind = 2;
    struct xfer *x;
    while ((x = q_pop(&q))) {
        struct fetch_result r;
        memset(&r, 0, sizeof r);
        r.url = r.effective_url = x->url;
        r.retry_after_s = -1;
        snprintf(r.error, sizeof r.error, "%s", x->early_error);
        deliver(x, &r);
        xfer_free(x);
        n++;
    }
    return n;
}

/* ---------------------------------------------------------------------------------------------- */
/* file:// on the worker: the caller's thread (the reader's UI) never opens a local file itself */

static void file_run(struct wtask *t)
{
    struct file_task *ft = (struct file_task *)t;
    ft->ok = fetch_file_read(ft->x->file_path, ft->max, ft->x->range_end, &ft->body, &ft->len,
                             ft->error, sizeof ft->error) == 0;
}

static void file_drop(struct wtask *t)
{
    struct file_task *ft = (struct file_task *)t;
    xfer_free(ft->x);
    free(ft->body);
    free(ft);
}

static void file_submit(struct fetcher *f, struct xfer *x)
{
    if (!f->files) f->files = workq_new(1);
    if (!f->files) {
        fail_early(f, x, "%s", "could not start the file reader");
        return;
    }
    struct file_task *ft = xcalloc(1, sizeof *ft);
    ft->t.run = file_run;
    ft->x = x;
    ft->max = f->o.max_body;
    x->t_start = now_ms();
    ft->live_next = f->file_tasks;
    f->file_tasks = ft;
    workq_submit(f->files, &ft->t);
    f->n_files++;
}

static int deliver_files(struct fetcher *f)
{
    int n = 0;
    struct wtask *t;
    while (f->files && (t = workq_take(f->files))) {
        struct file_task *ft = (struct file_task *)t;
        struct xfer *x = ft->x;
        struct fetch_result r;
        memset(&r, 0, sizeof r);
        r.url = r.effective_url = x->url;
        r.retry_after_s = -1;
        r.elapsed_ms = now_ms() - x->t_start;
        r.ok = ft->ok;
        r.body = ft->ok ? ft->body : "";
        r.len = ft->ok ? ft->len : 0;
        if (!ft->ok) snprintf(r.error, sizeof r.error, "%s", ft->error);
        f->n_files--;
        for (struct file_task **pp = &f->file_tasks; *pp; pp = &(*pp)->live_next)
            if (*pp == ft) {
                *pp = ft->live_next;
                break;
            }
        deliver(x, &r);
        file_drop(t);
        n++;
    }
    return n;
}

static int setup_easy(struct fetcher *f, struct xfer *x, CURL *e)
{
    struct fetch_opts *o = &f->o;
    CURLcode rc = CURLE_OK;
#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val); } while (0)
    SET(CURLOPT_URL, x->url);
    SET(CURLOPT_PRIVATE, x);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, x->errbuf);
    SET(CURLOPT_WRITEFUNCTION, fetch_on_body);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_HEADERFUNCTION, fetch_on_header);
    SET(CURLOPT_HEADERDATA, x);
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_PREREQFUNCTION, fetch_on_prereq);
    SET(CURLOPT_PREREQDATA, x);
    SET(CURLOPT_MAXREDIRS, (long)o->max_redirects);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SET(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    SET(CURLOPT_PIPEWAIT, 1L);
    SET(CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
    SET(CURLOPT_TIMEOUT, o->timeout_s);
    SET(CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
    SET(CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
    SET(CURLOPT_USERAGENT, f->user_agent);
    SET(CURLOPT_SSL_VERIFYPEER, x->insecure_tls ? 0L : 1L);
    SET(CURLOPT_SSL_VERIFYHOST, x->insecure_tls ? 0L : 2L);
    SET(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    if (x->hdrs) SET(CURLOPT_HTTPHEADER, x->hdrs);
    if (x->post_body) {
        SET(CURLOPT_POSTFIELDSIZE, (long)strlen(x->post_body));
        SET(CURLOPT_POSTFIELDS, x->post_body);
    } else {
        SET(CURLOPT_HTTPGET, 1L);   /* a pooled handle may have posted before */
    }
    if (x->range_end > 0) {
        char range[48];
        snprintf(range, sizeof range, "0-%ld", x->range_end);
        SET(CURLOPT_RANGE, range);
    }
#undef SET
    return rc == CURLE_OK ? 0 : -1;
}

static int host_busy(const struct fetcher *f, const struct xfer *x)
{
    return x->host >= 0 && f->hosts[x->host].active >= f->o.max_per_host;
}

/* The oldest request in q whose host has room, taken out of q.  The walk stops once every request
 * it has not passed yet belongs to a host it found full (fetch_hosts.c): a queue of 3,000 requests
 * to one full host costs one look, not 3,000. */
static struct xfer *q_take_startable(struct fetcher *f, struct queue *q)
{
    unsigned walk = ++f->walk;
    int blocked = 0;   /* the queued requests of the hosts found full in this walk */
    struct xfer *prev = NULL;
    for (struct xfer *x = q->head; x; prev = x, x = x->next) {
        if (!host_busy(f, x)) {
            q_unlink(q, prev, x);
            return x;
        }
        struct fetch_host *h = &f->hosts[x->host];
        if (h->walk != walk) {
            h->walk = walk;
            blocked += h->queued[q->kind];
            if (blocked >= q->n) break;
        }
    }
    return NULL;
}

/* Moves queued requests into the multi handle while there is room, normal ones first. */
static void start_queued(struct fetcher *f)
{
    while (f->n_active < f->o.max_total) {
        struct xfer *x = q_take_startable(f, &f->normal);
        if (!x) x = q_take_startable(f, &f->low);
        if (!x) break;
        CURL *e = f->n_pool ? f->pool[--f->n_pool] : curl_easy_init();
        if (!e) {
            fail_early(f, x, "%s", "out of memory starting the transfer");
            continue;
        }
        if (setup_easy(f, x, e) != 0) {
            curl_easy_cleanup(e);
            fail_early(f, x, "could not set up the transfer (%s)", x->errbuf);
            continue;
        }
        x->easy = e;
        x->t_start = now_ms();
        CURLMcode mc = curl_multi_add_handle(f->multi, e);
        if (mc != CURLM_OK) {
            curl_easy_cleanup(e);
            x->easy = NULL;
            fail_early(f, x, "could not start the transfer (%s)", curl_multi_strerror(mc));
            continue;
        }
        f->active[f->n_active++] = x;
        if (x->host >= 0) f->hosts[x->host].active++;
    }
}

static int drain(struct fetcher *f)
{
    int n = 0, left;
    CURLMsg *m;
    while ((m = curl_multi_info_read(f->multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        char *priv = NULL;
        CURLcode rc = m->data.result;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
        struct xfer *x = (struct xfer *)priv;
        if (!x) continue;
        finish(f, x, rc);
        n++;
    }
    start_queued(f);
    return n;
}

/* ---------------------------------------------------------------------------------------------- */

struct fetcher *fetch_new(const struct fetch_opts *opts)
{
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK) return NULL;

    struct fetcher *f = xcalloc(1, sizeof *f);
    struct fetch_opts d;
    fetch_opts_default(&d);
    f->o = opts ? *opts : d;
    /* Zero means "not set" for every field: a caller may fill only what it cares about. */
    if (f->o.max_total <= 0) f->o.max_total = d.max_total;
    if (f->o.max_per_host <= 0) f->o.max_per_host = d.max_per_host;
    if (f->o.connect_timeout_s <= 0) f->o.connect_timeout_s = d.connect_timeout_s;
    if (f->o.timeout_s <= 0) f->o.timeout_s = d.timeout_s;
    if (f->o.low_speed_bytes <= 0) f->o.low_speed_bytes = d.low_speed_bytes;
    if (f->o.low_speed_time_s <= 0) f->o.low_speed_time_s = d.low_speed_time_s;
    if (f->o.max_body == 0) f->o.max_body = d.max_body;
    if (f->o.max_redirects <= 0) f->o.max_redirects = d.max_redirects;
    if (f->o.user_agent && *f->o.user_agent) {
        f->user_agent = xstrdup(f->o.user_agent);
    } else {
        size_t n = strlen("winnow/") + strlen(PACKAGE_VERSION) + 1;
        f->user_agent = xmalloc(n);
        snprintf(f->user_agent, n, "winnow/%s", PACKAGE_VERSION);
    }
    f->o.user_agent = f->user_agent;
    f->normal.kind = 0;
    f->low.kind = 1;
    f->failed.kind = 2;

    f->multi = curl_multi_init();
    if (!f->multi) {
        free(f->user_agent);
        free(f);
        return NULL;
    }
    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->o.max_total);
    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->o.max_per_host);
    curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    f->active = xcalloc((size_t)f->o.max_total, sizeof *f->active);
    f->pool = xcalloc((size_t)f->o.max_total, sizeof *f->pool);
    return f;
}

static void free_queue(struct queue *q)
{
    struct xfer *x;
    while ((x = q_pop(q))) xfer_free(x);
}

void fetch_free(struct fetcher *f)
{
    if (!f) return;
    for (int i = 0; i < f->n_active; i++) {
        struct xfer *x = f->active[i];
        curl_multi_remove_handle(f->multi, x->easy);
        curl_easy_cleanup(x->easy);
        xfer_free(x);
    }
    for (int i = 0; i < f->n_pool; i++) curl_easy_cleanup(f->pool[i]);
    free_queue(&f->normal);
    free_queue(&f->low);
    free_queue(&f->failed);
    if (f->files) workq_free(f->files, file_drop);
    curl_multi_cleanup(f->multi);
    free(f->active);
    free(f->pool);
    free(f->user_agent);
    fetch_hosts_free(f);
    free(f);
}

static struct curl_slist *add_header(struct curl_slist *l, const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *h = xmalloc(n);
    snprintf(h, n, "%s: %s", name, value);
    /* A stored validator came from a server: keep it from smuggling extra header lines in. */
    for (char *c = h; *c; c++)
        if (*c == '\r' || *c == '\n') *c = ' ';
    struct curl_slist *nl = curl_slist_append(l, h);
    free(h);
    if (!nl) abort();
    return nl;
}

/* A file:// URL: only when the caller says its origin is local, only on this machine's files. */
static int add_file(struct fetcher *f, struct xfer *x, int allowed)
{
    if (!allowed) {
        fail_early(f, x, "%s", "a local file (file://) refused: only a feed that is itself a local "
                   "file may name local files");
        return -1;
    }
    char *host = fetch_url_part(x->url, CURLUPART_HOST, 0);
    int remote = host && *host && strcasecmp(host, "localhost") != 0;
    free(host);
    if (remote) {
        fail_early(f, x, "%s", "file:// on another host refused (only this machine's files)");
        return -1;
    }
    x->file_path = fetch_url_part(x->url, CURLUPART_PATH, CURLU_URLDECODE);
    if (!x->file_path || !*x->file_path) {
        fail_early(f, x, "not a valid file URL: %s", x->url);
        return -1;
    }
    file_submit(f, x);
    return 0;
}

int fetch_add(struct fetcher *f, const struct fetch_req *req, fetch_done_fn done, void *user)
{
    struct xfer *x = xcalloc(1, sizeof *x);
    x->f = f;
    x->host = -1;
    x->done = done;
    x->user = user;
    x->url = xstrdup(req->url ? req->url : "");
    x->low_priority = req->low_priority;
    x->range_end = req->range_end;
    x->insecure_tls = req->insecure_tls;
    x->public_origin = req->public_origin;
    x->tag = req->tag;
    x->retry_after_s = -1;

    char *scheme = fetch_url_part(x->url, CURLUPART_SCHEME, 0);
    if (!scheme) {
        fail_early(f, x, "not a valid URL: %s", x->url);
        return -1;
    }
    if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0 &&
        strcasecmp(scheme, "file") != 0) {
        fail_early(f, x, "unsupported URL scheme \"%s\" (only http, https and file)", scheme);
        free(scheme);
        return -1;
    }
    if (strcasecmp(scheme, "file") == 0) {
        free(scheme);
        return add_file(f, x, req->allow_file);
    }
    {
        char *host = fetch_url_part(x->url, CURLUPART_HOST, 0);
        char *port = fetch_url_part(x->url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
        size_t n = strlen(scheme) + (host ? strlen(host) : 0) + (port ? strlen(port) : 0) + 8;
        char *key = xmalloc(n);
        snprintf(key, n, "%s://%s:%s", scheme, host ? host : "", port ? port : "");
        for (char *c = key; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        x->host = fetch_host_intern(f, key);
        free(key);
        free(host);
        free(port);
    }
    free(scheme);

    if (req->etag && *req->etag) {
        x->req_etag = xstrdup(req->etag);
        x->hdrs = add_header(x->hdrs, "If-None-Match", req->etag);
    }
    if (req->last_modified && *req->last_modified) {
        x->req_lm = xstrdup(req->last_modified);
        x->hdrs = add_header(x->hdrs, "If-Modified-Since", req->last_modified);
    }
    for (size_t i = 0; req->headers && req->headers[i]; i++) x->hdrs = curl_slist_append(x->hdrs, req->headers[i]);
    if (req->post_body) {
        x->post_body = xstrdup(req->post_body);
        char ct[128];
        snprintf(ct, sizeof ct, "Content-Type: %s", req->post_type ? req->post_type : "application/json");
        x->hdrs = curl_slist_append(x->hdrs, ct);
    }
    q_push(x->low_priority ? &f->low : &f->normal, x);
    return 0;
}

static void cancel_queue(struct queue *q, const void *tag)
{
    struct xfer *prev = NULL, *x = q->head;
    while (x) {
        struct xfer *next = x->next;
        if (x->tag == tag) {
            q_unlink(q, prev, x);
            xfer_free(x);
        } else {
            prev = x;
        }
        x = next;
    }
}

void fetch_cancel(struct fetcher *f, const void *tag)
{
    if (!f || !tag) return;
    cancel_queue(&f->normal, tag);
    cancel_queue(&f->low, tag);
    cancel_queue(&f->failed, tag);
    for (int i = 0; i < f->n_active;) {
        struct xfer *x = f->active[i];
        if (x->tag != tag) {
            i++;
            continue;
        }
        curl_multi_remove_handle(f->multi, x->easy);
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
        f->active[i] = f->active[--f->n_active];
        if (x->host >= 0) f->hosts[x->host].active--;
        xfer_free(x);
    }
    /* a file read on the worker cannot be taken back: it is delivered to nobody */
    for (struct file_task *ft = f->file_tasks; ft; ft = ft->live_next)
        if (ft->x->tag == tag) ft->x->done = NULL;
    start_queued(f);
}

int fetch_pending(const struct fetcher *f)
{
    return f->normal.n + f->low.n + f->failed.n + f->n_active + f->n_files;
}

int fetch_poll(struct fetcher *f, int timeout_ms, struct fetch_waitfd *extra, unsigned n_extra)
{
    int running = 0, done = 0;
    for (unsigned i = 0; i < n_extra; i++) extra[i].revents = 0;

    done += deliver_failed(f);
    done += deliver_files(f);
    start_queued(f);
    curl_multi_perform(f->multi, &running);
    done += drain(f);

    if (n_extra == 0 && fetch_pending(f) == 0) return 0;

    /* Having just delivered results, return promptly so the caller can show them; the extra fds
     * are still polled (with no wait) so their revents are current.  The file reader's fd wakes
     * the wait when a read finishes. */
    int wait_ms = (done > 0 || f->failed.n > 0) ? 0 : timeout_ms < 0 ? INT_MAX : timeout_ms;
    unsigned nw = n_extra + (f->n_files > 0);
    struct curl_waitfd stackw[9], *w = stackw;
    if (nw > 9) w = xcalloc(nw, sizeof *w);
    for (unsigned i = 0; i < n_extra; i++) {
        w[i].fd = extra[i].fd;
        w[i].events = extra[i].events;
        w[i].revents = 0;
    }
    if (f->n_files > 0) {
        w[n_extra].fd = workq_fd(f->files);
        w[n_extra].events = CURL_WAIT_POLLIN;
        w[n_extra].revents = 0;
    }
    curl_multi_poll(f->multi, nw ? w : NULL, nw, wait_ms, NULL);
    for (unsigned i = 0; i < n_extra; i++) extra[i].revents = w[i].revents;
    if (w != stackw) free(w);

    deliver_files(f);
    curl_multi_perform(f->multi, &running);
    drain(f);
    return fetch_pending(f);
}

void fetch_run(struct fetcher *f)
{
    while (fetch_pending(f) > 0) fetch_poll(f, 1000, NULL, 0);
}
