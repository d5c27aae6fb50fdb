/* SPDX-License-Identifier: ISC */
/* Shared between the image decoders (src/media/image*.c): the size checks and the row scaler that
 * keeps a decoder's memory proportional to the size asked for rather than to the picture. */
#ifndef WINNOW_IMAGE_INT_H
#define WINNOW_IMAGE_INT_H

#include "image.h"

/* Interlaced PNG and GIF cannot be shrunk row by row (rows arrive in passes), so they are held at
 * full size: a tighter cap keeps that bounded. */
#define IMAGE_MAX_INTERLACED_PIXELS (16u * 1024u * 1024u)

/* 0 when w × h is a size we decode; else -1 with "FMT: W×H is over the 64-megapixel limit" or a
 * word on the zero dimension. */
int img_check_size(const char *fmt, unsigned long w, unsigned long h, unsigned long max_px,
                   struct error *err);

/* The fraction (≤ 1) by which a sw × sh picture must shrink to fit the max_w × max_h box. */
double img_fit_scale(int sw, int sh, int max_w, int max_h);

/* Box-filter downscaling by a whole factor k, fed one RGBA row at a time, top to bottom.  k is
 * chosen so that the output still covers the picture fitted into the box.  Sums are kept for one
 * output row only, alpha-weighted so transparent pixels do not bleed their colour. */
struct img_scaler {
    int sw, sh, k, ow, oh;
    uint8_t *out;         /* ow × oh RGBA, handed to the caller by img_scaler_finish */
    uint8_t *row;         /* one input row when k > 1 */
    uint32_t *acc;        /* ow × 4 sums for the output row being built */
};

int  img_scaler_init(struct img_scaler *s, int sw, int sh, int max_w, int max_h, struct error *err);
/* Where to write input row y (sw × 4 bytes); rows must come in order 0..sh-1. */
uint8_t *img_scaler_row(struct img_scaler *s, int y);
/* Takes the row written at img_scaler_row(s, y) into the output. */
void img_scaler_push(struct img_scaler *s, int y);
/* Moves the output into img (w, h, px) and releases the rest. */
void img_scaler_finish(struct img_scaler *s, struct image *img);
void img_scaler_free(struct img_scaler *s);

int img_decode_jpeg(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                    struct error *err);
int img_decode_png(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                   struct error *err);
int img_decode_webp(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                    struct error *err);
int img_decode_gif(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                   struct error *err);
#ifdef HAVE_AVIF
int img_decode_avif(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                    struct error *err);
#endif

#endif
