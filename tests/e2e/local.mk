TESTS += tests/e2e/tui_basic.sh
EXTRA_DIST += tests/e2e/tui_basic.sh tests/e2e/lib.sh
