/* SPDX-License-Identifier: ISC */
/* The reader's keymap: key names, default bindings, `bind` lines and their errors, the help text
 * generated from the live keymap, and the config keys the reader owns. */
#include "testutil.h"

#include <curses.h>

#include "config.h"
#include "ui.h"

static void test_key_names(void **state)
{
    (void)state;
    assert_int_equal(ui_key_parse("j"), 'j');
    assert_int_equal(ui_key_parse("G"), 'G');
    assert_int_equal(ui_key_parse("?"), '?');
    assert_int_equal(ui_key_parse("^"), '^');   /* the caret itself */
    assert_int_equal(ui_key_parse("^R"), 18);
    assert_int_equal(ui_key_parse("^r"), 18);
    assert_int_equal(ui_key_parse("Enter"), '\n');
    assert_int_equal(ui_key_parse("enter"), '\n');
    assert_int_equal(ui_key_parse("Esc"), 27);
    assert_int_equal(ui_key_parse("Space"), ' ');
    assert_int_equal(ui_key_parse("Tab"), '\t');
    assert_int_equal(ui_key_parse("PgDn"), UI_KEY_FN + KEY_NPAGE);
    assert_int_equal(ui_key_parse("PageUp"), UI_KEY_FN + KEY_PPAGE);
    assert_int_equal(ui_key_parse("Down"), UI_KEY_FN + KEY_DOWN);
    assert_int_equal(ui_key_parse("F5"), UI_KEY_FN + KEY_F(5));
    assert_int_equal(ui_key_parse("F12"), UI_KEY_FN + KEY_F(12));
    assert_int_equal(ui_key_parse("\xC3\xA9"), 0xE9);   /* é */
    static const char *const bad[] = {"", "jj", "Ctrl-Q", "F13", "F0", "^1", "\x1b", "\x7f",
                                      "\xC2\x9B", "Nope"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ui_key_parse(bad[i]) != -1) fail_msg("\"%s\" should not parse", bad[i]);
    /* every name reads back as itself */
    static const char *const names[] = {"j", "^R", "Enter", "Esc", "Space", "Tab", "BackTab", "Backspace",
                                        "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End",
                                        "Insert", "Delete", "F1", "F12", "\xC3\xA9"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char buf[32];
        ui_key_name(ui_key_parse(names[i]), buf, sizeof buf);
        assert_string_equal(buf, names[i]);
    }
}

static void test_defaults(void **state)
{
    (void)state;
    struct keymap km;
    keymap_defaults(&km);
    assert_int_equal(keymap_lookup(&km, 'j'), ACT_DOWN);
    assert_int_equal(keymap_lookup(&km, UI_KEY_FN + KEY_DOWN), ACT_DOWN);
    assert_int_equal(keymap_lookup(&km, 'k'), ACT_UP);
    assert_int_equal(keymap_lookup(&km, ' '), ACT_SELECT);   /* pages down outside item lists */
    assert_int_equal(keymap_lookup(&km, 'u'), ACT_UNDO);
    assert_int_equal(keymap_lookup(&km, 'U'), ACT_TOGGLE_UNREAD);
    assert_int_equal(keymap_lookup(&km, 'g'), ACT_TOP);
    assert_int_equal(keymap_lookup(&km, 'G'), ACT_BOTTOM);
    assert_int_equal(keymap_lookup(&km, 'l'), ACT_OPEN);
    assert_int_equal(keymap_lookup(&km, 'h'), ACT_BACK);
    assert_int_equal(keymap_lookup(&km, 27), ACT_BACK);
    assert_int_equal(keymap_lookup(&km, 'q'), ACT_QUIT);
    assert_int_equal(keymap_lookup(&km, 'r'), ACT_REFRESH);
    assert_int_equal(keymap_lookup(&km, 'R'), ACT_REFRESH_ALL);
    assert_int_equal(keymap_lookup(&km, '?'), ACT_HELP);
    assert_int_equal(keymap_lookup(&km, '/'), ACT_SEARCH);
    assert_int_equal(keymap_lookup(&km, 'n'), ACT_SEARCH_NEXT);
    assert_int_equal(keymap_lookup(&km, 'N'), ACT_SEARCH_PREV);
    assert_int_equal(keymap_lookup(&km, 'o'), ACT_OPEN_LINK);
    assert_int_equal(keymap_lookup(&km, 'y'), ACT_COPY_LINK);
    assert_int_equal(keymap_lookup(&km, 'L'), ACT_ADD_LINK);
    assert_int_equal(keymap_lookup(&km, 'T'), ACT_CYCLE_THEME);
    /* the spellings terminals send for Enter and Backspace all match */
    assert_int_equal(keymap_lookup(&km, '\n'), ACT_OPEN);
    assert_int_equal(keymap_lookup(&km, '\r'), ACT_OPEN);
    assert_int_equal(keymap_lookup(&km, UI_KEY_FN + KEY_ENTER), ACT_OPEN);
    assert_int_equal(keymap_lookup(&km, 127), ACT_BACK);
    assert_int_equal(keymap_lookup(&km, 8), ACT_BACK);
    /* digits are left free for counts */
    for (int d = '0'; d <= '9'; d++) assert_int_equal(keymap_lookup(&km, d), ACT_NONE);
    /* every action but "none" has a key and a unique name */
    for (int a = 1; a < ACT__COUNT; a++) {
        char keys[160];
        keymap_keys_for(&km, a, keys, sizeof keys);
        if (!keys[0]) fail_msg("action %s has no default key", ui_action_info(a)->name);
        assert_int_equal(ui_action_by_name(ui_action_info(a)->name), a);
    }
    char keys[160];
    keymap_keys_for(&km, ACT_DOWN, keys, sizeof keys);
    assert_string_equal(keys, "j, Down, ^N");
}

static void test_bind_lines(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    struct error e;
    error_clear(&e);
    assert_int_equal(config_parse(&c, "bind x toggle-read\nbind j none\nbind ^T cycle-theme\nbind Down up\n"
                                      "bind \xC3\xA9 help\n", "cfg", &e), 0);
    struct keymap km;
    keymap_defaults(&km);
    assert_int_equal(keymap_apply_config(&km, &c, "cfg", &e), 0);
    assert_int_equal(keymap_lookup(&km, 'x'), ACT_TOGGLE_READ);
    assert_int_equal(keymap_lookup(&km, 'j'), ACT_NONE);
    assert_int_equal(keymap_lookup(&km, 20), ACT_CYCLE_THEME);
    assert_int_equal(keymap_lookup(&km, UI_KEY_FN + KEY_DOWN), ACT_UP);
    assert_int_equal(keymap_lookup(&km, 0xE9), ACT_HELP);
    char keys[160];
    keymap_keys_for(&km, ACT_DOWN, keys, sizeof keys);
    assert_string_equal(keys, "^N");
    keymap_keys_for(&km, ACT_TOGGLE_READ, keys, sizeof keys);
    assert_string_equal(keys, "m, x");

    static const struct { const char *text, *msg; } bad[] = {
        {"jobs = 2\n\nbind x frobnicate\n", "cfg:3: unknown action \"frobnicate\""},
        {"bind Ctrl-Q quit\n", "cfg:1: unknown key \"Ctrl-Q\""},
        {"bind F13 quit\n", "cfg:1: unknown key \"F13\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        config_defaults(&c);
        error_clear(&e);
        assert_int_equal(config_parse(&c, bad[i].text, "cfg", &e), 0);
        keymap_defaults(&km);
        assert_int_equal(keymap_apply_config(&km, &c, "cfg", &e), -1);
        if (strncmp(e.msg, bad[i].msg, strlen(bad[i].msg)))
            fail_msg("case %zu: got \"%s\", want prefix \"%s\"", i, e.msg, bad[i].msg);
    }
}

static void test_help(void **state)
{
    (void)state;
    struct keymap km;
    keymap_defaults(&km);
    keymap_bind(&km, 'x', ACT_TOGGLE_READ);
    struct strbuf b;
    sb_init(&b);
    keymap_help(&km, &b);
    assert_non_null(strstr(b.s, "#Moving\n"));
    assert_non_null(strstr(b.s, "j, Down, ^N\tdown "));
    assert_non_null(strstr(b.s, "m, x\ttoggle-read "));
    for (int a = 1; a < ACT__COUNT; a++) {
        char want[80];
        snprintf(want, sizeof want, "\t%s ", ui_action_info(a)->name);
        if (!strstr(b.s, want)) fail_msg("help lacks %s", ui_action_info(a)->name);
    }
    /* the help follows the keymap, not the defaults */
    keymap_bind(&km, 'j', ACT_NONE);
    sb_reset(&b);
    keymap_help(&km, &b);
    assert_null(strstr(b.s, "j, Down"));
    assert_non_null(strstr(b.s, "Down, ^N\tdown "));
    sb_free(&b);
}

static void test_reader_config_keys(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.osc8, 0);
    assert_int_equal(c.ascii, -1);
    assert_int_equal(c.open_in_terminal, 0);
    assert_int_equal(c.cursor_line, 1);   /* the whole row, by default (issue 14) */
    struct error e;
    error_clear(&e);
    assert_int_equal(config_parse(&c, "osc8 = yes\nascii = yes\nopen-in-terminal = yes\ncursor-line = on\n"
                                      "open-command = \"w3m -o x %u\"\n", "cfg", &e), 0);
    assert_int_equal(c.osc8, 1);
    assert_int_equal(c.ascii, 1);
    assert_int_equal(c.open_in_terminal, 1);
    assert_int_equal(c.cursor_line, 1);
    assert_string_equal(c.open_command, "w3m -o x %u");
    assert_int_equal(config_parse(&c, "ascii = auto\n", "cfg", &e), 0);
    assert_int_equal(c.ascii, -1);
    assert_int_equal(config_parse(&c, "osc8 = maybe\n", "cfg", &e), -1);
    assert_string_equal(e.msg, "cfg:1: bad value \"maybe\" for osc8 (allowed: yes, no)");
    int found = 0;
    for (const char *const *k = config_keys(); *k; k++) found += !strcmp(*k, "osc8") || !strcmp(*k, "ascii");
    assert_int_equal(found, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_names),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_bind_lines),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_reader_config_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
