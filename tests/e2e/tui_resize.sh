#!/bin/bash
# SPDX-License-Identifier: ISC
# Resizing at any moment: 120x40 shows long titles whole, 80x24 still lays every part out, 60x18
# and 40x10 drop columns but still read (newsboat and newsraft run there too), 30x8 says
# "terminal too small" and draws nothing else, and growing again brings the same view back with
# the cursor on the same item.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT

make_feed "$T/long.xml" "Long headlines" 60 "Story" "" "https://example.org/story"
# the titles grow a tail that only a wide terminal shows whole
sed -i 's|<title>Story \([0-9]*\)</title>|<title>Story \1: a headline long enough that only wide screens show its tail end</title>|' "$T/long.xml"
w add "file://$T/long.xml"
w refresh
expect_eq "the feed is stored" "$RC" 0

winnow_tmux 120 40
expect "120x40: the list is there" wait_for "Story 60"
expect "120x40: long titles show whole" wait_for "Story 60: a headline long enough that only wide screens show its tail end"
tmux_keys 1 0 j
expect "the cursor moves" cursor_on "Story 50"
tmux_resize 80 24
expect "80x24: the status bar keeps the position" wait_for "11/60"
expect "80x24: the cursor stays on its item" cursor_on "Story 50"
expect "80x24: titles are clipped, not wrapped" wait_gone "tail end"
expect_eq "80x24: the title bar is the first line" "$(screen | head -1 | cut -c1-8)" " winnow "
expect "80x24: the status bar is the 23rd line" contains "$(screen | sed -n 23p)" "11/60"
expect "80x24: every column of the row is there" \
  sh -c "echo '$(cursor_line)' | grep -qE '^▌•⋅   [0-9]{4}-[0-9]{2}-[0-9]{2}  Long headlines +Story 50: a headline'"
tmux_keys Enter
expect "80x24: the detail opens" wait_for "Summary of story number 50"
tmux_resize 60 18
expect "60x18: the detail still reads" wait_for "Summary of story number 50"
tmux_keys h
expect "60x18: the list, without the source column" \
  sh -c 'sleep 0.3; tmux -S "$1" capture-pane -t w -p | grep -E "^▌" | grep -qE "^▌.⋅   [0-9]{4}-[0-9]{2}-[0-9]{2}  Story 50"' sh "$SOCK"
tmux_resize 40 10
expect "40x10: the list, title only" \
  sh -c 'sleep 0.3; tmux -S "$1" capture-pane -t w -p | grep -E "^▌" | grep -qE "^▌.⋅   Story 50"' sh "$SOCK"
tmux_keys Enter
tmux_resize 30 8
expect "30x8: says the terminal is too small" wait_for "terminal too small: 30×8"
expect "…and nothing else" [ "$(screen | grep -c .)" = 1 ]
tmux_resize 100 30
expect "100x30: the detail is back" wait_for "Summary of story number 50"
expect "…rewrapped to the width" wait_for "Story 50: a headline long enough that only wide screens show its tail end"
tmux_keys q
expect "back in the list on the same item" cursor_on "Story 50"
tmux_resize 30 8
expect "too small again" wait_for "terminal too small"
tmux_resize 80 24
expect "80x24 again: the list" cursor_on "Story 50"
quit_cleanly
finish
