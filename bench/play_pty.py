#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Runs a command in a pseudo-terminal of a given size and measures what it writes.

usage: play_pty.py [--cols N] [--rows N] [--press S:K] [--keys T:K,...] [--window A:B]
                   [--dump FILE] -- command...

Prints one JSON object: ms from exec (or from the --press keystroke, sent S seconds after exec) to
the first video frame (the first cell tct draws: an SGR 48;2 or 48;5 colour), total bytes, bytes/s
between --window seconds after the first frame, the number of truecolour and 256-colour cells, and
the exit status.  --keys sends keystrokes at seconds after the first frame ("1.5:b,3:q").
"""
import argparse
import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time

FRAME = re.compile(rb"\x1b\[48;[25];")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--keys", default="")
    ap.add_argument("--press", default="")
    ap.add_argument("--window", default="")
    ap.add_argument("--dump")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    keys = []
    for part in filter(None, a.keys.split(",")):
        t, _, k = part.partition(":")
        keys.append((float(t), k.encode().decode("unicode_escape").encode()))

    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        # the child's terminal has its final size before the program looks at it
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", a.rows, a.cols, 0, 0))
        os.execvp(cmd[0], cmd)
    chunks = []            # (seconds since exec, bytes)
    first = None
    scan = b""
    press_at, press_key, pressed = None, b"", None
    if a.press:
        t, _, k = a.press.partition(":")
        press_at, press_key = float(t), k.encode().decode("unicode_escape").encode()
    while True:
        now = time.monotonic() - t0
        if now > a.timeout:
            os.kill(pid, 9)
            break
        if press_at is not None and pressed is None and now >= press_at:
            pressed = time.monotonic() - t0
            os.write(fd, press_key)
        if first is not None:
            while keys and now - first >= keys[0][0]:
                os.write(fd, keys.pop(0)[1])
        r, _, _ = select.select([fd], [], [], 0.01)
        if not r:
            continue
        try:
            d = os.read(fd, 1 << 16)
        except OSError:
            break
        if not d:
            break
        now = time.monotonic() - t0
        chunks.append((now, d))
        if first is None and (press_at is None or pressed is not None):
            scan = scan[-16:] + d
            if FRAME.search(scan):
                first = now
    _, status = os.waitpid(pid, 0)
    total = sum(len(d) for _, d in chunks)
    since = pressed or 0.0
    out = {"first_frame_ms": None if first is None else round((first - since) * 1000, 1),
           "bytes": total,
           "status": os.waitstatus_to_exitcode(status)}
    if first is not None and a.window:
        lo, _, hi = a.window.partition(":")
        lo, hi = first + float(lo), first + float(hi)
        n = sum(len(d) for t, d in chunks if lo <= t < hi)
        out["bytes_per_s"] = round(n / (hi - lo))
    allb = b"".join(d for _, d in chunks)
    out["truecolour_cells"] = allb.count(b"\x1b[48;2;")
    out["c256_cells"] = allb.count(b"\x1b[48;5;")
    if a.dump:
        with open(a.dump, "wb") as f:
            f.write(allb)
        with open(a.dump + ".times", "w") as f:
            for t, d in chunks:
                f.write("%.4f %d %d %d\n" % (t, len(d), d.count(b"\x1b[48;2;"), d.count(b"\x1b[48;5;")))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
