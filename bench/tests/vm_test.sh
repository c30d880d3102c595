#!/bin/bash
# VM test of one kernel variant: apply the series, build (with the cache),
# boot on 2 NUMA nodes, and check that the allocator assertion held and
# that gmem-bench ran on both nodes.
# Usage: vm_test.sh VARIANT     Exit: 0 pass, 1 fail, 77 skip (reason printed)
set -uo pipefail
variant=${1:?variant}
top=$(cd "$(dirname "$0")/../.." && pwd)
get=${GB_JSON_GET:?}
case_name="vm $variant"
# shellcheck source=test_lib.sh
source "$top/bench/tests/test_lib.sh"

need_vm_packages "$top"

image=$("$top/scripts/kernel-build.sh" "$variant" | tail -n 1) || fail "kernel build failed"
label=test-vm-$variant
# KVM is modules: a parameter on the kernel command line reaches the
# loaded module (the guest passes it to insmod, as modprobe would), and
# vm-run.sh checks it did (halt_poll_ns: any KVM has it).
"$top/scripts/vm-run.sh" --kernel "$image" --variant "$variant" --label "$label" --force \
	--nodes 2 --suite "$top/scripts/suites/vm-smoke.suite" --timeout 900 --append kvm.halt_poll_ns=7777
rc=$?
out=$top/results/$label
trap 'rm -rf "$out"' EXIT
[[ $rc == 0 ]] || fail "vm-run exited $rc"

grep -q "allocator check: PASS" "$out/allocator.txt" || fail "allocator check: $(cat "$out/allocator.txt")"
want=$([[ $variant == cache ]] && echo kvm_gmem_inode_cache || echo inode_cache)
grep -q "expected the inodes in $want" "$out/allocator.txt" || fail "checked the wrong cache"
grep -q "^node1:" "$out/env.txt" || fail "the guest has no node 1: $(grep ^node "$out/env.txt")"
grep -qx "module parameter kvm.halt_poll_ns: 7777" "$out/env.txt" ||
	fail "kvm.halt_poll_ns=7777 did not reach the module: $(grep 'module parameter' "$out/env.txt")"
# KVM was loaded before the guest described itself: its probe saw /dev/kvm.
grep -q '"api_version": 12' "$out/env.txt" || fail "no KVM in the guest's probe: $(grep -A3 'gmem-bench:' "$out/env.txt")"
json=$(ls "$out"/churn-gmem-*t.json)
[[ $("$get" "$json" placement.nodes) == "[0,1]" ]] || fail "churn did not run on nodes 0 and 1: $("$get" "$json" placement.nodes)"
[[ $("$get" "$json" status) == ok ]] || fail "churn status $("$get" "$json" status)"
hold=$(ls "$out"/hold-gmem-*t.json)
[[ $("$get" "$hold" placement.threads.0.close_node) == 1 ]] || fail "--remote-close did not close on node 1"
# The KVM selftest ran in this guest too, through gmem-bench selftest.
kst=$(ls "$out"/kst-gmem-*t.json)
[[ $("$get" "$kst" params.backend) == kvm-selftest ]] || fail "the selftest's result: $("$get" "$kst" params.backend)"
awk -v n="$("$get" "$kst" runs.0.created)" 'BEGIN { exit !(n > 0) }' || fail "the selftest created no file"
# The placement check ran after the suite: memfd (shmem, with shared
# policies) passes wherever there is one to check; guest_memfd of these
# kernels cannot be mapped, and says so (exit 6).
grep -q "^memfd 0$" "$out/placement/status.txt" || fail "memfd placement: $(cat "$out/placement/memfd.txt")"
grep -q "^gmem 6$" "$out/placement/status.txt" || fail "gmem placement: $(cat "$out/placement/status.txt")"
grep -q "nothing to check: guest_memfd flags 0x3 not supported" "$out/placement/gmem.txt" ||
	fail "gmem placement: $(cat "$out/placement/gmem.txt")"
sed 's/^/  /' "$out/allocator.txt"
echo "PASS [vm $variant]"
