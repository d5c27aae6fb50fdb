#!/bin/bash
# SPDX-License-Identifier: ISC
# The links inside an article (issue 14): each link and picture of the text gets its number after
# its text, after the header's links (Link is 1), No opens it, Ny copies it, and the detail lists
# them all at its end, as newsraft does.  The issue's check: a feed whose item has two links in its
# text, served from loopback; some No opens each.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
setup_home
mkdir -p "$T/www"
server_start --docroot "$T/www" || { echo "SKIP: no loopback server"; exit 77; }
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT

cat >"$T/www/f.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>Show</title><link>https://example.org/</link>
<description>d</description><item><title>The Talk Show</title><guid>t1</guid>
<link>https://example.org/episode</link>
<description>&lt;p&gt;Sponsored by &lt;a href="https://squarespace.example/offer"&gt;Squarespace&lt;/a&gt;: make your next move.
Also &lt;a href="https://other.example/b"&gt;the other one&lt;/a&gt; [7] and a picture
&lt;img src="https://img.example/p.jpg" alt="the hosts"&gt;.&lt;/p&gt;</description></item></channel></rss>
XML
w add "$SERVER_URL/d/f.xml"
w refresh
json=$("$WINNOW_BIN" items --json)
expect "the stored text keeps the links' numbers and their list" \
  "$PY" -c 'import json,sys; s=json.loads(sys.argv[1])[0]["summary"]; sys.exit(0 if "Squarespace [1]" in s and "\nLinks:\n[1] https://squarespace.example/offer\n[2] https://other.example/b\n[3] https://img.example/p.jpg" in s else 1)' "$json"
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >>"%s/opened"\n' "$T" >"$T/open.sh"
chmod +x "$T/open.sh"
echo "open-command = \"$T/open.sh\"" >"$XDG_CONFIG_HOME/winnow/config"

winnow_tmux 100 40
expect "the item is listed" cursor_on "The Talk Show"
tmux_keys Enter
expect "the detail numbers the first link after the header's" wait_for "Squarespace [2]"
expect "…the second one" wait_for "the other one [3]"
expect "…a literal [7] in the text is left alone" wait_for "[3] [7]"
expect "…and the picture" wait_for "4: the hosts]"
expect "…and lists them at the end" wait_for "[3] https://other.example/b"
opened() {
  local i=0
  while [ "$(wc -l <"$T/opened" 2>/dev/null || echo 0)" -lt "$1" ] && [ $i -lt 60 ]; do sleep 0.05; i=$((i + 1)); done
  sed -n "${1}p" "$T/opened" 2>/dev/null
}
tmux_keys 2 o
expect_eq "2o opens the first link of the text" "$(opened 1)" "https://squarespace.example/offer"
tmux_keys 3 o
expect_eq "3o opens the second" "$(opened 2)" "https://other.example/b"
tmux_keys o
expect_eq "o still opens the item's own link" "$(opened 3)" "https://example.org/episode"
tmux_keys 3 y
expect "3y copies the second link" wait_for "https://other.example/b"
quit_cleanly
finish
