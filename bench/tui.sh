#!/bin/sh
# SPDX-License-Identifier: ISC
# The reader over a pty, as a user over SSH meets it, at 100,000 and 1,000,000 stored items: time
# from exec to the first full frame, bytes written for a one-line cursor move, a one-line scroll
# and a page down, the time a search typed in one go takes to reach the oldest item, the reader's
# peak RSS, CPU while idle, and `winnow items --limit 20`.  newsboat opens the same feeds and items
# when it is installed (up to BENCH_TUI_NB_MAX items: it loads them all before it draws).
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
# newsboat loads every item before it draws: a million would time out, so it runs up to this many
NB_MAX=${BENCH_TUI_NB_MAX:-100000}
# The sizes measured, as FEEDSxPER; BENCH_TUI_FEEDS/BENCH_TUI_PER alone measure that one size.
if [ -n "${BENCH_TUI_FEEDS:-}${BENCH_TUI_PER:-}" ]; then
  SIZES=${FEEDS}x${PER}
else
  SIZES=${BENCH_TUI_SIZES:-100x1000 1000x1000}
fi

# median of the first-frame times; the byte counts do not vary between runs; idle CPU is measured
# over 3 s in the first run.  The human lines, then one "tui-row" line per figure for the combined
# table (bench/report.sh): tui-row|what|winnow|newsboat
summary() {  # summary NAME FILE TOTAL [NEWSBOAT-FILE]
  "$PY" - "$1" "$2" "$3" "${4:-}" <<'PYEOF'
import os, statistics, sys
name, path, total, nbpath = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def rows(p):
    return [dict(kv.split("=") for kv in line.split()) for line in open(p) if "=" in line]
def med(rs, k):
    v = sorted(float(r[k]) for r in rs if k in r)
    return (statistics.median(v), v[0], v[-1]) if v else None
rs = rows(path)
nb = rows(nbpath) if nbpath and os.path.exists(nbpath) else []
ff = med(rs, "first_frame_ms")
last, first = rs[-1], rs[0]
print(f"{name:10s} first frame {ff[0]:8.1f} ms (min {ff[1]:.1f}, max {ff[2]:.1f}, "
      f"{len(rs)} runs, {last['first_frame_bytes']} bytes)  cursor move {last['move_bytes']} B  "
      f"scroll {last['scroll_bytes']} B  page {last.get('page_bytes', '?')} B  "
      f"peak RSS {max(int(r.get('peak_rss_kb', 0)) for r in rs) / 1024:.1f} MB  "
      f"idle CPU {first['idle_cpu_ms']} ms in {first['idle_s']} s")
ss = med(rs, "search_ms")
if ss:
    print(f"{name:10s} search typed in one go, to the oldest of all items: {ss[0]:.0f} ms "
          f"(min {ss[1]:.0f}, max {ss[2]:.0f})")
if name != "winnow":
    sys.exit(0)
n = f"{total:,}"
nff = med(nb, "first_frame_ms")
def row(what, w, b="-"):
    print(f"tui-row|{what}|{w}|{b}")
row(f"first frame, {n} items, 80x24", f"{ff[0]:.1f} ms", f"{nff[0]:.1f} ms" if nff else "-")
if ss:
    row(f"search typed in one go, match in the oldest of {n}", f"{ss[0]:.0f} ms")
row(f"bytes per line scrolled / per page down, {n} items",
    f"{last['scroll_bytes']} B / {last.get('page_bytes', '?')} B",
    # newsboat's page key in its feed list moved only the cursor (10 B): not a like figure
    f"{nb[-1]['scroll_bytes']} B / -" if nb else "-")
rss = max(int(r.get("peak_rss_kb", 0)) for r in rs) / 1024
nrss = max(int(r.get("peak_rss_kb", 0)) for r in nb) / 1024 if nb else 0
row(f"reader peak RSS, {n} items", f"{rss:.1f} MB", f"{nrss:.1f} MB" if nb else "-")
PYEOF
}

for size in $SIZES; do
  FEEDS=${size%x*}
  PER=${size#*x}
  TOTAL=$((FEEDS * PER))
  NBHERE=""
  [ -n "$NB" ] && [ "$TOTAL" -le "$NB_MAX" ] && NBHERE=$NB
  rm -rf "$D/winnow.db" "$D/winnow.db-wal" "$D/winnow.db-shm" "$D/nb"
  echo "generating $FEEDS feeds x $PER items ($TOTAL items)${NBHERE:+, and the same for newsboat}"
  "$PY" "$HERE/tui_gen.py" "$WINNOW_BIN" "$D/winnow.db" "$FEEDS" "$PER" ${NBHERE:+--newsboat "$D/nb"}
  echo "database: $(du -k "$D/winnow.db" | cut -f1) KB"
  # the newest item's count, as the status bar shows it ("1/100,000")
  READY="1/$("$PY" -c "print(f'{$TOTAL:,}')")"
  mkdir -p "$D/config"

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

  # the same with curation by provenance on: it runs in the store
  mkdir -p "$D/config-hide.d/winnow"
  printf 'hide = ai-generated\n' >"$D/config-hide.d/winnow/config"
  : >"$D/winnow-hide.out"
  i=0
  while [ $i -lt "$RUNS" ]; do
    "$PY" "$HERE/tui_pty.py" --cols "$COLS" --rows "$ROWS" --ready "$READY" --idle 0.2 \
      --env WINNOW_DB="$D/winnow.db" --env XDG_CONFIG_HOME="$D/config-hide.d" --env NO_COLOR= \
      -- "$WINNOW_BIN" >>"$D/winnow-hide.out"
    i=$((i + 1))
  done

  # `winnow items --limit 20`: the CLI's startup with this many items (median of 11)
  "$PY" - "$WINNOW_BIN" "$D/winnow.db" "$TOTAL" <<'PYEOF'
import statistics, subprocess, sys, time
ts = []
for _ in range(11):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "--db", sys.argv[2], "items", "--limit", "20"], check=True,
                   stdout=subprocess.DEVNULL)
    ts.append((time.perf_counter() - t) * 1000)
print(f"winnow     items --limit 20: {statistics.median(ts):.1f} ms (min {min(ts):.1f})")
print(f"tui-row|winnow items --limit 20, {int(sys.argv[3]):,} items|{statistics.median(ts):.1f} ms|-")
PYEOF

  if [ -n "$NBHERE" ]; then
    : >"$D/nb.out"
    i=0
    while [ $i -lt "$RUNS" ]; do
      idle=0.2; [ $i -eq 0 ] && idle=3
      # newsboat 2.21 binds no j: its "down" is the arrow key (application mode, as it sets),
      # its page down the PgDn key
      "$PY" "$HERE/tui_pty.py" --cols "$COLS" --rows "$ROWS" --ready "Feed number 1" --down '\eOB' \
        --page '\e[6~' --idle $idle -- newsboat -u "$D/nb/urls" -c "$D/nb/cache.db" -C "$D/nb/config" >>"$D/nb.out"
      i=$((i + 1))
    done
    summary newsboat "$D/nb.out" "$TOTAL"
  else
    echo "newsboat: not run at $TOTAL items${NB:+ (BENCH_TUI_NB_MAX=$NB_MAX)}"
  fi
  summary winnow "$D/winnow.out" "$TOTAL" ${NBHERE:+"$D/nb.out"}
  summary "winnow, hide = ai-generated" "$D/winnow-hide.out" "$TOTAL"
  if [ -n "$NBHERE" ]; then
    "$PY" - "$D/winnow.out" "$D/nb.out" <<'PYEOF'
import statistics, sys
def med(p):
    return statistics.median(float(dict(kv.split("=") for kv in l.split())["first_frame_ms"]) for l in open(p) if "=" in l)
w, n = med(sys.argv[1]), med(sys.argv[2])
print(f"first frame: newsboat / winnow = {n / w:.0f}x")
PYEOF
  fi
done
