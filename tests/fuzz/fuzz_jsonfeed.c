/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the JSON Feed 1.0/1.1 reader (cJSON). */
#include <stdint.h>
#include <stdlib.h>

#include "source.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct item_sink s;
    struct error err;
    item_sink_init(&s);
    error_clear(&err);
    feed_parse_jsonfeed((const char *)data, size, "https://example.com/feed.json", &s, &err);
    for (size_t i = 0; i < s.n; i++)
        if (s.items[i].title && !text_is_clean(s.items[i].title, 0)) abort();
    item_sink_free(&s);
    return 0;
}
