// SPDX-License-Identifier: GPL-2.0
/*
 * churn: every thread creates a file and closes it again, in a loop, for a
 * duration or a count.  This is the steady-state cost of the allocation
 * path: with one file alive per thread, the inode, dentry and file objects
 * come from and go back to the per-CPU slab freelists.
 */
#include <errno.h>
#include <unistd.h>

#include "errors.h"
#include "session.h"
#include "timing.h"
#include "worker.h"
#include "workload.h"

/* --bare-check segment: about 40 ms natively, short against any drift. */
#define CHURN_SEGMENT 10000

/* Neither a duration nor a count: one second. */
static void churn_defaults(struct gb_config *cfg)
{
	if (!cfg->count && cfg->duration_s == 0.0)
		cfg->duration_s = 1.0;
}

static int churn_validate(const struct gb_config *cfg)
{
	if (cfg->remote_close)
		return gb_fail(
			GB_EXIT_USAGE,
			"--remote-close applies to hold (churn closes each file right away)");
	if (cfg->bucket || cfg->at_peak)
		return gb_fail(GB_EXIT_USAGE, "--bucket and --at-peak apply to hold");
	return 0;
}

static uint64_t churn_files_per_thread(const struct gb_config *cfg, unsigned int idx)
{
	(void)cfg;
	(void)idx;
	return 1;
}

static unsigned int churn_population_buckets(const struct gb_config *cfg, unsigned int idx)
{
	(void)cfg;
	(void)idx;
	return 0;
}

/* One create(+populate)+close; timed when @timed.  0, or -1 on failure. */
static inline int churn_once(struct gb_worker *w, bool timed)
{
	struct gb_thread_result *r = &w->res;
	uint64_t t0 = 0, t1 = 0, t2;
	int fd;

	if (timed)
		t0 = gb_now_ns();
	fd = w->bt.be->ops->create(&w->bt);
	if (fd < 0) {
		gb_worker_fail(w, -fd, "create");
		return -1;
	}
	if (timed) {
		t1 = gb_now_ns();
		gb_hist_record(&r->create, t1 - t0);
	}
	if (w->cfg->populate) {
		if (gb_worker_populate(w, fd)) {
			close(fd);
			return -1;
		}
		if (timed) {
			t2 = gb_now_ns();
			gb_hist_record(&r->populate, t2 - t1);
			t1 = t2;
		}
	}
	close(fd);
	if (timed)
		gb_hist_record(&r->close, gb_now_ns() - t1);
	return 0;
}

/* The measured loop: up to @limit pairs, until stopped.  Pairs done. */
static uint64_t churn_loop(struct gb_worker *w, uint64_t limit, unsigned int *countdown)
{
	unsigned int period = gb_timing_period(w->cfg);
	uint64_t i;

	for (i = 0; i < limit && !gb_stopping(); i++) {
		/* A countdown, not i % period: no division in the loop. */
		bool timed = period && !--*countdown;

		if (timed)
			*countdown = period;
		if (churn_once(w, timed))
			break;
	}
	return i;
}

/*
 * --bare-check: alternate segments of the measured loop with segments of
 * the backend's bare loop (the same system calls, nothing around them).
 * Interleaving pairs each harness segment with a bare one taken moments
 * later, so drift in the machine's speed, which on a shared host is larger
 * than the 1% being looked for, falls on both sides alike.
 */
/* @n bare pairs: their time in ns, or 0 after recording a failure. */
static uint64_t churn_bare_segment(struct gb_worker *w, uint64_t n)
{
	int64_t bare = w->bt.be->ops->bare_loop(&w->bt, n);

	if (bare <= 0) {
		gb_worker_fail(w, bare ? (int)-bare : EIO, "bare loop");
		return 0;
	}
	w->res.bare_ns += (uint64_t)bare;
	w->res.bare_ops += n;
	return (uint64_t)bare;
}

static void churn_record_pair(struct gb_thread_result *r, uint64_t h_ns, uint64_t h_n,
			      uint64_t b_ns, uint64_t b_n)
{
	if (r->npairs < GB_MAX_SEGMENT_PAIRS && h_n && b_n)
		r->pair_pct[r->npairs++] =
			(float)(((double)h_ns / h_n) / ((double)b_ns / b_n) - 1.0) * 100.0f;
}

static void churn_run_paired(struct gb_worker *w, uint64_t limit)
{
	struct gb_thread_result *r = &w->res;
	unsigned int countdown = 1;
	uint64_t done = 0, n, want, t0, h_ns, b_ns = 0;
	bool bare_first = false;

	while (done < limit && !gb_stopping() && !r->err) {
		want = limit - done < CHURN_SEGMENT ? limit - done : CHURN_SEGMENT;
		/* Alternate which side goes first, so order favours neither. */
		if (bare_first && !(b_ns = churn_bare_segment(w, want)))
			break;
		t0 = gb_now_ns();
		n = churn_loop(w, want, &countdown);
		h_ns = gb_now_ns() - t0;
		r->measured_ns += h_ns;
		done += n;
		if (r->err || !n)
			break;
		if (!bare_first && !(b_ns = churn_bare_segment(w, n)))
			break;
		churn_record_pair(r, h_ns, n, b_ns, bare_first ? want : n);
		bare_first = !bare_first;
	}
	r->created = done;
	r->closed = done;
}

static void churn_run(struct gb_worker *w)
{
	struct gb_thread_result *r = &w->res;
	uint64_t limit = w->cfg->count ? w->cfg->count : UINT64_MAX;
	unsigned int countdown = 1;

	r->start_ns = gb_now_ns();
	if (w->cfg->bare_check) {
		churn_run_paired(w, limit);
	} else {
		r->created = churn_loop(w, limit, &countdown);
		r->closed = r->created;
	}
	r->end_ns = gb_now_ns();
	if (!w->cfg->bare_check)
		r->measured_ns = r->end_ns - r->start_ns;
}

static void churn_print_runs(FILE *out, const struct gb_session *s)
{
	unsigned int i;

	fprintf(out, "%4s %12s %10s %12s", "run", "ops", "ns/op", "ops/s");
	if (s->cfg->bare_check)
		fprintf(out, " %12s %9s", "bare ns/op", "overhead");
	fputc('\n', out);
	for (i = 0; i < s->nruns; i++) {
		const struct gb_run_result *r = &s->runs[i];

		fprintf(out, "%4u %12llu %10.1f %12.0f", i + 1, (unsigned long long)r->created,
			gb_run_ns_per_op(r), gb_run_ops_per_sec(r));
		if (r->bare_ns_per_op > 0.0)
			fprintf(out, " %12.1f %+8.2f%%", r->bare_ns_per_op, gb_run_overhead_pct(r));
		fputc('\n', out);
	}
}

const struct gb_workload_ops gb_workload_churn = {
	.name = "churn",
	.summary = "each thread loops create+close",
	.defaults = churn_defaults,
	.validate = churn_validate,
	.files_per_thread = churn_files_per_thread,
	.population_buckets = churn_population_buckets,
	.run = churn_run,
	.print_runs = churn_print_runs,
};
