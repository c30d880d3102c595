// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA placement collector, for --populate runs: each worker binds its
 * task policy to its own node, and this checks where the pages landed.
 *
 * Two views.  The per-node FilePages delta of /sys/devices/system/node says
 * where the files' pages went in all.  And where the file can be mapped
 * (memfd, or guest_memfd created with GUEST_MEMFD_FLAG_MMAP), each worker
 * maps it and mbind()s it to another node than its own (the next with
 * memory), so that a kernel ignoring the file's policy puts the pages on
 * the task's node and is seen; it faults in half the pages, unmaps the
 * file and maps it again without a new mbind(), faults in the other half,
 * punches the first quarter and faults it in again, and asks move_pages()
 * where every page is: "placement honoured: X of Y pages".  A kernel that
 * ignores the policy for guest_memfd is a finding, reported as such, not
 * an error.  gmem-bench placement-check has the whole set of checks.
 */
#include <fcntl.h>
#include <numa.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "collector.h"
#include "placement.h"
#include "session.h"
#include "slabinfo.h"
#include "worker.h"
#include "workload.h"

#define POLICY \
	"task MPOL_BIND to each worker's node, file MPOL_BIND to the next node, kept over re-mmap and a hole punch"

struct numa_state {
	unsigned int nnodes;
	bool mapped; /* files are mapped, bound and checked page by page */
	/* The node each node's workers bind their files to: the next with memory. */
	int file_node[GB_MAX_NODES];
	uint64_t file_kb[GB_NR_PHASES][GB_MAX_NODES];
	/* The last run's figures, per node of the workers. */
	uint64_t expected_pages[GB_MAX_NODES];
	uint64_t placed_pages[GB_MAX_NODES];
	uint64_t placed_on_node[GB_MAX_NODES];
	int64_t filepages_delta[GB_MAX_NODES];
	bool mbind_failed;
};

/* One worker's page checks, in its area. */
struct numa_area {
	uint64_t placed_pages;	 /* pages checked */
	uint64_t placed_on_node; /* ... and those on the node of the file's policy */
	bool mbind_failed;
};

/* Each worker's memory policy: bound to its own node. */
static int numa_worker_setup(struct gb_collector *c, struct gb_worker *w, void *area)
{
	struct bitmask *mask;

	(void)c;
	(void)area;
	mask = numa_allocate_nodemask();
	numa_bitmask_setbit(mask, (unsigned int)w->place.node);
	numa_set_membind(mask);
	numa_free_nodemask(mask);
	return 0;
}

static void touch_pages(char *addr, size_t page, size_t first, size_t end)
{
	size_t i;

	for (i = first; i < end; i++)
		addr[i * page] = 1;
}

/*
 * Mappable files get their pages by touch, under the file's policy, over
 * a re-mmap and a hole punch, and are checked.
 */
static int numa_worker_populate(struct gb_collector *c, struct gb_worker *w, void *area, int fd)
{
	const struct numa_state *st = c->priv;
	struct numa_area *a = area;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (size_t)w->cfg->populate, npages = len / page, i;
	int node = st->file_node[w->place.node];
	unsigned long nodemask = 1UL << node;
	void **pages;
	int *status;
	char *addr;
	int ret = -1;

	if (!st->mapped)
		return 0;
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED)
		return -1;
	pages = calloc(npages, sizeof(*pages));
	status = calloc(npages, sizeof(*status));
	if (!pages || !status)
		goto out;
	if (node < (int)(8 * sizeof(nodemask)) &&
	    mbind(addr, len, MPOL_BIND, &nodemask, 8 * sizeof(nodemask), 0))
		a->mbind_failed = true;
	touch_pages(addr, page, 0, npages / 2);
	/* The policy is the file's: mapped again, it is still there. */
	munmap(addr, len);
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED)
		goto out;
	/*
	 * The first half is mapped again (move_pages() sees only mapped
	 * pages), the second half made.
	 */
	touch_pages(addr, page, 0, npages);
	/* And pages made again after a hole punch follow it too. */
	if (npages >= 4) {
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			      (off_t)(npages / 4 * page)))
			goto out;
		touch_pages(addr, page, 0, npages / 4);
	}
	for (i = 0; i < npages; i++)
		pages[i] = addr + i * page;
	if (move_pages(0, npages, pages, NULL, status, 0))
		goto out;
	for (i = 0; i < npages; i++) {
		a->placed_pages++;
		if (status[i] == node)
			a->placed_on_node++;
	}
	ret = 1;
out:
	free(pages);
	free(status);
	if (addr != MAP_FAILED)
		munmap(addr, len);
	return ret;
}

static void numa_open_collector(struct gb_collector *c)
{
	struct numa_state *st;
	unsigned int n;

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
	st->nnodes = gb_machine_nodes();
	st->mapped = gb_backend_has(c->cfg->backend, GB_BACKEND_MMAP, c->cfg);
	/* One node: the file's and the task's policy cannot disagree. */
	for (n = 0; n < st->nnodes; n++) {
		int other = gb_other_node((int)n, false);

		st->file_node[n] = other < 0 ? (int)n : other;
	}
	c->priv = st;
}

static void numa_snapshot(struct gb_collector *c, enum gb_phase phase)
{
	struct numa_state *st = c->priv;

	gb_nodes_file_kb(st->file_kb[phase]);
}

/* The run's files are all open at the peak (hold), or closed at once (churn). */
static bool peak_run(const struct gb_collector *c)
{
	return gb_workload_has(c->cfg->workload, GB_WORKLOAD_PEAK);
}

/* The workers' areas and the snapshots, into the last run's figures. */
static void fold(struct gb_collector *c, const struct gb_run_result *run)
{
	struct numa_state *st = c->priv;
	enum gb_phase to = peak_run(c) ? GB_PHASE_PEAK : GB_PHASE_END;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t pages_per_file = (c->cfg->populate + (uint64_t)page - 1) / (uint64_t)page;
	unsigned int i, n;

	memset(st->expected_pages, 0, sizeof(st->expected_pages));
	memset(st->placed_pages, 0, sizeof(st->placed_pages));
	memset(st->placed_on_node, 0, sizeof(st->placed_on_node));
	st->mbind_failed = false;
	for (i = 0; i < c->nareas && i < run->nthreads; i++) {
		const struct numa_area *a = gb_collector_area(c, i);
		int node = run->threads[i].place.node;

		if (node < 0 || node >= GB_MAX_NODES)
			continue;
		/* Mapped files follow their own policy, the others the task's. */
		st->expected_pages[st->mapped ? st->file_node[node] : node] +=
			run->threads[i].created * pages_per_file;
		st->placed_pages[node] += a->placed_pages;
		st->placed_on_node[node] += a->placed_on_node;
		st->mbind_failed |= a->mbind_failed;
	}
	for (n = 0; n < st->nnodes && n < GB_MAX_NODES; n++)
		st->filepages_delta[n] =
			((int64_t)st->file_kb[to][n] - (int64_t)st->file_kb[GB_PHASE_START][n]) /
			(page / 1024);
}

static void numa_report_run(struct gb_collector *c, const struct gb_run_result *run, json_t *out)
{
	struct numa_state *st = c->priv;
	json_t *nodes = json_array();
	unsigned int n;

	fold(c, run);
	for (n = 0; n < st->nnodes && n < GB_MAX_NODES; n++) {
		json_t *node = json_pack("{s:i, s:I, s:I}", "node", n, "expected_pages",
					 (json_int_t)st->expected_pages[n], "filepages_delta_pages",
					 (json_int_t)st->filepages_delta[n]);

		if (st->mapped)
			json_object_set_new(node, "move_pages",
					    json_pack("{s:i, s:I, s:I}", "files_bound_to",
						      st->file_node[n], "on_node",
						      (json_int_t)st->placed_on_node[n], "checked",
						      (json_int_t)st->placed_pages[n]));
		json_array_append_new(nodes, node);
	}
	json_object_set_new(out, "policy", json_string(POLICY));
	json_object_set_new(out, "mbind_failed", json_boolean(st->mbind_failed));
	json_object_set_new(out, "nodes", nodes);
	if (!peak_run(c))
		json_object_set_new(
			out, "note",
			json_string(
				"churn closes each file at once: FilePages deltas are near zero by design"));
}

static void numa_print(struct gb_collector *c, FILE *out)
{
	const struct numa_state *st = c->priv;
	unsigned int n;

	fprintf(out, "\nNUMA placement (%s):\n", POLICY);
	for (n = 0; n < st->nnodes && n < GB_MAX_NODES; n++) {
		fprintf(out, "  node %u: expected %llu pages, FilePages grew by %lld", n,
			(unsigned long long)st->expected_pages[n],
			(long long)st->filepages_delta[n]);
		if (st->mapped)
			fprintf(out,
				"; its workers' files, bound to node %d: placement honoured: %llu of %llu pages",
				st->file_node[n], (unsigned long long)st->placed_on_node[n],
				(unsigned long long)st->placed_pages[n]);
		fputc('\n', out);
	}
	if (st->mbind_failed)
		fprintf(out,
			"  mbind() was refused for some files: the kernel ignores memory policy for them\n");
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
	.worker_area = sizeof(struct numa_area),
	.worker_setup = numa_worker_setup,
	.worker_populate = numa_worker_populate,
};
