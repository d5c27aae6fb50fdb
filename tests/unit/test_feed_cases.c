/* SPDX-License-Identifier: ISC */
/* One small input per case, under tests/feeds/cases: each file states what it is about and what a
 * reader must get from it, so a failure names its cause.  A case file is a header, a blank line and
 * the body exactly as a server would send it (any bytes: UTF-16, big5, broken markup):
 *
 *   Description: smart quotes pasted from cp1252 into UTF-8 text
 *   Content-Type: application/rss+xml; charset=utf-8      (optional: the response header)
 *   Url: http://example.test/dir/feed.xml                 (optional: where it came from)
 *   Content-Location: /other/                             (optional: the response header)
 *   Expect: 0.title = don’t
 *   Expect: feed.charset = utf-8
 *
 * An expectation is PATH OP VALUE.  PATH is error, count, feed.title|link|format|charset, or
 * N.field for the N-th item (guid, title, url, author, author_url, summary, categories, enclosures,
 * published, updated, media_url, media_type, media_size, thumb_url).  OP is "=" (equal), "~"
 * (contains) or "!~" (does not contain); "\n" in VALUE is a line break.  Every case also checks
 * that every stored string is clean: valid UTF-8, no control character. */
#include "testutil.h"

#include <dirent.h>

#include "source.h"
#include "text.h"

struct kase {
    char *name;
    char *raw;
    size_t len;
};

static char *field_text(const struct item *it, const char *f, char *num, size_t nn)
{
#define S(n) if (!strcmp(f, #n)) return (char *)it->n
    S(guid); S(title); S(url); S(author); S(author_url); S(summary); S(categories); S(enclosures);
    S(media_url); S(media_type); S(thumb_url);
#undef S
    long long v = 0;
    if (!strcmp(f, "published")) v = it->published;
    else if (!strcmp(f, "updated")) v = it->updated;
    else if (!strcmp(f, "media_size")) v = it->media_size;
    else fail_msg("unknown field %s", f);
    snprintf(num, nn, "%lld", v);
    return num;
}

static void unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') { *o++ = '\n'; s++; }
        else *o++ = *s;
    }
    *o = 0;
}

static void assert_clean(const struct item *it)
{
    const char *one[] = {it->guid, it->title, it->author, it->author_url, it->url, it->thumb_url,
                         it->media_url, it->media_type, it->enclosures};
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
        if (one[i] && !text_is_clean(one[i], 0)) fail_msg("unclean field \"%s\"", one[i]);
    if (it->summary && !text_is_clean(it->summary, TEXT_MULTILINE)) fail_msg("unclean summary");
    if (it->categories && !text_is_clean(it->categories, TEXT_MULTILINE)) fail_msg("unclean categories");
}

static void check(const char *name, const char *path, const char *op, const char *want,
                  int rc, const struct error *e, const struct item_sink *s)
{
    char num[32];
    const char *got = NULL;
    if (!strcmp(path, "error")) got = rc < 0 ? e->msg : "";
    else if (rc < 0) fail_msg("%s: parse failed: %s", name, e->msg);
    else if (!strcmp(path, "count")) { snprintf(num, sizeof num, "%zu", s->n); got = num; }
    else if (!strcmp(path, "feed.title")) got = s->meta.title;
    else if (!strcmp(path, "feed.link")) got = s->meta.link;
    else if (!strcmp(path, "feed.format")) got = s->meta.format;
    else if (!strcmp(path, "feed.charset")) got = s->meta.charset;
    else {
        char *dot;
        long k = strtol(path, &dot, 10);
        if (*dot != '.' || k < 0) fail_msg("%s: bad path %s", name, path);
        if ((size_t)k >= s->n) fail_msg("%s: %s: only %zu items", name, path, s->n);
        got = field_text(&s->items[k], dot + 1, num, sizeof num);
    }
    if (!got) got = "(null)";
    int ok = !strcmp(op, "=") ? !strcmp(got, want)
           : !strcmp(op, "~") ? strstr(got, want) != NULL
           : !strcmp(op, "!~") ? strstr(got, want) == NULL : -1;
    if (ok < 0) fail_msg("%s: bad operator %s", name, op);
    if (!ok) fail_msg("%s: %s %s \"%s\", got \"%s\"", name, path, op, want, got);
}

static void run_case(void **state)
{
    const struct kase *c = *state;
    char *sep = memmem(c->raw, c->len, "\n\n", 2);
    if (!sep) fail_msg("%s: no blank line after the header", c->name);
    *sep = 0;
    const char *body = sep + 2;
    size_t blen = c->len - (size_t)(body - c->raw);
    char *ct = NULL, *url = NULL, *cl = NULL;
    int n_expect = 0;
    for (char *l = c->raw; l && *l;) {
        char *nl = strchr(l, '\n');
        if (nl) *nl = 0;
        if (!strncmp(l, "Content-Type: ", 14)) ct = l + 14;
        else if (!strncmp(l, "Url: ", 5)) url = l + 5;
        else if (!strncmp(l, "Content-Location: ", 18)) cl = l + 18;
        l = nl ? nl + 1 : NULL;
    }
    struct subscription sub = {.url = url ? url : "http://example.test/feed/", .content_type = ct,
                               .content_location = cl};
    sub.fetch_url = sub.url;
    struct item_sink s;
    item_sink_init(&s);
    struct error e = {0};
    int rc = source_feed.parse(body, blen, &sub, &s, &e);
    for (size_t i = 0; rc == 0 && i < s.n; i++) assert_clean(&s.items[i]);
    for (char *l = c->raw; l < sep; l += strlen(l) + 1) {
        if (strncmp(l, "Expect: ", 8)) continue;
        char *path = l + 8, *sp = strchr(path, ' ');
        if (!sp) fail_msg("%s: bad expectation %s", c->name, l);
        *sp = 0;
        char *op = sp + 1, *sp2 = strchr(op, ' ');
        char empty[1] = "";
        char *want = empty;
        if (sp2) { *sp2 = 0; want = sp2 + 1; }
        unescape(want);
        check(c->name, path, op, want, rc, &e, &s);
        n_expect++;
    }
    if (!n_expect) fail_msg("%s: expects nothing", c->name);
    item_sink_free(&s);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct CMUnitTest *)a)->name, ((const struct CMUnitTest *)b)->name);
}

int main(void)
{
    const char *src = getenv("WINNOW_SRCDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/feeds/cases", src && *src ? src : ".");
    DIR *d = opendir(dir);
    if (!d) { fprintf(stderr, "cannot open %s\n", dir); return 1; }
    struct CMUnitTest *tests = NULL;
    struct kase *cases = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            tests = realloc(tests, cap * sizeof *tests);
            cases = realloc(cases, cap * sizeof *cases);
        }
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        FILE *f = fopen(p, "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        struct kase *c = &cases[n];
        c->raw = malloc((size_t)len + 1);
        c->len = fread(c->raw, 1, (size_t)len, f);
        c->raw[c->len] = 0;
        fclose(f);
        c->name = strdup(de->d_name);
        n++;
    }
    closedir(d);
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, &cases[i]};
    qsort(tests, n, sizeof *tests, by_name);
    printf("%zu cases in %s\n", n, dir);
    int rc = _cmocka_run_group_tests("feed_cases", tests, n, NULL, NULL);
    for (size_t i = 0; i < n; i++) { free(cases[i].raw); free(cases[i].name); }
    free(cases);
    free(tests);
    return rc;
}
