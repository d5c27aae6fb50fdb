/* SPDX-License-Identifier: ISC */
/* grid — the items as cards: a thumbnail with the badge, two lines of title and the date and
 * source under it.  The list stays one line per item (dense, for reading headlines); pictures
 * need room to say anything, so they live here and at the top of the detail view.
 *
 * Sizes: cards about 26 columns wide, the picture 16:9 in 1:2 cells, shrunk so that at least two
 * rows of cards fit: 3 × 2 cards at 80 × 24, 4 × 3 at 120 × 40. */
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "ui_int.h"

#define CARD_W 26
#define CARD_TEXT 4      /* title (2), date and source, gap */

void ui_grid_geometry(int w, int h, struct grid_geom *g)
{
    g->ncols = w / CARD_W > 0 ? w / CARD_W : 1;
    g->card_w = w / g->ncols;
    g->tcols = g->card_w - 2;
    if (g->tcols < 4) g->tcols = 4;
    g->trows = (g->tcols * 9 + 16) / 32;
    int fit2 = h / 2 - CARD_TEXT;   /* two rows of cards, at least */
    if (g->trows > fit2) g->trows = fit2;
    if (g->trows < 2) g->trows = 2;
    g->card_h = g->trows + CARD_TEXT;
    g->nrows = h / g->card_h > 0 ? h / g->card_h : 1;
    g->rows = 0;
}

/* Cards as rows: the cursor column, a picture 8 × 3 cells, a gap, then three lines of text. */
#define ROW_THUMB_W 8
#define ROW_H 3

void ui_cards_geometry(int w, int h, struct grid_geom *g)
{
    g->ncols = 1;
    g->card_w = w;
    g->tcols = ROW_THUMB_W;
    g->trows = ROW_H;
    g->card_h = ROW_H;
    g->nrows = h / g->card_h > 0 ? h / g->card_h : 1;
    g->rows = 1;
}

void ui_detail_thumb_box(int w, int h, int *cols, int *rows)
{
    /* large, but leaving the title and the first facts on the first screen */
    *cols = w - 4 > 60 ? 60 : w - 4;
    *rows = (*cols * 9 + 16) / 32;
    /* a third of the view at most: the text is what the detail is for (at 80 x 24, 7 rows) */
    if (*rows > h / 3) *rows = h / 3;
    if (*rows < 2) *rows = 2;
}

static void draw_card(struct ui *u, const struct grid_geom *g, int y, int x, const struct item *it, int is_cur,
                      int from_feed)
{
    const struct glyphs *gl = ui_draw_glyphs();
    int tx = x + 1;
    if (it->thumb_url && *it->thumb_url && !ui_item_withheld(u, it)) {
        ui_thumb_draw(u, it->thumb_url, y, tx, g->tcols, g->trows, 2);
    } else {
        for (int r = 0; r < g->trows; r++) ui_draw_fill(y + r, tx, g->tcols, EL_DIM);
        /* a picture marked sensitive is withheld: the box says so instead */
        if (it->thumb_url && *it->thumb_url) ui_draw_text(y + g->trows / 2, tx, g->tcols, "sensitive", EL_DIM);
    }
    if (is_cur)
        for (int r = 0; r < g->card_h - 1; r++) ui_draw_text(y + r, x, 1, gl->cursor, EL_CURSOR);
    int ty = y + g->trows;
    char cells[2][8];
    int belem = EL_BADGE;
    ui_badge_cells(u, it, cells, &belem);
    ui_draw_text(ty, tx, 1, cells[0], belem);
    ui_draw_text(ty, tx + 1, 1, cells[1], belem);
    /* unread and starred side by side: a starred unread card shows both */
    if (!it->read) ui_draw_text(ty, tx + 2, 1, gl->unread, EL_FLAG);
    if (it->starred) ui_draw_text(ty, tx + 3, 1, gl->star, EL_FLAG);
    int tw = g->tcols - 4;
    struct strbuf b;
    sb_init(&b);
    text_wrap(&b, it->title && *it->title ? it->title : "(untitled)", tw);
    int elem = is_cur ? EL_CURSOR_LINE : it->read ? EL_READ : EL_UNREAD;
    char *s = b.s, *nl = s ? strchr(s, '\n') : NULL;
    if (nl) *nl = 0;
    ui_draw_text(ty, tx + 4, tw, s ? s : "", elem);
    if (nl && nl[1]) {
        char *rest = nl + 1, *nl2 = strchr(rest, '\n');
        if (nl2 && nl2[1]) {
            /* more than two lines: end the second with an ellipsis */
            *nl2 = 0;
            int used = ui_draw_text(ty + 1, tx + 4, tw - 1, rest, elem);
            ui_draw_text(ty + 1, tx + 4 + used, 1, gl->ellipsis, elem);
        } else {
            if (nl2) *nl2 = 0;
            ui_draw_text(ty + 1, tx + 4, tw, rest, elem);
        }
    }
    sb_free(&b);
    /* no fixed buffer: a cut by bytes split a character and showed U+FFFD; ui_draw_text cuts by
     * width on character boundaries */
    char d[32];
    ui_fmt_date(it->published, d, sizeof d);
    const char *src = from_feed && it->author && *it->author ? it->author : it->feed_title;
    sb_init(&b);
    sb_printf(&b, "%s%s%s", d, *d && src && *src ? "  " : "", src ? src : "");
    ui_draw_text(ty + 2, tx, g->tcols, b.s ? b.s : "", EL_DIM);
    sb_free(&b);
}

static void draw_card_row(struct ui *u, const struct grid_geom *g, int y, const struct item *it, int is_cur,
                          int from_feed)
{
    const struct glyphs *gl = ui_draw_glyphs();
    int w = g->card_w, tx = 1, x = tx + g->tcols + 1, tw = w - x - 4;
    if (tw < 0) tw = 0;
    int line = is_cur && u->app->cfg.cursor_line;
    if (line)
        for (int r = 0; r < g->card_h; r++) ui_draw_fill(y + r, x, w - x, EL_CURSOR_LINE);
    if (it->thumb_url && *it->thumb_url && !ui_item_withheld(u, it)) {
        ui_thumb_draw(u, it->thumb_url, y, tx, g->tcols, g->trows, 2);
    } else {
        for (int r = 0; r < g->trows; r++) ui_draw_fill(y + r, tx, g->tcols, EL_DIM);
        /* a picture marked sensitive is withheld: the box says so instead */
        if (it->thumb_url && *it->thumb_url) ui_draw_text(y + g->trows / 2, tx, g->tcols, "sensitive", EL_DIM);
    }
    for (int r = 0; r < g->card_h; r++) {
        if (is_cur) ui_draw_text(y + r, 0, 1, gl->cursor, EL_CURSOR);
        else if (ui_item_selected(u, it->id)) ui_draw_text(y + r, 0, 1, "+", EL_FLAG);   /* space / V selection */
    }
    /* line 1: flag, badge cells, title */
    if (!it->read) ui_draw_text(y, x, 1, gl->unread, line ? EL_CURSOR_LINE : EL_FLAG);
    if (it->starred) ui_draw_text(y, x + 3, 1, gl->star, line ? EL_CURSOR_LINE : EL_FLAG);
    char cells[2][8];
    int belem = EL_BADGE;
    ui_badge_cells(u, it, cells, &belem);
    ui_draw_text(y, x + 1, 1, cells[0], line ? EL_CURSOR_LINE : belem);
    ui_draw_text(y, x + 2, 1, cells[1], line ? EL_CURSOR_LINE : belem);
    const char *title = it->title && *it->title ? it->title : "(untitled)";
    int elem = line ? EL_CURSOR_LINE : it->read ? EL_READ : EL_UNREAD;
    ui_draw_text(y, x + 4, tw, title, elem);
    /* line 2: date and source (one feed: who wrote it; the river: where it comes from) */
    char d[32];
    ui_fmt_date(it->published, d, sizeof d);
    const char *src = from_feed && it->author && *it->author ? it->author : it->feed_title;
    int both = *d && src && *src;
    struct strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s%s%s%s%s", d, both ? " " : "", both ? gl->sep : "", both ? " " : "", src ? src : "");
    ui_draw_text(y + 1, x + 4, tw, b.s ? b.s : "", line ? EL_CURSOR_LINE : EL_DIM);
    /* line 3: the summary's first line, whole (ui_draw_text cuts it by width on a character boundary) */
    const char *sum = it->summary ? it->summary : "";
    while (*sum == ' ' || *sum == '\n') sum++;
    b.len = 0;
    sb_add(&b, sum, strcspn(sum, "\n"));
    ui_draw_text(y + 2, x + 4, tw, b.s ? b.s : "", line ? EL_CURSOR_LINE : EL_DIM);
    sb_free(&b);
}

void ui_grid_draw(struct ui *u, const struct grid_geom *g, int y0, int64_t top, int64_t cur, int from_feed,
               const struct item *(*at)(void *ctx, int64_t i), void *ctx)
{
    int per = g->ncols * g->nrows;
    for (int k = 0; k < per; k++) {
        const struct item *it = at(ctx, top + k);
        if (!it) break;
        if (g->rows) draw_card_row(u, g, y0 + k * g->card_h, it, top + k == cur, from_feed);
        else
            draw_card(u, g, y0 + (k / g->ncols) * g->card_h, (k % g->ncols) * g->card_w, it, top + k == cur,
                      from_feed);
    }
    /* the next page, behind the visible cards: paging on shows pictures at once */
    for (int k = per; k < 2 * per; k++) {
        const struct item *it = at(ctx, top + k);
        if (!it) break;
        ui_thumb_want(u, it->thumb_url, g->tcols, g->trows, 1);
    }
}
