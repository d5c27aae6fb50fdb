#!/bin/bash
# SPDX-License-Identifier: ISC
# Curation from the reader, in tmux: a adds to the last-used list, A picks one by typing or makes a new
# one, - / + reorder inside the list, W shows the lists with their counts and Enter opens one in
# list order, Space selects several items for one action, u undoes, d removes, and deleting a list
# asks first.  A fresh database has the lists keep and watch later.  A kill -9 right after an
# addition keeps the item (every action commits at once).
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT

make_feed "$T/news.xml" "News" 6 "Story"
w add "file://$T/news.xml"
# a second feed, older, none of whose items goes into a list: a list's header counts its own feeds
make_feed "$T/old.xml" "Old" 2 "Old" $(( $(date +%s) - 864000 ))
w add "file://$T/old.xml"
w refresh
expect_eq "the feed is stored" "$RC" 0
# the list as the CLI shows it: titles in list order, one line
show() { "$WINNOW_BIN" list show "$1" --json | "$PY" -c 'import json,sys; print(",".join(i["title"][-2:] for i in json.load(sys.stdin)))'; }

winnow_tmux 100 30
expect "the reader is up" cursor_on "Story 06"
tmux_keys a
expect "a adds the item to the last-used list (keep, at first)" wait_for "→ keep"
tmux_keys j a
expect "a adds the next item to the last-used list" wait_for "→ keep"
tmux_keys j a
expect "…and a third" wait_for "→ keep"
tmux_keys a
expect "adding it again says so" wait_for "already in keep"
expect_eq "the list holds the three, in the order added" "$(show keep)" "06,05,04"

tmux_keys W
expect "W shows the lists with their counts" wait_for "3 items"
tmux_keys Enter
expect "Enter opens the list in list order" wait_for "keep"
expect "…its header counts the list's own feeds" wait_for "3 items in 1 feed,"
expect "…its first item on top" cursor_on "Story 06"
tmux_keys +
expect "+ moves the item down, the cursor with it" cursor_on "Story 06"
expect_eq "…in the store too" "$(show keep)" "05,06,04"
tmux_keys G -
expect "- moves the last item up" cursor_on "Story 04"
expect_eq "…in the store too" "$(show keep)" "05,04,06"
tmux_keys q
expect "back in the lists view" wait_for "Lists"
tmux_keys Enter
sleep 0.3
rows=$(screen | grep -o 'Story 0[0-9]' | tr '\n' ',')
expect_eq "reopened, the list view shows them in the new order" "$rows" "Story 05,Story 04,Story 06,"
tmux_keys u
expect "u undoes the last move" wait_for "undid: "
expect_eq "…the order before it" "$(show keep)" "05,06,04"
tmux_keys g d
expect "d removes the item from the list" wait_for "removed from keep"
expect_eq "…two are left" "$(show keep)" "06,04"
tmux_keys u
expect "u brings it back" wait_for "undid: "
expect_eq "…where it was" "$(show keep)" "05,06,04"

# several at once: Space selects, A picks a list by typing
tmux_keys i
expect "i goes back to all items" wait_for "All items"
tmux_keys g j j j Space Space
expect "Space selects and moves on" wait_for "2 selected"
expect "…and the rows show the selection" [ "$(screen | grep -c '^+')" = 2 ]
tmux_keys A
expect "A opens the picker" wait_for "Add 2 items to:"
tmux_keys w a t
expect "…typing narrows the lists" wait_for "Add 2 items to:  wat"
expect "…to the one that matches" wait_gone "keep"
tmux_keys C-u f a v Enter
expect "…a name no list has: Enter asks for it, the typed text in it" wait_for "New list: fav"
tmux_keys o r i t e s Enter
expect "…both go to the new list" wait_for "→ favorites (2 of 2 added)"
expect_eq "…in the order selected" "$(show favorites)" "03,02"

tmux_keys W G d
expect "deleting a list asks first" wait_for "Delete the list \"favorites\""
tmux_keys n
expect "…n keeps it" wait_for "kept"
tmux_keys d y
expect "…y deletes it" wait_for "deleted favorites"
tmux_keys u
expect "…and u restores it" wait_for "undid: "
expect_eq "…with its items" "$(show favorites)" "03,02"
quit_cleanly

# durability: kill -9 right after `a`
winnow_tmux 100 30
expect "the reader is up again" cursor_on "Story 06"
tmux_keys G k k A k e e
expect "A narrows the picker as one types" wait_for "Add 1 item to:  kee"
tmux_keys Enter
expect "…Enter takes the list that matches" wait_for "→ keep"
kill -9 "$(winnow_pid)"
wait_dead
tmux_stop
: >"$T/stderr"
expect_eq "after kill -9 the item is in the list" "$(show keep)" "05,06,04,01"
winnow_tmux 100 30
expect "a restarted reader" cursor_on "Story 06"
tmux_keys W Enter
expect "…shows it in the list" wait_for "Story 01"
quit_cleanly
finish
