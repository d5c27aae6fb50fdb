#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Drives a terminal program through a pseudo-terminal and measures what a user over SSH feels:
the time from exec to the first full frame, the bytes written for a one-line cursor move, a
one-line scroll and a page down, the CPU used while idle, and the program's peak RSS.

usage: tui_pty.py --ready TEXT [--cols 80] [--rows 24] [--down KEYS] [--open KEYS]
                  [--env K=V ...] -- COMMAND ARGS...

--ready    text that appears once the first frame with the list is on the screen
--down     what to send for "one line down" (default j); \\e and \\r are understood
--page     what to send for "one page down" (default ^F); each page's bytes are measured
--open     keys to send before measuring (e.g. to open a feed), then wait for quiet
--search   text to type after "/" once the rest is measured: prints search_ms, from the keys to
           the last byte of the redraw; --found, when given, must be on the screen by then
Prints one line of key=value figures.  A frame is "full" when the ready text has arrived and the
output has then been quiet for 150 ms; its time is that of the last byte before the quiet.
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time


def unescape(s):
    return s.replace("\\e", "\x1b").replace("\\r", "\r").replace("\\n", "\n").encode()


class Pty:
    def __init__(self, argv, cols, rows, env):
        self.t0 = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.buf = bytearray()
        self.last = self.t0

    def read_some(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return 0
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return -1
        if not data:
            return -1
        self.buf += data
        self.last = time.monotonic()
        return len(data)

    def wait_for(self, needle, timeout=120):
        end = time.monotonic() + timeout
        while needle not in self.buf:
            if time.monotonic() > end or self.read_some(0.5) < 0:
                raise SystemExit(f"timed out waiting for {needle!r}; got {bytes(self.buf[-400:])!r}")

    def quiet(self, ms=150):
        """Reads until nothing arrives for ms; returns the bytes read meanwhile."""
        n = 0
        while True:
            k = self.read_some(ms / 1000)
            if k <= 0:
                return n
            n += k

    def send(self, b):
        os.write(self.fd, b)

    def cpu_ticks(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])   # utime + stime

    def peak_rss_kb(self):
        """VmHWM: the most resident memory the program has had so far."""
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        end = time.monotonic() + 3
        while time.monotonic() < end:
            if self.read_some(0.1) < 0:
                break
            p, _ = os.waitpid(self.pid, os.WNOHANG)
            if p:
                return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ready", required=True)
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--rows", type=int, default=24)
    ap.add_argument("--down", default="j")
    ap.add_argument("--page", default="\x06")
    ap.add_argument("--open", default="")
    ap.add_argument("--open-ready", default="")
    ap.add_argument("--moves", type=int, default=9)
    ap.add_argument("--idle", type=float, default=3.0)
    ap.add_argument("--list-rows", type=int, default=0, help="visible list rows (0: rows - 3)")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--search", default="")
    ap.add_argument("--found", default="")
    ap.add_argument("--search-quiet", type=int, default=2000, help="ms of quiet that end a search")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    env = dict(os.environ)
    for kv in a.env:
        k, v = kv.split("=", 1)
        env[k] = v
    env.setdefault("TERM", "xterm-256color")

    p = Pty(cmd, a.cols, a.rows, env)
    p.wait_for(a.ready.encode())
    p.quiet(150)
    first_ms = (p.last - p.t0) * 1000
    first_bytes = len(p.buf)
    down = unescape(a.down)
    if a.open:
        p.send(unescape(a.open))
        if a.open_ready:
            p.buf.clear()
            p.wait_for(a.open_ready.encode())
        p.quiet(300)

    # one-line cursor moves within the screen
    moves = []
    for _ in range(a.moves):
        p.send(down)
        moves.append(p.quiet(120))
    # reach the bottom row, then each further move scrolls the list by one line
    rows = a.list_rows or a.rows - 3
    for _ in range(rows):
        p.send(down)
        p.quiet(60)
    scrolls = []
    for _ in range(a.moves):
        p.send(down)
        scrolls.append(p.quiet(120))

    # a page down each: what scrolling by pages costs (a screen of new rows from the store)
    pages = []
    for _ in range(a.moves):
        p.send(unescape(a.page))
        pages.append(p.quiet(120))

    time.sleep(0.3)
    c0 = p.cpu_ticks()
    time.sleep(a.idle)
    c1 = p.cpu_ticks()
    hz = os.sysconf("SC_CLK_TCK")
    search = ""
    if a.search:
        # typed in one go, as a fast typist would: every key searches again (incremental), so
        # the time runs to the last byte of the last redraw (--search-quiet ends it)
        p.send(b"g")          # from the top, wherever the reader left the cursor last time
        p.quiet(300)
        p.buf.clear()
        t = time.monotonic()
        p.last = t
        p.send(b"/" + a.search.encode() + b"\r")
        p.quiet(a.search_quiet)
        if a.found and a.found.encode() not in p.buf:
            raise SystemExit(f"search: {a.found!r} never shown; got {bytes(p.buf[-400:])!r}")
        search = f" search_ms={(p.last - t) * 1000:.0f}"
    rss = p.peak_rss_kb()
    p.stop()
    print(f"first_frame_ms={first_ms:.1f} first_frame_bytes={first_bytes} "
          f"move_bytes={int(statistics.median(moves))} move_max={max(moves)} "
          f"scroll_bytes={int(statistics.median(scrolls))} scroll_max={max(scrolls)} "
          f"page_bytes={int(statistics.median(pages))} page_max={max(pages)} peak_rss_kb={rss} "
          f"idle_cpu_ms={(c1 - c0) * 1000 / hz:.0f} idle_s={a.idle:g}{search}")


if __name__ == "__main__":
    main()
