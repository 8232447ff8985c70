#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# The case names a default sweep must produce, one per line, derived from
# what `gvbench sweep --help` says it runs: the default strategies x the
# main workloads x threads 1, 2, 4, where a workload marked "(from 2
# threads)" has no one-thread group. map-unmap carries its size (4K).
# Used by tests/sweep_quick.sh and scripts/kmod-ci.
# Usage: sweep_matrix.sh GVBENCH
set -u
help=$("$1" sweep --help) || exit 1
strats=$(echo "$help" | sed -n 's/^  the default strategies (\(.*\))$/\1/p' | tr ',' ' ')
wls=$(echo "$help" | sed -n '/^  main workloads: /,/^  --/p' | sed '$d' |
	sed 's/^  main workloads: //' | tr -d '\n' | sed 's/  */ /g; s/, /,/g')
[ -n "$strats" ] && [ -n "$wls" ] || { echo "sweep_matrix: cannot read sweep --help" >&2; exit 1; }
echo "$wls" | tr ',' '\n' | while read -r wl; do
	case $wl in
	*"(from 2 threads)") wl=${wl%% *}; th="2 4" ;;
	?*) th="1 2 4" ;;
	*) continue ;;
	esac
	[ "$wl" = map-unmap ] && wl=map-unmap-4K
	for s in $strats; do
		for t in $th; do
			echo "$wl/$s/t$t"
		done
	done
done
