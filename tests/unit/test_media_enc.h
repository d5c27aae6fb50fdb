/* SPDX-License-Identifier: ISC */
/* Test pictures made in the test: pixel patterns, and encoders for every format the decoders read,
 * written with the libraries themselves (no external tool).  Shared by the media tests and the
 * thumbnail benchmark.  Every function returns malloc'd memory (free()). */
#ifndef WINNOW_TEST_MEDIA_ENC_H
#define WINNOW_TEST_MEDIA_ENC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>
#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>
#ifdef HAVE_AVIF
#include <avif/avif.h>
#endif

enum pattern {
    PAT_RED_BLUE,     /* left half pure red, right half pure blue, opaque */
    PAT_NOISE,        /* random bytes (incompressible), opaque */
    PAT_PHOTO,        /* smooth gradients with a little noise: JPEG-friendly, like a photo */
    PAT_ALPHA_TOP,    /* PAT_RED_BLUE with the top half fully transparent */
};

static inline uint8_t *pattern_rgba(int w, int h, enum pattern p, unsigned seed)
{
    uint8_t *px = malloc((size_t)w * h * 4);
    uint32_t s = seed * 2654435761u + 1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *o = px + ((size_t)y * w + x) * 4;
            s = s * 1664525u + 1013904223u;
            switch (p) {
            case PAT_NOISE:
                o[0] = (uint8_t)(s >> 24);
                o[1] = (uint8_t)(s >> 16);
                o[2] = (uint8_t)(s >> 8);
                o[3] = 255;
                break;
            case PAT_PHOTO: {
                int n = (int)(s >> 28) - 8;
                int r = x * 255 / (w > 1 ? w - 1 : 1) + n, g = y * 255 / (h > 1 ? h - 1 : 1) + n,
                    b = ((x + y) * 128 / (w + h)) + 64 + n;
                o[0] = (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
                o[1] = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : g);
                o[2] = (uint8_t)(b < 0 ? 0 : b > 255 ? 255 : b);
                o[3] = 255;
                break;
            }
            default: {
                int left = x < w / 2;
                o[0] = left ? 255 : 0;
                o[1] = 0;
                o[2] = left ? 0 : 255;
                o[3] = (p == PAT_ALPHA_TOP && y < h / 2) ? 0 : 255;
                break;
            }
            }
        }
    return px;
}

/* ---- JPEG ---- */

static inline int enc_jpeg(const uint8_t *rgba, int w, int h, int quality, int progressive, int gray,
                           unsigned char **out, size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    unsigned char *mem = NULL;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &mem, &size);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = gray ? 1 : 4;
    c.in_color_space = gray ? JCS_GRAYSCALE : JCS_EXT_RGBA;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    if (progressive) jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    uint8_t *row = malloc((size_t)w * 4);
    while (c.next_scanline < c.image_height) {
        const uint8_t *src = rgba + (size_t)c.next_scanline * w * 4;
        if (gray)
            for (int x = 0; x < w; x++) row[x] = (uint8_t)((src[x * 4] * 3 + src[x * 4 + 1] * 6 + src[x * 4 + 2]) / 10);
        else memcpy(row, src, (size_t)w * 4);
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *out = malloc(size);
    memcpy(*out, mem, size);
    free(mem);
    *len = size;
    return 0;
}

/* ---- PNG ---- */

struct membuf {
    unsigned char *p;
    size_t len, cap;
};

static inline void membuf_add(struct membuf *m, const void *d, size_t n)
{
    if (m->len + n > m->cap) {
        m->cap = (m->len + n) * 2 + 64;
        m->p = realloc(m->p, m->cap);
    }
    memcpy(m->p + m->len, d, n);
    m->len += n;
}

static inline void png_write_mem(png_structp png, png_bytep d, size_t n)
{
    membuf_add(png_get_io_ptr(png), d, n);
}

static inline void png_flush_mem(png_structp png) { (void)png; }

enum png_kind { PNGK_RGB, PNGK_RGBA, PNGK_GRAY16, PNGK_PALETTE_TRNS, PNGK_GRAY };

/* rgba is ignored for PNGK_GRAY (all black): the big-but-compressible case. */
static inline int enc_png(const uint8_t *rgba, int w, int h, enum png_kind kind, int interlace,
                          unsigned char **out, size_t *len)
{
    struct membuf m = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(m.p);
        return -1;
    }
    png_set_write_fn(png, &m, png_write_mem, png_flush_mem);
    int ctype = kind == PNGK_RGB ? PNG_COLOR_TYPE_RGB
              : kind == PNGK_RGBA ? PNG_COLOR_TYPE_RGBA
              : kind == PNGK_PALETTE_TRNS ? PNG_COLOR_TYPE_PALETTE
                                          : PNG_COLOR_TYPE_GRAY;
    int depth = kind == PNGK_GRAY16 ? 16 : 8;
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, ctype,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (kind == PNGK_PALETTE_TRNS) {
        /* 0 transparent, 1 red, 2 blue */
        png_color pal[3] = {{0, 0, 0}, {255, 0, 0}, {0, 0, 255}};
        png_byte trns[1] = {0};
        png_set_PLTE(png, info, pal, 3);
        png_set_tRNS(png, info, trns, 1, NULL);
    }
    if (kind == PNGK_GRAY) png_set_compression_level(png, 1);
    png_write_info(png, info);
    int passes = interlace ? png_set_interlace_handling(png) : 1;
    size_t rowbytes = (size_t)w * 4 * 2;
    uint8_t *row = calloc(1, rowbytes);
    for (int p = 0; p < passes; p++)
        for (int y = 0; y < h; y++) {
            const uint8_t *s = kind == PNGK_GRAY ? NULL : rgba + (size_t)y * w * 4;
            for (int x = 0; s && x < w; x++) {
                const uint8_t *q = s + x * 4;
                switch (kind) {
                case PNGK_RGB: memcpy(row + x * 3, q, 3); break;
                case PNGK_RGBA: memcpy(row + x * 4, q, 4); break;
                case PNGK_GRAY16: {
                    unsigned g = (q[0] * 3u + q[1] * 6u + q[2]) / 10u * 257u;
                    row[x * 2] = (uint8_t)(g >> 8);
                    row[x * 2 + 1] = (uint8_t)g;
                    break;
                }
                case PNGK_PALETTE_TRNS: row[x] = q[3] == 0 ? 0 : q[0] > q[2] ? 1 : 2; break;
                default: break;
                }
            }
            png_write_row(png, row);
        }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    *out = m.p;
    *len = m.len;
    return 0;
}

static inline uint32_t crc32_calc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return c ^ 0xffffffffu;
}

static inline void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A PNG whose header claims w × h, with a valid CRC, followed by an empty IDAT and IEND. */
static inline unsigned char *png_claiming(uint32_t w, uint32_t h, size_t *len)
{
    unsigned char tail[24] = {0, 0, 0, 0, 'I', 'D', 'A', 'T', 0, 0, 0, 0,
                              0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    put_be32(tail + 8, crc32_calc(tail + 4, 4));
    unsigned char *b = calloc(1, 8 + 25 + sizeof tail);
    memcpy(b, "\x89PNG\r\n\x1a\n", 8);
    put_be32(b + 8, 13);
    memcpy(b + 12, "IHDR", 4);
    put_be32(b + 16, w);
    put_be32(b + 20, h);
    b[24] = 8;   /* depth */
    b[25] = 2;   /* RGB */
    put_be32(b + 29, crc32_calc(b + 12, 17));
    memcpy(b + 33, tail, sizeof tail);
    *len = 8 + 25 + sizeof tail;
    return b;
}

/* ---- WebP ---- */

static inline int enc_webp(const uint8_t *rgba, int w, int h, int lossless, unsigned char **out, size_t *len)
{
    uint8_t *o = NULL;
    size_t n = lossless ? WebPEncodeLosslessRGBA(rgba, w, h, w * 4, &o)
                        : WebPEncodeRGBA(rgba, w, h, w * 4, 90.0f, &o);
    if (!n) return -1;
    *out = malloc(n);
    memcpy(*out, o, n);
    WebPFree(o);
    *len = n;
    return 0;
}

static inline void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static inline void put_le24(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
}

/* An animated WebP of two lossless frames (both stills must be simple VP8L files of w × h),
 * assembled by hand: VP8X (animation), ANIM, two ANMF. */
static inline unsigned char *webp_animated(const unsigned char *f1, size_t n1, const unsigned char *f2,
                                           size_t n2, int w, int h, size_t *len)
{
    struct membuf m = {0};
    unsigned char hdr[12] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'};
    membuf_add(&m, hdr, 12);
    unsigned char vp8x[18] = {'V', 'P', '8', 'X', 10, 0, 0, 0, 0x12};
    put_le24(vp8x + 12, (uint32_t)w - 1);
    put_le24(vp8x + 15, (uint32_t)h - 1);
    membuf_add(&m, vp8x, 18);
    unsigned char anim[14] = {'A', 'N', 'I', 'M', 6, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    membuf_add(&m, anim, 14);
    const unsigned char *fr[2] = {f1, f2};
    size_t fl[2] = {n1, n2};
    for (int i = 0; i < 2; i++) {
        /* a still VP8L file is RIFF/WEBP then the VP8L chunk from offset 12 */
        size_t chunk = fl[i] - 12;
        unsigned char a[24] = {'A', 'N', 'M', 'F'};
        put_le32(a + 4, (uint32_t)(16 + chunk));
        put_le24(a + 8, 0);
        put_le24(a + 11, 0);
        put_le24(a + 14, (uint32_t)w - 1);
        put_le24(a + 17, (uint32_t)h - 1);
        put_le24(a + 20, 100);
        a[23] = 0;
        membuf_add(&m, a, 24);
        membuf_add(&m, fr[i] + 12, chunk);
        if (chunk & 1) membuf_add(&m, "", 1);
    }
    put_le32(m.p + 4, (uint32_t)(m.len - 8));
    *len = m.len;
    return m.p;
}

/* ---- GIF ---- */

static inline int gif_write_mem(GifFileType *g, const GifByteType *d, int n)
{
    membuf_add(g->UserData, d, (size_t)n);
    return n;
}

/* Palette: 0 transparent/black, 1 red, 2 blue, then a 6×6×6 cube from 16.  frames: 1 or 2 (the
 * second all blue). */
static inline int enc_gif(const uint8_t *rgba, int w, int h, int interlace, int frames, unsigned char **out,
                          size_t *len)
{
    struct membuf m = {0};
    int err = 0;
    GifFileType *g = EGifOpen(&m, gif_write_mem, &err);
    if (!g) return -1;
    GifColorType cols[256];
    memset(cols, 0, sizeof cols);
    cols[1].Red = 255;
    cols[2].Blue = 255;
    static const int lv[6] = {0, 51, 102, 153, 204, 255};
    for (int i = 0; i < 216; i++) {
        cols[16 + i].Red = (GifByteType)lv[i / 36];
        cols[16 + i].Green = (GifByteType)lv[i / 6 % 6];
        cols[16 + i].Blue = (GifByteType)lv[i % 6];
    }
    ColorMapObject *map = GifMakeMapObject(256, cols);
    EGifSetGifVersion(g, true);
    EGifPutScreenDesc(g, w, h, 8, 0, map);
    GraphicsControlBlock gcb = {0, false, 10, 0};
    GifByteType ext[4];
    size_t elen = EGifGCBToExtension(&gcb, ext);
    EGifPutExtension(g, GRAPHICS_EXT_FUNC_CODE, (int)elen, ext);
    GifPixelType *line = malloc((size_t)w);
    for (int f = 0; f < frames; f++) {
        EGifPutImageDesc(g, 0, 0, w, h, interlace, NULL);
        static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
        int npass = interlace ? 4 : 1;
        for (int p = 0; p < npass; p++)
            for (int y = interlace ? start[p] : 0; y < h; y += interlace ? step[p] : 1) {
                for (int x = 0; x < w; x++) {
                    const uint8_t *q = rgba + ((size_t)y * w + x) * 4;
                    if (f > 0) line[x] = 2;
                    else if (q[3] < 128) line[x] = 0;
                    else if (q[0] == 255 && q[1] == 0 && q[2] == 0) line[x] = 1;
                    else if (q[0] == 0 && q[1] == 0 && q[2] == 255) line[x] = 2;
                    else line[x] = (GifPixelType)(16 + (q[0] + 25) / 51 * 36 + (q[1] + 25) / 51 * 6 + (q[2] + 25) / 51);
                }
                EGifPutLine(g, line, w);
            }
    }
    free(line);
    EGifCloseFile(g, &err);
    GifFreeMapObject(map);
    *out = m.p;
    *len = m.len;
    return 0;
}

/* ---- AVIF ---- */

/* -1 when this libavif has no encoder (then the test says so and skips AVIF). */
static inline int enc_avif(const uint8_t *rgba, int w, int h, unsigned char **out, size_t *len)
{
#ifdef HAVE_AVIF
    if (!avifCodecName(AVIF_CODEC_CHOICE_AUTO, AVIF_CODEC_FLAG_CAN_ENCODE)) return -1;
    avifImage *img = avifImageCreate((uint32_t)w, (uint32_t)h, 8, AVIF_PIXEL_FORMAT_YUV444);
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, img);
    rgb.format = AVIF_RGB_FORMAT_RGBA;
    rgb.depth = 8;
    rgb.pixels = (uint8_t *)rgba;
    rgb.rowBytes = (uint32_t)w * 4;
    if (avifImageRGBToYUV(img, &rgb) != AVIF_RESULT_OK) {
        avifImageDestroy(img);
        return -1;
    }
    avifEncoder *e = avifEncoderCreate();
    e->speed = AVIF_SPEED_FASTEST;
    e->minQuantizer = 0;
    e->maxQuantizer = 10;
    avifRWData o = AVIF_DATA_EMPTY;
    avifResult r = avifEncoderWrite(e, img, &o);
    avifEncoderDestroy(e);
    avifImageDestroy(img);
    if (r != AVIF_RESULT_OK) return -1;
    *out = malloc(o.size);
    memcpy(*out, o.data, o.size);
    *len = o.size;
    avifRWDataFree(&o);
    return 0;
#else
    (void)rgba; (void)w; (void)h; (void)out; (void)len;
    return -1;
#endif
}

#endif
