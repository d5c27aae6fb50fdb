/* SPDX-License-Identifier: ISC */
/* html — turns the HTML found in feed summaries and posts into readable plain text: paragraphs and
 * line breaks become LF, lists get bullets, links keep their text, scripts and styles vanish,
 * entities are decoded.  Uses libxml2's HTML parser (a real parser, not regexes). */
#ifndef WINNOW_HTML_H
#define WINNOW_HTML_H

#include <stddef.h>

#include "util.h"

/* Returns plain text (not yet sanitised; the item sink does that) in the arena.  Never NULL: input
 * that is not HTML comes back as its text.  Input longer than max_in bytes is cut first. */
char *html_to_text(struct arena *a, const char *html, size_t len);

/* The same for an article's text: every link and picture with an http(s) or mailto: URL gets its
 * number after its text ("Squarespace [4]", "[image 5: alt]"), and the text ends with
 * HTML_LINKS_HEADING and one "[N] URL" line per number, in reading order. */
#define HTML_LINKS_HEADING "Links:"
char *html_to_text_linked(struct arena *a, const char *html, size_t len);

/* The same as html_to_text (number_links 0) or html_to_text_linked (1) through libxml2's parser
 * alone, without the fast path for plain fragments: what that path must agree with (the tests
 * compare the two on random fragments). */
char *html_to_text_libxml(struct arena *a, const char *html, size_t len, int number_links);
/* html_to_text(_linked) with the text written a byte at a time and the scans of before, as the
 * faster writing must agree with (tests/unit/test_html.c compares them). */
char *html_to_text_ref(struct arena *a, const char *html, size_t len, int number_links);

/* True when s looks like it holds HTML markup worth converting. */
int html_looks_like(const char *s, size_t len);

#endif
