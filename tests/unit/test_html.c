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


/* The fast path for plain fragments (html.c) must give what libxml2's parser gives, byte for byte,
 * with and without link numbers: random fragments, some well nested from the tags summaries use,
 * some a soup of tokens that leave the fast path's subset, compared with the libxml2 path alone. */
static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) % n;
}

static const char *const words[] = {"word", "caf\xc3\xa9", " ", "\n", "  ", "x y", "\xe6\x9d\xb1\xe4\xba\xac", "\t",
                                    ">", "\"", "'", "=", "/", "a\r\nb", " end ", "\xc2\xa0", "\f"};
static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&apos;", "&eacute;", "&#39;",
                                   "&#8217;", "&#x1F600;", "&#0;", "&#128;", "&#x9F;", "&bogus;", "&amp",
                                   "& ", "&#;", "&#65", "&#65;", "&#xFFFE;", "&#xD800;", "&AMP;"};
static const char *const opens[] = {
    "<p>", "<div>", "<blockquote>", "<h1>", "<h3>", "<ul>", "<ol>", "<li>", "<b>", "<i>", "<em>",
    "<strong>", "<span>", "<code>", "<br>", "<br/>", "<br />", "<p/>", "<img src='https://e.org/i.png' alt='A cat'>",
    "<img src=\"x\">", "<img alt=\" spaced \" src='https://e.org/j'/>", "<a href=\"https://x.org/\">",
    "<a href='mailto:a@b'>", "<a href=x>", "<A HREF=\"https://X\">", "<P>", "<!-- c -->", "< p>", "<pre>",
    "<table>", "<td>", "<script>", "<font color='red'>", "<p class=\"x\" id='y'>", "<b title>",
    "<a href=\"u\" href=\"v\">", "<img ALT='Up' SRC='https://e.org/u'>", "<a href='https://a.b/?x=1&amp;y=2'>",
    "<li value='3'>", "<span\n class='z'>", "<hr>", "<a>", "<sup>", "<h2 id='x'>"};
static const char *const closes[] = {"</p>", "</div>", "</blockquote>", "</h1>", "</h3>", "</ul>", "</ol>",
                                     "</li>", "</b>", "</i>", "</em>", "</strong>", "</span>", "</code>",
                                     "</a>", "</P>", "</br>", "</ p>", "</pre>", "</font>", "</A>", "</sup>"};
#define PICK(t) (t)[rnd(sizeof(t) / sizeof((t)[0]))]

static void soup(struct strbuf *b)
{
    int n = (int)rnd(14);
    for (int i = 0; i < n; i++) {
        unsigned k = rnd(10);
        sb_adds(b, k < 3 ? PICK(words) : k < 5 ? PICK(ents) : k < 8 ? PICK(opens) : PICK(closes));
    }
}

/* well nested: blocks hold blocks or inline runs, lists hold items, inline holds inline */
static void inline_run(struct strbuf *b, int depth)
{
    static const char *const tags[] = {"b", "i", "em", "strong", "span", "a", "code", "sub"};
    int n = 1 + (int)rnd(4);
    for (int i = 0; i < n; i++) {
        unsigned k = rnd(12);
        if (k < 5) sb_adds(b, PICK(words));
        else if (k < 7) sb_adds(b, PICK(ents));
        else if (k < 8) sb_adds(b, rnd(2) ? "<br>" : "<br />");
        else if (k < 9) sb_adds(b, rnd(2) ? "<img src='https://e.org/p.jpg' alt='pic'>" : "<img src=\"/rel.png\">");
        else if (depth < 4) {
            const char *t = PICK(tags);
            if (!strcmp(t, "a")) sb_printf(b, "<a href=\"%s\">", rnd(3) ? "https://ex.org/a" : "/rel");
            else sb_printf(b, "<%s>", t);
            inline_run(b, depth + 1);
            sb_printf(b, "</%s>", t);
        }
    }
}

static void blocks(struct strbuf *b, int depth)
{
    static const char *const tags[] = {"p", "div", "blockquote", "h2", "ul", "ol", "p", "p"};
    int n = 1 + (int)rnd(4);
    for (int i = 0; i < n; i++) {
        if (rnd(4) == 0) sb_adds(b, rnd(2) ? "\n" : " ");
        const char *t = depth < 3 ? PICK(tags) : "p";
        sb_printf(b, "<%s>", t);
        if (t[1] == 'l') {
            int m = 1 + (int)rnd(3);
            for (int k = 0; k < m; k++) {
                sb_adds(b, rnd(2) ? "<li>" : "\n<li>");
                if (rnd(3) == 0) blocks(b, depth + 1);
                else inline_run(b, 0);
                sb_adds(b, "</li>");
            }
        } else if ((t[0] == 'd' || t[0] == 'b') && rnd(2)) {
            blocks(b, depth + 1);
        } else {
            inline_run(b, 0);
        }
        if (rnd(20)) sb_printf(b, "</%s>", t);
        if (rnd(6) == 0) inline_run(b, 0);    /* text between blocks */
    }
}

/* A random fragment of tags, inline runs and blocks, as the fast path meets them. */
static void fragment(struct strbuf *b)
{
    unsigned k = rnd(4);
    if (k == 0) soup(b);
    else {
        if (k == 1) inline_run(b, 0);
        blocks(b, 0);
        if (rnd(5) == 0) soup(b);
    }
}

typedef char *(*to_text_fn)(struct arena *, const char *, size_t, int);

/* 40,000 fragments from gen, each converted by the fast path and by ref, which must agree. */
static void agree(void (*gen)(struct strbuf *), to_text_fn ref, const char *ref_name)
{
    struct arena a;
    struct strbuf b;
    arena_init(&a);
    sb_init(&b);
    for (int i = 0; i < 40000; i++) {
        sb_reset(&b);
        gen(&b);
        int linked = (int)rnd(2);
        const char *fast = linked ? html_to_text_linked(&a, b.s, b.len) : html_to_text(&a, b.s, b.len);
        const char *r = ref(&a, b.s, b.len, linked);
        if (strcmp(fast, r))
            fail_msg("fragment %d (%s): \"%s\"\n  fast \"%s\"\n  %s \"%s\"", i, linked ? "linked" : "plain",
                     b.s, fast, ref_name, r);
        if (i % 1000 == 999) {
            arena_free(&a);
            arena_init(&a);
        }
    }
    sb_free(&b);
    arena_free(&a);
}

static void test_fast_path_agrees(void **state)
{
    (void)state;
    agree(fragment, html_to_text_libxml, "libxml2");
}

/* The text writer and scans that copy whole words (html.c's emit_text, and its UTF-8 and '<'/'&'
 * scans a word at a time) must give what the byte-at-a-time ones give: random fragments as above,
 * and text soups of what those shortcuts stop at — runs of white space of every kind, U+00A0 next
 * to spaces, other 0xC2 characters, controls, broken UTF-8, <pre> — with words of every length
 * across the 8-byte steps. */
static const char *const bits[] = {"a", "ab", "word", "longerwordthaneight", "caf\xc3\xa9", " ", "  ", "\t", "\n",
                                   "\r\n", "\f", "\xc2\xa0", " \xc2\xa0 ", "\xc2\xb0", "\xc2", "\x01", "\x1f",
                                   "\x7f", "\xe6\x9d\xb1", "\xff", "\xe2\x80", "\xed\xa0\x80", "<pre>", "</pre>",
                                   "<b>", "</b>", "<p>", "&nbsp;", "&amp;", "<br>", "12345678", "x y z"};

static void text_soup(struct strbuf *b)
{
    int n = 1 + (int)rnd(40);
    for (int i = 0; i < n; i++) sb_adds(b, PICK(bits));
}

static void soup_or_fragment(struct strbuf *b)
{
    unsigned k = rnd(3);
    if (k == 0) soup(b);
    else if (k == 1) blocks(b, 0);
    else text_soup(b);
}

static void test_writer_agrees(void **state)
{
    (void)state;
    agree(soup_or_fragment, html_to_text_ref, "reference");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_huge_input),
        cmocka_unit_test(test_looks_like),
        cmocka_unit_test(test_fast_path_agrees),
        cmocka_unit_test(test_writer_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
