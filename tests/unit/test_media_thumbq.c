/* SPDX-License-Identifier: ISC */
/* The thumbnail pipeline end to end against the loopback server (tests/integration/server.py,
 * started here with a docroot of pictures made here): fetch, render, disk cache hit on the next
 * request, one download for two sizes, failures with readable reasons, the bytes hook, both LRU
 * bounds, style changes, priorities, and freeing while fetches are in flight. */
#include "fetch.h"
#include "image.h"
#include "thumb.h"
#include "thumbq.h"
#include "util.h"
#include "testutil.h"
#include "testserver.h"
#include "test_media_enc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static struct test_server server;
#define server_url (server.url)
static char base[PATH_MAX];          /* temporary directory of this test */
static char docroot[PATH_MAX + 16];
static size_t noise_size[6];

/* ---------------------------------------------------------------------------------------------- */
/* fixtures made here, and the server */

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void rm_rf(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
            char p[PATH_MAX + 300];
            snprintf(p, sizeof p, "%s/%s", path, de->d_name);
            rm_rf(p);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* A square PNG of noise, PREFIX%d.png in the docroot; its size in bytes. */
static size_t write_noise(int i, int side, const char *prefix, unsigned seed)
{
    uint8_t *px = pattern_rgba(side, side, PAT_NOISE, seed);
    unsigned char *b;
    size_t n;
    enc_png(px, side, side, PNGK_RGB, 0, &b, &n);
    char name[32];
    snprintf(name, sizeof name, "%s%d.png", prefix, i);
    write_file(docroot, name, b, n);
    free(b);
    free(px);
    return n;
}

static int make_pictures(void)
{
    snprintf(docroot, sizeof docroot, "%s/docroot", base);
    if (mkdir(docroot, 0700) != 0) return -1;
    uint8_t *px = pattern_rgba(160, 80, PAT_RED_BLUE, 0);
    unsigned char *b;
    size_t n;
    enc_png(px, 160, 80, PNGK_RGB, 0, &b, &n);
    write_file(docroot, "rb.png", b, n);
    free(b);
    enc_jpeg(px, 160, 80, 95, 0, 0, &b, &n);
    write_file(docroot, "rb.jpg", b, n);
    free(b);
    free(px);
    /* noise is incompressible, so these are all about the same size: the disk LRU test counts */
    for (int i = 0; i < 6; i++) noise_size[i] = write_noise(i, 48, "n", (unsigned)i + 1);
    /* big enough that decoding one takes the worker far longer than queueing all six takes the
     * test (the priority test) */
    for (int i = 0; i < 6; i++) write_noise(i, 900, "p", (unsigned)i + 11);
    const char *html = "<!DOCTYPE html><html><body>Not the picture you want</body></html>\n";
    write_file(docroot, "page.jpg", html, strlen(html));
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/winnow-test-thumbq.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base)) {
        printf("cannot create a temporary directory: %s\n", strerror(errno));
        return -1;
    }
    if (make_pictures() < 0) return -1;
    int rc = test_server_start(&server, base, "--docroot", docroot);
    if (rc == 77) {
        rm_rf(base);
        exit(77);
    }
    return rc;
}

static int group_teardown(void **state)
{
    (void)state;
    test_server_stop(&server, base);
    if (base[0]) rm_rf(base);
    return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* helpers */

static void url_of(char *out, size_t n, const char *name) { snprintf(out, n, "%s/d/%s", server_url, name); }

static char *fresh_dir(const char *name)
{
    size_t n = strlen(base) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", base, name);
    rm_rf(p);
    assert_int_equal(mkdir(p, 0700), 0);
    return p;
}

struct seen {
    int ready, failed, none;
    char order[16][64];
    int n;
};

static void on_ready(const char *url, int cols, int rows, enum thumbq_state st, void *user)
{
    struct seen *s = user;
    (void)cols;
    (void)rows;
    if (st == THUMBQ_READY) s->ready++;
    else if (st == THUMBQ_FAILED) s->failed++;
    else s->none++;
    if (s->n < 16) {
        const char *slash = strrchr(url, '/');
        snprintf(s->order[s->n++], sizeof s->order[0], "%s", slash ? slash + 1 : url);
    }
}

/* The UI's loop in miniature: wait on the network and the queue's fd, collect. */
static void drive(struct thumbq *q, struct fetcher *f, struct seen *s)
{
    double deadline = now_ms() + 20000;
    while (thumbq_pending(q) > 0) {
        if (now_ms() > deadline) fail_msg("thumbnails still pending after 20 s");
        struct fetch_waitfd w = {thumbq_fd(q), POLLIN, 0};
        fetch_poll(f, 200, &w, 1);
        thumbq_collect(q, on_ready, s);
    }
}

static void cache_file(const char *cache_dir, const char *url, char *out, size_t n)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    assert_true(EVP_Digest(url, strlen(url), md, &len, EVP_sha256(), NULL));
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    for (unsigned i = 0; i < len; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
    snprintf(out, n, "%s/thumbs/%s", cache_dir, hex);
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static int count_files(const char *cache_dir)
{
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/thumbs", cache_dir);
    DIR *d = opendir(p);
    if (!d) return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

struct body {
    char *s;
};

/* How many times the server was asked for path. */
static void on_body(const struct fetch_result *r, void *user)
{
    struct body *b = user;
    b->s = strdup(r->body);
}

static int count_requests(const char *path)
{
    struct fetcher *f = fetch_new(NULL);
    struct body b = {NULL};
    char url[128];
    snprintf(url, sizeof url, "%s/_log", server_url);
    struct fetch_req req = {.url = url};
    fetch_add(f, &req, on_body, &b);
    fetch_run(f);
    fetch_free(f);
    assert_non_null(b.s);
    char needle[128];
    snprintf(needle, sizeof needle, "\"%s\"", path);
    int n = 0;
    for (char *p = b.s; (p = strstr(p, needle)); p++) n++;
    free(b.s);
    return n;
}

struct hook_log {
    int calls;
    size_t len;
    char url[256];
};

static void bytes_hook(const char *url, const void *bytes, size_t len, void *user)
{
    struct hook_log *h = user;
    h->calls++;
    h->len = len;
    snprintf(h->url, sizeof h->url, "%s", url);
    assert_non_null(bytes);
}

static void check_red_blue(const struct thumb *t)
{
    assert_non_null(t);
    assert_int_equal(t->colors, THUMB_COLORS_256);
    for (int y = 0; y < t->rows; y++) {
        assert_int_equal(t->cells[y * t->cols].bg, 196);
        assert_int_equal(t->cells[y * t->cols + t->cols - 1].bg, 21);
    }
}

/* ---------------------------------------------------------------------------------------------- */

static void test_fetch_render_then_disk_hit(void **state)
{
    (void)state;
    char *cache = fresh_dir("cache1");
    struct fetcher *f = fetch_new(NULL);
    struct thumbq *q = thumbq_new(f, cache, 0, 2);
    assert_non_null(q);
    struct hook_log hook = {0};
    thumbq_set_bytes_hook(q, bytes_hook, &hook);
    char url[256];
    url_of(url, sizeof url, "rb.png");

    assert_int_equal(thumbq_request(q, url, 20, 10, THUMB_COLORS_256, 1), THUMBQ_PENDING);
    enum thumbq_state st;
    assert_null(thumbq_get(q, url, 20, 10, THUMB_COLORS_256, &st));
    assert_int_equal(st, THUMBQ_PENDING);
    struct seen s = {0};
    drive(q, f, &s);
    assert_int_equal(s.ready, 1);
    const struct thumb *t = thumbq_get(q, url, 20, 10, THUMB_COLORS_256, &st);
    assert_int_equal(st, THUMBQ_READY);
    assert_int_equal(t->cols, 20);
    assert_int_equal(t->rows, 5);
    check_red_blue(t);

    /* the download went to the hook once, and to the disk cache under the URL's hash */
    assert_int_equal(hook.calls, 1);
    assert_string_equal(hook.url, url);
    char path[PATH_MAX + 100];
    cache_file(cache, url, path, sizeof path);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal((size_t)sb.st_size, hook.len);
    assert_int_equal(count_files(cache), 1);
    struct thumbq_stats stats;
    thumbq_stats(q, &stats);
    assert_int_equal(stats.fetches, 1);
    assert_int_equal(stats.disk_writes, 1);
    assert_int_equal(stats.rendered, 1);
    assert_int_equal(stats.mem_count, 1);
    assert_true(stats.mem_bytes > 0);

    /* the same request again: answered from memory, nothing new */
    assert_int_equal(thumbq_request(q, url, 20, 10, THUMB_COLORS_256, 1), THUMBQ_READY);
    /* another size: read from the disk cache, not fetched again */
    assert_int_equal(thumbq_request(q, url, 10, 6, THUMB_COLORS_256, 1), THUMBQ_PENDING);
    drive(q, f, &s);
    assert_non_null(thumbq_get(q, url, 10, 6, THUMB_COLORS_256, NULL));
    thumbq_stats(q, &stats);
    assert_int_equal(stats.fetches, 1);
    assert_int_equal(stats.disk_hits, 1);
    thumbq_free(q);

    /* a new session: the disk cache answers */
    q = thumbq_new(f, cache, 0, 1);
    thumbq_set_bytes_hook(q, bytes_hook, &hook);
    assert_int_equal(thumbq_request(q, url, 20, 10, THUMB_COLORS_256, 1), THUMBQ_PENDING);
    drive(q, f, &s);
    check_red_blue(thumbq_get(q, url, 20, 10, THUMB_COLORS_256, NULL));
    thumbq_stats(q, &stats);
    assert_int_equal(stats.fetches, 0);
    assert_int_equal(stats.disk_hits, 1);
    assert_int_equal(hook.calls, 1);
    thumbq_free(q);
    fetch_free(f);
    assert_int_equal(count_requests("/d/rb.png"), 1);
    free(cache);
}

/* Two sizes asked for before the picture arrives: one download. */
static void test_one_download_for_two_sizes(void **state)
{
    (void)state;
    char *cache = fresh_dir("cache2");
    struct fetcher *f = fetch_new(NULL);
    struct thumbq *q = thumbq_new(f, cache, 0, 2);
    char url[256];
    url_of(url, sizeof url, "rb.jpg");
    thumbq_request(q, url, 20, 10, THUMB_COLORS_256, 1);
    thumbq_request(q, url, 40, 20, THUMB_COLORS_256, 2);
    thumbq_request(q, url, 40, 20, THUMB_COLORS_DIRECT, 2);
    struct seen s = {0};
    drive(q, f, &s);
    assert_int_equal(s.ready, 3);
    check_red_blue(thumbq_get(q, url, 20, 10, THUMB_COLORS_256, NULL));
    const struct thumb *big = thumbq_get(q, url, 40, 20, THUMB_COLORS_256, NULL);
    assert_int_equal(big->cols, 40);
    const struct thumb *direct = thumbq_get(q, url, 40, 20, THUMB_COLORS_DIRECT, NULL);
    assert_int_equal(direct->colors, THUMB_COLORS_DIRECT);
    struct thumbq_stats stats;
    thumbq_stats(q, &stats);
    assert_int_equal(stats.fetches, 1);
    assert_int_equal(stats.disk_writes, 1);
    thumbq_free(q);
    fetch_free(f);
    assert_int_equal(count_requests("/d/rb.jpg"), 1);
    free(cache);
}

static void test_failures(void **state)
{
    (void)state;
    char *cache = fresh_dir("cache3");
    struct fetcher *f = fetch_new(NULL);
    struct thumbq *q = thumbq_new(f, cache, 0, 2);
    char missing[256], page[256];
    url_of(missing, sizeof missing, "missing.png");
    url_of(page, sizeof page, "page.jpg");
    thumbq_request(q, missing, 10, 5, THUMB_COLORS_256, 1);
    thumbq_request(q, page, 10, 5, THUMB_COLORS_256, 1);
    thumbq_request(q, "gopher://example.org/pic.png", 10, 5, THUMB_COLORS_256, 1);
    assert_int_equal(thumbq_request(q, "", 10, 5, THUMB_COLORS_256, 1), THUMBQ_FAILED);
    struct seen s = {0};
    drive(q, f, &s);
    assert_int_equal(s.failed, 3);
    enum thumbq_state st;
    assert_null(thumbq_get(q, missing, 10, 5, THUMB_COLORS_256, &st));
    assert_int_equal(st, THUMBQ_FAILED);
    const char *why = thumbq_error(q, missing, 10, 5, THUMB_COLORS_256);
    assert_non_null(why);
    if (!strstr(why, "404")) fail_msg("missing: \"%s\"", why);
    why = thumbq_error(q, page, 10, 5, THUMB_COLORS_256);
    if (!why || !strstr(why, "not an image") || !strstr(why, "HTML")) fail_msg("page: \"%s\"", why ? why : "");
    why = thumbq_error(q, "gopher://example.org/pic.png", 10, 5, THUMB_COLORS_256);
    assert_non_null(why);
    assert_non_null(thumbq_error(q, "", 10, 5, THUMB_COLORS_256));
    /* an error page is never cached as a picture */
    assert_int_equal(count_files(cache), 0);
    /* a failure is remembered (no new fetch) until forgotten */
    struct thumbq_stats stats;
    thumbq_stats(q, &stats);
    unsigned long fetches = stats.fetches;
    assert_int_equal(thumbq_request(q, missing, 10, 5, THUMB_COLORS_256, 1), THUMBQ_FAILED);
    thumbq_stats(q, &stats);
    assert_int_equal(stats.fetches, fetches);
    thumbq_forget_failed(q);
    assert_int_equal(thumbq_request(q, missing, 10, 5, THUMB_COLORS_256, 1), THUMBQ_PENDING);
    drive(q, f, &s);
    thumbq_stats(q, &stats);
    assert_int_equal(stats.fetches, fetches + 1);
    thumbq_free(q);
    fetch_free(f);
    free(cache);
}

static void test_memory_lru(void **state)
{
    (void)state;
    struct fetcher *f = fetch_new(NULL);
    struct thumbq *q = thumbq_new(f, NULL, 0, 2);   /* no disk cache at all */
    thumbq_set_memory_limit(q, 2, 0);
    char url[3][256];
    struct seen s = {0};
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d.png", i);
        url_of(url[i], sizeof url[i], name);
        thumbq_request(q, url[i], 12, 6, THUMB_COLORS_256, 1);
        drive(q, f, &s);
        /* the UI looks at the newest one, so it is the most recently used */
        assert_non_null(thumbq_get(q, url[i], 12, 6, THUMB_COLORS_256, NULL));
    }
    struct thumbq_stats stats;
    thumbq_stats(q, &stats);
    assert_int_equal(stats.mem_count, 2);
    assert_int_equal(stats.mem_evictions, 1);
    enum thumbq_state st;
    assert_null(thumbq_get(q, url[0], 12, 6, THUMB_COLORS_256, &st));
    assert_int_equal(st, THUMBQ_NONE);
    assert_non_null(thumbq_get(q, url[2], 12, 6, THUMB_COLORS_256, NULL));
    /* a byte bound below one grid keeps nothing */
    thumbq_set_memory_limit(q, 0, 1);
    thumbq_stats(q, &stats);
    assert_int_equal(stats.mem_count, 0);
    assert_int_equal(stats.mem_bytes, 0);
    thumbq_free(q);
    fetch_free(f);
}

/* The disk cache keeps the most recently used files within its bound: a hit refreshes a file. */
static void test_disk_lru(void **state)
{
    (void)state;
    char *cache = fresh_dir("cache4");
    size_t biggest = 0;
    for (int i = 0; i < 4; i++)
        if (noise_size[i] > biggest) biggest = noise_size[i];
    /* room for three and a half: the fourth write evicts exactly one (down to 90 %) */
    struct fetcher *f = fetch_new(NULL);
    struct thumbq *q = thumbq_new(f, cache, biggest * 7 / 2, 1);
    char url[4][256], path[4][PATH_MAX + 100];
    struct seen s = {0};
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d.png", i);
        url_of(url[i], sizeof url[i], name);
        cache_file(cache, url[i], path[i], sizeof path[i]);
    }
    for (int i = 0; i < 3; i++) {
        thumbq_request(q, url[i], 12, 6, THUMB_COLORS_256, 1);
        drive(q, f, &s);
        usleep(20000);
    }
    /* n0 is used again (another size: from disk), so n1 is now the oldest */
    thumbq_request(q, url[0], 8, 4, THUMB_COLORS_256, 1);
    drive(q, f, &s);
    usleep(20000);
    thumbq_request(q, url[3], 12, 6, THUMB_COLORS_256, 1);
    drive(q, f, &s);
    assert_int_equal(s.ready, 5);
    struct thumbq_stats stats;
    thumbq_stats(q, &stats);
    assert_int_equal(stats.disk_writes, 4);
    assert_int_equal(stats.disk_hits, 1);
    assert_int_equal(stats.disk_evictions, 1);
    assert_true(stats.disk_bytes <= biggest * 7 / 2);
    assert_true(exists(path[0]));
    assert_false(exists(path[1]));
    assert_true(exists(path[2]));
    assert_true(exists(path[3]));
    thumbq_free(q);

    /* a new session counts what is there and trims it to a smaller bound at once */
    q = thumbq_new(f, cache, biggest * 3 / 2, 1);
    double deadline = now_ms() + 5000;
    while (count_files(cache) > 1 && now_ms() < deadline) usleep(10000);
    assert_int_equal(count_files(cache), 1);
    assert_true(exists(path[3]));   /* the newest stays */
    thumbq_free(q);
    fetch_free(f);
    free(cache);
}

static void test_style_change(void **state)
{
    (void)state;
    char *cache = fresh_dir("cache5");
    struct fetcher *f = fetch_new(NULL);
    struct thumbq *q = thumbq_new(f, cache, 0, 2);
    char url[256];
    url_of(url, sizeof url, "rb.png");
    struct seen s = {0};
    thumbq_request(q, url, 20, 10, THUMB_COLORS_256, 1);
    drive(q, f, &s);
    assert_int_equal(thumbq_get(q, url, 20, 10, THUMB_COLORS_256, NULL)->rows, 5);
    /* square cells: the rendered grid is forgotten, and the next one is twice as tall */
    thumbq_set_style(q, 1, 16, 16);
    enum thumbq_state st;
    assert_null(thumbq_get(q, url, 20, 10, THUMB_COLORS_256, &st));
    assert_int_equal(st, THUMBQ_NONE);
    thumbq_request(q, url, 20, 10, THUMB_COLORS_256, 1);
    /* changed again while that one is being made: its result is dropped, not shown */
    thumbq_set_style(q, 1, 8, 16);
    drive(q, f, &s);
    assert_int_equal(s.none, 1);
    assert_null(thumbq_get(q, url, 20, 10, THUMB_COLORS_256, &st));
    thumbq_request(q, url, 20, 10, THUMB_COLORS_256, 1);
    drive(q, f, &s);
    const struct thumb *t = thumbq_get(q, url, 20, 10, THUMB_COLORS_256, &st);
    assert_non_null(t);
    assert_int_equal(t->rows, 5);
    for (int i = 0; i < t->cols * t->rows; i++) assert_true((unsigned char)t->cells[i].ch[0] < 0x80);
    thumbq_free(q);
    fetch_free(f);
    free(cache);
}

/* With one worker busy, the waiting jobs go highest priority first.  The order shows only when
 * the worker is slower than the loop that queues: big pictures make it so, and a machine loaded
 * enough to stall the loop for a whole decode gets two more tries (each from a cold queue). */
static int priority_round(int round)
{
    char dir[32];
    snprintf(dir, sizeof dir, "cache6-%d", round);
    char *cache = fresh_dir(dir);
    struct fetcher *f = fetch_new(NULL);
    struct thumbq *q = thumbq_new(f, cache, 0, 1);
    struct seen s = {0};
    char url[6][256];
    for (int i = 0; i < 6; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%d.png", i);
        url_of(url[i], sizeof url[i], name);
        thumbq_request(q, url[i], 12, 6, THUMB_COLORS_256, 1);
    }
    drive(q, f, &s);
    thumbq_free(q);
    /* all six on disk now; a fresh queue reads them, asked for in rising priority */
    q = thumbq_new(f, cache, 0, 1);
    memset(&s, 0, sizeof s);
    for (int i = 0; i < 6; i++) thumbq_request(q, url[i], 40, 20, THUMB_COLORS_DIRECT, i);
    /* and the lowest is raised above all */
    thumbq_request(q, url[1], 40, 20, THUMB_COLORS_DIRECT, 100);
    drive(q, f, &s);
    assert_int_equal(s.n, 6);
    int pos1 = -1, pos5 = -1, pos2 = -1;
    for (int i = 0; i < 6; i++) {
        if (!strcmp(s.order[i], "p1.png")) pos1 = i;
        if (!strcmp(s.order[i], "p5.png")) pos5 = i;
        if (!strcmp(s.order[i], "p2.png")) pos2 = i;
    }
    thumbq_free(q);
    fetch_free(f);
    free(cache);
    /* the first job may have started before the rest arrived: one place of slack */
    int ok = pos1 <= 2 && pos5 <= 3 && pos2 >= 3;
    if (!ok) print_message("round %d: p1 at %d, p5 at %d, p2 at %d\n", round, pos1, pos5, pos2);
    return ok;
}

static void test_priority(void **state)
{
    (void)state;
    int ok = 0;
    for (int round = 0; round < 3 && !ok; round++) ok = priority_round(round);
    assert_true(ok);
}

/* file:// pictures are read in place (no copy in the cache), and still reach the hook. */
static void test_file_url(void **state)
{
    (void)state;
    char *cache = fresh_dir("cache7");
    struct fetcher *f = fetch_new(NULL);
    struct thumbq *q = thumbq_new(f, cache, 0, 1);
    struct hook_log hook = {0};
    thumbq_set_bytes_hook(q, bytes_hook, &hook);
    char url[PATH_MAX + 64];
    snprintf(url, sizeof url, "file://%s/rb.png", docroot);
    struct seen s = {0};
    thumbq_request(q, url, 20, 10, THUMB_COLORS_256, 1);
    drive(q, f, &s);
    check_red_blue(thumbq_get(q, url, 20, 10, THUMB_COLORS_256, NULL));
    assert_int_equal(hook.calls, 1);
    assert_int_equal(count_files(cache), 0);
    thumbq_free(q);
    fetch_free(f);
    free(cache);
}

/* Freeing the queue with fetches in flight, before or after the fetcher: nothing dangles, nothing
 * leaks (the sanitizer build checks). */
static void test_free_while_fetching(void **state)
{
    (void)state;
    char url[256];
    url_of(url, sizeof url, "rb.jpg");
    struct fetcher *f = fetch_new(NULL);
    struct thumbq *q = thumbq_new(f, NULL, 0, 2);
    assert_int_equal(thumbq_request(q, url, 20, 10, THUMB_COLORS_256, 1), THUMBQ_PENDING);
    assert_int_equal(fetch_pending(f), 1);
    thumbq_free(q);
    /* its fetch is taken back: nothing runs, no callback comes for the freed queue, and the
     * fetcher (the session's, shared) goes on serving others */
    assert_int_equal(fetch_pending(f), 0);
    fetch_run(f);
    struct body b = {NULL};
    struct fetch_req req = {.url = url};
    fetch_add(f, &req, on_body, &b);
    fetch_run(f);
    assert_non_null(b.s);
    free(b.s);
    fetch_free(f);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fetch_render_then_disk_hit),
        cmocka_unit_test(test_one_download_for_two_sizes),
        cmocka_unit_test(test_failures),
        cmocka_unit_test(test_memory_lru),
        cmocka_unit_test(test_disk_lru),
        cmocka_unit_test(test_style_change),
        cmocka_unit_test(test_priority),
        cmocka_unit_test(test_file_url),
        cmocka_unit_test(test_free_while_fetching),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
