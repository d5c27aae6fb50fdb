#!/bin/sh
# SPDX-License-Identifier: ISC
# Seed corpora for the non-provenance fuzzers, copied at run time from the fixtures (which stay
# outside the project) and the demo data.  usage: seeds.sh FIXTURES SRCDIR OUTDIR
set -eu
fx=$1 src=$2 out=$3
PYTHON=${PYTHON3:-python3}
f=$fx/feeds
for d in feed_xml jsonfeed sources html text date image opml config; do mkdir -p "$out/$d"; done
cp "$f"/rss/* "$f"/atom/* "$f"/youtube/* "$out/feed_xml/"
cp "$f"/jsonfeed/* "$out/jsonfeed/"
for m in "$f"/malformed/*; do
  case $m in *.json) cp "$m" "$out/jsonfeed/" ;; *) cp "$m" "$out/feed_xml/" ;; esac
done
cp "$src"/data/demo/*.rss "$src"/data/demo/*.atom "$out/feed_xml/" 2>/dev/null || true
# the one-file cases (tests/feeds/cases): UTF-16/32, legacy charsets, base64, recovery; the body
# alone, and with its Content-Type header first when it has one (the HTTP charset path)
for c in "$src"/tests/feeds/cases/*; do
  b=$(basename "$c")
  awk 'f{print} /^$/{f=1}' "$c" > "$out/feed_xml/case.$b" 2>/dev/null || true
  "$PYTHON" - "$c" "$out/feed_xml/ct.$b" <<'P' || true
import sys
raw = open(sys.argv[1], "rb").read()
head, _, body = raw.partition(b"\n\n")
ct = [l for l in head.split(b"\n") if l.startswith(b"Content-Type: ")]
if ct:
    open(sys.argv[2], "wb").write(ct[0] + b"\n" + body)
P
done
cp "$src"/data/demo/*.json "$out/jsonfeed/" 2>/dev/null || true

# sources: "adapter|subscription URL|stage" then the body the API gave
seed() {   # adapter url stage file
  { printf '%s|%s|%s\n' "$1" "$2" "$3"; head -c 262144 "$4"; } > "$out/sources/$1.$(basename "$4")"
}
for x in "$f"/mastodon/*; do seed mastodon https://mastodon.social/@Gargron statuses "$x"; done
for x in "$f"/mastodon/*tag*; do seed mastodon https://mastodon.social/tags/news "" "$x"; done
for x in "$f"/bluesky/*; do seed bluesky https://bsky.app/profile/bsky.app feed "$x"; done
for x in "$f"/reddit/*; do seed reddit https://www.reddit.com/r/all/ "" "$x"; done
for x in "$f"/peertube/*; do seed peertube https://framatube.org/videos/trending "" "$x"; done
for x in "$f"/peertube/*detail*; do seed peertube https://framatube.org/w/abc peertube-video-detail "$x"; done
for x in "$f"/lemmy/*; do seed lemmy https://lemmy.ml/c/linux "" "$x"; done
for x in "$f"/youtube/*; do seed youtube https://www.youtube.com/@kurzgesagt videos "$x"; done
for x in "$f"/malformed/*.json; do
  for a in mastodon bluesky reddit peertube lemmy hackernews invidious; do
    seed $a https://example.org/api/v1/x "" "$x"; done
done
for x in "$f"/rss/*; do seed link https://example.org/page "" "$x"; done

# html and text: the item bodies the feeds carry are HTML; whole files are long enough seeds
for x in "$f"/rss/* "$f"/atom/* "$f"/malformed/*; do
  head -c 65536 "$x" > "$out/html/$(basename "$x")"
  { printf '\001\200'; head -c 8192 "$x"; } > "$out/text/$(basename "$x")"
done
# text: every class of invisible character the sanitiser strips or collapses (issue 17.5)
printf 'a\342\201\241b\342\201\252c\341\240\216d\357\277\271e\360\235\205\263f\360\223\220\260g' > "$out/text/invisible"
printf 'W\363\240\200\201\363\240\201\250\363\240\201\277x\360\237\217\264\363\240\201\247\363\240\201\242\363\240\201\245\363\240\201\256\363\240\201\247\363\240\201\277' > "$out/text/tags"
printf 'a\342\200\213\342\200\214\342\200\215\342\201\240b\342\200\216\342\200\217\330\234\342\200\256' > "$out/text/zw"

# dates: every pubDate / published / updated / date value the fixtures hold, one per file
i=0
grep -rhoE '<(pubDate|published|updated|dc:date|lastBuildDate)>[^<]{1,64}<' "$f" 2>/dev/null |
  sed -E 's/^<[^>]*>//; s/<$//' | sort -u | head -200 | while IFS= read -r d; do
    i=$((i + 1)); printf '%s' "$d" > "$out/date/d$i"; done
grep -rhoE '"(date_published|date_modified|created_at|createdAt|published|indexedAt)": *"[^"]{1,64}"' "$f" \
  2>/dev/null | sed -E 's/^[^:]*: *"//; s/"$//' | sort -u | head -200 | while IFS= read -r d; do
    i=$((i + 1)); printf '%s' "$d" > "$out/date/j$i"; done

# images: the demo thumbnails and the provenance fixtures (small ones only)
for x in "$src"/data/demo/*.jpg "$fx"/provenance/*.jpg "$fx"/provenance/*.png; do
  [ -f "$x" ] && [ "$(wc -c < "$x")" -le 1048576 ] && cp "$x" "$out/image/"
done

cat > "$out/opml/nested.opml" <<'O'
<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="News"><outline text="a" title="A" type="rss" xmlUrl="https://a.example/feed" category="/x"/>
<outline text="Deep"><outline text="b" xmlUrl="https://b.example/rss"/></outline></outline>
<outline text="c" xmlUrl="https://c.example/atom"/></body></opml>
O
printf '<opml version="1.0"><body><outline xmlUrl="u" text="u"/></body></opml>' > "$out/opml/min.opml"

# import paths (issue 17): what a shared OPML can carry: local and odd schemes, devices, hostile
# titles, deep nesting, declared entities (refused), a foreign encoding, attributes without values
cat > "$out/opml/schemes.opml" <<'O'
<?xml version="1.0"?><opml version="2.0"><body>
<outline text="tty" xmlUrl="file:///dev/tty"/><outline text="pw" xmlUrl="file:///etc/passwd"/>
<outline text="rel" xmlUrl="file:relative/x.xml"/><outline text="js" xmlUrl="javascript:alert(1)"/>
<outline text="data" xmlUrl="data:text/xml,%3Crss/%3E"/><outline text="up" xmlUrl="FILE://localhost/dev/zero"/>
<outline text="lo" xmlUrl="http://127.0.0.1:631/"/><outline text="v6" xmlUrl="http://[::1]/feed"/>
<outline text="ok" xmlUrl="https://ok.example/feed" htmlUrl="file:///etc/shadow"/></body></opml>
O
printf '<?xml version="1.0"?><opml version="2.0"><body><outline text="\033]0;t\007 Weather\342\200\256\363\240\200\201 today" title="\302\233 2J" category="/a/\033[2J/b,c" xmlUrl="https://e.example/\033]52;c;eA==\007"/></body></opml>' > "$out/opml/escapes.opml"
{ printf '<opml version="2.0"><body>'; for i in $(seq 200); do printf '<outline text="d%d">' "$i"; done
  printf '<outline text="leaf" xmlUrl="https://deep.example/f"/>'; for i in $(seq 200); do printf '</outline>'; done
  printf '</body></opml>'; } > "$out/opml/deep.opml"
cat > "$out/opml/entities.opml" <<'O'
<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY x SYSTEM "file:///etc/passwd">]><opml version="2.0"><body><outline text="&b;&x;" xmlUrl="https://x.example/&b;"/></body></opml>
O
printf '<?xml version="1.0" encoding="ISO-8859-1"?><opml version="1.0"><body><outline text="caf\351" xmlUrl="https://l.example/\351"/><outline xmlUrl=""/><outline text/></body></opml>' > "$out/opml/latin1.opml"
# a newsboat urls file is sniffed as "not OPML" and read line by line: the OPML reader must
# refuse it cleanly, and the config reader (same line shapes) takes it too
cat > "$out/opml/urls.txt" <<'U'
https://a.example/feed tag1 "~My Title" "!hidden"
file:///dev/tty
"query:Unread:unread = \"yes\""
exec:/bin/sh -c id
U
cp "$out/opml/urls.txt" "$out/config/urls.conf"

cat > "$out/config/all.conf" <<'C'
# comment
jobs = 8
jobs-per-host = 2
timeout = 20
theme = dark
osc8 = yes
ascii = auto
bind items j down
color title bold yellow default
keep-items = 1000
keep-read-days = 30
max-new-items = 0
keep-days = 99999999999999999999
C
grep -hE '^[a-z-]+ *=|^(bind|color)' "$src"/doc/*.md "$src"/README.md 2>/dev/null | head -100 \
  > "$out/config/doc.conf" || true
echo "seeds: $(find "$out" -type f | wc -l) files in $out"
