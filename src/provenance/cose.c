/* SPDX-License-Identifier: ISC */
/* COSE_Sign1 claim signatures (RFC 9052 as C2PA profiles it): the detached-payload Sig_structure
 * built by hand from the stored bytes (never re-encoded from parsed items), ECDSA signatures turned
 * from raw r||s into DER for OpenSSL, RSA-PSS with salt = digest length, Ed25519; x5chain in the
 * protected or the unprotected header; and the RFC 3161 timestamp (sigTst / sigTst2), whose time is
 * used only when its message imprint matches this signature and its own signature holds. */
#include "prov_int.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <string.h>
#include <time.h>

#define MAX_CHAIN 10

struct alg_info {
    int id;
    const char *name;
    int kind;              /* 'E' ECDSA, 'P' RSA-PSS, 'D' EdDSA */
    int bits;              /* curve size for ECDSA */
    const EVP_MD *(*md)(void);
};

static const struct alg_info ALGS[] = {
    {-7, "ES256", 'E', 256, EVP_sha256},
    {-35, "ES384", 'E', 384, EVP_sha384},
    {-36, "ES512", 'E', 521, EVP_sha512},
    {-37, "PS256", 'P', 0, EVP_sha256},
    {-38, "PS384", 'P', 0, EVP_sha384},
    {-39, "PS512", 'P', 0, EVP_sha512},
    {-8, "Ed25519", 'D', 0, NULL},
};

static const struct alg_info *alg_find(int64_t id)
{
    for (size_t i = 0; i < sizeof ALGS / sizeof ALGS[0]; i++)
        if (ALGS[i].id == id) return &ALGS[i];
    return NULL;
}

static void put_bstr(struct strbuf *b, const uint8_t *p, size_t n)
{
    cbx_put_head(b, 2, n);
    sb_add(b, (const char *)p, n);
}

/* [context, body_protected, external_aad = h'', payload] */
static void sig_structure(struct strbuf *b, const char *context, const uint8_t *prot, size_t prot_len,
                          const uint8_t *payload, size_t payload_len)
{
    cbx_put_head(b, 4, 4);
    cbx_put_head(b, 3, strlen(context));
    sb_adds(b, context);
    put_bstr(b, prot, prot_len);
    put_bstr(b, NULL, 0);
    put_bstr(b, payload, payload_len);
}

static int add_cert(STACK_OF(X509) *chain, const cbor_item_t *it)
{
    const uint8_t *der;
    size_t n;
    if (cbx_bytes(it, &der, &n) < 0 || n == 0 || n > 65536) return -1;
    const unsigned char *q = der;
    X509 *x = d2i_X509(NULL, &q, (long)n);
    if (!x) return -1;
    if ((size_t)(q - der) != n || sk_X509_num(chain) >= MAX_CHAIN) {
        X509_free(x);
        return -1;
    }
    sk_X509_push(chain, x);
    return 0;
}

static const cbor_item_t *find_x5chain(const cbor_item_t *prot, const cbor_item_t *unprot)
{
    /* validators accept the integer label 33 and the legacy text label, in either bucket */
    const cbor_item_t *x = cbx_geti(prot, 33);
    if (!x) x = cbx_get(prot, "x5chain");
    if (!x) x = cbx_geti(unprot, 33);
    if (!x) x = cbx_get(unprot, "x5chain");
    return x;
}

static int read_chain(const cbor_item_t *x, STACK_OF(X509) *chain)
{
    if (!x) return -1;
    if (cbor_isa_bytestring(x)) return add_cert(chain, x);
    if (!cbor_isa_array(x) || !cbor_array_size(x)) return -1;
    for (size_t i = 0; i < cbor_array_size(x); i++)
        if (add_cert(chain, cbor_array_handle(x)[i]) < 0) return -1;
    return 0;
}

/* Raw r||s (IEEE P1363) to a DER ECDSA-Sig-Value. */
static unsigned char *ecdsa_der(const uint8_t *sig, size_t n, int *der_len)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)(n / 2), NULL);
    BIGNUM *s = BN_bin2bn(sig + n / 2, (int)(n / 2), NULL);
    unsigned char *der = NULL;
    if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(es);
        return NULL;
    }
    *der_len = i2d_ECDSA_SIG(es, &der);
    ECDSA_SIG_free(es);
    if (*der_len <= 0) {
        OPENSSL_free(der);
        return NULL;
    }
    return der;
}

static int verify_sig(const struct alg_info *a, EVP_PKEY *pk, const uint8_t *tbs, size_t tbs_len,
                      const uint8_t *sig, size_t sig_len, char *why, size_t why_cap)
{
    int type = EVP_PKEY_get_base_id(pk);
    unsigned char *der = NULL;
    int der_len = 0;
    if (a->kind == 'E') {
        size_t coord = ((size_t)a->bits + 7) / 8;
        if (type != EVP_PKEY_EC || EVP_PKEY_get_bits(pk) != a->bits) {
            snprintf(why, why_cap, "%s signature but the certificate holds another key", a->name);
            return 0;
        }
        if (sig_len != 2 * coord) {
            /* C2PA requires raw r||s; a DER signature here is an error, not an alternative */
            snprintf(why, why_cap, "%s signature of %zu bytes, expected %zu", a->name, sig_len, 2 * coord);
            return 0;
        }
        der = ecdsa_der(sig, sig_len, &der_len);
        if (!der) return 0;
    } else if (a->kind == 'P' && type != EVP_PKEY_RSA && type != EVP_PKEY_RSA_PSS) {
        snprintf(why, why_cap, "%s signature but the certificate holds no RSA key", a->name);
        return 0;
    } else if (a->kind == 'D' && type != EVP_PKEY_ED25519) {
        snprintf(why, why_cap, "Ed25519 signature but the certificate holds another key");
        return 0;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok = 0;
    if (ctx && EVP_DigestVerifyInit(ctx, &pctx, a->md ? a->md() : NULL, NULL, pk) == 1) {
        int setup = 1;
        if (a->kind == 'P')
            setup = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
                    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, a->md()) == 1;
        if (setup)
            ok = EVP_DigestVerify(ctx, der ? der : sig, der ? (size_t)der_len : sig_len, tbs, tbs_len) == 1;
    }
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    if (!ok) snprintf(why, why_cap, "the claim signature does not verify");
    return ok;
}

static int64_t asn1_time_unix(const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return -1;
    return (int64_t)timegm(&tm);
}

/* The timestamp token: a TimeStampResp (sigTst, as c2pa-rs writes it) or a bare token (sigTst2).
 * tbs_payload is what the countersignature covers: the claim (v1) or the CBOR-encoded signature
 * bytes (v2). */
static void read_tst(const cbor_item_t *unprot, const uint8_t *prot, size_t prot_len, const uint8_t *claim,
                     size_t claim_len, const uint8_t *sig, size_t sig_len, struct prov_sig *out)
{
    int v2 = 0;
    const cbor_item_t *st = cbx_get(unprot, "sigTst");
    if (!st) {
        st = cbx_get(unprot, "sigTst2");
        v2 = st != NULL;
    }
    if (!st) return;
    out->tst_status = -1;
    cbor_item_t *toks = cbx_get(st, "tstTokens");
    if (!toks || !cbor_isa_array(toks) || cbor_array_size(toks) != 1) return;
    const uint8_t *der;
    size_t n;
    if (cbx_bytes(cbx_get(cbor_array_handle(toks)[0], "val"), &der, &n) < 0 || n > 1u << 20) return;

    PKCS7 *p7 = NULL;
    const unsigned char *q = der;
    TS_RESP *resp = d2i_TS_RESP(NULL, &q, (long)n);
    if (resp && TS_RESP_get_token(resp)) p7 = PKCS7_dup(TS_RESP_get_token(resp));
    TS_RESP_free(resp);
    if (!p7) {
        q = der;
        p7 = d2i_PKCS7(NULL, &q, (long)n);
    }
    TS_TST_INFO *info = p7 ? PKCS7_to_TS_TST_INFO(p7) : NULL;
    if (!info) {
        PKCS7_free(p7);
        return;
    }
    int64_t t = asn1_time_unix(TS_TST_INFO_get_time(info));

    struct strbuf payload, tbs;
    sb_init(&payload);
    sb_init(&tbs);
    if (v2) put_bstr(&payload, sig, sig_len);
    else sb_add(&payload, (const char *)claim, claim_len);
    sig_structure(&tbs, "CounterSignature", prot, prot_len, (const uint8_t *)payload.s, payload.len);

    TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(info);
    X509_ALGOR *algo = TS_MSG_IMPRINT_get_algo(mi);
    ASN1_OCTET_STRING *want = TS_MSG_IMPRINT_get_msg(mi);
    const ASN1_OBJECT *oid = NULL;
    X509_ALGOR_get0(&oid, NULL, NULL, algo);
    const EVP_MD *md = oid ? EVP_get_digestbyobj(oid) : NULL;
    uint8_t h[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    int imprint_ok = md && EVP_Digest(tbs.s, tbs.len, h, &hl, md, NULL) == 1 && want &&
                     (unsigned)ASN1_STRING_length(want) == hl && !memcmp(ASN1_STRING_get0_data(want), h, hl);
    /* The token's own signature, by the certificate it carries; whether that TSA is trusted is a
     * question for the TSA list, which winnow does not check yet. */
    int sig_ok = imprint_ok && PKCS7_verify(p7, NULL, NULL, NULL, NULL, PKCS7_NOVERIFY) == 1;
    if (sig_ok && t > 0) {
        out->tst_time = t;
        out->tst_status = 1;
        /* whether that TSA is trusted is asked of the TSA list by the caller: keep its chain */
        STACK_OF(X509) *signers = PKCS7_get0_signers(p7, NULL, 0);
        STACK_OF(X509) *carried = PKCS7_type_is_signed(p7) ? p7->d.sign->cert : NULL;
        if (signers && sk_X509_num(signers) == 1) {
            X509 *s = sk_X509_value(signers, 0);
            out->tsa_chain = sk_X509_new_null();
            X509_up_ref(s);
            sk_X509_push(out->tsa_chain, s);
            for (int i = 0; carried && i < sk_X509_num(carried) && i < MAX_CHAIN; i++) {
                X509 *c = sk_X509_value(carried, i);
                if (X509_cmp(c, s) == 0) continue;
                X509_up_ref(c);
                sk_X509_push(out->tsa_chain, c);
            }
        }
        sk_X509_free(signers);
    }
    ERR_clear_error();
    sb_free(&payload);
    sb_free(&tbs);
    TS_TST_INFO_free(info);
    PKCS7_free(p7);
}

int prov_cose_verify(const uint8_t *cose, size_t n, const uint8_t *claim, size_t claim_len,
                     struct prov_sig *sig)
{
    memset(sig, 0, sizeof *sig);
    sig->tst_time = -1;
    sig->chain = sk_X509_new_null();
    int64_t tag = -1;
    cbor_item_t *root = cbx_load_tagged(cose, n, &tag);
    cbor_item_t *prot_map = NULL;
    int rc = -1;
    snprintf(sig->code, sizeof sig->code, "claimSignature.missing");
    if (!root) {
        snprintf(sig->error, sizeof sig->error, "the claim signature is not readable CBOR");
        goto out;
    }
    cbor_item_t *arr = root;
    if (tag >= 0 && tag != 18) {
        snprintf(sig->error, sizeof sig->error, "the claim signature is not a COSE_Sign1");
        goto out;
    }
    if (!cbor_isa_array(arr) || cbor_array_size(arr) != 4) {
        snprintf(sig->error, sizeof sig->error, "the claim signature is not a COSE_Sign1 array");
        goto out;
    }
    cbor_item_t **f = cbor_array_handle(arr);
    const uint8_t *prot, *sigb;
    size_t prot_len, sig_len;
    if (cbx_bytes(f[0], &prot, &prot_len) < 0 || !cbor_isa_map(f[1]) || cbx_bytes(f[3], &sigb, &sig_len) < 0 ||
        !cbx_is_null(f[2])) {
        snprintf(sig->error, sizeof sig->error, "COSE_Sign1 fields of the wrong types");
        goto out;
    }
    if (prot_len) prot_map = cbx_load(prot, prot_len);
    if (!prot_map || !cbor_isa_map(prot_map)) {
        snprintf(sig->error, sizeof sig->error, "the protected header is not a CBOR map");
        goto out;
    }
    int64_t alg_id = 0;
    const struct alg_info *a = cbx_int(cbx_geti(prot_map, 1), &alg_id) == 0 ? alg_find(alg_id) : NULL;
    if (!a) {
        snprintf(sig->code, sizeof sig->code, "algorithm.unsupported");
        snprintf(sig->error, sizeof sig->error, "signature algorithm %lld is not one C2PA allows",
                 (long long)alg_id);
        goto out;
    }
    sig->alg = a->id;
    snprintf(sig->alg_name, sizeof sig->alg_name, "%s", a->name);
    if (read_chain(find_x5chain(prot_map, f[1]), sig->chain) < 0) {
        snprintf(sig->code, sizeof sig->code, "signingCredential.invalid");
        snprintf(sig->error, sizeof sig->error, "no readable certificate chain (x5chain)");
        goto out;
    }
    X509 *leaf = sk_X509_value(sig->chain, 0);
    EVP_PKEY *pk = X509_get0_pubkey(leaf);
    if (!pk) {
        snprintf(sig->code, sizeof sig->code, "signingCredential.invalid");
        snprintf(sig->error, sizeof sig->error, "the signing certificate's key is unreadable");
        goto out;
    }
    struct strbuf tbs;
    sb_init(&tbs);
    sig_structure(&tbs, "Signature1", prot, prot_len, claim, claim_len);
    sig->sig_ok = verify_sig(a, pk, (const uint8_t *)tbs.s, tbs.len, sigb, sig_len, sig->error, sizeof sig->error);
    sb_free(&tbs);
    snprintf(sig->code, sizeof sig->code, "%s", sig->sig_ok ? "" : "claimSignature.mismatch");
    read_tst(f[1], prot, prot_len, claim, claim_len, sigb, sig_len, sig);
    rc = 0;
out:
    ERR_clear_error();
    if (prot_map) cbor_decref(&prot_map);
    if (root) cbor_decref(&root);
    return rc;
}

int prov_cose1_open(const uint8_t *cose, size_t n, struct prov_cose1 *c)
{
    memset(c, 0, sizeof *c);
    c->tst_time = -1;
    int64_t tag = -1;
    c->root = cbx_load_tagged(cose, n, &tag);
    if (!c->root || (tag >= 0 && tag != 18) || !cbor_isa_array(c->root) || cbor_array_size(c->root) != 4) {
        prov_cose1_close(c);
        return -1;
    }
    cbor_item_t **f = cbor_array_handle(c->root);
    if (cbx_bytes(f[0], &c->prot, &c->prot_len) < 0 || !cbor_isa_map(f[1]) || cbx_bytes(f[3], &c->sig, &c->sig_len) < 0) {
        prov_cose1_close(c);
        return -1;
    }
    c->unprot = f[1];
    c->has_payload = cbx_bytes(f[2], &c->payload, &c->payload_len) == 0;
    if (c->prot_len) c->prot_map = cbx_load(c->prot, c->prot_len);
    if (!c->prot_map || !cbor_isa_map(c->prot_map)) {
        prov_cose1_close(c);
        return -1;
    }
    int64_t alg = 0;
    if (cbx_int(cbx_geti(c->prot_map, 1), &alg) == 0) {
        c->alg = (int)alg;
        c->alg_known = alg_find(alg) != NULL;
    }
    const cbor_item_t *ct = cbx_geti(c->prot_map, 3);
    if (ct) c->content_type_state = cbx_text(ct, c->content_type, sizeof c->content_type) == 0 ? 1 : -1;
    struct prov_sig t;
    memset(&t, 0, sizeof t);
    t.tst_time = -1;
    read_tst(c->unprot, c->prot, c->prot_len, c->payload, c->payload_len, c->sig, c->sig_len, &t);
    c->tst_time = t.tst_time;
    c->tst_status = t.tst_status;
    prov_sig_free(&t);
    return 0;
}

int prov_cose1_verify(const struct prov_cose1 *c, EVP_PKEY *pk, const uint8_t *detached, size_t detached_len)
{
    const struct alg_info *a = alg_find(c->alg);
    if (!a) return 0;
    struct strbuf tbs;
    sb_init(&tbs);
    sig_structure(&tbs, "Signature1", c->prot, c->prot_len, c->has_payload ? c->payload : detached,
                  c->has_payload ? c->payload_len : detached_len);
    char why[128];
    int ok = verify_sig(a, pk, (const uint8_t *)tbs.s, tbs.len, c->sig, c->sig_len, why, sizeof why);
    sb_free(&tbs);
    ERR_clear_error();
    return ok;
}

void prov_cose1_close(struct prov_cose1 *c)
{
    if (c->prot_map) cbor_decref(&c->prot_map);
    if (c->root) cbor_decref(&c->root);
}

void prov_sig_free(struct prov_sig *sig)
{
    if (sig->chain) sk_X509_pop_free(sig->chain, X509_free);
    sig->chain = NULL;
    if (sig->tsa_chain) sk_X509_pop_free(sig->tsa_chain, X509_free);
    sig->tsa_chain = NULL;
}
