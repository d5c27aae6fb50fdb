/* SPDX-License-Identifier: ISC */
/* The end of a feed's refresh: its items stored (in the poll's shared transaction, or again in
 * one of its own when that batch broke), what could not be stored said in its line, and its
 * report given once the transaction holding it is committed (refresh_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refresh_int.h"
#include "source.h"

void app_refresh_emit(struct refresh_job *j, enum refresh_status st, int new_items, int items, const char *msg)
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

/* A finished feed's report: now, or after the commit of the poll's batch it was stored in. */
static void finish_report(struct refresh_job *j, enum refresh_status st, int new_items, int items, const char *msg)
{
    struct refresh *r = j->r;
    if (!r->batch_open) {
        app_refresh_emit(j, st, new_items, items, msg);
        return;
    }
    if (r->n_batch == r->cap_batch) {
        r->cap_batch = r->cap_batch ? r->cap_batch * 2 : 16;
        r->batch = xrealloc(r->batch, r->cap_batch * sizeof *r->batch);
    }
    /* msg, when given, is the job's own j->msg, which lives as long as the job */
    r->batch[r->n_batch++] = (struct batched){j, st, new_items, items, msg != NULL};
}

static void store_trouble(struct refresh_job *j, const char *what, struct error *e);

/* The bounds of one poll's shared transaction (batch_begin): a few thousand items or a tenth of a
 * second, whichever comes first; the speed comes from the first few feeds of a batch already. */
#define BATCH_MAX_ITEMS 2000

static void batch_begin(struct refresh *r)
{
    struct error e;
    if (r->in_poll && !r->redoing && !r->batch_open && store_batch_begin(r->app->store, &e) == 0) {
        r->batch_open = 1;
        r->batch_items = 0;
        r->batch_t0 = now_ms();
    }
}

void app_refresh_batch_end(struct refresh *r)
{
    if (!r->batch_open) return;
    struct error e;
    error_clear(&e);
    r->batch_open = 0;
    int ok = store_batch_end(r->app->store, 1, &e) == 0;
    for (size_t i = 0; i < r->n_batch; i++) {
        struct batched *b = &r->batch[i];
        if (ok) {
            app_refresh_emit(b->j, b->st, b->new_items, b->items, b->has_msg ? b->j->msg : NULL);
        } else {
            /* rolled back with the batch: nothing of it is stored, the feed failed */
            app_refresh_set_msg(b->j, e.msg);
            struct error fe;
            error_clear(&fe);
            if (store_feed_failed(r->app->store, b->j->feed.id, b->j->msg, &fe) < 0)
                store_trouble(b->j, "the error could not be stored", &fe);
            app_refresh_emit(b->j, REFRESH_FAILED, 0, 0, b->j->msg);
        }
        item_sink_free(&b->j->sink);
    }
    r->n_batch = 0;
}

/* A feed's commit failed half-way in the batch, which has no savepoint per feed (store.h): the
 * batch is rolled back, and each feed it held, then the failing one, is stored again in a
 * transaction of its own, so that one feed's trouble costs the others nothing.  Their items were
 * kept for this until the batch's end; nothing of them was reported yet. */
static void batch_redo(struct refresh *r, struct refresh_job *failing)
{
    struct error e;
    error_clear(&e);
    r->batch_open = 0;
    (void)store_batch_end(r->app->store, 0, &e);
    struct batched *held = r->batch;
    size_t n = r->n_batch;
    r->batch = NULL;
    r->n_batch = r->cap_batch = 0;
    r->redoing++;
    for (size_t i = 0; i < n; i++) app_refresh_job_finish(held[i].j);
    app_refresh_job_finish(failing);
    r->redoing--;
    free(held);
}

/* "mastodon: HTTP 404 Not Found": every message of an API source names it, so a line in a long
 * refresh says which kind of source failed.  The feed adapter's messages stay as they were. */
void app_refresh_set_msg(struct refresh_job *j, const char *msg)
{
    const char *name = j->src ? j->src->name : "feed";
    size_t n = strlen(name);
    /* yt-dlp's messages name the program already */
    if (!strcmp(name, "feed") || (!strncmp(msg, name, n) && msg[n] == ':') || !strncmp(msg, "yt-dlp:", 7))
        snprintf(j->msg, sizeof j->msg, "%s", msg);
    else
        snprintf(j->msg, sizeof j->msg, "%s: %s", name, msg);
}

void app_refresh_job_fail(struct refresh_job *j, const char *msg)
{
    if (j->failed) return;
    j->failed = 1;
    app_refresh_set_msg(j, msg);
}

/* A store write other than the commit failed: counted in the report, its first words kept, and
 * said in the feed's own message (j->msg), so the line of that feed and the summary both tell.
 * The items fetched are never dropped for it: they were committed, or the feed failed anyway. */
static void store_trouble(struct refresh_job *j, const char *what, struct error *e)
{
    struct refresh_report *rep = &j->r->report;
    char note[sizeof rep->store_error];
    snprintf(note, sizeof note, "%.100s: %.200s", what, e->msg[0] ? e->msg : "store error");
    if (!rep->store_errors++) snprintf(rep->store_error, sizeof rep->store_error, "%s", note);
    size_t n = strlen(j->msg);
    if (n + 4 < sizeof j->msg) snprintf(j->msg + n, sizeof j->msg - n, "%s%s", n ? "; " : "", note);
    error_clear(e);
}

void app_refresh_job_finish(struct refresh_job *j)
{
    struct app *app = j->r->app;
    struct error e;
    error_clear(&e);
    j->done = 1;
    batch_begin(j->r);
    if (j->failed) {
        /* the failure stands whatever is stored; what could not be stored is said with it */
        if (store_feed_failed(app->store, j->feed.id, j->msg, &e) < 0)
            store_trouble(j, "the error could not be stored", &e);
        if (j->retry_until > 0 && store_feed_set_retry(app->store, j->feed.id, j->retry_until, &e) < 0)
            store_trouble(j, "the wait the server asked for could not be stored", &e);
        if (j->forget_endpoint && store_feed_set_endpoint(app->store, j->feed.id, NULL, NULL, &e) < 0)
            store_trouble(j, "the endpoint could not be forgotten", &e);
        finish_report(j, REFRESH_FAILED, 0, 0, j->msg);
    } else if (j->not_modified) {
        j->msg[0] = 0;
        if (store_feed_unchanged(app->store, j->feed.id, &e) < 0) {
            /* the items are as they were; the refresh itself is not recorded, so it counts as failed */
            store_trouble(j, "unchanged, but the refresh could not be stored", &e);
            finish_report(j, REFRESH_FAILED, 0, 0, j->msg);
        } else {
            /* the feed is as it was, but media that could not be checked last time are tried again */
            if (app_prov_after_commit(app, j->feed.id, app->cfg.scan_media && !app->no_scan, &e) < 0)
                store_trouble(j, "provenance not updated", &e);
            finish_report(j, REFRESH_UNCHANGED, 0, 0, j->msg[0] ? j->msg : NULL);
        }
    } else {
        int new_items = 0;
        int origin = !strncasecmp(j->feed.url, "file:", 5) ? ITEM_ORIGIN_FILE
                     : j->from_public                       ? ITEM_ORIGIN_PUBLIC
                                                            : ITEM_ORIGIN_NETWORK;
        if (!j->prepared) {
            for (size_t i = 0; i < j->sink.n; i++) item_confine_urls(&j->sink.items[i], origin);
            app_prov_judge_sink(app, &j->sink);
            j->prepared = 1;
        }
        /* new rows get ids above the highest present: the mark before the commit finds them after */
        int64_t mark = 0;
        struct error me;
        error_clear(&me);
        int marked = app->n_rules && lists_item_mark(app->store, &mark, &me) == 0;
        if (store_feed_commit(app->store, j->feed.id, &j->sink, j->etag, j->last_modified, &new_items,
                              &e) < 0) {
            if (store_batch_broken(app->store)) {
                batch_redo(j->r, j);
                return;
            }
            app_refresh_set_msg(j, e.msg);
            finish_report(j, REFRESH_FAILED, 0, 0, j->msg);
        } else {
            int capped = store_last_capped(app->store);
            j->msg[0] = 0;
            if (capped > 0)
                snprintf(j->msg, sizeof j->msg,
                         "%d new items stored, %d more left for later refreshes (max-new-items = %d)",
                         new_items, capped, app->cfg.max_new_items);
            /* the items are committed: what fails after this is said, not a failed refresh */
            if (j->endpoint &&
                store_feed_set_endpoint(app->store, j->feed.id, j->endpoint, j->endpoint_stage, &e) < 0)
                store_trouble(j, "the endpoint could not be remembered (it is resolved again next time)", &e);
            /* the new items' verdicts: their platform signals now, their media queued for scans
             * behind the feeds; rules below see the masks */
            if (app_prov_after_commit(app, j->feed.id, app->cfg.scan_media && !app->no_scan, &e) < 0)
                store_trouble(j, "provenance not updated", &e);
            if (app->n_rules && !marked && new_items > 0)
                store_trouble(j, "auto-list rules not applied", &me);
            if (marked && new_items > 0 &&
                lists_apply_rules_since(app->store, app->rules, app->n_rules, j->feed.id, mark, &e) < 0)
                store_trouble(j, "auto-list rules did not file the new items", &e);
            finish_report(j, new_items > 0 ? REFRESH_NEW : REFRESH_UNCHANGED, new_items, (int)j->sink.n,
                 j->msg[0] ? j->msg : NULL);
        }
    }
    j->r->batch_items += j->sink.n;
    /* in a batch, the items stay until it ends: a broken batch stores them again (batch_redo) */
    if (!j->r->batch_open) item_sink_free(&j->sink);
    /* A batch holds the database's write lock: bounded, so that another writer (the reader
     * marking an item read, `winnow list add`) waits a moment, never its busy timeout. */
    if (j->r->batch_open && (j->r->batch_items >= BATCH_MAX_ITEMS || now_ms() - j->r->batch_t0 >= APP_REFRESH_BATCH_MS))
        app_refresh_batch_end(j->r);
}
