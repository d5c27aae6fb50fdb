#!/bin/bash
# SPDX-License-Identifier: ISC
# Curation through the CLI: lists, order, undo, every export format (Atom read back by winnow's
# own parser, JSON imported into a fresh database, OPML well-formed, M3U played by libmpv with no
# video or audio output), a delete that asks first, and durability: a list entry survives a
# kill -9 of a concurrent refresh, and the database stays intact.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
need_fixtures
setup_home
trap cleanup_home EXIT
# In a sanitizer build every winnow run reports into files here; none may appear (checked last).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:log_path=$T/sanitizer" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:log_path=$T/sanitizer"

# --- a podcast feed (a copy of a real capture) and a generated feed of short clips -------------
cp "$WINNOW_FIXTURES/feeds/rss/atp_podcast_enclosures.rss" "$T/atp.rss"
HAVE_CLIPS=0
if command -v ffmpeg >/dev/null 2>&1; then
  for i in 1 2; do
    ffmpeg -loglevel error -y -f lavfi -i "sine=frequency=$((300 * i)):duration=1" \
      -f lavfi -i "color=c=blue:s=64x48:d=1" -shortest -c:v libx264 -c:a aac "$T/clip$i.mp4" && HAVE_CLIPS=1
  done
fi
cat > "$T/clips.rss" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Clips &amp; more</title>
<item><title>Tom &amp; Jerry &lt;live&gt; "quoted"</title><guid>clip-1</guid>
  <link>https://example.org/clips/1?a=1&amp;b=2</link><author>ann@example.org (Ann)</author>
  <pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><description>First &amp; shortest</description>
  <enclosure url="file://$T/clip1.mp4" type="video/mp4" length="$(stat -c %s "$T/clip1.mp4" 2>/dev/null || echo 1)"/>
  <itunes:duration>1</itunes:duration>
  <media:thumbnail url="https://example.org/clips/1.jpg" width="64" height="48"/></item>
<item><title>Second clip</title><guid>clip-2</guid><link>https://example.org/clips/2</link>
  <pubDate>Mon, 02 Nov 2026 09:00:00 +0000</pubDate>
  <enclosure url="file://$T/clip2.mp4" type="video/mp4" length="$(stat -c %s "$T/clip2.mp4" 2>/dev/null || echo 1)"/>
  <itunes:duration>1</itunes:duration></item>
<item><title>Text only</title><guid>note-3</guid><link>https://example.org/notes/3</link>
  <pubDate>Mon, 02 Nov 2026 08:00:00 +0000</pubDate></item>
</channel></rss>
EOF
w add "file://$T/atp.rss"; expect "subscribe the podcast" [ "$RC" = 0 ]
w add "file://$T/clips.rss"; expect "subscribe the clips" [ "$RC" = 0 ]
w refresh
expect_eq "refresh" "$RC" 0

# ids by title
id_of() {
  "$WINNOW_BIN" items --json | "$PY" -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin) if i["title"].startswith(sys.argv[1])][0])' "$1"
}
A=$(id_of "311:"); B=$(id_of "310:"); C=$(id_of "309:")
C1=$(id_of "Tom & Jerry"); C2=$(id_of "Second clip"); N3=$(id_of "Text only")
# titles of a list, in order, joined by |
titles() { "$WINNOW_BIN" list show "$1" --json | "$PY" -c 'import json,sys; print("|".join(i["title"][:4] for i in json.load(sys.stdin)))'; }

# --- lists and their order ---------------------------------------------------------------------
w lists
expect "keep and watch later exist from the first run" contains "$OUT" "watch later"
w list add keep "$A" "$B" "$C"
expect "add three" contains "$OUT" "→ keep: added 3 items"
w list add keep "$B"
expect "adding again changes nothing" contains "$OUT" "added 0 items"
expect_eq "list order is the order added" "$(titles keep)" "311:|310:|309:"
w list move keep "$C" 1
expect "move to the top" contains "$OUT" "item $C is at 1 of 3"
w list move keep "$A" down
expect_eq "order after moves" "$(titles keep)" "309:|310:|311:"
w list rm keep "$B"
expect_eq "removed" "$(titles keep)" "309:|311:"
w list undo
expect "undo says what it undid" contains "$OUT" "undid: remove “310: Apple Playstore” from keep"
expect_eq "undo puts it back in its place" "$(titles keep)" "309:|310:|311:"
w list new "road trip"
expect "new list" contains "$OUT" "made list road trip"
w list new "road trip"
expect "a name is taken once" contains "$OUT" 'a list named "road trip" exists'
w list rename "road trip" "drive"
expect "rename" contains "$OUT" "renamed road trip to drive"
w list add nosuch "$A"
expect "unknown list: clear message" contains "$OUT" 'no list named "nosuch"'
w list add keep 999999
expect "unknown item: clear message" contains "$OUT" "no item with id 999999"
w list add keep abc
expect_eq "not an id: usage error" "$RC" 2
"$WINNOW_BIN" lists --json > "$T/lists.json"
"$PY" - "$T/lists.json" <<'PY' && ok "lists --json: counts and the last used list" || bad "lists --json"
import json, sys
ls = {l["name"]: l for l in json.load(open(sys.argv[1]))}
assert ls["keep"]["items"] == 3 and ls["keep"]["unread"] == 3, ls["keep"]
assert ls["drive"]["items"] == 0, ls
assert ls["keep"]["last_used"] and not ls["drive"]["last_used"], ls
PY

# --- exports -----------------------------------------------------------------------------------
w list add drive "$C1" "$C2" "$N3" "$A"
"$WINNOW_BIN" list show drive --json > "$T/drive.json"

# M3U: one #EXTINF line and the media (else the page) per item, in list order
w list export drive --format m3u -o "$T/drive.m3u"
expect "m3u export" [ "$RC" = 0 ]
"$PY" - "$T/drive.m3u" "$T" <<'PY' && ok "m3u lines" || bad "m3u lines"
import sys
lines = open(sys.argv[1]).read().splitlines()
t = sys.argv[2]
assert lines[0] == "#EXTM3U", lines[:2]
assert lines[1] == "#PLAYLIST:drive", lines[1]
want = [
    '#EXTINF:1,Ann - Tom & Jerry <live> "quoted"', "file://%s/clip1.mp4" % t,
    "#EXTINF:1,Second clip", "file://%s/clip2.mp4" % t,
    "#EXTINF:-1,Text only", "https://example.org/notes/3",
    "#EXTINF:6849,Marco Arment - 311: Mutually Assured Destruction", "http://traffic.libsyn.com/atpfm/atp311.mp3",
]
assert lines[2:] == want, lines[2:]
PY

# the M3U plays: libmpv headless (no video, no audio output) loads it and plays the clips to the end
if [ "$HAVE_CLIPS" = 1 ] && "$PY" -c 'import ctypes; ctypes.CDLL("libmpv.so.2")' 2>/dev/null; then
  grep -v '^http' "$T/drive.m3u" | grep -v '^#EXTINF:-1\|^#EXTINF:6849' > "$T/clips.m3u"
  played=$("$PY" - "$T/clips.m3u" <<'PY'
import ctypes, sys
from ctypes import c_void_p, c_char_p, c_int, c_uint64, c_int64, c_double, POINTER, Structure
class Event(Structure):
    _fields_ = [("event_id", c_int), ("error", c_int), ("reply_userdata", c_uint64), ("data", c_void_p)]
class EndFile(Structure):
    _fields_ = [("reason", c_int), ("error", c_int), ("entry", c_int64), ("insert_id", c_int64), ("insert_n", c_int)]
mpv = ctypes.CDLL("libmpv.so.2")
mpv.mpv_create.restype = c_void_p
mpv.mpv_set_option_string.argtypes = [c_void_p, c_char_p, c_char_p]
mpv.mpv_initialize.argtypes = [c_void_p]
mpv.mpv_command.argtypes = [c_void_p, POINTER(c_char_p)]
mpv.mpv_wait_event.argtypes = [c_void_p, c_double]
mpv.mpv_wait_event.restype = POINTER(Event)
mpv.mpv_terminate_destroy.argtypes = [c_void_p]
h = mpv.mpv_create()
for k, v in (("vo", "null"), ("ao", "null"), ("idle", "no"), ("config", "no"), ("terminal", "no")):
    mpv.mpv_set_option_string(h, k.encode(), v.encode())
mpv.mpv_initialize(h)
mpv.mpv_command(h, (c_char_p * 3)(b"loadfile", sys.argv[1].encode(), None))
eof = err = 0
while True:
    e = mpv.mpv_wait_event(h, 30).contents
    if e.event_id == 0 or e.event_id == 1:        # timeout, shutdown (idle=no: after the last entry)
        break
    if e.event_id == 7:                           # end-file
        reason = ctypes.cast(e.data, POINTER(EndFile)).contents.reason
        eof += reason == 0
        err += reason == 4
mpv.mpv_terminate_destroy(h)
print(eof, err)
PY
)
  expect_eq "the m3u plays in headless mpv: both clips to the end, no errors" "$played" "2 0"
else
  echo "# skip: mpv playback (no ffmpeg or libmpv)"
fi

# Atom: valid XML, read back by winnow's own parser gives the same items
w list export drive --format atom -o "$T/drive.atom"
expect "atom export" [ "$RC" = 0 ]
"$PY" - "$T/drive.atom" "$T" <<'PY' && ok "atom: feed id/title/updated/self, entries with provenance categories" || bad "atom structure"
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
M = "{http://search.yahoo.com/mrss/}"
feed = ET.parse(sys.argv[1]).getroot()
assert feed.tag == A + "feed"
assert feed.find(A + "id").text.startswith("tag:")
assert feed.find(A + "title").text == "drive"
assert feed.find(A + "updated").text
self_ = [l for l in feed.findall(A + "link") if l.get("rel") == "self"][0]
assert self_.get("href") == "file://%s/drive.atom" % sys.argv[2], self_.get("href")
entries = feed.findall(A + "entry")
assert len(entries) == 4
for e in entries:
    for k in ("id", "title", "updated"):
        assert e.find(A + k) is not None and e.find(A + k).text, k
first = entries[0]
assert first.find(A + "title").text == 'Tom & Jerry <live> "quoted"'
enc = [l for l in first.findall(A + "link") if l.get("rel") == "enclosure"][0]
assert enc.get("type") == "video/mp4" and int(enc.get("length")) > 0, enc.attrib
assert first.find(M + "thumbnail").get("url") == "https://example.org/clips/1.jpg"
assert first.find(A + "author/" + A + "name").text == "Ann"
terms = {c.get("term") for c in first.findall(A + "category") if c.get("scheme") == "https://winnow.dev/ns/provenance"}
assert "platform:rss" in terms and "host:example.org" in terms, terms
PY
if command -v xmllint >/dev/null 2>&1; then
  expect "atom is well-formed (xmllint)" xmllint --noout "$T/drive.atom"
fi
w add "file://$T/drive.atom" --kind feed
expect "subscribe to the exported atom" [ "$RC" = 0 ]
w refresh "file://$T/drive.atom"
expect_eq "refresh the exported atom" "$RC" 0
"$WINNOW_BIN" items --json --feed "file://$T/drive.atom" > "$T/back.json"
"$PY" - "$T/drive.json" "$T/back.json" <<'PY' && ok "atom read back: same titles, links, enclosures, thumbnails, dates" || bad "atom round trip"
import json, sys
key = lambda i: i["title"]
a = sorted(json.load(open(sys.argv[1])), key=key)
b = sorted(json.load(open(sys.argv[2])), key=key)
assert len(a) == len(b) == 4, (len(a), len(b))
for x, y in zip(a, b):
    for k in ("title", "url", "published", "thumbnail", "summary"):
        assert x[k] == y[k], (k, x[k], y[k])
    if x["media"]:
        for k in ("url", "type", "duration", "size"):
            assert x["media"].get(k) == y["media"].get(k), (k, x["media"], y["media"])
    else:
        assert y["media"] is None, y
assert [i["author"] for i in b if i["title"].startswith("311")] == ["Marco Arment"]
PY

# OPML: well-formed, one link outline per item
w list export drive --format opml -o "$T/drive.opml"
"$PY" - "$T/drive.opml" <<'PY' && ok "opml: well-formed, outlines type=link with urls" || bad "opml"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "opml" and root.get("version") == "2.0"
assert root.find("head/title").text == "drive"
outs = root.findall("body/outline")
assert [o.get("type") for o in outs] == ["link"] * 4
assert outs[0].get("text") == 'Tom & Jerry <live> "quoted"'
assert outs[0].get("url") == "https://example.org/clips/1?a=1&b=2"
assert outs[3].get("url") == "http://atp.fm/episodes/311"
PY

# JSON: into a fresh database with `list import`, the same items, detached (no feed)
w list export drive --format json -o "$T/drive-export.json"
expect "json export" [ "$RC" = 0 ]
OTHER="$T/other.db"
OUT=$(WINNOW_DB="$OTHER" "$WINNOW_BIN" list import "$T/drive-export.json" 2>&1)
expect "import into a fresh database" contains "$OUT" "imported 4 items into drive (4 new to this database)"
WINNOW_DB="$OTHER" "$WINNOW_BIN" list show drive --json > "$T/imported.json"
"$PY" - "$T/drive.json" "$T/imported.json" <<'PY' && ok "json round trip: same items in the same order, detached" || bad "json round trip"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert [i["title"] for i in a] == [i["title"] for i in b], ([i["title"] for i in a], [i["title"] for i in b])
for x, y in zip(a, b):
    for k in ("guid", "url", "published", "thumbnail", "author", "feed_title", "summary", "media", "platform", "host"):
        assert x[k] == y[k], (k, x[k], y[k])
    assert y["feed"] is None, y
PY
OUT=$(WINNOW_DB="$OTHER" "$WINNOW_BIN" list import "$T/drive-export.json" 2>&1)
expect "importing again adds nothing" contains "$OUT" "imported 0 items into drive (0 new to this database, 4 already in the list)"
"$WINNOW_BIN" items --json --feed "file://$T/clips.rss" > "$T/clips-items.json"
OUT=$(WINNOW_DB="$OTHER" "$WINNOW_BIN" list import "$T/clips-items.json" --name "from items" 2>&1)
expect "items --json imports too (with --name)" contains "$OUT" "imported 3 items into from items (0 new"

# --- delete asks first ---------------------------------------------------------------------------
w list delete drive
expect_eq "without a terminal and without --yes: refused" "$RC" 1
expect "…saying why" contains "$OUT" "delete list drive with 4 items? — no terminal to ask; add --yes"
expect_eq "…and the list stays" "$(titles drive | tr '|' '\n' | wc -l)" 4
asked=$("$PY" - "$WINNOW_BIN" <<'PY'
import os, pty, sys, time
def run(answer):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.argv[1], [sys.argv[1], "list", "delete", "drive"])
    out = b""
    while b"[y/N]" not in out:
        out += os.read(fd, 1024)
    os.write(fd, answer)
    try:
        while True:
            chunk = os.read(fd, 1024)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    return out.decode(), os.WEXITSTATUS(status)
out, rc = run(b"n\n")
print("no:", rc, "asked" if "delete list drive with 4 items? [y/N]" in out else "not asked", "kept" if "kept list drive" in out else "?")
out, rc = run(b"y\n")
print("yes:", rc, "deleted" if "deleted list drive" in out else "?")
PY
)
expect "in a terminal it asks; n keeps" contains "$asked" "no: 1 asked kept"
expect "in a terminal it asks; y deletes" contains "$asked" "yes: 0 deleted"
w list show drive
expect "the list is gone" contains "$OUT" 'no list named "drive"'
expect_eq "…its items are not" "$(item_count --feed "file://$T/clips.rss")" 3
w list undo
expect "undo brings it back" contains "$OUT" "undid: delete list drive (4 items)"
expect_eq "…with its items in order" "$(titles drive)" "Tom |Seco|Text|311:"
w list delete drive --yes
expect "--yes deletes without asking" contains "$OUT" "deleted list drive"

# --- an item in a list stays when its feed is removed ---------------------------------------------
w list add keep "$C1"
w remove "file://$T/clips.rss"
left=$("$WINNOW_BIN" items --json | "$PY" -c 'import json,sys; print(sorted(i["title"][:4] for i in json.load(sys.stdin) if i["feed"] is None))')
expect_eq "the feed's other items went, the listed one stays detached" "$left" "['Tom ']"
expect "the listed clip stays in keep" contains "$(titles keep)" "Tom "

# --- durability: an entry added while a refresh writes survives kill -9 of that refresh ---------
mkdir -p "$T/many"
"$PY" - "$T/many" <<'PY'
import sys
for f in range(500):
    items = "".join(f"<item><title>Bulk {f}.{i}</title><guid>b{f}-{i}</guid><link>https://example.org/{f}/{i}</link>"
                    f"<description>Body {i}</description></item>" for i in range(400))
    open(f"{sys.argv[1]}/f{f}.rss", "w").write(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bulk {f}</title>{items}</channel></rss>')
PY
for f in $(seq 0 499); do echo "file://$T/many/f$f.rss"; done > "$T/urls"
"$WINNOW_BIN" import --allow-file "$T/urls" >/dev/null
"$WINNOW_BIN" refresh --quiet >/dev/null 2>&1 &
refresher=$!
sleep 0.1
w list add "watch later" "$B"
echo "# list add said: $OUT"
expect "add while a refresh writes (it waits its turn)" contains "$OUT" "→ watch later: added 1 item"
expect "the refresh was still running (200,000 items to store)" kill -9 "$refresher"
wait "$refresher" 2>/dev/null
expect_eq "after kill -9 of the refresh the entry is there" "$(titles "watch later")" "310:"
check=$("$PY" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$WINNOW_DB")
expect_eq "integrity_check" "$check" ok
# and killing `winnow list add` itself the moment it reported: committed means kept
: > "$T/add.out"
"$WINNOW_BIN" list add "watch later" "$A" > "$T/add.out" 2>&1 &
adder=$!
for _ in $(seq 1 100); do grep -q "added" "$T/add.out" && break; sleep 0.02; done
kill -9 "$adder" 2>/dev/null
wait "$adder" 2>/dev/null
expect_eq "an add that reported survives kill -9" "$(titles "watch later")" "310:|311:"
reports=$(cat "$T"/sanitizer.* 2>/dev/null | head -40)
expect_eq "no sanitizer reports from any run" "$reports" ""
finish
