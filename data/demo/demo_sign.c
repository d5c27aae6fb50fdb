/* SPDX-License-Identifier: ISC */
/* demo-sign: makes the demo's Content Credentials at build time (make demo), so that the bundled
 * demo shows what winnow's provenance badges say without a network and without shipping a
 * signature that expires: a fresh demo CA and signer (the project's own C2PA writer,
 * tests/unit/prov_testsign.h), then three copies of the demo's pictures:
 *   thumb1.jpg  a photo signed as a camera capture          -> credentials valid (not trusted:
 *                                                             the demo CA is in no trust list)
 *   thumb2.jpg  a picture signed as made by a generator      -> AI-generated, with credentials
 *   thumb3.jpg  a signed photo changed after signing         -> credentials invalid (tampered)
 * and the CA as demo-ca.pem, which `winnow trust add` would turn the first two into "trusted".
 *   demo-sign SRC_DIR OUT_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_testsign.h"
#include "util.h"

#define CAPTURE "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
#define AI_GEN "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"

static int sign_one(const char *src, const char *dst, const struct tsign_key *k, const char *type,
                    const char *generator, int tamper)
{
    char *base;
    size_t len;
    struct error err;
    error_clear(&err);
    if (read_file(src, 16u << 20, &base, &len, &err) < 0) {
        fprintf(stderr, "demo-sign: %s\n", err.msg);
        return -1;
    }
    struct tsign_opts o = {.container = "jpeg", .claim_version = 2, .source_type = type,
                           .generator = generator};
    size_t n;
    uint8_t *out = tsign_asset((const uint8_t *)base, len, k, &o, &n);
    free(base);
    if (!out) {
        fprintf(stderr, "demo-sign: could not sign %s\n", src);
        return -1;
    }
    /* one byte of the picture changed after signing, in the image data before EOI: the hash the
     * signature covers no longer matches */
    if (tamper && n > 64) out[n - 40] ^= 0x01;
    FILE *f = fopen(dst, "wb");
    int rc = f && fwrite(out, 1, n, f) == n ? 0 : -1;
    if (f && fclose(f) != 0) rc = -1;
    if (rc < 0) fprintf(stderr, "demo-sign: cannot write %s\n", dst);
    free(out);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: demo-sign SRC_DIR OUT_DIR\n");
        return 2;
    }
    struct tsign_key k;
    if (tsign_keys(&k, "ES256") < 0) {
        fprintf(stderr, "demo-sign: could not make the demo certificate\n");
        return 1;
    }
    char src[4096], dst[4096];
    static const struct { const char *name, *type, *generator; int tamper; } pics[] = {
        {"thumb1.jpg", CAPTURE, "winnow demo camera", 0},
        {"thumb2.jpg", AI_GEN, "winnow demo image generator", 0},
        {"thumb3.jpg", CAPTURE, "winnow demo camera", 1},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof pics / sizeof pics[0] && rc == 0; i++) {
        snprintf(src, sizeof src, "%s/%s", argv[1], pics[i].name);
        snprintf(dst, sizeof dst, "%s/%s", argv[2], pics[i].name);
        rc = sign_one(src, dst, &k, pics[i].type, pics[i].generator, pics[i].tamper);
    }
    snprintf(dst, sizeof dst, "%s/demo-ca.pem", argv[2]);
    if (rc == 0 && tsign_write_ca(&k, dst) < 0) {
        fprintf(stderr, "demo-sign: cannot write %s\n", dst);
        rc = -1;
    }
    tsign_keys_free(&k);
    return rc < 0 ? 1 : 0;
}
