# SPDX-License-Identifier: ISC
# Shared by the shell tests: an isolated home for winnow, assertions that count, fixture checks.
set -u
: "${WINNOW_BIN:?run through make check}"
: "${WINNOW_SRCDIR:?run through make check}"
: "${WINNOW_FIXTURES:=$WINNOW_SRCDIR/../shared/fixtures}"
PY=${PYTHON3:-python3}
FAILURES=0
CHECKS=0

need_fixtures() {
  if [ ! -f "$WINNOW_FIXTURES/feeds/expected.json" ]; then
    echo "SKIP: fixtures not found at $WINNOW_FIXTURES (set WINNOW_FIXTURES to ../shared/fixtures)"
    exit 77
  fi
}

# A private XDG world and database per test.
setup_home() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/winnow-test.XXXXXX")
  export XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" XDG_CACHE_HOME="$T/cache"
  export WINNOW_DB="$T/winnow.db"
  unset WINNOW_CONFIG
  mkdir -p "$XDG_CONFIG_HOME/winnow"
}

cleanup_home() { [ -n "${T:-}" ] && rm -rf "$T"; }

ok()   { CHECKS=$((CHECKS + 1)); echo "ok - $*"; }
bad()  { CHECKS=$((CHECKS + 1)); FAILURES=$((FAILURES + 1)); echo "FAIL - $*"; }
expect() {  # expect "description" command...
  local d="$1"; shift
  if "$@"; then ok "$d"; else bad "$d"; fi
}
expect_eq() {  # expect_eq "description" got want
  if [ "$2" = "$3" ]; then ok "$1 ($2)"; else bad "$1: got '$2', want '$3'"; fi
}
contains() { case "$1" in *"$2"*) return 0 ;; *) return 1 ;; esac; }

# Runs winnow; its stdout+stderr in $OUT, status in $RC.
w() { OUT=$("$WINNOW_BIN" "$@" 2>&1); RC=$?; }

# Number of items winnow lists (optionally with more items options).
item_count() { "$WINNOW_BIN" items --json "$@" | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

finish() {
  echo "$CHECKS checks, $FAILURES failed"
  [ "$FAILURES" = 0 ]
}

# GET a loopback URL (no curl binary needed).
http_get() { "$PY" -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$1"; }
