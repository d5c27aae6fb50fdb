#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 20: a store write the database refuses during the reader's refresh is said on the status
# line, with the items kept: the failure of a feed that could not be recorded, and the verdict of a
# media scan that could not be stored (once, when it happens).  The refusals are SQLite triggers
# put into the database before the reader starts.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT

mkdir -p "$T/www"
make_feed "$T/www/a.xml" "Alpha feed" 3 "Alpha"
server_start --docroot "$T/www" --lifetime 120 || { echo "SKIP: no loopback server"; exit 77; }
w add "$SERVER_URL/d/a.xml"
w refresh --no-scan
expect_eq "the first refresh stores Alpha" "$RC" 0
sqlexec() { "$PY" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()' "$WINNOW_DB" "$1"; }

# the feed goes away (404) and the database refuses to record its error
rm "$T/www/a.xml"
sqlexec "CREATE TRIGGER no_error BEFORE UPDATE OF last_error ON feeds WHEN NEW.last_error IS NOT NULL
         BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END;"
winnow_tmux 200 20
expect "the stored items show" wait_for "Alpha 03"
tmux_keys R
expect "the refresh's summary says a store write failed" wait_for "1 failed; 1 store write failed: the error could not be stored" 10
expect "…and why" wait_for "refused by a test trigger"
expect "the items are kept" wait_for "Alpha 03"
quit_cleanly

# a new item with a picture: its scan's verdict cannot be stored
sqlexec "DROP TRIGGER no_error;
         CREATE TRIGGER no_scan BEFORE INSERT ON media_scans BEGIN SELECT RAISE(ABORT, 'no scans here'); END;"
head -c 300 /dev/urandom >"$T/www/pic.jpg"
cat >"$T/www/m.xml" <<XML
<?xml version="1.0"?><rss version="2.0"><channel><title>Media feed</title><link>https://example.org/</link>
<description>d</description><item><title>Picture post</title><guid>p1</guid>
<enclosure url="$SERVER_URL/d/pic.jpg" type="image/jpeg" length="300"/></item></channel></rss>
XML
w add "$SERVER_URL/d/m.xml"
winnow_tmux 200 20
tmux_keys R
expect "the new item arrives" wait_for "Picture post" 10
# said by the refresh's summary when the scan ended before it, else on its own line after it
expect "the scan's refused write is on the status line" wait_for "of the media scans failed: a media scan was not stored" 10
expect "…with the database's words" wait_for "no scans here"
quit_cleanly
finish
