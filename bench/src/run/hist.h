/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log-linear latency histogram (the HDR histogram layout).
 *
 * Values below 2^GB_HIST_SUB_BITS nanoseconds get one bucket each; every
 * power-of-two range above that is split into 2^GB_HIST_SUB_BITS equal
 * buckets, so a reported percentile is never more than 1/128 (0.8%) above
 * the exact one, over the full 64-bit range, in fixed memory and with an
 * O(1) record.  Count, sum, min and max are kept exactly.
 *
 * Written here rather than taken from a library because Debian ships no C
 * HDR histogram package, and recording must stay a handful of instructions
 * in the measured loop.
 */
#ifndef GB_HIST_H
#define GB_HIST_H

#include <stdbool.h>
#include <stdint.h>

#define GB_HIST_SUB_BITS 7
#define GB_HIST_SUB (1u << GB_HIST_SUB_BITS)
#define GB_HIST_NBUCKETS ((64 - GB_HIST_SUB_BITS + 1) * GB_HIST_SUB)

struct gb_hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	uint64_t buckets[GB_HIST_NBUCKETS];
};

static inline unsigned int gb_hist_index(uint64_t v)
{
	unsigned int msb;

	if (v < GB_HIST_SUB)
		return (unsigned int)v;
	msb = 63 - (unsigned int)__builtin_clzll(v);
	return (msb - GB_HIST_SUB_BITS + 1) * GB_HIST_SUB +
	       (unsigned int)(v >> (msb - GB_HIST_SUB_BITS)) - GB_HIST_SUB;
}

static inline void gb_hist_record(struct gb_hist *h, uint64_t v)
{
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->buckets[gb_hist_index(v)]++;
}

void gb_hist_init(struct gb_hist *h);
void gb_hist_merge(struct gb_hist *dst, const struct gb_hist *src);

/* Lowest and highest value that land in bucket @idx. */
void gb_hist_bucket_bounds(unsigned int idx, uint64_t *lo, uint64_t *hi);

/*
 * Nearest-rank percentile (0 < p <= 100): the highest value equivalent to
 * the bucket holding the ceil(p/100 * count)-th smallest sample, clamped to
 * the exact min and max.  Returns 0 for an empty histogram.
 */
uint64_t gb_hist_percentile(const struct gb_hist *h, double p);
double gb_hist_mean(const struct gb_hist *h);

#endif
