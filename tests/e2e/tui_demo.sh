#!/bin/bash
# SPDX-License-Identifier: ISC
# The demo shows what winnow is (issue 14): made by the build (data/demo/demo_sign.c signs its
# pictures with a fresh demo certificate), offline (file:// only), it holds a signed photo whose
# credentials are valid, an AI-generated picture with Content Credentials, a tampered one, a post
# with a platform AI label, a clip that plays (without sound on a box without a sound device) and
# a list with two items; the status line hints p, a, v and H; no text promises features "once
# they arrive".
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; cleanup_home' EXIT
D="$WINNOW_BUILDDIR/demo-data"
lacks_alsa() { ! screen | grep -qE "ALSA lib|pw.conf"; }
lacks_promise() { ! grep -qiE "once playback arrives|badges arrive|when .* arrives?" "$1"; }
expect "the build made the signed demo" [ -f "$D/stamp" ] && [ -f "$D/demo-ca.pem" ]
w demo --no-tui "$D"
expect_eq "the demo refreshes offline" "$RC" 0
expect "…4 feeds, 8 items, none failed" contains "$OUT" "4 feeds from $D, 8 new items, 0 failed"
verdict() {  # verdict TITLE-START: credentials/class/origin of that item
  "$WINNOW_BIN" items --json | "$PY" -c '
import json, sys
for i in json.load(sys.stdin):
    if i["title"].startswith(sys.argv[1]):
        p = i["provenance"]; print("%s/%s/%s" % (p["credentials"], p["ai"]["class"], p["ai"]["origin"]))' "$1"
}
expect_eq "a signed photo: credentials valid, a capture" "$(verdict "Camera makers")" "valid/capture/c2pa"
expect_eq "an AI-generated picture with Content Credentials" "$(verdict "A picture an image generator")" "valid/generated/c2pa"
expect_eq "a tampered picture: credentials invalid" "$(verdict "東京の朝")" "invalid/capture/c2pa-unverified"
expect_eq "a post with a platform AI label" "$(verdict "A sunset that never happened")" "none/generated/platform"
L=$("$WINNOW_BIN" list show "watch later")
expect "a list with two items" contains "$L" "watch later: 2 items"
expect "…the clip and the signed photo" contains "$L" "Three seconds of test pattern"
for f in "$WINNOW_SRCDIR"/data/demo/*.rss "$WINNOW_SRCDIR"/data/demo/*.atom "$WINNOW_SRCDIR"/data/demo/*.json \
         "$WINNOW_SRCDIR"/data/demo/*.html; do
  expect "no promise of a feature to come in $(basename "$f")" lacks_promise "$f"
done 2>/dev/null

# the reader: badges, hints, and the clip plays to the end (sound or not)
# no sound device, whatever the machine: an ALSA device that does not exist
printf 'video-output = none\nresume = no\nmpv-option = ao=alsa\nmpv-option = audio-device=alsa/winnow-no-such-device\n' \
  >"$XDG_CONFIG_HOME/winnow/config"
winnow_tmux 100 30
expect "the reader shows the demo" wait_for "Three seconds of test pattern"
expect "the signed photo's row shows valid credentials" wait_for "✓◉"
expect "…the generated picture's" wait_for "✓✦"
expect "…the tampered one's" wait_for "✗"
status=$(screen | grep -F "? help" | tail -1)
echo "# status line: $status"
for h in "p play" "a list" "v view" "H hide AI"; do
  expect "the status line hints '$h'" contains "$status" "$h"
done
tmux_keys p
expect "p plays the clip to the end" wait_for "ended (marked read)" 20
expect "…saying once that it played without sound" wait_for "playing without sound (no audio device)"
expect "…with no ALSA noise on the screen" lacks_alsa
expect_eq "…and it counts as played" "$("$WINNOW_BIN" items --json | "$PY" -c '
import json, sys
print([i["read"] for i in json.load(sys.stdin) if i["title"].startswith("Three seconds")][0])')" True
tmux_keys j Enter
expect "the signed photo's detail opens" wait_for "Content Credentials let a camera sign"
tmux_keys G
expect "…and says who signed it" wait_for "signed by Winnow Test"
tmux_keys q H
expect "H hides what is declared or labelled AI-made" wait_gone "A sunset that never happened"
quit_cleanly
finish
