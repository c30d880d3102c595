/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "gmem-bench placement-check": does a file's memory land where its NUMA
 * policy says, on this kernel?  The checks of the upstream guest_memfd
 * selftest (mbind() modes read back, the default reset, an invalid mode,
 * move_pages() after per-range binds and a hole punch) and what it leaves
 * out (file policy against task policy, re-mmap, fallocate(), private
 * memory), each a line of PASS, FAIL or SKIP with the figures behind it.
 */
#ifndef GB_PLACEMENT_CHECK_H
#define GB_PLACEMENT_CHECK_H

/* argv[0] is "placement-check".  0 all passed, 1 a check failed. */
int gb_placement_check_main(int argc, char **argv);

#endif
