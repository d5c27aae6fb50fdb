# SPDX-License-Identifier: ISC
"""Real sites' hosts, served from the loopback: the fixture server doubles as the HTTP proxy a test
points winnow (and yt-dlp) at, so `winnow add http://sora.chatgpt.com/p/s_...` reaches this server
and nothing else.  A proxied request (absolute URL in the request line) is answered from
DOCROOT/sites/<host><path> (a query string is ignored): a file named ...status holding a number
gives that status instead of 200; the type is JSON under /backend/, RSS for paths ending in /rss,
by extension for media, HTML otherwise.  A file with a sibling named ...2 answers with that
sibling from its second request on (a post whose signed URLs were renewed).  Sora's post API also checks what the real one cares
about: without Accept: application/json, the Origin and the Referer of the share page it answers
403 with a challenge page, as the bot protection does.
"""

import os
import threading
import urllib.parse

_served = set()   # paths answered once: a file with a ".2" sibling answers with that next time
_lock = threading.Lock()

TYPES = {".mp4": "video/mp4", ".jpg": "image/jpeg", ".png": "image/png", ".json": "application/json"}
CHALLENGE = (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
             b"<body>Checking your browser</body></html>")


def route(handler, docroot):
    """(status, ctype, body) for a proxied request, or None when the host serves nothing here."""
    parts = urllib.parse.urlsplit(handler.path)
    host, path = parts.hostname or "", parts.path or "/"
    if not docroot or ".." in path or "/" in host:
        return None
    f = os.path.join(docroot, "sites", host, path.lstrip("/"))
    if os.path.isdir(f):
        f = os.path.join(f, "index.html")
    if path.startswith("/backend/project_y/post/"):
        pid = path.rsplit("/", 1)[-1]
        want = {"Accept": "application/json", "Origin": "%s://%s" % (parts.scheme, parts.netloc),
                "Referer": "%s://%s/p/%s" % (parts.scheme, parts.netloc, pid)}
        if any(handler.headers.get(k) != v for k, v in want.items()):
            return 403, "text/html; charset=utf-8", CHALLENGE
    if os.path.isfile(f + ".status"):
        status = int(open(f + ".status").read().strip())
        return status, "text/html; charset=utf-8", CHALLENGE
    with _lock:
        if os.path.isfile(f + ".2") and f in _served:
            f = f + ".2"
        _served.add(f)
    if not os.path.isfile(f):
        return 404, "text/html; charset=utf-8", b"<html><body>not found</body></html>"
    ext = os.path.splitext(f[:-2] if f.endswith(".2") else f)[1]
    if "/backend/" in path:
        ctype = "application/json"
    elif path.endswith("/rss"):
        ctype = "application/rss+xml; charset=utf-8"
    else:
        ctype = TYPES.get(ext, "text/html; charset=utf-8")
    with open(f, "rb") as fh:
        return 200, ctype, fh.read()
