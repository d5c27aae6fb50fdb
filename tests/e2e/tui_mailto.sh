#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 17, point 11: a mailto: link with ?attach= (a local file for the mail program to send)
# reaches the open-command without it; the rest of the link is kept.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT

cat >"$T/f.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>Mail</title><link>https://example.org/</link>
<description>d</description><item><title>Write to us</title><guid>m1</guid>
<link>mailto:editor@example.org?subject=Hello&amp;attach=/etc/passwd&amp;Attachment=%7E/.ssh/id_rsa&amp;body=Hi</link>
<description>mail link</description></item></channel></rss>
XML
w add "file://$T/f.xml"
w refresh
cat >"$T/open.sh" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T/opened"
EOF
chmod +x "$T/open.sh"
echo "open-command = \"$T/open.sh\"" >"$XDG_CONFIG_HOME/winnow/config"

winnow_tmux 100 30
expect "the item is listed" cursor_on "Write to us"
tmux_keys o
i=0; while [ ! -s "$T/opened" ] && [ $i -lt 60 ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "o hands the opener the link without attach" "$(cat "$T/opened" 2>/dev/null)" \
  "mailto:editor@example.org?subject=Hello&body=Hi"
quit_cleanly
finish
