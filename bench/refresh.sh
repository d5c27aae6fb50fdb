#!/bin/bash
# SPDX-License-Identifier: ISC
# Refresh benchmark: N feeds x 30 items (non-ASCII titles) served by nginx on a loopback port.
# Times `winnow refresh` cold (fresh database) and warm (every feed answers 304), with peak RSS,
# beside the fetch-only floor (curl --parallel) and newsboat when it is installed.
# A second set of the same feeds gives every item a media:thumbnail (N x 30 small JPEGs on the same
# nginx) and times the refresh with its provenance scans of them, as `winnow refresh` does by
# default.
# usage: bench/refresh.sh [N] (default 300); WINNOW_BIN=path/to/winnow
set -eu
N=${1:-300}
ITEMS=30
RUNS=${RUNS:-5}
WINNOW_BIN=${WINNOW_BIN:-./winnow}
command -v nginx >/dev/null || { echo "bench: nginx is needed (apt-get install nginx-light)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)"; exit 1; }
B=$(mktemp -d /tmp/winnow-bench.XXXXXX)
trap 'kill $(cat "$B/nginx.pid" 2>/dev/null) 2>/dev/null; rm -rf "$B"' EXIT
mkdir -p "$B/www" "$B/logs"

python3 - "$B/www" "$N" "$ITEMS" <<'PY'
import sys
d, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
words = ["Zürich", "naïve", "東京", "café", "Ελλάδα", "Москва", "smörgåsbord", "🎬", "déjà vu", "İstanbul"]
for f in range(n):
    items = []
    for i in range(k):
        t = f"{words[(f + i) % len(words)]} — story {i} of feed {f} about {words[(f * i) % len(words)]}"
        items.append(f"<item><title>{t}</title><link>https://example.org/{f}/{i}</link>"
                     f"<guid>https://example.org/{f}/{i}</guid><pubDate>Mon, 23 Nov 2026 {i % 24:02d}:{f % 60:02d}:00 +0000</pubDate>"
                     f"<description>&lt;p&gt;A paragraph about {t}, with &lt;b&gt;markup&lt;/b&gt; and a "
                     f"&lt;a href='https://example.org'&gt;link&lt;/a&gt;.&lt;/p&gt;</description></item>")
    open(f"{d}/feed{f}.xml", "w").write(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed {f} {words[f % len(words)]}</title>'
        f'<link>https://example.org/{f}</link>{"".join(items)}</channel></rss>')
    pics = [it.replace("</item>", f'<media:thumbnail url="PICBASE/t{f}-{i}.jpg"/></item>') for i, it in enumerate(items)]
    open(f"{d}/pics{f}.xml", "w").write(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        f'<channel><title>Pictures {f}</title><link>https://example.org/p{f}</link>{"".join(pics)}</channel></rss>')
PY
# one small JPEG (160x90, about 5 KB), under N x 30 names
mkdir -p "$B/www/t"
if command -v ffmpeg >/dev/null; then
  ffmpeg -loglevel error -y -f lavfi -i testsrc=size=160x90 -frames:v 1 "$B/www/t/one.jpg" </dev/null
fi
python3 - "$B/www/t" "$N" "$ITEMS" <<'PY'
import os, sys
d, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for f in range(n):
    for i in range(k):
        os.link(f"{d}/one.jpg", f"{d}/t{f}-{i}.jpg")
PY

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$B/nginx.conf" <<CONF
daemon on;
master_process off;
worker_processes 1;
pid $B/nginx.pid;
error_log $B/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000;
  types { application/rss+xml xml; }
  client_body_temp_path $B/logs; proxy_temp_path $B/logs; fastcgi_temp_path $B/logs;
  uwsgi_temp_path $B/logs; scgi_temp_path $B/logs;
  server { listen 127.0.0.1:$PORT; root $B/www; }
}
CONF
nginx -p "$B" -c "$B/nginx.conf"
for _ in $(seq 50); do [ -s "$B/nginx.pid" ] && break; sleep 0.05; done
for f in $(seq 0 $((N - 1))); do echo "http://127.0.0.1:$PORT/feed$f.xml"; done > "$B/urls"
for f in $(seq 0 $((N - 1))); do echo "http://127.0.0.1:$PORT/pics$f.xml"; done > "$B/pic-urls"
sed -i "s|PICBASE|http://127.0.0.1:$PORT/t|g" "$B"/www/pics*.xml

# median of RUNS runs of a command; prints "seconds peak_rss_kb"
measure() {
  local prep="$1"; shift
  for r in $(seq "$RUNS"); do
    eval "$prep"
    /usr/bin/time -f "%e %M" -o "$B/time" "$@" >/dev/null 2>&1 || true
    cat "$B/time"
  done | sort -n | awk -v n="$RUNS" '{a[NR]=$1; m[NR]=$2} END {i=int((n+1)/2); print a[i], m[i]}'
}

export XDG_CONFIG_HOME="$B/cfg" XDG_DATA_HOME="$B/data" XDG_CACHE_HOME="$B/cache"
export WINNOW_DB="$B/winnow.db"
"$WINNOW_BIN" import "$B/urls" >/dev/null
cp "$B/winnow.db" "$B/empty.db"
cold=$(measure 'cp "$B/empty.db" "$B/winnow.db"; rm -f "$B/winnow.db-wal" "$B/winnow.db-shm"' "$WINNOW_BIN" refresh --quiet)
items=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from items").fetchone()[0])' "$B/winnow.db")
warm=$(measure ':' "$WINNOW_BIN" refresh --quiet)

# the same with a thumbnail per item: refresh, then the scans of N x 30 pictures behind the feeds
export WINNOW_DB="$B/pics.db"
"$WINNOW_BIN" import "$B/pic-urls" >/dev/null
cp "$B/pics.db" "$B/empty-pics.db"
reset_pics='cp "$B/empty-pics.db" "$B/pics.db"; rm -f "$B/pics.db-wal" "$B/pics.db-shm"; rm -rf "$B/cache" "$B/data/winnow/evidence"'
pics_noscan=$(measure "$reset_pics" "$WINNOW_BIN" refresh --quiet --no-scan)
pics_scan=$(measure "$reset_pics" "$WINNOW_BIN" refresh --quiet)
scanned=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from media_scans").fetchone()[0])' "$B/pics.db")
export WINNOW_DB="$B/winnow.db"

floor="n/a"
if command -v curl >/dev/null; then
  sed 's/^/url = /; s/$/\noutput = \/dev\/null/' "$B/urls" > "$B/curl.cfg"
  floor=$(measure ':' curl -s --parallel --parallel-max 16 -K "$B/curl.cfg")
fi

nb="not installed"
if command -v newsboat >/dev/null; then
  mkdir -p "$B/nb"
  echo "reload-threads 16" > "$B/nb/config"
  nb=$(measure 'rm -f "$B/nb/cache.db"' newsboat -u "$B/urls" -c "$B/nb/cache.db" -C "$B/nb/config" -x reload)
fi

printf '\nwinnow refresh benchmark: %d feeds x %d items (%d stored), nginx on 127.0.0.1, median of %d\n' "$N" "$ITEMS" "$items" "$RUNS"
printf '%-34s %10s %12s\n' "what" "wall (s)" "peak RSS"
row() { set -- "$1" $2; printf '%-34s %10s %9s MB\n' "$1" "$2" "$(awk -v k="${3:-0}" 'BEGIN{printf "%.1f", k/1024}')"; }
row "winnow refresh, cold (fresh db)" "$cold"
row "winnow refresh, warm (all 304)" "$warm"
row "with thumbnails, --no-scan" "$pics_noscan"
row "with thumbnails, refresh + scan" "$pics_scan"
printf '  (%s pictures fetched and scanned)\n' "$scanned"
[ "$floor" != n/a ] && row "fetch only (curl --parallel 16)" "$floor"
if [ "$nb" != "not installed" ]; then
  row "newsboat -x reload (16 threads)" "$nb"
  awk -v a="${cold%% *}" -v b="${nb%% *}" 'BEGIN { if (a > 0) printf "newsboat / winnow (cold): %.1fx\n", b / a }'
else
  echo "newsboat: not installed (apt-get install newsboat to compare)"
fi
