#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 17, points 4 and 9: the database has a bound per feed, and a far-future date cannot pin an
# item.  A feed that rotated its guids added ~39 MB per refresh with no cap; keep-items keeps the
# newest N a feed carries plus what was read lately (never starred or listed items), tombstones
# keep the trimmed ones from coming back, and max-new-items caps what one refresh stores, saying
# so.  A pubDate in 9999 sorts as the fetch time; --json keeps what the feed said.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT

# feed FILE FIRST LAST: items FIRST..LAST (guid g<k>), newest (LAST) first, an hour apart
feed() {
  "$PY" - "$@" <<'PYEOF'
import sys, time, email.utils
path, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = int(time.time()) - 86400
out = ['<?xml version="1.0"?><rss version="2.0"><channel><title>Rot</title><link>https://example.org/</link><description>d</description>']
for k in range(last, first - 1, -1):
    d = email.utils.formatdate(now + k * 60, usegmt=True)
    out.append(f"<item><title>Item {k}</title><link>https://example.org/{k}</link><guid>g{k}</guid><pubDate>{d}</pubDate></item>")
out.append("</channel></rss>")
open(path, "w").write("\n".join(out))
PYEOF
}
titles() { "$WINNOW_BIN" items --json | "$PY" -c 'import json,sys; print(" ".join(sorted(i["title"].split()[1] for i in json.load(sys.stdin))))'; }
sql() { "$PY" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' "$WINNOW_DB" "$1"; }

# --- the defaults: a bound is on
w help config
expect "help config names keep-items" contains "$OUT" "keep-items"
cat >"$XDG_CONFIG_HOME/winnow/config" <<'CFG'
keep-items = 2
max-new-items = 3
keep-read-days = 30
CFG
feed "$T/rot.xml" 1 10
w add "file://$T/rot.xml"
w refresh
expect "the cap bites and says so" contains "$OUT" "3 new items stored, 7 more left for later refreshes (max-new-items = 3)"
expect "the summary counts 3 new items" contains "$OUT" "3 new items"
expect_eq "keep-items trimmed the feed to its newest 2" "$(titles)" "10 9"
# star item 9, read item 10: both stay however many newer items come
sql "UPDATE items SET starred = 1 WHERE guid = 'g9'"
sql "UPDATE items SET read = 1 WHERE guid = 'g10'"
w refresh
expect_eq "a trimmed item does not come back (tombstone), the cap takes the next three" "$(titles)" "10 9"
# the feed rotates: items 11..20, none of the old ones
feed "$T/rot.xml" 11 20
w refresh
expect_eq "the newest 2, plus the starred and the lately read item" "$(titles)" "10 19 20 9"
item=$("$WINNOW_BIN" items --json | "$PY" -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin) if i["title"] == "Item 19"][0])')
w list add keep "$item"
sql "UPDATE items SET read = 1, read_at = 1000 WHERE guid = 'g10'"   # read long ago
for k in 1 2 3 4; do w refresh; done
expect_eq "a listed item stays; one read long ago goes" "$(titles)" "19 20 9"
w refresh
expect "a refresh with nothing new stores nothing" contains "$OUT" "0 new items"
# a rotating feed of 5,000 items, refreshed 5 times with its guids changed each time: bounded
cat >"$XDG_CONFIG_HOME/winnow/config" <<'CFG'
keep-items = 1000
CFG
for r in 1 2 3 4 5; do feed "$T/rot.xml" $((r * 10000)) $((r * 10000 + 4999)); w refresh; done
expect "the last refresh said the default cap of 1000 bit" contains "$OUT" "max-new-items = 1000"
n=$("$WINNOW_BIN" items --json --feed 1 --limit 100000 | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_eq "after five rotations: keep-items, plus the starred and the listed item" "$n" 1002
w feeds
expect "feeds shows the feed's size" sh -c 'printf "%s" "$1" | grep -qE "[0-9.]+ kB"' sh "$OUT"
bytes=$("$WINNOW_BIN" feeds --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["bytes"])')
expect "feeds --json has bytes, about 100 kB for 1003 small items" sh -c '[ "$1" -gt 100000 ] && [ "$1" -lt 400000 ]' sh "$bytes"
w remove 1

# --- point 9: a pubDate in 9999
now=$(date +%s)
cat >"$T/future.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>Future</title><link>https://example.org/</link>
<description>d</description>
<item><title>Pinned forever</title><guid>f1</guid><pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate></item>
<item><title>An hour ago</title><guid>f2</guid><pubDate>PAST</pubDate></item>
</channel></rss>
XML
sed -i "s/PAST/$(date -u -R -d @$((now - 3600)))/" "$T/future.xml"
w add "file://$T/future.xml"
w refresh
first=$("$WINNOW_BIN" items --json --limit 1 | "$PY" -c 'import json,sys; i=json.load(sys.stdin)[0]; print(i["title"], i["published"][:4], i.get("published_original"))')
expect_eq "the far-future item sorts as fetched, its date the fetch time, the original kept" \
  "$first" "Pinned forever $(date -u +%Y) 9999-12-31T23:59:59Z"
cat >>"$T/future.xml.new" <<XML
XML
# a newer item appears: it goes above the 9999 one
sed -i "s|</channel>|<item><title>Just now</title><guid>f3</guid><pubDate>$(date -u -R -d @$((now + 5)))</pubDate></item></channel>|" "$T/future.xml"
sleep 1
w refresh
first=$("$WINNOW_BIN" items --json --limit 1 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["title"])')
expect_eq "a newer item is above the item dated 9999" "$first" "Just now"
w items
expect "the list shows the fetch year, not 9999" sh -c '! printf "%s" "$1" | grep -q 9999' sh "$OUT"
finish
