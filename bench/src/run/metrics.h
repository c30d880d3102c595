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
	 * Times and rates: the mean of the boot's runs (harmonic for rates)
	 * by default, or its best run (lowest time, highest rate) with
	 * gmem-compare --per-boot best.  The best run leaves out
	 * interference that only adds (timer ticks, RCU callbacks, softirqs
	 * landing in a run), and it suited the two-vCPU icount guests whose
	 * runs sat on a few discrete levels.  In the one-vCPU icount guest
	 * the A/B now uses, runs vary continuously and the mean is the
	 * better estimator: over 24 boots of one kernel the boot-to-boot
	 * standard deviation of churn create+close was 0.055% with the mean
	 * against 0.106% with the best run (memfd 0.047% against 0.102%).
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
