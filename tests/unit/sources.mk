# sources tests: the API adapters on the real captures, on hostile input, URL recognition, the
# follow-up mechanism and generated data for the sources without captures
check_PROGRAMS += tests/unit/test_src_fixtures
TESTS += tests/unit/test_src_fixtures
EXTRA_DIST += tests/unit/srcutil.h
tests_unit_test_src_fixtures_SOURCES = tests/unit/test_src_fixtures.c
tests_unit_test_src_fixtures_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_src_fixtures_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_src_urls
TESTS += tests/unit/test_src_urls
tests_unit_test_src_urls_SOURCES = tests/unit/test_src_urls.c
tests_unit_test_src_urls_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_src_urls_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_src_malformed
TESTS += tests/unit/test_src_malformed
tests_unit_test_src_malformed_SOURCES = tests/unit/test_src_malformed.c
tests_unit_test_src_malformed_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_src_malformed_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_src_generated
TESTS += tests/unit/test_src_generated
tests_unit_test_src_generated_SOURCES = tests/unit/test_src_generated.c
tests_unit_test_src_generated_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_src_generated_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_src_follow
TESTS += tests/unit/test_src_follow
tests_unit_test_src_follow_SOURCES = tests/unit/test_src_follow.c
tests_unit_test_src_follow_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_src_follow_LDADD = $(UNIT_LIBS)
