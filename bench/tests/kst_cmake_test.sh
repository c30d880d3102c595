#!/bin/bash
# The KVM selftests library's CMake module (bench/cmake/KvmSelftests.cmake)
# where it cannot build the library: configured into a build tree of its
# own, the rest of the project must still build, and the reason be said.
# Usage: kst_cmake_test.sh CASE   (no_source, bad_tree)
# Exit: 0 pass, 1 fail.
set -uo pipefail

case_name=${1:?case name}
tmp=$(mktemp -d /tmp/gb-kst-cmake-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=test_lib.sh
source "$(dirname "$0")/test_lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

case $case_name in
no_source)
	# No Debian source and no tree: one status line says why, the rest of
	# the build goes on, and no gmem-kst appears.
	expect_rc 0 cmake -S "$top" -B "$tmp/b" -DGB_DEBIAN_KERNEL_SOURCE="$tmp/missing.tar.xz"
	grep -q "KVM selftests library: skipped, no kernel source ($tmp/missing.tar.xz is missing" "$tmp/out" ||
		fail "no skip message in: $(grep -i selftest "$tmp/out")"
	expect_rc 0 cmake --build "$tmp/b" -j "$(nproc)"
	[[ -x $tmp/b/bench/gmem-bench && -x $tmp/b/bench/gmem-compare && -x $tmp/b/bench/tests/test_selftest ]] ||
		fail "the rest of the build is missing"
	[[ ! -e $tmp/b/bench/gmem-kst && ! -e $tmp/b/kst ]] || fail "gmem-kst or the library was built"
	;;
bad_tree)
	# A tree given that is not a kernel tree: configuring stops, saying so.
	mkdir "$tmp/empty"
	expect_rc 1 cmake -S "$top" -B "$tmp/b" -DGB_KERNEL_TREE="$tmp/empty"
	grep -q "GB_KERNEL_TREE=$tmp/empty has no KVM selftests" "$tmp/err" ||
		fail "no clear error in: $(cat "$tmp/err")"
	;;
*) fail "unknown case" ;;
esac
echo "PASS [$case_name]"
