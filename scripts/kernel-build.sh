#!/bin/bash
# Build a benchmark kernel variant: Debian's linux-source-6.12 (or your own
# tree) with the first N patches of kernel-patches/6.12/series applied.
#
# Usage: scripts/kernel-build.sh [--tree PATH] [--modules] VARIANT
#   VARIANT      base (no patch), mount (0001), cache (0001+0002), or
#                a test-only variant, cache plus a patch of
#                kernel-patches/6.12/test-only/: cache-no-rcu-barrier
#                (breaks module unload) or calibrate (a known cost per
#                creation, kvm.gmem_test_create_loops=N on the command line)
#   NAME=PATCHES your own variant: the patches of PATCHES, a directory
#                (in the order of its "series" file, else its *.patch by
#                name) or an mbox (git format-patch --stdout, b4 am), on
#                top of the source; a patch that does not apply is exit 3
#                with its name and patch's reason
#   --tree PATH  build from this kernel source tree instead of Debian's
#   --source-only  only extract the pristine source (or check --tree) and
#                print its path
#   --modules    KVM as modules (kvm.ko, kvm-amd.ko, kvm-intel.ko, built
#                next to the image in arch/x86/kvm/), for the
#                module-unload test; a tree of its own (VARIANT-modules)
#
# The trees and builds are cached in $GB_CACHE_DIR (default
# ~/.cache/gmem-bench): each variant has its own hard-linked copy of the
# source, built in place, and ccache shares the objects the variants have
# in common, so a second variant or a rebuild costs seconds, not minutes.
# Beside the image, gb-kst/guest_memfd_perf_test is the KVM selftest of
# kernel-patches/6.12/selftests/ built for the variant (scripts/kst-build.sh),
# which vm-run.sh puts in the guest as gmem-kst.
# Progress goes to stderr; stdout is only the bzImage path.  Exit codes: 2 usage, 3 the
# series does not apply, 4 the config lacks a required option, 5 build
# failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"

tree=""
variant=""
modules=0
source_only=0
while (($#)); do
	case $1 in
	--tree) tree=${2:?--tree needs a path}; shift 2 ;;
	--modules) modules=1; shift ;;
	--source-only) source_only=1; shift ;;
	-h | --help) gb_help; exit 0 ;;
	-*) gb_die 2 "unknown option '$1' (see --help)" ;;
	*) [[ -z $variant ]] || gb_die 2 "one variant at a time"; variant=$1; shift ;;
	esac
done
if ((!source_only)); then
	[[ -n $variant ]] || gb_die 2 "no variant given ($gb_variants)"
	if [[ $variant == *=* ]]; then
		# NAME=PATCHES: your series on top of the source.
		gb_user_variant_name_ok "${variant%%=*}" || exit 2
		patch_list=$(gb_user_patch_files "${variant#*=}") || exit 2
		variant=${variant%%=*}
	else
		patch_list=$(gb_variant_patch_files "$variant") || gb_die 2 "unknown variant '$variant' ($gb_variants)"
	fi
	mapfile -t patches < <(grep -v '^$' <<<"$patch_list")
fi

"$gb_top/scripts/install-deps.sh" kernel

# 1. The pristine source, extracted once.
if [[ -n $tree ]]; then
	[[ -f $tree/Makefile && -d $tree/virt/kvm ]] || gb_die 2 "$tree does not look like a kernel source tree"
	src=$(cd "$tree" && pwd)
	srcid=tree-$(echo "$src" | sha1sum | cut -c1-12)
else
	src=$gb_cache/src/linux-source-6.12
	srcid=debian-6.12
	if [[ ! -f $src/.gb-extracted ]]; then
		echo "extracting /usr/src/linux-source-6.12.tar.xz into $gb_cache/src" >&2
		rm -rf "$src"
		mkdir -p "$gb_cache/src"
		tar -xf /usr/src/linux-source-6.12.tar.xz -C "$gb_cache/src"
		touch "$src/.gb-extracted"
	fi
fi

if ((source_only)); then
	echo "$src"
	exit 0
fi

# 2. The variant's tree: a hard-linked copy with its patches applied
# (gb_patched_tree), cached by the patches' contents.
tree_name=$variant
((modules)) && tree_name+=-modules
work=$gb_cache/trees/$srcid/$tree_name
gb_patched_tree "$src" "$work" "${patches[@]}"

# 3. Configuration: tinyconfig plus our fragments (a later one overrides an
# earlier one, as in merge_config.sh), checked line by line.
fragments=("$gb_patches/bench.config")
((modules)) && fragments+=("$gb_patches/kvm-modules.config")
fragment=$work/.gb-fragment
cat "${fragments[@]}" >"$fragment"
cfgstamp=$(cat "$fragment" "$work/.gb-stamp" | sha1sum | cut -c1-40)
if [[ ! -f $work/.gb-config-stamp || $(cat "$work/.gb-config-stamp") != "$cfgstamp" ]]; then
	make -C "$work" -s tinyconfig >/dev/null
	"$work/scripts/kconfig/merge_config.sh" -m -O "$work" "$work/.config" "${fragments[@]}" >/dev/null
	"$work/scripts/config" --file "$work/.config" --set-str LOCALVERSION "-gmem-$variant" \
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
	echo "$cfgstamp" >"$work/.gb-config-stamp"
fi

# 4. Build.  ccache with a base directory and no directory hashing sees the
# same relative paths in every variant's tree, so they share its entries.
cc=gcc
if command -v ccache >/dev/null; then
	export CCACHE_DIR=$gb_cache/ccache CCACHE_BASEDIR=$gb_cache/trees CCACHE_NOHASHDIR=1
	# Each tree is new, so its headers are newer than ccache allows for
	# direct-mode hits; their contents are still hashed.
	export CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime,time_macros
	cc="ccache gcc"
fi
log=$work/gb-build.log
start=$(date +%s)
echo "building $variant (log: $log)" >&2
targets=(bzImage)
((modules)) && targets+=(modules)
if ! make -C "$work" -j "$(nproc)" CC="$cc" "${targets[@]}" >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	gb_die 5 "build of $variant failed; full log: $log"
fi
echo "built $variant ($(make -C "$work" -s kernelrelease)) in $(($(date +%s) - start)) s" >&2

# 5. The KVM selftest guest_memfd_perf_test (static), for the guest:
# gmem-kst, the second measurement beside gmem-bench's.  It is built from
# tools/ and KVM's uapi headers alone, so a variant whose patches touch
# neither shares the pristine source's build (kst-build.sh caches it); our
# series' only uapi change is a magic number the selftest does not use.
kst_tree=()
for p in "${patches[@]}"; do
	if grep -qE '^\+\+\+ b/(tools/|include/uapi/linux/kvm\.h|arch/x86/include/uapi/asm/kvm\.h)' "$p"; then
		kst_tree=(--tree "$work")
	fi
done
[[ -z $tree || ${#kst_tree[@]} -gt 0 ]] || kst_tree=(--tree "$src")
"$gb_top/scripts/kst-build.sh" "${kst_tree[@]}" --out "$work/gb-kst" ||
	gb_die 5 "the KVM selftest for $variant did not build"
echo "$work/arch/x86/boot/bzImage"
