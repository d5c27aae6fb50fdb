#!/bin/sh
# SPDX-License-Identifier: ISC
# The long fuzzing run: every harness at once, each for SECONDS of wall time, then one table.
# usage (from a build directory where `make fuzz` has run):
#   sh SRCDIR/tests/fuzz/long.sh SRCDIR FIXTURES SECONDS [HARNESS...]
# Every harness runs as its own process at nice 10 (the machine stays usable); on a machine with
# fewer cores than harnesses they share the CPU, so the table gives CPU seconds next to the wall
# time. Corpora are seeded from the fixtures unless tests/fuzz/corpus/NAME already has files (so a
# second run continues the first). Crashes land in tests/fuzz/crashes-NAME/.
set -u
src=$1 fx=$2 secs=$3
shift 3
hs=${*:-feed_xml jsonfeed sources html text date image opml config jumbf cbor xmp}
out=tests/fuzz/long
mkdir -p "$out" tests/fuzz/corpus
if [ -z "$(ls tests/fuzz/corpus 2>/dev/null)" ]; then
    python3 "$src/tests/fuzz/seeds.py" "$fx/provenance" tests/fuzz/corpus >/dev/null
    sh "$src/tests/fuzz/seeds.sh" "$fx" "$src" tests/fuzz/corpus
fi
for h in $hs; do
    mkdir -p "tests/fuzz/crashes-$h" "tests/fuzz/corpus/$h"
    reg=$src/tests/fuzz/regressions/$h
    if [ -d "$reg" ] && ! "tests/fuzz/fuzz_$h" "$reg"/* >"$out/$h.regressions.log" 2>&1; then
        echo "fuzz_$h: a regression input crashes again (see $out/$h.regressions.log)"
        continue
    fi
    find "tests/fuzz/corpus/$h" -type f | wc -l > "$out/$h.seeds"
    nice -n 10 /usr/bin/time -f 'time: %e wall %U user %S sys %M maxrss_kb' -o "$out/$h.time" \
        "tests/fuzz/fuzz_$h" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
        -print_final_stats=1 -artifact_prefix="tests/fuzz/crashes-$h/" "tests/fuzz/corpus/$h" \
        >"$out/$h.log" 2>&1 &
done
wait
sh "$src/tests/fuzz/table.sh" $hs
