/* SPDX-License-Identifier: ISC */
/* WebP through libwebp, which shrinks while decoding.  An animated WebP is reduced to its first
 * frame by re-wrapping that frame's bitstream as a still file, so no demuxer library is needed. */
#include "image_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>

static const char *status_text(VP8StatusCode st)
{
    switch (st) {
    case VP8_STATUS_NOT_ENOUGH_DATA: return "truncated data";
    case VP8_STATUS_BITSTREAM_ERROR: return "corrupt data";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameters";
    default: return "cannot decode";
    }
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint32_t le24(const uint8_t *p) { return p[0] | p[1] << 8 | (uint32_t)p[2] << 16; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }
static void put24(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; }

/* The first ANMF chunk's sub-chunks (ALPH?, VP8 /VP8L) behind a VP8X header: a still WebP of the
 * first frame.  Returns a malloc'd file, or NULL when there is no usable frame. */
static uint8_t *first_frame(const uint8_t *b, size_t len, size_t *out_len)
{
    size_t off = 12;
    while (off + 8 <= len) {
        uint32_t sz = le32(b + off + 4);
        if (sz > len - off - 8) return NULL;
        if (!memcmp(b + off, "ANMF", 4)) {
            if (sz < 16 + 8) return NULL;
            const uint8_t *f = b + off + 8;
            uint32_t fw = le24(f + 6) + 1, fh = le24(f + 9) + 1;
            const uint8_t *data = f + 16;
            size_t dlen = sz - 16;
            int alpha = (dlen >= 4 && !memcmp(data, "ALPH", 4)) || (dlen >= 4 && !memcmp(data, "VP8L", 4));
            size_t total = 12 + 18 + dlen;
            uint8_t *o = malloc(total);
            if (!o) return NULL;
            memcpy(o, "RIFF", 4);
            put32(o + 4, (uint32_t)(total - 8));
            memcpy(o + 8, "WEBPVP8X", 8);
            put32(o + 16, 10);
            memset(o + 20, 0, 4);
            o[20] = alpha ? 0x10 : 0;
            put24(o + 24, fw - 1);
            put24(o + 27, fh - 1);
            memcpy(o + 30, data, dlen);
            *out_len = total;
            return o;
        }
        off += 8 + sz + (sz & 1);
    }
    return NULL;
}

int img_decode_webp(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                    struct error *err)
{
    WebPBitstreamFeatures feat;
    VP8StatusCode st = WebPGetFeatures(buf, len, &feat);
    if (st != VP8_STATUS_OK) {
        error_set(err, "WebP: %s", status_text(st));
        return -1;
    }
    if (img_check_size("WebP", (unsigned long)feat.width, (unsigned long)feat.height, IMAGE_MAX_PIXELS,
                       err) < 0)
        return -1;
    uint8_t *still = NULL;
    if (feat.has_animation) {
        size_t slen = 0;
        still = first_frame(buf, len, &slen);
        if (!still) {
            error_set(err, "WebP: animation without a readable first frame");
            return -1;
        }
        buf = still;
        len = slen;
        st = WebPGetFeatures(buf, len, &feat);
        if (st != VP8_STATUS_OK) {
            free(still);
            error_set(err, "WebP: first frame: %s", status_text(st));
            return -1;
        }
        if (img_check_size("WebP frame", (unsigned long)feat.width, (unsigned long)feat.height,
                           IMAGE_MAX_PIXELS, err) < 0) {
            free(still);
            return -1;
        }
    }
    int w = feat.width, h = feat.height;
    double f = img_fit_scale(w, h, max_w, max_h);
    int ow = w, oh = h;
    if (f < 1.0) {
        ow = (int)ceil(w * f - 1e-9);
        oh = (int)ceil(h * f - 1e-9);
        if (ow < 1) ow = 1;
        if (oh < 1) oh = 1;
    }
    WebPDecoderConfig cfg;
    if (!WebPInitDecoderConfig(&cfg)) {
        free(still);
        error_set(err, "WebP: library version mismatch");
        return -1;
    }
    size_t stride = (size_t)ow * 4;
    uint8_t *px = malloc(stride * (size_t)oh);
    if (!px) {
        free(still);
        error_set(err, "WebP: out of memory");
        return -1;
    }
    if (ow != w || oh != h) {
        cfg.options.use_scaling = 1;
        cfg.options.scaled_width = ow;
        cfg.options.scaled_height = oh;
    }
    cfg.output.colorspace = MODE_RGBA;
    cfg.output.is_external_memory = 1;
    cfg.output.u.RGBA.rgba = px;
    cfg.output.u.RGBA.stride = (int)stride;
    cfg.output.u.RGBA.size = stride * (size_t)oh;
    st = WebPDecode(buf, len, &cfg);
    WebPFreeDecBuffer(&cfg.output);
    free(still);
    if (st != VP8_STATUS_OK) {
        free(px);
        error_set(err, "WebP: %s", status_text(st));
        return -1;
    }
    out->src_w = w;
    out->src_h = h;
    out->w = ow;
    out->h = oh;
    out->px = px;
    return 0;
}
