/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Clock used for every measurement.  CLOCK_MONOTONIC goes through the vDSO
 * on x86 (no system call), and unlike raw TSC reads it is comparable across
 * CPUs, which matters once threads migrate for remote closes.
 */
#ifndef GB_TIMING_H
#define GB_TIMING_H

#include <stdint.h>
#include <time.h>

static inline uint64_t gb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Cost of one gb_now_ns() call in nanoseconds, as the median of several
 * back-to-back batches, so that the JSON can state the timer's share of
 * each measured operation.
 */
double gb_timer_cost_ns(void);

/* The clock source the kernel uses, for the metadata ("unknown" if hidden). */
const char *gb_clocksource(char *buf, unsigned long len);

#endif
