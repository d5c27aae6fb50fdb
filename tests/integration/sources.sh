#!/bin/bash
# SPDX-License-Identifier: ISC
# The sources beyond RSS end to end: `winnow add` with the URLs people copy (and API endpoints as
# they are), `winnow refresh`, `winnow items --json`, against the loopback server answering the
# real API paths with the captures (tests/integration/apiroutes.py).  Covers the multi-step sources
# (lookup → statuses, @handle page → feed, topstories → items, list → details), remembered
# endpoints and their validators, stored items not fetched again, sniffed content types, 429 with
# Retry-After, and the per-host limit that keeps Reddit from being hammered.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
need_fixtures
setup_home
DOCROOT="$T/docroot"; mkdir -p "$DOCROOT"
server_start --docroot "$DOCROOT"
trap 'server_stop; cleanup_home' EXIT
S=$SERVER_URL

# Generated data for the sources without captures: Hacker News, Invidious, single pages.
"$PY" - "$DOCROOT" <<'PY'
import json, os, sys
root = sys.argv[1]
os.makedirs(os.path.join(root, "hn", "item"))
ids = list(range(9000, 8960, -1))
json.dump(ids, open(os.path.join(root, "hn", "topstories.json"), "w"))
for i in ids:
    item = {"by": "user%d" % i, "descendants": i % 50, "id": i, "score": i % 300, "time": 1700000000 + i,
            "title": "Story number %d" % i, "type": "story", "url": "https://example.org/story/%d" % i}
    if i % 10 == 0:
        item.pop("url")
        item["text"] = "Ask HN: question %d<p>Second paragraph" % i
    json.dump(item, open(os.path.join(root, "hn", "item", "%d.json" % i), "w"))
os.makedirs(os.path.join(root, "invidious"))
def video(vid, title, pub):
    return {"type": "video", "title": title, "videoId": vid, "author": "Kurzgesagt",
            "authorId": "UCsXVk37bltHxD1rDPwtNM8Q", "authorUrl": "/channel/UCsXVk37bltHxD1rDPwtNM8Q",
            "videoThumbnails": [{"quality": "high", "url": "/vi/%s/hqdefault.jpg" % vid, "width": 480, "height": 360}],
            "description": "About " + title, "viewCount": 1000, "published": pub, "lengthSeconds": 600}
json.dump([video("vid%08d" % i, "Popular %d" % i, 1700000000 + i) for i in range(8)],
          open(os.path.join(root, "invidious", "popular.json"), "w"))
json.dump({"videos": [video("chn%08d" % i, "Channel video %d" % i, 1700000000 + i) for i in range(5)]},
          open(os.path.join(root, "invidious", "channel.json"), "w"))
os.makedirs(os.path.join(root, "pages"))
open(os.path.join(root, "pages", "sora.html"), "w").write(
    '<!DOCTYPE html><html><head><title>Sora</title>'
    '<meta property="og:title" content="A corgi surfs at sunset">'
    '<meta property="og:image" content="/d/pages/thumb.jpg">'
    '<meta property="og:video" content="/d/pages/clip.mp4"><meta property="og:video:type" content="video/mp4">'
    '<meta property="og:site_name" content="Sora">'
    '<link rel="alternate" type="application/json+oembed" href="/d/pages/oembed.json">'
    '</head><body>' + '<p>filler</p>' * 5000 + '</body></html>')
json.dump({"type": "video", "version": "1.0", "author_name": "corgi_fan", "author_url": "https://example.org/corgi_fan",
           "provider_name": "Sora"}, open(os.path.join(root, "pages", "oembed.json"), "w"))
open(os.path.join(root, "pages", "clip.mp4"), "wb").write(b"\0\0\0\x18ftypmp42" + b"\0" * 4000)
PY

# items of a feed as JSON, and a python check over them: check FEED 'python expression over items'
check() {
  "$WINNOW_BIN" items --json --feed "$1" > "$T/items.json"
  "$PY" -c "import json,sys; items=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$T/items.json"
}
# a column of the items table (extra, labels, media_w, ...) for a feed, as JSON lines
column() { "$PY" -c "
import sqlite3, sys, json
db = sqlite3.connect(sys.argv[1])
for (v,) in db.execute('SELECT i.' + sys.argv[3] + ' FROM items i JOIN feeds f ON f.id = i.feed_id WHERE f.url = ?', (sys.argv[2],)):
    print(json.dumps(v))" "$WINNOW_DB" "$1" "$2"; }
log_paths() { http_get "$S/_log" | "$PY" -c 'import json,sys; [print(r["path"], r["if_none_match"] or "-") for r in json.load(sys.stdin)]'; }

# --- add: the adapter and the endpoint, said --------------------------------------------------
w add --kind mastodon "$S/@schochastics"
expect "mastodon profile: lookup, then statuses" contains "$OUT" "(mastodon, as asked: /api/v1/accounts/lookup?acct=schochastics → statuses)"
w add "$S/api/v1/timelines/public"
expect "an API endpoint on 127.0.0.1 is taken as it is" contains "$OUT" "(mastodon, picked from the URL)"
w add --kind mastodon "$S/tags/ichbinhanna"
expect "mastodon tag" contains "$OUT" "/api/v1/timelines/tag/ichbinhanna"
w add --kind bluesky "$S/profile/andrew.heiss.phd"
expect "bluesky profile → getAuthorFeed" contains "$OUT" "/xrpc/app.bsky.feed.getAuthorFeed?actor=andrew.heiss.phd"
w add --kind bluesky "$S/profile/chriskenny.bsky.social/feed/rstats"
expect "bluesky feed: handle resolved first" contains "$OUT" "resolveHandle?handle=chriskenny.bsky.social → getFeed"
w add "$S/xrpc/app.bsky.feed.searchPosts?q=rstats"
expect "bluesky endpoint recognised" contains "$OUT" "(bluesky, picked from the URL)"
w add "$S/r/videos/hot.json"
expect "reddit listing recognised" contains "$OUT" "(reddit, picked from the URL)"
w add --kind reddit "$S/r/all"
expect "reddit: the .json listing picked" contains "$OUT" "/r/all/hot.json?raw_json=1"
w add "$S/api/v1/videos"
expect "peertube endpoint recognised" contains "$OUT" "(peertube, picked from the URL)"
w add --kind peertube "$S/w/9c9de5e8-0a1e-484a-b099-e80766180a6d"
expect "peertube watch URL → the video's detail" contains "$OUT" "/api/v1/videos/9c9de5e8-0a1e-484a-b099-e80766180a6d"
w add "$S/api/v3/post/list?community_name=music"
expect "lemmy endpoint recognised" contains "$OUT" "(lemmy, picked from the URL)"
w add --kind youtube "$S/@kurzgesagt"
expect "youtube handle: page → channel id → feed" contains "$OUT" "→ channel id → /feeds/videos.xml"
w add --kind youtube "$S/channel/UC9PBzalIcEQCsiIkq36PyUA"
expect "youtube channel → its feed" contains "$OUT" "/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA"
w add "$S/v0/topstories.json"
expect "hacker news: the first 30 items" contains "$OUT" "(hackernews: /v0/topstories.json → the first 30 items)"
w add "$S/api/v1/popular"
expect "invidious endpoint recognised" contains "$OUT" "(invidious, picked from the URL)"
w add --kind invidious "$S/@digitalfoundry"
expect "invidious handle resolved first" contains "$OUT" "/api/v1/resolveurl?url="
w add --link "$S/d/pages/sora.html"
expect "--link keeps a page" contains "$OUT" "(link, as asked: one item from the page's OpenGraph tags)"
w add --link "$S/d/pages/clip.mp4"
w add --kind mastodon "$S/about"
expect "a URL the forced adapter cannot serve is refused at add" contains "$OUT" "add: mastodon: $S/about is not a profile"
expect_eq "…with status 1" "$RC" 1

# --- refresh and what it stored -------------------------------------------------------------------
http_get "$S/_reset_log" >/dev/null
start=$(date +%s%N)
w refresh
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "first refresh of 18 feeds: ${ms} ms"
expect_eq "first refresh succeeds" "$RC" 0
expect "…18 feeds, 18 updated" contains "$OUT" "18 feeds: 18 updated, 0 unchanged, 0 failed"
expect_eq "mastodon account statuses" "$(item_count --feed "$S/@schochastics")" 20
expect_eq "mastodon public timeline" "$(item_count --feed "$S/api/v1/timelines/public")" 20
expect_eq "mastodon tag timeline" "$(item_count --feed "$S/tags/ichbinhanna")" 40
expect_eq "bluesky author feed: every post stored" "$(item_count --no-filters --feed "$S/profile/andrew.heiss.phd")" 25
# the two reposts of authors who self-label !no-unauthenticated are withheld, as bsky.app withholds
# them from a logged-out reader (issue 14)
expect_eq "…two withheld (!no-unauthenticated)" "$(item_count --feed "$S/profile/andrew.heiss.phd")" 23
expect_eq "…which --only withheld lists" "$(item_count --no-filters --only withheld --feed "$S/profile/andrew.heiss.phd")" 2
check "$S/profile/andrew.heiss.phd" 'not [i for i in items if "!no-unauthenticated" in (i["labels"] or "")]'
expect "…none of them among the shown" [ $? = 0 ]
expect_eq "bluesky custom feed (via resolveHandle)" "$(item_count --feed "$S/profile/chriskenny.bsky.social/feed/rstats")" 200
expect_eq "bluesky search" "$(item_count --no-filters --feed "$S/xrpc/app.bsky.feed.searchPosts?q=rstats")" 100
expect_eq "…one withheld" "$(item_count --feed "$S/xrpc/app.bsky.feed.searchPosts?q=rstats")" 99
expect_eq "reddit listing" "$(item_count --feed "$S/r/videos/hot.json")" 100
expect_eq "reddit r/all (escaped listing)" "$(item_count --feed "$S/r/all")" 100
expect_eq "peertube list" "$(item_count --feed "$S/api/v1/videos")" 12
expect_eq "peertube single video" "$(item_count --feed "$S/w/9c9de5e8-0a1e-484a-b099-e80766180a6d")" 1
expect_eq "lemmy posts" "$(item_count --feed "$S/api/v3/post/list?community_name=music")" 3
expect_eq "youtube @handle" "$(item_count --feed "$S/@kurzgesagt")" 15
expect_eq "youtube channel" "$(item_count --feed "$S/channel/UC9PBzalIcEQCsiIkq36PyUA")" 15
expect_eq "hacker news: one page of 30" "$(item_count --feed "$S/v0/topstories.json")" 30
expect_eq "invidious popular" "$(item_count --feed "$S/api/v1/popular")" 8
expect_eq "invidious handle → channel" "$(item_count --feed "$S/@digitalfoundry")" 5
expect_eq "a page kept as one item" "$(item_count --feed "$S/d/pages/sora.html")" 1

log_paths > "$T/log1"
expect "hacker news items fetched one by one" [ "$(grep -c '^/v0/item/' "$T/log1")" = 30 ]
expect "peertube details asked for each listed video" [ "$(grep -c '^/api/v1/videos/' "$T/log1")" -ge 13 ]
expect "the link's head only: a ranged request" contains "$(http_get "$S/_log")" '"range": "bytes=0-1048575"'

check "$S/@schochastics" 'all(i["platform"] == "mastodon" and i["author_handle"].startswith("@schochastics@") for i in items)' \
  && ok "mastodon items: platform and handle" || bad "mastodon items"
check "$S/api/v1/timelines/public" 'sum(i["bot"] for i in items) == 1 and sum("sensitive@platform" in (i["labels"] or "") for i in items) == 1' \
  && ok "mastodon: one bot, one sensitive post, as the capture has" || bad "mastodon bot/sensitive"
column "$S/@schochastics" extra > "$T/extra"
expect "mastodon: verified profile fields in extra" [ "$(grep -c verified_fields "$T/extra")" = 20 ]
check "$S/profile/andrew.heiss.phd" '[i for i in items if i["media"] and i["media"]["type"] == "hls" and i["media"]["url"].endswith("playlist.m3u8")]' \
  && ok "bluesky: the video as an HLS playlist" || bad "bluesky video"
column "$S/profile/andrew.heiss.phd" extra > "$T/extra"
expect "bluesky: reposts kept as boosts" [ "$(grep -c boosted_by "$T/extra")" = 10 ]
check "$S/xrpc/app.bsky.feed.searchPosts?q=rstats" 'any("graphic-media@self" in (i["labels"] or "") for i in items)' \
  && ok "bluesky: labels with their source" || bad "bluesky labels"
check "$S/r/all" 'all("&amp;" not in (i["thumbnail"] or "") + ((i["media"] or {}).get("url") or "") for i in items) and sum(bool(i["media"]) for i in items) >= 10' \
  && ok "reddit: &amp; undone, videos kept" || bad "reddit escaped URLs"
check "$S/r/all" 'all(i["author"].startswith("u/") and not i.get("author_handle") for i in items if i["author"])' \
  && ok "reddit: the author once (u/name is its own handle, never u/name @u/name)" || bad "reddit author twice"
check "$S/w/9c9de5e8-0a1e-484a-b099-e80766180a6d" 'items[0]["media"]["type"] == "hls" and items[0]["media"]["duration"] == 113 and items[0]["thumbnail"].startswith("'"$S"'/lazy-static/")' \
  && ok "peertube: HLS from the detail, thumbnail made absolute" || bad "peertube detail"
check "$S/@kurzgesagt" 'all(i["media"]["type"] == "page" and i["media"]["url"].startswith("https://www.youtube.com/watch?v=") for i in items if i["platform"] == "youtube")' \
  && ok "youtube: the watch URL is the media (for mpv's ytdl hook)" || bad "youtube media"
check "$S/v0/topstories.json" 'sum(i["url"].startswith("https://news.ycombinator.com/item?id=") for i in items) == 3 and items[0]["platform"] == "hackernews"' \
  && ok "hacker news: text posts link to their discussion" || bad "hacker news items"
check "$S/api/v1/popular" 'all(i["thumbnail"].startswith("'"$S"'/vi/") and i["media"]["duration"] == 600 for i in items)' \
  && ok "invidious: thumbnails absolute, lengthSeconds" || bad "invidious items"
check "$S/d/pages/sora.html" 'items[0]["title"] == "A corgi surfs at sunset" and items[0]["author"] == "corgi_fan" and items[0]["media"]["url"] == "'"$S"'/d/pages/clip.mp4" and items[0]["thumbnail"] == "'"$S"'/d/pages/thumb.jpg"' \
  && ok "link: OpenGraph title, image and video; oEmbed author" || bad "link item"
check "$S/d/pages/clip.mp4" 'items[0]["media"]["type"] == "video/mp4"' && ok "link to a file: its media" || bad "link to a file"

"$WINNOW_BIN" feeds --json > "$T/feeds.json"
"$PY" - "$T/feeds.json" "$S" <<'PY' && ok "resolved endpoints remembered" || bad "endpoints not remembered"
import json, sys
feeds = {f["url"]: f for f in json.load(open(sys.argv[1]))}
S = sys.argv[2]
assert feeds[S + "/@schochastics"]["endpoint"] == S + "/api/v1/accounts/109302436954721982/statuses?exclude_replies=true"
assert feeds[S + "/profile/chriskenny.bsky.social/feed/rstats"]["endpoint"].startswith(S + "/xrpc/app.bsky.feed.getFeed?feed=at%3A%2F%2Fdid%3Aplc%3A")
assert "endpoint" not in feeds[S + "/api/v1/timelines/public"]
assert feeds[S + "/@schochastics"]["title"] == "David Schoch (@schochastics@fosstodon.org)", feeds[S + "/@schochastics"]["title"]
PY

# --- second refresh: endpoints first, with validators; stored items not fetched again ----------
"$PY" - "$DOCROOT" <<'PY'
import json, os, sys
root = sys.argv[1]
ids = [9001] + list(range(9000, 8960, -1))
json.dump(ids, open(os.path.join(root, "hn", "topstories.json"), "w"))
json.dump({"by": "new", "id": 9001, "time": 1800000000, "title": "A new story", "type": "story"},
          open(os.path.join(root, "hn", "item", "9001.json"), "w"))
PY
http_get "$S/_reset_log" >/dev/null
start=$(date +%s%N)
w refresh
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "second refresh of 18 feeds: ${ms} ms"
expect_eq "second refresh succeeds" "$RC" 0
log_paths > "$T/log2"
expect "mastodon: no second lookup" [ "$(grep -c '^/api/v1/accounts/lookup' "$T/log2")" = 0 ]
expect "mastodon: the statuses endpoint asked with its validator" grep -q '^/api/v1/accounts/109302436954721982/statuses?exclude_replies=true "' "$T/log2"
expect "youtube: the channel page not fetched again" [ "$(grep -c '^/@kurzgesagt ' "$T/log2")" = 0 ]
expect "youtube: the remembered feed asked with its validator" grep -q '^/feeds/videos.xml?channel_id=UCsXVk37bltHxD1rDPwtNM8Q "' "$T/log2"
expect "hacker news: only the new story fetched" [ "$(grep -c '^/v0/item/' "$T/log2")" = 1 ]
expect_eq "…and added" "$(item_count --feed "$S/v0/topstories.json")" 31
expect "peertube: details of stored videos not fetched again" [ "$(grep '^/api/v1/videos/' "$T/log2" | grep -vc 9c9de5e8)" = 0 ]
expect "unchanged endpoints answer 304" contains "$OUT" "unchanged"

# --- content types: JSON served as HTML or octet-stream is sniffed; JSON at an RSS URL fails -------
w add "$S/api/v1/timelines/public?_ct=application/octet-stream"
w add --kind reddit "$S/r/popular/hot.json?_ct=text/html"
w add "$S/as/application%2Frss%2Bxml/mastodon/mastodon.social_timelines_public.json"
w refresh "$S/api/v1/timelines/public?_ct=application/octet-stream" "$S/r/popular/hot.json?_ct=text/html" \
  "$S/as/application%2Frss%2Bxml/mastodon/mastodon.social_timelines_public.json"
expect_eq "octet-stream JSON parsed as the endpoint implies" "$(item_count --feed "$S/api/v1/timelines/public?_ct=application/octet-stream")" 20
expect_eq "JSON served as text/html parsed" "$(item_count --feed "$S/r/popular/hot.json?_ct=text/html")" 100
line=$(printf '%s\n' "$OUT" | grep -F "as/application%2Frss%2Bxml/mastodon" | head -1)
expect "JSON at an RSS URL: a clean error" contains "$line" "not a feed: got JSON that is not a JSON Feed"

# --- errors name their source; 429 with Retry-After is honoured -------------------------------------
w add --offline --kind mastodon "$S/@nobody"
w add --offline --kind reddit "$S/r/ratelimited"
http_get "$S/_reset_log" >/dev/null
w refresh "$S/@nobody" "$S/r/ratelimited"
expect_eq "failures: exit 1" "$RC" 1
expect "mastodon: HTTP 404, said per source" contains "$(printf '%s\n' "$OUT" | grep -F "$S/@nobody:")" "mastodon: HTTP 404"
line=$(printf '%s\n' "$OUT" | grep -F "$S/r/ratelimited:")
expect "reddit: HTTP 429, retrying after 60 s" contains "$line" "reddit: HTTP 429 Too Many Requests, retrying after 60 s"
w refresh "$S/r/ratelimited"
line=$(printf '%s\n' "$OUT" | grep -F "$S/r/ratelimited:")
expect "the next refresh skips it and says so" contains "$line" "reddit: skipped: the server asked to wait, retrying after"
expect "…without asking the server" [ "$(http_get "$S/_log" | grep -c ratelimited)" = 1 ]
w feeds
expect "feeds says it is waiting" contains "$OUT" "waiting: the server asked to wait"
expect "…and keeps the 429 as the error" contains "$OUT" "error: reddit: HTTP 429"

# --- no source hammers a host: Reddit at most two at a time ----------------------------------------
ids=()
for i in 1 2 3 4 5 6; do
  out=$("$WINNOW_BIN" add --offline "$S/r/slow$i/hot.json")
  ids+=("$(printf '%s' "$out" | sed -n 's/^added feed \([0-9]*\):.*/\1/p')")
done
start=$(date +%s%N)
w refresh "${ids[@]}"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "six slow reddit feeds refresh" "$RC" 0
maxp=$(http_get "$S/_stats" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["max_parallel_slow"])')
expect "at most two reddit requests at once (saw $maxp, took ${ms} ms)" [ "$maxp" -le 2 ] && [ "$ms" -ge 850 ]

finish
