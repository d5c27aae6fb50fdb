#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 20: one argument parser for every subcommand, made from each subcommand's option table.
# Every subcommand (and every action of `list`) answers --help with its usage, an unknown option
# is a usage error (exit 2) naming it, a missing value names the option and what it wants, options
# may follow the operands, --db/--config work after the subcommand, and `--` ends the options.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT

cmds=$("$WINNOW_BIN" --help | sed -n 's/^  \([a-z]*\)  .*/\1/p')
expect "winnow --help lists 18 subcommands" [ "$(printf '%s\n' "$cmds" | wc -l)" -eq 18 ]
missing= badopt= badhelp=
for c in $cmds; do
  # --help before, after and among the operands; -h too; and `winnow help CMD` says the same
  w "$c" --help
  [ "$RC" = 0 ] && contains "$OUT" "usage: winnow $c" || badhelp="$badhelp $c:--help($RC)"
  help_out=$OUT
  w help "$c"
  [ "$RC" = 0 ] && [ "$OUT" = "$help_out" ] || badhelp="$badhelp $c:help"
  w "$c" some-operand -h
  [ "$RC" = 0 ] && contains "$OUT" "usage: winnow $c" || badhelp="$badhelp $c:-h"
  # every option of the synopsis is in the option list with its own line
  usage=$(printf '%s\n' "$help_out" | sed -n '1s/^usage: winnow //p')
  for o in $(printf '%s\n' "$usage" | grep -o -- '--[a-z-]*' | sort -u); do
    contains "$help_out" "
      $o" || contains "$help_out" ", $o" || missing="$missing $c$o"
  done
  # an unknown option: exit 2, the option named, the usage shown, nothing done
  w "$c" --no-such-option
  { [ "$RC" = 2 ] && contains "$OUT" "winnow $c: unknown option --no-such-option" &&
    contains "$OUT" "usage: winnow $c"; } || [ "$c" = list ] || badopt="$badopt $c($RC)"
done
expect_eq "every subcommand answers --help, -h and help CMD alike" "$badhelp" ""
expect_eq "every option of a synopsis has its line in the help" "$missing" ""
expect_eq "an unknown option is a usage error naming it, for every subcommand" "$badopt" ""
w list new --no-such-option
expect_eq "…and for list's actions" "$RC" 2
expect "…named" contains "$OUT" "winnow list: unknown option --no-such-option"
w items -Z
expect_eq "an unknown short option" "$RC" 2
expect "…named" contains "$OUT" "winnow items: unknown option -Z"
w --no-such-option
expect_eq "an unknown option of winnow itself" "$RC" 2
expect "…named" contains "$OUT" "winnow: unknown option --no-such-option (try winnow --help)"

# each action of list answers --help with its own usage
for a in new rename delete add rm move show export import undo; do
  w list "$a" --help
  [ "$RC" = 0 ] && contains "$OUT" "usage: winnow list $a"
  expect_eq "list $a --help" "$?" 0
done
w help list
expect "help list lists the actions with what they do" contains "$OUT" "  list export NAME --format m3u|json|opml|atom [-o FILE] [--self URL]
      m3u plays in mpv"

# a missing value names the option and the value it wants
w add http://127.0.0.1:9/feed --kind
expect_eq "missing value: usage error" "$RC" 2
expect "…naming the option and its value" contains "$OUT" "winnow add: --kind needs a value (KIND)"
w add http://127.0.0.1:9/feed --ki
expect "…in full when abbreviated" contains "$OUT" "winnow add: --kind needs a value (KIND)"
w refresh --db
expect "…and --db after a subcommand" contains "$OUT" "winnow refresh: --db needs a value (PATH)"
w items -n
expect "…also for a short option" contains "$OUT" "winnow items: -n needs a value (N)"
w list export x --format
expect "…and for an action's" contains "$OUT" "winnow list: --format needs a value (m3u|json|opml|atom)"

# options after the operands, and --db after the subcommand
cat >"$T/f.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>https://example.org/</link>
<description>d</description><item><title>One</title><guid>1</guid></item>
<item><title>Two</title><guid>2</guid></item></channel></rss>
XML
w add "file://$T/f.xml" --tag news --title Mine --db "$T/other.db"
expect_eq "add URL --tag --title --db: options after the operand" "$RC" 0
expect "the --db given after the subcommand is used" test -s "$T/other.db"
expect "the default database is untouched" test ! -e "$WINNOW_DB"
w refresh 1 --quiet --db "$T/other.db"
expect_eq "refresh FEED --quiet" "$RC" 0
expect "--quiet after the operand: only the summary" [ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ]
w feeds --db="$T/other.db" --json
expect "--db=PATH form, feeds --json" contains "$OUT" '"title":	"Mine"'
expect "…with the tag" contains "$OUT" '"news"'
export WINNOW_DB="$T/other.db"
w list new L
w list add L 1 2
A=$("$WINNOW_BIN" list show L --json)
B=$("$WINNOW_BIN" list show --json L)
[ -n "$A" ] && [ "$A" = "$B" ]
expect_eq "list show NAME --json = list show --json NAME" "$?" 0
C=$(WINNOW_DB=/nonexistent/x.db "$WINNOW_BIN" list --db "$T/other.db" show L --json)
expect "--db before list's action" [ "$A" = "$C" ]
w list export L -o "$T/l.json" --format json
expect_eq "list export NAME -o FILE --format json (permuted)" "$RC" 0
expect "…wrote the file" contains "$(cat "$T/l.json")" '"winnow-list"'
A=$("$WINNOW_BIN" items --limit 1 --json)
B=$("$WINNOW_BIN" items --json -n 1)
expect "items --limit 1 --json = items --json -n 1" [ "$A" = "$B" ]
expect "…one item" [ "$(printf '%s' "$A" | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ]
# --limit=1 and an abbreviation getopt_long resolves (--lim) mean the same
C=$("$WINNOW_BIN" items --lim=1 --json)
expect "a unique abbreviation of a long option" [ "$A" = "$C" ]

# -- ends the options: what follows is an operand even when it looks like one
w items -- --json
expect_eq "-- then an operand: items takes none" "$RC" 2
expect "…said as an unexpected argument" contains "$OUT" "winnow items: unexpected argument --json"
w list delete L --yes
expect_eq "list delete NAME --yes" "$RC" 0
w list undo extra
expect_eq "list undo takes no operands" "$RC" 2
finish
