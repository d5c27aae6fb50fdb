/* SPDX-License-Identifier: ISC */
/* view_items — the item lists: the river of all feeds, one feed, one tag; unread-only and a text
 * filter on top.  The view never holds the whole list: it keeps a window of a few screens of
 * items around the cursor and asks the store for another page when the cursor leaves it, so
 * 100,000 stored items cost what 70 do.  Counts come from the store's count query. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "ui_int.h"

struct items_view {
    struct view base;
    struct item_query q;
    int64_t feed_id;
    char *tag, *filter;
    char name[256];
    int64_t total, unread;
    int64_t cur, top;
    struct item_sink win;
    int64_t win_off;
    int win_valid;
    int h;
    int ncols;                  /* grid: cards per row (1 in the list) */
    int curated;                /* hide/only or H: the store filters by the stored verdicts */
    int64_t list_feeds;         /* a list: how many feeds its items come from */
    unsigned prov_gen;          /* of the stored verdicts, when the list was last counted */
};

static const struct view_ops items_ops;

int ui_items_view_is(const struct view *v) { return v && v->ops == &items_ops; }
int ui_items_view_columns(const struct view *v) { return ((const struct items_view *)v)->ncols; }

/* Curation (hide/only lines, H) runs in the store on the verdicts it keeps, so a curated view
 * pages and counts like any other; only the masks go into its query. */
static void set_curation(struct ui *u, struct items_view *v)
{
    struct error err;
    error_clear(&err);
    if (app_curation_masks(u->app, u->hide_ai, &v->q.prov_hide, &v->q.prov_only, &err) < 0)
        ui_message(u, EL_ERROR, "provenance: %s", err.msg);
    v->curated = v->q.prov_hide || v->q.prov_only;
    v->prov_gen = app_prov_generation(u->app);
}

static void recount(struct ui *u, struct items_view *v)
{
    set_curation(u, v);   /* H may have switched it since the view was made */
    struct error err;
    error_clear(&err);
    int64_t n = store_items_count(u->app->store, &v->q, &err);
    if (n < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
        n = 0;
    }
    v->total = n;
    struct item_query uq = v->q;
    uq.unread_only = 1;
    v->unread = v->q.unread_only ? n : store_items_count(u->app->store, &uq, &err);
    if (v->unread < 0) v->unread = 0;
    if (v->q.list_id) v->list_feeds = store_list_feed_count(u->app->store, v->q.list_id, &err);
    if (v->cur >= v->total) v->cur = v->total > 0 ? v->total - 1 : 0;
    if (v->top > v->cur) v->top = v->cur;
}

/* Rows of the view by key from an item: after it (older) or before it (newer, nearest first). */
static int fetch_by_key(struct ui *u, struct items_view *v, int64_t id, int after, int64_t limit,
                        struct item_sink *out)
{
    struct item_query q = v->q;
    q.offset = 0;
    q.limit = limit;
    if (after) q.after_id = id;
    else q.before_id = id;
    struct error err;
    error_clear(&err);
    if (store_items(u->app->store, &q, out, &err) < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
        return -1;
    }
    return 0;
}

/* A window [off, off + limit) made of the old window's rows in that range and the rows next to
 * them, asked for by key from its edge: scrolling costs the new rows only, a line or a page, at
 * the millionth item as at the first.  0 when the old window is not next to the range (or the
 * store moved under it): the caller asks by offset. */
static int extend_window(struct ui *u, struct items_view *v, int64_t off, int64_t limit)
{
    if (v->q.list_id || !v->win_valid || v->win.n == 0) return 0;
    int64_t w0 = v->win_off, w1 = v->win_off + (int64_t)v->win.n;
    int64_t end = off + limit;
    if (end > v->total) end = v->total;
    if (off > w1 || end < w0 || end <= off) return 0;
    int64_t keep0 = off > w0 ? off : w0, keep1 = end < w1 ? end : w1;
    struct item_sink before, after, nw;
    item_sink_init(&before);
    item_sink_init(&after);
    int ok = 1;
    if (off < w0) ok = fetch_by_key(u, v, v->win.items[0].id, 0, w0 - off, &before) == 0 &&
                       (int64_t)before.n == w0 - off;
    if (ok && end > w1) ok = fetch_by_key(u, v, v->win.items[v->win.n - 1].id, 1, end - w1, &after) == 0;
    if (ok) {
        item_sink_init(&nw);
        for (size_t i = before.n; i-- > 0;) item_sink_push_raw(&nw, &before.items[i]);
        for (int64_t i = keep0; i < keep1; i++) item_sink_push_raw(&nw, &v->win.items[i - w0]);
        for (size_t i = 0; i < after.n; i++) item_sink_push_raw(&nw, &after.items[i]);
        item_sink_free(&v->win);
        v->win = nw;
        v->win_off = off < w0 ? off : keep0;
    }
    item_sink_free(&before);
    item_sink_free(&after);
    return ok;
}

/* A window that reaches the end of the order (G), asked for by key from the end: an offset
 * would walk every row before it. */
static int window_at_end(struct ui *u, struct items_view *v, int64_t off)
{
    if (v->q.list_id || off <= 0 || off >= v->total) return 0;
    struct item_sink back, nw;
    item_sink_init(&back);
    if (fetch_by_key(u, v, STORE_PAST_END, 0, v->total - off, &back) != 0) {
        item_sink_free(&back);
        return 0;
    }
    item_sink_init(&nw);
    for (size_t i = back.n; i-- > 0;) item_sink_push_raw(&nw, &back.items[i]);
    item_sink_free(&back);
    item_sink_free(&v->win);
    v->win = nw;
    v->win_off = v->total - (int64_t)nw.n;
    v->win_valid = 1;
    return 1;
}

static void load_window(struct ui *u, struct items_view *v, int64_t off, int64_t limit)
{
    if (off < 0) off = 0;
    if (extend_window(u, v, off, limit)) return;
    if (off + limit >= v->total && off > v->total / 2 && window_at_end(u, v, off)) return;
    item_sink_free(&v->win);
    item_sink_init(&v->win);
    struct item_query q = v->q;
    q.offset = off;
    q.limit = limit;
    struct error err;
    error_clear(&err);
    if (store_items(u->app->store, &q, &v->win, &err) < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    v->win_off = q.offset;
    v->win_valid = 1;
}

/* The window around item id, which stands at pos (a search found it): by key on both sides of
 * it, where an offset would walk every row before it. */
static void window_at(struct ui *u, struct items_view *v, int64_t id, int64_t pos)
{
    int64_t h = v->h > 0 ? v->h : 20;
    struct item_sink before, after, nw;
    item_sink_init(&before);
    item_sink_init(&after);
    item_sink_init(&nw);
    struct error err;
    error_clear(&err);
    int ok = fetch_by_key(u, v, id, 0, h, &before) == 0 && store_item_get(u->app->store, id, &after, &err) == 0 &&
             fetch_by_key(u, v, id, 1, 2 * h, &after) == 0;
    if (ok) {
        for (size_t i = before.n; i-- > 0;) item_sink_push_raw(&nw, &before.items[i]);
        for (size_t i = 0; i < after.n; i++) item_sink_push_raw(&nw, &after.items[i]);
        item_sink_free(&v->win);
        v->win = nw;
        v->win_off = pos - (int64_t)before.n;
        v->win_valid = 1;
    } else {
        item_sink_free(&nw);
        v->win_valid = 0;
    }
    item_sink_free(&before);
    item_sink_free(&after);
}

/* One screen on each side of the visible rows: moving a line or a page needs no query. */
static void ensure_window(struct ui *u, struct items_view *v, int h)
{
    if (h < 1) h = 1;
    int64_t want_end = v->top + h;
    if (want_end > v->total) want_end = v->total;
    if (v->win_valid && v->top >= v->win_off && want_end <= v->win_off + (int64_t)v->win.n) return;
    int64_t off = v->top - h;
    load_window(u, v, off < 0 ? 0 : off, 3 * (int64_t)h);
}

static const struct item *item_at(const struct items_view *v, int64_t i)
{
    if (!v->win_valid || i < v->win_off || i >= v->win_off + (int64_t)v->win.n) return NULL;
    return &v->win.items[i - v->win_off];
}

static void keep_visible(struct items_view *v, int h)
{
    if (h < 1) h = 1;
    if (v->cur < 0) v->cur = 0;
    if (v->cur >= v->total) v->cur = v->total > 0 ? v->total - 1 : 0;
    if (v->cur < v->top) v->top = v->cur;
    if (v->cur >= v->top + h) v->top = v->cur - h + 1;
    if (v->top < 0) v->top = 0;
    /* the grid scrolls by whole rows of cards */
    if (v->ncols > 1) {
        v->top -= v->top % v->ncols;
        if (v->cur >= v->top + h) v->top += v->ncols;
    }
}

struct view *ui_items_view_new(struct ui *u, int64_t feed_id, const char *tag, const char *title)
{
    struct items_view *v = xcalloc(1, sizeof *v);
    v->base.ops = &items_ops;
    v->feed_id = feed_id;
    v->q.feed_id = feed_id;
    if (tag) {
        v->tag = xstrdup(tag);
        v->q.tag = v->tag;
    }
    snprintf(v->name, sizeof v->name, "%s", title ? title : "All items");
    text_trim_partial(v->name);   /* a feed title can be longer than the buffer */
    item_sink_init(&v->win);
    v->h = ui_body_height(u);
    v->ncols = 1;
    /* the media set-up reads layout = list / grid; cards is read here, once */
    if (!u->layout_read) {
        u->layout_read = 1;
        if (u->app->cfg.layout == CONFIG_LAYOUT_CARDS) u->grid = LAYOUT_CARDS;
    }
    recount(u, v);
    return &v->base;
}

/* A list keeps its own order (the store sorts by position when list_id is set). */
struct view *ui_items_view_new_list(struct ui *u, int64_t list_id, const char *title)
{
    struct items_view *v = (struct items_view *)ui_items_view_new(u, 0, NULL, title);
    v->q.list_id = list_id;
    recount(u, v);
    return &v->base;
}

int64_t ui_items_view_list(const struct view *v) { return ((const struct items_view *)v)->q.list_id; }

static void items_free(struct view *vv)
{
    struct items_view *v = (struct items_view *)vv;
    item_sink_free(&v->win);
    free(v->tag);
    free(v->filter);
    free(v);
}

const struct item *ui_items_view_current(struct ui *u, struct view *vv)
{
    struct items_view *v = (struct items_view *)vv;
    if (v->total == 0) return NULL;
    const struct item *it = item_at(v, v->cur);
    if (!it) {
        ensure_window(u, v, v->h);
        it = item_at(v, v->cur);
        if (!it) {
            load_window(u, v, v->cur - v->h, 3 * (int64_t)v->h);
            it = item_at(v, v->cur);
        }
    }
    return it;
}

int ui_items_view_step(struct ui *u, struct view *vv, int delta)
{
    struct items_view *v = (struct items_view *)vv;
    int64_t to = v->cur + delta;
    if (to < 0 || to >= v->total) return 0;
    v->cur = to;
    keep_visible(v, v->h);
    return ui_items_view_current(u, vv) != NULL;
}

void ui_items_view_mark_current(struct ui *u, struct view *vv, int read)
{
    struct items_view *v = (struct items_view *)vv;
    const struct item *it = ui_items_view_current(u, vv);
    if (!it || it->read == read) return;
    struct error err;
    error_clear(&err);
    if (store_item_set_read(u->app->store, it->id, read, &err) < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
        return;
    }
    /* the window is ours: update it in place rather than re-query */
    ((struct item *)it)->read = read;
    v->unread += read ? -1 : 1;
    if (v->unread < 0) v->unread = 0;
}

/* ---- drawing ---- */

/* Where the columns of an item row go (the list; layout = cards draws its rows in grid.c). */
struct row_layout {
    int flag_x, badge_x, star_x, date_x, date_w, src_x, src_w, title_x, title_w;
};

/* cursor | unread | badge (2) | star | date | source | title: unread and starred have a column
 * each, so a starred unread item shows both */
static void item_row_layout(int w, struct row_layout *L)
{
    L->flag_x = 1;
    L->badge_x = 2;
    L->star_x = 4;
    L->date_x = 6;
    L->date_w = 10;
    L->src_w = w / 5;
    if (L->src_w < 12) L->src_w = 12;
    if (L->src_w > 28) L->src_w = 28;
    L->src_x = L->date_x + L->date_w + 2;
    /* a narrow pane drops the source, then the date, before the title gets short */
    if (w < 64) L->src_w = 0;
    if (w < 48) L->date_w = 0;
    if (!L->date_w) L->src_x = L->date_x;
    L->title_x = L->src_w ? L->src_x + L->src_w + 2 : L->src_x;
    L->title_w = w - L->title_x;
    if (L->title_w < 0) L->title_w = 0;
}

static void draw_item_row(struct ui *u, struct items_view *v, int y, int w, const struct item *it, int is_cur)
{
    const struct glyphs *g = ui_draw_glyphs();
    struct row_layout L;
    item_row_layout(w, &L);
    int line = is_cur && u->app->cfg.cursor_line;
    if (line) ui_draw_fill(y, 0, w, EL_CURSOR_LINE);
    if (is_cur) ui_draw_text(y, 0, 1, g->cursor, line ? EL_CURSOR_LINE : EL_CURSOR);
    else if (ui_item_selected(u, it->id)) ui_draw_text(y, 0, 1, "+", EL_FLAG);   /* space / V selection */
    if (!it->read) ui_draw_text(y, L.flag_x, 1, g->unread, line ? EL_CURSOR_LINE : EL_FLAG);
    if (it->starred) ui_draw_text(y, L.star_x, 1, g->star, line ? EL_CURSOR_LINE : EL_FLAG);
    char cells[2][8];
    int belem = EL_BADGE;
    ui_badge_cells(u, it, cells, &belem);
    ui_draw_text(y, L.badge_x, 1, cells[0], line ? EL_CURSOR_LINE : belem);
    ui_draw_text(y, L.badge_x + 1, 1, cells[1], line ? EL_CURSOR_LINE : belem);
    char d[32];
    ui_fmt_date(it->published, d, sizeof d);
    if (L.date_w) ui_draw_text(y, L.date_x, L.date_w, d, line ? EL_CURSOR_LINE : EL_DATE);
    /* one feed: who wrote it; the river: where it comes from */
    const char *src = v->feed_id && it->author && *it->author ? it->author : it->feed_title;
    if (L.src_w) ui_draw_text(y, L.src_x, L.src_w, src ? src : "", line ? EL_CURSOR_LINE : EL_SOURCE);
    const char *title = it->title && *it->title ? it->title : "(untitled)";
    int tx = L.title_x, tw = L.title_w;
    if (ui_item_withheld(u, it) && tw > 12) {
        /* marked sensitive: said on the row too, since its picture will be withheld */
        int m = ui_draw_text(y, tx, tw, "[sensitive] ", line ? EL_CURSOR_LINE : EL_DIM);
        tx += m;
        tw -= m;
    }
    ui_draw_text_hl(y, tx, tw, title, line ? EL_CURSOR_LINE : it->read ? EL_READ : EL_UNREAD,
                 ui_search_term(u), EL_MATCH);
}

static void draw_empty(struct ui *u, struct items_view *v, int y0, int h, int w)
{
    int y = y0 + 1;
    if (v->filter) {
        char b[400];
        snprintf(b, sizeof b, "No items contain \"%.*s\".  f and an empty line show all again.",
                 (int)text_fit(v->filter, 80, NULL), v->filter);
        text_trim_partial(b);
        ui_draw_text(y, 2, w - 4, b, EL_NORMAL);
    } else if (v->q.unread_only) {
        ui_draw_text(y, 2, w - 4, "No unread items.  U shows all of them.", EL_NORMAL);
    } else if (v->feed_id || v->tag) {
        ui_draw_text(y, 2, w - 4, "No items here yet.  r refreshes this feed, R all feeds.", EL_NORMAL);
    } else if (u->n_feeds_known && u->n_feeds > 0) {
        /* subscribed, but nothing stored: say what to do next, not "add a feed" */
        char b[200];
        snprintf(b, sizeof b, "%zu feed%s, not fetched yet: press R to refresh.", u->n_feeds,
                 u->n_feeds == 1 ? "" : "s");
        if (u->n_feeds_failed)
            snprintf(b, sizeof b, "%zu feed%s, %zu failed at the last refresh: E shows why, R tries again.",
                     u->n_feeds, u->n_feeds == 1 ? "" : "s", u->n_feeds_failed);
        ui_draw_text(y, 2, w - 4, b, EL_HEADING);
        ui_draw_text(y + 2, 2, w - 4, "Keys: R refresh all   F feeds   L follow a link   ? help   q quit", EL_NORMAL);
    } else {
        static const char *const lines[] = {
            "Nothing to read yet.",
            "",
            "Add a feed:        winnow add https://example.org/feed.xml",
            "Import a list:     winnow import subscriptions.opml",
            "Open the demo:     winnow demo",
            "                   (a separate database, offline: signed pictures, a clip, a list)",
            "",
            "Keys: L follow a link   R refresh all   ? help   q quit",
        };
        for (size_t i = 0; i < sizeof lines / sizeof lines[0] && (int)i < h - 1; i++)
            ui_draw_text(y + (int)i, 2, w - 4, lines[i], i == 0 ? EL_HEADING : EL_NORMAL);
    }
}

static const struct item *grid_at(void *ctx, int64_t i) { return item_at(ctx, i); }
static void items_changed(struct ui *u, struct view *vv);

static void items_draw(struct ui *u, struct view *vv, int y0, int h, int w)
{
    struct items_view *v = (struct items_view *)vv;
    struct grid_geom g;
    /* the layout asked for, unless the pane is too small for it: grid, then cards, then list */
    int layout = u->grid;
    if (layout == LAYOUT_GRID && (w < 60 || h < 14)) layout = LAYOUT_CARDS;
    if (layout == LAYOUT_CARDS && (w < 48 || h < 9)) layout = LAYOUT_LIST;
    int cards = layout == LAYOUT_GRID || layout == LAYOUT_CARDS;
    if (cards) {
        if (layout == LAYOUT_CARDS) ui_cards_geometry(w, h, &g);
        else ui_grid_geometry(w, h, &g);
        v->ncols = g.ncols;
        v->h = g.ncols * g.nrows;
    } else {
        v->ncols = 1;
        v->h = h;
    }
    /* a scan's verdict may hide or admit items: count again, keeping the cursor's item */
    if (v->curated && v->prov_gen != app_prov_generation(u->app)) items_changed(u, vv);
    if (v->total == 0) {
        draw_empty(u, v, y0, h, w);
        return;
    }
    keep_visible(v, v->h);
    /* two pages of cards: the grid also asks for the page ahead's pictures */
    ensure_window(u, v, cards ? 2 * v->h : v->h);
    if (cards) {
        ui_grid_draw(u, &g, y0, v->top, v->cur, v->feed_id != 0, grid_at, v);
        return;
    }
    for (int r = 0; r < h; r++) {
        const struct item *it = item_at(v, v->top + r);
        if (!it) break;
        draw_item_row(u, v, y0 + r, w, it, v->top + r == v->cur);
    }
    /* The list shows no pictures, but asks for the visible rows' at the cards' size: their
     * bytes are scanned for the badges, and v shows the grid at once.  The cursor's is asked for
     * at the detail's size too, so Enter shows it at once. */
    ui_grid_geometry(w, h, &g);
    for (int r = 0; r < h; r++) {
        const struct item *it = item_at(v, v->top + r);
        if (!it) break;
        ui_thumb_want(u, it->thumb_url, g.tcols, g.trows, 1);
    }
    const struct item *it = item_at(v, v->cur);
    if (it && it->thumb_url) {
        int tc, tr;
        ui_detail_thumb_box(w, h, &tc, &tr);
        ui_thumb_want(u, it->thumb_url, tc, tr, 0);
    }
}

static void items_title(struct ui *u, struct view *vv, char *buf, size_t n)
{
    struct items_view *v = (struct items_view *)vv;
    char total[32], unread[32];
    ui_fmt_count(v->total, total, sizeof total);
    ui_fmt_count(v->unread, unread, sizeof unread);
    const char *sep = ui_draw_glyphs()->sep;
    int k = snprintf(buf, n, "%s %s %s item%s", v->name, sep, total, v->total == 1 ? "" : "s");
    if (k < 0 || (size_t)k >= n) return;
    if (v->q.list_id && v->list_feeds >= 0)
        k += snprintf(buf + k, n - (size_t)k, " in %lld feed%s", (long long)v->list_feeds, v->list_feeds == 1 ? "" : "s");
    else if (!v->feed_id && !v->tag && !v->filter && u->n_feeds_known)
        k += snprintf(buf + k, n - (size_t)k, " in %zu feed%s", u->n_feeds, u->n_feeds == 1 ? "" : "s");
    if ((size_t)k >= n) return;
    if (v->q.unread_only) k += snprintf(buf + k, n - (size_t)k, " %s unread only", sep);
    else k += snprintf(buf + k, n - (size_t)k, ", %s unread", unread);
    if ((size_t)k >= n) return;
    if (v->filter) k += snprintf(buf + k, n - (size_t)k, " %s filter \"%s\"", sep, v->filter);
    if ((size_t)k >= n) return;
    if (u->hide_ai) snprintf(buf + k, n - (size_t)k, " %s AI hidden (H shows)", sep);
}

static void items_position(struct ui *u, struct view *vv, char *buf, size_t n)
{
    struct items_view *v = (struct items_view *)vv;
    char a[32], b[32];
    ui_fmt_count(v->total ? v->cur + 1 : 0, a, sizeof a);
    ui_fmt_count(v->total, b, sizeof b);
    snprintf(buf, n, "%s/%s", a, b);
}

/* ---- keeping the cursor on its item while the list changes under it ---- */

static void items_changed(struct ui *u, struct view *vv)
{
    struct items_view *v = (struct items_view *)vv;
    const struct item *it = v->total ? item_at(v, v->cur) : NULL;
    int64_t id = it ? it->id : 0;
    int64_t rel = v->cur - v->top;
    int at_top = v->top == 0;
    recount(u, v);
    v->win_valid = 0;   /* positions moved: the window is asked for again, by offset */
    if (!id) {
        v->win_valid = 0;
        return;
    }
    /* New items land above the cursor (newer) or near it; look from a screen above the old
     * position to as far below as items were added since the last look. */
    int64_t h = v->h > 0 ? v->h : 20;
    int64_t extra = (int64_t)u->rf_new_since + h;
    if (extra > 20000) extra = 20000;
    int64_t off = v->cur - h;
    if (off < 0) off = 0;
    load_window(u, v, off, 2 * h + extra);
    for (size_t i = 0; i < v->win.n; i++)
        if (v->win.items[i].id == id) {
            v->cur = v->win_off + (int64_t)i;
            /* Reading from the top: stay there, so what arrived shows, as long as the cursor's
             * item stays on screen.  Further down: keep the item on its screen row, so the text
             * under the reader's eyes does not move. */
            v->top = at_top && v->cur < h ? 0 : v->cur - rel;
            break;
        }
    keep_visible(v, (int)h);
    v->win_valid = 0;   /* the next draw loads the window around the (new) position */
    ensure_window(u, v, (int)h);
}

/* ---- search ---- */

static int match_item(const char *title, const char *summary, void *needle)
{
    return text_contains_ci(title, needle) || text_contains_ci(summary, needle);
}

/* The first match in [from, to) forward or (to, from] backward; returns the index or -1.  The
 * store reads only titles and summaries from `from` on and stops at the first match (100k items in
 * about 0.1 s, where loading them page by page took seconds). */
static int64_t scan(struct ui *u, struct items_view *v, const char *needle, int64_t from, int64_t to, int dir)
{
    int64_t n = dir > 0 ? to - from : from - to;
    if (n <= 0) return -1;
    struct item_query q = v->q;
    q.offset = 0;
    q.limit = n;
    struct error err;
    error_clear(&err);
    int64_t hit = store_items_find(u->app->store, &q, from, dir, match_item, (void *)needle, &err);
    return hit >= 0 ? hit : -1;
}

/* The store's text search (its index) from the cursor's item; a list, ordered by hand, is walked
 * by position. */
static int64_t search_from(struct ui *u, struct items_view *v, const char *needle, int64_t from_id,
                           int64_t from_pos, int inclusive, int dir)
{
    struct error err;
    error_clear(&err);
    int64_t pos = -1;
    int64_t id = store_items_search(u->app->store, &v->q, needle, from_id, from_pos, inclusive, dir, v->total,
                                    &pos, &err);
    if (id < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    if (id <= 0 || pos < 0 || pos >= v->total) return -1;
    if (!item_at(v, pos) || item_at(v, pos)->id != id) window_at(u, v, id, pos);
    return pos;
}

static int items_find(struct ui *u, struct view *vv, const char *needle, int dir, int here)
{
    struct items_view *v = (struct items_view *)vv;
    if (!needle || !*needle || v->total == 0) return 0;
    int64_t hit;
    int wrapped = 0;
    if (!v->q.list_id) {
        const struct item *it = ui_items_view_current(u, vv);
        hit = it ? search_from(u, v, needle, it->id, v->cur, here, dir) : -1;
        if (hit < 0) {
            hit = search_from(u, v, needle, 0, 0, 1, dir);
            wrapped = 1;
        }
    } else {
        int64_t start = v->cur + (here ? 0 : dir);
        hit = dir > 0 ? scan(u, v, needle, start, v->total, 1) : scan(u, v, needle, start, -1, -1);
        if (hit < 0) {
            hit = dir > 0 ? scan(u, v, needle, 0, start, 1) : scan(u, v, needle, v->total - 1, start, -1);
            wrapped = 1;
        }
    }
    if (hit < 0) return 0;
    v->cur = hit;
    keep_visible(v, v->h);
    return wrapped ? 2 : 1;
}

static int64_t items_get_pos(struct view *vv) { return ((struct items_view *)vv)->cur; }

static void items_set_pos(struct view *vv, int64_t pos)
{
    struct items_view *v = (struct items_view *)vv;
    v->cur = pos;
    keep_visible(v, v->h);
}

static void items_filter(struct ui *u, struct view *vv, const char *text)
{
    struct items_view *v = (struct items_view *)vv;
    free(v->filter);
    v->filter = text && *text ? xstrdup(text) : NULL;
    /* "category:NAME" keeps the items the feed filed under NAME; any other text is searched for
     * in titles, summaries and categories */
    v->q.search = v->q.category = NULL;
    if (v->filter && !strncasecmp(v->filter, "category:", 9) && v->filter[9]) v->q.category = v->filter + 9;
    else v->q.search = v->filter;
    v->cur = v->top = 0;
    v->win_valid = 0;
    recount(u, v);
}

/* The feeds a refresh of this view means: its feed, its tag's feeds, or the current item's. */
static void refresh_here(struct ui *u, struct items_view *v)
{
    if (v->feed_id) {
        ui_start_refresh(u, &v->feed_id, 1, v->name);
        return;
    }
    if (v->tag) {
        struct feed_row *rows;
        size_t n;
        struct error err;
        error_clear(&err);
        if (store_feeds(u->app->store, &rows, &n, &err) < 0) {
            ui_message(u, EL_ERROR, "%s", err.msg);
            return;
        }
        int64_t *ids = xcalloc(n ? n : 1, sizeof *ids);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            char *tags = rows[i].tags ? xstrdup(rows[i].tags) : NULL;
            char *save = NULL;
            for (char *t = tags ? strtok_r(tags, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save))
                if (!strcmp(t, v->tag)) {
                    ids[k++] = rows[i].id;
                    break;
                }
            free(tags);
        }
        store_feed_rows_free(rows, n);
        if (k) ui_start_refresh(u, ids, k, v->name);
        else ui_message(u, EL_MESSAGE, "no feed has the tag %s", v->tag);
        free(ids);
        return;
    }
    const struct item *it = ui_items_view_current(u, &v->base);
    if (!it || it->feed_id <= 0) {
        ui_message(u, EL_MESSAGE, "no feed under the cursor (R refreshes all)");
        return;
    }
    int64_t id = it->feed_id;
    ui_start_refresh(u, &id, 1, it->feed_title ? it->feed_title : "this feed");
}

static void show_feed_error(struct ui *u, int64_t feed_id)
{
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)feed_id);
    struct feed_row row;
    struct error err;
    error_clear(&err);
    if (feed_id <= 0 || store_feed_get(u->app->store, idbuf, &row, &err) < 0) {
        ui_message(u, EL_MESSAGE, "no feed under the cursor");
        return;
    }
    const char *name = row.title && *row.title ? row.title : row.url;
    if (row.last_error && *row.last_error) ui_message(u, EL_ERROR, "%s: %s", name, row.last_error);
    else ui_message(u, EL_MESSAGE, "%s: no error at the last refresh", name);
    store_feed_row_free(&row);
}

static int items_action(struct ui *u, struct view *vv, int act, int count)
{
    struct items_view *v = (struct items_view *)vv;
    int h = v->h > 0 ? v->h : 1;
    int n = count > 0 ? count : 1;
    const struct item *it;
    struct error err;
    error_clear(&err);
    switch (act) {
    /* in the grid, down and up go to the card below and above (ncols is 1 in a list) */
    case ACT_DOWN: v->cur += (int64_t)n * v->ncols; break;
    case ACT_UP: v->cur -= (int64_t)n * v->ncols; break;
    case ACT_PAGE_DOWN:
    case ACT_HALF_DOWN: {
        int64_t step = (int64_t)(act == ACT_PAGE_DOWN ? h : (h + 1) / 2) * n;
        int64_t maxtop = v->total > h ? v->total - h : 0;
        v->top += step;
        if (v->top > maxtop) v->top = maxtop;
        v->cur += step;
        break;
    }
    case ACT_PAGE_UP:
    case ACT_HALF_UP: {
        int64_t step = (int64_t)(act == ACT_PAGE_UP ? h : (h + 1) / 2) * n;
        v->top -= step;
        if (v->top < 0) v->top = 0;
        v->cur -= step;
        break;
    }
    case ACT_TOP: v->cur = count > 0 ? count - 1 : 0; break;
    case ACT_BOTTOM: v->cur = count > 0 ? count - 1 : v->total - 1; break;
    case ACT_OPEN:
        it = ui_items_view_current(u, vv);
        if (!it) return 1;
        ui_push(u, ui_detail_view_new(u, vv, it->id));
        ui_items_view_mark_current(u, vv, 1);
        return 1;
    case ACT_OPEN_LINK:
    case ACT_COPY_LINK:
        it = ui_items_view_current(u, vv);
        if (!it || !it->url || !*it->url) {
            ui_message(u, EL_MESSAGE, "this item has no link");
            return 1;
        }
        if (act == ACT_OPEN_LINK) ui_open_url(u, it->url);
        else ui_copy_url(u, it->url);
        return 1;
    case ACT_TOGGLE_READ:
        it = ui_items_view_current(u, vv);
        if (it) ui_items_view_mark_current(u, vv, !it->read);
        return 1;
    case ACT_TOGGLE_STAR:
        it = ui_items_view_current(u, vv);
        if (!it) return 1;
        if (store_item_set_starred(u->app->store, it->id, !it->starred, &err) < 0) ui_message(u, EL_ERROR, "%s", err.msg);
        else ((struct item *)it)->starred = !it->starred;
        return 1;
    case ACT_TOGGLE_UNREAD:
        v->q.unread_only = !v->q.unread_only;
        items_changed(u, vv);
        ui_message(u, EL_MESSAGE, v->q.unread_only ? "unread items only (U shows all)" : "all items");
        return 1;
    case ACT_REFRESH:
        refresh_here(u, v);
        return 1;
    case ACT_SHOW_ERROR:
        it = ui_items_view_current(u, vv);
        show_feed_error(u, v->feed_id ? v->feed_id : it ? it->feed_id : 0);
        return 1;
    default:
        return 0;
    }
    keep_visible(v, h);
    return 1;
}

/* Marks every unread item of this view's feed (or of all feeds) read; called after the y/n. */
void ui_items_view_mark_all(struct ui *u, struct view *vv)
{
    struct items_view *v = (struct items_view *)vv;
    struct error err;
    error_clear(&err);
    int rc = 0;
    if (v->tag || v->filter) {
        /* no store call covers a tag or a text: mark what the view lists, page by page */
        struct item_query q = v->q;
        q.unread_only = 1;
        q.limit = 500;
        for (;;) {
            struct item_sink s;
            item_sink_init(&s);
            if (store_items(u->app->store, &q, &s, &err) < 0) rc = -1;
            for (size_t i = 0; i < s.n && rc == 0; i++)
                rc = store_item_set_read(u->app->store, s.items[i].id, 1, &err);
            size_t got = s.n;
            item_sink_free(&s);
            if (got == 0 || rc < 0) break;
        }
    } else {
        rc = store_feed_mark_read(u->app->store, v->feed_id, &err);
    }
    if (rc < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    else ui_message(u, EL_MESSAGE, "marked read");
    items_changed(u, vv);
}

static const struct view_ops items_ops = {
    .name = "items",
    .draw = items_draw,
    .action = items_action,
    .title = items_title,
    .position = items_position,
    .changed = items_changed,
    .find = items_find,
    .get_pos = items_get_pos,
    .set_pos = items_set_pos,
    .filter = items_filter,
    .free = items_free,
};
