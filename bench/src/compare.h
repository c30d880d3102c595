/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmem-compare's model: result sets (one per kernel, the first is the
 * baseline), matched by case name, and per case and metric each set's
 * summary and its test against the baseline.
 */
#ifndef GB_COMPARE_H
#define GB_COMPARE_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "metrics.h"
#include "resultset.h"
#include "stats.h"

struct gb_cell {
	size_t n; /* 0: this set has no such figure for the case */
	double *x;
	struct gb_summary sum;
	double centre;	    /* harmonic mean for rates, else the mean */
	double change;	    /* % vs baseline, positive = better (mmtests' way) */
	double p_welch;	    /* raw two-sided p; NAN for the baseline or n < 2 */
	double p_welch_adj; /* after Holm's correction over every test */
	double p_mwu;
	bool mwu_exact;
	bool significant;
};

struct gb_row {
	const char *case_name;
	const struct gb_metric *metric;
	struct gb_cell *cells; /* one per set */
	bool high_cv;	       /* some set's CV is above max_cv */
};

struct gb_compare_opts {
	double alpha;  /* significance level, 0.05 */
	double max_cv; /* fraction above which a row is flagged, 0.05 */
	bool correct;  /* Holm-Bonferroni over all tests (default) */
	/*
	 * Comma-separated shell patterns of the cases to show (NULL: all).
	 * Only what is shown is filtered: every matched case is still tested
	 * and counts in the correction, so that picking cases after seeing
	 * the results cannot make a difference look more significant.
	 */
	const char *cases;
};

struct gb_comparison {
	struct gb_compare_opts opts;
	size_t nsets;
	struct gb_result_set *sets;
	size_t nrows;
	struct gb_row *rows;
	size_t ntests, nsignificant, nhigh_cv;
	size_t min_runs, max_runs; /* over every compared cell */
	char **warnings;
	size_t nwarnings;
};

/* Match @sets' cases and compute everything; @sets stays owned by the caller. */
int gb_compare_build(struct gb_comparison *cmp, struct gb_result_set *sets, size_t nsets,
		     const struct gb_compare_opts *opts);
void gb_compare_free(struct gb_comparison *cmp);

/* The set's value of a case's parameter, e.g. "threads" (-1 if absent). */
long long gb_case_param_int(const struct gb_result_set *set, const char *case_name,
			    const char *key);

/* One output format. */
struct gb_compare_output {
	const char *name;
	int (*write)(FILE *f, const struct gb_comparison *cmp);
};

extern const struct gb_compare_output gb_compare_table;
extern const struct gb_compare_output gb_compare_csv;
extern const struct gb_compare_output gb_compare_markdown;
extern const struct gb_compare_output gb_compare_cover_letter;

/*
 * Data files for the gnuplot scripts (scripts/plots), written into @dir: throughput against
 * threads of every churn series, latency percentiles of @latency_case and
 * slab figures of @slab_case (NULL: the first case that has them).
 */
int gb_compare_write_plot_data(const struct gb_comparison *cmp, const char *dir,
			       const char *latency_case, const char *slab_case);

/* Kernels one plot can show (eight line colours in scripts/plots/common.gp). */
#define GB_PLOT_MAX_SETS 8

/*
 * Write @s with every control character and '"' replaced by '?', so that a
 * label from someone's result file stays one line and one string.
 */
void gb_put_plot_label(FILE *f, const char *s);

/* Whether @c has a change against the baseline to print. */
static inline bool gb_cell_compared(const struct gb_cell *c)
{
	return c->n && !isnan(c->change);
}

#endif

/* What the significance mark means, for the footers of every format. */
void gb_compare_legend(FILE *f, const struct gb_comparison *cmp, const char *prefix);
