# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Cross toolchain for the release-arm64 preset: Debian's aarch64 gcc
# (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross) and the arm64 json-c that
# scripts/arm64-sysroot unpacks into the cache. Only the static gvbench
# (target gvbench-static) is meant to be built with it: it runs in the arm64
# guest of `scripts/vm-run --arch arm64` or on an arm64 board.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
# C++ only if g++-aarch64-linux-gnu is installed; without it the project
# leaves its optional C++ front end out (a NOTFOUND compiler), rather than
# picking up the host's g++.
find_program(GVB_AARCH64_CXX aarch64-linux-gnu-g++)
set(CMAKE_CXX_COMPILER "${GVB_AARCH64_CXX}")

if(DEFINED ENV{XDG_CACHE_HOME})
	set(_gvb_cache "$ENV{XDG_CACHE_HOME}")
else()
	set(_gvb_cache "$ENV{HOME}/.cache")
endif()
set(GVB_ARM64_SYSROOT "${_gvb_cache}/gpuvm-bench/sysroot/arm64" CACHE PATH
	"arm64 libraries (json-c) unpacked by scripts/arm64-sysroot")
if(NOT EXISTS "${GVB_ARM64_SYSROOT}/usr/lib/aarch64-linux-gnu/libjson-c.a")
	message(FATAL_ERROR "no arm64 json-c in ${GVB_ARM64_SYSROOT}: run scripts/arm64-sysroot "
		"(it prints where it unpacks; a build tree made against another cache "
		"folder must be removed first)")
endif()

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu "${GVB_ARM64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config answers for arm64 json-c, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} "${GVB_ARM64_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${GVB_ARM64_SYSROOT}")
