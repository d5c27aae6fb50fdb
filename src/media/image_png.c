/* SPDX-License-Identifier: ISC */
/* PNG through libpng, row by row into the scaler, so a large picture costs one row plus the
 * shrunken result.  libpng reports fatal errors by longjmp; the state lives in a context owned by
 * the caller's frame (not the frame that calls setjmp), so nothing allocated before the jump is
 * lost. */
#include "image_int.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ancillary chunks (iCCP, zTXt) are decompressed by libpng: cap what one of them may take. */
#define PNG_MAX_CHUNK (8u * 1024u * 1024u)

struct pctx {
    png_structp png;
    png_infop info;
    const uint8_t *buf;
    size_t len, pos;
    struct img_scaler sc;
    int have_scaler;
    uint8_t *full;            /* the whole picture, for interlaced files only */
    char msg[256];
};

static void on_error(png_structp png, png_const_charp msg)
{
    struct pctx *c = png_get_error_ptr(png);
    snprintf(c->msg, sizeof c->msg, "%s", msg ? msg : "cannot decode");
    png_longjmp(png, 1);
}

/* Warnings are not printed: the terminal belongs to the UI. */
static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void on_read(png_structp png, png_bytep data, size_t n)
{
    struct pctx *c = png_get_io_ptr(png);
    if (n > c->len - c->pos) png_error(png, "truncated data");
    memcpy(data, c->buf + c->pos, n);
    c->pos += n;
}

static int decode(struct pctx *c, int max_w, int max_h, struct image *out, struct error *err)
{
    c->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, c, on_error, on_warning);
    if (!c->png) {
        error_set(err, "PNG: out of memory");
        return -1;
    }
    c->info = png_create_info_struct(c->png);
    if (!c->info) {
        error_set(err, "PNG: out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(c->png))) {
        error_set(err, "PNG: %s", c->msg[0] ? c->msg : "cannot decode");
        return -1;
    }
    png_set_read_fn(c->png, c, on_read);
    png_set_chunk_malloc_max(c->png, PNG_MAX_CHUNK);
    png_read_info(c->png, c->info);

    png_uint_32 w, h;
    int depth, ctype, interlace;
    png_get_IHDR(c->png, c->info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
    if (img_check_size("PNG", w, h, IMAGE_MAX_PIXELS, err) < 0) return -1;
    if (interlace != PNG_INTERLACE_NONE &&
        img_check_size("interlaced PNG", w, h, IMAGE_MAX_INTERLACED_PIXELS, err) < 0)
        return -1;
    out->src_w = (int)w;
    out->src_h = (int)h;

    int trns = png_get_valid(c->png, c->info, PNG_INFO_tRNS) != 0;
    if (ctype == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(c->png);
    if (ctype == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(c->png);
    if (trns) png_set_tRNS_to_alpha(c->png);
    if (depth == 16) png_set_strip_16(c->png);
    if (ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(c->png);
    if (!(ctype & PNG_COLOR_MASK_ALPHA) && !trns) png_set_filler(c->png, 0xff, PNG_FILLER_AFTER);
    int passes = png_set_interlace_handling(c->png);
    png_read_update_info(c->png, c->info);
    if (png_get_rowbytes(c->png, c->info) != (size_t)w * 4) {
        error_set(err, "PNG: unsupported pixel layout");
        return -1;
    }

    if (img_scaler_init(&c->sc, (int)w, (int)h, max_w, max_h, err) < 0) return -1;
    c->have_scaler = 1;
    if (passes <= 1) {
        for (png_uint_32 y = 0; y < h; y++) {
            png_read_row(c->png, img_scaler_row(&c->sc, (int)y), NULL);
            img_scaler_push(&c->sc, (int)y);
        }
    } else {
        /* each pass fills in pixels of rows the earlier passes began */
        c->full = calloc((size_t)w * h, 4);
        if (!c->full) {
            error_set(err, "PNG: out of memory for %lu×%lu", (unsigned long)w, (unsigned long)h);
            return -1;
        }
        for (int p = 0; p < passes; p++)
            for (png_uint_32 y = 0; y < h; y++) png_read_row(c->png, c->full + (size_t)y * w * 4, NULL);
        for (png_uint_32 y = 0; y < h; y++) {
            memcpy(img_scaler_row(&c->sc, (int)y), c->full + (size_t)y * w * 4, (size_t)w * 4);
            img_scaler_push(&c->sc, (int)y);
        }
    }
    /* the chunks after the pixels (text, time) are of no interest: no png_read_end */
    img_scaler_finish(&c->sc, out);
    c->have_scaler = 0;
    return 0;
}

int img_decode_png(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                   struct error *err)
{
    struct pctx *c = calloc(1, sizeof *c);
    if (!c) {
        error_set(err, "PNG: out of memory");
        return -1;
    }
    c->buf = buf;
    c->len = len;
    int rc = decode(c, max_w, max_h, out, err);
    if (c->png) png_destroy_read_struct(&c->png, c->info ? &c->info : NULL, NULL);
    if (c->have_scaler) img_scaler_free(&c->sc);
    free(c->full);
    free(c);
    return rc;
}
