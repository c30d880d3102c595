#!/bin/bash
# Build gmem-bench and its tests with AddressSanitizer and
# UndefinedBehaviorSanitizer (LeakSanitizer included) into build-asan/ and
# run the unit, integration, error-path and compare tests with them (not
# the tests labelled "scripts", which run no program of ours).  Any
# report fails the test that triggered it: the build does not recover
# from errors, and a leak at exit makes the process exit non-zero.
# Usage: scripts/sanitize.sh [ctest args...]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
build=${GB_ASAN_BUILD_DIR:-$gb_top/build-asan}

GB_BUILD_DIR=$build "$gb_top/scripts/build.sh" -DGB_SANITIZE=ON >/dev/null
# The fault-injection tests preload a shim ahead of the (dynamic) ASan
# runtime, which ASan would otherwise refuse.
export ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure -L 'unit|integration|errors|compare' -LE scripts "$@"
