// SPDX-License-Identifier: GPL-2.0
/* The names of the configuration's enums: parsed and printed from here. */
#include <stdio.h>
#include <string.h>

#include "config.h"

const char *const gb_placement_names[] = {
	[GB_PLACE_SPREAD] = "spread",
	[GB_PLACE_FILL] = "fill",
	[GB_PLACE_SINGLE] = "single",
	NULL,
};

const char *const gb_vm_sharing_names[] = {
	[GB_VM_SHARED] = "shared",
	[GB_VM_PER_THREAD] = "per-thread",
	NULL,
};

const char *const gb_timing_names[] = {
	[GB_TIMING_SAMPLED] = "sampled",
	[GB_TIMING_EVERY] = "every",
	[GB_TIMING_BATCH] = "batch",
	NULL,
};

int gb_enum_parse(const char *const *names, const char *name)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

void gb_join_names(char *buf, size_t len, const char *const *names, const char *sep)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; names[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? sep : "", names[i]);
}
