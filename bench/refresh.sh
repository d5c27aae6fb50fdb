#!/bin/bash
# SPDX-License-Identifier: ISC
# Refresh benchmark (issue 19): the cold refresh of N feeds x 30 items written by the shared
# generator (../shared/tools/genfeeds.py: non-ASCII titles, 60-word HTML descriptions, an
# enclosure and a media:thumbnail per item; 300 feeds are 8.3 MB), served by nginx on a loopback
# port, for every N given (default 300 and 3000).  winnow, newsraft 0.34 (built from
# ../shared/peers/newsraft-0.34.tar.gz under the build directory) and newsboat (the Debian
# package, where installed) fetch the same files in the same run; each figure is the median of RUNS
# runs with a fresh database, with peak RSS.  winnow runs with --no-scan: the generator's media
# URLs point at a closed port and the peers fetch no media.  Then, at the first N only: the warm
# refresh (every feed answers 304), the fetch-only floor (curl --parallel), and the refresh of
# feeds whose thumbnails are real JPEGs on the same nginx, with and without their provenance scans.
#
# Prints a human table, then one "result KEY VALUE..." line per figure for bench/report.sh.
# usage: bench/refresh.sh [N...]; WINNOW_BIN=path/to/winnow; RUNS (5), PEER_RUNS_BIG (runs of the
# peers when N > 1000: 3; newsboat takes half a minute a run there); WINNOW_SHARED (../shared);
# BENCH_PEERS (where newsraft is built: ./bench/peers under the current, i.e. build, directory).
set -eu
SIZES=${*:-300 3000}
ITEMS=30
RUNS=${RUNS:-5}
PEER_RUNS_BIG=${PEER_RUNS_BIG:-3}
WINNOW_BIN=${WINNOW_BIN:-./winnow}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${WINNOW_SHARED:-$HERE/../../shared}
PEERS=${BENCH_PEERS:-$PWD/bench/peers}
command -v nginx >/dev/null || { echo "bench: nginx is needed (apt-get install nginx-light)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)"; exit 1; }
[ -f "$SHARED/tools/genfeeds.py" ] || { echo "bench: $SHARED/tools/genfeeds.py not found (set WINNOW_SHARED)"; exit 1; }
B=$(mktemp -d /tmp/winnow-bench.XXXXXX)
trap 'kill $(cat "$B/nginx.pid" 2>/dev/null) 2>/dev/null; rm -rf "$B"' EXIT
mkdir -p "$B/www" "$B/logs"

# newsraft, built once under the build directory (never in the source tree)
NEWSRAFT=""
NR_TGZ="$SHARED/peers/newsraft-0.34.tar.gz"
if [ -x "$PEERS/newsraft-0.34/newsraft" ]; then
  NEWSRAFT="$PEERS/newsraft-0.34/newsraft"
elif [ -f "$NR_TGZ" ]; then
  mkdir -p "$PEERS"
  if tar xzf "$NR_TGZ" -C "$PEERS" && make -C "$PEERS/newsraft-0.34" >"$PEERS/newsraft-build.log" 2>&1; then
    NEWSRAFT="$PEERS/newsraft-0.34/newsraft"
  else
    echo "bench: newsraft did not build (needs libgumbo-dev libexpat1-dev libcurl4-openssl-dev libsqlite3-dev): $PEERS/newsraft-build.log"
  fi
fi
NEWSBOAT=$(command -v newsboat || true)

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$B/nginx.conf" <<CONF
daemon on;
master_process off;
worker_processes 1;
pid $B/nginx.pid;
error_log $B/logs/error.log;
events { worker_connections 4096; }
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

# median of R runs of a command, each after PREP; prints "seconds peak_rss_kb", and leaves the
# median CPU time of the runs (user + system, all threads) in $B/cpu
measure() {
  local r="$1" prep="$2"; shift 2
  for _ in $(seq "$r"); do
    eval "$prep"
    /usr/bin/time -f "%e %M %U %S" -o "$B/time" "$@" >/dev/null 2>&1 || true
    tail -1 "$B/time"
  done > "$B/runs"
  awk '{printf "%.2f\n", $3 + $4}' "$B/runs" | sort -n | awk -v n="$r" '{a[NR]=$1} END {print a[int((n+1)/2)]}' > "$B/cpu"
  sort -n "$B/runs" | awk -v n="$r" '{a[NR]=$1; m[NR]=$2} END {i=int((n+1)/2); print a[i], m[i]}'
}
count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$@" 2>/dev/null || echo 0; }
mb() { awk -v k="${1:-0}" 'BEGIN{printf "%.1f", k/1024}'; }

export XDG_CONFIG_HOME="$B/cfg" XDG_DATA_HOME="$B/data" XDG_CACHE_HOME="$B/cache"
printf 'notification-command ""\n' > "$B/newsraft.conf"
printf 'reload-threads 16\n' > "$B/newsboat.conf"
first=""
: > "$B/results"
emit() { echo "result $*" | tee -a "$B/results"; }
for N in $SIZES; do
  python3 "$SHARED/tools/genfeeds.py" "$B/www/g$N" "$N" "$ITEMS"
  ls "$B/www/g$N/f" | sed "s|^|http://127.0.0.1:$PORT/g$N/f/|" > "$B/urls$N"
  pr=$RUNS; [ "$N" -gt 1000 ] && pr=$PEER_RUNS_BIG
  export WINNOW_DB="$B/w$N.db"
  "$WINNOW_BIN" import "$B/urls$N" >/dev/null
  cp "$WINNOW_DB" "$B/empty$N.db"
  w=$(measure "$RUNS" "cp '$B/empty$N.db' '$WINNOW_DB'; rm -f '$WINNOW_DB-wal' '$WINNOW_DB-shm'" \
        "$WINNOW_BIN" refresh --quiet --no-scan)
  emit cold "$N" winnow "$w" "$(count "$WINNOW_DB" 'select count(*) from items')" "$(cat "$B/cpu")"
  if [ -n "$NEWSRAFT" ]; then
    nr=$(measure "$pr" "rm -f '$B/nr.db'*" "$NEWSRAFT" -f "$B/urls$N" -c "$B/newsraft.conf" -d "$B/nr.db" -e reload-all)
    emit cold "$N" newsraft "$nr" "$(count "$B/nr.db" 'select count(*) from items')" "$(cat "$B/cpu")"
  fi
  if [ -n "$NEWSBOAT" ]; then
    nb=$(measure "$pr" "rm -f '$B/nb.db'*" "$NEWSBOAT" -u "$B/urls$N" -c "$B/nb.db" -C "$B/newsboat.conf" -x reload)
    emit cold "$N" newsboat "$nb" "$(count "$B/nb.db" 'select count(*) from rss_item')" "$(cat "$B/cpu")"
  fi
  if [ -z "$first" ]; then
    first=$N
    warm=$(measure "$RUNS" ':' "$WINNOW_BIN" refresh --quiet --no-scan)
    emit warm "$N" winnow "$warm"
    if command -v curl >/dev/null; then
      sed 's/^/url = /; s/$/\noutput = \/dev\/null/' "$B/urls$N" > "$B/curl.cfg"
      emit floor "$N" curl "$(measure "$RUNS" ':' curl -s --parallel --parallel-max 16 -K "$B/curl.cfg")"
    fi
  fi
  rm -rf "$B"/w$N.db* "$B"/nr.db* "$B"/nb.db*
done

# How the time grows with the feeds: winnow at the first and the last size, run by turns (small,
# big, small, big...), so that both medians come from the same minutes.  This VM's speed drifts
# by half from one minute to the next; timed one size after the other, the ratio drifted with it
# (11.7x and 14.9x in two runs of one build that measured 9.4x by turns).
set -- $SIZES
if [ $# -ge 2 ]; then
  small=$1; big=${!#}
  for _ in $(seq "$RUNS"); do
    for N in "$small" "$big"; do
      export WINNOW_DB="$B/w$N.db"
      cp "$B/empty$N.db" "$WINNOW_DB"; rm -f "$WINNOW_DB-wal" "$WINNOW_DB-shm"
      t0=$(date +%s%N)
      "$WINNOW_BIN" refresh --quiet --no-scan >/dev/null 2>&1 || true
      echo "$N $(( ($(date +%s%N) - t0) / 1000000 ))" >> "$B/scale"
    done
  done
  med() { awk -v n="$1" '$1 == n {print $2}' "$B/scale" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  emit scale "$small-$big" winnow "$(med "$small")" "$(med "$big")"
  rm -f "$B"/w*.db*
fi
rm -rf "$B"/www/g* "$B"/empty*.db

# feeds whose media:thumbnail is a real picture on the same nginx: the refresh with its scans
N=${first:-300}
python3 - "$B/www" "$N" "$ITEMS" <<'PY'
import os, sys
d, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(f"{d}/p", exist_ok=True)
for f in range(n):
    items = "".join(f"<item><title>Picture {i} of feed {f}</title><link>https://example.org/{f}/{i}</link>"
                    f"<guid>p{f}-{i}</guid><pubDate>Mon, 23 Nov 2026 {i % 24:02d}:{f % 60:02d}:00 +0000</pubDate>"
                    f'<media:thumbnail url="PICBASE/t{f}-{i}.jpg"/></item>' for i in range(k))
    open(f"{d}/p/{f}.xml", "w").write(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        f'<channel><title>Pictures {f}</title><link>https://example.org/p{f}</link>{items}</channel></rss>')
PY
mkdir -p "$B/www/t"
if command -v ffmpeg >/dev/null; then
  ffmpeg -loglevel error -y -f lavfi -i testsrc=size=160x90 -frames:v 1 "$B/www/t/one.jpg" </dev/null
  python3 - "$B/www/t" "$N" "$ITEMS" <<'PY'
import os, sys
d, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for f in range(n):
    for i in range(k):
        os.link(f"{d}/one.jpg", f"{d}/t{f}-{i}.jpg")
PY
  sed -i "s|PICBASE|http://127.0.0.1:$PORT/t|g" "$B"/www/p/*.xml
  ls "$B/www/p" | sed "s|^|http://127.0.0.1:$PORT/p/|" > "$B/pic-urls"
  export WINNOW_DB="$B/pics.db"
  "$WINNOW_BIN" import "$B/pic-urls" >/dev/null
  cp "$B/pics.db" "$B/empty-pics.db"
  reset_pics='cp "$B/empty-pics.db" "$B/pics.db"; rm -f "$B/pics.db-wal" "$B/pics.db-shm"; rm -rf "$B/cache" "$B/data/winnow/evidence"'
  emit pics-noscan "$N" winnow "$(measure "$RUNS" "$reset_pics" "$WINNOW_BIN" refresh --quiet --no-scan)"
  emit pics-scan "$N" winnow "$(measure "$RUNS" "$reset_pics" "$WINNOW_BIN" refresh --quiet)" \
    "$(count "$B/pics.db" 'select count(*) from media_scans')"
fi

# the table
get() { awk -v k="$1" -v n="$2" -v w="$3" -v f="$4" '$2 == k && $3 == n && $4 == w {print $f}' "$B/results"; }
printf '\nrefresh benchmark: genfeeds.py feeds x %d items, nginx on 127.0.0.1, median of %d (peers at >1000 feeds: %d)\n' \
  "$ITEMS" "$RUNS" "$PEER_RUNS_BIG"
printf '%-28s %-18s %-18s %-18s %s\n' "cold refresh" "winnow" "newsraft 0.34" "newsboat" "newsraft/winnow  newsboat/winnow"
for N in $SIZES; do
  cell() { local s; s=$(get cold "$N" "$1" 5); [ -n "$s" ] && printf '%s s / %s MB' "$s" "$(mb "$(get cold "$N" "$1" 6)")" || printf -- '-'; }
  ratio() { awk -v a="$(get cold "$N" winnow 5)" -v b="$(get cold "$N" "$1" 5)" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", b / a; else printf "-" }'; }
  printf '%-28s %-18s %-18s %-18s %-16s %s\n' "$N feeds ($(get cold "$N" winnow 7) items)" "$(cell winnow)" "$(cell newsraft)" \
    "$(cell newsboat)" "$(ratio newsraft)" "$(ratio newsboat)"
  # the same runs' CPU time, every thread: what the machine's CPUs had to share
  cpu() { local c; c=$(get cold "$N" "$1" 8); [ -n "$c" ] && printf '%s s' "$c" || printf -- '-'; }
  printf '%-28s %-18s %-18s %-18s\n' "  CPU, user + system" "$(cpu winnow)" "$(cpu newsraft)" "$(cpu newsboat)"
done
set -- $SIZES
if [ $# -ge 2 ]; then
  sc=$(awk '$2 == "scale" {print $5, $6}' "$B/results")
  awk -v a="${sc% *}" -v b="${sc#* }" -v n1="$1" -v n2="${!#}" \
    'BEGIN { if (a > 0) printf "winnow %s feeds / %s feeds, run by turns: %.1fx the time for %.0fx the feeds (%d ms / %d ms)\n", n2, n1, b / a, n2 / n1, b, a }'
fi
w=$(get warm "$first" winnow 5); [ -n "$w" ] && printf 'warm refresh, %s feeds (all 304): %s s / %s MB\n' "$first" "$w" "$(mb "$(get warm "$first" winnow 6)")"
f=$(get floor "$first" curl 5); [ -n "$f" ] && printf 'fetch only, %s feeds (curl --parallel 16): %s s\n' "$first" "$f"
p=$(get pics-noscan "$N" winnow 5); [ -n "$p" ] && printf 'thumbnail feeds, %s x %s, --no-scan: %s s / %s MB\n' "$N" "$ITEMS" "$p" "$(mb "$(get pics-noscan "$N" winnow 6)")"
p=$(get pics-scan "$N" winnow 5); [ -n "$p" ] && printf 'the same, refresh + scans of %s thumbnails: %s s / %s MB\n' "$(get pics-scan "$N" winnow 7)" "$p" "$(mb "$(get pics-scan "$N" winnow 6)")"
[ -n "$NEWSRAFT" ] || echo "newsraft: not built (needs $NR_TGZ and libgumbo-dev)"
[ -n "$NEWSBOAT" ] || echo "newsboat: not installed (apt-get install newsboat to compare)"
exit 0
