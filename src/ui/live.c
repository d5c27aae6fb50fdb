/* SPDX-License-Identifier: ISC */
/* live — refreshing inside the reader: the refresh's events are counted for the status bar,
 * failures kept for the errors view, and the views reload at most every RELOAD_MS while feeds
 * arrive, each keeping its cursor on its item.  The waiting itself happens in ui.c's loop. */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui_int.h"

void ui_clear_failures(struct ui *u)
{
    for (size_t i = 0; i < u->n_failures; i++) {
        free(u->failures[i].title);
        free(u->failures[i].url);
        free(u->failures[i].message);
    }
    u->n_failures = 0;
}

static char *clean_dup(const char *s)
{
    /* messages can quote a server (an HTTP reason phrase): sanitise like any outside text */
    return text_sanitize_dup(s ? s : "", strlen(s ? s : ""), TEXT_MAX_SUMMARY, 0);
}

static void on_refresh_event(const struct refresh_event *ev, void *user)
{
    struct ui *u = user;
    u->rf_done++;
    if (ev->status == REFRESH_FAILED) {
        u->rf_failed++;
        if (u->n_failures == u->cap_failures) {
            u->cap_failures = u->cap_failures ? u->cap_failures * 2 : 16;
            u->failures = xrealloc(u->failures, u->cap_failures * sizeof *u->failures);
        }
        struct failure *f = &u->failures[u->n_failures++];
        f->title = clean_dup(ev->feed->title && *ev->feed->title ? ev->feed->title : ev->feed->url);
        f->url = clean_dup(ev->feed->url);
        f->message = clean_dup(ev->message ? ev->message : "failed");
        u->rf_dirty = 1;
    } else if (ev->status == REFRESH_NEW) {
        /* the message of a commit is max-new-items biting: the summary says so */
        if (ev->message) u->rf_capped++;
        u->rf_new += (size_t)(ev->new_items > 0 ? ev->new_items : 0);
        u->rf_new_since += (size_t)(ev->new_items > 0 ? ev->new_items : 0);
        u->rf_dirty = 1;
    }
}

void ui_start_refresh(struct ui *u, const int64_t *ids, size_t n, const char *what)
{
    if (u->refresh) {
        ui_message(u, EL_MESSAGE, "a refresh is running (%zu/%zu); wait for it", u->rf_done, u->rf_total);
        return;
    }
    ui_clear_failures(u);
    u->had_refresh = 1;
    u->rf_total = u->rf_done = u->rf_failed = u->rf_new = u->rf_new_since = 0;
    u->rf_capped = 0;
    u->rf_last_reload = now_ms();
    struct error err;
    error_clear(&err);
    u->refresh = app_refresh_start(u->app, ids, n, 0, on_refresh_event, u, &err);
    if (!u->refresh) {
        ui_message(u, EL_ERROR, "refresh: %s", err.msg);
        return;
    }
    u->rf_total = app_refresh_report(u->refresh)->feeds;
    /* a picture that failed (its server down, a 404 since fixed) is tried again with the feeds */
    ui_media_retry_failed(u);
    ui_message(u, EL_MESSAGE, "refreshing %s", what ? what : "feeds");
}

void ui_reload_views(struct ui *u)
{
    for (int i = 0; i < u->depth; i++)
        if (u->stack[i]->ops->changed) u->stack[i]->ops->changed(u, u->stack[i]);
    u->rf_dirty = 0;
    u->rf_new_since = 0;
    u->rf_last_reload = now_ms();
}

void ui_count_feeds(struct ui *u)
{
    struct feed_row *rows;
    size_t n;
    struct error err;
    error_clear(&err);
    if (store_feeds(u->app->store, &rows, &n, &err) == 0) {
        u->n_feeds = n;
        u->n_feeds_known = 1;
        u->n_feeds_failed = 0;
        for (size_t i = 0; i < n; i++) u->n_feeds_failed += rows[i].last_error && *rows[i].last_error;
        store_feed_rows_free(rows, n);
    }
}

void ui_finish_refresh(struct ui *u)
{
    const struct refresh_report *r = app_refresh_report(u->refresh);
    char capped[96] = "";
    if (u->rf_capped)
        snprintf(capped, sizeof capped, "; %zu feed%s had more new items than max-new-items (%d), kept for later",
                 u->rf_capped, u->rf_capped == 1 ? "" : "s", u->app->cfg.max_new_items);
    /* the media scans that ran behind the feeds: their refused writes are said here, once */
    char scans[400] = "";
    const struct app *app = u->app;
    if (app->store_errors != u->store_errors_said) {
        snprintf(scans, sizeof scans, "; %u store write%s of the media scans failed: %.300s", app->store_errors,
                 app->store_errors == 1 ? "" : "s", app->store_error);
        u->store_errors_said = app->store_errors;
    }
    if (r->store_errors)
        /* what was fetched is kept; the database refused a write besides (a full disk, a lock) */
        ui_message(u, EL_ERROR, "refreshed %zu feed%s: %zu new item%s, %zu failed; %zu store write%s failed: %s%s",
                   r->feeds, r->feeds == 1 ? "" : "s", r->new_items, r->new_items == 1 ? "" : "s", r->failed,
                   r->store_errors, r->store_errors == 1 ? "" : "s", r->store_error, scans);
    else
        ui_message(u, r->failed || *scans ? EL_ERROR : EL_MESSAGE, "refreshed %zu feed%s: %zu new item%s, %zu failed%s%s%s",
                   r->feeds, r->feeds == 1 ? "" : "s", r->new_items, r->new_items == 1 ? "" : "s", r->failed,
                   r->failed ? " (E shows why)" : "", capped, scans);
    app_refresh_free(u->refresh);
    u->refresh = NULL;
    ui_reload_views(u);
    ui_count_feeds(u);
}

