/* SPDX-License-Identifier: ISC */
/* feedutil — small helpers the feed parsers (XML and JSON Feed) share: titles for posts without one,
 * podcast durations, MIME types guessed from file names, entity decoding for plain-text fields.
 * Private to src/sources. */
#ifndef WINNOW_FEEDUTIL_H
#define WINNOW_FEEDUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Longest derived title, in characters; cut at a word boundary. */
#define FEED_DERIVED_TITLE_CHARS 120

/* A title for a post that has none: the first non-blank line of text, at most
 * FEED_DERIVED_TITLE_CHARS characters, cut at a word boundary and ended with "…".  NULL when the
 * text has nothing printable. */
char *feed_title_from_text(struct arena *a, const char *text);

/* "HH:MM:SS", "MM:SS", "SSSS" (a fraction is ignored) to seconds; -1 when not a duration. */
int64_t feed_parse_duration(const char *s);

/* A non-negative decimal integer (surrounding blanks allowed); -1 otherwise. */
int64_t feed_parse_count(const char *s);

/* The MIME type a media URL's extension implies ("audio/mpeg" for ".mp3"), or NULL. */
const char *feed_guess_mime(const char *url);

/* True when s is NULL or holds only white space. */
int feed_blank(const char *s);

/* Decodes HTML character references (&amp;, &#8217;, &eacute;, ...) in text that is meant to be
 * plain, such as an RSS title whose publisher escaped it twice.  Returns s itself when it has
 * none. */
char *feed_decode_entities(struct arena *a, char *s);

/* JSON text written the way cJSON_PrintUnformatted writes it, for the hot paths that would
 * otherwise build a cJSON tree only to print it: a string literal ('"', '\\' and control
 * characters escaped, the rest as it is), and a count.  feed_json_count returns 0 (and adds
 * nothing) for a value cJSON would not print as plain digits (negative, or 10^15 and more): the
 * caller then takes cJSON's own path. */
void feed_json_str(struct strbuf *b, const char *s);
int feed_json_count(struct strbuf *b, int64_t v);

#endif
