/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Collectors gather the kernel's view around each run: slab caches, perf
 * counters, memcg charges, NUMA placement.  The runner calls them in the
 * main process at three points: START (workers warmed up, not yet
 * released), PEAK (hold: every file open) and END (all workers done), and
 * in every worker through the optional worker hooks.  A collector keeps
 * its state and its figures to itself (c->priv, and one area per worker);
 * the rest of the program only goes through these ops.  A collector that
 * can't work here says why and the run goes on without it.
 */
#ifndef GB_COLLECTOR_H
#define GB_COLLECTOR_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "config.h"

struct gb_run_result;
struct gb_worker;

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
	/*
	 * This run's worker areas (ops->worker_area bytes each, one per
	 * worker, zeroed), in memory shared with worker processes: set by
	 * the runner from before the workers start until report_run().
	 */
	void *areas;
	unsigned int nareas;
};

struct gb_collector_ops {
	const char *name;
	/* Decide whether it can work here; set c->available or c->reason. */
	void (*open)(struct gb_collector *c);
	/* The process is about to start workers (memcg moves it, say). */
	void (*prepare)(struct gb_collector *c);
	/* Optional: at START, PEAK and END, in the main process. */
	void (*snapshot)(struct gb_collector *c, enum gb_phase phase);
	/*
	 * After END: fold the workers' areas into this run's figures, keep
	 * them, and write them into @out (an object of its own).
	 */
	void (*report_run)(struct gb_collector *c, const struct gb_run_result *run, json_t *out);
	/* Print the figures the last report_run() kept, for the summary. */
	void (*print)(struct gb_collector *c, FILE *out);
	void (*close)(struct gb_collector *c);

	/*
	 * Optional, worker side: called in each worker (thread or process)
	 * with the worker's own area, when worker_area is not 0.
	 * worker_setup runs before the start gate, pinned, and returns 0 or
	 * an errno value that fails the run; begin and end bracket the
	 * measured loop; peak comes with every file open (hold).
	 */
	size_t worker_area;
	int (*worker_setup)(struct gb_collector *c, struct gb_worker *w, void *area);
	void (*worker_begin)(struct gb_collector *c, struct gb_worker *w, void *area);
	void (*worker_peak)(struct gb_collector *c, struct gb_worker *w, void *area);
	void (*worker_end)(struct gb_collector *c, struct gb_worker *w, void *area);
	/*
	 * Optional: give @fd its --populate pages itself (the numa collector
	 * maps, binds and touches them, to check where they land).  1 if it
	 * did, 0 to leave it to fallocate(), -1 with errno on failure.
	 */
	int (*worker_populate)(struct gb_collector *c, struct gb_worker *w, void *area, int fd);
	/* Optional: descriptors it opens per worker (at most), for the budget check. */
	unsigned int (*fds_per_worker)(const struct gb_config *cfg);
};

/* Worker @worker's area of this run. */
static inline void *gb_collector_area(const struct gb_collector *c, unsigned int worker)
{
	return (char *)c->areas + (size_t)worker * c->ops->worker_area;
}

/*
 * Every collector, in the order they report: a new one is its file
 * (collector_NAME.c with gb_collector_NAME) and its name here.
 */
#define GB_COLLECTORS(x) x(slab) x(perf) x(memcg) x(numa)

#define GB_COLLECTOR_INDEX(name) GB_COLLECTOR_##name,
enum { GB_COLLECTORS(GB_COLLECTOR_INDEX) GB_NR_COLLECTORS };
#undef GB_COLLECTOR_INDEX

/* Whether @name is a collector's; all of them, comma-separated, in order. */
bool gb_collector_known(const char *name);
const char *gb_collector_names(void);

/* Every collector, opened; unavailable ones carry their reason. */
void gb_collectors_open(struct gb_collector *cs, const struct gb_config *cfg);
/* Descriptors the collectors @cfg asks for open per worker, at most. */
unsigned int gb_collectors_fds_per_worker(const struct gb_config *cfg);
void gb_collectors_prepare(struct gb_collector *cs);
void gb_collectors_snapshot(struct gb_collector *cs, enum gb_phase phase);
json_t *gb_collectors_report_run(struct gb_collector *cs, const struct gb_run_result *run);
json_t *gb_collectors_status(const struct gb_collector *cs);
/*
 * The summary's collector section: why each unavailable one is, and the
 * figures of the last gb_collectors_report_run() when @reported.
 */
void gb_collectors_print(struct gb_collector *cs, bool reported, FILE *out);
void gb_collectors_close(struct gb_collector *cs);

/*
 * Runner side of the worker hooks.  areas_alloc() gives every available
 * collector with a worker area its areas for a run of @nworkers (0, or -1
 * when out of memory); areas_free() after report_run().
 */
int gb_collectors_areas_alloc(struct gb_collector *cs, unsigned int nworkers);
void gb_collectors_areas_free(struct gb_collector *cs);
/* In worker @w: each available collector's hook, with w's area. */
int gb_collectors_worker_setup(struct gb_collector *cs, struct gb_worker *w);
void gb_collectors_worker_begin(struct gb_collector *cs, struct gb_worker *w);
void gb_collectors_worker_peak(struct gb_collector *cs, struct gb_worker *w);
void gb_collectors_worker_end(struct gb_collector *cs, struct gb_worker *w);
/* 1 if a collector populated @fd, 0 if none did, -1 with errno on failure. */
int gb_collectors_worker_populate(struct gb_collector *cs, struct gb_worker *w, int fd);

/* Set c->available = false with a formatted reason. */
void gb_collector_unavailable(struct gb_collector *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
