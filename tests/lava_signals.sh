#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# gvbench lava on frozen result files (tests/data/results/): the signal
# lines must match the golden files byte for byte, every line must match
# the monitor regex that scripts/lava-job puts into its jobs (so what the
# command prints is what the job parses), and bad input gives one line on
# stderr, nothing on stdout and the right exit status.
# After a deliberate change of the output: GVB_UPDATE_GOLDEN=1 ctest -R
# lava_signals, then read the diff of tests/data/results/lava-*.txt.
#
# Usage: lava_signals.sh GVBENCH TMPDIR
set -u
tool=$1 tmp=$2/lava_signals
case $tool in /*) ;; *) tool=$(pwd)/$tool ;; esac
src=$(cd "$(dirname "$0")/.." && pwd)
data=$src/tests/data/results
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

pattern=$(bash "$src/scripts/lava-job" --print-pattern) || { echo "FAIL: lava-job --print-pattern"; exit 1; }
golden() { # golden NAME FILE: exit 0, silent stderr, stdout == lava-NAME.txt, every line parses
	(cd "$data" && "$tool" lava "$2") >"$tmp/$1.out" 2>"$tmp/$1.err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$tmp/$1.err" ]; then
		fail "$1" "exit $rc, stderr: $(cat "$tmp/$1.err")"
		return
	fi
	bad=
	command -v python3 >/dev/null || echo "note: no python3, lines not parsed with the pattern"
	command -v python3 >/dev/null && bad=$(python3 -c '
import re, sys
p = re.compile(sys.argv[1])
for n, line in enumerate(open(sys.argv[2]), 1):
    m = p.fullmatch(line.rstrip("\n"))
    if not m or (m["result"] == "pass") != (m["measurement"] is not None):
        print("line %d: %s" % (n, line.rstrip())); break' "$pattern" "$tmp/$1.out")
	if [ -n "$bad" ]; then
		fail "$1" "not matched by lava-job's monitor pattern: $bad"
	elif [ "${GVB_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$tmp/$1.out" "$data/lava-$1.txt"
		ok "$1 (golden rewritten)"
	elif diff -u "$data/lava-$1.txt" "$tmp/$1.out"; then
		ok "$1"
	else
		fail "$1" "output differs from tests/data/results/lava-$1.txt (diff above)"
	fi
}
# A sweep's cases and each strategy against resv (paired); a case with no resv.
golden run-base run-base.json
# Two engines: the engine is part of the ID, each engine against its own resv.
golden engines engines-6.12.json
# A directory reads as one result.
golden split split

bad() { # bad NAME RC PATTERN ARGS...: exit RC, one stderr line matching PATTERN
	name=$1 want=$2 pat=$3; shift 3
	(cd "$data" && "$tool" lava "$@") >"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, expected $want; stderr: $(cat "$tmp/bad.err")"
	elif [ "$(wc -l <"$tmp/bad.err")" -ne 1 ] || [ -s "$tmp/bad.out" ]; then
		fail "$name" "expected one stderr line and no stdout: $(cat "$tmp/bad.err" "$tmp/bad.out")"
	elif ! grep -q -- "$pat" "$tmp/bad.err"; then
		fail "$name" "stderr lacks '$pat': $(cat "$tmp/bad.err")"
	else
		ok "$name: $(cat "$tmp/bad.err")"
	fi
}
bad missing 1 "nosuch.json: No such file" nosuch.json
bad bad-json 1 "bad-syntax.json" bad-syntax.json
bad schema 1 "schema" bad-schema.json
bad no-args 2 "needs one result" 
bad two-args 2 "needs one result" run-base.json run-locks.json
bad option 2 "unknown option" --frobnicate run-base.json

echo "lava_signals: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
