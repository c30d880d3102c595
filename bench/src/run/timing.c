// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "timing.h"

#define TIMER_BATCHES 15
#define TIMER_CALLS 20000

double gb_timer_cost_ns(void)
{
	double per_call[TIMER_BATCHES];
	uint64_t start, sink = 0;
	unsigned int b, i;

	for (b = 0; b < TIMER_BATCHES; b++) {
		start = gb_now_ns();
		for (i = 0; i < TIMER_CALLS; i++)
			sink += gb_now_ns();
		per_call[b] = (double)(gb_now_ns() - start) / TIMER_CALLS;
	}
	/* Keep the loop from being optimised away without volatile reads. */
	if (sink == 1)
		fputs("", stderr);
	return gb_median(per_call, TIMER_BATCHES);
}

const char *gb_clocksource(char *buf, unsigned long len)
{
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");

	snprintf(buf, len, "unknown");
	if (!f)
		return buf;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return buf;
}
