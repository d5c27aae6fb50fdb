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

# Fuzzing the provenance readers with libFuzzer (clang; Debian: apt-get install clang
# libclang-rt-14-dev).  `make fuzz` builds tests/fuzz/fuzz_{jumbf,cbor,xmp}; `make fuzz-run
# FUZZ_SECONDS=180` seeds them from the fixtures and runs each; crashes land in
# tests/fuzz/crashes-NAME/ (each one becomes a case in tests/unit/test_prov_readers.c).
FUZZ_CC = clang
FUZZ_SECONDS = 120
FUZZ_HARNESSES = jumbf cbor xmp
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 \
	-I$(top_srcdir)/include -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED \
	$(CBOR_CFLAGS) $(CRYPTO_CFLAGS) $(EXPAT_CFLAGS) $(CJSON_CFLAGS)
FUZZ_LIBS = $(CBOR_LIBS) $(CRYPTO_LIBS) $(EXPAT_LIBS) $(CJSON_LIBS) -lm
FUZZ_SRC = $(addprefix $(top_srcdir)/,$(filter %.c,$(PROV_SOURCES))) \
	$(top_srcdir)/src/core/util.c $(top_srcdir)/src/core/text.c
EXTRA_DIST += tests/fuzz/fuzz_jumbf.c tests/fuzz/fuzz_cbor.c tests/fuzz/fuzz_xmp.c tests/fuzz/seeds.py
CLEANFILES += tests/fuzz/fuzz_jumbf tests/fuzz/fuzz_cbor tests/fuzz/fuzz_xmp
fuzz:
	@if ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' | \
	  $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then \
	  echo "fuzz: needs clang with libFuzzer (apt-get install clang libclang-rt-14-dev)"; exit 1; fi
	@mkdir -p tests/fuzz
	for h in $(FUZZ_HARNESSES); do \
	  $(FUZZ_CC) $(FUZZ_CFLAGS) -o tests/fuzz/fuzz_$$h $(top_srcdir)/tests/fuzz/fuzz_$$h.c $(FUZZ_SRC) \
	    $(FUZZ_LIBS) || exit 1; done
fuzz-run: fuzz
	rm -rf tests/fuzz/corpus
	$(PYTHON3) $(top_srcdir)/tests/fuzz/seeds.py \
	  "$${WINNOW_FIXTURES:-$(abs_top_srcdir)/../shared/fixtures}/provenance" tests/fuzz/corpus
	for h in $(FUZZ_HARNESSES); do mkdir -p tests/fuzz/crashes-$$h; \
	  tests/fuzz/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=2048 \
	    -artifact_prefix=tests/fuzz/crashes-$$h/ tests/fuzz/corpus/$$h || exit 1; done
.PHONY: fuzz fuzz-run
