#!/bin/bash
# The allocator fact and check against what "gmem-bench hold" printed in
# the 6.12 guests (20000 files at the peak) and on the 6.18 host (memfd,
# 10000 files): it must name the cache the tool found, pass for it, fail
# for any other, and reject bad input.  Which cache the tool finds is
# tested on captured /proc/slabinfo in test_slabinfo.c.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check=$here/../../scripts/guest/check-allocator.sh
fx=$here/fixtures
base=$fx/hold-summary-6.12-base.txt cache=$fx/hold-summary-6.12-cache.txt
memfd=$fx/hold-summary-6.18-host-memfd.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
failures=0 passes=0

expect_rc() {
	local want=$1 what=$2
	shift 2
	sh "$check" "$@" >"$out" 2>&1
	local rc=$?
	if [[ $rc == "$want" ]]; then
		passes=$((passes + 1))
	else
		failures=$((failures + 1))
		echo "FAIL: $what: exit $rc, expected $want: $(cat "$out")"
	fi
}

# The last output has LINE.
expect_line() {
	if grep -qxF -- "$1" "$out"; then
		passes=$((passes + 1))
	else
		failures=$((failures + 1))
		echo "FAIL: no line '$1' in: $(cat "$out")"
	fi
}

expect_rc 0 "base kernel: inodes in inode_cache" "$base" inode_cache
expect_line "allocator check: PASS (expected the inodes in inode_cache)"
expect_rc 1 "base kernel is not using kvm_gmem_inode_cache" "$base" kvm_gmem_inode_cache
expect_line "allocator check: FAIL (expected the inodes in kvm_gmem_inode_cache)"
expect_rc 0 "cache kernel: inodes in kvm_gmem_inode_cache" "$cache" kvm_gmem_inode_cache
expect_rc 1 "cache kernel is not using inode_cache" "$cache" inode_cache
expect_rc 1 "a cache that grew one a file but holds no inodes is not the inode cache" "$cache" dentry
expect_rc 0 "any cache: memfd's" "$memfd" shmem_inode_cache
# No cache grew by a file each: unknown, and no expectation holds.
sed 's/^  inodes from: .*/  inodes from: unknown (no *inode* cache grew by 0.95 objects per file)/' \
	"$cache" >"$tmp/unknown.txt"
expect_rc 1 "no cache found is not a pass" "$tmp/unknown.txt" kvm_gmem_inode_cache
expect_line "inodes from: unknown (no *inode* cache grew by 0.95 objects per file)"
# The fact alone, without an expectation: where the inodes came from, and
# the tool's table of what else a file costs.
expect_rc 0 "report only (base)" "$base"
expect_line "inodes from: inode_cache (1.000 objects per file)"
expect_rc 0 "report only (cache)" "$cache" none
expect_line "inodes from: kvm_gmem_inode_cache (1.000 objects per file)"
if [[ $(sed -n 's/^  \([a-z0-9_-]*\)  *[0-9][0-9.]*  *[0-9][0-9.]* .*/\1/p' "$out" | paste -sd' ') != \
	"kvm_gmem_inode_cache dentry filp kmalloc-64" ]]; then
	failures=$((failures + 1))
	echo "FAIL: the caches a file grows: $(cat "$out")"
fi
expect_rc 2 "a name that is not a cache's" "$cache" 'x;rm -rf /'
expect_rc 2 "not a hold summary" "$check" inode_cache
expect_rc 2 "missing file" /nonexistent inode_cache
expect_rc 2 "a directory" "$fx" inode_cache
grep -v '^  inodes from: ' "$cache" >"$tmp/nofact.txt"
expect_rc 2 "no 'inodes from:' line (slab collector off)" "$tmp/nofact.txt" inode_cache
# shellcheck disable=SC2016 # the text of a command substitution, on purpose
sed 's/^  inodes from: .*/  inodes from: $(reboot) (1.000 objects per file)/' "$cache" >"$tmp/hostile.txt"
expect_rc 2 "a cache name that is code" "$tmp/hostile.txt" inode_cache
sed 's/^  inodes from: .*/&\n&/' "$cache" >"$tmp/twice.txt"
expect_rc 2 "two facts" "$tmp/twice.txt" inode_cache
expect_rc 2 "too many arguments" "$cache" inode_cache extra
echo "$passes passed, $failures failed"
((failures == 0))
