/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the OPML reader behind `winnow import` (expat; entity declarations refused;
 * nested outlines become tags). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

static void each(void *ud, const char *url, const char *title, const char *tags, const char *kind)
{
    (void)kind;
    size_t *n = ud;
    *n += strlen(url) + (title ? strlen(title) : 0) + (tags ? strlen(tags) : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20)) return 0;
    size_t n = 0;
    struct error err;
    error_clear(&err);
    opml_parse((const char *)data, size, "fuzz.opml", each, &n, &err);
    return 0;
}
