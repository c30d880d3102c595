// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-compare's statistics against values derived independently: by hand,
 * from printed tables, or by a separate numerical integration of the t
 * density (Python, 200000-step midpoint rule; quoted below).
 */
#include <math.h>

#include "check.h"
#include "stats.h"

#define NEAR(got, want, tol) (fabs((got) - (want)) <= (tol))

static void test_summary(void)
{
	/*
	 * 10..14: mean 12, variance (4+1+0+1+4)/4 = 2.5, sd 1.5811388,
	 * CV 0.1317616; t(0.975, 4) = 2.7764451 (table), half width
	 * 2.7764451 * 1.5811388 / sqrt(5) = 1.9632432.
	 */
	const double x[] = { 10, 11, 12, 13, 14 };
	struct gb_summary s;

	gb_summarise(x, 5, false, &s);
	CHECK(s.n == 5, "n %zu", s.n);
	CHECK(NEAR(s.mean, 12, 1e-12), "mean %g", s.mean);
	CHECK(NEAR(s.stddev, 1.5811388, 1e-6), "sd %g", s.stddev);
	CHECK(NEAR(s.cv, 0.1317616, 1e-6), "cv %g", s.cv);
	CHECK(NEAR(s.ci_lo, 12 - 1.9632432, 1e-6), "ci lo %g", s.ci_lo);
	CHECK(NEAR(s.ci_hi, 12 + 1.9632432, 1e-6), "ci hi %g", s.ci_hi);
	CHECK(s.min == 10 && s.max == 14, "min %g max %g", s.min, s.max);
	/* 5 / (0.1 + 0.0909091 + 0.0833333 + 0.0769231 + 0.0714286) = 11.831685. */
	CHECK(NEAR(s.hmean, 11.831685, 1e-5), "hmean %g", s.hmean);
}

static void test_rate_interval(void)
{
	/*
	 * Rates 1, 2, 4: hmean = 3 / (1 + 0.5 + 0.25) = 1.7142857.  The
	 * reciprocals 1, 0.5, 0.25 have mean 0.5833333 and sd 0.3818813;
	 * t(0.975, 2) = 4.3026527 (table), half width 0.9486458; so the
	 * interval of 1/x is [-0.365, 1.532], which goes through 0: the
	 * rate's upper end is unbounded and its lower end 1 / 1.5319791.
	 */
	const double x[] = { 1, 2, 4 };
	struct gb_summary s;

	gb_summarise(x, 3, true, &s);
	CHECK(NEAR(s.hmean, 1.7142857, 1e-6), "hmean %g", s.hmean);
	CHECK(NEAR(s.ci_lo, 1 / 1.5319791, 1e-6), "ci lo %g", s.ci_lo);
	CHECK(isinf(s.ci_hi), "ci hi %g", s.ci_hi);

	/* A zero rate has no harmonic mean. */
	const double z[] = { 0, 2 };

	gb_summarise(z, 2, true, &s);
	CHECK(isnan(s.hmean), "hmean of 0 and 2: %g", s.hmean);
}

static void test_welch(void)
{
	/*
	 * 10..14 vs 15..19: equal variances 2.5, se = sqrt(0.5 + 0.5) = 1,
	 * t = 5, Welch df = 1 / (0.25/4 + 0.25/4) = 8; two-sided p from the
	 * integrated t density: 0.0010528258.
	 */
	const double a[] = { 10, 11, 12, 13, 14 }, b[] = { 15, 16, 17, 18, 19 };
	/*
	 * Unequal sizes and variances: 1,2,3,4,10 vs 2,3,3,4: t = 0.6123724,
	 * df = 4.5243004, p = 0.5697464 (integrated).
	 */
	const double c[] = { 1, 2, 3, 4, 10 }, d[] = { 2, 3, 3, 4 };
	const double one[] = { 5 }, flat[] = { 3, 3, 3 }, flat2[] = { 4, 4, 4 };
	double p;

	p = gb_welch_p(a, 5, b, 5, false);
	CHECK(NEAR(p, 0.0010528258, 1e-8), "p %.10f", p);
	p = gb_welch_p(c, 5, d, 4, false);
	CHECK(NEAR(p, 0.5697464, 1e-6), "p %.8f", p);
	CHECK(isnan(gb_welch_p(one, 1, b, 5, false)), "one sample is no test");
	CHECK(gb_welch_p(flat, 3, flat, 3, false) == 1.0, "equal constants");
	CHECK(gb_welch_p(flat, 3, flat2, 3, false) == 0.0, "different constants");
	/* Rates are tested on 1/x: 1/a vs 1/b must not give a's p-value. */
	p = gb_welch_p(a, 5, b, 5, true);
	CHECK(p > 0 && p < 0.01 && !NEAR(p, 0.0010528258, 1e-6), "rate p %g", p);
}

static void test_mann_whitney(void)
{
	/*
	 * Complete separation, 5 vs 5: U = 0, one arrangement of C(10, 5) =
	 * 252 at each extreme, two-sided p = 2/252 = 0.0079365.
	 */
	const double a[] = { 10, 11, 12, 13, 14 }, b[] = { 15, 16, 17, 18, 19 };
	/*
	 * 1,3,5 vs 2,4,6: U(a > b) = 0 + 1 + 2 = 3.  The exact counts of U
	 * for 3 vs 3 (partitions of u into at most 3 parts of at most 3) are
	 * 1 1 2 3 3 3 3 2 1 1 over 20 arrangements: P(U <= 3) = 7/20, so
	 * p = 0.7.
	 */
	const double c[] = { 1, 3, 5 }, d[] = { 2, 4, 6 };
	/*
	 * Ties, 1,2,2,3 vs 2,3,4,5: U = 2.5, mean 8, tie groups of 3 and 2:
	 * sigma^2 = 16/12 * (9 - (24 + 6) / 56) = 11.285714, z = (5.5 - 0.5)
	 * / 3.3594217 = 1.4883514, p = 2 Q(z) = 0.1366582.
	 */
	const double e[] = { 1, 2, 2, 3 }, f[] = { 2, 3, 4, 5 };
	bool exact;
	double p;

	p = gb_mann_whitney_p(a, 5, b, 5, &exact);
	CHECK(exact && NEAR(p, 2.0 / 252, 1e-12), "p %g exact %d", p, exact);
	p = gb_mann_whitney_p(b, 5, a, 5, &exact);
	CHECK(exact && NEAR(p, 2.0 / 252, 1e-12), "reversed p %g", p);
	p = gb_mann_whitney_p(c, 3, d, 3, &exact);
	CHECK(exact && NEAR(p, 0.7, 1e-12), "p %g", p);
	p = gb_mann_whitney_p(e, 4, f, 4, &exact);
	CHECK(!exact && NEAR(p, 0.1366582, 1e-6), "ties p %g exact %d", p, exact);
	/* 3 runs a side can't reach 5%: 2 / C(6, 3) = 0.1. */
	CHECK(NEAR(gb_mann_whitney_min_p(3, 3), 0.1, 1e-12), "min p 3v3");
	CHECK(NEAR(gb_mann_whitney_min_p(5, 5), 2.0 / 252, 1e-12), "min p 5v5");
}

static void test_holm(void)
{
	/*
	 * Four tests (the NAN is none): sorted 0.005, 0.01, 0.03, 0.04 times
	 * 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04, made monotone: 0.02, 0.03,
	 * 0.06, 0.06.
	 */
	double p[] = { 0.01, 0.04, 0.03, NAN, 0.005 }, adj[5];

	gb_holm_adjust(p, 5, adj);
	CHECK(NEAR(adj[0], 0.03, 1e-12), "adj0 %g", adj[0]);
	CHECK(NEAR(adj[1], 0.06, 1e-12), "adj1 %g", adj[1]);
	CHECK(NEAR(adj[2], 0.06, 1e-12), "adj2 %g", adj[2]);
	CHECK(isnan(adj[3]), "adj3 %g", adj[3]);
	CHECK(NEAR(adj[4], 0.02, 1e-12), "adj4 %g", adj[4]);
	/* In place. */
	gb_holm_adjust(p, 5, p);
	CHECK(NEAR(p[4], 0.02, 1e-12) && NEAR(p[1], 0.06, 1e-12), "in place");
}

/*
 * Fieller's interval against reference/fieller_ref.py, which takes the t
 * quantile from a Simpson integration of the t density and finds the
 * ends by bisection on (mb - R ma)^2 = t^2 (vb + R^2 va), not from the
 * closed form ratio_ci.c uses.
 */
static void test_ratio_ci(void)
{
	const double a[] = { 10, 11, 12, 13, 14 }, b[] = { 15, 16, 17, 18, 19 };
	const double sa[] = { 1056, 1056.5, 1057 }, sb[] = { 784, 784.5, 785 };
	const double k1[] = { 7, 7, 7 }, k2[] = { 7.07, 7.07, 7.07 };
	const double z[] = { -1, 1, 0.5 }, y[] = { 3, 4, 5 };
	struct gb_ratio r;
	double t, lhs, rhs;

	CHECK(gb_ratio_ci(a, 5, b, 5, 0.95, &r) == GB_RATIO_BOUNDED, "kind");
	CHECK(NEAR(r.ratio, 1.4166667, 1e-6), "ratio %g", r.ratio);
	CHECK(NEAR(r.lo, 1.200177, 1e-5) && NEAR(r.hi, 1.6886352, 1e-5), "95%% [%g, %g]", r.lo,
	      r.hi);
	CHECK(NEAR(r.df, 7.19334, 1e-4), "df %g", r.df);
	/* 98.75%: the Bonferroni level over four comparisons. */
	gb_ratio_ci(a, 5, b, 5, 0.9875, &r);
	CHECK(NEAR(r.lo, 1.1235796, 1e-5) && NEAR(r.hi, 1.8215754, 1e-5), "98.75%% [%g, %g]", r.lo,
	      r.hi);
	/* The ends solve the defining equation (t = 3.306779 at df 7.19334). */
	t = 3.306779;
	lhs = pow(17 - r.hi * 12, 2);
	rhs = t * t * (0.5 + r.hi * r.hi * 0.5);
	CHECK(NEAR(lhs, rhs, 1e-4 * rhs), "upper end off the equation: %g vs %g", lhs, rhs);
	/* Three runs, little spread: tight and asymmetric. */
	gb_ratio_ci(sa, 3, sb, 3, 0.9875, &r);
	CHECK(NEAR(r.lo, 0.74099721, 1e-7) && NEAR(r.hi, 0.74409738, 1e-7), "slab [%.8g, %.8g]",
	      r.lo, r.hi);
	CHECK(NEAR(r.df, 3.69132, 1e-4), "slab df %g", r.df);
	/* No spread on either side: the ratio is exact, 1.01. */
	CHECK(gb_ratio_ci(k1, 3, k2, 3, 0.95, &r) == GB_RATIO_EXACT, "constant kind");
	CHECK(NEAR(r.lo, 1.01, 1e-12) && r.lo == r.hi, "constant [%g, %g]", r.lo, r.hi);
	/* A denominator whose mean is not clear of zero: no interval. */
	CHECK(gb_ratio_ci(z, 3, y, 3, 0.95, &r) == GB_RATIO_UNBOUNDED, "unbounded kind");
	CHECK(isnan(r.lo) && isnan(r.hi), "unbounded ends [%g, %g]", r.lo, r.hi);
	/* One value a side: a ratio but no interval. */
	CHECK(gb_ratio_ci(a, 1, b, 1, 0.95, &r) == GB_RATIO_NONE && NEAR(r.ratio, 1.5, 1e-12),
	      "single values");
}

int main(void)
{
	test_summary();
	test_rate_interval();
	test_welch();
	test_mann_whitney();
	test_holm();
	test_ratio_ci();
	return check_report();
}
