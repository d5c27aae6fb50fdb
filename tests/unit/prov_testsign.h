/* SPDX-License-Identifier: ISC */
/* A small C2PA writer for the provenance tests and the benchmark: makes a CA and a signing
 * certificate, builds a manifest store (actions + data hash, claim v1 or v2, COSE_Sign1 with ES256,
 * ES384, PS256 or Ed25519, x5chain in either header) and embeds it in a JPEG (APP11, split into
 * segments of a chosen size), a PNG (caBX) or a WebP (RIFF C2PA chunk).  It exists so that cases no
 * fixture shows can be tested; it follows the same layout facts as the reader, so a reader bug that
 * mirrors a writer bug is possible: the real fixtures keep both honest. */
#ifndef WINNOW_PROV_TESTSIGN_H
#define WINNOW_PROV_TESTSIGN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

struct tsign_key {
    const char *alg;          /* "ES256", "ES384", "PS256", "Ed25519" */
    EVP_PKEY *key, *ca_key;
    X509 *cert, *ca;
};

/* Makes a CA and a leaf for alg, valid from a day ago for a year; the leaf's subject is
 * O=Winnow Test, CN=Test Signer <alg>. */
int tsign_keys(struct tsign_key *k, const char *alg);
void tsign_keys_free(struct tsign_key *k);
/* Writes the CA (the anchor) as PEM. */
int tsign_write_ca(const struct tsign_key *k, const char *path);

struct tsign_opts {
    const char *container;     /* "jpeg", "png", "webp", and as c2pa-rs writes them: "gif", "tiff",
                                  "wav", "mp3" (ID3v2 GEOB), "jxl", "svg" (base64), "pdf", and "mp4"
                                  (ftyp, C2PA uuid box, mdat; c2pa.hash.bmff.v2) */
    int claim_version;         /* 1 or 2 */
    int x5chain_unprotected;   /* legacy: "x5chain" in the unprotected header */
    int x5chain_single;        /* the leaf alone, as one bstr rather than an array */
    const char *source_type;   /* digitalSourceType URI of the active manifest's action, or NULL */
    const char *ingredient_source_type;  /* when set, a parent manifest (c2pa.created with this type)
                                            comes first and the active one opens it as an ingredient */
    const char *generator;     /* claim generator name */
    size_t segment;            /* JPEG: JUMBF bytes per APP11 segment (0 = 65000) */
    const struct tsign_key *parent_key;  /* signs the parent manifest (default: the same key) */
    int legacy_ingredient_hash;  /* the ingredient hashes the parent's claim CBOR (before C2PA 1.3) */
    const char *signature_uri;   /* the claim's "signature" (default "self#jumbf=c2pa.signature") */
    const uint8_t *extra_assertion;  /* raw CBOR (possibly malformed) of an "org.winnow.extra" assertion */
    size_t extra_assertion_len;
};

/* Unsigned test assets: a JPEG (SOI, APP0, SOS, data, EOI), a PNG (IHDR, IDAT, IEND), a WebP
 * (RIFF, VP8L), or a minimal file of each other container above, of about size bytes of pseudo-random data (decoders would reject them; readers of
 * metadata do not care). */
uint8_t *tsign_base(const char *container, size_t size, size_t *len);

/* A copy of base with a signed manifest embedded; malloc'd. */
uint8_t *tsign_asset(const uint8_t *base, size_t base_len, const struct tsign_key *k,
                     const struct tsign_opts *o, size_t *out_len);

#endif
