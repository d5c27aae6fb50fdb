/* SPDX-License-Identifier: ISC */
/* Pixel graphics (sixel, kitty) through chafa, as escape strings the UI writes after ncurses has
 * drawn the screen: ncurses itself cannot carry them. */
#include "thumb.h"

#include <chafa.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const struct {
    const char *name;
    enum thumb_pixels p;
} pixel_names[] = {
    {"symbols", THUMB_PIXELS_SYMBOLS}, {"sixel", THUMB_PIXELS_SIXEL}, {"sixels", THUMB_PIXELS_SIXEL},
    {"kitty", THUMB_PIXELS_KITTY},     {"off", THUMB_PIXELS_OFF},     {"none", THUMB_PIXELS_OFF},
};

int thumb_pixels_parse(const char *name, enum thumb_pixels *out)
{
    for (size_t i = 0; name && i < sizeof pixel_names / sizeof pixel_names[0]; i++)
        if (!strcasecmp(name, pixel_names[i].name)) {
            *out = pixel_names[i].p;
            return 0;
        }
    return -1;
}

const char *thumb_pixels_name(enum thumb_pixels p)
{
    switch (p) {
    case THUMB_PIXELS_SIXEL: return "sixel";
    case THUMB_PIXELS_KITTY: return "kitty";
    case THUMB_PIXELS_OFF: return "off";
    default: return "symbols";
    }
}

enum thumb_pixels thumb_pixels_effective(enum thumb_pixels want, int force)
{
    if (want != THUMB_PIXELS_SIXEL && want != THUMB_PIXELS_KITTY) return want;
    if (force) return want;
    /* tmux 3.3 and screen drop both protocols (NOTES.md) */
    const char *tmux = getenv("TMUX"), *sty = getenv("STY"), *term = getenv("TERM");
    if ((tmux && *tmux) || (sty && *sty)) return THUMB_PIXELS_SYMBOLS;
    if (term && (!strncmp(term, "tmux", 4) || !strncmp(term, "screen", 6))) return THUMB_PIXELS_SYMBOLS;
    return want;
}

/* chafa knows which escapes a terminal speaks from its name; asking about one that speaks the
 * wanted protocol gives the sequences without reading the user's environment. */
static ChafaTermInfo *term_info_for(enum thumb_pixels kind)
{
    gchar *envp[] = {kind == THUMB_PIXELS_KITTY ? "TERM=xterm-kitty" : "TERM=mlterm", NULL};
    ChafaTermInfo *ti = chafa_term_db_detect(chafa_term_db_get_default(), envp);
    if (!ti) return NULL;
    ChafaTermSeq need = kind == THUMB_PIXELS_KITTY ? CHAFA_TERM_SEQ_BEGIN_KITTY_IMMEDIATE_IMAGE_V1
                                                   : CHAFA_TERM_SEQ_BEGIN_SIXELS;
    if (!chafa_term_info_have_seq(ti, need)) {
        chafa_term_info_unref(ti);
        return NULL;
    }
    return ti;
}

int thumb_render_graphics(const struct image *img, const struct thumb_opts *o, enum thumb_pixels kind,
                          struct strbuf *out, int *cols_out, int *rows_out, struct error *err)
{
    if (kind != THUMB_PIXELS_SIXEL && kind != THUMB_PIXELS_KITTY) {
        error_set(err, "%s is not a pixel graphics mode", thumb_pixels_name(kind));
        return -1;
    }
    if (!img || !img->px || img->w <= 0 || img->h <= 0) {
        error_set(err, "no picture to render");
        return -1;
    }
    if (o->cols < 1 || o->rows < 1 || o->cols > 1000 || o->rows > 1000) {
        error_set(err, "thumbnail size %d×%d is out of range", o->cols, o->rows);
        return -1;
    }
    int cw = o->cell_w > 0 && o->cell_h > 0 ? o->cell_w : 10;
    int ch = o->cell_w > 0 && o->cell_h > 0 ? o->cell_h : 20;
    gint cols = o->cols, rows = o->rows;
    if (!o->stretch)
        chafa_calc_canvas_geometry(img->w, img->h, &cols, &rows, (gfloat)cw / (gfloat)ch, TRUE, FALSE);
    if (cols < 1) cols = 1;
    if (rows < 1) rows = 1;

    ChafaTermInfo *ti = term_info_for(kind);
    if (!ti) {
        error_set(err, "this libchafa cannot write %s graphics", thumb_pixels_name(kind));
        return -1;
    }
    ChafaCanvasConfig *cfg = chafa_canvas_config_new();
    chafa_canvas_config_set_geometry(cfg, cols, rows);
    chafa_canvas_config_set_cell_geometry(cfg, cw, ch);
    chafa_canvas_config_set_canvas_mode(cfg, CHAFA_CANVAS_MODE_TRUECOLOR);
    chafa_canvas_config_set_pixel_mode(cfg, kind == THUMB_PIXELS_KITTY ? CHAFA_PIXEL_MODE_KITTY
                                                                        : CHAFA_PIXEL_MODE_SIXELS);
    ChafaCanvas *cv = chafa_canvas_new(cfg);
    chafa_canvas_config_unref(cfg);
    if (!cv) {
        chafa_term_info_unref(ti);
        error_set(err, "cannot make a %d×%d canvas", cols, rows);
        return -1;
    }
    chafa_canvas_draw_all_pixels(cv, CHAFA_PIXEL_RGBA8_UNASSOCIATED, img->px, img->w, img->h, img->w * 4);
    GString *s = chafa_canvas_print(cv, ti);
    sb_add(out, s->str, s->len);
    g_string_free(s, TRUE);
    chafa_canvas_unref(cv);
    chafa_term_info_unref(ti);
    *cols_out = cols;
    *rows_out = rows;
    return 0;
}

int thumb_graphics_put(int fd, int y, int x, const char *seq, size_t len)
{
    char pre[48];
    /* DECSC, CUP, the picture, DECRC: the cursor ncurses believes in stays where it was */
    int n = snprintf(pre, sizeof pre, "\0337\033[%d;%dH", y + 1, x + 1);
    if (write_all(fd, pre, (size_t)n) < 0 || write_all(fd, seq, len) < 0) return -1;
    return write_all(fd, "\0338", 2);
}

const char *thumb_graphics_clear(enum thumb_pixels kind)
{
    return kind == THUMB_PIXELS_KITTY ? "\033_Ga=d,d=A\033\\" : "";
}
