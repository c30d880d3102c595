#!/bin/bash
# The module-unload regression test must tell the two kernels apart: the
# cache patch passes, the test-only variant without its rcu_barrier() is
# caught with the kernel's own report of objects left in the cache.
# policy (the NUMA shared policy, whose objects are freed in
# destroy_inode) must be clean too, with the placement check passing on
# the loaded module in every round, WARN() compiled in.
# Usage: vm_unload_test.sh cache|cache-no-rcu-barrier|policy
# Exit: 0 pass, 1 fail, 77 skip (reason printed)
set -uo pipefail
variant=${1:?variant}
top=$(cd "$(dirname "$0")/../.." && pwd)
case_name="unload $variant"
# shellcheck source=test_lib.sh
source "$top/bench/tests/test_lib.sh"

need_vm_packages "$top"
label=test-unload-$variant
out=$("$top/scripts/unload-test.sh" --label "$label" "$variant" 2>&1)
rc=$?
trap 'rm -rf "$top/results/$label"' EXIT
echo "$out" | tail -n 25
case $variant in
cache | policy)
	[[ $rc == 0 ]] || fail "unload-test.sh exited $rc, expected 0 (clean)"
	grep -q "^verdict: PASS" <<<"$out" || fail "no PASS verdict"
	;;&
policy)
	dir=$top/results/$label/placement
	n=0
	for f in "$dir"/gmem-round-*.txt; do
		[[ -f $f ]] || continue
		grep -q "^placement: 13 checks, 13 passed, 0 failed, 0 skipped" "$f" ||
			fail "${f##*/}: $(grep -m1 -E '^placement|error' "$f")"
		n=$((n + 1))
	done
	((n == 3)) || fail "the placement check ran in $n of 3 rounds"
	echo "placement check passed on the loaded module in $n rounds"
	;;
cache)
	;;
cache-no-rcu-barrier)
	[[ $rc == 1 ]] || fail "unload-test.sh exited $rc, expected 1 (the kernel reports a problem)"
	grep -q "Objects remaining in kvm_gmem_inode_cache\|kvm_gmem_inode_cache.*Objects remaining" <<<"$out" ||
		fail "the kernel did not report objects left in kvm_gmem_inode_cache"
	;;
*) fail "no expectation for variant $variant" ;;
esac
echo "PASS [unload $variant]"
