// SPDX-License-Identifier: GPL-2.0
/* /proc/slabinfo, as the slab collector and the VM's allocator check read it. */
#include "fuzz_input.h"
#include "slabinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = gb_fuzz_text(data, size);
	const struct gb_slab_cache *c;
	struct gb_slabinfo si;
	const char *why = NULL;

	if (!gb_slabinfo_parse(text, &si, &why)) {
		/* Read what the collector reads: the geometry of a cache. */
		c = gb_slabinfo_find(&si, "inode_cache");
		if (c && c->active_objs > c->num_objs && c->num_objs == 0)
			why = "active objects in an empty cache";
		gb_slabinfo_free(&si);
	} else if (!why) {
		abort(); /* a rejection always says why */
	}
	free(text);
	return 0;
}
