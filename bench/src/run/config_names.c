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
