# SPDX-License-Identifier: ISC
# Fuzzing with libFuzzer (clang; Debian: apt-get install clang libclang-rt-14-dev).
#   make fuzz                       builds tests/fuzz/fuzz_NAME for every harness below
#   make fuzz-run FUZZ_SECONDS=N    seeds the corpora from the fixtures and runs each for N s
#   sh SRCDIR/tests/fuzz/long.sh SRCDIR FIXTURES SECONDS   all harnesses at once, one table (RESULTS.md)
# Crashes land in tests/fuzz/crashes-NAME/; each one becomes a regression test (a cmocka case of
# the owning room), and its input is kept under tests/fuzz/regressions/NAME/, which fuzz-run
# replays before fuzzing.
# The library is compiled once more with clang and the sanitisers (objects in tests/fuzz/obj/),
# so a harness reaches the same code the program runs, libraries included.
FUZZ_CC = clang
FUZZ_SECONDS = 120
FUZZ_MAX_LEN = 65536
FUZZ_HARNESSES = feed_xml jsonfeed sources html text date image opml config jumbf cbor xmp
FUZZ_SAN = address,undefined
FUZZ_CPPFLAGS = $(DEFS) $(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(CPPFLAGS)
FUZZ_CFLAGS = -g -O1 -std=gnu11 -w -fno-sanitize-recover=undefined
FUZZ_LIB_OBJS = $(patsubst %.c,tests/fuzz/obj/%.o,$(filter %.c,$(libwinnow_a_SOURCES)))
FUZZ_BINS = $(addprefix tests/fuzz/fuzz_,$(FUZZ_HARNESSES))

EXTRA_DIST += tests/fuzz/fuzz.mk tests/fuzz/seeds.py tests/fuzz/seeds.sh tests/fuzz/RESULTS.md \
	tests/fuzz/long.sh tests/fuzz/table.sh \
	$(addsuffix .c,$(FUZZ_BINS))

tests/fuzz/obj/%.o: $(srcdir)/%.c
	@mkdir -p $(@D)
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c -o $@ $<
tests/fuzz/libwinnow-fuzz.a: $(FUZZ_LIB_OBJS)
	$(AM_V_AR)rm -f $@ && $(AR) cr $@ $(FUZZ_LIB_OBJS) && $(RANLIB) $@
tests/fuzz/fuzz_%: $(srcdir)/tests/fuzz/fuzz_%.c tests/fuzz/libwinnow-fuzz.a
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $< \
	  tests/fuzz/libwinnow-fuzz.a $(DEPS_LIBS)

fuzz-check-cc:
	@if ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' | \
	  $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then \
	  echo "fuzz: needs clang with libFuzzer (apt-get install clang libclang-rt-14-dev)"; exit 1; fi
fuzz: fuzz-check-cc
	@$(MAKE) $(AM_MAKEFLAGS) $(FUZZ_BINS)
# Each harness runs alone (-jobs=1); its log's last lines hold the figures RESULTS.md quotes.
# A crash, leak or timeout fails the run; the others still run, and the last line counts them.
fuzz-run: fuzz
	rm -rf tests/fuzz/corpus tests/fuzz/logs
	@mkdir -p tests/fuzz/logs
	$(PYTHON3) $(srcdir)/tests/fuzz/seeds.py \
	  "$${WINNOW_FIXTURES:-$(abs_top_srcdir)/../shared/fixtures}/provenance" tests/fuzz/corpus
	$(SHELL) $(srcdir)/tests/fuzz/seeds.sh \
	  "$${WINNOW_FIXTURES:-$(abs_top_srcdir)/../shared/fixtures}" $(srcdir) tests/fuzz/corpus
	@pass=0; fail=0; for h in $(FUZZ_HARNESSES); do mkdir -p tests/fuzz/crashes-$$h tests/fuzz/corpus/$$h; \
	  reg=$(srcdir)/tests/fuzz/regressions/$$h; \
	  if [ -d $$reg ] && ! tests/fuzz/fuzz_$$h $$reg/* >tests/fuzz/logs/$$h.regressions.log 2>&1; then \
	    fail=$$((fail + 1)); echo "fuzz_$$h: a regression input crashes again"; \
	    tail -30 tests/fuzz/logs/$$h.regressions.log; continue; fi; \
	  if tests/fuzz/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) \
	     -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
	     -artifact_prefix=tests/fuzz/crashes-$$h/ tests/fuzz/corpus/$$h \
	     >tests/fuzz/logs/$$h.log 2>&1; then pass=$$((pass + 1)); r=ok; \
	  else fail=$$((fail + 1)); r=FAILED; fi; \
	  echo "fuzz_$$h: $$r, $$(grep -E '^#[0-9]+' tests/fuzz/logs/$$h.log | tail -1 | \
	    sed -E 's/^#([0-9]+).*cov: ([0-9]+).*ft: ([0-9]+).*/\1 runs, cov \2, ft \3/')"; \
	  [ $$r = ok ] || tail -30 tests/fuzz/logs/$$h.log; done; \
	  echo "fuzz: $$pass passed, $$fail failed"; [ $$fail = 0 ]
clean-local: clean-fuzz
clean-fuzz:
	rm -rf tests/fuzz/obj tests/fuzz/libwinnow-fuzz.a $(FUZZ_BINS) tests/fuzz/corpus tests/fuzz/logs
.PHONY: fuzz fuzz-run fuzz-check-cc clean-fuzz
