#!/bin/bash
# Build the KVM selftests library and guest_memfd_perf_test with the
# selftests' own make: Debian's linux-source-6.12 (or your tree) with the
# patches of kernel-patches/6.12/selftests/ applied.  They touch tools/
# only, so the kernels compared never change with them.
#
# Usage: scripts/kst-build.sh [--tree PATH] [--patch FILE]... --out DIR
#   --tree PATH  a kernel source tree instead of Debian's linux-source-6.12
#   --patch FILE a patch of the kernel the selftest is for (repeatable, in
#                order): only its hunks under tools/ and the uapi headers
#                are applied (filterdiff), before the selftests' own
#                patches, so that the selftest sees that kernel's uapi;
#                kernels whose patches have no such hunk share the
#                source's build
#   --out DIR    where the results go (created):
#                  DIR/libkvm.a     the library's objects, without
#                                   string_override.o (its byte-loop
#                                   memcpy/memset would replace the C
#                                   library's in a whole program, and a
#                                   program without guest code needs none)
#                  DIR/tree         a link to the patched tree (headers)
#                  DIR/guest_memfd_perf_test  the selftest, static
#                  DIR/src/guest_memfd_perf_test.c  its source
#
# The tree is a hard-linked copy of the source in
# $GB_CACHE_DIR/trees/SRC/selftests (selftests-ID with --patch hunks, ID
# their contents'), never of a built kernel tree (whose rebuilds would make
# it out of date, and whose objects it would share by hard links);
# patched, with its uapi headers generated (make headers, about 40 s the
# first time); the selftests' make builds
# the objects into DIR (about 10 s).  Programs linked with them must not be
# PIE (svm.o has absolute relocations): the selftest is linked -static.
# Exit codes: 2 usage or not a kernel tree, 3 a patch does not apply,
# 5 the build failed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/kernel-lib.sh"
tree="" out=""
kernel_patches=()
while (($#)); do
	case $1 in
	--tree) tree=${2:?--tree needs a path}; shift 2 ;;
	--patch)
		[[ -f ${2:?--patch needs a file} && -r $2 ]] || gb_die 2 "--patch $2: no such patch file"
		kernel_patches+=("$2"); shift 2 ;;
	--out) out=${2:?--out needs a directory}; shift 2 ;;
	-h | --help) gb_help; exit 0 ;;
	*) gb_die 2 "unknown argument '$1' (see --help)" ;;
	esac
done
[[ -n $out ]] || gb_die 2 "no --out DIR given"

if [[ -n $tree ]]; then
	[[ -f $tree/tools/testing/selftests/kvm/lib/kvm_util.c ]] ||
		gb_die 2 "$tree has no KVM selftests (tools/testing/selftests/kvm/lib/kvm_util.c)"
	src=$(cd "$tree" && pwd)
	srcid=tree-$(echo "$src" | sha1sum | cut -c1-12)
else
	src=$("$gb_top/scripts/kernel-build.sh" --source-only)
	srcid=debian-6.12
fi
mapfile -t patches < <(find "$gb_patches/selftests" -maxdepth 1 -name '*.patch' | sort)

# The kernel's hunks that the selftest can see: tools/ and the uapi
# headers (make headers exports include/uapi and the arch's), one filtered
# patch per kernel patch that has any, in order.
hunks=$(mktemp -d)
trap 'rm -rf "$hunks"' EXIT
name=selftests
if ((${#kernel_patches[@]})); then
	"$gb_top/scripts/install-deps.sh" kernel >/dev/null ||
		gb_die 2 "cannot install filterdiff (patchutils)"
	i=0
	for p in "${kernel_patches[@]}"; do
		# Named after the patch (a hunk that does not apply is said with
		# its patch's name), numbered to keep the order.
		f=$hunks/$(printf %04d "$i")-uapi-of-${p##*/}
		i=$((i + 1))
		filterdiff -p1 -i 'tools/*' -i 'include/uapi/*' -i 'arch/x86/include/uapi/*' "$p" >"$f" ||
			gb_die 2 "--patch $p: filterdiff cannot read it"
		[[ -s $f ]] || rm "$f"
	done
	mapfile -t uapi < <(find "$hunks" -type f | sort)
	if ((${#uapi[@]})); then
		name+=-$(cat "${uapi[@]}" | sha1sum | cut -c1-12)
		patches=("${uapi[@]}" "${patches[@]}")
	fi
fi

# The patched tree, rebuilt when the source or a patch changes.  One
# build at a time prepares the source's selftests trees (kernel-build.sh
# of two variants, CMake).
work=$gb_cache/trees/$srcid/$name
mkdir -p "$gb_cache/trees/$srcid"
exec {lock}>"$gb_cache/trees/$srcid/.selftests.lock"
flock "$lock"
gb_patched_tree "$src" "$work" "${patches[@]}"

# The uapi headers, where the selftests look by default (usr/include of the
# tree: make headers, which unlike headers_install needs no rsync).
log=$work/gb-kst-build.log
hdr=$work/usr/include
if [[ ! -f $work/.gb-headers ]]; then
	echo "generating the uapi headers in $hdr" >&2
	make -C "$work" -j "$(nproc)" headers >"$log" 2>&1 ||
		gb_die 5 "make headers failed; log: $log"
	touch "$work/.gb-headers"
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
kvm=$work/tools/testing/selftests/kvm
# Building the test builds every object of the library it links.
if ! make -C "$kvm" -j "$(nproc)" OUTPUT="$out/objs" EXTRA_CFLAGS=-static \
	"$out/objs/guest_memfd_perf_test" >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	gb_die 5 "the selftests' make failed; log: $log"
fi
tmp=$(mktemp "$out/libkvm.a.XXXXXX")
rm -f "$tmp"
find "$out/objs/lib" -name '*.o' ! -name string_override.o -print0 | sort -z | xargs -0 ar rcs "$tmp"
mv -f "$tmp" "$out/libkvm.a"
cp -f "$out/objs/guest_memfd_perf_test" "$out/guest_memfd_perf_test"
mkdir -p "$out/src"
cp -f "$kvm/guest_memfd_perf_test.c" "$out/src/guest_memfd_perf_test.c"
# The tree, for the include directories (CMake names them through this
# link, which it knows before the tree exists).
ln -sfn "$work" "$out/tree"
echo "built the KVM selftests library and guest_memfd_perf_test in $out" >&2
