#!/bin/bash
# SPDX-License-Identifier: ISC
# Provenance as a stored fact (issue 13).  A loopback feed whose four items carry real C2PA files
# as media:thumbnail and enclosure (an AI-generated picture with valid credentials, an AI-edited
# one, a tampered one, a plain JPEG).  After add + refresh and nothing else: items --json gives
# the verdicts, an auto-list rule on provenance has filed only the generated one, --hide drops it,
# and the reader, started twice, shows the same badges.  Then: verdicts survive restarts and a
# wiped thumbnail cache without a refetch; trust update flips valid to trusted without a refetch;
# the CLI and the reader agree under a config trust-anchor; scan failures are stored, shown and
# retried; --no-scan fetches no media and says "not checked yet" until winnow scan.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
need_fixtures
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
setup_home
DOC="$T/doc"; mkdir -p "$DOC"
server_start --docroot "$DOC" --lifetime 240 || { echo "SKIP: no loopback server"; exit 77; }
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT
S=$SERVER_URL
P="$WINNOW_FIXTURES/provenance"
cp "$P/amazon-titan-g1.png" "$DOC/titan.png"
cp "$P/ocsp.jpg" "$DOC/ocsp.jpg"
cp "$P/XCA.jpg" "$DOC/xca.jpg"
cp "$P/C.jpg" "$DOC/c.jpg"
cp "$P/trust/c2pa-rs-test_cert_root_bundle.pem" "$DOC/roots.pem"
# a plain JPEG with no metadata at all, made here
"$PY" - "$DOC/plain.jpg" <<'PY'
import sys, struct
# the smallest baseline JPEG: 1x1 grey (SOI, DQT, SOF0, DHT x2, SOS, data, EOI)
jpg = bytes.fromhex(
 "ffd8ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720"
 "222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f000001050101"
 "0101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203"
 "00041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a"
 "3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a"
 "92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2"
 "e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")
open(sys.argv[1], "wb").write(jpg)
PY
# a plain JPEG cut off before its image data: the scanner sees that it ends early
ffmpeg -loglevel error -y -f lavfi -i testsrc=size=320x240 -frames:v 1 "$T/big.jpg" </dev/null
head -c 300 "$T/big.jpg" >"$DOC/cut.jpg"
printf '<!doctype html><title>not here</title>' >"$DOC/page.jpg"

item() {  # item N TITLE FILE TYPE
  printf '<item><title>%s</title><link>https://example.org/%s</link><guid>g%s</guid>' "$2" "$1" "$1"
  printf '<pubDate>Mon, 0%s Jun 2026 10:00:00 GMT</pubDate>' "$1"
  printf '<media:thumbnail url="%s/d/%s"/><enclosure url="%s/d/%s" type="%s" length="1000"/></item>\n' "$S" "$3" "$S" "$3" "$4"
}
{
  echo '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
  echo '<title>Pictures</title><link>https://example.org/</link><description>d</description>'
  item 4 "Titan picture" titan.png image/png
  item 3 "Firefly edit" ocsp.jpg image/jpeg
  item 2 "Tampered photo" xca.jpg image/jpeg
  item 1 "Plain photo" plain.jpg image/jpeg
  echo '</channel></rss>'
} >"$DOC/pics.xml"
printf 'auto-list ai when provenance=ai-generated\n' >"$XDG_CONFIG_HOME/winnow/config"

verdicts() {  # "title=credentials/class" for every item, sorted
  "$WINNOW_BIN" items --json "$@" | "$PY" -c '
import json, sys
print(" ".join(sorted("%s=%s/%s" % (i["title"].split()[0], i["provenance"]["credentials"], i["provenance"]["ai"]["class"])
                      for i in json.load(sys.stdin))))'
}
requests_for() {  # how often the server was asked for /d/NAME
  http_get "$S/_log" | "$PY" -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["path"].split("?")[0] == "/d/" + sys.argv[1]))' "$1"
}

w add "$S/d/pics.xml"
w refresh
expect_eq "add + refresh" "$RC" 0
want="Firefly=valid/ai-edited Plain=none/unknown Tampered=invalid/unknown Titan=valid/generated"
expect_eq "items --json has the scanned verdicts" "$(verdicts)" "$want"
expect_eq "auto-list … provenance=ai-generated filed only the Titan item" \
  "$("$WINNOW_BIN" list show ai --json | "$PY" -c 'import json,sys; print([i["title"] for i in json.load(sys.stdin)])')" \
  "['Titan picture']"
expect_eq "items --hide ai-generated drops only it" "$(verdicts --hide ai-generated)" \
  "Firefly=valid/ai-edited Plain=none/unknown Tampered=invalid/unknown"
expect_eq "items --only credentials-invalid" "$(verdicts --only credentials-invalid)" "Tampered=invalid/unknown"
w items --hide ai-genrated
expect_eq "an unknown filter name is refused" "$RC" 1
expect "…naming the valid ones" contains "$OUT" "ai-generated, ai-edited"
fetched=$(requests_for titan.png)

row() { screen | grep -F "$1" | head -1; }
for round in 1 2; do
  winnow_tmux 100 30
  expect "reader $round: the items show" wait_for "Titan picture" 5
  expect "reader $round: ✦ on the Titan row" sh -c 'echo "$1" | grep -q "✦"' sh "$(row 'Titan picture')"
  expect "reader $round: ✗ on the tampered row" sh -c 'echo "$1" | grep -q "✗"' sh "$(row 'Tampered photo')"
  tmux_keys q
  wait_dead 5
  tmux_stop
done
rm -rf "$XDG_CACHE_HOME/winnow"
expect_eq "a wiped cache changes no verdict" "$(verdicts)" "$want"
w refresh
expect_eq "…nor does another refresh" "$(verdicts)" "$want"
expect_eq "…which fetches no media again" "$(requests_for titan.png)" "$fetched"

# trust: the test roots as the trust list make C.jpg's signer trusted, judged from the evidence
{
  echo '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
  echo '<title>Test signed</title><link>https://example.org/c</link><description>d</description>'
  item 5 "Signed test" c.jpg image/jpeg
  echo '</channel></rss>'
} >"$DOC/signed.xml"
w add "$S/d/signed.xml"
w refresh "$S/d/signed.xml"
expect_eq "a test-signed picture is valid, not trusted" "$(verdicts --feed "$S/d/signed.xml")" "Signed=valid/synthetic"
cfetch=$(requests_for c.jpg)
WINNOW_TRUST_URL="$S/d/roots.pem" "$WINNOW_BIN" trust update >/dev/null
expect_eq "trust update flips it to trusted" "$(verdicts --feed "$S/d/signed.xml")" "Signed=trusted/synthetic"
expect_eq "…without fetching it again" "$(requests_for c.jpg)" "$cfetch"
rm -f "$XDG_DATA_HOME/winnow/trust/C2PA-TRUST-LIST.pem"
"$WINNOW_BIN" items >/dev/null
expect_eq "removing the list judges it valid again" "$(verdicts --feed "$S/d/signed.xml")" "Signed=valid/synthetic"

# a config trust-anchor: the CLI's badge, items --json and the reader agree
printf 'trust-anchor = %s\n' "$DOC/roots.pem" >>"$XDG_CONFIG_HOME/winnow/config"
expect_eq "config trust-anchor: items --json says trusted" "$(verdicts --feed "$S/d/signed.xml")" "Signed=trusted/synthetic"
badge=$("$WINNOW_BIN" badge --json "$DOC/c.jpg" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["credentials"])')
expect_eq "…and so does winnow badge on the same file" "$badge" "trusted"
winnow_tmux 100 30
expect "…and the reader: ✔ on its row" sh -c 'sleep 0.5; echo "$1" | grep -q "✔"' sh "$(wait_for 'Signed test' 5 >/dev/null; row 'Signed test')"
tmux_keys q; wait_dead 5; tmux_stop

# scan failures: stored as such, shown, retried on a later refresh
{
  echo '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
  echo '<title>Broken</title><link>https://example.org/b</link><description>d</description>'
  item 6 "Missing picture" gone.jpg image/jpeg
  item 7 "Page picture" page.jpg image/jpeg
  item 8 "Cut picture" cut.jpg image/jpeg
  echo '</channel></rss>'
} >"$DOC/broken.xml"
w add "$S/d/broken.xml"
w refresh "$S/d/broken.xml"
details() { "$WINNOW_BIN" items --json --feed "$S/d/broken.xml" | "$PY" -c '
import json, sys
for i in sorted(json.load(sys.stdin), key=lambda i: i["title"]):
    print("%s: %s: %s" % (i["title"].split()[0], i["provenance"]["credentials"], i["provenance"]["credentials_detail"]))'; }
d=$(details)
expect "a 404 is stored as that" contains "$d" "Missing: unavailable: could not check: HTTP 404"
expect "an HTML page is stored as not media" contains "$d" "Page: unavailable: could not check: not an image or video"
expect "a truncated file is stored as cut" contains "$d" "Cut: unavailable: could not check: the file ends early"
"$PY" - "$DOC/gone.jpg" "$DOC/plain.jpg" <<'PY'
import shutil, sys; shutil.copy(sys.argv[2], sys.argv[1])
PY
w refresh "$S/d/broken.xml"
expect "a later refresh retries: the picture is there now" contains "$(details)" "Missing: none: no content credentials"

# --no-scan: no media fetched, "not checked yet", then winnow scan checks them
{
  echo '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
  echo '<title>Later</title><link>https://example.org/l</link><description>d</description>'
  item 9 "Later titan" titan.png?later image/png
  echo '</channel></rss>'
} >"$DOC/later.xml"
w add "$S/d/later.xml"
http_get "$S/_reset_log" >/dev/null
w refresh --no-scan "$S/d/later.xml"
expect_eq "refresh --no-scan fetches no media" "$(requests_for titan.png)" 0
expect_eq "…and says not checked yet" "$(verdicts --feed "$S/d/later.xml")" "Later=unchecked/unknown"
w scan --all
expect_eq "winnow scan checks them" "$(verdicts --feed "$S/d/later.xml")" "Later=valid/generated"
expect "no sanitizer reports" sh -c '! grep -q "runtime error\|Sanitizer" "$T/stderr" 2>/dev/null'
finish
