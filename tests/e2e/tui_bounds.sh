#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 17, point 4, in the reader: when max-new-items holds back part of a feed, R's summary
# says so (the rest comes with later refreshes) instead of the feed seeming to have lost items.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT
make_feed "$T/n.xml" "Numbered" 8 "Entry"
w add "file://$T/n.xml"
echo "max-new-items = 3" >"$XDG_CONFIG_HOME/winnow/config"
winnow_tmux 120 30
expect "the reader starts empty" wait_for "1 feed, not fetched yet: press R"
tmux_keys R
expect "R stores three and says the cap held back the rest" \
  wait_for "3 new items, 0 failed; 1 feed had more new items than max-new-items (3)"
expect "the newest three are listed" wait_for "Entry 06"
quit_cleanly
finish
