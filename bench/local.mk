# SPDX-License-Identifier: ISC
EXTRA_DIST += bench/refresh.sh
# Benchmarks are measured, not asserted.  `make bench` runs every one of them and prints their
# headline figures as one table (bench/report.sh, full outputs in bench-report/); each also runs
# alone: bench-refresh, bench-tui, bench-thumb, bench-prov, bench-play.
# The cold refresh at BENCH_FEEDS feeds beside newsraft (built under bench/peers here) and newsboat.
BENCH_ENV = WINNOW_BIN=$(abs_top_builddir)/winnow WINNOW_SHARED=$(abs_top_srcdir)/../shared \
	BENCH_PEERS=$(abs_top_builddir)/bench/peers
bench-refresh: winnow
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/refresh.sh $(BENCH_FEEDS)
BENCH_FEEDS = 300 3000
.PHONY: bench bench-refresh
# The reader (TUI): first frame, bytes per cursor move and scroll, idle CPU; newsboat alongside.
EXTRA_DIST += bench/tui.sh bench/tui_pty.py bench/tui_gen.py bench/tui_results.md
bench-tui: winnow
	WINNOW_BIN=$(abs_top_builddir)/winnow PYTHON3=$(PYTHON3) $(SHELL) $(srcdir)/bench/tui.sh
.PHONY: bench-tui
# thumbnails: decode + render time, memory of cached grids, a page of rows (make bench-thumb)
EXTRA_PROGRAMS = bench/thumb
bench_thumb_SOURCES = bench/thumb.c
bench_thumb_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/tests/unit -I$(top_srcdir)/src/ui
bench_thumb_LDADD = libwinnow.a $(DEPS_LIBS)
CLEANFILES += bench/thumb$(EXEEXT)
bench-thumb: bench/thumb$(EXEEXT)
	./bench/thumb$(EXEEXT)
.PHONY: bench-thumb
# Provenance: full C2PA verification of a 2 MB PNG, of a 50 MB MP4 and a 20 MB TIFF streamed from
# disk (with peak RSS), and the scan of images without a manifest.
EXTRA_PROGRAMS += bench/prov_bench
bench_prov_bench_SOURCES = bench/prov_bench.c tests/unit/test_prov_signer.c tests/unit/prov_testsign.h
bench_prov_bench_LDADD = libwinnow.a $(DEPS_LIBS)
CLEANFILES += bench/prov_bench$(EXEEXT)
bench-prov: bench/prov_bench$(EXEEXT)
	./bench/prov_bench$(EXEEXT) "$${WINNOW_FIXTURES:-$(abs_top_srcdir)/../shared/fixtures}/provenance"
.PHONY: bench-prov
# Feed parsing: a 1 MB feed as UTF-8, UTF-16 and big5, conversion included (make bench-parse).
EXTRA_PROGRAMS += bench/parse
bench_parse_SOURCES = bench/parse.c
bench_parse_LDADD = libwinnow.a $(DEPS_LIBS)
CLEANFILES += bench/parse$(EXEEXT)
bench-parse: bench/parse$(EXEEXT)
	./bench/parse$(EXEEXT)
.PHONY: bench-parse
# Playback: exec to first video frame and terminal bytes/s, full against the SSH preset.
EXTRA_DIST += bench/play.sh bench/play_pty.py
bench-play: winnow tests/player_term_prog
	WINNOW_BIN=$(abs_top_builddir)/winnow PYTHON3=$(PYTHON3) $(SHELL) $(srcdir)/bench/play.sh
.PHONY: bench-play
# Every benchmark at once, its headline figures in one table (bench/report.sh).
EXTRA_DIST += bench/report.sh bench/parse.c
bench bench-report: winnow bench/thumb$(EXEEXT) bench/prov_bench$(EXEEXT) bench/parse$(EXEEXT) tests/player_term_prog
	$(BENCH_ENV) PYTHON3=$(PYTHON3) BENCH_FEEDS="$(BENCH_FEEDS)" \
	  WINNOW_FIXTURES=$${WINNOW_FIXTURES:-$(abs_top_srcdir)/../shared/fixtures} \
	  $(SHELL) $(srcdir)/bench/report.sh
.PHONY: bench-report
