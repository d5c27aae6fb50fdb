/* SPDX-License-Identifier: ISC */
/* thumb_curses — drawing the thumbnail engine's cell grids into ncurses (src/ui/thumb_curses.c):
 * wide-character cells with colour pairs from alloc_pair, and the accounting of those pairs.  The
 * only part of thumbnails that needs a terminal, so it lives with the reader: src/media renders
 * grids and knows nothing of curses. */
#ifndef WINNOW_UI_THUMB_CURSES_H
#define WINNOW_UI_THUMB_CURSES_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>

#include "thumb.h"


/* Colour pairs handed out by alloc_pair.  ncurses recycles the oldest pair when all are taken,
 * which would repaint cells already on screen in wrong colours; so thumbnails count what they
 * allocate, and the UI resets every pair and redraws when a new page starts and the count is high
 * (NOTES.md: reset_color_pairs() + redraw per page). */
struct thumb_pairs {
    int allocated;           /* pairs allocated since the last reset */
    int limit;               /* when allocated reaches this, ui_thumb_pairs_need_reset says so */
    int exhausted;           /* a draw had to fall back to the default pair */
};

/* After start_color(): sets the limit from COLOR_PAIRS, keeping `reserved` pairs (the theme's). */
void ui_thumb_pairs_init(struct thumb_pairs *p, int reserved);

/* 1 when the UI should call ui_thumb_pairs_reset before drawing the next page. */
int ui_thumb_pairs_need_reset(const struct thumb_pairs *p);

/* reset_color_pairs(): every pair is forgotten, the UI's own included, so the UI must set up its
 * theme pairs again and redraw the whole screen. */
void ui_thumb_pairs_reset(struct thumb_pairs *p);

/* Draws t with its top-left cell at (y, x) of w, clipped to w.  THUMB_COLOR_DEFAULT needs
 * use_default_colors() (else it draws as pair 0), and a THUMB_COLORS_NONE grid draws in pair 0.
 * pairs may be NULL (no accounting).  Returns the number of cells drawn. */
int ui_thumb_draw_curses(WINDOW *w, int y, int x, const struct thumb *t, struct thumb_pairs *pairs);



#endif
