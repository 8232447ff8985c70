#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Smoke test of the main job: a --quick sweep (shortened further) must write
# a result JSON and CSV covering every non-broken strategy x main workload x
# threads 1,2,4, with a progress line on stderr and a summary on stdout.
# Usage: sweep_quick.sh GVBENCH OUTDIR
set -u
bin=$1 dir=$2/sweep_quick
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }
rm -rf "$dir"
"$bin" sweep --quick --samples 3 --batch-ms 0.2 --warmup-ms 1 -o "$dir" >"$dir.out" 2>"$dir.err"
rc=$?
check "exit status 0 (got $rc)" '[ "$rc" -eq 0 ]'
check "sweep.json written" '[ -s "$dir/sweep.json" ]'
check "sweep.csv written" '[ -s "$dir/sweep.csv" ]'
check "schema named" 'grep -q "gpuvm-bench/result/v1" "$dir/sweep.json"'
cases=$(tail -n +2 "$dir/sweep.csv" | cut -d, -f1 | sort -u | wc -l)
check "84 cases in the CSV (got $cases)" '[ "$cases" -eq 84 ]'
rows=$(tail -n +2 "$dir/sweep.csv" | wc -l)
check "3 samples per case (got $rows rows)" '[ "$rows" -eq 252 ]'
for s in resv resv+gpuva gpuva gpuva+deferred; do
	for w in map-unmap-4K bind-many shared-bo vm-bo-churn remap-split evict-walk sparse-bind; do
		for t in 1 2 4; do
			check "case $w/$s/t$t" 'grep -q "^$w/$s/t$t," "$dir/sweep.csv"'
		done
	done
done
fmts=$(grep -c '"format": "arm-lpae-s1"' "$dir/sweep.json")
check "page-table format recorded per case (got $fmts)" '[ "$fmts" -eq "$cases" ]'
check "broken never swept" '! grep -q "/broken/" "$dir/sweep.csv"'
check "progress on stderr" 'grep -q "sweep \[" "$dir.err"'
# stderr is a file here: a log gets whole lines, one per group of 4 interleaved cases.
check "no redraws in a log" '! grep -q "$(printf "\r")" "$dir.err"'
lines=$(grep -c "sweep \[" "$dir.err")
check "one progress line per group (got $lines)" '[ "$lines" -eq $((cases / 4)) ]'
check "results named on stdout" 'grep -q "^results: $dir/sweep.json" "$dir.out"'
check "setup line first" 'head -n 1 "$dir.out" | grep -q "^gvbench .* backend, kernel "'
check "no progress in stdout" '! grep -q "ETA" "$dir.out"'
echo "sweep_quick: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
