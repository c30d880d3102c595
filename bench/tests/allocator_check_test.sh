#!/bin/bash
# The allocator assertion against /proc/slabinfo captured in the 6.12
# guests (20000 files at the peak): it must pass for the cache that served
# the inodes, fail for the other one, and reject bad input.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check=$here/../../scripts/guest/check-allocator.sh
fx=$here/fixtures
failures=0 passes=0

expect_rc() {
	local want=$1 what=$2
	shift 2
	sh "$check" "$@" >/tmp/gb-alloc-check.out 2>&1
	local rc=$?
	if [[ $rc == "$want" ]]; then
		passes=$((passes + 1))
	else
		failures=$((failures + 1))
		echo "FAIL: $what: exit $rc, expected $want: $(cat /tmp/gb-alloc-check.out)"
	fi
}

expect_rc 0 "base kernel: inodes in inode_cache" \
	"$fx/slabinfo-6.12-base-before.txt" "$fx/slabinfo-6.12-base-peak20k.txt" 20000 inode_cache
expect_rc 1 "base kernel is not using kvm_gmem_inode_cache" \
	"$fx/slabinfo-6.12-base-before.txt" "$fx/slabinfo-6.12-base-peak20k.txt" 20000 kvm_gmem_inode_cache
expect_rc 0 "cache kernel: inodes in kvm_gmem_inode_cache" \
	"$fx/slabinfo-6.12-cache-before.txt" "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 kvm_gmem_inode_cache
expect_rc 1 "cache kernel is not using inode_cache" \
	"$fx/slabinfo-6.12-cache-before.txt" "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 inode_cache
expect_rc 1 "far fewer objects than files is not a pass" \
	"$fx/slabinfo-6.12-cache-before.txt" "$fx/slabinfo-6.12-cache-peak20k.txt" 40000 kvm_gmem_inode_cache
expect_rc 2 "unknown cache name" \
	"$fx/slabinfo-6.12-cache-before.txt" "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 dentry
expect_rc 2 "not a slabinfo file" "$check" "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 inode_cache
expect_rc 2 "missing file" /nonexistent "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 inode_cache
rm -f /tmp/gb-alloc-check.out
echo "$passes passed, $failures failed"
((failures == 0))
