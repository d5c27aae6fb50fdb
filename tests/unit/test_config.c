/* SPDX-License-Identifier: ISC */
/* The config parser: values, comments, binds, and errors with line numbers. */
#include "testutil.h"

#include "config.h"

static void test_values(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    struct error e;
    error_clear(&e);
    const char *text = "# comment\n\njobs = 4\n  timeout=5  \nrefresh-on-start = yes\ntheme = \"light\"\n"
                       "bind j down\nbind ^R refresh-all\nmax-items = 50\n";
    assert_int_equal(config_parse(&c, text, "cfg", &e), 0);
    assert_int_equal(c.jobs, 4);
    assert_int_equal(c.timeout, 5);
    assert_int_equal(c.refresh_on_start, 1);
    assert_int_equal(c.max_items, 50);
    assert_string_equal(c.theme, "light");
    assert_int_equal(c.n_binds, 2);
    assert_string_equal(c.binds[1].key, "^R");
    assert_string_equal(c.binds[1].action, "refresh-all");
    assert_int_equal(c.binds[1].line, 8);
    assert_int_equal(c.connect_timeout, 10);   /* untouched default */
}

static void test_errors(void **state)
{
    (void)state;
    static const struct { const char *text, *msg; } cases[] = {
        {"jobs = 4\ncolour = blue\n", "cfg:2: unknown key \"colour\""},
        {"\n\njobs = many\n", "cfg:3: bad value \"many\" for jobs"},
        {"jobs = 0\n", "cfg:1: bad value \"0\" for jobs"},
        {"refresh-on-start = perhaps\n", "cfg:1: bad value"},
        {"just words\n", "cfg:1: expected \"key = value\""},
        {"bind j\n", "cfg:1: bind needs a key and an action"},
        {"theme = ../../etc\n", "cfg:1: bad value"},
        /* issue 14: an out-of-range value names the range, a bad word the words */
        {"jobs = 1000\n", "cfg:1: bad value \"1000\" for jobs (allowed: 1 to 256)"},
        {"layout = tiles\n", "cfg:1: bad value \"tiles\" for layout (allowed: list, cards, grid)"},
        {"truecolor = 2\n", "cfg:1: bad value \"2\" for truecolor (allowed: auto, yes, no)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct config c;
        config_defaults(&c);
        struct error e;
        error_clear(&e);
        assert_int_equal(config_parse(&c, cases[i].text, "cfg", &e), -1);
        if (strncmp(e.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
            fail_msg("case %zu: got \"%s\", want prefix \"%s\"", i, e.msg, cases[i].msg);
    }
}

/* The defaults come from the documentation table: what the docs say is what winnow does. */
static void test_defaults_from_table(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.jobs, 16);
    assert_int_equal(c.jobs_per_host, 6);
    assert_int_equal(c.timeout, 30);
    assert_int_equal(c.thumb_cache_mb, 200);
    assert_int_equal(c.scan_media, 1);
    assert_int_equal(c.truecolor, -1);
    assert_int_equal(c.mpv_config, 1);
    assert_string_equal(c.theme, "default");
    assert_int_equal(c.video_output, CONFIG_VO_TCT);
    assert_int_equal(c.resume, CONFIG_RESUME_YES);
    assert_int_equal(c.layout, CONFIG_LAYOUT_LIST);
    assert_int_equal(c.thumbnails, CONFIG_THUMBS_SYMBOLS);
    assert_int_equal(c.sensitive_media, CONFIG_SENSITIVE_BLUR);
    assert_int_equal(c.video_preset, CONFIG_PRESET_AUTO);
    size_t n = 0;
    for (const struct config_key_info *k = config_key_table(); k->name; k++, n++) {
        assert_non_null(k->meaning);
        assert_true(strlen(k->meaning) > 10);
        /* every default parses as a value of its own key */
        if (k->type != CONFIG_LIST) {
            char line[200];
            snprintf(line, sizeof line, "%s = %s\n", k->name, k->def);
            struct error e;
            error_clear(&e);
            if (config_parse(&c, line, "cfg", &e) < 0) fail_msg("default of %s: %s", k->name, e.msg);
        }
    }
    size_t m = 0;
    for (const char *const *k = config_keys(); *k; k++) m++;
    assert_int_equal(n, m);
}

/* Each word-valued setting is parsed once, here, into the value its owner reads; a bad word of
 * each stops with the file and line and the words it takes. */
static void test_word_settings(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    struct error e;
    error_clear(&e);
    const char *text = "layout = grid\nthumbnails = kitty\nsensitive-media = hide\nvideo-output = none\n"
                       "video-preset = ssh\nresume = ask\n";
    assert_int_equal(config_parse(&c, text, "cfg", &e), 0);
    assert_int_equal(c.layout, CONFIG_LAYOUT_GRID);
    assert_int_equal(c.thumbnails, CONFIG_THUMBS_KITTY);
    assert_int_equal(c.sensitive_media, CONFIG_SENSITIVE_HIDE);
    assert_int_equal(c.video_output, CONFIG_VO_NONE);
    assert_int_equal(c.video_preset, CONFIG_PRESET_SSH);
    assert_int_equal(c.resume, CONFIG_RESUME_ASK);
    assert_int_equal(config_parse(&c, "layout = cards\nthumbnails = off\nsensitive-media = show\n"
                                      "video-output = gpu\nvideo-preset = full\nresume = no\n", "cfg", &e), 0);
    assert_int_equal(c.layout, CONFIG_LAYOUT_CARDS);
    assert_int_equal(c.thumbnails, CONFIG_THUMBS_OFF);
    assert_int_equal(c.sensitive_media, CONFIG_SENSITIVE_SHOW);
    assert_int_equal(c.video_output, CONFIG_VO_GPU);
    assert_int_equal(c.video_preset, CONFIG_PRESET_FULL);
    assert_int_equal(c.resume, CONFIG_RESUME_NO);
    static const struct { const char *text, *msg; } bad[] = {
        {"layout = tiles\n", "cfg:1: bad value \"tiles\" for layout (allowed: list, cards, grid)"},
        {"\nthumbnails = png\n", "cfg:2: bad value \"png\" for thumbnails (allowed: symbols, sixel, kitty, off)"},
        {"sensitive-media = maybe\n", "cfg:1: bad value \"maybe\" for sensitive-media (allowed: blur, hide, show)"},
        {"jobs = 2\nvideo-output = kitty\n",
         "cfg:2: bad value \"kitty\" for video-output (allowed: tct, sixel, gpu, auto, none)"},
        {"video-preset = fast\n", "cfg:1: bad value \"fast\" for video-preset (allowed: auto, full, ssh)"},
        {"resume = sometimes\n", "cfg:1: bad value \"sometimes\" for resume (allowed: yes, no, ask)"},
        /* a word is matched whole and in its case */
        {"layout = GRID\n", "cfg:1: bad value \"GRID\" for layout"},
        {"resume = yes please\n", "cfg:1: bad value \"yes please\" for resume"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        config_defaults(&c);
        error_clear(&e);
        assert_int_equal(config_parse(&c, bad[i].text, "cfg", &e), -1);
        if (strncmp(e.msg, bad[i].msg, strlen(bad[i].msg)) != 0)
            fail_msg("case %zu: got \"%s\", want prefix \"%s\"", i, e.msg, bad[i].msg);
        /* the value a bad line named is not half-stored */
        assert_int_equal(c.layout, CONFIG_LAYOUT_LIST);
        assert_int_equal(c.resume, CONFIG_RESUME_YES);
    }
}

static void test_missing_file(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    struct error e;
    error_clear(&e);
    assert_int_equal(config_load(&c, "/nonexistent/winnow/config", 1, &e), 0);
    assert_int_equal(config_load(&c, "/nonexistent/winnow/config", 0, &e), -1);
    assert_non_null(strstr(e.msg, "No such file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_word_settings),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_defaults_from_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
