/* SPDX-License-Identifier: ISC */
/* Rendering RGBA pixels into a grid of cells with libchafa's canvas, and printing that grid with
 * SGR escapes.  Nothing here touches a terminal: the grid is data, drawn by thumb_curses.c in the
 * UI and by thumb_print_ansi in the CLI. */
#include "thumb.h"

#include <chafa.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* chafa judges a cell from 8 × 8 pixels */
#define CHAFA_CELL_PX 8
#define THUMB_MAX_CELLS 1000   /* per side: more than any terminal is wide */

void thumb_opts_default(struct thumb_opts *o, int cols, int rows)
{
    memset(o, 0, sizeof *o);
    o->cols = cols;
    o->rows = rows;
    o->colors = THUMB_COLORS_256;
    o->ascii = !thumb_locale_utf8();
}

static void cell_aspect(const struct thumb_opts *o, int *cw, int *ch)
{
    if (o->cell_w > 0 && o->cell_h > 0) {
        *cw = o->cell_w;
        *ch = o->cell_h;
    } else {
        *cw = 1;
        *ch = 2;
    }
}

void thumb_pixel_box(const struct thumb_opts *o, int *max_w, int *max_h)
{
    int cw, ch;
    cell_aspect(o, &cw, &ch);
    *max_w = o->cols * CHAFA_CELL_PX;
    /* a cell is taller than wide: its 8 rows of samples stand for ch/cw as many picture rows */
    long h = (long)o->rows * CHAFA_CELL_PX * ch / cw;
    *max_h = h > 65535 ? 65535 : (int)h;
}

static ChafaCanvasMode canvas_mode(enum thumb_colors c)
{
    switch (c) {
    case THUMB_COLORS_DIRECT: return CHAFA_CANVAS_MODE_TRUECOLOR;
    case THUMB_COLORS_256: return CHAFA_CANVAS_MODE_INDEXED_240;
    case THUMB_COLORS_16: return CHAFA_CANVAS_MODE_INDEXED_16;
    case THUMB_COLORS_8: return CHAFA_CANVAS_MODE_INDEXED_8;
    default: return CHAFA_CANVAS_MODE_FGBG;
    }
}

static ChafaSymbolMap *symbol_map(const struct thumb_opts *o)
{
    ChafaSymbolMap *m = chafa_symbol_map_new();
    if (o->ascii) {
        chafa_symbol_map_add_by_tags(m, CHAFA_SYMBOL_TAG_ASCII);
    } else {
        /* Block glyphs look right in every font.  Quadrants and halves, tried exhaustively, cost a
         * third of chafa's usual blocks and borders (whose candidate search sorts every cell's
         * pixels four times): 1.2 against 3.3 ms of CPU for 40×15 cells of a photo.  Wide glyphs
         * would need two cells; inverted ones are done by swapping the colours. */
        ChafaSymbolTags tags = o->fine ? CHAFA_SYMBOL_TAG_BLOCK | CHAFA_SYMBOL_TAG_BORDER | CHAFA_SYMBOL_TAG_SPACE
                                       : CHAFA_SYMBOL_TAG_HALF | CHAFA_SYMBOL_TAG_QUAD | CHAFA_SYMBOL_TAG_SPACE;
        if (o->colors == THUMB_COLORS_NONE) tags |= CHAFA_SYMBOL_TAG_STIPPLE;
        chafa_symbol_map_add_by_tags(m, tags);
        chafa_symbol_map_remove_by_tags(m, CHAFA_SYMBOL_TAG_WIDE | CHAFA_SYMBOL_TAG_INVERTED);
    }
    return m;
}

static int32_t cell_color(enum thumb_colors c, gint v)
{
    if (c == THUMB_COLORS_NONE || v < 0) return THUMB_COLOR_DEFAULT;
    if (c == THUMB_COLORS_DIRECT) return (int32_t)(v & 0xffffff);
    return v <= 255 ? (int32_t)v : THUMB_COLOR_DEFAULT;
}

int thumb_render(const struct image *img, const struct thumb_opts *o, struct thumb *out,
                 struct error *err)
{
    memset(out, 0, sizeof *out);
    if (!img || !img->px || img->w <= 0 || img->h <= 0) {
        error_set(err, "no picture to render");
        return -1;
    }
    if (o->cols < 1 || o->rows < 1 || o->cols > THUMB_MAX_CELLS || o->rows > THUMB_MAX_CELLS) {
        error_set(err, "thumbnail size %d×%d is out of range (1..%d cells a side)", o->cols, o->rows,
                  THUMB_MAX_CELLS);
        return -1;
    }
    int cw, ch;
    cell_aspect(o, &cw, &ch);
    gint cols = o->cols, rows = o->rows;
    if (!o->stretch)
        chafa_calc_canvas_geometry(img->w, img->h, &cols, &rows, (gfloat)cw / (gfloat)ch, TRUE, FALSE);
    if (cols < 1) cols = 1;
    if (rows < 1) rows = 1;

    ChafaSymbolMap *map = symbol_map(o);
    ChafaCanvasConfig *cfg = chafa_canvas_config_new();
    chafa_canvas_config_set_geometry(cfg, cols, rows);
    chafa_canvas_config_set_canvas_mode(cfg, canvas_mode(o->colors));
    chafa_canvas_config_set_pixel_mode(cfg, CHAFA_PIXEL_MODE_SYMBOLS);
    chafa_canvas_config_set_symbol_map(cfg, map);
    /* a work factor this high makes chafa try every symbol instead of searching candidates:
     * with the few quadrant glyphs that is both better and cheaper */
    if (!o->ascii && !o->fine) chafa_canvas_config_set_work_factor(cfg, 1.0f);
    if (o->colors == THUMB_COLORS_16 || o->colors == THUMB_COLORS_8)
        chafa_canvas_config_set_dither_mode(cfg, CHAFA_DITHER_MODE_ORDERED);
    ChafaSymbolMap *fill = NULL;
    if (o->colors == THUMB_COLORS_NONE) {
        /* with two colours, flat areas can only be told apart by how much ink a glyph has */
        fill = chafa_symbol_map_new();
        chafa_symbol_map_add_by_tags(fill, o->ascii ? CHAFA_SYMBOL_TAG_ASCII
                                                    : CHAFA_SYMBOL_TAG_STIPPLE | CHAFA_SYMBOL_TAG_SPACE |
                                                          CHAFA_SYMBOL_TAG_SOLID);
        chafa_canvas_config_set_fill_symbol_map(cfg, fill);
    }
    ChafaCanvas *cv = chafa_canvas_new(cfg);
    chafa_canvas_config_unref(cfg);
    chafa_symbol_map_unref(map);
    if (fill) chafa_symbol_map_unref(fill);
    if (!cv) {
        error_set(err, "cannot make a %d×%d canvas", cols, rows);
        return -1;
    }
    chafa_canvas_draw_all_pixels(cv, CHAFA_PIXEL_RGBA8_UNASSOCIATED, img->px, img->w, img->h, img->w * 4);

    struct thumb_cell *cells = calloc((size_t)cols * rows, sizeof *cells);
    if (!cells) {
        chafa_canvas_unref(cv);
        error_set(err, "out of memory for a %d×%d thumbnail", cols, rows);
        return -1;
    }
    for (int y = 0; y < rows; y++) {
        for (int x = 0; x < cols; x++) {
            struct thumb_cell *c = &cells[(size_t)y * cols + x];
            gunichar u = chafa_canvas_get_char_at(cv, x, y);
            if (u == 0) {
                /* the right half of the wide glyph to its left */
                c->flags = THUMB_CELL_CONT;
                if (x > 0) c[-1].flags |= THUMB_CELL_WIDE;
                c->fg = c->bg = THUMB_COLOR_DEFAULT;
                continue;
            }
            if (u < 0x20 || u == 0x7f || (o->ascii && u > 0x7e)) u = ' ';
            g_unichar_to_utf8(u, c->ch);
            gint fg, bg;
            if (o->colors == THUMB_COLORS_DIRECT) chafa_canvas_get_colors_at(cv, x, y, &fg, &bg);
            else chafa_canvas_get_raw_colors_at(cv, x, y, &fg, &bg);
            c->fg = cell_color(o->colors, fg);
            c->bg = cell_color(o->colors, bg);
            /* a space shows only its background and a full block only its foreground: the same
             * colour on both sides saves colour pairs and escapes */
            if (u == ' ') c->fg = c->bg;
            else if (u == 0x2588) c->bg = c->fg;
        }
    }
    chafa_canvas_unref(cv);
    out->cols = cols;
    out->rows = rows;
    out->colors = o->colors;
    out->cells = cells;
    return 0;
}

void thumb_free(struct thumb *t)
{
    if (!t) return;
    free(t->cells);
    memset(t, 0, sizeof *t);
}

size_t thumb_bytes(const struct thumb *t)
{
    return sizeof *t + (size_t)t->cols * t->rows * sizeof *t->cells;
}

/* ---------------------------------------------------------------------------------------------- */

static void sgr_color(FILE *f, enum thumb_colors mode, int32_t c, int bg)
{
    if (c < 0) {
        fputs(bg ? "49" : "39", f);
        return;
    }
    switch (mode) {
    case THUMB_COLORS_DIRECT:
        fprintf(f, "%d;2;%d;%d;%d", bg ? 48 : 38, (int)(c >> 16) & 255, (int)(c >> 8) & 255, (int)c & 255);
        break;
    case THUMB_COLORS_256: fprintf(f, "%d;5;%d", bg ? 48 : 38, (int)c); break;
    default:
        if (c < 8) fprintf(f, "%d", (bg ? 40 : 30) + (int)c);
        else fprintf(f, "%d", (bg ? 100 : 90) + (int)c - 8);
        break;
    }
}

int thumb_print_ansi(FILE *f, const struct thumb *t)
{
    int color = t->colors != THUMB_COLORS_NONE;
    for (int y = 0; y < t->rows; y++) {
        int32_t cur_fg = -2, cur_bg = -2;
        for (int x = 0; x < t->cols; x++) {
            const struct thumb_cell *c = &t->cells[(size_t)y * t->cols + x];
            if (c->flags & THUMB_CELL_CONT) continue;
            /* only the colours the glyph shows, and only when they change */
            int set_fg = color && c->fg != cur_fg && strcmp(c->ch, " ") != 0;
            int set_bg = color && c->bg != cur_bg && strcmp(c->ch, "\u2588") != 0;
            if (set_fg || set_bg) {
                fputs("\033[", f);
                if (set_fg) sgr_color(f, t->colors, c->fg, 0);
                if (set_fg && set_bg) fputc(';', f);
                if (set_bg) sgr_color(f, t->colors, c->bg, 1);
                fputc('m', f);
                if (set_fg) cur_fg = c->fg;
                if (set_bg) cur_bg = c->bg;
            }
            fputs(c->ch[0] ? c->ch : " ", f);
        }
        if (color) fputs("\033[0m", f);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

/* xterm's default palette, which is what chafa assumes too */
static const int32_t base16[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

int32_t thumb_color_rgb(enum thumb_colors c, int32_t color)
{
    if (color < 0 || c == THUMB_COLORS_NONE) return -1;
    if (c == THUMB_COLORS_DIRECT) return color & 0xffffff;
    if (color < 16) return base16[color];
    if (color < 232) {
        static const int level[6] = {0, 95, 135, 175, 215, 255};
        int i = color - 16;
        return level[i / 36] << 16 | level[i / 6 % 6] << 8 | level[i % 6];
    }
    if (color < 256) {
        int g = 8 + 10 * (color - 232);
        return g << 16 | g << 8 | g;
    }
    return -1;
}

static const struct {
    const char *name;
    enum thumb_colors c;
} color_names[] = {
    {"direct", THUMB_COLORS_DIRECT}, {"truecolor", THUMB_COLORS_DIRECT}, {"24bit", THUMB_COLORS_DIRECT},
    {"256", THUMB_COLORS_256},       {"240", THUMB_COLORS_256},          {"16", THUMB_COLORS_16},
    {"8", THUMB_COLORS_8},           {"none", THUMB_COLORS_NONE},        {"ascii", THUMB_COLORS_NONE},
};

int thumb_colors_parse(const char *name, enum thumb_colors *out)
{
    for (size_t i = 0; name && i < sizeof color_names / sizeof color_names[0]; i++)
        if (!strcasecmp(name, color_names[i].name)) {
            *out = color_names[i].c;
            return 0;
        }
    return -1;
}

const char *thumb_colors_name(enum thumb_colors c)
{
    switch (c) {
    case THUMB_COLORS_DIRECT: return "direct";
    case THUMB_COLORS_256: return "256";
    case THUMB_COLORS_16: return "16";
    case THUMB_COLORS_8: return "8";
    default: return "none";
    }
}

int thumb_cell_size(int fd, int *cell_w, int *cell_h)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0 && ws.ws_xpixel > 0 &&
        ws.ws_ypixel > 0) {
        int w = ws.ws_xpixel / ws.ws_col, h = ws.ws_ypixel / ws.ws_row;
        if (w > 0 && h > 0) {
            *cell_w = w;
            *cell_h = h;
            return 1;
        }
    }
    *cell_w = 1;
    *cell_h = 2;
    return 0;
}

int thumb_locale_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}
