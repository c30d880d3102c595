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

struct gb_metric {
	const char *key;   /* CSV/Markdown column value, e.g. "ops_per_sec" */
	const char *title; /* for tables, e.g. "creates+closes/s" */
	bool higher_is_better;
	bool rate;	  /* summarised by the harmonic mean */
	bool cover;	  /* one of the few figures of the cover letter */
	int decimals;	  /* for printing */
	const char *workload; /* only cases of this workload; NULL: all */
	/*
	 * Copy each run's value into @out (at most @max); returns how many.
	 * 0 when the case has no such figure (a collector that didn't run).
	 * Callers ask gb_metric_applies() first.
	 */
	size_t (*extract)(const struct gb_metric *m, json_t *doc, double *out, size_t max);
	const char *path; /* what extract() reads; see metrics.c */
};

/* Whether @m means something for the case in @doc (its workload). */
bool gb_metric_applies(const struct gb_metric *m, json_t *doc);

extern const struct gb_metric gb_metrics[];
extern const size_t gb_nmetrics;

#endif
