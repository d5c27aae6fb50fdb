/* SPDX-License-Identifier: ISC */
/* The tests' C2PA writer: see prov_testsign.h. */
#include "prov_testsign.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- keys and certificates ---- */

static EVP_PKEY *keygen(const char *alg)
{
    if (!strcmp(alg, "ES256")) return EVP_EC_gen("P-256");
    if (!strcmp(alg, "ES384")) return EVP_EC_gen("P-384");
    if (!strcmp(alg, "ES512")) return EVP_EC_gen("P-521");
    if (!strcmp(alg, "PS256")) return EVP_RSA_gen(2048);
    if (!strcmp(alg, "Ed25519")) return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    return NULL;
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (e) {
        X509_add_ext(x, e, -1);
        X509_EXTENSION_free(e);
    }
}

static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, int ca, long serial)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_gmtime_adj(X509_getm_notBefore(x), -86400);
    X509_gmtime_adj(X509_getm_notAfter(x), 365L * 86400);
    X509_set_pubkey(x, key);
    X509_NAME *nm = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(nm, "O", MBSTRING_ASC, (const unsigned char *)"Winnow Test", -1, -1, 0);
    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : nm);
    X509 *iss = issuer ? issuer : x;
    add_ext(x, iss, NID_subject_key_identifier, "hash");
    add_ext(x, iss, NID_authority_key_identifier, "keyid:always");
    if (ca) {
        add_ext(x, iss, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(x, iss, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(x, iss, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(x, iss, NID_key_usage, "critical,digitalSignature");
        add_ext(x, iss, NID_ext_key_usage, "1.3.6.1.5.5.7.3.36,emailProtection");
    }
    EVP_PKEY *sk = issuer_key ? issuer_key : key;
    int is_ed = EVP_PKEY_get_base_id(sk) == EVP_PKEY_ED25519;
    X509_sign(x, sk, is_ed ? NULL : EVP_sha256());
    return x;
}

int tsign_keys(struct tsign_key *k, const char *alg)
{
    memset(k, 0, sizeof *k);
    k->alg = alg;
    k->ca_key = EVP_EC_gen("P-256");
    k->key = keygen(alg);
    if (!k->ca_key || !k->key) return -1;
    k->ca = make_cert(k->ca_key, "Winnow Test Root", NULL, NULL, 1, 1);
    char cn[64];
    snprintf(cn, sizeof cn, "Test Signer %s", alg);
    k->cert = make_cert(k->key, cn, k->ca, k->ca_key, 0, 2);
    return k->ca && k->cert ? 0 : -1;
}

void tsign_keys_free(struct tsign_key *k)
{
    EVP_PKEY_free(k->key);
    EVP_PKEY_free(k->ca_key);
    X509_free(k->cert);
    X509_free(k->ca);
    memset(k, 0, sizeof *k);
}

int tsign_write_ca(const struct tsign_key *k, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int ok = PEM_write_X509(f, k->ca) == 1;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* ---- CBOR and JUMBF writing ---- */

static void head(struct strbuf *b, int major, uint64_t v)
{
    uint8_t h[9];
    size_t n;
    uint8_t m = (uint8_t)(major << 5);
    if (v < 24) { h[0] = m | (uint8_t)v; n = 1; }
    else if (v <= 0xFF) { h[0] = m | 24; h[1] = (uint8_t)v; n = 2; }
    else if (v <= 0xFFFF) { h[0] = m | 25; h[1] = (uint8_t)(v >> 8); h[2] = (uint8_t)v; n = 3; }
    else { h[0] = m | 26; for (int i = 0; i < 4; i++) h[1 + i] = (uint8_t)(v >> (24 - 8 * i)); n = 5; }
    sb_add(b, (const char *)h, n);
}
static void ctext(struct strbuf *b, const char *s) { head(b, 3, strlen(s)); sb_adds(b, s); }
static void cbytes(struct strbuf *b, const void *p, size_t n) { head(b, 2, n); if (n) sb_add(b, p, n); }
static void cu32(struct strbuf *b, uint32_t v)   /* fixed width, so sizes do not move */
{
    uint8_t h[5] = {0x1a, (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    sb_add(b, (const char *)h, 5);
}
static void cnint(struct strbuf *b, int64_t v) { if (v < 0) head(b, 1, (uint64_t)(-1 - v)); else head(b, 0, (uint64_t)v); }

static void be32put(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }

static void box(struct strbuf *b, const char *type, const void *p, size_t n)
{
    uint8_t h[8];
    be32put(h, (uint32_t)(n + 8));
    memcpy(h + 4, type, 4);
    sb_add(b, (const char *)h, 8);
    sb_add(b, p, n);
}

/* A superbox: jumd (kind's 4cc + the ISO suffix, toggles 3, label) then the content. */
static void superbox(struct strbuf *b, const char *kind, const char *label, const struct strbuf *content)
{
    static const uint8_t suffix[12] = {0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    struct strbuf d, all;
    sb_init(&d);
    sb_init(&all);
    sb_add(&d, kind, 4);
    sb_add(&d, (const char *)suffix, 12);
    sb_addc(&d, 3);
    sb_add(&d, label, strlen(label) + 1);
    box(&all, "jumd", d.s, d.len);
    if (content && content->len) sb_add(&all, content->s, content->len);
    box(b, "jumb", all.s, all.len);
    sb_free(&d);
    sb_free(&all);
}

static void sha256(const void *p, size_t n, uint8_t out[32])
{
    unsigned l = 32;
    EVP_Digest(p, n, out, &l, EVP_sha256(), NULL);
}

static size_t sig_size(const char *alg)
{
    if (!strcmp(alg, "ES256") || !strcmp(alg, "Ed25519")) return 64;
    if (!strcmp(alg, "ES384")) return 96;
    if (!strcmp(alg, "ES512")) return 132;
    return 256;   /* RSA 2048 */
}

static int alg_id(const char *alg)
{
    if (!strcmp(alg, "ES256")) return -7;
    if (!strcmp(alg, "ES384")) return -35;
    if (!strcmp(alg, "ES512")) return -36;
    if (!strcmp(alg, "PS256")) return -37;
    return -8;
}

static void der_cert(X509 *x, struct strbuf *b)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    cbytes(b, der, (size_t)n);
    OPENSSL_free(der);
}

/* Signs tbs; ECDSA signatures come out as raw r||s, as COSE wants them. */
static int sign(const struct tsign_key *k, const struct strbuf *tbs, uint8_t *sig, size_t want)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    const EVP_MD *md = !strcmp(k->alg, "Ed25519") ? NULL : !strcmp(k->alg, "ES384") ? EVP_sha384()
                       : !strcmp(k->alg, "ES512") ? EVP_sha512() : EVP_sha256();
    int rc = -1;
    unsigned char buf[1024];
    size_t n = sizeof buf;
    if (EVP_DigestSignInit(ctx, &pctx, md, NULL, k->key) == 1) {
        if (!strcmp(k->alg, "PS256")) {
            EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
        }
        if (EVP_DigestSign(ctx, buf, &n, (const unsigned char *)tbs->s, tbs->len) == 1) rc = 0;
    }
    EVP_MD_CTX_free(ctx);
    if (rc < 0) return -1;
    if (k->alg[0] == 'E' && k->alg[1] == 'S') {
        const unsigned char *q = buf;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &q, (long)n);
        const BIGNUM *r, *s;
        ECDSA_SIG_get0(es, &r, &s);
        BN_bn2binpad(r, sig, (int)(want / 2));
        BN_bn2binpad(s, sig + want / 2, (int)(want / 2));
        ECDSA_SIG_free(es);
        return 0;
    }
    if (n != want) return -1;
    memcpy(sig, buf, n);
    return 0;
}

/* One manifest superbox around the given assertions (CBOR content), with its claim and signature. */
static void manifest(struct strbuf *out, const struct tsign_key *k, const struct tsign_opts *o, const char *urn,
                     struct strbuf *const *acbor, const char *const *labels, int na, int do_sign)
{
    int v2 = o->claim_version == 2;
    struct strbuf astore, boxes[4], c;
    sb_init(&astore);
    sb_init(&c);
    for (int i = 0; i < na; i++) {
        sb_init(&boxes[i]);
        sb_reset(&c);
        box(&c, "cbor", acbor[i]->s, acbor[i]->len);
        superbox(&boxes[i], "cbor", labels[i], &c);
        sb_add(&astore, boxes[i].s, boxes[i].len);
    }
    struct strbuf asb;
    sb_init(&asb);
    superbox(&asb, "c2as", "c2pa.assertions", &astore);
    /* claim: hashed URIs over each assertion superbox's payload (its bytes after the 8-byte header) */
    struct strbuf claim;
    sb_init(&claim);
    head(&claim, 5, v2 ? 5 : 8);
    if (!v2) { ctext(&claim, "claim_generator"); ctext(&claim, o->generator ? o->generator : "winnow-test/1.0"); }
    ctext(&claim, "claim_generator_info");
    if (!v2) head(&claim, 4, 1);
    head(&claim, 5, 2);
    ctext(&claim, "name"); ctext(&claim, o->generator ? o->generator : "winnow-test");
    ctext(&claim, "version"); ctext(&claim, "1.0");
    ctext(&claim, "signature"); ctext(&claim, o->signature_uri ? o->signature_uri : "self#jumbf=c2pa.signature");
    ctext(&claim, v2 ? "created_assertions" : "assertions");
    head(&claim, 4, (uint64_t)na);
    for (int i = 0; i < na; i++) {
        uint8_t h[32];
        sha256(boxes[i].s + 8, boxes[i].len - 8, h);
        char url[128];
        snprintf(url, sizeof url, "self#jumbf=c2pa.assertions/%s", labels[i]);
        head(&claim, 5, 2);
        ctext(&claim, "url"); ctext(&claim, url);
        ctext(&claim, "hash"); cbytes(&claim, h, 32);
    }
    ctext(&claim, "instanceID"); ctext(&claim, "xmp:iid:7d3c4f0e-0000-4000-8000-000000000001");
    ctext(&claim, "alg"); ctext(&claim, "sha256");
    if (!v2) { ctext(&claim, "dc:format"); ctext(&claim, "image/jpeg"); ctext(&claim, "dc:title"); ctext(&claim, "test"); }
    struct strbuf clsb;
    sb_init(&clsb);
    sb_reset(&c);
    box(&c, "cbor", claim.s, claim.len);
    superbox(&clsb, "c2cl", v2 ? "c2pa.claim.v2" : "c2pa.claim", &c);
    /* COSE_Sign1 over the claim box's content */
    struct strbuf prot, cose, chain;
    sb_init(&prot); sb_init(&cose); sb_init(&chain);
    if (o->x5chain_single) der_cert(k->cert, &chain);
    else { head(&chain, 4, 2); der_cert(k->cert, &chain); der_cert(k->ca, &chain); }
    head(&prot, 5, o->x5chain_unprotected ? 1 : 2);
    head(&prot, 0, 1); cnint(&prot, alg_id(k->alg));
    if (!o->x5chain_unprotected) { head(&prot, 0, 33); sb_add(&prot, chain.s, chain.len); }
    size_t sl = sig_size(k->alg);
    uint8_t sig[600];
    memset(sig, 0, sizeof sig);
    if (do_sign) {
        struct strbuf tbs;
        sb_init(&tbs);
        head(&tbs, 4, 4);
        ctext(&tbs, "Signature1");
        cbytes(&tbs, prot.s, prot.len);
        cbytes(&tbs, NULL, 0);
        cbytes(&tbs, claim.s, claim.len);
        if (sign(k, &tbs, sig, sl) < 0) fprintf(stderr, "tsign: signing failed\n");
        sb_free(&tbs);
    }
    sb_addc(&cose, (char)0xD2);      /* tag 18 */
    head(&cose, 4, 4);
    cbytes(&cose, prot.s, prot.len);
    if (o->x5chain_unprotected) { head(&cose, 5, 1); ctext(&cose, "x5chain"); sb_add(&cose, chain.s, chain.len); }
    else head(&cose, 5, 0);
    sb_addc(&cose, (char)0xF6);      /* detached payload */
    cbytes(&cose, sig, sl);
    struct strbuf sigsb, man;
    sb_init(&sigsb);
    sb_init(&man);
    sb_reset(&c);
    box(&c, "cbor", cose.s, cose.len);
    superbox(&sigsb, "c2cs", "c2pa.signature", &c);
    sb_add(&man, asb.s, asb.len);
    sb_add(&man, clsb.s, clsb.len);
    sb_add(&man, sigsb.s, sigsb.len);
    superbox(out, "c2ma", urn, &man);
    for (int i = 0; i < na; i++) sb_free(&boxes[i]);
    struct strbuf *all[] = {&astore, &c, &asb, &claim, &clsb, &prot, &cose, &chain, &sigsb, &man};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) sb_free(all[i]);
}

static void actions(struct strbuf *b, int v2, const char *action, const char *dst)
{
    head(b, 5, 1);
    ctext(b, "actions");
    head(b, 4, 1);
    head(b, 5, dst ? 3 : 2);
    ctext(b, "action");
    ctext(b, action);
    ctext(b, "softwareAgent");
    if (v2) { head(b, 5, 1); ctext(b, "name"); ctext(b, "Winnow Test Generator"); }
    else ctext(b, "Winnow Test Generator");
    if (dst) { ctext(b, "digitalSourceType"); ctext(b, dst); }
}

/* The store, with the data-hash exclusion and the hash given; a zero hash and a zero signature
 * give a store of the final size.  With an ingredient, a parent manifest comes first. */
static void build_store(struct strbuf *store, const struct tsign_key *k, const struct tsign_opts *o, uint32_t ex_start,
                        uint32_t ex_len, const uint8_t hash[32], int do_sign)
{
    int v2 = o->claim_version == 2;
    const char *urn = "urn:c2pa:0f6b3d35-2c55-4c5e-9a36-6a6f5b2b9a11";
    const char *parent_urn = "urn:c2pa:9a0c1c7e-7f7e-4d7b-8d9b-2f1f4c1d0a22";
    struct strbuf parent, act, ing, dh, all;
    sb_init(&parent); sb_init(&act); sb_init(&ing); sb_init(&dh); sb_init(&all);
    if (o->ingredient_source_type) {
        struct strbuf pa;
        sb_init(&pa);
        actions(&pa, v2, "c2pa.created", o->ingredient_source_type);
        struct strbuf *pl[] = {&pa};
        const char *plab[] = {v2 ? "c2pa.actions.v2" : "c2pa.actions"};
        struct tsign_opts po = *o;
        po.signature_uri = NULL;
        po.extra_assertion = NULL;
        manifest(&parent, o->parent_key ? o->parent_key : k, &po, parent_urn, pl, plab, 1, do_sign);
        sb_free(&pa);
        /* the ingredient vouches for the parent manifest by its hash (before 1.3: its claim's) */
        uint8_t ph[32];
        sha256(parent.s + 8, parent.len - 8, ph);
        if (o->legacy_ingredient_hash) {
            const char *lab = v2 ? "c2pa.claim.v2" : "c2pa.claim";
            const char *at = memmem(parent.s, parent.len, lab, strlen(lab) + 1);
            const uint8_t *cb = at ? (const uint8_t *)at + strlen(lab) + 1 : NULL;   /* [len]["cbor"][claim] */
            if (cb) sha256(cb + 8, ((size_t)cb[0] << 24 | (size_t)cb[1] << 16 | (size_t)cb[2] << 8 | cb[3]) - 8, ph);
        }
        char url[128];
        snprintf(url, sizeof url, "self#jumbf=/c2pa/%s", parent_urn);
        head(&ing, 5, 3);
        ctext(&ing, "relationship"); ctext(&ing, "parentOf");
        ctext(&ing, "dc:title"); ctext(&ing, "parent.png");
        ctext(&ing, v2 ? "activeManifest" : "c2pa_manifest");
        head(&ing, 5, 2);
        ctext(&ing, "url"); ctext(&ing, url);
        ctext(&ing, "hash"); cbytes(&ing, ph, 32);
    }
    actions(&act, v2, o->ingredient_source_type ? "c2pa.opened" : "c2pa.created", o->source_type);
    int bmff = !strcmp(o->container, "mp4");
    head(&dh, 5, 4);
    ctext(&dh, "exclusions");
    head(&dh, 4, 1);
    if (bmff) {
        /* c2pa.hash.bmff.v2: the C2PA uuid box is excluded by its UUID at offset 8 */
        static const uint8_t uuid[16] = {0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C,
                                         0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81};
        head(&dh, 5, 2);
        ctext(&dh, "xpath"); ctext(&dh, "/uuid");
        ctext(&dh, "data"); head(&dh, 4, 1); head(&dh, 5, 2);
        ctext(&dh, "offset"); head(&dh, 0, 8);
        ctext(&dh, "value"); cbytes(&dh, uuid, 16);
    } else {
        head(&dh, 5, 2);
        ctext(&dh, "start"); cu32(&dh, ex_start);
        ctext(&dh, "length"); cu32(&dh, ex_len);
    }
    ctext(&dh, "name"); ctext(&dh, "jumbf manifest");
    ctext(&dh, "alg"); ctext(&dh, "sha256");
    ctext(&dh, "hash"); cbytes(&dh, hash, 32);
    struct strbuf *list[4];
    const char *labels[4];
    int na = 0;
    list[na] = &act;
    labels[na++] = v2 ? "c2pa.actions.v2" : "c2pa.actions";
    struct strbuf extra;
    sb_init(&extra);
    if (o->extra_assertion) {
        sb_add(&extra, (const char *)o->extra_assertion, o->extra_assertion_len);
        list[na] = &extra;
        labels[na++] = "org.winnow.extra";
    }
    if (ing.len) {
        list[na] = &ing;
        labels[na++] = v2 ? "c2pa.ingredient.v3" : "c2pa.ingredient";
    }
    list[na] = &dh;
    labels[na++] = bmff ? "c2pa.hash.bmff.v2" : "c2pa.hash.data";
    struct strbuf active;
    sb_init(&active);
    manifest(&active, k, o, urn, list, labels, na, do_sign);
    sb_add(&all, parent.s, parent.len);
    sb_add(&all, active.s, active.len);
    sb_reset(store);
    superbox(store, "c2pa", "c2pa", &all);
    struct strbuf *f[] = {&parent, &act, &ing, &dh, &all, &active, &extra};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) sb_free(f[i]);
}

/* ---- containers ---- */

static void le32put(uint8_t *p, uint32_t v);

/* The containers c2pa-rs writes beyond JPEG, PNG and WebP: minimal files, noise as the media. */
static int more_base(const char *container, const uint8_t *noise, size_t size, struct strbuf *b)
{
    if (!strcmp(container, "gif")) {
        static const uint8_t hd[] = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0,
                                     0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2};
        sb_add(b, (const char *)hd, sizeof hd);
        for (size_t i = 0; i < size; i += 255) {
            size_t l = size - i < 255 ? size - i : 255;
            sb_addc(b, (char)l);
            sb_add(b, (const char *)noise + i, l);
        }
        sb_add(b, "\0;", 2);
    } else if (!strcmp(container, "tiff")) {
        /* header, IFD0 (ImageWidth only), the noise as its strip */
        static const uint8_t hd[] = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0, 1, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
        sb_add(b, (const char *)hd, sizeof hd);
        sb_add(b, (const char *)noise, size);
    } else if (!strcmp(container, "wav")) {
        static const uint8_t hd[] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ', 16, 0, 0, 0,
                                     1, 0, 1, 0, 0x44, 0xAC, 0, 0, 0x88, 0x58, 1, 0, 2, 0, 16, 0, 'd', 'a', 't', 'a', 0, 0, 0, 0};
        sb_add(b, (const char *)hd, sizeof hd);
        size_t n = size & ~(size_t)1;
        sb_add(b, (const char *)noise, n);
        le32put((uint8_t *)b->s + 40, (uint32_t)n);
        le32put((uint8_t *)b->s + 4, (uint32_t)(b->len - 8));
    } else if (!strcmp(container, "mp3")) {
        sb_add(b, "\xFF\xFB\x90\x00", 4);      /* one MPEG frame header, then noise */
        sb_add(b, (const char *)noise, size);
    } else if (!strcmp(container, "jxl")) {
        static const uint8_t hd[] = {0, 0, 0, 12, 'J', 'X', 'L', ' ', 0x0D, 0x0A, 0x87, 0x0A,
                                     0, 0, 0, 20, 'f', 't', 'y', 'p', 'j', 'x', 'l', ' ', 0, 0, 0, 0, 'j', 'x', 'l', ' '};
        sb_add(b, (const char *)hd, sizeof hd);
        uint8_t bh[8] = {0, 0, 0, 0, 'j', 'x', 'l', 'c'};
        be32put(bh, (uint32_t)(size + 8));
        sb_add(b, (const char *)bh, 8);
        sb_add(b, (const char *)noise, size);
    } else if (!strcmp(container, "svg")) {
        sb_adds(b, "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">");
        for (size_t i = 0; i < size / 40; i++) sb_printf(b, "<rect x=\"%u\" y=\"0\" width=\"1\" height=\"1\"/>\n", noise[i]);
        sb_adds(b, "</svg>\n");
    } else if (!strcmp(container, "mp4")) {
        static const uint8_t ftyp[24] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
                                         'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
        sb_add(b, (const char *)ftyp, 24);
        uint8_t mh[8] = {0, 0, 0, 0, 'm', 'd', 'a', 't'};
        be32put(mh, (uint32_t)(size + 8));
        sb_add(b, (const char *)mh, 8);
        sb_add(b, (const char *)noise, size);
    } else if (!strcmp(container, "pdf")) {
        sb_adds(b, "%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\n2 0 obj\n<</Length ");
        sb_printf(b, "%zu>>stream\n", size);
        sb_add(b, (const char *)noise, size);
        sb_adds(b, "\nendstream\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n");
    } else {
        return 0;
    }
    return 1;
}

static size_t syncsafe_put(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 21 & 0x7F); p[1] = (uint8_t)(v >> 14 & 0x7F); p[2] = (uint8_t)(v >> 7 & 0x7F); p[3] = (uint8_t)(v & 0x7F);
    return v;
}

/* Embeds the store into the containers of more_base; 0 when the container is not one of them. */
static int more_embed(const uint8_t *base, size_t n, const char *container, const struct strbuf *store,
                      uint32_t *ex_start, uint32_t *ex_len, struct strbuf *b)
{
    if (!strcmp(container, "gif")) {
        sb_add(b, (const char *)base, 13);     /* header and screen descriptor */
        *ex_start = 13;
        sb_add(b, "\x21\xFF\x0B" "C2PA_GIF" "\x01\x00\x00", 14);
        for (size_t i = 0; i < store->len; i += 255) {
            size_t l = store->len - i < 255 ? store->len - i : 255;
            sb_addc(b, (char)l);
            sb_add(b, store->s + i, l);
        }
        sb_addc(b, 0);
        *ex_len = (uint32_t)(b->len - 13);
        sb_add(b, (const char *)base + 13, n - 13);
    } else if (!strcmp(container, "tiff")) {
        /* IFD0 grows by the 0xCD41 entry; the store goes after the strip */
        static const uint8_t hd[] = {'I', 'I', 42, 0, 8, 0, 0, 0, 2, 0, 0, 1, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0,
                                     0x41, 0xCD, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        sb_add(b, (const char *)hd, sizeof hd);
        sb_add(b, (const char *)base + 26, n - 26);
        le32put((uint8_t *)b->s + 26, (uint32_t)store->len);
        le32put((uint8_t *)b->s + 30, (uint32_t)b->len);
        *ex_start = (uint32_t)b->len;
        sb_add(b, store->s, store->len);
        *ex_len = (uint32_t)store->len;
    } else if (!strcmp(container, "wav")) {
        sb_add(b, (const char *)base, n);
        *ex_start = (uint32_t)n;
        uint8_t ch[8] = {'C', '2', 'P', 'A'};
        le32put(ch + 4, (uint32_t)store->len);
        sb_add(b, (const char *)ch, 8);
        sb_add(b, store->s, store->len);
        if (store->len & 1) sb_addc(b, 0);
        *ex_len = (uint32_t)(b->len - n);
        le32put((uint8_t *)b->s + 4, (uint32_t)(b->len - 8));
    } else if (!strcmp(container, "mp3")) {
        static const char geob[] = "\0application/c2pa\0c2pa\0c2pa manifest store";   /* + NUL */
        uint8_t th[10] = {'I', 'D', '3', 4, 0, 0}, fh[10] = {'G', 'E', 'O', 'B'};
        size_t fl = sizeof geob + store->len;
        syncsafe_put(fh + 4, fl);
        syncsafe_put(th + 6, 10 + fl);
        sb_add(b, (const char *)th, 10);
        sb_add(b, (const char *)fh, 10);
        sb_add(b, geob, sizeof geob);
        sb_add(b, store->s, store->len);
        *ex_start = 0;
        *ex_len = (uint32_t)b->len;
        sb_add(b, (const char *)base, n);
    } else if (!strcmp(container, "jxl")) {
        sb_add(b, (const char *)base, 32);     /* signature and ftyp boxes; the store is a box itself */
        *ex_start = 32;
        sb_add(b, store->s, store->len);
        *ex_len = (uint32_t)store->len;
        sb_add(b, (const char *)base + 32, n - 32);
    } else if (!strcmp(container, "svg")) {
        const char *tag = memmem(base, n, "<svg", 4);
        const char *gt = tag ? memchr(tag, '>', n - (size_t)(tag - (const char *)base)) : NULL;
        size_t at = gt ? (size_t)(gt - (const char *)base) + 1 : 0;
        sb_add(b, (const char *)base, at);
        sb_adds(b, "<metadata><c2pa:manifest xmlns:c2pa=\"http://c2pa.org/manifest\">");
        *ex_start = (uint32_t)b->len;
        unsigned char *b64 = malloc(4 * (store->len / 3 + 1) + 1);
        int bl = EVP_EncodeBlock(b64, (const unsigned char *)store->s, (int)store->len);
        sb_add(b, (const char *)b64, (size_t)bl);
        free(b64);
        *ex_len = (uint32_t)bl;
        sb_adds(b, "</c2pa:manifest></metadata>");
        sb_add(b, (const char *)base + at, n - at);
    } else if (!strcmp(container, "mp4")) {
        static const uint8_t uuid[16] = {0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C,
                                         0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81};
        sb_add(b, (const char *)base, 24);     /* ftyp, then the C2PA box before the media */
        *ex_start = 24;
        uint8_t bh[8] = {0, 0, 0, 0, 'u', 'u', 'i', 'd'};
        be32put(bh, (uint32_t)(8 + 16 + 4 + 9 + 8 + store->len));
        sb_add(b, (const char *)bh, 8);
        sb_add(b, (const char *)uuid, 16);
        sb_add(b, "\0\0\0\0manifest\0\0\0\0\0\0\0\0\0", 4 + 9 + 8);
        sb_add(b, store->s, store->len);
        *ex_len = (uint32_t)(b->len - 24);
        sb_add(b, (const char *)base + 24, n - 24);
    } else if (!strcmp(container, "pdf")) {
        sb_add(b, (const char *)base, n);
        sb_printf(b, "3 0 obj\n<</Type/EmbeddedFile/Subtype/application#2Fc2pa/Length %zu>>stream\n", store->len);
        *ex_start = (uint32_t)b->len;
        sb_add(b, store->s, store->len);
        *ex_len = (uint32_t)store->len;
        sb_adds(b, "\nendstream\nendobj\n%%EOF\n");
    } else {
        return 0;
    }
    return 1;
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return c ^ 0xFFFFFFFFu;
}

static void png_chunk(struct strbuf *b, const char *type, const void *p, size_t n)
{
    uint8_t h[8];
    be32put(h, (uint32_t)n);
    memcpy(h + 4, type, 4);
    size_t start = b->len;
    sb_add(b, (const char *)h, 8);
    if (n) sb_add(b, p, n);
    uint8_t crc[4];
    be32put(crc, crc32((const uint8_t *)b->s + start + 4, n + 4));
    sb_add(b, (const char *)crc, 4);
}

static void le32put(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }

uint8_t *tsign_base(const char *container, size_t size, size_t *len)
{
    uint8_t *noise = malloc(size ? size : 1);
    for (size_t i = 0; i < size; i++) noise[i] = (uint8_t)((i * 2654435761u) >> 13);
    struct strbuf b;
    sb_init(&b);
    if (!strcmp(container, "jpeg")) {
        static const uint8_t app0[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
        static const uint8_t sos[] = {0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00};
        sb_add(&b, (const char *)app0, sizeof app0);
        sb_add(&b, (const char *)sos, sizeof sos);
        for (size_t i = 0; i < size; i++) noise[i] = noise[i] == 0xFF ? 0xFE : noise[i];
        sb_add(&b, (const char *)noise, size);
        sb_add(&b, "\xFF\xD9", 2);
    } else if (!strcmp(container, "png")) {
        static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        static const uint8_t ihdr[13] = {0, 0, 1, 0, 0, 0, 1, 0, 8, 2, 0, 0, 0};
        sb_add(&b, (const char *)sig, 8);
        png_chunk(&b, "IHDR", ihdr, 13);
        png_chunk(&b, "IDAT", noise, size);
        png_chunk(&b, "IEND", NULL, 0);
    } else if (more_base(container, noise, size, &b)) {
        /* done */
    } else {
        uint8_t h[12] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'};
        sb_add(&b, (const char *)h, 12);
        uint8_t ch[8] = {'V', 'P', '8', 'L'};
        size_t n = size & ~(size_t)1;
        le32put(ch + 4, (uint32_t)n);
        sb_add(&b, (const char *)ch, 8);
        sb_add(&b, (const char *)noise, n);
        le32put((uint8_t *)b.s + 4, (uint32_t)(b.len - 8));
    }
    free(noise);
    *len = b.len;
    return (uint8_t *)sb_steal(&b);
}

/* Embeds store bytes; ex_start and ex_len receive the carrier's span. */
static uint8_t *embed(const uint8_t *base, size_t n, const char *container, const struct strbuf *store, size_t seg,
                      uint32_t *ex_start, uint32_t *ex_len, size_t *out_len)
{
    struct strbuf b;
    sb_init(&b);
    if (!strcmp(container, "jpeg")) {
        /* after SOI and APP0 */
        size_t at = 2;
        if (n > 4 && base[2] == 0xFF && base[3] == 0xE0) at = 4 + ((size_t)base[4] << 8 | base[5]);
        sb_add(&b, (const char *)base, at);
        *ex_start = (uint32_t)at;
        if (!seg) seg = 65000;
        size_t pos = 8;   /* the first segment carries the LBox/TBox itself */
        uint32_t z = 1;
        while (z == 1 || pos < store->len) {
            size_t take = store->len - (z == 1 ? 0 : pos);
            /* readers spot a store by the jumd in its first segment, so that one holds it whole */
            size_t cap = z == 1 && seg < 64 ? 64 : seg;
            if (take > cap) take = cap;
            uint8_t h[12] = {0xFF, 0xEB, 0, 0, 'J', 'P', 0x02, 0x11};
            be32put(h + 8, z);
            size_t payload = (z == 1 ? take : take + 8);
            size_t lp = 2 + 8 + payload;
            h[2] = (uint8_t)(lp >> 8);
            h[3] = (uint8_t)lp;
            sb_add(&b, (const char *)h, 12);
            if (z == 1) {
                sb_add(&b, store->s, take);
                pos = take;
            } else {
                sb_add(&b, store->s, 8);        /* repeated LBox/TBox */
                sb_add(&b, store->s + pos, take);
                pos += take;
            }
            z++;
        }
        *ex_len = (uint32_t)(b.len - at);
        sb_add(&b, (const char *)base + at, n - at);
    } else if (!strcmp(container, "png")) {
        size_t at = 8 + 25;   /* after IHDR */
        sb_add(&b, (const char *)base, at);
        *ex_start = (uint32_t)at;
        png_chunk(&b, "caBX", store->s, store->len);
        *ex_len = (uint32_t)(b.len - at);
        sb_add(&b, (const char *)base + at, n - at);
    } else if (more_embed(base, n, container, store, ex_start, ex_len, &b)) {
        /* done */
    } else {
        sb_add(&b, (const char *)base, n);
        *ex_start = (uint32_t)n;
        uint8_t ch[8] = {'C', '2', 'P', 'A'};
        le32put(ch + 4, (uint32_t)store->len);
        sb_add(&b, (const char *)ch, 8);
        sb_add(&b, store->s, store->len);
        if (store->len & 1) sb_addc(&b, 0);
        *ex_len = (uint32_t)(b.len - n);
        le32put((uint8_t *)b.s + 4, (uint32_t)(b.len - 8));
    }
    *out_len = b.len;
    return (uint8_t *)sb_steal(&b);
}

uint8_t *tsign_asset(const uint8_t *base, size_t n, const struct tsign_key *k, const struct tsign_opts *o,
                     size_t *out_len)
{
    uint8_t zero[32] = {0};
    struct strbuf store;
    sb_init(&store);
    uint32_t ex_start = 0, ex_len = 0;
    build_store(&store, k, o, 0, 0, zero, 0);
    size_t tmp_len;
    uint8_t *tmp = embed(base, n, o->container, &store, o->segment, &ex_start, &ex_len, &tmp_len);
    /* the asset's hash skips the carrier, so the placeholder store gives the final hash */
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    if (!strcmp(o->container, "mp4")) {
        /* BMFF v2: each top-level box but the C2PA one, after its offset as 8 bytes */
        for (size_t off = 0; off + 8 <= tmp_len;) {
            size_t bl = (size_t)tmp[off] << 24 | (size_t)tmp[off + 1] << 16 | (size_t)tmp[off + 2] << 8 | tmp[off + 3];
            if (bl < 8 || bl > tmp_len - off) break;
            if (off != ex_start) {
                uint8_t ob[8];
                for (int i = 0; i < 8; i++) ob[i] = (uint8_t)((uint64_t)off >> (56 - 8 * i));
                EVP_DigestUpdate(ctx, ob, 8);
                EVP_DigestUpdate(ctx, tmp + off, bl);
            }
            off += bl;
        }
    } else {
        EVP_DigestUpdate(ctx, tmp, ex_start);
        EVP_DigestUpdate(ctx, tmp + ex_start + ex_len, tmp_len - ex_start - ex_len);
    }
    uint8_t h[32];
    unsigned hl = 32;
    EVP_DigestFinal_ex(ctx, h, &hl);
    EVP_MD_CTX_free(ctx);
    free(tmp);
    size_t first = store.len;
    build_store(&store, k, o, ex_start, ex_len, h, 1);
    if (store.len != first) fprintf(stderr, "tsign: store size moved (%zu -> %zu)\n", first, store.len);
    uint32_t s2, l2;
    uint8_t *out = embed(base, n, o->container, &store, o->segment, &s2, &l2, out_len);
    sb_free(&store);
    return out;
}
