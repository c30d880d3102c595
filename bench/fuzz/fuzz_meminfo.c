// SPDX-License-Identifier: GPL-2.0
/* /proc/meminfo and /sys/devices/system/node/nodeN/meminfo. */
#include "fuzz_input.h"
#include "procfs_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "FilePages", "MemTotal", "Slab", "SUnreclaim" };
	char *text = gb_fuzz_text(data, size);
	uint64_t kb;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		gb_parse_meminfo_kb(text, keys[i], &kb);
	free(text);
	return 0;
}
