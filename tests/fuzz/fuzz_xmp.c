/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the XMP reader (expat, namespaces, DOCTYPE refusal, caps), and the same bytes
 * as a whole file through the container walkers and the scan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/provenance/prov_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct prov_xmp x;
    prov_xmp_read(data, size, &x);
    if (strlen(x.source_type) >= sizeof x.source_type || strlen(x.provenance) >= sizeof x.provenance) abort();
    prov_source_type_class(x.source_type);
    struct prov_media m;
    prov_scan(data, size, NULL, &m);
    struct prov_badge b;
    prov_badge_build(&b, &m, NULL, NULL);
    struct strbuf l;
    sb_init(&l);
    prov_badge_lines(&b, 0, &l);
    sb_free(&l);
    return 0;
}
