/* SPDX-License-Identifier: ISC */
/* Drawing a cell grid into ncurses: wide-character cells with colour pairs from alloc_pair.  The
 * only file of the thumbnail engine that needs a terminal; it runs on the UI thread alone. */
#include <curses.h>
#include <term.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "thumb_curses.h"

void ui_thumb_pairs_init(struct thumb_pairs *p, int reserved)
{
    memset(p, 0, sizeof *p);
    int n = COLOR_PAIRS - 1 - (reserved > 0 ? reserved : 0);
    p->limit = n > 0 ? n : 0;
}

int ui_thumb_pairs_need_reset(const struct thumb_pairs *p)
{
    /* a page of large thumbnails can take a few thousand pairs: reset before running dry */
    return p->exhausted || p->allocated >= p->limit - p->limit / 8;
}

void ui_thumb_pairs_reset(struct thumb_pairs *p)
{
    reset_color_pairs();
    p->allocated = 0;
    p->exhausted = 0;
}

/* Nearest colour of the 6×6×6 cube or the grey ramp, for a direct-colour grid on a terminal that
 * has only 256 colours. */
static int rgb_to_256(int32_t rgb)
{
    int r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    int idx[3], v[3] = {r, g, b};
    for (int i = 0; i < 3; i++) {
        int best = 0;
        for (int j = 1; j < 6; j++)
            if (abs(level[j] - v[i]) < abs(level[best] - v[i])) best = j;
        idx[i] = best;
    }
    int cube = 16 + 36 * idx[0] + 6 * idx[1] + idx[2];
    int dc = 0;
    for (int i = 0; i < 3; i++) dc += (level[idx[i]] - v[i]) * (level[idx[i]] - v[i]);
    int grey = (r + g + b) / 3, gi = grey < 8 ? 0 : grey > 238 ? 23 : (grey - 8) / 10;
    int gv = 8 + 10 * gi, dg = (gv - r) * (gv - r) + (gv - g) * (gv - g) + (gv - b) * (gv - b);
    return dg < dc ? 232 + gi : cube;
}

static int term_color(enum thumb_colors mode, int32_t c)
{
    if (c < 0) return -1;
    if (mode == THUMB_COLORS_DIRECT) {
        if (COLORS < 0x1000000) return COLORS >= 256 ? rgb_to_256(c) : -1;
        /* direct-colour terminfo sends 0..7 as the ANSI colours of the theme: keep off them */
        return c < 8 ? 8 : c;
    }
    return c < COLORS ? c : -1;
}

static int pair_for(struct thumb_pairs *p, enum thumb_colors mode, int32_t fg, int32_t bg)
{
    int f = term_color(mode, fg), b = term_color(mode, bg);
    if (f == -1 && b == -1) return 0;
    int pair = find_pair(f, b);
    if (pair > 0) return pair;
    if (p && p->allocated >= p->limit) {
        /* alloc_pair would recycle a pair that cells on screen still use */
        p->exhausted = 1;
        return 0;
    }
    pair = alloc_pair(f, b);
    if (pair < 0) {
        if (p) p->exhausted = 1;
        return 0;
    }
    if (p) p->allocated++;
    return pair;
}

int ui_thumb_draw_curses(WINDOW *w, int y, int x, const struct thumb *t, struct thumb_pairs *pairs)
{
    if (!w || !t || !t->cells) return 0;
    int maxy, maxx;
    getmaxyx(w, maxy, maxx);
    int drawn = 0;
    for (int r = 0; r < t->rows; r++) {
        int wy = y + r;
        if (wy < 0 || wy >= maxy) continue;
        for (int c = 0; c < t->cols; c++) {
            const struct thumb_cell *cell = &t->cells[(size_t)r * t->cols + c];
            int wx = x + c;
            if (cell->flags & THUMB_CELL_CONT) continue;
            if (wx < 0) continue;
            if (wx >= maxx) break;
            wchar_t wc[2] = {L' ', 0};
            mbstate_t st;
            memset(&st, 0, sizeof st);
            size_t n = mbrtowc(&wc[0], cell->ch, strlen(cell->ch), &st);
            if (n == (size_t)-1 || n == (size_t)-2 || n == 0) wc[0] = L' ';
            /* half a wide glyph at the window's edge would wrap: a blank instead */
            if ((cell->flags & THUMB_CELL_WIDE) && wx + 1 >= maxx) wc[0] = L' ';
            int pair = t->colors == THUMB_COLORS_NONE ? 0 : pair_for(pairs, t->colors, cell->fg, cell->bg);
            cchar_t cc;
            setcchar(&cc, wc, A_NORMAL, 0, &pair);
            mvwadd_wch(w, wy, wx, &cc);
            drawn++;
        }
    }
    return drawn;
}
