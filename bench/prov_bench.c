/* SPDX-License-Identifier: ISC */
/* Provenance benchmark: full verification of a 2 MB PNG with a manifest (made here: a real PNG of
 * noise written with libpng, signed by the tests' C2PA writer with ES256 and PS256), of the largest
 * real fixture, and the scan of images that carry no manifest.  Prints medians; the targets from
 * the issue are 20 ms and 0.1 ms.  Then large files verified from disk (prov_scan_file, hashed as a
 * stream): a 50 MB MP4 with a BMFF v2 hash and a 20 MB TIFF, each timed and with the peak RSS of a
 * fresh process that does nothing else.  Usage: prov_bench [FIXTURES/provenance]
 * (prov_bench --scan-file FILE is that fresh process: it prints "ms maxrss_kb state".) */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prov.h"
#include "../tests/unit/prov_testsign.h"

struct mem {
    unsigned char *p;
    size_t n, cap;
};

static void mem_write(png_structp png, png_bytep data, png_size_t len)
{
    struct mem *m = png_get_io_ptr(png);
    if (m->n + len > m->cap) {
        m->cap = (m->n + len) * 2;
        m->p = xrealloc(m->p, m->cap);
    }
    memcpy(m->p + m->n, data, len);
    m->n += len;
}

static void mem_flush(png_structp png) { (void)png; }

/* A real, decodable PNG of w x h RGB noise (noise does not compress: ~3 bytes a pixel). */
static unsigned char *noise_png(int w, int h, size_t *len)
{
    struct mem m = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        fprintf(stderr, "libpng failed\n");
        exit(1);
    }
    png_set_write_fn(png, &m, mem_write, mem_flush);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 1);
    png_write_info(png, info);
    unsigned char *row = xmalloc((size_t)w * 3);
    uint32_t x = 2463534242u;
    for (int y = 0; y < h; y++) {
        for (int i = 0; i < w * 3; i++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            row[i] = (unsigned char)x;
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    *len = m.n;
    return m.p;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median ms of n scans (no cache: every run verifies). */
static double time_scan(const void *p, size_t len, int n, const struct prov_trust *t, struct prov_media *m)
{
    double *ms = xmalloc(sizeof *ms * (size_t)n);
    struct prov_scan_opts o = {.trust = t};
    for (int i = 0; i < n; i++) {
        double t0 = now_ms();
        prov_scan(p, len, &o, m);
        ms[i] = now_ms() - t0;
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_d);
    double med = ms[n / 2];
    free(ms);
    return med;
}

static void report(const char *what, size_t len, double ms, double target, const struct prov_media *m)
{
    printf("  %-48s %6.2f MB %9.4f ms  %-7s", what, (double)len / 1e6, ms, prov_state_name(m->state));
    if (target > 0) printf("  target %g ms: %s", target, ms <= target ? "ok" : "OVER");
    printf("\n");
}

/* The child: one streamed verification of FILE, its time and its own peak RSS. */
static int scan_file_child(const char *path)
{
    struct prov_scan_opts o = {0};
    struct prov_media m;
    struct error err;
    error_clear(&err);
    double t0 = now_ms();
    if (prov_scan_file(path, &o, &m, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double ms = now_ms() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%.2f %ld %s\n", ms, ru.ru_maxrss, prov_state_name(m.state));
    return 0;
}

/* Signs a large asset into a file, then verifies it in fresh processes: median time, peak RSS. */
static void large_file(const char *container, size_t size, const char *what, const char *self)
{
    struct tsign_key k;
    if (tsign_keys(&k, "ES256") < 0) return;
    struct tsign_opts o = {.container = container, .claim_version = 2,
                           .source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"};
    size_t bl, sl;
    uint8_t *base = tsign_base(container, size, &bl);
    uint8_t *s = tsign_asset(base, bl, &k, &o, &sl);
    free(base);
    tsign_keys_free(&k);
    char path[] = "/tmp/winnow-prov-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, s, sl) != (ssize_t)sl) {
        fprintf(stderr, "cannot write %s\n", path);
        if (fd >= 0) close(fd);
        free(s);
        return;
    }
    close(fd);
    free(s);
    double ms[5];
    long rss = 0;
    char state[32] = "?";
    for (int i = 0; i < 5; i++) {
        int pfd[2];
        if (pipe(pfd) < 0) break;
        pid_t pid = fork();
        if (pid == 0) {
            dup2(pfd[1], 1);
            close(pfd[0]);
            execl(self, self, "--scan-file", path, (char *)NULL);
            _exit(127);
        }
        close(pfd[1]);
        char line[128] = "";
        ssize_t r = read(pfd[0], line, sizeof line - 1);
        close(pfd[0]);
        waitpid(pid, NULL, 0);
        line[r > 0 ? r : 0] = 0;
        long kb = 0;
        if (sscanf(line, "%lf %ld %31s", &ms[i], &kb, state) != 3) ms[i] = -1;
        if (kb > rss) rss = kb;
    }
    unlink(path);
    qsort(ms, 5, sizeof ms[0], cmp_d);
    printf("  %-48s %6.2f MB %9.4f ms  %-7s  peak RSS %.1f MB (streamed from disk)\n", what, (double)sl / 1e6, ms[2],
           state, (double)rss / 1024.0);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--scan-file")) return scan_file_child(argv[2]);
    const char *fixtures = argc > 1 ? argv[1] : NULL;
    struct prov_trust *trust = prov_trust_new();
    struct error err;
    char path[4096];
    if (fixtures) {
        snprintf(path, sizeof path, "%s/trust/C2PA-TRUST-LIST.pem", fixtures);
        if (prov_trust_add_file(trust, path, 1, &err) < 0) fprintf(stderr, "(no trust list: %s)\n", err.msg);
    }
    size_t plen;
    unsigned char *png = noise_png(820, 820, &plen);
    printf("provenance: median of repeated scans, no cache, trust store of %d anchors\n",
           prov_trust_count(trust, 1) + prov_trust_count(trust, 0));
    struct prov_media m;
    static const char *const algs[] = {"ES256", "PS256"};
    for (int a = 0; a < 2; a++) {
        struct tsign_key k;
        if (tsign_keys(&k, algs[a]) < 0) return 1;
        struct tsign_opts o = {.container = "png", .claim_version = 2,
                               .source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"};
        size_t sl;
        uint8_t *s = tsign_asset(png, plen, &k, &o, &sl);
        double ms = time_scan(s, sl, 41, trust, &m);
        char what[80];
        snprintf(what, sizeof what, "full verification, PNG with manifest (%s)", algs[a]);
        report(what, sl, ms, 20.0, &m);
        free(s);
        tsign_keys_free(&k);
    }
    if (fixtures) {
        snprintf(path, sizeof path, "%s/amazon-titan-g1.png", fixtures);
        char *b;
        size_t bl;
        if (read_file(path, 64u << 20, &b, &bl, &err) == 0) {
            report("full verification, amazon-titan-g1.png (ES384)", bl, time_scan(b, bl, 41, trust, &m), 20.0, &m);
            free(b);
        }
        snprintf(path, sizeof path, "%s/video1.mp4", fixtures);
        if (read_file(path, 64u << 20, &b, &bl, &err) == 0) {
            report("full verification, video1.mp4 (BMFF v2 hash)", bl, time_scan(b, bl, 41, trust, &m), 0, &m);
            free(b);
        }
    }
    report("scan, PNG without manifest", plen, time_scan(png, plen, 1001, trust, &m), 0.1, &m);
    size_t jl;
    uint8_t *jpg = tsign_base("jpeg", 2000000, &jl);
    report("scan, JPEG without manifest", jl, time_scan(jpg, jl, 1001, trust, &m), 0.1, &m);
    free(jpg);
    uint8_t *webp = tsign_base("webp", 2000000, &jl);
    report("scan, WebP without manifest", jl, time_scan(webp, jl, 1001, trust, &m), 0.1, &m);
    free(webp);
    free(png);
    large_file("mp4", 50u * 1000 * 1000, "verification from disk, 50 MB MP4 (BMFF v2 hash)", "/proc/self/exe");
    large_file("tiff", 20u * 1000 * 1000, "verification from disk, 20 MB TIFF (data hash)", "/proc/self/exe");
    prov_trust_free(trust);
    return 0;
}
