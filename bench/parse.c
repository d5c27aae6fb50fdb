/* SPDX-License-Identifier: ISC */
/* Feed parsing benchmark (make bench-parse): what a feed in another encoding costs.
 * One RSS document of about 1 MB (Chinese titles and text with ASCII markup, as a Taiwanese news
 * feed looks) is parsed as UTF-8, as UTF-16LE with a BOM, and as big5 declared in the XML
 * declaration, through the feed adapter (conversion to UTF-8 included), median of 15 runs each.
 * Target (issue 15): each conversion costs less than 2x the UTF-8 parse.
 * The document is made here, so the run needs no data. */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "source.h"
#include "util.h"

#define RUNS 15

static double bench_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static char *convert(const char *to, const char *s, size_t n, size_t *outn)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    if (cd == (iconv_t)-1) { perror(to); exit(1); }
    size_t cap = n * 2 + 16;
    char *r = malloc(cap), *op = r, *ip = (char *)s;
    size_t il = n, ol = cap;
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) { perror("iconv"); exit(1); }
    iconv_close(cd);
    *outn = cap - ol;
    return r;
}

static double bench(const char *what, const char *body, size_t len, size_t want_items)
{
    double t[RUNS];
    struct subscription sub = {.url = "https://news.example.tw/rss", .fetch_url = "https://news.example.tw/rss"};
    for (int r = 0; r < RUNS; r++) {
        struct item_sink s;
        struct error err = {0};
        item_sink_init(&s);
        double t0 = bench_ms();
        int rc = source_feed.parse(body, len, &sub, &s, &err);
        t[r] = bench_ms() - t0;
        if (rc != 0 || s.n != want_items) {
            fprintf(stderr, "%s: rc %d, %zu items (want %zu): %s\n", what, rc, s.n, want_items, err.msg);
            exit(1);
        }
        item_sink_free(&s);
    }
    qsort(t, RUNS, sizeof t[0], cmp_double);
    return t[RUNS / 2];
}

/* The document, declaring enc; *items gets how many items it holds. */
static char *make_doc(const char *enc, size_t *len, size_t *items)
{
    static const char *words[] = {"臺灣", "新聞", "今日", "天氣", "晴朗", "經濟", "發展", "科技",
                                  "產業", "政府", "宣布", "計畫", "民眾", "關注", "報導", "記者"};
    struct strbuf doc;
    sb_init(&doc);
    sb_printf(&doc, "<?xml version=\"1.0\" encoding=\"%s\"?>\n<rss version=\"2.0\"><channel>"
                    "<title>新聞</title><link>https://news.example.tw/</link>\n", enc);
    size_t n = 0;
    unsigned seed = 1;
    while (doc.len < 1000 * 1000) {
        sb_printf(&doc, "<item><guid>https://news.example.tw/a/%zu</guid><title>", n);
        for (int w = 0; w < 6; w++) { seed = seed * 1103515245 + 12345; sb_adds(&doc, words[(seed >> 16) % 16]); }
        sb_printf(&doc, " %zu</title><link>https://news.example.tw/a/%zu</link>"
                        "<pubDate>Tue, 01 Dec 2026 08:%02zu:00 +0800</pubDate><description>&lt;p&gt;", n, n, n % 60);
        for (int w = 0; w < 60; w++) {
            seed = seed * 1103515245 + 12345;
            sb_adds(&doc, words[(seed >> 16) % 16]);
            if (w % 10 == 9) sb_adds(&doc, "，");
        }
        sb_adds(&doc, "。&lt;/p&gt;</description></item>\n");
        n++;
    }
    sb_adds(&doc, "</channel></rss>\n");
    *items = n;
    *len = doc.len;
    return doc.s;
}

int main(void)
{
    size_t items, n8, d16n, db5n, n16, nb5;
    char *utf8 = make_doc("utf-8", &n8, &items);
    char *d16 = make_doc("utf-16", &d16n, &items);
    char *u16 = convert("UTF-16LE", d16, d16n, &n16);
    char *utf16 = malloc(n16 + 2);
    memcpy(utf16, "\xFF\xFE", 2);
    memcpy(utf16 + 2, u16, n16);
    n16 += 2;
    char *db5 = make_doc("big5", &db5n, &items);
    char *big5 = convert("BIG5-HKSCS", db5, db5n, &nb5);

    double m8 = bench("utf-8", utf8, n8, items);
    double m16 = bench("utf-16", utf16, n16, items);
    double mb5 = bench("big5", big5, nb5, items);
    printf("feed parse, %zu items (median of %d runs)\n", items, RUNS);
    printf("  utf-8     %5.2f MB  %7.1f ms\n", n8 / 1e6, m8);
    printf("  utf-16le  %5.2f MB  %7.1f ms  %.2fx utf-8\n", n16 / 1e6, m16, m16 / m8);
    printf("  big5      %5.2f MB  %7.1f ms  %.2fx utf-8\n", nb5 / 1e6, mb5, mb5 / m8);
    printf("conversion cost: utf-16 %.2fx, big5 %.2fx the utf-8 parse (target < 2x)\n", m16 / m8, mb5 / m8);
    free(utf8); free(d16); free(u16); free(utf16); free(db5); free(big5);
    return 0;
}
