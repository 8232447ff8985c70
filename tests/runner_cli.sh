#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# The kernel runners refuse bad arguments before building or booting
# anything: exit 125 (kmod-ci: 2) and one line naming the problem. Needs no kernel.
# Usage: runner_cli.sh SOURCE_DIR
set -u
pass=0 fail=0
want=125
src=$1
bad() { # bad RUNNER PATTERN ARGS...
	runner=$1 pat=$2; shift 2
	err=$(XDG_CACHE_HOME=/nonexistent/gvb-runner-cli "$src/scripts/$runner" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq "$want" ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
	   printf '%s\n' "$err" | grep -q -- "^$runner: .*$pat"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $runner $*: exit $rc, stderr: $(printf '%s' "$err" | head -n 3)"
	fi
}
bad uml-run "no command given"
bad uml-run "unknown option '--frob'" --frob -- true
bad uml-run "unknown kernel 'uml-6.12'" --kernel uml-6.12 -- true
bad uml-run "--ncpus wants 1 to 4, not '9'" --ncpus 9 -- true
bad uml-run "--timeout wants seconds" --timeout soon -- true
bad uml-run "--in /nonexistent/in: no such directory" --in /nonexistent/in -- true
bad uml-run "--bin /nonexistent/b: no such file" --bin /nonexistent/b -- true
bad uml-run "--timeout needs a value" --timeout
bad vm-run "no command given"
bad vm-run "unknown option '--frob'" --frob -- true
bad vm-run "unknown kernel 'debian-5'" --kernel debian-5 -- true
bad vm-run "unknown --arch 'riscv'" --arch riscv -- true
bad vm-run "--arch needs a value" --arch
bad vm-run "--arch needs a value" --arch -- true
bad vm-run "--smp wants a number of CPUs, not 'x'" --smp x -- true
bad vm-run "--mem wants a size" --mem lots -- true
touch "${TMPDIR:-/tmp}/gvb-runner-cli.$$"
bad vm-run "--artifacts .* is a file: name a directory" --artifacts "${TMPDIR:-/tmp}/gvb-runner-cli.$$" -- true
bad vm-run "--out .* is a file: name a directory" --out "${TMPDIR:-/tmp}/gvb-runner-cli.$$" -- true
rm -f "${TMPDIR:-/tmp}/gvb-runner-cli.$$"
bad vm-run "--out /proc/gvb-runner-cli: cannot create or write" --out /proc/gvb-runner-cli -- true
want=2	# kmod-ci: bad use is exit 2
bad kmod-ci "--arch needs a value" --arch
bad kmod-ci "unknown option '--frob'" --frob
bad kmod-ci "--arch: 'riscv' is not x86_64 or arm64" --arch riscv
echo "runner_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
