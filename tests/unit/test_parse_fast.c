/* SPDX-License-Identifier: ISC */
/* The feed parser's shortcuts agree with its careful paths (issue 19): the word-at-a-time byte
 * scans, the check that lets xmlprep_fix_refs return at once, the charset pass that spares
 * xmlprep_repair its own, and the JSON the enclosures are written as without a cJSON tree.  Each
 * is compared with the path it stands in for on random inputs made of what it must stop at. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "../../src/sources/charset.h"
#include "../../src/sources/feed_xml.h"
#include "../../src/sources/feedutil.h"
#include "../../src/sources/utf8run.h"
#include "../../src/sources/xmlprep.h"
#include "source.h"
#include "text.h"

static unsigned rnd_state = 777;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) % n;
}

#define PICK(t) (t)[rnd(sizeof(t) / sizeof((t)[0]))]

static int little_endian(void)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return 1;
#else
    return 0;
#endif
}

/* What a word-at-a-time scan must return, given where the first byte it stops at is: that byte
 * when it lies in a whole word, else where the tail shorter than a word starts (the caller's). */
static void check_scan(const char *what, size_t got, size_t first, size_t n)
{
    size_t whole = n & ~(size_t)7;
    size_t want = first < whole ? first : whole;
    if (little_endian() ? got != want : (got > want || got % 8))
        fail_msg("%s: %zu, want %zu (first stop %zu of %zu)", what, got, want, first, n);
}

static void test_scans(void **state)
{
    static const unsigned char pool[] = {'a', 'Z', ' ', '~', '<', '&', '"', '\'', '>', 0x7F, 0x1F, 0x00, '\t',
                                         '\n', 0x80, 0xC2, 0xE6, 0xFF, 0x20, 0x21};
    unsigned char u[64];
    for (int t = 0; t < 200000; t++) {
        size_t n = rnd(sizeof u + 1);
        int dense = (int)rnd(4);   /* mostly letters, so the stop lands anywhere in a word */
        for (size_t i = 0; i < n; i++) u[i] = dense ? (rnd(8) ? 'a' + (unsigned char)rnd(26) : PICK(pool)) : PICK(pool);
        size_t f;
        for (f = 0; f < n && u[f] >= 0x20 && u[f] < 0x80; f++) {}
        check_scan("utf8run_ascii", utf8run_ascii(u, n, 0), f, n);
        for (f = 0; f < n && u[f] < 0x80; f++) {}
        check_scan("utf8run_ascii (controls ok)", utf8run_ascii(u, n, 1), f, n);
        for (f = 0; f < n && u[f] >= 0x20 && u[f] < 0x7F; f++) {}
        check_scan("utf8run_printable", utf8run_printable(u, n), f, n);
        for (f = 0; f < n && u[f] != '<' && u[f] != '&'; f++) {}
        check_scan("utf8run_until2", utf8run_until2(u, n, '<', '&'), f, n);
        for (f = 0; f < n && u[f] != '"' && u[f] != '\'' && u[f] != '>'; f++) {}
        check_scan("utf8run_until3", utf8run_until3(u, n, '"', '\'', '>'), f, n);
    }
}

/* Documents of tags, values, text, CDATA, comments and processing instructions, with references
 * of every kind in each place: both passes must give the same bytes, or both nothing. */
static void random_doc(struct strbuf *b)
{
    static const char *const refs[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#65;", "&#x41;", "&#X41;",
                                       "&nbsp;", "&eacute;", "&bogus;", "&", "& ", "&amp", "&#;", "&#x;",
                                       "&a.b-c;", "&1a;", "&AMP;", "&lt", "&#12345678901234567;"};
    static const char *const text[] = {"text", " ", "caf\xc3\xa9", "\"", "'", ">", "]]", "-->", "?>", "x=y", "<"};
    static const char *const opens[] = {"<item>", "<a href=\"", "<a href='", "<b x=\"1\" y='", "<link>",
                                        "<![CDATA[", "<!-- ", "<?pi ", "</item>", "<_x>", "<1>"};
    static const char *const closes[] = {"\">", "'>", "\"/>", "]]>", " -->", "?>", ">", "'", "\""};
    int n = 1 + (int)rnd(30);
    for (int i = 0; i < n; i++) {
        unsigned k = rnd(10);
        sb_adds(b, k < 3 ? PICK(refs) : k < 6 ? PICK(text) : k < 8 ? PICK(opens) : PICK(closes));
    }
}

static void test_fix_refs_agree(void **state)
{
    struct strbuf b;
    sb_init(&b);
    int quick_nulls = 0;
    for (int t = 0; t < 100000; t++) {
        sb_reset(&b);
        if (rnd(3) == 0) {
            /* plain references only, often: the case the quick check answers by itself */
            int n = 1 + (int)rnd(12);
            for (int i = 0; i < n; i++) sb_adds(&b, rnd(2) ? "<p a=\"&amp;&#x41;\">t&lt;x&gt;</p>" : "&quot; &apos; &#9;");
        } else {
            random_doc(&b);
        }
        size_t fn = 0, sn = 0;
        char *fast = xmlprep_fix_refs(b.s, b.len, &fn);
        char *slow = xmlprep_fix_refs_slow(b.s, b.len, &sn);
        if (!fast != !slow || (fast && (fn != sn || memcmp(fast, slow, fn))))
            fail_msg("doc %d \"%s\": fast \"%.*s\", slow \"%.*s\"", t, b.s, fast ? (int)fn : 6,
                     fast ? fast : "(none)", slow ? (int)sn : 6, slow ? slow : "(none)");
        quick_nulls += !fast;
        free(fast);
        free(slow);
    }
    assert_true(quick_nulls > 1000);
    sb_free(&b);
}

/* A feed whose title and description hold random bytes: the charset pass's verdict lets the parse
 * skip xmlprep_repair only when repair would change nothing, and the items are the same either way. */
static void random_feed(struct strbuf *b)
{
    static const char *const bits[] = {"a", "word ", "caf\xc3\xa9", "\xe6\x9d\xb1", "\x01", "\x08", "\x0b", "\x1f",
                                       "\t", "\n", "\r", "\x7f", "\xc2\x85", "\xef\xbf\xbe", "\xef\xbf\xbf",
                                       "\xef\xbf\xbd", "\xef\xbb\xbf", "\xff", "\x80", "\xc3", "\xe6\x9d", "\xc0\xaf",
                                       "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98\x80", "&amp;", "&#x41;"};
    static const char *const decls[] = {"", "<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
                                        "<?xml version=\"1.0\" encoding=\"UTF8\"?>", "\xef\xbb\xbf",
                                        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"};
    /* half of them clean (the first 5 bits, the tab, the newline and the references) */
    static const char *const clean_bits[] = {"a", "word ", "caf\xc3\xa9", "\xe6\x9d\xb1", "\t", "\n", "\xef\xbf\xbd",
                                             "\xf0\x9f\x98\x80", "&amp;", "&#x41;"};
    int dirty = (int)rnd(2);
#define BIT() (dirty ? PICK(bits) : PICK(clean_bits))
    sb_adds(b, PICK(decls));
    sb_adds(b, "<rss version=\"2.0\"><channel><title>c</title>");
    int items = 1 + (int)rnd(3);
    for (int i = 0; i < items; i++) {
        sb_printf(b, "<item><guid>g%d</guid><title>", i);
        int n = (int)rnd(8);
        for (int k = 0; k < n; k++) sb_adds(b, BIT());
        sb_adds(b, "</title><description>");
        n = (int)rnd(12);
        for (int k = 0; k < n; k++) sb_adds(b, BIT());
        sb_adds(b, "</description></item>");
    }
    sb_adds(b, "</channel></rss>");
#undef BIT
}

static void same_items(int t, const struct item_sink *x, const struct item_sink *y)
{
    assert_int_equal(x->n, y->n);
    for (size_t i = 0; i < x->n; i++) {
        const struct item *a = &x->items[i], *c = &y->items[i];
        const char *fa[] = {a->guid, a->title, a->summary, a->url}, *fc[] = {c->guid, c->title, c->summary, c->url};
        for (size_t k = 0; k < 4; k++)
            if (!fa[k] != !fc[k] || (fa[k] && strcmp(fa[k], fc[k])))
                fail_msg("feed %d item %zu field %zu: \"%s\" and \"%s\"", t, i, k, fa[k] ? fa[k] : "(null)",
                         fc[k] ? fc[k] : "(null)");
    }
}

static void test_clean_verdict(void **state)
{
    struct strbuf b;
    sb_init(&b);
    int skipped = 0;
    for (int t = 0; t < 20000; t++) {
        sb_reset(&b);
        random_feed(&b);
        char used[CHARSET_NAME_MAX];
        size_t cn = 0, rn = 0;
        int clean = -1;
        char *conv = charset_to_utf8_checked(b.s, b.len, NULL, 1, &cn, used, &clean);
        const char *s = conv ? conv : b.s;
        size_t n = conv ? cn : b.len;
        char *fixed = xmlprep_repair(s, n, &rn);
        if (clean && fixed) fail_msg("feed %d: clean, yet repair changes it: \"%s\"", t, b.s);
        free(fixed);
        skipped += clean;

        struct item_sink x, y;
        struct error ex = {{0}}, ey = {{0}};
        item_sink_init(&x);
        item_sink_init(&y);
        int rx = fx_parse_utf8_clean(s, n, NULL, &x, &ex, clean);
        int ry = fx_parse_utf8(s, n, NULL, &y, &ey);
        assert_int_equal(rx, ry);
        assert_string_equal(ex.msg, ey.msg);
        same_items(t, &x, &y);
        item_sink_free(&x);
        item_sink_free(&y);
        free(conv);
    }
    assert_true(skipped > 1000);
    sb_free(&b);
}

/* feed_json_str and feed_json_count against cJSON's own printing. */
static void test_json_like_cjson(void **state)
{
    static const char *const bits[] = {"a", "http://e.org/x.mp3?a=1&b=2", "\"", "\\", "/", "\b", "\f", "\n", "\r",
                                       "\t", "\x01", "\x1f", "\x7f", "caf\xc3\xa9", "\xe6\x9d\xb1", "\xf0\x9f\x98\x80",
                                       " ", "'", "<>", "\xff"};
    struct strbuf b, out;
    sb_init(&b);
    sb_init(&out);
    for (int t = 0; t < 20000; t++) {
        sb_reset(&b);
        sb_reset(&out);
        int n = (int)rnd(10);
        for (int k = 0; k < n; k++) sb_adds(&b, PICK(bits));
        feed_json_str(&out, b.s ? b.s : "");
        cJSON *js = cJSON_CreateString(b.s ? b.s : "");
        char *want = cJSON_PrintUnformatted(js);
        assert_string_equal(out.s, want);
        free(want);
        cJSON_Delete(js);

        sb_reset(&out);
        int64_t v = (int64_t)rnd(1000000000);
        for (unsigned k = rnd(3); k; k--) v = v * 1000 + (int64_t)rnd(1000);
        if (rnd(10) == 0) v = (int64_t)rnd(2) ? 999999999999999LL : 1000000000000000LL + (int64_t)rnd(1000);
        int ok = feed_json_count(&out, v);
        cJSON *jn = cJSON_CreateNumber((double)v);
        want = cJSON_PrintUnformatted(jn);
        if (v < 1000000000000000LL) {
            assert_true(ok);
            assert_string_equal(out.s, want);
        } else {
            assert_false(ok);   /* the caller takes cJSON's path */
        }
        free(want);
        cJSON_Delete(jn);
    }
    sb_free(&b);
    sb_free(&out);
}

/* The enclosures' JSON in a parsed item is what cJSON printed, big lengths included. */
static void test_enclosures_json(void **state)
{
    static const char doc[] =
        "<rss version=\"2.0\"><channel><title>c</title><item><guid>g</guid><title>t</title>"
        "<enclosure url=\"https://e.org/a&quot;b\\c.mp3\" length=\"1234\" type=\"audio/mpeg\"/>"
        "<enclosure url=\"https://e.org/big.mp4\" length=\"2000000000000000\" type=\"video/mp4\"/>"
        "<enclosure url=\"https://e.org/none.ogg\"/></item></channel></rss>";
    struct item_sink s;
    struct error e = {{0}};
    item_sink_init(&s);
    assert_int_equal(fx_parse_utf8(doc, sizeof doc - 1, NULL, &s, &e), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.items[0].enclosures,
                        "[{\"url\":\"https://e.org/a\\\"b\\\\c.mp3\",\"type\":\"audio/mpeg\",\"length\":1234},"
                        "{\"url\":\"https://e.org/big.mp4\",\"type\":\"video/mp4\",\"length\":2e+15},"
                        "{\"url\":\"https://e.org/none.ogg\"}]");
    item_sink_free(&s);

    static const char small[] = "<rss version=\"2.0\"><channel><item><guid>g</guid><title>t</title>"
                                "<enclosure url=\"https://e.org/a.mp3\" length=\"1234\" type=\"audio/mpeg\"/>"
                                "</item></channel></rss>";
    item_sink_init(&s);
    assert_int_equal(fx_parse_utf8(small, sizeof small - 1, NULL, &s, &e), 0);
    assert_string_equal(s.items[0].enclosures, "[{\"url\":\"https://e.org/a.mp3\",\"type\":\"audio/mpeg\",\"length\":1234}]");
    item_sink_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scans),
        cmocka_unit_test(test_fix_refs_agree),
        cmocka_unit_test(test_clean_verdict),
        cmocka_unit_test(test_json_like_cjson),
        cmocka_unit_test(test_enclosures_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
