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

/* The origin rule (item_confine_urls): a document from a public address may not name the user's
 * own machine or network, in any spelling curl would accept; a home server's may; only a local
 * file's may name files. */
static void test_origin_rule(void **state)
{
    (void)state;
    static const char *const local[] = {
        "http://127.0.0.1:631/", "http://localhost/x.jpg", "https://LOCALHOST./a", "http://a.localhost/",
        "http://192.168.1.1/admin", "http://10.0.0.7/", "http://172.16.3.4/", "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/", "http://[fe80::1%25eth0]/", "http://[::ffff:127.0.0.1]/", "http://2130706433/",
        "http://127.1/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://0.0.0.0:80/", "http://user:pw@127.0.0.1/",
        "http://100.64.0.1/", NULL};
    for (int i = 0; local[i]; i++) {
        if (!item_url_host_local(local[i])) fail_msg("%s should count as local", local[i]);
    }
    static const char *const pub[] = {"https://cdn.example.org/a.jpg", "http://8.8.8.8/", "http://[2001:db8::1]/",
                                      "http://172.32.0.1/", "http://127.0.0.1.example.com/", "http://localhost.example/",
                                      "https://user@192.168.example.net/", NULL};
    for (int i = 0; pub[i]; i++) {
        if (item_url_host_local(pub[i])) fail_msg("%s should not count as local", pub[i]);
    }
    struct item it;
    item_init(&it);
    it.thumb_url = "http://127.0.0.1:631/printers.png";
    it.media_url = "https://cdn.example.org/v.mp4";
    it.enclosures = "[{\"url\":\"https://cdn.example.org/v.mp4\"},{\"url\":\"http://192.168.1.1/cgi\"}]";
    it.url = "http://192.168.1.1/";
    struct item a = it;
    assert_int_equal(item_confine_urls(&a, ITEM_ORIGIN_PUBLIC), 2);
    assert_null(a.thumb_url);
    assert_string_equal(a.media_url, "https://cdn.example.org/v.mp4");
    assert_null(a.enclosures);
    assert_non_null(a.url);   /* a link is the user's to open */
    struct item b = it;
    assert_int_equal(item_confine_urls(&b, ITEM_ORIGIN_NETWORK), 0);
    assert_non_null(b.thumb_url);
    struct item c = it;
    c.thumb_url = "file:///etc/passwd";
    assert_int_equal(item_confine_urls(&c, ITEM_ORIGIN_NETWORK), 1);
    c.thumb_url = "file:///srv/demo/a.jpg";
    assert_int_equal(item_confine_urls(&c, ITEM_ORIGIN_FILE), 0);
    assert_non_null(c.thumb_url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3986_examples),
        cmocka_unit_test(test_feed_shapes),
        cmocka_unit_test(test_unresolvable),
        cmocka_unit_test(test_origin_rule),
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_many_dot_segments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
