// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <numa.h>

#include "metadata.h"
#include "timing.h"
#include "version.h"

char *gb_read_first_line(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getline(&line, &len, f) < 0) {
		free(line);
		line = NULL;
	} else {
		line[strcspn(line, "\n")] = '\0';
	}
	fclose(f);
	return line;
}

char *gb_read_keyed_value(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	size_t klen = strlen(key), len = 0;
	char *line = NULL, *value = NULL, *p;

	if (!f)
		return NULL;
	while (getline(&line, &len, f) >= 0) {
		if (strncmp(line, key, klen))
			continue;
		p = line + klen;
		p += strspn(p, " \t");
		if (*p != ':')
			continue;
		p++;
		p += strspn(p, " \t");
		p[strcspn(p, "\n")] = '\0';
		value = strdup(p);
		break;
	}
	free(line);
	fclose(f);
	return value;
}

static void set_string_or_null(json_t *obj, const char *key, char *value)
{
	json_object_set_new(obj, key, value ? json_string(value) : json_null());
	free(value);
}

static json_t *topology_json(void)
{
	json_t *topo = json_object(), *nodes = json_array();
	struct bitmask *cpus;
	long long free_bytes;
	int node, max_node;
	unsigned int cpu;

	json_object_set_new(topo, "online_cpus", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	if (numa_available() < 0) {
		json_object_set_new(topo, "numa_available", json_false());
		json_object_set_new(topo, "nodes", nodes);
		return topo;
	}
	json_object_set_new(topo, "numa_available", json_true());
	max_node = numa_max_node();
	cpus = numa_allocate_cpumask();
	for (node = 0; node <= max_node; node++) {
		json_t *n = json_object(), *list = json_array();
		long long size;

		if (!numa_bitmask_isbitset(numa_nodes_ptr, (unsigned int)node)) {
			json_decref(list);
			json_decref(n);
			continue;
		}
		size = numa_node_size64(node, &free_bytes);
		if (!numa_node_to_cpus(node, cpus))
			for (cpu = 0; cpu < cpus->size; cpu++)
				if (numa_bitmask_isbitset(cpus, cpu))
					json_array_append_new(list, json_integer(cpu));
		json_object_set_new(n, "node", json_integer(node));
		json_object_set_new(n, "cpus", list);
		json_object_set_new(n, "mem_total_bytes", json_integer(size));
		json_object_set_new(n, "mem_free_bytes", json_integer(free_bytes));
		json_array_append_new(nodes, n);
	}
	numa_free_cpumask(cpus);
	json_object_set_new(topo, "nodes", nodes);
	return topo;
}

json_t *gb_metadata_json(void)
{
	json_t *meta = json_object();
	struct utsname uts;
	char host[256] = "", stamp[64] = "", clk[64];
	time_t now = time(NULL);
	struct tm tm;

	json_object_set_new(meta, "tool",
			    json_pack("{s:s, s:s, s:s}", "name", "gmem-bench", "version",
				      GB_VERSION, "git_revision", GB_GIT_REVISION));
	if (!uname(&uts))
		json_object_set_new(meta, "uname",
				    json_pack("{s:s, s:s, s:s, s:s}", "sysname", uts.sysname,
					      "release", uts.release, "version", uts.version,
					      "machine", uts.machine));
	set_string_or_null(meta, "proc_version", gb_read_first_line("/proc/version"));
	set_string_or_null(meta, "kernel_cmdline", gb_read_first_line("/proc/cmdline"));
	/* Which boot: gmem-compare takes the boot as its unit of replication. */
	set_string_or_null(meta, "boot_id", gb_read_first_line("/proc/sys/kernel/random/boot_id"));
	set_string_or_null(meta, "cpu_model", gb_read_keyed_value("/proc/cpuinfo", "model name"));
	gethostname(host, sizeof(host) - 1);
	json_object_set_new(meta, "hostname", json_string(host));
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(meta, "timestamp", json_string(stamp));
	json_object_set_new(meta, "clocksource", json_string(gb_clocksource(clk, sizeof(clk))));
	json_object_set_new(meta, "topology", topology_json());
	return meta;
}
