/* SPDX-License-Identifier: ISC */
/* text — the one sanitiser every outside string passes before it is stored or drawn, and the
 * display-width helpers the UI lays text out with.
 *
 * After text_sanitize a string is valid UTF-8 (bad bytes, overlongs, surrogates become U+FFFD), holds
 * no C0 control (TAB and LF only where the caller allows them), no DEL, no C1 control (U+0080..U+009F,
 * so no 8-bit CSI/OSC), no ESC, no bidi embedding, override or isolate, no NUL, no invisible format
 * character that can hide text (invisible operators U+2061..2064, deprecated format characters
 * U+206A..206F, U+180E, interlinear annotations U+FFF9..FFFB, musical and hieroglyph format
 * controls, tag characters outside an emoji tag sequence such as the England flag), no run of
 * zero-width characters (a run keeps its first: one ZWJ, ZWNJ, ZWSP or WJ is what scripts and
 * emoji need), and is at most max_bytes long
 * (cut on a character boundary, ending in "…" when cut).  Removing a control keeps the printable text
 * around it: "Before\x1b[2JAfter" becomes "Before[2JAfter" — visible, harmless.  LRM, RLM and ALM
 * and the soft hyphen are kept: Hebrew and Arabic text needs the marks, and without the overrides
 * they reorder nothing. */
#ifndef WINNOW_TEXT_H
#define WINNOW_TEXT_H

#include <stddef.h>

#include "util.h"

enum {
    TEXT_MULTILINE = 1 << 0,   /* keep LF (CR LF / CR become LF); else every line break becomes a space */
    TEXT_KEEP_TABS = 1 << 1,   /* keep TAB; else TAB becomes a space */
    TEXT_NO_TRIM   = 1 << 2,   /* keep leading/trailing white space and runs of spaces */
};

/* Field limits used across the project (bytes). */
#define TEXT_MAX_TITLE   1024
#define TEXT_MAX_NAME    512
#define TEXT_MAX_URL     4096
#define TEXT_MAX_SUMMARY 65536
#define TEXT_MAX_SHORT   256

/* Sanitises len bytes of s (NUL bytes inside are dropped) into a new arena string.  Returns NULL only
 * when s is NULL.  Unless TEXT_NO_TRIM, white space is trimmed at both ends and runs of spaces within
 * a line fold to one. */
char *text_sanitize(struct arena *a, const char *s, size_t len, size_t max_bytes, int flags);

/* Same, into a malloc'd string the caller frees. */
char *text_sanitize_dup(const char *s, size_t len, size_t max_bytes, int flags);
/* text_sanitize without its shortcuts for letters and runs of words: the same result, slower
 * (tests/unit/test_text.c compares the two). */
char *text_sanitize_slow(struct arena *a, const char *s, size_t len, size_t max_bytes, int flags);

/* True when s (NUL-terminated) would pass text_sanitize unchanged with the given flags, ignoring
 * trimming: used by tests and debug asserts. */
int text_is_clean(const char *s, int flags);

/* Decodes one UTF-8 code point at s (n bytes available); returns its length (1 on invalid input,
 * with *cp = 0xFFFD). */
int utf8_decode(const unsigned char *s, size_t n, unsigned *cp);
/* Encodes cp into out (4 bytes room); returns the length. */
int utf8_encode(unsigned cp, char *out);

/* Terminal columns a code point takes (0, 1 or 2); wcwidth with a fixed table for emoji and CJK so
 * the result does not depend on the C library's locale data. */
int cp_width(unsigned cp);
/* Columns of a sanitised UTF-8 string. */
int text_width(const char *s);
/* Bytes of s that fit in cols columns without splitting a character. */
size_t text_fit(const char *s, int cols, int *used_cols);

/* Shortens s in place by an incomplete UTF-8 sequence at its end, the mark of a cut by bytes
 * (snprintf into a fixed buffer): half a character would show as U+FFFD. */
void text_trim_partial(char *s);

/* Folds case for ASCII and returns whether needle occurs in hay (case-insensitive for ASCII,
 * exact for the rest).  Used by search and filters. */
int text_contains_ci(const char *hay, const char *needle);

/* Word-wraps s to width columns, appending lines (separated by LF) to out.  Long words are broken. */
void text_wrap(struct strbuf *out, const char *s, int width);

/* What an ASCII-only terminal (LANG=C) shows for a common non-ASCII character: quotes, dashes,
 * the ellipsis, bullets, spaces and a few signs ("'" for U+2019, "--" for U+2014, "..." for
 * U+2026); NULL when there is no usual spelling (the caller shows "?"). */
const char *text_ascii_for(unsigned cp);

#endif
