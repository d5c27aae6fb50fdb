/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the image decoders (JPEG, PNG, WebP, GIF, AVIF by magic number), scaled into
 * a small box as the thumbnail engine does.  A decoded image must hold the pixels it claims. */
#include <stdint.h>
#include <stdlib.h>

#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct image img = {0};
    struct error err;
    error_clear(&err);
    image_sniff(data, size);
    if (image_decode(data, size, 64, 48, &img, &err) == 0) {
        if (img.w <= 0 || img.h <= 0 || !img.px) abort();
        volatile uint8_t last = img.px[(size_t)img.w * (size_t)img.h * 4 - 1];
        (void)last;
        image_free(&img);
    }
    return 0;
}
