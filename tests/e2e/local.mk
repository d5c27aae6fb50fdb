# SPDX-License-Identifier: ISC
TESTS += tests/e2e/tui_basic.sh tests/e2e/tui_nav.sh tests/e2e/tui_resize.sh tests/e2e/tui_escape.sh \
	tests/e2e/tui_theme.sh tests/e2e/tui_refresh.sh tests/e2e/tui_firstrun.sh tests/e2e/tui_demo.sh
EXTRA_DIST += tests/e2e/tui_basic.sh tests/e2e/lib.sh tests/e2e/tui_nav.sh tests/e2e/tui_resize.sh \
	tests/e2e/tui_escape.sh tests/e2e/tui_theme.sh tests/e2e/tui_refresh.sh tests/e2e/tui_firstrun.sh tests/e2e/tui_demo.sh
TESTS += tests/e2e/play_tct.sh
EXTRA_DIST += tests/e2e/play_tct.sh
TESTS += tests/e2e/tui_thumbs.sh tests/e2e/tui_badges.sh tests/e2e/tui_cards.sh
EXTRA_DIST += tests/e2e/tui_thumbs.sh tests/e2e/tui_badges.sh tests/e2e/tui_cards.sh
TESTS += tests/e2e/tui_play.sh tests/e2e/tui_lists.sh tests/e2e/tui_local_files.sh tests/e2e/tui_sensitive.sh tests/e2e/tui_links.sh tests/e2e/tui_width.sh tests/e2e/tui_mailto.sh tests/e2e/tui_bounds.sh
EXTRA_DIST += tests/e2e/tui_play.sh tests/e2e/tui_lists.sh tests/e2e/tui_local_files.sh tests/e2e/tui_sensitive.sh tests/e2e/tui_links.sh tests/e2e/tui_width.sh tests/e2e/tui_mailto.sh tests/e2e/tui_bounds.sh
TESTS += tests/e2e/tui_categories.sh
EXTRA_DIST += tests/e2e/tui_categories.sh
TESTS += tests/e2e/tui_store_errors.sh
EXTRA_DIST += tests/e2e/tui_store_errors.sh
