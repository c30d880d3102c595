#!/bin/bash
# The allocator fact and check against /proc/slabinfo captured in the 6.12
# guests (20000 files at the peak): it must name the cache that served the
# inodes, pass for it, fail for any other, and reject bad input.
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

# The last output has LINE.
expect_line() {
	if grep -qxF -- "$1" /tmp/gb-alloc-check.out; then
		passes=$((passes + 1))
	else
		failures=$((failures + 1))
		echo "FAIL: no line '$1' in: $(cat /tmp/gb-alloc-check.out)"
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
expect_line "inodes from: unknown (no *inode* cache grew by 0.95 objects per file)"
expect_rc 1 "a cache that grew one a file but holds no inodes is not the inode cache" \
	"$fx/slabinfo-6.12-cache-before.txt" "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 dentry
# The fact alone, without an expectation: where the inodes came from, and
# what else a file costs, in a stable order.
expect_rc 0 "report only (base)" "$fx/slabinfo-6.12-base-before.txt" "$fx/slabinfo-6.12-base-peak20k.txt" 20000
expect_line "inodes from: inode_cache (0.996 objects per file)"
expect_rc 0 "report only (cache)" "$fx/slabinfo-6.12-cache-before.txt" "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 none
expect_line "inodes from: kvm_gmem_inode_cache (0.995 objects per file)"
if [[ $(grep '^grew: ' /tmp/gb-alloc-check.out | cut -d' ' -f2 | paste -sd' ') != "dentry filp kmalloc-64 kvm_gmem_inode_cache" ]]; then
	failures=$((failures + 1))
	echo "FAIL: the caches a file grows: $(cat /tmp/gb-alloc-check.out)"
fi
expect_rc 2 "a name that is not a cache's" \
	"$fx/slabinfo-6.12-cache-before.txt" "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 'x;rm -rf /'
expect_rc 2 "files not a number" \
	"$fx/slabinfo-6.12-cache-before.txt" "$fx/slabinfo-6.12-cache-peak20k.txt" 2e4 inode_cache
expect_rc 2 "not a slabinfo file" "$check" "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 inode_cache
expect_rc 2 "missing file" /nonexistent "$fx/slabinfo-6.12-cache-peak20k.txt" 20000 inode_cache
rm -f /tmp/gb-alloc-check.out
echo "$passes passed, $failures failed"
((failures == 0))
