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

/* Bytes from u that are ASCII from 0x20 to 0x7F (controls_ok: any ASCII), in whole words of 8;
 * the tail and the word that holds anything else are left to the caller. */
static inline size_t utf8run_ascii(const unsigned char *u, size_t n, int controls_ok)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if (w & 0x8080808080808080ull) break;
        if (!controls_ok && ((w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull)) break;
        i += 8;
    }
    return i;
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

#endif
