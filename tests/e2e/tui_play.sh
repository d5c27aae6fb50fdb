#!/bin/bash
# SPDX-License-Identifier: ISC
# Playback from the reader, in tmux: Enter opens an item whose enclosure is a clip, Enter there plays it (ffmpeg testsrc +
# sine, served by the loopback server) hands the terminal to mpv (vo=tct colour blocks), q gives it
# back with the same screen and the end in the status line, and afterwards the reader's keys, its
# own quit and Ctrl-C work as before.  resume = ask asks; a YouTube page without yt-dlp says what
# is missing; P toggles the preset.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
command -v ffmpeg >/dev/null || { echo "SKIP: ffmpeg not installed (it makes the test clip)"; exit 77; }
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT

D="$T/www"
mkdir -p "$D" "$T/nobin"
clip() {
  ffmpeg -loglevel error -y -f lavfi -i "testsrc=size=160x120:rate=25:duration=3" \
    -f lavfi -i "sine=frequency=440:duration=3" -c:v "$2" -g 25 -pix_fmt yuv420p -c:a aac -b:a 32k \
    -shortest "$1"
}
clip "$D/clip.mp4" libx264 2>/dev/null || clip "$D/clip.mp4" mpeg4 || { echo "FAIL: ffmpeg made no clip"; exit 1; }
server_start --docroot "$D" --lifetime 120 || { echo "SKIP: no loopback server"; exit 77; }
U="$SERVER_URL/d"
now=$(date -u +"%a, %d %b %Y %H:%M:%S GMT")
cat >"$D/feed.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Clips</title><link>https://example.org/</link><description>t</description>
<item><title>The test clip</title><link>https://example.org/clip</link><guid>clip</guid><pubDate>$now</pubDate>
<enclosure url="$U/clip.mp4" type="video/mp4" length="50000"/></item>
<item><title>A plain article</title><link>https://example.org/article</link><guid>article</guid>
<pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>Words only.</description></item>
<item><title>A YouTube video</title><link>https://www.youtube.com/watch?v=aqz-KE-bpKQ</link><guid>yt</guid>
<pubDate>Sun, 31 Dec 2023 10:00:00 GMT</pubDate></item>
</channel></rss>
EOF
w add "$U/feed.xml"
w refresh
expect_eq "the feed is stored" "$RC" 0

cfg() {
  printf '%s\n' "video-output = tct" "video-preset = full" "mpv-config = no" "mpv-option = ao=null" \
    "mpv-option = loop-file=inf" "$@" >"$XDG_CONFIG_HOME/winnow/config"
}
wait_sgr() {
  local i=0 limit=$(( ${2:-5} * 20 ))
  while [ $i -lt $limit ]; do
    screen_e | grep -qF -- "$1" && return 0
    sleep 0.05; i=$((i + 1))
  done
  return 1
}
# all but the message line, as text: the repaint after playback may serialise blank cells with
# other attributes (tmux reports where a bold run ends differently), which nobody can see
body() { screen | head -n -1; }

cfg
winnow_tmux 100 30
expect "the reader is up" wait_for "The test clip"
expect "…the cursor on the clip" cursor_on "The test clip"
tmux_keys Enter
expect "Enter opens the clip's detail with its media facts" wait_for "Media"
sleep 0.3
before=$(body)
tmux_keys Enter
expect "Enter in the detail plays it: vo=tct draws truecolour blocks" wait_sgr "48;2;" 10
sleep 1.3
tmux_keys q
expect "q returns, with the end in the status line" wait_for "quit at 0:0"
expect "…of its length, the position saved" wait_for "of 0:03 (position saved)"
expect_eq "…and the screen is the one before" "$(body)" "$before"
tmux_keys h
expect "back in the list" cursor_on "The test clip"
tmux_keys j
expect "the reader's keys work after playback" cursor_on "A plain article"
tmux_keys p
expect "p on an item without media says so" wait_for "this item has no media to play"
tmux_keys k P
expect "P toggles the preset for the next playback" wait_for "next playback: low-bandwidth video (ssh)"
tmux_keys p
expect "p plays it with the SSH preset: 256 colours" wait_sgr "48;5;" 10
tmux_keys q
expect "back again" wait_for "quit at"
# SIGINT to the reader alone, so the pane's shell lives to record its exit status (C-c in the pane
# would end that shell too)
kill -INT "$(winnow_pid)"
expect "after playback SIGINT (Ctrl-C) still ends the reader" wait_dead
k=0; while [ ! -s "$T/stderr.rc" ] && [ $k -lt 100 ]; do sleep 0.05; k=$((k + 1)); done
expect_eq "…cleanly (exit 0)" "$(cat "$T/stderr.rc" 2>/dev/null)" 0
if [ -s "$T/stderr" ]; then bad "nothing on stderr, got: $(head -c 2000 "$T/stderr")"; else ok "nothing on stderr"; fi
tmux_stop
: >"$T/stderr"

# resume = ask, and a page without yt-dlp (an empty PATH hides an installed one)
cfg "resume = ask"
winnow_tmux 100 30 PATH="$T/nobin"
expect "the reader is up again" cursor_on "The test clip"
tmux_keys p
expect "resume = ask asks where playback stopped" wait_for "resume at 0:0"
tmux_keys n
expect "…n plays from the start" wait_sgr "48;2;" 10
tmux_keys q
expect "…and q returns" wait_for "quit at"
tmux_keys G
expect "the YouTube item" cursor_on "A YouTube video"
tmux_keys p
expect "without yt-dlp p says what is missing" wait_for "this needs yt-dlp (apt-get install yt-dlp)"
tmux_keys Enter
expect "…and Enter still opens the item" wait_for "youtube.com/watch"
quit_cleanly
finish
