#!/bin/bash
# SPDX-License-Identifier: ISC
# Playback benchmark: a 10 s 640x360 clip (ffmpeg testsrc2 + sine) served from the loopback server,
# played with `winnow play --vo tct` in a 120x40 pseudo-terminal.
#  - exec to the first video frame's bytes (an upper bound for keypress to first frame in the
#    reader: it adds process start, opening the store and loading libmpv); target <= 300 ms
#  - terminal output per second, full preset (truecolour, every frame, whole terminal) against the
#    SSH preset (256 colours, 10 fps, two thirds of the terminal); target <= 1.2 MB/s
# usage: bench/play.sh; WINNOW_BIN=path/to/winnow, RUNS (default 7)
set -eu
WINNOW_BIN=${WINNOW_BIN:-./winnow}
PY=${PYTHON3:-python3}
RUNS=${RUNS:-7}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
command -v ffmpeg >/dev/null || { echo "bench: ffmpeg is needed (apt-get install ffmpeg)"; exit 1; }
B=$(mktemp -d /tmp/winnow-bench-play.XXXXXX)
export XDG_CONFIG_HOME="$B/config" XDG_DATA_HOME="$B/data" XDG_CACHE_HOME="$B/cache" WINNOW_DB="$B/w.db"
export TERM=xterm-256color
unset SSH_CONNECTION SSH_TTY
. "$SRC/tests/integration/serverctl.sh"
trap 'server_stop; rm -rf "$B"' EXIT
mkdir -p "$B/www"
ffmpeg -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=25:duration=10" \
  -f lavfi -i "sine=frequency=440:duration=10" -c:v libx264 -preset veryfast -g 25 -pix_fmt yuv420p \
  -c:a aac -b:a 64k -shortest "$B/www/clip.mp4"
WINNOW_SRCDIR="$SRC" server_start --docroot "$B/www" --lifetime 600
URL="$SERVER_URL/d/clip.mp4"
PLAY=("$WINNOW_BIN" play --vo tct --ao null --no-mpv-config)

field() { "$PY" -c "import json, sys; print(json.loads(sys.stdin.readline()).get('$1'))"; }

echo "winnow play, loopback clip 640x360 25 fps, pty 120x40, $RUNS runs"
times=()
for _ in $(seq "$RUNS"); do
  t=$("$PY" "$HERE/play_pty.py" --cols 120 --rows 40 --keys "0.3:q" -- "${PLAY[@]}" "$URL" | field first_frame_ms)
  times+=("$t")
done
"$PY" - "${times[@]}" <<'PY'
import statistics, sys
v = sorted(float(x) for x in sys.argv[1:] if x != "None")
if not v:
    print("  exec to first frame: no frame seen")
else:
    med = statistics.median(v)
    print("  exec to first frame: median %.0f ms (min %.0f, max %.0f)   target <= 300 ms: %s"
          % (med, v[0], v[-1], "ok" if med <= 300 else "MISSED"))
PY

# the same through the terminal handoff of an ncurses program (what the reader does on Enter/p)
PROG=${PLAYER_TERM_PROG:-$(dirname "$WINNOW_BIN")/tests/player_term_prog}
if [ -x "$PROG" ]; then
  times=()
  for _ in $(seq "$RUNS"); do
    t=$("$PY" "$HERE/play_pty.py" --cols 120 --rows 40 --press "0.5:p" --keys "0.3:q,0.6:q" -- \
        "$PROG" "$URL" "$B/prog.log" | field first_frame_ms)
    times+=("$t")
  done
  "$PY" - "${times[@]}" <<'PY'
import statistics, sys
v = sorted(float(x) for x in sys.argv[1:] if x != "None")
if v:
    med = statistics.median(v)
    print("  keypress to first frame (ncurses handoff): median %.0f ms (min %.0f, max %.0f)   "
          "target <= 300 ms: %s" % (med, v[0], v[-1], "ok" if med <= 300 else "MISSED"))
else:
    print("  keypress to first frame (ncurses handoff): no frame seen")
PY
else
  echo "  (keypress to first frame: $PROG not built; make check builds it)"
fi

for preset in full ssh; do
  out=$("$PY" "$HERE/play_pty.py" --cols 120 --rows 40 --window 1:6 --keys "6.2:q" -- \
        "${PLAY[@]}" --preset "$preset" "$URL")
  bps=$(printf '%s\n' "$out" | field bytes_per_s)
  "$PY" - "$preset" "$bps" <<'PY'
import sys
preset, bps = sys.argv[1], float(sys.argv[2])
note = "   target <= 1.2 MB/s: %s" % ("ok" if bps <= 1.2e6 else "MISSED") if preset == "ssh" else ""
print("  %-4s preset: %.2f MB/s of terminal output%s" % (preset, bps / 1e6, note))
PY
done
