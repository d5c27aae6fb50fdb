/* SPDX-License-Identifier: ISC */
/* view_lists — the user's lists (W), and the curation keys that act on items wherever they are
 * listed: a / A add, d removes, - / + reorder, Space and V select, u undoes, s and m on the
 * selection.  Every change is one call into the lists engine, which commits it at once and
 * journals its inverse, so nothing here needs saving and `u` works across restarts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "text.h"
#include "ui_int.h"

struct lists_view {
    struct view base;
    struct list_row *rows;
    size_t n;
    int64_t cur, top;
    int h;
};

static const struct view_ops lv_ops;

int ui_lists_view_is(const struct view *v) { return v && v->ops == &lv_ops; }

static void reload_all(struct ui *u)
{
    for (int i = 0; i < u->depth; i++)
        if (u->stack[i]->ops->changed) u->stack[i]->ops->changed(u, u->stack[i]);
}

static void lv_load(struct ui *u, struct lists_view *v)
{
    int64_t keep = v->n && v->cur < (int64_t)v->n ? v->rows[v->cur].id : 0;
    lists_rows_free(v->rows, v->n);
    v->rows = NULL;
    v->n = 0;
    struct error err;
    error_clear(&err);
    if (lists_all(u->app->store, &v->rows, &v->n, &err) < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    for (size_t i = 0; i < v->n; i++)
        if (v->rows[i].id == keep) v->cur = (int64_t)i;
    if (v->cur >= (int64_t)v->n) v->cur = v->n ? (int64_t)v->n - 1 : 0;
}

struct view *ui_lists_view_new(struct ui *u)
{
    struct lists_view *v = xcalloc(1, sizeof *v);
    v->base.ops = &lv_ops;
    v->h = ui_body_height(u);
    lv_load(u, v);
    return &v->base;
}

static void lv_free(struct view *vv)
{
    struct lists_view *v = (struct lists_view *)vv;
    lists_rows_free(v->rows, v->n);
    free(v);
}

static void lv_draw(struct ui *u, struct view *vv, int y0, int h, int w)
{
    struct lists_view *v = (struct lists_view *)vv;
    v->h = h;
    if (!v->n) {
        ui_draw_text(y0 + 1, 2, w - 4, "No lists yet.  In an item list, a adds the item to a list "
                  "(A picks or makes one).", EL_NORMAL);
        return;
    }
    if (v->cur < v->top) v->top = v->cur;
    if (v->cur >= v->top + h) v->top = v->cur - h + 1;
    const struct glyphs *g = ui_draw_glyphs();
    int nw = w - 34 > 20 ? w - 34 : 20;
    for (int r = 0; r < h && v->top + r < (int64_t)v->n; r++) {
        const struct list_row *l = &v->rows[v->top + r];
        int y = y0 + r, cur = v->top + r == v->cur;
        if (cur) ui_draw_text(y, 0, 1, g->cursor, EL_CURSOR);
        ui_draw_text(y, 2, nw, l->name, EL_UNREAD);
        char c[32], un[32], b[96];
        ui_fmt_count(l->count, c, sizeof c);
        ui_fmt_count(l->unread, un, sizeof un);
        snprintf(b, sizeof b, "%8s item%s  %6s unread", c, l->count == 1 ? " " : "s", un);
        ui_draw_text(y, 2 + nw, w - 2 - nw, b, EL_COUNT);
        if (l->last_used) ui_draw_text(y, 2 + nw + 30, w - 32 - nw > 0 ? w - 32 - nw : 0, " a", EL_KEY);
    }
}

static void lv_title(struct ui *u, struct view *vv, char *buf, size_t n)
{
    (void)u;
    struct lists_view *v = (struct lists_view *)vv;
    snprintf(buf, n, "Lists %s %zu list%s", ui_draw_glyphs()->sep, v->n, v->n == 1 ? "" : "s");
}

static void lv_position(struct ui *u, struct view *vv, char *buf, size_t n)
{
    (void)u;
    struct lists_view *v = (struct lists_view *)vv;
    snprintf(buf, n, "%lld/%zu", (long long)(v->n ? v->cur + 1 : 0), v->n);
}

static void lv_changed(struct ui *u, struct view *vv) { lv_load(u, (struct lists_view *)vv); }

static int lv_find(struct ui *u, struct view *vv, const char *needle, int dir, int here)
{
    (void)u;
    struct lists_view *v = (struct lists_view *)vv;
    if (!v->n) return 0;
    for (size_t k = here ? 0 : 1; k <= v->n; k++) {
        int64_t i = ((v->cur + dir * (int64_t)k) % (int64_t)v->n + (int64_t)v->n) % (int64_t)v->n;
        if (text_contains_ci(v->rows[i].name, needle)) {
            int wrapped = dir > 0 ? i < v->cur : i > v->cur;
            v->cur = i;
            return wrapped ? 2 : 1;
        }
    }
    return 0;
}

static int64_t lv_get_pos(struct view *vv) { return ((struct lists_view *)vv)->cur; }
static void lv_set_pos(struct view *vv, int64_t pos) { ((struct lists_view *)vv)->cur = pos; }

/* The ids of a list's items in list order; malloc'd. */
static int64_t *list_item_ids(struct ui *u, int64_t list_id, size_t *n)
{
    struct item_sink s;
    item_sink_init(&s);
    struct item_query q = {.list_id = list_id};
    struct error err;
    error_clear(&err);
    if (store_items(u->app->store, &q, &s, &err) < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    int64_t *ids = xcalloc(s.n ? s.n : 1, sizeof *ids);
    for (size_t i = 0; i < s.n; i++) ids[i] = s.items[i].id;
    *n = s.n;
    item_sink_free(&s);
    return ids;
}

static int lv_action(struct ui *u, struct view *vv, int act, int count)
{
    struct lists_view *v = (struct lists_view *)vv;
    int n = count > 0 ? count : 1;
    const struct list_row *l = v->n ? &v->rows[v->cur] : NULL;
    switch (act) {
    case ACT_DOWN: v->cur += n; break;
    case ACT_UP: v->cur -= n; break;
    case ACT_PAGE_DOWN: case ACT_HALF_DOWN: v->cur += v->h; break;
    case ACT_PAGE_UP: case ACT_HALF_UP: v->cur -= v->h; break;
    case ACT_TOP: v->cur = count > 0 ? count - 1 : 0; break;
    case ACT_BOTTOM: v->cur = count > 0 ? count - 1 : (int64_t)v->n - 1; break;
    case ACT_OPEN:
        if (l) ui_push(u, ui_items_view_new_list(u, l->id, l->name));
        return 1;
    case ACT_PLAY: {
        if (!l) return 1;
        size_t k;
        int64_t *ids = list_item_ids(u, l->id, &k);
        if (k) ui_play_ids(u, ids, k);
        else ui_message(u, EL_MESSAGE, "%s is empty", l->name);
        free(ids);
        return 1;
    }
    case ACT_LIST_REMOVE: {
        if (!l) return 1;
        char q[1200];   /* a list name is at most 512 bytes */
        snprintf(q, sizeof q, "Delete the list \"%.*s\" (its items stay)? (y/n) ", (int)text_fit(l->name, 40, NULL),
                 l->name);
        ui_prompt_open(u, PR_CONFIRM, q, "");
        u->prompt.confirm_action = ACT_LIST_REMOVE;
        u->confirm_list = l->id;
        return 1;
    }
    default:
        return 0;
    }
    if (v->cur >= (int64_t)v->n) v->cur = v->n ? (int64_t)v->n - 1 : 0;
    if (v->cur < 0) v->cur = 0;
    return 1;
}

static const struct view_ops lv_ops = {
    .name = "lists",
    .draw = lv_draw,
    .action = lv_action,
    .title = lv_title,
    .position = lv_position,
    .changed = lv_changed,
    .find = lv_find,
    .get_pos = lv_get_pos,
    .set_pos = lv_set_pos,
    .free = lv_free,
};

/* ---- the selection ---- */

int ui_item_selected(const struct ui *u, int64_t item_id)
{
    if (!u->n_sel || u->sel_view != ui_top((struct ui *)u)) return 0;
    for (size_t i = 0; i < u->n_sel; i++)
        if (u->sel[i] == item_id) return 1;
    return 0;
}

void ui_selection_clear(struct ui *u)
{
    u->n_sel = 0;
    u->sel_range = 0;
    u->sel_view = NULL;
}

/* add: 1 adds, 0 removes, -1 toggles */
static void select_item(struct ui *u, struct view *v, int64_t id, int add)
{
    if (u->sel_view != v) ui_selection_clear(u);
    u->sel_view = v;
    for (size_t i = 0; i < u->n_sel; i++)
        if (u->sel[i] == id) {
            if (add == 1) return;
            memmove(&u->sel[i], &u->sel[i + 1], (u->n_sel - i - 1) * sizeof *u->sel);
            u->n_sel--;
            return;
        }
    if (add == 0) return;
    if (u->n_sel == u->cap_sel) {
        u->cap_sel = u->cap_sel ? u->cap_sel * 2 : 32;
        u->sel = xrealloc(u->sel, u->cap_sel * sizeof *u->sel);
    }
    u->sel[u->n_sel++] = id;
}

void ui_curate_after(struct ui *u, struct view *v)
{
    if (!u->n_sel && !u->sel_range) return;
    int alive = 0;
    for (int i = 0; i < u->depth; i++) alive |= u->stack[i] == u->sel_view;
    if (!alive) {
        ui_selection_clear(u);
        return;
    }
    if (u->sel_range && v == u->sel_view && ui_items_view_is(v)) {
        const struct item *it = ui_items_view_current(u, v);
        if (it) select_item(u, v, it->id, 1);
    }
}

void ui_curate_free(struct ui *u)
{
    free(u->sel);
    free(u->play_ids);
    free(u->pick_ids);
    u->sel = u->play_ids = u->pick_ids = NULL;
}

/* What a key acts on: the selection made in this view, else the item under the cursor.
 * malloc'd; NULL (and a message) when there is nothing. */
static int64_t *targets(struct ui *u, struct view *v, size_t *n)
{
    if (u->n_sel && u->sel_view == v) {
        int64_t *ids = xcalloc(u->n_sel, sizeof *ids);
        memcpy(ids, u->sel, u->n_sel * sizeof *ids);
        *n = u->n_sel;
        return ids;
    }
    const struct item *it = ui_items_view_current(u, v);
    if (!it) {
        ui_message(u, EL_MESSAGE, "no item here");
        return NULL;
    }
    int64_t *ids = xcalloc(1, sizeof *ids);
    ids[0] = it->id;
    *n = 1;
    return ids;
}

static void list_name(struct ui *u, int64_t list_id, char *buf, size_t size)
{
    struct list_row r;
    struct error err;
    error_clear(&err);
    if (lists_get(u->app->store, list_id, &r, &err) == 0) {
        snprintf(buf, size, "%s", r.name);
        lists_row_free(&r);
    } else {
        snprintf(buf, size, "the list");
    }
}

static void remove_here(struct ui *u, struct view *v, int64_t list_id)
{
    size_t n;
    int64_t *ids = targets(u, v, &n);
    if (!ids) return;
    size_t removed = 0;
    struct error err;
    error_clear(&err);
    char name[LISTS_NAME_MAX + 8];
    list_name(u, list_id, name, sizeof name);
    if (lists_remove(u->app->store, list_id, ids, n, &removed, &err) < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
    } else {
        if (removed == 1) ui_message(u, EL_MESSAGE, "removed from %s (u undoes)", name);
        else ui_message(u, EL_MESSAGE, "removed %zu items from %s (u undoes)", removed, name);
        ui_selection_clear(u);
        reload_all(u);
    }
    free(ids);
}

static void move_here(struct ui *u, struct view *v, int64_t list_id, int64_t delta)
{
    const struct item *it = ui_items_view_current(u, v);
    if (!it) return;
    struct error err;
    error_clear(&err);
    /* changed() follows the item by its id, so the cursor moves with it */
    if (lists_move_by(u->app->store, list_id, it->id, delta, &err) < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    else v->ops->changed(u, v);
}

static void star_or_read(struct ui *u, struct view *v, int act)
{
    const struct item *cur = ui_items_view_current(u, v);
    size_t n;
    int64_t *ids = targets(u, v, &n);
    if (!ids) return;
    int star = act == ACT_TOGGLE_STAR;
    /* the item under the cursor decides which way a mixed selection goes */
    int on = cur ? !(star ? cur->starred : cur->read) : 1;
    struct error err;
    error_clear(&err);
    int rc = star ? lists_set_starred(u->app->store, ids, n, on, &err)
                  : lists_set_read(u->app->store, ids, n, on, &err);
    if (rc < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
    } else if (n == 1 && cur && cur->id == ids[0] && star) {
        ((struct item *)cur)->starred = on;   /* the view's own window: no reload needed */
    } else {
        ui_message(u, EL_MESSAGE, "%s %zu item%s (u undoes)", star ? (on ? "starred" : "unstarred")
                   : (on ? "marked read" : "marked unread"), n, n == 1 ? "" : "s");
        ui_selection_clear(u);
        reload_all(u);
    }
    free(ids);
}

static void undo(struct ui *u)
{
    char what[300];
    struct error err;
    error_clear(&err);
    int r = lists_undo(u->app->store, what, sizeof what, &err);
    if (r < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    else if (r == 0) ui_message(u, EL_MESSAGE, "nothing to undo");
    else {
        ui_message(u, EL_MESSAGE, "undid: %s", what);
        reload_all(u);
    }
}

static void open_lists(struct ui *u)
{
    for (int i = u->depth - 1; i >= 0; i--)
        if (ui_lists_view_is(u->stack[i])) {
            ui_pop_to(u, i + 1);
            return;
        }
    ui_push(u, ui_lists_view_new(u));
}

int ui_curate_action(struct ui *u, struct view *v, int act, int count)
{
    int items = ui_items_view_is(v);
    int64_t list = items ? ui_items_view_list(v) : 0;
    const struct item *it;
    size_t n;
    int64_t *ids;
    switch (act) {
    case ACT_LISTS: open_lists(u); return 1;
    case ACT_UNDO: undo(u); return 1;
    case ACT_TOGGLE_PRESET: ui_toggle_preset(u); return 1;
    case ACT_OPEN:
        /* Enter in a list opens the detail (its facts and provenance come first); Enter in the
         * detail of a clip or an episode plays it.  With a count, Enter opens link N as before. */
        it = ui_detail_view_item(v);
        if (!it || count > 0 || !ui_item_playable(it)) return 0;
        ui_play_ids(u, &it->id, 1);
        return 1;
    case ACT_PLAY:
        if ((it = ui_detail_view_item(v))) {
            if ((!it->media_url || !*it->media_url) && !(it->url && player_url_is_page(it->url))) {
                ui_message(u, EL_MESSAGE, "this item has no media to play");
                return 1;
            }
            ui_play_ids(u, &it->id, 1);
            return 1;
        }
        if (!items) return 0;
        if (!(u->n_sel && u->sel_view == v)) {
            it = ui_items_view_current(u, v);
            if (!it) return 1;
            if ((!it->media_url || !*it->media_url) && !(it->url && player_url_is_page(it->url))) {
                ui_message(u, EL_MESSAGE, "this item has no media to play");
                return 1;
            }
        }
        if ((ids = targets(u, v, &n))) ui_play_ids(u, ids, n);
        free(ids);
        return 1;
    case ACT_LIST_ADD:
    case ACT_LIST_PICK: {
        if (!items) return 0;
        if (!(ids = targets(u, v, &n))) return 1;
        int64_t last = 0;
        struct error err;
        error_clear(&err);
        if (act == ACT_LIST_ADD && lists_last_used(u->app->store, &last, &err) < 0) {
            ui_message(u, EL_ERROR, "%s", err.msg);
        } else if (act == ACT_LIST_ADD && last > 0) {
            ui_add_to_list(u, last, ids, n);
            ui_selection_clear(u);
        } else {
            ui_picker_open(u, ids, n);   /* no list yet, or A: choose (or name) one */
        }
        free(ids);
        return 1;
    }
    case ACT_LIST_REMOVE:
        if (!items) return 0;
        if (!list) ui_message(u, EL_MESSAGE, "d removes from a list: open one with W");
        else remove_here(u, v, list);
        return 1;
    case ACT_MOVE_UP:
    case ACT_MOVE_DOWN:
        if (!items) return 0;
        if (!list) ui_message(u, EL_MESSAGE, "- and + reorder a list: open one with W");
        else move_here(u, v, list, (act == ACT_MOVE_UP ? -1 : 1) * (count > 0 ? count : 1));
        return 1;
    case ACT_SELECT:
        /* elsewhere Space keeps its old meaning */
        if (!items) return v->ops->action(u, v, ACT_PAGE_DOWN, count);
        if (!(it = ui_items_view_current(u, v))) return 1;
        select_item(u, v, it->id, -1);
        ui_items_view_step(u, v, 1);
        return 1;
    case ACT_SELECT_RANGE:
        if (!items) return 0;
        u->sel_range = !(u->sel_range && u->sel_view == v);
        if (u->sel_range && (it = ui_items_view_current(u, v))) select_item(u, v, it->id, 1);
        ui_message(u, EL_MESSAGE, u->sel_range ? "selecting as the cursor moves (V stops)" : "range done");
        return 1;
    case ACT_TOGGLE_STAR:
        if (!items) return 0;
        star_or_read(u, v, act);
        return 1;
    case ACT_TOGGLE_READ:
        if (!items || !(u->n_sel && u->sel_view == v)) return 0;
        star_or_read(u, v, act);
        return 1;
    default:
        return 0;
    }
}

void ui_curate_confirm(struct ui *u, int act, int key)
{
    if (act == ACT_PLAY) {
        ui_play_answer(u, key);
        return;
    }
    if (act != ACT_LIST_REMOVE) return;
    if (key != 'y' && key != 'Y') {
        ui_message(u, EL_MESSAGE, "kept");
        return;
    }
    char name[LISTS_NAME_MAX + 8];
    list_name(u, u->confirm_list, name, sizeof name);
    struct error err;
    error_clear(&err);
    if (lists_delete(u->app->store, u->confirm_list, &err) < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
        return;
    }
    ui_message(u, EL_MESSAGE, "deleted %s (u undoes)", name);
    reload_all(u);
}
