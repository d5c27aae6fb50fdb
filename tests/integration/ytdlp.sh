#!/bin/bash
# SPDX-License-Identifier: ISC
# The yt-dlp bridge end to end with Debian's own yt-dlp against the loopback server: its generic
# extractor reading a page with <video>/og:video, a direct MP4, and a page listing several videos
# (a playlist, kept as a feed whose refresh keeps the new entries); its errors as the message a
# user reads; the bounds (timeout, the output cap); no shell anywhere; and the fallback to the link
# adapter when yt-dlp is not there.  Nothing leaves 127.0.0.1: the proxy variables point at a dead
# loopback port for everything but 127.0.0.1, and yt-dlp obeys them like winnow does.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
  HTTPS_PROXY=http://127.0.0.1:9 no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
command -v yt-dlp >/dev/null || { echo "yt-dlp is not installed: ./bootstrap installs it"; exit 1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg is not installed: ./bootstrap installs it"; exit 1; }
setup_home
export HOME="$T"   # yt-dlp reads no user config of the person running the tests
DOCROOT="$T/docroot"; mkdir -p "$DOCROOT/pages"
server_start --docroot "$DOCROOT"
trap 'server_stop; cleanup_home' EXIT
S=$SERVER_URL
P="$S/d/pages"

ffmpeg -loglevel error -y -f lavfi -i testsrc=size=160x120:rate=10 -t 1 -pix_fmt yuv420p "$DOCROOT/pages/clip.mp4"
for n in 2 3 4; do cp "$DOCROOT/pages/clip.mp4" "$DOCROOT/pages/clip$n.mp4"; done
cat >"$DOCROOT/pages/one.html" <<HTML
<!DOCTYPE html><html><head><title>One</title>
<meta property="og:title" content="A corgi clip"><meta property="og:description" content="A corgi, briefly.">
<meta property="og:video" content="/d/pages/clip.mp4"><meta property="og:video:type" content="video/mp4">
</head><body><video src="/d/pages/clip.mp4"></video></body></html>
HTML
many() {
  { echo '<!DOCTYPE html><html><head><title>Many clips</title></head><body>'
    for f in "$@"; do echo "<video src=\"/d/pages/$f\"></video>"; done
    echo '</body></html>'; } >"$DOCROOT/pages/many.html"
}
many clip.mp4 clip2.mp4 clip3.mp4

# --- a page with one video ---------------------------------------------------------------------
w add --via yt-dlp "$P/one.html"
expect "add --via yt-dlp picks the bridge" contains "$OUT" "(ytdlp, as asked: yt-dlp -J"
w refresh
expect_eq "refresh succeeds" "$RC" 0
check() {  # check FEED-URL PYTHON-EXPR
  "$WINNOW_BIN" items --feed "$1" --json | "$PY" -c 'import json,sys; items=json.load(sys.stdin); sys.exit(0 if ('"$2"') else 1)'
}
expect "one video page: one item" check "$P/one.html" 'len(items) == 1'
expect "…its title and description" check "$P/one.html" 'items[0]["title"].startswith("A corgi clip") and items[0]["summary"] == "A corgi, briefly."'
expect "…the media URL yt-dlp chose, for mpv to open as it is" \
  check "$P/one.html" 'items[0]["media"]["url"] == "'"$P"'/clip.mp4" and items[0]["media"]["type"] == "video/mp4"'
expect "…the page as its link, yt-dlp as its platform" check "$P/one.html" 'items[0]["url"] == "'"$P"'/one.html" and items[0]["platform"] == "ytdlp"'

# --- a direct MP4 ------------------------------------------------------------------------------
w add --via yt-dlp "$P/clip4.mp4"
w refresh "$P/clip4.mp4"
expect_eq "a direct MP4 through yt-dlp" "$RC" 0
expect "…one item playing that file" check "$P/clip4.mp4" 'len(items) == 1 and items[0]["media"]["url"] == "'"$P"'/clip4.mp4"'

# --- a page listing several videos: a feed ----------------------------------------------------
w add --via yt-dlp "$P/many.html"
w refresh "$P/many.html"
expect_eq "a playlist page refreshes" "$RC" 0
expect "…one item per video" check "$P/many.html" 'len(items) == 3'
expect "…the feed takes the page's title" contains "$("$WINNOW_BIN" feeds)" "Many clips"
many clip.mp4 clip2.mp4 clip3.mp4 clip4.mp4
w refresh "$P/many.html"
expect "a later refresh keeps the new entry" contains "$OUT" "1 new item"
expect "…and the old ones" check "$P/many.html" 'len(items) == 4'

# --- a video page added as a plain URL: the feed adapter hands it to yt-dlp ----------------------
cp "$DOCROOT/pages/many.html" "$DOCROOT/pages/auto.html"
w add "$P/auto.html"
expect "a plain page URL is first tried as a feed" contains "$OUT" "(feed, picked from the URL)"
w refresh "$P/auto.html"
expect_eq "…and, being a video page, read by yt-dlp" "$RC" 0
expect "…one item per video" check "$P/auto.html" 'len(items) == 4 and items[0]["platform"] == "ytdlp"'
w refresh "$P/auto.html"
expect_eq "…and later refreshes go to yt-dlp directly" "$RC" 0

# --- what yt-dlp says, as the error -------------------------------------------------------------
w add --offline --via yt-dlp "$S/status/404"   # add itself would refuse the 404
w refresh "$S/status/404"
expect_eq "a page yt-dlp cannot read fails the refresh" "$RC" 1
expect "…with yt-dlp's own ERROR line" contains "$OUT" "yt-dlp: ERROR:"
expect "…and the other feeds keep their items" check "$P/many.html" 'len(items) == 4'

# --- no shell: a URL is one argv element --------------------------------------------------------
w add --via yt-dlp "$P/one.html?a=\$(touch%20$T/pwned);touch%20$T/pwned2"
w refresh "$P/one.html?a=\$(touch%20$T/pwned);touch%20$T/pwned2"
expect "a URL with shell syntax runs nothing" test ! -e "$T/pwned" -a ! -e "$T/pwned2"

# --- bounds -----------------------------------------------------------------------------------
# a stand-in for a yt-dlp that never stops talking: the cap stops it at 32 MiB
printf '#!%s\nimport sys\nwhile True: sys.stdout.write("x" * 65536)\n' "$(command -v "$PY")" >"$T/chatty"
chmod +x "$T/chatty"
printf 'ytdlp-path = %s\n' "$T/chatty" >"$XDG_CONFIG_HOME/winnow/config"
w refresh "$P/one.html"
expect "output is capped at 32 MiB" contains "$OUT" "yt-dlp: output over 32 MiB"
# a page that takes longer than ytdlp-timeout to answer: the run is killed
printf 'ytdlp-timeout = 1\n' >"$XDG_CONFIG_HOME/winnow/config"
w add --via yt-dlp "$P/one.html?delay=5"
w refresh "$P/one.html?delay=5"
expect "a run past ytdlp-timeout is killed" contains "$OUT" "yt-dlp: timed out after 1 s"
printf 'ytdlp-option = --no-such-option-for-yt-dlp\n' >"$XDG_CONFIG_HOME/winnow/config"
w refresh "$P/one.html"
expect "ytdlp-option lines reach yt-dlp, one argv element each" contains "$OUT" "no such option: --no-such-option-for-yt-dlp"
printf 'ytdlp-timeout = 0\n' >"$XDG_CONFIG_HOME/winnow/config"
w feeds
expect "a bad ytdlp-timeout is an error with its line" contains "$OUT" "config:1: bad value \"0\" for ytdlp-timeout"

# --- without yt-dlp -----------------------------------------------------------------------------
printf 'ytdlp-path = %s\n' "$T/no-yt-dlp-here" >"$XDG_CONFIG_HOME/winnow/config"
w refresh "$P/one.html"
expect "a missing yt-dlp says what to install" contains "$OUT" "install yt-dlp for video pages"
cp "$DOCROOT/pages/one.html" "$DOCROOT/pages/auto2.html"
w add "$P/auto2.html"
w refresh "$P/auto2.html"
expect "a video page added as a feed, without yt-dlp, says to install it" \
  contains "$OUT" "a video page: install yt-dlp for video pages"
w add --offline "https://www.tiktok.com/@someone/video/7300000000000000000"   # no traffic beyond 127.0.0.1
expect "a video page falls back to the link adapter" contains "$OUT" "(link: one item from the page's OpenGraph tags"
expect "…and says install yt-dlp for video pages" contains "$OUT" "install yt-dlp for video pages"
: >"$XDG_CONFIG_HOME/winnow/config"
w add --offline "https://vimeo.com/76979871"
expect "with yt-dlp on PATH, a video page no adapter reads goes to yt-dlp" contains "$OUT" "(ytdlp: yt-dlp -J"
finish
