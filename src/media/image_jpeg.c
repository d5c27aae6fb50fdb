/* SPDX-License-Identifier: ISC */
/* JPEG through libjpeg-turbo, shrinking in the DCT (scale M/8) so that a thumbnail of a large photo
 * costs a fraction of a full decode.  libjpeg reports fatal errors by calling error_exit, which here
 * longjmps back; everything allocated after setjmp hangs off a context the caller frees, so the
 * jump cannot leave it behind. */
#include "image_int.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>   /* before jpeglib.h, which uses FILE */
#include <jerror.h>
#include <jpeglib.h>
#include <stdlib.h>
#include <string.h>

/* A progressive file needs a coefficient buffer the size of the whole picture; this bounds it
 * (libjpeg-turbo refuses allocations past max_memory_to_use, having no backing store). */
#define JPEG_MAX_MEMORY (192l * 1024 * 1024)
/* A crafted progressive file can hold thousands of tiny scans that take minutes to decode. */
#define JPEG_MAX_SCANS 500

struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
    int eof;                  /* libjpeg ran out of data and padded with a fake EOI */
    char msg[JMSG_LENGTH_MAX];
};

static void on_error_exit(j_common_ptr cinfo)
{
    struct jerr *e = (struct jerr *)cinfo->err;
    cinfo->err->format_message(cinfo, e->msg);
    longjmp(e->jb, 1);
}

/* Warnings are not printed (the terminal belongs to the UI); running out of data is remembered
 * so that a truncated file is an error rather than a picture with a grey bottom. */
static void on_emit(j_common_ptr cinfo, int level)
{
    struct jerr *e = (struct jerr *)cinfo->err;
    if (level < 0) {
        if (e->pub.msg_code == JWRN_JPEG_EOF) e->eof = 1;
        e->pub.num_warnings++;
    }
}

static void on_output(j_common_ptr cinfo) { (void)cinfo; }

static void on_progress(j_common_ptr cinfo)
{
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->input_scan_number > JPEG_MAX_SCANS) {
        struct jerr *e = (struct jerr *)cinfo->err;
        snprintf(e->msg, sizeof e->msg, "more than %d progressive scans", JPEG_MAX_SCANS);
        longjmp(e->jb, 1);
    }
}

/* Adobe writes CMYK inverted (0 = full ink); other writers rarely use CMYK at all. */
static void cmyk_to_rgba(uint8_t *row, int w, int inverted)
{
    for (int x = 0; x < w; x++) {
        uint8_t *p = row + x * 4;
        unsigned c = p[0], m = p[1], y = p[2], k = p[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        p[0] = (uint8_t)((c * k + 127) / 255);
        p[1] = (uint8_t)((m * k + 127) / 255);
        p[2] = (uint8_t)((y * k + 127) / 255);
        p[3] = 255;
    }
}

/* Everything the decode touches after setjmp lives here, in the caller's frame rather than in the
 * frame that calls setjmp, so its values are well defined after the longjmp without volatile. */
struct jctx {
    struct jpeg_decompress_struct cinfo;
    struct jerr je;
    struct jpeg_progress_mgr progress;
    struct img_scaler sc;
    int created, have_scaler;
};

static _Noreturn void fail(struct jctx *c, const char *msg)
{
    snprintf(c->je.msg, sizeof c->je.msg, "%s", msg);
    longjmp(c->je.jb, 1);
}

static int decode(struct jctx *c, const uint8_t *buf, size_t len, int max_w, int max_h,
                  struct image *out, struct error *err)
{
    struct jpeg_decompress_struct *ci = &c->cinfo;
    ci->err = jpeg_std_error(&c->je.pub);
    c->je.pub.error_exit = on_error_exit;
    c->je.pub.emit_message = on_emit;
    c->je.pub.output_message = on_output;
    if (setjmp(c->je.jb)) {
        error_set(err, "JPEG: %s", c->je.msg[0] ? c->je.msg : "cannot decode");
        return -1;
    }
    jpeg_create_decompress(ci);
    c->created = 1;
    ci->mem->max_memory_to_use = JPEG_MAX_MEMORY;
    c->progress.progress_monitor = on_progress;
    ci->progress = &c->progress;
    jpeg_mem_src(ci, buf, (unsigned long)len);

    if (jpeg_read_header(ci, TRUE) != JPEG_HEADER_OK) fail(c, "no image in the data");
    if (img_check_size("JPEG", ci->image_width, ci->image_height, IMAGE_MAX_PIXELS, err) < 0)
        return -1;
    out->src_w = (int)ci->image_width;
    out->src_h = (int)ci->image_height;

    int cmyk = ci->jpeg_color_space == JCS_CMYK || ci->jpeg_color_space == JCS_YCCK;
    ci->out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
    /* The smallest M/8 that still covers the fitted size, with M a power of two: libjpeg-turbo
     * has SIMD inverse DCTs for 8×8, 4×4, 2×2 and 1×1 blocks only, and the others are slower than
     * a full-size decode (480×360 at 6/8: 0.52 ms, at 8/8: 0.29 ms, at 4/8: 0.23 ms). */
    double f = img_fit_scale(out->src_w, out->src_h, max_w, max_h);
    int need = (int)ceil(f * 8.0 - 1e-9), m = 1;
    while (m < need && m < 8) m *= 2;
    ci->scale_num = (unsigned)m;
    ci->scale_denom = 8;
    ci->dct_method = JDCT_ISLOW;
    /* shrinking in the DCT smooths already; fancy upsampling would cost a pass for nothing */
    ci->do_fancy_upsampling = m == 8;

    jpeg_start_decompress(ci);
    if (c->je.eof) fail(c, "truncated data");
    int w = (int)ci->output_width, h = (int)ci->output_height;
    if (ci->output_components != 4 || w <= 0 || h <= 0) fail(c, "unsupported colour layout");
    /* even 1/8 can be far above the box for a huge photo: the scaler takes it the rest of the way */
    if (img_scaler_init(&c->sc, w, h, max_w, max_h, err) < 0) return -1;
    c->have_scaler = 1;
    int inverted = ci->saw_Adobe_marker;
    while (ci->output_scanline < ci->output_height) {
        int y = (int)ci->output_scanline;
        JSAMPROW row = img_scaler_row(&c->sc, y);
        if (jpeg_read_scanlines(ci, &row, 1) != 1 || c->je.eof) fail(c, "truncated data");
        if (cmyk) cmyk_to_rgba(row, w, inverted);
        img_scaler_push(&c->sc, y);
    }
    /* the trailer (EOI, maybe junk after it) is of no interest: no jpeg_finish_decompress */
    img_scaler_finish(&c->sc, out);
    c->have_scaler = 0;
    return 0;
}

int img_decode_jpeg(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                    struct error *err)
{
    struct jctx *c = calloc(1, sizeof *c);
    if (!c) {
        error_set(err, "JPEG: out of memory");
        return -1;
    }
    int rc = decode(c, buf, len, max_w, max_h, out, err);
    if (c->created) jpeg_destroy_decompress(&c->cinfo);
    if (c->have_scaler) img_scaler_free(&c->sc);
    free(c);
    return rc;
}
