#!/bin/bash
# Configure and build gmem-bench and its tests into build/ (or $GB_BUILD_DIR).
# Installs the Debian packages it needs first.
# Usage: scripts/build.sh [--static] [cmake args...]
#   --static  build only a statically linked gmem-bench into build-static/
#             (for the VM's initramfs)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
build=$gb_build

target=()
if [[ ${1:-} == --static ]]; then
	shift
	build=$gb_static_build
	set -- -DGB_STATIC=ON "$@"
	target=(--target gmem-bench gmem-suite)
fi

"$gb_top/scripts/install-deps.sh" core stats
mkdir -p "$build"
if ! { cmake -S "$gb_top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" &&
	cmake --build "$build" -j "$(nproc)" "${target[@]}"; } >"$build/build.log" 2>&1; then
	tail -n 30 "$build/build.log" >&2
	echo "build.sh: build failed; full log: $build/build.log" >&2
	exit 1
fi
echo "built $build/bench/gmem-bench"
