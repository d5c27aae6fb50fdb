/* SPDX-License-Identifier: ISC */
/* The cell renderer: the red|blue test pattern must come out red on the left and blue on the right
 * in every colour mode, with the aspect ratio of the terminal's cells, as plain ASCII when asked,
 * and as SGR escapes that say the same colours. */
#include "image.h"
#include "thumb.h"
#include "util.h"
#include "testutil.h"
#include "test_media_enc.h"

#include <locale.h>
#include <unistd.h>

static struct image red_blue(int w, int h, enum pattern p)
{
    struct image im;
    memset(&im, 0, sizeof im);
    im.w = im.src_w = w;
    im.h = im.src_h = h;
    im.px = pattern_rgba(w, h, p, 0);
    im.format = IMAGE_PNG;
    return im;
}

/* The colours a cell shows: the background unless the glyph is a full block, the foreground
 * unless it is a space. */
static void visible(const struct thumb *t, const struct thumb_cell *c, int32_t *a, int32_t *b)
{
    int space = !strcmp(c->ch, " "), full = !strcmp(c->ch, "\u2588");
    int32_t fg = thumb_color_rgb(t->colors, c->fg), bg = thumb_color_rgb(t->colors, c->bg);
    *a = space ? bg : fg;
    *b = full ? fg : bg;
}

static int is_red(int32_t c) { return c >= 0 && (c >> 16 & 255) > 180 && (c >> 8 & 255) < 80 && (c & 255) < 100; }
static int is_blue(int32_t c) { return c >= 0 && (c & 255) > 180 && (c >> 8 & 255) < 110 && (c >> 16 & 255) < 110; }

/* Every cell clearly in the left half shows only red, every cell in the right half only blue. */
static void check_red_blue(const struct thumb *t)
{
    for (int y = 0; y < t->rows; y++)
        for (int x = 0; x < t->cols; x++) {
            const struct thumb_cell *c = &t->cells[(size_t)y * t->cols + x];
            int32_t a, b;
            visible(t, c, &a, &b);
            if (x < t->cols / 2 - 1 && !(is_red(a) && is_red(b)))
                fail_msg("%s: cell %d,%d \"%s\" shows %06x/%06x, want red", thumb_colors_name(t->colors), x, y,
                         c->ch, a, b);
            if (x > t->cols / 2 && !(is_blue(a) && is_blue(b)))
                fail_msg("%s: cell %d,%d \"%s\" shows %06x/%06x, want blue", thumb_colors_name(t->colors), x, y,
                         c->ch, a, b);
        }
}

static void render(const struct image *im, int cols, int rows, enum thumb_colors colors, int ascii,
                   struct thumb *t)
{
    struct thumb_opts o;
    thumb_opts_default(&o, cols, rows);
    o.colors = colors;
    o.ascii = ascii;
    struct error err;
    error_clear(&err);
    if (thumb_render(im, &o, t, &err) != 0) fail_msg("%s", err.msg);
}

static void test_red_blue_every_mode(void **state)
{
    (void)state;
    struct image im = red_blue(160, 80, PAT_RED_BLUE);
    static const enum thumb_colors modes[] = {THUMB_COLORS_DIRECT, THUMB_COLORS_256, THUMB_COLORS_16,
                                              THUMB_COLORS_8};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        struct thumb t;
        render(&im, 20, 10, modes[i], 0, &t);
        /* 2:1 picture, 1:2 cells: 20 × 5 */
        assert_int_equal(t.cols, 20);
        assert_int_equal(t.rows, 5);
        assert_int_equal(t.colors, modes[i]);
        check_red_blue(&t);
        /* 256 means the 240 colours past the theme's 16 */
        if (modes[i] == THUMB_COLORS_256) {
            assert_int_equal(t.cells[0].bg, 196);
            assert_int_equal(t.cells[t.cols - 1].bg, 21);
        }
        if (modes[i] == THUMB_COLORS_DIRECT) {
            assert_int_equal(t.cells[0].bg, 0xff0000);
            assert_int_equal(t.cells[t.cols - 1].bg, 0x0000ff);
        }
        thumb_free(&t);
    }
    image_free(&im);
}

/* Decoded from real encodings too: the whole path from bytes to cells. */
static void test_red_blue_from_each_format(void **state)
{
    (void)state;
    uint8_t *px = pattern_rgba(240, 120, PAT_RED_BLUE, 0);
    unsigned char *b[5] = {0};
    size_t n[5] = {0};
    enc_jpeg(px, 240, 120, 95, 0, 0, &b[0], &n[0]);
    enc_png(px, 240, 120, PNGK_RGB, 0, &b[1], &n[1]);
    enc_webp(px, 240, 120, 0, &b[2], &n[2]);
    enc_gif(px, 240, 120, 0, 1, &b[3], &n[3]);
    int have_avif = enc_avif(px, 240, 120, &b[4], &n[4]) == 0;
    for (int i = 0; i < (have_avif ? 5 : 4); i++) {
        struct thumb_opts o;
        thumb_opts_default(&o, 30, 8);
        o.colors = THUMB_COLORS_DIRECT;
        int mw, mh;
        thumb_pixel_box(&o, &mw, &mh);
        assert_int_equal(mw, 240);
        assert_int_equal(mh, 128);
        struct image im;
        struct error err;
        if (image_decode(b[i], n[i], mw, mh, &im, &err) != 0) fail_msg("%s", err.msg);
        struct thumb t;
        if (thumb_render(&im, &o, &t, &err) != 0) fail_msg("%s", err.msg);
        assert_int_equal(t.cols, 30);
        assert_true(t.rows == 7 || t.rows == 8);   /* 240×120 at 1:2 in 30 columns: 7.5 rows */
        check_red_blue(&t);
        thumb_free(&t);
        image_free(&im);
        free(b[i]);
    }
    free(px);
}

static void test_aspect_follows_cells(void **state)
{
    (void)state;
    struct image im = red_blue(200, 100, PAT_RED_BLUE);
    struct thumb_opts o;
    struct thumb t;
    struct error err;
    thumb_opts_default(&o, 40, 40);
    assert_int_equal(thumb_render(&im, &o, &t, &err), 0);
    assert_int_equal(t.cols, 40);
    assert_int_equal(t.rows, 10);
    thumb_free(&t);
    /* the terminal reports 10 × 20 pixel cells: the same */
    o.cell_w = 10;
    o.cell_h = 20;
    assert_int_equal(thumb_render(&im, &o, &t, &err), 0);
    assert_int_equal(t.rows, 10);
    thumb_free(&t);
    /* square cells: twice the rows */
    o.cell_w = o.cell_h = 16;
    assert_int_equal(thumb_render(&im, &o, &t, &err), 0);
    assert_int_equal(t.cols, 40);
    assert_int_equal(t.rows, 20);
    thumb_free(&t);
    /* a tall box: width bound */
    thumb_opts_default(&o, 10, 40);
    assert_int_equal(thumb_render(&im, &o, &t, &err), 0);
    assert_int_equal(t.cols, 10);
    assert_true(t.rows >= 2 && t.rows <= 3);
    thumb_free(&t);
    /* stretch fills the box */
    thumb_opts_default(&o, 12, 12);
    o.stretch = 1;
    assert_int_equal(thumb_render(&im, &o, &t, &err), 0);
    assert_int_equal(t.cols, 12);
    assert_int_equal(t.rows, 12);
    thumb_free(&t);
    /* a picture smaller than the box is zoomed to fill it */
    struct image small = red_blue(8, 4, PAT_RED_BLUE);
    thumb_opts_default(&o, 40, 40);
    o.colors = THUMB_COLORS_DIRECT;
    assert_int_equal(thumb_render(&small, &o, &t, &err), 0);
    assert_int_equal(t.cols, 40);
    check_red_blue(&t);
    thumb_free(&t);
    image_free(&small);
    /* sizes out of range */
    thumb_opts_default(&o, 0, 5);
    assert_int_equal(thumb_render(&im, &o, &t, &err), -1);
    assert_non_null(strstr(err.msg, "out of range"));
    image_free(&im);
}

static void test_ascii_and_none(void **state)
{
    (void)state;
    struct image im = red_blue(160, 80, PAT_PHOTO);
    struct thumb t;
    render(&im, 30, 10, THUMB_COLORS_256, 1, &t);
    for (int i = 0; i < t.cols * t.rows; i++) {
        assert_int_equal(strlen(t.cells[i].ch), 1);
        assert_true(t.cells[i].ch[0] >= 0x20 && t.cells[i].ch[0] < 0x7f);
    }
    thumb_free(&t);
    render(&im, 30, 10, THUMB_COLORS_NONE, 1, &t);
    int inked = 0;
    for (int i = 0; i < t.cols * t.rows; i++) {
        assert_int_equal(t.cells[i].fg, THUMB_COLOR_DEFAULT);
        assert_int_equal(t.cells[i].bg, THUMB_COLOR_DEFAULT);
        inked += t.cells[i].ch[0] != ' ';
    }
    assert_true(inked > 0);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_int_equal(thumb_print_ansi(f, &t), 0);
    fclose(f);
    assert_null(strchr(out, '\033'));
    free(out);
    thumb_free(&t);
    image_free(&im);
}

/* Transparent pixels leave the terminal's own background. */
static void test_transparency(void **state)
{
    (void)state;
    struct image im = red_blue(160, 160, PAT_ALPHA_TOP);
    struct thumb t;
    render(&im, 20, 10, THUMB_COLORS_DIRECT, 0, &t);
    const struct thumb_cell *top = &t.cells[1 * t.cols + 2];
    assert_int_equal(top->bg, THUMB_COLOR_DEFAULT);
    const struct thumb_cell *bottom = &t.cells[(t.rows - 1) * t.cols + 2];
    int32_t a, b;
    visible(&t, bottom, &a, &b);
    assert_true(is_red(a) && is_red(b));
    thumb_free(&t);
    image_free(&im);
}

/* Parses SGR output back into per-cell colours, as a terminal would. */
struct term_cell {
    int32_t fg, bg;
};

static void parse_sgr(const char *s, int cols, int rows, struct term_cell *cells)
{
    int x = 0, y = 0;
    int32_t fg = -1, bg = -1;
    while (*s && y < rows) {
        if (*s == '\033') {
            assert_int_equal(s[1], '[');
            s += 2;
            int v[16], n = 0;
            while (*s != 'm') {
                v[n++] = (int)strtol(s, (char **)&s, 10);
                if (*s == ';') s++;
                assert_true(n < 16);
            }
            s++;
            for (int i = 0; i < n; i++) {
                if (v[i] == 0) fg = bg = -1;
                else if (v[i] == 39) fg = -1;
                else if (v[i] == 49) bg = -1;
                else if ((v[i] == 38 || v[i] == 48) && v[i + 1] == 2) {
                    int32_t c = v[i + 2] << 16 | v[i + 3] << 8 | v[i + 4];
                    if (v[i] == 38) fg = c;
                    else bg = c;
                    i += 4;
                } else if ((v[i] == 38 || v[i] == 48) && v[i + 1] == 5) {
                    int32_t c = thumb_color_rgb(THUMB_COLORS_256, v[i + 2]);
                    if (v[i] == 38) fg = c;
                    else bg = c;
                    i += 2;
                } else if (v[i] >= 30 && v[i] <= 37) fg = thumb_color_rgb(THUMB_COLORS_16, v[i] - 30);
                else if (v[i] >= 40 && v[i] <= 47) bg = thumb_color_rgb(THUMB_COLORS_16, v[i] - 40);
                else if (v[i] >= 90 && v[i] <= 97) fg = thumb_color_rgb(THUMB_COLORS_16, v[i] - 90 + 8);
                else if (v[i] >= 100 && v[i] <= 107) bg = thumb_color_rgb(THUMB_COLORS_16, v[i] - 100 + 8);
            }
            continue;
        }
        if (*s == '\n') {
            assert_int_equal(x, cols);
            x = 0;
            y++;
            s++;
            continue;
        }
        /* one UTF-8 character */
        int len = ((unsigned char)*s < 0x80) ? 1 : ((unsigned char)*s < 0xe0) ? 2 : ((unsigned char)*s < 0xf0) ? 3 : 4;
        int space = *s == ' ', full = !strncmp(s, "\u2588", 3);
        assert_true(x < cols);
        cells[y * cols + x].fg = full ? fg : space ? bg : fg;
        cells[y * cols + x].bg = space ? bg : full ? fg : bg;
        x++;
        s += len;
    }
    assert_int_equal(y, rows);
}

static void test_print_ansi(void **state)
{
    (void)state;
    struct image im = red_blue(160, 80, PAT_RED_BLUE);
    static const enum thumb_colors modes[] = {THUMB_COLORS_DIRECT, THUMB_COLORS_256, THUMB_COLORS_16,
                                              THUMB_COLORS_8};
    static const char *const red_sgr[] = {"255;0;0", "5;196", "101", "41"};
    for (size_t i = 0; i < 4; i++) {
        struct thumb t;
        render(&im, 20, 10, modes[i], 0, &t);
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        assert_int_equal(thumb_print_ansi(f, &t), 0);
        fclose(f);
        if (!strstr(out, red_sgr[i])) fail_msg("%s: no \"%s\" in the output", thumb_colors_name(modes[i]), red_sgr[i]);
        /* every line ends with a reset */
        int lines = 0;
        for (char *p = out; (p = strstr(p, "\033[0m\n")); p++) lines++;
        assert_int_equal(lines, t.rows);
        struct term_cell *cells = calloc((size_t)t.cols * t.rows, sizeof *cells);
        parse_sgr(out, t.cols, t.rows, cells);
        for (int y = 0; y < t.rows; y++) {
            assert_true(is_red(cells[y * t.cols].fg) && is_red(cells[y * t.cols].bg));
            assert_true(is_blue(cells[y * t.cols + t.cols - 1].fg) && is_blue(cells[y * t.cols + t.cols - 1].bg));
        }
        free(cells);
        free(out);
        thumb_free(&t);
    }
    image_free(&im);
}

static void test_cell_memory(void **state)
{
    (void)state;
    struct image im = red_blue(480, 360, PAT_PHOTO);
    struct thumb t;
    render(&im, 40, 15, THUMB_COLORS_DIRECT, 0, &t);
    assert_int_equal(sizeof(struct thumb_cell), 16);
    /* 1,000 of these fit in 30 MB with room to spare */
    assert_true(thumb_bytes(&t) <= 10 * 1024);
    thumb_free(&t);
    image_free(&im);
}

static void test_names_and_palette(void **state)
{
    (void)state;
    enum thumb_colors c;
    assert_int_equal(thumb_colors_parse("direct", &c), 0);
    assert_int_equal(c, THUMB_COLORS_DIRECT);
    assert_int_equal(thumb_colors_parse("truecolor", &c), 0);
    assert_int_equal(thumb_colors_parse("256", &c), 0);
    assert_int_equal(c, THUMB_COLORS_256);
    assert_int_equal(thumb_colors_parse("16", &c), 0);
    assert_int_equal(thumb_colors_parse("ascii", &c), 0);
    assert_int_equal(c, THUMB_COLORS_NONE);
    assert_int_equal(thumb_colors_parse("lots", &c), -1);
    assert_int_equal(thumb_color_rgb(THUMB_COLORS_256, 196), 0xff0000);
    assert_int_equal(thumb_color_rgb(THUMB_COLORS_256, 21), 0x0000ff);
    assert_int_equal(thumb_color_rgb(THUMB_COLORS_256, 232), 0x080808);
    assert_int_equal(thumb_color_rgb(THUMB_COLORS_16, 9), 0xff0000);
    assert_int_equal(thumb_color_rgb(THUMB_COLORS_DIRECT, 0x123456), 0x123456);
    assert_int_equal(thumb_color_rgb(THUMB_COLORS_256, THUMB_COLOR_DEFAULT), -1);
    enum thumb_pixels p;
    assert_int_equal(thumb_pixels_parse("sixel", &p), 0);
    assert_int_equal(p, THUMB_PIXELS_SIXEL);
    assert_int_equal(thumb_pixels_parse("off", &p), 0);
    assert_int_equal(p, THUMB_PIXELS_OFF);
    assert_int_equal(thumb_pixels_parse("pixels", &p), -1);
    /* not a terminal: the 1:2 guess */
    int cw = 0, ch = 0;
    assert_int_equal(thumb_cell_size(-1, &cw, &ch), 0);
    assert_int_equal(cw, 1);
    assert_int_equal(ch, 2);
}

static void test_graphics(void **state)
{
    (void)state;
    struct image im = red_blue(200, 100, PAT_RED_BLUE);
    struct thumb_opts o;
    thumb_opts_default(&o, 20, 10);
    o.cell_w = 10;
    o.cell_h = 20;
    struct strbuf sb;
    sb_init(&sb);
    int cols, rows;
    struct error err;
    assert_int_equal(thumb_render_graphics(&im, &o, THUMB_PIXELS_SIXEL, &sb, &cols, &rows, &err), 0);
    assert_int_equal(cols, 20);
    assert_int_equal(rows, 5);
    assert_true(sb.len > 10);
    assert_memory_equal(sb.s, "\033P", 2);
    assert_non_null(strchr(sb.s, 'q'));
    assert_memory_equal(sb.s + sb.len - 2, "\033\\", 2);
    sb_reset(&sb);
    assert_int_equal(thumb_render_graphics(&im, &o, THUMB_PIXELS_KITTY, &sb, &cols, &rows, &err), 0);
    assert_memory_equal(sb.s, "\033_G", 3);
    assert_non_null(strstr(sb.s, "c=20,r=5"));
    sb_reset(&sb);
    assert_int_equal(thumb_render_graphics(&im, &o, THUMB_PIXELS_SYMBOLS, &sb, &cols, &rows, &err), -1);
    sb_free(&sb);
    assert_string_equal(thumb_graphics_clear(THUMB_PIXELS_KITTY), "\033_Ga=d,d=A\033\\");
    image_free(&im);

    /* tmux passes neither protocol: symbols unless forced */
    char *saved = getenv("TMUX") ? strdup(getenv("TMUX")) : NULL;
    setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
    assert_int_equal(thumb_pixels_effective(THUMB_PIXELS_SIXEL, 0), THUMB_PIXELS_SYMBOLS);
    assert_int_equal(thumb_pixels_effective(THUMB_PIXELS_KITTY, 0), THUMB_PIXELS_SYMBOLS);
    assert_int_equal(thumb_pixels_effective(THUMB_PIXELS_SIXEL, 1), THUMB_PIXELS_SIXEL);
    assert_int_equal(thumb_pixels_effective(THUMB_PIXELS_OFF, 0), THUMB_PIXELS_OFF);
    if (saved) {
        setenv("TMUX", saved, 1);
        free(saved);
    } else unsetenv("TMUX");
}

static void test_graphics_put(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(thumb_graphics_put(p[1], 3, 7, "PIC", 3), 0);
    close(p[1]);
    char buf[64] = {0};
    ssize_t n = read(p[0], buf, sizeof buf - 1);
    close(p[0]);
    assert_true(n > 0);
    assert_string_equal(buf, "\0337\033[4;8HPIC\0338");
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_red_blue_every_mode),
        cmocka_unit_test(test_red_blue_from_each_format),
        cmocka_unit_test(test_aspect_follows_cells),
        cmocka_unit_test(test_ascii_and_none),
        cmocka_unit_test(test_transparency),
        cmocka_unit_test(test_print_ansi),
        cmocka_unit_test(test_cell_memory),
        cmocka_unit_test(test_names_and_palette),
        cmocka_unit_test(test_graphics),
        cmocka_unit_test(test_graphics_put),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
