#!/bin/bash
# SPDX-License-Identifier: ISC
# `winnow thumb` from a shell: the red|blue test pattern (a PNG written here) must print red cells
# on the left and blue on the right in every colour mode, from a file and from the loopback
# server, and broken input must fail with a clear message.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
setup_home
DOCROOT="$T/docroot"; mkdir -p "$DOCROOT"
trap 'server_stop; cleanup_home' EXIT

# 160×80, left half red, right half blue; and the same cut short; and an HTML page named .png
"$PY" - "$DOCROOT" <<'PY'
import struct, sys, zlib, os
d = sys.argv[1]
w, h = 160, 80
raw = b"".join(b"\0" + (b"\xff\0\0" * (w // 2) + b"\0\0\xff" * (w // 2)) for _ in range(h))
def chunk(t, data):
    return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(os.path.join(d, "pattern.png"), "wb").write(png)
open(os.path.join(d, "cut.png"), "wb").write(png[:len(png) // 2])
open(os.path.join(d, "page.png"), "w").write("<!DOCTYPE html><html><body>gone</body></html>\n")
PY

# Reads winnow's output like a terminal: prints "rows cols" and, per row, the colour of the left
# and right edge cells as r,g,b (what the cell shows: background for a space, foreground for a
# full block, both otherwise — they must agree).
read_cells() {
  "$PY" - "$1" <<'PY'
import re, sys
PAL16 = [0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
         0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff]
def pal(i):
    if i < 16: return PAL16[i]
    if i < 232:
        lv = [0, 95, 135, 175, 215, 255]; i -= 16
        return lv[i // 36] << 16 | lv[i // 6 % 6] << 8 | lv[i % 6]
    g = 8 + 10 * (i - 232); return g << 16 | g << 8 | g
text = open(sys.argv[1], encoding="utf-8").read()
rows = []
for line in text.split("\n")[:-1]:
    fg = bg = None; cells = []; i = 0
    while i < len(line):
        m = re.match(r"\x1b\[([0-9;]*)m", line[i:])
        if m:
            v = [int(x) for x in m.group(1).split(";") if x != ""]
            j = 0
            while j < len(v):
                c = v[j]
                if c == 0: fg = bg = None
                elif c in (38, 48) and v[j + 1] == 2:
                    col = v[j + 2] << 16 | v[j + 3] << 8 | v[j + 4]; j += 4
                    if c == 38: fg = col
                    else: bg = col
                elif c in (38, 48) and v[j + 1] == 5:
                    col = pal(v[j + 2]); j += 2
                    if c == 38: fg = col
                    else: bg = col
                elif 30 <= c <= 37: fg = PAL16[c - 30]
                elif 40 <= c <= 47: bg = PAL16[c - 40]
                elif 90 <= c <= 97: fg = PAL16[c - 90 + 8]
                elif 100 <= c <= 107: bg = PAL16[c - 100 + 8]
                elif c == 39: fg = None
                elif c == 49: bg = None
                j += 1
            i += len(m.group(0)); continue
        ch = line[i]; i += 1
        a = bg if ch == " " else fg
        b = fg if ch == "\u2588" else bg
        cells.append((a, b))
    rows.append(cells)
def name(c):
    a, b = c
    if a is None or b is None: return "none"
    def cls(x):
        r, g, bl = x >> 16, x >> 8 & 255, x & 255
        if r > 180 and g < 80 and bl < 100: return "red"
        if bl > 180 and r < 110 and g < 110: return "blue"
        return "%06x" % x
    ca, cb = cls(a), cls(b)
    return ca if ca == cb else ca + "/" + cb
print(len(rows), len(rows[0]) if rows else 0)
for r in rows:
    print(name(r[0]), name(r[len(r) // 2 - 2]), name(r[len(r) // 2 + 1]), name(r[-1]))
PY
}

check_pattern() {  # check_pattern LABEL FILE-OR-URL COLORS
  local label=$1 src=$2 colors=$3
  "$WINNOW_BIN" thumb "$src" --size 20x10 --colors "$colors" > "$T/out" 2> "$T/err"
  local rc=$?
  expect_eq "$label: exit status" "$rc" 0
  expect "$label: colour escapes in the output" grep -q $'\033\\[' "$T/out"
  read_cells "$T/out" > "$T/cells"
  expect_eq "$label: 20×5 cells (2:1 picture, 1:2 cells)" "$(head -1 "$T/cells")" "5 20"
  expect_eq "$label: every row red on the left, blue on the right" \
    "$(tail -n +2 "$T/cells" | sort -u)" "red red blue blue"
}

P="$DOCROOT/pattern.png"
check_pattern "direct" "$P" direct
expect "direct: 24-bit red escape" grep -q $'\033\\[[0-9;]*2;255;0;0' "$T/out"
check_pattern "256" "$P" 256
expect "256: palette red 196 and blue 21" grep -q '5;196' "$T/out"
expect "256: …and blue 21" grep -q '5;21[;m]' "$T/out"
check_pattern "16" "$P" 16

# ascii: characters only, no escape at all
"$WINNOW_BIN" thumb "$P" --size 20x10 --colors ascii > "$T/out"
expect_eq "ascii: exit status" "$?" 0
expect "ascii: no escapes" bash -c "! grep -q \$'\\033' '$T/out'"
expect "ascii: only ASCII characters" bash -c "! LC_ALL=C grep -q '[^ -~]' '$T/out'"
expect_eq "ascii: five lines" "$(wc -l < "$T/out" | tr -d ' ')" 5

# the colour default follows the environment
COLORTERM=truecolor "$WINNOW_BIN" thumb "$P" --size 20x10 > "$T/out"
expect "COLORTERM=truecolor gives 24-bit escapes" grep -q '2;255;0;0' "$T/out"
(unset COLORTERM; "$WINNOW_BIN" thumb "$P" --size 20x10) > "$T/out"
expect "without COLORTERM: 256 colours" grep -q '5;196' "$T/out"
NO_COLOR=1 "$WINNOW_BIN" thumb "$P" --size 20x10 > "$T/out"
expect "NO_COLOR: no escapes" bash -c "! grep -q \$'\\033' '$T/out'"

# over the network through the fetch engine
server_start --docroot "$DOCROOT" || { echo "cannot start the server"; exit 1; }
check_pattern "from the loopback server" "$SERVER_URL/d/pattern.png" 256

# failures: a clear message and exit status 1
w thumb "$SERVER_URL/d/page.png"
expect_eq "HTML served as .png: exit 1" "$RC" 1
expect "…says it is not an image but an HTML page" contains "$OUT" "not an image: the data is an HTML page"
w thumb "$SERVER_URL/d/nothing-here.png"
expect_eq "404: exit 1" "$RC" 1
expect "…says HTTP 404" contains "$OUT" "HTTP 404"
w thumb "$DOCROOT/cut.png"
expect_eq "truncated PNG: exit 1" "$RC" 1
expect "…says truncated" contains "$OUT" "PNG: truncated data"
w thumb "$T/no-such-file.png"
expect_eq "missing file: exit 1" "$RC" 1
expect "…says so" contains "$OUT" "No such file"
w thumb "$P" --size 20
expect_eq "bad --size: usage error" "$RC" 2
w thumb "$P" --colors 12
expect_eq "bad --colors: usage error" "$RC" 2
w thumb
expect_eq "no picture: usage error" "$RC" 2

# graphics protocols
"$WINNOW_BIN" thumb "$P" --size 20x10 --graphics sixel > "$T/out"
expect "sixel: a DCS sequence" grep -q $'\033P' "$T/out"
"$WINNOW_BIN" thumb "$P" --size 20x10 --graphics kitty > "$T/out"
expect "kitty: an APC sequence" grep -q $'\033_G' "$T/out"

# the provenance fixtures are real photographs
if [ -f "$WINNOW_FIXTURES/provenance/C.jpg" ]; then
  for f in C.jpg ocsp.jpg XCA.jpg amazon-titan-g1.png; do
    "$WINNOW_BIN" thumb "$WINNOW_FIXTURES/provenance/$f" --size 40x15 > "$T/out" 2>&1
    expect_eq "fixture $f: exit status" "$?" 0
    lines=$(wc -l < "$T/out" | tr -d ' ')
    expect "fixture $f: at most 15 rows ($lines)" [ "$lines" -ge 5 -a "$lines" -le 15 ]
  done
else
  echo "# provenance fixtures not found: skipped those checks"
fi

finish
