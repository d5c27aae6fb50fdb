/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the RSS / RDF / Atom / CDF reader (expat) with the charset conversion in
 * front and the sink's sanitising behind it.  An input that starts with "Content-Type: ...\n" goes
 * through the feed adapter with that response header (the HTTP charset path); any other input
 * goes to feed_parse_xml as it is.  Every item that comes out must be clean text: a dirty field
 * would reach the terminal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "text.h"

static void check(const struct item *it)
{
    const char *one[] = {it->title, it->guid, it->url, it->author, it->author_url, it->enclosures,
                         it->media_url, it->thumb_url};
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
        if (one[i] && !text_is_clean(one[i], 0)) abort();
    if (it->summary && !text_is_clean(it->summary, TEXT_MULTILINE)) abort();
    if (it->categories && !text_is_clean(it->categories, TEXT_MULTILINE)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct item_sink s;
    struct error err;
    item_sink_init(&s);
    error_clear(&err);
    const char *body = (const char *)data;
    static const char hdr[] = "Content-Type: ";
    const char *nl = size > sizeof hdr ? memchr(data, '\n', size < 200 ? size : 200) : NULL;
    if (nl && !memcmp(data, hdr, sizeof hdr - 1)) {
        char ct[200];
        size_t n = (size_t)(nl - body) - (sizeof hdr - 1);
        memcpy(ct, body + sizeof hdr - 1, n);
        ct[n] = 0;
        size_t len = size - (size_t)(nl + 1 - body);
        char *copy = malloc(len + 1);
        memcpy(copy, nl + 1, len);
        copy[len] = 0;
        struct subscription sub = {.url = "https://example.com/feed/", .content_type = ct,
                                   .fetch_url = "https://example.com/feed/"};
        source_feed.parse(copy, len, &sub, &s, &err);
        free(copy);
    } else {
        feed_parse_xml(body, size, "https://example.com/feed/", &s, &err);
    }
    for (size_t i = 0; i < s.n; i++) check(&s.items[i]);
    item_sink_free(&s);
    return 0;
}
