/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for the /proc and /sys text the collectors read besides slab
 * (slabinfo.h): meminfo, cgroup stat files and /proc/self/cgroup.  Pure
 * functions on text, so that tests and fuzzers can feed them anything.
 */
#ifndef GB_PROCFS_PARSE_H
#define GB_PROCFS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * "KEY VALUE" lines, as in cgroup v2's memory.stat and memory.events.
 * Returns 0 with *value set, or -1 when KEY is absent or its value is not
 * a decimal number that fits in 64 bits.
 */
int gb_parse_flat_keyed(const char *text, const char *key, uint64_t *value);

/*
 * meminfo lines: /proc/meminfo's "KEY:   N kB" or a node's
 * "Node 1 KEY:   N kB".  Returns 0 with *kb set, or -1 as above.
 */
int gb_parse_meminfo_kb(const char *text, const char *key, uint64_t *kb);

/*
 * /proc/self/cgroup: the path of the cgroup v2 entry ("0::/path"), or with
 * @v2 false of the v1 hierarchy that has the memory controller
 * ("4:memory:/path", "5:cpu,memory:/path").  Returns 0 with the path in
 * @out, or -1 when there is no such line or the path does not fit.
 */
int gb_parse_proc_cgroup(const char *text, bool v2, char *out, size_t len);

#endif
