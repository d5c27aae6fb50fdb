/* SPDX-License-Identifier: ISC */
/* The thumbnail pipeline: request table and LRU (UI thread only), fetches through the caller's
 * fetch engine (UI thread, in its callbacks), and jobs for a core/workq pool (by priority) whose
 * workers read the disk cache, decode, write the cache and render; the pool hands finished jobs
 * back through its pipe.
 *
 * Ownership: an entry belongs to the UI thread.  A job carries copies of everything a worker needs,
 * so workers never look at entries; the UI thread alone frees jobs, in thumbq_collect.  The pool
 * guards its queues; q->mu guards the blobs' reference counts and the counters workers update;
 * the disk cache (thumbq_disk.c) has its own. */
#include "thumbq.h"
#include "thumbq_int.h"
#include "fetch.h"
#include "image.h"
#include "util.h"
#include "workq.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WORKERS 4
#define MAX_URL 8192

struct blob {
    int refs;                /* under q->mu */
    size_t len;
    unsigned char data[];
};

struct entry {
    struct entry *hnext;
    struct entry *lprev, *lnext;   /* LRU, READY and FAILED entries only */
    uint64_t hash;
    char *url;
    int cols, rows;
    enum thumb_colors mode;
    enum thumbq_state state;
    int priority;
    struct thumb_job *job;         /* while queued or running */
    struct thumb thumb;
    size_t bytes;
    char *error;
};

struct thumb_job {
    struct wtask w;                /* first: the pool hands back &w; w.priority is the entry's */
    struct thumbq *q;
    struct entry *e;               /* read by the UI thread only */
    /* the worker's copies */
    char path[PATH_MAX];           /* disk cache file, or "" */
    int cols, rows, ascii, cell_w, cell_h;
    enum thumb_colors mode;
    unsigned style_gen;
    struct blob *blob;             /* fetched bytes; NULL: read path */
    int write_cache;
    /* results */
    int ok, refetch;
    struct thumb thumb;
    char error[sizeof(struct error)];
};

struct fetchrec {
    struct fetchrec *next;
    struct thumbq *q;              /* NULL once the queue is gone */
    char *url;
    struct entry **waiting;
    int n, cap;
};

struct thumbq {
    struct fetcher *f;
    struct tdisk *disk;            /* NULL: no disk cache */
    size_t mem_max_count, mem_max_bytes;
    int ascii, cell_w, cell_h;
    unsigned style_gen;
    thumbq_bytes_fn hook;
    void *hook_user;

    struct entry **table;
    size_t nbuckets, nentries;
    struct entry *lru_head, *lru_tail;   /* head = most recently used */
    size_t mem_count, mem_bytes;
    int pending;
    struct fetchrec *fetches;

    struct workq *pool;
    struct wtask scan;             /* the disk cache's first scan, a task of its own */
    pthread_mutex_t mu;
    struct thumbq_stats st;        /* counters; mem_* and disk_* filled on demand */
};

/* ---------------------------------------------------------------------------------------------- */
/* keys and the table */

static uint64_t key_hash(const char *url, int cols, int rows, enum thumb_colors mode)
{
    uint64_t h = hash_fnv1a(url, HASH_FNV_SEED);
    uint64_t extra[3] = {(uint64_t)cols, (uint64_t)rows, (uint64_t)mode};
    for (int i = 0; i < 3; i++) h = (h ^ extra[i]) * 1099511628211ull;
    return h ^ (h >> 29);
}

static struct entry *lookup(struct thumbq *q, const char *url, int cols, int rows, enum thumb_colors mode)
{
    uint64_t h = key_hash(url, cols, rows, mode);
    for (struct entry *e = q->table[h & (q->nbuckets - 1)]; e; e = e->hnext)
        if (e->hash == h && e->cols == cols && e->rows == rows && e->mode == mode && !strcmp(e->url, url))
            return e;
    return NULL;
}

static void table_grow(struct thumbq *q)
{
    size_t nb = q->nbuckets * 2;
    struct entry **t = xcalloc(nb, sizeof *t);
    for (size_t i = 0; i < q->nbuckets; i++) {
        struct entry *e = q->table[i];
        while (e) {
            struct entry *next = e->hnext;
            e->hnext = t[e->hash & (nb - 1)];
            t[e->hash & (nb - 1)] = e;
            e = next;
        }
    }
    free(q->table);
    q->table = t;
    q->nbuckets = nb;
}

static void table_insert(struct thumbq *q, struct entry *e)
{
    if (q->nentries + 1 > q->nbuckets * 2) table_grow(q);
    struct entry **b = &q->table[e->hash & (q->nbuckets - 1)];
    e->hnext = *b;
    *b = e;
    q->nentries++;
}

static void table_remove(struct thumbq *q, struct entry *e)
{
    for (struct entry **p = &q->table[e->hash & (q->nbuckets - 1)]; *p; p = &(*p)->hnext)
        if (*p == e) {
            *p = e->hnext;
            q->nentries--;
            return;
        }
}

static void lru_unlink(struct thumbq *q, struct entry *e)
{
    if (e->lprev) e->lprev->lnext = e->lnext;
    else if (q->lru_head == e) q->lru_head = e->lnext;
    if (e->lnext) e->lnext->lprev = e->lprev;
    else if (q->lru_tail == e) q->lru_tail = e->lprev;
    e->lprev = e->lnext = NULL;
}

static void lru_push_front(struct thumbq *q, struct entry *e)
{
    e->lprev = NULL;
    e->lnext = q->lru_head;
    if (q->lru_head) q->lru_head->lprev = e;
    q->lru_head = e;
    if (!q->lru_tail) q->lru_tail = e;
}

static void entry_free(struct entry *e)
{
    thumb_free(&e->thumb);
    free(e->error);
    free(e->url);
    free(e);
}

/* Takes a settled (READY/FAILED) entry out of the cache altogether. */
static void entry_forget(struct thumbq *q, struct entry *e)
{
    lru_unlink(q, e);
    table_remove(q, e);
    q->mem_count--;
    q->mem_bytes -= e->bytes;
    entry_free(e);
}

static void evict(struct thumbq *q)
{
    while (q->lru_tail && (q->mem_count > q->mem_max_count || q->mem_bytes > q->mem_max_bytes)) {
        entry_forget(q, q->lru_tail);
        q->st.mem_evictions++;
    }
}

static void settle(struct thumbq *q, struct entry *e, enum thumbq_state st, const char *error)
{
    e->state = st;
    e->job = NULL;
    q->pending--;
    if (error) {
        free(e->error);
        e->error = xstrdup(error);
    }
    e->bytes = sizeof *e + strlen(e->url) + 1 + (e->error ? strlen(e->error) + 1 : 0) +
               (st == THUMBQ_READY ? thumb_bytes(&e->thumb) : 0);
    q->mem_count++;
    q->mem_bytes += e->bytes;
    lru_push_front(q, e);
}

/* ---------------------------------------------------------------------------------------------- */
/* workers */

static void blob_unref(struct thumbq *q, struct blob *b)
{
    if (!b) return;
    pthread_mutex_lock(&q->mu);
    int last = --b->refs == 0;
    pthread_mutex_unlock(&q->mu);
    if (last) free(b);
}

static void run_job(struct thumbq *q, struct thumb_job *j)
{
    char *owned = NULL;
    const unsigned char *bytes;
    size_t len;
    struct error err;
    error_clear(&err);
    int from_disk = j->blob == NULL;
    if (from_disk) {
        if (tdisk_read(q->disk, j->path, IMAGE_MAX_BYTES, &owned, &len) < 0) {
            /* evicted since the request looked: fetch it after all */
            j->refetch = 1;
            return;
        }
        bytes = (const unsigned char *)owned;
    } else {
        bytes = j->blob->data;
        len = j->blob->len;
    }
    struct thumb_opts o;
    memset(&o, 0, sizeof o);
    o.cols = j->cols;
    o.rows = j->rows;
    o.colors = j->mode;
    o.ascii = j->ascii;
    o.cell_w = j->cell_w;
    o.cell_h = j->cell_h;
    int max_w, max_h;
    thumb_pixel_box(&o, &max_w, &max_h);
    struct image img;
    if (image_decode(bytes, len, max_w, max_h, &img, &err) < 0) {
        snprintf(j->error, sizeof j->error, "%s", err.msg);
        /* a cache file that no longer decodes is of no use to anyone */
        if (from_disk) tdisk_drop(q->disk, j->path);
        free(owned);
        return;
    }
    /* only what decodes is kept, so an error page is never cached as a picture */
    if (!from_disk && j->write_cache) tdisk_write(q->disk, j->path, j->blob->data, j->blob->len);
    free(owned);
    if (thumb_render(&img, &o, &j->thumb, &err) < 0) snprintf(j->error, sizeof j->error, "%s", err.msg);
    else j->ok = 1;
    image_free(&img);
}

/* On a worker, before any job (the highest priority): sizes up and trims the disk cache off the
 * UI thread; with two workers, jobs go on beside it. */
static void scan_run(struct wtask *w)
{
    struct thumbq *q = (struct thumbq *)((char *)w - offsetof(struct thumbq, scan));
    tdisk_scan_once(q->disk);
}

/* On a worker. */
static void job_run(struct wtask *w)
{
    struct thumb_job *j = (struct thumb_job *)w;
    struct thumbq *q = j->q;
    run_job(q, j);
    if (j->ok) {
        pthread_mutex_lock(&q->mu);
        q->st.rendered++;
        pthread_mutex_unlock(&q->mu);
    }
}

static struct thumb_job *job_new(struct thumbq *q, struct entry *e, struct blob *b)
{
    struct thumb_job *j = xcalloc(1, sizeof *j);
    j->w.run = job_run;
    j->w.priority = e->priority;
    j->q = q;
    j->e = e;
    j->cols = e->cols;
    j->rows = e->rows;
    j->mode = e->mode;
    j->ascii = q->ascii;
    j->cell_w = q->cell_w;
    j->cell_h = q->cell_h;
    j->style_gen = q->style_gen;
    tdisk_path(q->disk, e->url, j->path, sizeof j->path);
    j->blob = b;
    e->job = j;
    return j;
}

static void job_free(struct thumbq *q, struct thumb_job *j)
{
    blob_unref(q, j->blob);
    thumb_free(&j->thumb);
    free(j);
}

static void job_drop(struct wtask *w)
{
    if (w->run == scan_run) return;   /* part of the queue itself */
    struct thumb_job *j = (struct thumb_job *)w;
    job_free(j->q, j);
}

/* ---------------------------------------------------------------------------------------------- */
/* fetching (UI thread) */

static void fetchrec_free(struct fetchrec *r)
{
    free(r->waiting);
    free(r->url);
    free(r);
}

/* Records of fetches whose queue was freed first.  The fetcher still holds them as callback data;
 * the callback, if it ever comes, frees them.  Kept on a list so that they stay reachable (no leak
 * to report) when the fetcher is freed without calling back. */
static void on_fetched(const struct fetch_result *res, void *user)
{
    struct fetchrec *r = user;
    struct thumbq *q = r->q;
    for (struct fetchrec **p = &q->fetches; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            break;
        }
    char why[256] = "";
    if (!res->ok) snprintf(why, sizeof why, "%s", res->error[0] ? res->error : "fetch failed");
    else if (res->not_modified || res->len == 0) snprintf(why, sizeof why, "empty response");
    else if (res->len > IMAGE_MAX_BYTES)
        snprintf(why, sizeof why, "image larger than %u MiB", IMAGE_MAX_BYTES / (1024u * 1024u));

    struct blob *b = NULL;
    if (!why[0]) {
        if (q->hook) q->hook(r->url, res->body, res->len, q->hook_user);
        b = xmalloc(sizeof *b + res->len);
        b->refs = r->n;
        b->len = res->len;
        memcpy(b->data, res->body, res->len);
    }
    for (int i = 0; i < r->n; i++) {
        struct thumb_job *j = job_new(q, r->waiting[i], b);
        if (b) {
            j->write_cache = i == 0;
            workq_submit(q->pool, &j->w);
        } else {
            /* a result that never needs a worker, delivered in order with the others */
            snprintf(j->error, sizeof j->error, "%s", why);
            workq_post(q->pool, &j->w);
        }
    }
    if (b && r->n == 0) free(b);
    fetchrec_free(r);
}

static void start_fetch(struct thumbq *q, struct entry *e)
{
    struct fetchrec *r;
    for (r = q->fetches; r; r = r->next)
        if (!strcmp(r->url, e->url)) break;
    if (!r) {
        r = xcalloc(1, sizeof *r);
        r->q = q;
        r->url = xstrdup(e->url);
        r->next = q->fetches;
        q->fetches = r;
        struct fetch_req req;
        memset(&req, 0, sizeof req);
        req.url = e->url;
        req.low_priority = 1;
        /* the URLs asked for come from the store, where the origin rule holds (item_confine_urls):
         * a file:// picture there belongs to a local feed; the engine still reads only regular
         * files, on its worker */
        req.allow_file = 1;
        req.tag = q;
        /* on an unsupported scheme the callback still comes, with the error, at the next poll */
        fetch_add(q->f, &req, on_fetched, r);
        q->st.fetches++;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 4;
        r->waiting = xrealloc(r->waiting, (size_t)r->cap * sizeof *r->waiting);
    }
    r->waiting[r->n++] = e;
}

/* ---------------------------------------------------------------------------------------------- */
/* the API */

void thumbq_cache_store(const char *cache_dir, size_t cache_bytes, const char *url, const void *data,
                        size_t len)
{
    if (len == 0 || len > IMAGE_MAX_BYTES) return;
    struct tdisk *d = tdisk_open(cache_dir, cache_bytes ? cache_bytes : THUMBQ_DEFAULT_DISK_BYTES);
    if (!d) return;
    char path[PATH_MAX];
    tdisk_path(d, url, path, sizeof path);
    if (path[0]) tdisk_write(d, path, data, len);
    tdisk_close(d);
}

struct thumbq *thumbq_new(struct fetcher *f, const char *cache_dir, size_t cache_bytes, int workers)
{
    struct thumbq *q = xcalloc(1, sizeof *q);
    q->f = f;
    q->disk = tdisk_open(cache_dir, cache_bytes ? cache_bytes : THUMBQ_DEFAULT_DISK_BYTES);
    q->mem_max_count = THUMBQ_DEFAULT_MEM_COUNT;
    q->mem_max_bytes = THUMBQ_DEFAULT_MEM_BYTES;
    q->ascii = !thumb_locale_utf8();
    q->nbuckets = 256;
    q->table = xcalloc(q->nbuckets, sizeof *q->table);
    q->pool = workq_new(workers < 1 ? 1 : workers > MAX_WORKERS ? MAX_WORKERS : workers);
    if (!q->pool) {
        tdisk_close(q->disk);
        free(q->table);
        free(q);
        return NULL;
    }
    pthread_mutex_init(&q->mu, NULL);
    q->scan.run = scan_run;
    q->scan.priority = INT_MAX;
    workq_submit(q->pool, &q->scan);
    return q;
}

void thumbq_free(struct thumbq *q)
{
    if (!q) return;
    workq_free(q->pool, job_drop);
    /* the fetches still in the session's fetcher are taken back: no callback comes after this */
    fetch_cancel(q->f, q);
    while (q->fetches) {
        struct fetchrec *r = q->fetches;
        q->fetches = r->next;
        r->n = 0;
        fetchrec_free(r);
    }
    for (size_t i = 0; i < q->nbuckets; i++) {
        struct entry *e = q->table[i];
        while (e) {
            struct entry *next = e->hnext;
            entry_free(e);
            e = next;
        }
    }
    free(q->table);
    pthread_mutex_destroy(&q->mu);
    tdisk_close(q->disk);
    free(q);
}

void thumbq_set_style(struct thumbq *q, int ascii, int cell_w, int cell_h)
{
    if (cell_w <= 0 || cell_h <= 0) cell_w = cell_h = 0;
    if (q->ascii == ascii && q->cell_w == cell_w && q->cell_h == cell_h) return;
    q->ascii = ascii;
    q->cell_w = cell_w;
    q->cell_h = cell_h;
    q->style_gen++;
    /* pending requests finish under the old style and are dropped in thumbq_collect */
    while (q->lru_head) entry_forget(q, q->lru_head);
}

void thumbq_forget_failed(struct thumbq *q)
{
    struct entry *e = q->lru_head;
    while (e) {
        struct entry *next = e->lnext;
        if (e->state == THUMBQ_FAILED) entry_forget(q, e);
        e = next;
    }
}

void thumbq_set_memory_limit(struct thumbq *q, size_t max_count, size_t max_bytes)
{
    if (max_count) q->mem_max_count = max_count;
    if (max_bytes) q->mem_max_bytes = max_bytes;
    evict(q);
}

void thumbq_set_bytes_hook(struct thumbq *q, thumbq_bytes_fn fn, void *user)
{
    q->hook = fn;
    q->hook_user = user;
}

int thumbq_fd(const struct thumbq *q) { return workq_fd(q->pool); }

int thumbq_pending(const struct thumbq *q) { return q->pending; }

enum thumbq_state thumbq_request(struct thumbq *q, const char *url, int cols, int rows,
                                 enum thumb_colors mode, int priority)
{
    if (!url) url = "";
    struct entry *e = lookup(q, url, cols, rows, mode);
    if (e) {
        if (e->state != THUMBQ_PENDING) {
            lru_unlink(q, e);
            lru_push_front(q, e);
            return e->state;
        }
        if (priority > e->priority) {
            e->priority = priority;
            if (e->job) workq_reprioritize(q->pool, &e->job->w, priority);
        }
        return THUMBQ_PENDING;
    }
    e = xcalloc(1, sizeof *e);
    e->url = xstrdup(url);
    e->cols = cols;
    e->rows = rows;
    e->mode = mode;
    e->priority = priority;
    e->hash = key_hash(url, cols, rows, mode);
    e->state = THUMBQ_PENDING;
    table_insert(q, e);
    q->pending++;

    const char *bad = NULL;
    if (!*url) bad = "no picture URL";
    else if (strlen(url) > MAX_URL) bad = "picture URL too long";
    else if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000) bad = "thumbnail size out of range";
    if (bad) {
        settle(q, e, THUMBQ_FAILED, bad);
        q->st.failed++;
        evict(q);
        return THUMBQ_FAILED;
    }
    char path[PATH_MAX];
    tdisk_path(q->disk, url, path, sizeof path);
    if (path[0] && access(path, R_OK) == 0) workq_submit(q->pool, &job_new(q, e, NULL)->w);
    else start_fetch(q, e);
    return THUMBQ_PENDING;
}

int thumbq_collect(struct thumbq *q, thumbq_ready_fn fn, void *user)
{
    /* in the order the work finished */
    int n = 0;
    struct wtask *w;
    while ((w = workq_take(q->pool))) {
        if (w->run == scan_run) continue;
        struct thumb_job *j = (struct thumb_job *)w;
        struct entry *e = j->e;
        e->job = NULL;
        if (j->refetch) {
            start_fetch(q, e);
            job_free(q, j);
            continue;
        }
        enum thumbq_state st;
        if (j->style_gen != q->style_gen) {
            table_remove(q, e);
            q->pending--;
            if (fn) fn(e->url, e->cols, e->rows, THUMBQ_NONE, user);
            entry_free(e);
            job_free(q, j);
            n++;
            continue;
        }
        if (j->ok) {
            e->thumb = j->thumb;
            memset(&j->thumb, 0, sizeof j->thumb);
            settle(q, e, THUMBQ_READY, NULL);
            st = THUMBQ_READY;
        } else {
            settle(q, e, THUMBQ_FAILED, j->error[0] ? j->error : "cannot show the picture");
            q->st.failed++;
            st = THUMBQ_FAILED;
        }
        if (fn) fn(e->url, e->cols, e->rows, st, user);
        job_free(q, j);
        n++;
    }
    evict(q);
    return n;
}

const struct thumb *thumbq_get(struct thumbq *q, const char *url, int cols, int rows,
                               enum thumb_colors mode, enum thumbq_state *state)
{
    struct entry *e = url ? lookup(q, url, cols, rows, mode) : NULL;
    if (state) *state = e ? e->state : THUMBQ_NONE;
    if (!e || e->state != THUMBQ_READY) return NULL;
    lru_unlink(q, e);
    lru_push_front(q, e);
    return &e->thumb;
}

const char *thumbq_error(struct thumbq *q, const char *url, int cols, int rows, enum thumb_colors mode)
{
    struct entry *e = url ? lookup(q, url, cols, rows, mode) : NULL;
    return e && e->state == THUMBQ_FAILED ? e->error : NULL;
}

void thumbq_stats(struct thumbq *q, struct thumbq_stats *out)
{
    pthread_mutex_lock(&q->mu);
    *out = q->st;
    pthread_mutex_unlock(&q->mu);
    struct tdisk_stats ds;
    tdisk_stats(q->disk, &ds);
    out->disk_bytes = ds.bytes;
    out->disk_hits = ds.hits;
    out->disk_writes = ds.writes;
    out->disk_evictions = ds.evictions;
    out->mem_count = q->mem_count;
    out->mem_bytes = q->mem_bytes;
}
