/* SPDX-License-Identifier: ISC */
/* Thumbnail benchmark (make bench-thumb): what the TUI pays for pictures.
 *   1. decode + render of a 480×360 JPEG to 40×15 cells, median of 200 runs (target ≤ 2 ms);
 *   2. the memory of 1,000 rendered 40×15 grids held in memory (target ≤ 30 MB);
 *   3. a page of 20 thumbnail rows on the UI thread: asking the pipeline for 20 ready grids and
 *      drawing them into ncurses (target: far below a frame, 16 ms), and how long 20 new ones take
 *      to arrive from the workers (which the UI does not wait for).
 * The JPEG is made here (smooth gradients with noise, like a photo), so the run needs no data. */
#include <curses.h>

#include "fetch.h"
#include "image.h"
#include "thumb.h"
#include "thumbq.h"
#include "thumb_curses.h"
#include "util.h"
#include "test_media_enc.h"

#include <limits.h>
#include <locale.h>
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double pct(double *v, int n, double p)   /* v sorted */
{
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const struct error *err)
{
    fprintf(stderr, "bench/thumb: %s: %s\n", what, err ? err->msg : "failed");
    exit(1);
}

#define RUNS 200

static void bench_decode_render(const unsigned char *jpg, size_t len, enum thumb_colors colors)
{
    struct thumb_opts o;
    thumb_opts_default(&o, 40, 15);
    o.colors = colors;
    o.ascii = 0;
    int mw, mh;
    thumb_pixel_box(&o, &mw, &mh);
    static double total[RUNS], dec[RUNS], ren[RUNS], cpu[RUNS];
    struct error err;
    int dw = 0, dh = 0, tc = 0, tr = 0;
    for (int i = -20; i < RUNS; i++) {   /* 20 warm-up runs */
        double c0 = cpu_ms(), t0 = now_ms();
        struct image im;
        if (image_decode(jpg, len, mw, mh, &im, &err) < 0) die("decode", &err);
        double t1 = now_ms();
        struct thumb t;
        if (thumb_render(&im, &o, &t, &err) < 0) die("render", &err);
        double t2 = now_ms();
        dw = im.w;
        dh = im.h;
        tc = t.cols;
        tr = t.rows;
        thumb_free(&t);
        image_free(&im);
        if (i >= 0) {
            total[i] = t2 - t0;
            cpu[i] = cpu_ms() - c0;
            dec[i] = t1 - t0;
            ren[i] = t2 - t1;
        }
    }
    double md = median(dec, RUNS), mr = median(ren, RUNS), mt = median(total, RUNS), mc = median(cpu, RUNS);
    printf("  %-7s decode %.2f ms (to %d×%d) + render %.2f ms (%d×%d cells) = median %.2f ms, p90 %.2f ms"
           " (CPU %.2f ms, all threads)   [target ≤ 2 ms: %s]\n",
           thumb_colors_name(colors), md, dw, dh, mr, tc, tr, mt, pct(total, RUNS, 0.9), mc,
           mt <= 2.0 ? "met" : "MISSED");
}

static void bench_memory(const unsigned char *jpg, size_t len)
{
    struct thumb_opts o;
    thumb_opts_default(&o, 40, 15);
    o.colors = THUMB_COLORS_DIRECT;
    o.ascii = 0;
    int mw, mh;
    thumb_pixel_box(&o, &mw, &mh);
    struct error err;
    struct image im;
    if (image_decode(jpg, len, mw, mh, &im, &err) < 0) die("decode", &err);
    enum { N = 1000 };
    struct thumb *t = calloc(N, sizeof *t);
    struct mallinfo2 before = mallinfo2();
    size_t counted = 0;
    for (int i = 0; i < N; i++) {
        if (thumb_render(&im, &o, &t[i], &err) < 0) die("render", &err);
        counted += thumb_bytes(&t[i]);
    }
    struct mallinfo2 after = mallinfo2();
    double heap_mb = (double)(after.uordblks - before.uordblks) / (1024.0 * 1024.0);
    double counted_mb = counted / (1024.0 * 1024.0);
    printf("  1,000 cached 40×15 grids: %.1f MB on the heap (%.1f MB as thumbq counts them)"
           "   [target ≤ 30 MB: %s]\n",
           heap_mb, counted_mb, heap_mb <= 30 ? "met" : "MISSED");
    for (int i = 0; i < N; i++) thumb_free(&t[i]);
    free(t);
    image_free(&im);
}

/* 20 copies of the JPEG behind file:// URLs, through the real pipeline and into ncurses. */
static void bench_page(const unsigned char *jpg, size_t len)
{
    char dir[] = "/tmp/winnow-bench-thumb.XXXXXX";
    if (!mkdtemp(dir)) die("mkdtemp", NULL);
    enum { ROWS = 20 };
    char url[ROWS][128], path[ROWS][64];
    for (int i = 0; i < ROWS; i++) {
        snprintf(path[i], sizeof path[i], "%s/p%02d.jpg", dir, i);
        FILE *f = fopen(path[i], "wb");
        if (!f || fwrite(jpg, 1, len, f) != len) die("write", NULL);
        fclose(f);
        memcpy(url[i], "file://", 7);
        memcpy(url[i] + 7, path[i], sizeof path[i]);
    }
    struct fetcher *fe = fetch_new(NULL);
    struct thumbq *q = thumbq_new(fe, NULL, 0, 2);
    /* a list row's thumbnail: 8 × 3 cells */
    double t0 = now_ms();
    for (int i = 0; i < ROWS; i++) thumbq_request(q, url[i], 8, 3, THUMB_COLORS_256, 1);
    double t_req = now_ms() - t0;
    while (thumbq_pending(q) > 0) {
        struct fetch_waitfd w = {thumbq_fd(q), POLLIN, 0};
        fetch_poll(fe, 100, &w, 1);
        thumbq_collect(q, NULL, NULL);
    }
    double t_ready = now_ms() - t0;

    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    if (!scr) die("newterm xterm-256color", NULL);
    set_term(scr);
    start_color();
    use_default_colors();
    struct thumb_pairs pairs;
    ui_thumb_pairs_init(&pairs, 16);
    WINDOW *w = newwin(ROWS * 3, 100, 0, 0);
    enum { PAGES = 200 };
    static double per[PAGES];
    for (int p = 0; p < PAGES; p++) {
        double a = now_ms();
        werase(w);
        /* each page shifts the rows, as scrolling does, so the screen really changes */
        for (int i = 0; i < ROWS; i++) {
            int k = (i + p) % ROWS;
            thumbq_request(q, url[k], 8, 3, THUMB_COLORS_256, 1);
            const struct thumb *t = thumbq_get(q, url[k], 8, 3, THUMB_COLORS_256, NULL);
            if (t) ui_thumb_draw_curses(w, i * 3, 0, t, &pairs);
            mvwprintw(w, i * 3, 10, "item %d: a title beside its thumbnail", k);
        }
        wnoutrefresh(w);
        doupdate();
        per[p] = now_ms() - a;
    }
    double m = median(per, PAGES);
    printf("  a page of 20 rows with 8×3 thumbnails: request+get+draw+doupdate median %.3f ms, p99 %.3f ms"
           "   [one frame is 16 ms: %s]\n",
           m, pct(per, PAGES, 0.99), m < 4 ? "no visible delay" : "VISIBLE");
    printf("  20 new thumbnails: asking took %.3f ms on the UI thread; all ready from the workers after %.1f ms\n",
           t_req, t_ready);
    delwin(w);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    thumbq_free(q);
    fetch_free(fe);
    for (int i = 0; i < ROWS; i++) unlink(path[i]);
    rmdir(dir);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    uint8_t *px = pattern_rgba(480, 360, PAT_PHOTO, 1);
    unsigned char *jpg;
    size_t len;
    enc_jpeg(px, 480, 360, 85, 0, 0, &jpg, &len);
    free(px);
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    printf("bench/thumb: a 480×360 JPEG (%zu KB), %ld CPUs, load average %.2f (the times are wall clock:"
           " a busy machine shows here)\n",
           len / 1024, sysconf(_SC_NPROCESSORS_ONLN), load[0]);
    bench_decode_render(jpg, len, THUMB_COLORS_256);
    bench_decode_render(jpg, len, THUMB_COLORS_DIRECT);
    bench_memory(jpg, len);
    bench_page(jpg, len);
    free(jpg);
    return 0;
}
