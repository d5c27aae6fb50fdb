/* SPDX-License-Identifier: ISC */
/* Drawing cell grids into ncurses, read back from the window: the right glyphs, colour pairs that
 * hold the right colours, clipping at the window's edge, and pair accounting that asks for a reset
 * instead of letting ncurses recycle pairs still on screen.  The terminal is a terminfo entry
 * writing to /dev/null: no tty needed. */
#include <curses.h>

#include "image.h"
#include "../../src/ui/thumb_curses.h"
#include "util.h"
#include "testutil.h"
#include "test_media_enc.h"

#include <locale.h>
#include <wchar.h>

static FILE *tty_out, *tty_in;
static SCREEN *scr;

static int open_term(const char *name)
{
    tty_out = fopen("/dev/null", "w");
    tty_in = fopen("/dev/null", "r");
    scr = newterm(name, tty_out, tty_in);
    if (!scr) {
        fclose(tty_out);
        fclose(tty_in);
        return -1;
    }
    set_term(scr);
    start_color();
    use_default_colors();
    return 0;
}

static void close_term(void)
{
    endwin();
    delscreen(scr);
    fclose(tty_out);
    fclose(tty_in);
}

static struct thumb make(int w, int h, enum pattern p, int cols, int rows, enum thumb_colors c)
{
    struct image im;
    memset(&im, 0, sizeof im);
    im.w = im.src_w = w;
    im.h = im.src_h = h;
    im.px = pattern_rgba(w, h, p, 0);
    struct thumb_opts o;
    thumb_opts_default(&o, cols, rows);
    o.colors = c;
    o.ascii = 0;
    struct thumb t;
    struct error err;
    if (thumb_render(&im, &o, &t, &err) != 0) fail_msg("%s", err.msg);
    image_free(&im);
    return t;
}

/* What cell (y, x) of w shows: its character and the colours of its pair. */
static void read_cell(WINDOW *w, int y, int x, wchar_t *ch, int *fg, int *bg)
{
    cchar_t cc;
    assert_int_equal(mvwin_wch(w, y, x, &cc), OK);
    wchar_t wch[CCHARW_MAX + 1];
    attr_t attrs;
    short spair;
    int pair = 0;
    getcchar(&cc, wch, &attrs, &spair, &pair);
    *ch = wch[0];
    assert_int_equal(extended_pair_content(pair, fg, bg), OK);
}

static int32_t shown(enum thumb_colors mode, wchar_t ch, int fg, int bg, int which)
{
    int v = ch == L' ' ? bg : ch == 0x2588 ? fg : which ? bg : fg;
    if (v < 0) return -1;
    return mode == THUMB_COLORS_DIRECT ? v : thumb_color_rgb(THUMB_COLORS_256, v);
}

static int is_red(int32_t c) { return c >= 0 && (c >> 16 & 255) > 180 && (c >> 8 & 255) < 80 && (c & 255) < 80; }
static int is_blue(int32_t c) { return c >= 0 && (c & 255) > 180 && (c >> 8 & 255) < 80 && (c >> 16 & 255) < 80; }

static void check_drawn(WINDOW *w, int y0, int x0, const struct thumb *t)
{
    for (int y = 0; y < t->rows; y++)
        for (int x = 0; x < t->cols; x++) {
            wchar_t ch;
            int fg, bg;
            read_cell(w, y0 + y, x0 + x, &ch, &fg, &bg);
            const struct thumb_cell *c = &t->cells[y * t->cols + x];
            wchar_t want;
            mbstate_t st;
            memset(&st, 0, sizeof st);
            mbrtowc(&want, c->ch, strlen(c->ch), &st);
            assert_int_equal(ch, want);
            for (int which = 0; which < 2; which++) {
                int32_t v = shown(t->colors, ch, fg, bg, which);
                if (x < t->cols / 2 - 1 && !is_red(v)) fail_msg("cell %d,%d shows %06x, want red", x, y, v);
                if (x > t->cols / 2 && !is_blue(v)) fail_msg("cell %d,%d shows %06x, want blue", x, y, v);
            }
        }
}

static void test_draw_256(void **state)
{
    (void)state;
    if (open_term("xterm-256color") < 0) {
        printf("# no xterm-256color terminfo: skipped\n");
        skip();
    }
    assert_true(COLORS >= 256);
    struct thumb_pairs pairs;
    ui_thumb_pairs_init(&pairs, 16);
    assert_true(pairs.limit > 1000);
    WINDOW *w = newwin(20, 60, 0, 0);
    struct thumb t = make(160, 80, PAT_RED_BLUE, 20, 10, THUMB_COLORS_256);
    assert_int_equal(ui_thumb_draw_curses(w, 2, 3, &t, &pairs), t.cols * t.rows);
    check_drawn(w, 2, 3, &t);
    /* red and blue cells: two pairs, and drawing again takes no new ones */
    int used = pairs.allocated;
    assert_true(used >= 2 && used <= 4);
    ui_thumb_draw_curses(w, 8, 3, &t, &pairs);
    assert_int_equal(pairs.allocated, used);
    assert_false(ui_thumb_pairs_need_reset(&pairs));

    /* clipped at the right and bottom edges */
    assert_int_equal(ui_thumb_draw_curses(w, 18, 50, &t, &pairs), 10 * 2);
    assert_int_equal(ui_thumb_draw_curses(w, -3, -5, &t, &pairs), (t.cols - 5) * (t.rows - 3));

    /* pairs run out: the draw falls back to the default pair and asks for a reset, rather than
     * letting alloc_pair recycle pairs that cells on screen still use */
    pairs.limit = pairs.allocated;
    struct thumb photo = make(160, 80, PAT_PHOTO, 20, 10, THUMB_COLORS_256);
    ui_thumb_draw_curses(w, 2, 30, &photo, &pairs);
    assert_true(pairs.exhausted);
    assert_true(ui_thumb_pairs_need_reset(&pairs));
    ui_thumb_pairs_reset(&pairs);
    assert_int_equal(pairs.allocated, 0);
    assert_false(pairs.exhausted);
    ui_thumb_pairs_init(&pairs, 16);
    werase(w);
    ui_thumb_draw_curses(w, 2, 3, &t, &pairs);
    check_drawn(w, 2, 3, &t);

    thumb_free(&photo);
    thumb_free(&t);
    delwin(w);
    close_term();
}

static void test_draw_direct(void **state)
{
    (void)state;
    if (open_term("xterm-direct") < 0) {
        printf("# no xterm-direct terminfo (package ncurses-term): skipped\n");
        skip();
    }
    assert_true(COLORS >= 0x1000000);
    struct thumb_pairs pairs;
    ui_thumb_pairs_init(&pairs, 16);
    WINDOW *w = newwin(20, 60, 0, 0);
    struct thumb t = make(160, 80, PAT_RED_BLUE, 20, 10, THUMB_COLORS_DIRECT);
    ui_thumb_draw_curses(w, 0, 0, &t, &pairs);
    check_drawn(w, 0, 0, &t);
    wchar_t ch;
    int fg, bg;
    read_cell(w, 0, 0, &ch, &fg, &bg);
    assert_int_equal(ch == L' ' ? bg : fg, 0xff0000);
    thumb_free(&t);
    delwin(w);
    close_term();
}

/* A direct-colour grid on a 256-colour terminal is mapped to the palette, not drawn wrong. */
static void test_direct_grid_on_256_terminal(void **state)
{
    (void)state;
    if (open_term("xterm-256color") < 0) skip();
    WINDOW *w = newwin(20, 60, 0, 0);
    struct thumb t = make(160, 80, PAT_RED_BLUE, 20, 10, THUMB_COLORS_DIRECT);
    ui_thumb_draw_curses(w, 0, 0, &t, NULL);
    wchar_t ch;
    int fg, bg;
    read_cell(w, 0, 0, &ch, &fg, &bg);
    assert_int_equal(ch == L' ' ? bg : fg, 196);
    read_cell(w, 0, t.cols - 1, &ch, &fg, &bg);
    assert_int_equal(ch == L' ' ? bg : fg, 21);
    thumb_free(&t);
    delwin(w);
    close_term();
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) setlocale(LC_ALL, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draw_256),
        cmocka_unit_test(test_draw_direct),
        cmocka_unit_test(test_direct_grid_on_256_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
