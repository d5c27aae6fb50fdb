#!/bin/bash
# SPDX-License-Identifier: ISC
# Memory check of the CLI paths under valgrind (not part of make check: several seconds per run).
# Each command must exit as it does natively with no invalid access and 0 bytes definitely lost.
# usage: tests/valgrind.sh [BUILDDIR]   (WINNOW_FIXTURES as for make check)
# Prints one line per command and closes with "valgrind: N passed, N failed".
set -u
B=$(cd "${1:-.}" && pwd)
export WINNOW_SRCDIR=${WINNOW_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
export WINNOW_BIN=$B/winnow
export WINNOW_FIXTURES=${WINNOW_FIXTURES:-$WINNOW_SRCDIR/../shared/fixtures}
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
need_fixtures
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)"; exit 1; }
setup_home
mkdir -p "$T/doc"
server_start --docroot "$T/doc"
trap 'server_stop; cleanup_home' EXIT
F=$WINNOW_FIXTURES/feeds
P=$WINNOW_FIXTURES/provenance

pass=0 fail=0
# vg NAME winnow-args...: runs winnow under valgrind, checks the error summary and the leak line
vg() {
  local name=$1; shift
  local log="$T/vg.$name.log"
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
    --log-file="$log" "$WINNOW_BIN" "$@" >"$T/vg.$name.out" 2>&1
  local rc=$?
  if [ "$rc" = 99 ] || grep -q 'definitely lost: [1-9]' "$log" || grep -q 'Invalid \(read\|write\)' "$log"; then
    fail=$((fail + 1)); echo "FAIL valgrind $name (exit $rc)"; sed -n 1,60p "$log"
  elif [ "$rc" -gt 1 ]; then
    fail=$((fail + 1)); echo "FAIL valgrind $name: exit $rc"; tail -5 "$T/vg.$name.out"
  else
    pass=$((pass + 1)); echo "ok - valgrind $name: $(head -c 100 "$T/vg.$name.out" | head -1 | tr -d "\033")"
  fi
}

"$WINNOW_BIN" add "$SERVER_URL/f/rss/atp_podcast_enclosures.rss" >/dev/null
"$WINNOW_BIN" add "$SERVER_URL/f/jsonfeed/npr_world_v1.json" >/dev/null
"$WINNOW_BIN" add "$SERVER_URL/f/malformed/billion_laughs.rss" >/dev/null
"$WINNOW_BIN" add "file://$F/atom/daringfireball.atom" >/dev/null
"$WINNOW_BIN" add "file://$F/youtube/kurzgesagt_videos_2026-01.xml" >/dev/null
"$WINNOW_BIN" add --offline "$SERVER_URL/status/503" >/dev/null
# issue 15's paths: converted charsets, categories, every enclosure (bodies of the one-file cases)
for c in enc_utf16le_bom.xml enc_decl_big5.xml cat_itunes_media_dc.xml enclosures_every_one.xml \
         merge_same_id_twice.xml recover_undeclared_prefix_and_entity.xml content_atom03_base64.xml; do
  awk 'f{print} /^$/{f=1}' "$WINNOW_SRCDIR/tests/feeds/cases/$c" > "$T/$c"
  "$WINNOW_BIN" add "file://$T/$c" >/dev/null
done
vg refresh refresh
vg refresh-again refresh          # the conditional-GET and unchanged-items paths
vg items-json items --json
vg items-category items --json --category science
vg feeds-json feeds --json
ID=$("$WINNOW_BIN" items --json --limit 3 | "$PY" -c 'import json,sys; print(" ".join(str(i["id"]) for i in json.load(sys.stdin)))')
# shellcheck disable=SC2086
"$WINNOW_BIN" list new vgtest >/dev/null && "$WINNOW_BIN" list add vgtest $ID >/dev/null
vg list-export list export vgtest --format atom -o "$T/vg.atom"
vg list-export-json list export vgtest --format json -o "$T/vg.json"
WINNOW_DB="$T/vg-import.db" vg list-import list import "$T/vg.json"
vg badge badge "$P/C.jpg"
vg badge-json badge --json "$P/amazon-titan-g1.png"
vg thumb thumb "$WINNOW_SRCDIR/data/demo/thumb1.jpg"
# logins (the server speaks the flows, authroutes.py) and a yt-dlp run that fails
printf 'the-code-1234\n' >"$T/vg.code"
vg login-mastodon login mastodon "$SERVER_URL" <"$T/vg.code"
printf 'abcd-efgh-ijkl-mnop\n' >"$T/vg.pw"
vg login-bluesky login bluesky tester.example --server "$SERVER_URL" <"$T/vg.pw"
"$WINNOW_BIN" add mastodon:home >/dev/null
"$WINNOW_BIN" add bluesky:following >/dev/null
command -v yt-dlp >/dev/null && "$WINNOW_BIN" add --via yt-dlp "$SERVER_URL/f/rss/atp_podcast_enclosures.rss?yt" >/dev/null
vg refresh-logins refresh         # the token hook, a session renewal, a yt-dlp error
vg logout logout mastodon
# subscribing (issue 14): a page's feeds, a duplicate, a 404, OPML both ways; the generated docs
cp "$F/atom/daringfireball.atom" "$T/doc/feed.xml"
printf '<html><head><link rel="alternate" type="application/atom+xml" href="feed.xml"><link rel="feed" href="/d/other.xml"></head></html>' >"$T/doc/page.html"
vg add-discover add "$SERVER_URL/d/page.html"
vg add-duplicate add "HTTP://127.0.0.1:$SERVER_PORT/d/feed.xml/"
vg add-404 add "$SERVER_URL/d/nosuch.xml"
vg export-opml export --opml
"$WINNOW_BIN" export --opml >"$T/vg.opml"
vg import-opml import "$T/vg.opml"
vg help-config help config
vg help-keys help keys
vg help-man help --man config
echo "valgrind: $pass passed, $fail failed"
[ "$fail" = 0 ]
