/* SPDX-License-Identifier: ISC */
/* Compressed manifests (c2cm superboxes, C2PA 2.x): each holds a "brob" box, the brotli-compressed
 * bytes of a whole manifest (c2ma) superbox.  The store is rebuilt with every one expanded, so the
 * reader then reads it as any other; the decompression is streamed and capped at PROV_MAX_STORE,
 * so a small bomb costs no more than a large honest store. */
#include "prov_int.h"

#include <brotli/decode.h>
#include <stdlib.h>
#include <string.h>

#define K_COMPRESSED FOURCC('c', '2', 'c', 'm')

int prov_store_has_compressed(const struct jumbf *j)
{
    for (int b = j->b[0].first; b >= 0; b = j->b[b].next)
        if (jumbf_kind(j, b) == K_COMPRESSED) return 1;
    return 0;
}

static void put_be32(struct strbuf *b, size_t at, uint32_t v)
{
    uint8_t *p = (uint8_t *)b->s + at;
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* A c2cm superbox holds a "brob" box: the brotli-compressed bytes of a whole c2ma superbox.  The
 * store is rebuilt with each one expanded, the whole bounded by PROV_MAX_STORE. */
int prov_store_expand(const struct jumbf *j, struct strbuf *out, char *why, size_t why_cap)
{
    const struct jbox *root = &j->b[0];
    if (root->hdr != 8) {
        snprintf(why, why_cap, "%s", "a compressed store with a long box header");
        return -1;
    }
    /* the root's header and description box, then its children */
    int first = root->first;
    size_t desc_end = first >= 0 ? j->b[first].off : root->off + root->len;
    sb_add(out, (const char *)j->buf + root->off, desc_end - root->off);
    for (int b = first; b >= 0; b = j->b[b].next) {
        const struct jbox *bx = &j->b[b];
        if (jumbf_kind(j, b) != K_COMPRESSED) {
            sb_add(out, (const char *)j->buf + bx->off, bx->len);
            continue;
        }
        int br = jumbf_content(j, b, FOURCC('b', 'r', 'o', 'b'));
        size_t n;
        const uint8_t *p = br >= 0 ? jumbf_payload(j, br, &n) : NULL;
        if (!p) {
            snprintf(why, why_cap, "%s", "a compressed manifest without its brotli box");
            return -1;
        }
        /* streamed in 64 KiB steps, so a small bomb costs no more than the cap */
        BrotliDecoderState *st = BrotliDecoderCreateInstance(NULL, NULL, NULL);
        size_t avail_in = n, start = out->len;
        const uint8_t *next_in = p;
        BrotliDecoderResult r = BROTLI_DECODER_RESULT_ERROR;
        uint8_t chunk[65536];
        while (st) {
            size_t avail_out = sizeof chunk;
            uint8_t *next_out = chunk;
            r = BrotliDecoderDecompressStream(st, &avail_in, &next_in, &avail_out, &next_out, NULL);
            sb_add(out, (const char *)chunk, sizeof chunk - avail_out);
            if (out->len > PROV_MAX_STORE || r != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) break;
        }
        BrotliDecoderDestroyInstance(st);
        if (out->len > PROV_MAX_STORE) {
            snprintf(why, why_cap, "%s", "a compressed manifest larger than 16 MiB");
            return -1;
        }
        if (r != BROTLI_DECODER_RESULT_SUCCESS || out->len - start < 8) {
            snprintf(why, why_cap, "%s", "a compressed manifest that does not decompress");
            return -1;
        }
    }
    if (out->len > PROV_MAX_STORE || out->len > UINT32_MAX) {
        snprintf(why, why_cap, "%s", "manifest store larger than 16 MiB");
        return -1;
    }
    put_be32(out, 0, (uint32_t)out->len);
    return 0;
}
