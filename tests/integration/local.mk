# SPDX-License-Identifier: ISC
TESTS += tests/integration/cli.sh tests/integration/import.sh tests/integration/crash.sh
TESTS += tests/integration/cli_opts.sh
EXTRA_DIST += tests/integration/cli_opts.sh
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
TESTS += tests/integration/faults.sh
EXTRA_DIST += tests/integration/faults.sh
TESTS += tests/integration/rules.sh
EXTRA_DIST += tests/integration/rules.sh
TESTS += tests/integration/crash_lists.sh
EXTRA_DIST += tests/integration/crash_lists.sh
# The terminal-safety sweep over every malformed fixture lives with the e2e tests.
TESTS += tests/e2e/tui_malformed.sh
EXTRA_DIST += tests/e2e/tui_malformed.sh
# The valgrind pass over the CLI (run by .ci/run, not by make check).
EXTRA_DIST += tests/valgrind.sh
TESTS += tests/integration/hardening.sh tests/integration/bounds.sh tests/integration/cli_text.sh tests/integration/diskfull.sh tests/integration/m3u_rule.sh tests/integration/play_wall.sh
EXTRA_DIST += tests/integration/hardening.sh tests/integration/bounds.sh tests/integration/cli_text.sh tests/integration/diskfull.sh tests/integration/m3u_rule.sh tests/integration/play_wall.sh
TESTS += tests/integration/provenance.sh
EXTRA_DIST += tests/integration/provenance.sh
TESTS += tests/integration/ytdlp.sh
EXTRA_DIST += tests/integration/ytdlp.sh
TESTS += tests/integration/login.sh
EXTRA_DIST += tests/integration/login.sh tests/integration/authroutes.py
TESTS += tests/integration/platforms.sh
EXTRA_DIST += tests/integration/platforms.sh tests/integration/siteroutes.py
TESTS += tests/integration/feeds_long_tail.sh
EXTRA_DIST += tests/integration/feeds_long_tail.sh
TESTS += tests/integration/subscribe.sh tests/integration/docs.sh
EXTRA_DIST += tests/integration/subscribe.sh tests/integration/docs.sh
TESTS += tests/integration/concurrency.sh
EXTRA_DIST += tests/integration/concurrency.sh
