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

static void join_name(char *buf, size_t len, const char *name)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
}

const struct gb_backend_ops *gb_backend_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(backends) - 1; i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

const char *gb_backend_names(void)
{
	static char names[64];
	unsigned int i;

	if (!names[0])
		for (i = 0; i < ARRAY_SIZE(backends) - 1; i++)
			join_name(names, sizeof(names), backends[i]->name);
	return names;
}

const struct gb_workload_ops *gb_workload_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(workloads) - 1; i++)
		if (!strcmp(workloads[i]->name, name))
			return workloads[i];
	return NULL;
}

const char *gb_workload_names(void)
{
	static char names[64];
	unsigned int i;

	if (!names[0])
		for (i = 0; i < ARRAY_SIZE(workloads) - 1; i++)
			join_name(names, sizeof(names), workloads[i]->name);
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
