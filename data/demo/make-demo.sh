#!/bin/sh
# SPDX-License-Identifier: ISC
# Makes the bundled offline demo: three small feeds (RSS 2.0 with Media RSS, Atom, JSON Feed) whose
# thumbnails and clip are relative URLs next to them, so file:// subscriptions work wherever the
# tree lives.  Needs ffmpeg.  The outputs are committed; rerun only to change them.
set -eu
cd "$(dirname "$0")"
for i in 1 2 3 4 5 6; do
  ffmpeg -loglevel error -y -f lavfi -i "testsrc=size=320x180:rate=1:duration=1,hue=h=$((i*60))" \
    -frames:v 1 -q:v 6 "thumb$i.jpg"
done
ffmpeg -loglevel error -y -f lavfi -i "testsrc=size=160x90:rate=10:duration=3" \
  -f lavfi -i "sine=frequency=440:duration=3" -c:v libx264 -preset veryfast -crf 35 -pix_fmt yuv420p \
  -c:a aac -b:a 32k -shortest clip.mp4
