/* scanq — fetching media for provenance scans: one job per URL (the items that asked for it ride
 * along), on the session's one fetcher at low priority, so feeds always go first; at most
 * SCAN_INFLIGHT transfers at once and SCAN_PER_HOST per host, so a feed of 1,000 pictures on one
 * CDN neither floods it nor holds up the reader's own thumbnails for long. */
#include "app_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "thumbq.h"

#define SCAN_INFLIGHT 8
#define SCAN_PER_HOST 4
#define HEAD_BYTES (4L * 1024 * 1024)    /* of a media file: where C2PA stores usually sit */

struct sjob {
    struct sjob *next;
    struct app *app;
    struct scanq *q;
    char *url;
    char host[160];
    int head, urgent, running;
    int64_t *ids;
    size_t n, cap;
};

struct scanq {
    struct sjob *jobs;     /* waiting and running, urgent ones first among the waiting */
    int running, waiting;
};

struct scanq *scanq_new(void) { return xcalloc(1, sizeof(struct scanq)); }

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
    while (q->jobs) {
        struct sjob *j = q->jobs;
        q->jobs = j->next;
        job_free(j);
    }
    free(q);
}

int scanq_pending(const struct scanq *q) { return q ? q->running + q->waiting : 0; }

static void host_of(const char *url, char *out, size_t cap)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/?#");
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

static int host_running(const struct scanq *q, const char *host)
{
    int n = 0;
    for (const struct sjob *j = q->jobs; j; j = j->next)
        if (j->running && !strcmp(j->host, host)) n++;
    return n;
}

static void on_fetched(const struct fetch_result *res, void *user);

static void pump(struct app *app, struct scanq *q)
{
    for (struct sjob *j = q->jobs; j && q->running < SCAN_INFLIGHT; j = j->next) {
        if (j->running || host_running(q, j->host) >= SCAN_PER_HOST) continue;
        j->running = 1;
        q->running++;
        q->waiting--;
        /* stored URLs obey the origin rule (item_confine_urls): file:// only for a local feed's item;
         * the engine still reads only regular files, on its worker */
        struct fetch_req req = {.url = j->url, .low_priority = !j->urgent, .allow_file = 1, .tag = q,
                                .range_end = j->head ? HEAD_BYTES - 1 : 0};
        fetch_add(app_fetcher(app), &req, on_fetched, j);
    }
}

static void on_fetched(const struct fetch_result *res, void *user)
{
    struct sjob *j = user;
    struct scanq *q = j->q;
    struct app *app = j->app;
    for (struct sjob **pp = &q->jobs; *pp; pp = &(*pp)->next)
        if (*pp == j) {
            *pp = j->next;
            break;
        }
    q->running--;
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
    struct sjob *j = q->jobs, *last = NULL;
    for (; j; last = j, j = j->next)
        if (!strcmp(j->url, url)) break;
    if (!j) {
        j = xcalloc(1, sizeof *j);
        j->app = app;
        j->q = q;
        j->url = xstrdup(url);
        j->head = head;
        j->urgent = urgent;
        host_of(url, j->host, sizeof j->host);
        if (urgent) {
            j->next = q->jobs;
            q->jobs = j;
        } else if (last) {
            last->next = j;
        } else {
            q->jobs = j;
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
