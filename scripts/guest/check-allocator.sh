#!/bin/sh
# Which slab cache served the guest_memfd inodes of a hold run?  A fact
# the benchmark read from the kernel (its slab collector: the cache named
# *inode* that grew by nearly one object per file, counted exactly after
# flushing the per-CPU slabs), not assumed from the variant's name.  This
# script only reports that fact and checks an expectation against it.
#
# Usage: check-allocator.sh SUMMARY [EXPECT]
#   SUMMARY  what "gmem-bench hold" printed (its text summary, with the
#            slab collector's table and its "inodes from:" line)
#   EXPECT   the cache that must have served the inodes, or none
#            (default): report only
#
# Prints the slab table of the run (every cache that grew, per file),
# "inodes from: CACHE (N objects per file)" (or "unknown") and, with
# EXPECT, a verdict.  Exit 0 if the expectation holds (or there is none),
# 1 if not, 2 on bad input.  POSIX sh and sed: it runs in the VM's busybox.
[ $# -eq 1 ] || [ $# -eq 2 ] ||
	{ echo "usage: check-allocator.sh SUMMARY [EXPECT]" >&2; exit 2; }
summary=$1 expect=${2:-none}
# A slab cache's name: what /proc/slabinfo can hold, and nothing a shell or
# sed would read as code.
case $expect in
'' | *[!a-z0-9_.:-]*) echo "check-allocator: EXPECT must be a slab cache name or none" >&2; exit 2 ;;
esac
if ! [ -f "$summary" ] || ! [ -r "$summary" ] || ! grep -q '^slab, start to peak' "$summary"; then
	echo "check-allocator: $summary is not the summary of a gmem-bench hold run with slab figures" >&2
	exit 2
fi
fact=$(grep '^  inodes from: ' "$summary")
case $fact in
*'
'*) echo "check-allocator: $summary has more than one 'inodes from:' line" >&2; exit 2 ;;
'  inodes from: unknown '*) from=unknown ;;
'  inodes from: '*' ('*' objects per file)')
	from=${fact#  inodes from: }
	from=${from%% *}
	case $from in
	'' | *[!a-z0-9_.:-]*) echo "check-allocator: $summary names no slab cache: $fact" >&2; exit 2 ;;
	esac
	;;
*) echo "check-allocator: $summary has no 'inodes from:' line (was the slab collector on?)" >&2; exit 2 ;;
esac

# The tool's table, from its heading to its total, then the fact.
sed -n '/^slab, start to peak/,/^  total /p' "$summary"
echo "${fact#  }"
[ "$expect" = none ] && exit 0
if [ "$from" = "$expect" ]; then
	echo "allocator check: PASS (expected the inodes in $expect)"
	exit 0
fi
echo "allocator check: FAIL (expected the inodes in $expect)"
exit 1
