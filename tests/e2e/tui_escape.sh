#!/bin/bash
# SPDX-License-Identifier: ISC
# Hostile titles (the escape_titles_* fixtures: OSC 52 clipboard writes, screen clears, OSC 8
# links, 8-bit CSI/OSC) show as harmless text in the list, the detail, the feeds and the errors
# view, and the raw byte stream winnow writes to the terminal holds none of their sequences.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
need_fixtures
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT
M="$WINNOW_FIXTURES/feeds/malformed"

# every escape_titles case of the manifest, as a local file: whichever adapters exist read them
for f in $("$PY" -c 'import json,sys; print(" ".join(c["file"] for c in json.load(open(sys.argv[1]))["cases"] if (c.get("file") or "").startswith("escape_titles_")))' "$M/manifest.json"); do
  w add "file://$M/$f"
done
w refresh
expect "some of the hostile feeds are stored" contains "$OUT" "new items"
echo "osc8 = yes" >"$XDG_CONFIG_HOME/winnow/config"

winnow_tmux_logged 120 40 "$T/raw"
expect "the C1 numeric references leave the title" wait_for "Jupiter Made Earth Possible"
expect "the sequences' printable rest shows as text" wait_for "]52;c;cm0gLXJmIH4vKg=="
tmux_keys / p w n e d - t i t l e Enter
for n in 1 2 3; do
  tmux_keys Enter
  expect "detail $n: the text before the sequences shows" wait_for "Before"
  expect "detail $n: …and after them" wait_for "After"
  expect "detail $n: …and the coloured word, uncoloured" wait_for "red"
  tmux_keys q n
done
tmux_keys / c l i c k Space m e Enter Enter
expect "a summary with the sequences shows its text" wait_for "click me"
tmux_keys q F
expect "the feeds view lists them" wait_for "Kurzgesagt"
tmux_keys E
expect "the errors view lists the feeds that failed" wait_for "Errors kept"
tmux_keys q q
quit_cleanly

"$PY" - "$T/raw" "$M/manifest.json" <<'PYEOF'
import json, re, sys
d = open(sys.argv[1], "rb").read()
m = json.load(open(sys.argv[2]))
fails = []
for name, seq in m["sequences"].items():
    if seq.encode() in d:
        fails.append(f"the fixture's {name} sequence reached the terminal")
for what, pat in (("an OSC 52 clipboard write", rb"\x1b\]52"), ("a window title (OSC 0/1/2)", rb"\x1b\][012];"),
                  ("an OSC 8 link to the fixture's target", rb"\x1b\]8;[^;]*;https?://evil"),
                  ("a BEL", rb"\x07"), ("a C1 control (UTF-8)", rb"\xc2[\x80-\x9f]"),
                  ("a NUL", rb"\x00")):
    if re.search(pat, d):
        fails.append(f"{what} reached the terminal")
try:
    d.decode("utf-8")
except UnicodeDecodeError as e:
    fails.append(f"bytes that are not UTF-8 (a raw C1 byte?) at {e.start}: {d[max(0, e.start - 20):e.start + 20]!r}")
for target in re.findall(rb"\x1b\]8;;([^\x1b]*)\x1b\\\\", d):
    if target and not re.match(rb"https?://[\x21-\x7e]+$", target):
        fails.append(f"an OSC 8 target that is not a clean http link: {target!r}")
print(f"{len(d)} bytes checked")
for f in fails:
    print("FAIL - " + f)
sys.exit(1 if fails else 0)
PYEOF
expect_eq "the raw stream holds none of the feeds' sequences" "$?" 0
finish
