/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the date parser (RFC 822 / 3339 / ISO 8601 and the sloppy variants feeds
 * use), and the formatter on whatever it returns. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    int64_t t = date_parse(s);
    char buf[64];
    date_rfc3339(t, buf, sizeof buf);
    if (!memchr(buf, 0, sizeof buf)) abort();
    free(s);
    return 0;
}
