/* SPDX-License-Identifier: ISC */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    if (n == 0) { *cp = 0xFFFD; return 0; }
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    int len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; c &= 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; c &= 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; c &= 0x07; min = 0x10000; }
    else { *cp = 0xFFFD; return 1; }
    if ((size_t)len > n) { *cp = 0xFFFD; return 1; }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = 0xFFFD; return 1; }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) { *cp = 0xFFFD; return 1; }
    *cp = c;
    return len;
}

int utf8_encode(unsigned cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) { o[0] = 0xC0 | (cp >> 6); o[1] = 0x80 | (cp & 0x3F); return 2; }
    if (cp < 0x10000) {
        o[0] = 0xE0 | (cp >> 12); o[1] = 0x80 | ((cp >> 6) & 0x3F); o[2] = 0x80 | (cp & 0x3F);
        return 3;
    }
    o[0] = 0xF0 | (cp >> 18); o[1] = 0x80 | ((cp >> 12) & 0x3F);
    o[2] = 0x80 | ((cp >> 6) & 0x3F); o[3] = 0x80 | (cp & 0x3F);
    return 4;
}

/* Code points that must never reach a terminal or the store: controls, what reorders text (bidi
 * embeddings, overrides and isolates; the marks LRM, RLM and ALM stay, since Hebrew and Arabic
 * text needs them and they reorder nothing once the overrides are gone), and the invisible format
 * characters that can hide text: invisible operators, deprecated format characters, interlinear
 * annotations, musical and hieroglyph format controls, the Mongolian vowel separator, and tag
 * characters (kept only inside an emoji tag sequence, see tag_seq_len). */
static int cp_forbidden(unsigned cp)
{
    if (cp < 0x2000) {
        if (cp == 0x7F) return 1;
        if (cp >= 0x80 && cp <= 0x9F) return 1;             /* C1: 8-bit CSI, OSC, ST, ... */
        return cp == 0x180E;                                 /* Mongolian vowel separator */
    }
    if (cp >= 0x202A && cp <= 0x202E) return 1;             /* bidi embeddings and overrides */
    if (cp >= 0x2061 && cp <= 0x2064) return 1;             /* invisible operators */
    if (cp >= 0x2066 && cp <= 0x2069) return 1;             /* bidi isolates */
    if (cp >= 0x206A && cp <= 0x206F) return 1;             /* deprecated format characters */
    if (cp == 0xFEFF) return 1;                              /* BOM / zero-width no-break space */
    if (cp >= 0xFFF9 && cp <= 0xFFFB) return 1;             /* interlinear annotation controls */
    if (cp >= 0x13430 && cp <= 0x1343F) return 1;           /* Egyptian hieroglyph format controls */
    if (cp >= 0x1D173 && cp <= 0x1D17A) return 1;           /* musical symbol format controls */
    if (cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F)) return 1;   /* tags */
    return 0;
}

/* Zero-width characters scripts need one at a time (ZWNJ in Persian, ZWJ in emoji and Indic
 * scripts, ZWSP and WJ between words): a run of them carries nothing but a hidden message, so a
 * run keeps only its first. */
static int cp_zero_width(unsigned cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060;
}

/* Bytes of the emoji tag sequence that follows a U+1F3F4 WAVING BLACK FLAG at s (tag letters and
 * digits ending in U+E007F CANCEL TAG, as in the flags of England, Scotland and Wales), or 0. */
static size_t tag_seq_len(const unsigned char *s, size_t n)
{
    size_t i = 0;
    int tags = 0;
    while (i < n && tags <= 8) {
        unsigned cp;
        int l = utf8_decode(s + i, n - i, &cp);
        if (l <= 0) return 0;
        i += (size_t)l;
        if (cp == 0xE007F) return tags >= 2 ? i : 0;
        if (!((cp >= 0xE0061 && cp <= 0xE007A) || (cp >= 0xE0030 && cp <= 0xE0039))) return 0;
        tags++;
    }
    return 0;
}

static int cp_nonchar(unsigned cp)
{
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

static void sanitize_into(char *out, const char *s, size_t len, size_t max_bytes, int flags, int quick);

/* What each byte is to copy_plain: a printable ASCII character, a space, the lead byte of a
 * two-byte letter (C2 only from U+00A0) or of a three-byte one from U+3000 to U+CFFF, or none of
 * these (the careful path's business). */
enum { Q_NONE, Q_ASCII, Q_SPACE, Q_LEAD2, Q_LEAD3 };
static inline size_t plain_run8(const unsigned char *s);
static inline int quick_letter(const unsigned char *s, size_t n);
static const unsigned char q_class[256] = {
    [0x20] = Q_SPACE, [0x21 ... 0x7E] = Q_ASCII, [0xC2 ... 0xDF] = Q_LEAD2, [0xE3 ... 0xEC] = Q_LEAD3,
};

/* Right after a printable character that was written (no space pending, not at a line's start):
 * copies on from in[*i] to out[*o] what the careful path would copy unchanged — printable ASCII,
 * letters quick_letter knows, and a single space between them when trim collapses spaces (only
 * when what follows it fits too) — and stops before anything else, or where max_bytes would be
 * passed. */
static void copy_plain(const unsigned char *in, size_t *ip, size_t limit, char *out, size_t *op,
                       size_t max_bytes, int trim)
{
    size_t i = *ip, o = *op;
    for (;;) {
        /* far from both ends, a step takes at most 4 bytes and writes at most 4: no checks */
        while (i + 4 <= limit && o + 4 <= max_bytes) {
            unsigned char c = in[i];
            unsigned t = q_class[c];
            if (t == Q_ASCII) {
                /* a long run (a URL, an English sentence) a word at a time */
                if (i + 8 <= limit && o + 8 <= max_bytes && q_class[in[i + 1]] == Q_ASCII) {
                    size_t k = plain_run8(in + i);
                    memcpy(out + o, in + i, 8);   /* the buffer has room: see out_cap */
                    o += k;
                    i += k;
                    continue;
                }
                out[o++] = (char)c;
                i++;
                continue;
            }
            size_t sp = 0;
            if (t == Q_SPACE) {
                if (!trim) break;
                c = in[i + 1];
                t = q_class[c];
                if (t == Q_ASCII) { out[o] = ' '; out[o + 1] = (char)c; o += 2; i += 2; continue; }
                sp = 1;
            }
            const unsigned char *l = in + i + sp;
            if (t == Q_LEAD2 && (l[1] & 0xC0) == 0x80 && (c != 0xC2 || l[1] >= 0xA0)) {
                if (sp) out[o++] = ' ';
                out[o] = (char)c;
                out[o + 1] = (char)l[1];
                o += 2;
                i += sp + 2;
                continue;
            }
            if (t == Q_LEAD3 && (l[1] & 0xC0) == 0x80 && (l[2] & 0xC0) == 0x80) {
                if (sp) out[o++] = ' ';
                out[o] = (char)c;
                out[o + 1] = (char)l[1];
                out[o + 2] = (char)l[2];
                o += 3;
                i += sp + 3;
                continue;
            }
            break;
        }
        while (i < limit && o < max_bytes && in[i] > 0x20 && in[i] < 0x7F) out[o++] = (char)in[i++];
        if (i >= limit || o >= max_bytes) break;
        unsigned char c = in[i];
        size_t sp = 0;
        if (c == ' ' && trim && i + 1 < limit) { sp = 1; c = in[i + 1]; }
        if (c > 0x20 && c < 0x7F) {
            if (o + sp + 1 > max_bytes) break;
            if (sp) out[o++] = ' ';
            out[o++] = (char)c;
            i += sp + 1;
            continue;
        }
        int q = c >= 0xC2 ? quick_letter(in + i + sp, limit - i - sp) : 0;
        if (!q || o + sp + (size_t)q > max_bytes) break;
        if (sp) out[o++] = ' ';
        i += sp;
        out[o] = (char)in[i];
        out[o + 1] = (char)in[i + 1];
        if (q > 2) out[o + 2] = (char)in[i + 2];
        o += (size_t)q;
        i += (size_t)q;
    }
    *ip = i;
    *op = o;
}

/* How many of the 8 bytes at s, from the first, the sanitiser would copy as they are right after
 * a printable character: printable ASCII, and a space that a printable one follows (the last byte
 * is never such a space: what comes after it is not known here).  Every byte's test is exact, so
 * the lowest failing byte is the first one that fails. */
static inline size_t plain_run8(const unsigned char *s)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t lows = 0x7F7F7F7F7F7F7F7Full, highs = 0x8080808080808080ull;
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t l7 = w & lows;
    uint64_t ge21 = (l7 + 0x5F5F5F5F5F5F5F5Full) & highs;   /* low 7 bits >= 0x21 */
    uint64_t is7f = (l7 + 0x0101010101010101ull) & highs;   /* low 7 bits == 0x7F */
    uint64_t printable = ge21 & ~is7f & ~w;                 /* and the high bit clear */
    uint64_t x = w ^ 0x2020202020202020ull;
    uint64_t space = ~(((x & lows) + lows) | x) & highs;     /* exactly 0x20 */
    uint64_t good = printable | (space & (printable >> 8));
    uint64_t bad = ~good & highs;
    return bad ? (size_t)__builtin_ctzll(bad) >> 3 : 8;
#else
    (void)s;
    return 0;   /* the byte loop does it all */
#endif
}

/* The length of the letter at s when it is one the sanitiser copies as it is and that is plain
 * from its bytes alone, without a decode: a well-formed two-byte sequence from U+00A0 to U+07FF,
 * or a three-byte one from U+3000 to U+CFFF (lead bytes E3..EC); else 0, and the caller decodes. */
static inline int quick_letter(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (s[1] & 0xC0) == 0x80 && (c != 0xC2 || s[1] >= 0xA0) ? 2 : 0;
    if (c >= 0xE3 && c <= 0xEC)
        return n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    return 0;
}

/* Output never exceeds 3 bytes per input byte (a bad byte becomes U+FFFD) plus the ellipsis, nor
 * max_bytes: size the buffer by the smaller so short strings cost short buffers. */
static size_t out_cap(size_t len, size_t max_bytes)
{
    size_t by_len = len > (SIZE_MAX - 8) / 3 ? SIZE_MAX - 8 : len * 3;
    return (by_len < max_bytes ? by_len : max_bytes) + 8;
}

char *text_sanitize(struct arena *a, const char *s, size_t len, size_t max_bytes, int flags)
{
    if (!s) return NULL;
    if (max_bytes < 8) max_bytes = 8;
    char *out = arena_alloc(a, out_cap(len, max_bytes));
    sanitize_into(out, s, len, max_bytes, flags, 1);
    return out;
}

char *text_sanitize_dup(const char *s, size_t len, size_t max_bytes, int flags)
{
    if (!s) return NULL;
    if (max_bytes < 8) max_bytes = 8;
    char *out = xmalloc(out_cap(len, max_bytes));
    sanitize_into(out, s, len, max_bytes, flags, 1);
    return out;
}

char *text_sanitize_slow(struct arena *a, const char *s, size_t len, size_t max_bytes, int flags)
{
    if (!s) return NULL;
    if (max_bytes < 8) max_bytes = 8;
    char *out = arena_alloc(a, out_cap(len, max_bytes));
    sanitize_into(out, s, len, max_bytes, flags, 0);
    return out;
}

/* quick: take the shortcuts for letters and runs of words (0 only for the tests' comparison) */
static void sanitize_into(char *out, const char *s, size_t len, size_t max_bytes, int flags, int quick)
{
    const unsigned char *in = (const unsigned char *)s;
    /* Work on at most max_bytes*4 input bytes: anything after cannot survive the cut anyway (every
     * input byte yields at most 3 output bytes, and controls shrink), and this bounds the work on a
     * 10 MiB title. */
    size_t limit = len;
    if (limit > max_bytes * 4 + 64) limit = max_bytes * 4 + 64;
    int cut = limit < len;
    size_t o = 0;
    int trim = !(flags & TEXT_NO_TRIM);
    int pending_space = 0;     /* a space to emit before the next printable character */
    int at_line_start = 1;
    size_t last_good = 0;      /* output length at the last character boundary that fits */
    int prev_zw = 0;           /* the last character written was zero-width */
    size_t i = 0;
    while (i < limit) {
        /* Printable ASCII other than the space is kept as it is whatever the flags: copy the run
         * without decoding (most of every feed is ASCII; this halves the cost of a refresh's
         * sanitising).  The rest takes the general path below. */
        if (in[i] > 0x20 && in[i] < 0x7F) {
            size_t need = (size_t)pending_space + 1;
            if (o + need > max_bytes) { cut = 1; break; }
            if (pending_space) { out[o++] = ' '; pending_space = 0; }
            out[o++] = (char)in[i++];
            if (quick) copy_plain(in, &i, limit, out, &o, max_bytes, trim);
            prev_zw = 0;
            last_good = o;
            at_line_start = 0;
            continue;
        }
        /* A space between words, with trimming on: only a pending space (the general path below
         * does the same, in many more steps). */
        if (in[i] == ' ' && trim) {
            if (!at_line_start) pending_space = 1;
            i++;
            continue;
        }
        unsigned cp = 0;
        int n = quick ? quick_letter(in + i, limit - i) : 0;
        if (!n) {
            n = utf8_decode(in + i, limit - i, &cp);
            if (n == 0) break;
        }
        /* Letters of the alphabets and of CJK, which no rule below touches: copied as they are */
        if (n > 1 && (!cp || (cp >= 0xA0 && cp < 0x2000 && cp != 0x180E) || (cp >= 0x3000 && cp < 0xD800))) {
            if (o + (size_t)pending_space + (size_t)n > max_bytes) { cut = 1; break; }
            if (pending_space) { out[o++] = ' '; pending_space = 0; }
            /* two to four bytes: no memcpy call for them */
            out[o] = (char)in[i];
            out[o + 1] = (char)in[i + 1];
            if (n > 2) out[o + 2] = (char)in[i + 2];
            if (n > 3) out[o + 3] = (char)in[i + 3];
            o += (size_t)n;
            i += (size_t)n;
            last_good = o;
            at_line_start = 0;
            prev_zw = 0;
            continue;
        }
        i += (size_t)n;
        if (cp == 0) continue;
        if (cp == '\r') {
            if (i < limit && in[i] == '\n') continue;   /* CR LF → LF */
            cp = '\n';
        }
        if (cp == '\t' && !(flags & TEXT_KEEP_TABS)) cp = ' ';
        if (cp == '\n' && !(flags & TEXT_MULTILINE)) cp = ' ';
        if (cp < 0x20 && cp != '\t' && cp != '\n') continue;
        if (cp_forbidden(cp)) continue;
        if (cp_nonchar(cp)) cp = 0xFFFD;
        if (cp_zero_width(cp)) {
            if (prev_zw) continue;
            prev_zw = 2;    /* survives the decrement below */
        }
        if (cp == 0x1F3F4) {
            /* the flag and its tags go out whole, or the flag alone */
            size_t t = tag_seq_len(in + i, limit - i);
            size_t need = (size_t)pending_space + 4 + t;
            if (t && o + need <= max_bytes) {
                if (pending_space) { out[o++] = ' '; pending_space = 0; }
                o += (size_t)utf8_encode(cp, out + o);
                memcpy(out + o, in + i, t);
                o += t;
                i += t;
                last_good = o;
                at_line_start = 0;
                prev_zw = 0;
                continue;
            }
        }
        if (cp == 0x2028 || cp == 0x2029) cp = (flags & TEXT_MULTILINE) ? '\n' : ' ';

        if (trim) {
            if (cp == ' ') {
                if (!at_line_start) pending_space = 1;
                continue;
            }
            if (cp == '\n') {
                pending_space = 0;   /* drop trailing spaces of the line */
                at_line_start = 1;
            }
        }
        char enc[8];
        int el = 0;
        if (pending_space) { enc[el++] = ' '; pending_space = 0; }
        el += utf8_encode(cp, enc + el);
        if (o + (size_t)el > max_bytes) { cut = 1; break; }
        memcpy(out + o, enc, (size_t)el);
        o += (size_t)el;
        last_good = o;
        if (cp != '\n') at_line_start = 0;
        if (prev_zw) prev_zw--;
    }
    o = last_good;
    if (trim) {
        while (o > 0 && (out[o - 1] == '\n' || out[o - 1] == ' ')) o--;
    }
    if (cut) {
        /* Make room for the ellipsis on a character boundary. */
        while (o > 0 && o + 3 > max_bytes) {
            o--;
            while (o > 0 && ((unsigned char)out[o] & 0xC0) == 0x80) o--;
        }
        /* a flag's tag sequence is whole or gone: the flag may stay alone, its tags may not */
        while (o >= 4 && (unsigned char)out[o - 4] == 0xF3 && (unsigned char)out[o - 3] == 0xA0 &&
               ((unsigned char)out[o - 2] == 0x80 || (unsigned char)out[o - 2] == 0x81))
            o -= 4;
        memcpy(out + o, "\xE2\x80\xA6", 3);
        o += 3;
    }
    out[o] = 0;
}

int text_is_clean(const char *s, int flags)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    size_t i = 0;
    int prev_zw = 0;
    while (i < n) {
        unsigned cp;
        int l = utf8_decode(p + i, n - i, &cp);
        if (cp == 0xFFFD && !(l == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD)) return 0;
        if (cp == '\n' && !(flags & TEXT_MULTILINE)) return 0;
        if (cp == '\t' && !(flags & TEXT_KEEP_TABS)) return 0;
        if (cp < 0x20 && cp != '\n' && cp != '\t') return 0;
        if (cp == 0x1F3F4) {
            size_t t = tag_seq_len(p + i + l, n - i - (size_t)l);
            i += (size_t)l + t;
            prev_zw = 0;
            continue;
        }
        if (cp_forbidden(cp)) return 0;
        if (cp_zero_width(cp) && prev_zw) return 0;
        prev_zw = cp_zero_width(cp);
        i += (size_t)l;
    }
    return 1;
}

/* East Asian wide and emoji ranges (Unicode 15), so widths agree across C libraries. */
static const unsigned wide_ranges[][2] = {
    {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
    {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
    {0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
    {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
    {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
    {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
    {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
    {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
    {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A},
    {0x1F200, 0x1F251}, {0x1F300, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C},
    {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0},
    {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC},
    {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A},
    {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5},
    {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6DC, 0x1F6DF},
    {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB}, {0x1F7F0, 0x1F7F0},
    {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static int in_ranges(unsigned cp, const unsigned (*r)[2], size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid][0]) hi = mid;
        else if (cp > r[mid][1]) lo = mid + 1;
        else return 1;
    }
    return 0;
}

static const unsigned zero_ranges[][2] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200D}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0x1F3FB, 0x1F3FF},
    {0xE0000, 0xE0FFF},
};

int cp_width(unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
    if (cp < 0x300) return 1;
    /* ncurses advances the cursor by the C library's wcwidth, so agree with it whenever the locale
     * knows the character; the table covers C/POSIX locales and unassigned code points. */
    int w = wcwidth((wchar_t)cp);
    if (w >= 0) return w;
    if (in_ranges(cp, zero_ranges, sizeof zero_ranges / sizeof zero_ranges[0])) return 0;
    if (in_ranges(cp, wide_ranges, sizeof wide_ranges / sizeof wide_ranges[0])) return 2;
    return 1;
}

int text_width(const char *s)
{
    int w = 0;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned cp;
        int l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        w += cp_width(cp);
        i += (size_t)l;
    }
    return w;
}

size_t text_fit(const char *s, int cols, int *used_cols)
{
    int w = 0;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned cp;
        int l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        int cw = cp_width(cp);
        if (cp == '\n' || w + cw > cols) break;
        w += cw;
        i += (size_t)l;
    }
    if (used_cols) *used_cols = w;
    return i;
}

void text_trim_partial(char *s)
{
    size_t n = strlen(s), k = 0;
    while (k < n && k < 4 && ((unsigned char)s[n - 1 - k] & 0xC0) == 0x80) k++;
    if (k == n) return;
    unsigned char lead = (unsigned char)s[n - 1 - k];
    if (lead < 0xC0) return;   /* ASCII, or stray continuation bytes: not a cut */
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (k + 1 < need) s[n - 1 - k] = 0;
}

int text_contains_ci(const char *hay, const char *needle)
{
    if (!hay || !needle) return 0;
    size_t nl = strlen(needle);
    if (nl == 0) return 1;
    for (const char *h = hay; *h; h++) {
        size_t k = 0;
        while (k < nl && h[k]) {
            unsigned char a = (unsigned char)h[k], b = (unsigned char)needle[k];
            if (a >= 'A' && a <= 'Z') a += 32;
            if (b >= 'A' && b <= 'Z') b += 32;
            if (a != b) break;
            k++;
        }
        if (k == nl) return 1;
    }
    return 0;
}

void text_wrap(struct strbuf *out, const char *s, int width)
{
    if (width < 4) width = 4;
    const char *p = s;
    while (*p) {
        /* one paragraph line at a time */
        const char *eol = strchr(p, '\n');
        size_t linelen = eol ? (size_t)(eol - p) : strlen(p);
        char *line = xmalloc(linelen + 1);
        memcpy(line, p, linelen);
        line[linelen] = 0;
        const char *q = line;
        if (!*q) sb_addc(out, '\n');
        while (*q) {
            int used;
            size_t fit = text_fit(q, width, &used);
            if (fit == strlen(q)) {
                sb_adds(out, q);
                sb_addc(out, '\n');
                break;
            }
            /* break at the last space within the fitting part */
            size_t brk = fit;
            while (brk > 0 && q[brk] != ' ') brk--;
            if (brk == 0) brk = fit ? fit : 1;
            sb_add(out, q, brk);
            sb_addc(out, '\n');
            q += brk;
            while (*q == ' ') q++;
        }
        free(line);
        p = eol ? eol + 1 : p + linelen;
    }
}

const char *text_ascii_for(unsigned cp)
{
    static const struct { unsigned cp; const char *a; } map[] = {
        {0x00A0, " "}, {0x00A9, "(c)"}, {0x00AB, "<<"}, {0x00AE, "(R)"}, {0x00B7, "."},
        {0x00BB, ">>"}, {0x00D7, "x"}, {0x2002, " "}, {0x2003, " "}, {0x2009, " "},
        {0x2010, "-"}, {0x2011, "-"}, {0x2012, "-"}, {0x2013, "-"}, {0x2014, "--"}, {0x2015, "--"},
        {0x2018, "'"}, {0x2019, "'"}, {0x201A, ","}, {0x201B, "'"}, {0x201C, "\""}, {0x201D, "\""},
        {0x201E, "\""}, {0x2022, "*"}, {0x2026, "..."}, {0x2032, "'"}, {0x2033, "\""},
        {0x2039, "<"}, {0x203A, ">"}, {0x20AC, "EUR"}, {0x2122, "(TM)"}, {0x2190, "<-"},
        {0x2192, "->"}, {0x2212, "-"}, {0x2248, "~"}, {0x2260, "!="}, {0x2264, "<="}, {0x2265, ">="},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].cp == cp) return map[i].a;
    return NULL;
}
