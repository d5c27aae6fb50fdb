# SPDX-License-Identifier: ISC
# app tests: the refresh state machine against the loopback server (test_refresh)
check_PROGRAMS += tests/unit/test_refresh
TESTS += tests/unit/test_refresh
tests_unit_test_refresh_SOURCES = tests/unit/test_refresh.c tests/unit/testserver.h
tests_unit_test_refresh_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_refresh_LDADD = $(UNIT_LIBS)
