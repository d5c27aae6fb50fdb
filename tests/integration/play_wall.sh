#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 17, point 11: --stop-after stops on wall time too.  A 1 s MPEG-TS segment repeated twelve
# times has timestamps that jump back to 0 every second, so the position never passes 2 s and
# `play --stop-after 2` played all twelve seconds to the end.  Now the entry is stopped (quit, as
# q does) once it has played 2 s of wall time past the limit.  What is asserted is the outcome
# (quit, not ended), not a duration.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
command -v ffmpeg >/dev/null || { echo "SKIP: ffmpeg not installed (it makes the test clip)"; exit 77; }
setup_home
trap cleanup_home EXIT
ffmpeg -loglevel error -y -f lavfi -i "testsrc=size=160x120:rate=25:duration=1" \
  -f lavfi -i "sine=frequency=440:duration=1" -c:v mpeg2video -g 25 -c:a mp2 -shortest -f mpegts \
  "$T/seg.ts" || { echo "FAIL: ffmpeg made no segment"; exit 1; }
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do cat "$T/seg.ts"; done >"$T/repeat.ts"
w play --vo null --ao null --no-mpv-config --stop-after 2 "$T/repeat.ts"
expect "the repeating segment is stopped, the way q stops it" contains "$OUT" "repeat.ts: quit at"
expect "…not played to its end" sh -c '! printf "%s" "$1" | grep -q "repeat.ts: ended"' sh "$OUT"
expect_eq "…exit 1 (not everything played to the end)" "$RC" 1
finish
