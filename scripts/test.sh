#!/bin/bash
# Build everything and run every test (unit, integration on this kernel,
# error paths).  Installs what it needs from Debian first.
# Usage: scripts/test.sh [ctest args...], e.g. scripts/test.sh -L unit
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
build=$gb_build

# Debian's kernel source first: the build makes the KVM selftests library
# and gmem-kst from it (bench/cmake/KvmSelftests.cmake), and the VM tests
# boot kernels built from it.  Where it cannot be installed, the build says
# so and goes on, and the VM tests skip, saying why.
"$gb_top/scripts/install-deps.sh" kernel >/dev/null ||
	echo "test.sh: could not install the kernel packages; the selftests library and VM tests will be skipped" >&2
"$gb_top/scripts/build.sh"
# Tests side by side, one per CPU: most of a cold run is kernel builds,
# which use every CPU, and one-vCPU guests, which use one; the tests that
# boot nothing fill the other.  The tests' properties keep apart what must
# not overlap (bench/tests/CMakeLists.txt).  A -j of yours comes later
# and wins.
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
