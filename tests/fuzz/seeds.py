#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Seed corpora for the provenance fuzzers, cut from the fixture files at run time (the fixtures
themselves stay outside the project): manifest stores for fuzz_jumbf, claim / signature / assertion
CBOR for fuzz_cbor, XMP packets and small file heads for fuzz_xmp.

usage: seeds.py FIXTURES/provenance OUTDIR"""
import os
import struct
import sys


def stores(b):
    """Manifest stores and XMP packets of a JPEG, PNG or MP4 (enough framing for seeds)."""
    out, xmp = [], []
    if b[:2] == b"\xff\xd8":
        i, cur = 2, b""
        while i + 4 <= len(b) and b[i] == 0xFF and b[i + 1] not in (0xDA, 0xD9):
            m = b[i + 1]
            ln = struct.unpack(">H", b[i + 2:i + 4])[0]
            seg = b[i + 4:i + 2 + ln]
            if m == 0xEB and seg[:2] == b"JP":
                cur += seg[8:] if not cur else seg[16:]
            if m == 0xE1 and seg.startswith(b"http://ns.adobe.com/xap/1.0/\0"):
                xmp.append(seg[29:])
            i += 2 + ln
        if cur:
            out.append(cur)
    elif b[:4] == b"\x89PNG":
        i = 8
        while i + 12 <= len(b):
            ln, t = struct.unpack(">I4s", b[i:i + 8])
            if t == b"caBX":
                out.append(b[i + 8:i + 8 + ln])
            if t == b"IEND":
                break
            i += 12 + ln
    else:
        i = 0
        while i + 8 <= len(b):
            ln, t = struct.unpack(">I4s", b[i:i + 8])
            hdr = 8
            if ln == 1:
                ln = struct.unpack(">Q", b[i + 8:i + 16])[0]
                hdr = 16
            if ln < hdr:
                break
            if t == b"uuid":
                u = b[i + hdr:i + hdr + 16]
                d = b[i + hdr + 16:i + ln]
                if u.hex() == "d8fec3d61b0e483c92975828877ec481":
                    z = d.index(b"\0", 4)
                    out.append(d[z + 1 + 8:])
                elif u.hex() == "be7acfcb97a942e89c71999491e3afac":
                    xmp.append(d)
            i += ln
    return out, xmp


def cbor_boxes(store):
    """Every `cbor` content box's payload in a store (a flat scan is enough for seeds)."""
    res, i = [], 0
    while True:
        i = store.find(b"cbor", i + 1)
        if i < 4:
            return res
        ln = struct.unpack(">I", store[i - 4:i])[0]
        if 8 <= ln <= len(store) - i + 4:
            res.append(store[i + 4:i - 4 + ln])


def main():
    src, out = sys.argv[1], sys.argv[2]
    for d in ("jumbf", "cbor", "xmp"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    n = 0
    for name in sorted(os.listdir(src)):
        p = os.path.join(src, name)
        if not os.path.isfile(p) or name.endswith(".json"):
            continue
        b = open(p, "rb").read()
        st, xm = stores(b)
        for k, s in enumerate(st):
            open(os.path.join(out, "jumbf", "%s.%d.jumbf" % (name, k)), "wb").write(s)
            for j, c in enumerate(cbor_boxes(s)):
                if len(c) < 20000:
                    open(os.path.join(out, "cbor", "%s.%d.%d.cbor" % (name, k, j)), "wb").write(c)
                    n += 1
        for k, x in enumerate(xm):
            open(os.path.join(out, "xmp", "%s.%d.xmp" % (name, k)), "wb").write(x)
        open(os.path.join(out, "xmp", name + ".head"), "wb").write(b[:4096])
    print("seeds: %d cbor items, stores and packets in %s" % (n, out))


if __name__ == "__main__":
    main()
