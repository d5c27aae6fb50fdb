TESTS += tests/integration/cli.sh tests/integration/import.sh tests/integration/crash.sh
EXTRA_DIST += tests/integration/cli.sh tests/integration/import.sh tests/integration/crash.sh \
	tests/integration/lib.sh
TESTS += tests/integration/lists.sh
EXTRA_DIST += tests/integration/lists.sh
TESTS += tests/integration/play.sh
EXTRA_DIST += tests/integration/play.sh
TESTS += tests/integration/thumb.sh
EXTRA_DIST += tests/integration/thumb.sh
TESTS += tests/integration/badge.sh
EXTRA_DIST += tests/integration/badge.sh
TESTS += tests/integration/sources.sh
EXTRA_DIST += tests/integration/sources.sh tests/integration/apiroutes.py
