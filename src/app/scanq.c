/* SPDX-License-Identifier: ISC */
/* scanq — fetching media for provenance scans: one job per URL (the items that asked for it ride
 * along), on the session's one fetcher at low priority, so feeds always go first; at most
 * SCAN_INFLIGHT transfers at once and SCAN_PER_HOST per host, so a feed of 1,000 pictures on one
 * CDN neither floods it nor holds up the reader's own thumbnails for long.  Jobs wait in one
 * queue per host and are found by URL through a hash table: adding, starting and finishing a job
 * cost the same with ten jobs or ten thousand. */
#include "app_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "thumbq.h"

#define SCAN_INFLIGHT 8
#define SCAN_PER_HOST 4
#define HEAD_BYTES (4L * 1024 * 1024)    /* of a media file: where C2PA stores usually sit */
#define BUCKETS 4096

struct shost;

struct sjob {
    struct sjob *next;       /* in its host's waiting queue */
    struct sjob *hnext;      /* in its hash bucket */
    struct app *app;
    struct scanq *q;
    struct shost *host;
    char *url;
    int head, running;
    int64_t *ids;
    size_t n, cap;
};

struct shost {
    char name[160];
    int running;
    struct sjob *head, *tail;    /* waiting */
};

struct scanq {
    struct sjob *table[BUCKETS];
    struct shost *hosts;
    size_t n_hosts, cap_hosts, next_host;   /* next_host: where the round-robin goes on */
    int running, waiting;
};

struct scanq *scanq_new(void) { return xcalloc(1, sizeof(struct scanq)); }

static size_t bucket(const char *url)
{
    return (size_t)(hash_fnv1a(url, HASH_FNV_SEED) % BUCKETS);
}

static void job_free(struct sjob *j)
{
    free(j->url);
    free(j->ids);
    free(j);
}

void scanq_free(struct app *app, struct scanq *q)
{
    if (!q) return;
    if (app->fetcher) fetch_cancel(app->fetcher, q);   /* no callback after this */
    for (size_t b = 0; b < BUCKETS; b++)
        while (q->table[b]) {
            struct sjob *j = q->table[b];
            q->table[b] = j->hnext;
            job_free(j);
        }
    free(q->hosts);
    free(q);
}

int scanq_pending(const struct scanq *q) { return q ? q->running + q->waiting : 0; }

static struct shost *host_for(struct scanq *q, const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/?#");
    if (n >= sizeof q->hosts[0].name) n = sizeof q->hosts[0].name - 1;
    for (size_t i = 0; i < q->n_hosts; i++)
        if (!strncmp(q->hosts[i].name, p, n) && !q->hosts[i].name[n]) return &q->hosts[i];
    if (q->n_hosts == q->cap_hosts) {
        /* jobs point at their host: grow by moving, then mend the pointers */
        size_t cap = q->cap_hosts ? q->cap_hosts * 2 : 8;
        struct shost *old = q->hosts, *nh = xcalloc(cap, sizeof *nh);
        if (old) memcpy(nh, old, q->n_hosts * sizeof *nh);
        for (size_t b = 0; b < BUCKETS; b++)
            for (struct sjob *j = q->table[b]; j; j = j->hnext) j->host = nh + (j->host - old);
        free(old);
        q->hosts = nh;
        q->cap_hosts = cap;
    }
    struct shost *h = &q->hosts[q->n_hosts++];
    memset(h, 0, sizeof *h);
    memcpy(h->name, p, n);
    h->name[n] = 0;
    return h;
}

static void on_fetched(const struct fetch_result *res, void *user);

static void start(struct app *app, struct scanq *q, struct sjob *j)
{
    j->running = 1;
    j->host->running++;
    q->running++;
    q->waiting--;
    /* stored URLs obey the origin rule (item_confine_urls): file:// only for a local feed's item;
     * the engine still reads only regular files, on its worker */
    struct fetch_req req = {.url = j->url, .low_priority = 1, .allow_file = 1, .tag = q,
                            .range_end = j->head ? HEAD_BYTES - 1 : 0};
    struct fetcher *f = app_fetcher(app);
    if (!f) {
        /* the scan fails as a fetch would, so the items say why and a later scan tries again */
        struct fetch_result res = {0};
        snprintf(res.error, sizeof res.error, "%s", APP_NO_FETCHER);
        on_fetched(&res, j);
        return;
    }
    fetch_add(f, &req, on_fetched, j);
}

/* Starts waiting jobs while there is room, taking hosts in turn. */
static void pump(struct app *app, struct scanq *q)
{
    size_t idle = 0;
    while (q->running < SCAN_INFLIGHT && q->waiting > 0 && q->n_hosts && idle < q->n_hosts) {
        struct shost *h = &q->hosts[q->next_host++ % q->n_hosts];
        if (!h->head || h->running >= SCAN_PER_HOST) {
            idle++;
            continue;
        }
        idle = 0;
        struct sjob *j = h->head;
        h->head = j->next;
        if (!h->head) h->tail = NULL;
        j->next = NULL;
        start(app, q, j);
    }
}

static void forget(struct scanq *q, struct sjob *j)
{
    for (struct sjob **pp = &q->table[bucket(j->url)]; *pp; pp = &(*pp)->hnext)
        if (*pp == j) {
            *pp = j->hnext;
            break;
        }
}

static void on_fetched(const struct fetch_result *res, void *user)
{
    struct sjob *j = user;
    struct scanq *q = j->q;
    struct app *app = j->app;
    forget(q, j);
    q->running--;
    j->host->running--;
    int ok = res->ok && !res->not_modified;
    if (ok && !j->head && app->cache_dir)
        thumbq_cache_store(app->cache_dir, (size_t)app->cfg.thumb_cache_mb << 20, j->url, res->body, res->len);
    app_prov_store_scan(app, j->url, j->ids, j->n, ok ? res->body : NULL, ok ? res->len : 0,
                        j->head && res->len >= (size_t)HEAD_BYTES,
                        ok ? NULL : res->error[0] ? res->error : "the fetch failed");
    job_free(j);
    pump(app, q);
}

void scanq_add(struct app *app, struct scanq *q, const char *url, int64_t id, int head, int urgent)
{
    size_t b = bucket(url);
    struct sjob *j = q->table[b];
    while (j && strcmp(j->url, url)) j = j->hnext;
    if (!j) {
        j = xcalloc(1, sizeof *j);
        j->app = app;
        j->q = q;
        j->url = xstrdup(url);
        j->head = head;
        j->host = host_for(q, url);
        j->hnext = q->table[b];
        q->table[b] = j;
        struct shost *h = j->host;
        if (urgent) {
            /* the reader opened it: first in its host's queue */
            j->next = h->head;
            h->head = j;
            if (!h->tail) h->tail = j;
        } else {
            if (h->tail) h->tail->next = j;
            else h->head = j;
            h->tail = j;
        }
        q->waiting++;
    }
    if (j->n == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 4;
        j->ids = xrealloc(j->ids, j->cap * sizeof *j->ids);
    }
    j->ids[j->n++] = id;
    pump(app, q);
}
