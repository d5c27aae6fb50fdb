#!/bin/bash
# SPDX-License-Identifier: ISC
# Live refresh against the loopback server: R refreshes inside the reader's loop; while a slow
# feed keeps the refresh running, new items appear above the cursor without moving it off its
# item, the counts update, and j/k keep moving the cursor.  The status bar shows done/total and
# failures, E lists them, e shows one.  refresh-on-start never delays the first frame, and the
# idle reader uses no CPU.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT

mkdir -p "$T/www"
now=$(date +%s)
make_feed "$T/www/a.xml" "Alpha feed" 10 "Alpha" $((now - 10 * 86400)) "https://example.org/alpha"
server_start --docroot "$T/www" --lifetime 120 || { echo "SKIP: no loopback server"; exit 77; }
w add "$SERVER_URL/d/a.xml"
w add --offline "$SERVER_URL/d/b.xml"   # not there yet: the check at add would refuse it
w refresh
expect_eq "the first refresh: one feed fails (404)" "$RC" 1
w add --offline "$SERVER_URL/slow" --title "Slow feed"
echo "timeout = 5" >"$XDG_CONFIG_HOME/winnow/config"
# Beta appears on the server now, newer than every Alpha item
make_feed "$T/www/b.xml" "Beta feed" 10 "Beta" $((now - 3600)) "https://example.org/beta"

winnow_tmux 100 30
expect "the stored items show" wait_for "Alpha 10"
expect "…counted" wait_for "10 items in 3 feeds"
tmux_keys 3 j
expect "the cursor is on Alpha 07" cursor_on "Alpha 07"
tmux_keys R
expect "R starts a refresh, shown in the status bar" wait_for "Refreshing"
expect "new items appear while the refresh runs" wait_for "Beta 10"
expect "…above the cursor, which stays on its item" cursor_on "Alpha 07"
expect "…and the counts follow" wait_for "20 items in 3 feeds"
expect "…with done/total in the status bar" wait_for "Refreshing 2/3"
tmux_keys j j
expect "keys move the cursor while the slow feed is still fetched" cursor_on "Alpha 05"
expect "…the refresh is still running then" wait_for "Refreshing 2/3"
tmux_keys k
expect "k too" cursor_on "Alpha 06"
expect "the refresh ends with a summary" wait_for "refreshed 3 feeds: 10 new items, 1 failed" 10
expect "…and the cursor is where it was" cursor_on "Alpha 06"
tmux_keys E
expect "E lists the failure" wait_for "Slow feed"
expect "…with its reason" wait_for "time"
tmux_keys q F
expect "the feeds view has Beta's count" wait_for "10/10  Beta feed"
tmux_keys / S l o w Enter
expect "the slow feed is marked with an error" sh -c "tmux -S '$SOCK' capture-pane -t w -p | grep -q '^▌! .*Slow feed'"
tmux_keys e
expect "e shows its error text" wait_for "Slow feed: "
quit_cleanly

printf 'timeout = 5\nrefresh-on-start = yes\n' >"$XDG_CONFIG_HOME/winnow/config"
winnow_tmux 100 30
expect "refresh-on-start: the stored items show at once" wait_for "Beta 10" 2
expect "…while the refresh runs behind them" wait_for "Refreshing"
expect "…which finishes" wait_for "refreshed 3 feeds" 10
pid=$(winnow_pid)
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
sleep 0.3
t0=$(ticks); sleep 1.5; t1=$(ticks)
expect_eq "the idle reader uses no CPU (clock ticks in 1.5 s)" "$((t1 - t0))" 0
quit_cleanly
server_stop
finish
