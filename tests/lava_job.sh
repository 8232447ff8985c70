#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# scripts/lava-job writes jobs that LAVA's own schema validator accepts
# (lava_common.schemas.validate, strict, from Debian's lava-dispatcher):
# the QEMU job for x86_64 and arm64 and the rk3588-rock-5b board template,
# each without building (--no-build --artifacts-url). The validator itself
# must reject a job with its job_name removed, so the test cannot pass by
# accepting everything; bad options give one line and exit 2.
# Exit 77 (skipped) where lava_common is not installed.
#
# Usage: lava_job.sh TMPDIR
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$1/lava_job
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

py=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import lava_common.schemas, yaml' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
	echo "SKIP: lava_common not installed (apt-get install --no-install-recommends lava-dispatcher)"
	exit 77
fi
validate() { # validate FILE: LAVA's schema check, strict; its message on failure
	"$py" -c '
import sys, yaml
from lava_common.schemas import validate
try:
    validate(yaml.safe_load(open(sys.argv[1])), strict=True)
except Exception as e:
    print("%s: %s" % (type(e).__name__, e)); sys.exit(1)' "$1"
}
job() { # job NAME ARGS...: lava-job ARGS writes a job the validator accepts
	name=$1; shift
	if ! bash "$src/scripts/lava-job" --no-build --artifacts "$tmp/none" --artifacts-url http://lab.example/gvb "$@" \
		>"$tmp/$name.yaml" 2>"$tmp/$name.err"; then
		fail "$name" "lava-job failed: $(cat "$tmp/$name.err")"
	elif ! msg=$(validate "$tmp/$name.yaml"); then
		fail "$name" "LAVA's validator rejects it: $msg"
	else
		ok "$name"
	fi
}
job qemu-x86_64
job qemu-arm64 --arch arm64 --sweep-args "--quick --samples 4" --timeout 20
job quoted-name --name 'say "hi" \o/'
if [ "$("$py" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["job_name"])' \
	"$tmp/quoted-name.yaml" 2>&1)" = 'say "hi" \o/' ]; then
	ok "job_name keeps its quotes"
else
	fail "job_name" "reads back as: $(grep '^job_name' "$tmp/quoted-name.yaml")"
fi
job rock-5b --device-type rk3588-rock-5b --dtb-url http://lab.example/gvb/rk3588-rock-5b.dtb
# The monitor's regex survives YAML quoting: what gvbench lava's test checks against.
want=$(bash "$src/scripts/lava-job" --print-pattern)
got=$("$py" -c 'import sys, yaml
for a in yaml.safe_load(open(sys.argv[1]))["actions"]:
    for m in a.get("test", {}).get("monitors", []): print(m["pattern"])' "$tmp/qemu-x86_64.yaml")
if [ "$got" = "$want" ]; then ok "monitor pattern"; else fail "monitor pattern" "job has '$got'"; fi

# lava/rk3588-rock-5b.yaml is this command's output, kept in step; --artifacts names
# an empty place, so that neither depends on what build/lava/ holds here.
board_args="--device-type rk3588-rock-5b --sweep-args= \
	--artifacts-url https://lab.example/gvbench/arm64-debian-6.12 \
	--dtb-url https://lab.example/gvbench/arm64-debian-6.12/rk3588-rock-5b.dtb"
# shellcheck disable=SC2086
if bash "$src/scripts/lava-job" --no-build --artifacts "$tmp/none" $board_args | diff -u "$src/lava/rk3588-rock-5b.yaml" -; then
	ok "lava/rk3588-rock-5b.yaml is current"
else
	fail "lava/rk3588-rock-5b.yaml" "differs from: scripts/lava-job --no-build $board_args"
fi

sed '/^job_name:/d' "$tmp/qemu-x86_64.yaml" >"$tmp/broken.yaml"
if validate "$tmp/broken.yaml" >/dev/null; then
	fail "validator" "accepted a job without job_name"
else
	ok "validator rejects a job without job_name"
fi

bad() { # bad NAME PATTERN ARGS...: exit 2, one stderr line matching PATTERN
	name=$1 pat=$2; shift 2
	bash "$src/scripts/lava-job" --no-build --artifacts "$tmp/none" --artifacts-url http://lab.example/gvb "$@" \
		>"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	if [ $rc -ne 2 ] || [ "$(wc -l <"$tmp/bad.err")" -ne 1 ] || [ -s "$tmp/bad.out" ] ||
	   ! grep -q -- "$pat" "$tmp/bad.err"; then
		fail "$name" "exit $rc, stderr: $(cat "$tmp/bad.err")"
	else
		ok "$name: $(cat "$tmp/bad.err")"
	fi
}
bad device-type "unknown --device-type" --device-type frob
bad arch "unknown --arch" --arch riscv64
bad board-arch "arm64 board" --device-type rk3588-rock-5b --arch x86_64 --dtb-url http://x/y.dtb
bad board-dtb "needs --dtb-url" --device-type rk3588-rock-5b
bad sweep-args "only letters" --sweep-args "--quick; reboot"
bad url "artifacts-url" --artifacts-url ftp://x
bad timeout "at least 15" --timeout 3
bad no-value "--arch needs a value" --arch
bad no-sweep-args "--sweep-args needs a value" --sweep-args
bad unknown-option "unknown option '--frob'" --frob
bad kernel "unknown --kernel 'debian-5'" --kernel debian-5
bad url-space "no spaces" --artifacts-url "http://lab.example/a b"
bad dtb-url "--dtb-url 'rk.dtb'" --device-type rk3588-rock-5b --dtb-url rk.dtb
bad sweep-args-out "leave out -o" --sweep-args "--quick -o /tmp/x"
bad sweep-args-backend "leave out --backend=user" --sweep-args "--backend=user"

echo "lava_job: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
