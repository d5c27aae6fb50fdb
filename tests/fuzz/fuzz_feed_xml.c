/* libFuzzer harness: the RSS / RDF / Atom reader (expat), with the sink's sanitising behind it.
 * Every item that comes out must be clean text: a dirty title would reach the terminal. */
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
    feed_parse_xml((const char *)data, size, "https://example.com/feed/", &s, &err);
    for (size_t i = 0; i < s.n; i++)
        if (s.items[i].title && !text_is_clean(s.items[i].title, 0)) abort();
    item_sink_free(&s);
    return 0;
}
