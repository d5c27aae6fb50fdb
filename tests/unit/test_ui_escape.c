/* SPDX-License-Identifier: ISC */
/* The escape sequences and commands winnow makes from URLs: base64 and OSC 52 for `y`, the OSC 8
 * target, the open-command's argv (one element per URL, never a shell), and spawning it. */
#include "testutil.h"

#include "ui.h"

static void test_base64(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } v[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *b = ui_base64((const unsigned char *)v[i].in, strlen(v[i].in));
        assert_string_equal(b, v[i].out);
        free(b);
    }
    unsigned char bin[] = {0xff, 0x00, 0x1b, 0x07};
    char *b = ui_base64(bin, sizeof bin);
    assert_string_equal(b, "/wAbBw==");
    free(b);
}

static void test_osc(void **state)
{
    (void)state;
    char *s = ui_osc52("https://x");
    assert_string_equal(s, "\033]52;c;aHR0cHM6Ly94\a");
    free(s);
    assert_null(ui_osc52(""));
    /* whatever the text, the payload is base64: nothing in it can end the sequence */
    s = ui_osc52("a\033]52;c;evil\a\x9c");
    assert_null(strchr(s + 7, '\033'));
    assert_int_equal(strchr(s, '\a') - s, (long)strlen(s) - 1);
    free(s);

    s = ui_osc8_url("https://a.example/x y;z\033\a\xC3\xA9?q=1&r=%41");
    assert_string_equal(s, "https://a.example/x%20y%3Bz%1B%07%C3%A9?q=1&r=%41");
    free(s);
    assert_null(ui_osc8_url(""));
}

static int argv_is(char **argv, const char *const *want)
{
    size_t i = 0;
    for (; want[i]; i++)
        if (!argv || !argv[i] || strcmp(argv[i], want[i])) return 0;
    return argv[i] == NULL;
}

static void test_open_argv(void **state)
{
    (void)state;
    const char *url = "https://x.example/a;b $(rm -rf ~) `id` 'q' \"d\"";
    char **a = ui_open_argv("xdg-open", url);
    assert_true(argv_is(a, (const char *const[]){"xdg-open", url, NULL}));
    ui_argv_free(a);
    a = ui_open_argv("  firefox   --new-tab ", url);
    assert_true(argv_is(a, (const char *const[]){"firefox", "--new-tab", url, NULL}));
    ui_argv_free(a);
    a = ui_open_argv("'/opt/my browser/run' %u --x", "https://a");
    assert_true(argv_is(a, (const char *const[]){"/opt/my browser/run", "https://a", "--x", NULL}));
    ui_argv_free(a);
    a = ui_open_argv("w3m -o \"x y\" --url=%u", "https://a");
    assert_true(argv_is(a, (const char *const[]){"w3m", "-o", "x y", "--url=https://a", NULL}));
    ui_argv_free(a);
    /* a URL holding %u is not expanded again */
    a = ui_open_argv("open %u", "https://a/%u");
    assert_true(argv_is(a, (const char *const[]){"open", "https://a/%u", NULL}));
    ui_argv_free(a);
    assert_null(ui_open_argv("", url));
    assert_null(ui_open_argv("   ", url));
    assert_null(ui_open_argv("'unclosed", url));
}

/* Issue 17: a mailto: link's attach (any spelling) is dropped before it reaches an opener. */
static void test_mailto_attach(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } v[] = {
        {"mailto:a@b.example?subject=hi&attach=/etc/passwd&body=x", "mailto:a@b.example?subject=hi&body=x"},
        {"MAILTO:a@b.example?Attachment=%2Fhome%2Fu%2F.ssh%2Fid_rsa", "MAILTO:a@b.example"},
        {"mailto:a@b.example?%61ttach=/x&attach=/y&cc=c@d.example#f", "mailto:a@b.example?cc=c@d.example#f"},
        {"mailto:a@b.example", "mailto:a@b.example"},
        {"https://x.example/?attach=1", "https://x.example/?attach=1"},   /* only mailto: */
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *s = ui_mailto_clean(v[i].in);
        assert_string_equal(s, v[i].out);
        free(s);
    }
    char *o = ui_osc8_url("mailto:a@b.example?attach=/etc/passwd");
    assert_string_equal(o, "mailto:a@b.example");
    free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_osc),
        cmocka_unit_test(test_open_argv),
        cmocka_unit_test(test_mailto_attach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
