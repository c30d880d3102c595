// SPDX-License-Identifier: GPL-2.0
/*
 * Histogram percentiles against exactly computed ones: the samples are
 * sorted and the nearest-rank percentile taken; the histogram's answer must
 * lie within its documented bound (never below the exact value, at most
 * 1/128 above it).  Bucket geometry is checked over the whole 64-bit range.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

#include "check.h"
#include "hist.h"
#include "util.h"

#define NSAMPLES 100000

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t exact_percentile(const uint64_t *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * (double)n);

	return sorted[(rank ? rank : 1) - 1];
}

static void check_distribution(const char *name, uint64_t *v, size_t n)
{
	static const double ps[] = { 1, 10, 50, 90, 99, 99.9, 99.99, 100 };
	struct gb_hist *h = malloc(sizeof(*h));
	long double sum = 0;
	size_t i;

	gb_hist_init(h);
	for (i = 0; i < n; i++) {
		gb_hist_record(h, v[i]);
		sum += v[i];
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	CHECK(h->count == n, "%s: count", name);
	CHECK(h->min == v[0] && h->max == v[n - 1], "%s: min/max", name);
	CHECK(fabs(gb_hist_mean(h) - (double)(sum / n)) < 1e-6 * (double)(sum / n) + 1e-9,
	      "%s: mean %f vs %Lf", name, gb_hist_mean(h), sum / n);
	for (i = 0; i < ARRAY_SIZE(ps); i++) {
		uint64_t exact = exact_percentile(v, n, ps[i]);
		uint64_t got = gb_hist_percentile(h, ps[i]);

		CHECK(got >= exact && got <= exact + exact / 128,
		      "%s p%g: histogram %llu, exact %llu", name, ps[i], (unsigned long long)got,
		      (unsigned long long)exact);
	}
	free(h);
}

static void check_known_values(void)
{
	struct gb_hist *h = malloc(sizeof(*h));
	uint64_t i;

	/* 1..100 are all below 128, so every percentile is exact. */
	gb_hist_init(h);
	for (i = 1; i <= 100; i++)
		gb_hist_record(h, i);
	CHECK(gb_hist_percentile(h, 50) == 50, "p50 of 1..100 is 50");
	CHECK(gb_hist_percentile(h, 99) == 99, "p99 of 1..100 is 99");
	CHECK(gb_hist_percentile(h, 99.9) == 100, "p99.9 of 1..100 is 100");
	CHECK(gb_hist_mean(h) == 50.5, "mean of 1..100");

	gb_hist_init(h);
	CHECK(gb_hist_percentile(h, 50) == 0, "empty histogram");
	gb_hist_record(h, UINT64_MAX);
	CHECK(gb_hist_percentile(h, 50) == UINT64_MAX, "largest value");
	free(h);
}

static void check_geometry(void)
{
	uint64_t lo, hi, prev_hi = 0;
	unsigned int idx, bad = 0;

	for (idx = 0; idx < GB_HIST_NBUCKETS; idx++) {
		gb_hist_bucket_bounds(idx, &lo, &hi);
		if (gb_hist_index(lo) != idx || gb_hist_index(hi) != idx ||
		    (idx && lo != prev_hi + 1) || (lo >= GB_HIST_SUB && (hi - lo) > lo / 128))
			bad++;
		prev_hi = hi;
	}
	CHECK(!bad, "%u buckets with wrong bounds", bad);
	CHECK(prev_hi == UINT64_MAX, "last bucket ends at UINT64_MAX");
}

static void check_merge(void)
{
	struct gb_hist *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	uint64_t i;

	gb_hist_init(a);
	gb_hist_init(b);
	for (i = 0; i < 1000; i++)
		gb_hist_record(i % 2 ? a : b, 1000 + i);
	gb_hist_merge(a, b);
	CHECK(a->count == 1000 && a->min == 1000 && a->max == 1999, "merge keeps count/min/max");
	CHECK(a->sum == 1000 * 1000 + 999 * 1000 / 2, "merge keeps the sum");
	free(a);
	free(b);
}

int main(void)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	uint64_t *v = malloc(NSAMPLES * sizeof(*v));
	size_t i;

	gsl_rng_set(rng, 42);
	for (i = 0; i < NSAMPLES; i++)
		v[i] = 1000 + gsl_rng_uniform_int(rng, 10000);
	check_distribution("uniform", v, NSAMPLES);
	/* Latency-like: lognormal around 2 us with a long tail. */
	for (i = 0; i < NSAMPLES; i++)
		v[i] = (uint64_t)gsl_ran_lognormal(rng, log(2000.0), 0.8);
	check_distribution("lognormal", v, NSAMPLES);
	for (i = 0; i < NSAMPLES; i++)
		v[i] = (uint64_t)(gsl_ran_pareto(rng, 1.2, 1000.0));
	check_distribution("pareto", v, NSAMPLES);
	for (i = 0; i < 7; i++)
		v[i] = 5;
	check_distribution("constant", v, 7);

	check_known_values();
	check_geometry();
	check_merge();
	free(v);
	gsl_rng_free(rng);
	return check_report();
}
