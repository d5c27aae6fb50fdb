/* SPDX-License-Identifier: ISC */
/* Image decoding: sniffing the format from magic bytes, dispatch to the per-format decoders, and
 * the size checks and row scaler they share. */
#include "image.h"
#include "image_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int starts(const uint8_t *b, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(b, magic, n) == 0;
}

/* ISO-BMFF: the ftyp box names AVIF as the major brand or among the compatible ones. */
static int ftyp_has_brand(const uint8_t *b, size_t len, const char *brand)
{
    if (len < 16 || memcmp(b + 4, "ftyp", 4) != 0) return 0;
    size_t box = (size_t)b[0] << 24 | (size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3];
    if (box < 16 || box > len) box = len;
    if (memcmp(b + 8, brand, 4) == 0) return 1;
    for (size_t off = 16; off + 4 <= box; off += 4)
        if (memcmp(b + off, brand, 4) == 0) return 1;
    return 0;
}

enum image_format image_sniff(const void *buf, size_t len)
{
    const uint8_t *b = buf;
    if (!b) return IMAGE_UNKNOWN;
    if (starts(b, len, "\xff\xd8\xff", 3)) return IMAGE_JPEG;
    if (starts(b, len, "\x89PNG\r\n\x1a\n", 8)) return IMAGE_PNG;
    if (starts(b, len, "GIF87a", 6) || starts(b, len, "GIF89a", 6)) return IMAGE_GIF;
    if (len >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4)) return IMAGE_WEBP;
    if (ftyp_has_brand(b, len, "avif") || ftyp_has_brand(b, len, "avis")) return IMAGE_AVIF;
    return IMAGE_UNKNOWN;
}

const char *image_format_name(enum image_format f)
{
    switch (f) {
    case IMAGE_JPEG: return "JPEG";
    case IMAGE_PNG: return "PNG";
    case IMAGE_WEBP: return "WebP";
    case IMAGE_GIF: return "GIF";
    case IMAGE_AVIF: return "AVIF";
    default: return "unknown";
    }
}

/* Names what the bytes look like when they are no image we read, so that the error says more
 * than "unknown": a server's HTML error page is the usual culprit. */
static const char *describe_other(const uint8_t *b, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(b, "\xef\xbb\xbf", 3)) i = 3;
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) i++;
    const char *t = (const char *)b + i;
    size_t n = len - i;
    if (n >= 5 && (!strncasecmp(t, "<!doc", 5) || !strncasecmp(t, "<html", 5) ||
                   !strncasecmp(t, "<head", 5) || !strncasecmp(t, "<body", 5)))
        return "an HTML page";
    if (n >= 4 && !strncasecmp(t, "<svg", 4)) return "an SVG image (not supported)";
    if (n >= 5 && !strncasecmp(t, "<?xml", 5)) {
        size_t m = n < 512 ? n : 512;
        for (size_t j = 0; j + 4 <= m; j++)
            if (!strncasecmp(t + j, "<svg", 4)) return "an SVG image (not supported)";
        return "an XML document";
    }
    if (n >= 1 && (t[0] == '{' || t[0] == '[')) return "JSON or text";
    if (starts(b, len, "BM", 2)) return "a BMP image (not supported)";
    if (starts(b, len, "II*\0", 4) || starts(b, len, "MM\0*", 4)) return "a TIFF image (not supported)";
    if (starts(b, len, "\0\0\1\0", 4)) return "an ICO icon (not supported)";
    if (ftyp_has_brand(b, len, "heic") || ftyp_has_brand(b, len, "mif1"))
        return "a HEIF image (not supported)";
    if (len >= 12 && !memcmp(b + 4, "ftyp", 4)) return "a video or other ISO media file";
    return NULL;
}

int image_decode(const void *buf, size_t len, int max_w, int max_h, struct image *out,
                 struct error *err)
{
    memset(out, 0, sizeof *out);
    if (!buf || len == 0) {
        error_set(err, "no image data (empty)");
        return -1;
    }
    if (len > IMAGE_MAX_BYTES) {
        error_set(err, "image data is %zu bytes, over the %u MiB limit", len,
                  IMAGE_MAX_BYTES / (1024u * 1024u));
        return -1;
    }
    if (max_w < 0) max_w = 0;
    if (max_h < 0) max_h = 0;
    enum image_format f = image_sniff(buf, len);
    int rc;
    switch (f) {
    case IMAGE_JPEG: rc = img_decode_jpeg(buf, len, max_w, max_h, out, err); break;
    case IMAGE_PNG: rc = img_decode_png(buf, len, max_w, max_h, out, err); break;
    case IMAGE_WEBP: rc = img_decode_webp(buf, len, max_w, max_h, out, err); break;
    case IMAGE_GIF: rc = img_decode_gif(buf, len, max_w, max_h, out, err); break;
    case IMAGE_AVIF:
#ifdef HAVE_AVIF
        rc = img_decode_avif(buf, len, max_w, max_h, out, err);
        break;
#else
        error_set(err, "AVIF image, but this winnow was built without libavif");
        return -1;
#endif
    default: {
        const char *what = describe_other(buf, len);
        if (what) error_set(err, "not an image: the data is %s", what);
        else error_set(err, "not an image (no JPEG, PNG, WebP, GIF or AVIF signature)");
        return -1;
    }
    }
    if (rc < 0) {
        image_free(out);
        return -1;
    }
    out->format = f;
    return 0;
}

void image_free(struct image *img)
{
    if (!img) return;
    free(img->px);
    memset(img, 0, sizeof *img);
}

/* ---------------------------------------------------------------------------------------------- */

int img_check_size(const char *fmt, unsigned long w, unsigned long h, unsigned long max_px,
                   struct error *err)
{
    if (w == 0 || h == 0) {
        error_set(err, "%s: the header gives a size of %lu×%lu", fmt, w, h);
        return -1;
    }
    /* 64-bit product: the header fields are at most 32 bits each */
    unsigned long long px = (unsigned long long)w * h;
    if (px > max_px) {
        error_set(err, "%s: %lu×%lu is over the %lu-megapixel limit", fmt, w, h,
                  max_px / (1024ul * 1024ul));
        return -1;
    }
    return 0;
}

double img_fit_scale(int sw, int sh, int max_w, int max_h)
{
    double s = 1.0;
    if (max_w > 0 && max_w < sw) s = (double)max_w / sw;
    if (max_h > 0 && max_h < sh) {
        double t = (double)max_h / sh;
        if (t < s) s = t;
    }
    return s;
}

int img_scaler_init(struct img_scaler *s, int sw, int sh, int max_w, int max_h, struct error *err)
{
    memset(s, 0, sizeof *s);
    double f = img_fit_scale(sw, sh, max_w, max_h);
    /* The largest whole factor that keeps the result at least as large as the fitted picture;
     * capped so that a row's sums cannot overflow 32 bits (255 × k²). */
    long k = (long)floor(1.0 / f + 1e-9);
    if (k < 1) k = 1;
    if (k > 4096) k = 4096;
    s->sw = sw;
    s->sh = sh;
    s->k = (int)k;
    s->ow = (int)((sw + k - 1) / k);
    s->oh = (int)((sh + k - 1) / k);
    size_t bytes = (size_t)s->ow * (size_t)s->oh * 4;
    s->out = malloc(bytes);
    if (s->k > 1) {
        s->row = malloc((size_t)sw * 4);
        s->acc = calloc((size_t)s->ow * 4, sizeof *s->acc);
    }
    if (!s->out || (s->k > 1 && (!s->row || !s->acc))) {
        img_scaler_free(s);
        error_set(err, "out of memory for a %d×%d image", sw, sh);
        return -1;
    }
    return 0;
}

uint8_t *img_scaler_row(struct img_scaler *s, int y)
{
    if (s->k == 1) return s->out + (size_t)y * s->ow * 4;
    return s->row;
}

static void flush_row(struct img_scaler *s, int oy, int rows_in)
{
    uint8_t *o = s->out + (size_t)oy * s->ow * 4;
    for (int ox = 0; ox < s->ow; ox++) {
        int cols_in = s->sw - ox * s->k;
        if (cols_in > s->k) cols_in = s->k;
        uint32_t n = (uint32_t)(cols_in * rows_in);
        uint32_t *a = s->acc + ox * 4;
        uint32_t sa = a[3];
        if (sa == 0) {
            o[0] = o[1] = o[2] = o[3] = 0;
        } else {
            /* a[0..2] hold colour × alpha / 255; undo the weighting */
            for (int c = 0; c < 3; c++) {
                uint64_t v = ((uint64_t)a[c] * 255 + sa / 2) / sa;
                o[c] = (uint8_t)(v > 255 ? 255 : v);
            }
            o[3] = (uint8_t)((sa + n / 2) / n);
        }
        a[0] = a[1] = a[2] = a[3] = 0;
        o += 4;
    }
}

void img_scaler_push(struct img_scaler *s, int y)
{
    if (s->k == 1) return;
    const uint8_t *p = s->row;
    uint32_t *acc = s->acc;
    int k = s->k;
    for (int x = 0; x < s->sw; x++, p += 4) {
        uint32_t *a = acc + (x / k) * 4;
        uint32_t al = p[3];
        if (al == 255) {
            a[0] += p[0];
            a[1] += p[1];
            a[2] += p[2];
        } else if (al) {
            a[0] += (p[0] * al + 127) / 255;
            a[1] += (p[1] * al + 127) / 255;
            a[2] += (p[2] * al + 127) / 255;
        }
        a[3] += al;
    }
    if (y % k == k - 1 || y == s->sh - 1) flush_row(s, y / k, y % k + 1);
}

void img_scaler_finish(struct img_scaler *s, struct image *img)
{
    img->w = s->ow;
    img->h = s->oh;
    img->px = s->out;
    s->out = NULL;
    img_scaler_free(s);
}

void img_scaler_free(struct img_scaler *s)
{
    free(s->out);
    free(s->row);
    free(s->acc);
    s->out = s->row = NULL;
    s->acc = NULL;
}
