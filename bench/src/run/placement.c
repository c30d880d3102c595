// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <numa.h>

#include "errors.h"
#include "idlist.h"
#include "placement.h"
#include "procfs_parse.h"
#include "textfile.h"
#include "slabinfo.h"

/*
 * libnuma prints its own messages for bad lists; we report one line of our
 * own instead, so silence it (these two are documented override points).
 */
void numa_error(char *where)
{
	(void)where;
}

void numa_warn(int num, char *fmt, ...)
{
	(void)num;
	(void)fmt;
}

struct node_cpus {
	int node;
	int *cpus;
	unsigned int ncpus;
};

/* The CPUs this process may run on, optionally narrowed to --cpus. */
static int usable_cpus(const struct gb_config *cfg, struct bitmask **out)
{
	struct bitmask *allowed = numa_allocate_cpumask();
	struct bitmask *wanted;
	unsigned int cpu, highest;

	if (numa_sched_getaffinity(0, allowed) < 0) {
		numa_free_cpumask(allowed);
		return gb_fail_errno(GB_EXIT_FAILURE, errno, "sched_getaffinity");
	}
	if (!cfg->cpus) {
		*out = allowed;
		return 0;
	}
	if (gb_idlist_check(cfg->cpus, &highest)) {
		numa_free_cpumask(allowed);
		return gb_fail(GB_EXIT_USAGE,
			       "invalid value '%s' for --cpus: expected a list such as 0-3,8",
			       cfg->cpus);
	}
	wanted = (long)highest < sysconf(_SC_NPROCESSORS_CONF) ?
			 numa_parse_cpustring_all(cfg->cpus) :
			 NULL;
	if (!wanted) {
		numa_free_cpumask(allowed);
		return gb_fail(GB_EXIT_NUMA,
			       "--cpus %s names a CPU this machine does not have (%ld configured)",
			       cfg->cpus, sysconf(_SC_NPROCESSORS_CONF));
	}
	for (cpu = 0; cpu < wanted->size; cpu++) {
		if (numa_bitmask_isbitset(wanted, cpu) && !numa_bitmask_isbitset(allowed, cpu)) {
			numa_free_cpumask(allowed);
			numa_free_cpumask(wanted);
			return gb_fail(
				GB_EXIT_NUMA,
				"CPU %u in --cpus is offline or not allowed for this process", cpu);
		}
	}
	numa_free_cpumask(allowed);
	*out = wanted;
	return 0;
}

static int node_of(int cpu, bool numa)
{
	int node = numa ? numa_node_of_cpu(cpu) : 0;

	return node < 0 ? 0 : node;
}

/* Parse --nodes into a node mask; NULL (and a recorded error) if unusable. */
static struct bitmask *parse_nodes(const char *list, bool numa)
{
	struct bitmask *nodes;
	unsigned int highest;

	if (gb_idlist_check(list, &highest)) {
		gb_fail(GB_EXIT_USAGE,
			"invalid value '%s' for --nodes: expected a list such as 0,1", list);
		return NULL;
	}
	nodes = numa && (int)highest <= numa_max_node() ? numa_parse_nodestring_all(list) : NULL;
	if (!nodes && !(numa_available() < 0 && !strcmp(list, "0")))
		gb_fail(GB_EXIT_NUMA,
			"--nodes %s names a node this machine does not have (nodes 0-%d)", list,
			numa ? numa_max_node() : 0);
	return nodes;
}

/*
 * Group the usable CPUs by node, keeping the nodes --nodes allows.  On
 * failure the caller still frees groups[0..*ngroups).
 */
static int group_by_node(const struct gb_config *cfg, struct bitmask *cpus, bool numa,
			 struct node_cpus *groups, unsigned int *ngroups)
{
	int max_node = numa ? numa_max_node() : 0;
	struct bitmask *nodes = NULL;
	unsigned int cpu;
	int node, ret = 0;

	if (cfg->nodes) {
		nodes = parse_nodes(cfg->nodes, numa);
		if (!nodes && gb_error_code())
			return gb_error_code();
	}

	*ngroups = 0;
	for (node = 0; node <= max_node && !ret; node++) {
		struct node_cpus *g = &groups[*ngroups];

		if (nodes && !numa_bitmask_isbitset(nodes, (unsigned int)node))
			continue;
		g->node = node;
		g->ncpus = 0;
		g->cpus = calloc(cpus->size, sizeof(int));
		if (!g->cpus) {
			ret = gb_fail(GB_EXIT_NOMEM, "out of memory");
			break;
		}
		(*ngroups)++;
		for (cpu = 0; cpu < cpus->size; cpu++)
			if (numa_bitmask_isbitset(cpus, cpu) && node_of((int)cpu, numa) == node)
				g->cpus[g->ncpus++] = (int)cpu;
		if (g->ncpus)
			continue;
		/* A node without usable CPUs: an error only if asked for. */
		free(g->cpus);
		(*ngroups)--;
		if (nodes)
			ret = gb_fail(GB_EXIT_NUMA, "node %d in --nodes has no usable CPU%s", node,
				      cfg->cpus ? " in --cpus" : "");
	}
	if (nodes)
		numa_free_nodemask(nodes);
	if (!ret && !*ngroups && !cfg->nodes && !cfg->cpus)
		/* Nothing was narrowed down, so the topology itself is unreadable. */
		ret = gb_fail(
			GB_EXIT_NUMA,
			"no CPU found on any NUMA node (libnuma's highest node: %d): is /sys/devices/system/node readable?",
			max_node);
	else if (!ret && !*ngroups)
		ret = gb_fail(GB_EXIT_NUMA, "no usable CPU in the requested CPUs and nodes");
	return ret;
}

/*
 * Remote frees: the group whose node closes the files of group @g's: the
 * next in the list, or (--remote-close=farthest) one at the largest
 * distance in the firmware's table.  Several nodes are often equally far
 * (the other socket): group @g takes the (g mod count)-th of them, so
 * that the frees spread over them instead of all landing on the first.
 */
static unsigned int remote_group(const struct gb_config *cfg, const struct node_cpus *groups,
				 unsigned int ngroups, unsigned int g)
{
	unsigned int k, nfar = 0, pick;
	int best = -1, d;

	if (!cfg->remote_farthest || numa_available() < 0 || ngroups < 2)
		return (g + 1) % ngroups;
	for (k = 0; k < ngroups; k++) {
		d = k == g ? -1 : numa_distance(groups[g].node, groups[k].node);
		if (d > best) {
			best = d;
			nfar = 0;
		}
		nfar += d == best;
	}
	pick = g % nfar;
	for (k = 0; k < ngroups; k++)
		if (k != g && numa_distance(groups[g].node, groups[k].node) == best && !pick--)
			break;
	return k;
}

static void assign(const struct gb_config *cfg, struct node_cpus *groups, unsigned int ngroups,
		   unsigned int total_cpus, struct gb_placement_plan *plan)
{
	unsigned int t, g, slot, remote;

	for (t = 0; t < plan->nthreads; t++) {
		struct gb_place *p = &plan->threads[t];

		switch (cfg->placement) {
		case GB_PLACE_SPREAD:
			g = t % ngroups;
			slot = t / ngroups;
			break;
		case GB_PLACE_FILL:
			/* Walk the CPUs node by node, wrapping around. */
			slot = t % total_cpus;
			for (g = 0; slot >= groups[g].ncpus; g++)
				slot -= groups[g].ncpus;
			break;
		default:
			g = 0;
			slot = t;
			break;
		}
		p->cpu = groups[g].cpus[slot % groups[g].ncpus];
		p->node = groups[g].node;
		remote = cfg->remote_close ? remote_group(cfg, groups, ngroups, g) : g;
		p->close_cpu = groups[remote].cpus[slot % groups[remote].ncpus];
		p->close_node = groups[remote].node;
	}
}

int gb_placement_plan(const struct gb_config *cfg, struct gb_placement_plan *plan)
{
	struct node_cpus *groups;
	struct bitmask *cpus = NULL;
	unsigned int ngroups = 0, total = 0, usable, i;
	int ret;

	memset(plan, 0, sizeof(*plan));
	plan->numa = numa_available() >= 0;
	ret = usable_cpus(cfg, &cpus);
	if (ret)
		return ret;

	groups = calloc((size_t)(plan->numa ? numa_max_node() : 0) + 1, sizeof(*groups));
	if (!groups) {
		numa_free_cpumask(cpus);
		return gb_fail(GB_EXIT_NOMEM, "out of memory");
	}
	ret = group_by_node(cfg, cpus, plan->numa, groups, &ngroups);
	numa_free_cpumask(cpus);
	if (ret)
		goto out;

	for (i = 0; i < ngroups; i++)
		total += groups[i].ncpus;
	if (cfg->cpus && cfg->threads > total) {
		ret = gb_fail(
			GB_EXIT_USAGE,
			"%u threads but only %u CPUs usable from --cpus %s: threads are pinned one per CPU",
			cfg->threads, total, cfg->cpus);
		goto out;
	}
	if (cfg->remote_close && ngroups < 2)
		gb_warn("--remote-close with one node in use: files are closed where they were created, nothing is freed remotely");

	plan->nthreads = cfg->threads;
	plan->ncpus = total;
	usable = cfg->placement == GB_PLACE_SINGLE ? groups[0].ncpus : total;
	plan->oversubscribed = cfg->threads > usable;
	/* Allowed (scaling past the CPU count is a question worth asking), but said. */
	if (plan->oversubscribed)
		gb_warn("%u threads on %u CPUs: threads share CPUs (\"oversubscribed\" in the result)",
			cfg->threads, usable);
	plan->threads = calloc(cfg->threads, sizeof(*plan->threads));
	plan->nodes = calloc(ngroups, sizeof(int));
	if (!plan->threads || !plan->nodes) {
		ret = gb_fail(GB_EXIT_NOMEM, "out of memory");
		goto out;
	}
	plan->nnodes = cfg->placement == GB_PLACE_SINGLE ? 1 : ngroups;
	for (i = 0; i < ngroups; i++)
		plan->nodes[i] = groups[i].node;
	assign(cfg, groups, ngroups, total, plan);
out:
	for (i = 0; i < ngroups; i++)
		free(groups[i].cpus);
	free(groups);
	if (ret)
		gb_placement_free(plan);
	return ret;
}

void gb_placement_free(struct gb_placement_plan *plan)
{
	free(plan->threads);
	free(plan->nodes);
	plan->threads = NULL;
	plan->nodes = NULL;
}

json_t *gb_placement_json(const struct gb_placement_plan *plan)
{
	json_t *obj = json_object(), *threads = json_array(), *nodes = json_array();
	unsigned int i;

	for (i = 0; i < plan->nnodes; i++)
		json_array_append_new(nodes, json_integer(plan->nodes[i]));
	for (i = 0; i < plan->nthreads; i++) {
		const struct gb_place *p = &plan->threads[i];

		json_array_append_new(threads,
				      json_pack("{s:i, s:i, s:i, s:i, s:i}", "thread", i, "cpu",
						p->cpu, "node", p->node, "close_cpu", p->close_cpu,
						"close_node", p->close_node));
	}
	json_object_set_new(obj, "numa_available", json_boolean(plan->numa));
	json_object_set_new(obj, "nodes", nodes);
	json_object_set_new(obj, "cpus_usable", json_integer(plan->ncpus));
	json_object_set_new(obj, "oversubscribed", json_boolean(plan->oversubscribed));
	json_object_set_new(obj, "threads", threads);
	return obj;
}

int gb_pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

void gb_nodes_file_kb(uint64_t *kb)
{
	unsigned int n, nodes = gb_machine_nodes();
	char path[96], *text;

	for (n = 0; n < nodes; n++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%u/meminfo", n);
		text = gb_read_text(path);
		kb[n] = 0;
		/* Unreadable or unparsable: 0, as the parser leaves kb[n] alone then. */
		if (text)
			gb_parse_meminfo_kb(text, "FilePages", &kb[n]);
		free(text);
	}
}

int gb_other_node(int node, bool farthest)
{
	int nodes = (int)gb_machine_nodes(), i, n, best = -1, best_distance = 0;

	for (i = 1; i < nodes; i++) {
		n = (node + i) % nodes;
		if (numa_node_size64(n, NULL) <= 0)
			continue;
		if (!farthest)
			return n;
		if (numa_distance(node, n) > best_distance) {
			best = n;
			best_distance = numa_distance(node, n);
		}
	}
	return best;
}

unsigned int gb_machine_nodes(void)
{
	int nodes = numa_available() < 0 ? 1 : numa_max_node() + 1;

	return nodes < GB_MAX_NODES ? (unsigned int)nodes : GB_MAX_NODES;
}
