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
#include "util.h"

/* What a change's confidence interval says, against the threshold of relevance. */
enum gb_verdict {
	GB_VERDICT_NONE,	 /* the baseline, or nothing to compare */
	GB_VERDICT_CHANGED,	 /* the whole interval is beyond the threshold */
	GB_VERDICT_EQUAL,	 /* the whole interval is within it */
	GB_VERDICT_INCONCLUSIVE, /* it straddles the threshold (or is unbounded) */
};

struct gb_cell {
	/*
	 * The units compared: one value per boot when the set's runs come
	 * from two boots or more (the boot's best run or mean, per
	 * metric->per_boot), else one per run.  0: no such figure here.
	 */
	size_t n;
	double *x;
	size_t nruns; /* the runs behind them */
	bool by_boot;
	struct gb_summary sum;
	double centre; /* harmonic mean for rates, else the mean */
	double change; /* % vs baseline, positive = better (mmtests' way) */
	/*
	 * The change's confidence interval (Fieller's, ratio_ci.c) at @level;
	 * equal ends when both sides have no spread (an exact difference),
	 * NAN when there is none (fewer than 2 units a side, or unbounded).
	 */
	double change_lo, change_hi, level;
	enum gb_verdict verdict;
	double p_welch;	    /* raw two-sided p on the units; NAN for the baseline or n < 2 */
	double p_welch_adj; /* after Holm's correction over every test */
	double p_mwu;
	bool mwu_exact;
	bool control_moved; /* a control's cell whose change says the machine moved */
	bool significant; /* a primary figure whose change is beyond the threshold */
};

struct gb_row {
	const char *case_name;
	const struct gb_metric *metric;
	struct gb_cell *cells; /* one per set */
	bool high_cv;	       /* some set's CV is above max_cv */
	bool primary;	       /* declared primary (or no figure declared: all are) */
	bool control;	       /* of a negative-control case */
};

struct gb_compare_opts {
	double alpha;  /* significance level, 0.05 */
	double max_cv; /* fraction above which a row is flagged, 0.05 */
	bool correct;  /* Bonferroni over the primary figures' intervals (default) */
	/*
	 * Changes smaller than this fraction (0.01) are of no practical
	 * relevance: a change is marked only when its whole interval lies
	 * beyond it, and called equal when its whole interval lies within.
	 */
	double threshold;
	/*
	 * --per-boot: how a boot's runs become its value for times and rates
	 * (metrics whose per_boot is GB_REDUCE_BEST): their mean (the
	 * default) or the best run.  Counts, sizes and percentiles always
	 * take the mean.
	 */
	enum gb_boot_reduce times_per_boot;
	/* --calibration: the file of the latest scripts/calibrate.sh (NULL: none). */
	const char *calibration;
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
	size_t min_runs, max_runs;		/* units (boots or runs) over every compared cell */
	bool by_boot;				/* every compared cell's units are boots */
	size_t nprimary;			/* primary comparisons (rows x other sets) */
	bool roles_declared;			/* the baseline has roles.txt with a primary */
	double primary_level;			/* the primaries' confidence level, Bonferroni */
	size_t nchanged, nequal, ninconclusive; /* primary verdicts */
	double primary_bound;			/* the largest |end| of a primary interval, % */
	const char *control_case;		/* the first declared control compared, or NULL */
	bool control_moved;
	/* From --calibration, when it is for this machine and accelerator. */
	double mde_pct; /* NAN: none */
	char *mde_note; /* where the MDE comes from, or why there is none */
	char **warnings;
	size_t nwarnings;
};

/* A warning for every format (and stderr). */
__printf(2, 3) void gb_compare_warn(struct gb_comparison *cmp, const char *fmt, ...);

/*
 * Read opts.calibration into mde_pct and mde_note; a calibration of
 * another machine or accelerator is not used, and mde_note says so.
 */
int gb_compare_load_calibration(struct gb_comparison *cmp);

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

/* What the marks mean, for the footers of every format. */
void gb_compare_legend(FILE *f, const struct gb_comparison *cmp, const char *prefix);

/*
 * A change and its interval, "-1.80% [-2.60, -1.00]" ("[exact]" without
 * spread, "[no interval]" with a single unit), at most GB_CHANGE_TEXT_MAX.
 */
#define GB_CHANGE_TEXT_MAX 48
void gb_format_change(char *buf, size_t size, const struct gb_cell *c);

/* '*' a primary figure changed, '=' a primary figure equal, else ' '. */
char gb_verdict_mark(const struct gb_row *row, const struct gb_cell *c);

/*
 * The figure a control case is judged on and shown by: its time per
 * operation, or its first figure if it has none (NULL: no such case).
 */
const struct gb_metric *gb_control_metric(const struct gb_comparison *cmp, const char *case_name);

/* "changed", "equal", "inconclusive" or "" for the baseline. */
const char *gb_verdict_name(enum gb_verdict v);

/*
 * The sentence a reviewer needs about the primary figures, e.g. "no
 * primary figure changed beyond 1%; the intervals exclude changes larger
 * than 0.8%." (caller frees; NULL on ENOMEM).
 */
char *gb_compare_conclusion(const struct gb_comparison *cmp);

#endif
