#!/bin/bash
# SPDX-License-Identifier: ISC
# make check-c2pa: winnow's C2PA verdicts against the reference implementation's, file by file.
# Installs the reference (c2pa-rs compiled to WebAssembly, the npm package ref.mjs names, pinned)
# into BUILDDIR/c2pa-ref, then compares both over every file of the c2pa-rs fixture folder (with
# only the official trust list, and with the c2pa-rs test roots added), over media the reference's
# own builder signs here in every format it writes, and over tampered, truncated and stripped copies.
# A disagreement fails unless tests/c2pa/allow.txt lists the file with its reason.
# usage: tests/c2pa/check-c2pa.sh [BUILDDIR]   closes with "check-c2pa: N passed, N failed"
set -u
B=$(cd "${1:-.}" && pwd)
S=${WINNOW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WINNOW_BIN=${WINNOW_BIN:-$B/winnow}
FIX=${WINNOW_FIXTURES:-$S/../shared/fixtures}/provenance
C=$S/tests/c2pa
REF_PKG=@contentauth/c2pa-wasm
REF_VERSION=0.15.0
REF_MJS=$S/../shared/tools/c2pa-ref/ref.mjs
[ -n "${C2PA_REF_MJS:-}" ] && REF_MJS=$C2PA_REF_MJS
die() { echo "check-c2pa: $*" >&2; echo "check-c2pa: 0 passed, 1 failed"; exit 1; }

[ -x "$WINNOW_BIN" ] || die "no winnow binary at $WINNOW_BIN (run make first)"
[ -d "$FIX/c2pa-rs/rs" ] || die "fixtures not found at $FIX/c2pa-rs (set WINNOW_FIXTURES)"
[ -f "$REF_MJS" ] || die "reference script not found at $REF_MJS (set C2PA_REF_MJS)"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (apt-get install nodejs npm)"
command -v openssl >/dev/null || die "the openssl command is needed (apt-get install openssl)"

# The reference, pinned: reinstalled when the installed version is not the pinned one.  A registry
# that cannot be reached is a failure, never a skip: without the reference nothing is compared.
R=$B/c2pa-ref
have=$(node -e "try{console.log(require('$R/node_modules/$REF_PKG/package.json').version)}catch{}" 2>/dev/null)
if [ "$have" != "$REF_VERSION" ]; then
  mkdir -p "$R" && [ -f "$R/package.json" ] || (cd "$R" && npm init -y >/dev/null) || die "npm init failed in $R"
  (cd "$R" && timeout 300 npm install --no-audit --no-fund "$REF_PKG@$REF_VERSION" >npm.log 2>&1) ||
    { cat "$R/npm.log" >&2; die "npm could not install $REF_PKG@$REF_VERSION (is the npm registry reachable?)"; }
fi
export C2PA_REF=$R

W=$B/c2pa-diff
rm -rf "$W" && mkdir -p "$W/signed" "$W/variants" "$W/home" || die "cannot create $W"
# winnow runs in a private home, offline: no cache, no downloaded list, proxies to a dead port
export XDG_CONFIG_HOME=$W/home/config XDG_DATA_HOME=$W/home/data XDG_CACHE_HOME=$W/home/cache
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 no_proxy=127.0.0.1,localhost
# the TSA trust list where `winnow trust update` puts it, so that time stamps are judged as c2pa-rs does
mkdir -p "$XDG_DATA_HOME/winnow/trust" && cp "$FIX/trust/C2PA-TSA-TRUST-LIST.pem" "$XDG_DATA_HOME/winnow/trust/" ||
  die "cannot install the TSA trust list"
OFFICIAL=$FIX/trust/C2PA-TRUST-LIST.pem
TESTROOTS=$FIX/trust/c2pa-rs-test_cert_root_bundle.pem

winnow_all() {   # winnow_all OUT TRUST... -- FILE...: one JSON object a line, keyed by the path
  local out=$1; shift
  local trust=()
  while [ "$1" != -- ]; do trust+=(--trust "$1"); shift; done
  shift
  # one winnow per file, as many at once as there are cores; the lines are joined in file order
  local d=$out.d i=0 total=$#
  rm -rf "$d" && mkdir -p "$d"
  for f in "$@"; do i=$((i + 1)); printf '%s\t%s\0' "$i" "$f"; done |
    WB=$WINNOW_BIN D=$d xargs -0 -I{} -P "$(nproc 2>/dev/null || echo 2)" sh -c '
      n=${1%%	*}; f=${1#*	}; shift
      timeout 60 "$WB" badge --json --no-cache "$@" "$f" 2>/dev/null | tr -d "\n\t" >"$D/$n"; echo >>"$D/$n"
    ' sh {} "${trust[@]}"
  : >"$out"
  for n in $(seq 1 "$total"); do cat "$d/$n" >>"$out"; done
  rm -rf "$d"
}

cd "$FIX/c2pa-rs" || die "cannot enter $FIX/c2pa-rs"
mapfile -t FILES < <(find rs rs-cli rs-identity js -type f | LC_ALL=C sort)
[ "${#FILES[@]}" -gt 0 ] || die "no fixture files"

# 1. the reference's own test media, under both trust settings
node "$REF_MJS" --trust "$OFFICIAL" "${FILES[@]}" >"$W/ref.official.jsonl" 2>"$W/ref.err" || die "the reference failed: $(tail -3 "$W/ref.err")"
node "$REF_MJS" --trust "$OFFICIAL" --trust "$TESTROOTS" "${FILES[@]}" >"$W/ref.test.jsonl" 2>>"$W/ref.err" || die "the reference failed"
winnow_all "$W/win.official.jsonl" "$OFFICIAL" -- "${FILES[@]}"
winnow_all "$W/win.test.jsonl" "$OFFICIAL" "$TESTROOTS" -- "${FILES[@]}"

# 2. media the reference's builder signs here: every format it writes, each key, source types;
# CAWG identities (X.509, and claims aggregation with one thing wrong each); a parent ingredient
# by a signer nobody trusts; brotli-compressed manifests; an update manifest.  The untrusted
# signer is made here by openssl.
U=$W/untrusted
mkdir -p "$U"
{ openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$U/ca.key" -out "$U/ca.pem" \
    -subj "/O=Check Untrusted CA/CN=Untrusted Root" -days 3650 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign &&
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$U/es256.pem" -out "$U/leaf.csr" \
    -subj "/O=Check Untrusted/CN=Untrusted Signer" &&
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\n' >"$U/ext" &&
  openssl x509 -req -in "$U/leaf.csr" -CA "$U/ca.pem" -CAkey "$U/ca.key" -CAcreateserial -days 365 \
    -extfile "$U/ext" -out "$U/leaf.pem" && cat "$U/leaf.pem" "$U/ca.pem" >"$U/es256.pub"; } >"$W/openssl.log" 2>&1 ||
  die "openssl could not make the untrusted test signer: $(tail -3 "$W/openssl.log")"
rs=rs
S1=$W/signed
node "$C/refsign.mjs" "$FIX/c2pa-rs/certs" "$W/signed" \
  plain:es256:trainedAlgorithmicMedia:$rs/IMG_0003.jpg plain:ps256:digitalCapture:$rs/sample1.png \
  plain:ed25519:compositeWithTrainedAlgorithmicMedia:$rs/sample1.webp plain:es384:digitalCapture:$rs/sample1.gif \
  plain:es256:digitalCapture:$rs/test.tiff plain:es512:digitalCapture:$rs/TUSCANY.TIF \
  plain:es256:trainedAlgorithmicMedia:$rs/basic.pdf plain:es256:digitalCreation:$rs/sample1.svg \
  plain:es256:trainedAlgorithmicMedia:$rs/sample1.jxl plain:es256:digitalCapture:$rs/sample1.mp3 \
  plain:es256:digitalCapture:$rs/sample1.wav plain:es256:digitalCapture:$rs/sample1.flac \
  plain:es256:digitalCapture:$rs/test.avi plain:es256:digitalCapture:$rs/sample1.heic \
  plain:es256:trainedAlgorithmicMedia:$rs/sample1.avif plain:es256:digitalCapture:$rs/sample1.m4a \
  plain:es256:digitalCapture:$rs/c.mov plain:es256:digitalCapture:$rs/video1_no_manifest.mp4 \
  x509:ps256:digitalCapture:$rs/IMG_0003.jpg x509:es256:digitalCapture:$rs/sample1.gif \
  ica:es256:digitalCapture:$rs/IMG_0003.jpg ica-sig:es256:digitalCapture:$rs/IMG_0003.jpg \
  ica-payload:es256:digitalCapture:$rs/IMG_0003.jpg ica-expired:es256:digitalCapture:$rs/IMG_0003.jpg \
  ica-future:es256:digitalCapture:$rs/IMG_0003.jpg ica-didweb:es256:digitalCapture:$rs/IMG_0003.jpg \
  ica-ctype:es256:digitalCapture:$rs/IMG_0003.jpg ica:es256:digitalCapture:$rs/test.tiff \
  plain:es256@$U:trainedAlgorithmicMedia:$rs/sample1.png ingredient:ps256::$rs/IMG_0003.jpg \
  plain:es256:algorithmicMedia:$rs/sample1.png ingredient:es256::$rs/sample1.webp \
  plain:ed25519:digitalCapture:$rs/sample1.png compressed:es256:digitalCapture:$rs/sample1.png \
  compressed:ps256:trainedAlgorithmicMedia:$rs/video1_no_manifest.mp4 compressed:es256:digitalCapture:$rs/test.tiff \
  compressed:es256:digitalCapture:$rs/P1000827.jpg compressed:ed25519:trainedAlgorithmicMedia:$rs/earth_apollo17.jpg \
  compressed:es256:digitalCapture:$rs/sample1.gif \
  >"$W/signed.list" 2>"$W/sign.err" || die "the reference's builder failed: $(cut -c1-600 "$W/sign.err")"
# an update manifest on a file signed above
node "$C/refsign.mjs" "$FIX/c2pa-rs/certs" "$W/signed" update:ps256::"$S1/plain-ed25519-sample1.png" \
  >>"$W/signed.list" 2>>"$W/sign.err" || die "the reference's builder failed: $(cut -c1-600 "$W/sign.err")"
mapfile -t SIGNED <"$W/signed.list"

# 3. tampered, truncated and stripped copies of those and of signed fixtures
node "$C/variants.mjs" "$W/variants" "${SIGNED[@]}" rs/C.jpg rs/CACA.jpg rs/boxhash.jpg rs/video1.mp4 \
  rs-cli/C.jpg >"$W/variants.list" 2>"$W/variants.err" || die "variants failed: $(cat "$W/variants.err")"
mapfile -t VARIANTS <"$W/variants.list"
MADE=("${SIGNED[@]}" "${VARIANTS[@]}")
node "$REF_MJS" --trust "$OFFICIAL" --trust "$TESTROOTS" "${MADE[@]}" >"$W/ref.made.jsonl" 2>>"$W/ref.err" || die "the reference failed"
winnow_all "$W/win.made.jsonl" "$OFFICIAL" "$TESTROOTS" -- "${MADE[@]}"

pass=0 fail=0
cmp() {   # cmp NAME REF WIN PREFIX
  node "$C/compare.mjs" "$2" "$3" "$C/allow.txt" "$4" >"$W/cmp.$1.txt" 2>&1
  grep -v '^c2pa-diff' "$W/cmp.$1.txt" | sed "s|$W/||"
  local line p f
  line=$(grep '^c2pa-diff' "$W/cmp.$1.txt" | sed "s|$W/||")
  echo "$line"
  p=$(echo "$line" | sed -nE 's/.*: ([0-9]+) agree, ([0-9]+) allowed, ([0-9]+) disagree.*/\1+\2/p')
  f=$(echo "$line" | sed -nE 's/.* ([0-9]+) disagree.*/\1/p')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
}
cmp official "$W/ref.official.jsonl" "$W/win.official.jsonl" "official:"
cmp test "$W/ref.test.jsonl" "$W/win.test.jsonl" "test-roots:"
cmp made "$W/ref.made.jsonl" "$W/win.made.jsonl" ""
echo "check-c2pa: $pass passed, $fail failed"
[ "$fail" = 0 ]
