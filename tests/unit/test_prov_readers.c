/* SPDX-License-Identifier: ISC */
/* The readers on hand-made bytes: JUMBF boxes (sizes, extended sizes, nesting, labels, URIs), the
 * bounded CBOR check, XMP in all three serialisations (and hostile packets), the container walkers,
 * the digitalSourceType vocabulary and the hashing budget.  (The fuzzers in tests/fuzz have found no
 * crash so far; a crasher they find becomes a case here.) */
#include <unistd.h>

#include "testutil.h"

#include "../../src/provenance/prov_int.h"
#include "prov.h"
#include "prov_verdict_check.h"

/* ---- building boxes ---- */

static void put32(struct strbuf *b, uint32_t v)
{
    char h[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    sb_add(b, h, 4);
}

static void box(struct strbuf *b, const char *type, const struct strbuf *payload)
{
    put32(b, (uint32_t)(8 + (payload ? payload->len : 0)));
    sb_add(b, type, 4);
    if (payload && payload->len) sb_add(b, payload->s, payload->len);
}

static void jumd(struct strbuf *b, const char *kind, int toggles, const char *label)
{
    struct strbuf d;
    sb_init(&d);
    sb_add(&d, kind, 4);
    sb_add(&d, "\x00\x11\x00\x10\x80\x00\x00\xaa\x00\x38\x9b\x71", 12);
    sb_addc(&d, (char)toggles);
    if (label) sb_add(&d, label, strlen(label) + 1);
    box(b, "jumd", &d);
    sb_free(&d);
}

/* A superbox of kind/label around content. */
static void super(struct strbuf *b, const char *kind, const char *label, const struct strbuf *content)
{
    struct strbuf p;
    sb_init(&p);
    jumd(&p, kind, 3, label);
    if (content) sb_add(&p, content->s, content->len);
    box(b, "jumb", &p);
    sb_free(&p);
}

static void make_store(struct strbuf *out)
{
    struct strbuf a, as, m;
    sb_init(&a); sb_init(&as); sb_init(&m);
    struct strbuf cb;
    sb_init(&cb);
    sb_add(&cb, "\xa0", 1);
    struct strbuf cbox;
    sb_init(&cbox);
    box(&cbox, "cbor", &cb);
    super(&a, "cbor", "c2pa.actions", &cbox);
    super(&as, "c2as", "c2pa.assertions", &a);
    super(&m, "c2ma", "urn:c2pa:1234", &as);
    super(out, "c2pa", "c2pa", &m);
    sb_free(&a); sb_free(&as); sb_free(&m); sb_free(&cb); sb_free(&cbox);
}

static void test_jumbf_tree(void **state)
{
    (void)state;
    struct strbuf s;
    sb_init(&s);
    make_store(&s);
    struct jumbf j;
    struct error err;
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)s.s, s.len, &err), 0);
    assert_int_equal(jumbf_kind(&j, 0), FOURCC('c', '2', 'p', 'a'));
    assert_true(jumbf_label_is(&j, 0, "c2pa"));
    int man = jumbf_child(&j, 0, "urn:c2pa:1234", 13);
    assert_true(man > 0);
    int abs = jumbf_resolve(&j, 0, "self#jumbf=/c2pa/urn:c2pa:1234/c2pa.assertions/c2pa.actions");
    int rel = jumbf_resolve(&j, man, "self#jumbf=c2pa.assertions/c2pa.actions");
    assert_true(abs > 0);
    assert_int_equal(abs, rel);
    assert_true(jumbf_content(&j, abs, FOURCC('c', 'b', 'o', 'r')) > abs);
    assert_int_equal(jumbf_resolve(&j, man, "self#jumbf=c2pa.assertions/nope"), -1);
    assert_int_equal(jumbf_resolve(&j, man, "http://example.com/"), -1);
    assert_int_equal(jumbf_resolve(&j, 0, "self#jumbf=/other/urn:c2pa:1234"), -1);
    jumbf_free(&j);
    sb_free(&s);
}

static void test_jumbf_sizes(void **state)
{
    (void)state;
    struct strbuf s;
    sb_init(&s);
    make_store(&s);
    struct jumbf j;
    struct error err;
    /* the same store with an extended (XLBox) header on the outer box */
    struct strbuf x;
    sb_init(&x);
    put32(&x, 1);
    sb_add(&x, "jumb", 4);
    put32(&x, 0);
    put32(&x, (uint32_t)(s.len + 8));
    sb_add(&x, s.s + 8, s.len - 8);
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)x.s, x.len, &err), 0);
    assert_int_equal(j.b[0].hdr, 16);
    jumbf_free(&j);
    /* LBox 0: to the end */
    memset(s.s, 0, 4);
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)s.s, s.len, &err), 0);
    jumbf_free(&j);
    /* a child larger than its parent */
    sb_reset(&x);
    make_store(&x);
    x.s[0x26 + 3] += 1;     /* the manifest superbox (after the store's 38-byte head) grows by one */
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)x.s, x.len, &err), -1);
    assert_non_null(strstr(err.msg, "claims"));
    jumbf_free(&j);
    /* cut short */
    sb_reset(&x);
    make_store(&x);
    for (size_t cut = 0; cut < x.len; cut++) {
        int rc = jumbf_parse(&j, (const uint8_t *)x.s, cut, &err);
        assert_int_equal(rc, -1);
        jumbf_free(&j);
    }
    sb_free(&x);
    sb_free(&s);
}

static void test_jumbf_structure_errors(void **state)
{
    (void)state;
    struct jumbf j;
    struct error err;
    struct strbuf s, p;
    sb_init(&s);
    sb_init(&p);
    /* no label bit */
    jumd(&p, "c2pa", 0x01, NULL);
    box(&s, "jumb", &p);
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)s.s, s.len, &err), -1);
    jumbf_free(&j);
    /* a label without its NUL */
    sb_reset(&s); sb_reset(&p);
    struct strbuf d;
    sb_init(&d);
    sb_add(&d, "c2pa\x00\x11\x00\x10\x80\x00\x00\xaa\x00\x38\x9b\x71\x03" "abc", 20);
    box(&p, "jumd", &d);
    box(&s, "jumb", &p);
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)s.s, s.len, &err), -1);
    assert_non_null(strstr(err.msg, "NUL"));
    jumbf_free(&j);
    /* a superbox that does not start with its description */
    sb_reset(&s); sb_reset(&p); sb_reset(&d);
    box(&p, "cbor", NULL);
    box(&s, "jumb", &p);
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)s.s, s.len, &err), -1);
    jumbf_free(&j);
    /* nesting beyond the cap, built inside out */
    sb_reset(&s);
    super(&s, "c2pa", "x", NULL);
    for (int i = 0; i < JUMBF_MAX_DEPTH + 4; i++) {
        sb_reset(&p);
        super(&p, "c2pa", "x", &s);
        sb_reset(&s);
        sb_add(&s, p.s, p.len);
    }
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)s.s, s.len, &err), -1);
    assert_non_null(strstr(err.msg, "deeper"));
    jumbf_free(&j);
    /* too many boxes */
    sb_reset(&s); sb_reset(&p);
    jumd(&p, "c2pa", 3, "c2pa");
    for (int i = 0; i < JUMBF_MAX_BOXES + 10; i++) box(&p, "free", NULL);
    box(&s, "jumb", &p);
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)s.s, s.len, &err), -1);
    assert_non_null(strstr(err.msg, "more than"));
    jumbf_free(&j);
    /* not a superbox at all */
    assert_int_equal(jumbf_parse(&j, (const uint8_t *)"\0\0\0\x08free", 8, &err), -1);
    jumbf_free(&j);
    sb_free(&s); sb_free(&p); sb_free(&d);
}

/* ---- CBOR ---- */

static int check_hex(const char *hex)
{
    uint8_t b[256];
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &b[i]);
    size_t used = 0;
    return cbx_check(b, n, &used) == 0 && used == n ? 0 : -1;
}

static void test_cbor_check(void **state)
{
    (void)state;
    assert_int_equal(check_hex("a26161016162820203"), 0);      /* {"a":1,"b":[2,3]} */
    assert_int_equal(check_hex("d28443a10126a0f640"), 0);      /* COSE_Sign1 shape */
    assert_int_equal(check_hex("9f01029f03ffff"), 0);          /* indefinite arrays */
    assert_int_equal(check_hex("7f616161626163ff"), 0);        /* indefinite text */
    assert_int_equal(check_hex("bf6161f5ff"), 0);
    assert_int_equal(check_hex("9b00000001000000000102"), -1);  /* an array of 2^32 items in 3 bytes */
    assert_int_equal(check_hex("5a7fffffff00"), -1);            /* a byte string longer than the input */
    assert_int_equal(check_hex("bb0000000000000009"), -1);      /* a huge map */
    assert_int_equal(check_hex("ff"), -1);                      /* a break with nothing open */
    assert_int_equal(check_hex("1c"), -1);                      /* reserved additional info */
    assert_int_equal(check_hex("7f6161"), -1);                  /* indefinite string never closed */
    assert_int_equal(check_hex("7f4161ff"), -1);                /* a byte chunk inside a text string */
    assert_int_equal(check_hex("f818"), -1);                    /* two-byte simple value below 32 */
    assert_int_equal(check_hex("df"), -1);
    /* nesting beyond the cap */
    uint8_t deep[64];
    memset(deep, 0x81, sizeof deep);
    deep[63] = 0x00;
    assert_int_equal(cbx_check(deep, sizeof deep, NULL), -1);
    memset(deep, 0xC1, sizeof deep);           /* tags nest too */
    deep[63] = 0x00;
    assert_int_equal(cbx_check(deep, sizeof deep, NULL), -1);
    /* too many items */
    size_t n = 5 + CBX_MAX_ITEMS + 10;
    uint8_t *many = calloc(1, n);
    many[0] = 0x9A;
    uint32_t cnt = CBX_MAX_ITEMS + 10;
    many[1] = (uint8_t)(cnt >> 24); many[2] = (uint8_t)(cnt >> 16); many[3] = (uint8_t)(cnt >> 8); many[4] = (uint8_t)cnt;
    assert_int_equal(cbx_check(many, n, NULL), -1);
    free(many);
}

static void test_cbor_load(void **state)
{
    (void)state;
    /* tag 18 around an array: libcbor 0.8 alone refuses it */
    const uint8_t cose[] = {0xD2, 0x84, 0x43, 0xA1, 0x01, 0x26, 0xA0, 0xF6, 0x40};
    int64_t tag;
    cbor_item_t *it = cbx_load_tagged(cose, sizeof cose, &tag);
    assert_non_null(it);
    assert_int_equal(tag, 18);
    assert_true(cbor_isa_array(it));
    assert_int_equal(cbor_array_size(it), 4);
    cbor_decref(&it);
    /* trailing bytes are not one item */
    const uint8_t trail[] = {0x01, 0x02};
    assert_null(cbx_load(trail, 2));
    /* accessors */
    const uint8_t map[] = {0xA3, 0x61, 'a', 0x38, 0x24, 0x01, 0x7F, 0x61, 'x', 0x61, 'y', 0xFF, 0x62, 'b', 'c', 0xF5};
    it = cbx_load(map, sizeof map);
    assert_non_null(it);
    int64_t v;
    assert_int_equal(cbx_int(cbx_get(it, "a"), &v), 0);
    assert_int_equal(v, -37);
    char t[8];
    assert_int_equal(cbx_text(cbx_geti(it, 1), t, sizeof t), 0);
    assert_string_equal(t, "xy");
    int bv;
    assert_int_equal(cbx_bool(cbx_get(it, "bc"), &bv), 0);
    assert_int_equal(bv, 1);
    assert_null(cbx_get(it, "zz"));
    assert_int_equal(cbx_text(cbx_get(it, "a"), t, sizeof t), -1);
    assert_int_equal(cbx_is_null(cbx_get(it, "bc")), 0);
    cbor_decref(&it);
}

/* A float is a simple-value item to libcbor too, and its cbor_ctrl_value aborts on one: a claim
 * signature with a half float where the detached payload's null belongs crashed every reader (found
 * by fuzz_cbor in CI; the input is kept in tests/fuzz/regressions/cbor/). */
static void test_cbor_float_for_null(void **state)
{
    (void)state;
    const uint8_t half[] = {0xF9, 0x3C, 0x00}, single[] = {0xFA, 0, 0, 0, 0}, null[] = {0xF6}, t[] = {0xF5};
    const struct { const uint8_t *p; size_t n; int is_null; } cases[] = {
        {half, sizeof half, 0}, {single, sizeof single, 0}, {null, sizeof null, 1}, {t, sizeof t, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cbor_item_t *it = cbx_load(cases[i].p, cases[i].n);
        assert_non_null(it);
        assert_int_equal(cbx_is_null(it), cases[i].is_null);
        int b;
        assert_int_equal(cbx_bool(it, &b), cases[i].p == t ? 0 : -1);
        cbor_decref(&it);
    }
    assert_int_equal(cbx_is_null(NULL), 0);
    /* COSE_Sign1 [bstr, {}, half float, bstr]: refused as fields of the wrong types */
    const uint8_t cose[] = {0x84, 0x40, 0xA0, 0xF9, 0x00, 0x00, 0x40};
    struct prov_sig sig;
    assert_true(prov_cose_verify(cose, sizeof cose, (const uint8_t *)"claim", 5, &sig) < 0);
    assert_non_null(strstr(sig.error, "wrong types"));
    prov_sig_free(&sig);
}

/* ---- XMP ---- */

static void xmp(const char *text, struct prov_xmp *x)
{
    prov_xmp_read((const uint8_t *)text, strlen(text), x);
}

#define XMP_HEAD "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>" \
                 "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
#define XMP_TAIL "</rdf:RDF></x:xmpmeta><?xpacket end='w'?>"

static void test_xmp_forms(void **state)
{
    (void)state;
    struct prov_xmp x;
    xmp(XMP_HEAD "<rdf:Description xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/' "
        "Iptc4xmpExt:DigitalSourceType='http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'/>"
        XMP_TAIL, &x);
    assert_string_equal(x.source_type, "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
    /* element text, another prefix, a leading space */
    xmp(XMP_HEAD "<rdf:Description xmlns:ext='http://iptc.org/std/Iptc4xmpExt/2008-02-29/'>"
        "<ext:DigitalSourceType> http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture</ext:DigitalSourceType>"
        "</rdf:Description>" XMP_TAIL, &x);
    assert_string_equal(x.source_type, "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture");
    /* rdf:resource, the 2025 AI system field in an rdf:Alt, dcterms:provenance */
    xmp(XMP_HEAD "<rdf:Description xmlns:I='http://iptc.org/std/Iptc4xmpExt/2008-02-29/' "
        "xmlns:dcterms='http://purl.org/dc/terms/' dcterms:provenance='self#jumbf=/c2pa/urn:uuid:1/c2pa.claim'>"
        "<I:DigitalSourceType rdf:resource='http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic'/>"
        "<I:AISystemUsed><rdf:Alt><rdf:li xml:lang='x-default'>Imagen 4</rdf:li></rdf:Alt></I:AISystemUsed>"
        "</rdf:Description>" XMP_TAIL, &x);
    assert_string_equal(x.source_type, "http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic");
    assert_string_equal(x.ai_system, "Imagen 4");
    assert_string_equal(x.provenance, "self#jumbf=/c2pa/urn:uuid:1/c2pa.claim");
    /* the right local name in the wrong namespace is not it */
    xmp(XMP_HEAD "<rdf:Description xmlns:I='http://example.com/' I:DigitalSourceType='trainedAlgorithmicMedia'/>"
        XMP_TAIL, &x);
    assert_string_equal(x.source_type, "");
}

static void test_xmp_hostile(void **state)
{
    (void)state;
    struct prov_xmp x;
    /* entity expansion needs a DOCTYPE, which stops the parse */
    xmp("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
        "xmlns:I='http://iptc.org/std/Iptc4xmpExt/2008-02-29/'><I:AISystemUsed>&lol2;</I:AISystemUsed></rdf:RDF>", &x);
    assert_string_equal(x.ai_system, "");
    /* deep nesting stops at the cap without recursion trouble */
    struct strbuf b;
    sb_init(&b);
    for (int i = 0; i < 5000; i++) sb_adds(&b, "<a>");
    xmp(b.s, &x);
    sb_free(&b);
    /* a long value is cut, not overflowed */
    sb_init(&b);
    sb_adds(&b, "<r xmlns:d='http://purl.org/dc/terms/'><d:provenance>");
    for (int i = 0; i < 2000; i++) sb_adds(&b, "abcdefgh");
    sb_adds(&b, "</d:provenance></r>");
    xmp(b.s, &x);
    assert_true(strlen(x.provenance) < sizeof x.provenance);
    sb_free(&b);
    /* junk */
    xmp("\x01\x02<<<>>>&&&", &x);
    assert_int_equal(prov_xmp_read((const uint8_t *)"", 0, &x), -1);
}

/* ---- containers ---- */

/* A PDF stream whose store box says it is 8 bytes long: the walker went back to the same signature
 * for ever (found by fuzz_xmp; input in tests/fuzz/regressions/xmp/).  The alarm turns a hang into
 * a failure. */
static void test_pdf_short_store_box(void **state)
{
    (void)state;
    static const uint8_t pdf[] = "%PDF-1.7\nstream\n\0\0\0\x08jumb\0\0\0\x1ejumdc2pa\0\0\0\0\0\0\0\0\0\0"
                                 "stream\n\0\0\0\x08jumb\0\0\0\x1ejumdc2pa\0\0\0\0 endstream\n";
    alarm(10);
    struct prov_media m;
    prov_scan(pdf, sizeof pdf - 1, NULL, &m);
    alarm(0);
    assert_true(m.state != PROV_VALID && m.state != PROV_TRUSTED);
}

static void test_container_xmp_and_hints(void **state)
{
    (void)state;
    const char *packet = XMP_HEAD "<rdf:Description xmlns:I='http://iptc.org/std/Iptc4xmpExt/2008-02-29/' "
                         "I:DigitalSourceType='http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'/>"
                         XMP_TAIL;
    size_t pl = strlen(packet);
    struct strbuf j;
    sb_init(&j);
    /* JPEG: APP1 with the XMP namespace prefix */
    sb_add(&j, "\xFF\xD8\xFF\xE1", 4);
    size_t lp = 2 + 29 + pl;
    sb_addc(&j, (char)(lp >> 8));
    sb_addc(&j, (char)lp);
    sb_add(&j, "http://ns.adobe.com/xap/1.0/", 29);
    sb_add(&j, packet, pl);
    sb_add(&j, "\xFF\xDA\x00\x02\x00\xFF\xD9", 7);
    struct prov_media m;
    prov_scan(j.s, j.len, NULL, &m);
    assert_string_equal(m.container, "jpeg");
    assert_int_equal(m.state, PROV_NONE);
    assert_string_equal(m.xmp_source_type, "trainedAlgorithmicMedia");
    struct prov_badge b;
    badge_build(&b, &m, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_GENERATED);
    assert_int_equal(b.origin, PROV_FROM_XMP);
    /* PNG: iTXt XML:com.adobe.xmp, and a Stable Diffusion "parameters" text */
    sb_reset(&j);
    sb_add(&j, "\x89PNG\r\n\x1a\n", 8);
    struct strbuf c;
    sb_init(&c);
    sb_add(&c, "XML:com.adobe.xmp\0\0\0\0\0", 22);
    sb_add(&c, packet, pl);
    put32(&j, (uint32_t)c.len);
    sb_add(&j, "iTXt", 4);
    sb_add(&j, c.s, c.len);
    put32(&j, 0);
    put32(&j, 20);
    sb_add(&j, "tEXtparameters\0a cat, 4k", 24);
    put32(&j, 0);
    put32(&j, 0);
    sb_add(&j, "IEND", 4);
    put32(&j, 0);
    prov_scan(j.s, j.len, NULL, &m);
    assert_string_equal(m.container, "png");
    assert_non_null(strstr(m.xmp_source_type, "trainedAlgorithmicMedia"));
    assert_non_null(strstr(m.heuristic, "Stable Diffusion"));
    /* MP4: the XMP uuid box, and a remote manifest reference */
    sb_reset(&j);
    put32(&j, 16);
    sb_add(&j, "ftypisom\0\0\0\0", 12);
    const char *remote = "<r xmlns:d='http://purl.org/dc/terms/' d:provenance='https://example.com/m.c2pa'/>";
    put32(&j, (uint32_t)(24 + strlen(remote)));
    sb_add(&j, "uuid\xBE\x7A\xCF\xCB\x97\xA9\x42\xE8\x9C\x71\x99\x94\x91\xE3\xAF\xAC", 20);
    sb_adds(&j, remote);
    prov_scan(j.s, j.len, NULL, &m);
    assert_string_equal(m.container, "bmff");
    assert_int_equal(m.state, PROV_REMOTE);
    badge_build(&b, &m, NULL, NULL);
    assert_int_equal(b.cred, PROV_CRED_PRESENT);
    sb_free(&c);
    sb_free(&j);
    /* not media at all */
    prov_scan("hello", 5, NULL, &m);
    assert_string_equal(m.container, "");
    assert_int_equal(m.state, PROV_NONE);
    prov_scan("", 0, NULL, &m);
    assert_int_equal(m.state, PROV_NONE);
}

static void test_source_types(void **state)
{
    (void)state;
    assert_int_equal(prov_source_type_class("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"),
                     PROV_AI_GENERATED);
    assert_int_equal(prov_source_type_class("https://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia/"),
                     PROV_AI_EDITED);
    assert_int_equal(prov_source_type_class(" http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"),
                     PROV_AI_CAPTURE);
    assert_int_equal(prov_source_type_class("algorithmicMedia"), PROV_AI_SYNTHETIC);
    assert_int_equal(prov_source_type_class("http://c2pa.org/digitalsourcetype/trainedAlgorithmicData"), PROV_AI_GENERATED);
    assert_int_equal(prov_source_type_class("digitalCreation"), PROV_AI_HUMAN);
    assert_int_equal(prov_source_type_class("algorithmicallyEnhanced"), PROV_AI_ENHANCED);
    assert_int_equal(prov_source_type_class("http://example.com/trainedAlgorithmicMedia"), PROV_AI_UNKNOWN);
    assert_int_equal(prov_source_type_class("somethingElse"), PROV_AI_UNKNOWN);
    assert_int_equal(prov_source_type_class(""), PROV_AI_UNKNOWN);
}

/* A claim that lists one large assertion thousands of times must not hash it thousands of times. */
static void test_hash_budget(void **state)
{
    (void)state;
    struct strbuf big, cbox, a, as, claim, cl, man, m2, store;
    sb_init(&big); sb_init(&cbox); sb_init(&a); sb_init(&as); sb_init(&claim); sb_init(&cl);
    sb_init(&man); sb_init(&m2); sb_init(&store);
    /* a 1 MiB CBOR byte string as the assertion */
    sb_add(&big, "\x5a\x00\x10\x00\x00", 5);
    char *zeros = calloc(1, 1u << 20);
    sb_add(&big, zeros, 1u << 20);
    free(zeros);
    box(&cbox, "cbor", &big);
    super(&a, "cbor", "c2pa.big", &cbox);
    super(&as, "c2as", "c2pa.assertions", &a);
    /* {"claim_generator": "x", "signature": "self#jumbf=c2pa.signature", "assertions": [ref x 3000]} */
    sb_add(&claim, "\xa3\x6f" "claim_generator" "\x61x", 19);
    sb_add(&claim, "\x69" "signature" "\x78\x19" "self#jumbf=c2pa.signature", 37);
    sb_add(&claim, "\x6a" "assertions" "\x99\x0b\xb8", 14);
    for (int i = 0; i < 3000; i++) {
        sb_add(&claim, "\xa2\x63url\x78\x23" "self#jumbf=c2pa.assertions/c2pa.big", 7 + 35);
        sb_add(&claim, "\x64hash\x58\x20", 7);
        sb_add(&claim, "0123456789abcdef0123456789abcdef", 32);
    }
    struct strbuf cc;
    sb_init(&cc);
    box(&cc, "cbor", &claim);
    super(&cl, "c2cl", "c2pa.claim", &cc);
    sb_add(&man, as.s, as.len);
    sb_add(&man, cl.s, cl.len);
    super(&m2, "c2ma", "urn:c2pa:budget", &man);
    super(&store, "c2pa", "c2pa", &m2);
    struct prov_carrier c;
    memset(&c, 0, sizeof c);
    strcpy(c.container, "png");
    c.store = (const uint8_t *)store.s;
    c.store_len = store.len;
    c.carrier_end = store.len;
    struct prov_scan_opts o = {0};
    struct prov_media m;
    memset(&m, 0, sizeof m);
    double t0 = now_ms();
    prov_c2pa_read(&c, (const uint8_t *)store.s, store.len, &o, &m);
    double ms = now_ms() - t0;
    print_message("3000 references to a 1 MiB assertion: %.1f ms, %s (%s)\n", ms, prov_state_name(m.state), m.failure);
    assert_true(m.state == PROV_INVALID || m.state == PROV_MALFORMED);
    assert_true(ms < 1000);
    struct strbuf *all[] = {&big, &cbox, &a, &as, &claim, &cl, &man, &m2, &store, &cc};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) sb_free(all[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jumbf_tree),
        cmocka_unit_test(test_jumbf_sizes),
        cmocka_unit_test(test_jumbf_structure_errors),
        cmocka_unit_test(test_cbor_check),
        cmocka_unit_test(test_cbor_load),
        cmocka_unit_test(test_cbor_float_for_null),
        cmocka_unit_test(test_xmp_forms),
        cmocka_unit_test(test_xmp_hostile),
        cmocka_unit_test(test_pdf_short_store_box),
        cmocka_unit_test(test_container_xmp_and_hints),
        cmocka_unit_test(test_source_types),
        cmocka_unit_test(test_hash_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
