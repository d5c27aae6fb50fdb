/* SPDX-License-Identifier: ISC */
/* Manifests no fixture shows, made by the test writer: claims v1 and v2, ES256 / ES384 / ES512 /
 * PS256 / Ed25519, x5chain in the protected or the unprotected header or as a single certificate, JPEG
 * stores split over many APP11 segments, PNG and WebP carriers; then what tampering does to each,
 * and how anchors and the user's signer rules make a signer trusted. */
#include "testutil.h"

#include <unistd.h>

#include "../../src/provenance/prov_int.h"
#include "prov.h"
#include "prov_verdict_check.h"
#include "prov_testsign.h"

#define AI_GEN "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
#define CAPTURE "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"

static void scan(const uint8_t *p, size_t n, const struct prov_trust *t, struct prov_media *m)
{
    struct prov_scan_opts o = {.trust = t};
    prov_scan(p, n, &o, m);
}

/* Signs a base asset, scans it, and returns the result (and the asset when wanted). */
static uint8_t *signed_asset(const char *alg, const struct tsign_opts *o, size_t base_size, size_t *len,
                             struct tsign_key *keep)
{
    struct tsign_key k;
    assert_int_equal(tsign_keys(&k, alg), 0);
    size_t bl;
    uint8_t *base = tsign_base(o->container, base_size, &bl);
    uint8_t *a = tsign_asset(base, bl, &k, o, len);
    free(base);
    if (keep) *keep = k;
    else tsign_keys_free(&k);
    return a;
}

static void check_valid(const char *alg, const char *container, int version, int unprot, int single, size_t segment)
{
    struct tsign_opts o = {.container = container, .claim_version = version, .x5chain_unprotected = unprot,
                           .x5chain_single = single, .source_type = AI_GEN, .generator = "Unit Gen",
                           .segment = segment};
    size_t n;
    uint8_t *a = signed_asset(alg, &o, 3000, &n, NULL);
    struct prov_media m;
    scan(a, n, NULL, &m);
    if (m.state != PROV_VALID)
        fail_msg("%s %s v%d unprot=%d single=%d seg=%zu: state %s, %s: %s", alg, container, version, unprot, single,
                 segment, prov_state_name(m.state), m.failure, m.failure_text);
    assert_string_equal(m.container, container);
    assert_int_equal(m.claim_version, version);
    assert_string_equal(m.alg, alg);
    assert_string_equal(m.signer_org, "Winnow Test");
    assert_string_equal(m.source_type, "trainedAlgorithmicMedia");
    assert_string_equal(m.software_agent, "Winnow Test Generator");
    assert_non_null(strstr(m.generator, version == 2 ? "Unit Gen/1.0" : "Unit Gen"));
    assert_int_equal(m.manifests, 1);
    free(a);
}

static void test_algorithms_and_claims(void **state)
{
    (void)state;
    static const char *const algs[] = {"ES256", "ES384", "ES512", "PS256", "Ed25519"};
    for (size_t i = 0; i < 5; i++)
        for (int v = 1; v <= 2; v++) check_valid(algs[i], "jpeg", v, 0, 0, 0);
}

static void test_x5chain_placement(void **state)
{
    (void)state;
    check_valid("ES256", "jpeg", 1, 1, 0, 0);   /* legacy: unprotected header */
    check_valid("PS256", "png", 2, 1, 0, 0);
    check_valid("ES256", "jpeg", 2, 0, 1, 0);   /* a single certificate as one bstr */
    check_valid("PS256", "webp", 1, 1, 1, 0);
}

static void test_containers_and_segments(void **state)
{
    (void)state;
    check_valid("ES256", "png", 1, 0, 0, 0);
    check_valid("ES256", "webp", 2, 0, 0, 0);
    /* the store split into many APP11 segments, some cut inside the claim and the signature */
    check_valid("ES256", "jpeg", 1, 0, 0, 700);
    check_valid("PS256", "jpeg", 2, 0, 0, 257);
    check_valid("Ed25519", "jpeg", 2, 1, 0, 1);
}

static void test_tampering(void **state)
{
    (void)state;
    struct tsign_opts o = {.container = "png", .claim_version = 2, .source_type = CAPTURE};
    size_t n;
    uint8_t *a = signed_asset("ES256", &o, 4000, &n, NULL);
    struct prov_media m;
    scan(a, n, NULL, &m);
    assert_int_equal(m.state, PROV_VALID);
    assert_string_equal(m.source_type, "digitalCapture");

    /* one pixel byte changed: the data hash fails */
    uint8_t *t = malloc(n);
    memcpy(t, a, n);
    t[n - 100] ^= 1;
    scan(t, n, NULL, &m);
    assert_int_equal(m.state, PROV_INVALID);
    assert_string_equal(m.failure, "assertion.dataHash.mismatch");

    /* the digitalSourceType rewritten inside the actions assertion: the hashed URI fails, and the
     * value is reported as the file now says it, marked as changed (as c2pa-rs reports it) */
    memcpy(t, a, n);
    uint8_t *hit = memmem(t, n, "digitalCapture", 14);
    assert_non_null(hit);
    memcpy(hit, "digitalCaptura", 14);
    scan(t, n, NULL, &m);
    assert_int_equal(m.state, PROV_INVALID);
    assert_string_equal(m.failure, "assertion.hashedURI.mismatch");
    assert_string_equal(m.source_type, "digitalCaptura");
    assert_string_equal(m.source_where, "changed after signing");

    /* the claim changed: the signature fails */
    memcpy(t, a, n);
    hit = memmem(t, n, "winnow-test", 11);
    assert_non_null(hit);
    hit[0] = 'W';
    scan(t, n, NULL, &m);
    assert_int_equal(m.state, PROV_INVALID);
    assert_string_equal(m.failure, "claimSignature.mismatch");
    free(t);
    free(a);
}

static void test_trust_anchor_and_rules(void **state)
{
    (void)state;
    struct tsign_opts o = {.container = "jpeg", .claim_version = 1, .source_type = AI_GEN};
    struct tsign_key k;
    size_t n;
    uint8_t *a = signed_asset("PS256", &o, 2000, &n, &k);
    char pem[] = "/tmp/winnow-prov-ca-XXXXXX";
    int fd = mkstemp(pem);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(tsign_write_ca(&k, pem), 0);

    struct prov_trust *t = prov_trust_new();
    struct error err;
    assert_int_equal(prov_trust_add_file(t, pem, 0, &err), 1);
    struct prov_media m;
    scan(a, n, t, &m);
    assert_int_equal(m.state, PROV_TRUSTED);
    assert_int_equal(m.chain_trusted, 1);
    prov_trust_free(t);

    /* another CA does not make it trusted */
    struct tsign_key other;
    assert_int_equal(tsign_keys(&other, "ES256"), 0);
    assert_int_equal(tsign_write_ca(&other, pem), 0);
    t = prov_trust_new();
    assert_int_equal(prov_trust_add_file(t, pem, 0, &err), 1);
    scan(a, n, t, &m);
    assert_int_equal(m.state, PROV_VALID);
    prov_trust_free(t);
    tsign_keys_free(&other);
    unlink(pem);

    /* the user's rules: trusted by O/CN, by certificate hash; distrust wins */
    struct prov_badge b;
    struct prov_rules *r = prov_rules_new();
    assert_int_equal(prov_rules_parse(r, "trust_signer = O=Winnow Test, CN=Test Signer PS256\n", "t", &err), 0);
    badge_build(&b, &m, NULL, r);
    assert_int_equal(b.cred, PROV_CRED_TRUSTED);
    assert_int_equal(b.signer_rule, 1);
    prov_rules_free(r);
    r = prov_rules_new();
    char rule[200];
    snprintf(rule, sizeof rule, "trust_signer = sha256:%s\ndistrust_signer = O=Winnow Test\n", m.cert_sha256[0]);
    assert_int_equal(prov_rules_parse(r, rule, "t", &err), 0);
    badge_build(&b, &m, NULL, r);
    assert_int_equal(b.cred, PROV_CRED_VALID);
    assert_int_equal(b.signer_rule, -1);
    prov_rules_free(r);
    tsign_keys_free(&k);
    free(a);
}

static void test_head_only(void **state)
{
    (void)state;
    struct tsign_opts o = {.container = "png", .claim_version = 1, .source_type = AI_GEN};
    size_t n;
    uint8_t *a = signed_asset("ES256", &o, 200000, &n, NULL);
    struct prov_scan_opts so = {.head_only = 1};
    struct prov_media m;
    prov_scan(a, 100000, &so, &m);
    assert_int_equal(m.state, PROV_PRESENT);
    assert_non_null(strstr(m.failure_text, "first"));
    /* the claims are shown, but as unverified */
    struct prov_badge b;
    badge_build(&b, &m, NULL, NULL);
    assert_int_equal(b.cred, PROV_CRED_PRESENT);
    assert_int_equal(b.origin, PROV_FROM_C2PA_UNVERIFIED);
    free(a);
}

/* The parent's AI-ness shows through the ingredient chain (v1 c2pa_manifest and v2 activeManifest);
 * the nearest manifest that states a source type wins, a stronger one further down is kept. */
static void test_ingredient_chain(void **state)
{
    (void)state;
    for (int v = 1; v <= 2; v++) {
        struct tsign_opts o = {.container = "png", .claim_version = v, .ingredient_source_type = AI_GEN};
        size_t n;
        uint8_t *a = signed_asset("ES256", &o, 1500, &n, NULL);
        struct prov_media m;
        scan(a, n, NULL, &m);
        assert_int_equal(m.state, PROV_VALID);
        assert_int_equal(m.manifests, 2);
        assert_string_equal(m.source_type, "trainedAlgorithmicMedia");
        assert_string_equal(m.source_where, "ingredient");
        assert_string_equal(m.actions, "c2pa.opened");
        /* the parent manifest changed: the ingredient's hash no longer holds */
        uint8_t *hit = memmem(a, n, "c2pa.created", 12);
        assert_non_null(hit);
        hit[5] = 'C';
        scan(a, n, NULL, &m);
        assert_int_equal(m.state, PROV_INVALID);
        assert_string_equal(m.failure, "ingredient.hashedURI.mismatch");
        assert_string_equal(m.source_type, "");
        free(a);
    }
    /* the active manifest says capture over an AI parent: capture shown, the parent kept, flagged */
    struct tsign_opts o = {.container = "jpeg", .claim_version = 2, .source_type = CAPTURE,
                           .ingredient_source_type = AI_GEN};
    size_t n;
    uint8_t *a = signed_asset("PS256", &o, 1500, &n, NULL);
    struct prov_media m;
    scan(a, n, NULL, &m);
    assert_int_equal(m.state, PROV_VALID);
    assert_string_equal(m.source_type, "digitalCapture");
    assert_string_equal(m.ingredient_source_type, "trainedAlgorithmicMedia");
    struct prov_badge b;
    badge_build(&b, &m, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_CAPTURE);
    assert_int_equal(b.conflict, 1);
    free(a);
}

/* Two manifest stores in one file (two APP11 box instances): refused, as C2PA requires. */
static void test_two_stores(void **state)
{
    (void)state;
    struct tsign_opts o = {.container = "jpeg", .claim_version = 1, .source_type = AI_GEN};
    size_t n;
    uint8_t *a = signed_asset("ES256", &o, 1000, &n, NULL);
    size_t at = 20;                               /* after SOI + APP0 */
    assert_int_equal(a[at], 0xFF);
    assert_int_equal(a[at + 1], 0xEB);
    size_t seg = 2 + ((size_t)a[at + 2] << 8 | a[at + 3]);
    uint8_t *two = malloc(n + seg);
    memcpy(two, a, at + seg);
    memcpy(two + at + seg, a + at, seg);
    two[at + seg + 7] ^= 0x40;                    /* another box instance number */
    memcpy(two + at + 2 * seg, a + at + seg, n - at - seg);
    struct prov_media m;
    scan(two, n + seg, NULL, &m);
    assert_int_equal(m.state, PROV_MALFORMED);
    assert_string_equal(m.failure, "manifest.multipleStores");
    free(two);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_algorithms_and_claims),
        cmocka_unit_test(test_x5chain_placement),
        cmocka_unit_test(test_containers_and_segments),
        cmocka_unit_test(test_tampering),
        cmocka_unit_test(test_trust_anchor_and_rules),
        cmocka_unit_test(test_head_only),
        cmocka_unit_test(test_two_stores),
        cmocka_unit_test(test_ingredient_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
