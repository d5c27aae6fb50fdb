/* Refresh: fetch every feed through the fetch engine, parse each body as it arrives and commit it
 * in its own transaction.  Parsing happens in the fetch callback on the one thread, so the store
 * never sees two writers from one process. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "source.h"

struct job {
    struct refresh *r;
    struct feed_row feed;
    const struct source *src;
};

struct refresh {
    struct app *app;
    struct fetcher *fetcher;
    struct job *jobs;
    size_t n;
    refresh_fn cb;
    void *user;
    struct refresh_report report;
    double started;
};

static void emit(struct job *j, enum refresh_status st, int new_items, int items, const char *msg)
{
    struct refresh *r = j->r;
    r->report.done++;
    if (st == REFRESH_FAILED) r->report.failed++;
    else if (st == REFRESH_UNCHANGED) r->report.unchanged++;
    else r->report.updated++;
    r->report.new_items += (size_t)(new_items > 0 ? new_items : 0);
    if (r->cb) {
        struct refresh_event ev = {&j->feed, st, new_items, items, msg};
        r->cb(&ev, r->user);
    }
}

static void fail(struct job *j, const char *msg)
{
    struct error e;
    error_clear(&e);
    store_feed_failed(j->r->app->store, j->feed.id, msg, &e);
    emit(j, REFRESH_FAILED, 0, 0, msg);
}

static int is_html_type(const char *ct)
{
    return ct && (!strncasecmp(ct, "text/html", 9) || !strncasecmp(ct, "application/xhtml", 17));
}

static void on_done(const struct fetch_result *res, void *user)
{
    struct job *j = user;
    struct app *app = j->r->app;
    if (!res->ok) {
        fail(j, res->error[0] ? res->error : "fetch failed");
        return;
    }
    if (res->not_modified) {
        struct error e;
        error_clear(&e);
        store_feed_unchanged(app->store, j->feed.id, &e);
        emit(j, REFRESH_UNCHANGED, 0, 0, NULL);
        return;
    }
    if (res->len == 0) {
        fail(j, "empty response");
        return;
    }
    struct item_sink sink;
    item_sink_init(&sink);
    sink.max_items = (size_t)app->cfg.max_items;
    struct subscription sub = {j->feed.id, j->feed.url, j->feed.kind, j->feed.title,
                               (size_t)app->cfg.max_items};
    struct error e;
    error_clear(&e);
    if (j->src->parse(res->body, res->len, &sub, &sink, &e) < 0) {
        char msg[600];
        /* A page served as HTML is the common case of a wrong URL: say so in words. */
        if (is_html_type(res->content_type))
            snprintf(msg, sizeof msg, "not a feed: got %s (%s)", "text/html", e.msg);
        else
            snprintf(msg, sizeof msg, "%s", e.msg[0] ? e.msg : "could not parse the response");
        fail(j, msg);
        item_sink_free(&sink);
        return;
    }
    int new_items = 0;
    if (store_feed_commit(app->store, j->feed.id, &sink, res->etag, res->last_modified, &new_items, &e) < 0) {
        emit(j, REFRESH_FAILED, 0, 0, e.msg);
    } else {
        emit(j, new_items > 0 ? REFRESH_NEW : REFRESH_UNCHANGED, new_items, (int)sink.n, NULL);
    }
    item_sink_free(&sink);
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
        struct job *j = &r->jobs[r->n++];
        j->r = r;
        j->feed = rows[i];
    }
    free(rows);

    struct fetch_opts o;
    fetch_opts_default(&o);
    o.max_total = jobs > 0 ? jobs : app->cfg.jobs;
    o.max_per_host = app->cfg.jobs_per_host;
    o.timeout_s = app->cfg.timeout;
    o.connect_timeout_s = app->cfg.connect_timeout;
    o.max_body = (size_t)app->cfg.max_body_mb << 20;
    r->fetcher = fetch_new(&o);
    r->report.feeds = r->n;

    struct strbuf url;
    sb_init(&url);
    for (size_t i = 0; i < r->n; i++) {
        struct job *j = &r->jobs[i];
        struct subscription sub = {j->feed.id, j->feed.url, j->feed.kind, j->feed.title,
                                   (size_t)app->cfg.max_items};
        j->src = source_for_sub(&sub);
        sb_reset(&url);
        struct error e;
        error_clear(&e);
        if (j->src->request(&sub, &url, &e) < 0) {
            fail(j, e.msg);
            continue;
        }
        struct fetch_req req = {0};
        req.url = url.s;
        req.etag = j->feed.etag;
        req.last_modified = j->feed.last_modified;
        fetch_add(r->fetcher, &req, on_done, j);
    }
    sb_free(&url);
    return r;
}

int app_refresh_poll(struct refresh *r, int timeout_ms, struct fetch_waitfd *extra, unsigned n_extra)
{
    int pending = fetch_poll(r->fetcher, timeout_ms, extra, n_extra);
    r->report.elapsed_ms = now_ms() - r->started;
    return pending;
}

const struct refresh_report *app_refresh_report(const struct refresh *r) { return &r->report; }

void app_refresh_free(struct refresh *r)
{
    if (!r) return;
    fetch_free(r->fetcher);
    for (size_t i = 0; i < r->n; i++) store_feed_row_free(&r->jobs[i].feed);
    free(r->jobs);
    free(r);
}

int app_refresh(struct app *app, const int64_t *ids, size_t n, int jobs, refresh_fn cb, void *user,
                struct refresh_report *report, struct error *err)
{
    struct refresh *r = app_refresh_start(app, ids, n, jobs, cb, user, err);
    if (!r) return -1;
    while (app_refresh_poll(r, 1000, NULL, 0) > 0)
        ;
    if (report) *report = r->report;
    int rc = r->report.failed ? 1 : 0;
    app_refresh_free(r);
    return rc;
}
