#!/bin/bash
# SPDX-License-Identifier: ISC
# The reader in tmux: the empty screen explains how to start; the demo shows its items; Enter opens
# the detail, q goes back, q quits.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT
export TERM=xterm-256color

tmux_start 100 30 env WINNOW_DB="$WINNOW_DB" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$WINNOW_BIN"
expect "empty database: says how to add a feed" wait_for "winnow add"
expect "…and how to open the demo" wait_for "winnow demo"
tmux_keys q
sleep 0.3
expect "q quits" pane_dead
tmux_stop

w demo --no-tui "$WINNOW_SRCDIR/data/demo"
expect_eq "demo refresh works" "$RC" 0
expect "demo: 4 feeds, 8 new items" contains "$OUT" "4 feeds from"
tmux_start 100 30 env WINNOW_DB="$WINNOW_DB" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$WINNOW_BIN"
expect "the list shows the newest demo item" wait_for "Three seconds of test pattern"
expect "…and the others" wait_for "Camera makers agree"
expect "…and non-ASCII titles" wait_for "東京の朝"
tmux_keys j
tmux_keys Enter
expect "Enter opens the detail with the summary" wait_for "Content Credentials let a camera sign"
tmux_keys q
expect "q returns to the list" wait_for "8 items in 4 feeds"
tmux_keys q
sleep 0.3
expect "q quits" pane_dead
finish
