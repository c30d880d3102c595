#!/bin/bash
# Boot a kernel in QEMU with several NUMA nodes, run the gmem-bench suite
# inside, and bring the results back to results/LABEL/.
#
# Usage: scripts/vm-run.sh --kernel BZIMAGE [options]
#   --kernel PATH        kernel image (scripts/kernel-build.sh prints it)
#   --variant NAME       base, mount or cache: sets the allocator the guest
#                        must see (inode_cache, or kvm_gmem_inode_cache)
#   --expect CACHE       the same, for kernels of your own: any slab cache
#                        (or none: only report where the inodes came from)
#   --nodes N            NUMA nodes, 1 to 8 (default 2)
#   --cpus-per-node N    CPUs per node, 1 to 8 (default 1); 64 CPUs at most
#                        in all, the benchmark kernels' CONFIG_NR_CPUS
#   --cpu-nodes M        only the first M nodes get CPUs, the others are
#                        memory-only (default: all); --cpu-nodes 1 with
#                        --cpus-per-node 1 is the one-vCPU guest --icount needs
#   --distances D        the SLIT: default (QEMU's: 10 local, 20 remote),
#                        ring (10 + 5 per hop around a ring of the nodes),
#                        2socket (two halves: 12 within, 32 across), or a
#                        literal N x N matrix, row by row: 10,21,21,10
#   --mem-per-node SIZE  memory per node, QEMU syntax (default 1G)
#   --accel A            auto (KVM if it really works, else TCG), kvm, tcg
#   --icount             TCG with -icount shift=0,sleep=off: the guest clock
#                        counts instructions, near-deterministic costs; give
#                        it one vCPU (warned otherwise: see below)
#   --suite FILE         suite to run inside (default scripts/suites/vm.suite)
#   --label LABEL        results/LABEL/ (default VARIANT-ACCEL-Nn)
#   --timeout SECS       give up on the guest after this long (default 600)
#   --force              replace an existing results/LABEL/
#   --unload ROUNDS,FILES  instead of the suite, the module-unload test
#                        (scripts/guest/unload-cycles.sh)
#   --kvm-tree DIR       the kernel tree whose kvm*.ko go into the guest
#                        (loaded before the suite, or by the unload test);
#                        default: the image's own build tree when its
#                        .config has KVM as modules, as kernel-build.sh's
#                        kernels do
#   --console FILE       also copy the guest's console log to FILE, whatever
#                        the outcome
#   --print-qemu         print the QEMU command line this would run (one
#                        argument a line, after the accelerator is chosen)
#                        and exit 0, booting nothing
#   --append ARGS        more kernel command line (e.g. nr_cpus=2, to see
#                        the topology check refuse a guest); kvm.PARAM=V
#                        (or kvm_amd., kvm_intel.) goes to the module when
#                        the guest loads it, and a number V that the loaded
#                        module does not have is exit 1
#   --selftest PATH      the KVM selftest guest_memfd_perf_test (static) the
#                        guest runs as gmem-kst for "selftest" cases (default:
#                        gb-kst/guest_memfd_perf_test beside the kernel's
#                        build tree, which kernel-build.sh makes; without it
#                        such cases fail, saying so)
#
# A guest that panics, hangs or never writes its results is a failed run
# (exit 1): its console log is kept under results/failed/, nothing goes to
# results/LABEL/.  A failed allocator check or case also exits 1, with the
# results kept for inspection.  A guest that is not the machine asked for
# (fewer CPUs or nodes online, other distances) is exit 3, with both, and
# runs no case: a kernel whose CONFIG_NR_CPUS is too small for the request
# is refused before booting, where its .config is beside the image.
#
# --icount with more than one vCPU: QEMU runs every vCPU in one thread,
# round-robin, and (QEMU 7.2, Debian 12) a vCPU other than the busy one
# gets a few of its timer ticks (3 to 24 a second of the guest's 250) and
# a tenth of the instructions: RCU grace periods stall on it, the inodes
# a churn run frees pile up by the GB, and a 1 s run takes 1.3 to 2.9 s.
# With one vCPU, runs last what they should and nothing piles up
# (README, "icount").
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"

kernel="" variant="" expect="" nodes=2 cpn=1 cpu_nodes="" mem=1G accel=auto icount=0 distances=default
suite=$gb_top/scripts/suites/vm.suite label="" timeout_s=600 force=0
unload="" kvm_tree="" console_copy="" append="" selftest="" print_qemu=0
while (($#)); do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--variant) variant=${2:?}; shift 2 ;;
	--expect) expect=${2:?}; shift 2 ;;
	--nodes) nodes=${2:?}; shift 2 ;;
	--cpus-per-node) cpn=${2:?}; shift 2 ;;
	--cpu-nodes) cpu_nodes=${2:?}; shift 2 ;;
	--mem-per-node) mem=${2:?}; shift 2 ;;
	--distances) distances=${2:?}; shift 2 ;;
	--accel) accel=${2:?}; shift 2 ;;
	--icount) icount=1; shift ;;
	--suite) suite=${2:?}; shift 2 ;;
	--label) label=${2:?}; shift 2 ;;
	--timeout) timeout_s=${2:?}; shift 2 ;;
	--force) force=1; shift ;;
	--unload) unload=${2:?}; shift 2 ;;
	--kvm-tree) kvm_tree=${2:?}; shift 2 ;;
	--console) console_copy=${2:?}; shift 2 ;;
	--append) append=${2:?}; shift 2 ;;
	--selftest) selftest=${2:?}; shift 2 ;;
	--print-qemu) print_qemu=1; shift ;;
	-h | --help) gb_help; exit 0 ;;
	*) gb_die 2 "unknown argument '$1' (see --help)" ;;
	esac
done
[[ -f $kernel ]] || gb_die 2 "no kernel image at '${kernel:-}' (--kernel)"
[[ $nodes =~ ^[1-8]$ && $cpn =~ ^[1-8]$ ]] || gb_die 2 "--nodes and --cpus-per-node take 1 to 8"
cpu_nodes=${cpu_nodes:-$nodes}
if [[ ! $cpu_nodes =~ ^[1-8]$ ]] || ((cpu_nodes > nodes)); then
	gb_die 2 "--cpu-nodes takes 1 to the number of nodes ($nodes)"
fi
ncpus=$((cpu_nodes * cpn))
# The kernel's own limit, where its build tree is known: a guest would
# otherwise ignore the CPUs past it and run another experiment.
kconfig=$(dirname "$kernel")/../../../.config
if [[ -f $kconfig ]]; then
	nr_cpus=$(sed -n 's/^CONFIG_NR_CPUS=//p' "$kconfig")
	[[ -z $nr_cpus ]] || ((ncpus <= nr_cpus)) ||
		gb_die 3 "$ncpus CPUs asked ($cpu_nodes nodes x $cpn), but this kernel takes $nr_cpus (CONFIG_NR_CPUS in $kconfig)"
fi
# KVM as modules (bench.config): the guest gets those of the image's tree.
if [[ -z $kvm_tree && -f $kconfig ]] && grep -qx CONFIG_KVM=m "$kconfig"; then
	kvm_tree=$(cd "$(dirname "$kconfig")" && pwd)
fi
if [[ -n $selftest ]]; then
	[[ -f $selftest && -x $selftest ]] || gb_die 2 "--selftest: no program at '$selftest'"
elif [[ -x $(dirname "$kernel")/../../../gb-kst/guest_memfd_perf_test ]]; then
	selftest=$(dirname "$kernel")/../../../gb-kst/guest_memfd_perf_test
fi
# The distance matrix, row by row ("" for QEMU's default).
dist=$(gb_distance_matrix "$distances" "$nodes") || gb_die 2 "--distances: $dist"
[[ $mem =~ ^[1-9][0-9]*[MG]$ ]] || gb_die 2 "--mem-per-node takes a size such as 512M or 1G"
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || gb_die 2 "--timeout takes seconds"
if [[ -n $unload ]]; then
	[[ $unload =~ ^[1-9][0-9]*,[1-9][0-9]*$ ]] || gb_die 2 "--unload takes ROUNDS,FILES, e.g. 10,4000"
	[[ -n $kvm_tree ]] || gb_die 2 "--unload needs KVM as modules: --kvm-tree DIR, or an image in its build tree whose .config has CONFIG_KVM=m"
	expect=none
fi
if [[ -z $expect ]]; then
	case $variant in
	base | mount) expect=inode_cache ;;
	cache | cache-no-rcu-barrier | calibrate | mmap | policy) expect=kvm_gmem_inode_cache ;;
	"") expect=none ;;
	*) gb_die 2 "unknown variant '$variant' ($gb_variants)" ;;
	esac
fi
# Any slab cache's name (the guest reports where the inodes came from and
# checks it against this), in characters no shell or awk reads as code.
[[ $expect =~ ^[a-z0-9_.:-]+$ ]] || gb_die 2 "--expect takes a slab cache name (e.g. kvm_gmem_inode_cache) or none"
"$gb_top/scripts/install-deps.sh" kernel

work=$(mktemp -d "${TMPDIR:-/tmp}/gb-vm-XXXXXX")
trap 'rm -rf "$work"' EXIT

# KVM acceleration only where it really runs this guest, and the guest's
# own KVM with it:
# - the host CPU must show vmx or svm, or "-cpu host" gives the guest no
#   virtualisation extension and so no /dev/kvm to create guest_memfd
#   files on (a paravirtual host KVM is like that);
# - QEMU must survive vCPU set-up, and the kernel must really run: a
#   paravirtual /dev/kvm has been seen to abort QEMU at once on one host
#   and, on another, to keep a guest that never prints a line.  So boot
#   the very kernel with no init: it prints its banner and panics in a
#   second or two where KVM works.
host_virt_ext() { grep -qw -E 'vmx|svm' /proc/cpuinfo; }
kvm_works() {
	[[ -r /dev/kvm && -w /dev/kvm ]] || return 1
	host_virt_ext || return 1
	local log=$work/kvm-probe.log
	timeout 20 qemu-system-x86_64 -accel kvm -cpu host -m 256M -nodefaults -display none \
		-monitor none -serial "file:$log" -no-reboot -kernel "$kernel" \
		-append "console=ttyS0 panic=-1 rdinit=/gb-no-init" >/dev/null 2>&1 || true
	grep -q "Kernel panic" "$log" 2>/dev/null
}
if [[ $icount == 1 ]]; then
	[[ $accel == kvm ]] && gb_die 2 "--icount needs TCG (it counts emulated instructions)"
	accel=tcg
elif [[ $accel == auto ]]; then
	accel=tcg
	# (stderr: the shell would report QEMU's abort on a KVM that can't run it)
	kvm_works 2>/dev/null && accel=kvm
elif [[ $accel == kvm ]] && ! host_virt_ext; then
	echo "vm-run: warning: this CPU shows neither vmx nor svm: the guest will have no KVM of its own" >&2
fi
case $accel in
kvm) accel_args=(-accel kvm -cpu host) ;;
tcg) accel_args=(-accel tcg -cpu max) ;;
*) gb_die 2 "--accel takes auto, kvm or tcg" ;;
esac
accel_name=$accel
if ((icount)); then
	# shellcheck disable=SC2054 # one QEMU argument with commas
	accel_args+=(-icount shift=0,sleep=off)
	accel_name+=-icount
fi

[[ -n $label ]] || label=${variant:-custom}-$accel_name-${nodes}n
# shellcheck source=results-lib.sh
source "$gb_top/scripts/results-lib.sh"
gb_label_ok "$label" || gb_die 2 "label '$label' must be letters, digits and ._+-, not starting with . or -"
dest=$gb_top/results/$label
[[ ! -e $dest || $force == 1 ]] || gb_die 2 "$dest exists; use --force or another --label"

# The label and the expected cache reach the guest in a file of fixed size,
# not on its command line: under --icount, the command line's length alone
# moved guest_memfd create+close by 0.1% (5 ns in 5420, boots of one kernel
# whose command lines differed by 29 characters), so every boot of an A/B
# or a calibration must have a command line of one length.
{
	printf 'label %s\nexpect %s\n' "$label" "$expect"
	printf '#%.0s' {1..512}
} | head -c 512 >"$work/gb.conf"

# Topology: node i gets its own RAM backend and, if i < cpu_nodes, CPUs
# [i*cpn, (i+1)*cpn).
numa=()
for ((i = 0; i < nodes; i++)); do
	cpus=""
	((i >= cpu_nodes)) || cpus=cpus=$((i * cpn))-$(((i + 1) * cpn - 1)),
	numa+=(-object "memory-backend-ram,id=mem$i,size=$mem" -numa "node,nodeid=$i,${cpus}memdev=mem$i")
done
if [[ -n $dist ]]; then
	IFS=, read -r -a d <<<"$dist"
	for ((i = 0; i < nodes; i++)); do
		for ((j = 0; j < nodes; j++)); do
			((i == j)) || numa+=(-numa "dist,src=$i,dst=$j,val=${d[i * nodes + j]}")
		done
	done
fi
memsz=$((${mem%?} * nodes))${mem: -1}
# gb.cpus and gb.nodes: the guest checks it has them before running a case.
qemu=(qemu-system-x86_64 "${accel_args[@]}" -smp "$ncpus" -m "$memsz" "${numa[@]}"
	-kernel "$kernel" -initrd "$work/initramfs.cpio.gz"
	-append "console=ttyS0 panic=-1 oops=panic gb.cpus=$ncpus gb.nodes=$nodes${unload:+ gb.unload=$unload}${append:+ $append}"
	-drive "file=$work/results.img,format=raw,if=virtio"
	-display none -monitor none -serial "file:$work/console.log" -no-reboot)

if ((print_qemu)); then
	printf '%s\n' "${qemu[@]}"
	exit 0
fi
"$gb_top/scripts/vm-initramfs.sh" "$work/initramfs.cpio.gz" "$suite" "$ncpus" "$kvm_tree" "$work/gb.conf" \
	"$selftest"
truncate -s 256M "$work/results.img"

shape="$nodes nodes x $cpn CPUs"
((cpu_nodes == nodes)) || shape="$nodes nodes ($cpu_nodes with $cpn CPUs, the rest memory-only)"
if ((icount && ncpus > 1)); then
	echo "vm-run: warning: $ncpus vCPUs under --icount: all but the busy one are starved of timer ticks (see --help); use --cpu-nodes 1 --cpus-per-node 1" >&2
fi
echo "booting $(basename "$kernel") ($label): $shape, $mem each, distances $distances, $accel_name"
start=$(date +%s)
set +e
timeout "$timeout_s" "${qemu[@]}"
qrc=$?
set -e
elapsed=$(($(date +%s) - start))
[[ -z $console_copy ]] || cp "$work/console.log" "$console_copy"

stage=$work/results
mkdir -p "$stage"
failed() {
	local keep
	keep=$gb_top/results/failed/$label-$(date +%Y%m%d-%H%M%S)
	mkdir -p "$keep"
	cp "$work/console.log" "$keep/" 2>/dev/null || true
	cp -r "$stage/." "$keep/" 2>/dev/null || true
	echo "vm-run: $* (after ${elapsed}s); console log: ${keep#"$gb_top"/}/console.log" >&2
	grep -E "Kernel panic|BUG:|Oops|WARNING:" "$work/console.log" | head -n 5 >&2 || true
	exit 1
}
((qrc == 124)) && failed "the guest did not finish within ${timeout_s}s"
tar -xf "$work/results.img" -C "$stage" 2>/dev/null || failed "the guest wrote no results"
[[ -f $stage/COMPLETE ]] || failed "the guest's results are incomplete"

cp "$work/console.log" "$stage/console.log"
{
	echo "label: $label"
	echo "kernel: $kernel"
	echo "variant: ${variant:-custom}"
	echo "expect: $expect"
	echo "accelerator: $accel_name"
	echo "topology: $shape, $mem per node"
	echo "distances: $distances${dist:+ ($dist)}"
	echo "host: $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
	echo "boot+suite seconds: $elapsed"
	echo "qemu: ${qemu[*]}"
} >"$stage/vm.txt"
rm -f "$stage/COMPLETE"
# The suite's primary figures and controls, for gmem-compare.
roles=$("$gb_static_build/bench/gmem-suite" --ncpus "$ncpus" --fields "$suite" |
	sed -n 's/^# \(primary\|control\) /\1 /p')
[[ -z $roles ]] || echo "$roles" >"$stage/roles.txt"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -r "$stage" "$dest"

# The guest is what was asked, or nothing it measured counts.
if ! why=$(gb_check_topology "$dest/topology.txt" "$ncpus" "$nodes" "$cpn" "$dist" "$cpu_nodes"); then
	echo "vm-run: the guest is not the machine asked for: $why (results kept in ${dest#"$gb_top"/})" >&2
	exit 3
fi
# A number --append gave a KVM module parameter must be what the loaded
# module has (the guest's env.txt): insmod reads no command line, and the
# guest's init passes these on itself; a parameter left behind would
# change the experiment without a word (the calibration's loops).
if [[ -z $unload ]]; then
	read -ra append_words <<<"$append"
	for arg in "${append_words[@]}"; do
		[[ $arg =~ ^(kvm[a-z_-]*)\.([a-z0-9_]+)=([0-9]+)$ ]] || continue
		got=$(sed -n "s/^module parameter ${BASH_REMATCH[1]}\.${BASH_REMATCH[2]}: //p" "$dest/env.txt")
		[[ $got == "${BASH_REMATCH[3]}" ]] ||
			gb_die 1 "$arg was asked, but the guest's ${BASH_REMATCH[1]} has ${BASH_REMATCH[2]}='$got' (results kept in ${dest#"$gb_top"/})"
	done
fi
bad=$(awk '$NF != 0' "$dest/status.txt")
cat "$dest/allocator.txt" 2>/dev/null || true
# The placement check's verdicts: a finding about the kernel, not a failure.
for f in "$dest"/placement/gmem.txt "$dest"/placement/memfd.txt; do
	[[ -f $f ]] || continue
	printf '%s: %s\n' "$(basename "$f" .txt)" "$(grep -m1 -E '^(placement: |gmem-bench placement-check: )' "$f" || echo "no verdict")"
done
if [[ -n $bad ]]; then
	echo "vm-run: failures in the guest (results kept in ${dest#"$gb_top"/}):" >&2
	echo "$bad" >&2
	exit 1
fi
echo "results in ${dest#"$gb_top"/}/ (${elapsed}s)"
