/* SPDX-License-Identifier: ISC */
/* thumb — pictures as terminal cells: decoded RGBA (see image.h) rendered by libchafa into a plain
 * grid of cells (a character and two colours each), which the TUI draws into ncurses and the CLI
 * prints with SGR escapes.  Symbols work in every terminal and over SSH; sixel and kitty pixel
 * graphics are opt-in and produced here as escape strings for the UI to write after a repaint.
 *
 * The grid is plain data with no library handles in it, so it can be made on a worker thread,
 * cached, and drawn later on the UI thread.  Its colours are numbers, not text from outside: the
 * escapes built from them are winnow's own. */
#ifndef WINNOW_THUMB_H
#define WINNOW_THUMB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "image.h"
#include "util.h"

/* What the terminal can show. */
enum thumb_colors {
    THUMB_COLORS_DIRECT,   /* 24-bit: cell colours are 0xRRGGBB */
    THUMB_COLORS_256,      /* palette 16..255 (the 16 theme colours are left alone) */
    THUMB_COLORS_16,       /* palette 0..15 */
    THUMB_COLORS_8,        /* palette 0..7 */
    THUMB_COLORS_NONE,     /* no colour at all: shapes only, colours are THUMB_COLOR_DEFAULT */
};

#define THUMB_COLOR_DEFAULT (-1)   /* the terminal's own foreground/background (transparency) */

enum {
    THUMB_CELL_WIDE = 1,   /* the glyph is two columns wide; the next cell is its right half */
    THUMB_CELL_CONT = 2,   /* right half of a wide glyph: draw nothing here */
};

struct thumb_cell {
    char ch[5];            /* UTF-8, NUL-terminated ("" when THUMB_CELL_CONT) */
    uint8_t flags;
    int32_t fg, bg;        /* per enum thumb_colors, or THUMB_COLOR_DEFAULT */
};

struct thumb {
    int cols, rows;                  /* at most the box asked for; one side usually smaller */
    enum thumb_colors colors;        /* how fg/bg are to be read */
    struct thumb_cell *cells;        /* rows × cols, row by row */
};

struct thumb_opts {
    int cols, rows;          /* the box, in cells; the picture keeps its aspect inside it */
    enum thumb_colors colors;
    int ascii;               /* ASCII symbols only, for a locale that is not UTF-8 */
    int cell_w, cell_h;      /* a cell's size in pixels (or any units); 0: assume 1:2 */
    int stretch;             /* fill the box, ignoring the picture's aspect */
    int fine;                /* eighth blocks and borders (chafa's usual look) instead of quadrants:
                                finer edges at about three times the cost — for one large picture,
                                not for a list */
};

/* Box cols × rows, 256 colours, UTF-8 symbols when the locale is UTF-8, 1:2 cells. */
void thumb_opts_default(struct thumb_opts *o, int cols, int rows);

/* The box in pixels worth decoding for these options: pass it to image_decode as max_w × max_h
 * (chafa looks at 8 × 8 pixels per cell; more is wasted work). */
void thumb_pixel_box(const struct thumb_opts *o, int *max_w, int *max_h);

/* Renders img into out (released with thumb_free).  Returns 0, or -1 with err set. */
int thumb_render(const struct image *img, const struct thumb_opts *o, struct thumb *out,
                 struct error *err);

void thumb_free(struct thumb *t);

/* Memory held by t, for cache accounting. */
size_t thumb_bytes(const struct thumb *t);

/* Writes t as text with SGR colour escapes (none for THUMB_COLORS_NONE), one line per row, each
 * ending with a reset.  Returns 0, or -1 on a write error. */
int thumb_print_ansi(FILE *f, const struct thumb *t);

/* A cell colour as 0xRRGGBB (palette indices through the xterm palette), or -1 for the default. */
int32_t thumb_color_rgb(enum thumb_colors c, int32_t color);

/* "direct" (or "truecolor", "24bit"), "256", "16", "8", "none" (or "ascii").  -1 when unknown. */
int thumb_colors_parse(const char *name, enum thumb_colors *out);
const char *thumb_colors_name(enum thumb_colors c);

/* A cell's pixel size from TIOCGWINSZ on fd.  Returns 1 when the terminal reported it, else 0 with
 * 1 × 2 (the common aspect) in *cell_w × *cell_h. */
int thumb_cell_size(int fd, int *cell_w, int *cell_h);

/* 1 when the current locale's character set is UTF-8 (else thumbnails use ASCII symbols). */
int thumb_locale_utf8(void);

/* ---------------------------------------------------------------------------------------------- */
/* Pixel graphics (opt-in: `thumbnails = symbols|sixel|kitty|off`) */

enum thumb_pixels {
    THUMB_PIXELS_SYMBOLS,
    THUMB_PIXELS_SIXEL,
    THUMB_PIXELS_KITTY,
    THUMB_PIXELS_OFF,
};

int thumb_pixels_parse(const char *name, enum thumb_pixels *out);
const char *thumb_pixels_name(enum thumb_pixels p);

/* What to use for the wanted mode here: sixel and kitty become symbols inside tmux or screen (they
 * do not pass them through) unless force is set. */
enum thumb_pixels thumb_pixels_effective(enum thumb_pixels want, int force);

/* Renders img as a sixel or kitty image covering at most o->cols × o->rows cells (o->cell_w/h
 * should be the real cell size in pixels; 10 × 20 when unknown).  The escape string is appended to
 * out; *cols_out × *rows_out receive the cells it covers.  Returns 0, or -1 with err set. */
int thumb_render_graphics(const struct image *img, const struct thumb_opts *o, enum thumb_pixels kind,
                          struct strbuf *out, int *cols_out, int *rows_out, struct error *err);

/* Writes a graphics string at cell (y, x) of the screen (0-based) to fd, saving and restoring the
 * cursor.  Call after doupdate(), and again after every repaint that touched those cells (ncurses
 * does not know the pixels are there).  Returns 0, or -1 on a write error. */
int thumb_graphics_put(int fd, int y, int x, const char *seq, size_t len);

/* The escape that removes every kitty image placed before (kitty keeps them across text redraws);
 * "" for the other modes. */
const char *thumb_graphics_clear(enum thumb_pixels kind);

#endif
