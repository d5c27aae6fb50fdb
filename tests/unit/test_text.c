/* SPDX-License-Identifier: ISC */
/* The sanitiser, UTF-8 decoding and display width. */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <locale.h>

#include "text.h"

static char *san(const char *s, int flags)
{
    return text_sanitize_dup(s, strlen(s), 4096, flags);
}

/* No byte that can start a terminal sequence may survive. */
static void assert_terminal_safe(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; p[i]; i++) {
        assert_true(p[i] != 0x1B && p[i] != 0x07 && p[i] != 0x9B && p[i] != 0x9D && p[i] != 0x9C);
        assert_true(p[i] >= 0x20 || p[i] == '\n' || p[i] == '\t');
        if (p[i] == 0xC2) assert_false(p[i + 1] >= 0x80 && p[i + 1] <= 0x9F);   /* C1 as UTF-8 */
    }
    assert_true(text_is_clean(s, TEXT_MULTILINE | TEXT_KEEP_TABS));
}

static void test_manifest_sequences(void **state)
{
    (void)state;
    struct stat st;
    char path[4096];
    snprintf(path, sizeof path, "%s/feeds/malformed/manifest.json", fixtures_dir());
    if (stat(path, &st) != 0) {
        printf("fixtures not found at %s: skipping the manifest sequences\n", fixtures_dir());
        skip();
    }
    size_t len;
    char *buf = fixture_read("feeds/malformed/manifest.json", &len);
    cJSON *m = cJSON_Parse(buf);
    assert_non_null(m);
    cJSON *seqs = cJSON_GetObjectItem(m, "sequences");
    int n = 0;
    cJSON *seq;
    cJSON_ArrayForEach(seq, seqs) {
        char in[512];
        snprintf(in, sizeof in, "Before %s After", seq->valuestring);
        char *out = san(in, 0);
        assert_terminal_safe(out);
        assert_non_null(strstr(out, "Before"));
        assert_non_null(strstr(out, "After"));
        free(out);
        n++;
    }
    assert_int_equal(n, 5);
    cJSON_Delete(m);
    free(buf);
}

static void test_controls_removed_text_kept(void **state)
{
    (void)state;
    char *o = san("Before \x1b]8;;https://evil.example/phish\x1b\\click me\x1b]8;;\x1b\\ After", 0);
    assert_non_null(strstr(o, "click me"));
    assert_null(strchr(o, 0x1b));
    free(o);
    o = san("a\x07" "b\x7f" "c\xc2\x9b" "31m d", 0);
    assert_string_equal(o, "abc31m d");
    free(o);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* overlong, lone continuation, truncated, surrogate, above U+10FFFF, raw 0x9B, FF FE */
    const char *in = "x\xc0\xaf" "\x80" "\xe2\x82" "\xed\xa0\x80" "\xf4\x90\x80\x80" "\x9b" "\xff\xfe" "y";
    char *o = text_sanitize_dup(in, strlen(in), 4096, 0);
    assert_true(text_is_clean(o, 0));
    assert_int_equal(o[0], 'x');
    assert_int_equal(o[strlen(o) - 1], 'y');
    assert_non_null(strstr(o, "\xef\xbf\xbd"));
    assert_null(strstr(o, "\xc2\x9b"));
    free(o);
}

static void test_nul_and_bidi(void **state)
{
    (void)state;
    const char in[] = "a\0b\xe2\x80\xae" "c\xe2\x81\xa6" "d";
    char *o = text_sanitize_dup(in, sizeof in - 1, 4096, 0);
    assert_string_equal(o, "abcd");
    free(o);
}

/* Issue 17.5: what can hide or reorder text goes, one class at a time; what scripts need stays. */
static void expect_san(const char *in, const char *want)
{
    char *o = san(in, 0);
    if (strcmp(o, want)) fail_msg("sanitised \"%s\" to \"%s\", want \"%s\"", in, o, want);
    assert_true(text_is_clean(o, 0));
    free(o);
}

static void test_invisible_characters(void **state)
{
    (void)state;
    /* invisible operators U+2061..2064 */
    expect_san("f\u2061(x)\u2062y\u2063z\u2064w", "f(x)yzw");
    /* deprecated format characters U+206A..206F */
    expect_san("a\u206Ab\u206Bc\u206Cd\u206De\u206Ef\u206Fg", "abcdefg");
    /* Mongolian vowel separator U+180E */
    expect_san("a\u180Eb", "ab");
    /* interlinear annotations U+FFF9..FFFB */
    expect_san("x\uFFF9ruby\uFFFAbase\uFFFBy", "xrubybasey");
    /* musical symbol format controls U+1D173..1D17A */
    expect_san("m\U0001D173u\U0001D17As", "mus");
    /* Egyptian hieroglyph format controls U+13430..1343F */
    expect_san("h\U00013430i\U0001343Fe", "hie");
    /* tag characters: U+E0001 and U+E0020..E007F outside a flag's tag sequence */
    expect_san("Weather today\U000E0001\U000E0068\U000E0069\U000E0064\U000E0065\U000E007F",
               "Weather today");
    expect_san("a\U000E0020\U000E0041\U000E007Eb", "ab");
    /* the England flag (black flag + g b e n g + cancel tag) stays whole */
    const char *eng = "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F";
    char want[64];
    snprintf(want, sizeof want, "go %s!", eng);
    char in[64];
    snprintf(in, sizeof in, "go %s!", eng);
    expect_san(in, want);
    /* a black flag followed by a broken tag sequence keeps the flag, loses the tags */
    expect_san("\U0001F3F4\U000E0067\U000E0062x", "\U0001F3F4x");
    /* runs of zero-width characters collapse to their first */
    expect_san("a\u200B\u200B\u200C\u200D\u2060b", "a\u200Bb");
    expect_san("a\u2060\u2060\u2060b", "a\u2060b");
    /* ZWJ in an emoji sequence (man ZWJ woman ZWJ girl), ZWNJ in Persian, soft hyphen: kept */
    expect_san("\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F468\u200D\U0001F469\u200D\U0001F467");
    expect_san("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645");
    expect_san("co\u00ADop", "co\u00ADop");
    /* LRM, RLM and ALM stay once the overrides and isolates are gone */
    expect_san("\u05E9\u05DC\u05D5\u05DD\u200F \u202E(\u200Etest\u200E)\u2067x\u2069 \u061C",
               "\u05E9\u05DC\u05D5\u05DD\u200F (\u200Etest\u200E)x \u061C");
    /* a cut never splits a flag's tag sequence (found by fuzz_text): for every bound, the result
     * is clean and ends in the flag alone or the whole sequence */
    char longer[128];
    snprintf(longer, sizeof longer, "abcdefgh %s %s tail", eng, eng);
    for (size_t max = 8; max < strlen(longer) + 4; max++) {
        char *o = text_sanitize_dup(longer, strlen(longer), max, 0);
        if (!text_is_clean(o, 0)) fail_msg("bound %zu cut a tag sequence", max);
        free(o);
    }
    /* text_is_clean agrees */
    assert_false(text_is_clean("a\u2062b", 0));
    assert_false(text_is_clean("a\U000E0041b", 0));
    assert_false(text_is_clean("a\u200B\u200Bb", 0));
    assert_true(text_is_clean("a\u200Fb\u200Eb", 0));
}

static void test_lines_and_trim(void **state)
{
    (void)state;
    char *o = san("  one\r\ntwo  \t three \n\n", 0);
    assert_string_equal(o, "one two three");
    free(o);
    o = san("  one\r\ntwo   three \n\nfour", TEXT_MULTILINE);
    assert_string_equal(o, "one\ntwo three\n\nfour");
    free(o);
}

static void test_truncation(void **state)
{
    (void)state;
    /* 10 MiB title: bounded output, cut on a character boundary with an ellipsis */
    size_t n = 10u << 20;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i += 2) { big[i] = '\xc3'; big[i + 1] = '\xa9'; }   /* é */
    big[n] = 0;
    char *o = text_sanitize_dup(big, n, TEXT_MAX_TITLE, 0);
    assert_true(strlen(o) <= TEXT_MAX_TITLE);
    assert_true(text_is_clean(o, 0));
    assert_string_equal(o + strlen(o) - 3, "\xe2\x80\xa6");
    free(o);
    free(big);
}

/* Runs of printable ASCII take a shortcut; its bounds and spaces must match the general path. */
static void ascii_case(const char *in, size_t max, int flags, const char *want)
{
    char *o = text_sanitize_dup(in, strlen(in), max, flags);
    assert_string_equal(o, want);
    assert_true(strlen(o) <= max);
    free(o);
}

static void test_ascii_runs(void **state)
{
    (void)state;
    ascii_case("abcdefgh", 8, 0, "abcdefgh");             /* fits exactly: no ellipsis */
    ascii_case("abcdefghij", 8, 0, "abcde\xe2\x80\xa6");   /* cut, ellipsis within the bound */
    ascii_case("abcdefg h", 8, 0, "abcde\xe2\x80\xa6");    /* the space and the h do not fit */
    ascii_case("abcdef h", 8, 0, "abcdef h");
    ascii_case("  ab   cd\t\x1b[31mef  ", 64, 0, "ab cd [31mef");
    ascii_case("ab\x7f\x01" "cd", 64, 0, "abcd");
    ascii_case("ab  cd ", 64, TEXT_NO_TRIM, "ab  cd ");
    ascii_case("x\xc3\xa9y\xffz", 64, 0, "x\xc3\xa9y\xef\xbf\xbdz");
    ascii_case("one\n two", 64, TEXT_MULTILINE, "one\ntwo");
}

static void test_width(void **state)
{
    (void)state;
    /* the same answers from the table (C locale) and from wcwidth (UTF-8 locale) */
    for (int pass = 0; pass < 2; pass++) {
    if (pass == 1 && !setlocale(LC_CTYPE, "C.UTF-8")) break;
    assert_int_equal(text_width("abc"), 3);
    assert_int_equal(text_width("日本語"), 6);
    assert_int_equal(text_width("\xf0\x9f\x8e\xac"), 2);          /* 🎬 */
    assert_int_equal(text_width("e\xcc\x81"), 1);                  /* e + combining acute */
    assert_int_equal(text_width("한국"), 4);
    int used;
    size_t b = text_fit("日本語", 5, &used);
    assert_int_equal(b, 6);
    assert_int_equal(used, 4);
    }
    setlocale(LC_CTYPE, "C");
}

static void test_wrap(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb);
    text_wrap(&sb, "the quick brown fox jumps over the lazy dog", 10);
    assert_string_equal(sb.s, "the quick\nbrown fox\njumps over\nthe lazy\ndog\n");
    sb_free(&sb);
}

/* Issue 17, point 7: a cut by bytes into a fixed buffer loses the half character at its end. */
static void test_trim_partial(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } v[] = {
        {"ab\xC3", "ab"}, {"ab\xC3\xA9", "ab\xC3\xA9"}, {"a\xE6\x97", "a"}, {"a\xE6\x97\xA5", "a\xE6\x97\xA5"},
        {"a\xF0\x9F\x91", "a"}, {"a\xF0\x9F\x91\xA8", "a\xF0\x9F\x91\xA8"}, {"", ""}, {"abc", "abc"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "%s", v[i].in);
        text_trim_partial(buf);
        assert_string_equal(buf, v[i].out);
    }
    /* what the reader's buffers do: 300 bytes of "é" cut at an odd size */
    char big[301], src[700] = "";
    for (int i = 0; i < 300; i++) strcat(src, "\xC3\xA9");
    snprintf(big, sizeof big, "x%s", src);
    text_trim_partial(big);
    assert_true(text_is_clean(big, 0));
}

/* The sanitiser's shortcuts (letters copied without a decode, runs of words copied a word at a
 * time, a single space between words written at once) must give what its careful path gives:
 * random strings of what they stop at — every kind of space and control, C1 and U+180E (whose
 * bytes look like letters'), U+00A0, broken and overlong UTF-8, surrogates, bidi and zero-width
 * characters, flags with tags, U+FFFE — with every flag and caps small enough to cut anywhere. */
static unsigned fast_rnd_state = 4242;
static unsigned fast_rnd(unsigned n)
{
    fast_rnd_state = fast_rnd_state * 1103515245u + 12345u;
    return (fast_rnd_state >> 8) % n;
}

static void test_shortcuts_agree(void **state)
{
    static const char *const bits[] = {
        "a", "ab", "word", "eightchr", "a-longer-run-of-ascii/with?url=1&x", " ", "  ", "   ", "\t", "\n", "\r",
        "\r\n", "\x01", "\x1b[31m", "\x7f", "caf\xc3\xa9", "\xc3\xa9", "\xc2\xa0", "\xc2\x85", "\xc2\x9b",
        "\xc2\xbf", "\xdf\xbf", "\xc2", "\xc3", "\xe1\xa0\x8e", "\xe1\x80\x80", "\xe3\x80\x80", "\xe6\x9d\xb1",
        "\xec\xbf\xbf", "\xed\x9f\xbf", "\xed\xa0\x80", "\xef\xbf\xbe", "\xef\xbb\xbf", "\xe2\x80\xae",
        "\xe2\x80\x8b", "\xe2\x80\x8b\xe2\x80\x8b", "\xe2\x80\xa8", "\xe6\x9d", "\xe6", "\xc0\xaf",
        "\xe0\x80\xaf", "\xf0\x9f\x98\x80", "\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xbf",
        "\xf3\xa0\x80\x81", "\xff", "\x80", "\xd0\xb2\xd0\xb5", "x y", "1 2 3 4 5 6 7 8 9"};
    static const int flagsets[] = {0, TEXT_MULTILINE, TEXT_KEEP_TABS, TEXT_NO_TRIM, TEXT_MULTILINE | TEXT_KEEP_TABS,
                                   TEXT_MULTILINE | TEXT_NO_TRIM | TEXT_KEEP_TABS};
    struct arena a;
    struct strbuf b;
    arena_init(&a);
    sb_init(&b);
    for (int i = 0; i < 60000; i++) {
        sb_reset(&b);
        int n = 1 + (int)fast_rnd(30);
        for (int k = 0; k < n; k++) sb_adds(&b, bits[fast_rnd(sizeof bits / sizeof bits[0])]);
        size_t len = b.len;
        if (fast_rnd(4) == 0 && len) len = fast_rnd((unsigned)len) + 1;   /* cut anywhere, even in a character */
        size_t max = fast_rnd(3) ? 8 + fast_rnd(60) : 4096;
        int flags = flagsets[fast_rnd(sizeof flagsets / sizeof flagsets[0])];
        const char *fast = text_sanitize(&a, b.s, len, max, flags);
        const char *slow = text_sanitize_slow(&a, b.s, len, max, flags);
        if (strcmp(fast, slow))
            fail_msg("string %d (len %zu, max %zu, flags %d): \"%.*s\"\n  fast \"%s\"\n  slow \"%s\"", i, len, max,
                     flags, (int)len, b.s, fast, slow);
        if (i % 1000 == 999) {
            arena_free(&a);
            arena_init(&a);
        }
    }
    sb_free(&b);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls_removed_text_kept),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_and_bidi),
        cmocka_unit_test(test_invisible_characters),
        cmocka_unit_test(test_lines_and_trim),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_ascii_runs),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_trim_partial),
        cmocka_unit_test(test_manifest_sequences),
        cmocka_unit_test(test_shortcuts_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
