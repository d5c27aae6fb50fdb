/* SPDX-License-Identifier: ISC */
/* CAWG identity assertions (cawg.identity): who the credential says made the asset, as the
 * Creator Assertions Working Group's identity spec and c2pa-rs check it.  The signer payload must
 * reference assertions the claim lists (with their hashes), one of them a hard binding, each once;
 * the pads must be zeros.  Then by sig_type: "cawg.x509.cose" is a COSE_Sign1 over the payload
 * by an X.509 certificate (trusted only through a CAWG trust list, which winnow, like c2pa-rs by
 * default, does not have: such a file is valid, never trusted); "cawg.identity_claims_aggregation"
 * is a W3C verifiable credential, signed with the key of the issuer's DID, that lists the verified
 * identities (an Instagram handle, a LinkedIn name) and repeats the signer payload.  did:jwk holds
 * its key; did:web needs the network, so it is reported as not checked rather than guessed. */
#include "prov_int.h"

#include <cjson/cJSON.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

enum { CAWG_OK = 0, CAWG_NOT_TRUSTED = 1, CAWG_INVALID = 2 };

static int report(struct prov_media *m, int sev, const char *code, const char *note)
{
    if (!m->identity_code[0]) {
        snprintf(m->identity_code, sizeof m->identity_code, "%s", code);
        prov_copy_text(m->identity_note, sizeof m->identity_note, note, strlen(note));
    }
    return sev;
}

/* The assertion a JUMBF URI names: the part after "c2pa.assertions/" (identity payloads use the
 * relative form, claims either). */
static const char *assertion_label(const char *url)
{
    const char *s = strstr(url, "c2pa.assertions/");
    return s ? s + 16 : url;
}

static int is_hard_binding(const char *label)
{
    return !strncmp(label, "c2pa.hash.data", 14) || !strncmp(label, "c2pa.hash.boxes", 15) ||
           !strncmp(label, "c2pa.hash.bmff", 14) || !strncmp(label, "c2pa.hash.collection", 20);
}

/* 1 when the claim lists this assertion with this hash. */
static int claim_lists(const cbor_item_t *claim, const char *label, const uint8_t *h, size_t hl)
{
    static const char *const lists[] = {"assertions", "created_assertions", "gathered_assertions"};
    for (size_t li = 0; li < 3; li++) {
        cbor_item_t *arr = cbx_get(claim, lists[li]);
        for (size_t i = 0; arr && cbor_isa_array(arr) && i < cbor_array_size(arr); i++) {
            cbor_item_t *r = cbor_array_handle(arr)[i];
            char url[512];
            const uint8_t *ch;
            size_t cl;
            if (cbx_text(cbx_get(r, "url"), url, sizeof url) < 0 || cbx_bytes(cbx_get(r, "hash"), &ch, &cl) < 0) continue;
            if (!strcmp(assertion_label(url), label) && cl == hl && !memcmp(ch, h, hl)) return 1;
        }
    }
    return 0;
}

static int all_zero(const cbor_item_t *it)
{
    const uint8_t *p;
    size_t n;
    if (cbx_bytes(it, &p, &n) < 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

/* The checks common to both kinds: -1 when one failed (reported). */
static int check_references(const cbor_item_t *ra, const cbor_item_t *claim, struct prov_media *m)
{
    if (!ra || !cbor_isa_array(ra) || !cbor_array_size(ra)) {
        report(m, CAWG_NOT_TRUSTED, "cawg.identity.hard_binding_missing", "the identity references no assertion");
        return -1;
    }
    int hard = 0;
    size_t n = cbor_array_size(ra);
    for (size_t i = 0; i < n; i++) {
        char url[512], other[512];
        const uint8_t *h;
        size_t hl;
        cbor_item_t *r = cbor_array_handle(ra)[i];
        if (cbx_text(cbx_get(r, "url"), url, sizeof url) < 0 || cbx_bytes(cbx_get(r, "hash"), &h, &hl) < 0) {
            report(m, CAWG_NOT_TRUSTED, "cawg.identity.assertion.mismatch", "an identity reference without url or hash");
            return -1;
        }
        for (size_t k = 0; k < i; k++)
            if (cbx_text(cbx_get(cbor_array_handle(ra)[k], "url"), other, sizeof other) == 0 &&
                !strcmp(assertion_label(other), assertion_label(url))) {
                report(m, CAWG_NOT_TRUSTED, "cawg.identity.assertion.duplicate", "the identity references an assertion twice");
                return -1;
            }
        if (!claim_lists(claim, assertion_label(url), h, hl)) {
            report(m, CAWG_NOT_TRUSTED, "cawg.identity.assertion.mismatch",
                   "the identity references an assertion the claim does not list");
            return -1;
        }
        hard |= is_hard_binding(assertion_label(url));
    }
    if (!hard) {
        report(m, CAWG_NOT_TRUSTED, "cawg.identity.hard_binding_missing", "the identity does not cover the file's bytes");
        return -1;
    }
    return 0;
}

static int check_x509(const cbor_item_t *a, const uint8_t *payload, size_t payload_len, int64_t now, struct prov_media *m)
{
    const uint8_t *cose;
    size_t n;
    if (cbx_bytes(cbx_get(a, "signature"), &cose, &n) < 0)
        return report(m, CAWG_INVALID, "cawg.x509.credential.invalid", "the identity has no signature");
    struct prov_sig sig;
    if (prov_cose_verify(cose, n, payload, payload_len, &sig) < 0) {
        int alg = !strcmp(sig.code, "algorithm.unsupported");
        prov_sig_free(&sig);
        return report(m, CAWG_INVALID, alg ? "cawg.x509.algorithm.unsupported" : "cawg.x509.credential.invalid",
                      alg ? "the identity's signature algorithm is not allowed" : "the identity's signature is unreadable");
    }
    X509 *leaf = sk_X509_value(sig.chain, 0);
    char org[128], cn[128], icn[128], code[64], why[160];
    prov_cert_names(leaf, org, sizeof org, cn, sizeof cn, icn, sizeof icn);
    int64_t at = sig.tst_status == 1 ? sig.tst_time : now;
    int rc;
    if (!sig.sig_ok) {
        rc = report(m, CAWG_INVALID, "cawg.x509.signature.mismatch", "the identity's signature does not match");
    } else if (prov_cert_usable(leaf, at, code, sizeof code, why, sizeof why) < 0) {
        rc = report(m, CAWG_INVALID, "cawg.x509.signature.outside_validity", why);
    } else {
        char who[300];
        snprintf(who, sizeof who, "%s%s%s (X.509 certificate)", org, org[0] && cn[0] ? ", " : "", cn);
        prov_copy_text(m->identity, sizeof m->identity, who, strlen(who));
        rc = report(m, CAWG_NOT_TRUSTED, "cawg.x509.credential.untrusted",
                    "signature holds; its certificate is on no CAWG trust list, so the identity is not trusted");
    }
    prov_sig_free(&sig);
    return rc;
}

/* ---- identity claims aggregation ---- */

static size_t b64url_decode(const char *s, uint8_t *out, size_t cap)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (; *s && *s != '='; s++) {
        int v;
        char c = *s;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '-' || c == '+') v = 62;
        else if (c == '_' || c == '/') v = 63;
        else return 0;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o == cap) return 0;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return o;
}

static const char *api_jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The public key a did:jwk names (Ed25519 or P-256); NULL when it names none. */
static EVP_PKEY *did_jwk_key(const char *did)
{
    uint8_t json[1024];
    size_t n = b64url_decode(did + 8, json, sizeof json - 1);
    if (!n) return NULL;
    cJSON *jwk = cJSON_ParseWithLength((const char *)json, n);
    const char *kty = api_jstr(jwk, "kty"), *crv = api_jstr(jwk, "crv"), *x = api_jstr(jwk, "x"), *y = api_jstr(jwk, "y");
    EVP_PKEY *pk = NULL;
    uint8_t xb[80], yb[80];
    size_t xl = x ? b64url_decode(x, xb, sizeof xb) : 0;
    if (kty && crv && !strcmp(kty, "OKP") && !strcmp(crv, "Ed25519") && xl == 32) {
        pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, xb, 32);
    } else if (kty && crv && !strcmp(kty, "EC") && !strcmp(crv, "P-256") && xl == 32 && y &&
               b64url_decode(y, yb, sizeof yb) == 32) {
        uint8_t pt[65];
        pt[0] = 4;
        memcpy(pt + 1, xb, 32);
        memcpy(pt + 33, yb, 32);
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0),
            OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof pt),
            OSSL_PARAM_construct_end(),
        };
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        if (ctx && EVP_PKEY_fromdata_init(ctx) == 1) EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params);
        EVP_PKEY_CTX_free(ctx);
    }
    cJSON_Delete(jwk);
    return pk;
}

/* The credential's c2paAsset against the signer payload: same sig_type, same references.  The
 * hashes are written as arrays of numbers: of the hash's bytes, or (as c2pa-rs writes them) of
 * the characters of its base64 form. */
static int same_payload(const cJSON *asset, const cbor_item_t *sp)
{
    char st[64];
    const char *ast = api_jstr(asset, "sig_type");
    if (cbx_text(cbx_get(sp, "sig_type"), st, sizeof st) < 0 || !ast || strcmp(ast, st)) return 0;
    const cJSON *ar = cJSON_GetObjectItemCaseSensitive(asset, "referenced_assertions");
    cbor_item_t *ra = cbx_get(sp, "referenced_assertions");
    if (!cJSON_IsArray(ar) || !ra || !cbor_isa_array(ra) || (size_t)cJSON_GetArraySize(ar) != cbor_array_size(ra)) return 0;
    for (size_t i = 0; i < cbor_array_size(ra); i++) {
        const cJSON *e = cJSON_GetArrayItem(ar, (int)i);
        char url[512];
        const uint8_t *h;
        size_t hl;
        cbor_item_t *r = cbor_array_handle(ra)[i];
        const char *eu = api_jstr(e, "url");
        if (cbx_text(cbx_get(r, "url"), url, sizeof url) < 0 || cbx_bytes(cbx_get(r, "hash"), &h, &hl) < 0 || !eu ||
            strcmp(eu, url))
            return 0;
        const cJSON *jh = cJSON_GetObjectItemCaseSensitive(e, "hash");
        uint8_t raw[160], dec[120];
        size_t rl = 0;
        const cJSON *b;
        if (!cJSON_IsArray(jh)) return 0;
        cJSON_ArrayForEach(b, jh)
        {
            if (!cJSON_IsNumber(b) || b->valuedouble < 0 || b->valuedouble > 255 || rl == sizeof raw - 1) return 0;
            raw[rl++] = (uint8_t)b->valueint;
        }
        raw[rl] = 0;
        size_t dl = b64url_decode((const char *)raw, dec, sizeof dec);
        if (!((rl == hl && !memcmp(raw, h, hl)) || (dl == hl && !memcmp(dec, h, hl)))) return 0;
    }
    return 1;
}

/* "Silly Cats 929 (Example Social Network); First Last (Example ID Verifier)" */
static void list_identities(const cJSON *subject, struct prov_media *m)
{
    struct strbuf sb;
    sb_init(&sb);
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(subject, "verifiedIdentities"), *e;
    cJSON_ArrayForEach(e, ids)
    {
        const char *who = api_jstr(e, "name");
        if (!who) who = api_jstr(e, "username");
        const char *prov = api_jstr(cJSON_GetObjectItemCaseSensitive(e, "provider"), "name");
        if (!who && !prov) continue;
        sb_printf(&sb, "%s%s%s%s%s", sb.len ? "; " : "", who ? who : "", who && prov ? " (" : "", prov ? prov : "",
                  who && prov ? ")" : "");
    }
    prov_copy_text(m->identity, sizeof m->identity, sb.s ? sb.s : "", sb.len);
    sb_free(&sb);
}

static int check_ica_vc(const struct prov_cose1 *c, const cJSON *vc, const cbor_item_t *sp, int64_t now,
                        struct prov_media *m)
{
    const cJSON *iss = cJSON_GetObjectItemCaseSensitive(vc, "issuer");
    const char *issuer = cJSON_IsString(iss) ? iss->valuestring : api_jstr(iss, "id");
    if (!issuer || strncmp(issuer, "did:", 4))
        return report(m, CAWG_INVALID, "cawg.ica.invalid_issuer", "the identity's issuer is not a DID");
    const cJSON *subject = cJSON_GetObjectItemCaseSensitive(vc, "credentialSubject");
    if (!strncmp(issuer, "did:web:", 8)) {
        /* what the credential claims, shown as unverified: the reader can still weigh it */
        list_identities(subject, m);
        return report(m, CAWG_INVALID, "cawg.ica.did_unavailable",
                      "not checked (needs network): the issuer's DID document is on the web");
    }
    if (strncmp(issuer, "did:jwk:", 8))
        return report(m, CAWG_INVALID, "cawg.ica.invalid_issuer", "the identity's issuer uses a DID method winnow does not know");
    EVP_PKEY *pk = did_jwk_key(issuer);
    if (!pk) return report(m, CAWG_INVALID, "cawg.ica.invalid_did_document", "the issuer's did:jwk holds no usable key");
    int ok = prov_cose1_verify(c, pk, NULL, 0);
    EVP_PKEY_free(pk);
    if (!ok) return report(m, CAWG_INVALID, "cawg.ica.signature_mismatch", "the identity credential's signature does not match");
    if (!same_payload(cJSON_GetObjectItemCaseSensitive(subject, "c2paAsset"), sp))
        return report(m, CAWG_INVALID, "cawg.ica.signer_payload.mismatch", "the credential is for other assertions");
    const char *vf = api_jstr(vc, "validFrom"), *vu = api_jstr(vc, "validUntil");
    if (!vf) return report(m, CAWG_INVALID, "cawg.ica.valid_from.missing", "the credential has no validFrom");
    int64_t from = date_parse(vf);
    if (from < 0 || from > now || (c->tst_status == 1 && from > c->tst_time))
        return report(m, CAWG_INVALID, "cawg.ica.valid_from.invalid", "the credential was not yet valid when signed");
    if (c->tst_status < 0)
        return report(m, CAWG_INVALID, "cawg.ica.time_stamp.invalid", "the credential's time stamp does not match");
    if (vu && (date_parse(vu) < 0 || date_parse(vu) < now))
        return report(m, CAWG_INVALID, "cawg.ica.valid_until.invalid", "the credential has expired");
    list_identities(subject, m);
    char note[160];
    snprintf(note, sizeof note, "verified by %.60s%s (issuer not on a trust list)", issuer, strlen(issuer) > 60 ? "..." : "");
    report(m, CAWG_OK, "", note);
    return CAWG_OK;
}

static int check_ica(const cbor_item_t *a, const cbor_item_t *sp, int64_t now, struct prov_media *m)
{
    const uint8_t *cose;
    size_t n;
    struct prov_cose1 c;
    if (cbx_bytes(cbx_get(a, "signature"), &cose, &n) < 0 || prov_cose1_open(cose, n, &c) < 0)
        return report(m, CAWG_INVALID, "cawg.ica.invalid_cose_sign1", "the identity credential is not a COSE_Sign1");
    int rc;
    cJSON *vc = NULL;
    if (!c.alg || !c.alg_known)
        rc = report(m, CAWG_INVALID, "cawg.ica.invalid_alg", "the identity credential's algorithm is missing or not allowed");
    else if (c.content_type_state != 1 || strcmp(c.content_type, "application/vc"))
        rc = report(m, CAWG_INVALID, "cawg.ica.invalid_content_type", "the identity credential is not application/vc");
    else if (!c.has_payload || c.payload_len > (1u << 20) ||
             !(vc = cJSON_ParseWithLength((const char *)c.payload, c.payload_len)) || !cJSON_IsObject(vc))
        rc = report(m, CAWG_INVALID, "cawg.ica.invalid_verifiable_credential", "the identity credential is not readable");
    else
        rc = check_ica_vc(&c, vc, sp, now, m);
    cJSON_Delete(vc);
    prov_cose1_close(&c);
    return rc;
}

int prov_cawg_check(const uint8_t *p, size_t n, const cbor_item_t *claim, int64_t now, struct prov_media *m)
{
    cbor_item_t *a = cbx_load(p, n);
    const uint8_t *raw;
    size_t raw_len;
    cbor_item_t *sp = a ? cbx_get(a, "signer_payload") : NULL;
    int rc;
    char st[64] = "";
    if (!a || !cbor_isa_map(a) || !sp || cbx_map_raw(p, n, "signer_payload", &raw, &raw_len) < 0) {
        rc = report(m, CAWG_INVALID, "assertion.required.missing", "the identity assertion is not readable");
    } else if ((cbx_get(a, "pad1") && !all_zero(cbx_get(a, "pad1"))) || (cbx_get(a, "pad2") && !all_zero(cbx_get(a, "pad2")))) {
        rc = report(m, CAWG_NOT_TRUSTED, "cawg.identity.pad.invalid", "the identity assertion's padding is not zeros");
    } else if (check_references(cbx_get(sp, "referenced_assertions"), claim, m) < 0) {
        rc = CAWG_NOT_TRUSTED;
    } else if (cbx_text(cbx_get(sp, "sig_type"), st, sizeof st) == 0 && !strcmp(st, "cawg.x509.cose")) {
        rc = check_x509(a, raw, raw_len, now, m);
    } else if (!strcmp(st, "cawg.identity_claims_aggregation")) {
        rc = check_ica(a, sp, now, m);
    } else {
        rc = report(m, CAWG_NOT_TRUSTED, "cawg.identity.sig_type.unknown", "the identity is signed in a way winnow does not know");
    }
    if (a) cbor_decref(&a);
    return rc;
}
