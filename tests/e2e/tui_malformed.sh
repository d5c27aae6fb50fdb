#!/bin/bash
# SPDX-License-Identifier: ISC
# Terminal safety over every malformed fixture: each file of fixtures/feeds/malformed is subscribed
# and refreshed, and the reader shows the items (list and detail), the feeds and the errors views
# while tmux records every byte it writes.  The recording may hold no OSC, DCS, APC, PM or SOS
# string, no C1 control (7- or 8-bit), no control byte but CR/LF/BS/TAB/SO/SI, and no escape
# sequence but the CSI and ESC forms ncurses draws with.  The recording is kept when the test
# fails (tui_malformed.raw next to the log).
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
need_fixtures
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT
M="$WINNOW_FIXTURES/feeds/malformed"
n=0
for f in "$M"/*; do
  case $f in *.py|*/manifest.json) continue ;; esac
  "$WINNOW_BIN" add "file://$f" >/dev/null 2>&1 && n=$((n + 1))
done
expect "every malformed fixture subscribed ($n)" [ "$n" -ge 20 ]
w refresh
expect "the refresh ends (exit $RC)" [ "$RC" -le 1 ]
items=$(item_count --limit 100000)
echo "# $items items stored from the malformed fixtures"

winnow_tmux_logged 120 40 "$T/raw"
expect "the list shows" wait_for "/"
# every item's detail, up to 60 of them (the list is newest first; Down walks it)
k=0
while [ $k -lt "$items" ] && [ $k -lt 60 ]; do
  tmux_keys Enter; sleep 0.08; tmux_keys q; tmux_keys Down; k=$((k + 1))
done
sleep 0.3
tmux_keys F; sleep 0.3; tmux_keys E; sleep 0.3; tmux_keys q
quit_cleanly

# ncurses also sends, on entering and leaving, the terminfo strings below (xterm's title stack
# around the alternate screen, the palette reset): they are the only non-drawing strings allowed.
caps=""
for c in smcup rmcup oc op; do caps="$caps $(tput -T xterm-256color "$c" 2>/dev/null | od -An -tx1 | tr -d ' \n')"; done
"$PY" - "$T/raw" $caps <<'PYEOF'
import re, sys
d = open(sys.argv[1], "rb").read()
for cap in sorted((bytes.fromhex(h) for h in sys.argv[2:] if h), key=len, reverse=True):
    d = d.replace(cap, b"")
fails = []
def fail(what, at):
    if len(fails) < 20:
        fails.append("%s at byte %d: %r" % (what, at, d[max(0, at - 16):at + 24]))
# what ncurses emits for drawing (xterm-256color): cursor motion, erase, insert/delete, scroll
# region, SGR, modes (?1049 etc.), tab stops, REP
CSI_FINAL = set(b"@ABCDEFGHIJKLMPSTXZ`abdefghlmr")
i, n = 0, len(d)
while i < n:
    b = d[i]
    if b == 0x1B:
        if i + 1 >= n:
            break                              # cut at the very end of the recording
        c = d[i + 1]
        if c == ord("["):
            m = re.compile(rb"\x1b\[([0-?]*)([ -/]*)([@-~])").match(d, i)
            if not m:
                fail("an unterminated CSI", i); i += 2; continue
            params, inter, final = m.group(1), m.group(2), m.group(3)[0]
            if inter or final not in CSI_FINAL or (params[:1] in (b"<", b"=", b">")):
                fail("a CSI ncurses does not draw with", i)
            i = m.end(); continue
        if c in b"]P_^X":
            fail({"]": "an OSC", "P": "a DCS", "_": "an APC", "^": "a PM", "X": "an SOS"}[chr(c)] + " string", i)
            i += 2; continue
        if c in b"()":
            i += 3; continue                    # character set designation (ACS line drawing)
        if c in b"78=>MDE":
            i += 2; continue
        fail("an ESC sequence ncurses does not draw with", i); i += 2; continue
    if b < 0x20 and b not in (0x0D, 0x0A, 0x08, 0x09, 0x0E, 0x0F):
        fail("control byte 0x%02x" % b, i)
    elif b == 0x7F:
        fail("DEL", i)
    i += 1
try:
    t = d.decode("utf-8")
    for m in re.finditer("[\x80-\x9f]", t):
        fail("a C1 control U+%04X" % ord(m.group()), len(t[:m.start()].encode()))
except UnicodeDecodeError as e:
    fail("bytes that are not UTF-8 (a raw C1 byte?)", e.start)
print("%d bytes of terminal output checked" % len(d))
for f in fails:
    print("FAIL - " + f)
sys.exit(1 if fails else 0)
PYEOF
rc=$?
expect_eq "the raw stream holds only ncurses' drawing" "$rc" 0
[ "$rc" = 0 ] || cp "$T/raw" "${WINNOW_BUILDDIR:-.}/tests/e2e/tui_malformed.raw" 2>/dev/null
finish
