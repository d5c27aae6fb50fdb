/* SPDX-License-Identifier: ISC */
/* charset — finds the character encoding of a feed body and turns the body into UTF-8 before any
 * parser sees it, so the XML and JSON parsers only ever handle UTF-8.  Private to src/sources.
 *
 * The order is RFC 7303's, with what browsers' feed readers do where the RFC leaves a gap: a byte
 * order mark, then the charset parameter of an HTTP Content-Type of text/... or application/...xml,
 * then the XML declaration (or the byte pattern of "<?xml" in UTF-16/32), then UTF-8.  Bytes that
 * are not valid UTF-8 in a body read as UTF-8 are windows-1252 (the "smart quotes" of a CMS that
 * pasted cp1252 into UTF-8), which is also what a body in no charset at all usually is.  Legacy
 * charsets (big5, gb18030, shift_jis, koi8-r, windows-125x, iso-8859-x, ...) go through iconv;
 * bytes iconv cannot convert become U+FFFD, never a failure. */
#ifndef WINNOW_CHARSET_H
#define WINNOW_CHARSET_H

#include <stddef.h>

/* The charset name used is written here ("utf-8", "utf-16le", "big5", ...), lower case. */
#define CHARSET_NAME_MAX 48

/* Converts body to UTF-8 following the order above.  Returns a malloc'd, NUL-terminated copy in
 * *out (length *outn) when the body had to change, or NULL when it is UTF-8 already and needs no
 * change (the caller parses body itself).  When is_xml, the XML declaration of a converted body is
 * rewritten to say UTF-8, so expat reads the converted bytes as what they are; line breaks are
 * kept, so parse errors still name the original's lines.  content_type may be NULL.  used gets the
 * charset's name. */
char *charset_to_utf8(const char *body, size_t len, const char *content_type, int is_xml,
                      size_t *outn, char used[CHARSET_NAME_MAX]);

/* charset_to_utf8, with *xml_clean set to 1 when the text to parse (the copy, or body itself when
 * NULL comes back) was found, on the way, to be valid UTF-8 with no C0 control XML forbids and no
 * U+FFFE or U+FFFF: what xmlprep_repair would find nothing to repair in.  0 when unknown. */
char *charset_to_utf8_checked(const char *body, size_t len, const char *content_type, int is_xml,
                              size_t *outn, char used[CHARSET_NAME_MAX], int *xml_clean);

/* The charset parameter of a Content-Type value, when the type is one RFC 7303 lets it apply to
 * (text/..., application/xml, application/...+xml), into name; 0 when there is none. */
int charset_from_content_type(const char *content_type, char name[CHARSET_NAME_MAX]);

/* The windows-1252 character of byte b (0x80..0xFF), 0xFFFD for the five holes. */
unsigned charset_cp1252(unsigned char b);

/* Repairs double-encoded UTF-8 ("â€™" for "’", "Ã©" for "é"): when every non-ASCII character of
 * s maps back to one windows-1252 / latin-1 byte and those bytes form valid UTF-8 with at least one
 * multi-byte sequence, s is rewritten in place (it only shrinks).  Returns 1 when it changed. */
int charset_fix_double_utf8(char *s);

#endif
