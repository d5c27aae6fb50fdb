#!/bin/bash
# SPDX-License-Identifier: ISC
# import (OPML with nested folders, a newsboat urls file) and export --opml, round trip.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT

cat > "$T/subs.opml" <<'OPML'
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mine</title></head><body>
  <outline text="Tech">
    <outline type="rss" text="Daring Fireball" xmlUrl="https://daringfireball.net/feeds/main" htmlUrl="https://daringfireball.net/"/>
    <outline type="rss" text="The Verge &amp; co" xmlUrl="https://www.theverge.com/rss/index.xml"/>
  </outline>
  <outline type="rss" title="NPR World" text="npr" xmlUrl="https://feeds.npr.org/1004/feed.json" category="news"/>
</body></opml>
OPML
w import "$T/subs.opml"
expect_eq "OPML import exits 0" "$RC" 0
expect "OPML: 3 imported" contains "$OUT" "imported 3 feeds"
"$WINNOW_BIN" feeds --json > "$T/f.json"
"$PY" - "$T/f.json" <<'PY' && ok "OPML titles and folder tags" || bad "OPML titles/tags"
import json, sys
f = {x["url"]: x for x in json.load(open(sys.argv[1]))}
assert f["https://daringfireball.net/feeds/main"]["title"] == "Daring Fireball"
assert f["https://daringfireball.net/feeds/main"]["tags"] == ["Tech"]
assert f["https://www.theverge.com/rss/index.xml"]["title"] == "The Verge & co"
assert f["https://feeds.npr.org/1004/feed.json"]["title"] == "NPR World"
assert f["https://feeds.npr.org/1004/feed.json"]["tags"] == ["news"]
PY
w import "$T/subs.opml"
expect "re-import skips existing" contains "$OUT" "imported 0 feeds (3 skipped"

cat > "$T/urls" <<'URLS'
# newsboat urls
https://example.org/a.xml tech "~Feed A" "long tag"
https://example.org/b.xml
"query:unread:unread = \"yes\""
https://example.org/c.xml !hidden ~C
URLS
w import "$T/urls"
expect "newsboat urls: 3 imported, query skipped" contains "$OUT" "imported 3 feeds (1 skipped"
"$WINNOW_BIN" feeds --json > "$T/f.json"
"$PY" - "$T/f.json" <<'PY' && ok "newsboat titles and tags" || bad "newsboat titles/tags"
import json, sys
f = {x["url"]: x for x in json.load(open(sys.argv[1]))}
a = f["https://example.org/a.xml"]
assert a["title"] == "Feed A", a
assert a["tags"] == ["tech", "long tag"], a
assert f["https://example.org/c.xml"]["title"] == "C"
PY

"$WINNOW_BIN" export --opml > "$T/out.opml"
expect "export is well-formed XML" "$PY" -c "import sys,xml.dom.minidom as m; m.parse(sys.argv[1])" "$T/out.opml"
export WINNOW_DB="$T/second.db"
w import "$T/out.opml"
expect "round trip: all 6 back" contains "$OUT" "imported 6 feeds"
"$WINNOW_BIN" feeds --json > "$T/f2.json"
"$PY" - "$T/f.json" "$T/f2.json" <<'PY' && ok "round trip keeps urls, titles, tags" || bad "round trip differs"
import json, sys
a = {x["url"]: (x["title"], x["tags"]) for x in json.load(open(sys.argv[1]))}
b = {x["url"]: (x["title"], x["tags"]) for x in json.load(open(sys.argv[2]))}
assert a == b, (a, b)
PY

printf '<opml><body><outline xmlUrl="x"' > "$T/broken.opml"
w import "$T/broken.opml"
expect "broken OPML: clear error" contains "$OUT" "not valid XML at line 1"
w import "$T/missing.opml"
expect "missing file: clear error" contains "$OUT" "No such file"
finish
