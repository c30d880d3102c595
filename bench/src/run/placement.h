/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where each worker thread runs: which CPU (and so which node) it creates
 * its files on, and where it closes them.  Built with libnuma from --cpus,
 * --nodes and --placement before any thread starts, so bad lists fail
 * before anything is measured.
 */
#ifndef GB_PLACEMENT_H
#define GB_PLACEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"

struct gb_place {
	int cpu;
	int node;
	int close_cpu;
	int close_node;
};

struct gb_placement_plan {
	unsigned int nthreads;
	struct gb_place *threads;
	unsigned int nnodes; /* nodes in use */
	int *nodes;
	unsigned int ncpus;  /* CPUs in use */
	bool numa;	     /* libnuma reports a NUMA-capable kernel */
	bool oversubscribed; /* more threads than CPUs */
};

int gb_placement_plan(const struct gb_config *cfg, struct gb_placement_plan *plan);
void gb_placement_free(struct gb_placement_plan *plan);

/*
 * Nodes of the machine (1 without NUMA), at most GB_MAX_NODES (slabinfo.h): the
 * columns of every per-node figure, so that a node with nothing shows 0.
 */
unsigned int gb_machine_nodes(void);
json_t *gb_placement_json(const struct gb_placement_plan *plan);

/*
 * Each node's FilePages (/sys/devices/system/node/nodeN/meminfo) in kB,
 * into kb[0 .. gb_machine_nodes()); 0 where unreadable.
 */
void gb_nodes_file_kb(uint64_t *kb);

/*
 * Another node than @node with memory, for a file policy that disagrees
 * with the task's: the next one (cyclically), or with @farthest the
 * farthest by the firmware's distances (ties: the lowest).  -1: none.
 */
int gb_other_node(int node, bool farthest);

/* Pin the calling thread to @cpu.  0 or an errno value. */
int gb_pin_to_cpu(int cpu);

#endif
