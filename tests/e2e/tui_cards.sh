#!/bin/bash
# SPDX-License-Identifier: ISC
# layout = cards, in tmux: the list with 3-line rows and a picture column on the left.  The
# red|blue pictures show in the first columns of each item's lines, j moves 3 lines down,
# the space selection shows its "+", paging reaches the last item, and v cycles the three layouts.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
setup_home
DOC="$T/doc"; mkdir -p "$DOC"
server_start --docroot "$DOC"
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT
S=$SERVER_URL

# Pictures: the left half red, the right half blue, 160 × 90; a feed of 12 items with summaries.
"$PY" - "$DOC" "$T/pics.xml" "$S" <<'PY'
import struct, sys, time, zlib, email.utils
doc, path, s = sys.argv[1], sys.argv[2], sys.argv[3]
def png(p, w, h):
    rows = b"".join(b"\0" + b"".join((b"\xff\x00\x00" if x < w // 2 else b"\x00\x00\xff") for x in range(w))
                    for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(p, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                        + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
for i in range(1, 13):
    png("%s/pic%02d.png" % (doc, i), 160, 90)
out = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>',
       '<title>Pictures</title><link>https://example.org/</link><description>t</description>']
for k in range(12, 0, -1):
    out.append('<item><title>Picture %02d</title><link>https://example.org/p/%d</link><guid>p%d</guid>'
               '<pubDate>%s</pubDate><description>Summary of picture %d.</description>'
               '<media:thumbnail url="%s/d/pic%02d.png"/></item>'
               % (k, k, k, email.utils.formatdate(int(time.time()) - 120 - (12 - k) * 3600, usegmt=True), k, s, k))
out.append("</channel></rss>")
open(path, "w").write("\n".join(out))
PY
w add "file://$T/pics.xml"
w refresh
expect "the feed is stored" contains "$OUT" "12 new"

# colours_at LINE [any]: the pane's LINE (1-based) has red and blue backgrounds in columns 1-9 (with
# "any": or none at all) and none further right
colours_at() {
  screen_e | "$PY" -c '
import re, sys
line = sys.stdin.read().split("\n")[int(sys.argv[1]) - 1]
bg, col, cols = None, 0, {}
for tok in re.findall(r"\x1b\[[0-9;:]*[A-Za-z]|\x1b.|.", line, re.S):
    if tok.startswith("\x1b["):
        if tok.endswith("m"):
            ps = [int(p) if p else 0 for p in re.split("[;:]", tok[2:-1])] or [0]
            i = 0
            while i < len(ps):
                p = ps[i]
                if p == 0 or p == 49: bg = None
                elif p == 48 and i + 2 < len(ps) and ps[i + 1] == 5: bg = ps[i + 2]; i += 2
                elif p == 38 and i + 2 < len(ps) and ps[i + 1] == 5: i += 2
                elif p in (38, 48) and i + 4 < len(ps) and ps[i + 1] == 2: i += 4
                i += 1
        continue
    if tok.startswith("\x1b"): continue
    col += 1
    cols[col] = bg
red = {196, 160, 124, 9}; blue = {21, 20, 19, 12}
left = [cols.get(c) for c in range(1, 10)]
right = [cols.get(c) for c in range(11, col + 1)]
both = any(b in red for b in left) and any(b in blue for b in left)
ok = (both or len(sys.argv) > 2) and not any(b in red | blue for b in right)
sys.exit(0 if ok else 1)
' "$@"
}
# line_of TEXT: the pane line (1-based) holding TEXT
line_of() { screen | grep -n -m1 -F -- "$1" | cut -d: -f1; }
cursor_row() { screen | grep -n -m1 -E '^(▌|>)' | cut -d: -f1; }
# wait_rows_coloured TEXT: the item's lines show its picture in the left column: a 16:9 picture
# is 2 of the 3 lines tall at 8 columns; nothing of it right of column 9
wait_rows_coloured() {
  local i=0 n
  while [ $i -lt 100 ]; do
    n=$(line_of "$1")
    if [ -n "$n" ] && colours_at "$n" && colours_at $((n + 1)) && colours_at $((n + 2)) any; then return 0; fi
    sleep 0.05; i=$((i + 1))
  done
  screen_e | head -12; return 1
}

printf 'layout = cards\n' >"$XDG_CONFIG_HOME/winnow/config"
winnow_tmux 80 24
expect "layout = cards: the newest item first" wait_for "Picture 12"
n12=$(line_of "Picture 12")
expect "…its date and source on the second line" eval 'screen | sed -n "$((n12 + 1))p" | grep -q "Pictures"'
expect "…its summary on the third" eval 'screen | sed -n "$((n12 + 2))p" | grep -q "Summary of picture 12"'
expect "…the next item three lines down" [ "$(line_of "Picture 11")" = $((n12 + 3)) ]
expect "…the cursor marker spans the three lines" \
  eval '[ "$(screen | sed -n "${n12},$((n12 + 2))p" | grep -cE "^(▌|>)")" = 3 ]'
expect "the pictures arrive in the left column, on the item's lines" wait_rows_coloured "Picture 12"
expect "…for the next item too" wait_rows_coloured "Picture 11"
c0=$(cursor_row)
tmux_keys j
expect "j moves to the next item" wait_for "2/12"
expect "…three lines down" eval '[ "$(cursor_row)" = $((c0 + 3)) ]'
expect "…onto Picture 11" cursor_on "Picture 11"
tmux_keys Space
expect "Space selects and steps on" wait_for "3/12"
expect "…a + beside the selected row, on its three lines" \
  eval '[ "$(screen | grep -nE "^\+" | cut -d: -f1 | tr "\n" " ")" = "$((c0 + 3)) $((c0 + 4)) $((c0 + 5)) " ]'
tmux_keys k k
expect "k moves back" wait_for "1/12"
tmux_keys G
expect "G goes to the last item" wait_for "12/12"
expect "…and the page scrolled to show it" wait_for "Picture 01"
expect "…with its picture" wait_rows_coloured "Picture 01"
expect "…and not the first" eval '! screen | grep -q "Picture 12"'
tmux_keys g
expect "g back to the top" wait_for "1/12"
tmux_keys v
expect "v: the grid" wait_for "grid of cards (v: list)"
expect "…several cards side by side" eval 'screen | grep -q "Picture 12.*Picture 11.*Picture 10"'
tmux_keys v
expect "v: the list" wait_for "list (v: cards"
expect "…one line per item" eval '[ "$(line_of "Picture 11")" = $(($(line_of "Picture 12") + 1)) ]'
tmux_keys v
expect "v: the cards again" wait_for "cards with thumbnails"
expect "…three lines per item" eval '[ "$(line_of "Picture 11")" = $(($(line_of "Picture 12") + 3)) ]'
quit_cleanly

printf 'layout = list\n' >"$XDG_CONFIG_HOME/winnow/config"
winnow_tmux 80 24
expect "layout = list: one line per item" wait_for "Picture 12"
tmux_keys v
expect "v from the list: the cards" wait_for "cards with thumbnails (v: grid"
quit_cleanly
finish
