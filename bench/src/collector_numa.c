// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA placement collector, for --populate runs: each worker binds its
 * memory policy to its own node, and this checks where the pages landed.
 *
 * Two views.  The per-node FilePages delta of /sys/devices/system/node says
 * where the files' pages went in all.  And where the file can be mapped
 * (memfd, or guest_memfd created with GUEST_MEMFD_FLAG_MMAP), each worker
 * maps it, mbind()s the range to its node, touches it and asks
 * move_pages() where every page is: "placement honoured: X of Y pages".
 * A kernel that ignores the policy for guest_memfd is a finding, reported
 * as such, not an error.
 */
#include <numa.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "collector.h"
#include "numa_check.h"
#include "procfs_parse.h"
#include "session.h"
#include "slabinfo.h"
#include "worker.h"
#include "workload.h"

struct numa_state {
	unsigned int nnodes;
	uint64_t file_kb[GB_NR_PHASES][GB_MAX_NODES];
};

bool gb_numa_check_mapped(const struct gb_config *cfg)
{
	return cfg->populate && (cfg->backend == &gb_backend_memfd ||
				 (cfg->gmem_flags & GUEST_MEMFD_FLAG_MMAP));
}

int gb_numa_bind_worker(struct gb_worker *w)
{
	struct bitmask *mask;

	if (!w->cfg->populate || numa_available() < 0)
		return 0;
	mask = numa_allocate_nodemask();
	numa_bitmask_setbit(mask, (unsigned int)w->place.node);
	numa_set_membind(mask);
	numa_free_nodemask(mask);
	return 0;
}

int gb_numa_populate_mapped(struct gb_worker *w, int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)w->cfg->populate, npages = len / (size_t)page, i;
	unsigned long nodemask = 1UL << w->place.node;
	void **pages;
	int *status;
	char *addr;
	int ret = -1;

	addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED)
		return -1;
	pages = calloc(npages, sizeof(*pages));
	status = calloc(npages, sizeof(*status));
	if (!pages || !status)
		goto out;
	/* The node's policy on the range, then fault every page in. */
	if (w->place.node < (int)(8 * sizeof(nodemask)) &&
	    mbind(addr, len, MPOL_BIND, &nodemask, 8 * sizeof(nodemask), 0))
		w->res.mbind_failed = true;
	for (i = 0; i < npages; i++) {
		addr[i * (size_t)page] = 1;
		pages[i] = addr + i * (size_t)page;
	}
	if (move_pages(0, npages, pages, NULL, status, 0))
		goto out;
	for (i = 0; i < npages; i++) {
		w->res.placed_pages++;
		if (status[i] == w->place.node)
			w->res.placed_on_node++;
	}
	ret = 0;
out:
	free(pages);
	free(status);
	munmap(addr, len);
	return ret;
}

static void read_file_kb(struct numa_state *st, uint64_t *kb)
{
	char path[96], *text;
	unsigned int n;

	for (n = 0; n < st->nnodes && n < GB_MAX_NODES; n++) {
		uint64_t v = 0;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%u/meminfo", n);
		text = gb_read_text(path);
		/* Unreadable or unparsable: 0, as the parsers leave @v alone then. */
		if (text)
			gb_parse_meminfo_kb(text, "FilePages", &v);
		kb[n] = v;
		free(text);
	}
}

static void numa_open_collector(struct gb_collector *c)
{
	struct numa_state *st;

	if (!c->cfg->populate) {
		gb_collector_unavailable(c, "applies to --populate runs (no pages otherwise)");
		return;
	}
	if (numa_available() < 0) {
		gb_collector_unavailable(c, "the kernel has no NUMA support");
		return;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		gb_collector_unavailable(c, "out of memory");
		return;
	}
	st->nnodes = (unsigned int)numa_max_node() + 1;
	c->priv = st;
}

static void numa_snapshot(struct gb_collector *c, enum gb_phase phase)
{
	struct numa_state *st = c->priv;

	read_file_kb(st, st->file_kb[phase]);
}

static void numa_report_run(struct gb_collector *c, const struct gb_run_result *run, json_t *out)
{
	struct numa_state *st = c->priv;
	enum gb_phase to = c->cfg->workload->has_peak ? GB_PHASE_PEAK : GB_PHASE_END;
	long page_kb = sysconf(_SC_PAGESIZE) / 1024;
	json_t *nodes = json_array();
	unsigned int n;

	for (n = 0; n < st->nnodes && n < GB_MAX_NODES; n++) {
		json_t *node = json_pack("{s:i, s:I, s:I}", "node", n, "expected_pages",
					 (json_int_t)run->expected_pages[n], "filepages_delta_pages",
					 (json_int_t)(((int64_t)st->file_kb[to][n] -
						       (int64_t)st->file_kb[GB_PHASE_START][n]) / page_kb));

		if (gb_numa_check_mapped(c->cfg))
			json_object_set_new(node, "move_pages",
					    json_pack("{s:I, s:I}", "on_node",
						      (json_int_t)run->placed_on_node[n], "checked",
						      (json_int_t)run->placed_pages[n]));
		json_array_append_new(nodes, node);
	}
	json_object_set_new(out, "policy", json_string("MPOL_BIND to each worker's node"));
	json_object_set_new(out, "mbind_failed", json_boolean(run->mbind_failed));
	json_object_set_new(out, "nodes", nodes);
	if (!c->cfg->workload->has_peak)
		json_object_set_new(out, "note", json_string(
			"churn closes each file at once: FilePages deltas are near zero by design"));
}

static void numa_print(struct gb_collector *c, json_t *last, FILE *out)
{
	json_t *node, *mp;
	size_t i;

	(void)c;
	fprintf(out, "\nNUMA placement (%s):\n",
		json_string_value(json_object_get(last, "policy")));
	json_array_foreach(json_object_get(last, "nodes"), i, node) {
		long long expected = json_integer_value(json_object_get(node, "expected_pages"));

		fprintf(out, "  node %zu: expected %lld pages, FilePages grew by %lld", i, expected,
			(long long)json_integer_value(json_object_get(node, "filepages_delta_pages")));
		mp = json_object_get(node, "move_pages");
		if (mp)
			fprintf(out, "; placement honoured: %lld of %lld pages",
				(long long)json_integer_value(json_object_get(mp, "on_node")),
				(long long)json_integer_value(json_object_get(mp, "checked")));
		fputc('\n', out);
	}
	if (json_is_true(json_object_get(last, "mbind_failed")))
		fprintf(out, "  mbind() was refused for some files: the kernel ignores memory policy for them\n");
}

static void numa_close(struct gb_collector *c)
{
	struct numa_state *st = c->priv;

	free(st);
	c->priv = NULL;
}

const struct gb_collector_ops gb_collector_numa = {
	.name = "numa",
	.open = numa_open_collector,
	.snapshot = numa_snapshot,
	.report_run = numa_report_run,
	.print = numa_print,
	.close = numa_close,
};
