#!/bin/bash
# SPDX-License-Identifier: ISC
# Documentation that cannot drift (issue 14): the man page's and README's generated parts are what
# the tables in the code print now (doc/update-docs.sh --check), and every config key, subcommand,
# option and reader action appears in `winnow help`, the man page and the README; the stale texts
# the issue named are gone.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT
MAN="$WINNOW_SRCDIR/doc/winnow.1"
README="$WINNOW_SRCDIR/README.md"

w_check=$("$WINNOW_SRCDIR/doc/update-docs.sh" --check "$WINNOW_BIN" "$MAN" "$README" 2>&1); rc=$?
expect_eq "man page and README are what the code says (make docs)" "$rc" 0
[ "$rc" = 0 ] || printf '%s\n' "$w_check"

mesc() { printf '%s' "$1" | sed 's/-/\\-/g'; }   # how roff spells a word with dashes
lacks_text() { ! grep -qF -- "$@"; }
has() { grep -qF -- "$2" "$1"; }

# config keys: from the parser's own table, in help config, the man page and the README
HELPCFG=$("$WINNOW_BIN" help config)
keys=$(printf '%s\n' "$HELPCFG" | sed -n 's/^  \([a-z0-9-]*\)[ =].*/\1/p')
expect "help config lists 30 keys or more" [ "$(printf '%s\n' "$keys" | wc -l)" -ge 30 ]
expect "help config gives values and defaults" contains "$HELPCFG" "jobs = 1 to 256  (default: 16)"
missing=
for k in $keys; do
  has "$MAN" ".B $(mesc "$k")" || missing="$missing man:$k"
  has "$README" "| \`$k\` |" || missing="$missing readme:$k"
done
expect_eq "every config key is in the man page and the README" "$missing" ""

# subcommands and their options
cmds=$("$WINNOW_BIN" --help | sed -n 's/^  \([a-z]*\)  .*/\1/p')
expect "winnow --help lists the subcommands" [ "$(printf '%s\n' "$cmds" | wc -l)" -ge 15 ]
missing=
for c in $cmds; do
  usage=$("$WINNOW_BIN" help "$c" | sed -n '1s/^usage: winnow //p')
  [ -n "$usage" ] || missing="$missing help:$c"
  has "$MAN" ".B \"$(mesc "$c")" || missing="$missing man:$c"
  has "$README" "| \`winnow $c" || missing="$missing readme:$c"
  for o in $(printf '%s\n' "$usage" | grep -o -- '--[a-z-]*' | sort -u); do
    has "$MAN" "$(mesc "$o")" || missing="$missing man:$c$o"
    has "$README" "$o" || missing="$missing readme:$c$o"
  done
done
expect_eq "every subcommand and option is in help, the man page and the README" "$missing" ""
for s in thumb badge trust scan; do
  expect "the man page has $s" has "$MAN" ".B \"$s"
done
expect "add --link and --insecure-tls are in the man page" has "$MAN" '\-\-link] [\-\-via yt\-dlp] [\-\-title TITLE] [\-\-tag TAG]... [\-\-insecure\-tls]'
HI=$("$WINNOW_BIN" help items)
expect "help items explains --search" contains "$HI" "--search matches title, summary and"
expect "help items explains --tag" contains "$HI" "--tag those of the feeds"

# reader actions: from the keymap's table, in help keys, the man page and the README
HK=$("$WINNOW_BIN" help keys)
acts=$(printf '%s\n' "$HK" | sed -n 's/^  \([a-z-]*\) .*/\1/p')
expect "help keys lists the actions" [ "$(printf '%s\n' "$acts" | wc -l)" -ge 40 ]
expect "…with their default keys" contains "$HK" "toggle-read        m"
missing=
for a in $acts; do
  [ "$a" = none ] && continue
  has "$MAN" "($(mesc "$a")))" || has "$MAN" "($(mesc "$a"))" || missing="$missing man:$a"
  has "$README" "| \`$a\` |" || missing="$missing readme:$a"
done
expect_eq "every reader action is in the man page and the README" "$missing" ""

# the stale texts of the issue
for stale in "as adapters arrive" "always verified" "Run as root" "once playback arrives" "when the provenance badges arrive"; do
  expect "no \"$stale\" left" lacks_text "$stale" "$MAN" "$README"
done
w help --man nosuch
expect_eq "help --man with an unknown part: usage error" "$RC" 2
finish
