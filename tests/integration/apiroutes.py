# SPDX-License-Identifier: ISC
"""The real API paths of the sources winnow knows, mapped to the captured responses, for the loopback
fixture server (server.py).  A test subscribes to http://127.0.0.1:PORT/@handle, /api/v1/...,
/xrpc/..., /r/NAME/hot.json as it would to the real site, and gets the real bodies back.

Sources with no capture (Hacker News, Invidious, single pages) are served from files the test
generates under --docroot: hn/<list>.json, hn/item/<id>.json, invidious/<name>.json, pages/...

Extras for tests:
  ?_ct=TYPE                   serve the body with that content type instead (wrong-type cases)
  /r/ratelimited/...          429 with Retry-After: 60
  /r/slowN/...                the r/popular capture after 0.3 s, counting parallel requests
  /_stats                     {"max_parallel_slow": N}, the most /r/slow* requests at once
"""

import json
import os
import re
import threading
import time
import urllib.parse

JSON = "application/json; charset=utf-8"

# The account the Mastodon lookup answers with comes from the statuses capture itself.
MASTODON_ACCOUNT_ID = "109302436954721982"
YT_CHANNELS = {"kurzgesagt": "UCsXVk37bltHxD1rDPwtNM8Q", "digitalfoundry": "UC9PBzalIcEQCsiIkq36PyUA"}
YT_FEEDS = {
    "UCsXVk37bltHxD1rDPwtNM8Q": "youtube/kurzgesagt_videos_2026-01.xml",
    "UC9PBzalIcEQCsiIkq36PyUA": "youtube/digitalfoundry_videos.xml",
}
BSKY_ACTORS = {
    "andrew.heiss.phd": "bluesky/getAuthorFeed_andrew.heiss.phd.json",
    "did:plc:2zcfjzyocp6kapg6jc4eacok": "bluesky/getAuthorFeed_andrew.heiss.phd.json",
    "chriskenny.bsky.social": "bluesky/getAuthorFeed_chriskenny.json",
}
BSKY_DIDS = {"andrew.heiss.phd": "did:plc:2zcfjzyocp6kapg6jc4eacok",
             "chriskenny.bsky.social": "did:plc:wpe35pganb6d4pg4ekmfy6u5"}
PEERTUBE_DETAILS = {
    "9c9de5e8-0a1e-484a-b099-e80766180a6d": "peertube/framatube_video_detail_hls_only.json",
    "d2a5ec78-5f85-4090-8ec5-dc1102e022ea": "peertube/peertube.cpy.re_video_detail.json",
}

_lock = threading.Lock()
_slow_now = 0
_slow_max = 0


class Reply:
    def __init__(self, status=200, ctype=JSON, body=b"", headers=None, fixture=None, docfile=None):
        self.status, self.ctype, self.body = status, ctype, body
        self.headers = headers or {}
        self.fixture = fixture      # serve this file of fixtures/feeds (with validators)
        self.docfile = docfile      # serve this file of the docroot


def _json(obj, status=200):
    return Reply(status, JSON, json.dumps(obj).encode())


def _read_fixture(feeds_dir, rel):
    with open(os.path.join(feeds_dir, rel), "rb") as f:
        return f.read()


def _mastodon(path, q, feeds_dir):
    if path == "/api/v1/timelines/public":
        return Reply(fixture="mastodon/mastodon.social_timelines_public.json")
    if path.startswith("/api/v1/timelines/tag/"):
        return Reply(fixture="mastodon/mastodon.social_timelines_tag_ichbinhanna.json")
    if path == "/api/v1/accounts/lookup":
        acct = (q.get("acct") or [""])[0]
        if acct.lower() != "schochastics":
            return _json({"error": "Record not found"}, 404)
        statuses = json.loads(_read_fixture(feeds_dir, "mastodon/fosstodon_account_statuses_page5.json"))
        return _json(statuses[0]["account"])
    m = re.fullmatch(r"/api/v1/accounts/(\d+)/statuses", path)
    if m:
        if m.group(1) != MASTODON_ACCOUNT_ID:
            return _json({"error": "Record not found"}, 404)
        return Reply(fixture="mastodon/fosstodon_account_statuses_page5.json")
    return None


def _bluesky(path, q):
    method = path[len("/xrpc/"):]
    if method == "com.atproto.identity.resolveHandle":
        handle = (q.get("handle") or [""])[0]
        if handle not in BSKY_DIDS:
            return _json({"error": "InvalidRequest", "message": "Unable to resolve handle"}, 400)
        return _json({"did": BSKY_DIDS[handle]})
    if method == "app.bsky.feed.getAuthorFeed":
        actor = (q.get("actor") or [""])[0]
        if actor not in BSKY_ACTORS:
            return _json({"error": "InvalidRequest", "message": "Profile not found"}, 400)
        return Reply(fixture=BSKY_ACTORS[actor])
    if method == "app.bsky.feed.getFeed":
        return Reply(fixture="bluesky/getTimeline_200_2023.json")
    if method == "app.bsky.feed.getListFeed":
        return Reply(fixture="bluesky/getAuthorFeed_chriskenny.json")
    if method == "app.bsky.feed.searchPosts":
        return Reply(fixture="bluesky/searchPosts_rstats.json")
    return _json({"error": "MethodNotImplemented", "message": "Method Not Implemented"}, 501)


def _reddit(path):
    global _slow_now, _slow_max
    m = re.fullmatch(r"/r/([^/]+)(?:/(hot|new|top|rising))?\.json", path) or \
        re.fullmatch(r"/r/([^/]+)/(hot|new|top|rising)\.json", path)
    if not m and re.fullmatch(r"/(hot|new|top|rising)\.json", path):
        return Reply(fixture="reddit/front_hot_oauth_2020.json")
    if not m:
        return None
    sub = m.group(1).lower()
    if sub == "ratelimited":
        return Reply(429, "text/plain; charset=utf-8", b"Too Many Requests\n", {"Retry-After": "60"})
    if sub.startswith("slow"):
        with _lock:
            _slow_now += 1
            _slow_max = max(_slow_max, _slow_now)
        time.sleep(0.3)
        with _lock:
            _slow_now -= 1
        return Reply(fixture="reddit/r_popular_hot_oauth_2026.json")
    if sub == "all":
        return Reply(fixture="reddit/r_all_hot_json_2019.json")
    if sub == "popular":
        return Reply(fixture="reddit/r_popular_hot_oauth_2026.json")
    return Reply(fixture="reddit/front_hot_oauth_2020.json")


def _peertube(path):
    if path == "/api/v1/videos" or re.fullmatch(r"/api/v1/(video-channels|accounts)/[^/]+/videos", path):
        return Reply(fixture="peertube/framatube_videos_trending.json")
    if path == "/api/v1/search/videos":
        return Reply(fixture="peertube/framatube_search_videos_fsf.json")
    m = re.fullmatch(r"/api/v1/videos/([0-9a-f-]+)", path)
    if m:
        rel = PEERTUBE_DETAILS.get(m.group(1))
        if not rel:
            return _json({"type": "about:blank", "title": "Not Found", "detail": "Video not found", "status": 404}, 404)
        return Reply(fixture=rel)
    return None


def _youtube(path, q):
    if path == "/feeds/videos.xml":
        cid = (q.get("channel_id") or [""])[0]
        user = (q.get("user") or [""])[0].lower()
        rel = YT_FEEDS.get(cid) or YT_FEEDS.get(YT_CHANNELS.get(user, ""))
        return Reply(fixture=rel) if rel else None
    m = re.fullmatch(r"/@([A-Za-z0-9_.-]+)", path)
    if m:
        cid = YT_CHANNELS.get(m.group(1).lower())
        if not cid:
            return None
        # the parts of a channel page that carry its id, padded the way real pages are
        page = ('<!DOCTYPE html><html lang="en"><head><title>%s - YouTube</title>'
                '<link rel="canonical" href="https://www.youtube.com/channel/%s">'
                '<meta itemprop="channelId" content="%s"></head><body>%s</body></html>'
                % (m.group(1), cid, cid, "<script>var ytInitialData = {};</script>" * 2000))
        return Reply(200, "text/html; charset=utf-8", page.encode())
    return None


def _docroot(path, q):
    """Hacker News and Invidious, from files the test generated."""
    m = re.fullmatch(r"/v0/(\w+)\.json", path)
    if m:
        return Reply(docfile="hn/%s.json" % m.group(1))
    m = re.fullmatch(r"/v0/item/(\d+)\.json", path)
    if m:
        return Reply(docfile="hn/item/%s.json" % m.group(1))
    if path in ("/api/v1/popular", "/api/v1/trending"):
        return Reply(docfile="invidious/popular.json")
    m = re.fullmatch(r"/api/v1/channels/(UC[\w-]{22})(?:/videos)?", path)
    if m:
        return Reply(docfile="invidious/channel.json")
    if path == "/api/v1/resolveurl":
        url = (q.get("url") or [""])[0]
        name = url.rstrip("/").rsplit("/", 1)[-1].lstrip("@").lower()
        if name not in YT_CHANNELS:
            return _json({"error": "Could not resolve URL"}, 400)
        return _json({"ucid": YT_CHANNELS[name], "pageType": "WEB_PAGE_TYPE_CHANNEL"})
    return None


def route(path, query, feeds_dir):
    """A Reply for an API path, or None when the path is none of these."""
    q = urllib.parse.parse_qs(query)
    if path == "/_stats":
        with _lock:
            return _json({"max_parallel_slow": _slow_max})
    reply = None
    if path.startswith("/xrpc/"):
        reply = _bluesky(path, q)
    elif path.startswith("/api/v3/post/list"):
        reply = Reply(fixture="lemmy/post_list_v3_test_instance.json")
    else:
        for fn in (lambda: _mastodon(path, q, feeds_dir), lambda: _reddit(path), lambda: _peertube(path),
                   lambda: _youtube(path, q), lambda: _docroot(path, q)):
            reply = fn()
            if reply:
                break
    if reply and q.get("_ct"):
        reply.ctype = q["_ct"][0]
        reply.headers["X-Content-Type-Override"] = "1"
    return reply
