/* SPDX-License-Identifier: ISC */
/* picker — choosing the list that items go to (A, or a with no list yet).  Typing narrows the
 * lists to those whose name contains the text, so two or three letters and Enter reach any list
 * without moving; the first row is always "new list…", which asks for a name (the typed text
 * already in it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "text.h"
#include "ui_int.h"

struct picker {
    struct view base;
    struct list_row *rows;
    size_t n;
    size_t *shown;           /* indexes into rows that match the filter */
    size_t n_shown;
    char filter[LISTS_NAME_MAX + 1];
    int64_t cur;             /* 0: "new list…", k: shown[k - 1] */
};

static const struct view_ops picker_ops;

int ui_picker_is(const struct view *v) { return v && v->ops == &picker_ops; }

static void refilter(struct picker *p)
{
    p->n_shown = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!p->filter[0] || text_contains_ci(p->rows[i].name, p->filter)) p->shown[p->n_shown++] = i;
    /* on the best match, so Enter takes it; on "new list…" when nothing matches */
    p->cur = p->n_shown ? 1 : 0;
}

void ui_picker_open(struct ui *u, const int64_t *ids, size_t n)
{
    free(u->pick_ids);
    u->pick_ids = xcalloc(n ? n : 1, sizeof *u->pick_ids);
    memcpy(u->pick_ids, ids, n * sizeof *ids);
    u->n_pick_ids = n;
    struct picker *p = xcalloc(1, sizeof *p);
    p->base.ops = &picker_ops;
    struct error err;
    error_clear(&err);
    if (lists_all(u->app->store, &p->rows, &p->n, &err) < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    p->shown = xcalloc(p->n ? p->n : 1, sizeof *p->shown);
    refilter(p);
    ui_push(u, &p->base);
}

static void picker_free(struct view *vv)
{
    struct picker *p = (struct picker *)vv;
    lists_rows_free(p->rows, p->n);
    free(p->shown);
    free(p);
}

static void picker_draw(struct ui *u, struct view *vv, int y0, int h, int w)
{
    struct picker *p = (struct picker *)vv;
    char b[LISTS_NAME_MAX + 64];
    snprintf(b, sizeof b, "Add %zu item%s to:  %s", u->n_pick_ids, u->n_pick_ids == 1 ? "" : "s", p->filter);
    int x = ui_draw_text(y0, 2, w - 4, b, EL_HEADING);
    ui_draw_text(y0, 2 + x, 1, "_", EL_PROMPT);
    const struct glyphs *g = ui_draw_glyphs();
    int64_t top = p->cur >= h - 2 ? p->cur - (h - 3) : 0;
    for (int r = 0; r < h - 2 && top + r <= (int64_t)p->n_shown; r++) {
        int64_t k = top + r;
        int y = y0 + 2 + r;
        if (k == p->cur) ui_draw_text(y, 0, 1, g->cursor, EL_CURSOR);
        if (k == 0) {
            ui_draw_text(y, 2, w - 4, u->ascii ? "new list..." : "new list…", EL_DIM);
            continue;
        }
        const struct list_row *l = &p->rows[p->shown[k - 1]];
        char c[32];
        ui_fmt_count(l->count, c, sizeof c);
        int nx = ui_draw_text(y, 2, w - 20, l->name, EL_UNREAD);
        snprintf(b, sizeof b, "  %s", c);
        ui_draw_text(y, 2 + nx, 16, b, EL_COUNT);
    }
}

static void picker_title(struct ui *u, struct view *vv, char *buf, size_t n)
{
    (void)u;
    (void)vv;
    snprintf(buf, n, "Add to a list %s type to narrow, Enter chooses, Esc cancels", ui_draw_glyphs()->sep);
}

static void picker_position(struct ui *u, struct view *vv, char *buf, size_t n)
{
    (void)u;
    struct picker *p = (struct picker *)vv;
    snprintf(buf, n, "%zu/%zu", p->n_shown, p->n);
}

/* Keys reach ui_picker_key first; the view's own actions only see what it lets through (none). */
static int picker_action(struct ui *u, struct view *vv, int act, int count)
{
    (void)u, (void)vv, (void)act, (void)count;
    return 0;
}

static int64_t picker_get_pos(struct view *vv) { return ((struct picker *)vv)->cur; }
static void picker_set_pos(struct view *vv, int64_t pos) { ((struct picker *)vv)->cur = pos; }
static int picker_find(struct ui *u, struct view *vv, const char *s, int dir, int here)
{
    (void)u, (void)vv, (void)s, (void)dir, (void)here;
    return 0;
}

void ui_add_to_list(struct ui *u, int64_t list_id, const int64_t *ids, size_t n)
{
    size_t added = 0;
    struct error err;
    error_clear(&err);
    if (lists_add(u->app->store, list_id, ids, n, &added, &err) < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
        return;
    }
    struct list_row r;
    const char *name = "the list";
    int got = lists_get(u->app->store, list_id, &r, &err) == 0;
    if (got) name = r.name;
    const char *arrow = u->ascii ? "->" : "→";
    if (added == 0) ui_message(u, EL_MESSAGE, "already in %s", name);
    else if (n == 1) ui_message(u, EL_MESSAGE, "%s %s", arrow, name);
    else ui_message(u, EL_MESSAGE, "%s %s (%zu of %zu added)", arrow, name, added, n);
    if (got) lists_row_free(&r);
    for (int i = 0; i < u->depth; i++)
        if (u->stack[i]->ops->changed) u->stack[i]->ops->changed(u, u->stack[i]);
}

void ui_picker_new_list(struct ui *u, const char *name)
{
    int64_t id = 0;
    struct error err;
    error_clear(&err);
    char *clean = text_sanitize_dup(name, strlen(name), LISTS_NAME_MAX, 0);
    if (!*clean) ui_message(u, EL_MESSAGE, "no name: nothing added");
    else if (lists_create(u->app->store, clean, &id, &err) < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    else ui_add_to_list(u, id, u->pick_ids, u->n_pick_ids);
    free(clean);
    ui_selection_clear(u);
}

int ui_picker_key(struct ui *u, int key)
{
    struct picker *p = (struct picker *)ui_top(u);
    key = ui_key_normalise(key);
    size_t len = strlen(p->filter);
    if (key == 27 || key == 7) {   /* Esc, ^G */
        ui_pop(u);
        ui_message(u, EL_MESSAGE, "nothing added");
    } else if (key == UI_KEY_FN + KEY_DOWN || key == 14 || key == '\t') {
        if (p->cur < (int64_t)p->n_shown) p->cur++;
    } else if (key == UI_KEY_FN + KEY_UP || key == 16 || key == UI_KEY_FN + KEY_BTAB) {
        if (p->cur > 0) p->cur--;
    } else if (key == UI_KEY_FN + KEY_BACKSPACE) {
        while (len > 0 && ((unsigned char)p->filter[--len] & 0xC0) == 0x80)
            ;
        p->filter[len] = 0;
        refilter(p);
    } else if (key == 21) {        /* ^U */
        p->filter[0] = 0;
        refilter(p);
    } else if (key == '\n') {
        char initial[sizeof p->filter];
        snprintf(initial, sizeof initial, "%s", p->filter);
        int64_t list = p->cur > 0 ? p->rows[p->shown[p->cur - 1]].id : 0;
        ui_pop(u);
        if (list) {
            ui_add_to_list(u, list, u->pick_ids, u->n_pick_ids);
            ui_selection_clear(u);
        } else {
            ui_prompt_open(u, PR_NEW_LIST, "New list: ", initial);
        }
    } else if (key >= 0x20 && key < UI_KEY_FN && !(key >= 0x7F && key < 0xA0)) {
        char enc[8];
        int l = utf8_encode((unsigned)key, enc);
        if (len + (size_t)l < sizeof p->filter) {
            memcpy(p->filter + len, enc, (size_t)l);
            p->filter[len + (size_t)l] = 0;
            refilter(p);
        }
    }
    return 1;   /* the picker owns the keyboard while it is open */
}

static const struct view_ops picker_ops = {
    .name = "picker",
    .draw = picker_draw,
    .action = picker_action,
    .title = picker_title,
    .position = picker_position,
    .find = picker_find,
    .get_pos = picker_get_pos,
    .set_pos = picker_set_pos,
    .free = picker_free,
};
