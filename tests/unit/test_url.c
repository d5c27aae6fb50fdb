/* SPDX-License-Identifier: ISC */
/* url_resolve against RFC 3986 section 5.4 (every normal and abnormal example), plus the shapes
 * feeds actually use; url_host on the URLs the item model stores. */
#include "testutil.h"

#include "source.h"

static const char *BASE = "http://a/b/c/d;p?q";

static const struct { const char *ref, *want; } rfc_cases[] = {
    /* 5.4.1 normal examples */
    {"g:h", "g:h"},
    {"g", "http://a/b/c/g"},
    {"./g", "http://a/b/c/g"},
    {"g/", "http://a/b/c/g/"},
    {"/g", "http://a/g"},
    {"//g", "http://g"},
    {"?y", "http://a/b/c/d;p?y"},
    {"g?y", "http://a/b/c/g?y"},
    {"#s", "http://a/b/c/d;p?q#s"},
    {"g#s", "http://a/b/c/g#s"},
    {"g?y#s", "http://a/b/c/g?y#s"},
    {";x", "http://a/b/c/;x"},
    {"g;x", "http://a/b/c/g;x"},
    {"g;x?y#s", "http://a/b/c/g;x?y#s"},
    {"", "http://a/b/c/d;p?q"},
    {".", "http://a/b/c/"},
    {"./", "http://a/b/c/"},
    {"..", "http://a/b/"},
    {"../", "http://a/b/"},
    {"../g", "http://a/b/g"},
    {"../..", "http://a/"},
    {"../../", "http://a/"},
    {"../../g", "http://a/g"},
    /* 5.4.2 abnormal examples */
    {"../../../g", "http://a/g"},
    {"../../../../g", "http://a/g"},
    {"/./g", "http://a/g"},
    {"/../g", "http://a/g"},
    {"g.", "http://a/b/c/g."},
    {".g", "http://a/b/c/.g"},
    {"g..", "http://a/b/c/g.."},
    {"..g", "http://a/b/c/..g"},
    {"./../g", "http://a/b/g"},
    {"./g/.", "http://a/b/c/g/"},
    {"g/./h", "http://a/b/c/g/h"},
    {"g/../h", "http://a/b/c/h"},
    {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
    {"g;x=1/../y", "http://a/b/c/y"},
    {"g?y/./x", "http://a/b/c/g?y/./x"},
    {"g?y/../x", "http://a/b/c/g?y/../x"},
    {"g#s/./x", "http://a/b/c/g#s/./x"},
    {"g#s/../x", "http://a/b/c/g#s/../x"},
};

static void test_rfc3986_examples(void **state)
{
    struct arena a;
    arena_init(&a);
    for (size_t i = 0; i < sizeof rfc_cases / sizeof rfc_cases[0]; i++) {
        const char *got = url_resolve(&a, BASE, rfc_cases[i].ref);
        if (!got || strcmp(got, rfc_cases[i].want))
            fail_msg("resolve(\"%s\") = \"%s\", want \"%s\"", rfc_cases[i].ref, got ? got : "(null)",
                     rfc_cases[i].want);
    }
    arena_free(&a);
}

static void test_feed_shapes(void **state)
{
    static const struct { const char *base, *ref, *want; } cases[] = {
        {"https://www.reddit.com/", "/r/funny/", "https://www.reddit.com/r/funny/"},
        {"https://example.org/feed.xml", "img/a.jpg", "https://example.org/img/a.jpg"},
        {"https://example.org", "a.jpg", "https://example.org/a.jpg"},
        {"https://example.org/blog/post/", "../media/ep1.mp3", "https://example.org/blog/media/ep1.mp3"},
        {"https://example.org/x", "//cdn.example.net/p.png", "https://cdn.example.net/p.png"},
        {"https://example.org/list?page=1", "?page=2", "https://example.org/list?page=2"},
        {"https://example.org/a#top", "#f", "https://example.org/a#f"},
        {"file:///home/u/feeds/a.xml", "b.xml", "file:///home/u/feeds/b.xml"},
        {"https://example.org/", "  https://other.example/x \n", "https://other.example/x"},
        {"https://example.org/dir/", "\n  rel/link  ", "https://example.org/dir/rel/link"},
        {"https://example.org/a/b", "mailto:someone@example.org", "mailto:someone@example.org"},
    };
    struct arena a;
    arena_init(&a);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = url_resolve(&a, cases[i].base, cases[i].ref);
        if (!got || strcmp(got, cases[i].want))
            fail_msg("resolve(\"%s\", \"%s\") = \"%s\", want \"%s\"", cases[i].base, cases[i].ref,
                     got ? got : "(null)", cases[i].want);
    }
    arena_free(&a);
}

static void test_unresolvable(void **state)
{
    struct arena a;
    arena_init(&a);
    const char *ref = "relative/path";
    assert_ptr_equal(url_resolve(&a, NULL, ref), ref);            /* no base: unchanged */
    assert_string_equal(url_resolve(&a, "not a url", ref), ref);  /* base without scheme */
    const char *abs = "https://example.org/x";
    assert_ptr_equal(url_resolve(&a, "https://b.example/", abs), abs);
    assert_null(url_resolve(&a, BASE, NULL));
    arena_free(&a);
}

static void test_host(void **state)
{
    static const struct { const char *url, *want; } cases[] = {
        {"https://www.YouTube.com/watch?v=x", "www.youtube.com"},
        {"http://user:pw@example.org:8080/path", "example.org"},
        {"https://mastodon.social", "mastodon.social"},
        {"https://example.org.?q", "example.org"},
        {"http://[::1]:8080/x", "[::1]"},
        {"https://host#frag", "host"},
        {"ftp://example.org/", NULL},
        {"file:///etc/passwd", NULL},
        {"https:///nohost", NULL},
        {"example.org/path", NULL},
    };
    struct arena a;
    arena_init(&a);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = url_host(&a, cases[i].url);
        if (cases[i].want == NULL) {
            if (got) fail_msg("url_host(\"%s\") = \"%s\", want NULL", cases[i].url, got);
        } else if (!got || strcmp(got, cases[i].want)) {
            fail_msg("url_host(\"%s\") = \"%s\", want \"%s\"", cases[i].url, got ? got : "(null)",
                     cases[i].want);
        }
    }
    assert_null(url_host(&a, NULL));
    arena_free(&a);
}

/* A long run of "../" must cost linear time and never walk above the root. */
static void test_many_dot_segments(void **state)
{
    size_t n = 100000;
    char *ref = malloc(n * 3 + 2);
    for (size_t i = 0; i < n; i++) memcpy(ref + i * 3, "../", 3);
    memcpy(ref + n * 3, "g", 2);
    struct arena a;
    arena_init(&a);
    double t0 = now_ms();
    assert_string_equal(url_resolve(&a, "http://a/b/c/d", ref), "http://a/g");
    assert_true(now_ms() - t0 < 1000);
    arena_free(&a);
    free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3986_examples),
        cmocka_unit_test(test_feed_shapes),
        cmocka_unit_test(test_unresolvable),
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_many_dot_segments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
