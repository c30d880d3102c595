// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/slab/<cache>/{objects,total_objects,slabs}: "TOTAL N0=a ...". */
#include "fuzz_input.h"
#include "slabinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = gb_fuzz_text(data, size);
	uint64_t total, per_node[GB_MAX_NODES];
	unsigned int nnodes = 0;

	if (!gb_slab_parse_node_counts(text, &total, per_node, &nnodes) && nnodes > GB_MAX_NODES)
		abort(); /* the collector indexes per_node[] with it */
	free(text);
	return 0;
}
