#!/bin/bash
# SPDX-License-Identifier: ISC
# Your own timelines, logged in, against the loopback server speaking the flows (authroutes.py):
# Mastodon's app registration, out-of-band code and token exchange, verify_credentials, the
# timelines read with the token (home, a list, bookmarks, favourites, mentions) answered with the
# real captures, 401 once the token is revoked, logout; Bluesky's createSession with an app
# password, refreshSession of an expired session, getTimeline and a saved feed.  The credentials
# file is 0600 and refused when others can read it; no secret ever appears in any output, the
# database, the config or the test's logs; a token goes to its own server only.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 no_proxy=127.0.0.1,localhost
need_fixtures
setup_home
server_start
trap 'server_stop; cleanup_home' EXIT
S=$SERVER_URL
HOSTPORT=${S#http://}
ALL="$T/all-output"   # everything winnow printed, to look for secrets in at the end
: >"$ALL"
wl() { w "$@"; printf '%s\n' "$OUT" >>"$ALL"; }
CRED="$XDG_DATA_HOME/winnow/credentials"
check() {  # check FEED-URL PYTHON-EXPR
  "$WINNOW_BIN" items --feed "$1" --json | "$PY" -c 'import json,sys; items=json.load(sys.stdin); sys.exit(0 if ('"$2"') else 1)'
}
state() { http_get "$S/_auth/state" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["'"$1"'"])'; }

wl add mastodon:home
expect "a timeline before any login says how to log in" contains "$OUT" "not logged in (winnow login mastodon SERVER)"

# --- Mastodon login -----------------------------------------------------------------------------
OUT=$(printf 'the-code-1234\n' | "$WINNOW_BIN" login mastodon "$S" 2>&1); RC=$?; printf '%s\n' "$OUT" >>"$ALL"
expect_eq "login mastodon succeeds" "$RC" 0
expect "…prints the authorize URL (out-of-band redirect, scope read)" \
  contains "$OUT" "$S/oauth/authorize?client_id=cid-"
expect "…asks for read only" contains "$OUT" "scope=read&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&response_type=code"
expect "…verified who it is" contains "$OUT" "logged in to $HOSTPORT as @tester@$HOSTPORT"
expect "…and lists the lists to add" contains "$OUT" "winnow add mastodon:list/42   (Friends)"
expect_eq "the credentials file is mode 0600" "$(stat -c %a "$CRED")" 600
expect_eq "…in a 0700 directory" "$(stat -c %a "$XDG_DATA_HOME/winnow")" 700
OUT=$(printf 'wrong-code\n' | "$WINNOW_BIN" login mastodon "$S" 2>&1); RC=$?; printf '%s\n' "$OUT" >>"$ALL"
expect "a wrong code is refused with the server's reason" contains "$OUT" "exchanging the code: HTTP 400"
w login mastodon http://example.org
expect "plain http is refused for a server that is not this machine" contains "$OUT" "plain http only for a server on this machine"

wl add mastodon:home
expect "add mastodon:home picks the logged-in adapter" contains "$OUT" "$S/api/v1/timelines/home (mastodon-login: Home on $HOSTPORT, read with your login)"
wl add mastodon:notifications
wl add mastodon:bookmarks
wl add mastodon:favourites
wl add mastodon:list/42
wl add mastodon:nonsense
expect "an unknown timeline names the known ones" contains "$OUT" "unknown timeline (home, list/ID, bookmarks"
wl add --kind mastodon "$S/api/v1/timelines/public"
http_get "$S/_reset_log" >/dev/null
wl refresh
expect_eq "the logged-in timelines refresh" "$RC" 0
expect "home: the 20 statuses of the capture" check "$S/api/v1/timelines/home" 'len(items) == 20'
expect_eq "…and the newer page its Link header names was asked for (min_id)" "$(state min_id_requests)" 1
wl refresh "$S/api/v1/timelines/home"
expect_eq "a later refresh starts at that page: only what is newer" "$(state min_id_requests)" 2
expect "…nothing new, nothing lost" contains "$OUT" "unchanged"
expect_eq "…the 20 stay" "$(item_count --feed "$S/api/v1/timelines/home")" 20
expect "…named as the home timeline" contains "$("$WINNOW_BIN" feeds)" "Home on $HOSTPORT"
expect "mentions: the statuses of the mention notifications only" \
  check "$S/api/v1/notifications?types%5B%5D=mention" 'len(items) == 5'
expect "a list's timeline" check "$S/api/v1/timelines/list/42" 'len(items) > 0'
expect "bookmarks" check "$S/api/v1/bookmarks" 'len(items) > 0'
LOG=$(http_get "$S/_log")
tokpaths() { printf '%s' "$LOG" | "$PY" -c 'import json,sys; print(" ".join(sorted(set(e["path"].split("?")[0] for e in json.load(sys.stdin) if e["authorization"]))))'; }
expect_eq "the token went with the logged-in timelines only, not with a public feed of the same server" \
  "$(tokpaths)" "/api/v1/bookmarks /api/v1/favourites /api/v1/notifications /api/v1/timelines/home /api/v1/timelines/list/42"
expect_eq "no request carried a token the server did not issue" "$(state bad_tokens)" 0

# --- a file others can read is refused --------------------------------------------------------
chmod 644 "$CRED"
wl refresh "$S/api/v1/timelines/home"
expect "refresh refuses a credentials file others can read" contains "$OUT" "readable by others (mode 0644): chmod 600"
wl add mastodon:favourites@"$HOSTPORT"
expect "…and so does add" contains "$OUT" "readable by others (mode 0644)"
chmod 600 "$CRED"

# --- expired / revoked ---------------------------------------------------------------------------
before=$(item_count --feed "$S/api/v1/timelines/home")
http_get "$S/_auth/expire" >/dev/null
wl refresh "$S/api/v1/timelines/home"
expect_eq "a revoked token fails the refresh" "$RC" 1
expect "…saying the login expired and how to log in again" contains "$OUT" "$HOSTPORT: login expired: winnow login mastodon $HOSTPORT"
expect_eq "…and nothing stored is deleted" "$(item_count --feed "$S/api/v1/timelines/home")" "$before"
expect "…nor the login" grep -q "^mastodon $S " "$CRED"

# --- Bluesky --------------------------------------------------------------------------------------
OUT=$(printf 'hunter2\n' | "$WINNOW_BIN" login bluesky tester.example --server "$S" 2>&1); RC=$?; printf '%s\n' "$OUT" >>"$ALL"
expect_eq "an account password is refused" "$RC" 1
expect "…saying to use an app password" contains "$OUT" "never give winnow your account password"
expect_eq "…and it never reached the server" "$(state sessions)" 0
OUT=$(printf 'abcd-efgh-ijkl-mnop\n' | "$WINNOW_BIN" login bluesky tester.example --server "$S" 2>&1); RC=$?
printf '%s\n' "$OUT" >>"$ALL"
expect_eq "login bluesky with an app password" "$RC" 0
expect "…says: app passwords only" contains "$OUT" "Use an app password"
expect "…logged in" contains "$OUT" "logged in to $HOSTPORT as tester.example"
FEED_URI="at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.generator/whats-hot"
expect "…and lists the saved feeds (savedFeedsPrefV2)" contains "$OUT" "winnow add bluesky:feed/$FEED_URI"
wl add bluesky:following
expect "add bluesky:following: getTimeline on the PDS" contains "$OUT" "$S/xrpc/app.bsky.feed.getTimeline (bluesky-login"
wl add "bluesky:feed/$FEED_URI"
wl refresh "$S/xrpc/app.bsky.feed.getTimeline"
expect_eq "the following timeline refreshes" "$RC" 0
expect_eq "…after renewing the expired session with refreshSession" "$(state refreshes)" 1
expect "…with the capture's posts" check "$S/xrpc/app.bsky.feed.getTimeline" 'len(items) > 100'
wl refresh "$S/xrpc/app.bsky.feed.getFeed?feed=$("$PY" -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$FEED_URI")"
expect_eq "a saved feed refreshes with the login" "$RC" 0
GETFEED="$S/xrpc/app.bsky.feed.getFeed?feed=$("$PY" -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$FEED_URI")"
expect_eq "…and, read logged in, shows the posts of authors who ask not to be shown logged out" \
  "$(item_count --feed "$GETFEED")" 25
expect_eq "…and the renewed session is used, not renewed again" "$(state refreshes)" 1
http_get "$S/_auth/expire" >/dev/null
wl refresh "$S/xrpc/app.bsky.feed.getTimeline"
expect "a revoked Bluesky session says the login expired" contains "$OUT" "login expired: winnow login bluesky"

# --- logout ---------------------------------------------------------------------------------------
wl logout mastodon
expect "logout forgets the login" contains "$OUT" "logged out of 1 mastodon login; feeds and items stay"
expect "…the file no longer has it" test -z "$(grep '^mastodon ' "$CRED")"
expect_eq "…the feeds and their items stay" "$(item_count --feed "$S/api/v1/timelines/home")" "$before"
wl logout mastodon
expect "logout when not logged in says so" contains "$OUT" "not logged in to mastodon"

# --- no secret anywhere ----------------------------------------------------------------------------
wl feeds --json
wl items --json
wl feeds
SECRETS=$(http_get "$S/_log" >/dev/null; "$PY" - "$CRED" <<'PY'
import sys
for line in open(sys.argv[1]):
    for kv in line.split()[2:]:
        k, _, v = kv.partition("=")
        if k in ("access", "refresh", "client_secret"):
            print(v)
PY
)
printf 'mtok-\ncsecret-\nabcd-efgh-ijkl-mnop\n' >"$T/needles"
printf '%s\n' "$SECRETS" >>"$T/needles"
sqlite3 "$WINNOW_DB" .dump >"$T/db.sql"
found=""
for f in "$ALL" "$T/db.sql" "$WINNOW_DB" "$WINNOW_DB-wal"; do
  [ -f "$f" ] && grep -aqF -f "$T/needles" "$f" && found="$found $f"
done
[ -d "$XDG_CONFIG_HOME" ] && grep -raqF -f "$T/needles" "$XDG_CONFIG_HOME" && found="$found config"
[ -d "$XDG_CACHE_HOME" ] && grep -raqF -f "$T/needles" "$XDG_CACHE_HOME" && found="$found cache"
expect_eq "no token, secret or password in any output, the database, the config or the cache" "$found" ""
expect "…while the credentials file does hold the Bluesky session (the check looks for real values)" \
  test "$(grep -c '^bluesky ' "$CRED")" = 1 -a -n "$SECRETS"
finish
