/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: HTML → text (the detail view's renderer) and the HTML sniffer.  The text is
 * not clean yet (the item sink sanitises it), so it goes through the sanitiser as the sink does and
 * the result must be clean and terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    html_looks_like((const char *)data, size);
    char *t = html_to_text(&a, (const char *)data, size);
    if (!t) abort();
    char *clean = text_sanitize(&a, t, strlen(t), TEXT_MAX_SUMMARY, TEXT_MULTILINE);
    if (!text_is_clean(clean, TEXT_MULTILINE)) abort();
    arena_free(&a);
    return 0;
}
