// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include "hist.h"

void gb_hist_init(struct gb_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void gb_hist_merge(struct gb_hist *dst, const struct gb_hist *src)
{
	unsigned int i;

	if (!src->count)
		return;
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	for (i = 0; i < GB_HIST_NBUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
}

void gb_hist_bucket_bounds(unsigned int idx, uint64_t *lo, uint64_t *hi)
{
	unsigned int group, sub, shift;

	if (idx < GB_HIST_SUB) {
		*lo = idx;
		*hi = idx;
		return;
	}
	group = idx / GB_HIST_SUB;
	sub = idx % GB_HIST_SUB;
	shift = group - 1;
	*lo = (uint64_t)(GB_HIST_SUB + sub) << shift;
	*hi = *lo + ((1ULL << shift) - 1);
}

uint64_t gb_hist_percentile(const struct gb_hist *h, double p)
{
	uint64_t rank, seen = 0, lo, hi;
	unsigned int i;

	if (!h->count)
		return 0;
	rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (i = 0; i < GB_HIST_NBUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank)
			break;
	}
	gb_hist_bucket_bounds(i, &lo, &hi);
	if (hi > h->max)
		hi = h->max;
	if (hi < h->min)
		hi = h->min;
	return hi;
}

double gb_hist_mean(const struct gb_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}
