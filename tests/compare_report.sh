#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# gvbench compare and report on frozen result files (tests/data/results/,
# see its README.md): the output must match the golden files byte for byte,
# every line must be printable ASCII and at most 75 columns, and each kind
# of bad input must give one line on stderr, nothing on stdout and the
# right exit status (1 bad input, 2 bad usage).
#
# The commands run inside tests/data/results with relative paths, and print
# only what the files hold, so the goldens do not depend on the machine.
# After a deliberate change of the output: GVB_UPDATE_GOLDEN=1 ctest -R
# compare_report, then read the diff of tests/data/results/*.txt.
#
# Usage: compare_report.sh GVBENCH TMPDIR
set -u
tool=$1 tmp=$2/compare_report
case $tool in /*) ;; *) tool=$(pwd)/$tool ;; esac
data=$(cd "$(dirname "$0")/data/results" && pwd)
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# Mail-safe: printable ASCII only, no line over 75 columns.
mail_safe() { # mail_safe NAME FILE
	if LC_ALL=C grep -n '[^ -~]' "$2" >/dev/null; then
		fail "$1" "non-ASCII or control character: $(LC_ALL=C grep -n '[^ -~]' "$2" | head -n 1)"
		return 1
	fi
	long=$(awk 'length($0) > 75 { print NR": "length($0)" columns"; exit }' "$2")
	if [ -n "$long" ]; then
		fail "$1" "line $long"
		return 1
	fi
	return 0
}

golden() { # golden NAME ARGS...: exit 0, silent stderr, stdout == NAME.txt
	name=$1; shift
	(cd "$data" && "$tool" "$@") >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$tmp/$name.err" ]; then
		fail "$name" "exit $rc, stderr: $(cat "$tmp/$name.err")"
		return
	fi
	match "$name"
}

match() { # match NAME: $tmp/NAME.out is mail-safe and equals NAME.txt
	mail_safe "$1" "$tmp/$1.out" || return
	if [ "${GVB_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$tmp/$1.out" "$data/$1.txt"
		ok "$1 (golden rewritten)"
	elif diff -u "$data/$1.txt" "$tmp/$1.out"; then
		ok "$1"
	else
		fail "$1" "output differs from tests/data/results/$1.txt (diff above)"
	fi
}

prefix=
bad() { # bad NAME RC PATTERN ARGS...: exit RC, one stderr line matching PATTERN
	name=$1 want=$2 pattern=$3; shift 3
	(cd "$data" && $prefix "$tool" "$@") >"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	lines=$(wc -l <"$tmp/bad.err")
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, expected $want; stderr: $(cat "$tmp/bad.err")"
	elif [ "$lines" -ne 1 ]; then
		fail "$name" "$lines lines on stderr, expected one: $(cat "$tmp/bad.err")"
	elif [ -s "$tmp/bad.out" ]; then
		fail "$name" "wrote to stdout: $(head -n 1 "$tmp/bad.out")"
	elif ! grep -q -- "$pattern" "$tmp/bad.err"; then
		fail "$name" "stderr lacks '$pattern': $(cat "$tmp/bad.err")"
	else
		ok "$name: $(cat "$tmp/bad.err")"
	fi
}

# BASE NEW: cases on one side only, a side with n < 6, the alpha boundary
# (p = 0.0433 and 0.0524 at n = 10, p = 0.0499 at n = 8), the geomean.
golden compare compare cmp-base.json cmp-new.json
# The same at alpha 0.04: 0.0433 turns into ~, 0.0499 prints as 0.050.
golden compare-alpha compare --alpha 0.04 cmp-base.json cmp-new.json
# Within one result, every strategy against one; a case with no base.
golden compare-base compare run-base.json --base resv
golden compare-base-gpuva compare --base gpuva run-base.json
# A directory of two result files against the one file they came from.
golden compare-dir compare split run-base.json
golden report report run-base.json
# Lock counts and recorded groups: the answer's cost per extra gpuva acquisition.
golden report-locks report run-locks.json
golden compare-locks compare run-locks.json --base resv
golden report-dir report split

# Several sets: the fleet report. Two runs of one machine (two rows), a UML
# kmod run, and a file of two engines made before arch was recorded (two
# machines, arch unknown); then strategies present on one machine only.
golden report-fleet report fleet/x86-a fleet/x86-b fleet/uml-7.3 fleet/kmod-7.3
golden report-fleet-partial report engines-6.12.json fleet/uml-7.3

# More than 99 machines (runs told apart by their date): every line still fits
# 75 columns, and an id never runs into its entry ("  M100 x86_64; ...").
mkdir -p "$tmp/many"
for i in $(seq 100 200); do
	mkdir -p "$tmp/many/r$i"
	sed "s/\"date\": \"2026-11-30T08:20:03Z\"/\"date\": \"2026-11-30T08:20:03Z-$i\"/" \
		"$data/fleet/x86-a/map-unmap.json" >"$tmp/many/r$i/map-unmap.json"
done
"$tool" report "$tmp"/many/r* >"$tmp/many.out" 2>"$tmp/many.err"
rc=$?
wide=$(awk 'length > 75' "$tmp/many.out" | head -n 1)
if [ $rc != 0 ] || [ -n "$wide" ] || ! grep -q '^  M100 x86_64; ' "$tmp/many.out" ||
   ! grep -q '^  M9  x86_64; ' "$tmp/many.out"; then
	fail "report-fleet-101" "exit $rc, $(head -c 300 "$tmp/many.err") wide: '$wide'"
else
	ok "report-fleet-101: $(head -n 1 "$tmp/many.out")"
fi

# Never pooled: each fleet row is that machine's own one-machine answer.
fleet_row_is_own() { # fleet_row_is_own ID DIR
	want=$(cd "$data" && "$tool" report "$2" | tr -s '\n ' '  ' |
		sed -n 's/.*resv+gpuva - resv at map-unmap-4K, *1 thread is \([^ ]*\) \(\[[^]]*\]\).*/\1 \2/p')
	got=$(sed -n '/^resv+gpuva against resv:$/,/^$/p' "$tmp/report-fleet.out" |
		awk -v id="$1" '$1 == id { print $2, $3, $4 }')
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		ok "fleet row $1 is $2's own answer: $got"
	else
		fail "fleet-row-$1" "fleet row '$got', one-machine answer '$want'"
	fi
}
fleet_row_is_own M1 fleet/x86-a
fleet_row_is_own M2 fleet/x86-b
fleet_row_is_own M3 fleet/uml-7.3

# The section "model vs drm_gpuvm" alone (report.c's own text around it may
# change without touching it), from a real two-engine run; absent elsewhere.
section() { # section NAME FILE: the section of report FILE equals NAME.txt
	(cd "$data" && "$tool" report "$2") 2>"$tmp/$1.err" |
		sed -n '/^model vs drm_gpuvm$/,/^Setup$/p' >"$tmp/$1.out"
	if [ -s "$tmp/$1.err" ] || [ ! -s "$tmp/$1.out" ]; then
		fail "$1" "no section, stderr: $(cat "$tmp/$1.err")"
		return
	fi
	match "$1"
}
section report-engines engines-6.12.json
if (cd "$data" && "$tool" report run-base.json) | grep -q "model vs drm_gpuvm"; then
	fail "report-engines-absent" "section printed for a model-only result"
else
	ok "report-engines-absent"
fi

mkdir -p "$tmp/empty" "$tmp/dup"
cp "$data/run-base.json" "$tmp/dup/1.json" && cp "$data/run-base.json" "$tmp/dup/2.json"
bad missing-file 1 "nosuch.json: No such file" compare nosuch.json cmp-new.json
bad bad-json 1 "bad-syntax.json" compare cmp-base.json bad-syntax.json
bad schema-mismatch 1 "schema" compare bad-schema.json cmp-new.json
bad empty-dir 1 "no result files" compare "$tmp/empty" cmp-new.json
bad duplicate-case 1 "is in both" compare "$tmp/dup" cmp-new.json
bad base-not-in-file 1 "it has: resv, resv+gpuva, gpuva, gpuva+deferred" \
	compare run-base.json --base nosuch
bad usage-no-args 2 "needs BASE and NEW" compare
bad usage-one-file 2 "needs BASE and NEW" compare cmp-base.json
bad usage-three-files 2 "needs BASE and NEW" compare cmp-base.json cmp-new.json run-base.json
bad usage-base-two-files 2 "--base takes one result" \
	compare cmp-base.json cmp-new.json --base resv
bad usage-alpha 2 "--alpha" compare --alpha 2 cmp-base.json cmp-new.json
bad usage-option 2 "unknown option" compare --frobnicate cmp-base.json cmp-new.json
bad report-no-resv 1 "no resv case" report latency.json
bad report-missing 1 "No such file" report nosuch
bad report-schema 1 "schema" report bad-schema.json
bad report-usage 2 "needs one result" report
bad report-fleet-missing 1 "nosuch: No such file" report run-base.json nosuch
bad plot-fleet-no-out 2 "need -o OUTDIR" plot fleet/x86-a fleet/x86-b
# One run given twice (a directory and its file, or a copy) is no second machine.
cp -r "$data/fleet/x86-a" "$tmp/x86-a-copy"
bad report-fleet-twice 1 "hold the same run" report fleet/x86-a fleet/x86-a/map-unmap.json
bad report-fleet-copy 1 "hold the same run" report fleet/x86-a fleet/uml-7.3 "$tmp/x86-a-copy"
bad plot-fleet-twice 1 "hold the same run" plot fleet/x86-a fleet/x86-a -o "$tmp/fleettwice"
touch "$tmp/plotfile"
bad plot-fleet-out-file 1 "plotfile/fleet.csv: Not a directory" \
	plot fleet/x86-a fleet/x86-b -o "$tmp/plotfile"
bad plot-fleet-base 2 "--base is for one result" \
	plot --base gpuva fleet/x86-a fleet/x86-b -o "$tmp/fleetplot"
bad plot-missing 1 "No such file" plot nosuch -o "$tmp/plot"
bad plot-empty-dir 1 "no result files" plot "$tmp/empty"
bad plot-term 2 "--term" plot --term jpg run-base.json
bad plot-base-not-in-file 1 "no case of that strategy" plot run-base.json --base nosuch
# Checked before anything is written, so this needs no gnuplot installed.
prefix="env PATH=/nonexistent"
bad plot-no-gnuplot 1 "gnuplot not found: apt-get install gnuplot-nox" \
	plot run-base.json -o "$tmp/plot"
prefix=

echo "compare_report: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
