/* SPDX-License-Identifier: ISC */
/* html_to_text: what a reader sees of the HTML in summaries — paragraphs, breaks, bullets, image
 * alt text, no scripts, decoded entities — and that hostile HTML (deep nesting, huge input,
 * control bytes, broken UTF-8) costs bounded time and no crash. */
#include "testutil.h"

#include "html.h"
#include "text.h"

static const struct { const char *html, *want; } cases[] = {
    {"<p>Hello</p><p>World</p>", "Hello\n\nWorld"},
    {"a<br>b", "a\nb"},
    {"a<br><br>b", "a\n\nb"},
    {"a<br/><br/><br/><br/>b", "a\n\nb"},                        /* at most one blank line */
    {"<div><div>a</div></div><div>b</div>", "a\nb"},
    {"one<p>two</p>three", "one\n\ntwo\n\nthree"},
    {"<ul><li>one</li><li>two</li></ul>", "\xe2\x80\xa2 one\n\xe2\x80\xa2 two"},
    {"<ol><li>x<ul><li>sub</li></ul></li></ol>after", "\xe2\x80\xa2 x\n  \xe2\x80\xa2 sub\n\nafter"},
    {"<h1>Title</h1>text", "Title\n\ntext"},
    {"<h6>t</h6>x", "t\n\nx"},
    {"<blockquote>q</blockquote>after", "q\n\nafter"},
    {"<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
    {"<script>alert(1)</script>text<style>p{color:red}</style>", "text"},
    {"<html><head><title>T</title><style>x</style></head><body>B</body></html>", "B"},
    {"  lots   of \n\n <b>white</b>  space  ", "lots of white space"},
    {"text <a href='https://x'>link</a>, more.", "text link, more."},
    {"<img src=x alt='A cat'>", "[image: A cat]"},
    {"see <img src=x alt=' spaced  alt '> here", "see [image: spaced alt] here"},
    {"x<img src=x>y", "xy"},
    {"<img alt=''>z", "z"},
    {"&amp; &lt; &gt; &quot; &eacute; &#8217; &#x1F600; &bogus;",
     "& < > \" \xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80 &bogus;"},
    {"<p>a&nbsp;&nbsp;b</p>", "a  b"},
    {"<pre>a\n  b</pre>c", "a\n  b\n\nc"},
    {"<!-- comment --><p>x</p>", "x"},
    {"<p>unclosed <b>bold", "unclosed bold"},
    {"</p>stray</div>", "stray"},
    {"<meta charset=iso-8859-1><p>caf\xc3\xa9</p>", "caf\xc3\xa9"},     /* no Latin-1 guessing */
    {"plain line 1\nplain line 2", "plain line 1\nplain line 2"},      /* not HTML: kept as is */
    {"", ""},
};

static void test_cases(void **state)
{
    struct arena a;
    arena_init(&a);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = html_to_text(&a, cases[i].html, strlen(cases[i].html));
        assert_non_null(got);
        if (strcmp(got, cases[i].want))
            fail_msg("html_to_text(\"%s\")\n  = \"%s\"\n want \"%s\"", cases[i].html, got, cases[i].want);
    }
    assert_string_equal(html_to_text(&a, NULL, 0), "");
    arena_free(&a);
}

/* Control bytes and broken UTF-8 never pass through; the text around them stays. */
static void test_hostile_bytes(void **state)
{
    struct arena a;
    arena_init(&a);
    const char *esc = "<p>\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\\x07</p>";
    const char *got = html_to_text(&a, esc, strlen(esc));
    assert_non_null(strstr(got, "click me"));
    assert_null(strchr(got, 0x1b));
    assert_null(strchr(got, 0x07));

    const char *bad = "\xff<b>x</b>\xc0\xaf";
    got = html_to_text(&a, bad, strlen(bad));
    assert_non_null(strstr(got, "x"));
    assert_true(text_is_clean(got, TEXT_MULTILINE));
    arena_free(&a);
}

static char *repeat(const char *open, size_t n, const char *mid, const char *close, size_t *len)
{
    size_t lo = strlen(open), lm = strlen(mid), lc = close ? strlen(close) : 0;
    char *s = malloc(n * (lo + lc) + lm + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++, o += lo) memcpy(s + o, open, lo);
    memcpy(s + o, mid, lm);
    o += lm;
    for (size_t i = 0; close && i < n; i++, o += lc) memcpy(s + o, close, lc);
    s[o] = 0;
    *len = o;
    return s;
}

static void test_deep_nesting(void **state)
{
    struct arena a;
    arena_init(&a);
    size_t len;
    char *s = repeat("<div>", 50000, "deep", "</div>", &len);
    double t0 = now_ms();
    const char *got = html_to_text(&a, s, len);
    assert_string_equal(got, "deep");
    free(s);
    s = repeat("<b><i>", 100000, "unclosed", NULL, &len);
    got = html_to_text(&a, s, len);
    assert_string_equal(got, "unclosed");
    free(s);
    assert_true(now_ms() - t0 < 5000);
    arena_free(&a);
}

/* Input past 1 MiB is cut, so the output stays bounded whatever comes in. */
static void test_huge_input(void **state)
{
    struct arena a;
    arena_init(&a);
    size_t len;
    char *s = repeat("<p>word word word</p>", 300000, "END", NULL, &len);    /* ~6 MiB */
    const char *got = html_to_text(&a, s, len);
    assert_true(strlen(got) <= (1u << 20));
    assert_null(strstr(got, "END"));
    assert_non_null(strstr(got, "word word word"));
    free(s);
    arena_free(&a);
}

static void test_looks_like(void **state)
{
    static const struct { const char *s; int want; } c[] = {
        {"<p>x</p>", 1}, {"a <b>bold</b>", 1}, {"<br/>", 1}, {"<!-- c -->", 1}, {"AT&amp;T", 1},
        {"caf&#233;", 1}, {"&#x1F600;", 1}, {"a < b", 0}, {"x<y", 0}, {"fish & chips", 0},
        {"plain text", 0}, {"", 0}, {"a&b;", 0},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        if (html_looks_like(c[i].s, strlen(c[i].s)) != c[i].want)
            fail_msg("html_looks_like(\"%s\") != %d", c[i].s, c[i].want);
    assert_false(html_looks_like(NULL, 0));

    /* "<a<a<a..." without any '>' must be answered in one pass, not one scan per '<' */
    size_t n = 4u << 20;
    char *s = malloc(n);
    for (size_t i = 0; i < n; i += 2) { s[i] = '<'; s[i + 1] = 'a'; }
    double t0 = now_ms();
    assert_false(html_looks_like(s, n));
    assert_true(now_ms() - t0 < 1000);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_huge_input),
        cmocka_unit_test(test_looks_like),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
