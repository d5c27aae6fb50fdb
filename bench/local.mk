EXTRA_DIST += bench/refresh.sh
# Benchmarks are measured, not asserted: `make bench` prints the figures.
bench: winnow
	WINNOW_BIN=$(abs_top_builddir)/winnow $(SHELL) $(srcdir)/bench/refresh.sh $(BENCH_FEEDS)
BENCH_FEEDS = 300
.PHONY: bench
