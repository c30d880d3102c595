// SPDX-License-Identifier: GPL-2.0
/*
 * Confidence interval of a ratio of two means: how much kernel B's figure
 * differs from kernel A's, from a few boots of each.
 *
 * Fieller's method (E. C. Fieller, "Some problems in interval estimation",
 * J. R. Stat. Soc. B 16 (1954) 175-185), for two independent samples with
 * unequal variances and the Welch-Satterthwaite degrees of freedom of
 * mean(b) - R * mean(a), as set out in U. von Luxburg and V. H. Franz, "A
 * geometric approach to confidence sets for ratios: Fieller's theorem,
 * generalizations, and bootstrap", Statistica Sinica 19 (2009), and in
 * V. H. Franz, "Ratios: a short guide to confidence limits and proper use"
 * (2007, arXiv:0710.2024).  Unlike the delta method, its interval is exact
 * for normal means and not symmetric around the ratio, which matters with
 * the three to five boots a kernel A/B can afford; unlike a bootstrap over
 * boots, it does not need more boots than that to resolve its tails.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

int gb_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level,
		struct gb_ratio *r)
{
	double ma, mb, va, vb, var, df, t, g, disc, denom;

	r->ratio = r->lo = r->hi = r->df = NAN;
	if (!na || !nb)
		return GB_RATIO_NONE;
	ma = gsl_stats_mean(a, 1, na);
	mb = gsl_stats_mean(b, 1, nb);
	if (ma == 0)
		return GB_RATIO_NONE;
	r->ratio = mb / ma;
	if (na < 2 || nb < 2)
		return GB_RATIO_NONE;
	/* The variances of the two means. */
	va = gsl_stats_variance_m(a, 1, na, ma) / (double)na;
	vb = gsl_stats_variance_m(b, 1, nb, mb) / (double)nb;
	var = vb + r->ratio * r->ratio * va;
	if (var == 0) {
		/* Every value the same on each side: the ratio is exact. */
		r->lo = r->hi = r->ratio;
		r->df = INFINITY;
		return GB_RATIO_EXACT;
	}
	df = var * var /
	     (vb * vb / (double)(nb - 1) + pow(r->ratio, 4) * va * va / (double)(na - 1));
	r->df = df;
	t = gsl_cdf_tdist_Qinv((1 - level) / 2, df);
	/*
	 * The set of R with (mb - R ma)^2 <= t^2 (vb + R^2 va) is an interval
	 * only when ma is itself significantly away from 0 (g < 1); otherwise
	 * it is unbounded and no ratio can be stated.
	 */
	g = t * t * va / (ma * ma);
	if (!(g < 1))
		return GB_RATIO_UNBOUNDED;
	disc = ma * ma * vb + mb * mb * va - t * t * va * vb;
	denom = ma * ma - t * t * va;
	r->lo = (ma * mb - t * sqrt(disc)) / denom;
	r->hi = (ma * mb + t * sqrt(disc)) / denom;
	return GB_RATIO_BOUNDED;
}
