/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The figures gmem-compare compares, and where each run's value of them
 * lives in a result JSON.
 */
#ifndef GB_METRICS_H
#define GB_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * How a boot's runs become the boot's one value, when boots are the unit
 * of replication (compare.c).
 */
enum gb_boot_reduce {
	/*
	 * Mean of the boot's runs: figures that are counts or sizes (slab
	 * bytes, allocations), near-constant in a boot, and percentiles.
	 */
	GB_REDUCE_MEAN,
	/*
	 * The boot's best run (lowest time, highest rate).  Costs per
	 * operation are the code path's cost plus interference that only adds
	 * (timer ticks, RCU callbacks, softirqs landing in a run).  Under
	 * instruction-counted TCG with two vCPUs the runs of one boot sat on a
	 * few discrete levels, the lowest stable to about 0.05% across boots
	 * where a boot's mean mixed levels at random (2-4% CV); with the one
	 * vCPU an icount guest now gets (README) they agree within 0.2%, and
	 * the best run still leaves out the odd run a host hiccup reached.
	 * A change that only moves the interference is seen in the
	 * percentiles, not here.
	 */
	GB_REDUCE_BEST,
};

struct gb_run_result;

/* Which runs' documents carry a metric's samples. */
enum gb_written {
	GB_WRITTEN_ALWAYS,
	GB_WRITTEN_PEAK, /* workloads with a peak (GB_WORKLOAD_PEAK): hold */
	GB_WRITTEN_BARE, /* --bare-check runs */
};

struct gb_metric {
	const char *key;   /* CSV/Markdown column value, e.g. "ops_per_sec" */
	const char *title; /* for tables, e.g. "creates+closes/s" */
	bool higher_is_better;
	bool rate;    /* summarised by the harmonic mean */
	bool cover;   /* one of the few figures of the cover letter */
	int decimals; /* for printing */
	enum gb_boot_reduce per_boot;
	const char *workload; /* only cases of this workload; NULL: all */
	/*
	 * Copy each run's value into @out and the index of its run in "runs"
	 * into @run (at most @max); returns how many.  0 when the case has no
	 * such figure (a collector that didn't run).  Callers ask
	 * gb_metric_applies() first.
	 */
	size_t (*extract)(const struct gb_metric *m, json_t *doc, double *out, size_t *run,
			  size_t max);
	const char *path; /* what extract() reads; see metrics.c */
	/*
	 * gmem-bench's side: a run's value, written as samples.KEY (when
	 * written says so), or NULL for a collector's figure.
	 */
	double (*of_run)(const struct gb_run_result *run);
	enum gb_written written;
	bool not_compared; /* written for the reader, not compared */
};

/* Whether @m means something for the case in @doc (its workload). */
bool gb_metric_applies(const struct gb_metric *m, json_t *doc);

extern const struct gb_metric gb_metrics[];
extern const size_t gb_nmetrics;

/* The metric whose key is @key, or NULL. */
const struct gb_metric *gb_metric_find(const char *key);

#endif
