# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Sourced by vm-run and uml-run: what both guests get from this tree.
# Needs ROOT and a die() function.

# Module builds are kept per source tree: two checkouts sharing one cache
# must not sync over each other's copy.
TREE_ID=$(printf '%s' "$ROOT" | md5sum | cut -c1-8)

# sync_sources B: copies the module's and the guest programs' sources to
# B/src, where Kbuild works, so the source tree stays clean. cp -p keeps
# modification times: unchanged files are not rebuilt.
sync_sources() {
	local B=$1 d f
	for d in core strategies workloads include/uapi kmod kmod/drm userspace/backend tests/kmod; do
		mkdir -p "$B/src/$d"
		for f in "$B/src/$d"/*.[ch]; do
			[ -e "$f" ] || continue
			[ -e "$ROOT/$d/${f##*/}" ] || rm -f "$f" "${f%.[ch]}.o"
		done
		cp -p "$ROOT/$d"/*.[ch] "$B/src/$d/" 2>/dev/null || true
	done
	cp -p "$ROOT/kmod/Kbuild" "$ROOT/kmod/Makefile" "$B/src/kmod/"
	cp -p "$ROOT/kmod/drm/Kbuild" "$B/src/kmod/drm/"
}

# build_tools B G [CC]: the static guest programs of tests/kmod/ into
# G/bin, with CC (default gcc; aarch64-linux-gnu-gcc for an arm64 guest),
# rebuilt when a source is newer than the binary.
build_tools() {
	local B=$1 G=$2 cc=${3:-gcc} t src
	mkdir -p "$G/bin"
	for src in "$B"/src/tests/kmod/*.c; do
		[ -e "$src" ] || continue
		t=${src##*/}
		t=${t%.c}
		if [ ! -x "$G/bin/$t" ] || [ -n "$(find "$src" "$B/src/userspace/backend/kmod_client.c" \
			"$B/src/userspace/backend/kmod_client.h" "$B/src/include/uapi/gvbench.h" \
			-newer "$G/bin/$t" 2>/dev/null)" ]; then
			"$cc" -static -O2 -g -Wall -Wextra -Wno-unused-parameter -pthread \
				-I"$B/src/include" -I"$B/src/userspace" -o "$G/bin/$t" \
				"$src" "$B/src/userspace/backend/kmod_client.c" || return 1
		fi
	done
}

# elf_is FILE ARCH: whether FILE is a program for ARCH (x86_64 or arm64).
elf_is() {
	local want
	case "$2" in
	x86_64) want='X86-64' ;;
	arm64) want='AArch64' ;;
	esac
	readelf -h "$1" 2>/dev/null | grep -q "Machine:.*$want"
}

# gvbench_static [PATH [ARCH]]: prints the static gvbench the guest runs as
# `gvbench`: PATH if given, else the release preset's, built here (~1 min
# cold) when it is missing. For ARCH arm64 the release-arm64 preset's,
# brought up to date on every call (nothing else builds it), against the
# arm64 libraries of scripts/arm64-sysroot.
gvbench_static() {
	local arch=${2:-x86_64} preset=release bin log sysroot d
	[ "$arch" = x86_64 ] || preset=release-$arch
	d="$ROOT/build/$preset"
	bin=${1:-$d/bin/gvbench-static}
	log="$CACHE/gvbench-static-$preset.log"
	if [ -n "${1:-}" ]; then
		[ -x "$bin" ] || die "--gvbench $bin: no such executable"
	elif [ "$preset" != release ]; then
		sysroot=$("$ROOT/scripts/$arch-sysroot") || die "fetching the $arch libraries failed"
		# A build tree made against another cache folder would keep its paths.
		grep -qxF "GVB_ARM64_SYSROOT:PATH=$sysroot" "$d/CMakeCache.txt" 2>/dev/null || rm -rf "$d"
		[ -x "$bin" ] || echo "${0##*/}: building gvbench-static ($preset preset) for the guest" >&2
		(cd "$ROOT" && { [ -f "$d/CMakeCache.txt" ] ||
			cmake --preset "$preset" -DGVB_ARM64_SYSROOT:PATH="$sysroot"; } &&
			cmake --build --preset "$preset" -j"$(nproc)") >"$log" 2>&1 ||
			die "building gvbench-static for $arch failed (log: $log)"
	elif [ ! -x "$bin" ]; then
		echo "${0##*/}: building gvbench-static ($preset preset) for the guest" >&2
		(cd "$ROOT" && cmake --preset "$preset" && cmake --build --preset "$preset" --target gvbench-static) \
			>"$log" 2>&1 || die "building gvbench-static failed: run scripts/bootstrap (log: $log)"
	fi
	readelf -l "$bin" 2>/dev/null | grep -q INTERP &&
		die "$bin is dynamically linked: the guest has no shared libraries"
	elf_is "$bin" "$arch" || die "$bin is not an $arch program (the guest is $arch)"
	echo "$bin"
}
