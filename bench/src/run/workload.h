/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A workload is what one worker thread does in one measured run.  The
 * runner does everything around it (threads, placement, warm-up, timing of
 * the whole run, signals); a workload only loops and records.
 */
#ifndef GB_WORKLOAD_H
#define GB_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

struct gb_worker;
struct gb_session;

/* What a workload's runs have, for the runner, collectors and reports to ask. */
enum gb_workload_caps {
	/*
	 * Every file is open at once at a peak: worker 0 calls
	 * gb_worker_peak(), the collectors take a PEAK snapshot, and what a
	 * file holds is measured from START to PEAK.  The creates and the
	 * closes are phases of their own, each timed and counted.
	 */
	GB_WORKLOAD_PEAK = 1 << 0,
};

struct gb_workload_ops {
	const char *name;
	const char *summary;
	/* enum gb_workload_caps */
	unsigned int caps;
	/*
	 * Optional: fill in this workload's defaults where the command line
	 * left them (before validation).
	 */
	void (*defaults)(struct gb_config *cfg);
	/* Optional: reject configurations that make no sense for it. */
	int (*validate)(const struct gb_config *cfg);
	/* Files thread @idx of @cfg->threads holds open at its peak. */
	uint64_t (*files_per_thread)(const struct gb_config *cfg, unsigned int idx);
	/* Population buckets thread @idx records create latency in (0: none). */
	unsigned int (*population_buckets)(const struct gb_config *cfg, unsigned int idx);
	void (*run)(struct gb_worker *w);
	/* The summary's table of runs, one line per run. */
	void (*print_runs)(FILE *out, const struct gb_session *s);
};

static inline bool gb_workload_has(const struct gb_workload_ops *wl, unsigned int cap)
{
	return wl->caps & cap;
}

const struct gb_workload_ops *gb_workload_find(const char *name);
const char *gb_workload_names(void);
/* Every workload, NULL-terminated, for --help. */
const struct gb_workload_ops *const *gb_workload_list(void);

#endif
