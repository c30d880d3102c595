// SPDX-License-Identifier: GPL-2.0
/*
 * hold: the threads create --count files between them and keep them all
 * open, then close them all.  This grows the slab caches to the size of the
 * population (new slabs, per-node partial lists, memcg charging), which the
 * churn loop never does; create latency is recorded per population bucket
 * to show how the cost changes as the caches grow.  A barrier separates the
 * phases, so at its peak every file of every thread is open at once.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"
#include "placement.h"
#include "session.h"
#include "timing.h"
#include "worker.h"
#include "workload.h"

/* Enough buckets to draw a curve, few enough to keep the JSON small. */
#define HOLD_MAX_BUCKETS 100

static void hold_defaults(struct gb_config *cfg)
{
	if (!cfg->count)
		cfg->count = 100000;
	/*
	 * Warm-up files are freed through RCU, lazily on CONFIG_RCU_LAZY
	 * kernels (seconds later for a small batch): they would be freed
	 * during the run and make the slab counts per file read low.
	 */
	if (!cfg->warmup_set)
		cfg->warmup = 0;
}

static int hold_validate(const struct gb_config *cfg)
{
	if (cfg->duration_s > 0.0)
		return gb_fail(
			GB_EXIT_USAGE,
			"hold runs until --count files are open; --duration applies to churn");
	if (cfg->bare_check)
		return gb_fail(GB_EXIT_USAGE, "--bare-check applies to churn");
	if (cfg->count < cfg->threads)
		return gb_fail(GB_EXIT_USAGE,
			       "--count %llu is less than one file per thread (%u threads)",
			       (unsigned long long)cfg->count, cfg->threads);
	return 0;
}

static uint64_t hold_files_per_thread(const struct gb_config *cfg, unsigned int idx)
{
	uint64_t share = cfg->count / cfg->threads;

	return share + (idx < cfg->count % cfg->threads ? 1 : 0);
}

static uint64_t hold_bucket_size(const struct gb_config *cfg, uint64_t files)
{
	uint64_t min = (files + HOLD_MAX_BUCKETS - 1) / HOLD_MAX_BUCKETS;
	uint64_t bucket = cfg->bucket ? cfg->bucket : (files + 9) / 10;

	if (bucket < min)
		bucket = min;
	/* One bucket at most: a larger one would overflow the count below. */
	if (bucket > files)
		bucket = files;
	return bucket ? bucket : 1;
}

static unsigned int hold_population_buckets(const struct gb_config *cfg, unsigned int idx)
{
	uint64_t files = hold_files_per_thread(cfg, idx);
	uint64_t bucket = hold_bucket_size(cfg, files);

	return (unsigned int)(files / bucket + (files % bucket != 0));
}

static void hold_create_phase(struct gb_worker *w)
{
	struct gb_thread_result *r = &w->res;
	unsigned int period = gb_timing_period(w->cfg);
	unsigned int countdown = 1;
	uint64_t i, t0 = 0, t1;
	int fd;

	r->bucket = hold_bucket_size(w->cfg, w->nfds);
	for (i = 0; i < w->nfds && !gb_stopping(); i++) {
		bool timed = period && !--countdown;

		if (timed) {
			countdown = period;
			t0 = gb_now_ns();
		}
		fd = w->bt.be->ops->create(&w->bt);
		if (fd < 0) {
			gb_worker_fail(w, -fd, "create");
			break;
		}
		w->fds[i] = fd;
		if (timed) {
			t1 = gb_now_ns();
			gb_hist_record(&r->create, t1 - t0);
			gb_hist_record(&r->population[i / r->bucket], t1 - t0);
			t0 = t1;
		}
		if (w->cfg->populate) {
			if (gb_worker_populate(w, fd)) {
				i++;
				break;
			}
			if (timed)
				gb_hist_record(&r->populate, gb_now_ns() - t0);
		}
	}
	r->created = i;
	r->create_end_ns = gb_now_ns();
}

static void hold_close_phase(struct gb_worker *w)
{
	struct gb_thread_result *r = &w->res;
	unsigned int period = gb_timing_period(w->cfg);
	unsigned int countdown = 1;
	uint64_t i, t0;

	/*
	 * Every file is closed even after a signal or an error: leaving them
	 * to exit() would hide the close cost and the RCU-deferred frees.
	 */
	r->close_start_ns = gb_now_ns();
	for (i = 0; i < r->created; i++) {
		if (period && !--countdown) {
			countdown = period;
			t0 = gb_now_ns();
			close(w->fds[i]);
			gb_hist_record(&r->close, gb_now_ns() - t0);
		} else {
			close(w->fds[i]);
		}
	}
	r->closed = i;
	r->end_ns = gb_now_ns();
}

static void hold_run(struct gb_worker *w)
{
	bool release_now;

	w->res.start_ns = gb_now_ns();
	hold_create_phase(w);
	/*
	 * A run that is stopping (a worker's create failed, or a signal) gives
	 * its files back before the peak, not after it: in a full memory
	 * cgroup whose OOM killer is off (cgroup v1), the main process's next
	 * page fault at the peak would otherwise wait for memory that only
	 * these closes free, while the workers wait for the main process.
	 */
	release_now = gb_stopping();
	if (release_now)
		hold_close_phase(w);

	/* Peak: every thread's files are open now. */
	pthread_barrier_wait(w->phase_barrier);
	gb_worker_peak(w);
	if (w->cfg->remote_close) {
		int err = gb_pin_to_cpu(w->place.close_cpu);

		if (err)
			gb_worker_fail(w, err, "migrate to the close CPU");
	}
	pthread_barrier_wait(w->phase_barrier);

	if (!release_now)
		hold_close_phase(w);
	/* Per-file cost excludes the time spent waiting at the barrier. */
	w->res.measured_ns =
		(w->res.create_end_ns - w->res.start_ns) + (w->res.end_ns - w->res.close_start_ns);
}

/* Where the files of a run were created and closed: every node, zeros too. */
static void print_per_node(FILE *out, const struct gb_run_result *r, unsigned int idx)
{
	uint64_t created[GB_MAX_NODES], closed[GB_MAX_NODES];
	unsigned int n = gb_run_per_node(r, created, closed), i;

	fprintf(out, "per node (run %u): created", idx);
	for (i = 0; i < n; i++)
		fprintf(out, " N%u=%llu", i, (unsigned long long)created[i]);
	fputs(", closed", out);
	for (i = 0; i < n; i++)
		fprintf(out, " N%u=%llu", i, (unsigned long long)closed[i]);
	fputc('\n', out);
}

static void hold_print_runs(FILE *out, const struct gb_session *s)
{
	unsigned int i, b;

	fprintf(out, "%4s %10s %10s %12s %10s %12s\n", "run", "peak open", "create s", "creates/s",
		"close s", "closes/s");
	for (i = 0; i < s->nruns; i++) {
		const struct gb_run_result *r = &s->runs[i];

		fprintf(out, "%4u %10llu %10.3f %12.0f %10.3f %12.0f\n", i + 1,
			(unsigned long long)r->peak_open, r->create_wall_ns / 1e9,
			gb_run_phase_rate(r->created, r->create_wall_ns), r->close_wall_ns / 1e9,
			gb_run_phase_rate(r->closed, r->close_wall_ns));
	}
	if (s->nruns)
		print_per_node(out, &s->runs[s->nruns - 1], s->nruns);
	if (!s->nruns || s->cfg->timing == GB_TIMING_BATCH)
		return;
	/* The population curve of the last run. */
	i = s->nruns - 1;
	fprintf(out, "\ncreate latency as the population grows (run %u):\n", i + 1);
	fprintf(out, "%22s %10s %8s %8s %8s\n", "open files (approx.)", "samples", "mean", "p50",
		"p99");
	for (b = 0; b < s->runs[i].npopulation; b++) {
		const struct gb_run_result *r = &s->runs[i];
		const struct gb_hist *h = &r->population[b];

		fprintf(out, "%10llu-%-11llu %10llu %8.0f %8llu %8llu\n",
			(unsigned long long)(b * r->bucket * r->nthreads),
			(unsigned long long)((b + 1) * r->bucket * r->nthreads),
			(unsigned long long)h->count, gb_hist_mean(h),
			(unsigned long long)gb_hist_percentile(h, 50),
			(unsigned long long)gb_hist_percentile(h, 99));
	}
}

const struct gb_workload_ops gb_workload_hold = {
	.name = "hold",
	.summary = "threads create -n files in all, keep them open, then close all",
	.caps = GB_WORKLOAD_PEAK,
	.defaults = hold_defaults,
	.validate = hold_validate,
	.files_per_thread = hold_files_per_thread,
	.population_buckets = hold_population_buckets,
	.run = hold_run,
	.print_runs = hold_print_runs,
};
