#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Builds one CMake preset (release, debug, asan, tsan) and runs its ctest suites.
# Usage: scripts/test.sh [PRESET]   (default: release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
case "$preset" in
release|debug|asan|tsan) ;;
*) echo "test.sh: unknown preset '$preset' (use release, debug, asan or tsan)" >&2; exit 2 ;;
esac
command -v cmake >/dev/null || { echo "test.sh: cmake not found; run scripts/bootstrap first" >&2; exit 2; }
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j"$(nproc)"
ctest --preset "$preset" -j"$(nproc)"
