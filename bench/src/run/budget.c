// SPDX-License-Identifier: GPL-2.0
/*
 * Whether a run fits before it starts: its descriptors (every worker's
 * files, and what the collectors open per worker) and its memory.  Found
 * out in the middle of a run, either would end it with EMFILE, or in the
 * OOM killer with no result.
 */
#include <stdlib.h>
#include <stdio.h>
#include <sys/resource.h>

#include "budget.h"
#include "collector.h"
#include "errors.h"
#include "fdlimit.h"
#include "procfs_parse.h"
#include "session.h"
#include "textfile.h"
#include "worker.h"
#include "workload.h"

/*
 * Make sure the descriptors fit: all workers' files in this process with
 * threads, the largest worker's share per process with --procs.
 */
static int check_fds(struct gb_session *s)
{
	const struct gb_config *cfg = s->cfg;
	uint64_t needed = GB_FD_HEADROOM, most = 0, files = 0, per, hard;
	struct rlimit rl;
	int ret;
	char hint[160] = "";
	unsigned int i;

	for (i = 0; i < cfg->threads; i++) {
		per = cfg->workload->files_per_thread(cfg, i) + 1 +
		      gb_collectors_fds_per_worker(cfg);
		files += per - 1;
		if (per > most)
			most = per;
		needed += per;
	}
	if (cfg->procs) {
		needed = GB_FD_HEADROOM + most;
	} else if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_max != RLIM_INFINITY &&
		   rl.rlim_max > 2 * GB_FD_HEADROOM) {
		/* The way out when the hard limit is fixed: more processes. */
		hard = rl.rlim_max - GB_FD_HEADROOM - 1;
		snprintf(hint, sizeof(hint),
			 "; or spread the files over processes: --procs -t %llu",
			 (unsigned long long)((files + hard - 1) / hard));
	}
	ret = gb_ensure_fd_limit(needed, &s->nofile_limit, hint);
	if (!ret && !cfg->procs)
		gb_fd_table_grow(needed);
	return ret;
}

/*
 * Make sure the run fits in memory before starting it: the population
 * histograms (shared memory, per worker and bucket) and the --populate
 * pages of every file open at once.  Found out mid-run, either ends in
 * the OOM killer: no result, a memory cgroup left behind.
 */
static int check_memory(const struct gb_config *cfg)
{
	double hist = 0.0, files = 0.0, populate, need;
	uint64_t avail_kib;
	char *meminfo;
	unsigned int i;
	int unknown;

	for (i = 0; i < cfg->threads; i++) {
		hist += (double)cfg->workload->population_buckets(cfg, i) * sizeof(struct gb_hist) +
			sizeof(struct gb_worker);
		files += (double)cfg->workload->files_per_thread(cfg, i);
	}
	populate = files * (double)cfg->populate;
	need = hist + populate;
	meminfo = gb_read_text("/proc/meminfo");
	unknown = !meminfo || gb_parse_meminfo_kb(meminfo, "MemAvailable", &avail_kib);
	free(meminfo);
	if (unknown || need <= (double)avail_kib * 1024.0)
		return 0;
	return gb_fail(
		GB_EXIT_NOMEM,
		"this run needs %.0f MiB of memory (%.0f MiB of latency histograms, %.0f MiB for --populate) and %.0f MiB are available (MemAvailable): fewer threads, a larger --bucket or a smaller --populate",
		need / 1048576.0, hist / 1048576.0, populate / 1048576.0,
		(double)avail_kib / 1024.0);
}

int gb_check_budget(struct gb_session *s)
{
	int ret = check_memory(s->cfg);

	return ret ? ret : check_fds(s);
}
