#!/bin/bash
# Build the benchmark VM's initramfs: busybox, a static gmem-bench, the
# guest /init, the allocator check and a suite.
# Usage: scripts/vm-initramfs.sh OUTPUT.cpio.gz [SUITE [GUEST_CPUS [KVM_TREE [CONF [SELFTEST]]]]]
# The suite is expanded here, for the guest's CPU count (default 2), into
# plain "NAME: ARGS" lines: the guest's busybox sh only reads those.
# KVM_TREE: a kernel tree built with KVM as modules (every kernel
# kernel-build.sh makes for the VM); its kvm*.ko and irqbypass.ko go to
# /lib/modules/gmem-bench, loaded by the guest's init before the suite, or
# by the module-unload test.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"

out=${1:?usage: vm-initramfs.sh OUTPUT.cpio.gz [SUITE [GUEST_CPUS [KVM_TREE [CONF [SELFTEST]]]]]}
suite=${2:-$gb_top/scripts/suites/vm.suite}
guest_cpus=${3:-2}
kvm_tree=${4:-}
# CONF: the guest's label and expected cache (vm-run.sh writes it), /gb.conf.
conf=${5:-}
# SELFTEST: the static KVM selftest guest_memfd_perf_test, as /bin/gmem-kst
# (where "gmem-bench selftest" looks for it).
selftest=${6:-}
[[ -z $selftest || -x $selftest ]] || gb_die 2 "no selftest program at $selftest"
kvm_modules=(virt/lib/irqbypass.ko arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-amd.ko arch/x86/kvm/kvm-intel.ko)
if [[ -n $kvm_tree ]]; then
	for m in "${kvm_modules[@]}"; do
		[[ -f $kvm_tree/$m ]] ||
			gb_die 2 "$kvm_tree has no $m: its .config must have CONFIG_KVM=m and its build make's modules target"
	done
fi
[[ -r $suite ]] || gb_die 2 "cannot read suite $suite"

"$gb_top/scripts/install-deps.sh" kernel
# Guests booted side by side (ab.sh --jobs 2) must not build into one
# directory at once.
static_dir=$gb_static_build
mkdir -p "$static_dir"
flock "$static_dir/.build.lock" "$gb_top/scripts/build.sh" --static >/dev/null
bench=$static_dir/bench/gmem-bench
expanded=$("$static_dir/bench/gmem-suite" --ncpus "$guest_cpus" --fields "$suite") ||
	gb_die 2 "suite $suite: see the error above"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,results}
cp /bin/busybox "$root/bin/busybox"
cp "$bench" "$root/bin/gmem-bench"
[[ -z $selftest ]] || cp "$selftest" "$root/bin/gmem-kst"
cp "$gb_top/scripts/guest/init" "$root/init"
cp "$gb_top/scripts/guest/check-allocator.sh" "$root/check-allocator.sh"
cp "$gb_top/scripts/guest/unload-cycles.sh" "$root/unload-cycles.sh"
if [[ -n $kvm_tree ]]; then
	mkdir -p "$root/lib/modules/gmem-bench"
	for m in "${kvm_modules[@]}"; do
		cp "$kvm_tree/$m" "$root/lib/modules/gmem-bench/"
	done
fi
echo "$expanded" >"$root/suite"
[[ -z $conf ]] || cp "$conf" "$root/gb.conf"
chmod 755 "$root/init" "$root/bin/"*
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
