TESTS += tests/integration/cli.sh tests/integration/import.sh tests/integration/crash.sh
EXTRA_DIST += tests/integration/cli.sh tests/integration/import.sh tests/integration/crash.sh \
	tests/integration/lib.sh
