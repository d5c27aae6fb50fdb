# SPDX-License-Identifier: ISC
# feeds tests: the feed parsers (RSS/Atom/JSON Feed), HTML to text, URL resolution
check_PROGRAMS += tests/unit/test_feeds tests/unit/test_malformed_feeds tests/unit/test_html \
	tests/unit/test_url
TESTS += tests/unit/test_feeds tests/unit/test_malformed_feeds tests/unit/test_html \
	tests/unit/test_url
tests_unit_test_feeds_SOURCES = tests/unit/test_feeds.c
tests_unit_test_feeds_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_feeds_LDADD = $(UNIT_LIBS)
tests_unit_test_malformed_feeds_SOURCES = tests/unit/test_malformed_feeds.c
tests_unit_test_malformed_feeds_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_malformed_feeds_LDADD = $(UNIT_LIBS)
tests_unit_test_html_SOURCES = tests/unit/test_html.c
tests_unit_test_html_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_html_LDADD = $(UNIT_LIBS)
tests_unit_test_url_SOURCES = tests/unit/test_url.c
tests_unit_test_url_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_url_LDADD = $(UNIT_LIBS)
# one small input file per case in tests/feeds/cases, each stating what it expects
check_PROGRAMS += tests/unit/test_feed_cases
TESTS += tests/unit/test_feed_cases
EXTRA_DIST += tests/feeds/cases
tests_unit_test_feed_cases_SOURCES = tests/unit/test_feed_cases.c
tests_unit_test_feed_cases_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_feed_cases_LDADD = $(UNIT_LIBS)
# the parser's shortcuts against the careful paths they stand in for (issue 19)
check_PROGRAMS += tests/unit/test_parse_fast
TESTS += tests/unit/test_parse_fast
tests_unit_test_parse_fast_SOURCES = tests/unit/test_parse_fast.c
tests_unit_test_parse_fast_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_parse_fast_LDADD = $(UNIT_LIBS)
