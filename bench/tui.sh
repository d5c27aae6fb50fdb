#!/bin/sh
# SPDX-License-Identifier: ISC
# The reader over a pty, as a user over SSH meets it: time from exec to the first full frame with
# 100,000 stored items, bytes written for a one-line cursor move and a one-line scroll, the time a
# search typed in one go takes to reach the oldest item, and CPU
# while idle.  newsboat opens the same feeds and items when it is installed.
# Measured, not asserted: `make bench-tui` prints the figures.
set -eu
: "${WINNOW_BIN:?run through make bench-tui}"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON3:-python3}
FEEDS=${BENCH_TUI_FEEDS:-100}
PER=${BENCH_TUI_PER:-1000}
RUNS=${BENCH_TUI_RUNS:-5}
COLS=${BENCH_TUI_COLS:-80}
ROWS=${BENCH_TUI_ROWS:-24}
D=$(mktemp -d "${TMPDIR:-/tmp}/winnow-bench-tui.XXXXXX")
trap 'rm -rf "$D"' EXIT INT TERM

NB=""
command -v newsboat >/dev/null 2>&1 && NB=newsboat
TOTAL=$((FEEDS * PER))
echo "generating $FEEDS feeds x $PER items ($TOTAL items)${NB:+, and the same for newsboat}"
"$PY" "$HERE/tui_gen.py" "$WINNOW_BIN" "$D/winnow.db" "$FEEDS" "$PER" ${NB:+--newsboat "$D/nb"}
# the newest item's count, as the status bar shows it ("1/100,000")
READY="1/$("$PY" -c "print(f'{$TOTAL:,}')")"
mkdir -p "$D/config"

# median of the first-frame times; the byte counts do not vary between runs; idle CPU is measured
# over 3 s in the first run
summary() {  # summary NAME FILE
  "$PY" - "$1" "$2" <<'PYEOF'
import statistics, sys
rows = [dict(kv.split("=") for kv in line.split()) for line in open(sys.argv[2]) if "=" in line]
ff = sorted(float(r["first_frame_ms"]) for r in rows)
last, first = rows[-1], rows[0]
print(f"{sys.argv[1]:10s} first frame {statistics.median(ff):8.1f} ms (min {ff[0]:.1f}, max {ff[-1]:.1f}, "
      f"{len(ff)} runs, {last['first_frame_bytes']} bytes)  cursor move {last['move_bytes']} B  "
      f"scroll {last['scroll_bytes']} B  idle CPU {first['idle_cpu_ms']} ms in {first['idle_s']} s")
if "search_ms" in last:
    ss = sorted(float(r["search_ms"]) for r in rows)
    print(f"{sys.argv[1]:10s} search typed in one go, to the oldest of all items: {statistics.median(ss):.0f} ms "
          f"(min {ss[0]:.0f}, max {ss[-1]:.0f})")
PYEOF
}

echo "reader in a ${COLS}x${ROWS} pty, TERM=xterm-256color, $TOTAL stored items"
: >"$D/winnow.out"
i=0
while [ $i -lt "$RUNS" ]; do
  idle=0.2; [ $i -eq 0 ] && idle=3
  "$PY" "$HERE/tui_pty.py" --cols "$COLS" --rows "$ROWS" --ready "$READY" --idle $idle \
    --search "Item $((PER - 1)) of feed $((FEEDS - 1))" --search-quiet 3000 \
    --env WINNOW_DB="$D/winnow.db" --env XDG_CONFIG_HOME="$D/config" --env NO_COLOR= \
    -- "$WINNOW_BIN" >>"$D/winnow.out"
  i=$((i + 1))
done
summary winnow "$D/winnow.out"

# the same with curation by provenance on: it runs in the store, so it costs nothing extra
printf 'hide = ai-generated\n' >"$D/config-hide"
mkdir -p "$D/config-hide.d/winnow"; mv "$D/config-hide" "$D/config-hide.d/winnow/config"
: >"$D/winnow-hide.out"
i=0
while [ $i -lt "$RUNS" ]; do
  "$PY" "$HERE/tui_pty.py" --cols "$COLS" --rows "$ROWS" --ready "$READY" --idle 0.2 \
    --env WINNOW_DB="$D/winnow.db" --env XDG_CONFIG_HOME="$D/config-hide.d" --env NO_COLOR= \
    -- "$WINNOW_BIN" >>"$D/winnow-hide.out"
  i=$((i + 1))
done
summary "winnow, hide = ai-generated" "$D/winnow-hide.out"

if [ -n "$NB" ]; then
  : >"$D/nb.out"
  i=0
  while [ $i -lt "$RUNS" ]; do
    idle=0.2; [ $i -eq 0 ] && idle=3
    # newsboat 2.21 binds no j: its "down" is the arrow key (application mode, as it sets)
    "$PY" "$HERE/tui_pty.py" --cols "$COLS" --rows "$ROWS" --ready "Feed number 1" --down '\eOB' \
      --idle $idle -- newsboat -u "$D/nb/urls" -c "$D/nb/cache.db" -C "$D/nb/config" >>"$D/nb.out"
    i=$((i + 1))
  done
  summary newsboat "$D/nb.out"
  "$PY" - "$D/winnow.out" "$D/nb.out" <<'PYEOF'
import statistics, sys
def med(p):
    return statistics.median(float(dict(kv.split("=") for kv in l.split())["first_frame_ms"]) for l in open(p) if "=" in l)
w, n = med(sys.argv[1]), med(sys.argv[2])
print(f"first frame: newsboat / winnow = {n / w:.0f}x")
PYEOF
else
  echo "newsboat not installed: no comparison"
fi
