// SPDX-License-Identifier: GPL-2.0
/* Name lookups for backends and workloads: the only list of them. */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "util.h"
#include "workload.h"

/*
 * Every backend and workload, by name: a new one is its file
 * (backend_NAME.c with gb_backend_NAME, workload_NAME.c with
 * gb_workload_NAME) and its name in one of these two lists.
 */
#define BACKENDS(x) x(gmem) x(memfd)
#define WORKLOADS(x) x(churn) x(hold)

#define DECLARE_BACKEND(name) extern const struct gb_backend_ops gb_backend_##name;
#define DECLARE_WORKLOAD(name) extern const struct gb_workload_ops gb_workload_##name;
#define ENTRY_BACKEND(name) &gb_backend_##name,
#define ENTRY_WORKLOAD(name) &gb_workload_##name,

BACKENDS(DECLARE_BACKEND)
WORKLOADS(DECLARE_WORKLOAD)

static const struct gb_backend_ops *const backends[] = { BACKENDS(ENTRY_BACKEND) NULL };
static const struct gb_workload_ops *const workloads[] = { WORKLOADS(ENTRY_WORKLOAD) NULL };

/* The lists' names, which are the ops' names: one lookup for both kinds. */
#define NAME(name) #name,
static const char *const backend_names[] = { BACKENDS(NAME) NULL };
static const char *const workload_names[] = { WORKLOADS(NAME) NULL };

const struct gb_backend_ops *gb_backend_find(const char *name)
{
	int i = gb_enum_parse(backend_names, name);

	return i < 0 ? NULL : backends[i];
}

const char *gb_backend_names(void)
{
	static char names[64];

	if (!names[0])
		gb_join_names(names, sizeof(names), backend_names, ", ");
	return names;
}

const struct gb_workload_ops *gb_workload_find(const char *name)
{
	int i = gb_enum_parse(workload_names, name);

	return i < 0 ? NULL : workloads[i];
}

const char *gb_workload_names(void)
{
	static char names[64];

	if (!names[0])
		gb_join_names(names, sizeof(names), workload_names, ", ");
	return names;
}

const struct gb_backend_ops *const *gb_backend_list(void)
{
	return backends;
}

const struct gb_workload_ops *const *gb_workload_list(void)
{
	return workloads;
}
