#!/bin/bash
# SPDX-License-Identifier: ISC
# The reader's first run: with no feed it says how to add one; with a feed not fetched yet it says
# to press R (not "add a feed"); when every feed failed it points at E.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT

winnow_tmux 100 30
expect "no feed: how to add one" wait_for "Nothing to read yet."
quit_cleanly

make_feed "$T/a.xml" "Alpha" 3 "Alpha" "" "https://example.org/a"
w add "file://$T/a.xml"
winnow_tmux 100 30
expect "a feed not fetched yet: press R" wait_for "1 feed, not fetched yet: press R to refresh."
tmux_keys R
expect "R fetches it" wait_for "Alpha 03"
quit_cleanly

rm -f "$WINNOW_DB"*
w add "file://$T/a.xml"
rm -f "$T/a.xml"
w refresh
winnow_tmux 100 30
expect "every feed failed: E shows why" wait_for "failed at the last refresh: E shows why"
quit_cleanly
finish
