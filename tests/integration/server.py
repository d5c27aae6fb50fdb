#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Loopback HTTP/1.1 fixture server for winnow's tests.

Binds 127.0.0.1 only, on a free port that it writes to --port-file, and stops by itself after
--lifetime seconds or on SIGTERM, so a crashed test never leaves it behind for long.

Routes:
  /f/<rel>              fixture $WINNOW_FIXTURES/feeds/<rel> (or --fixtures DIR/feeds/<rel>), with
                        the content type of its directory (malformed/: status and type from
                        manifest.json, first entry for the file), a strong ETag, Last-Modified,
                        304 for If-None-Match / If-Modified-Since, and "Range: bytes=A-B" (206)
  /d/<rel>              the same from --docroot DIR (data a test generated); ?delay=S waits S s;
                        ?type=T serves it as content type T (a charset parameter, say);
                        ?location=L sends Content-Location: L
  /gzip/<rel>           the fixture gzip-encoded when the client accepts gzip
  /as/<type>/<rel>      the fixture served as <type> (URL-encoded), e.g. the manifest's reuse
                        cases or the real YouTube 404 page served as a 200 Atom feed
  /status/<code>        that status with a short text body; Retry-After: 2 on 429 and 503
  /redirect/<n>         302 to /redirect/<n-1> ... ending at /f/atom/theverge.atom.xml
  /redirect-loop        302 to itself, forever
  /redirect-file        302 to file:///etc/passwd
  /slow                 headers, then one byte per second until the client leaves
  /reset                announces 100000 bytes, sends 1000, then resets the connection (RST)
  /big-chunked?mb=N     N MiB (default 20) of XML-looking text, chunked
  /empty                200 with an empty body
  /retry/<code>?after=S that status with Retry-After: S (default 60)
  /gzip-bomb            an RSS-typed, gzip-encoded body of 1 KiB that inflates to 1 GiB of zeros
  /churn?n=N            an RSS feed of N items (default 5) whose guids stay and whose titles and
                        bodies change on every request
  /_log, /_reset_log    the requests seen so far as JSON, and clearing that list
  http://HOST/...       as an HTTP proxy: real sites' hosts from --docroot DIR/sites/HOST (siteroutes.py)
  logins                Mastodon OAuth and Bluesky sessions, with state (see authroutes.py)
  API paths             the real paths of YouTube, Mastodon, Bluesky, Reddit, PeerTube, Lemmy,
                        Hacker News and Invidious, mapped to the captures (see apiroutes.py)
  anything else         404 with YouTube's real 404 page as body
"""

import argparse
import email.utils
import gzip
import hashlib
import io
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import apiroutes
import authroutes
import siteroutes

TYPES_BY_DIR = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml; charset=UTF-8",
    "youtube": "application/atom+xml; charset=UTF-8",
    "jsonfeed": "application/feed+json",
    "mastodon": "application/json; charset=utf-8",
    "bluesky": "application/json; charset=utf-8",
    "reddit": "application/json; charset=utf-8",
    "peertube": "application/json; charset=utf-8",
    "lemmy": "application/json; charset=utf-8",
}

TYPES_BY_EXT = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml; charset=UTF-8",
    ".xml": "application/xml",
    ".json": "application/json; charset=utf-8",
    ".html": "text/html; charset=UTF-8",
    ".txt": "text/plain; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".mp4": "video/mp4",
}

stop_event = threading.Event()
log_lock = threading.Lock()
request_log = []
churn_count = 0
cache_lock = threading.Lock()
file_cache = {}  # path -> (mtime_ns, size, body, etag)


class Config:
    fixtures = None   # .../fixtures/feeds
    docroot = None
    manifest = {}     # malformed file name -> serve dict
    not_found_body = b"<html><body>404 Not Found</body></html>\n"
    verbose = False


def load_manifest(feeds_dir):
    serve = {}
    try:
        with open(os.path.join(feeds_dir, "malformed", "manifest.json"), encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError):
        return serve
    for case in m.get("cases", []):
        name = case.get("file")
        if name and name not in serve and isinstance(case.get("serve"), dict):
            serve[name] = case["serve"]
    return serve


def safe_join(root, rel):
    """Path of rel under root, or None when rel would leave root."""
    if root is None:
        return None
    rel = urllib.parse.unquote(rel)
    if "\0" in rel:
        return None
    full = os.path.realpath(os.path.join(root, rel))
    base = os.path.realpath(root)
    if full != base and not full.startswith(base + os.sep):
        return None
    return full


def read_cached(path):
    """(body, etag, mtime) of a file; bodies are cached so hundreds of parallel fetches stay cheap."""
    st = os.stat(path)
    with cache_lock:
        hit = file_cache.get(path)
        if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
            return hit[2], hit[3], st.st_mtime
    with open(path, "rb") as f:
        body = f.read()
    etag = '"%s"' % hashlib.sha1(body).hexdigest()
    with cache_lock:
        file_cache[path] = (st.st_mtime_ns, st.st_size, body, etag)
    return body, etag, st.st_mtime


def type_for(rel, path):
    parts = rel.strip("/").split("/")
    if len(parts) > 1 and parts[0] == "malformed":
        s = Config.manifest.get(parts[-1])
        if s:
            return s.get("status", 200), s.get("content_type", "application/octet-stream")
    if len(parts) > 1 and parts[0] in TYPES_BY_DIR:
        return 200, TYPES_BY_DIR[parts[0]]
    ext = os.path.splitext(path)[1].lower()
    return 200, TYPES_BY_EXT.get(ext, "application/octet-stream")


def etag_matches(header, etag):
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == etag:
            return True
    return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "winnow-test-server/1"
    # Headers and body leave in separate writes; with Nagle on, each response would wait for the
    # client's delayed ACK (40 ms on Linux) on a kept-alive connection.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if Config.verbose:
            sys.stderr.write("server: " + (fmt % args) + "\n")

    # -- helpers ---------------------------------------------------------------------------------

    def base_url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def send_body(self, status, ctype, body, extra=None):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if status == 304 or status == 204 or status < 200:
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def not_found(self):
        self.send_body(404, "text/html; charset=UTF-8", Config.not_found_body)

    def serve_file(self, root, rel, ctype=None, status=None, gzip_ok=False, location=None):
        path = safe_join(root, rel)
        if path is None or not os.path.isfile(path):
            return self.not_found()
        body, etag, mtime = read_cached(path)
        st, ct = type_for(rel, path)
        if ctype is not None:
            st, ct = 200, ctype
        if status is not None:
            st = status
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        headers = {"Last-Modified": last_modified}
        if location:
            headers["Content-Location"] = location

        encoded = gzip_ok and "gzip" in (self.headers.get("Accept-Encoding") or "")
        if encoded:
            body = gzip.compress(body, mtime=0)
            etag = etag[:-1] + '-gz"'
            headers["Content-Encoding"] = "gzip"
        if gzip_ok:
            headers["Vary"] = "Accept-Encoding"
        headers["ETag"] = etag

        if st == 200:
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            fresh = False
            if inm is not None:
                fresh = etag_matches(inm, etag)
            elif ims is not None:
                try:
                    since = email.utils.parsedate_to_datetime(ims).timestamp()
                    fresh = int(mtime) <= since
                except (TypeError, ValueError, IndexError, OverflowError):
                    fresh = False
            if fresh:
                return self.send_body(304, None, b"", headers)

            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes=") and not encoded:
                spec = rng[6:].split(",")[0].strip()
                a, _, b = spec.partition("-")
                try:
                    start = int(a) if a else max(0, len(body) - int(b))
                    end = int(b) if (a and b) else len(body) - 1
                except ValueError:
                    start, end = 0, len(body) - 1
                if start >= len(body):
                    headers["Content-Range"] = "bytes */%d" % len(body)
                    return self.send_body(416, "text/plain", b"range not satisfiable\n", headers)
                end = min(end, len(body) - 1)
                headers["Content-Range"] = "bytes %d-%d/%d" % (start, end, len(body))
                return self.send_body(206, ct, body[start:end + 1], headers)
        self.send_body(st, ct, body, headers)

    # -- routes ----------------------------------------------------------------------------------

    def route_slow(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        text = b'<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title>'
        i = 0
        try:
            while not stop_event.is_set():
                self.wfile.write(text[i % len(text):i % len(text) + 1])
                self.wfile.flush()
                i += 1
                if stop_event.wait(1.0):
                    break
        except OSError:
            pass

    def route_reset(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.write(b"<" + b"x" * 999)
            self.wfile.flush()
            time.sleep(0.05)
            # SO_LINGER with a zero timeout turns close() into a reset instead of an orderly FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        except OSError:
            pass
        # The fd closes only when the socket's file objects are gone too; the handler's epilogue
        # then flushes and closes harmless stand-ins instead.
        for f in (self.rfile, self.wfile):
            try:
                f.close()
            except OSError:
                pass
        self.rfile, self.wfile = io.BytesIO(), io.BytesIO()
        try:
            self.connection.close()
        except OSError:
            pass

    def route_big_chunked(self, query):
        try:
            mb = float(query.get("mb", ["20"])[0])
        except ValueError:
            mb = 20
        total = int(mb * 1024 * 1024)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        head = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>big</title>\n'
        items = []
        n = 0
        while sum(len(x) for x in items) < 60000:
            items.append(b"<item><title>Item %d</title><description>Lorem ipsum dolor sit amet, "
                         b"consectetur adipiscing elit.</description></item>\n" % n)
            n += 1
        block = b"".join(items)

        def chunk(data):
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")

        try:
            sent = 0
            chunk(head)
            sent += len(head)
            while sent < total and not stop_event.is_set():
                part = block[:total - sent]
                chunk(part)
                sent += len(part)
            chunk(b"</channel></rss>\n")
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True

    def route_retry(self, code, query):
        try:
            code = int(code)
            after = str(int(query.get("after", ["60"])[0]))
        except ValueError:
            return self.not_found()
        return self.send_body(code, "text/plain; charset=utf-8", b"busy\n", {"Retry-After": after})

    def route_gzip_bomb(self):
        # Deflate blocks ended by a full flush start from an empty state, so one compressed MiB of
        # zeros can be repeated; the trailer's CRC and size are those of the whole GiB.
        mib = 1 << 20
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = c.compress(b"\0" * mib) + c.flush(zlib.Z_FULL_FLUSH)
        tail = c.flush(zlib.Z_FINISH)
        crc = 0
        zeros = b"\0" * mib
        for _ in range(1024):
            crc = zlib.crc32(zeros, crc)
        head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
        trailer = struct.pack("<II", crc & 0xFFFFFFFF, (1024 * mib) & 0xFFFFFFFF)
        total = len(head) + 1024 * len(block) + len(tail) + len(trailer)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        try:
            self.wfile.write(head)
            for _ in range(1024):
                self.wfile.write(block)
            self.wfile.write(tail + trailer)
        except OSError:
            pass

    def route_churn(self, query):
        global churn_count
        with log_lock:
            churn_count += 1
            k = churn_count
        try:
            n = max(1, min(int(query.get("n", ["5"])[0]), 10000))
        except ValueError:
            n = 5
        items = "".join(
            "<item><guid isPermaLink=\"false\">churn-%d</guid><title>item %d version %d</title>"
            "<link>http://example.invalid/%d</link><description>body %d of version %d</description>"
            "<pubDate>Mon, 0%d Jan 2024 10:00:00 GMT</pubDate></item>" % (i, i, k, i, i, k, 1 + i % 9)
            for i in range(n))
        body = ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>churn</title>"
                "<link>http://example.invalid/</link>%s</channel></rss>" % items).encode()
        self.send_body(200, "application/rss+xml", body, {"Cache-Control": "no-store"})

    def route_log(self):
        with log_lock:
            body = json.dumps(request_log).encode()
        self.send_body(200, "application/json", body)

    def record(self, path):
        entry = {
            "path": path,
            "if_none_match": self.headers.get("If-None-Match"),
            "if_modified_since": self.headers.get("If-Modified-Since"),
            "user_agent": self.headers.get("User-Agent"),
            "accept_encoding": self.headers.get("Accept-Encoding"),
            "range": self.headers.get("Range"),
            # whether a token came, never which
            "authorization": bool(self.headers.get("Authorization")),
            "method": self.command,
        }
        with log_lock:
            request_log.append(entry)

    def do_GET(self):
        if self.path.startswith("http://"):
            # a proxied request for a real site's host: answered from DOCROOT/sites (siteroutes.py)
            self.record(self.path)
            got = siteroutes.route(self, Config.docroot)
            if got:
                return self.send_body(*got)
            return self.not_found()
        parts = urllib.parse.urlsplit(self.path)
        path = parts.path
        query = urllib.parse.parse_qs(parts.query)
        if path == "/_log":
            return self.route_log()
        if path == "/_reset_log":
            with log_lock:
                request_log.clear()
            return self.send_body(200, "text/plain", b"ok\n")
        self.record(self.path)

        reply = authroutes.route(self.command, path, parts.query, self.headers, None, self.base_url(),
                                 Config.fixtures)
        if reply:
            return self.send_reply(reply)
        if path.startswith("/f/"):
            return self.serve_file(Config.fixtures, path[3:])
        if path.startswith("/d/"):
            # ?delay=SECONDS: a slow picture, for tests that keep typing while it loads
            try:
                time.sleep(min(max(float((query.get("delay") or ["0"])[0]), 0), 10))
            except ValueError:
                pass
            t, loc = query.get("type"), query.get("location")
            return self.serve_file(Config.docroot, path[3:], ctype=t[0] if t else None,
                                   location=loc[0] if loc else None)
        if path.startswith("/gzip/"):
            return self.serve_file(Config.fixtures, path[6:], gzip_ok=True)
        if path.startswith("/as/"):
            ctype, _, rel = path[4:].partition("/")
            return self.serve_file(Config.fixtures, rel, ctype=urllib.parse.unquote(ctype))
        if path.startswith("/status/"):
            try:
                code = int(path[8:])
                if not 100 <= code <= 599:
                    raise ValueError
            except ValueError:
                return self.not_found()
            extra = {"Retry-After": "2"} if code in (429, 503) else {}
            return self.send_body(code, "text/plain; charset=utf-8",
                                  b"status %d\n" % code, extra)
        if path.startswith("/fail/"):
            # /fail/CODE/REL: a docroot file as the body of an HTTP error (an API's JSON reason)
            code, _, rel = path[6:].partition("/")
            try:
                return self.serve_file(Config.docroot, rel, status=int(code))
            except ValueError:
                return self.not_found()
        if path.startswith("/redirect/"):
            try:
                n = int(path[10:])
            except ValueError:
                return self.not_found()
            target = "/redirect/%d" % (n - 1) if n > 1 else "/f/atom/theverge.atom.xml"
            return self.send_body(302, "text/plain", b"moved\n",
                                  {"Location": self.base_url() + target})
        if path == "/redirect-loop":
            return self.send_body(302, "text/plain", b"moved\n",
                                  {"Location": self.base_url() + "/redirect-loop"})
        if path == "/redirect-file":
            return self.send_body(302, "text/plain", b"moved\n",
                                  {"Location": "file:///etc/passwd"})
        if path == "/slow":
            return self.route_slow()
        if path == "/reset":
            return self.route_reset()
        if path == "/big-chunked":
            return self.route_big_chunked(query)
        if path == "/empty":
            return self.send_body(200, "application/rss+xml", b"")
        if path.startswith("/retry/"):
            return self.route_retry(path[7:], query)
        if path == "/gzip-bomb":
            return self.route_gzip_bomb()
        if path == "/churn":
            return self.route_churn(query)
        reply = apiroutes.route(path, parts.query, Config.fixtures)
        if reply:
            return self.send_reply(reply)
        return self.not_found()

    def send_reply(self, r):
        override = r.ctype if "X-Content-Type-Override" in r.headers else None
        if r.fixture:
            return self.serve_file(Config.fixtures, r.fixture, ctype=override)
        if r.docfile:
            return self.serve_file(Config.docroot, r.docfile, ctype=override or apiroutes.JSON)
        headers = {k: v for k, v in r.headers.items() if k != "X-Content-Type-Override"}
        return self.send_body(r.status, r.ctype, r.body, headers)

    do_HEAD = do_GET

    def do_POST(self):
        """The login flows (authroutes.py); anything else is 404."""
        parts = urllib.parse.urlsplit(self.path)
        self.record(self.path)
        try:
            n = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
        except ValueError:
            n = 0
        body = self.rfile.read(n) if n else b""
        reply = authroutes.route("POST", parts.path, parts.query, self.headers, body, self.base_url(),
                                 Config.fixtures)
        if reply:
            return self.send_reply(reply)
        return self.not_found()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # Clients hanging up mid-response are part of the tests, not failures of the server.
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError) and not Config.verbose:
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description="loopback fixture server for winnow's tests")
    ap.add_argument("--port-file", required=True, help="file to write the chosen port to")
    ap.add_argument("--fixtures", help="fixtures root (default $WINNOW_FIXTURES)")
    ap.add_argument("--docroot", help="directory served under /d/")
    ap.add_argument("--lifetime", type=float, default=300, help="seconds before stopping")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    root = args.fixtures or os.environ.get("WINNOW_FIXTURES") or "../shared/fixtures"
    Config.fixtures = os.path.join(root, "feeds")
    Config.docroot = args.docroot
    Config.verbose = args.verbose
    Config.manifest = load_manifest(Config.fixtures)
    try:
        with open(os.path.join(Config.fixtures, "malformed", "youtube_feed_404_real.html"),
                  "rb") as f:
            Config.not_found_body = f.read()
    except OSError:
        pass

    srv = Server(("127.0.0.1", 0), Handler)
    port = srv.server_address[1]

    def stop(*_):
        if not stop_event.is_set():
            stop_event.set()
            # shutdown() waits for serve_forever, which runs in this very thread: hand it over.
            threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    timer = threading.Timer(args.lifetime, stop)
    timer.daemon = True
    timer.start()

    # Written whole under a temporary name so that a waiting test never reads half a number.
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, args.port_file)

    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
