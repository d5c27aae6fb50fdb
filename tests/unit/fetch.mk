# SPDX-License-Identifier: ISC
# fetch tests: the engine against the loopback fixture server, which test_fetch starts itself
check_PROGRAMS += tests/unit/test_fetch
TESTS += tests/unit/test_fetch
tests_unit_test_fetch_SOURCES = tests/unit/test_fetch.c
tests_unit_test_fetch_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_fetch_LDADD = $(UNIT_LIBS)
EXTRA_DIST += tests/integration/server.py tests/integration/serverctl.sh
