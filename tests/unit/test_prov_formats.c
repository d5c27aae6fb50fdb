/* SPDX-License-Identifier: ISC */
/* The formats and rules of issue 16, with files signed here by the test writer: a store in GIF,
 * TIFF, WAV, MP3 (ID3 GEOB), JPEG XL, SVG and PDF (and MP4 with a BMFF v2 hash), verified, trusted with its anchor, and failing
 * when a media byte changes or the file is cut; a pre-1.3 ingredient hash; an ingredient signed by
 * a signer nobody trusts (valid, never trusted, and named); a signature URI written without its
 * '/'; malformed CBOR in an assertion the claim lists; a changed actions assertion reported as it
 * now reads; a compressed manifest that does not decompress.  make check-c2pa compares the same causes with the reference on its own files. */
#include "testutil.h"

#include <openssl/sha.h>
#include <zlib.h>
#include <unistd.h>

#include "../../src/provenance/prov_int.h"
#include "prov.h"
#include "prov_verdict_check.h"
#include "prov_testsign.h"

#define AI_GEN "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
#define CAPTURE "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"

static struct prov_trust *anchor_of(const struct tsign_key *k)
{
    char pem[] = "/tmp/winnow-fmt-XXXXXX";
    int fd = mkstemp(pem);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(tsign_write_ca(k, pem), 0);
    struct prov_trust *t = prov_trust_new();
    struct error err;
    error_clear(&err);
    assert_int_equal(prov_trust_add_file(t, pem, 0, &err), 1);
    unlink(pem);
    return t;
}

static void scan(const uint8_t *p, size_t n, const struct prov_trust *t, int head_only, struct prov_media *m)
{
    struct prov_scan_opts o = {.trust = t, .head_only = head_only};
    prov_scan(p, n, &o, m);
}

static uint8_t *sign(const struct tsign_key *k, const struct tsign_opts *o, size_t base_size, size_t *n)
{
    size_t bl;
    uint8_t *base = tsign_base(o->container, base_size, &bl);
    uint8_t *a = tsign_asset(base, bl, k, o, n);
    free(base);
    return a;
}

static void test_containers(void **state)
{
    (void)state;
    static const char *const kinds[] = {"gif", "tiff", "wav", "mp3", "jxl", "svg", "pdf", "mp4"};
    struct tsign_key k;
    assert_int_equal(tsign_keys(&k, "ES256"), 0);
    struct prov_trust *t = anchor_of(&k);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        struct tsign_opts o = {.container = kinds[i], .claim_version = 2, .source_type = AI_GEN};
        size_t n;
        uint8_t *a = sign(&k, &o, 6000, &n);
        struct prov_media m;
        scan(a, n, NULL, 0, &m);
        if (m.state != PROV_VALID)
            fail_msg("%s: %s %s: %s", kinds[i], prov_state_name(m.state), m.failure, m.failure_text);
        int mp4 = !strcmp(kinds[i], "mp4");
        assert_string_equal(m.container, mp4 ? "bmff" : kinds[i]);
        assert_string_equal(m.source_type, "trainedAlgorithmicMedia");
        scan(a, n, t, 0, &m);
        assert_int_equal(m.state, PROV_TRUSTED);

        /* a byte of the media changed: the data hash fails.  The media is the last third or so
         * of every base file except PDF and JPEG XL, where the store follows or precedes it. */
        struct prov_carrier c;
        prov_locate(a, n, &c);
        size_t media = c.carrier_off > n - c.carrier_end ? c.carrier_off / 2 : c.carrier_end + (n - c.carrier_end) / 2;
        prov_carrier_free(&c);
        a[media] ^= 0x01;
        scan(a, n, t, 0, &m);
        if (m.state != PROV_INVALID || strcmp(m.failure, mp4 ? "assertion.bmffHash.mismatch" : "assertion.dataHash.mismatch"))
            fail_msg("%s with byte %zu changed: %s %s", kinds[i], media, prov_state_name(m.state), m.failure);
        a[media] ^= 0x01;

        /* cut inside or before the store: never valid; the head of a longer file is not an error */
        prov_locate(a, n, &c);
        size_t cut = c.carrier_off + (c.carrier_end - c.carrier_off) / 2;
        prov_carrier_free(&c);
        scan(a, cut, t, 0, &m);
        if (m.state != PROV_MALFORMED && m.state != PROV_INVALID && m.state != PROV_NONE)
            fail_msg("%s cut at %zu: %s", kinds[i], cut, prov_state_name(m.state));
        assert_true(m.state != PROV_VALID && m.state != PROV_TRUSTED);
        scan(a, cut, t, 1, &m);
        assert_true(m.state != PROV_MALFORMED && m.state != PROV_INVALID);
        free(a);
    }
    prov_trust_free(t);
    tsign_keys_free(&k);
}

/* A FLAC stream as c2pa-rs signs it: an ID3v2 tag before "fLaC". */
static void test_flac_behind_id3(void **state)
{
    (void)state;
    struct tsign_key k;
    assert_int_equal(tsign_keys(&k, "Ed25519"), 0);
    struct tsign_opts o = {.container = "mp3", .claim_version = 2, .source_type = CAPTURE};
    size_t n;
    uint8_t *a = sign(&k, &o, 2000, &n);
    /* the test writer's MP3 base starts the audio with a frame header: make it FLAC's magic */
    uint8_t *frame = memmem(a, n, "\xFF\xFB\x90\x00", 4);
    assert_non_null(frame);
    struct prov_media m;
    scan(a, n, NULL, 0, &m);
    assert_int_equal(m.state, PROV_VALID);
    assert_string_equal(m.container, "mp3");
    memcpy(frame, "fLaC", 4);
    struct prov_carrier c;
    prov_locate(a, n, &c);
    assert_string_equal(c.container, "flac");
    assert_non_null(c.store);
    prov_carrier_free(&c);
    free(a);
    tsign_keys_free(&k);
}

static void test_riff_shorter_than_header(void **state)
{
    (void)state;
    size_t n;
    uint8_t *wav = tsign_base("wav", 4000, &n);
    struct prov_media m;
    scan(wav, n, NULL, 0, &m);
    assert_int_equal(m.state, PROV_NONE);
    /* c2pa-rs: "Invalid RIFF format" for a whole file whose header claims more */
    scan(wav, n - 100, NULL, 0, &m);
    assert_int_equal(m.state, PROV_MALFORMED);
    assert_non_null(strstr(m.failure_text, "RIFF"));
    scan(wav, n - 100, NULL, 1, &m);
    assert_int_equal(m.state, PROV_NONE);
    free(wav);
}

static void test_legacy_ingredient_hash(void **state)
{
    (void)state;
    struct tsign_key k;
    assert_int_equal(tsign_keys(&k, "ES256"), 0);
    struct prov_trust *t = anchor_of(&k);
    for (int legacy = 0; legacy < 2; legacy++) {
        struct tsign_opts o = {.container = "png", .claim_version = 1, .ingredient_source_type = AI_GEN,
                               .legacy_ingredient_hash = legacy};
        size_t n;
        uint8_t *a = sign(&k, &o, 2000, &n);
        struct prov_media m;
        scan(a, n, t, 0, &m);
        if (m.state != PROV_TRUSTED) fail_msg("legacy=%d: %s %s", legacy, prov_state_name(m.state), m.failure);
        assert_string_equal(m.ingredient_source_type[0] ? m.ingredient_source_type : m.source_type, "trainedAlgorithmicMedia");
        /* the parent's claim changed: neither hash holds any more */
        uint8_t *cl = memmem(a, n, "winnow-test/1.0", 15);
        assert_non_null(cl);
        cl[0] = 'W';
        scan(a, n, t, 0, &m);
        assert_int_equal(m.state, PROV_INVALID);
        assert_string_equal(m.failure, "ingredient.hashedURI.mismatch");
        free(a);
    }
    prov_trust_free(t);
    tsign_keys_free(&k);
}

static void test_untrusted_ingredient(void **state)
{
    (void)state;
    struct tsign_key k, other;
    assert_int_equal(tsign_keys(&k, "ES256"), 0);
    assert_int_equal(tsign_keys(&other, "ES256"), 0);
    struct prov_trust *t = anchor_of(&k);
    struct tsign_opts o = {.container = "jpeg", .claim_version = 2, .ingredient_source_type = AI_GEN, .parent_key = &other};
    size_t n;
    uint8_t *a = sign(&k, &o, 2000, &n);
    struct prov_media m;
    scan(a, n, t, 0, &m);
    /* the active signer chains, the ingredient's does not: valid, never trusted, and it is named */
    assert_int_equal(m.state, PROV_VALID);
    assert_int_equal(m.chain_trusted, 1);
    assert_non_null(strstr(m.ingredient_untrusted, "does not chain"));
    assert_non_null(strstr(m.trust_note, "ingredient not trusted"));
    struct prov_badge b;
    badge_build(&b, &m, NULL, NULL);
    assert_int_equal(b.cred, PROV_CRED_VALID);
    free(a);
    /* the same parent key trusted too: trusted */
    o.parent_key = NULL;
    a = sign(&k, &o, 2000, &n);
    scan(a, n, t, 0, &m);
    assert_int_equal(m.state, PROV_TRUSTED);
    assert_string_equal(m.ingredient_untrusted, "");
    free(a);
    prov_trust_free(t);
    tsign_keys_free(&k);
    tsign_keys_free(&other);
}

static void test_signature_uri_without_slash(void **state)
{
    (void)state;
    struct tsign_key k;
    assert_int_equal(tsign_keys(&k, "PS256"), 0);
    struct tsign_opts o = {.container = "png", .claim_version = 2, .source_type = CAPTURE,
                           .signature_uri = "self#jumbf=c2pa/urn:c2pa:0f6b3d35-2c55-4c5e-9a36-6a6f5b2b9a11/c2pa.signature"};
    size_t n;
    uint8_t *a = sign(&k, &o, 2000, &n);
    struct prov_media m;
    scan(a, n, NULL, 0, &m);
    if (m.state != PROV_VALID) fail_msg("%s %s: %s", prov_state_name(m.state), m.failure, m.failure_text);
    assert_string_equal(m.signer_org, "Winnow Test");
    free(a);
    /* a path that names no signature at all is still missing */
    o.signature_uri = "self#jumbf=c2pa/urn:c2pa:00000000-0000-0000-0000-000000000000/c2pa.signature";
    a = sign(&k, &o, 2000, &n);
    scan(a, n, NULL, 0, &m);
    assert_int_equal(m.state, PROV_INVALID);
    assert_string_equal(m.failure, "claimSignature.missing");
    free(a);
    tsign_keys_free(&k);
}

static void test_malformed_cbor_assertion(void **state)
{
    (void)state;
    struct tsign_key k;
    assert_int_equal(tsign_keys(&k, "ES256"), 0);
    /* a map that promises two pairs and holds one: hashed and signed as it is */
    static const uint8_t bad[] = {0xA2, 0x61, 'a', 0x01};
    static const uint8_t good[] = {0xA1, 0x61, 'a', 0x01};
    struct tsign_opts o = {.container = "jpeg", .claim_version = 2, .source_type = CAPTURE,
                           .extra_assertion = good, .extra_assertion_len = sizeof good};
    size_t n;
    uint8_t *a = sign(&k, &o, 2000, &n);
    struct prov_media m;
    scan(a, n, NULL, 0, &m);
    assert_int_equal(m.state, PROV_VALID);
    free(a);
    o.extra_assertion = bad;
    o.extra_assertion_len = sizeof bad;
    a = sign(&k, &o, 2000, &n);
    scan(a, n, NULL, 0, &m);
    assert_int_equal(m.state, PROV_INVALID);
    assert_string_equal(m.failure, "assertion.required.missing");
    free(a);
    tsign_keys_free(&k);
}

static void test_changed_actions_reported(void **state)
{
    (void)state;
    struct tsign_key k;
    assert_int_equal(tsign_keys(&k, "ES256"), 0);
    struct tsign_opts o = {.container = "gif", .claim_version = 2, .source_type = AI_GEN};
    size_t n;
    uint8_t *a = sign(&k, &o, 2000, &n);
    /* a forger rewrites the claim as capture: the hash fails, and the report says what the file
     * now claims, marked, so the badge does not treat it as a signed fact */
    uint8_t *hit = memmem(a, n, "trainedAlgorithmicMedia", 23);
    assert_non_null(hit);
    memcpy(hit, "digitalCapture\0\0\0\0\0\0\0\0\0", 23);
    struct prov_media m;
    scan(a, n, NULL, 0, &m);
    assert_int_equal(m.state, PROV_INVALID);
    assert_string_equal(m.failure, "assertion.hashedURI.mismatch");
    assert_string_equal(m.source_where, "changed after signing");
    struct prov_badge b;
    badge_build(&b, &m, NULL, NULL);
    assert_int_equal(b.cred, PROV_CRED_INVALID);
    assert_int_not_equal(b.origin, PROV_FROM_C2PA);
    free(a);
    tsign_keys_free(&k);
}

/* c2pa.hash.boxes over a JPEG and a GIF, segments named as c2pa-rs names them (SOS runs to EOI; restart
 * markers are boxes of their own), built here with libcbor over the test writer's JPEG. */
static void add_box(cbor_item_t *arr, const char *name, const uint8_t *p, size_t n)
{
    uint8_t h[32];
    SHA256(p, n, h);
    cbor_item_t *e = cbor_new_definite_map(2), *names = cbor_new_definite_array(1);
    assert_true(cbor_array_push(names, cbor_move(cbor_build_string(name))));
    assert_true(cbor_map_add(e, (struct cbor_pair){cbor_move(cbor_build_string("names")), cbor_move(names)}));
    assert_true(cbor_map_add(e, (struct cbor_pair){cbor_move(cbor_build_string("hash")), cbor_move(cbor_build_bytestring(h, 32))}));
    assert_true(cbor_array_push(arr, cbor_move(e)));
}

static void test_jpeg_box_hash(void **state)
{
    (void)state;
    size_t n;
    uint8_t *j = tsign_base("jpeg", 3000, &n);
    /* SOI, APP0 (20 bytes with SOI), SOS (10), data, EOI: put a restart marker into the data */
    size_t rst = 20 + 10 + 1000;
    j[rst] = 0xFF;
    j[rst + 1] = 0xD0;
    cbor_item_t *a = cbor_new_definite_map(1), *boxes = cbor_new_definite_array(5);
    add_box(boxes, "SOI", j, 2);
    add_box(boxes, "APP0", j + 2, 18);
    add_box(boxes, "SOS", j + 20, n - 2 - 20);
    add_box(boxes, "RST0", j + rst, 2);
    add_box(boxes, "EOI", j + n - 2, 2);
    assert_true(cbor_map_add(a, (struct cbor_pair){cbor_move(cbor_build_string("boxes")), cbor_move(boxes)}));
    char why[160] = "";
    int r = prov_jpeg_boxes_check(a, "sha256", j, n, why, sizeof why);
    if (r != 1) fail_msg("box hash: %d %s", r, why);
    j[rst + 500] ^= 1;                            /* the scan data: inside SOS */
    assert_int_equal(prov_jpeg_boxes_check(a, "sha256", j, n, why, sizeof why), 0);
    assert_non_null(strstr(why, "SOS"));
    j[rst + 500] ^= 1;
    j[n - 1] = 0xD8;                              /* the walk no longer ends in EOI where named */
    assert_int_equal(prov_jpeg_boxes_check(a, "sha256", j, n, why, sizeof why), 0);
    cbor_decref(&a);
    free(j);

    /* GIF: the header, LSD, the image's descriptor and its LZW data, the trailer */
    uint8_t *g = tsign_base("gif", 2000, &n);
    a = cbor_new_definite_map(1);
    boxes = cbor_new_definite_array(5);
    add_box(boxes, "GIF89a", g, 6);
    add_box(boxes, "LSD", g + 6, 7);
    add_box(boxes, "2C", g + 13, 10);
    add_box(boxes, "TBID", g + 23, n - 1 - 23);
    add_box(boxes, "3B", g + n - 1, 1);
    assert_true(cbor_map_add(a, (struct cbor_pair){cbor_move(cbor_build_string("boxes")), cbor_move(boxes)}));
    r = prov_gif_boxes_check(a, "sha256", g, n, why, sizeof why);
    if (r != 1) fail_msg("GIF box hash: %d %s", r, why);
    g[n / 2] ^= 1;
    assert_int_equal(prov_gif_boxes_check(a, "sha256", g, n, why, sizeof why), 0);
    assert_non_null(strstr(why, "TBID"));
    cbor_decref(&a);
    free(g);
}

/* A PNG whose XMP iTXt chunk is zlib-compressed (flag 1): its DigitalSourceType is read; a broken
 * stream is ignored, not fatal. */
static uint32_t crc(const uint8_t *p, size_t n) { return (uint32_t)crc32(0, p, (uInt)n); }

static void test_zlib_itxt_xmp(void **state)
{
    (void)state;
    static const char xmp[] =
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        "<rdf:Description xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\" "
        "Iptc4xmpExt:DigitalSourceType=\"http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia\"/>"
        "</rdf:RDF></x:xmpmeta>";
    uint8_t z[2048];
    uLongf zl = sizeof z;
    assert_int_equal(compress(z, &zl, (const Bytef *)xmp, sizeof xmp - 1), Z_OK);
    size_t bn;
    uint8_t *base = tsign_base("png", 500, &bn);
    for (int broken = 0; broken < 2; broken++) {
        struct strbuf chunk, png;
        sb_init(&chunk);
        sb_init(&png);
        sb_add(&chunk, "iTXtXML:com.adobe.xmp\0\x01\x00\0\0", 4 + 18 + 4);
        sb_add(&chunk, (const char *)z, zl);
        if (broken) chunk.s[4 + 18 + 4 + 5] ^= 0x55;
        uint8_t h[4] = {(uint8_t)((chunk.len - 4) >> 24), (uint8_t)((chunk.len - 4) >> 16), (uint8_t)((chunk.len - 4) >> 8),
                        (uint8_t)(chunk.len - 4)};
        uint32_t c = crc((const uint8_t *)chunk.s, chunk.len);
        uint8_t t[4] = {(uint8_t)(c >> 24), (uint8_t)(c >> 16), (uint8_t)(c >> 8), (uint8_t)c};
        sb_add(&png, (const char *)base, 33);        /* signature and IHDR */
        sb_add(&png, (const char *)h, 4);
        sb_add(&png, chunk.s, chunk.len);
        sb_add(&png, (const char *)t, 4);
        sb_add(&png, (const char *)base + 33, bn - 33);
        struct prov_media m;
        scan((const uint8_t *)png.s, png.len, NULL, 0, &m);
        assert_int_equal(m.state, PROV_NONE);
        if (broken) assert_string_not_equal(m.xmp_source_type, "trainedAlgorithmicMedia");
        else assert_string_equal(m.xmp_source_type, "trainedAlgorithmicMedia");
        sb_free(&chunk);
        sb_free(&png);
    }
    free(base);
}

/* A compressed manifest (c2cm) whose brotli box holds garbage: malformed, and says why. */
static void put_box(struct strbuf *b, const char *type, const void *p, size_t n)
{
    uint8_t h[8] = {(uint8_t)((n + 8) >> 24), (uint8_t)((n + 8) >> 16), (uint8_t)((n + 8) >> 8), (uint8_t)(n + 8)};
    memcpy(h + 4, type, 4);
    sb_add(b, (const char *)h, 8);
    sb_add(b, p, n);
}

static void put_super(struct strbuf *b, const char *kind, const char *label, const struct strbuf *content)
{
    static const uint8_t tail[12] = {0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    struct strbuf d, all;
    sb_init(&d);
    sb_init(&all);
    sb_add(&d, kind, 4);
    sb_add(&d, (const char *)tail, 12);
    sb_addc(&d, 3);
    sb_add(&d, label, strlen(label) + 1);
    put_box(&all, "jumd", d.s, d.len);
    sb_add(&all, content->s, content->len);
    put_box(b, "jumb", all.s, all.len);
    sb_free(&d);
    sb_free(&all);
}

static void test_compressed_manifest_garbage(void **state)
{
    (void)state;
    struct strbuf brob, cm, store;
    sb_init(&brob);
    sb_init(&cm);
    sb_init(&store);
    put_box(&brob, "brob", "not brotli at all, not at all", 29);
    put_super(&cm, "c2cm", "urn:c2pa:test", &brob);
    put_super(&store, "c2pa", "c2pa", &cm);
    struct prov_carrier c;
    memset(&c, 0, sizeof c);
    strcpy(c.container, "png");
    c.store = (const uint8_t *)store.s;
    c.store_len = store.len;
    struct prov_scan_opts o = {0};
    struct prov_media m;
    memset(&m, 0, sizeof m);
    prov_c2pa_read(&c, (const uint8_t *)store.s, store.len, &o, &m);
    assert_int_equal(m.state, PROV_MALFORMED);
    assert_non_null(strstr(m.failure_text, "does not decompress"));
    sb_free(&brob);
    sb_free(&cm);
    sb_free(&store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_containers),
        cmocka_unit_test(test_flac_behind_id3),
        cmocka_unit_test(test_riff_shorter_than_header),
        cmocka_unit_test(test_legacy_ingredient_hash),
        cmocka_unit_test(test_untrusted_ingredient),
        cmocka_unit_test(test_signature_uri_without_slash),
        cmocka_unit_test(test_malformed_cbor_assertion),
        cmocka_unit_test(test_changed_actions_reported),
        cmocka_unit_test(test_compressed_manifest_garbage),
        cmocka_unit_test(test_jpeg_box_hash),
        cmocka_unit_test(test_zlib_itxt_xmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
