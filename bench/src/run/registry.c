// SPDX-License-Identifier: GPL-2.0
/* Name lookups for backends and workloads: the only list of them. */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "util.h"
#include "workload.h"

/* A new backend or workload: its file, and one line here. */
static const struct gb_backend_ops *const backends[] = {
	&gb_backend_gmem,
	&gb_backend_memfd,
	NULL,
};

static const struct gb_workload_ops *const workloads[] = {
	&gb_workload_churn,
	&gb_workload_hold,
	NULL,
};

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
