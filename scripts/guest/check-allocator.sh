#!/bin/sh
# Which slab cache served the guest_memfd inodes of a hold run?
#
# Usage: check-allocator.sh BEFORE PEAK FILES EXPECT
#   BEFORE, PEAK  /proc/slabinfo before the run and with every file open
#   FILES         how many files were open at the peak
#   EXPECT        kvm_gmem_inode_cache or inode_cache: the cache that must
#                 have grown by (nearly) FILES objects; the other one must not
#
# Prints one line per cache and a verdict; exit 0 if the expectation holds,
# 1 if not, 2 on bad input.  POSIX sh and awk: it runs in the VM's busybox.
[ $# -eq 4 ] || { echo "usage: check-allocator.sh BEFORE PEAK FILES EXPECT" >&2; exit 2; }
before=$1 peak=$2 files=$3 expect=$4
case $expect in
kvm_gmem_inode_cache) other=inode_cache ;;
inode_cache) other=kvm_gmem_inode_cache ;;
*) echo "check-allocator: EXPECT must be kvm_gmem_inode_cache or inode_cache" >&2; exit 2 ;;
esac
for f in "$before" "$peak"; do
	if ! [ -r "$f" ] || ! head -n 1 "$f" | grep -q '^slabinfo - version'; then
		echo "check-allocator: $f is not a /proc/slabinfo snapshot" >&2
		exit 2
	fi
done

awk -v expect="$expect" -v other="$other" -v files="$files" '
	# Column 2 of /proc/slabinfo is active_objs; a missing cache counts 0.
	FNR == NR { if ($1 == expect || $1 == other) b[$1] = $2; next }
	$1 == expect || $1 == other { p[$1] = $2; seen[$1] = 1 }
	END {
		de = p[expect] - b[expect]; do_ = p[other] - b[other]
		printf "%s: %d -> %d active objects (%+d, %.3f per file)%s\n", expect,
			b[expect], p[expect], de, de / files, seen[expect] ? "" : " [cache absent]"
		printf "%s: %d -> %d active objects (%+d, %.3f per file)%s\n", other,
			b[other], p[other], do_, do_ / files, seen[other] ? "" : " [cache absent]"
		# Nearly one object per file in the expected cache; the other one
		# may move a little (other inodes of the system), never by a
		# large share of the files.
		ok = seen[expect] && de >= 0.95 * files && do_ < 0.05 * files
		printf "allocator check: %s (expected the inodes in %s)\n", ok ? "PASS" : "FAIL", expect
		exit ok ? 0 : 1
	}' "$before" "$peak"
