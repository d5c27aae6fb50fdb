#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 17, point 11: an export names only media that `play` would open.  A list shared as JSON
# can carry av://, edl:// and file:// media; play refuses them (app_media_url_allowed), and the
# M3U, OPML and Atom exports wrote them for the next player.  Now they are left out; the page link
# stands in when it is http(s).
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT

cat >"$T/shared.json" <<'JSON'
[
 {"guid": "a", "title": "Lavfi", "url": "https://example.org/a", "media": {"url": "av://lavfi:sine", "type": "audio/mpeg"}},
 {"guid": "b", "title": "Edl", "url": null, "media": {"url": "edl://%9%/etc/passwd", "type": "video/mp4"}},
 {"guid": "c", "title": "Local", "url": "file:///etc/passwd", "media": {"url": "file:///etc/passwd", "type": "video/mp4"}},
 {"guid": "d", "title": "Fine", "url": "https://example.org/d", "media": {"url": "https://example.org/d.mp4", "type": "video/mp4"}}
]
JSON
w list import "$T/shared.json" --name shared
expect_eq "the shared list is imported" "$RC" 0
w list export shared --format m3u -o "$T/out.m3u"
expect_eq "the export is written" "$RC" 0
m3u=$(cat "$T/out.m3u")
expect "the http(s) media is there" contains "$m3u" "https://example.org/d.mp4"
expect "no av:// entry" sh -c '! grep -q "av://" "$1"' sh "$T/out.m3u"
expect "no edl:// entry" sh -c '! grep -q "edl://" "$1"' sh "$T/out.m3u"
expect "no file:// entry" sh -c '! grep -q "file:" "$1"' sh "$T/out.m3u"
expect "the page stands in for refused media" contains "$m3u" "https://example.org/a"
for fmt in atom opml; do
  w list export shared --format $fmt -o "$T/out.$fmt"
  expect "$fmt: no av:// or edl:// media" sh -c '! grep -qE "av://|edl://" "$1"' sh "$T/out.$fmt"
  expect "$fmt: the http(s) media is there" sh -c 'grep -q "https://example.org/d.mp4" "$1"' sh "$T/out.$fmt"
done
finish
