/* SPDX-License-Identifier: ISC */
/* thumbs — the reader's pictures.  thumbq drives the session's one fetcher (app_fetcher) at low
 * priority, behind feeds, and renders on its workers; the detail's sixel/kitty picture is fetched
 * on the same fetcher.  The bytes of every picture fetched here also go to the session
 * (app_scan_bytes), which stores a provenance scan of them unless one is stored: a picture is
 * downloaded once, and its verdict is the store's, whether or not it came from the disk cache. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "image.h"
#include "text.h"
#include "thumb_curses.h"
#include "thumbq.h"
#include "ui_int.h"

/* The detail's picture as sixel or kitty pixels: one at a time, decoded and rendered on the UI
 * thread when its bytes arrive (one picture per opened item, a few ms). */
struct gfx {
    struct ui_media *um;
    char *url;
    int cols, rows;
    int state;                           /* 0 loading, 1 ready, 2 failed */
    struct strbuf seq;
    struct gfx *next;                    /* every record, the current one and those loading */
};

struct ui_media {
    struct ui *u;
    struct thumbq *q;                    /* NULL when thumbnails = off */
    struct thumb_pairs pairs;
    enum thumb_colors mode;
    enum thumb_pixels pixels;            /* what the detail's picture uses, after tmux's say */
    int cell_w, cell_h;
    struct gfx *gfx, *gfx_all;
    const void *gfx_owner;               /* the view whose picture is on screen, NULL none */
};

static void on_bytes(const char *url, const void *bytes, size_t len, void *user)
{
    struct ui_media *um = user;
    app_scan_bytes(um->u->app, url, bytes, len);
}

void ui_media_init(struct ui *u)
{
    struct ui_media *um = xcalloc(1, sizeof *um);
    u->media = um;
    um->u = u;
    struct error err;
    error_clear(&err);
    /* the rules and trust are the session's, loaded once: a bad line stops nothing here, but says so */
    int64_t h, o;
    if (app_curation_masks(u->app, 0, &h, &o, &err) < 0) ui_message(u, EL_ERROR, "provenance: %s", err.msg);
    u->grid = u->app->cfg.layout == CONFIG_LAYOUT_GRID;
    struct fetcher *f = app_fetcher(u->app);
    if (!f) ui_message(u, EL_ERROR, "no pictures: %s", APP_NO_FETCHER);
    if (f && u->app->cfg.thumbnails != CONFIG_THUMBS_OFF) {
        um->q = thumbq_new(f, u->app->cache_dir, (size_t)u->app->cfg.thumb_cache_mb << 20, 2);
        if (um->q) {
            int cw = 0, ch = 0;
            int known = thumb_cell_size(STDOUT_FILENO, &cw, &ch);
            thumbq_set_style(um->q, u->ascii, cw, ch);
            um->cell_w = known ? cw : 10;
            um->cell_h = known ? ch : 20;
            thumbq_set_bytes_hook(um->q, on_bytes, um);
        }
    }
    /* pictures in the interface's own colour depth: an 8- or 16-colour terminal gets no
     * 256-colour codes from them */
    switch (u->cm) {
    case CM_DIRECT: um->mode = THUMB_COLORS_DIRECT; break;
    case CM_256: um->mode = THUMB_COLORS_256; break;
    case CM_16: um->mode = THUMB_COLORS_16; break;
    case CM_8: um->mode = THUMB_COLORS_8; break;
    default: um->mode = THUMB_COLORS_NONE; break;
    }
    enum thumb_pixels want = THUMB_PIXELS_SYMBOLS;
    switch (u->app->cfg.thumbnails) {
    case CONFIG_THUMBS_SIXEL: want = THUMB_PIXELS_SIXEL; break;
    case CONFIG_THUMBS_KITTY: want = THUMB_PIXELS_KITTY; break;
    case CONFIG_THUMBS_OFF: want = THUMB_PIXELS_OFF; break;
    case CONFIG_THUMBS_SYMBOLS: break;
    }
    um->pixels = thumb_pixels_effective(want, u->app->cfg.thumbnails_force);
    /* the theme's pairs are 1..EL__COUNT */
    ui_thumb_pairs_init(&um->pairs, EL__COUNT + 1);
}

void ui_media_free(struct ui *u)
{
    struct ui_media *um = u->media;
    if (!um) return;
    thumbq_free(um->q);
    if (u->app->fetcher) fetch_cancel(u->app->fetcher, um);   /* the detail's pictures */
    while (um->gfx_all) {
        struct gfx *g = um->gfx_all;
        um->gfx_all = g->next;
        free(g->url);
        sb_free(&g->seq);
        free(g);
    }
    free(um);
    u->media = NULL;
}

unsigned ui_media_fds(struct ui *u, struct fetch_waitfd *fds)
{
    if (!u->media || !u->media->q) return 0;
    fds->fd = thumbq_fd(u->media->q);
    fds->events = POLLIN;
    fds->revents = 0;
    return 1;
}

int ui_media_collect(struct ui *u)
{
    if (!u->media || !u->media->q) return 0;
    return thumbq_collect(u->media->q, NULL, NULL);
}

void ui_media_frame(struct ui *u)
{
    struct ui_media *um = u->media;
    if (um && um->gfx_owner && um->gfx_owner != ui_top(u)) ui_thumb_graphics_gone(u);
    if (!um || !um->q || !ui_thumb_pairs_need_reset(&um->pairs)) return;
    /* every pair is forgotten, the theme's too: set them again and repaint everything */
    ui_thumb_pairs_reset(&um->pairs);
    theme_apply(&u->theme, u->cm);
    bkgdset((chtype)' ' | (chtype)COLOR_PAIR(theme_pair(EL_NORMAL)));
    u->full_redraw = 1;
}

void ui_thumb_want(struct ui *u, const char *url, int cols, int rows, int prio)
{
    if (u->media && u->media->q && url && *url && cols > 0 && rows > 0)
        thumbq_request(u->media->q, url, cols, rows, u->media->mode, prio);
}

/* Why a picture is missing, under its marker where the box has room (the detail's, a wide card):
 * "picture: HTTP 404", wrapped; it is tried again at the next refresh (ui_media_retry_failed). */
static void draw_failure(struct ui *u, const char *url, int y, int x, int cols, int rows)
{
    int below = rows - rows / 2 - 1;   /* the lines under the marker */
    if (below < 1 || cols < 12) return;
    const char *why = thumbq_error(u->media->q, url, cols, rows, u->media->mode);
    if (!why || !*why) return;
    struct arena a;
    arena_init(&a);
    /* the reason can quote a server's words: through the sanitiser like all text on screen */
    const char *clean = text_sanitize(&a, why, strlen(why), TEXT_MAX_SHORT, 0);
    struct strbuf msg, lines;
    sb_init(&msg);
    sb_init(&lines);
    sb_printf(&msg, "picture: %s", clean);
    text_wrap(&lines, msg.s, cols - 2);
    const char *p = lines.s;
    for (int r = 0; r < below && p && *p; r++) {
        const char *nl = strchr(p, '\n');
        char *line = arena_strndup(&a, p, nl ? (size_t)(nl - p) : strlen(p));
        int lw = text_width(line);
        ui_draw_text(y + r, x + (cols - lw) / 2, cols - 2, line, EL_DIM);
        p = nl ? nl + 1 : NULL;
    }
    sb_free(&lines);
    sb_free(&msg);
    arena_free(&a);
}

void ui_media_retry_failed(struct ui *u)
{
    if (u->media && u->media->q) thumbq_forget_failed(u->media->q);
}

void ui_thumb_draw(struct ui *u, const char *url, int y, int x, int cols, int rows, int prio)
{
    struct ui_media *um = u->media;
    if (!um || !um->q || !url || !*url || cols < 1 || rows < 1) return;
    enum thumbq_state st = thumbq_request(um->q, url, cols, rows, um->mode, prio);
    const struct thumb *t = st == THUMBQ_READY ? thumbq_get(um->q, url, cols, rows, um->mode, &st) : NULL;
    if (t) {
        ui_thumb_draw_curses(stdscr, y + (rows - t->rows) / 2, x + (cols - t->cols) / 2, t, &um->pairs);
        return;
    }
    /* a quiet placeholder the size of the box, so the layout does not jump when it arrives */
    const char *mark = st == THUMBQ_FAILED ? (u->ascii ? "x" : "\xc3\x97") : (u->ascii ? "..." : "\xe2\x80\xa6");
    for (int r = 0; r < rows; r++) ui_draw_fill(y + r, x, cols, EL_DIM);
    int mw = st == THUMBQ_FAILED ? 1 : (u->ascii ? 3 : 1);
    ui_draw_text(y + rows / 2, x + (cols - mw) / 2, mw, mark, EL_DIM);
    if (st == THUMBQ_FAILED) draw_failure(u, url, y + rows / 2 + 1, x, cols, rows);
}

void ui_media_scan_head(struct ui *u, const struct item *it)
{
    app_scan_item(u->app, it);
}

/* ---- pixel graphics for the detail's picture ---- */

static void gfx_drop(struct ui_media *um, struct gfx *g)
{
    for (struct gfx **pp = &um->gfx_all; *pp; pp = &(*pp)->next)
        if (*pp == g) {
            *pp = g->next;
            break;
        }
    free(g->url);
    sb_free(&g->seq);
    free(g);
}

static void on_gfx(const struct fetch_result *res, void *user)
{
    struct gfx *g = user;
    struct ui_media *um = g->um;
    if (g != um->gfx) {   /* replaced by another picture meanwhile */
        gfx_drop(um, g);
        return;
    }
    g->state = 2;
    if (!res->ok || !res->len) return;
    struct thumb_opts o;
    thumb_opts_default(&o, g->cols, g->rows);
    o.cell_w = um->cell_w;
    o.cell_h = um->cell_h;
    struct image img;
    struct error err;
    error_clear(&err);
    if (image_decode(res->body, res->len, g->cols * o.cell_w, g->rows * o.cell_h, &img, &err) < 0) return;
    int oc = 0, orow = 0;
    if (thumb_render_graphics(&img, &o, um->pixels, &g->seq, &oc, &orow, &err) == 0 && g->seq.len) g->state = 1;
    image_free(&img);
}

int ui_thumb_graphics(struct ui *u, const char *url, int cols, int rows)
{
    struct ui_media *um = u->media;
    if (!um || !url || !*url || (um->pixels != THUMB_PIXELS_SIXEL && um->pixels != THUMB_PIXELS_KITTY)) return 0;
    struct gfx *g = um->gfx;
    if (g && !strcmp(g->url, url) && g->cols == cols && g->rows == rows) return g->state == 1;
    um->gfx = NULL;
    if (g && g->state != 0) gfx_drop(um, g);   /* one still loading is dropped by its callback */
    g = um->gfx = xcalloc(1, sizeof *g);
    g->next = um->gfx_all;
    um->gfx_all = g;
    g->um = um;
    g->url = xstrdup(url);
    g->cols = cols;
    g->rows = rows;
    sb_init(&g->seq);
    /* a stored URL: the origin rule (item_confine_urls) allows file:// only for a local feed's */
    struct fetch_req req = {.url = g->url, .allow_file = 1, .tag = um};
    struct fetcher *f = app_fetcher(u->app);
    if (!f) {
        /* nothing will load it: the symbols stay, and the status line says why */
        g->state = 2;   /* failed: dropped like any other, never waited for */
        ui_message(u, EL_ERROR, "no pictures: %s", APP_NO_FETCHER);
        return 0;
    }
    fetch_add(f, &req, on_gfx, g);
    return 0;
}

void ui_thumb_graphics_put(struct ui *u, const void *owner, int y, int x)
{
    struct ui_media *um = u->media;
    if (!um || !um->gfx || um->gfx->state != 1) return;
    thumb_graphics_put(STDOUT_FILENO, y, x, um->gfx->seq.s, um->gfx->seq.len);
    um->gfx_owner = owner;
}

void ui_thumb_graphics_gone(struct ui *u)
{
    struct ui_media *um = u->media;
    if (!um || !um->gfx_owner) return;
    /* kitty keeps images over the text; sixel pixels stay where ncurses thinks cells are blank */
    const char *clear = thumb_graphics_clear(um->pixels);
    if (*clear) (void)write_all(STDOUT_FILENO, clear, strlen(clear));
    um->gfx_owner = NULL;
    u->full_redraw = 1;
}
