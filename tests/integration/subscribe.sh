#!/bin/bash
# SPDX-License-Identifier: ISC
# Subscribing with care (issue 14): `add` of a web page subscribes to the feed the page names
# (autodiscovery, --pick N), the same feed under another spelling is one subscription, `add`
# checks the URL once and says what failed (404, connection refused; --offline subscribes anyway),
# an API's own reason reaches the user, and OPML import over an existing feed merges its folder.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
need_fixtures
setup_home
DOCROOT="$T/docroot"; mkdir -p "$DOCROOT/blog" "$DOCROOT/plain" "$DOCROOT/many"
server_start --docroot "$DOCROOT"
trap 'server_stop; cleanup_home' EXIT
S=$SERVER_URL
cp "$WINNOW_FIXTURES/feeds/rss/atp_podcast_enclosures.rss" "$DOCROOT/feed.xml"
cp "$WINNOW_FIXTURES/feeds/atom/theverge.atom.xml" "$DOCROOT/many/comments.atom"
cat > "$DOCROOT/blog/index.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>A blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Posts" href="/d/feed.xml">
</head><body><p>Hello</p></body></html>
HTML
cat > "$DOCROOT/many/index.html" <<'HTML'
<html><head>
<LINK REL="alternate" TYPE="application/atom+xml" title="Comments" href="comments.atom">
<link rel="alternate" type="application/rss+xml" title="Posts" href="../feed.xml">
<link rel="alternate" type="application/feed+json" href="https://elsewhere.example/feed.json">
</head><body></body></html>
HTML
printf '<html><head><title>No feed here</title></head><body>hi</body></html>\n' > "$DOCROOT/plain/index.html"
lacks() { ! contains "$@"; }
feeds() { "$WINNOW_BIN" feeds --json | "$PY" -c 'import json,sys; print(" ".join(f["url"] for f in json.load(sys.stdin)))'; }

# --- autodiscovery -------------------------------------------------------------------------------
w add "$S/d/blog/index.html"
expect_eq "add of a page that names /feed.xml exits 0" "$RC" 0
expect "…subscribes to /feed.xml" contains "$OUT" "added feed 1: $S/d/feed.xml"
expect_eq "…and only to it" "$(feeds)" "$S/d/feed.xml"
w refresh
expect_eq "the discovered feed refreshes" "$RC" 0

# --- duplicates ----------------------------------------------------------------------------------
w add "$S/d/feed.xml"
expect_eq "the same feed again exits 0" "$RC" 0
expect "…saying which feed it is" contains "$OUT" "already subscribed as feed 1"
UP="HTTP://127.0.0.1:$SERVER_PORT/d/feed.xml"
w add "$UP"
expect "HTTP://… is the same feed" contains "$OUT" "already subscribed as feed 1"
w add "$S/d/feed.xml/"
expect "…and with a trailing slash" contains "$OUT" "already subscribed as feed 1"
w add "$S/d/feed.xml#top"
expect "…and with a fragment" contains "$OUT" "already subscribed as feed 1"
w add "http://127.0.0.1:$SERVER_PORT/d/blog/index.html"
expect "the page again: its feed is already there" contains "$OUT" "already subscribed as feed 1"
expect_eq "one subscription after all that" "$(feeds)" "$S/d/feed.xml"
# a Bluesky search by its web URL and by its xrpc URL resolve to the same endpoint
w add --offline "https://bsky.app/search?q=winnow"
expect_eq "a Bluesky search" "$RC" 0
w add --offline "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts?sort=latest&q=winnow"
expect "…and its xrpc URL is the same subscription" contains "$OUT" "already subscribed as feed 2"
"$WINNOW_BIN" remove 2 >/dev/null

# --- several feeds: the first, the others listed, --pick ----------------------------------------
w add "$S/d/many/index.html"
expect "a page naming three feeds: the first is taken" contains "$OUT" ": $S/d/many/comments.atom"
expect "…the others are listed" contains "$OUT" "https://elsewhere.example/feed.json"
expect "…with --pick advice" contains "$OUT" "--pick N"
"$WINNOW_BIN" remove "$S/d/many/comments.atom" >/dev/null
w add --pick 3 "$S/d/many/index.html"
expect "--pick 3 takes the third" contains "$OUT" ": https://elsewhere.example/feed.json"
w add --pick 9 "$S/d/many/index.html"
expect_eq "--pick beyond the list fails" "$RC" 1
expect "…naming the range" contains "$OUT" "1 to 3"

# --- a feed served as text/html is still a feed; XHTML is still a page ---------------------------
w add "$S/as/text%2Fhtml/rss/atp_podcast_enclosures.rss"
expect "RSS sent as text/html is subscribed as it is" contains "$OUT" "added feed"
expect "…not searched for links" lacks "$OUT" "names no feed"
printf '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><link rel="alternate" type="application/atom+xml" href="/d/many/comments.atom"/></head><body/></html>\n' >"$DOCROOT/x.xhtml"
w add "$S/d/x.xhtml"
expect "XHTML is a page: its feed is found" contains "$OUT" "$S/d/many/comments.atom"

# --- a page with no feed -------------------------------------------------------------------------
w add "$S/d/plain/index.html"
expect_eq "a page that names no feed is refused" "$RC" 1
expect "…with the --link advice" contains "$OUT" "add --link"
w add --link "$S/d/plain/index.html"
expect_eq "…and --link keeps it" "$RC" 0

# --- the check at add time -----------------------------------------------------------------------
w add "$S/d/nosuch.xml"
expect_eq "a 404 is refused" "$RC" 1
expect "…saying so" contains "$OUT" "HTTP 404"
expect "…and how to subscribe anyway" contains "$OUT" "--offline"
expect "…nothing subscribed" lacks "$(feeds)" "nosuch"
w add --offline "$S/d/nosuch.xml"
expect_eq "--offline subscribes anyway" "$RC" 0
DEAD=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
w add "http://127.0.0.1:$DEAD/feed.xml"
expect_eq "a refused connection is refused" "$RC" 1
expect "…saying the connection failed" contains "$OUT" "could not connect"

# --- an API's own reason -------------------------------------------------------------------------
printf '{"error":"InvalidRequest","message":"Profile not found"}' > "$DOCROOT/bsky.json"
printf '{"error":"Record not found"}' > "$DOCROOT/masto.json"
w add --kind feed "$S/fail/400/bsky.json"
expect "Bluesky's message is shown" contains "$OUT" "HTTP 400 Bad Request: Profile not found"
w add --offline --kind feed "$S/fail/404/masto.json"
w refresh "$S/fail/404/masto.json"
expect "a refresh shows Mastodon's error" contains "$OUT" "Record not found"
printf '{"message":"\033[2Jevil\u202e%0300d"}' 0 > "$DOCROOT/evil.json"
w add --kind feed "$S/fail/500/evil.json"
expect "a hostile reason is sanitised" lacks "$OUT" $'\033'
expect "…and bounded" [ "${#OUT}" -lt 700 ]

# --- OPML over an existing feed merges its folder ------------------------------------------------
cat > "$T/subs.opml" <<OPML
<?xml version="1.0"?>
<opml version="2.0"><body>
<outline title="podcasts"><outline type="rss" text="ATP" xmlUrl="http://127.0.0.1:$SERVER_PORT/d/feed.xml/"/></outline>
</body></opml>
OPML
w import "$T/subs.opml"
expect "import over an existing feed adds nothing" contains "$OUT" "imported 0 feeds"
expect_eq "…but merges its folder tag" "$(sqlite3 "$WINNOW_DB" "SELECT tags FROM feeds WHERE id = 1")" "podcasts"
expect_eq "…and still one subscription" "$(sqlite3 "$WINNOW_DB" "SELECT count(*) FROM feeds WHERE url LIKE '%/d/feed.xml%'")" 1
# --- OPML export: what other readers can use, and a round trip through winnow that loses nothing ---
export WINNOW_DB="$T/opml.db"
w add --offline --tag social "https://mastodon.social/@Gargron"
w add --offline "https://www.youtube.com/channel/UC9PBzalIcEQCsiIkq36PyUA"
w add --offline "https://bsky.app/profile/bsky.app"
w add --offline --tag news "$S/d/feed.xml"
"$WINNOW_BIN" export --opml >"$T/out.opml"
outline() { grep -F "winnow:url=\"$1\"" "$T/out.opml"; }
expect "Mastodon: xmlUrl is the account's own RSS" contains "$(outline "https://mastodon.social/@Gargron")" 'xmlUrl="https://mastodon.social/@Gargron.rss"'
expect "…htmlUrl the web page" contains "$(outline "https://mastodon.social/@Gargron")" 'htmlUrl="https://mastodon.social/@Gargron"'
expect "…and winnow's kind, namespaced" contains "$(outline "https://mastodon.social/@Gargron")" 'winnow:kind="mastodon"'
expect "the namespace is declared" contains "$(head -2 "$T/out.opml")" 'xmlns:winnow="urn:winnow:opml:1"'
expect "YouTube: xmlUrl is the channel's Atom feed" contains "$(outline "https://www.youtube.com/channel/UC9PBzalIcEQCsiIkq36PyUA")" 'xmlUrl="https://www.youtube.com/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA"'
expect "Bluesky: xmlUrl is the profile's RSS" contains "$(outline "https://bsky.app/profile/bsky.app")" 'xmlUrl="https://bsky.app/profile/bsky.app/rss"'
expect "a plain feed stays as it is" contains "$(grep -F "$S/d/feed.xml" "$T/out.opml")" "xmlUrl=\"$S/d/feed.xml\""
"$PY" -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$T/out.opml"
expect_eq "the export is well-formed XML" "$?" 0
summary() { "$WINNOW_BIN" feeds --json | "$PY" -c 'import json,sys; print(sorted((f["url"], f["kind"], tuple(f["tags"])) for f in json.load(sys.stdin)))'; }
before=$(summary)
export WINNOW_DB="$T/opml2.db"
w import "$T/out.opml"
expect "the export imports" contains "$OUT" "imported 4 feeds"
expect_eq "…with the same URLs, kinds and tags" "$(summary)" "$before"
finish
