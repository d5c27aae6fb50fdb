/* SPDX-License-Identifier: ISC */
/* The image decoders: every format made in the test by its own library, the JPEG/PNG fixtures,
 * and truncated, corrupt and huge-dimension pictures that must fail with a clear message and
 * without allocating for the size they claim. */
#include "image.h"
#include "util.h"
#include "testutil.h"
#include "test_media_enc.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void px_at(const struct image *im, double fx, double fy, int *r, int *g, int *b, int *a)
{
    int x = (int)(fx * (im->w - 1)), y = (int)(fy * (im->h - 1));
    const uint8_t *p = im->px + ((size_t)y * im->w + x) * 4;
    *r = p[0];
    *g = p[1];
    *b = p[2];
    *a = p[3];
}

#define assert_reddish(im, fx, fy)                                                                   \
    do {                                                                                         \
        int r_, g_, b_, a_;                                                                      \
        px_at(im, fx, fy, &r_, &g_, &b_, &a_);                                                   \
        if (!(r_ > 180 && g_ < 80 && b_ < 80 && a_ > 200))                                       \
            fail_msg("expected red at (%.2f,%.2f), got %d,%d,%d,%d", fx, fy, r_, g_, b_, a_);    \
    } while (0)

#define assert_blueish(im, fx, fy)                                                                   \
    do {                                                                                         \
        int r_, g_, b_, a_;                                                                      \
        px_at(im, fx, fy, &r_, &g_, &b_, &a_);                                                   \
        if (!(b_ > 180 && g_ < 80 && r_ < 80 && a_ > 200))                                       \
            fail_msg("expected blue at (%.2f,%.2f), got %d,%d,%d,%d", fx, fy, r_, g_, b_, a_);   \
    } while (0)

static void check_red_blue(const struct image *im)
{
    assert_reddish(im, 0.1, 0.5);
    assert_reddish(im, 0.3, 0.9);
    assert_blueish(im, 0.7, 0.5);
    assert_blueish(im, 0.95, 0.1);
}

/* Decodes and checks the red|blue pattern came through at a size that covers the box. */
static void decode_red_blue(const unsigned char *b, size_t n, enum image_format want, int w, int h)
{
    assert_int_equal(image_sniff(b, n), want);
    struct image im;
    struct error err;
    error_clear(&err);
    int rc = image_decode(b, n, 0, 0, &im, &err);
    if (rc != 0) fail_msg("%s: %s", image_format_name(want), err.msg);
    assert_int_equal(im.format, want);
    assert_int_equal(im.src_w, w);
    assert_int_equal(im.src_h, h);
    assert_int_equal(im.w, w);
    assert_int_equal(im.h, h);
    check_red_blue(&im);
    image_free(&im);
}

/* ---------------------------------------------------------------------------------------------- */

static void test_sniff(void **state)
{
    (void)state;
    assert_int_equal(image_sniff("\xff\xd8\xff\xe0", 4), IMAGE_JPEG);
    assert_int_equal(image_sniff("\x89PNG\r\n\x1a\n", 8), IMAGE_PNG);
    assert_int_equal(image_sniff("GIF89a", 6), IMAGE_GIF);
    assert_int_equal(image_sniff("GIF87a", 6), IMAGE_GIF);
    assert_int_equal(image_sniff("RIFF\0\0\0\0WEBPVP8 ", 16), IMAGE_WEBP);
    assert_int_equal(image_sniff("\0\0\0\x1c" "ftypavif\0\0\0\0mif1miaf", 28), IMAGE_AVIF);
    assert_int_equal(image_sniff("\0\0\0\x1c" "ftypmif1\0\0\0\0mif1avif", 28), IMAGE_AVIF);
    assert_int_equal(image_sniff("RIFF\0\0\0\0WAVE", 12), IMAGE_UNKNOWN);
    assert_int_equal(image_sniff("\xff\xd8", 2), IMAGE_UNKNOWN);
    assert_int_equal(image_sniff(NULL, 0), IMAGE_UNKNOWN);
    assert_string_equal(image_format_name(IMAGE_WEBP), "WebP");
}

static void test_not_images(void **state)
{
    (void)state;
    struct image im;
    struct error err;
    static const struct {
        const char *data, *want;
    } cases[] = {
        {"<!DOCTYPE html><html><body>404</body></html>", "HTML page"},
        {"\n  <html lang=en>", "HTML page"},
        {"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "SVG"},
        {"<?xml version=\"1.0\"?><rss/>", "XML document"},
        {"{\"error\": \"nope\"}", "JSON"},
        {"BM\x36\0\0\0", "BMP"},
        {"just some bytes", "no JPEG, PNG, WebP, GIF or AVIF signature"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        error_clear(&err);
        assert_int_equal(image_decode(cases[i].data, strlen(cases[i].data), 0, 0, &im, &err), -1);
        assert_null(im.px);
        if (!strstr(err.msg, "not an image") || !strstr(err.msg, cases[i].want))
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err.msg, cases[i].want);
    }
    error_clear(&err);
    assert_int_equal(image_decode("", 0, 0, 0, &im, &err), -1);
    assert_non_null(strstr(err.msg, "empty"));
    /* over the byte cap: refused before any decoder looks */
    size_t big = IMAGE_MAX_BYTES + 1;
    unsigned char *b = calloc(1, big);
    memcpy(b, "\x89PNG\r\n\x1a\n", 8);
    error_clear(&err);
    assert_int_equal(image_decode(b, big, 0, 0, &im, &err), -1);
    assert_non_null(strstr(err.msg, "over the 16 MiB limit"));
    free(b);
}

static void test_jpeg(void **state)
{
    (void)state;
    uint8_t *px = pattern_rgba(160, 96, PAT_RED_BLUE, 0);
    unsigned char *b = NULL;
    size_t n = 0;
    enc_jpeg(px, 160, 96, 95, 0, 0, &b, &n);
    decode_red_blue(b, n, IMAGE_JPEG, 160, 96);
    free(b);
    /* progressive */
    enc_jpeg(px, 160, 96, 95, 1, 0, &b, &n);
    decode_red_blue(b, n, IMAGE_JPEG, 160, 96);
    free(b);
    /* grayscale comes out as RGBA grey */
    enc_jpeg(px, 160, 96, 95, 0, 1, &b, &n);
    struct image im;
    struct error err;
    assert_int_equal(image_decode(b, n, 0, 0, &im, &err), 0);
    int r, g, bl, a;
    px_at(&im, 0.5, 0.5, &r, &g, &bl, &a);
    assert_int_equal(r, g);
    assert_int_equal(g, bl);
    assert_int_equal(a, 255);
    image_free(&im);
    free(b);
    free(px);
}

/* The DCT scale is the smallest M/8 (M a power of two) that still covers the fitted size. */
static void test_jpeg_dct_scaling(void **state)
{
    (void)state;
    uint8_t *px = pattern_rgba(480, 360, PAT_RED_BLUE, 0);
    unsigned char *b = NULL;
    size_t n = 0;
    enc_jpeg(px, 480, 360, 90, 0, 0, &b, &n);
    struct image im;
    struct error err;
    /* 320 × 240 box: 2/3 needs 6/8, which is no faster than 8/8: the full size */
    assert_int_equal(image_decode(b, n, 320, 240, &im, &err), 0);
    assert_int_equal(im.w, 480);
    assert_int_equal(im.h, 360);
    assert_int_equal(im.src_w, 480);
    check_red_blue(&im);
    image_free(&im);
    /* 240 × 180: exactly 4/8 */
    assert_int_equal(image_decode(b, n, 240, 180, &im, &err), 0);
    assert_int_equal(im.w, 240);
    assert_int_equal(im.h, 180);
    image_free(&im);
    /* 100 × 100: 100/480 needs 2/8 = 120 × 90 */
    assert_int_equal(image_decode(b, n, 100, 100, &im, &err), 0);
    assert_int_equal(im.w, 120);
    assert_int_equal(im.h, 90);
    check_red_blue(&im);
    image_free(&im);
    /* 60 × 45: exactly 1/8 */
    assert_int_equal(image_decode(b, n, 60, 45, &im, &err), 0);
    assert_int_equal(im.w, 60);
    assert_int_equal(im.h, 45);
    image_free(&im);
    /* 20 × 20: 1/8 is not enough; the box filter takes it to ≥ 20 wide: 60/2 = 30 × 23 */
    assert_int_equal(image_decode(b, n, 20, 20, &im, &err), 0);
    assert_true(im.w >= 20 && im.w <= 40);
    assert_true(im.h >= 15 && im.h <= 30);
    check_red_blue(&im);
    image_free(&im);
    free(b);
    free(px);
}

static void test_png(void **state)
{
    (void)state;
    uint8_t *px = pattern_rgba(100, 60, PAT_RED_BLUE, 0);
    unsigned char *b = NULL;
    size_t n = 0;
    static const enum png_kind kinds[] = {PNGK_RGB, PNGK_RGBA, PNGK_PALETTE_TRNS};
    for (size_t k = 0; k < 3; k++)
        for (int il = 0; il < 2; il++) {
            assert_int_equal(enc_png(px, 100, 60, kinds[k], il, &b, &n), 0);
            decode_red_blue(b, n, IMAGE_PNG, 100, 60);
            free(b);
        }
    /* 16-bit grey: stripped to 8, expanded to RGB */
    assert_int_equal(enc_png(px, 100, 60, PNGK_GRAY16, 0, &b, &n), 0);
    struct image im;
    struct error err;
    assert_int_equal(image_decode(b, n, 0, 0, &im, &err), 0);
    int r, g, bl, a;
    px_at(&im, 0.1, 0.5, &r, &g, &bl, &a);
    assert_true(r == g && g == bl && a == 255 && r > 50 && r < 100);
    image_free(&im);
    free(b);
    free(px);
}

/* Transparency survives decoding, and the box filter does not let transparent pixels bleed. */
static void test_png_alpha_and_box_filter(void **state)
{
    (void)state;
    uint8_t *px = pattern_rgba(400, 200, PAT_ALPHA_TOP, 0);
    unsigned char *b = NULL;
    size_t n = 0;
    assert_int_equal(enc_png(px, 400, 200, PNGK_RGBA, 0, &b, &n), 0);
    struct image im;
    struct error err;
    assert_int_equal(image_decode(b, n, 100, 100, &im, &err), 0);
    /* fit 100 × 50, factor 4: 100 × 50 */
    assert_int_equal(im.w, 100);
    assert_int_equal(im.h, 50);
    int r, g, bl, a;
    px_at(&im, 0.2, 0.1, &r, &g, &bl, &a);
    assert_int_equal(a, 0);
    assert_reddish(&im, 0.2, 0.9);
    assert_blueish(&im, 0.8, 0.9);
    image_free(&im);
    free(b);
    free(px);
}

static void test_webp(void **state)
{
    (void)state;
    uint8_t *px = pattern_rgba(128, 64, PAT_RED_BLUE, 0);
    unsigned char *b = NULL;
    size_t n = 0;
    for (int lossless = 0; lossless < 2; lossless++) {
        assert_int_equal(enc_webp(px, 128, 64, lossless, &b, &n), 0);
        decode_red_blue(b, n, IMAGE_WEBP, 128, 64);
        /* libwebp shrinks while decoding */
        struct image im;
        struct error err;
        assert_int_equal(image_decode(b, n, 32, 32, &im, &err), 0);
        assert_int_equal(im.w, 32);
        assert_int_equal(im.h, 16);
        check_red_blue(&im);
        image_free(&im);
        free(b);
    }
    free(px);
}

static void test_webp_animated_first_frame(void **state)
{
    (void)state;
    uint8_t *px1 = pattern_rgba(64, 32, PAT_RED_BLUE, 0);
    uint8_t *px2 = pattern_rgba(64, 32, PAT_NOISE, 7);
    unsigned char *f1 = NULL, *f2 = NULL;
    size_t n1 = 0, n2 = 0, n = 0;
    assert_int_equal(enc_webp(px1, 64, 32, 1, &f1, &n1), 0);
    assert_int_equal(enc_webp(px2, 64, 32, 1, &f2, &n2), 0);
    assert_memory_equal(f1 + 12, "VP8L", 4);
    unsigned char *anim = webp_animated(f1, n1, f2, n2, 64, 32, &n);
    decode_red_blue(anim, n, IMAGE_WEBP, 64, 32);
    free(anim);
    free(f1);
    free(f2);
    free(px1);
    free(px2);
}

static void test_gif(void **state)
{
    (void)state;
    uint8_t *px = pattern_rgba(90, 50, PAT_RED_BLUE, 0);
    unsigned char *b = NULL;
    size_t n = 0;
    for (int il = 0; il < 2; il++) {
        assert_int_equal(enc_gif(px, 90, 50, il, 1, &b, &n), 0);
        decode_red_blue(b, n, IMAGE_GIF, 90, 50);
        free(b);
    }
    /* an animation shows its first frame (the second is all blue) */
    assert_int_equal(enc_gif(px, 90, 50, 0, 2, &b, &n), 0);
    decode_red_blue(b, n, IMAGE_GIF, 90, 50);
    free(b);
    free(px);
    /* the transparent index becomes alpha 0 */
    px = pattern_rgba(90, 50, PAT_ALPHA_TOP, 0);
    assert_int_equal(enc_gif(px, 90, 50, 0, 1, &b, &n), 0);
    struct image im;
    struct error err;
    assert_int_equal(image_decode(b, n, 0, 0, &im, &err), 0);
    int r, g, bl, a;
    px_at(&im, 0.5, 0.1, &r, &g, &bl, &a);
    assert_int_equal(a, 0);
    assert_reddish(&im, 0.2, 0.9);
    image_free(&im);
    free(b);
    free(px);
}

static void test_avif(void **state)
{
    (void)state;
    uint8_t *px = pattern_rgba(64, 48, PAT_RED_BLUE, 0);
    unsigned char *b = NULL;
    size_t n = 0;
    if (enc_avif(px, 64, 48, &b, &n) < 0) {
        free(px);
        printf("# AVIF skipped: %s\n",
#ifdef HAVE_AVIF
               "this libavif has no encoder"
#else
               "built without libavif"
#endif
        );
        skip();
    }
    decode_red_blue(b, n, IMAGE_AVIF, 64, 48);
    /* truncated */
    struct image im;
    struct error err;
    error_clear(&err);
    assert_int_equal(image_decode(b, n / 2, 0, 0, &im, &err), -1);
    assert_non_null(strstr(err.msg, "AVIF: "));
    free(b);
    free(px);
}

/* ---------------------------------------------------------------------------------------------- */

static void test_fixtures(void **state)
{
    (void)state;
    char p[4096];
    snprintf(p, sizeof p, "%s/provenance/C.jpg", fixtures_dir());
    struct stat st;
    if (stat(p, &st) != 0) {
        printf("# fixtures not found at %s/provenance: skipped\n", fixtures_dir());
        skip();
    }
    static const struct {
        const char *file;
        int w, h;
    } fx[] = {
        {"provenance/C.jpg", 2048, 1365},       {"provenance/E-sig-CA.jpg", 1024, 683},
        {"provenance/XCA.jpg", 1024, 683},      /* one component: greyscale */
        {"provenance/ocsp.jpg", 1000, 700},     /* progressive, Exif */
        {"provenance/amazon-titan-g1.png", 1024, 1024},
    };
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++) {
        size_t n = 0;
        char *b = fixture_read(fx[i].file, &n);
        struct image im;
        struct error err;
        error_clear(&err);
        double t0 = now_ms();
        if (image_decode(b, n, 320, 240, &im, &err) != 0) fail_msg("%s: %s", fx[i].file, err.msg);
        double ms = now_ms() - t0;
        assert_int_equal(im.src_w, fx[i].w);
        assert_int_equal(im.src_h, fx[i].h);
        /* covers the fitted size, and is not much more than twice it */
        double f = fx[i].w * 240 > fx[i].h * 320 ? 320.0 / fx[i].w : 240.0 / fx[i].h;
        assert_true(im.w >= (int)(fx[i].w * f) && im.h >= (int)(fx[i].h * f));
        assert_true(im.w <= 2 * (int)(fx[i].w * f) + 2);
        printf("# %s %d×%d → %d×%d in %.1f ms\n", fx[i].file, im.src_w, im.src_h, im.w, im.h, ms);
        /* not a flat picture */
        int r0, g0, b0, a0, r1, g1, b1, a1;
        px_at(&im, 0.25, 0.25, &r0, &g0, &b0, &a0);
        px_at(&im, 0.75, 0.75, &r1, &g1, &b1, &a1);
        assert_int_equal(a0, 255);
        image_free(&im);
        free(b);
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* broken pictures */

static void expect_error(const unsigned char *b, size_t n, const char *want1, const char *want2)
{
    struct image im;
    struct error err;
    error_clear(&err);
    assert_int_equal(image_decode(b, n, 0, 0, &im, &err), -1);
    assert_null(im.px);
    assert_true(err.msg[0] != 0);
    if (!strstr(err.msg, want1) || (want2 && !strstr(err.msg, want2)))
        fail_msg("message \"%s\" lacks \"%s\"%s%s", err.msg, want1, want2 ? " / " : "", want2 ? want2 : "");
}

static void test_truncated(void **state)
{
    (void)state;
    /* noise, so that half the file is well into the pixel data */
    uint8_t *px = pattern_rgba(200, 120, PAT_NOISE, 3);
    unsigned char *b = NULL;
    size_t n = 0;
    enc_jpeg(px, 200, 120, 90, 0, 0, &b, &n);
    expect_error(b, n / 2, "JPEG: ", "truncated");
    expect_error(b, 20, "JPEG: ", NULL);
    free(b);
    enc_jpeg(px, 200, 120, 90, 1, 0, &b, &n);
    expect_error(b, n / 2, "JPEG: ", "truncated");
    expect_error(b, n - 2, "JPEG: ", "truncated");
    free(b);
    enc_png(px, 200, 120, PNGK_RGB, 0, &b, &n);
    expect_error(b, n / 2, "PNG: ", "truncated");
    expect_error(b, 30, "PNG: ", "truncated");
    free(b);
    enc_webp(px, 200, 120, 0, &b, &n);
    expect_error(b, n / 2, "WebP: ", "truncated");
    free(b);
    enc_webp(px, 200, 120, 1, &b, &n);
    expect_error(b, n / 2, "WebP: ", "truncated");
    free(b);
    enc_gif(px, 200, 120, 0, 1, &b, &n);
    expect_error(b, n / 2, "GIF: ", "truncated");
    expect_error(b, 10, "GIF: ", NULL);
    free(b);
    free(px);
}

static void test_corrupt(void **state)
{
    (void)state;
    uint8_t *px = pattern_rgba(64, 64, PAT_PHOTO, 5);
    unsigned char *b = NULL;
    size_t n = 0;
    /* JPEG: an impossible sample precision in the frame header */
    enc_jpeg(px, 64, 64, 90, 0, 0, &b, &n);
    for (size_t i = 2; i + 4 < n; i++)
        if (b[i] == 0xff && b[i + 1] == 0xc0) {
            b[i + 4] = 3;
            break;
        }
    expect_error(b, n, "JPEG: ", "precision");
    free(b);
    /* PNG: a damaged IDAT CRC; and damaged compressed data */
    enc_png(px, 64, 64, PNGK_RGB, 0, &b, &n);
    for (size_t i = 8; i + 12 < n; i++)
        if (!memcmp(b + i, "IDAT", 4)) {
            uint32_t len = (uint32_t)b[i - 4] << 24 | b[i - 3] << 16 | b[i - 2] << 8 | b[i - 1];
            b[i + 4 + len] ^= 0x55;
            break;
        }
    expect_error(b, n, "PNG: ", "CRC");
    free(b);
    enc_png(px, 64, 64, PNGK_RGB, 0, &b, &n);
    for (size_t i = 8; i + 12 < n; i++)
        if (!memcmp(b + i, "IDAT", 4)) {
            memset(b + i + 6, 0xff, 8);
            uint32_t len = (uint32_t)b[i - 4] << 24 | b[i - 3] << 16 | b[i - 2] << 8 | b[i - 1];
            put_be32(b + i + 4 + len, crc32_calc(b + i, 4 + len));
            break;
        }
    expect_error(b, n, "PNG: ", NULL);
    free(b);
    /* WebP: a broken VP8L signature */
    enc_webp(px, 64, 64, 1, &b, &n);
    b[20] = 0x00;
    expect_error(b, n, "WebP: ", NULL);
    free(b);
    /* GIF: an LZW code size no encoder writes */
    enc_gif(px, 64, 64, 0, 1, &b, &n);
    for (size_t i = 13 + 768; i + 10 < n; i++)
        if (b[i] == 0x2c) {  /* image descriptor; the LZW minimum code size follows its 9 bytes */
            b[i + 10] = 15;
            break;
        }
    expect_error(b, n, "GIF: ", NULL);
    free(b);
    free(px);
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static long rss_kb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* What one decode does to the peak RSS, measured in a child process so that the peaks of earlier
 * tests do not hide it (a child's peak starts at its size when forked). */
struct decode_probe {
    int rc, w, h;
    long grown_kb;
    char msg[sizeof(struct error)];
};

static struct decode_probe decode_in_child(const unsigned char *b, size_t n, int max_w, int max_h)
{
    struct decode_probe r;
    memset(&r, 0, sizeof r);
    r.rc = -2;
    int p[2];
    if (pipe(p) != 0) return r;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        long before = rss_kb();
        struct image im;
        struct error err;
        error_clear(&err);
        r.rc = image_decode(b, n, max_w, max_h, &im, &err);
        r.grown_kb = max_rss_kb() - before;
        r.w = im.w;
        r.h = im.h;
        snprintf(r.msg, sizeof r.msg, "%s", err.msg);
        image_free(&im);
        ssize_t wr = write(p[1], &r, sizeof r);
        _exit(wr == (ssize_t)sizeof r ? 0 : 1);
    }
    close(p[1]);
    if (read(p[0], &r, sizeof r) != (ssize_t)sizeof r) r.rc = -2;
    close(p[0]);
    waitpid(pid, NULL, 0);
    return r;
}

/* Headers claiming 100000 × 100000 (or each format's largest): refused from the header, before
 * anything of that size is allocated. */
static void test_huge_dimensions(void **state)
{
    (void)state;
    size_t n = 0;
    unsigned char *b = png_claiming(100000, 100000, &n);
    expect_error(b, n, "PNG: 100000×100000 is over the 64-megapixel limit", NULL);
    free(b);
    b = png_claiming(0, 10, &n);
    expect_error(b, n, "PNG: ", NULL);
    free(b);

    uint8_t *px = pattern_rgba(16, 16, PAT_PHOTO, 1);
    enc_jpeg(px, 16, 16, 90, 0, 0, &b, &n);
    for (size_t i = 2; i + 8 < n; i++)
        if (b[i] == 0xff && b[i + 1] == 0xc0) {
            b[i + 5] = 0xfd;   /* height 65000 */
            b[i + 6] = 0xe8;
            b[i + 7] = 0xfd;   /* width 65000 */
            b[i + 8] = 0xe8;
            break;
        }
    expect_error(b, n, "JPEG: 65000×65000 is over the 64-megapixel limit", NULL);
    free(b);

    enc_gif(px, 16, 16, 0, 1, &b, &n);
    b[6] = b[7] = b[8] = b[9] = 0xff;  /* logical screen 65535 × 65535 */
    expect_error(b, n, "GIF: 65535×65535 is over the 64-megapixel limit", NULL);
    free(b);

    enc_webp(px, 16, 16, 1, &b, &n);
    /* VP8L header: 14 bits width-1, 14 bits height-1 */
    uint32_t bits = (uint32_t)b[21] | (uint32_t)b[22] << 8 | (uint32_t)b[23] << 16 | (uint32_t)b[24] << 24;
    bits = (bits & ~0x0fffffffu) | 16383u | 16383u << 14;
    put_le32(b + 21, bits);
    expect_error(b, n, "WebP: 16384×16384 is over the 64-megapixel limit", NULL);
    free(b);
    free(px);

    b = png_claiming(100000, 100000, &n);
    struct decode_probe r = decode_in_child(b, n, 0, 0);
    free(b);
    printf("# refusing 100000×100000 grew the peak RSS by %ld KB\n", r.grown_kb);
    assert_int_equal(r.rc, -1);
    assert_true(r.grown_kb < 4 * 1024);
}

/* A legitimately large picture (8000 × 8000, 64 megapixels of grey, a few hundred KB of PNG)
 * decodes row by row into the box: memory follows the box, not the 256 MB of RGBA it would be. */
static void test_large_picture_bounded_memory(void **state)
{
    (void)state;
    unsigned char *b = NULL;
    size_t n = 0;
    assert_int_equal(enc_png(NULL, 8000, 8000, PNGK_GRAY, 0, &b, &n), 0);
    struct decode_probe r = decode_in_child(b, n, 320, 240);
    printf("# 8000×8000 PNG (%zu KB) → %d×%d, peak RSS grew by %ld KB\n", n / 1024, r.w, r.h, r.grown_kb);
    if (r.rc != 0) fail_msg("rc %d: %s", r.rc, r.msg);
    assert_true(r.w >= 240 && r.w <= 480);
    /* the RGBA picture would be 256 MB; one row plus the result is well under 16 */
    assert_true(r.grown_kb < 16 * 1024);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_not_images),
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_jpeg_dct_scaling),
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_png_alpha_and_box_filter),
        cmocka_unit_test(test_webp),
        cmocka_unit_test(test_webp_animated_first_frame),
        cmocka_unit_test(test_gif),
        cmocka_unit_test(test_avif),
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_huge_dimensions),
        cmocka_unit_test(test_large_picture_bounded_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
