/* SPDX-License-Identifier: ISC */
/* The trust store and certificate checks.  The store holds the official C2PA trust list and the
 * user's own anchors and nothing else: the system CA bundle is never loaded (a web CA vouching for
 * an e-mail certificate would make any signer "trusted").  Chains are built at the signing time,
 * with partial chains allowed because the C2PA list contains intermediates. */
#include "prov_int.h"

#include <dirent.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct prov_trust {
    X509_STORE *store;
    STACK_OF(X509) *certs;
    struct strbuf hashes;      /* "hex\n" per anchor, for duplicates and the fingerprint */
    unsigned char *official;   /* per cert */
    int n_official, n_user;
    char fp[65];
    struct prov_trust *tsa;    /* time stamping authorities (the C2PA TSA trust list), NULL none */
};

struct prov_trust *prov_trust_new(void)
{
    struct prov_trust *t = xcalloc(1, sizeof *t);
    t->store = X509_STORE_new();
    t->certs = sk_X509_new_null();
    sb_init(&t->hashes);
    if (!t->store || !t->certs) abort();
    return t;
}

void prov_trust_free(struct prov_trust *t)
{
    if (!t) return;
    prov_trust_free(t->tsa);
    X509_STORE_free(t->store);
    sk_X509_pop_free(t->certs, X509_free);
    sb_free(&t->hashes);
    free(t->official);
    free(t);
}

void prov_cert_sha256(X509 *x, char out[65])
{
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    if (X509_digest(x, EVP_sha256(), h, &hl) != 1 || hl != 32) {
        out[0] = 0;
        return;
    }
    prov_hex(h, 32, out);
}

static void update_fp(struct prov_trust *t)
{
    unsigned char h[32];
    unsigned hl = 0;
    EVP_Digest(t->hashes.s ? t->hashes.s : "", t->hashes.len, h, &hl, EVP_sha256(), NULL);
    prov_hex(h, 32, t->fp);
}

int prov_trust_add_pem(struct prov_trust *t, const char *pem, size_t len, int official, const char *name,
                       struct error *err)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    int added = 0, seen = 0;
    X509 *x;
    while (bio && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        seen++;
        char hex[65];
        prov_cert_sha256(x, hex);
        if (!hex[0] || (t->hashes.s && strstr(t->hashes.s, hex))) {
            X509_free(x);
            continue;
        }
        if (X509_STORE_add_cert(t->store, x) != 1) {
            X509_free(x);
            continue;
        }
        sb_printf(&t->hashes, "%s\n", hex);
        sk_X509_push(t->certs, x);
        int n = sk_X509_num(t->certs);
        t->official = xrealloc(t->official, (size_t)n);
        t->official[n - 1] = (unsigned char)(official != 0);
        if (official) t->n_official++;
        else t->n_user++;
        added++;
    }
    BIO_free(bio);
    ERR_clear_error();
    if (!seen) {
        error_set(err, "no certificate in %s", name ? name : "the PEM text");
        return -1;
    }
    update_fp(t);
    return added ? added : seen;   /* all duplicates: still a valid file */
}

int prov_trust_add_file(struct prov_trust *t, const char *path, int official, struct error *err)
{
    char *buf;
    size_t len;
    if (read_file(path, 8u << 20, &buf, &len, err) < 0) return -1;
    int n = prov_trust_add_pem(t, buf, len, official, path, err);
    free(buf);
    return n;
}

int prov_trust_count(const struct prov_trust *t, int official)
{
    return t ? (official ? t->n_official : t->n_user) : 0;
}

int prov_trust_add_tsa_file(struct prov_trust *t, const char *path, struct error *err)
{
    if (!t->tsa) t->tsa = prov_trust_new();
    int n = prov_trust_add_file(t->tsa, path, 1, err);
    if (n > 0) {
        /* cached verdicts depend on the TSA list too */
        sb_printf(&t->hashes, "tsa:%s\n", t->tsa->fp);
        update_fp(t);
    }
    return n;
}

int prov_trust_tsa_count(const struct prov_trust *t) { return t && t->tsa ? sk_X509_num(t->tsa->certs) : 0; }
const struct prov_trust *prov_trust_tsa(const struct prov_trust *t) { return t ? t->tsa : NULL; }

const char *prov_trust_fingerprint(const struct prov_trust *t)
{
    return t && t->fp[0] ? t->fp : "none";
}

static void name_entry(X509_NAME *nm, int nid, char *out, size_t cap)
{
    out[0] = 0;
    if (!nm || !cap) return;
    int idx = -1, last = -1;
    while ((idx = X509_NAME_get_index_by_NID(nm, nid, idx)) >= 0) last = idx;
    if (last < 0) return;
    unsigned char *u = NULL;
    int n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, last)));
    if (n > 0) prov_copy_text(out, cap, (const char *)u, (size_t)n);
    OPENSSL_free(u);
}

void prov_cert_names(X509 *x, char *org, size_t org_cap, char *cn, size_t cn_cap, char *issuer_cn, size_t icap)
{
    if (org) name_entry(X509_get_subject_name(x), NID_organizationName, org, org_cap);
    if (cn) name_entry(X509_get_subject_name(x), NID_commonName, cn, cn_cap);
    if (issuer_cn) name_entry(X509_get_issuer_name(x), NID_commonName, issuer_cn, icap);
}

void prov_trust_each(const struct prov_trust *t,
                     void (*fn)(const char *, const char *, const char *, int, void *), void *user)
{
    for (int i = 0; t && i < sk_X509_num(t->certs); i++) {
        X509 *x = sk_X509_value(t->certs, i);
        char org[128], cn[128], hex[65];
        prov_cert_names(x, org, sizeof org, cn, sizeof cn, NULL, 0);
        prov_cert_sha256(x, hex);
        fn(org, cn, hex, t->official[i], user);
    }
}

/* The extended key usages C2PA accepts for a claim signer. */
static const char *const EKU_OK[] = {
    "1.3.6.1.5.5.7.3.4",       /* emailProtection */
    "1.3.6.1.5.5.7.3.36",      /* documentSigning */
    "1.3.6.1.5.5.7.3.8",       /* timeStamping */
    "1.3.6.1.5.5.7.3.9",       /* OCSPSigning */
    "1.3.6.1.4.1.311.76.59.1.9",
    "1.3.6.1.4.1.62558.2.1",   /* C2PA claim signing */
};

int prov_cert_usable(X509 *leaf, int64_t at, char *code, size_t code_cap, char *why, size_t why_cap)
{
    time_t tt = (time_t)at;
    if (X509_cmp_time(X509_get0_notBefore(leaf), &tt) >= 0) {
        snprintf(code, code_cap, "signingCredential.invalid");
        snprintf(why, why_cap, "the signing certificate was not yet valid when it signed");
        return -1;
    }
    if (X509_cmp_time(X509_get0_notAfter(leaf), &tt) <= 0) {
        snprintf(code, code_cap, "signingCredential.expired");
        snprintf(why, why_cap, "the signing certificate had expired when it signed");
        return -1;
    }
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(leaf, NID_ext_key_usage, NULL, NULL);
    int ok = 0;
    for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku) && !ok; i++) {
        char oid[64];
        OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku, i), 1);
        for (size_t k = 0; k < sizeof EKU_OK / sizeof EKU_OK[0]; k++)
            if (!strcmp(oid, EKU_OK[k])) ok = 1;
    }
    sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
    ERR_clear_error();
    if (!ok) {
        snprintf(code, code_cap, "signingCredential.invalid");
        snprintf(why, why_cap, "the signing certificate is not for signing documents (extended key usage)");
        return -1;
    }
    return 0;
}

int prov_trust_check(const struct prov_trust *t, STACK_OF(X509) *chain, int64_t at, char *why, size_t why_cap)
{
    if (!t || !sk_X509_num(t->certs)) {
        snprintf(why, why_cap, "no trust anchors loaded");
        return 0;
    }
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    for (int i = 1; i < sk_X509_num(chain); i++) sk_X509_push(untrusted, sk_X509_value(chain, i));
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    int ok = 0;
    if (ctx && X509_STORE_CTX_init(ctx, t->store, sk_X509_value(chain, 0), untrusted) == 1) {
        X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
        X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_X509_STRICT | X509_V_FLAG_PARTIAL_CHAIN);
        X509_VERIFY_PARAM_set_time(vp, (time_t)at);
        ok = X509_verify_cert(ctx) == 1;
        if (!ok)
            snprintf(why, why_cap, "the signer does not chain to a trust anchor (%s)",
                     X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    }
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    ERR_clear_error();
    return ok;
}

/* ---- where the lists live ---- */

static char *xdg(const char *env, const char *fallback, const char *tail)
{
    const char *v = getenv(env);
    struct strbuf b;
    sb_init(&b);
    if (v && *v == '/') sb_printf(&b, "%s/winnow/%s", v, tail);
    else {
        const char *home = getenv("HOME");
        sb_printf(&b, "%s/%s/winnow/%s", home && *home ? home : ".", fallback, tail);
    }
    return sb_steal(&b);
}

char *prov_trust_list_path(void) { return xdg("XDG_DATA_HOME", ".local/share", "trust/C2PA-TRUST-LIST.pem"); }
char *prov_tsa_list_path(void) { return xdg("XDG_DATA_HOME", ".local/share", "trust/C2PA-TSA-TRUST-LIST.pem"); }
char *prov_trust_anchor_dir(void) { return xdg("XDG_DATA_HOME", ".local/share", "trust/anchors"); }
char *prov_cache_dir(void) { return xdg("XDG_CACHE_HOME", ".cache", "prov"); }

char *prov_rules_path(void)
{
    const char *e = getenv("WINNOW_TRUST_FILE");
    if (e && *e) return xstrdup(e);
    return xdg("XDG_CONFIG_HOME", ".config", "trust");
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

struct prov_trust *prov_trust_load(const struct prov_rules *rules, const char *const *extra, size_t n_extra,
                                   struct error *err)
{
    struct prov_trust *t = prov_trust_new();
    char *list = prov_trust_list_path();
    FILE *f = fopen(list, "rb");
    if (f) {
        fclose(f);
        if (prov_trust_add_file(t, list, 1, err) < 0) {
            error_prefix(err, "C2PA trust list: ");
            free(list);
            prov_trust_free(t);
            return NULL;
        }
    }
    free(list);
    char *tsa = prov_tsa_list_path();
    f = fopen(tsa, "rb");
    if (f) {
        fclose(f);
        if (prov_trust_add_tsa_file(t, tsa, err) < 0) {
            error_prefix(err, "C2PA TSA trust list: ");
            free(tsa);
            prov_trust_free(t);
            return NULL;
        }
    }
    free(tsa);
    /* anchors added with `winnow trust add`, in a stable order */
    char *dir = prov_trust_anchor_dir();
    DIR *d = opendir(dir);
    if (d) {
        char **names = NULL;
        size_t nn = 0;
        struct dirent *de;
        while ((de = readdir(d)) != NULL && nn < 1000) {
            size_t l = strlen(de->d_name);
            if (l > 4 && !strcmp(de->d_name + l - 4, ".pem")) {
                names = xrealloc(names, (nn + 1) * sizeof *names);
                names[nn++] = xstrdup(de->d_name);
            }
        }
        closedir(d);
        qsort(names, nn, sizeof *names, cmp_str);
        for (size_t i = 0; i < nn; i++) {
            struct strbuf p;
            sb_init(&p);
            sb_printf(&p, "%s/%s", dir, names[i]);
            struct error e2;
            error_clear(&e2);
            prov_trust_add_file(t, p.s, 0, &e2);    /* a broken file there should not stop winnow */
            sb_free(&p);
            free(names[i]);
        }
        free(names);
    }
    free(dir);
    const char *const *ra = NULL;
    size_t nra = rules ? prov_rules_anchors(rules, &ra) : 0;
    for (size_t i = 0; i < nra + n_extra; i++) {
        const char *path = i < nra ? ra[i] : extra[i - nra];
        if (prov_trust_add_file(t, path, 0, err) < 0) {
            prov_trust_free(t);
            return NULL;
        }
    }
    return t;
}
