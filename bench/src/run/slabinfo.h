/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for what the kernel says about its slab caches: /proc/slabinfo
 * (version 2.1) and the files of /sys/kernel/slab/<cache>/.  Pure functions
 * on text, so the tests can feed them captured and broken inputs.
 */
#ifndef GB_SLABINFO_H
#define GB_SLABINFO_H

#include <stddef.h>
#include <stdint.h>

#include "textfile.h"

#define GB_SLAB_NAME_MAX 64
#define GB_MAX_NODES 64

struct gb_slab_cache {
	char name[GB_SLAB_NAME_MAX];
	uint64_t active_objs;
	uint64_t num_objs;
	uint64_t objsize;
	uint64_t objperslab;
	uint64_t pagesperslab;
	uint64_t num_slabs;
};

struct gb_slabinfo {
	struct gb_slab_cache *caches;
	size_t n;
};

/*
 * Parse /proc/slabinfo text.  Returns 0, or -1 with @why set when the
 * header is not version 2.x or a line is malformed.  Free with
 * gb_slabinfo_free().
 */
int gb_slabinfo_parse(const char *text, struct gb_slabinfo *out, const char **why);
void gb_slabinfo_free(struct gb_slabinfo *si);
const struct gb_slab_cache *gb_slabinfo_find(const struct gb_slabinfo *si, const char *name);

/*
 * Parse a per-node count file of /sys/kernel/slab/<cache>/ ("objects",
 * "total_objects", "slabs"): "TOTAL N0=a N1=b ...".  The node list is there
 * only on NUMA kernels with SLUB_DEBUG; @nnodes is then the highest node
 * seen plus one (0 if none).  Returns 0 or -1 on malformed text.
 */
int gb_slab_parse_node_counts(const char *text, uint64_t *total, uint64_t *per_node,
			      unsigned int *nnodes);

/* How many objects a cache gained over a run (the slab collector's figure). */
struct gb_slab_growth {
	const char *name;
	int64_t new_objects;
};

/*
 * Which cache served a run's inodes, as a fact read from the kernel rather
 * than assumed from the kernel's name: of the caches named *inode* (the
 * generic inode_cache, kvm_gmem_inode_cache, shmem_inode_cache, or what a
 * patch calls its own), the one that grew the most, if by at least
 * GB_INODES_FROM_MIN objects per file.  NULL if none did.
 */
#define GB_INODES_FROM_MIN 0.95
const struct gb_slab_growth *gb_slab_inodes_from(const struct gb_slab_growth *g, size_t n,
						 uint64_t files);

#endif
