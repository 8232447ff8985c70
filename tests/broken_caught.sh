#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# The negative control must be caught. Usage: broken_caught.sh TEST_STRATEGIES [asan]
# Under ASan the report must name the use-after-free of the BO whose resv was
# held while it was freed. Elsewhere the run must fail with the warning for a
# lock destroyed while held (or a sanitizer or lockdep report).
set -u
out=$("$1" --broken 2>&1); rc=$?
echo "$out" | tail -n 30
if [ "$rc" -eq 0 ]; then
	echo "broken_caught: 0 passed, 1 failed (the broken strategy ran clean)"; exit 1
fi
if [ "${2:-}" = asan ]; then
	pattern="heap-use-after-free"
else
	pattern="WARNING\|lockdep:\|Sanitizer"
fi
if ! echo "$out" | grep -q "$pattern"; then
	echo "broken_caught: 0 passed, 1 failed (no '$pattern' in the output)"; exit 1
fi
echo "broken_caught: 1 passed, 0 failed"
