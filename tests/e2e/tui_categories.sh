#!/bin/bash
# SPDX-License-Identifier: ISC
# The detail view shows an item's categories and every enclosure beside the one that plays, each
# a numbered link that can be opened; f filters by category (issue 15).
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT
export TERM=xterm-256color
absent() { ! screen | grep -q "$1"; }
cat >"$T/cats.xml" <<'XML'
<rss version="2.0"><channel><title>Cat feed</title>
<item><guid>1</guid><title>Episode with extras</title><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><category>Space</category><category>Robots</category>
<enclosure url="http://127.0.0.1:9/ep.mp3" type="audio/mpeg" length="2000000"/>
<enclosure url="http://127.0.0.1:9/transcript.pdf" type="application/pdf" length="300000"/></item>
<item><guid>2</guid><title>Plain bread recipe</title><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate><category>Cooking</category></item>
</channel></rss>
XML
w add "file://$T/cats.xml"
w refresh
expect_eq "refresh" "$RC" 0
tmux_start 100 30 env WINNOW_DB="$WINNOW_DB" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$WINNOW_BIN"
expect "the list shows the item" wait_for "Episode with extras"
tmux_keys Enter
expect "the detail names the categories" wait_for "Category Space, Robots"
expect "…and the second enclosure with its type and size" wait_for "File     application/pdf"
expect "…as a numbered link" contains "$(screen)" "] http://127.0.0.1:9/transcript.pdf"
tmux_keys q
expect "back in the list" wait_for "Plain bread recipe"
tmux_keys f c a t e g o r y : r o b o t s Enter
expect "f category:NAME keeps the items filed under it" wait_for 'filter "category:robots"'
expect "…and hides the others" absent "Plain bread"
tmux_keys f c o o k i n g Enter
expect "f TEXT also finds a category" wait_for "Plain bread recipe"
expect "…and only that" absent "Episode with extras"
tmux_keys q
sleep 0.3
expect "q quits" pane_dead
finish
