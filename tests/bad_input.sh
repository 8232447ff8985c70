#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Bad input, one class at a time (issue 13 item 5): every bad input gets one
# line on stderr naming the problem and a nonzero exit, never a crash, a
# hang or damage. Usage: bad_input.sh CLASS GVBENCH [SCRATCH_DIR]
# CLASS: output, dupnames, numbers, options, readers, json, calibrate, broken.
set -u
class=$1 bin=$2
tmp=$(mktemp -d "${3:-${TMPDIR:-/tmp}}/gvb_bad.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
pass=0 fail=0
# A short run's options: a few samples of short batches.
short="--samples 3 --batch-ms 0.1 --warmup-ms 0"

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }

# bad RC PATTERN ARGS...: exit RC, nothing on stdout, exactly one stderr
# line matching PATTERN (a grep BRE), within 60 s.
bad() {
	want=$1 pat=$2; shift 2
	timeout 60 "$bin" "$@" >out.txt 2>err.txt; rc=$?
	lines=$(grep -c . err.txt)
	if [ "$rc" -eq "$want" ] && [ ! -s out.txt ] && [ "$lines" -eq 1 ] &&
	   grep -q "^gvbench: .*$pat" err.txt; then
		ok
	else
		no "gvbench $*: exit $rc (want $want), stderr: $(head -c 300 err.txt)," \
		   "stdout: $(head -c 200 out.txt)"
	fi
}

# good ARGS...: exit 0 within 60 s (stdout kept in out.txt).
good() {
	timeout 60 "$bin" "$@" >out.txt 2>err.txt; rc=$?
	if [ "$rc" -eq 0 ]; then ok; else no "gvbench $*: exit $rc: $(head -c 300 err.txt)"; fi
}

case $class in
output)
	# Nothing but a regular file is ever replaced, and the path is
	# checked before anything is measured (no setup line on stdout).
	ln -s "$tmp/target" link.json
	mkfifo fifo.json
	mkdir dir.json
	echo keep > plain
	bad 2 "link.json: exists and is not a regular file (a symlink)" run -s resv $short -o link.json
	[ -e target ] && no "a result was written through a symlink" || ok
	bad 2 "fifo.json: exists and is not a regular file (a device, pipe or socket)" \
		run -s resv $short -o fifo.json
	[ -p fifo.json ] && ok || no "the fifo was replaced"
	bad 2 "dir.json: exists and is not a regular file (a directory)" run -s resv $short -o dir.json
	bad 2 "nodir/x.json: cannot write in directory nodir/" run -s resv $short -o nodir/x.json
	bad 2 "output path is empty" run -s resv $short -o ""
	# The CSV beside the JSON is checked too.
	ln -s "$tmp/target" side.csv
	bad 2 "side.csv: exists and is not a regular file" run -s resv $short -o side.json
	[ -e side.json ] && no "side.json written although side.csv is a symlink" || ok
	bad 2 "fifo.json: exists and is not a regular file" calibrate --pairs 1 -o fifo.json
	bad 2 "plain/sweep.json: cannot write in directory plain/: Not a directory" sweep --quick -o plain
	[ "$(cat plain)" = keep ] && ok || no "sweep -o FILE changed the file"
	# A regular file is replaced, as before.
	echo old > res.json
	good run -s resv $short -o res.json
	grep -q '"schema"' res.json && ok || no "res.json was not replaced by a result"
	;;
dupnames)
	# A file the other commands would reject ("case X appears twice") is
	# never written: duplicates are refused on the command line, and
	# calibrate names every pair's cases apart.
	bad 2 "-s: 'resv' is given twice" run -s resv,resv $short -o d.json
	bad 2 "-t: '1' is given twice" run -s resv -t 1,1 $short -o d.json
	bad 2 "-t: 1 is given twice" run -s resv -t 1,01 $short -o d.json
	bad 2 "--delay-ns: 1.0 is given twice" calibrate --delay-ns 1,1.0
	bad 2 "--delay-pct: .0.5. is given twice" calibrate --delay-pct 0.5,0.5
	[ -e d.json ] && no "d.json written" || ok
	good calibrate --pairs 2 --layout-pairs 2 --delay-ns 1,2 --delay-pct 1 --pair-seconds 0.1 \
		$short -o cal.json
	good report cal.json
	good compare cal.json cal.json
	good plot cal.json -o calplot --term dumb
	;;
numbers)
	# Decimal only: no octal, no hex, no empty list items.
	good run -s resv -t 010 $short
	grep -q "/t10 " out.txt && ok || no "-t 010 did not run 10 threads: $(tail -n 1 out.txt)"
	bad 2 "-t: '0x2' is not a non-negative integer" run -t 0x2
	bad 2 "--samples: '0x10' is not a non-negative integer" run --samples 0x10
	bad 2 "--size: '0x1000' is not a size" run --size 0x1000
	bad 2 "--alpha: '0x0.1' is not a number" run --alpha 0x0.1
	bad 2 "--batch-ms: 'nan' is not a number" run --batch-ms nan
	bad 2 "--batch-ms: 'inf' is not a number" run --batch-ms inf
	bad 2 "--batch-ms: '1e999' is not a number" run --batch-ms 1e999
	bad 2 "-t: ' 1' is not a non-negative integer" run -t " 1"
	bad 2 "-t: empty item in '1,,2'" run -t 1,,2
	bad 2 "-s: empty item in 'resv,'" run -s resv,
	bad 2 "--delay-ns: empty item in '1,,2'" calibrate --delay-ns 1,,2
	# Options the run would not use are refused, not recorded.
	bad 2 "--count: workload 'map-unmap' has no count" run -w map-unmap --count 5
	bad 2 "--size: workload 'sparse-bind' binds single pages" run -w sparse-bind --size 64K
	bad 2 "--seed: workload 'map-unmap' draws no random numbers" run -w map-unmap --seed 3
	bad 2 "--defer-async applies only to a deferring strategy" run -s resv,gpuva --defer-async
	bad 2 "--latency-ops applies only with --latency" run --latency-ops 10
	bad 2 "--kmod-mode applies only to the kmod backend" run --kmod-mode ioctl
	bad 2 "--base: 'gpuva' is not one of the strategies run" run -s resv --base gpuva
	bad 2 "--count: workload 'map-unmap' has no count" calibrate --count 3
	good run -w remap-split -s resv --seed 5 --count 8 $short
	good run -s gpuva+deferred --defer-async $short
	;;
options)
	# Unknown or misplaced options are named exactly as given.
	bad 2 "run: unknown option '-Z'" run -Zs resv
	bad 2 "run: unknown option '-x'" run -s resv -x
	bad 2 "run: unknown option '--frob'" run --frob=3
	bad 2 "run: ambiguous option '--s'" run --s resv
	bad 2 "run: option '--pin' takes no value" run --pin=yes
	bad 2 "run: option '--pairs' is not an option of run" run --pairs 3
	bad 2 "run: option '--quick' is not an option of run" run --quick
	bad 2 "sweep: unknown option '-s'" sweep -s resv
	bad 2 "sweep: option '--strategy' is not an option of sweep" sweep --strategy resv
	bad 2 "calibrate: option '--latency' is not an option of calibrate" calibrate --latency
	bad 2 "run: option '-t' needs a value" run -t
	bad 2 "run: option '--samples' needs a value" run --samples
	bad 2 "report: unknown option '--frob'" report --frob x.json
	bad 2 "plot: unknown option '-q'" plot -q x.json
	bad 2 "compare: option '--help' takes no value" compare --help=1
	bad 2 "option '-s' before the command" -s resv run
	bad 2 "run: unexpected argument '-s'" run -- -s resv
	;;
*)
	echo "bad_input.sh: unknown class '$class'" >&2; exit 2 ;;
esac
echo "bad_input $class: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
