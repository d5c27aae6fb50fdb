/* SPDX-License-Identifier: ISC */
/* CAWG identity assertions and the c2pa-rs rules of issue 16 on the reference's own test media
 * (fixtures/provenance/c2pa-rs): every identity case of c2pa-rs's suite gives c2pa-rs's status code
 * and state, verified identities reach the Provenance lines and the JSON, and the files c2pa-rs
 * refuses (a Merkle-only segment, a thousand nested moov boxes, five thousand TIFF subfiles, a
 * RIFF header longer than its file, an SVG store that is not JUMBF) are malformed here too.  The
 * differential test (make check-c2pa) checks the same files against the reference itself. */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <unistd.h>

#include "../../src/provenance/prov_int.h"
#include "prov.h"
#include "prov_verdict_check.h"

static char *rs_path(const char *rel)
{
    static char p[4096];
    snprintf(p, sizeof p, "%s/provenance/%s", fixtures_dir(), rel);
    return p;
}

static struct prov_trust *roots(void)
{
    struct prov_trust *t = prov_trust_new();
    struct error err;
    error_clear(&err);
    assert_true(prov_trust_add_file(t, rs_path("trust/C2PA-TRUST-LIST.pem"), 1, &err) > 10);
    assert_true(prov_trust_add_file(t, rs_path("trust/c2pa-rs-test_cert_root_bundle.pem"), 0, &err) > 0);
    return t;
}

static void scan_rs(const char *rel, const struct prov_trust *t, int head_only, struct prov_media *m)
{
    char path[600];
    snprintf(path, sizeof path, "provenance/c2pa-rs/%s", rel);
    size_t n = 0;
    char *b = fixture_read(path, &n);
    assert_non_null(b);
    struct prov_scan_opts o = {.trust = t, .head_only = head_only};
    prov_scan(b, n, &o, m);
    free(b);
}

static const struct {
    const char *file, *state, *code;
} IDENTITY[] = {
    {"claim_aggregation_ica_validation_success.jpg", "trusted", ""},
    {"claim_aggregation_ica_validation_valid_time_stamp.jpg", "trusted", ""},
    {"claim_aggregation_ica_validation_valid_until_in_future.jpg", "trusted", ""},
    {"claim_aggregation_adobe_connected_identities.jpg", "invalid", "cawg.ica.did_unavailable"},
    {"claim_aggregation_ica_validation_did_doc_without_assertion_method.jpg", "invalid", "cawg.ica.did_unavailable"},
    {"claim_aggregation_ica_validation_unresolvable_did.jpg", "invalid", "cawg.ica.did_unavailable"},
    {"claim_aggregation_ica_validation_invalid_content_type.jpg", "invalid", "cawg.ica.invalid_content_type"},
    {"claim_aggregation_ica_validation_invalid_content_type_assigned.jpg", "invalid", "cawg.ica.invalid_content_type"},
    {"claim_aggregation_ica_validation_missing_content_type.jpg", "invalid", "cawg.ica.invalid_content_type"},
    {"claim_aggregation_ica_validation_invalid_cose_sign1.jpg", "invalid", "cawg.ica.invalid_cose_sign1"},
    {"claim_aggregation_ica_validation_invalid_cose_sign_alg.jpg", "invalid", "cawg.ica.invalid_alg"},
    {"claim_aggregation_ica_validation_missing_cose_sign_alg.jpg", "invalid", "cawg.ica.invalid_alg"},
    {"claim_aggregation_ica_validation_invalid_issuer_did.jpg", "invalid", "cawg.ica.invalid_issuer"},
    {"claim_aggregation_ica_validation_unsupported_did_method.jpg", "invalid", "cawg.ica.invalid_issuer"},
    {"claim_aggregation_ica_validation_invalid_time_stamp.jpg", "invalid", "cawg.ica.time_stamp.invalid"},
    {"claim_aggregation_ica_validation_invalid_vc.jpg", "invalid", "cawg.ica.invalid_verifiable_credential"},
    {"claim_aggregation_ica_validation_missing_vc.jpg", "invalid", "cawg.ica.invalid_verifiable_credential"},
    {"claim_aggregation_ica_validation_signature_mismatch.jpg", "invalid", "cawg.ica.signature_mismatch"},
    {"claim_aggregation_ica_validation_signer_payload_mismatch.jpg", "invalid", "cawg.ica.signer_payload.mismatch"},
    {"claim_aggregation_ica_validation_valid_from_after_time_stamp.jpg", "invalid", "cawg.ica.valid_from.invalid"},
    {"claim_aggregation_ica_validation_valid_from_in_future.jpg", "invalid", "cawg.ica.valid_from.invalid"},
    {"claim_aggregation_ica_validation_valid_from_missing.jpg", "invalid", "cawg.ica.valid_from.missing"},
    {"claim_aggregation_ica_validation_valid_until_in_past.jpg", "invalid", "cawg.ica.valid_until.invalid"},
    {"validation_method_duplicate_assertion_reference.jpg", "valid", "cawg.identity.assertion.duplicate"},
    {"validation_method_extra_assertion_claim_v1.jpg", "valid", "cawg.identity.assertion.mismatch"},
    {"validation_method_extra_field.jpg", "valid", "cawg.x509.credential.untrusted"},
    {"validation_method_invalid_sig_type.jpg", "valid", "cawg.identity.sig_type.unknown"},
    {"validation_method_no_hard_binding.jpg", "valid", "cawg.identity.hard_binding_missing"},
    {"validation_method_pad1_invalid.jpg", "valid", "cawg.identity.pad.invalid"},
    {"validation_method_pad2_invalid.jpg", "valid", "cawg.identity.pad.invalid"},
    {"validation_method_malformed_cbor.jpg", "invalid", "assertion.required.missing"},
};

static void test_identity_cases(void **state)
{
    (void)state;
    struct prov_trust *t = roots();
    for (size_t i = 0; i < sizeof IDENTITY / sizeof IDENTITY[0]; i++) {
        char rel[300];
        snprintf(rel, sizeof rel, "rs-identity/%s", IDENTITY[i].file);
        struct prov_media m;
        scan_rs(rel, t, 0, &m);
        if (strcmp(prov_state_name(m.state), IDENTITY[i].state) || strcmp(m.identity_code, IDENTITY[i].code))
            fail_msg("%s: %s %s (%s), want %s %s", IDENTITY[i].file, prov_state_name(m.state), m.identity_code,
                     m.identity_note, IDENTITY[i].state, IDENTITY[i].code);
        /* an identity failure that makes the manifest invalid is its failure */
        if (!strcmp(IDENTITY[i].state, "invalid")) assert_string_equal(m.failure, IDENTITY[i].code);
    }
    prov_trust_free(t);
}

static void test_identity_shown(void **state)
{
    (void)state;
    struct prov_trust *t = roots();
    struct prov_media m;
    struct prov_badge b;
    struct strbuf lines;
    /* verified: who, and by whom */
    scan_rs("rs-identity/claim_aggregation_ica_validation_success.jpg", t, 0, &m);
    assert_non_null(strstr(m.identity, "Silly Cats 929 (Example Social Network)"));
    assert_non_null(strstr(m.identity, "First-Name Last-Name (Example ID Verifier)"));
    badge_build(&b, &m, NULL, NULL);
    sb_init(&lines);
    prov_badge_lines(&b, 0, &lines);
    assert_non_null(strstr(lines.s, "Identity  First-Name Last-Name"));
    assert_non_null(strstr(lines.s, "verified by did:jwk:"));
    sb_free(&lines);
    cJSON *j = prov_badge_json(&b);
    char *txt = cJSON_PrintUnformatted(j);
    assert_non_null(strstr(txt, "\"identity\":\"First-Name Last-Name"));
    assert_non_null(strstr(txt, "\"identity_code\":null"));
    free(txt);
    cJSON_Delete(j);
    /* did:web: what it claims, said to be unchecked because that needs the network */
    scan_rs("rs-identity/claim_aggregation_adobe_connected_identities.jpg", t, 0, &m);
    badge_build(&b, &m, NULL, NULL);
    sb_init(&lines);
    prov_badge_lines(&b, 0, &lines);
    assert_non_null(strstr(lines.s, "Identity  testuser23 (behance) | not verified: not checked (needs network)"));
    sb_free(&lines);
    /* X.509: the certificate's names, not trusted without a CAWG trust list */
    scan_rs("rs-identity/validation_method_extra_field.jpg", t, 0, &m);
    assert_non_null(strstr(m.identity, "C2PA Test Signing Cert"));
    assert_int_equal(m.state, PROV_VALID);
    assert_int_equal(m.chain_trusted, 1);
    /* cached and read back: the identity fields survive */
    char dir[] = "/tmp/winnow-ident-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(prov_cache_put(dir, "fp", &m), 0);
    struct prov_media back;
    assert_int_equal(prov_cache_get(dir, m.sha256, "fp", &back), 0);
    assert_string_equal(back.identity, m.identity);
    assert_string_equal(back.identity_code, m.identity_code);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s/%.2s/%s", dir, m.sha256, m.sha256);
    unlink(cmd);
    snprintf(cmd, sizeof cmd, "%s/%.2s", dir, m.sha256);
    rmdir(cmd);
    rmdir(dir);
    prov_trust_free(t);
}

static void test_refused_as_c2pa_rs_refuses(void **state)
{
    (void)state;
    static const char *const files[] = {"rs/dash1.m4s", "rs/nested_moov_1000.mp4", "rs/tiff_poc.tiff",
                                        "rs/sample3.invalid.wav", "rs/sample3.svg", "rs/sample4.svg"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct prov_media m;
        scan_rs(files[i], NULL, 0, &m);
        if (m.state != PROV_MALFORMED) fail_msg("%s: %s", files[i], prov_state_name(m.state));
    }
    struct prov_media m;
    scan_rs("rs/dash1.m4s", NULL, 0, &m);
    assert_string_equal(m.container, "bmff");     /* styp first */
}

static void test_c2pa_rs_rules(void **state)
{
    (void)state;
    struct prov_trust *t = roots();
    struct prov_media m;
    /* pre-1.3 ingredient hashes */
    scan_rs("rs/legacy_ingredient_hash.jpg", t, 0, &m);
    assert_int_equal(m.state, PROV_TRUSTED);
    /* an update manifest: no hard binding of its own */
    scan_rs("rs/update_manifest.jpg", t, 0, &m);
    assert_int_equal(m.state, PROV_TRUSTED);
    /* an ingredient whose broken signature its assertion records does not count again */
    scan_rs("rs/CIE-sig-CA.jpg", t, 0, &m);
    assert_int_equal(m.state, PROV_TRUSTED);
    /* the signature URI without its '/', and Merkle hashes over media the init segment lacks */
    scan_rs("rs/dashinit.mp4", t, 0, &m);
    assert_string_equal(m.signer_org, "Media Publisher Company");
    assert_int_equal(m.state, PROV_INVALID);
    assert_string_equal(m.failure, "assertion.bmffHash.mismatch");
    /* formats c2pa-rs reads and signs; these fixtures hold no manifest, and are walked cleanly */
    static const char *const plain[] = {"rs/sample1.gif", "rs/test.tiff", "rs/TUSCANY.TIF", "rs/basic.pdf",
                                        "rs/sample1.svg", "rs/sample1.jxl", "rs/sample1.mp3", "rs/sample1.wav",
                                        "rs/sample1.flac", "rs/test.avi", "rs/MultiPage.tif"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        scan_rs(plain[i], t, 0, &m);
        if (m.state != PROV_NONE || !m.container[0]) fail_msg("%s: %s [%s]", plain[i], prov_state_name(m.state), m.container);
    }
    prov_trust_free(t);
}

int main(void)
{
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/provenance/c2pa-rs/SOURCES.md", fixtures_dir());
    if (access(probe, R_OK) != 0) {
        printf("SKIP: c2pa-rs fixtures not found at %s (set WINNOW_FIXTURES)\n", probe);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_cases),
        cmocka_unit_test(test_identity_shown),
        cmocka_unit_test(test_refused_as_c2pa_rs_refuses),
        cmocka_unit_test(test_c2pa_rs_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
