#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 17, point 10: with no room to write, reading still works and writing says why, naming the
# database; a malformed database makes refresh fail, naming the file.  "No room" is made here with
# a file size limit of 0 (ulimit -f; SIGXFSZ ignored, so writes fail with EFBIG as they fail with
# ENOSPC on a full disk: SQLite cannot create its -shm nor grow its WAL).  The exact "disk full"
# wording for SQLITE_FULL is tested in test_store (test_disk_full_named).
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT

cat >"$T/f.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>https://example.org/</link>
<description>d</description><item><title>Stored before</title><guid>1</guid></item></channel></rss>
XML
w add "file://$T/f.xml"
w refresh
w list new keep
id=$("$WINNOW_BIN" items --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
rm -f "$WINNOW_DB-wal" "$WINNOW_DB-shm"   # as a clean exit leaves it
# no_room CMD...: run winnow where no file may grow; output through a pipe (not a file)
no_room() { OUT=$( (trap '' XFSZ; ulimit -f 0; exec "$WINNOW_BIN" "$@") 2>&1); RC=$?; }

no_room items
expect_eq "items works with no room to write" "$RC" 0
expect "items lists what is stored" contains "$OUT" "Stored before"
no_room items --json
expect "items --json too" contains "$OUT" '"Stored before"'
no_room lists
expect "lists works" contains "$OUT" "keep"
no_room list add keep "$id"
expect "list add fails" test "$RC" != 0
expect "list add names the database and why (not 'disk I/O error')" \
  contains "$OUT" "database $WINNOW_DB is open read-only (file size limit reached)"
no_room refresh
expect "refresh fails" test "$RC" != 0
expect "refresh says why" contains "$OUT" "file size limit reached"
w items
expect "afterwards, with room again, everything is there" contains "$OUT" "Stored before"
w list add keep "$id"
expect_eq "and writing works again" "$RC" 0

# a malformed database: its fourth page overwritten (the open succeeds, the refresh finds it)
cp "$WINNOW_DB" "$T/bad.db"
"$PY" - "$T/bad.db" <<'PYEOF'
import sys
p = sys.argv[1]
d = bytearray(open(p, "rb").read())
for i in range(3 * 4096 + 100, 4 * 4096):
    d[i] = 0x41
open(p, "wb").write(d)
PYEOF
OUT=$(WINNOW_DB="$T/bad.db" "$WINNOW_BIN" refresh 2>&1); RC=$?
expect "refresh on a malformed database fails" test "$RC" != 0
expect "…naming the file" contains "$OUT" "$T/bad.db"
expect "…and saying it is malformed" contains "$OUT" "malformed"
finish
