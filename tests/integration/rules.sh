#!/bin/bash
# SPDX-License-Identifier: ISC
# The config's curation keys at work in a refresh: auto-list rules (both spellings) file new items
# into lists, made when missing, and only new ones; a bad rule stops winnow with its line number;
# keep-days purges old items after a refresh but never one that is starred or in a list.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT
. "$WINNOW_SRCDIR/tests/e2e/lib.sh" 2>/dev/null || true   # make_feed (tmux is not needed)
CFG="$XDG_CONFIG_HOME/winnow/config"
titles() { "$WINNOW_BIN" list show "$1" --json | "$PY" -c 'import json,sys; print(",".join(sorted(i["title"] for i in json.load(sys.stdin))))'; }
sql() { "$PY" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print("\n".join("|".join(map(str,x)) for x in r))' "$WINNOW_DB" "$1"; }

now=$(date +%s)
make_feed "$T/news.xml" "News" 6 "Story" $((now - 60 * 86400))
make_feed "$T/other.xml" "Other feed" 3 "Other"
w add "file://$T/news.xml"
w add "file://$T/other.xml"
cat >"$CFG" <<'EOF2'
# rules keep their quotes, their '=' and their '#'
auto-list tech when title~/^Story 0[12]$/
auto-list = "from other" when feed="Other feed"
EOF2
w refresh
expect_eq "a refresh with rules" "$RC" 0
expect_eq "auto-list NAME when ...: the matching new items are filed" "$(titles tech)" "Story 01,Story 02"
expect_eq "auto-list = \"NAME\" when feed=\"TITLE\": the list is made, every item of the feed" \
  "$(titles 'from other')" "Other 01,Other 02,Other 03"
w list rm tech "$(sql "SELECT id FROM items WHERE title = 'Story 01'")"
w refresh
expect_eq "another refresh files nothing again (only new items)" "$(titles tech)" "Story 02"
make_feed "$T/news.xml" "News" 7 "Story" $((now - 60 * 86400 + 3600))
w refresh
expect "…but a new item is filed" contains "$(titles tech)" "Story 02"
expect_eq "…not an old one that matches" "$(titles tech)" "Story 02"

printf '%s\n' "jobs = 4" "" "auto-list keep when colour=red" >"$CFG"
w items
expect "a bad rule stops winnow" [ "$RC" != 0 ]
expect "…with the file and line" contains "$OUT" "$CFG:3: auto-list keep: unknown condition \"colour\""
printf '%s\n' "keep-days = 36501" >"$CFG"
w items
expect "keep-days above 36500 is refused" contains "$OUT" "bad value \"36501\" for keep-days"

# keep-days: everything seen 90 days ago; Story 02 listed, Story 03 starred
sql "UPDATE items SET first_seen = $((now - 90 * 86400))" >/dev/null
sql "UPDATE items SET starred = 1 WHERE title = 'Story 03'" >/dev/null
printf '%s\n' "keep-days = 0" >"$CFG"
w refresh
expect_eq "keep-days = 0 keeps everything" "$(item_count)" 10
printf '%s\n' "keep-days = 30" >"$CFG"
w items
expect_eq "…nothing is purged before a refresh" "$(item_count)" 10
w refresh
left=$("$WINNOW_BIN" items --json | "$PY" -c 'import json,sys; print(",".join(sorted(i["title"] for i in json.load(sys.stdin))))')
expect_eq "after a refresh old items go, but not the listed, the starred or the recent" "$left" \
  "Other 01,Other 02,Other 03,Story 02,Story 03"
expect_eq "…the list still holds its item" "$(titles tech)" "Story 02"
# the feeds still carry the purged stories: the next refresh must not bring them back as new
w refresh
expect "…a second refresh stores nothing new" contains "$OUT" "; 0 new items"
left2=$("$WINNOW_BIN" items --json | "$PY" -c 'import json,sys; print(",".join(sorted(i["title"] for i in json.load(sys.stdin))))')
expect_eq "…and the purged items stay purged" "$left2" "$left"
finish
