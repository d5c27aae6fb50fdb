/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the config file parser (keys, colours, key bindings). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16)) return 0;
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    struct config c;
    struct error err;
    config_defaults(&c);
    error_clear(&err);
    config_parse(&c, s, "fuzz.conf", &err);
    free(s);
    return 0;
}
