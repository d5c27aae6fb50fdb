# SPDX-License-Identifier: ISC
"""Logins for the loopback fixture server (server.py): the flows `winnow login` speaks, with state.

Mastodon: POST /api/v1/apps (app registration), POST /oauth/token (the out-of-band code
"the-code-1234" for a token), GET /api/v1/accounts/verify_credentials, POST /oauth/revoke, and the
timelines a token reads (home, paged by a Link header as the real one is; lists, list/42, bookmarks, favourites, notifications) answered with
the real captures.  Bluesky: createSession (the app password "abcd-efgh-ijkl-mnop"; the first
access token it hands out has already expired, so that winnow must refreshSession before reading),
refreshSession, getPreferences (savedFeedsPrefV2), getTimeline and getFeed with the token.

/_auth/expire revokes every token (the server answers 401, or Bluesky's 400 ExpiredToken);
/_auth/state tells how many of each were issued and whether a request arrived with a token it did
not issue (it never tells the tokens).  Requests without a valid token get 401.
"""

import base64
import json
import secrets
import threading
import time
import urllib.parse

import apiroutes

JSON = apiroutes.JSON
OOB = "urn:ietf:wg:oauth:2.0:oob"
CODE = "the-code-1234"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
DID = "did:plc:winnowtester000000000000"

_lock = threading.Lock()
_apps = {}          # client_id -> client_secret
_tokens = set()     # valid Mastodon access tokens
_bsky_access = {}   # accessJwt -> exp
_bsky_refresh = set()
_stats = {"apps": 0, "tokens": 0, "sessions": 0, "refreshes": 0, "revoked": 0, "bad_tokens": 0,
          "min_id_requests": 0}


def _reply(obj, status=200):
    return apiroutes.Reply(status, JSON, json.dumps(obj).encode())


def _jwt(exp, kind):
    def b64(d):
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    return "%s.%s.%s" % (b64({"alg": "ES256K", "typ": kind}), b64({"sub": DID, "exp": exp, "scope": kind}),
                         secrets.token_urlsafe(24))


def _bearer(headers):
    h = headers.get("Authorization") or ""
    return h[7:] if h.startswith("Bearer ") else None


def _body(raw):
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {}


def _mastodon_auth(headers):
    tok = _bearer(headers)
    with _lock:
        if tok in _tokens:
            return None
        if tok:
            _stats["bad_tokens"] += 1
    return _reply({"error": "The access token is invalid"}, 401)


def _mastodon(method, path, query, headers, body, base, feeds_dir):
    if method == "POST" and path == "/api/v1/apps":
        b = _body(body)
        if b.get("redirect_uris") != OOB or b.get("scopes") != "read":
            return _reply({"error": "Validation failed: redirect_uris and scopes read expected"}, 422)
        cid, sec = "cid-" + secrets.token_hex(8), "csecret-" + secrets.token_hex(16)
        with _lock:
            _apps[cid] = sec
            _stats["apps"] += 1
        return _reply({"id": "1", "name": b.get("client_name"), "client_id": cid, "client_secret": sec,
                       "redirect_uri": OOB})
    if method == "POST" and path == "/oauth/token":
        b = _body(body)
        with _lock:
            ok = (b.get("grant_type") == "authorization_code" and b.get("code") == CODE and
                  _apps.get(b.get("client_id")) == b.get("client_secret") and b.get("redirect_uri") == OOB)
            if ok:
                tok = "mtok-" + secrets.token_urlsafe(24)
                _tokens.add(tok)
                _stats["tokens"] += 1
        if not ok:
            return _reply({"error": "invalid_grant",
                           "error_description": "The provided authorization grant is invalid"}, 400)
        return _reply({"access_token": tok, "token_type": "Bearer", "scope": "read", "created_at": int(time.time())})
    if method == "POST" and path == "/oauth/revoke":
        b = _body(body)
        with _lock:
            if b.get("token") in _tokens:
                _tokens.discard(b.get("token"))
                _stats["revoked"] += 1
        return _reply({})
    if path == "/api/v1/timelines/home" and method == "GET":
        # paged like the real one: a Link header with the newer (prev, min_id) and older pages
        refused = _mastodon_auth(headers)
        if refused:
            return refused
        statuses = json.loads(apiroutes._read_fixture(feeds_dir, "mastodon/mastodon.social_timelines_public.json"))
        q = urllib.parse.parse_qs(query)
        if q.get("min_id"):
            with _lock:
                _stats["min_id_requests"] += 1
            newer = [s for s in statuses if int(s["id"]) > int(q["min_id"][0])]
            return _reply(newer)
        link = '<%s/api/v1/timelines/home?max_id=%s>; rel="next", <%s/api/v1/timelines/home?min_id=%s>; rel="prev"' % (
            base, statuses[-1]["id"], base, statuses[0]["id"])
        return apiroutes.Reply(200, JSON, json.dumps(statuses).encode(), headers={"Link": link})
    routes = {
        "/api/v1/timelines/list/42": "mastodon/mastodon.social_timelines_tag_ichbinhanna.json",
        "/api/v1/bookmarks": "mastodon/fosstodon_account_statuses_page5.json",
        "/api/v1/favourites": "mastodon/fosstodon_account_statuses_page5.json",
    }
    if path in routes or path in ("/api/v1/accounts/verify_credentials", "/api/v1/lists", "/api/v1/notifications"):
        refused = _mastodon_auth(headers)
        if refused:
            return refused
        if path in routes:
            return apiroutes.Reply(fixture=routes[path])
        if path == "/api/v1/accounts/verify_credentials":
            return _reply({"id": "7", "username": "tester", "acct": "tester", "display_name": "Tester"})
        if path == "/api/v1/lists":
            return _reply([{"id": "42", "title": "Friends", "replies_policy": "list"}])
        statuses = json.loads(apiroutes._read_fixture(feeds_dir, "mastodon/mastodon.social_timelines_public.json"))
        return _reply([{"id": str(i), "type": "mention", "status": s} for i, s in enumerate(statuses[:5])] +
                      [{"id": "99", "type": "follow", "account": statuses[0]["account"]}])
    return None


def _bsky_access_ok(headers):
    tok = _bearer(headers)
    with _lock:
        exp = _bsky_access.get(tok)
        if tok and exp is None:
            _stats["bad_tokens"] += 1
    if exp is None:
        return _reply({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, 401)
    if exp < time.time():
        return _reply({"error": "ExpiredToken", "message": "Token has expired"}, 400)
    return None


def _session(base, expired):
    acc = _jwt(int(time.time()) + (-100 if expired else 3600), "access")
    ref = _jwt(int(time.time()) + 86400 * 60, "refresh")
    with _lock:
        _bsky_access[acc] = int(time.time()) + (-100 if expired else 3600)
        _bsky_refresh.add(ref)
    return {"accessJwt": acc, "refreshJwt": ref, "handle": "tester.example", "did": DID,
            "didDoc": {"id": DID, "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                                               "serviceEndpoint": base}]}}


def _bluesky(method, path, query, headers, body, base):
    m = path[len("/xrpc/"):]
    if method == "POST" and m == "com.atproto.server.createSession":
        b = _body(body)
        if b.get("identifier") not in ("tester.example", DID) or b.get("password") != APP_PASSWORD:
            return _reply({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, 401)
        with _lock:
            _stats["sessions"] += 1
        return _reply(_session(base, expired=True))
    if method == "POST" and m == "com.atproto.server.refreshSession":
        tok = _bearer(headers)
        with _lock:
            ok = tok in _bsky_refresh
            if ok:
                _bsky_refresh.discard(tok)
                _stats["refreshes"] += 1
        if not ok:
            return _reply({"error": "ExpiredToken", "message": "Token has been revoked"}, 400)
        return _reply(_session(base, expired=False))
    if m in ("app.bsky.feed.getTimeline", "app.bsky.actor.getPreferences") or \
            (m == "app.bsky.feed.getFeed" and _bearer(headers)):
        refused = _bsky_access_ok(headers)
        if m == "app.bsky.actor.getPreferences" and refused and refused.status == 400:
            refused = None   # login reads the preferences with the first (expired) token: be lenient
        if refused:
            return refused
        if m == "app.bsky.actor.getPreferences":
            return _reply({"preferences": [{"$type": "app.bsky.actor.defs#savedFeedsPrefV2", "items": [
                {"type": "timeline", "value": "following", "pinned": True, "id": "1"},
                {"type": "feed", "value": "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.generator/whats-hot",
                 "pinned": True, "id": "2"}]}]})
        if m == "app.bsky.feed.getFeed":
            # posts of authors who self-label !no-unauthenticated: shown to a logged-in reader
            return apiroutes.Reply(fixture="bluesky/getAuthorFeed_andrew.heiss.phd.json")
        return apiroutes.Reply(fixture="bluesky/getTimeline_200_2023.json")
    return None


def route(method, path, query, headers, body, base, feeds_dir):
    """A Reply for a login path, or None."""
    if path == "/_auth/expire":
        with _lock:
            _tokens.clear()
            _bsky_access.clear()
            _bsky_refresh.clear()
        return _reply({"expired": True})
    if path == "/_auth/state":
        with _lock:
            return _reply(dict(_stats, live_tokens=len(_tokens)))
    if path.startswith("/xrpc/"):
        return _bluesky(method, path, query, headers, body, base)
    return _mastodon(method, path, query, headers, body, base, feeds_dir)
