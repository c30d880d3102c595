#!/bin/bash
# Build everything and run every test (unit, integration on this kernel,
# error paths).  Installs what it needs from Debian first.
# Usage: scripts/test.sh [ctest args...], e.g. scripts/test.sh -L unit
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${GB_BUILD_DIR:-$top/build}

"$top/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure "$@"
