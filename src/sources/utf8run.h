/* SPDX-License-Identifier: ISC */
/* utf8run — the quick steps of the byte scans a feed body goes through before its parse
 * (charset.c's UTF-8 check, xmlprep.c's repair): a run of plain ASCII eight bytes at a time, and
 * the common two- and three-byte characters without a full decode.  Each step only says "this
 * much is plainly fine"; whatever it does not vouch for takes the scanner's own careful path. */
#ifndef WINNOW_UTF8RUN_H
#define WINNOW_UTF8RUN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The bytes of one 8-byte word that a scan stops at (their high bits set): anything but ASCII;
 * with lows_ok 0 also the controls below 0x20, with del_ok 0 also 0x7F.  Each byte's test is
 * exact (no borrow crosses into the byte above a failing one), so the lowest is the first. */
static inline uint64_t utf8run_stops(uint64_t w, int lows_ok, int del_ok)
{
    const uint64_t lows = 0x7F7F7F7F7F7F7F7Full, highs = 0x8080808080808080ull;
    uint64_t l7 = w & lows, bad = w & highs;
    if (!lows_ok) bad |= ~(l7 + 0x6060606060606060ull) & highs;   /* < 0x20 */
    if (!del_ok) bad |= (l7 + 0x0101010101010101ull) & highs;     /* 0x7F */
    return bad;
}

/* Bytes from u that pass utf8run_stops, a word of 8 at a time; the tail shorter than a word is
 * left to the caller, and so is everything from the first byte that stops the scan. */
static inline size_t utf8run_words(const unsigned char *u, size_t n, int lows_ok, int del_ok)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        uint64_t bad = utf8run_stops(w, lows_ok, del_ok);
        if (bad) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            i += (size_t)__builtin_ctzll(bad) >> 3;
#endif
            break;
        }
        i += 8;
    }
    return i;
}

/* ASCII from 0x20 to 0x7F (controls_ok: any ASCII). */
static inline size_t utf8run_ascii(const unsigned char *u, size_t n, int controls_ok)
{
    return utf8run_words(u, n, controls_ok, 1);
}

/* Printable ASCII or the space (0x20 to 0x7E): 0x7F is not one of them here. */
static inline size_t utf8run_printable(const unsigned char *u, size_t n)
{
    return utf8run_words(u, n, 0, 0);
}

/* The length of the character at u when it is a well-formed two-byte sequence or a three-byte
 * one from U+1000 to U+CFFF or U+E000 to U+EFFF (no overlong forms, surrogates, nor U+FFFE/FFFF
 * there), else 0. */
static inline size_t utf8run_char(const unsigned char *u, size_t n)
{
    unsigned c = u[0];
    if (c >= 0xC2 && c <= 0xDF) return n >= 2 && (u[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE1 && c <= 0xEE && c != 0xED)
        return n >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 ? 3 : 0;
    return 0;
}

/* The bytes of x that are zero, as their high bits: exact for each byte (no borrow from a lower
 * one), so the lowest set bit is the first zero byte in memory on a little-endian machine. */
static inline uint64_t utf8run_zeros(uint64_t x)
{
    const uint64_t lows = 0x7F7F7F7F7F7F7F7Full;
    return ~(((x & lows) + lows) | x) & ~lows;
}

/* Where the first hit of a word's mask is, or 0 on a machine where that is not the lowest bit
 * (the caller's byte loop then finds it). */
static inline size_t utf8run_first(uint64_t hits)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(hits) >> 3;
#else
    (void)hits;
    return 0;
#endif
}

/* Index of the first byte from u that is a or b, a word of 8 at a time (n when none is; when the
 * rest is shorter than a word, where it starts: the caller scans that tail itself). */
static inline size_t utf8run_until2(const unsigned char *u, size_t n, unsigned char a, unsigned char b)
{
    const uint64_t ones = 0x0101010101010101ull;
    const uint64_t ma = ones * a, mb = ones * b;
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        uint64_t hits = utf8run_zeros(w ^ ma) | utf8run_zeros(w ^ mb);
        if (hits) return i + utf8run_first(hits);
        i += 8;
    }
    return i;
}

/* The same for any of three bytes. */
static inline size_t utf8run_until3(const unsigned char *u, size_t n, unsigned char a, unsigned char b,
                                    unsigned char c)
{
    const uint64_t ones = 0x0101010101010101ull;
    const uint64_t ma = ones * a, mb = ones * b, mc = ones * c;
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        uint64_t hits = utf8run_zeros(w ^ ma) | utf8run_zeros(w ^ mb) | utf8run_zeros(w ^ mc);
        if (hits) return i + utf8run_first(hits);
        i += 8;
    }
    return i;
}

#endif
