#!/bin/bash
# NUMA placement in the guest (gmem-bench placement-check, run by the
# guest after its suite): the policy kernel must pass every check, on 2
# nodes and on 4 with ring distances (the files bound to the farthest
# node); the mmap kernel, host mmap without the shared policy, must pass
# what needs no policy (mbind() and get_mempolicy() on the mapping, an
# invalid mode) and fail every check that does.  memfd, shmem with its
# shared policy, passes on both: the method sees a policy where one is.
# The kernels are the benchmark's own (KVM as modules, loaded in the
# guest; WARN() compiled in), the ones vm_unload_policy and the A/B boot:
# mmap and policy share every object but guest_memfd.o, and a cold cache
# builds the mm patch's kernel once.
# Usage: vm_placement_test.sh policy|mmap
# Exit: 0 pass, 1 fail, 77 skip (reason printed)
set -uo pipefail
variant=${1:?variant}
top=$(cd "$(dirname "$0")/../.." && pwd)
get=${GB_JSON_GET:?}
case_name="vm placement $variant"
# shellcheck source=test_lib.sh
source "$top/bench/tests/test_lib.sh"
label=test-vm-placement-$variant
trap 'rm -rf "$top/results/$label" "$top/results/$label-4n"' EXIT

need_vm_packages "$top"
image=$("$top/scripts/kernel-build.sh" "$variant" | tail -n 1) || fail "kernel build failed"
tree=${image%/arch/x86/boot/bzImage}
# The guest's KVM selftest is built against the variant's uapi (0003's
# mmap flags), from the source with only those hunks: a tree of its own,
# shared by mmap and policy, never the built kernel tree.
kst_tree=$(readlink "$tree/gb-kst/tree") || fail "no gb-kst/tree link in $tree"
[[ $kst_tree == */selftests-* && $kst_tree != "$tree"* ]] || fail "the selftest is built in $kst_tree"
grep -q GUEST_MEMFD_FLAG_MMAP "$kst_tree/usr/include/linux/kvm.h" || fail "the selftest's kvm.h lacks the mmap flag"

# boot LABEL ARGS...: the placement suite on the variant, or fail.
boot() {
	local l=$1
	shift
	"$top/scripts/vm-run.sh" --kernel "$image" --variant "$variant" --label "$l" \
		--force --suite "$top/scripts/suites/vm-placement.suite" --timeout 900 "$@" ||
		fail "vm-run $* exited $?"
	# What the kernel said once the tests began (a boot-time WARN from
	# QEMU's one-CPU nodes, topology_sane(), is not ours).
	grep -q "gmem-bench guest: the tests begin" "$top/results/$l/dmesg.txt" || fail "no start marker in dmesg"
	! sed -n '/gmem-bench guest: the tests begin/,$p' "$top/results/$l/dmesg.txt" |
		grep -E "WARNING:|BUG[: ]|Oops|general protection" || fail "the kernel warned (above)"
}

# verdicts JSON: "name RESULT" a line, for every check.
verdicts() {
	local i name
	for ((i = 0; i < 64; i++)); do
		name=$("$get" "$1" "checks.$i.name" 2>/dev/null) || break
		echo "$name $("$get" "$1" "checks.$i.result")"
	done
}

# expect_checks JSON WANT...: each "name RESULT" of WANT is what ran.
expect_checks() {
	local json=$1 got want
	shift
	got=$(verdicts "$json")
	[[ -n $got ]] || fail "no checks in $json"
	for want in "$@"; do
		grep -qx "$want" <<<"$got" ||
			fail "${json##*/}: expected '$want'; got: $(grep "^${want%% *} " <<<"$got" || echo "no such check")"
	done
}

no_policy=(readback-bind readback-interleave readback-preferred default-reset invalid-mode)
needs_policy=(fault-bind fault-preferred fault-interleave remap hole-punch per-range fallocate private)
# checks NAMES RESULT: "NAME RESULT" for each.
checks() {
	local result=$1 n
	shift
	for n in "$@"; do echo "$n $result"; done
}

boot "$label" --nodes 2
out=$top/results/$label/placement
sed 's/^/  /' "$out/gmem.txt"
mapfile -t memfd_want < <(checks PASS "${no_policy[@]}" "${needs_policy[@]:0:7}"; echo "private SKIP")
expect_checks "$out/memfd.json" "${memfd_want[@]}"
[[ $("$get" "$out/memfd.json" failed) == 0 ]] || fail "memfd, the reference, failed a check"

case $variant in
policy)
	mapfile -t want < <(checks PASS "${no_policy[@]}" "${needs_policy[@]}")
	expect_checks "$out/gmem.json" "${want[@]}"
	[[ $("$get" "$out/gmem.json" verdict) == pass ]] || fail "gmem verdict: $("$get" "$out/gmem.json" verdict)"
	grep -q "^gmem 0$" "$out/status.txt" || fail "placement-check exit: $(cat "$out/status.txt")"

	# 4 nodes, ring distances: the files bound to the node two hops away.
	boot "$label-4n" --nodes 4 --distances ring --mem-per-node 512M
	out4=$top/results/$label-4n/placement
	sed 's/^/  /' "$out4/gmem.txt"
	expect_checks "$out4/gmem.json" "${want[@]}"
	task=$("$get" "$out4/gmem.json" task_node)
	[[ $("$get" "$out4/gmem.json" file_node) == $(((task + 2) % 4)) ]] ||
		fail "4 nodes: task on node $task, files on node $("$get" "$out4/gmem.json" file_node), not the farthest"
	;;
mmap)
	mapfile -t want < <(checks PASS "${no_policy[@]}"; checks FAIL "${needs_policy[@]}")
	expect_checks "$out/gmem.json" "${want[@]}"
	grep -q "^gmem 1$" "$out/status.txt" || fail "placement-check exit: $(cat "$out/status.txt"), expected 1"
	;;
*) fail "no expectation for variant $variant" ;;
esac
echo "PASS [vm placement $variant]"
