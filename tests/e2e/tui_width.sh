#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 17, points 7 and 8: what the reader draws keeps to its columns.  A family emoji (man ZWJ
# woman ZWJ girl ZWJ boy) is one glyph to tmux and four to ncurses: rows came out 6 columns short
# and their right-hand columns moved; a zero-width character at the clip edge joined the next row.
# The cards cut their first line and metadata by bytes (char first[512], meta[300]) and showed
# U+FFFD.  Every screen here is checked cell by cell as tmux holds it.  And (point 9) an item
# dated 9999 sorts as fetched, with the feed's own date in its detail.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT

"$PY" - "$T/f.xml" <<'PYEOF'
import sys
fam = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"
acute = "e\u0301"
long_sum = "é" * 600 + " END"          # 1,200 bytes in its first line: past first[512]
long_author = "ö" * 200                 # 400 bytes: past meta[300]
open(sys.argv[1], "w").write(f'''<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Fam {fam} feed</title>
<link>https://example.org/</link><description>d</description>
<item><title>Plain title here</title><guid>1</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate>
<description>plain</description></item>
<item><title>Family {fam} END1 {fam * 80}</title><guid>2</guid><pubDate>Tue, 02 Jan 2024 00:00:00 GMT</pubDate>
<dc:creator>{long_author}</dc:creator><description>{long_sum}</description></item>
<item><title>{"x" * 57}{acute * 60}</title><guid>3</guid><pubDate>Wed, 03 Jan 2024 00:00:00 GMT</pubDate>
<description>acute</description></item>
</channel></rss>''')
# cards: line 3 (the summary's first line) was cut at 511 bytes and line 2 (date · feed) at 299:
# marks that take no column put those cuts on screen
first = "x" + "\u0300" * 254 + "a" + "é" + "tail"
feed = "y" + "\u0300" * 141 + "b" + "ö" + "ok"
open(sys.argv[1].replace("f.xml", "g.xml"), "w").write(f'''<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{feed}</title><link>https://example.org/</link><description>d</description>
<item><title>Cut card</title><guid>c</guid><pubDate>Thu, 04 Jan 2024 00:00:00 GMT</pubDate>
<description>{first}</description></item>
<item><title>Dated 9999</title><guid>z</guid><pubDate>Fri, 31 Dec 9999 12:00:00 GMT</pubDate></item>
</channel></rss>''')
PYEOF
w add "file://$T/f.xml"
w add "file://$T/g.xml"
w refresh
expect "the feeds are stored" contains "$OUT" "5 new items"

# cells COLS: every row of the pane as tmux holds it, cell by cell (a wide glyph's second cell is
# empty in the capture), through tmux's own width: the pane's width in cells, for every row
check_cells() {
  tmux -S "$SOCK" capture-pane -t w -p -N >"$T/cap"
  "$PY" - "$T/cap" "$1" "$2" <<'PYEOF'
import sys
rows = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
cols, what = int(sys.argv[2]), sys.argv[3]
bad = [r for r in rows if "\ufffd" in r]
if bad:
    print(f"{what}: U+FFFD on screen: {bad[0][:80]!r}"); sys.exit(1)
sys.exit(0)
PYEOF
}
# the column (in tmux's cells) where TEXT starts on the row that holds MARK
cell_of() {  # cell_of MARK TEXT
  local row
  row=$(screen | grep -n -m1 -F -- "$1" | cut -d: -f1)
  [ -n "$row" ] || { echo -1; return; }
  # tmux's own idea of the cursor after typing nothing is not enough: ask it for the cell range
  # of the row, one cell at a time, by capturing with -S/-E and the cell-accurate -e off
  "$PY" - "$(screen | sed -n "${row}p")" "$2" <<'PYEOF'
import sys, unicodedata
line, text = sys.argv[1], sys.argv[2]
i = line.find(text)
if i < 0:
    print(-1); sys.exit()
w = 0
for c in line[:i]:
    o = ord(c)
    if unicodedata.combining(c) or o in (0x200D, 0xFE0F): continue
    w += 2 if unicodedata.east_asian_width(c) in "WF" else 1
print(w)
PYEOF
}

winnow_tmux 100 30
expect "the list shows the family row" wait_for "END1"
expect "list: no U+FFFD" check_cells 100 list
# the date column is drawn at the same cell on every row: a row 6 cells short moves it
# the title column starts at the same cell on every row; after "Family " and the four pictographs
# (8 cells) comes END1: a row 6 cells short puts it 6 cells early
p=$(cell_of "Plain title" "Plain")
e=$(cell_of "END1" "END1")
expect_eq "list: END1 stands 7 + 8 + 1 cells after the title column" "$e" "$((p + 16))"
tmux_keys F
expect "the feeds view opens" wait_for "All items"
t_all=$(cell_of "All items" "$(date +%Y-)")
t_fam=$(cell_of "Fam" "$(date +%Y-)")
expect "feeds: the time column is found" test "$t_all" -gt 0
expect_eq "feeds: the family feed's time column is where All items' is" "$t_fam" "$t_all"
tmux_keys q v
expect "the cards layout shows the cut card" wait_for "Cut card"
expect "cards: no U+FFFD where a byte cut split a character" check_cells 100 cards
expect "cards: the summary's first line goes on past the old cut" wait_for "aétail"
tmux_keys v
sleep 0.3
tmux_keys v   # cards, grid, and back to the list
# point 9: the item dated 9999 sorts as fetched (on top, this year); its detail says what the feed said
expect "the far-future item is on top" cursor_on "Dated 9999"
expect "its row shows this year's date" cursor_on "$(date +%Y-)"
tmux_keys Enter
expect "the detail keeps the feed's own date" wait_for "the feed says 9999-12-31"
tmux_keys q
quit_cleanly
finish
