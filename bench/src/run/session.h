/* SPDX-License-Identifier: GPL-2.0 */
/* Everything one invocation measured: the input of both reports. */
#ifndef GB_SESSION_H
#define GB_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <signal.h>

#include "backend.h"
#include "collector.h"
#include "config.h"
#include "slabinfo.h"
#include "hist.h"
#include "placement.h"

struct gb_thread_summary {
	struct gb_place place;
	uint64_t created;
	uint64_t closed;
	uint64_t elapsed_ns;
	double create_mean_ns;
	uint64_t create_p99_ns;
	double close_mean_ns;
	uint64_t close_p99_ns;
	int err;
};

struct gb_run_result {
	struct gb_hist create;
	struct gb_hist populate;
	struct gb_hist close;
	struct gb_hist *population; /* hold: per bucket, merged over threads */
	unsigned int npopulation;
	uint64_t bucket; /* files per thread per bucket */
	struct gb_thread_summary *threads;
	unsigned int nthreads;
	uint64_t wall_ns;	 /* first start to last end */
	uint64_t busy_ns;	 /* sum of the threads' measured time */
	uint64_t create_wall_ns; /* hold: create phase */
	uint64_t close_wall_ns;	 /* hold: close phase */
	uint64_t created;
	uint64_t closed;
	uint64_t peak_open;
	double bare_ns_per_op; /* --bare-check: bare loop, 0 if not run */
	float *pair_pct;       /* --bare-check: every segment pair's overhead */
	unsigned int npairs;
	json_t *collectors; /* every collector's figures for this run */
	int err;	    /* first worker errno */
	const char *err_op;
	unsigned int err_thread;
};

struct gb_session {
	const struct gb_config *cfg;
	struct gb_backend backend;
	struct gb_placement_plan plan;
	struct gb_collector collectors[GB_NR_COLLECTORS];
	struct gb_run_result *runs;
	unsigned int nruns; /* runs with results (maybe partial) */
	double timer_cost_ns;
	uint64_t nofile_limit; /* RLIMIT_NOFILE the run had */
	int signal;	       /* signal that interrupted the session */
	uint64_t start_time;   /* wall clock, seconds since the epoch */
	uint64_t elapsed_ns;
	uint64_t peak_rss_kib;
	uint64_t peak_rss_children_kib; /* largest worker process, --procs */
};

/* The latency histograms every run keeps. */
enum gb_op {
	GB_OP_CREATE,
	GB_OP_POPULATE,
	GB_OP_CLOSE,
};

/*
 * One operation's histogram merged over all runs (caller frees), or NULL
 * when out of memory.
 */
struct gb_hist *gb_session_hist(const struct gb_session *s, enum gb_op op);

/* Per-op figures of one run, shared by the reports. */
double gb_run_ns_per_op(const struct gb_run_result *run);
double gb_run_ops_per_sec(const struct gb_run_result *run);
/*
 * --bare-check: harness cost over bare-loop cost minus one, in percent:
 * pooled over all runs (total time over total pairs on each side), the
 * median run, and the median segment pair, which a preempted segment can't
 * move.  All 0 when no bare loop ran.
 */
struct gb_overhead {
	double pooled_pct;
	double median_run_pct;
	double median_pair_pct;
	unsigned int pairs;
};

void gb_session_overhead(const struct gb_session *s, struct gb_overhead *o);
/* The rest of a run's figures, as gb_metrics' of_run(). */
double gb_run_create_mean_ns(const struct gb_run_result *run);
double gb_run_create_p99_ns(const struct gb_run_result *run);
double gb_run_close_mean_ns(const struct gb_run_result *run);
double gb_run_close_p99_ns(const struct gb_run_result *run);
double gb_run_creates_per_sec(const struct gb_run_result *run);
double gb_run_closes_per_sec(const struct gb_run_result *run);
double gb_run_bare_ns_per_op(const struct gb_run_result *run);
/* --bare-check: one run's harness cost over its bare loop's, minus one, in %. */
double gb_run_overhead_pct(const struct gb_run_result *run);
/* hold: files created (or closed) per second in that phase */
double gb_run_phase_rate(uint64_t ops, uint64_t ns);

/*
 * Files @run created and closed on each node (by where each worker created
 * and closed them), into GB_MAX_NODES-sized arrays; returns the number of
 * nodes of the machine, so that nodes without any show as 0.
 */
unsigned int gb_run_per_node(const struct gb_run_result *run, uint64_t *created, uint64_t *closed);

/*
 * Run every repetition.  Returns 0, or the exit code of the first failure
 * (recorded with gb_fail()); results gathered so far stay in @s either way.
 */
int gb_session_run(struct gb_session *s, const struct gb_config *cfg);
void gb_session_free(struct gb_session *s);

/* Set by the SIGINT/SIGTERM handler. */
extern volatile sig_atomic_t gb_signal_received;

#endif
