#!/bin/bash
# SPDX-License-Identifier: ISC
# Hardening against a hostile publisher or a hostile neighbour (issue 17): files written through
# unguessable temporary names, never through a symlink someone planted.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT

# A local feed with one item, filed in a list, to export.
cat >"$T/f.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>https://example.org/</link>
<description>d</description><item><title>One</title><link>https://example.org/1</link><guid>1</guid>
<enclosure url="https://example.org/1.mp4" type="video/mp4" length="10"/></item></channel></rss>
XML
w add "file://$T/f.xml"
w refresh
id=$("$WINNOW_BIN" items --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
w list add keep "$id"
expect_eq "the item is filed" "$RC" 0

# list export -o OUT wrote OUT.tmp<pid> with fopen("w"): a symlink planted at that name made the
# export overwrite any file the user can write.  The pid is known here (exec keeps it), so plant
# links at every name the old code could have used.
mkdir -p "$T/shared"
echo "precious" >"$T/victim"
for fmt in m3u atom opml json; do
  out="$T/shared/keep.$fmt"
  sh -c 'ln -s "$1" "$2.tmp$$"; ln -s "$1" "$2.$$.tmp"; exec "$3" list export keep --format "$4" -o "$2"' \
    sh "$T/victim" "$out" "$WINNOW_BIN" "$fmt" >/dev/null 2>&1
  expect "$fmt: the export is written" test -s "$out"
  expect_eq "$fmt: the planted symlink's target is untouched" "$(cat "$T/victim")" "precious"
done
expect_eq "no temporary file is left behind" \
  "$(find "$T/shared" -name '.keep*' | wc -l)" 0
expect "the export is not a symlink" test ! -L "$T/shared/keep.atom"
expect "an export is readable by others (0644)" sh -c '[ "$(stat -c %a "$1")" = 644 ]' sh "$T/shared/keep.atom"
finish
