# SPDX-License-Identifier: ISC
# provenance tests
PROV_TEST_SIGNER = tests/unit/test_prov_signer.c tests/unit/prov_testsign.h
check_PROGRAMS += tests/unit/test_prov_sign
TESTS += tests/unit/test_prov_sign
tests_unit_test_prov_sign_SOURCES = tests/unit/test_prov_sign.c $(PROV_TEST_SIGNER)
tests_unit_test_prov_sign_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_prov_sign_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_prov_fixtures
TESTS += tests/unit/test_prov_fixtures
tests_unit_test_prov_fixtures_SOURCES = tests/unit/test_prov_fixtures.c $(PROV_TEST_SIGNER)
tests_unit_test_prov_fixtures_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_prov_fixtures_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_prov_readers
TESTS += tests/unit/test_prov_readers
tests_unit_test_prov_readers_SOURCES = tests/unit/test_prov_readers.c
tests_unit_test_prov_readers_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_prov_readers_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_prov_badge
TESTS += tests/unit/test_prov_badge
tests_unit_test_prov_badge_SOURCES = tests/unit/test_prov_badge.c
tests_unit_test_prov_badge_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_prov_badge_LDADD = $(UNIT_LIBS)
# The fuzz harnesses of the provenance readers are built and run from tests/fuzz/fuzz.mk.
check_PROGRAMS += tests/unit/test_prov_formats
TESTS += tests/unit/test_prov_formats
tests_unit_test_prov_formats_SOURCES = tests/unit/test_prov_formats.c $(PROV_TEST_SIGNER)
tests_unit_test_prov_formats_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_prov_formats_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_prov_identity
TESTS += tests/unit/test_prov_identity
tests_unit_test_prov_identity_SOURCES = tests/unit/test_prov_identity.c
tests_unit_test_prov_identity_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_prov_identity_LDADD = $(UNIT_LIBS)
# The stored verdict is the shown badge's: synthetic cases, every fixture item, a session's masks.
EXTRA_DIST += tests/unit/prov_verdict_check.h
check_PROGRAMS += tests/unit/test_prov_verdict
TESTS += tests/unit/test_prov_verdict
tests_unit_test_prov_verdict_SOURCES = tests/unit/test_prov_verdict.c
tests_unit_test_prov_verdict_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_prov_verdict_LDADD = $(UNIT_LIBS)
