#!/bin/bash
# Module-unload regression test of a kernel variant: build it with KVM as
# modules, boot it in QEMU (2 NUMA nodes) and, ROUNDS times, run two
# load/use/unload cycles (scripts/guest/unload-cycles.sh): load kvm and
# kvm-amd/kvm-intel, create and close FILES guest_memfd files on every
# CPU, unload both modules.
#   quiet  every file closed and freed, kfree_rcu() batches drained, then
#          rmmod: only kvm_gmem_exit()'s rcu_barrier() covers the inode
#          that kern_unmount() evicts itself, the pseudo filesystem's root
#   hot    the VMM is killed with every file open and rmmod succeeds the
#          moment the last file lets go of the module
#
# This is the bug of the cache patch's review thread: inodes evicted just
# before kvm_gmem_exit() destroys kvm_gmem_inode_cache are freed into it
# later, from RCU callbacks, unless it waits with rcu_barrier() first.
# The test-only variant cache-no-rcu-barrier drops that wait and must
# fail; cache must pass.  Each quiet cycle also runs gmem-bench
# placement-check on the loaded module (results/L/placement/): on mmap and
# policy, whose shared policies are then made and freed with WARN()
# compiled in before the unload.
#
# Usage: scripts/unload-test.sh [--rounds N] [--files N] [--label L] VARIANT
#   VARIANT     base, mount, cache, mmap, policy or cache-no-rcu-barrier
#   --rounds N  rounds of a quiet and a hot cycle (default 3)
#   --files N   guest_memfd files per cycle, over all guest CPUs (default 4000)
#   --label L   results/L/ (default unload-VARIANT)
# Prints the verdict and the kernel's lines that decided it, also saved
# in results/L/unload-verdict.txt.  Exit codes: 0 clean, 1 the kernel
# reported a problem, 2 usage, 3 the test could not run (build, boot, or
# cycles that failed with nothing from the kernel).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"

rounds=3 nfiles=4000 label="" variant=""
while (($#)); do
	case $1 in
	--rounds) rounds=${2:?}; shift 2 ;;
	--files) nfiles=${2:?}; shift 2 ;;
	--label) label=${2:?}; shift 2 ;;
	-h | --help) gb_help; exit 0 ;;
	-*) gb_die 2 "unknown option '$1' (see --help)" ;;
	*) [[ -z $variant ]] || gb_die 2 "one variant at a time"; variant=$1; shift ;;
	esac
done
[[ -n $variant ]] || gb_die 2 "no variant given ($gb_variants)"
gb_variant_patch_files "$variant" >/dev/null 2>&1 || gb_die 2 "unknown variant '$variant' ($gb_variants)"
[[ $rounds =~ ^[1-9][0-9]{0,2}$ ]] || gb_die 2 "--rounds takes 1-999"
[[ $nfiles =~ ^[1-9][0-9]{0,5}$ ]] || gb_die 2 "--files takes 1-999999"
label=${label:-unload-$variant}

image=$("$gb_top/scripts/kernel-build.sh" "$variant" | tail -n 1) ||
	gb_die 3 "building $variant failed"

work=$(mktemp -d "${TMPDIR:-/tmp}/gb-unload-XXXXXX")
trap 'rm -rf "$work"' EXIT
vm_rc=0
"$gb_top/scripts/vm-run.sh" --kernel "$image" --variant "$variant" \
	--unload "$rounds,$nfiles" --label "$label" --force --nodes 2 \
	--timeout $((120 + rounds * 90)) --console "$work/console.log" || vm_rc=$?
[[ -s $work/console.log ]] || gb_die 3 "QEMU left no console log (vm-run exit $vm_rc)"

# What the kernel said that a clean unload never makes it say.  The first
# two are SLUB's and kmem_cache_destroy()'s reports of a cache destroyed
# with objects left in it; a duplicate sysfs name would be the next
# kvm_init() meeting a leaked cache; the rest, anything worse.
kernel_says='Objects remaining|still has objects|BUG[: ]|Oops|WARNING:|general protection fault|'
kernel_says+='Kernel panic|cannot create duplicate filename|kmem_cache_create.*failed|list_del corruption'
# Only what the kernel said once the test began: a boot-time warning (QEMU's
# one-CPU-per-node topology trips topology_sane() on x86) is not ours.
problems=$(sed -n '/^unload: /,$p' "$work/console.log" | grep -E "$kernel_says" | sed 's/\r$//' || true)
cycles_done=$(grep -cE '^round [0-9]+: (quiet|hot): hold .*: rc 0' "$work/console.log" || true)
cycles_bad=$(grep -E '^round [0-9]+: (quiet|hot): (hold .*: rc [1-9]|loading kvm failed)' \
	"$work/console.log" | sed 's/\r$//' || true)

dest=$gb_top/results/$label
report() {
	echo "unload test, $variant: $rounds rounds of a quiet and a hot cycle, $nfiles guest_memfd files each"
	echo "load/use/unload cycles completed: $cycles_done of $((2 * rounds))"
	[[ -z $cycles_bad ]] || { echo "cycles that failed:"; echo "  ${cycles_bad//$'\n'/$'\n'  }"; }
	[[ -z $problems ]] || { echo "kernel log:"; head -n 20 <<<"$problems" | sed 's/^/  /'; }
}
verdict() {
	local copy=/dev/null
	[[ -d $dest ]] && copy=$dest/unload-verdict.txt
	{ report; echo "verdict: $1"; } | tee "$copy"
}

if [[ -n $problems || $cycles_bad == *"loading kvm failed"* ]]; then
	verdict "FAIL: the kernel reported a problem on module unload"
	exit 1
fi
if ((vm_rc != 0)); then
	tail -n 20 "$work/console.log" >&2
	gb_die 3 "the guest did not finish (vm-run exit $vm_rc) and the kernel reported nothing recognisable"
fi
[[ -z $cycles_bad ]] || { report; gb_die 3 "cycles failed with nothing from the kernel: see $dest/unload.txt"; }
((cycles_done == 2 * rounds)) || gb_die 3 "only $cycles_done of $((2 * rounds)) cycles completed"
verdict "PASS"
