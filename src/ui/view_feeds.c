/* SPDX-License-Identifier: ISC */
/* view_feeds — the subscriptions: "All items" and one row per tag first, then each feed with its
 * unread and total counts, tags, last update and an error marker; `e` shows the error text.
 * Feeds are few (hundreds), so this view holds them all and filters and searches in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui_int.h"

enum { FE_ALL, FE_TAG, FE_FEED };

struct feed_entry {
    int kind;
    char *tag;                  /* FE_TAG */
    struct feed_row *feed;      /* FE_FEED */
    int64_t unread, total;
    int64_t last;               /* newest last_success among the feeds */
    int errors;
    int64_t withheld;           /* items not shown (Bluesky's !no-unauthenticated, a labeller's !hide) */
};

struct feeds_view {
    struct view base;
    struct feed_row *rows;
    int64_t *withheld;          /* per row: items held back (not in its counts) */
    size_t n;
    struct feed_entry *ent;
    size_t nent;
    char *filter;
    int64_t cur, top;
    int h;
    size_t n_errors;
};

static const struct view_ops feeds_ops;

int ui_feeds_view_is(const struct view *v) { return v && v->ops == &feeds_ops; }

static int has_tag(const char *tags, const char *tag)
{
    if (!tags) return 0;
    size_t tl = strlen(tag);
    for (const char *p = tags; *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == tl && !strncmp(p, tag, l)) return 1;
        if (!c) break;
        p = c + 1;
    }
    return 0;
}

static void free_entries(struct feeds_view *v)
{
    for (size_t i = 0; i < v->nent; i++) free(v->ent[i].tag);
    free(v->ent);
    v->ent = NULL;
    v->nent = 0;
}

static void add_entry(struct feeds_view *v, size_t *cap, struct feed_entry e)
{
    if (v->nent == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        v->ent = xrealloc(v->ent, *cap * sizeof *v->ent);
    }
    v->ent[v->nent++] = e;
}

static const char *feed_name(const struct feed_row *f)
{
    return f->title && *f->title ? f->title : f->url;
}

static void build(struct feeds_view *v)
{
    free_entries(v);
    size_t cap = 0;
    struct feed_entry all = {FE_ALL, NULL, NULL, 0, 0, 0, 0, 0};
    v->n_errors = 0;
    for (size_t i = 0; i < v->n; i++) {
        all.unread += v->rows[i].unread;
        all.total += v->rows[i].total;
        all.withheld += v->withheld[i];
        if (v->rows[i].last_success > all.last) all.last = v->rows[i].last_success;
        if (v->rows[i].last_error && *v->rows[i].last_error) v->n_errors++;
    }
    all.errors = (int)v->n_errors;
    if (!v->filter) add_entry(v, &cap, all);
    /* tags, sorted, each once */
    char **tags = NULL;
    size_t nt = 0, ct = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (!v->rows[i].tags) continue;
        char *copy = xstrdup(v->rows[i].tags), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (!*t) continue;
            size_t k;
            for (k = 0; k < nt && strcmp(tags[k], t); k++)
                ;
            if (k < nt) continue;
            if (nt == ct) {
                ct = ct ? ct * 2 : 8;
                tags = xrealloc(tags, ct * sizeof *tags);
            }
            size_t pos = nt++;
            while (pos > 0 && strcmp(tags[pos - 1], t) > 0) {
                tags[pos] = tags[pos - 1];
                pos--;
            }
            tags[pos] = xstrdup(t);
        }
        free(copy);
    }
    for (size_t k = 0; k < nt; k++) {
        struct feed_entry e = {FE_TAG, tags[k], NULL, 0, 0, 0, 0, 0};
        for (size_t i = 0; i < v->n; i++)
            if (has_tag(v->rows[i].tags, tags[k])) {
                e.unread += v->rows[i].unread;
                e.total += v->rows[i].total;
                e.withheld += v->withheld[i];
                if (v->rows[i].last_success > e.last) e.last = v->rows[i].last_success;
                if (v->rows[i].last_error && *v->rows[i].last_error) e.errors++;
            }
        if (v->filter && !text_contains_ci(tags[k], v->filter)) {
            free(tags[k]);
            continue;
        }
        add_entry(v, &cap, e);
    }
    free(tags);
    for (size_t i = 0; i < v->n; i++) {
        struct feed_row *f = &v->rows[i];
        if (v->filter && !text_contains_ci(feed_name(f), v->filter) && !text_contains_ci(f->url, v->filter))
            continue;
        struct feed_entry e = {FE_FEED, NULL, f, f->unread, f->total, f->last_success,
                               f->last_error && *f->last_error, v->withheld[i]};
        add_entry(v, &cap, e);
    }
}

/* The withheld items are not shown, so they leave the counts, and the row says how many. */
static void take_withheld(struct ui *u, struct feeds_view *v)
{
    free(v->withheld);
    v->withheld = xcalloc(v->n ? v->n : 1, sizeof *v->withheld);
    int64_t *ids, *tot, *unr;
    size_t n;
    struct error err;
    error_clear(&err);
    if (store_withheld_counts(u->app->store, &ids, &tot, &unr, &n, &err) < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
        return;
    }
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < v->n; i++)
            if (v->rows[i].id == ids[k]) {
                v->withheld[i] = tot[k];
                v->rows[i].total -= tot[k] < v->rows[i].total ? tot[k] : v->rows[i].total;
                v->rows[i].unread -= unr[k] < v->rows[i].unread ? unr[k] : v->rows[i].unread;
                break;
            }
    free(ids);
    free(tot);
    free(unr);
}

static void load(struct ui *u, struct feeds_view *v)
{
    store_feed_rows_free(v->rows, v->n);
    v->rows = NULL;
    v->n = 0;
    struct error err;
    error_clear(&err);
    if (store_feeds(u->app->store, &v->rows, &v->n, &err) < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    take_withheld(u, v);
    u->n_feeds = v->n;
    u->n_feeds_known = 1;
    build(v);
}

struct view *ui_feeds_view_new(struct ui *u)
{
    struct feeds_view *v = xcalloc(1, sizeof *v);
    v->base.ops = &feeds_ops;
    v->h = ui_body_height(u);
    load(u, v);
    return &v->base;
}

static void feeds_free(struct view *vv)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    free_entries(v);
    store_feed_rows_free(v->rows, v->n);
    free(v->withheld);
    free(v->filter);
    free(v);
}

static void keep_visible(struct feeds_view *v, int h)
{
    if (h < 1) h = 1;
    if (v->cur >= (int64_t)v->nent) v->cur = v->nent ? (int64_t)v->nent - 1 : 0;
    if (v->cur < 0) v->cur = 0;
    if (v->cur < v->top) v->top = v->cur;
    if (v->cur >= v->top + h) v->top = v->cur - h + 1;
    if (v->top < 0) v->top = 0;
}

static void draw_row(struct ui *u, int y, int w, const struct feed_entry *e, int is_cur)
{
    const struct glyphs *g = ui_draw_glyphs();
    int line = is_cur && u->app->cfg.cursor_line;
    if (line) ui_draw_fill(y, 0, w, EL_CURSOR_LINE);
    if (is_cur) ui_draw_text(y, 0, 1, g->cursor, line ? EL_CURSOR_LINE : EL_CURSOR);
    if (e->errors) ui_draw_text(y, 1, 1, g->error, line ? EL_CURSOR_LINE : EL_FEED_ERROR);
    char counts[64], a[32], b[32];
    ui_fmt_count(e->unread, a, sizeof a);
    ui_fmt_count(e->total, b, sizeof b);
    snprintf(counts, sizeof counts, "%s/%s", a, b);
    ui_draw_text_right(y, 3, 13, counts, line ? EL_CURSOR_LINE : EL_COUNT);
    int date_w = 16, tags_w = w / 5;
    if (tags_w > 24) tags_w = 24;
    int title_x = 18, title_w = w - title_x - tags_w - date_w - 4;
    const char *title = e->kind == FE_ALL ? "All items" : e->kind == FE_TAG ? e->tag : feed_name(e->feed);
    int el = e->kind == FE_FEED ? (e->unread ? EL_UNREAD : EL_READ) : e->kind == FE_TAG ? EL_TAG : EL_HEADING;
    if (e->kind == FE_TAG) {
        int x = ui_draw_text(y, title_x, title_w, "#", line ? EL_CURSOR_LINE : el);
        ui_draw_text(y, title_x + x, title_w - x, title, line ? EL_CURSOR_LINE : el);
    } else {
        /* "· 3 withheld" after the title, which gives way to it */
        char wh[48] = "";
        if (e->withheld) {
            char c[32];
            ui_fmt_count(e->withheld, c, sizeof c);
            snprintf(wh, sizeof wh, " %s %s withheld", g->sep, c);
        }
        int ww = *wh ? text_width(wh) : 0;
        if (ww && title_w - ww < 8) ww = 0;
        int x = ui_draw_text(y, title_x, title_w - ww, title, line ? EL_CURSOR_LINE : el);
        if (ww) ui_draw_text(y, title_x + x, title_w - x, wh, line ? EL_CURSOR_LINE : EL_DIM);
    }
    if (e->kind == FE_FEED && e->feed->tags && *e->feed->tags) {
        char tags[300];
        size_t k = 0;
        for (const char *p = e->feed->tags; *p && k + 2 < sizeof tags; p++) {
            if (p == e->feed->tags || p[-1] == ',') tags[k++] = '#';
            tags[k++] = *p == ',' ? ' ' : *p;
        }
        tags[k] = 0;
        text_trim_partial(tags);   /* the loop stops at a byte count */
        ui_draw_text(y, title_x + title_w + 2, tags_w, tags, line ? EL_CURSOR_LINE : EL_TAG);
    }
    char d[32];
    if (e->last > 0) ui_fmt_datetime(e->last, d, sizeof d);
    else snprintf(d, sizeof d, "never");
    ui_draw_text_right(y, w - date_w, date_w, d, line ? EL_CURSOR_LINE : EL_DATE);
}

static void feeds_draw(struct ui *u, struct view *vv, int y0, int h, int w)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    v->h = h;
    if (v->nent == 0) {
        ui_draw_text(y0 + 1, 2, w - 4, v->filter ? "No feed matches the filter (f and an empty line: all)."
                                              : "No feeds yet.  L follows a link; winnow add URL works too.",
                  EL_NORMAL);
        return;
    }
    keep_visible(v, h);
    for (int r = 0; r < h && v->top + r < (int64_t)v->nent; r++)
        draw_row(u, y0 + r, w, &v->ent[v->top + r], v->top + r == v->cur);
}

static void feeds_title(struct ui *u, struct view *vv, char *buf, size_t n)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    const char *sep = ui_draw_glyphs()->sep;
    int k = snprintf(buf, n, "Feeds %s %zu feed%s", sep, v->n, v->n == 1 ? "" : "s");
    if (k > 0 && (size_t)k < n && v->n_errors)
        k += snprintf(buf + k, n - (size_t)k, ", %zu with errors (e shows one, E all)", v->n_errors);
    if (k > 0 && (size_t)k < n && v->filter) snprintf(buf + k, n - (size_t)k, " %s filter \"%s\"", sep, v->filter);
}

static void feeds_position(struct ui *u, struct view *vv, char *buf, size_t n)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    snprintf(buf, n, "%lld/%zu", (long long)(v->nent ? v->cur + 1 : 0), v->nent);
}

static int same_entry(const struct feed_entry *a, const struct feed_entry *b)
{
    if (a->kind != b->kind) return 0;
    if (a->kind == FE_TAG) return !strcmp(a->tag, b->tag);
    if (a->kind == FE_FEED) return a->feed->id == b->feed->id;
    return 1;
}

static void feeds_changed(struct ui *u, struct view *vv)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    struct feed_entry keep = {0};
    int64_t keep_id = 0;
    char *keep_tag = NULL;
    if (v->cur < (int64_t)v->nent) {
        keep = v->ent[v->cur];
        if (keep.kind == FE_FEED) keep_id = keep.feed->id;
        if (keep.kind == FE_TAG) keep_tag = xstrdup(keep.tag);
    }
    int64_t rel = v->cur - v->top;
    load(u, v);
    struct feed_row fake = {0};
    fake.id = keep_id;
    keep.feed = &fake;
    keep.tag = keep_tag;
    for (size_t i = 0; i < v->nent; i++)
        if (same_entry(&v->ent[i], &keep)) {
            v->cur = (int64_t)i;
            v->top = v->cur - rel;
            break;
        }
    free(keep_tag);
    keep_visible(v, v->h);
}

static int feeds_find(struct ui *u, struct view *vv, const char *needle, int dir, int here)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    int64_t n = (int64_t)v->nent;
    if (!n || !needle || !*needle) return 0;
    int64_t start = v->cur + (here ? 0 : dir);
    for (int64_t k = 0; k < n; k++) {
        int64_t i = ((start + dir * k) % n + n) % n;
        const struct feed_entry *e = &v->ent[i];
        const char *t = e->kind == FE_ALL ? "All items" : e->kind == FE_TAG ? e->tag : feed_name(e->feed);
        if (text_contains_ci(t, needle) || (e->kind == FE_FEED && text_contains_ci(e->feed->url, needle))) {
            int wrapped = dir > 0 ? i < start : i > start;
            v->cur = i;
            keep_visible(v, v->h);
            return wrapped ? 2 : 1;
        }
    }
    return 0;
}

static int64_t feeds_get_pos(struct view *vv) { return ((struct feeds_view *)vv)->cur; }

static void feeds_set_pos(struct view *vv, int64_t pos)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    v->cur = pos;
    keep_visible(v, v->h);
}

static void feeds_filter(struct ui *u, struct view *vv, const char *text)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    free(v->filter);
    v->filter = text && *text ? xstrdup(text) : NULL;
    v->cur = v->top = 0;
    build(v);
}

/* The ids of the feeds an entry stands for (all: n == 0). */
static int64_t *entry_ids(struct feeds_view *v, const struct feed_entry *e, size_t *n)
{
    int64_t *ids = xcalloc(v->n ? v->n : 1, sizeof *ids);
    *n = 0;
    for (size_t i = 0; i < v->n; i++)
        if ((e->kind == FE_FEED && e->feed == &v->rows[i]) || (e->kind == FE_TAG && has_tag(v->rows[i].tags, e->tag)))
            ids[(*n)++] = v->rows[i].id;
    return ids;
}

void ui_feeds_view_mark_all(struct ui *u, struct view *vv)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    if (v->cur >= (int64_t)v->nent) return;
    const struct feed_entry *e = &v->ent[v->cur];
    struct error err;
    error_clear(&err);
    int rc = 0;
    if (e->kind == FE_ALL) {
        rc = store_feed_mark_read(u->app->store, 0, &err);
    } else {
        size_t n;
        int64_t *ids = entry_ids(v, e, &n);
        for (size_t i = 0; i < n && rc == 0; i++) rc = store_feed_mark_read(u->app->store, ids[i], &err);
        free(ids);
    }
    if (rc < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    else ui_message(u, EL_MESSAGE, "marked read");
    feeds_changed(u, vv);
}

static int feeds_action(struct ui *u, struct view *vv, int act, int count)
{
    struct feeds_view *v = (struct feeds_view *)vv;
    int h = v->h > 0 ? v->h : 1;
    int n = count > 0 ? count : 1;
    const struct feed_entry *e = v->cur < (int64_t)v->nent ? &v->ent[v->cur] : NULL;
    switch (act) {
    case ACT_DOWN: v->cur += n; break;
    case ACT_UP: v->cur -= n; break;
    case ACT_PAGE_DOWN: v->cur += (int64_t)h * n; v->top += (int64_t)h * n; break;
    case ACT_PAGE_UP: v->cur -= (int64_t)h * n; v->top -= (int64_t)h * n; break;
    case ACT_HALF_DOWN: v->cur += (int64_t)(h + 1) / 2 * n; break;
    case ACT_HALF_UP: v->cur -= (int64_t)(h + 1) / 2 * n; break;
    case ACT_TOP: v->cur = count > 0 ? count - 1 : 0; break;
    case ACT_BOTTOM: v->cur = count > 0 ? count - 1 : (int64_t)v->nent - 1; break;
    case ACT_OPEN:
        if (!e) return 1;
        if (e->kind == FE_ALL) {
            ui_pop_to(u, 1);
        } else if (e->kind == FE_TAG) {
            char title[300];
            snprintf(title, sizeof title, "#%s", e->tag);
            text_trim_partial(title);
            ui_push(u, ui_items_view_new(u, 0, e->tag, title));
        } else {
            ui_push(u, ui_items_view_new(u, e->feed->id, NULL, feed_name(e->feed)));
        }
        return 1;
    case ACT_SHOW_ERROR:
        if (!e || e->kind != FE_FEED) {
            ui_message(u, EL_MESSAGE, "%d feed%s here had errors (E lists them)", e ? e->errors : 0,
                       e && e->errors == 1 ? "" : "s");
        } else if (e->feed->last_error && *e->feed->last_error) {
            ui_message(u, EL_ERROR, "%s: %s", feed_name(e->feed), e->feed->last_error);
        } else {
            ui_message(u, EL_MESSAGE, "%s: no error at the last refresh", feed_name(e->feed));
        }
        return 1;
    case ACT_REFRESH:
        if (!e) return 1;
        if (e->kind == FE_ALL) {
            ui_start_refresh(u, NULL, 0, "all feeds");
        } else {
            size_t k;
            int64_t *ids = entry_ids(v, e, &k);
            if (k) ui_start_refresh(u, ids, k, e->kind == FE_TAG ? e->tag : feed_name(e->feed));
            free(ids);
        }
        return 1;
    case ACT_OPEN_LINK:
    case ACT_COPY_LINK:
        if (!e || e->kind != FE_FEED) {
            ui_message(u, EL_MESSAGE, "no feed under the cursor");
            return 1;
        }
        if (act == ACT_OPEN_LINK) ui_open_url(u, e->feed->site_url && *e->feed->site_url ? e->feed->site_url : e->feed->url);
        else ui_copy_url(u, e->feed->url);
        return 1;
    default:
        return 0;
    }
    if (v->top > v->cur) v->top = v->cur;
    keep_visible(v, h);
    return 1;
}

static const struct view_ops feeds_ops = {
    .name = "feeds",
    .draw = feeds_draw,
    .action = feeds_action,
    .title = feeds_title,
    .position = feeds_position,
    .changed = feeds_changed,
    .find = feeds_find,
    .get_pos = feeds_get_pos,
    .set_pos = feeds_set_pos,
    .filter = feeds_filter,
    .free = feeds_free,
};
