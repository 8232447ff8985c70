#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Usage: torture.sh GVBENCH STRATEGY SUCCESS|FAILURE [OPTIONS...]
#        torture.sh GVBENCH usage
# Runs `gvbench torture` on one strategy and checks the verdict line (and,
# for SUCCESS, a zero exit, operations actually done and checks actually
# run). "usage": every bad argument is one line on stderr naming it, exit 2,
# and nothing run.
set -u
bin=$1 strategy=$2
if [ "$strategy" = usage ]; then
	pass=0 fail=0
	bad() { # bad PATTERN ARGS...
		pat=$1; shift
		out=$("$bin" torture "$@" 2>/tmp/gvb_torture_err.$$); rc=$?
		err=$(cat /tmp/gvb_torture_err.$$)
		if [ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] &&
		   printf '%s' "$err" | grep -q "^gvbench: .*$pat"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL torture $*: exit $rc, stderr: $err, stdout: $(echo "$out" | head -3)"
		fi
	}
	bad "unknown strategy 'nope'" -s nope
	bad "negative control" -s broken
	bad "unknown backend 'gpu'" -b gpu
	bad "not both" --ops 100 --duration 1
	bad "threads: 0 is out of range" --threads 0
	bad "threads: 65 is out of range" --threads 65
	bad "vms: 17 is out of range" --vms 17
	bad "bos: 0 is out of range" --bos 0
	bad "duration: 0 is out of range" --duration 0
	bad "ops: 0 is out of range" --ops 0
	bad "seed: '0x10' is not a decimal number" --seed 0x10
	bad "threads: '-1' is not a decimal number" --threads -1
	bad "interval: '1.5' is not a decimal number" --interval 1.5
	bad "check-every: '' is not a decimal number" --check-every ''
	bad "unknown option '--frob'" --frob
	bad "option '--seed' needs a value" --seed
	bad "unexpected argument 'resv'" resv
	# A leading zero is decimal, never octal: 010 threads is ten, shown in the dump.
	out=$("$bin" torture -s resv --ops 100 --threads 010 --interval 09 2>/dev/null); rc=$?
	if [ "$rc" -eq 0 ] && echo "$out" | grep -q "^gvbench torture: SUCCESS .* threads=10 "; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL --threads 010: exit $rc: $out"
	fi
	rm -f /tmp/gvb_torture_err.$$
	echo "torture usage: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]; exit
fi
expect=$3
shift 3
out=$("$bin" torture -s "$strategy" "$@" 2>&1); rc=$?
echo "$out" | tail -n 40
line=$(echo "$out" | grep "^gvbench torture: \(SUCCESS\|FAILURE\) " | tail -n 1)
case "$expect" in
SUCCESS)
	ops=$(echo "$line" | sed -n 's/.* ops=\([0-9]*\) enomem=.*/\1/p')
	checks=$(echo "$line" | sed -n 's/.* check=\([0-9]*\) .*/\1/p')
	if [ "$rc" -ne 0 ] || ! echo "$line" | grep -q "^gvbench torture: SUCCESS backend=user strategy=$strategy .*seed="; then
		echo "torture: 0 passed, 1 failed ($strategy: no SUCCESS line, exit $rc)"; exit 1
	fi
	if [ "${ops:-0}" -lt 1000 ] || [ "${checks:-0}" -lt 1 ]; then
		echo "torture: 0 passed, 1 failed ($strategy: only ${ops:-0} ops, ${checks:-0} checks)"; exit 1
	fi
	echo "torture: 1 passed, 0 failed ($strategy: $ops ops, $checks checks)" ;;
FAILURE)
	if [ "$rc" -eq 0 ] || ! echo "$line" | grep -q "^gvbench torture: FAILURE backend=user strategy=$strategy .*seed="; then
		echo "torture: 0 passed, 1 failed ($strategy: no FAILURE line, exit $rc)"; exit 1
	fi
	echo "torture: 1 passed, 0 failed ($strategy ended in FAILURE, exit $rc)" ;;
*)
	echo "torture.sh: expect SUCCESS or FAILURE, not '$expect'"; exit 2 ;;
esac
