#!/bin/bash
# SPDX-License-Identifier: ISC
# End to end through the CLI against the loopback fixture server: add, refresh, items --json,
# conditional GET, every fault mode, and that a failed refresh loses nothing.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
need_fixtures
setup_home
DOCROOT="$T/docroot"; mkdir -p "$DOCROOT"
server_start --docroot "$DOCROOT"
trap 'server_stop; cleanup_home' EXIT
S=$SERVER_URL

# --- subscribe and refresh the real captures -------------------------------------------------
for f in rss/atp_podcast_enclosures.rss atom/daringfireball.atom youtube/kurzgesagt_videos_2026-01.xml \
         jsonfeed/npr_world_v1.json; do
  w add "$S/f/$f"; expect "add $f" [ "$RC" = 0 ]
done
w add "$S/f/rss/atp_podcast_enclosures.rss"
expect_eq "adding twice adds nothing and exits 0" "$RC" 0
expect "…with a clear message" contains "$OUT" "already subscribed as feed 1"
w refresh
expect_eq "refresh of good feeds exits 0" "$RC" 0
expect "refresh prints a summary" contains "$OUT" "4 feeds: 4 updated"
expect_eq "items from the four captures" "$(item_count)" $((100 + 48 + 15 + 23))
expect_eq "items of one feed" "$(item_count --feed "$S/f/atom/daringfireball.atom")" 48
expect_eq "--limit" "$(item_count --limit 7)" 7

# --- parsing on worker threads stores exactly what parsing on the one thread stores ---------------
# (refresh.c hands bodies to workers when a CPU is spare; taskset leaves it one CPU, so it parses
# on its own thread.)
if command -v taskset >/dev/null; then
  "$WINNOW_BIN" items --json --limit 100000 > "$T/pool.json"
  for f in rss/atp_podcast_enclosures.rss atom/daringfireball.atom youtube/kurzgesagt_videos_2026-01.xml \
           jsonfeed/npr_world_v1.json; do
    WINNOW_DB="$T/one.db" "$WINNOW_BIN" add "$S/f/$f" >/dev/null 2>&1
  done
  OUT=$(WINNOW_DB="$T/one.db" taskset -c 0 "$WINNOW_BIN" refresh 2>&1)
  expect "one-CPU refresh" contains "$OUT" "4 feeds: 4 updated"
  WINNOW_DB="$T/one.db" "$WINNOW_BIN" items --json --limit 100000 > "$T/one.json"
  "$PY" - "$T/pool.json" "$T/one.json" <<'PY' && ok "same items with and without parse workers" || bad "same items with and without parse workers"
import json, sys
def load(p):
    out = {}
    for it in json.load(open(p)):
        it = {k: v for k, v in it.items() if k != "id"}
        out[(it["feed"], it["guid"])] = it
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
if len(a) != 186 or a != b:
    print("pool:", len(a), "one CPU:", len(b))
    sys.exit(1)
PY
fi

# the JSON carries what a script needs
"$WINNOW_BIN" items --json --feed "$S/f/youtube/kurzgesagt_videos_2026-01.xml" > "$T/yt.json"
"$PY" - "$T/yt.json" <<'PY' && ok "items --json fields (title, url, published, thumbnail, media)" || bad "items --json fields"
import json, sys
items = json.load(open(sys.argv[1]))
first = [i for i in items if i["title"] == "Jupiter Made Earth Possible"][0]
assert first["url"] == "https://www.youtube.com/shorts/zg40FHOAqC0", first["url"]
assert first["published"] == "2026-01-22T15:01:42Z", first["published"]
assert first["thumbnail"] == "https://i3.ytimg.com/vi/zg40FHOAqC0/hqdefault.jpg", first["thumbnail"]
assert first["media"] and first["media"]["url"], first["media"]
for k in ("id", "feed", "title", "author", "url", "published", "thumbnail", "media"):
    assert k in first, k
pub = [i["published"] for i in items]
assert pub == sorted(pub, reverse=True), "newest first"
PY
"$WINNOW_BIN" items --json --feed "$S/f/rss/atp_podcast_enclosures.rss" --limit 1 > "$T/atp.json"
"$PY" - "$T/atp.json" <<'PY' && ok "podcast enclosure becomes media with a duration" || bad "podcast media"
import json, sys
it = json.load(open(sys.argv[1]))[0]
assert it["media"]["url"].endswith(".mp3"), it["media"]
assert it["media"]["type"].startswith("audio/"), it["media"]
assert it["media"]["duration"] and it["media"]["duration"] > 60, it["media"]
PY

# --- conditional GET: the second refresh sends validators and gets 304s ------------------------
http_get "$S/_reset_log" >/dev/null
w refresh
expect_eq "second refresh exits 0" "$RC" 0
expect "second refresh: all unchanged" contains "$OUT" "4 unchanged"
http_get "$S/_log" > "$T/log.json"
"$PY" - "$T/log.json" <<'PY' && ok "validators sent (If-None-Match) on every feed" || bad "validators not sent"
import json, sys
log = json.load(open(sys.argv[1]))
feeds = [r for r in log if r["path"].startswith("/f/")]
assert len(feeds) == 4, feeds
assert all(r["if_none_match"] for r in feeds), feeds
assert all(r["user_agent"].startswith("winnow/") for r in feeds), feeds
PY

# --- faults: each one a clear line, the others unaffected ---------------------------------------
echo "timeout = 3" > "$XDG_CONFIG_HOME/winnow/config"
declare -A WANT=(
  ["$S/status/404"]="HTTP 404"
  ["$S/status/500"]="HTTP 500"
  ["$S/redirect-loop"]="redirect"
  ["$S/redirect-file"]="refused"
  ["$S/slow"]="timed out after 3 s"
  ["$S/reset"]="reset"
  ["$S/big-chunked?mb=20"]="larger than 16 MiB"
  ["$S/as/text%2Fhtml/malformed/youtube_feed_404_real.html"]="not a feed"
  ["$S/f/malformed/youtube_feed_404_real.html"]="HTTP 404"
  ["$S/f/malformed/truncated_half_podcast.rss"]="truncated"
  ["$S/f/malformed/empty_body.json"]="empty"
  ["$S/f/malformed/billion_laughs.rss"]="entit"
  ["http://127.0.0.1:1/feed.xml"]="connect"
)
# --offline: these fail on purpose, and the check at add time would refuse them
for u in "${!WANT[@]}"; do "$WINNOW_BIN" add --offline "$u" >/dev/null 2>&1; done
w add "$S/gzip/atom/theverge.atom.xml"
w add "$S/redirect/3"
start=$(date +%s)
w refresh
elapsed=$(( $(date +%s) - start ))
expect_eq "refresh with failures exits 1" "$RC" 1
expect "faults do not stall the refresh (took ${elapsed}s)" [ "$elapsed" -le 12 ]
for u in "${!WANT[@]}"; do
  line=$(printf '%s\n' "$OUT" | grep -F -- "$u:" | head -1)
  expect "error for $u says '${WANT[$u]}'" contains "$line" "${WANT[$u]}"
done
expect_eq "gzip-encoded feed decoded" "$(item_count --feed "$S/gzip/atom/theverge.atom.xml")" 10
expect_eq "redirected feed fetched" "$(item_count --feed "$S/redirect/3")" 10
"$WINNOW_BIN" feeds --json > "$T/feeds.json"
"$PY" - "$T/feeds.json" "$S/status/404" <<'PY' && ok "the error is stored on the feed" || bad "feed error not stored"
import json, sys
feeds = {f["url"]: f for f in json.load(open(sys.argv[1]))}
assert "HTTP 404" in feeds[sys.argv[2]]["error"], feeds[sys.argv[2]]
PY
w feeds
expect "feeds shows errors" contains "$OUT" "error: HTTP 404"

# --- a failed refresh keeps everything stored before ---------------------------------------------
cp "$WINNOW_FIXTURES/feeds/rss/reddit_frontpage_2015.rss" "$DOCROOT/changing.rss"
w add "$S/d/changing.rss"
w refresh "$S/d/changing.rss"
expect_eq "docroot feed stored" "$(item_count --feed "$S/d/changing.rss")" 24
head -c 10000 "$WINNOW_FIXTURES/feeds/rss/reddit_frontpage_2015.rss" > "$DOCROOT/changing.rss"
w refresh "$S/d/changing.rss"
expect_eq "truncated body: refresh fails" "$RC" 1
expect "…saying truncated" contains "$OUT" "truncated"
expect_eq "…and the 24 items stay" "$(item_count --feed "$S/d/changing.rss")" 24
rm "$DOCROOT/changing.rss"
w refresh "$S/d/changing.rss"
expect_eq "404 keeps them too" "$(item_count --feed "$S/d/changing.rss")" 24

# --- items are upserted, read state survives ----------------------------------------------------
cp "$WINNOW_FIXTURES/feeds/rss/reddit_frontpage_2015.rss" "$DOCROOT/changing.rss"
w refresh "$S/d/changing.rss"
expect "unchanged content: no new items" contains "$OUT" "unchanged"
expect_eq "still 24 (upsert by guid)" "$(item_count --feed "$S/d/changing.rss")" 24

# --- remove ------------------------------------------------------------------------------------
w remove "$S/d/changing.rss"
expect_eq "remove" "$RC" 0
expect_eq "items of a removed feed are gone" "$(item_count --search 'improvises')" 0
w remove "$S/d/nope.rss"
expect "removing an unknown feed fails clearly" contains "$OUT" "no feed"

# --- usage errors ---------------------------------------------------------------------------------
w add "ftp://example.org/feed"
expect "ftp refused" contains "$OUT" "only http"
w add "$S/f/x.rss" --kind nosuch
expect "unknown kind listed" contains "$OUT" "unknown kind"
w items --limit 0
expect_eq "bad --limit is a usage error" "$RC" 2
w frobnicate
expect_eq "unknown subcommand is a usage error" "$RC" 2
echo "colour = blue" > "$XDG_CONFIG_HOME/winnow/config"
w feeds
expect "unknown config key reported with its line" contains "$OUT" "config:1: unknown key \"colour\""
echo "jobs = 1000" > "$XDG_CONFIG_HOME/winnow/config"
w feeds
expect "an out-of-range value names the range" contains "$OUT" 'config:1: bad value "1000" for jobs (allowed: 1 to 256)'
printf '# curation\nhide = ai-genrated\n' > "$XDG_CONFIG_HOME/winnow/config"
w items
expect_eq "a misspelt filter name stops the start" "$RC" 1
expect "…once, with its line, naming the filters" contains "$OUT" 'config:2: no filter "ai-genrated" for hide (the filters: ai-generated'
rm "$XDG_CONFIG_HOME/winnow/config"

finish
