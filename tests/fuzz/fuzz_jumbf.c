/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the JUMBF reader and everything behind it (manifests, claims, COSE, hashed
 * URIs, bindings).  The input is a manifest store, or a JPEG/PNG/WebP/MP4 holding one (so the real
 * fixtures make good seeds); the asset the hashes are checked against is the input itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/provenance/prov_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct prov_carrier c;
    prov_locate(data, size, &c);
    if (!c.store) {
        /* a bare store (what the walk found, an inflated XMP packet, is let go first) */
        prov_carrier_free(&c);
        memset(&c, 0, sizeof c);
        c.store = data;
        c.store_len = size;
        c.carrier_off = 0;
        c.carrier_end = size;
        strcpy(c.container, "png");
    }
    struct jumbf j;
    struct error err;
    if (jumbf_parse(&j, c.store, c.store_len, &err) == 0) {
        for (int i = 0; i < j.n; i++) {
            size_t n;
            jumbf_payload(&j, i, &n);
            jumbf_kind(&j, i);
        }
        jumbf_resolve(&j, 0, "self#jumbf=/c2pa/x/c2pa.assertions/c2pa.actions");
    }
    jumbf_free(&j);
    struct prov_scan_opts o = {.now = 1700000000};
    struct prov_media m;
    memset(&m, 0, sizeof m);
    m.signed_at = -1;
    prov_c2pa_read(&c, data, size, &o, &m);
    prov_carrier_free(&c);
    return 0;
}
