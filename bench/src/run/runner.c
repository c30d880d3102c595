// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the repetitions: one set of pinned worker threads per run, released
 * together by a start gate, stopped by the clock, a count, an error or a
 * signal, then folded into a gb_run_result.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "budget.h"
#include "errors.h"
#include "fdlimit.h"
#include "run_ctx.h"
#include "session.h"
#include "shell_command.h"
#include "timing.h"
#include "worker.h"
#include "workers_spawn.h"
#include "workload.h"

/* How often the main thread looks for an early stop during a timed run. */
#define STOP_POLL_NS 50000000ULL

volatile sig_atomic_t gb_signal_received;

/* Lives in shared memory: workers may be processes. */
struct gb_run_ctx {
	const struct gb_config *cfg;
	struct gb_backend *be;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int ready;
	bool go;
	bool setup_failed;
	bool peak_reached;
	bool peak_done;
	bool workers_lost; /* a worker process died: the others were killed */
	char lost_why[128];
	pthread_barrier_t phase_barrier;
	struct gb_worker *workers;
};

/*
 * How often the main process looks for a dead worker process while it
 * waits (worker processes only: threads can't die alone, and each wake-up
 * takes a CPU from the workers for a moment).
 */
#define WORKER_POLL_NS 50000000ULL

/*
 * The lock is robust: a worker process killed while it holds the lock
 * must not leave the main process waiting forever for it.
 */
static void ctx_lock(struct gb_run_ctx *ctx)
{
	if (pthread_mutex_lock(&ctx->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&ctx->lock);
}

/*
 * Main process, lock held: how many worker processes still run, or -1 if
 * one died before its end.  Then the others are killed (their files close
 * as they exit: a run with a worker missing measures nothing) and the run
 * stops.  Threads can't die alone: 1.
 */
static int poll_workers(struct gb_run_ctx *ctx, struct gb_spawn *sp)
{
	int running;

	if (ctx->workers_lost)
		return -1;
	if (!sp->ops->reap)
		return 1;
	running = sp->ops->reap(sp, ctx->lost_why, sizeof(ctx->lost_why));
	if (running < 0) {
		ctx->workers_lost = true;
		ctx->setup_failed = true;
		sp->ops->kill_all(sp);
		gb_request_stop();
	}
	return running;
}

static bool workers_lost(struct gb_run_ctx *ctx, struct gb_spawn *sp)
{
	return poll_workers(ctx, sp) < 0;
}

/* Main process, lock held: wait for a broadcast, or a moment to look at the workers. */
static void main_wait(struct gb_run_ctx *ctx, const struct gb_spawn *sp)
{
	struct timespec ts;

	if (!sp->ops->reap) {
		pthread_cond_wait(&ctx->cond, &ctx->lock);
		return;
	}

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += (long)WORKER_POLL_NS;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	if (pthread_cond_timedwait(&ctx->cond, &ctx->lock, &ts) == EOWNERDEAD)
		pthread_mutex_consistent(&ctx->lock);
}

/* Wait until every started worker is ready, or (main thread) release them. */
static void gate_arrive(struct gb_run_ctx *ctx)
{
	ctx_lock(ctx);
	ctx->ready++;
	pthread_cond_broadcast(&ctx->cond);
	while (!ctx->go)
		pthread_cond_wait(&ctx->cond, &ctx->lock);
	pthread_mutex_unlock(&ctx->lock);
}

/*
 * Release the workers once every started one is ready (warmed up), taking
 * the START snapshots in between so warm-up doesn't count.
 */
static void gate_open(struct gb_run_ctx *ctx, struct gb_spawn *sp, unsigned int started,
		      struct gb_collector *cs)
{
	ctx_lock(ctx);
	while (ctx->ready < started && !workers_lost(ctx, sp))
		main_wait(ctx, sp);
	if (!ctx->setup_failed)
		gb_collectors_snapshot(cs, GB_PHASE_START);
	ctx->go = true;
	pthread_cond_broadcast(&ctx->cond);
	pthread_mutex_unlock(&ctx->lock);
}

void gb_run_peak_handshake(struct gb_run_ctx *ctx)
{
	ctx_lock(ctx);
	ctx->peak_reached = true;
	pthread_cond_broadcast(&ctx->cond);
	while (!ctx->peak_done)
		pthread_cond_wait(&ctx->cond, &ctx->lock);
	pthread_mutex_unlock(&ctx->lock);
}

/* Main process: wait for the peak, snapshot, run --at-peak, release. */
static int at_peak(struct gb_run_ctx *ctx, struct gb_spawn *sp, struct gb_collector *cs)
{
	int ret = 0;

	ctx_lock(ctx);
	while (!ctx->peak_reached && !workers_lost(ctx, sp))
		main_wait(ctx, sp);
	pthread_mutex_unlock(&ctx->lock);
	if (ctx->workers_lost)
		return 0;

	gb_collectors_snapshot(cs, GB_PHASE_PEAK);
	if (ctx->cfg->at_peak)
		ret = gb_run_shell_command(ctx->cfg->at_peak, "the --at-peak command");

	ctx_lock(ctx);
	ctx->peak_done = true;
	pthread_cond_broadcast(&ctx->cond);
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

static void mark_setup_failed(struct gb_run_ctx *ctx)
{
	ctx_lock(ctx);
	ctx->setup_failed = true;
	pthread_mutex_unlock(&ctx->lock);
	gb_request_stop();
}

/* Untimed create+close pairs, so the run starts on warm slab caches. */
static void warm_up(struct gb_worker *w)
{
	uint64_t i;
	int fd;

	for (i = 0; i < w->cfg->warmup && !gb_stopping(); i++) {
		fd = w->bt.be->ops->create(&w->bt);
		if (fd < 0) {
			gb_worker_fail(w, -fd, "warm-up create");
			return;
		}
		close(fd);
	}
}

static void *worker_main(void *arg)
{
	struct gb_worker *w = arg;
	struct gb_run_ctx *ctx = w->ctx;
	struct gb_backend *be = ctx->be;
	int err;

	err = gb_pin_to_cpu(w->place.cpu);
	if (err) {
		gb_worker_fail(w, err, "pin to CPU");
	} else if ((err = gb_collectors_worker_setup(w->collectors, w))) {
		gb_worker_fail(w, err, "collector setup");
	} else {
		err = be->ops->thread_open ? be->ops->thread_open(be, &w->bt) : 0;
		if (err)
			gb_worker_fail(w, err, "open VM");
		else
			warm_up(w);
	}
	/* A worker process has a table of its own; threads share the session's. */
	if (!w->res.err && w->cfg->procs)
		gb_fd_table_grow(w->nfds + GB_FD_HEADROOM);
	gb_worker_prefault(w);
	if (w->res.err)
		mark_setup_failed(ctx);

	gate_arrive(ctx);
	/*
	 * setup_failed is final once the gate opens, so every worker makes
	 * the same choice here and none waits alone at the phase barrier.
	 */
	if (!ctx->setup_failed) {
		gb_collectors_worker_begin(w->collectors, w);
		ctx->cfg->workload->run(w);
		gb_collectors_worker_end(w->collectors, w);
	}
	if (be->ops->thread_close)
		be->ops->thread_close(be, &w->bt);
	return NULL;
}

/* Shared-memory sizes, to unmap exactly what was mapped. */
static size_t population_bytes(const struct gb_worker *w)
{
	return w->res.npopulation * sizeof(struct gb_hist);
}

static int alloc_worker(struct gb_worker *w, const struct gb_config *cfg, unsigned int idx)
{
	const struct gb_workload_ops *wl = cfg->workload;
	unsigned int i;

	gb_hist_init(&w->res.create);
	gb_hist_init(&w->res.populate);
	gb_hist_init(&w->res.close);
	w->idx = idx;
	w->cfg = cfg;
	w->res.npopulation = wl->population_buckets(cfg, idx);
	if (w->res.npopulation) {
		w->res.population = gb_shared_alloc(population_bytes(w));
		if (!w->res.population)
			return -1;
		for (i = 0; i < w->res.npopulation; i++)
			gb_hist_init(&w->res.population[i]);
	}
	/* Descriptors stay private: a forked worker gets its own copy. */
	w->nfds = wl->files_per_thread(cfg, idx);
	if (w->nfds) {
		w->fds = malloc(w->nfds * sizeof(int));
		if (!w->fds)
			return -1;
	}
	return 0;
}

static void free_workers(struct gb_worker *workers, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		gb_shared_free(workers[i].res.population, population_bytes(&workers[i]));
		free(workers[i].fds);
	}
	gb_shared_free(workers, n * sizeof(*workers));
}

/* Sleep for the run's duration; return early on a signal, an error or a dead worker. */
static void wait_duration(struct gb_run_ctx *ctx, struct gb_spawn *sp, double seconds)
{
	uint64_t deadline = gb_now_ns() + (uint64_t)(seconds * 1e9);
	uint64_t now, left;
	struct timespec ts;

	while (!gb_stopping() && (now = gb_now_ns()) < deadline) {
		if (sp->ops->reap) {
			ctx_lock(ctx);
			workers_lost(ctx, sp);
			pthread_mutex_unlock(&ctx->lock);
		}
		left = deadline - now;
		if (left > STOP_POLL_NS)
			left = STOP_POLL_NS;
		ts.tv_sec = (time_t)(left / 1000000000ULL);
		ts.tv_nsec = (long)(left % 1000000000ULL);
		nanosleep(&ts, NULL);
	}
	gb_request_stop();
}

static void summarise_thread(struct gb_thread_summary *t, const struct gb_worker *w)
{
	t->place = w->place;
	t->created = w->res.created;
	t->closed = w->res.closed;
	t->elapsed_ns = w->res.measured_ns;
	t->create_mean_ns = gb_hist_mean(&w->res.create);
	t->create_p99_ns = gb_hist_percentile(&w->res.create, 99.0);
	t->close_mean_ns = gb_hist_mean(&w->res.close);
	t->close_p99_ns = gb_hist_percentile(&w->res.close, 99.0);
	t->err = w->res.err;
}

static int merge_pairs(struct gb_run_result *run, const struct gb_worker *workers, unsigned int n)
{
	unsigned int i, total = 0;

	for (i = 0; i < n; i++)
		total += workers[i].res.npairs;
	if (!total)
		return 0;
	run->pair_pct = malloc(total * sizeof(*run->pair_pct));
	if (!run->pair_pct)
		return -1;
	for (i = 0; i < n; i++) {
		memcpy(run->pair_pct + run->npairs, workers[i].res.pair_pct,
		       workers[i].res.npairs * sizeof(*run->pair_pct));
		run->npairs += workers[i].res.npairs;
	}
	return 0;
}

static int merge_workers(struct gb_run_result *run, struct gb_worker *workers, unsigned int n)
{
	uint64_t start = UINT64_MAX, end = 0, create_end = 0;
	uint64_t close_start = UINT64_MAX, bare_ns = 0, bare_ops = 0;
	unsigned int i, b;

	run->threads = calloc(n, sizeof(*run->threads));
	if (!run->threads)
		return -1;
	run->nthreads = n;
	gb_hist_init(&run->create);
	gb_hist_init(&run->populate);
	gb_hist_init(&run->close);
	run->npopulation = workers[0].res.npopulation;
	run->bucket = workers[0].res.bucket;
	if (run->npopulation) {
		run->population = malloc(run->npopulation * sizeof(struct gb_hist));
		if (!run->population)
			return -1;
		for (b = 0; b < run->npopulation; b++)
			gb_hist_init(&run->population[b]);
	}

	for (i = 0; i < n; i++) {
		const struct gb_thread_result *r = &workers[i].res;

		summarise_thread(&run->threads[i], &workers[i]);
		gb_hist_merge(&run->create, &r->create);
		gb_hist_merge(&run->populate, &r->populate);
		gb_hist_merge(&run->close, &r->close);
		/* Workers may hold one file more than others: fewer buckets. */
		for (b = 0; b < r->npopulation && b < run->npopulation; b++)
			gb_hist_merge(&run->population[b], &r->population[b]);
		run->created += r->created;
		run->closed += r->closed;
		run->busy_ns += run->threads[i].elapsed_ns;
		if (r->start_ns && r->start_ns < start)
			start = r->start_ns;
		if (r->end_ns > end)
			end = r->end_ns;
		if (r->create_end_ns > create_end)
			create_end = r->create_end_ns;
		if (r->close_start_ns && r->close_start_ns < close_start)
			close_start = r->close_start_ns;
		bare_ns += r->bare_ns;
		bare_ops += r->bare_ops;
		if (r->err && !run->err) {
			run->err = r->err;
			run->err_op = r->err_op;
			run->err_thread = i;
		}
	}
	run->wall_ns = end > start ? end - start : 0;
	/* With --bare-check the bare segments are not part of the throughput. */
	if (bare_ops)
		for (i = 0, run->wall_ns = 0; i < n; i++)
			if (run->threads[i].elapsed_ns > run->wall_ns)
				run->wall_ns = run->threads[i].elapsed_ns;
	if (create_end > start)
		run->create_wall_ns = create_end - start;
	if (end > close_start && close_start != UINT64_MAX)
		run->close_wall_ns = end - close_start;
	/* hold: at the phase barrier every created file was open. */
	run->peak_open =
		gb_workload_has(workers[0].cfg->workload, GB_WORKLOAD_PEAK) ? run->created : n;
	if (bare_ops)
		run->bare_ns_per_op = (double)bare_ns / (double)bare_ops;
	return merge_pairs(run, workers, n);
}

static unsigned int start_workers(struct gb_run_ctx *ctx, struct gb_spawn *sp)
{
	sigset_t block, old;
	unsigned int i;

	/* Workers must not take the stop signals: the main thread handles them. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < ctx->cfg->threads; i++) {
		int err = sp->ops->start(sp, i, worker_main, &ctx->workers[i]);

		if (err) {
			gb_fail_errno(gb_exit_for_errno(err), err,
				      "cannot start worker %u of %u (%s)", i + 1, ctx->cfg->threads,
				      sp->ops->name);
			mark_setup_failed(ctx);
			break;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return i;
}

static void init_sync(struct gb_run_ctx *ctx)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&ctx->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ctx->cond, &ca);
	pthread_condattr_destroy(&ca);
}

static void init_phase_barrier(struct gb_run_ctx *ctx, unsigned int n)
{
	pthread_barrierattr_t ba;

	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(&ctx->phase_barrier, &ba, n);
	pthread_barrierattr_destroy(&ba);
}

static struct gb_run_ctx *alloc_ctx(struct gb_session *s)
{
	const struct gb_config *cfg = s->cfg;
	struct gb_run_ctx *ctx = gb_shared_alloc(sizeof(*ctx));
	unsigned int i;

	if (!ctx)
		return NULL;
	ctx->cfg = cfg;
	ctx->be = &s->backend;
	ctx->workers = gb_shared_alloc(cfg->threads * sizeof(*ctx->workers));
	if (!ctx->workers) {
		gb_shared_free(ctx, sizeof(*ctx));
		return NULL;
	}
	for (i = 0; i < cfg->threads; i++) {
		struct gb_worker *w = &ctx->workers[i];

		w->ctx = ctx;
		w->collectors = s->collectors;
		w->bt.be = &s->backend;
		w->place = s->plan.threads[i];
		w->phase_barrier = &ctx->phase_barrier;
		if (alloc_worker(w, cfg, i)) {
			free_workers(ctx->workers, cfg->threads);
			gb_shared_free(ctx, sizeof(*ctx));
			return NULL;
		}
	}
	init_sync(ctx);
	return ctx;
}

/*
 * Until every worker process has ended, look out for one that died early:
 * the others would wait for it at a barrier for ever.
 */
static void wait_workers(struct gb_run_ctx *ctx, struct gb_spawn *sp)
{
	struct timespec tick = { 0, (long)WORKER_POLL_NS };
	int running = 1;

	while (sp->ops->reap && running > 0) {
		ctx_lock(ctx);
		running = poll_workers(ctx, sp);
		pthread_mutex_unlock(&ctx->lock);
		if (running > 0)
			nanosleep(&tick, NULL);
	}
}

static int run_once(struct gb_session *s, struct gb_run_result *run)
{
	const struct gb_config *cfg = s->cfg;
	struct gb_run_ctx *ctx = alloc_ctx(s);
	unsigned int i, started;
	struct gb_spawn sp;
	char why[128];
	int ret = 0, peak_ret = 0;

	if (!ctx || gb_collectors_areas_alloc(s->collectors, cfg->threads) ||
	    gb_spawn_init(&sp, cfg->procs ? &gb_spawn_procs : &gb_spawn_threads, cfg->threads)) {
		gb_collectors_areas_free(s->collectors);
		if (ctx) {
			free_workers(ctx->workers, cfg->threads);
			gb_shared_free(ctx, sizeof(*ctx));
		}
		return gb_fail(GB_EXIT_NOMEM, "out of memory for %u workers", cfg->threads);
	}

	started = start_workers(ctx, &sp);
	if (started)
		init_phase_barrier(ctx, started);
	gate_open(ctx, &sp, started, s->collectors);
	if (gb_workload_has(cfg->workload, GB_WORKLOAD_PEAK) && !ctx->setup_failed &&
	    started == cfg->threads)
		peak_ret = at_peak(ctx, &sp, s->collectors);
	if (cfg->duration_s > 0.0 && !ctx->setup_failed)
		wait_duration(ctx, &sp, cfg->duration_s);
	wait_workers(ctx, &sp);
	if (ctx->workers_lost)
		ret = gb_fail(
			GB_EXIT_FAILURE,
			"%s; the other workers were killed and their files closed as they exited",
			ctx->lost_why);
	for (i = 0; i < started; i++)
		if (sp.ops->wait(&sp, i, why, sizeof(why)) && !ret)
			ret = gb_fail(GB_EXIT_FAILURE, "%s", why);
	if (!ctx->setup_failed)
		gb_collectors_snapshot(s->collectors, GB_PHASE_END);

	if (!ret && started == cfg->threads && merge_workers(run, ctx->workers, started))
		ret = gb_fail(GB_EXIT_NOMEM, "out of memory");
	if (!ret && run->threads && !ctx->setup_failed)
		run->collectors = gb_collectors_report_run(s->collectors, run);
	if (!ret)
		ret = peak_ret;
	/*
	 * Destroying a barrier or condition waits for the waiters to leave
	 * it; killed workers never will.  Their memory is unmapped below.
	 */
	if (!ctx->workers_lost) {
		if (started)
			pthread_barrier_destroy(&ctx->phase_barrier);
		pthread_cond_destroy(&ctx->cond);
		pthread_mutex_destroy(&ctx->lock);
	}
	gb_collectors_areas_free(s->collectors);
	free_workers(ctx->workers, cfg->threads);
	gb_shared_free(ctx, sizeof(*ctx));
	gb_spawn_free(&sp);
	return ret ? ret : gb_error_code();
}

/* A worker's errno as the one-line error of the whole session. */
static int fail_from_run(const struct gb_session *s, const struct gb_run_result *run,
			 unsigned int idx)
{
	const char *what = s->backend.ops->name;

	if (run->err == ENOMEM)
		return gb_fail(
			GB_EXIT_NOMEM,
			"out of memory (%s failed) after %llu %s files were open in run %u; all were closed",
			run->err_op, (unsigned long long)run->created, what, idx + 1);
	if (run->err == EMFILE || run->err == ENFILE)
		return gb_fail(
			GB_EXIT_FD_LIMIT,
			"%s while %llu %s files were open in run %u (RLIMIT_NOFILE %llu, fs.file-max may also apply); all were closed",
			run->err == EMFILE ? "EMFILE: per-process descriptor limit reached" :
					     "ENFILE: system-wide file limit reached",
			(unsigned long long)run->created, what, idx + 1,
			(unsigned long long)s->nofile_limit);
	return gb_fail_errno(gb_exit_for_errno(run->err), run->err,
			     "%s failed in thread %u of run %u after %llu files", run->err_op,
			     run->err_thread, idx + 1, (unsigned long long)run->created);
}

static uint64_t peak_rss_kib(int who)
{
	struct rusage ru;

	return getrusage(who, &ru) ? 0 : (uint64_t)ru.ru_maxrss;
}

int gb_session_run(struct gb_session *s, const struct gb_config *cfg)
{
	uint64_t t0;
	unsigned int i;
	int ret;

	s->cfg = cfg;
	s->start_time = (uint64_t)time(NULL);
	s->backend.cfg = cfg;
	s->backend.ops = cfg->backend;
	s->timer_cost_ns = gb_timer_cost_ns();

	ret = gb_placement_plan(cfg, &s->plan);
	if (ret)
		return ret;
	ret = gb_check_budget(s);
	if (ret)
		return ret;
	ret = s->backend.ops->open(&s->backend);
	if (ret)
		return ret;
	s->backend.opened = true;
	gb_collectors_open(s->collectors, cfg);
	gb_collectors_prepare(s->collectors);

	s->runs = calloc(cfg->runs, sizeof(*s->runs));
	if (!s->runs)
		return gb_fail(GB_EXIT_NOMEM, "out of memory");
	t0 = gb_now_ns();
	for (i = 0; i < cfg->runs && !gb_signal_received; i++) {
		gb_clear_stop();
		ret = run_once(s, &s->runs[i]);
		/* A run that completed is kept even if --at-peak failed in it. */
		if (s->runs[i].threads)
			s->nruns++;
		if (ret)
			break;
		if (!s->runs[i].created && !s->runs[i].err && !gb_signal_received) {
			ret = gb_fail(
				GB_EXIT_FAILURE,
				"run %u did no operation: nothing to measure (a longer --duration?)",
				i + 1);
			break;
		}
		if (s->runs[i].err) {
			ret = fail_from_run(s, &s->runs[i], i);
			break;
		}
	}
	s->elapsed_ns = gb_now_ns() - t0;
	s->signal = gb_signal_received;
	s->peak_rss_kib = peak_rss_kib(RUSAGE_SELF);
	s->peak_rss_children_kib = peak_rss_kib(RUSAGE_CHILDREN);
	return ret;
}

void gb_session_free(struct gb_session *s)
{
	unsigned int i;

	if (s->runs) {
		for (i = 0; i < s->cfg->runs; i++) {
			free(s->runs[i].threads);
			free(s->runs[i].population);
			free(s->runs[i].pair_pct);
			json_decref(s->runs[i].collectors);
		}
	}
	free(s->runs);
	gb_collectors_close(s->collectors);
	if (s->backend.ops && s->backend.ops->close)
		s->backend.ops->close(&s->backend);
	gb_placement_free(&s->plan);
}
