#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 15 end to end: a feed's HTTP charset, what `feeds --json` says was used, categories
# stored, searched, filtered (`items --category`), used by an auto-list rule and exported (JSON
# round trip, Atom), every enclosure in `items --json`, and relative links resolved against the
# URL the feed came from.  Against the loopback server.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
setup_home
DOCROOT="$T/docroot"; mkdir -p "$DOCROOT"
server_start --docroot "$DOCROOT"
trap 'server_stop; cleanup_home' EXIT
S=$SERVER_URL
CFG="$XDG_CONFIG_HOME/winnow/config"
js() { "$WINNOW_BIN" "$@" | "$PY" -c "$PYCODE"; }

"$PY" - "$DOCROOT" <<'PY'
import sys
root = sys.argv[1]
# koi8-r with no declaration: only the HTTP charset tells
open(root + "/koi8.xml", "wb").write(
    '<rss version="2.0"><channel><title>Новости</title><item><guid>k1</guid>'
    '<title>Привет, мир</title></item></channel></rss>'.encode("koi8-r"))
open(root + "/rel.xml", "w").write('<rss version="2.0"><channel><title>Rel</title><item><guid>r1</guid>'
    '<title>relative</title><link>post/1</link></item></channel></rss>')
open(root + "/cats.xml", "w").write('''<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Cats</title>
<item><guid>c1</guid><title>Mars rover</title><link>posts/1</link><category>Space</category><dc:subject>Robots</dc:subject>
<enclosure url="ep1.mp3" type="audio/mpeg" length="1000"/><enclosure url="ep1.ogg" type="audio/ogg" length="900"/></item>
<item><guid>c2</guid><title>Bread</title><category>Cooking</category></item>
</channel></rss>''')
PY

w add "$S/d/koi8.xml?type=text/xml;%20charset=koi8-r"
w add "$S/d/cats.xml"
w add "$S/d/rel.xml?location=/elsewhere/feed.xml"
printf '%s\n' 'auto-list robots when category=robots' >"$CFG"
w refresh
expect_eq "refresh" "$RC" 0
PYCODE='import json,sys; print([i["title"] for i in json.load(sys.stdin) if i["guid"]=="k1"][0])'
expect_eq "the HTTP charset (koi8-r) decodes the title" "$(js items --json)" "Привет, мир"
PYCODE='import json,sys; print(",".join(f.get("charset","-") for f in json.load(sys.stdin)))'
expect_eq "feeds --json says which charset was used" "$(js feeds --json)" "utf-8,utf-8,koi8-r"
PYCODE='import json,sys; print([i["url"] for i in json.load(sys.stdin) if i["guid"]=="r1"][0])'
expect_eq "Content-Location is the base of relative links" "$(js items --json)" "$S/elsewhere/post/1"

PYCODE='import json,sys; i=[i for i in json.load(sys.stdin) if i["guid"]=="c1"][0]; print("|".join(i["categories"]), i["url"], json.dumps(i["enclosures"]))'
expect_eq "categories, the resolved link and every enclosure in items --json" "$(js items --json)" \
  "Space|Robots $S/d/posts/1 [{\"url\": \"$S/d/ep1.mp3\", \"type\": \"audio/mpeg\", \"length\": 1000}, {\"url\": \"$S/d/ep1.ogg\", \"type\": \"audio/ogg\", \"length\": 900}]"
PYCODE='import json,sys; print(",".join(sorted(i["title"] for i in json.load(sys.stdin))))'
expect_eq "items --category filters by a whole category, any case" "$(js items --json --category space)" "Mars rover"
expect_eq "…a part of one is not a category" "$(js items --json --category spa)" ""
expect_eq "items --search finds categories too" "$(js items --json --search cooking)" "Bread"
expect_eq "an auto-list rule on category= files the item" "$(js list show robots --json)" "Mars rover"

w list export robots --format atom -o "$T/robots.atom"
expect "the Atom export carries the item's categories" contains "$(cat "$T/robots.atom")" '<category term="Robots"/>'
w list export robots --format json -o "$T/robots.json"
export WINNOW_DB="$T/other.db"
w list import "$T/robots.json"
expect_eq "list import" "$RC" 0
PYCODE='import json,sys; i=json.load(sys.stdin)[0]; print("|".join(i["categories"]), len(i["enclosures"]))'
expect_eq "…and the JSON export imports with its categories and enclosures" "$(js list show robots --json)" "Space|Robots 2"
finish
