#!/bin/bash
# Build the benchmark VM's initramfs: busybox, a static gmem-bench, the
# guest /init, the allocator check and a suite.
# Usage: scripts/vm-initramfs.sh OUTPUT.cpio.gz [SUITE [GUEST_CPUS]]
# The suite is expanded here, for the guest's CPU count (default 2), into
# plain "NAME: ARGS" lines: the guest's busybox sh only reads those.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"

out=${1:?usage: vm-initramfs.sh OUTPUT.cpio.gz [SUITE [GUEST_CPUS]]}
suite=${2:-$gb_top/scripts/suites/vm.suite}
guest_cpus=${3:-2}
[[ -r $suite ]] || gb_die 2 "cannot read suite $suite"

"$gb_top/scripts/install-deps.sh" kernel
"$gb_top/scripts/build.sh" --static >/dev/null
bench=${GB_STATIC_BUILD_DIR:-$gb_top/build-static}/bench/gmem-bench
expanded=$("${GB_STATIC_BUILD_DIR:-$gb_top/build-static}/bench/gmem-suite" --ncpus "$guest_cpus" "$suite") ||
	gb_die 2 "suite $suite: see the error above"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,results}
cp /bin/busybox "$root/bin/busybox"
cp "$bench" "$root/bin/gmem-bench"
cp "$gb_top/scripts/guest/init" "$root/init"
cp "$gb_top/scripts/guest/check-allocator.sh" "$root/check-allocator.sh"
echo "$expanded" >"$root/suite"
chmod 755 "$root/init" "$root/bin/"*
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
