#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Usage: torture.sh GVB_TORTURE STRATEGY SUCCESS|FAILURE [OPTIONS...]
# Runs one strategy and checks the verdict line (and, for SUCCESS, a zero
# exit, operations actually done and checks actually run).
set -u
bin=$1 strategy=$2 expect=$3
shift 3
out=$("$bin" -s "$strategy" "$@" 2>&1); rc=$?
echo "$out" | tail -n 40
line=$(echo "$out" | grep "^gvb-torture: \(SUCCESS\|FAILURE\) " | tail -n 1)
case "$expect" in
SUCCESS)
	ops=$(echo "$line" | sed -n 's/.* ops=\([0-9]*\) enomem=.*/\1/p')
	checks=$(echo "$line" | sed -n 's/.* check=\([0-9]*\) .*/\1/p')
	if [ "$rc" -ne 0 ] || ! echo "$line" | grep -q "^gvb-torture: SUCCESS strategy=$strategy .*seed="; then
		echo "torture: 0 passed, 1 failed ($strategy: no SUCCESS line, exit $rc)"; exit 1
	fi
	if [ "${ops:-0}" -lt 1000 ] || [ "${checks:-0}" -lt 1 ]; then
		echo "torture: 0 passed, 1 failed ($strategy: only ${ops:-0} ops, ${checks:-0} checks)"; exit 1
	fi
	echo "torture: 1 passed, 0 failed ($strategy: $ops ops, $checks checks)" ;;
FAILURE)
	if [ "$rc" -eq 0 ] || ! echo "$line" | grep -q "^gvb-torture: FAILURE strategy=$strategy .*seed="; then
		echo "torture: 0 passed, 1 failed ($strategy: no FAILURE line, exit $rc)"; exit 1
	fi
	echo "torture: 1 passed, 0 failed ($strategy ended in FAILURE, exit $rc)" ;;
*)
	echo "torture.sh: expect SUCCESS or FAILURE, not '$expect'"; exit 2 ;;
esac
