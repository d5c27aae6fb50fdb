# SPDX-License-Identifier: ISC
# curation tests: lists, entries, undo, purge, rules, import, two writers (test_lists)
check_PROGRAMS += tests/unit/test_lists
TESTS += tests/unit/test_lists
tests_unit_test_lists_SOURCES = tests/unit/test_lists.c tests/unit/store_testutil.h
tests_unit_test_lists_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_lists_LDADD = $(UNIT_LIBS)
