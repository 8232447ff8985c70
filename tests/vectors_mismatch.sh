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
# A step missing from an op that keeps another one: a mismatch, not a malformed file.
awk '!done && prev ~ /^step / && /^step map/ {done = 1; prev = $0; next} {prev = $0; print}' \
	"$sample" > "$dir/vec_nostep.txt"
expect 1 missing-step "$dir/vec_nostep.txt"
awk '!done && /^step map/ {print; print; done=1; next} {print}' "$sample" > "$dir/vec_extra.txt"
expect 1 extra-step "$dir/vec_extra.txt"
awk '!done && /^tree 2 / {sub(/:3:/, ":2:"); done=1} {print}' "$sample" > "$dir/vec_tree.txt"
expect 1 wrong-tree "$dir/vec_tree.txt"
printf 'seq 0\nop bogus\n' > "$dir/vec_bad.txt"
expect 2 unparsable "$dir/vec_bad.txt"
expect 2 missing-file "$dir/does-not-exist.txt"
# Malformed or incomplete files exit 2, never 0 and never 1 (a mismatch).
awk '/^op /{n++} n < 3' "$sample" > "$dir/vec_trunc.txt"	# cut inside seq 0
expect 2 truncated "$dir/vec_trunc.txt"
awk '/^op /{n++} {print} n == 2 && /^tree /{exit}' "$sample" > "$dir/vec_noend.txt"
expect 2 no-end-record "$dir/vec_noend.txt"
printf 'seq 0\nop map va=1 range=1 bo=1 off=0\n' > "$dir/vec_opeof.txt"
expect 2 op-at-eof "$dir/vec_opeof.txt"
printf 'seq 0\nop map va=1 range=1 bo=1 off=0\ntree 1 1:1:1:0\nend 0\n' > "$dir/vec_nosteps.txt"
expect 2 map-without-steps "$dir/vec_nosteps.txt"
printf 'seq 0\nop map va=1 range=1 bo=1 off=0\nop map va=3 range=1 bo=1 off=0\n' > "$dir/vec_notree.txt"
expect 2 op-without-tree "$dir/vec_notree.txt"
printf 'seq 0\nop map va=1 range=1 bo=1 off=0 junk\nstep map va=1 range=1 bo=1 off=0\ntree 1 1:1:1:0\nend 0\n' \
	> "$dir/vec_junk.txt"
expect 2 trailing-junk "$dir/vec_junk.txt"
printf 'seq 0\nop map va=1 range=1 bo=9 off=0\n' > "$dir/vec_bo9.txt"
expect 2 unknown-bo "$dir/vec_bo9.txt"
printf 'seq 0\nend 1\n' > "$dir/vec_endother.txt"
expect 2 end-of-another-seq "$dir/vec_endother.txt"
printf 'seq 0\nseq 1\n' > "$dir/vec_seqseq.txt"
expect 2 seq-without-end "$dir/vec_seqseq.txt"
# No silent size limit: a record longer than any buffer is refused in one line.
{ printf 'seq 0\nop map va=1 range=1 bo=1 off=0\nstep map va=1 range=1 bo=1 off=0\ntree 1 1:1:1:0'
  i=0; while [ $i -lt 700 ]; do printf ' 1:1:1:0'; i=$((i + 1)); done; printf '\nend 0\n'; } \
	> "$dir/vec_longtree.txt"
expect 2 tree-past-limit "$dir/vec_longtree.txt"
total=19
[ "$fails" -eq 0 ] && echo "vectors_mismatch: $total passed, 0 failed" && exit 0
echo "vectors_mismatch: $((total - fails)) passed, $fails failed"; exit 1
