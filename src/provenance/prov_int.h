/* SPDX-License-Identifier: ISC */
/* The provenance module's inside: the readers (JUMBF boxes, bounded CBOR, containers, XMP), the
 * COSE and hash checks and the trust store, shared between its files and its tests.  Nothing here is
 * for other modules; include/prov.h is the public face. */
#ifndef WINNOW_PROV_INT_H
#define WINNOW_PROV_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cbor.h>
#include <openssl/x509.h>

#include "prov.h"

/* Limits that keep hostile input cheap.  Real stores are tens of KiB with < 200 boxes. */
#define PROV_MAX_STORE    (16u * 1024u * 1024u)
#define PROV_MAX_XMP      (1024u * 1024u)
#define JUMBF_MAX_DEPTH   16
#define JUMBF_MAX_BOXES   4096
#define CBX_MAX_DEPTH     24
#define CBX_MAX_ITEMS     200000

/* Copies len bytes of untrusted text into a fixed buffer through the sanitiser. */
void prov_copy_text(char *dst, size_t cap, const char *src, size_t len);
/* Hex of n bytes into out (2n+1). */
void prov_hex(const uint8_t *p, size_t n, char *out);

/* ---- JUMBF (jumbf.c) ---- */
#define FOURCC(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

struct jbox {
    uint32_t type;
    size_t off, len;         /* the whole box within the buffer */
    size_t hdr;              /* 8, or 16 with an XLBox */
    int parent, first, next; /* indices, -1 for none */
    int depth;
    int super;               /* a jumb superbox with a valid jumd */
    uint8_t uuid[16];        /* of the jumd (superboxes) */
    uint8_t toggles;
    size_t label_off, label_len;   /* into the buffer; label_len 0 = none */
};

struct jumbf {
    const uint8_t *buf;
    size_t len;
    struct jbox *b;
    int n, cap;
};

/* Parses a buffer holding one top-level box (a manifest store).  Every size is checked against
 * its parent; superboxes nest at most JUMBF_MAX_DEPTH deep.  -1 with a reason on anything odd. */
int jumbf_parse(struct jumbf *j, const uint8_t *p, size_t n, struct error *err);
void jumbf_free(struct jumbf *j);
/* First 4 bytes of a superbox's jumd UUID ("c2pa", "c2ma", ...), 0 for other boxes. */
uint32_t jumbf_kind(const struct jumbf *j, int i);
int jumbf_label_is(const struct jumbf *j, int i, const char *label);
/* Child superbox with that label (exact match), -1 if none. */
int jumbf_child(const struct jumbf *j, int parent, const char *label, size_t label_len);
/* First content box (not the jumd) of the given type in a superbox, -1 if none. */
int jumbf_content(const struct jumbf *j, int super, uint32_t type);
/* Bytes after the box header. */
const uint8_t *jumbf_payload(const struct jumbf *j, int i, size_t *n);
/* Resolves a JUMBF URI ("self#jumbf=/c2pa/urn.../c2pa.assertions/x" or relative to base). */
int jumbf_resolve(const struct jumbf *j, int base, const char *uri);

/* ---- bounded CBOR (cborx.c) ---- */
/* Checks that p holds exactly one well-formed CBOR item within the depth and item caps, so that
 * cbor_load can neither allocate from a forged length nor recurse deeply when freeing. */
int cbx_check(const uint8_t *p, size_t n, size_t *used);
/* cbx_check + cbor_load; NULL when the bytes are not one bounded item.  Caller decrefs. */
cbor_item_t *cbx_load(const uint8_t *p, size_t n);
cbor_item_t *cbx_load_tagged(const uint8_t *p, size_t n, int64_t *tag);
cbor_item_t *cbx_get(const cbor_item_t *map, const char *key);
cbor_item_t *cbx_geti(const cbor_item_t *map, int64_t key);
int cbx_text(const cbor_item_t *it, char *out, size_t cap);   /* raw copy, NUL-terminated */
int cbx_bytes(const cbor_item_t *it, const uint8_t **p, size_t *n);
int cbx_int(const cbor_item_t *it, int64_t *v);
int cbx_bool(const cbor_item_t *it, int *v);
int cbx_is_null(const cbor_item_t *it);   /* 1 for the simple value null, 0 for anything else */
/* The exact bytes of one value of a definite-length map held in p (a signed payload is verified
 * over the bytes as written, never re-encoded); -1 when the key is absent or p is not a map. */
int cbx_map_raw(const uint8_t *p, size_t n, const char *key, const uint8_t **val, size_t *val_len);
/* Appends a CBOR head (major type, argument) in the shortest form. */
void cbx_put_head(struct strbuf *b, int major, uint64_t v);

/* ---- containers (container.c) ---- */
struct prov_carrier {
    char container[8];
    const uint8_t *store;        /* the manifest store bytes (may point into store_buf) */
    size_t store_len;
    uint8_t *store_buf;          /* owned, for reassembled JPEG stores */
    size_t carrier_off, carrier_end;  /* bytes of the asset the store occupies, with its framing */
    size_t entry_off, entry_end; /* a pointer to the store a data hash may also exclude (the TIFF
                                    directory entry whose offset and count change with the store) */
    int n_stores;                /* > 1: too many manifest stores */
    const uint8_t *xmp;
    size_t xmp_len;
    uint8_t *xmp_buf;            /* owned, for inflated (PNG iTXt) XMP */
    int truncated;               /* the structure ran past the end of the bytes */
    int store_cut;               /* a manifest store starts but the bytes end inside it */
    char error[128];             /* a structural problem of the store's framing */
    char whole_error[128];       /* a problem only when the bytes are the whole file (a RIFF
                                    header claiming more bytes than there are) */
    char heuristic[96];
};

int prov_sniff(const uint8_t *p, size_t n, char container[8]);
void prov_locate(const uint8_t *p, size_t n, struct prov_carrier *c);
void prov_carrier_free(struct prov_carrier *c);
/* The formats of formats.c: GIF, TIFF/DNG, WAV, AVI, MP3, FLAC, JPEG XL, SVG, PDF. */
int prov_sniff_more(const uint8_t *p, size_t n, char container[8]);
void prov_locate_more(const uint8_t *p, size_t n, struct prov_carrier *c);

/* ---- XMP (xmp.c) ---- */
struct prov_xmp {
    char source_type[160];
    char ai_system[96];
    char provenance[256];
};
/* Reads an XMP packet with expat (namespaces resolved, no DTD, depth and size capped). */
int prov_xmp_read(const uint8_t *p, size_t n, struct prov_xmp *x);

/* ---- hashes (hash.c) ---- */
const EVP_MD *prov_md(const char *alg);    /* "sha256", "sha384", "sha512", else NULL */
int prov_digest(const EVP_MD *md, const uint8_t *p, size_t n, uint8_t *out, unsigned *out_len);

struct prov_range { uint64_t start, len; };
/* EVP_DigestUpdate in 1 MiB steps; over the file prov_hash_mapped names (this thread's), the pages
 * hashed are released behind it.  prov_hash_mapped(NULL, 0) ends that. */
void prov_hash_feed(EVP_MD_CTX *ctx, const uint8_t *p, size_t n);
void prov_hash_mapped(const uint8_t *p, size_t n);
/* Hash of the asset minus sorted, bounded exclusions; -1 when they overlap or leave the asset. */
int prov_hash_excluding(const EVP_MD *md, const uint8_t *p, size_t n, struct prov_range *ex, size_t n_ex,
                        uint8_t *out, unsigned *out_len);
/* c2pa.hash.bmff v1 (v2 = 0) or v2 over an MP4 held whole in memory.  1 match, 0 mismatch, -1
 * unsupported or unreadable (reason in why). */
int prov_bmff_hash_check(const cbor_item_t *assertion, int v2, const char *claim_alg,
                         const uint8_t *p, size_t n, char *why, size_t why_cap);
/* c2pa.hash.boxes for JPEG, with the segments named as c2pa-rs names them.  Same return values. */
int prov_jpeg_boxes_check(const cbor_item_t *assertion, const char *claim_alg, const uint8_t *p,
                          size_t n, char *why, size_t why_cap);
/* c2pa.hash.boxes for GIF (GIF89a, LSD, 21xx, 2C, TBID, 3B).  Same return values. */
int prov_gif_boxes_check(const cbor_item_t *assertion, const char *claim_alg, const uint8_t *p,
                         size_t n, char *why, size_t why_cap);
/* c2pa.hash.boxes for PNG.  Same return values. */
int prov_png_boxes_check(const cbor_item_t *assertion, const char *claim_alg, const uint8_t *p,
                         size_t n, char *why, size_t why_cap);

/* ---- COSE (cose.c) ---- */
struct prov_sig {
    int alg;                     /* COSE id */
    char alg_name[8];
    STACK_OF(X509) *chain;       /* leaf first */
    int64_t tst_time;            /* -1 none */
    int tst_status;              /* 1 matched, 0 none, -1 present but not matching */
    STACK_OF(X509) *tsa_chain;   /* the time stamp's signer first, then the certificates it carries */
    int sig_ok;                  /* 1 verified, 0 mismatch */
    char error[128];             /* why the signature could not be checked */
    char code[64];               /* status code on failure */
};
/* Parses a COSE_Sign1 and verifies it over claim bytes (detached payload).  Returns 0 when the
 * structure was read (sig->sig_ok says whether the signature holds), -1 when it could not be read. */
int prov_cose_verify(const uint8_t *cose, size_t n, const uint8_t *claim, size_t claim_len,
                     struct prov_sig *sig);
void prov_sig_free(struct prov_sig *sig);

/* Any COSE_Sign1, opened without judging it (CAWG identity claims aggregation signs a credential
 * with a key from the issuer's DID, not from an x5chain). */
struct prov_cose1 {
    cbor_item_t *root, *prot_map;
    const cbor_item_t *unprot;
    const uint8_t *prot, *payload, *sig;
    size_t prot_len, payload_len, sig_len;
    int has_payload;
    int alg, alg_known;          /* COSE id (0 none), and whether C2PA allows it */
    char content_type[64];
    int content_type_state;      /* 0 absent, 1 text, -1 not text */
    int64_t tst_time;
    int tst_status;              /* as prov_sig's */
};
int prov_cose1_open(const uint8_t *cose, size_t n, struct prov_cose1 *c);   /* -1: not a COSE_Sign1 */
/* 1 when the signature holds under pk, over the embedded payload or else over detached. */
int prov_cose1_verify(const struct prov_cose1 *c, EVP_PKEY *pk, const uint8_t *detached, size_t detached_len);
void prov_cose1_close(struct prov_cose1 *c);

/* ---- CAWG identity assertions (cawg.c) ---- */
/* Validates one cawg.identity assertion (its CBOR bytes) of the active manifest against the claim
 * that lists it; fills m->identity*.  Returns 0 when it holds, 1 when it failed in a way that
 * leaves the manifest valid but not trusted, 2 when it makes the manifest invalid (code in
 * m->identity_code either way). */
int prov_cawg_check(const uint8_t *p, size_t n, const cbor_item_t *claim, int64_t now, struct prov_media *m);

/* ---- trust (trust.c) ---- */
/* Certificate facts: subject O / CN, issuer CN, SHA-256 of the DER. */
void prov_cert_names(X509 *x, char *org, size_t org_cap, char *cn, size_t cn_cap, char *issuer_cn,
                     size_t icap);
void prov_cert_sha256(X509 *x, char out[65]);
/* Leaf valid at t, with an EKU C2PA accepts.  0 ok, else -1 with a status code. */
int prov_cert_usable(X509 *leaf, int64_t t, char *code, size_t code_cap, char *why, size_t why_cap);
/* Chain to an anchor at time t.  1 trusted, 0 not (why says so). */
int prov_trust_check(const struct prov_trust *t, STACK_OF(X509) *chain, int64_t at, char *why,
                     size_t why_cap);
/* The TSA anchors of a trust store, NULL when none were loaded. */
const struct prov_trust *prov_trust_tsa(const struct prov_trust *t);

/* ---- compressed manifests (compressed.c) ---- */
int prov_store_has_compressed(const struct jumbf *j);
/* The store again with each c2cm manifest replaced by the c2ma it compresses; -1 with a reason. */
int prov_store_expand(const struct jumbf *j, struct strbuf *out, char *why, size_t why_cap);

/* ---- the manifest reader (c2pa.c) ---- */
/* Reads and verifies the store the carrier found, filling the C2PA part of m. */
void prov_c2pa_read(const struct prov_carrier *c, const uint8_t *asset, size_t asset_len,
                    const struct prov_scan_opts *o, struct prov_media *m);

/* ---- the user's rules (rules.c), as the badge reads them ---- */
/* +1 the user trusts this signer, -1 distrusts it, 0 no rule. */
int prov_rules_signer(const struct prov_rules *r, const struct prov_media *m);
int prov_rules_account_trusted(const struct prov_rules *r, const struct prov_platform *p);
/* Whether labels from this labeller count (every labeller does until the user names some). */
int prov_rules_labeller_ok(const struct prov_rules *r, const char *did);
/* The user's own AI class for an account's media, UNKNOWN when none. */
enum prov_ai prov_rules_account_class(const struct prov_rules *r, const struct prov_platform *p);
/* "ai-generated" etc. to the class a label, flair or platform text claims; UNKNOWN when none. */
enum prov_ai prov_text_class(const char *text);
/* The term of a digitalSourceType URI (last path segment, spaces and slashes trimmed). */
size_t prov_source_type_term(const char *v, const char **term);
enum prov_ai prov_label_class(const char *value);

#endif
