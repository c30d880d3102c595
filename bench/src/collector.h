/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Collectors gather the kernel's view around each run: slab caches, perf
 * counters, memcg charges, NUMA placement.  The runner calls them in the
 * main process at three points: START (workers warmed up, not yet
 * released), PEAK (hold: every file open) and END (all workers done).  A
 * collector that can't work here says why and the run goes on without it.
 */
#ifndef GB_COLLECTOR_H
#define GB_COLLECTOR_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "config.h"

struct gb_run_result;

enum gb_phase {
	GB_PHASE_START,
	GB_PHASE_PEAK,
	GB_PHASE_END,
	GB_NR_PHASES,
};

struct gb_collector {
	const struct gb_collector_ops *ops;
	const struct gb_config *cfg;
	bool available;
	char reason[256]; /* why not available */
	void *priv;
};

struct gb_collector_ops {
	const char *name;
	/* Decide whether it can work here; set c->available or c->reason. */
	void (*open)(struct gb_collector *c);
	/* The process is about to start workers (memcg moves it, say). */
	void (*prepare)(struct gb_collector *c);
	void (*snapshot)(struct gb_collector *c, enum gb_phase phase);
	/* After END: this run's figures into @out (an object of its own). */
	void (*report_run)(struct gb_collector *c, const struct gb_run_result *run, json_t *out);
	/* Print @figures (what report_run() wrote for a run) for the summary. */
	void (*print)(struct gb_collector *c, json_t *figures, FILE *out);
	void (*close)(struct gb_collector *c);
	/* Optional: descriptors it opens per worker (at most), for the budget check. */
	unsigned int (*fds_per_worker)(const struct gb_config *cfg);
};

extern const struct gb_collector_ops gb_collector_slab;
extern const struct gb_collector_ops gb_collector_perf;
extern const struct gb_collector_ops gb_collector_memcg;
extern const struct gb_collector_ops gb_collector_numa;

#define GB_NR_COLLECTORS 4

/* Every collector, opened; unavailable ones carry their reason. */
void gb_collectors_open(struct gb_collector *cs, const struct gb_config *cfg);
/* Descriptors the collectors @cfg asks for open per worker, at most. */
unsigned int gb_collectors_fds_per_worker(const struct gb_config *cfg);
void gb_collectors_prepare(struct gb_collector *cs);
void gb_collectors_snapshot(struct gb_collector *cs, enum gb_phase phase);
json_t *gb_collectors_report_run(struct gb_collector *cs, const struct gb_run_result *run);
json_t *gb_collectors_status(const struct gb_collector *cs);
/* @run_figures: a run's gb_collectors_report_run() object, or NULL. */
void gb_collectors_print(struct gb_collector *cs, json_t *run_figures, FILE *out);
void gb_collectors_close(struct gb_collector *cs);

/* Set c->available = false with a formatted reason. */
void gb_collector_unavailable(struct gb_collector *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
