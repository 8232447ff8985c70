#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# gvbench-gbench's JSON must be accepted by Google's own compare.py.
# Usage: gbench_compare.sh GVBENCH_GBENCH OUTDIR COMPARE_PY [PYTHON]
# Runs two cheap cases twice, with repetitions so that compare.py also runs
# its U test (scipy), and compares the two outputs. Exits 77 (skipped) when
# compare.py or scipy is missing: scripts/bootstrap installs them.
set -u
gbench=$1
out=$2
compare=$3
python=${4:-/usr/bin/python3}
filter='map-unmap/(resv|gpuva)/t1'
names='map-unmap/resv/t1 map-unmap/gpuva/t1'

fail() {
	echo "gbench_compare: 0 passed, 1 failed ($*)"
	exit 1
}

if [ ! -f "$compare" ]; then
	echo "gbench_compare: skipped: no compare.py at '$compare' (install libbenchmark-tools)"
	exit 77
fi
if ! "$python" -c 'import scipy.stats' 2>/dev/null; then
	echo "gbench_compare: skipped: $python cannot import scipy (install python3-scipy)"
	exit 77
fi
mkdir -p "$out" || fail "cannot create $out"

for run in a b; do
	rm -f "$out/$run.json"
	"$gbench" --benchmark_filter="$filter" --benchmark_min_time=0.05 \
		--benchmark_repetitions=3 --benchmark_format=json \
		--benchmark_out="$out/$run.json" >"$out/$run.stdout" 2>"$out/$run.stderr"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		cat "$out/$run.stderr"
		fail "gvbench-gbench run $run exited $rc"
	fi
	[ -s "$out/$run.json" ] || fail "gvbench-gbench run $run wrote no $out/$run.json"
done

"$python" "$compare" --no-color benchmarks "$out/a.json" "$out/b.json" >"$out/compare.txt" 2>&1
rc=$?
cat "$out/compare.txt"
[ "$rc" -eq 0 ] || fail "compare.py exited $rc"
for n in $names; do
	grep -q "^$n/" "$out/compare.txt" || fail "compare.py output does not name $n"
done
grep -q '_pvalue' "$out/compare.txt" || fail "compare.py ran no U test"

# The check above must be able to fail: compare.py rejects a file that is
# not benchmark JSON.
echo '{"context": {}}' >"$out/bad.json"
if "$python" "$compare" --no-color benchmarks "$out/a.json" "$out/bad.json" >/dev/null 2>&1; then
	fail "compare.py accepted a file without benchmarks"
fi
echo "gbench_compare: 1 passed, 0 failed"
