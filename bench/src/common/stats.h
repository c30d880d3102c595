/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics for comparing kernels: summaries of a metric's per-run
 * samples and the two tests gmem-compare reports (Welch's t-test and the
 * Mann-Whitney U test).  Distributions come from GSL.
 */
#ifndef GB_STATS_H
#define GB_STATS_H

#include <stdbool.h>
#include <stddef.h>

struct gb_summary {
	size_t n;
	double mean;   /* arithmetic mean */
	double hmean;  /* harmonic mean; NAN unless every sample is > 0 */
	double stddev; /* sample standard deviation (n - 1) */
	double cv;     /* stddev / mean, as a fraction */
	double min, max;
	/*
	 * 95% confidence interval of the mean (Student's t, n - 1 degrees of
	 * freedom).  For rates it is the interval of the harmonic mean: the
	 * interval of the mean of 1/x, inverted, because a rate's mean is
	 * the rate of the mean time per operation.  NAN when n < 2.
	 */
	double ci_lo, ci_hi;
};

/* The median of @n samples, sorting them in place; 0 for none. */
double gb_median(double *x, size_t n);

/* 1/x of every sample (caller frees); NULL when one is not positive or on ENOMEM. */
double *gb_reciprocals(const double *x, size_t n);

/* Summarise @n samples; @rate selects the harmonic-mean interval. */
void gb_summarise(const double *x, size_t n, bool rate, struct gb_summary *s);

/*
 * Two-sided p-value of Welch's unequal-variance t-test of a against b.
 * For rates the test runs on 1/x (time per operation), matching the
 * harmonic mean.  NAN when either side has fewer than 2 samples.
 */
double gb_welch_p(const double *a, size_t na, const double *b, size_t nb, bool rate);

/*
 * Two-sided p-value of the Mann-Whitney U test.  Exact (the distribution of
 * U counted over every arrangement) when there are no ties and both sides
 * have at most GB_MWU_EXACT_MAX samples; otherwise the normal approximation
 * with tie and continuity corrections.  *@exact says which.  With 3 runs a
 * side the smallest exact p is 0.1: the test cannot reach 5% there.
 */
#define GB_MWU_EXACT_MAX 50
double gb_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb, bool *exact);

/* The smallest two-sided p-value an exact Mann-Whitney test can give. */
double gb_mann_whitney_min_p(size_t na, size_t nb);

/*
 * Holm-Bonferroni adjustment of @n p-values (NAN ones are not tests: left
 * NAN and not counted).  adj[i] may alias p[i].
 */
void gb_holm_adjust(const double *p, size_t n, double *adj);

/* The ratio mean(b) / mean(a) and its confidence interval. */
struct gb_ratio {
	double ratio;
	double lo, hi; /* NAN unless bounded or exact */
	double df;     /* Welch-Satterthwaite degrees of freedom */
};

enum gb_ratio_kind {
	GB_RATIO_NONE,	    /* fewer than 2 values a side (or mean(a) = 0) */
	GB_RATIO_BOUNDED,   /* the usual case */
	GB_RATIO_EXACT,	    /* no spread on either side: lo = hi = ratio */
	GB_RATIO_UNBOUNDED, /* mean(a) not clear of 0 at this level */
};

/*
 * Fieller's interval at confidence @level (e.g. 0.95) for the ratio of the
 * means of two independent samples with unequal variances (ratio_ci.c says
 * where the method comes from).  Returns an enum gb_ratio_kind.
 */
int gb_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level,
		struct gb_ratio *r);

#endif
