/* SPDX-License-Identifier: ISC */
/* ui_draw_text against ncurses itself (issue 17, point 8): after drawing, ncurses' cursor stands
 * where ui_draw_text says the text ended, so ncurses' own width agrees with ours; an emoji ZWJ
 * sequence reaches the screen as its parts (a terminal that joins the sequence made the row 6
 * columns short); a zero-width character never lands past the screen's last column (it joined
 * the next row) nor in a cell this text did not draw. */
#include "testutil.h"

#include <locale.h>
#include <wchar.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>

#include "../../src/ui/ui_int.h"
#include "text.h"

#define FAMILY "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6"

static SCREEN *scr;
static FILE *out, *in;

static int setup(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, "C.UTF-8")) return -1;
    out = fopen("/dev/null", "w");
    in = fopen("/dev/null", "r");
    scr = newterm("xterm-256color", out, in);
    if (!scr) return -1;
    resizeterm(24, 80);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    return 0;
}

/* The code points ncurses holds in cell (y, x): the spacing one first, then its combining marks. */
static int cell(int y, int x, wchar_t *wc, int max)
{
    cchar_t c;
    if (mvin_wch(y, x, &c) == ERR) return -1;
    attr_t a;
    short pair;
    wchar_t buf[CCHARW_MAX + 1] = {0};
    getcchar(&c, buf, &a, &pair, NULL);
    int n = 0;
    while (n < max && n < CCHARW_MAX && buf[n]) { wc[n] = buf[n]; n++; }
    return n;
}

static void test_zwj_family(void **state)
{
    (void)state;
    const char *s = "A" FAMILY "B";
    erase();
    int used = ui_draw_text(0, 0, 40, s, 0);
    assert_int_equal(used, text_width(s));
    assert_int_equal(used, 10);                 /* A, four pictographs of 2, B */
    assert_int_equal(getcurx(stdscr), used);    /* ncurses' own count agrees */
    for (int x = 0; x < used; x++) {
        wchar_t wc[8];
        int n = cell(0, x, wc, 8);
        for (int k = 0; k < n; k++) assert_int_not_equal(wc[k], 0x200D);
    }
    wchar_t wc[8];
    assert_int_equal(cell(0, 9, wc, 8), 1);
    assert_int_equal(wc[0], L'B');
    /* a ZWJ a script needs (Devanagari: KSSA as half form) stays */
    erase();
    used = ui_draw_text(1, 0, 40, "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8D\xE0\xA4\xB7", 0);
    assert_int_equal(getcurx(stdscr), used);
}

static void test_zero_width_edges(void **state)
{
    (void)state;
    erase();
    /* at the screen's last column: the accent would join the next row */
    int used = ui_draw_text(2, COLS - 3, 3, "abce\xCC\x81", 0);
    assert_int_equal(used, 3);
    wchar_t wc[8];
    assert_int_equal(cell(3, 0, wc, 8), 1);
    assert_int_equal(wc[0], L' ');
    int n = cell(2, COLS - 1, wc, 8);
    assert_int_equal(n, 1);
    assert_int_equal(wc[0], L'c');
    /* inside the screen a mark on the last drawn character keeps it */
    used = ui_draw_text(4, 0, 3, "abe\xCC\x81z", 0);
    assert_int_equal(used, 3);
    n = cell(4, 2, wc, 8);
    assert_int_equal(n, 2);
    assert_int_equal(wc[0], L'e');
    assert_int_equal(wc[1], 0x301);
    /* a mark with nothing of this text before it is not drawn onto the neighbour's cell */
    mvaddstr(5, 0, "q");
    used = ui_draw_text(5, 1, 5, "\xCC\x81x", 0);
    assert_int_equal(used, 1);
    assert_int_equal(cell(5, 0, wc, 8), 1);
    assert_int_equal(wc[0], L'q');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zwj_family),
        cmocka_unit_test(test_zero_width_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
