/* SPDX-License-Identifier: ISC */
/* The hard bindings between a manifest and the asset's bytes: the data hash with exclusion ranges
 * (JPEG, PNG, WebP), the PNG box hash, and the ISO BMFF hash (v1: the file minus excluded boxes;
 * v2: the same with each hashed top-level box preceded by its file offset as a u64be). */
#include "prov_int.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

const EVP_MD *prov_md(const char *alg)
{
    if (!alg) return NULL;
    if (!strcmp(alg, "sha256")) return EVP_sha256();
    if (!strcmp(alg, "sha384")) return EVP_sha384();
    if (!strcmp(alg, "sha512")) return EVP_sha512();
    return NULL;
}

int prov_digest(const EVP_MD *md, const uint8_t *p, size_t n, uint8_t *out, unsigned *out_len)
{
    return EVP_Digest(p, n, out, out_len, md, NULL) == 1 ? 0 : -1;
}

static int cmp_range(const void *a, const void *b)
{
    const struct prov_range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The file mapped by prov_scan_file, if any: hashed stretches of it are handed back to the kernel
 * as the hash moves on, so a 50 MB video costs a window of memory, not 50 MB (the pages are the
 * file's own, read again from the page cache if a second hash passes over them). */
static __thread const uint8_t *mapped;
static __thread size_t mapped_len;

void prov_hash_mapped(const uint8_t *p, size_t n)
{
    mapped = p;
    mapped_len = n;
}

#define FEED_WINDOW (1u << 20)

void prov_hash_feed(EVP_MD_CTX *ctx, const uint8_t *p, size_t n)
{
    long pg = sysconf(_SC_PAGESIZE);
    size_t page = pg > 0 ? (size_t)pg : 4096;
    while (n) {
        size_t k = n < FEED_WINDOW ? n : FEED_WINDOW;
        EVP_DigestUpdate(ctx, p, k);
        if (mapped && p >= mapped && p + k <= mapped + mapped_len) {
            /* whole pages inside what was just hashed */
            uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
            uintptr_t e = ((uintptr_t)(p + k)) & ~(uintptr_t)(page - 1);
            if (e > a) madvise((void *)a, e - a, MADV_DONTNEED);
        }
        p += k;
        n -= k;
    }
}

int prov_hash_excluding(const EVP_MD *md, const uint8_t *p, size_t n, struct prov_range *ex, size_t n_ex,
                        uint8_t *out, unsigned *out_len)
{
    qsort(ex, n_ex, sizeof *ex, cmp_range);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, md, NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return -1;
    }
    uint64_t pos = 0;
    int rc = 0;
    for (size_t i = 0; i < n_ex && rc == 0; i++) {
        if (ex[i].start < pos || ex[i].start > n || ex[i].len > n - ex[i].start) rc = -1;
        else {
            prov_hash_feed(ctx, p + pos, (size_t)(ex[i].start - pos));
            pos = ex[i].start + ex[i].len;
        }
    }
    if (rc == 0) {
        prov_hash_feed(ctx, p + pos, (size_t)(n - pos));
        if (EVP_DigestFinal_ex(ctx, out, out_len) != 1) rc = -1;
    }
    EVP_MD_CTX_free(ctx);
    return rc;
}

static const EVP_MD *md_of(const cbor_item_t *a, const char *claim_alg)
{
    char alg[16];
    if (cbx_text(cbx_get(a, "alg"), alg, sizeof alg) == 0) return prov_md(alg);
    return prov_md(claim_alg);
}

static int hash_eq(const cbor_item_t *want, const uint8_t *got, unsigned got_len)
{
    const uint8_t *w;
    size_t wl;
    return cbx_bytes(want, &w, &wl) == 0 && wl == got_len && !memcmp(w, got, wl);
}

/* ---- PNG box hash ---- */

int prov_png_boxes_check(const cbor_item_t *a, const char *claim_alg, const uint8_t *p, size_t n,
                         char *why, size_t why_cap)
{
    cbor_item_t *boxes = cbx_get(a, "boxes");
    if (!boxes || !cbor_isa_array(boxes) || n < 8) {
        snprintf(why, why_cap, "box hash without boxes");
        return -1;
    }
    size_t pos = 8;                              /* after the signature, "PNGh" */
    size_t nb = cbor_array_size(boxes);
    for (size_t i = 0; i < nb; i++) {
        cbor_item_t *e = cbor_array_get(boxes, i);
        cbor_item_t *names = cbx_get(e, "names");
        const EVP_MD *md = md_of(e, NULL);
        if (!md) md = md_of(a, claim_alg);
        int rc = -2;
        if (!md || !names || !cbor_isa_array(names) || !cbor_array_size(names)) {
            snprintf(why, why_cap, "box hash entry %zu unreadable", i);
            rc = -1;
        }
        EVP_MD_CTX *ctx = rc == -2 ? EVP_MD_CTX_new() : NULL;
        if (ctx) EVP_DigestInit_ex(ctx, md, NULL);
        int skip = 0;
        for (size_t k = 0; rc == -2 && k < cbor_array_size(names); k++) {
            char name[8];
            if (cbx_text(cbor_array_handle(names)[k], name, sizeof name) < 0) { rc = -1; break; }
            if (!strcmp(name, "PNGh")) {
                EVP_DigestUpdate(ctx, p, 8);
                continue;
            }
            if (n - pos < 12) { snprintf(why, why_cap, "box hash runs past the file"); rc = 0; break; }
            uint32_t len = (uint32_t)p[pos] << 24 | (uint32_t)p[pos + 1] << 16 | (uint32_t)p[pos + 2] << 8 | p[pos + 3];
            if (len > n - pos - 12) { snprintf(why, why_cap, "PNG chunk runs past the file"); rc = 0; break; }
            const char *type = (const char *)p + pos + 4;
            int is_c2pa = !strcmp(name, "C2PA") && !memcmp(type, "caBX", 4);
            if (!is_c2pa && (strlen(name) != 4 || memcmp(type, name, 4))) {
                snprintf(why, why_cap, "box hash names %s where the file has %.4s", name, type);
                rc = 0;
                break;
            }
            if (is_c2pa) skip = 1;              /* the store cannot hash itself */
            else prov_hash_feed(ctx, p + pos, 12 + (size_t)len);
            pos += 12 + (size_t)len;
        }
        if (rc == -2 && !skip) {
            uint8_t h[EVP_MAX_MD_SIZE];
            unsigned hl = 0;
            EVP_DigestFinal_ex(ctx, h, &hl);
            if (!hash_eq(cbx_get(e, "hash"), h, hl)) {
                snprintf(why, why_cap, "box hash of entry %zu does not match", i);
                rc = 0;
            }
        }
        EVP_MD_CTX_free(ctx);
        cbor_decref(&e);
        if (rc != -2) return rc;
    }
    if (pos != n) {
        /* every chunk must be covered; only trailing bytes after IEND are left alone */
        snprintf(why, why_cap, "box hash leaves %zu bytes unhashed", n - pos);
        return 0;
    }
    return 1;
}

/* JPEG as c2pa-rs names it for box hashes: SOI, each marker segment by its marker's name, the
 * manifest store's APP11 segments as one "C2PA", SOS with all the entropy-coded data up to the
 * next marker that is not a restart (RSTn markers inside are boxes of their own, two bytes each,
 * after it), EOI.  Fills at most cap boxes; returns how many, or -1 when the walk fails. */
struct jseg { char name[8]; size_t start, end; };

static void jpeg_name(uint8_t m, char out[8])
{
    if (m >= 0xE0 && m <= 0xEF) snprintf(out, 8, "APP%d", m - 0xE0);
    else if (m >= 0xD0 && m <= 0xD7) snprintf(out, 8, "RST%d", m - 0xD0);
    else if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) snprintf(out, 8, "SOF%d", m - 0xC0);
    else if (m == 0xC4) snprintf(out, 8, "DHT");
    else if (m == 0xDB) snprintf(out, 8, "DQT");
    else if (m == 0xDD) snprintf(out, 8, "DRI");
    else if (m == 0xDA) snprintf(out, 8, "SOS");
    else if (m == 0xD8) snprintf(out, 8, "SOI");
    else if (m == 0xD9) snprintf(out, 8, "EOI");
    else if (m == 0xFE) snprintf(out, 8, "COM");
    else snprintf(out, 8, "M%02X", m);
}

static long jpeg_boxes(const uint8_t *p, size_t n, struct jseg *out, size_t cap)
{
    size_t pos = 0, nb = 0;
    while (pos < n) {
        if (n - pos < 2 || p[pos] != 0xFF || nb == cap) return -1;
        uint8_t m = p[pos + 1];
        size_t end;
        if (m == 0xD8 || m == 0xD9) {
            end = pos + 2;
        } else if (m >= 0xD0 && m <= 0xD7) {
            end = pos + 2;
        } else {
            if (n - pos < 4) return -1;
            end = pos + 2 + ((size_t)p[pos + 2] << 8 | p[pos + 3]);
            if (end > n || end < pos + 4) return -1;
        }
        size_t first_rst = nb + 1, n_rst = 0;
        if (m == 0xDA) {
            /* entropy-coded data (FF00 is a stuffed byte, FFFF fill) and its restart markers */
            for (;;) {
                while (end + 1 < n && !(p[end] == 0xFF && p[end + 1] != 0x00 && p[end + 1] != 0xFF)) end++;
                if (end + 1 >= n) { end = n; break; }
                if (p[end + 1] < 0xD0 || p[end + 1] > 0xD7) break;
                if (first_rst + n_rst >= cap) return -1;
                struct jseg *r = &out[first_rst + n_rst++];
                jpeg_name(p[end + 1], r->name);
                r->start = end;
                r->end = end + 2;
                end += 2;
            }
        }
        int store = m == 0xEB && end - pos > 8 && p[pos + 4] == 'J' && p[pos + 5] == 'P';
        if (store && nb && !strcmp(out[nb - 1].name, "C2PA")) {
            out[nb - 1].end = end;           /* the store's segments are one box */
        } else {
            if (store) snprintf(out[nb].name, sizeof out[nb].name, "C2PA");
            else jpeg_name(m, out[nb].name);
            out[nb].start = pos;
            out[nb].end = end;
            nb += 1 + n_rst;
        }
        pos = end;
        if (m == 0xD9) break;
    }
    return pos == n ? (long)nb : -1;
}

/* GIF as c2pa-rs names it: "GIF89a" (the header), "LSD" (screen descriptor and global colour
 * table), each extension by its introducer and label ("21FF", "21F9"; the C2PA one is "C2PA"),
 * each image as "2C" (descriptor and local colour table) then "TBID" (its LZW data), "3B". */
static size_t gif_sub_blocks(const uint8_t *p, size_t n, size_t pos)
{
    while (pos < n && p[pos]) pos += 1 + (size_t)p[pos];
    return pos < n ? pos + 1 : 0;
}

static long gif_boxes(const uint8_t *p, size_t n, struct jseg *out, size_t cap)
{
    if (n < 13) return -1;
    size_t pos = 13, nb = 0;
    if (p[10] & 0x80) pos += 3u << ((p[10] & 7) + 1);
    if (pos > n || cap < 2) return -1;
    out[nb++] = (struct jseg){"", 0, 6};
    snprintf(out[0].name, sizeof out[0].name, "%.6s", (const char *)p);
    out[nb++] = (struct jseg){"LSD", 6, pos};
    while (pos < n) {
        if (nb + 2 > cap) return -1;
        struct jseg *s = &out[nb];
        s->start = pos;
        if (p[pos] == 0x3B) {
            snprintf(s->name, sizeof s->name, "3B");
            s->end = pos + 1;
            nb++;
            pos++;
            break;
        }
        if (p[pos] == 0x21 && n - pos >= 2) {
            int c2pa = p[pos + 1] == 0xFF && n - pos >= 14 && p[pos + 2] == 11 && !memcmp(p + pos + 3, "C2PA_GIF", 8);
            if (c2pa) snprintf(s->name, sizeof s->name, "C2PA");
            else snprintf(s->name, sizeof s->name, "21%02X", p[pos + 1]);
            s->end = gif_sub_blocks(p, n, pos + 2);
        } else if (p[pos] == 0x2C && n - pos >= 10) {
            size_t q = pos + 10;
            if (p[pos + 9] & 0x80) q += 3u << ((p[pos + 9] & 7) + 1);
            snprintf(s->name, sizeof s->name, "2C");
            s->end = q;
            if (q >= n) return -1;
            out[++nb] = (struct jseg){"TBID", q, gif_sub_blocks(p, n, q + 1)};
            if (!out[nb].end) return -1;
            s = &out[nb];
        } else {
            return -1;
        }
        if (!s->end) return -1;
        pos = s->end;
        nb++;
    }
    return pos == n ? (long)nb : -1;
}

#define BOX_MAX_SEGMENTS 65536

/* c2pa.hash.boxes against a container's boxes in order: each entry names one or more of them and
 * hashes their bytes, the C2PA one excluded; every box must be covered. */
static int boxes_match(const cbor_item_t *a, const char *claim_alg, const uint8_t *p, const struct jseg *seg,
                       long ns, char *why, size_t why_cap)
{
    cbor_item_t *boxes = cbx_get(a, "boxes");
    if (!boxes || !cbor_isa_array(boxes)) {
        snprintf(why, why_cap, "box hash without boxes");
        return -1;
    }
    if (ns < 0) {
        snprintf(why, why_cap, "the file's boxes cannot be walked for its box hash");
        return 0;
    }
    int rc = 1;
    size_t si = 0;
    for (size_t i = 0; rc == 1 && i < cbor_array_size(boxes); i++) {
        cbor_item_t *e = cbor_array_handle(boxes)[i];
        cbor_item_t *names = cbx_get(e, "names");
        const EVP_MD *md = md_of(e, NULL);
        if (!md) md = md_of(a, claim_alg);
        if (!md || !names || !cbor_isa_array(names) || !cbor_array_size(names)) {
            snprintf(why, why_cap, "box hash entry %zu unreadable", i);
            return -1;
        }
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_DigestInit_ex(ctx, md, NULL);
        int skip = 0;
        for (size_t k = 0; rc == 1 && k < cbor_array_size(names); k++, si++) {
            char name[8];
            if (cbx_text(cbor_array_handle(names)[k], name, sizeof name) < 0 || si >= (size_t)ns ||
                strcmp(name, seg[si].name)) {
                snprintf(why, why_cap, "the box hash names %s where the file has %s", name,
                         si < (size_t)ns ? seg[si].name : "nothing");
                rc = 0;
                break;
            }
            if (!strcmp(name, "C2PA")) skip = 1;   /* the store cannot hash itself */
            else prov_hash_feed(ctx, p + seg[si].start, seg[si].end - seg[si].start);
        }
        if (rc == 1 && !skip) {
            uint8_t h[EVP_MAX_MD_SIZE];
            unsigned hl = 0;
            EVP_DigestFinal_ex(ctx, h, &hl);
            if (!hash_eq(cbx_get(e, "hash"), h, hl)) {
                snprintf(why, why_cap, "box hash of entry %zu (%s) does not match", i, seg[si - 1].name);
                rc = 0;
            }
        }
        EVP_MD_CTX_free(ctx);
    }
    if (rc == 1 && si != (size_t)ns) {
        snprintf(why, why_cap, "the box hash leaves %ld boxes unhashed", ns - (long)si);
        rc = 0;
    }
    return rc;
}

/* The box hash check over the segments a container's reader finds (jpeg_boxes, gif_boxes). */
static int boxes_check(long (*boxes)(const uint8_t *, size_t, struct jseg *, size_t), const cbor_item_t *a,
                       const char *claim_alg, const uint8_t *p, size_t n, char *why, size_t why_cap)
{
    struct jseg *seg = xmalloc(sizeof *seg * BOX_MAX_SEGMENTS);
    int rc = boxes_match(a, claim_alg, p, seg, boxes(p, n, seg, BOX_MAX_SEGMENTS), why, why_cap);
    free(seg);
    return rc;
}

int prov_jpeg_boxes_check(const cbor_item_t *a, const char *claim_alg, const uint8_t *p, size_t n, char *why,
                          size_t why_cap)
{
    return boxes_check(jpeg_boxes, a, claim_alg, p, n, why, why_cap);
}

int prov_gif_boxes_check(const cbor_item_t *a, const char *claim_alg, const uint8_t *p, size_t n, char *why,
                         size_t why_cap)
{
    return boxes_check(gif_boxes, a, claim_alg, p, n, why, why_cap);
}

/* ---- ISO BMFF hash ---- */

struct bbox { size_t off, len, hdr; uint32_t type; };

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads a box header at off inside [off, end). */
static int bmff_box(const uint8_t *p, size_t off, size_t end, struct bbox *b)
{
    if (end - off < 8) return -1;
    uint64_t size = be32(p + off);
    b->hdr = 8;
    if (size == 1) {
        if (end - off < 16) return -1;
        size = (uint64_t)be32(p + off + 8) << 32 | be32(p + off + 12);
        b->hdr = 16;
    } else if (size == 0) {
        size = end - off;
    }
    if (size < b->hdr || size > end - off) return -1;
    b->off = off;
    b->len = (size_t)size;
    b->type = be32(p + off + 4);
    return 0;
}

#define BMFF_MAX_MATCH 1024
#define BMFF_MAX_EX 4096
#define BMFF_MAX_XPATHS 256     /* real assertions carry about ten */

/* Does a box satisfy an exclusion's data / version / flags / length conditions? */
static int ex_conditions(const cbor_item_t *ex, const uint8_t *p, const struct bbox *b)
{
    int64_t v;
    if (cbx_int(cbx_get(ex, "length"), &v) == 0 && (uint64_t)v != b->len) return 0;
    cbor_item_t *data = cbx_get(ex, "data");
    if (data && cbor_isa_array(data)) {
        for (size_t i = 0; i < cbor_array_size(data); i++) {
            cbor_item_t *d = cbor_array_handle(data)[i];
            int64_t o;
            const uint8_t *val;
            size_t vl;
            if (cbx_int(cbx_get(d, "offset"), &o) < 0 || o < 0 || cbx_bytes(cbx_get(d, "value"), &val, &vl) < 0)
                return 0;
            if ((uint64_t)o > b->len || vl > b->len - (size_t)o || memcmp(p + b->off + o, val, vl)) return 0;
        }
    }
    /* FullBox version and flags follow the (8-byte) header */
    int has_ver = cbx_int(cbx_get(ex, "version"), &v) == 0;
    const uint8_t *fl;
    size_t fll;
    int has_flags = cbx_bytes(cbx_get(ex, "flags"), &fl, &fll) == 0;
    if (has_ver || has_flags) {
        if (b->len < b->hdr + 4) return 0;
        const uint8_t *vf = p + b->off + b->hdr;
        if (has_ver && vf[0] != v) return 0;
        if (has_flags) {
            if (fll != 3) return 0;
            int exact = 0;
            cbx_bool(cbx_get(ex, "exact"), &exact);
            for (int i = 0; i < 3; i++) {
                if (exact ? vf[1 + i] != fl[i] : (vf[1 + i] & fl[i]) != fl[i]) return 0;
            }
        }
    }
    return 1;
}

/* Boxes matching an xpath such as "/moov/trak/mdia/minf/stbl/stco" or "/moov[1]/trak[2]"; only
 * the boxes the path names are descended into, breadth first, with a cap on the matches. */
static size_t xpath_match(const uint8_t *p, size_t n, const char *xpath, struct bbox *out, size_t cap)
{
    struct bbox *cur = xmalloc(sizeof *cur * BMFF_MAX_MATCH), *next = xmalloc(sizeof *next * BMFF_MAX_MATCH);
    size_t ncur = 0, nnext;
    int top = 1;
    const char *s = xpath;
    if (*s != '/') goto none;
    while (*s == '/') {
        s++;
        char name[5] = {0};
        size_t k = 0;
        while (*s && *s != '/' && *s != '[' && k < 4) name[k++] = *s++;
        if (!k) goto none;
        while (k < 4) name[k++] = ' ';          /* "url " may be written without its space */
        long index = 0;
        if (*s == '[') {
            index = strtol(s + 1, (char **)&s, 10);
            if (*s != ']' || index < 1) goto none;
            s++;
        }
        if (*s && *s != '/') goto none;
        uint32_t want = be32((const uint8_t *)name);
        nnext = 0;
        size_t nparents = top ? 1 : ncur;
        for (size_t pi = 0; pi < nparents; pi++) {
            size_t off, end;
            if (top) { off = 0; end = n; }
            else {
                off = cur[pi].off + cur[pi].hdr;
                end = cur[pi].off + cur[pi].len;
                if (cur[pi].type == be32((const uint8_t *)"meta")) off += 4;   /* FullBox */
                if (off > end) continue;
            }
            long seen = 0;
            struct bbox b;
            while (off < end && bmff_box(p, off, end, &b) == 0) {
                if (b.type == want && (index == 0 || ++seen == index) && nnext < BMFF_MAX_MATCH)
                    next[nnext++] = b;
                off += b.len;
            }
        }
        struct bbox *t = cur; cur = next; next = t;
        ncur = nnext;
        top = 0;
        if (!ncur) break;
    }
    if (*s) ncur = 0;
    if (ncur > cap) ncur = cap;
    memcpy(out, cur, ncur * sizeof *cur);
    free(cur);
    free(next);
    return ncur;
none:
    free(cur);
    free(next);
    return 0;
}

int prov_bmff_hash_check(const cbor_item_t *a, int v2, const char *claim_alg, const uint8_t *p,
                         size_t n, char *why, size_t why_cap)
{
    const EVP_MD *md = md_of(a, claim_alg);
    if (!md) md = EVP_sha256();                  /* the BMFF hash defaults to SHA-256 */
    cbor_item_t *hash = cbx_get(a, "hash");
    if (!hash) {
        /* Merkle hashes cover the media: an init segment alone holds none of it, and c2pa-rs
         * calls that a mismatch; with the media here the Merkle check is not done yet */
        int media = 0;
        struct bbox b;
        for (size_t off = 0; off < n && bmff_box(p, off, n, &b) == 0; off += b.len)
            media |= b.type == be32((const uint8_t *)"moof") || b.type == be32((const uint8_t *)"mdat");
        if (cbx_get(a, "merkle") && !media) {
            snprintf(why, why_cap, "the Merkle hashes cover media segments this file does not hold");
            return 0;
        }
        snprintf(why, why_cap, "fragmented-MP4 (Merkle) hashes are not checked yet");
        return -1;
    }
    cbor_item_t *exs = cbx_get(a, "exclusions");
    struct prov_range *ranges = xmalloc(sizeof *ranges * BMFF_MAX_EX);
    struct bbox *m = xmalloc(sizeof *m * BMFF_MAX_MATCH);
    size_t nr = 0;
    int rc = 1;
    if (exs && cbor_isa_array(exs) && cbor_array_size(exs) > BMFF_MAX_XPATHS) {
        snprintf(why, why_cap, "more than %d BMFF exclusions", BMFF_MAX_XPATHS);
        free(ranges);
        free(m);
        return -1;
    }
    for (size_t i = 0; exs && cbor_isa_array(exs) && i < cbor_array_size(exs) && rc == 1; i++) {
        cbor_item_t *ex = cbor_array_handle(exs)[i];
        char xpath[256];
        if (cbx_text(cbx_get(ex, "xpath"), xpath, sizeof xpath) < 0) {
            snprintf(why, why_cap, "BMFF exclusion without an xpath");
            rc = -1;
            break;
        }
        size_t nm = xpath_match(p, n, xpath, m, BMFF_MAX_MATCH);
        cbor_item_t *subset = cbx_get(ex, "subset");
        for (size_t k = 0; k < nm && rc == 1; k++) {
            if (!ex_conditions(ex, p, &m[k])) continue;
            if (subset && cbor_isa_array(subset)) {
                for (size_t s = 0; s < cbor_array_size(subset) && nr < BMFF_MAX_EX; s++) {
                    cbor_item_t *ss = cbor_array_handle(subset)[s];
                    int64_t so, sl;
                    if (cbx_int(cbx_get(ss, "offset"), &so) < 0 || cbx_int(cbx_get(ss, "length"), &sl) < 0 ||
                        so < 0 || sl < 0) {
                        snprintf(why, why_cap, "BMFF exclusion subset unreadable");
                        rc = -1;
                        break;
                    }
                    if ((uint64_t)so >= m[k].len) continue;
                    uint64_t len = sl == 0 || (uint64_t)sl > m[k].len - (uint64_t)so ? m[k].len - (uint64_t)so : (uint64_t)sl;
                    ranges[nr++] = (struct prov_range){m[k].off + (uint64_t)so, len};
                }
            } else if (nr < BMFF_MAX_EX) {
                ranges[nr++] = (struct prov_range){m[k].off, m[k].len};
            }
        }
    }
    free(m);
    if (rc != 1) {
        free(ranges);
        return rc;
    }
    qsort(ranges, nr, sizeof *ranges, cmp_range);
    /* merge overlaps: two exclusions may name the same bytes */
    size_t w = 0;
    for (size_t i = 0; i < nr; i++) {
        if (w && ranges[i].start <= ranges[w - 1].start + ranges[w - 1].len) {
            uint64_t e = ranges[i].start + ranges[i].len;
            if (e > ranges[w - 1].start + ranges[w - 1].len) ranges[w - 1].len = e - ranges[w - 1].start;
        } else {
            ranges[w++] = ranges[i];
        }
    }
    nr = w;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, md, NULL);
    size_t ri = 0;
    size_t off = 0;
    struct bbox b;
    while (off < n) {
        if (bmff_box(p, off, n, &b) < 0) {
            snprintf(why, why_cap, "MP4 box at byte %zu runs past the file", off);
            rc = 0;
            break;
        }
        size_t bend = b.off + b.len;
        while (ri < nr && ranges[ri].start + ranges[ri].len <= b.off) ri++;
        int whole = ri < nr && ranges[ri].start <= b.off && ranges[ri].start + ranges[ri].len >= bend;
        if (!whole) {
            if (v2) {
                uint8_t o[8];
                for (int i = 0; i < 8; i++) o[i] = (uint8_t)((uint64_t)b.off >> (56 - 8 * i));
                EVP_DigestUpdate(ctx, o, 8);
            }
            size_t pos = b.off;
            for (size_t r = ri; r < nr && ranges[r].start < bend; r++) {
                size_t rs = ranges[r].start < pos ? pos : (size_t)ranges[r].start;
                if (rs > pos) prov_hash_feed(ctx, p + pos, rs - pos);
                size_t re = (size_t)(ranges[r].start + ranges[r].len);
                if (re > pos) pos = re > bend ? bend : re;
            }
            if (pos < bend) prov_hash_feed(ctx, p + pos, bend - pos);
        }
        off = bend;
    }
    uint8_t h[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    EVP_DigestFinal_ex(ctx, h, &hl);
    EVP_MD_CTX_free(ctx);
    free(ranges);
    if (rc == 1 && !hash_eq(hash, h, hl)) {
        snprintf(why, why_cap, "the MP4's bytes do not match the BMFF hash");
        rc = 0;
    }
    return rc;
}
