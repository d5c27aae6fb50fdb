#!/bin/bash
# SPDX-License-Identifier: ISC
# A remote feed may not make winnow open local files (hardening point 1).  An http feed whose items
# name file:///dev/tty and file:///etc/passwd as thumbnail and enclosure: the refresh stores the
# items without those URLs, and the reader, in the default list layout and in cards, starts and
# answers keys at once (reading /dev/tty froze it).  A local feed (file://, as the demo) may name
# local pictures, but a terminal or a FIFO among them is refused, never read.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
setup_home
mkdir -p "$T/www"
server_start --docroot "$T/www" --lifetime 120 || { echo "SKIP: no loopback server"; exit 77; }
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT

mkfifo "$T/pipe"
feed() {  # feed PATH TITLE DAY: items naming local files as pictures and media
  cat >"$1" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>$2</title><link>https://example.org/</link><description>d</description>
<item><title>$2 tty</title><link>https://example.org/1</link><guid>1</guid><enclosure url="https://example.org/a.mp4" type="video/mp4" length="1"/>
<pubDate>$3 Jun 2026 10:00:00 GMT</pubDate>
<media:thumbnail url="file:///dev/tty"/><enclosure url="file:///dev/tty" type="video/mp4" length="1"/></item>
<item><title>$2 passwd</title><link>file:///etc/passwd</link><guid>2</guid>
<pubDate>$3 Jun 2026 09:00:00 GMT</pubDate>
<media:thumbnail url="file:///etc/passwd"/></item>
<item><title>$2 fifo</title><link>https://example.org/3</link><guid>3</guid>
<pubDate>$3 Jun 2026 08:00:00 GMT</pubDate>
<media:thumbnail url="file://$T/pipe"/></item>
</channel></rss>
XML
}
feed "$T/www/remote.xml" "Remote" 02
w add "$SERVER_URL/d/remote.xml"
w refresh
expect "the remote feed refreshes" contains "$OUT" "3 new"
json=$("$WINNOW_BIN" items --json)
expect "no file: URL of a remote feed is stored" \
  "$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(1 if "file:" in json.dumps(d) or len(d)!=3 else 0)' "$json"

# The same items in a local feed keep their file:// URLs: the reader must refuse the terminal and
# the FIFO by their type.
feed "$T/local.xml" "Local" 01
w add "file://$T/local.xml"
w refresh
expect "the local feed refreshes" contains "$OUT" "3 new"
expect "a local feed keeps its local pictures" contains "$("$WINNOW_BIN" items --json)" "file:///dev/tty"

for layout in list cards; do
  echo "layout = $layout" >"$XDG_CONFIG_HOME/winnow/config"
  winnow_tmux 100 30
  expect "$layout: the reader starts" wait_for "Remote tty" 5
  tmux_keys j
  expect "$layout: keys answer at once (no read of /dev/tty)" cursor_on "passwd" 3
  tmux_keys j j
  expect "$layout: …also beside the local feed's items" cursor_on "Local tty" 3
  tmux_keys q
  expect "$layout: q quits" wait_dead 5
  tmux_stop
done

# import: a shared OPML or urls file cannot subscribe to local files (point 2)
cat >"$T/shared.opml" <<XML
<?xml version="1.0"?><opml version="2.0"><head><title>s</title></head><body>
<outline text="tty" type="rss" xmlUrl="file:///dev/tty"/>
<outline text="passwd" type="rss" xmlUrl="file:///etc/passwd"/>
<outline text="ok" type="rss" xmlUrl="$SERVER_URL/d/remote.xml?x=1"/>
</body></opml>
XML
w import "$T/shared.opml"
expect "import refuses file:// subscriptions" contains "$OUT" "file:///dev/tty"
expect "…and names why" contains "$OUT" "--allow-file"
expect "…but imports the http one" contains "$("$WINNOW_BIN" feeds)" "remote.xml?x=1"
expect "…and not the local ones" sh -c '! "$WINNOW_BIN" feeds | grep -q "/dev/tty\|/etc/passwd"'
printf 'file:///dev/tty\n' >"$T/urls"
w import "$T/urls"
expect "a newsboat urls file cannot either" contains "$OUT" "file:///dev/tty"
w import --allow-file "$T/shared.opml"
expect "import --allow-file still refuses what is not a regular file" contains "$OUT" "not a regular file"
w add file:///dev/tty
expect_eq "add refuses a terminal" "$RC" 1
expect "…saying why" contains "$OUT" "not a regular file"
w add "file://$T/pipe"
expect_eq "add refuses a FIFO" "$RC" 1
expect "no sanitizer reports" sh -c '! grep -q "runtime error\|Sanitizer" "$T/stderr" 2>/dev/null'
finish
