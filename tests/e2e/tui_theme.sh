#!/bin/bash
# SPDX-License-Identifier: ISC
# Themes and terminals: a theme from the config, T cycles themes live, NO_COLOR draws without
# colour, truecolor only when told (COLORTERM=truecolor), user themes from the config folder with
# errors that name the line, and ASCII-only drawing when the locale is not UTF-8.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT
w demo --no-tui "$WINNOW_SRCDIR/data/demo"
expect "demo stored" contains "$OUT" "4 feeds from"
cfg="$XDG_CONFIG_HOME/winnow/config"

echo "theme = solarized-dark" >"$cfg"
winnow_tmux 100 30
expect "the list shows" wait_for "Camera makers agree"
before=$(screen_e)
# solarized's base03 background #002b36, as its nearest xterm-256 colour
expect "solarized-dark draws its background in 256 colours" contains "$before" "48;5;234m"
tmux_keys T
expect "T switches to the next theme" wait_for "theme default"
after=$(screen_e)
expect "…and the colours change" [ "$before" != "$after" ]
lacks() { ! contains "$1" "$2"; }
expect "…away from solarized's background" lacks "$after" "48;5;234m"
tmux_keys T
expect "T again: the next one" wait_for "theme high-contrast"
quit_cleanly

winnow_tmux 100 30 NO_COLOR=1
expect "NO_COLOR: the list shows" wait_for "Camera makers agree"
expect "NO_COLOR: no colour at all" sh -c "! tmux -S '$SOCK' capture-pane -t w -p -e | grep -qE '\[(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;|48;)'"
expect "NO_COLOR: the bars still stand out (reverse)" sh -c "tmux -S '$SOCK' capture-pane -t w -p -e | head -1 | grep -qE '\[([0-9;]*;)?7m'"
quit_cleanly

if infocmp xterm-direct >/dev/null 2>&1; then
  winnow_tmux 100 30 COLORTERM=truecolor
  expect "truecolor: the list shows" wait_for "Camera makers agree"
  expect "COLORTERM=truecolor: #002b36 exactly" contains "$(screen_e)" "48;2;0;43;54"
  quit_cleanly
else
  ok "truecolor: no xterm-direct terminfo here (package ncurses-term); skipped"
fi
winnow_tmux 100 30
expect "without COLORTERM: 256 colours, never truecolor" sh -c "sleep 0.3; ! tmux -S '$SOCK' capture-pane -t w -p -e | grep -q '48;2;'"
quit_cleanly

mkdir -p "$XDG_CONFIG_HOME/winnow/themes"
printf 'normal = #ff0000 #000000\ntitle = mauve default\n' >"$XDG_CONFIG_HOME/winnow/themes/mine.theme"
echo "theme = mine" >"$cfg"
w
expect_eq "a broken user theme stops the reader" "$RC" 1
expect "…naming its line" contains "$OUT" 'mine.theme:2: bad colour "mauve"'
printf 'normal = #ff0000 #000000\ntitle = green black bold\n' >"$XDG_CONFIG_HOME/winnow/themes/mine.theme"
winnow_tmux 100 30
expect "a user theme from the config folder" wait_for "Camera makers agree"
expect "…draws its colours (#ff0000 as 196)" contains "$(screen_e)" "38;5;196m"
quit_cleanly

echo "theme = default" >"$cfg"
winnow_tmux_logged 100 30 "$T/raw" LANG=C LC_ALL=C
expect "C locale: the list shows" wait_for "Camera makers agree"
expect "…with an ASCII cursor and badges" cursor_on ">N.  "
expect "…non-ASCII text as ?, but a dash as --" wait_for "???????? -- morning in Tokyo"
tmux_keys j j j j Enter
expect "…in the detail too" wait_for "morning in Tokyo"
quit_cleanly
"$PY" -c 'import sys; d = open(sys.argv[1], "rb").read(); bad = [b for b in d if b > 0x7e and b != 0x7f]; print(f"{len(d)} bytes, {len(bad)} non-ASCII"); sys.exit(1 if bad or not d else 0)' "$T/raw"
expect_eq "C locale: every byte sent to the terminal is ASCII" "$?" 0
# the bundled themes are in the binary: `theme = light` works with no theme folder at all, from
# any directory, and T cycles through every bundled theme
echo "theme = light" >"$cfg"
winnow_tmux 100 30 WINNOW_THEMES_DIR=
expect "theme = light without any theme folder" wait_for "Camera makers agree"
tmux_keys T
expect "T cycles to the next theme: the user's own (mine) among the bundled" wait_for "theme mine (4 of 6)"
tmux_keys T
expect "…then a bundled one again" wait_for "theme mono (5 of 6)"
quit_cleanly
finish
