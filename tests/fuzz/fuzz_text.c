/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the sanitiser.  The first byte chooses the flags, the second the byte bound;
 * whatever comes out must pass text_is_clean with the same flags, be valid UTF-8 within the bound,
 * and sanitising it again must change nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    int flags = data[0] & (TEXT_MULTILINE | TEXT_KEEP_TABS | TEXT_NO_TRIM);
    size_t max = data[1] < 8 ? 0 : (size_t)data[1] * 16;   /* 0: the unbounded case */
    const char *s = (const char *)data + 2;
    size_t n = size - 2;

    struct arena a;
    arena_init(&a);
    char *out = text_sanitize(&a, s, n, max, flags);
    if (!out) abort();
    size_t olen = strlen(out);
    if (max && olen > max) abort();
    if (!text_is_clean(out, flags)) abort();
    for (size_t i = 0; i < olen;) {
        unsigned cp;
        int k = utf8_decode((const unsigned char *)out + i, olen - i, &cp);
        if (k <= 0) abort();
        i += (size_t)k;
    }
    char *again = text_sanitize(&a, out, olen, max, flags);
    if (strcmp(again, out) != 0) abort();
    text_width(out);
    text_fit(out, 40, NULL);
    arena_free(&a);
    return 0;
}
