#!/bin/bash
# Install the Debian packages gmem-bench needs, only those missing.
#
# Usage: scripts/install-deps.sh [GROUP...]
#   core    compiler, CMake, libnuma, jansson (building and testing gmem-bench)
#   stats   GSL and gnuplot (gmem-compare and plots)
#   perf    Linux perf (profiling)
#   kernel  everything needed to build Debian's 6.12 kernel and boot it in QEMU
#           (patchutils: the selftest gets only a variant's uapi and tools/ hunks)
#   deb     installable kernel packages (scripts/kernel-build.sh --deb)
#   fuzz    clang and its runtimes (libFuzzer, sanitizers) for scripts/fuzz.sh
#   check   valgrind, for the memcheck test
# With no group, "core" is installed.  Idempotent: a second run does nothing.
set -euo pipefail

declare -A groups=(
	[core]="build-essential cmake pkg-config git libnuma-dev libjansson-dev"
	[stats]="libgsl-dev gnuplot-nox libpng-dev"
	[perf]="linux-perf"
	[fuzz]="clang libclang-rt-14-dev"
	[check]="valgrind"
	[kernel]="linux-source-6.12 bc bison flex libelf-dev libssl-dev cpio xz-utils qemu-system-x86 busybox-static patchutils"
	# kernel-build.sh --deb: make bindeb-pkg, and the build dependencies
	# the kernel's debian/control declares (debhelper, kmod, rsync; the
	# rest are in "kernel"), and dwarves for the BTF of a distribution's config
	[deb]="dpkg-dev fakeroot debhelper kmod rsync dwarves"
)

wanted=()
for group in "${@:-core}"; do
	if [[ -z "${groups[$group]+set}" ]]; then
		echo "install-deps: unknown group '$group' (known: ${!groups[*]})" >&2
		exit 2
	fi
	read -ra pkgs <<<"${groups[$group]}"
	wanted+=("${pkgs[@]}")
done

# missing_packages: the wanted packages not installed, into missing[].
missing_packages() {
	local pkg status
	missing=()
	for pkg in "${wanted[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
		[[ "$status" == ii* ]] || missing+=("$pkg")
	done
}

missing_packages
if ((${#missing[@]} == 0)); then
	exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
	echo "install-deps: missing packages: ${missing[*]}; run as root or install them" >&2
	exit 3
fi

# Scripts run side by side (ctest -j) may each find a package missing:
# one installs at a time, and the next looks again once it has its turn
# (apt-get would otherwise fail on dpkg's lock).
exec {lock}>/run/lock/gmem-bench-install-deps.lock
flock "$lock"
missing_packages
if ((${#missing[@]} == 0)); then
	exit 0
fi

# Progress on stderr: the scripts that call this one print paths on
# stdout (kernel-build.sh's image or .deb), which nothing else may enter.
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
