#!/bin/bash
# NUMA at scale in the guest: the cache kernel on 4 nodes x 1 CPU with
# ring distances must be exactly that machine, and remote frees must reach
# every node; a request the kernel can't meet must fail with both figures.
# Exit: 0 pass, 1 fail, 77 skip (reason printed)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
get=${GB_JSON_GET:?}
case_name="vm numa"
# shellcheck source=test_lib.sh
source "$top/bench/tests/test_lib.sh"
tmp=$(mktemp -d /tmp/gb-vm-numa-XXXXXX)
label=test-vm-numa
trap 'rm -rf "$tmp" "$top/results/$label" "$top/results/$label-small"' EXIT

need_vm_packages "$top"
# shellcheck source=../../scripts/kernel-lib.sh
source "$top/scripts/kernel-lib.sh"

image=$("$top/scripts/kernel-build.sh" cache | tail -n 1) || fail "kernel build failed"

# 1. 4 nodes x 1 CPU, ring distances: exactly that, or vm-run fails.
"$top/scripts/vm-run.sh" --kernel "$image" --variant cache --label "$label" --force --nodes 4 \
	--distances ring --mem-per-node 512M --suite "$top/scripts/suites/vm-numa-smoke.suite" \
	--timeout 900 || fail "vm-run exited $?"
out=$top/results/$label
topo=$out/topology.txt
[[ $(awk '$1 == "online_cpus" { print $2 }' "$topo") == 4 ]] || fail "online CPUs: $(cat "$topo")"
[[ $(awk '$1 == "online_nodes" { print $2 }' "$topo") == 4 ]] || fail "online nodes: $(cat "$topo")"
want=$(gb_distance_matrix ring 4 | tr , ' ')
[[ $(sed -n 's/^distances //p' "$topo") == "$want" ]] || fail "distances: $(grep ^distances "$topo"), asked $want"

# 2. Remote frees on 4 nodes: new inode objects on every node, and each
# thread closing on the next node, or on the farthest (two hops on a ring
# of four).
for target in next far; do
	json=$out/hold-remote-$target-4t.json
	[[ $("$get" "$json" status) == ok ]] || fail "$target: status $("$get" "$json" status)"
	for ((t = 0; t < 4; t++)); do
		step=$([[ $target == next ]] && echo 1 || echo 2)
		node=$("$get" "$json" placement.threads.$t.close_node)
		[[ $node == $(((t + step) % 4)) ]] || fail "$target: thread $t closed on node $node"
	done
	per_node=""
	for ((i = 0; i < 64; i++)); do
		name=$("$get" "$json" "runs.0.collectors.slab.caches.$i.name" 2>/dev/null) || break
		[[ $name == kvm_gmem_inode_cache ]] || continue
		per_node=$("$get" "$json" "runs.0.collectors.slab.caches.$i.per_node_new_objects")
	done
	[[ $per_node =~ ^\[([1-9][0-9]*,){3}[1-9][0-9]*\]$ ]] ||
		fail "$target: kvm_gmem_inode_cache new objects per node: '$per_node', expected 4 nodes above 0"
	echo "remote-close=$target: kvm_gmem_inode_cache new objects per node $per_node"
done

# 3. More CPUs than the kernel takes, known from its .config: refused
# before booting, with both numbers.
mkdir -p "$tmp/tree/arch/x86/boot"
cp "$image" "$tmp/tree/arch/x86/boot/bzImage"
echo "CONFIG_NR_CPUS=2" >"$tmp/tree/.config"
"$top/scripts/vm-run.sh" --kernel "$tmp/tree/arch/x86/boot/bzImage" --label "$label-small" \
	--force --nodes 4 >"$tmp/out" 2>&1
rc=$?
[[ $rc == 3 ]] || fail "4 CPUs on a kernel that takes 2: exit $rc, expected 3: $(cat "$tmp/out")"
grep -q "4 CPUs asked (4 nodes x 1), but this kernel takes 2" "$tmp/out" || fail "$(cat "$tmp/out")"

# 4. A guest with fewer CPUs online than asked (nr_cpus=2): no case runs,
# exit 3 with both figures.
"$top/scripts/vm-run.sh" --kernel "$image" --variant cache --label "$label-small" --force \
	--nodes 4 --mem-per-node 512M --append nr_cpus=2 \
	--suite "$top/scripts/suites/vm-numa-smoke.suite" --timeout 900 >"$tmp/out" 2>&1
rc=$?
[[ $rc == 3 ]] || fail "a guest with 2 of 4 CPUs: exit $rc, expected 3: $(tail -n 5 "$tmp/out")"
grep -q "4 CPUs on 4 nodes were asked, the guest has 2 CPUs on 4 nodes" "$tmp/out" ||
	fail "$(tail -n 5 "$tmp/out")"
compgen -G "$top/results/$label-small/hold-*.json" >/dev/null && fail "cases ran on the wrong machine"
echo "PASS [vm numa]"
