/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: every source adapter's parse().  An input may start with a header line
 * "adapter|subscription URL|stage\n" (what the seeds use, so that each adapter sees its own JSON
 * with the URL shape it expects); without one, the first byte picks the adapter and a generic URL
 * is used.  Follow-ups the parse queues are only counted, never fetched. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct source *const *all = source_all();
    size_t nsrc = 0;
    while (all[nsrc]) nsrc++;
    if (!size || !nsrc) return 0;

    char hdr[512] = "";
    const char *body = (const char *)data;
    size_t len = size;
    const struct source *src = all[data[0] % nsrc];
    const char *url = "https://example.com/api/v1/x", *stage = NULL;
    const char *nl = memchr(data, '\n', size < sizeof hdr ? size : sizeof hdr - 1);
    if (nl && !memchr(data, 0, (size_t)(nl - body)) && memchr(data, '|', (size_t)(nl - body))) {
        memcpy(hdr, data, (size_t)(nl - body));
        hdr[nl - body] = 0;
        char *u = strchr(hdr, '|');
        *u++ = 0;
        char *st = strchr(u, '|');
        if (st) *st++ = 0;
        const struct source *named = source_by_name(hdr);
        if (named) src = named;
        if (*u) url = u;
        if (st && *st) stage = st;
        body = nl + 1;
        len = size - (size_t)(nl + 1 - (const char *)data);
    }
    /* The refresh hands parse() a NUL-terminated copy; so does the harness. */
    char *copy = malloc(len + 1);
    memcpy(copy, body, len);
    copy[len] = 0;

    struct subscription sub = {.id = 1, .url = url, .kind = src->name, .title = "t",
                               .fetch_url = url, .stage = stage,
                               .content_type = "application/json"};
    struct item_sink s;
    struct error err;
    item_sink_init(&s);
    error_clear(&err);
    src->parse(copy, len, &sub, &s, &err);
    for (size_t i = 0; i < s.n; i++)
        if (s.items[i].title && !text_is_clean(s.items[i].title, 0)) abort();
    item_sink_free(&s);
    free(copy);
    return 0;
}
