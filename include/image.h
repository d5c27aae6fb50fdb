/* SPDX-License-Identifier: ISC */
/* image — decoding untrusted image bytes (JPEG, PNG, WebP, GIF, and AVIF when built with libavif)
 * into RGBA pixels for the thumbnail renderer.
 *
 * The format is chosen by the bytes' magic number, never by a URL or a Content-Type, because both
 * lie.  Every decoder reads only the buffer it is given (at most IMAGE_MAX_BYTES), checks the
 * dimensions from the header before allocating (nothing above IMAGE_MAX_PIXELS), and reports
 * failures as one readable line ("PNG: truncated data", "JPEG 100000×100000 is over the
 * 64-megapixel limit").  Decoders shrink while decoding where the format allows it (JPEG DCT
 * scaling, WebP scaling, a box filter on PNG/GIF/AVIF rows), so memory follows the size asked for,
 * not the size of the picture. */
#ifndef WINNOW_IMAGE_H
#define WINNOW_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define IMAGE_MAX_PIXELS (64u * 1024u * 1024u)   /* 64 Mpx: width × height from the header */
#define IMAGE_MAX_BYTES  (16u * 1024u * 1024u)   /* encoded size any decoder is shown */

enum image_format {
    IMAGE_UNKNOWN = 0,
    IMAGE_JPEG,
    IMAGE_PNG,
    IMAGE_WEBP,
    IMAGE_GIF,
    IMAGE_AVIF,
};

/* Decoded pixels: RGBA8, not premultiplied, rows of w * 4 bytes with no padding. */
struct image {
    int w, h;
    uint8_t *px;
    int src_w, src_h;            /* the picture's own size, from its header */
    enum image_format format;
};

/* The format named by the first bytes, or IMAGE_UNKNOWN.  AVIF is recognised even when winnow was
 * built without libavif, so that the error can say so. */
enum image_format image_sniff(const void *buf, size_t len);

/* "JPEG", "PNG", "WebP", "GIF", "AVIF", "unknown". */
const char *image_format_name(enum image_format f);

/* Decodes buf (len <= IMAGE_MAX_BYTES) into out.  max_w × max_h is the box, in pixels, that the
 * picture will be shown in: the result keeps the aspect ratio and is the smallest size the decoder
 * can cheaply reach that still covers the picture fitted into that box (never larger than the
 * picture itself).  0 for either means no limit: the full size.  GIF gives its first frame.
 * Returns 0, or -1 with err set and out zeroed; out is released with image_free. */
int image_decode(const void *buf, size_t len, int max_w, int max_h, struct image *out,
                 struct error *err);

void image_free(struct image *img);

#endif
