/* SPDX-License-Identifier: ISC */
/* The player's words and helpers: option parsing, times as shown, which URLs are pages for
 * yt-dlp, finding yt-dlp, and the playback settings with their defaults. */
#include "testutil.h"

#include <unistd.h>

#include "app.h"
#include "player.h"

static void test_parse(void **state)
{
    (void)state;
    enum player_vo vo;
    enum player_ao ao;
    enum player_preset pr;
    assert_int_equal(player_vo_parse("tct", &vo), 0);
    assert_int_equal(vo, PLAYER_VO_TCT);
    assert_int_equal(player_vo_parse("none", &vo), 0);
    assert_int_equal(vo, PLAYER_VO_NONE);
    assert_int_equal(player_vo_parse("null", &vo), 0);
    assert_int_equal(vo, PLAYER_VO_NULL);
    assert_int_equal(player_vo_parse("kitty", &vo), -1);   /* not in mpv 0.35 */
    assert_int_equal(player_vo_parse(NULL, &vo), -1);
    assert_int_equal(player_ao_parse("null", &ao), 0);
    assert_int_equal(ao, PLAYER_AO_NULL);
    assert_int_equal(player_ao_parse("pulse", &ao), -1);
    assert_int_equal(player_preset_parse("ssh", &pr), 0);
    assert_int_equal(pr, PLAYER_PRESET_SSH);
    assert_int_equal(player_preset_parse("SSH", &pr), -1);
    assert_string_equal(player_end_name(PLAYER_END_EOF), "EOF");
    assert_string_equal(player_end_name(PLAYER_END_ERROR), "ERROR");
}

static void test_defaults(void **state)
{
    (void)state;
    struct player_opts o;
    player_opts_init(&o);
    assert_int_equal(o.vo, PLAYER_VO_TCT);
    assert_int_equal(o.ao, PLAYER_AO_AUTO);
    assert_int_equal(o.preset, PLAYER_PRESET_AUTO);
    assert_int_equal(o.mpv_config, 1);
    assert_int_equal(o.terminal, -1);
    assert_int_equal(o.untimed, 0);
}

static void test_time(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(player_format_time(0, b, sizeof b), "0:00");
    assert_string_equal(player_format_time(1.96, b, sizeof b), "0:01");
    assert_string_equal(player_format_time(83.4, b, sizeof b), "1:23");
    assert_string_equal(player_format_time(3723, b, sizeof b), "1:02:03");
    assert_string_equal(player_format_time(-1, b, sizeof b), "?");
}

static void test_pages(void **state)
{
    (void)state;
    assert_true(player_url_is_page("https://www.youtube.com/watch?v=abc"));
    assert_true(player_url_is_page("https://youtu.be/abc"));
    assert_true(player_url_is_page("http://m.YouTube.com:443/watch?v=abc"));
    assert_true(player_url_is_page("https://user@vimeo.com/123"));
    assert_false(player_url_is_page("https://notyoutube.com/watch?v=abc"));
    assert_false(player_url_is_page("https://example.org/?u=youtube.com"));
    assert_false(player_url_is_page("https://v.redd.it/x/HLSPlaylist.m3u8"));
    assert_false(player_url_is_page("file:///tmp/youtube.com"));
    assert_false(player_url_is_page(NULL));
}

static void test_ytdl_find(void **state)
{
    (void)state;
    char dir[] = "/tmp/winnow-ytdl.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char prog[300];
    snprintf(prog, sizeof prog, "%s/youtube-dl", dir);
    FILE *f = fopen(prog, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\n", f);
    fclose(f);
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    setenv("PATH", "/nonexistent", 1);
    assert_null(player_ytdl_find());
    char path[400];
    snprintf(path, sizeof path, "/nonexistent::%s", dir);
    setenv("PATH", path, 1);
    assert_null(player_ytdl_find());          /* not executable yet */
    chmod(prog, 0755);
    assert_string_equal(player_ytdl_find(), "youtube-dl");
    if (old) setenv("PATH", old, 1);
    free(old);
    unlink(prog);
    rmdir(dir);
}

static void test_settings(void **state)
{
    (void)state;
    struct app_play_settings s;
    struct config c;
    struct error e;
    error_clear(&e);
    config_defaults(&c);
    assert_int_equal(app_play_settings_from(&s, &c, &e), 0);
    assert_int_equal(s.opts.vo, PLAYER_VO_TCT);
    assert_int_equal(s.opts.preset, PLAYER_PRESET_AUTO);
    assert_int_equal(s.resume, APP_RESUME_YES);
    assert_int_equal(s.opts.mpv_config, 1);
    assert_int_equal(s.opts.n_mpv_options, 0);
    /* the words, parsed once by the config, arrive as the player's and the session's values */
    assert_int_equal(config_parse(&c,
                                  "video-output = sixel\nvideo-preset = ssh\naudio-only = yes\nresume = ask\n"
                                  "mpv-config = no\nmpv-option = volume=50\nmpv-option = hwdec=auto\n",
                                  "cfg", &e),
                     0);
    assert_int_equal(app_play_settings_from(&s, &c, &e), 0);
    assert_int_equal(s.opts.vo, PLAYER_VO_SIXEL);
    assert_int_equal(s.opts.preset, PLAYER_PRESET_SSH);
    assert_int_equal(s.opts.audio_only, 1);
    assert_int_equal(s.resume, APP_RESUME_ASK);
    assert_int_equal(s.opts.mpv_config, 0);
    assert_int_equal(s.opts.n_mpv_options, 2);
    assert_string_equal(s.opts.mpv_options[1], "hwdec=auto");
    static const struct { const char *word; enum player_vo vo; } vos[] = {
        {"tct", PLAYER_VO_TCT}, {"gpu", PLAYER_VO_GPU}, {"auto", PLAYER_VO_AUTO}, {"none", PLAYER_VO_NONE}};
    for (size_t i = 0; i < sizeof vos / sizeof vos[0]; i++) {
        char line[64];
        snprintf(line, sizeof line, "video-output = %s\nvideo-preset = full\nresume = no\n", vos[i].word);
        assert_int_equal(config_parse(&c, line, "cfg", &e), 0);
        assert_int_equal(app_play_settings_from(&s, &c, &e), 0);
        assert_int_equal(s.opts.vo, vos[i].vo);
        assert_int_equal(s.opts.preset, PLAYER_PRESET_FULL);
        assert_int_equal(s.resume, APP_RESUME_NO);
    }
    /* a config made by hand can still hold a bad mpv option: refused, not passed on */
    snprintf(c.mpv_options[0], sizeof c.mpv_options[0], "=5");
    c.n_mpv_options = 1;
    assert_int_equal(app_play_settings_from(&s, &c, &e), -1);
    assert_non_null(strstr(e.msg, "mpv-option"));
}

/* An empty queue and a queue of nothing playable never start mpv and never fail. */
static void test_nothing_to_play(void **state)
{
    (void)state;
    struct player_result r[2];
    struct error e;
    error_clear(&e);
    assert_int_equal(player_play_queue(NULL, 0, NULL, r, &e), 0);
    struct player_item items[2] = {{.url = ""}, {.url = "https://www.youtube.com/watch?v=x", .page = 1}};
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    setenv("PATH", "/nonexistent", 1);
    struct player_opts o;
    player_opts_init(&o);
    o.vo = PLAYER_VO_NULL;
    o.ao = PLAYER_AO_NULL;
    o.mpv_config = 0;
    o.terminal = 0;
    assert_int_equal(player_play_queue(items, 2, &o, r, &e), 0);
    if (old) setenv("PATH", old, 1);
    free(old);
    assert_int_equal(r[0].end, PLAYER_END_ERROR);
    assert_int_equal(r[1].end, PLAYER_END_ERROR);
    assert_string_equal(r[1].message, "this needs yt-dlp (apt-get install yt-dlp)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),    cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_time),     cmocka_unit_test(test_pages),
        cmocka_unit_test(test_ytdl_find), cmocka_unit_test(test_settings),
        cmocka_unit_test(test_nothing_to_play),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
