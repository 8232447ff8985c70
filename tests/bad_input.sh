#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Bad input, one class at a time (issue 13 item 5): every bad input gets one
# line on stderr naming the problem and a nonzero exit, never a crash, a
# hang or damage. Usage: bad_input.sh CLASS GVBENCH [SCRATCH_DIR]
# CLASS: output, dupnames, numbers, options, readers, json, calibrate, broken
# (GVBENCH is gvbench), gbench (GVBENCH is gvbench-gbench).
set -u
class=$1 bin=$2 prog=$(basename "$2")
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
	   grep -q "^$prog: .*$pat" err.txt; then
		ok
	else
		no "$prog $*: exit $rc (want $want), stderr: $(head -c 300 err.txt)," \
		   "stdout: $(head -c 200 out.txt)"
	fi
}

# good ARGS...: exit 0 within 60 s (stdout kept in out.txt).
good() {
	timeout 60 "$bin" "$@" >out.txt 2>err.txt; rc=$?
	if [ "$rc" -eq 0 ]; then ok; else no "$prog $*: exit $rc: $(head -c 300 err.txt)"; fi
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
readers)
	# compare, report and plot on every kind of file the reader accepts,
	# all made by real runs (and edited copies of them), and what it refuses.
	good run -s resv,resv+gpuva -t 1 $short -o two.json
	good run -s resv -t 1 $short -o one.json
	good run -s gpuva -t 2 $short -o other.json
	good run --latency -s resv,resv+gpuva -t 1,2 --samples 2 --latency-ops 200 -o lat.json
	# Latency-only: plot draws its latency plots; compare and report say why not.
	good plot lat.json -o latplot --term png
	[ -s latplot/latency-map-unmap-4K.png ] && ok || no "no latency plot from a real run --latency"
	[ -e latplot/throughput-map-unmap-4K.png ] && no "a throughput plot without samples" || ok
	bad 1 "lat.json: latency-mode cases only" report lat.json
	bad 1 "lat.json: latency-mode cases only" compare lat.json --base resv
	bad 1 "lat.json: latency-mode cases only" compare two.json lat.json
	# One strategy only; no common cases.
	good plot one.json -o oneplot --term dumb
	bad 1 "one.json: no resv+gpuva case\|no case of that strategy" compare one.json --base resv+gpuva
	timeout 60 "$bin" compare one.json --base resv >out.txt 2>err.txt; rc=$?
	[ "$rc" -eq 1 ] && grep -q "no pair of cases to compare" err.txt && ok ||
		no "compare one.json --base resv: exit $rc, $(cat err.txt)"
	timeout 60 "$bin" compare two.json other.json >out.txt 2>err.txt; rc=$?
	[ "$rc" -eq 1 ] && grep -q "no case is in both" out.txt && [ "$(grep -c . err.txt)" -eq 1 ] &&
		ok || no "compare with no common case: exit $rc, $(cat err.txt)"
	bad 1 "other.json: no resv case" report other.json
	# Thread counts and sample values the reader refuses, one line each.
	sed 's/"threads": 1,/"threads": 0,/' two.json > t0.json
	sed 's/"threads": 1,/"threads": 4294967295,/' two.json > tbig.json
	sed 's/"threads": 1,/"threads": 4096,/' two.json > t4096.json
	samples() { # samples VALUE: every sample of two.json set to VALUE
		awk -v v="$1" '/^          [-0-9.e+]+,?$/ { c = /,$/ ? "," : ""; print "          " v c; next }
			       { print }' two.json
	}
	samples -5 > neg.json
	samples 1e999 > inf.json
	samples 1e300 > huge.json
	samples 1e-300 > tiny.json
	samples 0 > zero.json
	bad 1 "t0.json: cases\[0\].threads: 0 out of range" report t0.json
	bad 1 "tbig.json: cases\[0\].threads: 4294967295 out of range" plot tbig.json --term dumb
	bad 1 "neg.json: cases\[0\].samples.ns_per_op\[0\]: negative" compare neg.json two.json
	bad 1 "inf.json: cases\[0\].samples.ns_per_op\[0\]: 1e999 is out of range" report inf.json
	for f in t4096 huge tiny zero; do
		good report $f.json
		good compare $f.json two.json
		good compare $f.json --base resv
		good plot $f.json -o plot-$f --term dumb
	done
	# Many samples: no n*m pairwise differences (20000 a side would need 3.2 GB).
	good run -s resv,resv+gpuva -t 1 --samples 20000 --batch-ms 0.05 --warmup-ms 0 -o many.json
	good report many.json
	good compare many.json many.json
	good plot many.json -o manyplot --term dumb
	;;
json)
	# The reader is strict JSON: what json-c alone would let through.
	good run -s resv,resv+gpuva -t 1 $short -o r.json
	sed '0,/"alpha": [0-9.e-]*/s//"alpha": NaN/' r.json > nan.json
	sed '0,/"alpha": [0-9.e-]*/s//"alpha": Infinity/' r.json > inf.json
	sed '0,/"alpha": [0-9.e-]*/s//"alpha": -Infinity/' r.json > ninf.json
	sed '0,/"alpha": [0-9.e-]*/s//"alpha": nan/' r.json > lnan.json
	sed "s/\"schema\"/'schema'/" r.json > squote.json
	sed '0,/"alpha": \([0-9.e-]*\)/s//"alpha": '"'"'x'"'"'/' r.json > sqval.json
	sed '$s/}$/,}/' r.json > trailing.json
	head -c 2000 r.json > trunc.json
	: > empty.json
	printf '[1, 2]' > array.json
	printf '{"schema": "gpuvm-bench/result/v1"} x' > junk.json
	bad 1 "nan.json: not valid JSON (line [0-9]*): 'NaN'" report nan.json
	bad 1 "inf.json: not valid JSON (line [0-9]*): 'Infinity'" compare inf.json r.json
	bad 1 "ninf.json: not valid JSON (line [0-9]*): 'Infinity'" plot ninf.json
	bad 1 "lnan.json: not valid JSON (line [0-9]*): 'nan'" report lnan.json
	bad 1 "squote.json: not valid JSON (line 2): a single quote" report squote.json
	bad 1 "sqval.json: not valid JSON (line [0-9]*): a single quote" report sqval.json
	bad 1 "trailing.json: not valid JSON" report trailing.json
	bad 1 "trunc.json: not valid JSON: unexpected end of file" report trunc.json
	# Cut anywhere (inside a word, a number, a string): always "not valid JSON".
	for n in 1 37 101 523 1009 1511 2003 3001 4007; do
		head -c $n r.json > cut.json
		bad 1 "cut.json: not valid JSON" report cut.json
	done
	bad 1 "empty.json: " report empty.json
	bad 1 "array.json: not a gpuvm-bench result (the top level is array" report array.json
	# A bare null is valid JSON that json-c returns as no object (found by fuzz_result).
	printf 'null\n' > null.json
	bad 1 "null.json: not a gpuvm-bench result (the top level is null" report null.json
	bad 1 "null.json: not a gpuvm-bench result (the top level is null" compare null.json r.json
	bad 1 "junk.json: not valid JSON (line 1): 'x'" report junk.json
	# Words inside strings, and exponents, are fine.
	sed 's/"command": "/"command": "NaN Infinity it'"'"'s /' r.json > words.json
	good report words.json
	;;
calibrate)
	# A pair's duration is bounded by --pair-seconds whatever effect is
	# injected: the largest delay against a 20 ms batch once took minutes
	# (three rounds of batches 2700 times longer). 60 s is a hang bound.
	good calibrate --pairs 0 --layout-pairs 0 --delay-ns 1000000 --delay-pct 100 \
		--pair-seconds 0.2 --batch-ms 20 --samples 3 --warmup-ms 1
	grep -q "^1e+06 ns " out.txt && grep -q "^100% of op " out.txt && ok ||
		no "calibrate did not run both pairs: $(cat out.txt)"
	bad 2 "--delay-ns: 1e7 is out of range" calibrate --delay-ns 1e7
	bad 2 "--delay-pct: 0 is out of range" calibrate --delay-pct 0
	bad 2 "--pair-seconds: 0 is out of range" calibrate --pair-seconds 0
	bad 2 "--pair-seconds: 1e9 is out of range" calibrate --pair-seconds 1e9
	bad 2 "--layout-pairs: 65 is out of range" calibrate --layout-pairs 65
	;;
broken)
	# `broken` is caught by the test suites, not by a run: nothing may
	# claim otherwise.
	readme=$(dirname "$0")/../README.md
	case $readme in /*) ;; *) readme=$OLDPWD/$readme ;; esac
	"$bin" list | grep "^  broken " > line.txt
	grep -q "the tests catch it, a run only under ASan/KASAN" line.txt && ok ||
		no "list does not say what catches broken: $(cat line.txt)"
	grep -qi "always caught" line.txt "$readme" && no "'always caught' is claimed" || ok
	grep -q "\*not\* a check on a plain build" "$readme" && ok ||
		no "README does not say which builds catch broken"
	bad 2 "strategy 'broken' is a negative control" run -s broken
	;;
gbench)
	# Google Benchmark's flags are checked before the library sees them:
	# it would print two lines and use its default, abort, or spin.
	f="--benchmark_filter=^map-unmap/resv/t1"
	bad 2 "--benchmark_min_time: '-1' is not a number of seconds" --benchmark_min_time=-1 "$f"
	bad 2 "--benchmark_min_time: 'abc' is not a number of seconds" --benchmark_min_time=abc "$f"
	bad 2 "--benchmark_min_time: '1e30' is not a number of seconds" --benchmark_min_time=1e30 "$f"
	bad 2 "--benchmark_min_time: 'nan' is not a number of seconds" --benchmark_min_time=nan "$f"
	bad 2 "--benchmark_min_warmup_time: '-1' is not" --benchmark_min_warmup_time=-1 "$f"
	bad 2 "--benchmark_repetitions: '-3' is not a count" --benchmark_repetitions=-3 "$f"
	bad 2 "--benchmark_repetitions: '0x3' is not a count" --benchmark_repetitions=0x3 "$f"
	bad 2 "--benchmark_format: 'xml' is not one of the choices" --benchmark_format=xml "$f"
	bad 2 "--benchmark_out_format: 'yaml' is not one of" --benchmark_out_format=yaml "$f"
	bad 2 "--benchmark_time_unit: 'parsec' is not one of" --benchmark_time_unit=parsec "$f"
	bad 2 "--benchmark_filter: '\[' is not a valid regular expression" "--benchmark_filter=["
	bad 2 "--benchmark_list_tests: 'maybe' is not true or false" --benchmark_list_tests=maybe
	bad 2 "--benchmark_min_time needs a value" --benchmark_min_time "$f"
	bad 2 "unknown flag '--benchmark_frob'" --benchmark_frob=1 "$f"
	bad 2 "unexpected argument 'extra'" extra
	mkfifo out.fifo
	bad 2 "--benchmark_out: 'out.fifo' exists and is not a regular file" --benchmark_out=out.fifo "$f"
	good --benchmark_list_tests=true
	grep -q "^map-unmap/resv/t1" out.txt && ok || no "--benchmark_list_tests lists no case"
	;;
*)
	echo "bad_input.sh: unknown class '$class'" >&2; exit 2 ;;
esac
echo "bad_input $class: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
