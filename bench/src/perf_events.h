/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf counters per worker, around the measured region: opened by each
 * worker for itself (so --procs workers count their own), read at the
 * hold peak and at the end.  The list of events, and which the machine
 * supports, is decided once by the perf collector.
 */
#ifndef GB_PERF_EVENTS_H
#define GB_PERF_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#define GB_PERF_MAX_EVENTS 32

struct gb_worker;

/* Counters of one worker: [0] up to the peak (hold) or all (churn), [1] after. */
struct gb_perf_counts {
	uint64_t v[2][GB_PERF_MAX_EVENTS];
	bool marked;
};

struct gb_perf_event {
	char name[80];
	char kind;	   /* 'h'ardware, 's'oftware, 't'racepoint */
	uint32_t type;
	uint64_t config;
	char filter[96];   /* tracepoint filter, "" for none */
	char cache[64];    /* the slab cache a filtered event counts */
	bool supported;
	int err;
};

extern struct gb_perf_event gb_perf_events[GB_PERF_MAX_EVENTS];
extern unsigned int gb_perf_nevents;
extern bool gb_perf_enabled;

/* Worker side; all no-ops unless the perf collector is enabled. */
void gb_perf_worker_begin(struct gb_worker *w);
void gb_perf_worker_mark(struct gb_worker *w);
void gb_perf_worker_end(struct gb_worker *w);

#endif
