/* SPDX-License-Identifier: GPL-2.0 */
/* What the user asked for: filled by options.c, read-only afterwards. */
#ifndef GB_CONFIG_H
#define GB_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "opt_table.h"

struct gb_backend_ops;
struct gb_workload_ops;

enum gb_placement {
	GB_PLACE_SPREAD, /* thread i on node i % nnodes */
	GB_PLACE_FILL,	 /* fill every CPU of a node before the next one */
	GB_PLACE_SINGLE, /* all threads on the first node */
};

enum gb_vm_sharing {
	GB_VM_SHARED,	  /* one VM, all threads create files on it */
	GB_VM_PER_THREAD, /* each thread has its own VM */
};

enum gb_timing {
	GB_TIMING_SAMPLED, /* time every Nth operation, count all */
	GB_TIMING_EVERY,   /* time every operation */
	GB_TIMING_BATCH,   /* only whole-phase times, no latency histogram */
};

/* Each enum's names, indexed by value and NULL-terminated (config_names.c). */
extern const char *const gb_placement_names[];
extern const char *const gb_vm_sharing_names[];
extern const char *const gb_timing_names[];
/* Parsed and joined with gb_enum_parse() and gb_join_names() of opt_table.h. */

struct gb_config {
	const struct gb_workload_ops *workload;
	const struct gb_backend_ops *backend;

	unsigned int threads; /* workers: threads, or processes with procs */
	bool procs;
	const char *cpus;  /* --cpus list, NULL: every CPU we may run on */
	const char *nodes; /* --nodes list, NULL: every node with such CPUs */
	enum gb_placement placement;
	bool remote_close;
	bool remote_farthest; /* close on the farthest node by distance, not the next */

	enum gb_vm_sharing vm_sharing;
	unsigned long vm_type;
	const char *kvm_path;

	uint64_t file_size;
	uint64_t gmem_flags;
	uint64_t populate; /* bytes to fallocate() per file, 0: none */

	double duration_s;   /* churn: run for this long ... */
	uint64_t count;	     /* ... or this many ops per thread; hold: files */
	uint64_t bucket;     /* hold: files per population bucket */
	const char *at_peak; /* hold: shell command run with every file open */
	const char *collect; /* collectors to run: slab,perf,memcg,numa */
	uint64_t warmup;     /* create+close pairs per thread before each run */
	bool warmup_set;     /* -w given explicitly */
	unsigned int runs;

	enum gb_timing timing;
	unsigned int sample_every;
	bool bare_check;

	const char *json_path;
	const char *label;
	bool quiet;
};

/* The defaults, as documented in --help. */
void gb_config_defaults(struct gb_config *cfg);

#endif
