#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 17, points 6 and 7: everything the CLI prints passes the sanitiser, what the user typed or
# named too (a file name given to badge or thumb, list rename's old name, a config file's bad
# value); in a locale that is not UTF-8 a terminal gets ASCII (UTF-8 bytes 0x80..0x9F are C1
# controls there); and the columns of items and list show are cut by display width on character
# boundaries, not by bytes.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT

# no_escapes "what" TEXT: TEXT holds no ESC, BEL, C1 control (as UTF-8 or raw) and is UTF-8
no_escapes() {
  printf '%s' "$2" | "$PY" -c '
import re, sys
try:
    s = sys.stdin.buffer.read().decode("utf-8")
except UnicodeDecodeError:
    sys.exit(1)
sys.exit(1 if re.search("[\x1b\x07\x80-\x9f]", s) else 0)'
}
EVIL=$'evil\e]0;owned\a\e[2J\xc2\x9b31m.jpg'

w badge "$EVIL"
expect "badge: the error names the file" contains "$OUT" "evil"
expect "badge: the file name reaches the terminal without its escapes" no_escapes badge "$OUT"
w thumb "$EVIL"
expect "thumb: the error names the file" contains "$OUT" "evil"
expect "thumb: the file name reaches the terminal without its escapes" no_escapes thumb "$OUT"
w list new keep
w list rename keep $'kept\e]0;x\a'
expect "list rename: the new name, cleaned" contains "$OUT" "kept]0;x"
# the old name as the user typed it (escapes and all) finds the list; it was echoed raw
w list rename $'kept\e]0;x\a' $'a\e[2J'
expect_eq "list rename by the typed name works" "$RC" 0
expect "list rename: the old name echoed is cleaned" no_escapes rename "$OUT"
w list rename $'nope\e]0;x\a' other
expect "list rename of a missing list fails" test "$RC" != 0
expect "list rename: the old name the user typed is cleaned" no_escapes rename "$OUT"
printf 'timeout = \033]0;evil\007\n' >"$T/bad.conf"
w --config "$T/bad.conf" feeds
expect "a config error names the bad value" contains "$OUT" "bad value"
expect "a config error's bad value is cleaned" no_escapes config "$OUT"

# --- items and list show: the feed title's column is cut by width, on a character boundary
cat >"$T/f.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>日本語のフィードのタイトルです長い</title>
<link>https://example.org/</link><description>d</description>
<item><title>Héllo wörld</title><guid>1</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>
</channel></rss>
XML
w add "file://$T/f.xml"
w refresh
w items
expect "items: valid UTF-8 (a byte cut split a character)" no_escapes items "$OUT"
line=$(printf '%s\n' "$OUT" | grep Héllo)
col=$(printf '%s' "$line" | "$PY" -c '
import sys, unicodedata
s = sys.stdin.read()
pre = s[:s.index("Héllo")]
print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in pre))')
expect_eq "items: the title starts where an ASCII feed title would put it (6+1+1+1+10+2+20+2)" "$col" 43
id=$("$WINNOW_BIN" items --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
w list new shown
w list add shown "$id"
w list show shown
expect "list show: valid UTF-8" no_escapes show "$OUT"
expect "list show: the cut feed title, whole characters" contains "$OUT" "日本語のフィードのタ  Héllo"

# --- a locale that is not UTF-8: a terminal gets ASCII
on_tty() {  # on_tty CMD...: the command's output as a terminal sees it (a pty), LC_ALL=C
  "$PY" - "$@" <<'PYEOF'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.environ["LC_ALL"] = "C"; os.environ["LANG"] = "C"
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        d = os.read(fd, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
PYEOF
}
tty_out=$(on_tty "$WINNOW_BIN" items)
expect "C locale, a terminal: the item is listed" contains "$tty_out" "H?llo w?rld"
expect "C locale, a terminal: nothing but ASCII" sh -c '! printf "%s" "$1" | LC_ALL=C grep -q "[^[:print:][:space:]]"' sh "$tty_out"
expect "C locale, a terminal: a wide character takes two ?" contains "$tty_out" "????????????????????  H?llo"
pipe_out=$(LC_ALL=C "$WINNOW_BIN" items --json)
expect "C locale, a pipe: --json keeps UTF-8" contains "$pipe_out" "Héllo wörld"
finish
