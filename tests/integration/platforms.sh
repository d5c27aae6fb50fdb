#!/bin/bash
# SPDX-License-Identifier: ISC
# Where synthetic video lives, end to end: a Sora share link (the post's JSON with the headers the
# site wants; a deleted post; a post behind the bot wall, read through yt-dlp and the card
# instead), an X profile without and with a bridge (Nitter, RSSHub), an X status, a Meta Vibes
# link; each with the item a user expects and an honest badge (Sora and Vibes: generated, inferred
# from the site, never "disclosed").  The sites' hosts are served by the loopback server acting as
# the HTTP proxy (siteroutes.py): nothing leaves 127.0.0.1.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
setup_home
export HOME="$T"
DOCROOT="$T/docroot"; mkdir -p "$DOCROOT"
server_start --docroot "$DOCROOT"
trap 'server_stop; cleanup_home' EXIT
S=$SERVER_URL
# every http:// host goes to the loopback server; https and anything else to a dead port
export http_proxy=$S HTTP_PROXY=$S https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
  no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost

"$PY" - "$DOCROOT/sites" <<'PY'
import json, os, sys
root = sys.argv[1]
def put(host, path, data):
    f = os.path.join(root, host, path.lstrip("/"))
    os.makedirs(os.path.dirname(f), exist_ok=True)
    open(f, "wb").write(data if isinstance(data, bytes) else data.encode())
V = "http://videos.sora.example"
post = {"post": {"id": "s_0a1b2c", "text": "A corgi surfs a wave at sunset\nMade in Sora.", "posted_at": 1761000000,
                 "attachments": [{"width": 1280, "height": 720, "duration_s": 4.2, "output_blocked": False,
                                  "encodings": {"source": {"path": V + "/src.mp4?sig=abc"}, "md": {"path": V + "/md.mp4"},
                                                "thumbnail": {"path": V + "/thumb.jpg"}}}],
                 "like_count": 12, "view_count": 345, "permissions": {"can_read": True}, "tombstoned_at": None,
                 "vtt_url": V + "/captions.vtt"},
        "profile": {"username": "corgifan", "display_name": "Corgi Fan", "user_id": "user-1",
                    "permalink": "http://sora.chatgpt.com/profile/corgifan"}}
put("sora.chatgpt.com", "/backend/project_y/post/s_0a1b2c", json.dumps(post))
dead = json.loads(json.dumps(post)); dead["post"]["tombstoned_at"] = 1761000100
put("sora.chatgpt.com", "/backend/project_y/post/s_dead01", json.dumps(dead))
# behind the bot wall: the API answers 403 with a challenge; the page itself is readable
put("sora.chatgpt.com", "/backend/project_y/post/s_b10c.status", "403")
put("sora.chatgpt.com", "/p/s_b10c",
    '<!DOCTYPE html><html><head><title>Sora</title><meta property="og:title" content="A walled garden">'
    '<meta property="og:description" content="Seen through the wall">'
    '<meta property="og:image" content="http://videos.sora.example/b.jpg">'
    '<meta property="og:video" content="http://videos.sora.example/b.mp4"><meta property="og:video:type" content="video/mp4">'
    '</head><body><video src="http://videos.sora.example/b.mp4"></video></body></html>')
put("videos.sora.example", "/b.mp4", b"\0\0\0\x18ftypmp42")
# a post whose signed video URL has expired by the time it is played: the API's next answer has a
# fresh one
exp = json.loads(json.dumps(post))
exp["post"]["attachments"][0]["encodings"]["source"]["path"] = V + "/expired.mp4?sig=old"
put("sora.chatgpt.com", "/backend/project_y/post/s_5161ed", json.dumps(exp))
exp["post"]["attachments"][0]["encodings"]["source"]["path"] = V + "/fresh.mp4?sig=new"
put("sora.chatgpt.com", "/backend/project_y/post/s_5161ed.2", json.dumps(exp))
put("videos.sora.example", "/expired.mp4.status", "403")
rss = ['<?xml version="1.0"?><rss version="2.0"><channel><title>someone / X</title><link>http://nitter.example/someone</link>']
for i in range(3):
    rss.append('<item><title>Post %d</title><link>http://nitter.example/someone/status/17%d#m</link>'
               '<guid>http://nitter.example/someone/status/17%d#m</guid><description>text %d</description>'
               '<pubDate>Mon, 0%d Dec 2025 10:00:00 GMT</pubDate></item>' % (i, i, i, i, i + 1))
rss.append('</channel></rss>')
put("nitter.example", "/someone/rss", "".join(rss))
put("www.meta.ai", "/vibes/987654",
    '<!DOCTYPE html><html><head><meta property="og:title" content="Neon jellyfish drift">'
    '<meta property="og:image" content="http://cdn.meta.example/j.jpg">'
    '<meta property="og:video" content="http://cdn.meta.example/j.mp4"><meta property="og:video:type" content="video/mp4">'
    '<meta property="og:site_name" content="Meta AI"></head><body></body></html>')
PY
check() {  # check FEED-URL PYTHON-EXPR
  "$WINNOW_BIN" items --feed "$1" --json | "$PY" -c 'import json,sys; items=json.load(sys.stdin); sys.exit(0 if ('"$2"') else 1)'
}

# --- Sora ---------------------------------------------------------------------------------------
SORA=http://sora.chatgpt.com/p/s_0a1b2c
w add "$SORA"
expect "a Sora share link picks the sora adapter and its post API" \
  contains "$OUT" "(sora: /backend/project_y/post/s_0a1b2c → the post's JSON"
w refresh "$SORA"
expect_eq "…refreshes (the headers the site wants were sent)" "$RC" 0
expect "…one item: the post's text, author and handle" \
  check "$SORA" 'len(items) == 1 and items[0]["title"] == "A corgi surfs a wave at sunset" and items[0]["author"] == "Corgi Fan" and items[0]["author_handle"] == "@corgifan"'
expect "…the source video, its length and thumbnail" \
  check "$SORA" 'items[0]["media"]["url"] == "http://videos.sora.example/src.mp4?sig=abc" and items[0]["media"]["duration"] == 4 and items[0]["thumbnail"] == "http://videos.sora.example/thumb.jpg"'
expect "…read from the API (extra.via), with its counts" \
  check "$SORA" 'items[0]["extra"]["via"] == "api" and items[0]["extra"]["like_count"] == 12'
expect "badge: generated, from the platform's nature, inferred from the site" \
  check "$SORA" 'items[0]["provenance"]["ai"] == {"class": "generated", "origin": "platform-nature", "detail": "platform: Sora generates every video (inferred from the site)"}'
expect "…never called a disclosure" check "$SORA" '"disclosed" not in json.dumps(items)'
# --- a signed video URL that expired: refetched when playback meets the 403 ----------------------
ffmpeg -loglevel error -y -f lavfi -i testsrc=size=160x120:rate=10 -t 1 -pix_fmt yuv420p \
  "$DOCROOT/sites/videos.sora.example/fresh.mp4"
EXP=http://sora.chatgpt.com/p/s_5161ed
w add "$EXP"
w refresh "$EXP"
id=$("$WINNOW_BIN" items --feed "$EXP" --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
w play --vo null --ao null --untimed "$id"
expect_eq "playing a post whose signed URL expired: the post is fetched anew and it plays" "$RC" 0
expect "…to the end" contains "$OUT" "ended"
expect "…and the fresh URL is stored" check "$EXP" 'items[0]["media"]["url"] == "http://videos.sora.example/fresh.mp4?sig=new"'

w add http://sora.chatgpt.com/p/s_dead01
w refresh http://sora.chatgpt.com/p/s_dead01
expect "a deleted post says so" contains "$OUT" "sora: the post was deleted"
BLOCKED=http://sora.chatgpt.com/p/s_b10c
w add "$BLOCKED"
w refresh "$BLOCKED"
expect_eq "a post behind the bot wall still refreshes" "$RC" 0
expect "…through yt-dlp (which read the page's video), and says so" \
  check "$BLOCKED" 'len(items) == 1 and items[0]["extra"]["via"] == "yt-dlp" and items[0]["media"]["url"] == "http://videos.sora.example/b.mp4"'
expect "…still Sora's, with Sora's nature" check "$BLOCKED" 'items[0]["platform"] == "sora" and items[0]["provenance"]["ai"]["origin"] == "platform-nature"'
printf 'ytdlp-path = %s\n' "$T/no-yt-dlp" >"$XDG_CONFIG_HOME/winnow/config"
w remove "$BLOCKED"
w add "$BLOCKED"
w refresh "$BLOCKED"
expect "without yt-dlp, the OpenGraph card, and it says so" \
  check "$BLOCKED" 'len(items) == 1 and items[0]["extra"]["via"] == "card" and items[0]["title"] == "A walled garden"'
w refresh "$BLOCKED"
expect "…and a later refused refresh keeps what the earlier one read" \
  check "$BLOCKED" 'len(items) == 1 and items[0]["extra"]["via"] == "card" and items[0]["title"] == "A walled garden"'
rm "$DOCROOT/sites/sora.chatgpt.com/p/s_b10c"
w remove "$BLOCKED"
w add "$BLOCKED"
w refresh "$BLOCKED"
expect "when no way in answers, the item is the link itself, for mpv to try" \
  check "$BLOCKED" 'len(items) == 1 and items[0]["extra"]["via"] == "none" and items[0]["media"]["type"] == "page" and items[0]["provenance"]["ai"]["origin"] == "platform-nature"'
: >"$XDG_CONFIG_HOME/winnow/config"

# --- X --------------------------------------------------------------------------------------------
w add http://x.com/someone
expect_eq "an X profile without a bridge is refused" "$RC" 1
expect "…saying how to name one" contains "$OUT" "X has no public feed; name a bridge in the config: \`bridge-x = https://nitter.example\`"
printf 'bridge-x = http://rsshub.example\n' >"$XDG_CONFIG_HOME/winnow/config"
w add --offline http://x.com/someone   # this bridge is not served: only the plan is checked
expect "an RSSHub bridge: /twitter/user/NAME" contains "$OUT" "(x: the bridge's RSS: http://rsshub.example/twitter/user/someone)"
w remove http://x.com/someone
printf 'bridge-x = http://nitter.example\n' >"$XDG_CONFIG_HOME/winnow/config"
w add http://x.com/someone
expect "a Nitter bridge: /NAME/rss" contains "$OUT" "(x: the bridge's RSS: http://nitter.example/someone/rss)"
w refresh http://x.com/someone
expect_eq "…refreshes" "$RC" 0
expect "…the account's posts, linked on x.com, by @someone" \
  check http://x.com/someone 'len(items) == 3 and all(i["url"].startswith("https://x.com/someone/status/17") and i["author_handle"] == "@someone" and i["platform"] == "x" for i in items)'
w add --offline http://x.com/someone/status/1790000000000000000
expect "an X status is a card (yt-dlp is asked for a video on the side)" contains "$OUT" "(link: one item from the page's OpenGraph tags)"
printf 'ytdlp-path = %s\n' "$T/no-yt-dlp" >"$XDG_CONFIG_HOME/winnow/config"
w add --offline http://twitter.com/someone/status/1790000000000000001
expect "…else to the card (with oEmbed)" contains "$OUT" "(link: one item from the page's OpenGraph tags; install yt-dlp for video pages)"
: >"$XDG_CONFIG_HOME/winnow/config"

# --- Meta Vibes -------------------------------------------------------------------------------------
VIBES=http://www.meta.ai/vibes/987654
w add "$VIBES"
w refresh "$VIBES"
expect_eq "a Vibes link refreshes" "$RC" 0
expect "…its card: title, picture, video" \
  check "$VIBES" 'items[0]["title"] == "Neon jellyfish drift" and items[0]["media"]["url"] == "http://cdn.meta.example/j.mp4" and items[0]["thumbnail"] == "http://cdn.meta.example/j.jpg"'
expect "…whose video yt-dlp confirmed (it knows the page)" check "$VIBES" 'items[0]["extra"]["media_via"] == "yt-dlp"'
expect "…generated, inferred from the site" \
  check "$VIBES" 'items[0]["provenance"]["ai"]["detail"] == "platform: Meta'"'"'s Vibes generates every video (inferred from the site)"'
finish
