#!/bin/sh
# SPDX-License-Identifier: ISC
# One markdown row per harness from the logs long.sh leaves in tests/fuzz/long/.
# usage: table.sh HARNESS...
d=tests/fuzz/long
echo "| harness  | wall s | CPU s | executions | exec/CPU-s | seeds | seed cov | cov | ft | corpus | peak RSS MB | crashes |"
echo "|----------|-------:|------:|-----------:|-----------:|------:|---------:|----:|---:|--------|------------:|--------:|"
for h in "$@"; do
    log=$d/$h.log
    [ -f "$log" ] || continue
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -n "$runs" ] || runs=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -E 's/^#([0-9]+).*/\1/')
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    init=$(grep -E 'INITED' "$log" | tail -1 | sed -E 's/.*cov: ([0-9]+).*/\1/')
    last=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1)
    cov=$(echo "$last" | sed -E 's/.*cov: ([0-9]+).*/\1/')
    ft=$(echo "$last" | sed -E 's/.*ft: ([0-9]+).*/\1/')
    corp=$(echo "$last" | sed -E 's/.*corp: ([0-9]+)\/([0-9A-Za-z]+).*/\1 (\2)/')
    wall=$(sed -E 's/^time: ([0-9.]+) wall.*/\1/' "$d/$h.time" 2>/dev/null)
    cpu=$(awk '/^time:/ { printf "%.0f", $4 + $6 }' "$d/$h.time" 2>/dev/null)
    rate=$(awk -v r="${runs:-0}" -v c="${cpu:-0}" 'BEGIN { if (c > 0) printf "%.0f", r / c; else print "-" }')
    seeds=$(cat "$d/$h.seeds" 2>/dev/null)
    crashes=$(find "tests/fuzz/crashes-$h" -type f 2>/dev/null | wc -l)
    printf '| %-8s | %6.0f | %5s | %10s | %10s | %5s | %8s | %3s | %4s | %s | %s | %s |\n' \
        "$h" "${wall:-0}" "${cpu:--}" "${runs:--}" "$rate" "${seeds:--}" "${init:--}" "${cov:--}" \
        "${ft:--}" "${corp:--}" "${rss:--}" "$crashes"
done
