#!/bin/bash
# SPDX-License-Identifier: ISC
# Sensitive media and content warnings, as the platforms' own clients handle them: the Mastodon
# capture's post marked sensitive shows "[sensitive]" on its row, its detail withholds the picture
# with a placeholder saying why until x shows it; a content warning folds the text until x; with
# sensitive-media = hide x does not reveal it, and with show nothing is withheld.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
need_fixtures
setup_home
FX="$T/fixtures"; mkdir -p "$FX/feeds"
cp -r "$WINNOW_FIXTURES/feeds/mastodon" "$FX/feeds/"
# the capture's one sensitive post gets a content warning; the text behind it is known
"$PY" - "$FX/feeds/mastodon/mastodon.social_timelines_public.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [s for s in d if s.get("sensitive")][0]
s["spoiler_text"] = "spiders, close up"
s["content"] = "<p>Behind the warning: eight legs.</p>"
json.dump(d, open(sys.argv[1], "w"))
PY
server_start --fixtures "$FX" || { echo "SKIP: no loopback server"; exit 77; }
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT
w add "$SERVER_URL/api/v1/timelines/public"
w refresh --no-scan
expect "the capture is stored" [ "$RC" = 0 ]
cfg="$XDG_CONFIG_HOME/winnow/config"

echo "thumbnails = symbols" >"$cfg"
winnow_tmux 120 40
expect "the content-warned post is listed" wait_for "CW: spiders, close up"
expect "…its row says it is sensitive" eval 'screen | grep -F "CW: spiders" | grep -qF "[sensitive]"'
tmux_keys / s p i d e r s Enter Enter
expect "its detail withholds the picture, saying why" wait_for "[picture withheld"
expect "…marked sensitive by the platform" wait_for "marked sensitive by the platform; x shows it"
expect "…and folds the text behind the warning" wait_for "[content warning: spiders, close up"
expect "…which is not shown" eval '! screen | grep -qF "eight legs"'
tmux_keys x
expect "x shows the text" wait_for "Behind the warning: eight legs."
expect "…and the picture (no placeholder)" wait_gone "[picture withheld"
tmux_keys x
expect "x again withholds them" wait_for "[picture withheld"
quit_cleanly

echo "sensitive-media = hide" >"$cfg"
winnow_tmux 120 40
expect "hide: listed" wait_for "CW: spiders, close up"
tmux_keys / s p i d e r s Enter Enter
expect "hide: the picture is withheld with no way to show it here" wait_for "[picture withheld"
tmux_keys x
expect "…x shows the text" wait_for "eight legs"
expect "…but still not the picture" wait_for "[picture withheld"
quit_cleanly

echo "sensitive-media = show" >"$cfg"
winnow_tmux 120 40
expect "show: listed" wait_for "CW: spiders, close up"
expect "…without the mark" eval '! screen | grep -F "CW: spiders" | grep -qF "[sensitive]"'
tmux_keys / s p i d e r s Enter Enter
expect "…and the detail has no placeholder" eval 'sleep 0.5; ! screen | grep -qF "[picture withheld"'
quit_cleanly
echo "sensitive-media = loud" >"$cfg"
w items
expect_eq "a bad value is refused" "$RC" 1
expect "…with its line" contains "$OUT" "sensitive-media"
finish
