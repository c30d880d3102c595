// SPDX-License-Identifier: GPL-2.0
/* /proc/slabinfo, as the slab collector and the VM's allocator check read it. */
#include "fuzz_input.h"
#include "slabinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = gb_fuzz_text(data, size);
	struct gb_slabinfo si;
	const char *why = NULL;

	if (!gb_slabinfo_parse(text, &si, &why)) {
		/* The lookup the collector makes on every snapshot. */
		gb_slabinfo_find(&si, "inode_cache");
		gb_slabinfo_free(&si);
	} else if (!why) {
		abort(); /* a rejection always says why */
	}
	free(text);
	return 0;
}
