// SPDX-License-Identifier: GPL-2.0
/*
 * Summaries and significance tests for gmem-compare.  Means, deviations and
 * sorting come from GSL's statistics and sort modules, the t and normal
 * distributions from gsl_cdf; only the exact Mann-Whitney distribution is
 * counted here, because GSL has none.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

double gb_median(double *x, size_t n)
{
	if (!n)
		return 0.0;
	gsl_sort(x, 1, n);
	return gsl_stats_median_from_sorted_data(x, 1, n);
}

double *gb_reciprocals(const double *x, size_t n)
{
	double *r = malloc((n ? n : 1) * sizeof(*r));

	for (size_t i = 0; r && i < n; i++) {
		if (!(x[i] > 0)) {
			free(r);
			return NULL;
		}
		r[i] = 1.0 / x[i];
	}
	return r;
}

static double t_quantile_975(size_t n)
{
	return gsl_cdf_tdist_Pinv(0.975, (double)(n - 1));
}

void gb_summarise(const double *x, size_t n, bool rate, struct gb_summary *s)
{
	double *r = gb_reciprocals(x, n);

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->mean = s->hmean = s->stddev = s->cv = NAN;
	s->min = s->max = s->ci_lo = s->ci_hi = NAN;
	if (!n) {
		free(r);
		return;
	}
	s->mean = gsl_stats_mean(x, 1, n);
	gsl_stats_minmax(&s->min, &s->max, x, 1, n);
	if (r)
		s->hmean = 1.0 / gsl_stats_mean(r, 1, n);
	if (n >= 2) {
		double half;

		s->stddev = gsl_stats_sd_m(x, 1, n, s->mean);
		s->cv = s->mean != 0 ? s->stddev / fabs(s->mean) : NAN;
		if (rate && r) {
			double rm = gsl_stats_mean(r, 1, n);

			half = t_quantile_975(n) * gsl_stats_sd_m(r, 1, n, rm) / sqrt((double)n);
			/* Inverting swaps the ends; an interval through 0 is unbounded. */
			s->ci_lo = 1.0 / (rm + half);
			s->ci_hi = rm - half > 0 ? 1.0 / (rm - half) : INFINITY;
		} else {
			half = t_quantile_975(n) * s->stddev / sqrt((double)n);
			s->ci_lo = s->mean - half;
			s->ci_hi = s->mean + half;
		}
	}
	free(r);
}

double gb_welch_p(const double *a, size_t na, const double *b, size_t nb, bool rate)
{
	double *ra = NULL, *rb = NULL;
	double ma, mb, va, vb, se2, t, df, p;

	if (na < 2 || nb < 2)
		return NAN;
	if (rate) {
		ra = gb_reciprocals(a, na);
		rb = gb_reciprocals(b, nb);
		if (!ra || !rb) {
			free(ra);
			free(rb);
			return NAN;
		}
		a = ra;
		b = rb;
	}
	ma = gsl_stats_mean(a, 1, na);
	mb = gsl_stats_mean(b, 1, nb);
	va = gsl_stats_variance_m(a, 1, na, ma) / na;
	vb = gsl_stats_variance_m(b, 1, nb, mb) / nb;
	free(ra);
	free(rb);
	se2 = va + vb;
	/* No spread on either side: the samples differ or they don't. */
	if (se2 == 0)
		return ma == mb ? 1.0 : 0.0;
	t = fabs(ma - mb) / sqrt(se2);
	/* Welch-Satterthwaite degrees of freedom. */
	df = se2 * se2 / (va * va / (na - 1) + vb * vb / (nb - 1));
	/* Samples so large or small that the arithmetic overflowed: no test. */
	if (!isfinite(t) || !isfinite(df) || df <= 0)
		return NAN;
	p = 2.0 * gsl_cdf_tdist_Q(t, df);
	return isnan(p) ? NAN : p > 1.0 ? 1.0 : p;
}

/*
 * Exact null distribution of U = #{(i, j): a_i > b_j} for @na and @nb
 * samples, as counts of arrangements: f(i, j, u) = f(i - 1, j, u - j) +
 * f(i, j - 1, u), by whether the largest of the i + j values is an a (it
 * then beats all j b's) or a b.  Returns an array of na * nb + 1 counts.
 */
static double *mwu_counts(size_t na, size_t nb)
{
	size_t umax = na * nb, width = umax + 1;
	double *prev = calloc((nb + 1) * width, sizeof(double));
	double *cur = calloc((nb + 1) * width, sizeof(double));
	double *out = NULL;

	if (!prev || !cur)
		goto out;
	for (size_t j = 0; j <= nb; j++)
		prev[j * width] = 1; /* no a's: U = 0, one arrangement */
	for (size_t i = 1; i <= na; i++) {
		memset(cur, 0, (nb + 1) * width * sizeof(double));
		cur[0] = 1; /* no b's: U = 0 */
		for (size_t j = 1; j <= nb; j++)
			for (size_t u = 0; u <= i * j; u++)
				cur[j * width + u] = (u >= j ? prev[j * width + u - j] : 0) +
						     cur[(j - 1) * width + u];
		memcpy(prev, cur, (nb + 1) * width * sizeof(double));
	}
	out = malloc(width * sizeof(double));
	if (out)
		memcpy(out, prev + nb * width, width * sizeof(double));
out:
	free(prev);
	free(cur);
	return out;
}

double gb_mann_whitney_min_p(size_t na, size_t nb)
{
	if (!na || !nb)
		return NAN;
	/* In logs: C(na + nb, na) overflows a double from about 515 runs a side. */
	return fmin(1.0, 2.0 * exp(-gsl_sf_lnchoose((unsigned int)(na + nb), (unsigned int)na)));
}

static double mwu_exact_p(double u, size_t na, size_t nb)
{
	double *f = mwu_counts(na, nb);
	double below = 0, above = 0, total = 0;

	if (!f)
		return NAN;
	for (size_t k = 0; k <= na * nb; k++) {
		total += f[k];
		if (k <= u)
			below += f[k];
		if (k >= u)
			above += f[k];
	}
	free(f);
	return fmin(1.0, 2.0 * fmin(below, above) / total);
}

double gb_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb, bool *exact)
{
	size_t n = na + nb, *idx;
	double *all, u = 0, ties = 0, mu, sigma, z;
	bool tied = false;

	*exact = false;
	if (!na || !nb)
		return NAN;
	all = malloc(n * sizeof(*all));
	idx = malloc(n * sizeof(*idx));
	if (!all || !idx) {
		free(all);
		free(idx);
		return NAN;
	}
	memcpy(all, a, na * sizeof(*a));
	memcpy(all + na, b, nb * sizeof(*b));
	gsl_sort_index(idx, all, 1, n);
	/* Midranks; U from the a's rank sum.  Tie groups feed the correction. */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double rank;

		while (j + 1 < n && all[idx[j + 1]] == all[idx[i]])
			j++;
		rank = (i + j) / 2.0 + 1.0;
		if (j > i) {
			double t = (double)(j - i + 1);

			tied = true;
			ties += t * t * t - t;
		}
		for (size_t k = i; k <= j; k++)
			if (idx[k] < na)
				u += rank;
		i = j + 1;
	}
	free(all);
	free(idx);
	u -= na * (na + 1) / 2.0;

	if (!tied && na <= GB_MWU_EXACT_MAX && nb <= GB_MWU_EXACT_MAX) {
		*exact = true;
		return mwu_exact_p(u, na, nb);
	}
	mu = na * nb / 2.0;
	sigma = sqrt(na * nb / 12.0 * ((n + 1) - ties / ((double)n * (n - 1))));
	if (sigma == 0)
		return 1.0;
	z = (fabs(u - mu) - 0.5) / sigma;
	if (z < 0)
		z = 0;
	return fmin(1.0, 2.0 * gsl_cdf_ugaussian_Q(z));
}

static int by_p(const void *x, const void *y, void *keys)
{
	const double *p = keys;
	double a = p[*(const size_t *)x], b = p[*(const size_t *)y];

	return (a > b) - (a < b);
}

void gb_holm_adjust(const double *p, size_t n, double *adj)
{
	size_t *order = malloc(n * sizeof(*order)), m = 0;
	double running = 0;

	if (!order) {
		for (size_t i = 0; i < n; i++)
			adj[i] = isnan(p[i]) ? NAN : 1.0; /* no memory: claim nothing */
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i]))
			adj[i] = NAN;
		else
			order[m++] = i;
	}
	qsort_r(order, m, sizeof(*order), by_p, (void *)p);
	/*
	 * adj_(k) = max over j <= k of min(1, (m - j) p_(j)), zero-based.
	 * Each p is read before its own slot is written, so adj may be p.
	 */
	for (size_t k = 0; k < m; k++) {
		running = fmax(running, fmin(1.0, (m - k) * p[order[k]]));
		adj[order[k]] = running;
	}
	free(order);
}
