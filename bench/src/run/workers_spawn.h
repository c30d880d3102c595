/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How workers are started: as threads of this process, or as forked
 * processes (will-it-scale's two modes).  Processes each have their own
 * descriptor table, so a hold run can keep more files open than one
 * process's RLIMIT_NOFILE allows, and they exercise the per-mm paths a
 * multi-VM host would.
 */
#ifndef GB_WORKERS_SPAWN_H
#define GB_WORKERS_SPAWN_H

#include <pthread.h>
#include <sys/types.h>

struct gb_spawn {
	const struct gb_spawn_ops *ops;
	unsigned int n;
	pthread_t *tids;
	pid_t *pids; /* 0 once reaped */
	int *status; /* wait status of a reaped process */
};

struct gb_spawn_ops {
	const char *name;
	/* Run @fn(@arg) as worker @idx.  0 or an errno value. */
	int (*start)(struct gb_spawn *sp, unsigned int idx, void *(*fn)(void *), void *arg);
	/*
	 * Wait for worker @idx.  0 if it returned normally; otherwise a
	 * description of how it died is written to @why.
	 */
	int (*wait)(struct gb_spawn *sp, unsigned int idx, char *why, size_t len);
	/*
	 * Optional, for workers that can die alone (processes): without
	 * blocking, collect the ones that ended.  Returns how many still
	 * run, or -1 with @why if one died before its end.
	 */
	int (*reap)(struct gb_spawn *sp, char *why, size_t len);
	/* Optional: end every worker still running, at once. */
	void (*kill_all)(struct gb_spawn *sp);
};

extern const struct gb_spawn_ops gb_spawn_threads;
extern const struct gb_spawn_ops gb_spawn_procs;

int gb_spawn_init(struct gb_spawn *sp, const struct gb_spawn_ops *ops, unsigned int n);
void gb_spawn_free(struct gb_spawn *sp);

#endif
