#!/bin/sh
# Which slab cache served the guest_memfd inodes of a hold run?  A fact
# read from the kernel, not assumed from the variant's name: the cache
# named *inode* (inode_cache, kvm_gmem_inode_cache, shmem_inode_cache, or
# whatever a patch calls its own) that grew by (nearly) one object per
# file between the two snapshots.  An expectation is then checked against
# that fact.
#
# Usage: check-allocator.sh BEFORE PEAK FILES [EXPECT]
#   BEFORE, PEAK  /proc/slabinfo before the run and with every file open
#   FILES         how many files were open at the peak
#   EXPECT        the cache that must have served them, or none (default):
#                 report only
#
# Prints every cache that grew by half an object per file or more (what a
# file costs), "inodes from: CACHE" (or "unknown") and, with EXPECT, a
# verdict.  Exit 0 if the expectation holds (or there is none), 1 if not,
# 2 on bad input.  POSIX sh and awk: it runs in the VM's busybox.
[ $# -eq 3 ] || [ $# -eq 4 ] ||
	{ echo "usage: check-allocator.sh BEFORE PEAK FILES [EXPECT]" >&2; exit 2; }
before=$1 peak=$2 files=$3 expect=${4:-none}
case $files in '' | *[!0-9]* | 0) echo "check-allocator: FILES must be a positive number" >&2; exit 2 ;; esac
# A slab cache's name: what /proc/slabinfo can hold, and nothing a shell or
# awk would read as code.
case $expect in
'' | *[!a-z0-9_.:-]*) echo "check-allocator: EXPECT must be a slab cache name or none" >&2; exit 2 ;;
esac
for f in "$before" "$peak"; do
	if ! [ -r "$f" ] || ! head -n 1 "$f" | grep -q '^slabinfo - version'; then
		echo "check-allocator: $f is not a /proc/slabinfo snapshot" >&2
		exit 2
	fi
done

awk -v expect="$expect" -v files="$files" '
	# Column 2 of /proc/slabinfo is active_objs; a cache absent before
	# counts 0 (a module loaded, or a cache created, during the run).
	FNR == 1 || /^#/ { next }
	FNR == NR { b[$1] = $2; next }
	{ p[$1] = $2 }
	END {
		for (c in p) {
			d = p[c] - b[c]
			if (d >= 0.5 * files)
				printf "grew: %s %d -> %d (%+d, %.3f per file)\n", c, b[c], p[c], d, d / files | "sort"
			# The inode cache: named so, and grown by nearly a file each.
			if (c ~ /inode/ && d >= 0.95 * files && d > best) {
				best = d
				from = c
			}
		}
		close("sort")
		if (from == "") {
			printf "inodes from: unknown (no *inode* cache grew by 0.95 objects per file)\n"
		} else {
			printf "inodes from: %s (%.3f objects per file)\n", from, best / files
		}
		if (expect == "none")
			exit 0
		ok = from == expect
		printf "allocator check: %s (expected the inodes in %s)\n", ok ? "PASS" : "FAIL", expect
		exit ok ? 0 : 1
	}' "$before" "$peak"
