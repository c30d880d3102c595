/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A workload is what one worker thread does in one measured run.  The
 * runner does everything around it (threads, placement, warm-up, timing of
 * the whole run, signals); a workload only loops and records.
 */
#ifndef GB_WORKLOAD_H
#define GB_WORKLOAD_H

#include <stdint.h>

#include "config.h"

struct gb_worker;

struct gb_workload_ops {
	const char *name;
	const char *summary;
	/* Reject configurations that make no sense for this workload. */
	int (*validate)(const struct gb_config *cfg);
	/* Files thread @idx of @cfg->threads holds open at its peak. */
	uint64_t (*files_per_thread)(const struct gb_config *cfg,
				     unsigned int idx);
	/* Population buckets thread @idx records create latency in (0: none). */
	unsigned int (*population_buckets)(const struct gb_config *cfg,
					   unsigned int idx);
	void (*run)(struct gb_worker *w);
	/*
	 * Worker 0 calls gb_worker_peak() once per run, every file open: the
	 * run has a PEAK snapshot and create/close phases of its own.
	 */
	bool has_peak;
};

extern const struct gb_workload_ops gb_workload_churn;
extern const struct gb_workload_ops gb_workload_hold;

const struct gb_workload_ops *gb_workload_find(const char *name);
const char *gb_workload_names(void);

#endif
