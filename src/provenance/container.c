/* SPDX-License-Identifier: ISC */
/* Finding the manifest store and the XMP packet inside JPEG, PNG, WebP (RIFF) and ISO BMFF (MP4,
 * MOV, HEIF) files.  Only the framing is read here: marker segments, chunks, top-level boxes, each
 * length checked against what is left, so a cut-off file (the head of a video) ends the walk
 * cleanly with `truncated` set. */
#include "prov_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const uint8_t C2PA_BMFF_UUID[16] = {0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C,
                                           0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81};
static const uint8_t XMP_BMFF_UUID[16] = {0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8,
                                          0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC};
static const char XMP_APP1[] = "http://ns.adobe.com/xap/1.0/";   /* + NUL = 29 bytes */
#define BMFF_MAX_NESTING 64
static const uint8_t PNG_SIG[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

int prov_sniff(const uint8_t *p, size_t n, char container[8])
{
    container[0] = 0;
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) strcpy(container, "jpeg");
    else if (n >= 8 && !memcmp(p, PNG_SIG, 8)) strcpy(container, "png");
    else if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4)) strcpy(container, "webp");
    else if (n >= 12 && (!memcmp(p + 4, "ftyp", 4) || !memcmp(p + 4, "uuid", 4) ||
                         !memcmp(p + 4, "moov", 4) || !memcmp(p + 4, "styp", 4)))
        strcpy(container, "bmff");     /* styp: a DASH/HLS media segment (.m4s) */
    else
        return prov_sniff_more(p, n, container);
    return 0;
}

static void set_err(struct prov_carrier *c, const char *msg)
{
    if (!c->error[0]) snprintf(c->error, sizeof c->error, "%s", msg);
}

/* JPEG: APP11 segments carry the store in pieces: CI "JP", En (box instance), Z (sequence), then
 * the JUMBF bytes; every continuation repeats the 8-byte LBox/TBox, which is dropped when joining. */
static void locate_jpeg(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    struct strbuf sb;
    sb_init(&sb);
    int en = -1;
    uint32_t seq = 0;
    size_t pos = 2;
    int in_store = 0;
    while (pos < n) {
        if (p[pos] != 0xFF) break;     /* not a marker: the metadata part is over, for us */
        while (pos < n && p[pos] == 0xFF) pos++;     /* fill bytes */
        if (pos >= n) { c->truncated = 1; break; }
        uint8_t m = p[pos++];
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue;   /* no length */
        if (m == 0xD9 || m == 0xDA) break;           /* EOI, SOS: metadata is over */
        if (n - pos < 2) { c->truncated = 1; break; }
        size_t lp = (size_t)p[pos] << 8 | p[pos + 1];
        if (lp < 2) break;
        if (lp > n - pos) {
            c->truncated = 1;
            /* a cut APP11 that continues or starts a store: the store is cut too */
            size_t have = n - pos - 2;
            const uint8_t *s = p + pos + 2;
            if (m == 0xEB && have >= 4 && s[0] == 'J' && s[1] == 'P' &&
                (in_store || (have >= 28 && !memcmp(s + 24, "c2pa", 4))))
                c->store_cut = 1;
            break;
        }
        const uint8_t *seg = p + pos + 2;
        size_t sl = lp - 2;
        size_t seg_start = pos - 2;                  /* at the FF of the marker */
        if (m == 0xEB && sl > 16 && seg[0] == 'J' && seg[1] == 'P') {
            int this_en = seg[2] << 8 | seg[3];
            uint32_t z = be32(seg + 4);
            if (in_store && this_en == en) {
                if (z <= seq) {
                    set_err(c, "JPEG APP11 manifest segments out of order");
                } else if (sb.len + (sl - 16) > PROV_MAX_STORE) {
                    set_err(c, "manifest store larger than 16 MiB");
                } else {
                    sb_add(&sb, (const char *)seg + 16, sl - 16);
                    seq = z;
                    c->carrier_end = pos + lp;
                }
            } else if (sl > 28 && !memcmp(seg + 24, "c2pa", 4)) {
                c->n_stores++;
                if (c->n_stores == 1) {
                    in_store = 1;
                    en = this_en;
                    seq = z;
                    sb_add(&sb, (const char *)seg + 8, sl - 8);
                    c->carrier_off = seg_start;
                    c->carrier_end = pos + lp;
                }
            }
        } else if (m == 0xE1 && !c->xmp && sl > sizeof XMP_APP1 &&
                   !memcmp(seg, XMP_APP1, sizeof XMP_APP1)) {
            c->xmp = seg + sizeof XMP_APP1;
            c->xmp_len = sl - sizeof XMP_APP1;
        }
        pos += lp;
    }
    if (in_store) {
        c->store_len = sb.len;
        c->store_buf = (uint8_t *)sb_steal(&sb);
        c->store = c->store_buf;
    }
    sb_free(&sb);
}

/* A compressed iTXt XMP packet: inflated, at most PROV_MAX_XMP bytes of it (a zlib bomb stops
 * there); nothing when the stream is broken. */
static void inflate_xmp(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK) return;
    uint8_t *out = xmalloc(PROV_MAX_XMP);
    zs.next_in = (Bytef *)p;
    zs.avail_in = n > UINT_MAX ? UINT_MAX : (uInt)n;
    zs.next_out = out;
    zs.avail_out = PROV_MAX_XMP;
    int r = inflate(&zs, Z_FINISH);
    size_t got = PROV_MAX_XMP - zs.avail_out;
    inflateEnd(&zs);
    if ((r != Z_STREAM_END && r != Z_BUF_ERROR && r != Z_OK) || !got) {
        free(out);
        return;
    }
    c->xmp_buf = out;
    c->xmp = out;
    c->xmp_len = got;
}

static void png_text_hint(const uint8_t *d, size_t l, struct prov_carrier *c)
{
    /* keywords AI front ends write into PNG text chunks; weak, but telling */
    static const struct { const char *kw; const char *what; } hints[] = {
        {"parameters", "PNG text \"parameters\" (Stable Diffusion web UI)"},
        {"prompt", "PNG text \"prompt\" (ComfyUI)"},
        {"workflow", "PNG text \"workflow\" (ComfyUI)"},
        {"Dream", "PNG text \"Dream\" (InvokeAI)"},
        {"sd-metadata", "PNG text \"sd-metadata\" (InvokeAI)"},
    };
    if (c->heuristic[0]) return;
    const uint8_t *nul = memchr(d, 0, l < 80 ? l : 80);
    if (!nul) return;
    size_t kl = (size_t)(nul - d);
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strlen(hints[i].kw) == kl && !memcmp(d, hints[i].kw, kl)) {
            snprintf(c->heuristic, sizeof c->heuristic, "%s", hints[i].what);
            return;
        }
}

static void locate_png(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    size_t pos = 8;
    while (pos < n) {
        if (n - pos < 12) { c->truncated = 1; break; }
        uint32_t len = be32(p + pos);
        const uint8_t *type = p + pos + 4;
        if (len > 0x7FFFFFFFu || len > n - pos - 12) {
            c->truncated = 1;
            if (!memcmp(type, "caBX", 4)) c->store_cut = 1;
            break;
        }
        const uint8_t *d = p + pos + 8;
        if (!memcmp(type, "caBX", 4)) {
            c->n_stores++;
            if (c->n_stores == 1) {
                c->store = d;
                c->store_len = len;
                c->carrier_off = pos;
                c->carrier_end = pos + 12 + len;
            }
        } else if (!memcmp(type, "iTXt", 4) && !c->xmp && len > 22 &&
                   !memcmp(d, "XML:com.adobe.xmp", 18)) {
            /* keyword\0 compression-flag method lang\0 translated\0 text */
            const uint8_t *q = d + 18, *e = d + len;
            if (e - q >= 2 && (q[0] == 0 || q[0] == 1)) {   /* flag: plain or zlib */
                q += 2;
                const uint8_t *z = memchr(q, 0, (size_t)(e - q));
                if (z) z = memchr(z + 1, 0, (size_t)(e - z - 1));
                if (z && d[18] == 0) {
                    c->xmp = z + 1;
                    c->xmp_len = (size_t)(e - z - 1);
                } else if (z && d[18] == 1 && d[19] == 0) {
                    inflate_xmp(z + 1, (size_t)(e - z - 1), c);   /* zlib, capped */
                }
            }
        } else if (!memcmp(type, "tEXt", 4) || !memcmp(type, "iTXt", 4)) {
            png_text_hint(d, len, c);
        } else if (!memcmp(type, "IEND", 4)) {
            break;
        }
        pos += 12 + (size_t)len;
    }
}

static void locate_webp(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    uint64_t riff_end = (uint64_t)le32(p + 4) + 8;
    size_t end = riff_end < n ? (size_t)riff_end : n;
    if (riff_end > n) {
        c->truncated = 1;
        /* c2pa-rs refuses the whole file then; the head of a longer one is short by nature */
        snprintf(c->whole_error, sizeof c->whole_error, "%s", "Invalid RIFF format: the file is shorter than its header says");
    }
    size_t pos = 12;
    while (pos < end) {
        if (end - pos < 8) { c->truncated = 1; break; }
        uint32_t len = le32(p + pos + 4);
        if (len > end - pos - 8) {
            c->truncated = 1;
            if (!memcmp(p + pos, "C2PA", 4)) c->store_cut = 1;
            break;
        }
        const uint8_t *d = p + pos + 8;
        size_t full = 8 + (size_t)len + (len & 1);
        if (!memcmp(p + pos, "C2PA", 4)) {
            c->n_stores++;
            if (c->n_stores == 1) {
                c->store = d;
                c->store_len = len;
                c->carrier_off = pos;
                c->carrier_end = pos + full > end ? end : pos + full;
            }
        } else if (!memcmp(p + pos, "XMP ", 4) && !c->xmp) {
            c->xmp = d;
            c->xmp_len = len;
        }
        if (full > end - pos) break;
        pos += full;
    }
}

/* Container boxes nest; c2pa-rs refuses a file nested deeper than any real one is (a forged
 * moov in a moov a thousand times), so the walk below looks as deep, with a bound. */
static int bmff_nesting_ok(const uint8_t *p, size_t off, size_t end, int depth)
{
    static const char *const containers[] = {"moov", "trak", "mdia", "minf", "stbl", "udta", "edts", "dinf",
                                             "moof", "traf", "mvex", "sinf", "schi"};
    if (depth > BMFF_MAX_NESTING) return 0;
    while (end - off >= 8) {
        uint64_t size = be32(p + off);
        size_t hdr = 8;
        if (size == 1 && end - off >= 16) {
            size = (uint64_t)be32(p + off + 8) << 32 | be32(p + off + 12);
            hdr = 16;
        } else if (size == 0) {
            size = end - off;
        }
        if (size < hdr || size > end - off) return 1;     /* the hash checks judge the rest */
        for (size_t i = 0; i < sizeof containers / sizeof containers[0]; i++)
            if (!memcmp(p + off + 4, containers[i], 4) && !bmff_nesting_ok(p, off + hdr, off + (size_t)size, depth + 1))
                return 0;
        off += (size_t)size;
    }
    return 1;
}

/* ISO BMFF: only top-level boxes matter here; the C2PA uuid box must come before moov and mdat,
 * so the head of a large video is enough to find it. */
static void locate_bmff(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    size_t pos = 0;
    int c2pa_other = 0;
    while (pos < n) {
        if (n - pos < 8) { c->truncated = 1; break; }
        uint64_t size = be32(p + pos);
        size_t hdr = 8;
        if (size == 1) {
            if (n - pos < 16) { c->truncated = 1; break; }
            size = (uint64_t)be32(p + pos + 8) << 32 | be32(p + pos + 12);
            hdr = 16;
        } else if (size == 0) {
            size = n - pos;
        }
        if (size < hdr) break;
        int whole = size <= n - pos;
        size_t avail = whole ? (size_t)size : n - pos;
        if (!memcmp(p + pos + 4, "uuid", 4) && avail >= hdr + 16) {
            const uint8_t *u = p + pos + hdr;
            const uint8_t *d = u + 16;
            size_t dl = avail - hdr - 16;
            if (!memcmp(u, C2PA_BMFF_UUID, 16)) {
                if (!whole) { c->truncated = 1; c->store_cut = 1; break; }
                /* version+flags u32, purpose\0, then for manifest/original a u64 merkle offset */
                const uint8_t *z = dl > 4 ? memchr(d + 4, 0, dl - 4) : NULL;
                if (!z) { set_err(c, "C2PA box without its purpose"); break; }
                const char *purpose = (const char *)d + 4;
                size_t skip = (size_t)(z - d) + 1;
                if (!strcmp(purpose, "manifest") || !strcmp(purpose, "original")) {
                    if (dl - skip < 8) { set_err(c, "C2PA box cut short"); break; }
                    skip += 8;
                    c->n_stores++;
                    if (c->n_stores == 1) {
                        c->store = d + skip;
                        c->store_len = dl - skip;
                        c->carrier_off = pos;
                        c->carrier_end = pos + (size_t)size;
                    }
                } else {
                    /* "update" and "merkle" boxes need the original store; read it alone */
                    c2pa_other = 1;
                }
            } else if (!memcmp(u, XMP_BMFF_UUID, 16) && !c->xmp && whole) {
                c->xmp = d;
                c->xmp_len = dl;
            }
        }
        if (!whole) { c->truncated = 1; break; }
        if (!memcmp(p + pos + 4, "moov", 4) && !bmff_nesting_ok(p, pos + hdr, pos + (size_t)size, 1)) {
            set_err(c, "boxes are nested too deeply");
            break;
        }
        pos += (size_t)size;
    }
    /* a segment's Merkle box without the init segment's store: c2pa-rs says no manifest is readable */
    if (c2pa_other && !c->n_stores && !c->truncated) set_err(c, "a C2PA box without a readable manifest");
}

void prov_locate(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    memset(c, 0, sizeof *c);
    if (prov_sniff(p, n, c->container) < 0) return;
    if (!strcmp(c->container, "jpeg")) locate_jpeg(p, n, c);
    else if (!strcmp(c->container, "png")) locate_png(p, n, c);
    else if (!strcmp(c->container, "webp")) locate_webp(p, n, c);
    else if (!strcmp(c->container, "bmff")) locate_bmff(p, n, c);
    else prov_locate_more(p, n, c);
    /* A store only the JUMBF reader can judge; but one that is not a superbox at all is framing. */
    if (c->store && c->store_len < 8) set_err(c, "manifest store shorter than a box header");
    if (c->xmp && c->xmp_len > PROV_MAX_XMP) c->xmp_len = PROV_MAX_XMP;
}

void prov_carrier_free(struct prov_carrier *c)
{
    free(c->store_buf);
    c->store_buf = NULL;
    free(c->xmp_buf);
    c->xmp_buf = NULL;
    c->xmp = NULL;
    c->store = NULL;
}
