# SPDX-License-Identifier: ISC
# store tests: behaviour (test_store) and two processes + volume (test_store_load)
check_PROGRAMS += tests/unit/test_store tests/unit/test_store_load
TESTS += tests/unit/test_store tests/unit/test_store_load
tests_unit_test_store_SOURCES = tests/unit/test_store.c tests/unit/store_testutil.h
tests_unit_test_store_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_LDADD = $(UNIT_LIBS)
tests_unit_test_store_load_SOURCES = tests/unit/test_store_load.c tests/unit/store_testutil.h
tests_unit_test_store_load_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_load_LDADD = $(UNIT_LIBS)
