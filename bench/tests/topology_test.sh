#!/bin/bash
# The NUMA distance presets and the guest topology check of vm-run.sh
# (scripts/kernel-lib.sh), on hand-written guest reports: no VM needed.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
case_name=topology
tmp=$(mktemp -d /tmp/gb-topo-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=test_lib.sh
source "$top/bench/tests/test_lib.sh"
# shellcheck source=../../scripts/kernel-lib.sh
source "$top/scripts/kernel-lib.sh"

expect_eq "$(gb_distance_matrix default 4)" "" "default: QEMU's own"
expect_eq "$(gb_distance_matrix ring 4)" "10,15,20,15,15,10,15,20,20,15,10,15,15,20,15,10" "ring of 4"
expect_eq "$(gb_distance_matrix ring 8 | cut -d, -f1-8)" "10,15,20,25,30,25,20,15" "ring of 8, row 0"
expect_eq "$(gb_distance_matrix 2socket 4)" "10,12,32,32,12,10,32,32,32,32,10,12,32,32,12,10" "2socket of 4"
expect_eq "$(gb_distance_matrix 10,21,21,10 2)" "10,21,21,10" "literal"
for bad in "2socket 3" "10,21,21 2" "11,21,21,10 2" "10,10,10,10 2" "10,300,300,10 2" "x 2" "10,,21,10 2"; do
	# shellcheck disable=SC2086
	gb_distance_matrix $bad >/dev/null && fail "--distances $bad accepted"
done

# A guest report as scripts/guest/init writes it.
report() { # CPUS NODES DISTANCES NODE_CPULISTS...
	{
		echo "online_cpus $1"
		echo "online_nodes $2"
		local i=0 d=$3
		shift 3
		for l in "$@"; do echo "node$i cpus $l"; i=$((i + 1)); done
		echo "distances ${d//,/ }"
	} >"$tmp/topology.txt"
}
ring4=$(gb_distance_matrix ring 4)
report 4 4 "$ring4" 0 1 2 3
gb_check_topology "$tmp/topology.txt" 4 4 1 "$ring4" || fail "the machine asked for was refused"
report 8 4 "$ring4" 0-1 2-3 4-5 6-7
gb_check_topology "$tmp/topology.txt" 8 4 2 "$ring4" || fail "2 CPUs per node refused"
report 2 4 "$ring4" 0 1 "" ""
why=$(gb_check_topology "$tmp/topology.txt" 4 4 1 "$ring4") && fail "2 of 4 CPUs accepted"
expect_eq "$why" "4 CPUs on 4 nodes were asked, the guest has 2 CPUs on 4 nodes (is CONFIG_NR_CPUS or CONFIG_NODES_SHIFT of this kernel too small?)" "CPUs missing"
report 4 2 "10,20,20,10" 0-1 2-3
why=$(gb_check_topology "$tmp/topology.txt" 4 4 1 "") && fail "2 of 4 nodes accepted"
[[ $why == "4 CPUs on 4 nodes were asked, the guest has 4 CPUs on 2 nodes"* ]] || fail "nodes missing: $why"
report 4 4 "$ring4" 0 1 3 2
why=$(gb_check_topology "$tmp/topology.txt" 4 4 1 "$ring4") && fail "CPUs on the wrong nodes accepted"
expect_eq "$why" "node 2 has CPUs 3, 2 were asked" "CPUs on other nodes"
report 4 4 "$(gb_distance_matrix 2socket 4)" 0 1 2 3
why=$(gb_check_topology "$tmp/topology.txt" 4 4 1 "$ring4") && fail "other distances accepted"
[[ $why == "distances $ring4 were asked, the guest has 10,12,32,32,"* ]] || fail "distances: $why"
# Memory-only nodes (vm-run.sh --cpu-nodes, the one-vCPU icount guest).
report 1 2 "10,20,20,10" 0 ""
gb_check_topology "$tmp/topology.txt" 1 2 1 "10,20,20,10" 1 || fail "a memory-only node 1 refused"
why=$(gb_check_topology "$tmp/topology.txt" 1 2 1 "10,20,20,10") && fail "a CPU-less node accepted where CPUs were asked"
report 2 2 "10,20,20,10" 0 1
why=$(gb_check_topology "$tmp/topology.txt" 1 2 1 "" 1) && fail "CPUs on a node asked to be memory-only accepted"
report 1 2 "10,20,20,10" 0 ""
why=$(gb_check_topology "$tmp/topology.txt" 1 2 1 "" 1) || fail "memory-only, no distances asked: $why"
rm "$tmp/topology.txt"
why=$(gb_check_topology "$tmp/topology.txt" 4 4 1 "") && fail "no report accepted"
expect_eq "$why" "the guest wrote no topology.txt" "no report"

# vm-run.sh refuses what no benchmark kernel can be, before anything else.
echo fake >"$tmp/bzImage"
for args in "--nodes 9" "--cpus-per-node 9" "--nodes 0" "--distances ring3" "--distances 2socket --nodes 3" \
	"--cpu-nodes 0" "--cpu-nodes 3" "--nodes 4 --cpu-nodes 5" "--cpu-nodes x"; do
	# shellcheck disable=SC2086
	"$top/scripts/vm-run.sh" --kernel "$tmp/bzImage" $args >"$tmp/out" 2>"$tmp/err"
	expect_eq "$?" 2 "vm-run.sh $args"
done
echo "PASS [topology]"
