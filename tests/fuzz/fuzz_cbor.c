/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the bounded CBOR reader and the claim reader.  The input is tried as a plain
 * CBOR item (walked through the accessors), as a COSE_Sign1 over a fixed claim, and as the claim of
 * a minimal manifest store, so that claim v1/v2 parsing, generator, assertion lists and hashed URIs
 * all see hostile CBOR. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/provenance/prov_int.h"

static void walk(const cbor_item_t *it, int depth)
{
    if (!it || depth > 30) return;
    char t[64];
    int64_t v;
    int b;
    const uint8_t *p;
    size_t n;
    cbx_text(it, t, sizeof t);
    cbx_int(it, &v);
    cbx_bool(it, &b);
    cbx_bytes(it, &p, &n);
    if (cbor_isa_array(it))
        for (size_t i = 0; i < cbor_array_size(it); i++) walk(cbor_array_handle(it)[i], depth + 1);
    if (cbor_isa_map(it)) {
        cbx_get(it, "claim_generator");
        cbx_geti(it, 1);
        for (size_t i = 0; i < cbor_map_size(it); i++) walk(cbor_map_handle(it)[i].value, depth + 1);
    }
}

static void put32(struct strbuf *b, uint32_t v)
{
    char h[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    sb_add(b, h, 4);
}

static void box(struct strbuf *b, const char *type, const char *p, size_t n)
{
    put32(b, (uint32_t)(n + 8));
    sb_add(b, type, 4);
    sb_add(b, p, n);
}

static void super(struct strbuf *b, const char *kind, const char *label, const struct strbuf *content)
{
    struct strbuf d, all;
    sb_init(&d);
    sb_init(&all);
    sb_add(&d, kind, 4);
    sb_add(&d, "\x00\x11\x00\x10\x80\x00\x00\xaa\x00\x38\x9b\x71\x03", 13);
    sb_add(&d, label, strlen(label) + 1);
    box(&all, "jumd", d.s, d.len);
    if (content) sb_add(&all, content->s, content->len);
    box(b, "jumb", all.s, all.len);
    sb_free(&d);
    sb_free(&all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20)) return 0;
    cbor_item_t *it = cbx_load(data, size);
    if (it) {
        walk(it, 0);
        cbor_decref(&it);
    }
    struct prov_sig sig;
    prov_cose_verify(data, size, (const uint8_t *)"claim", 5, &sig);
    prov_sig_free(&sig);

    /* store { manifest { assertions {}, claim { cbor: input }, signature { cbor: a0 } } } */
    struct strbuf claim, cl, as, sg, sgc, man, store;
    sb_init(&claim); sb_init(&cl); sb_init(&as); sb_init(&sg); sb_init(&sgc); sb_init(&man); sb_init(&store);
    box(&claim, "cbor", (const char *)data, size);
    super(&cl, "c2cl", (size && data[0] & 1) ? "c2pa.claim.v2" : "c2pa.claim", &claim);
    super(&as, "c2as", "c2pa.assertions", NULL);
    box(&sgc, "cbor", "\xa0", 1);
    super(&sg, "c2cs", "c2pa.signature", &sgc);
    sb_add(&man, as.s, as.len);
    sb_add(&man, cl.s, cl.len);
    sb_add(&man, sg.s, sg.len);
    struct strbuf m2;
    sb_init(&m2);
    super(&m2, "c2ma", "urn:c2pa:f", &man);
    super(&store, "c2pa", "c2pa", &m2);
    struct prov_carrier c;
    memset(&c, 0, sizeof c);
    strcpy(c.container, "jpeg");
    c.store = (const uint8_t *)store.s;
    c.store_len = store.len;
    c.carrier_end = store.len;
    struct prov_scan_opts o = {.now = 1700000000};
    struct prov_media m;
    memset(&m, 0, sizeof m);
    prov_c2pa_read(&c, (const uint8_t *)store.s, store.len, &o, &m);
    struct strbuf *all[] = {&claim, &cl, &as, &sg, &sgc, &man, &store, &m2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) sb_free(all[i]);
    return 0;
}
