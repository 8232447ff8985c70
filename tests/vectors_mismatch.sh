#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# gvb-vectors must pass a clean sample and fail every corrupted copy of it:
# a flipped keep, a missing step, an extra step, a wrong tree.
set -u
tool=$1 dir=$2
sample=$(dirname "$0")/data/vectors_sample.txt
fails=0
expect() { # expect RC NAME FILE
	out=$("$tool" "$3" 2>&1); rc=$?
	if [ "$rc" -ne "$1" ]; then
		echo "FAIL $2: exit $rc, expected $1"; echo "$out"; fails=$((fails + 1))
	else
		echo "ok $2: $(echo "$out" | tail -n 1)"
	fi
}
expect 0 clean "$sample"
sed '0,/keep=1/s/keep=1/keep=0/' "$sample" > "$dir/vec_keep.txt"
expect 1 flipped-keep "$dir/vec_keep.txt"
sed '0,/^step map/{/^step map/d}' "$sample" > "$dir/vec_nostep.txt"
expect 1 missing-step "$dir/vec_nostep.txt"
awk '!done && /^step map/ {print; print; done=1; next} {print}' "$sample" > "$dir/vec_extra.txt"
expect 1 extra-step "$dir/vec_extra.txt"
awk '!done && /^tree 2 / {sub(/:3:/, ":2:"); done=1} {print}' "$sample" > "$dir/vec_tree.txt"
expect 1 wrong-tree "$dir/vec_tree.txt"
printf 'seq 0\nop bogus\n' > "$dir/vec_bad.txt"
expect 2 unparsable "$dir/vec_bad.txt"
expect 2 missing-file "$dir/does-not-exist.txt"
[ "$fails" -eq 0 ] && echo "vectors_mismatch: 7 passed, 0 failed" && exit 0
echo "vectors_mismatch: $((7 - fails)) passed, $fails failed"; exit 1
