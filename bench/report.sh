#!/bin/bash
# SPDX-License-Identifier: ISC
# One table from every benchmark of the project: runs bench/refresh.sh (cold refresh at 300 and
# 3,000 feeds beside newsraft and newsboat), bench/tui.sh (the reader at 100,000 and 1,000,000
# items), bench/thumb, bench/prov_bench, bench/parse and bench/play.sh (each writes its own full
# report to BENCH_OUT/NAME.log) and picks the headline figures out of their output, with the
# machine and the date.  The peers' figures appear where the benchmark measures them and the peer
# is there (newsraft is built from ../shared/peers, newsboat is the Debian package).
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
run refresh "$SHELL" "$HERE/refresh.sh" ${BENCH_FEEDS:-300 3000}
# the reader, as make bench-tui runs it; a tui.sh that prints no "tui-row|" lines measures one size
# a run, so the million items are asked for by name
run tui "$SHELL" "$HERE/tui.sh"
if ! grep -q '^tui-row|' "$OUT/tui.log"; then
  BENCH_TUI_FEEDS=1000 BENCH_TUI_PER=1000 BENCH_TUI_RUNS=${BENCH_TUI_RUNS:-3} run tui-1m "$SHELL" "$HERE/tui.sh"
fi
[ -x bench/thumb ] && run thumb ./bench/thumb
[ -x bench/prov_bench ] && run prov ./bench/prov_bench "$FX/provenance"
[ -x bench/parse ] && run parse ./bench/parse
run play "$SHELL" "$HERE/play.sh"

echo "machine: $(uname -srm), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
"$PY" - "$OUT" <<'PYEOF'
import os, re, sys
out = sys.argv[1]
def log(n):
    p = os.path.join(out, n + ".log")
    return open(p, errors="replace").read() if os.path.exists(p) else ""
def grab(text, pat, fmt="{}"):
    m = re.search(pat, text, re.M)
    return fmt.format(*m.groups()) if m else "n/a"
r, th, pv, pl, pa = log("refresh"), log("thumb"), log("prov"), log("play"), log("parse")
res = {}
for line in r.splitlines():
    f = line.split()
    if len(f) >= 6 and f[0] == "result":
        res[(f[1], f[2], f[3])] = f[4:]
def cell(kind, n, who):
    v = res.get((kind, n, who))
    return "%s s / %.1f MB" % (v[0], int(v[1]) / 1024) if v else "-"
def ratio(n, who):
    a, b = res.get(("cold", n, "winnow")), res.get(("cold", n, who))
    return "%.2fx" % (float(b[0]) / float(a[0])) if a and b and float(a[0]) > 0 else "-"
rows = []   # (what, winnow, newsraft, newsboat, ratio newsraft/winnow; newsboat/winnow)
sizes = sorted({int(k[1]) for k in res if k[0] == "cold"})
for n in map(str, sizes):
    items = res.get(("cold", n, "winnow"), [0, 0, "?"])[2]
    rows.append(("cold refresh, %s genfeeds.py feeds (%s items): wall / peak RSS" % (n, items),
                 cell("cold", n, "winnow"), cell("cold", n, "newsraft"), cell("cold", n, "newsboat"),
                 "%s; %s" % (ratio(n, "newsraft"), ratio(n, "newsboat"))))
    # the CPU time of the same runs (user + system, every thread): what two CPUs have to share
    cpu = lambda who: "%s s" % res[("cold", n, who)][3] if len(res.get(("cold", n, who), [])) > 3 else "-"
    rows.append(("cold refresh, %s feeds: CPU time (user + system)" % n, cpu("winnow"), cpu("newsraft"), cpu("newsboat"), "-"))
if len(sizes) >= 2:
    # from runs of both sizes by turns (refresh.sh's "scale" line), in milliseconds
    sc = res.get(("scale", "%d-%d" % (sizes[0], sizes[-1]), "winnow"))
    if sc and float(sc[0]) > 0:
        rows.append(("cold refresh, %d feeds / %d feeds (winnow, run by turns)" % (sizes[-1], sizes[0]),
                     "%.1fx (for %dx)" % (float(sc[1]) / float(sc[0]), sizes[-1] // sizes[0]), "-", "-", "-"))
for k in res:
    if k[0] == "warm":
        rows.append(("warm refresh, %s feeds (all 304)" % k[1], cell("warm", k[1], "winnow"), "-", "-", "-"))
    if k[0] == "pics-scan":
        rows.append(("refresh + scans of %s thumbnails (%s feeds)" % (res[k][2], k[1]), cell("pics-scan", k[1], "winnow"), "-", "-", "-"))
# the reader: tui.sh's own rows when it prints them, else its figures read from each size's log
tui_rows = [l.split("|")[1:4] for l in log("tui").splitlines() if l.startswith("tui-row|")]
if tui_rows:
    rows += [(a, b, "-", c, "-") for a, b, c in tui_rows]
else:
    for name in ("tui", "tui-1m"):
        t = log(name)
        n = grab(t, r"reader in a \S+ pty.*?, (\d+) stored items")
        n = "{:,}".format(int(n)) if n != "n/a" else name
        rows.append(("first frame, %s items, 80x24" % n, grab(t, r"^winnow\s+first frame\s+([\d.]+) ms", "{} ms"), "-",
                     grab(t, r"^newsboat\s+first frame\s+([\d.]+) ms", "{} ms"), "-"))
        rows.append(("search typed in one go, match in the oldest of %s" % n,
                     grab(t, r"^winnow\s+search typed in one go.*?: (\d+) ms", "{} ms"), "-", "-", "-"))
        rows.append(("bytes per line scrolled, %s items" % n, grab(t, r"^winnow .*scroll (\d+) B", "{} B"), "-",
                     grab(t, r"^newsboat .*scroll (\d+) B", "{} B"), "-"))
        rows.append(("reader peak RSS, %s items" % n, grab(t, r"^winnow .*peak RSS ([\d.]+) MB", "{} MB"), "-",
                     grab(t, r"^newsboat .*peak RSS ([\d.]+) MB", "{} MB"), "-"))
rows += [
    ("thumbnail decode + render (480x360 JPEG)", grab(th, r"=\s*median ([\d.]+) ms", "{} ms"), "-", "-", "-"),
    ("C2PA verification (PNG with manifest)", grab(pv, r"full verification.*?MB\s+([\d.]+) ms", "{} ms"), "-", "-", "-"),
    ("1 MB feed parse: utf-8 / utf-16 / big5",
     grab(pa, r"utf-8\s+[\d.]+ MB\s+([\d.]+) ms[\s\S]*utf-16le\s+[\d.]+ MB\s+([\d.]+) ms[\s\S]*big5\s+[\d.]+ MB\s+([\d.]+) ms",
          "{} / {} / {} ms"), "-", "-", "-"),
    ("C2PA verification, 50 MB MP4 (BMFF hash) from disk: time / peak RSS",
     grab(pv, r"50 MB MP4.*?MB\s+([\d.]+) ms.*?peak RSS ([\d.]+) MB", "{} ms / {} MB"), "-", "-", "-"),
    ("C2PA verification, 20 MB TIFF from disk: time / peak RSS",
     grab(pv, r"20 MB TIFF.*?MB\s+([\d.]+) ms.*?peak RSS ([\d.]+) MB", "{} ms / {} MB"), "-", "-", "-"),
    ("playback start (exec to first frame)", grab(pl, r"exec to first frame: median (\d+) ms", "{} ms"), "-", "-", "-"),
]
head = ("benchmark", "winnow", "newsraft 0.34", "newsboat", "newsraft/winnow; newsboat/winnow")
w = [max(len(str(r[i])) for r in rows + [head]) for i in range(5)]
print()
for r in [head, tuple("-" * x for x in w)] + rows:
    print("  ".join("%-*s" % (w[i], r[i]) for i in range(5)).rstrip())
print("\nfull outputs in %s/*.log" % out)
PYEOF
