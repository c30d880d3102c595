#!/bin/bash
# Build everything and run every test (unit, integration on this kernel,
# error paths).  Installs what it needs from Debian first.
# Usage: scripts/test.sh [ctest args...], e.g. scripts/test.sh -L unit
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
build=$gb_build

"$gb_top/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure "$@"
