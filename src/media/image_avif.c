/* SPDX-License-Identifier: ISC */
/* AVIF through libavif (when configure found it): the first image, converted to RGBA and taken
 * through the row scaler.  libavif decodes the whole frame, so its own size limit guards the
 * allocation before any pixel is decoded. */
#include "image_int.h"

#ifdef HAVE_AVIF
#include <avif/avif.h>
#include <stdlib.h>
#include <string.h>

int img_decode_avif(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                    struct error *err)
{
    avifDecoder *d = avifDecoderCreate();
    if (!d) {
        error_set(err, "AVIF: libavif could not be loaded (or out of memory)");
        return -1;
    }
    d->maxThreads = 1;
    d->imageSizeLimit = IMAGE_MAX_PIXELS;
    d->imageCountLimit = 1;   /* an image sequence is shown by its first frame */
    d->ignoreExif = AVIF_TRUE;
    d->ignoreXMP = AVIF_TRUE;
    uint8_t *rgbpx = NULL;
    struct img_scaler sc;
    int have_scaler = 0;
    avifResult r = avifDecoderSetIOMemory(d, buf, len);
    if (r == AVIF_RESULT_OK) r = avifDecoderParse(d);
    if (r != AVIF_RESULT_OK) {
        /* libavif says "Truncated data" and friends; a size over the limit is its own case */
        if (d->image && d->image->width && d->image->height &&
            img_check_size("AVIF", d->image->width, d->image->height, IMAGE_MAX_PIXELS, err) < 0)
            goto fail;
        error_set(err, "AVIF: %s", avifResultToString(r));
        goto fail;
    }
    if (img_check_size("AVIF", d->image->width, d->image->height, IMAGE_MAX_PIXELS, err) < 0) goto fail;
    r = avifDecoderNextImage(d);
    if (r != AVIF_RESULT_OK) {
        error_set(err, "AVIF: %s", avifResultToString(r));
        goto fail;
    }
    int w = (int)d->image->width, h = (int)d->image->height;
    out->src_w = w;
    out->src_h = h;
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, d->image);
    rgb.format = AVIF_RGB_FORMAT_RGBA;
    rgb.depth = 8;
    rgb.rowBytes = (uint32_t)w * 4;
    rgbpx = malloc((size_t)rgb.rowBytes * h);
    if (!rgbpx) {
        error_set(err, "AVIF: out of memory");
        goto fail;
    }
    rgb.pixels = rgbpx;
    r = avifImageYUVToRGB(d->image, &rgb);
    if (r != AVIF_RESULT_OK) {
        error_set(err, "AVIF: %s", avifResultToString(r));
        goto fail;
    }
    if (img_scaler_init(&sc, w, h, max_w, max_h, err) < 0) goto fail;
    have_scaler = 1;
    for (int y = 0; y < h; y++) {
        memcpy(img_scaler_row(&sc, y), rgbpx + (size_t)y * rgb.rowBytes, (size_t)w * 4);
        img_scaler_push(&sc, y);
    }
    img_scaler_finish(&sc, out);
    free(rgbpx);
    avifDecoderDestroy(d);
    return 0;
fail:
    if (have_scaler) img_scaler_free(&sc);
    free(rgbpx);
    avifDecoderDestroy(d);
    return -1;
}
#endif
