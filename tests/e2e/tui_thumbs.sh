#!/bin/bash
# SPDX-License-Identifier: ISC
# Thumbnails in the reader, in tmux: a feed whose pictures (red|blue PNGs made here) come from the
# loopback server, some of them slowly.  The cursor moves while they load (placeholders), the grid
# (v v) shows several cards with coloured cells, a missing picture gets a marker, the detail says
# why it is missing and a refresh tries it again, the detail view shows a large picture on top,
# and the list stays one line per item.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
setup_home
DOC="$T/doc"; mkdir -p "$DOC"
server_start --docroot "$DOC"
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT
S=$SERVER_URL

# Pictures: the left half red, the right half blue, 160 × 90.
"$PY" - "$DOC" <<'PY'
import struct, sys, zlib
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
       b'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"/>'
       b'</rdf:RDF></x:xmpmeta>')
def png(path, w, h, xmp=False):
    rows = b"".join(b"\0" + b"".join((b"\xff\x00\x00" if x < w // 2 else b"\x00\x00\xff") for x in range(w))
                    for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    meta = chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + XMP) if xmp else b""
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                           + meta + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
# picture 05 says in its XMP that it was made by generative AI
for i in range(1, 13):
    png("%s/pic%02d.png" % (sys.argv[1], i), 160, 90, xmp=(i == 5))
PY

# The feed: item 12 (the newest) has no picture on the server (404); the rest load after a second.
"$PY" - "$T/pics.xml" "$S" <<'PY'
import sys, time, email.utils
path, s = sys.argv[1], sys.argv[2]
out = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>',
       '<title>Pictures</title><link>https://example.org/</link><description>t</description>']
for k in range(12, 0, -1):
    pic = "%s/d/missing.png" % s if k == 12 else "%s/d/pic%02d.png?delay=1" % (s, k)
    out.append('<item><title>Picture %02d</title><link>https://example.org/p/%d</link><guid>p%d</guid>'
               '<pubDate>%s</pubDate><media:thumbnail url="%s"/></item>'
               % (k, k, k, email.utils.formatdate(int(time.time()) - 120 - (12 - k) * 3600, usegmt=True), pic))
out.append("</channel></rss>")
open(path, "w").write("\n".join(out))
PY
w add "file://$T/pics.xml"
w refresh --no-scan   # the reader loads the pictures itself here (slowly: ?delay=1)
expect "the feed is stored" contains "$OUT" "12 new"

# the colour escapes of a thumbnail: red and blue backgrounds (256 colours)
has_colours() { screen_e | grep -qE '48;5;(196|160|124|9)m' && screen_e | grep -qE '48;5;(21|20|19|12)m'; }
wait_colours() {
  local i=0
  while [ $i -lt 100 ]; do has_colours && return 0; sleep 0.05; i=$((i + 1)); done
  screen_e | head -12; return 1
}

winnow_tmux 80 24
expect "the list: one line per item" wait_for "Picture 12"
expect "…and no picture cells in it" eval '! screen_e | grep -qE "48;5;(196|21)m"'
tmux_keys v
expect "v shows rows of cards" wait_for "cards with thumbnails"
tmux_keys v
expect "v again shows the grid" wait_for "grid of cards (v: list)"
expect "…several of them side by side" eval 'screen | grep -q "Picture 12.*Picture 11.*Picture 10"'
expect "…with placeholders while the pictures load" wait_for "…"
# keys move the cursor at once while the server holds the pictures back
# the grid is two-dimensional: l/Right along the row, j/Down to the card below (3 per row here)
tmux_keys l l l
expect "scrolling does not wait for pictures" wait_for "4/12" 1
tmux_keys h h h
expect "…either way" wait_for "1/12" 1
tmux_keys j
expect "j goes to the card below" wait_for "4/12" 1
tmux_keys Right Down
expect "Right then Down: one along, one below" wait_for "8/12" 1
tmux_keys k Left
expect "k and Left come back" wait_for "4/12" 1
tmux_keys k
expect "the pictures arrive as coloured cells" wait_colours
expect "a missing picture gets a marker" eval 'screen | grep -q "×"'
tmux_keys G
expect "G goes to the last card" wait_for "12/12"
expect "…and the grid scrolled to show it" wait_for "Picture 01"
wait_re() {  # wait_re REGEX: until a line of the pane matches
  local i=0
  while [ $i -lt 100 ]; do screen | grep -qE -- "$1" && return 0; sleep 0.05; i=$((i + 1)); done
  screen; return 1
}
expect "the scanned picture's XMP puts the AI glyph on its card" wait_re "⋅✦.? Picture 05"
tmux_keys g Enter
expect "Enter opens the detail" wait_for "Picture 12" && wait_for "Provenance"
expect "…which says why its picture is missing" wait_for "picture: HTTP 404"
# the picture appears on the server; the next refresh tries it again
cp "$DOC/pic01.png" "$DOC/missing.png"
tmux_keys R
expect "after a refresh the detail shows the picture" wait_colours
expect "…and no reason any more" eval '! screen | grep -q "picture: HTTP"'
tmux_keys h l Enter
expect "the next item's detail" wait_for "Picture 11"
expect "…with a large picture on top" wait_colours
rows=$(screen_e | sed -n '2,14p' | grep -cE '48;5;(196|160|124|9)m')
expect "…several rows tall ($rows)" [ "$rows" -ge 5 ]
tmux_keys h
expect "back to the grid" wait_for "Picture 10"
quit_cleanly

# 120 × 40 and layout = grid from the config
printf 'layout = grid\n' >"$XDG_CONFIG_HOME/winnow/config"
winnow_tmux 120 40
expect "layout = grid starts with cards" wait_for "Picture 12"
expect "…four across at 120 columns" eval 'screen | grep -q "Picture 12.*Picture 11.*Picture 10.*Picture 09"'
expect "…and pictures from the disk cache" wait_colours
tmux_keys v
expect "v goes back to the list" wait_for "list (v: cards"
quit_cleanly

# curation by what a picture's scan found: picture 05 goes once its bytes are read
printf 'layout = grid\nhide = ai-generated\n' >"$XDG_CONFIG_HOME/winnow/config"
rm -rf "$XDG_CACHE_HOME/winnow/thumbs"
winnow_tmux 80 24
expect "hide = ai-generated: the grid shows the pictures" wait_for "Picture 07"
expect "…and drops picture 05 once its XMP is read (the page ahead is read too)" wait_for "/11"
tmux_keys G
expect "…so the last page lacks it" wait_for "Picture 01"
expect "…indeed" eval '! screen | grep -q "Picture 05"'
quit_cleanly

printf 'thumbnails = off\nlayout = grid\n' >"$XDG_CONFIG_HOME/winnow/config"
winnow_tmux 80 24
expect "thumbnails = off: cards without pictures" wait_for "Picture 12"
sleep 0.5
expect "…and no picture cells" eval '! has_colours'
quit_cleanly

# an 8-colour terminal: the pictures use its colours too, never 256-colour codes
printf 'layout = grid\n' >"$XDG_CONFIG_HOME/winnow/config"
winnow_tmux 80 24 TERM=xterm
expect "TERM=xterm: the grid shows" wait_for "Picture 12"
sleep 1
expect "…pictures in 8 colours (red and blue backgrounds)" eval 'screen_e | grep -qE "(\[|;)41m" && screen_e | grep -qE "(\[|;)44m"'
expect "…and no 256-colour codes anywhere" eval '! screen_e | grep -qE "[34]8;5;"'
quit_cleanly

# pixel graphics: off inside tmux unless forced; forced, the detail writes them after the frame
for kind in sixel kitty; do
  printf 'thumbnails = %s\nthumbnails-force = yes\n' "$kind" >"$XDG_CONFIG_HOME/winnow/config"
  winnow_tmux_logged 80 24 "$T/raw-$kind"
  expect "$kind: the list shows" wait_for "Picture 12"
  tmux_keys j Enter
  expect "$kind: the detail opens" wait_for "Picture 11"
  # until the picture's pixels went out (its server answers after a second)
  i=0
  while [ $i -lt 100 ] && ! grep -qaE "$(printf '\033')(P[0-9;]*q|_G)" "$T/raw-$kind"; do sleep 0.05; i=$((i + 1)); done
  tmux_keys h
  expect "$kind: back in the list" wait_for "Picture 10"
  quit_cleanly
done
"$PY" - "$T/raw-sixel" "$T/raw-kitty" <<'PY'
import re, sys
six, kit = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
checks = (("sixel: a sixel image was written (DCS ... q)", re.search(rb"\x1bP[0-9;]*q", six) is not None),
          ("kitty: a kitty image was written (APC G)", b"\x1b_G" in kit),
          ("kitty: and removed when the detail closed", kit.count(b"\x1b_Ga=d") >= 1))
for what, cond in checks:
    print(("ok - " if cond else "FAIL - ") + what)
sys.exit(0 if all(c for _, c in checks) else 1)
PY
expect_eq "the raw stream holds the pixel graphics" "$?" 0

printf 'layout = tiles\n' >"$XDG_CONFIG_HOME/winnow/config"
w items
expect "a bad layout is an error with its line" contains "$OUT" ':1: bad value "tiles" for layout'
finish
