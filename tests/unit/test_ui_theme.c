/* SPDX-License-Identifier: ISC */
/* Themes: colour and file parsing with line-numbered errors, the theme files in themes/, the
 * lookup folders, and the mapping of colours onto 8, 16, 256 and direct-colour terminals. */
#include "testutil.h"

#include <unistd.h>

#include "ui.h"

static void test_colors(void **state)
{
    (void)state;
    struct theme_color c;
    assert_int_equal(theme_parse_color("default", &c), 0);
    assert_int_equal(c.kind, TC_DEFAULT);
    assert_int_equal(theme_parse_color("red", &c), 0);
    assert_int_equal(c.kind, TC_INDEX);
    assert_int_equal(c.value, 1);
    assert_int_equal(theme_parse_color("bright-blue", &c), 0);
    assert_int_equal(c.value, 12);
    assert_int_equal(theme_parse_color("brightwhite", &c), 0);
    assert_int_equal(c.value, 15);
    assert_int_equal(theme_parse_color("grey", &c), 0);
    assert_int_equal(c.value, 8);
    assert_int_equal(theme_parse_color("255", &c), 0);
    assert_int_equal(c.value, 255);
    assert_int_equal(theme_parse_color("#002B36", &c), 0);
    assert_int_equal(c.kind, TC_RGB);
    assert_int_equal(c.value, 0x002b36);
    static const char *const bad[] = {"256", "-1", "#12345", "#1234567", "#gg0000", "mauve", "12a", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (theme_parse_color(bad[i], &c) == 0) fail_msg("\"%s\" should not parse", bad[i]);
}

static void test_parse(void **state)
{
    (void)state;
    struct theme t;
    struct error e;
    error_clear(&e);
    const char *text = "# a comment\n\nnormal = #839496 #002b36   # trailing comment\n"
                       "  title = white blue bold underline\ncursor = 33 default\nlink = default default reverse\n"
                       "dim = dim\n";
    assert_int_equal(theme_parse(&t, text, "x.theme", &e), 0);
    assert_int_equal(t.el[EL_NORMAL].fg.kind, TC_RGB);
    assert_int_equal(t.el[EL_NORMAL].fg.value, 0x839496);
    assert_int_equal(t.el[EL_NORMAL].bg.value, 0x002b36);
    assert_int_equal(t.el[EL_TITLE].attrs, TA_BOLD | TA_UNDERLINE);
    assert_int_equal(t.el[EL_TITLE].bg.value, 4);
    assert_int_equal(t.el[EL_CURSOR].fg.value, 33);
    assert_int_equal(t.el[EL_CURSOR].bg.kind, TC_DEFAULT);
    assert_int_equal(t.el[EL_LINK].attrs, TA_REVERSE);
    assert_int_equal(t.el[EL_DIM].attrs, TA_DIM);
    assert_int_equal(t.el[EL_DIM].fg.kind, TC_DEFAULT);
    /* left out: the built-in attributes on the file's own normal colours */
    assert_int_equal(t.el[EL_UNREAD].attrs, TA_BOLD);
    assert_int_equal(t.el[EL_UNREAD].fg.kind, TC_DEFAULT);

    static const struct { const char *text, *msg; } bad[] = {
        {"normal = red\nfrobs = red\n", "x.theme:2: unknown element \"frobs\""},
        {"\n\ntitle = mauve default\n", "x.theme:3: bad colour \"mauve\""},
        {"title = red blue blink\n", "x.theme:1: bad attribute \"blink\""},
        {"title red blue\n", "x.theme:1: expected \"element = FG BG [ATTR...]\""},
        {"title =\n", "x.theme:1: title needs a colour"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        error_clear(&e);
        assert_int_equal(theme_parse(&t, bad[i].text, "x.theme", &e), -1);
        if (strncmp(e.msg, bad[i].msg, strlen(bad[i].msg)))
            fail_msg("case %zu: got \"%s\", want prefix \"%s\"", i, e.msg, bad[i].msg);
    }
}

/* Every theme shipped in themes/ parses and names every element. */
static void test_shipped_themes(void **state)
{
    (void)state;
    const char *src = getenv("WINNOW_SRCDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/themes", src && *src ? src : ".");
    static const char *const names[] = {"default", "light", "solarized-dark", "high-contrast", "mono"};
    setenv("WINNOW_THEMES_DIR", dir, 1);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.theme", dir, names[i]);
        char *text;
        size_t len;
        struct error e;
        error_clear(&e);
        if (read_file(path, 1 << 16, &text, &len, &e) < 0) fail_msg("%s", e.msg);
        for (int el = 0; el < EL__COUNT; el++) {
            char want[64];
            snprintf(want, sizeof want, "\n%s ", ui_elem_name(el));
            char *p = strstr(text, want);
            if (!p) {
                snprintf(want, sizeof want, "\n%s=", ui_elem_name(el));
                p = strstr(text, want);
            }
            if (!p) fail_msg("%s does not set %s", names[i], ui_elem_name(el));
        }
        free(text);
        struct theme t;
        if (theme_load(&t, names[i], NULL, &e) < 0) fail_msg("%s", e.msg);
        assert_string_equal(t.name, names[i]);
    }
    /* the built-in default is the default.theme file */
    struct theme file, builtin;
    struct error e;
    assert_int_equal(theme_load(&file, "default", NULL, &e), 0);
    theme_builtin(&builtin);
    assert_memory_equal(file.el, builtin.el, sizeof file.el);
    unsetenv("WINNOW_THEMES_DIR");
}

static void test_lookup(void **state)
{
    (void)state;
    char tmp[] = "/tmp/winnow-theme-test.XXXXXX";
    assert_non_null(mkdtemp(tmp));
    char cfg[256], dir[256], path[300];
    snprintf(cfg, sizeof cfg, "%s/config", tmp);
    snprintf(dir, sizeof dir, "%s/config/themes", tmp);
    assert_int_equal(mkdir_p(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/mine.theme", dir);
    FILE *f = fopen(path, "w");
    fputs("normal = #ff0000 black\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/zz.theme", dir);
    f = fopen(path, "w");
    fputs("normal = 1 2\n", f);
    fclose(f);
    unsetenv("WINNOW_THEMES_DIR");
    struct theme t;
    struct error e;
    error_clear(&e);
    assert_int_equal(theme_load(&t, "mine", cfg, &e), 0);
    assert_int_equal(t.el[EL_NORMAL].fg.value, 0xff0000);
    /* without any file, "default" is the built-in */
    assert_int_equal(theme_load(&t, "default", "/nonexistent", &e), 0);
    assert_int_equal(theme_load(&t, "nope", cfg, &e), -1);
    assert_non_null(strstr(e.msg, "theme \"nope\" not found (built in: default, light, solarized-dark"));
    assert_non_null(strstr(e.msg, dir));
    /* the bundled themes are in the binary: found with no theme folder at all */
    assert_int_equal(theme_load(&t, "light", "/nonexistent", &e), 0);
    assert_string_equal(t.name, "light");
    char none[16][64];
    size_t nn = theme_list("/nonexistent", none, 16);
    int light = 0;
    for (size_t i = 0; i < nn; i++) light += !strcmp(none[i], "light");
    assert_int_equal(light, 1);
    /* a file of the same name overrides the built-in theme */
    snprintf(path, sizeof path, "%s/light.theme", dir);
    f = fopen(path, "w");
    fputs("normal = #00ff00 black\n", f);
    fclose(f);
    assert_int_equal(theme_load(&t, "light", cfg, &e), 0);
    assert_int_equal(t.el[EL_NORMAL].fg.value, 0x00ff00);
    unlink(path);
    assert_int_equal(theme_load(&t, "../config/themes/mine", cfg, &e), -1);
    char names[16][64];
    size_t n = theme_list(cfg, names, 16);
    assert_true(n >= 3);
    assert_string_equal(names[0], "default");
    int mine = 0, zz = 0;
    for (size_t i = 0; i < n; i++) {
        mine += !strcmp(names[i], "mine");
        zz += !strcmp(names[i], "zz");
        if (i) assert_true(strcmp(names[i - 1], names[i]) < 0);
    }
    assert_int_equal(mine, 1);
    assert_int_equal(zz, 1);
    unlink(path);
    snprintf(path, sizeof path, "%s/mine.theme", dir);
    unlink(path);
    rmdir(dir);
    snprintf(path, sizeof path, "%s/config", tmp);
    rmdir(path);
    rmdir(tmp);
}

static void test_mapping(void **state)
{
    (void)state;
    assert_int_equal(theme_palette_rgb(16), 0x000000);
    assert_int_equal(theme_palette_rgb(196), 0xff0000);
    assert_int_equal(theme_palette_rgb(231), 0xffffff);
    assert_int_equal(theme_palette_rgb(232), 0x080808);
    assert_int_equal(theme_palette_rgb(9), 0xff0000);
    assert_int_equal(theme_nearest_256(0xff0000), 196);
    assert_int_equal(theme_nearest_256(0x808080), 244);
    assert_int_equal(theme_nearest_ansi(0xff0000, 16), 9);
    assert_int_equal(theme_nearest_ansi(0xff0000, 8), 1);

    struct theme_color red = {TC_RGB, 0xff0000}, idx = {TC_INDEX, 33}, low = {TC_INDEX, 3},
                       bright = {TC_INDEX, 12}, black = {TC_RGB, 0x000000}, def = {TC_DEFAULT, 0};
    assert_int_equal(theme_map_color(red, CM_256), 196);
    assert_int_equal(theme_map_color(red, CM_16), 9);
    assert_int_equal(theme_map_color(red, CM_8), 1);
    assert_int_equal(theme_map_color(red, CM_DIRECT), 0xff0000);
    assert_int_equal(theme_map_color(red, CM_MONO), -1);
    assert_int_equal(theme_map_color(idx, CM_256), 33);
    assert_int_equal(theme_map_color(idx, CM_DIRECT), theme_palette_rgb(33));
    assert_int_equal(theme_map_color(low, CM_DIRECT), 3);          /* ANSI colours stay ANSI */
    assert_int_equal(theme_map_color(bright, CM_8), 4);
    assert_int_equal(theme_map_color(bright, CM_16), 12);
    assert_int_equal(theme_map_color(bright, CM_DIRECT), 0x5c5cff);
    assert_int_equal(theme_map_color(black, CM_DIRECT), 8);        /* not read as ANSI black */
    assert_int_equal(theme_map_color(def, CM_256), -1);

    struct theme t;
    theme_builtin(&t);
    char sgr[128];
    theme_sgr(&t, EL_LINK, CM_256, sgr, sizeof sgr);
    assert_string_equal(sgr, "\033[0;4;34;49m");
    theme_sgr(&t, EL_LINK, CM_MONO, sgr, sizeof sgr);
    assert_string_equal(sgr, "\033[0;4m");
    t.el[EL_LINK].fg = red;
    t.el[EL_NORMAL].bg = (struct theme_color){TC_RGB, 0x002b36};
    theme_sgr(&t, EL_LINK, CM_DIRECT, sgr, sizeof sgr);
    assert_string_equal(sgr, "\033[0;4;38;2;255;0;0;48;2;0;43;54m");
    theme_sgr(&t, EL_LINK, CM_256, sgr, sizeof sgr);
    assert_string_equal(sgr, "\033[0;4;38;5;196;48;5;234m");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_shipped_themes),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_mapping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
