#!/bin/bash
# SPDX-License-Identifier: ISC
# One table from every benchmark of the project: runs bench/refresh.sh, bench/tui.sh, bench/thumb,
# bench/prov_bench and bench/play.sh (each writes its own full report to BENCH_OUT/NAME.log) and
# picks the headline figures out of their output.  newsboat's figures appear where the benchmark
# measures it (refresh, first frame) and newsboat is installed.
# usage: bench/report.sh   (from the build directory; make bench sets the environment)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${BENCH_OUT:-bench-report}
PY=${PYTHON3:-python3}
export WINNOW_BIN=${WINNOW_BIN:-$PWD/winnow} PYTHON3=$PY
FX=${WINNOW_FIXTURES:-$HERE/../../shared/fixtures}
mkdir -p "$OUT"

run() {  # run NAME command...: the benchmark's whole output in OUT/NAME.log, echoed as it goes
  echo "== $1" >&2
  shift_name=$1; shift
  "$@" 2>&1 | tee "$OUT/$shift_name.log" >&2
}
run refresh "$SHELL" "$HERE/refresh.sh" "${BENCH_FEEDS:-300}"
run tui "$SHELL" "$HERE/tui.sh"
[ -x bench/thumb ] && run thumb ./bench/thumb
[ -x bench/prov_bench ] && run prov ./bench/prov_bench "$FX/provenance"
[ -x bench/parse ] && run parse ./bench/parse
run play "$SHELL" "$HERE/play.sh"

"$PY" - "$OUT" <<'PYEOF'
import os, re, sys
out = sys.argv[1]
def log(n):
    p = os.path.join(out, n + ".log")
    return open(p, errors="replace").read() if os.path.exists(p) else ""
def grab(text, pat, fmt="{}"):
    m = re.search(pat, text, re.M)
    return fmt.format(*m.groups()) if m else "n/a"
r, t, th, pv, pl = log("refresh"), log("tui"), log("thumb"), log("prov"), log("play")
pa = log("parse")
rows = [
    ("refresh 300 feeds, cold: wall / peak RSS",
     grab(r, r"^winnow refresh, cold.*?([\d.]+)\s+([\d.]+) MB", "{} s / {} MB"),
     grab(r, r"^newsboat -x reload.*?([\d.]+)\s+([\d.]+) MB", "{} s / {} MB")),
    ("refresh 300 feeds, warm (all 304): wall / peak RSS",
     grab(r, r"^winnow refresh, warm.*?([\d.]+)\s+([\d.]+) MB", "{} s / {} MB"), "-"),
    ("first frame, 100k items",
     grab(t, r"^winnow\s+first frame\s+([\d.]+) ms", "{} ms"),
     grab(t, r"^newsboat\s+first frame\s+([\d.]+) ms", "{} ms")),
    ("bytes per scrolled line",
     grab(t, r"^winnow .*scroll (\d+) B", "{} B"), grab(t, r"^newsboat .*scroll (\d+) B", "{} B")),
    ("bytes per cursor move",
     grab(t, r"^winnow .*cursor move (\d+) B", "{} B"), grab(t, r"^newsboat .*cursor move (\d+) B", "{} B")),
    ("search typed at once, match in the last of 100k items",
     grab(t, r"^winnow\s+search typed in one go.*?: (\d+) ms", "{} ms"), "-"),
    ("thumbnail decode + render (480x360 JPEG)",
     grab(th, r"=\s*median ([\d.]+) ms", "{} ms"), "-"),
    ("C2PA verification (PNG with manifest)",
     grab(pv, r"full verification.*?MB\s+([\d.]+) ms", "{} ms"), "-"),
    ("1 MB feed parse: utf-8 / utf-16 / big5",
     grab(pa, r"utf-8\s+[\d.]+ MB\s+([\d.]+) ms[\s\S]*utf-16le\s+[\d.]+ MB\s+([\d.]+) ms[\s\S]*big5\s+[\d.]+ MB\s+([\d.]+) ms",
          "{} / {} / {} ms"), "-"),
    ("C2PA verification, 50 MB MP4 (BMFF hash) from disk: time / peak RSS",
     grab(pv, r"50 MB MP4.*?MB\s+([\d.]+) ms.*?peak RSS ([\d.]+) MB", "{} ms / {} MB"), "-"),
    ("C2PA verification, 20 MB TIFF from disk: time / peak RSS",
     grab(pv, r"20 MB TIFF.*?MB\s+([\d.]+) ms.*?peak RSS ([\d.]+) MB", "{} ms / {} MB"), "-"),
    ("playback start (exec to first frame)",
     grab(pl, r"exec to first frame: median (\d+) ms", "{} ms"), "-"),
]
w = max(len(a) for a, _, _ in rows)
print()
print("%-*s  %-18s  %s" % (w, "benchmark", "winnow", "newsboat"))
print("%s  %s  %s" % ("-" * w, "-" * 18, "-" * 18))
for a, b, c in rows:
    print("%-*s  %-18s  %s" % (w, a, b, c))
print("\nfull outputs in %s/*.log" % out)
PYEOF
