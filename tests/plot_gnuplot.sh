#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# gvbench plot on frozen result files: gnuplot must exit 0 and every PNG
# and SVG it should write must exist and be non-empty (and be a PNG or an
# SVG); summary.csv must have one row per case; --term dumb must print a
# preview and write no image; a failing script must fail the command.
#
# Without gnuplot this exits 77, which ctest reports as skipped, not
# passed (install it: apt-get install gnuplot-nox; .ci/run does).
#
# Usage: plot_gnuplot.sh GVBENCH TMPDIR
set -u
tool=$1 tmp=$2/plot_gnuplot
case $tool in /*) ;; *) tool=$(pwd)/$tool ;; esac
data=$(cd "$(dirname "$0")/data/results" && pwd)
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "SKIP: gnuplot not installed (apt-get install gnuplot-nox)"
	exit 77
fi
rm -rf "$tmp" && mkdir -p "$tmp/in" || exit 1
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
image_ok() { # image_ok NAME PATH png|svg: exists, not empty, of that format
	if [ ! -s "$2" ]; then
		fail "$1" "missing or empty"
	elif [ "$3" = png ] && [ "$(head -c 4 "$2" | tail -c 3)" != PNG ]; then
		fail "$1" "not a PNG"
	elif [ "$3" = svg ] && ! grep -q "<svg" "$2"; then
		fail "$1" "not an SVG"
	else
		ok "$1 ($(wc -c <"$2") bytes)"
	fi
}

# A directory of two results: throughput-mode cases with a resv base, and
# latency-mode cases without one.
cp "$data/run-base.json" "$data/latency.json" "$tmp/in/"
"$tool" plot "$tmp/in" -o "$tmp/out" >"$tmp/plot.out" 2>"$tmp/plot.err"
rc=$?
if [ "$rc" -eq 0 ]; then
	ok "plot exits 0: $(tail -n 1 "$tmp/plot.err")"
else
	fail plot "exit $rc: $(cat "$tmp/plot.err")"
fi

for f in throughput-map-unmap-4K throughput-shared-bo throughput-evict-walk \
	 throughput-fence-path delta-map-unmap-4K delta-shared-bo latency-fence-path; do
	for ext in png svg; do
		image_ok "$f.$ext" "$tmp/out/$f.$ext" "$ext"
	done
done
# No base case beside the latency-mode cases: no delta plot for them.
if [ -e "$tmp/out/delta-fence-path.png" ]; then
	fail delta-fence-path "written without a resv case to compare with"
else
	ok "no delta plot without a base"
fi

rows=$(($(wc -l <"$tmp/out/summary.csv") - 1))
if [ "$rows" -eq 25 ] && head -n 1 "$tmp/out/summary.csv" | grep -q \
	'^case,workload,strategy,threads,median,ci_lo,ci_hi,ops_median,ops_ci_lo,ops_ci_hi,cpu_median,lat_p50,lat_p90,lat_p99,lat_p999$'; then
	ok "summary.csv: header and 25 rows"
else
	fail summary.csv "$rows rows, header: $(head -n 1 "$tmp/out/summary.csv")"
fi
if grep -q '^fence-path/gpuva/t1,fence-path,gpuva,1,.*,610,790,2400,9100$' "$tmp/out/summary.csv"; then
	ok "summary.csv: latency percentiles"
else
	fail summary.csv "no latency row for fence-path/gpuva/t1"
fi
rows=$(($(wc -l <"$tmp/out/delta.csv") - 1))
if [ "$rows" -eq 15 ]; then
	ok "delta.csv: 15 rows (every non-resv case with a resv beside it)"
else
	fail delta.csv "$rows rows, expected 15"
fi

"$tool" plot "$data/run-base.json" -o "$tmp/dumb" --term dumb >"$tmp/dumb.out" 2>"$tmp/dumb.err"
rc=$?
if [ "$rc" -ne 0 ]; then
	fail dumb "exit $rc: $(cat "$tmp/dumb.err")"
elif ! grep -q "map-unmap-4K: throughput against threads" "$tmp/dumb.out"; then
	fail dumb "no preview on stdout"
elif ls "$tmp/dumb" | grep -q -e '\.png$' -e '\.svg$'; then
	fail dumb "wrote image files"
else
	ok "--term dumb: preview on stdout, $(wc -l <"$tmp/dumb.out") lines"
fi

# Several sets: the fleet chart. Machines as in report-fleet.txt: 5 (two runs
# of one machine stay two), each with its strategies against resv.
(cd "$data" && "$tool" plot fleet/x86-a fleet/x86-b fleet/uml-7.3 fleet/kmod-7.3 \
	-o "$tmp/fleet") >"$tmp/fleet.out" 2>"$tmp/fleet.err"
rc=$?
if [ "$rc" -ne 0 ]; then
	fail fleet "exit $rc: $(cat "$tmp/fleet.err")"
else
	ok "fleet plot exits 0: $(tail -n 1 "$tmp/fleet.err")"
fi
for ext in png svg; do
	image_ok "fleet.$ext" "$tmp/fleet/fleet.$ext" "$ext"
done
# 5 machines x 3 strategies against resv; the rows carry the report's numbers.
rows=$(($(wc -l <"$tmp/fleet/fleet.csv") - 1))
machines=$(tail -n +2 "$tmp/fleet/fleet.csv" | cut -d, -f1 | sort -u | tr '\n' ' ')
if [ "$rows" -eq 15 ] && [ "$machines" = "M1 M2 M3 M4 M5 " ]; then
	ok "fleet.csv: 15 rows, machines $machines"
else
	fail fleet.csv "$rows rows, machines '$machines'"
fi
# +7.0% and +48.7ns in report-fleet.txt.
if grep -q '^M3,M3/x86_64/uml/kmod/model,resv+gpuva,map-unmap-4K/t1,6\.96[0-9]*,.*,1,48\.70[0-9]*,.*,paired,' \
	"$tmp/fleet/fleet.csv"; then
	ok "fleet.csv: M3 resv+gpuva +6.96% (+48.7ns), as the fleet report"
else
	fail fleet.csv "no M3 resv+gpuva row of +6.96%: $(grep '^M3,' "$tmp/fleet/fleet.csv" | head -n 1)"
fi
(cd "$data" && "$tool" plot fleet/x86-a fleet/uml-7.3 -o "$tmp/fleetdumb" --term dumb) \
	>"$tmp/fleetdumb.out" 2>"$tmp/fleetdumb.err"
if grep -q "Each strategy against resv per machine" "$tmp/fleetdumb.out" &&
	! ls "$tmp/fleetdumb" | grep -q -e '\.png$' -e '\.svg$'; then
	ok "fleet --term dumb: preview on stdout"
else
	fail fleet-dumb "$(cat "$tmp/fleetdumb.err")"
fi

# gnuplot's exit status is checked: a script it cannot parse fails the command.
mkdir -p "$tmp/badscripts"
echo "this is not gnuplot" >"$tmp/badscripts/throughput.gp"
GVB_PLOT_DIR="$tmp/badscripts" "$tool" plot "$data/run-base.json" -o "$tmp/bad" \
	>"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "gnuplot failed on .*throughput.gp (exit status" "$tmp/bad.err"; then
	ok "failing script: $(tail -n 1 "$tmp/bad.err")"
else
	fail failing-script "exit $rc: $(cat "$tmp/bad.err")"
fi

echo "plot_gnuplot: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
