#!/bin/bash
# Build a benchmark kernel variant: Debian's linux-source-6.12 (or your own
# tree, or a commit of your git repository) with the first N patches of
# kernel-patches/6.12/series applied, or with your patches.
#
# Usage: scripts/kernel-build.sh [options] VARIANT
#   VARIANT      base (no patch), mount (0001), cache (0001+0002), mmap
#                (0001-0004: host mmap, no NUMA policy; the mm patch 0004
#                rebuilds most of the kernel once), policy (0001-0005), or
#                a test-only variant, cache plus a patch of
#                kernel-patches/6.12/test-only/: cache-no-rcu-barrier
#                (breaks module unload) or calibrate (a known cost per
#                creation, kvm.gmem_test_create_loops=N on the command line)
#   NAME=PATCHES your own variant: the patches of PATCHES, a directory
#                (in the order of its "series" file, else its *.patch by
#                name) or an mbox (git format-patch --stdout, b4 am), on
#                top of the source; a patch that does not apply is exit 3
#                with its name and patch's reason
#   NAME         with --ref: the commit as it is (no patch)
#   --tree PATH  build from this kernel source tree instead of Debian's
#   --git REPO --ref REF
#                build from commit REF of git repository REPO, exported
#                once into the cache with git archive (REPO's checkout,
#                index and HEAD are not touched)
#   --source-only  only extract the pristine source (or check --tree) and
#                print its path
#   --config-only  stop once the variant's .config is made and checked;
#                print its path
#   --deb        an installable Debian package (make bindeb-pkg) for a
#                machine of yours, not the VM: the config is --config FILE
#                (default /boot/config-$(uname -r), the running system's)
#                plus the options the benchmark needs; the package is
#                linux-image-RELEASE-gmem-VARIANT, version
#                KERNELVERSION+gmem.VARIANT-1; a tree of its own
#                (VARIANT-deb).  Prints the linux-image .deb's path.
#
# Any tree from 6.12 on with guest_memfd: a tree without it (no
# virt/kvm/guest_memfd.c) is refused before anything is built (exit 6);
# options of the benchmark's config that the tree does not have are named
# and left out, and those renamed since 6.12 are set under their new name
# (CONFIG_KVM_PRIVATE_MEM is CONFIG_KVM_GUEST_MEMFD from 6.18); a config
# that does not enable guest_memfd is exit 4.
#
# The trees and builds are cached in $GB_CACHE_DIR (default
# ~/.cache/gmem-bench): each variant has its own hard-linked copy of the
# source, built in place; a new tree starts from the build of the tree it
# differs from least (kernel-seed.sh), so a second variant costs what its
# own patches change, not a whole build.  GB_CCACHE=1 adds ccache.
# Beside the image, gb-kst/guest_memfd_perf_test is the KVM selftest of
# kernel-patches/6.12/selftests/ built for the variant (scripts/kst-build.sh),
# which vm-run.sh puts in the guest as gmem-kst; .gb-source says what the
# tree was made from, as the A/B's report says it.
# Progress goes to stderr; stdout is only the path of what was made (the
# bzImage, the .deb, or with --config-only the .config).  Exit codes: 2
# usage, 3 the series does not apply, 4 the config lacks a required
# option, 5 build failure, 6 the tree has no guest_memfd.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"
source "$(dirname "$0")/kernel-seed.sh"

tree=""
git_repo=""
git_ref=""
variant=""
source_only=0
config_only=0
deb=0
base_config=""
debian_source=0
while (($#)); do
	case $1 in
	--tree) tree=${2:?--tree needs a path}; shift 2 ;;
	--git) git_repo=${2:?--git needs a repository}; shift 2 ;;
	--ref) git_ref=${2:?--ref needs a commit}; shift 2 ;;
	--source-only) source_only=1; shift ;;
	--config-only) config_only=1; shift ;;
	--deb) deb=1; shift ;;
	--config) base_config=${2:?--config needs a file}; shift 2 ;;
	-h | --help) gb_help; exit 0 ;;
	-*) gb_die 2 "unknown option '$1' (see --help)" ;;
	*) [[ -z $variant ]] || gb_die 2 "one variant at a time"; variant=$1; shift ;;
	esac
done
[[ -z $git_repo && -z $git_ref ]] || [[ -n $git_repo && -n $git_ref ]] || gb_die 2 "--git and --ref go together"
[[ -z $git_repo || -z $tree ]] || gb_die 2 "--tree or --git, not both"
[[ -z $base_config ]] || ((deb)) || gb_die 2 "--config goes with --deb (the VM kernels start from tinyconfig)"
if ((!source_only)); then
	[[ -n $variant ]] || gb_die 2 "no variant given ($gb_variants)"
	if [[ $variant == *=* ]]; then
		# NAME=PATCHES: your series on top of the source.
		gb_user_variant_name_ok "${variant%%=*}" || exit 2
		patch_list=$(gb_user_patch_files "${variant#*=}") || exit 2
		variant=${variant%%=*}
	elif patch_list=$(gb_variant_patch_files "$variant"); then
		: # one of ours, on whatever source
	elif [[ -n $git_ref ]]; then
		# A commit as it is, under a name of yours.
		gb_user_variant_name_ok "$variant" || exit 2
		patch_list=""
	else
		gb_die 2 "unknown variant '$variant' ($gb_variants, or NAME=PATCHES)"
	fi
	mapfile -t patches < <(grep -v '^$' <<<"$patch_list")
fi
if ((deb)); then
	[[ -n $base_config ]] || base_config=/boot/config-$(uname -r)
	[[ -f $base_config && -r $base_config ]] ||
		gb_die 2 "no config at $base_config: give --config FILE (a kernel .config)"
	grep -q '^CONFIG_' "$base_config" || gb_die 2 "$base_config is not a kernel .config"
fi

"$gb_top/scripts/install-deps.sh" kernel
((!deb)) || "$gb_top/scripts/install-deps.sh" deb

# Locks, for tests and A/Bs run side by side (ctest -j), always taken in
# this order: the tree's own (steps 2 to 5: one make per tree), then the
# cache's build lock (steps 4 and 5: a seeding reads the other trees,
# which must not be half built, and a build uses every CPU already).  The
# source lock (step 1) is taken and let go before either: kst-build.sh,
# run in step 5, asks this script for the source.
mkdir -p "$gb_cache"
# gb_lock FD NAME: wait for the lock on FD, saying so if it is held.
gb_lock() {
	flock -n "$1" && return 0
	echo "kernel-build.sh: waiting for $2" >&2
	flock "$1"
}
exec {source_lock}>"$gb_cache/.source.lock"
gb_lock "$source_lock" "another script preparing a kernel source"

# 1. The pristine source, extracted once.
if [[ -n $tree ]]; then
	[[ -f $tree/Makefile && -d $tree/virt/kvm ]] || gb_die 2 "$tree does not look like a kernel source tree"
	src=$(cd "$tree" && pwd)
	srcid=tree-$(echo "$src" | sha1sum | cut -c1-12)
	source_desc="your tree $src"
elif [[ -n $git_repo ]]; then
	commit=$(gb_git_commit "$git_repo" "$git_ref") || exit 2
	git_repo=$(cd "$git_repo" && pwd)
	src=$(gb_git_source "$git_repo" "$commit")
	[[ -f $src/Makefile && -d $src/virt/kvm ]] || gb_die 2 "commit ${commit:0:12} of $git_repo is not a kernel source tree"
	srcid=git-${commit:0:12}
	source_desc="commit $(git -C "$git_repo" describe --tags --always "$commit" 2>/dev/null ||
		echo "${commit:0:12}") (${commit:0:12}) of $git_repo"
else
	debian_source=1
	src=$gb_cache/src/linux-source-6.12
	srcid=debian-6.12
	source_desc="Debian linux-source-6.12 $(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo '(version unknown)')"
	if [[ ! -f $src/.gb-extracted ]]; then
		echo "extracting /usr/src/linux-source-6.12.tar.xz into $gb_cache/src" >&2
		rm -rf "$src"
		mkdir -p "$gb_cache/src"
		tar -xf /usr/src/linux-source-6.12.tar.xz -C "$gb_cache/src"
		touch "$src/.gb-extracted"
	fi
fi

exec {source_lock}>&-
if ((source_only)); then
	echo "$src"
	exit 0
fi
# Before anything is copied or built: guest_memfd came in 6.8.
gb_has_guest_memfd "$src" ||
	gb_die 6 "$src has no guest_memfd (virt/kvm/guest_memfd.c and KVM_CREATE_GUEST_MEMFD): it came in Linux 6.8, and gmem-bench builds 6.12 and later"

# 2. The variant's tree: a hard-linked copy with its patches applied
# (gb_patched_tree), cached by the patches' contents.
tree_name=$variant
((deb)) && tree_name+=-deb
work=$gb_cache/trees/$srcid/$tree_name
mkdir -p "${work%/*}"
exec {tree_lock}>"$work.lock"
gb_lock "$tree_lock" "another build of $srcid/$tree_name"
gb_patched_tree "$src" "$work" "${patches[@]}"
echo "$source_desc" >"$work/.gb-source"

# 3. Configuration: tinyconfig (or, for --deb, the machine's config) plus
# our fragment made fit for this tree (merge_config.sh), checked line by
# line.
# (Kept in a variable until the tree is final: a tree made anew below
# loses what was written into it.)
fragment=$work/.gb-fragment
fragment_text=$(gb_adapt_fragment "$work" "$base_config" <"$gb_patches/bench.config")
# (The stamp's first line changes with how the config is made.)
cfgstamp=$( {
	echo "config 2: LOCALVERSION on make's command line"
	echo "$fragment_text"
	cat "$work/.gb-stamp"
	[[ -z $base_config ]] || cat "$base_config"
} | sha1sum | cut -c1-40)
if [[ ! -f $work/.gb-config-stamp || $(cat "$work/.gb-config-stamp") != "$cfgstamp" ]]; then
	if [[ -f $work/.gb-config-stamp && ! -f $work/.gb-new ]]; then
		# A tree built with another config is made anew, so that it
		# starts from a sibling (step 4): in place, a change every file
		# reads (CONFIG_BUG) rebuilt each variant's tree whole.  (A
		# sibling's build copied over this one's would leave this one's
		# objects of the old config looking up to date.)
		echo "the config of $tree_name changed: its tree is made anew" >&2
		rm -rf "$work"
		gb_patched_tree "$src" "$work" "${patches[@]}"
		echo "$source_desc" >"$work/.gb-source"
	fi
	echo "$fragment_text" >"$fragment"
	if [[ -n $base_config ]]; then
		cp -- "$base_config" "$work/.config"
		# A distribution's config names its own signing certificates,
		# which are not in a kernel tree: build without them.
		"$work/scripts/config" --file "$work/.config" --set-str SYSTEM_TRUSTED_KEYS "" \
			--set-str SYSTEM_REVOCATION_KEYS ""
	else
		make -C "$work" -s tinyconfig >/dev/null
	fi
	"$work/scripts/kconfig/merge_config.sh" -m -O "$work" "$work/.config" "$fragment" >/dev/null
	# The variant's name reaches the release through make's LOCALVERSION,
	# not the .config: variants of one config then have one .config and
	# one autoconf.h, which every file includes, so a variant built on
	# another's build (step 4) rebuilds only what its patches change.
	"$work/scripts/config" --file "$work/.config" --set-str LOCALVERSION "" \
		--disable LOCALVERSION_AUTO
	make -C "$work" -s olddefconfig >/dev/null
	missing=()
	while read -r line; do
		case $line in
		CONFIG_*=*) grep -qx -- "$line" "$work/.config" || missing+=("$line") ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			grep -q "^$opt=" "$work/.config" && missing+=("$line")
			;;
		esac
	done < <(tac "$fragment" | awk '{ o = $0; sub(/^# /, "", o); sub(/[= ].*/, "", o) } !seen[o]++')
	((${#missing[@]} == 0)) || gb_die 4 "the $variant config lacks: ${missing[*]}"
	gb_config_enables_guest_memfd "$work/.config" ||
		gb_die 4 "the $variant config does not enable guest_memfd (CONFIG_$gb_gmem_option, or its later name): see $work/.config"
	echo "$cfgstamp" >"$work/.gb-config-stamp"
fi
if ((config_only)); then
	echo "$work/.config"
	exit 0
fi

# 4. Build.  A new tree first gets the build of the built tree it differs
# from least (gb_seed_from_sibling, kernel-seed.sh): make then rebuilds
# only what differs.  ccache only with GB_CCACHE=1: every kernel after the
# first is built on a sibling, so a cold run hits nothing, and a miss
# costs here 65% more than gcc alone (mm/ and kernel/ of the base tree:
# 211 s against 128 s; 176 s in ccache's depend mode).
cc=gcc
if [[ ${GB_CCACHE:-0} == 1 ]]; then
	command -v ccache >/dev/null || gb_die 2 "GB_CCACHE=1, but ccache is not installed (apt-get install ccache)"
	export CCACHE_DIR=$gb_cache/ccache CCACHE_BASEDIR=$gb_cache/trees CCACHE_NOHASHDIR=1
	# Each tree is new, so its headers are newer than ccache allows for
	# direct-mode hits; their contents are still hashed.
	export CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime,time_macros
	cc="ccache gcc"
fi
localversion=LOCALVERSION=-gmem-$variant
# What a finished build of this tree was made from: its config and
# patches (their stamps), the compiler, the release string and the
# selftest's inputs.  A tree whose last build finished from the same is
# not handed to make again, which would only confirm it (8 s of two CPUs
# here, each of the 20 times a test run asks for a built kernel).
build_key=$( {
	echo "$cfgstamp"
	cat "$work/.gb-stamp"
	echo "$cc $localversion"
	gcc --version | head -n 1
	cat "$gb_top/scripts/kst-build.sh" "$gb_patches"/selftests/*.patch
} | sha1sum | cut -c1-40)
if ((!deb)) && [[ -f $work/.gb-built && $(cat "$work/.gb-built") == "$build_key" &&
	-f $work/arch/x86/boot/bzImage && -x $work/gb-kst/guest_memfd_perf_test ]]; then
	echo "$variant is built already (nothing it is made from changed)" >&2
	echo "$work/arch/x86/boot/bzImage"
	exit 0
fi
log=$work/gb-build.log
exec {build_lock}>"$gb_cache/.build.lock"
gb_lock "$build_lock" "another kernel build in $gb_cache"
start=$(date +%s)
seeded=$(gb_seed_from_sibling "$work")
[[ -z $seeded ]] || echo "$tree_name starts from the build of ${seeded#"$gb_cache"/trees/}" >&2
rm -f "$work/.gb-built"
echo "building $variant (log: $log)" >&2
# KVM is modules (bench.config): kvm.ko, kvm-amd.ko and kvm-intel.ko,
# beside the image in arch/x86/kvm/, for vm-run.sh to put in the guest.
targets=(bzImage modules)
if ((deb)); then
	# The package and its version name the variant: linux-image-RELEASE
	# (RELEASE ends in -gmem-VARIANT) at KERNELVERSION+gmem.VARIANT-1 (a
	# Debian version has no _).
	pkgversion=$(make -C "$work" -s kernelversion)+gmem.${variant//_/.}-1
	targets=(bindeb-pkg "KDEB_PKGVERSION=$pkgversion")
fi
if ! make -C "$work" -j "$(nproc)" CC="$cc" "$localversion" "${targets[@]}" >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	gb_die 5 "build of $variant failed; full log: $log"
fi
touch "$work/.gb-built"
release=$(make -C "$work" -s "$localversion" kernelrelease)
echo "built $variant ($release) in $(($(date +%s) - start)) s" >&2
if ((deb)); then
	# dpkg-buildpackage leaves the packages beside the tree, with every
	# other variant's: ours go into the tree's gb-deb/.
	rm -rf "$work/gb-deb"
	mkdir -p "$work/gb-deb"
	find "${work%/*}" -maxdepth 1 -type f -name "*_${pkgversion}_*" -exec mv -t "$work/gb-deb" {} +
	image_deb=$work/gb-deb/linux-image-${release}_${pkgversion}_amd64.deb
	[[ -f $image_deb ]] || gb_die 5 "make bindeb-pkg made no $image_deb; full log: $log"
	echo "$image_deb"
	exit 0
fi

# 5. The KVM selftest guest_memfd_perf_test (static), for the guest:
# gmem-kst, the second measurement beside gmem-bench's.  It is built from
# tools/ and the uapi headers alone: kst-build.sh applies only the
# variant's hunks there to the pristine source, so variants whose hunks
# are the same (base and every user variant without any; mount and cache;
# mmap and policy) share one build, in either flavour.
kst_args=()
((debian_source)) || kst_args=(--tree "$src")
for p in "${patches[@]}"; do
	kst_args+=(--patch "$p")
done
kst_built=1
if ! "$gb_top/scripts/kst-build.sh" "${kst_args[@]}" --out "$work/gb-kst"; then
	kst_built=0
	# Our selftest patch is made for 6.12: on another kernel, the kernel
	# is still worth having, and the guest's selftest cases say it is missing.
	((!debian_source)) || gb_die 5 "the KVM selftest for $variant did not build"
	echo "kernel-build.sh: warning: the KVM selftest did not build for $variant: the guest's selftest cases will fail" >&2
fi
# Finished: the next call with the same inputs need not run make.
((!kst_built)) || echo "$build_key" >"$work/.gb-built"
echo "$work/arch/x86/boot/bzImage"
