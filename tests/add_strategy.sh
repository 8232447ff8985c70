#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Adding a strategy is one new file plus one line in strategies/list.h, and
# nothing else: in a scratch copy of the tree, add test-copy (resv.c under
# another name) that way, build gvbench from scratch and run it. The same
# for a workload: test-copy-wl (map_unmap.c) and its line in workloads/list.h.
# kmod/Kbuild compiles every .c of strategies/ and workloads/, so the module
# needs no edit either.
# Usage: add_strategy.sh SOURCE_DIR OUTDIR
set -u
src=$1 dir=$2/add_strategy
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }
rm -rf "$dir"
mkdir -p "$dir/tree" || exit 1
tar -C "$src" --exclude=./build --exclude=./.git --exclude='*.o' -cf - . | tar -C "$dir/tree" -xf - ||
	{ echo "add_strategy: cannot copy $src to $dir/tree"; exit 1; }
t=$dir/tree
sed -e 's/gvb_strategy_resv\b/gvb_strategy_test_copy/' -e 's/"resv"/"test-copy"/' \
	"$t/strategies/resv.c" > "$t/strategies/test_copy.c"
echo 'GVB_STRATEGY(test_copy)' > "$dir/line"
# The new line goes last, before the #undef that closes the list.
sed -i '/^#undef GVB_STRATEGY/e cat '"$dir/line" "$t/strategies/list.h"
sed -e 's/gvb_wl_map_unmap\b/gvb_wl_test_copy_wl/' -e 's/"map-unmap"/"test-copy-wl"/' \
	"$t/workloads/map_unmap.c" > "$t/workloads/test_copy_wl.c"
echo 'GVB_WORKLOAD(test_copy_wl)' > "$dir/wline"
sed -i '/^#undef GVB_WORKLOAD/e cat '"$dir/wline" "$t/workloads/list.h"
check "test_copy.c defines gvb_strategy_test_copy" \
	'grep -q "^const struct gvb_strategy_ops gvb_strategy_test_copy = {" "$t/strategies/test_copy.c"'
check "strategies/list.h has the line" 'grep -q "^GVB_STRATEGY(test_copy)$" "$t/strategies/list.h"'
check "strategies/ differs in those two files only" \
	'[ "$(diff -r "$src/strategies" "$t/strategies" | grep -c "^[<>]\|^Only")" -eq 2 ]'
check "test_copy_wl.c defines gvb_wl_test_copy_wl" \
	'grep -q "^const struct gvb_workload gvb_wl_test_copy_wl = {" "$t/workloads/test_copy_wl.c"'
check "workloads/list.h has the line" 'grep -q "^GVB_WORKLOAD(test_copy_wl)$" "$t/workloads/list.h"'
check "... and workloads/ differs in those two files only" \
	'[ "$(diff -r "$src/workloads" "$t/workloads" | grep -c "^[<>]\|^Only")" -eq 2 ]'
check "Kbuild globs strategies/ and workloads/" 'grep -q "foreach d,core strategies workloads,\$(wildcard" "$t/kmod/Kbuild"'

(cd "$t" && cmake --preset release >"$dir/configure.log" 2>&1 &&
	cmake --build --preset release --target gvbench -j2 >"$dir/build.log" 2>&1)
rc=$?
check "configure and build (exit $rc; logs in $dir)" '[ "$rc" -eq 0 ]'
bin=$t/build/release/bin/gvbench
if [ "$rc" -eq 0 ]; then
	"$bin" list >"$dir/list.out" 2>&1
	# Appended to its list, so shown last.
	check "gvbench list shows test-copy last of the strategies" \
		'grep -B1 "^workloads:" "$dir/list.out" | grep -q "^  test-copy "'
	"$bin" run -s resv,test-copy -w map-unmap -t 1 --samples 3 --batch-ms 0.2 --warmup-ms 1 \
		--instances 1 -o "$dir/run.json" >"$dir/run.out" 2>&1
	rc=$?
	check "gvbench run -s resv,test-copy exits 0 (got $rc)" '[ "$rc" -eq 0 ]'
	check "a test-copy row in the summary" 'grep -q "^map-unmap-4K/test-copy/t1 " "$dir/run.out"'
	check "3 test-copy samples in the CSV" \
		'[ "$(grep -c "^map-unmap-4K/test-copy/t1," "$dir/run.csv")" -eq 3 ]'
	check "gvbench list shows test-copy-wl last of the workloads" \
		'grep -B1 "^backends:" "$dir/list.out" | grep -q "^  test-copy-wl "'
	"$bin" run -s test-copy -w test-copy-wl -t 1 --samples 3 --batch-ms 0.2 --warmup-ms 1 \
		--base test-copy --instances 1 -o "$dir/run-wl.json" >"$dir/run-wl.out" 2>&1
	rc=$?
	check "gvbench run -s test-copy -w test-copy-wl exits 0 (got $rc)" '[ "$rc" -eq 0 ]'
	# A copy of map-unmap keeps its flags, GVB_WL_SIZE_IN_NAME too: test-copy-wl-4K.
	check "3 test-copy-wl samples in the CSV" \
		'[ "$(grep -c "^test-copy-wl-4K/test-copy/t1,test-copy-wl,test-copy," "$dir/run-wl.csv")" -eq 3 ]'
fi
echo "add_strategy: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
