// SPDX-License-Identifier: GPL-2.0
/* cgroup files: memory.stat and memory.events ("key value"), /proc/self/cgroup. */
#include <string.h>

#include "fuzz_input.h"
#include "procfs_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = gb_fuzz_text(data, size);
	char path[64];
	uint64_t v;

	gb_parse_flat_keyed(text, "slab", &v);
	gb_parse_flat_keyed(text, "oom_kill", &v);
	if (!gb_parse_proc_cgroup(text, true, path, sizeof(path)) && strlen(path) >= sizeof(path))
		abort();
	if (!gb_parse_proc_cgroup(text, false, path, sizeof(path)) && path[0] != '/')
		abort(); /* the collector appends it to the hierarchy's mount */
	free(text);
	return 0;
}
