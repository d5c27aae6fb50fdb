/* SPDX-License-Identifier: ISC */
/* Finding the manifest store in the formats beyond JPEG, PNG, WebP and BMFF, where c2pa-rs (the
 * reference implementation) writes it: GIF (an application extension "C2PA_GIF" whose sub-blocks
 * carry the store), TIFF and DNG (IFD0 tag 0xCD41), RIFF WAV and AVI (a top-level "C2PA" chunk),
 * MP3 and FLAC (an ID3v2 GEOB frame of type application/c2pa in a tag before the audio), JPEG XL
 * (a top-level "jumb" box of the container), SVG (base64 in <c2pa:manifest>) and PDF (an
 * uncompressed stream holding the store).  As in container.c only framing is read, every length
 * checked against what is left; carrier_off/carrier_end cover the bytes a data hash may exclude. */
#include "prov_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_IFDS 256

static uint32_t rd32(const uint8_t *p, int le)
{
    return le ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]
              : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint16_t rd16(const uint8_t *p, int le)
{
    return le ? (uint16_t)(p[1] << 8 | p[0]) : (uint16_t)(p[0] << 8 | p[1]);
}
static uint64_t rd64(const uint8_t *p, int le)
{
    return le ? (uint64_t)rd32(p + 4, 1) << 32 | rd32(p, 1) : (uint64_t)rd32(p, 0) << 32 | rd32(p + 4, 0);
}

static void set_err(struct prov_carrier *c, const char *msg)
{
    if (!c->error[0]) snprintf(c->error, sizeof c->error, "%s", msg);
}

/* One store found at [off, off+len) of the file, its framing [coff, cend). */
static void found(struct prov_carrier *c, const uint8_t *p, size_t off, size_t len, size_t coff, size_t cend)
{
    c->n_stores++;
    if (c->n_stores > 1) return;
    c->store = p + off;
    c->store_len = len;
    c->carrier_off = coff;
    c->carrier_end = cend;
}

/* ---- GIF: header, screen descriptor, colour table, then extension and image blocks ---- */

/* Skips data sub-blocks from pos; returns the position after the terminator, 0 when cut.  When
 * keep is set the sub-blocks' bytes are appended to it. */
static size_t gif_blocks(const uint8_t *p, size_t n, size_t pos, struct strbuf *keep, int *too_big)
{
    while (pos < n) {
        size_t l = p[pos++];
        if (l == 0) return pos;
        if (l > n - pos) return 0;
        if (keep) {
            if (keep->len + l > PROV_MAX_STORE) *too_big = 1;
            else sb_add(keep, (const char *)p + pos, l);
        }
        pos += l;
    }
    return 0;
}

static void locate_gif(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    if (n < 13) { c->truncated = 1; return; }
    size_t pos = 13;
    if (p[10] & 0x80) pos += 3u << ((p[10] & 7) + 1);
    struct strbuf sb;
    sb_init(&sb);
    while (pos < n) {
        uint8_t b = p[pos];
        if (b == 0x3B) break;                              /* trailer */
        size_t start = pos, next;
        if (b == 0x21) {
            if (n - pos < 2) { c->truncated = 1; break; }
            int is_c2pa = p[pos + 1] == 0xFF && n - pos >= 14 && p[pos + 2] == 11 && !memcmp(p + pos + 3, "C2PA_GIF", 8);
            int is_xmp = p[pos + 1] == 0xFF && n - pos >= 14 && p[pos + 2] == 11 && !memcmp(p + pos + 3, "XMP DataXMP", 11);
            int too_big = 0;
            if (is_c2pa) {
                c->n_stores++;
                struct strbuf *keep = c->n_stores == 1 ? &sb : NULL;
                next = gif_blocks(p, n, pos + 14, keep, &too_big);
                if (!next) { c->truncated = 1; c->store_cut = 1; break; }
                if (too_big) set_err(c, "manifest store larger than 16 MiB");
                if (c->n_stores == 1) {
                    c->carrier_off = start;
                    c->carrier_end = next;
                }
            } else {
                next = gif_blocks(p, n, pos + 2, NULL, &too_big);
                if (!next) { c->truncated = 1; break; }
                /* XMP's sub-blocks are the packet itself with a 258-byte "magic trailer" */
                if (is_xmp && !c->xmp && next - (pos + 14) > 258) {
                    c->xmp = p + pos + 14;
                    c->xmp_len = next - (pos + 14) - 258;
                }
            }
        } else if (b == 0x2C) {
            if (n - pos < 11) { c->truncated = 1; break; }
            size_t q = pos + 10;
            if (p[pos + 9] & 0x80) q += 3u << ((p[pos + 9] & 7) + 1);
            q++;                                           /* LZW minimum code size */
            int too_big = 0;
            next = q < n ? gif_blocks(p, n, q, NULL, &too_big) : 0;
            if (!next) { c->truncated = 1; break; }
        } else {
            break;                                         /* not GIF any more; stop reading */
        }
        pos = next;
    }
    if (sb.len) {
        c->store_len = sb.len;
        c->store_buf = (uint8_t *)sb_steal(&sb);
        c->store = c->store_buf;
    }
    sb_free(&sb);
}

/* ---- TIFF / DNG (classic and BigTIFF) ---- */

static void locate_tiff(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    int le = p[0] == 'I';
    int big = rd16(p + 2, le) == 43;
    if (big && n < 16) { c->truncated = 1; return; }
    uint64_t ifd = big ? rd64(p + 8, le) : rd32(p + 4, le);
    size_t esz = big ? 20 : 12, csz = big ? 8 : 2;
    int ifds = 0;
    /* only IFD0 may carry the store, but the chain is walked to notice a forged endless one */
    while (ifd) {
        if (++ifds > MAX_IFDS) { set_err(c, "TIFF file has too many subfiles"); return; }
        if (ifd > n || n - ifd < csz) {
            c->truncated = 1;
            snprintf(c->whole_error, sizeof c->whole_error, "%s", "a TIFF directory lies beyond the end of the file");
            return;
        }
        uint64_t cnt = big ? rd64(p + ifd, le) : rd16(p + ifd, le);
        if (cnt > 4096) { set_err(c, "TIFF directory with too many entries"); return; }
        if ((n - ifd - csz) / esz < cnt || n - ifd - csz - cnt * esz < (big ? 8u : 4u)) { c->truncated = 1; return; }
        for (uint64_t i = 0; i < cnt && ifds == 1; i++) {
            const uint8_t *e = p + ifd + csz + i * esz;
            uint16_t tag = rd16(e, le), type = rd16(e + 2, le);
            uint64_t count = big ? rd64(e + 4, le) : rd32(e + 4, le);
            uint64_t off = big ? rd64(e + 12, le) : rd32(e + 8, le);
            size_t inl = big ? 8 : 4;
            if (tag == 330 && count > MAX_IFDS) { set_err(c, "TIFF file has too many subfiles"); return; }
            if ((tag != 0xCD41 && tag != 700) || (type != 1 && type != 7)) continue;
            if (count <= inl) continue;      /* too small to hold anything worth reading */
            if (off > n || count > n - off) {
                c->truncated = 1;
                if (tag == 0xCD41) c->store_cut = 1;
                continue;
            }
            if (tag == 0xCD41) {
                found(c, p, (size_t)off, (size_t)count, (size_t)off, (size_t)(off + count));
                c->entry_off = (size_t)(e - p);
                c->entry_end = c->entry_off + esz;
            }
            else if (!c->xmp) { c->xmp = p + off; c->xmp_len = (size_t)count; }
        }
        const uint8_t *nx = p + ifd + csz + cnt * esz;
        uint64_t next = big ? rd64(nx, le) : rd32(nx, le);
        if (next == ifd) { set_err(c, "TIFF directory chain loops"); return; }
        ifd = next;
    }
}

/* ---- RIFF WAV / AVI: top-level chunks ---- */

static void locate_riff(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    uint64_t riff_end = (uint64_t)rd32(p + 4, 1) + 8;
    if (riff_end > n) {
        /* c2pa-rs refuses a RIFF whose header claims more than the file holds; only the head of
         * a longer file may be short */
        snprintf(c->whole_error, sizeof c->whole_error, "%s", "Invalid RIFF format: the file is shorter than its header says");
        c->truncated = 1;
    }
    size_t end = riff_end < n ? (size_t)riff_end : n;
    size_t pos = 12;
    while (pos < end) {
        if (end - pos < 8) { c->truncated = 1; break; }
        uint32_t len = rd32(p + pos + 4, 1);
        int is_c2pa = !memcmp(p + pos, "C2PA", 4);
        if (len > end - pos - 8) {
            c->truncated = 1;
            if (is_c2pa) c->store_cut = 1;
            break;
        }
        size_t full = 8 + (size_t)len + (len & 1);
        if (full > end - pos) full = end - pos;
        if (is_c2pa) found(c, p, pos + 8, len, pos, pos + full);
        else if (!memcmp(p + pos, "_PMX", 4) && !c->xmp) { c->xmp = p + pos + 8; c->xmp_len = len; }
        pos += full;
    }
}

/* ---- ID3v2 (MP3, and FLAC as c2pa-rs signs it): a GEOB frame "application/c2pa" ---- */

static uint32_t syncsafe(const uint8_t *p)
{
    return (uint32_t)(p[0] & 0x7F) << 21 | (uint32_t)(p[1] & 0x7F) << 14 | (uint32_t)(p[2] & 0x7F) << 7 | (p[3] & 0x7F);
}

/* Length of a string of the given ID3 text encoding, with its terminator; 0 when unterminated. */
static size_t id3_str(const uint8_t *p, size_t n, int enc)
{
    if (enc == 1 || enc == 2) {
        for (size_t i = 0; i + 1 < n; i += 2)
            if (!p[i] && !p[i + 1]) return i + 2;
        return 0;
    }
    const uint8_t *z = memchr(p, 0, n);
    return z ? (size_t)(z - p) + 1 : 0;
}

static void id3_geob(const uint8_t *p, size_t off, size_t len, size_t tag_end, struct prov_carrier *c)
{
    const uint8_t *d = p + off;
    if (len < 2) return;
    int enc = d[0];
    size_t q = 1, l;
    if (!(l = id3_str(d + q, len - q, 0))) return;            /* MIME type, always Latin-1 */
    int is_c2pa = !strcmp((const char *)d + q, "application/c2pa") || !strcmp((const char *)d + q, "application/x-c2pa-manifest-store");
    q += l;
    if (!(l = id3_str(d + q, len - q, enc))) return;          /* file name */
    q += l;
    if (!(l = id3_str(d + q, len - q, enc))) return;          /* description */
    q += l;
    if (is_c2pa) found(c, p, off + q, len - q, 0, tag_end);
}

static size_t locate_id3(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    if (n < 10) { c->truncated = 1; return n; }
    int ver = p[3];
    size_t size = syncsafe(p + 6);
    size_t end = 10 + size + ((p[5] & 0x10) ? 10 : 0);          /* footer */
    size_t tag_end = 10 + size;
    if (tag_end > n) { c->truncated = 1; tag_end = n; }
    size_t pos = 10;
    if ((p[5] & 0x40) && ver >= 3) {                            /* extended header */
        if (n - pos < 4) return end;
        size_t el = ver == 4 ? syncsafe(p + pos) : rd32(p + pos, 0) + 4;
        pos += el;
    }
    while (ver >= 3 && pos + 10 <= tag_end) {
        if (!p[pos]) break;                                      /* padding */
        size_t fl = ver == 4 ? syncsafe(p + pos + 4) : rd32(p + pos + 4, 0);
        if (fl > tag_end - pos - 10) {
            c->truncated = 1;
            if (!memcmp(p + pos, "GEOB", 4)) c->store_cut = 1;
            break;
        }
        if (!memcmp(p + pos, "GEOB", 4) && !(p[pos + 9] & 0x0C))  /* not compressed or encrypted */
            id3_geob(p, pos + 10, fl, 10 + size, c);
        else if (!memcmp(p + pos, "PRIV", 4) && fl > 4 && !memcmp(p + pos + 10, "XMP\0", 4) && !c->xmp) {
            c->xmp = p + pos + 14;
            c->xmp_len = fl - 4;
        }
        pos += 10 + fl;
    }
    return end;
}

/* ---- JPEG XL container: boxes after the signature box ---- */

static void locate_jxl(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    size_t pos = 0;
    while (pos < n) {
        if (n - pos < 8) { c->truncated = 1; break; }
        uint64_t size = rd32(p + pos, 0);
        size_t hdr = 8;
        if (size == 1) {
            if (n - pos < 16) { c->truncated = 1; break; }
            size = rd64(p + pos + 8, 0);
            hdr = 16;
        } else if (size == 0) {
            size = n - pos;
        }
        if (size < hdr) { set_err(c, "JPEG XL box shorter than its header"); break; }
        int whole = size <= n - pos;
        if (!memcmp(p + pos + 4, "jumb", 4)) {
            if (!whole) { c->truncated = 1; c->store_cut = 1; break; }
            /* the box is the store's own superbox; a C2PA one has a jumd whose UUID starts "c2pa" */
            if (size >= 28 && !memcmp(p + pos + 12, "jumd", 4) && !memcmp(p + pos + 16, "c2pa", 4))
                found(c, p, pos, (size_t)size, pos, pos + (size_t)size);
        } else if (!memcmp(p + pos + 4, "xml ", 4) && whole && !c->xmp) {
            c->xmp = p + pos + hdr;
            c->xmp_len = (size_t)size - hdr;
        }
        if (!whole) { c->truncated = 1; break; }
        pos += (size_t)size;
    }
}

/* ---- SVG: <c2pa:manifest>BASE64</c2pa:manifest> ---- */

static int b64v(uint8_t ch)
{
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
}

static void locate_svg(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    static const char open[] = "<c2pa:manifest", close[] = "</c2pa:manifest>";
    const uint8_t *s = memmem(p, n, open, sizeof open - 1);
    if (!s) return;
    const uint8_t *gt = memchr(s, '>', n - (size_t)(s - p));
    if (!gt) { c->truncated = 1; c->store_cut = 1; return; }
    const uint8_t *body = gt + 1;
    const uint8_t *e = memmem(body, n - (size_t)(body - p), close, sizeof close - 1);
    if (!e) { c->truncated = 1; c->store_cut = 1; return; }
    if (memmem(e, n - (size_t)(e - p), open, sizeof open - 1)) c->n_stores++;
    size_t bl = (size_t)(e - body);
    if (bl / 4 * 3 > PROV_MAX_STORE) { set_err(c, "manifest store larger than 16 MiB"); return; }
    uint8_t *out = xmalloc(bl / 4 * 3 + 3);
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < bl; i++) {
        uint8_t ch = body[i];
        if (ch == '=' || ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') continue;
        int v = b64v(ch);
        if (v < 0) { free(out); set_err(c, "the SVG manifest is not base64"); return; }
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    c->n_stores++;
    c->store_buf = out;
    c->store = out;
    c->store_len = o;
    c->carrier_off = (size_t)(s - p);
    c->carrier_end = (size_t)(e - p) + sizeof close - 1;
}

/* ---- PDF: the store is the body of an uncompressed stream ---- */

static void locate_pdf(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    /* [LBox]"jumb"[LBox]"jumd""c2pa": the start of a C2PA manifest store, right after "stream" */
    static const uint8_t sig[] = {'j', 'u', 'm', 'd', 'c', '2', 'p', 'a'};
    size_t pos = 0;
    while (pos + 12 < n) {
        const uint8_t *h = memmem(p + pos, n - pos, sig, sizeof sig);
        if (!h) break;
        size_t at = (size_t)(h - p);
        pos = at + 1;
        if (at < 12 + 7 || memcmp(p + at - 8, "jumb", 4)) continue;
        size_t st = at - 12;
        size_t kw = st;
        if (kw >= 1 && p[kw - 1] == '\n') kw--;
        if (kw >= 1 && p[kw - 1] == '\r') kw--;
        if (kw < 6 || memcmp(p + kw - 6, "stream", 6)) continue;
        uint32_t len = rd32(p + st, 0);
        if (len < 8) continue;
        if (len > n - st) { c->truncated = 1; c->store_cut = 1; break; }
        found(c, p, st, len, st, st + len);
        /* the box starts 12 bytes before the signature: a short one ends before the next search
         * would start, and going back there found the same signature for ever */
        if (st + len > pos) pos = st + len;
    }
}

/* ---- dispatch ---- */

int prov_sniff_more(const uint8_t *p, size_t n, char container[8])
{
    static const uint8_t JXL_SIG[12] = {0, 0, 0, 12, 'J', 'X', 'L', ' ', 0x0D, 0x0A, 0x87, 0x0A};
    if (n >= 6 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6))) strcpy(container, "gif");
    else if (n >= 8 && (!memcmp(p, "II*\0", 4) || !memcmp(p, "MM\0*", 4) || !memcmp(p, "II+\0", 4) || !memcmp(p, "MM\0+", 4)))
        strcpy(container, "tiff");
    else if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WAVE", 4)) strcpy(container, "wav");
    else if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "AVI ", 4)) strcpy(container, "avi");
    else if (n >= 10 && !memcmp(p, "ID3", 3)) strcpy(container, "mp3");
    else if (n >= 4 && !memcmp(p, "fLaC", 4)) strcpy(container, "flac");
    else if (n >= 12 && !memcmp(p, JXL_SIG, 12)) strcpy(container, "jxl");
    else if (n >= 5 && !memcmp(p, "%PDF-", 5)) strcpy(container, "pdf");
    else {
        size_t k = 0;
        if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) k = 3;
        while (k < n && (p[k] == ' ' || p[k] == '\n' || p[k] == '\r' || p[k] == '\t')) k++;
        size_t look = n - k < 4096 ? n - k : 4096;
        if (look >= 5 && (!memcmp(p + k, "<?xml", 5) || !memcmp(p + k, "<svg", 4)) && memmem(p + k, look, "<svg", 4))
            strcpy(container, "svg");
    }
    return container[0] ? 0 : -1;
}

void prov_locate_more(const uint8_t *p, size_t n, struct prov_carrier *c)
{
    const char *k = c->container;
    if (!strcmp(k, "gif")) locate_gif(p, n, c);
    else if (!strcmp(k, "tiff")) locate_tiff(p, n, c);
    else if (!strcmp(k, "wav") || !strcmp(k, "avi")) locate_riff(p, n, c);
    else if (!strcmp(k, "mp3")) {
        size_t end = locate_id3(p, n, c);
        /* FLAC as c2pa-rs signs it: an ID3v2 tag, then the FLAC stream */
        if (end < n && n - end >= 4 && !memcmp(p + end, "fLaC", 4)) strcpy(c->container, "flac");
    } else if (!strcmp(k, "jxl")) locate_jxl(p, n, c);
    else if (!strcmp(k, "svg")) locate_svg(p, n, c);
    else if (!strcmp(k, "pdf")) locate_pdf(p, n, c);
}
