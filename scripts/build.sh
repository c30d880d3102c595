#!/bin/bash
# Configure and build gmem-bench and its tests into build/ (or $GB_BUILD_DIR).
# Installs the Debian packages it needs first.  Usage: scripts/build.sh [cmake args...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${GB_BUILD_DIR:-$top/build}

"$top/scripts/install-deps.sh" core stats
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
echo "built $build/bench/gmem-bench"
