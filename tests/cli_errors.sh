#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Every bad argument gets exactly one line on stderr naming the problem, exit
# status 2, and no run (nothing on stdout). Usage: cli_errors.sh GVBENCH
set -u
pass=0 fail=0
bin=$1
bad() { # bad DESCRIPTION PATTERN ARGS...
	desc=$1 pat=$2; shift 2
	out=$("$bin" "$@" 2>/tmp/gvb_cli_err.$$); rc=$?
	err=$(cat /tmp/gvb_cli_err.$$)
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$lines" -eq 1 ] &&
	   printf '%s' "$err" | grep -q "^gvbench: .*$pat"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $desc: gvbench $*: exit $rc, stderr: $err, stdout: $(echo "$out" | head -3)"
	fi
}
bad "unknown command"       "unknown command 'frobnicate'" frobnicate
bad "unknown strategy"      "unknown strategy 'nope' (valid: resv, resv+gpuva" run -s nope
bad "unknown strategy list" "unknown strategy 'x'" run -s resv,x
bad "broken needs opt-in"   "negative control" run -s broken
bad "unknown workload"      "unknown workload 'nope' (valid: map-unmap" run -w nope
bad "zero threads"          "-t: 0 is out of range" run -t 0
bad "negative threads"      "-t: '-1' is not a non-negative integer" run -t -1
bad "garbage threads"       "-t: '2x' is not a non-negative integer" run -t 2x
bad "too many threads"      "-t: 65 is out of range" run -t 65
bad "empty thread list"     "-t: empty item in ','" run -t ,
bad "zero samples"          "--samples: 0 is out of range" run --samples 0
bad "samples overflow"      "--samples: '99999999999999999999' is not" run --samples 99999999999999999999
bad "unaligned size"        "--size: 3 is out of range" run --size 3
bad "size not 4K multiple"  "--size: 6K is not a multiple of 4K" run --size 6K
bad "size bad suffix"       "--size: '1T' is not a size" run --size 1T
bad "size too large"        "--size: 2G is out of range" run --size 2G
bad "batch not a number"    "--batch-ms: 'abc' is not a number" run --batch-ms abc
bad "batch out of range"    "--batch-ms: 0 is out of range" run --batch-ms 0
bad "alpha out of range"    "--alpha: 2 is out of range" run --alpha 2
bad "count out of range"    "--count: 0 is out of range" run --count 0
bad "stray argument"        "run: unexpected argument 'extra'" run extra
bad "unknown option"        "run: unknown option '--frob'" run --frob
bad "missing option value"  "run: option '-s' needs a value" run -s
bad "sweep stray argument"  "sweep: unexpected argument 'x'" sweep x
bad "calibrate bad delay"   "--delay-ns: '-1' is out of range\|--delay-ns: -1 is out of range" calibrate --delay-ns -1
bad "calibrate pairs"       "--pairs: 'many' is not" calibrate --pairs many
bad "list takes nothing"    "list: takes no arguments" list extra
bad "unknown format"        "--format: unknown page-table format 'nope' (valid: arm-lpae-s1" run --format nope
bad "unknown BO kind"       "--bo: unknown BO kind 'shared' (valid: private, external)" run --bo shared
bad "unknown backend"       "-b: unknown backend 'nope' (valid: user, kmod)" run -b nope
bad "latency needs user"    "--latency runs only on the user backend" run -b kmod --latency
bad "unknown engine"        "-e: unknown engine 'nope' (valid: model, drm_gpuvm)" run -e nope
bad "engine twice"          "-e: 'model' is given twice" run -e model,model
bad "empty engine item"     "-e: empty item in 'model,'" run -e model,
bad "drm_gpuvm needs kmod"  "-e drm_gpuvm: this engine runs only on the kmod backend: add -b kmod" run -e drm_gpuvm
bad "drm_gpuvm needs kmod (sweep)" "-e drm_gpuvm: this engine runs only on the kmod backend" sweep -e model,drm_gpuvm
bad "calibrate one engine"  "calibrate: -e takes one engine" calibrate -b kmod -e model,drm_gpuvm

# The good paths print what they should.
if "$bin" list | grep -q "^  resv+gpuva " && "$bin" list | grep -q "^  shared-bo "; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL list does not show strategies and workloads"
fi
if "$bin" list | grep -q "^  kmod " && "$bin" list | grep -q "^  arm-lpae-s1 "; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL list does not show backends and page-table formats"
fi
if "$bin" --help | grep -q "calibrate"; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL --help"; fi
# Help prints each command's own defaults: sweep samples 100, run 30.
if "$bin" sweep --help | grep -q "^  --samples N .*(default 100)" &&
   "$bin" run --help | grep -q "^  --samples N .*(default 30)" &&
   "$bin" run --help | grep -q "^  -s, --strategy LIST .*(default resv,resv+gpuva,gpuva,gpuva+deferred)"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL --help does not show the commands' defaults"
fi
"$bin" >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL no args: exit $rc"; fi
# The model's options reach the result's parameters, and --help shows their defaults.
out=/tmp/gvb_cli_opts.$$.json
if "$bin" run -w map-unmap -s resv,gpuva -t 1 --samples 2 --batch-ms 0.1 --warmup-ms 0 \
	--bo external --pt-reclaim --bind-sync -o "$out" >/dev/null 2>&1 &&
   [ "$(grep -c '"bo": "external"' "$out")" -eq 2 ] &&
   [ "$(grep -c '"pt_reclaim": true' "$out")" -eq 2 ] &&
   [ "$(grep -c '"bind_sync": true' "$out")" -eq 2 ] &&
   "$bin" run --help | grep -q "^  --bo KIND .*or external" &&
   "$bin" run --help | grep -q "(default private)"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL --bo, --pt-reclaim, --bind-sync not recorded or not in --help"
fi
rm -f "$out" "${out%.json}.csv"
# list: the model always; drm_gpuvm with how to get it where no module is loaded.
list=$("$bin" list 2>&1)
if printf '%s\n' "$list" | grep -q "^  model .*(every backend)$" &&
   { [ -e /dev/gvbench ] ||
     printf '%s\n' "$list" | grep -q "^  drm_gpuvm .*not here; needs -b kmod with gvbench.ko and gvbench_drm.ko"; }; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL list engines: $(printf '%s\n' "$list" | sed -n '/^engines/,/^page/p')"
fi
rm -f /tmp/gvb_cli_err.$$
echo "cli_errors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
