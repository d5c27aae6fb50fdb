/* SPDX-License-Identifier: ISC */
/* xmlprep — what feed_xml does to a body before and around expat.  Private to src/sources. */
#ifndef WINNOW_XMLPREP_H
#define WINNOW_XMLPREP_H

#include <stddef.h>

#include <expat.h>

/* Bytes of BOM and white space at the start of s. */
size_t xmlprep_skip_space(const char *s, size_t n);

/* True when the body starts like an HTML page (after an optional XML declaration and comments). */
int xmlprep_is_html_page(const char *s, size_t n);

/* A repaired malloc'd copy when the body needs one, else NULL: for UTF-8 bodies, invalid sequences
 * and U+FFFE/U+FFFF become U+FFFD and the C0 controls XML forbids are dropped; for other
 * ASCII-based charsets only the control bytes go; UTF-16/32 bodies are left alone.  Line breaks are
 * never touched, so error line numbers still match the original. */
char *xmlprep_repair(const char *s, size_t n, size_t *outn);

/* The body with an external DTD reference spliced in after the XML declaration (on the same
 * line), so expat reports undeclared entities as skipped instead of failing; NULL when the body
 * already has a DOCTYPE.  The DTD is never read.  Caller frees. */
char *xmlprep_with_dtd(const char *s, size_t n, size_t *outn);

/* A copy with what expat would stop at but every feed reader reads as meant (NULL when there is
 * nothing to change): a '&' that starts no reference becomes "&amp;" ("?a=1&b=2" in a URL), and
 * "&#X41;" becomes "&#x41;".  CDATA sections, comments and processing instructions are left
 * alone.  Caller frees. */
char *xmlprep_fix_refs(const char *s, size_t n, size_t *outn);
/* The same without its shortcuts: the same result, slower (tests/unit/test_malformed_feeds.c
 * compares the two). */
char *xmlprep_fix_refs_slow(const char *s, size_t n, size_t *outn);

/* For "unbound prefix" (dc:creator without xmlns:dc, a common slip): a copy with a declaration
 * for every prefix the body uses but never declares, added to the root element's start tag on the
 * same line.  The well-known prefixes (dc, content, itunes, media, atom, ...) get their real
 * namespaces, others a private one.  NULL when there is nothing to add.  Caller frees. */
char *xmlprep_declare_prefixes(const char *s, size_t n, size_t *outn);

/* XML_UnknownEncodingHandler for single-byte, ASCII-based charsets iconv knows (windows-1251,
 * koi8-r, ...); refuses multi-byte ones. */
int xmlprep_unknown_encoding(void *data, const XML_Char *name, XML_Encoding *info);

#endif
