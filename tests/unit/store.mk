# SPDX-License-Identifier: ISC
# store tests: behaviour (test_store), two processes + volume (test_store_load), and the
# invariants that keep a million items fast (test_store_scale: kept counts, key paging, text index)
check_PROGRAMS += tests/unit/test_store tests/unit/test_store_load tests/unit/test_store_scale
TESTS += tests/unit/test_store tests/unit/test_store_load tests/unit/test_store_scale
tests_unit_test_store_SOURCES = tests/unit/test_store.c tests/unit/store_testutil.h
tests_unit_test_store_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_LDADD = $(UNIT_LIBS)
tests_unit_test_store_load_SOURCES = tests/unit/test_store_load.c tests/unit/store_testutil.h
tests_unit_test_store_load_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_load_LDADD = $(UNIT_LIBS)
tests_unit_test_store_scale_SOURCES = tests/unit/test_store_scale.c tests/unit/store_testutil.h
tests_unit_test_store_scale_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_scale_LDADD = $(UNIT_LIBS)
# the text index's tokenizer against SQLite's built-in unicode61 (src/store/fts_tok.c)
check_PROGRAMS += tests/unit/test_fts_tok
TESTS += tests/unit/test_fts_tok
tests_unit_test_fts_tok_SOURCES = tests/unit/test_fts_tok.c tests/unit/store_testutil.h
tests_unit_test_fts_tok_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_fts_tok_LDADD = $(UNIT_LIBS)
