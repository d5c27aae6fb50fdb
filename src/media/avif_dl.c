/* SPDX-License-Identifier: ISC */
/* libavif, loaded when the first AVIF picture arrives.  Linking it brings libaom, rav1e, dav1d,
 * libgav1 and libyuv into every run — about 5 MB of resident memory for `winnow refresh`, which
 * never decodes a picture.  These definitions of the few functions image_avif.c calls forward to
 * the real ones, resolved with dlopen of the exact library configure found (AVIF_SONAME), because
 * image_avif.c reads avifDecoder's fields with that version's layout.  When it cannot be loaded,
 * avifDecoderCreate returns NULL and the picture fails with a clear message. */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#include <avif/avif.h>

#include "dl_fwd.h"

#ifndef AVIF_SONAME
#define AVIF_SONAME "libavif.so"
#endif

static void *lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) { lib = dlopen(AVIF_SONAME, RTLD_NOW | RTLD_LOCAL); }

static void *sym(const char *name)
{
    pthread_once(&once, load);
    return lib ? dlsym(lib, name) : NULL;
}

DL_FWD(avifDecoder *, avifDecoderCreate, (void), (), NULL)
DL_FWD(avifResult, avifDecoderSetIOMemory, (avifDecoder *decoder, const uint8_t *data, size_t size),
    (decoder, data, size), AVIF_RESULT_UNKNOWN_ERROR)
DL_FWD(avifResult, avifDecoderParse, (avifDecoder *decoder), (decoder), AVIF_RESULT_UNKNOWN_ERROR)
DL_FWD(avifResult, avifDecoderNextImage, (avifDecoder *decoder), (decoder), AVIF_RESULT_UNKNOWN_ERROR)
DL_FWD(avifResult, avifImageYUVToRGB, (const avifImage *image, avifRGBImage *rgb), (image, rgb),
    AVIF_RESULT_UNKNOWN_ERROR)
DL_FWD(const char *, avifResultToString, (avifResult result), (result), "libavif is not available")

void avifRGBImageSetDefaults(avifRGBImage *rgb, const avifImage *image)
{
    static __typeof__(&avifRGBImageSetDefaults) fn;
    if (!fn) fn = (__typeof__(&avifRGBImageSetDefaults))sym("avifRGBImageSetDefaults");
    if (fn) fn(rgb, image);
}

void avifDecoderDestroy(avifDecoder *decoder)
{
    static __typeof__(&avifDecoderDestroy) fn;
    if (!fn) fn = (__typeof__(&avifDecoderDestroy))sym("avifDecoderDestroy");
    if (fn) fn(decoder);
}
