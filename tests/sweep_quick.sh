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
# The expected matrix, from what sweep --help says it runs.
want_names=$(sh "$(dirname "$0")/sweep_matrix.sh" "$bin")
want=$(echo "$want_names" | grep -c .)
nstrats=$("$bin" sweep --help | sed -n 's/^  the default strategies (\(.*\))$/\1/p' | tr ',' ' ' | wc -w)
groups=$((want / (nstrats ? nstrats : 1)))
check "sweep --help names the matrix ($want cases)" '[ "$want" -ge 12 ]'
cases=$(tail -n +2 "$dir/sweep.csv" | cut -d, -f1 | sort -u | wc -l)
check "$want cases in the CSV (got $cases)" '[ "$cases" -eq "$want" ]'
rows=$(tail -n +2 "$dir/sweep.csv" | wc -l)
check "3 samples per case (got $rows rows)" '[ "$rows" -eq $((want * 3)) ]'
for c in $want_names; do
	check "case $c" 'grep -q "^$c," "$dir/sweep.csv"'
done
check "no one-thread evict-walk (an evictor with no binder)" \
	'! grep -q "^evict-walk/[^/]*/t1," "$dir/sweep.csv"'
check "the summary leaves it out too" '! grep -q "^evict-walk/t1 " "$dir.out"'
lc=$(grep -c '"lock_acquisitions_per_op"' "$dir/sweep.json")
check "lock counts in every case (got $lc)" '[ "$lc" -eq "$cases" ]'
check "paired design in the summary" 'grep -q "per-round differences (paired" "$dir.out"'
fmts=$(grep -c '"format": "arm-lpae-s1"' "$dir/sweep.json")
check "page-table format recorded per case (got $fmts)" '[ "$fmts" -eq "$cases" ]'
check "broken never swept" '! grep -q "/broken/" "$dir/sweep.csv"'
check "progress on stderr" 'grep -q "sweep \[" "$dir.err"'
# stderr is a file here: a log gets whole lines, one per group of interleaved cases.
check "no redraws in a log" '! grep -q "$(printf "\r")" "$dir.err"'
lines=$(grep -c "sweep \[" "$dir.err")
check "one progress line per group (got $lines)" '[ "$lines" -eq "$groups" ]'
check "results named on stdout" 'grep -q "^results: $dir/sweep.json" "$dir.out"'
check "setup line first" 'head -n 1 "$dir.out" | grep -q "^gvbench .* backend, kernel "'
check "no progress in stdout" '! grep -q "ETA" "$dir.out"'
echo "sweep_quick: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
