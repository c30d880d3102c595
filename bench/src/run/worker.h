/* SPDX-License-Identifier: GPL-2.0 */
/* One worker thread's state during one run, and the helpers workloads share. */
#ifndef GB_WORKER_H
#define GB_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "config.h"
#include "hist.h"
#include "placement.h"

/* Segment pairs kept per worker and run; later pairs still count in totals. */
#define GB_MAX_SEGMENT_PAIRS 1024

struct gb_thread_result {
	struct gb_hist create;
	struct gb_hist populate;
	struct gb_hist close;
	struct gb_hist *population; /* hold: create latency per bucket */
	unsigned int npopulation;
	uint64_t bucket; /* files per population bucket */
	uint64_t created;
	uint64_t closed;
	uint64_t start_ns; /* measured region, CLOCK_MONOTONIC */
	uint64_t end_ns;
	uint64_t create_end_ns;	 /* hold: end of this thread's creates */
	uint64_t close_start_ns; /* hold: start of its closes */
	uint64_t measured_ns;	 /* time spent in measured loops */
	uint64_t bare_ns;	 /* --bare-check: time in the bare loop */
	uint64_t bare_ops;	 /* ... and the pairs it did */
	/* --bare-check: harness over bare cost - 1, in %, per segment pair */
	float pair_pct[GB_MAX_SEGMENT_PAIRS];
	unsigned int npairs;
	int err;	    /* first errno, 0 if none */
	const char *err_op; /* what failed: "create", "populate", ... */
};

struct gb_run_ctx;
struct gb_collector;

struct gb_worker {
	unsigned int idx;
	struct gb_run_ctx *ctx;		 /* the runner's, opaque to workloads */
	struct gb_collector *collectors; /* the session's, for their worker hooks */
	const struct gb_config *cfg;
	struct gb_backend_thread bt;
	struct gb_place place;
	pthread_barrier_t *phase_barrier; /* hold: between create and close */
	int *fds;			  /* hold: the files it keeps open */
	uint64_t nfds;
	struct gb_thread_result res;
};

/*
 * Set by a signal, the end of a timed run or a worker's failure; read by
 * every worker on every iteration.  It lives in a shared mapping so worker
 * processes (--procs) see it too, and an int accessed with __atomic
 * builtins is lock-free, so the signal handler may write it.
 */
extern int *gb_stop_flag;

static inline bool gb_stopping(void)
{
	return __atomic_load_n(gb_stop_flag, __ATOMIC_RELAXED);
}

static inline void gb_request_stop(void)
{
	__atomic_store_n(gb_stop_flag, 1, __ATOMIC_RELAXED);
}

static inline void gb_clear_stop(void)
{
	__atomic_store_n(gb_stop_flag, 0, __ATOMIC_RELAXED);
}

/*
 * Zeroed memory shared with worker processes (MAP_SHARED): used for
 * everything workers write and the parent reads, in both worker modes.
 */
void *gb_shared_alloc(size_t size);
void gb_shared_free(void *p, size_t size);

/* Every how many operations one is timed: 0 for never (batch timing). */
static inline unsigned int gb_timing_period(const struct gb_config *cfg)
{
	switch (cfg->timing) {
	case GB_TIMING_EVERY:
		return 1;
	case GB_TIMING_SAMPLED:
		return cfg->sample_every;
	default:
		return 0;
	}
}

/*
 * hold, every worker between the two phase barriers, all files open: the
 * collectors' worker peak hooks, then (worker 0) the main process's PEAK
 * snapshots while the others wait at the next barrier.
 */
void gb_worker_peak(struct gb_worker *w);

/* Before the start gate: fault in every page the worker touches in the run. */
void gb_worker_prefault(struct gb_worker *w);

/* Remember the first failure of this worker and stop the whole run. */
void gb_worker_fail(struct gb_worker *w, int err, const char *op);

/*
 * Give @fd the configured --populate bytes: through a collector that
 * does it itself (numa: map, bind, touch, check), else fallocate().
 * Returns 0 or records the failure and returns -1.
 */
int gb_worker_populate(struct gb_worker *w, int fd);

#endif
