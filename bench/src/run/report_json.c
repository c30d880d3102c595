// SPDX-License-Identifier: GPL-2.0
/*
 * The result document.  Every run's figures are kept as samples (the
 * compare tool needs distributions, not just means), histograms keep their
 * non-empty buckets so they can be merged and re-read exactly, and the
 * metadata says where and how the numbers were taken.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "metadata.h"
#include "metrics.h"
#include "options.h"
#include "params.h"
#include "report.h"
#include "util.h"
#include "version.h"
#include "workload.h"

static const double percentiles[] = { 50.0, 90.0, 99.0, 99.9 };
static const char *const percentile_keys[] = { "p50", "p90", "p99", "p99.9" };

json_t *gb_hist_json(const struct gb_hist *h, bool with_buckets)
{
	json_t *obj = json_object(), *buckets;
	uint64_t lo, hi;
	unsigned int i;

	json_object_set_new(obj, "count", json_integer((json_int_t)h->count));
	json_object_set_new(obj, "mean", json_real(gb_hist_mean(h)));
	json_object_set_new(obj, "min", json_integer(h->count ? (json_int_t)h->min : 0));
	json_object_set_new(obj, "max", json_integer((json_int_t)h->max));
	for (i = 0; i < ARRAY_SIZE(percentiles); i++)
		json_object_set_new(
			obj, percentile_keys[i],
			json_integer((json_int_t)gb_hist_percentile(h, percentiles[i])));
	if (!with_buckets)
		return obj;
	/* Sparse [lowest value, highest value, count] triples. */
	buckets = json_array();
	for (i = 0; i < GB_HIST_NBUCKETS; i++) {
		if (!h->buckets[i])
			continue;
		gb_hist_bucket_bounds(i, &lo, &hi);
		json_array_append_new(buckets,
				      json_pack("[I, I, I]", (json_int_t)lo, (json_int_t)hi,
						(json_int_t)h->buckets[i]));
	}
	json_object_set_new(obj, "sum", json_integer((json_int_t)h->sum));
	json_object_set_new(obj, "buckets", buckets);
	return obj;
}

double gb_timer_overhead_fraction(const struct gb_session *s)
{
	unsigned int period = s->cfg->timing == GB_TIMING_EVERY	  ? 1 :
			      s->cfg->timing == GB_TIMING_SAMPLED ? s->cfg->sample_every :
								    0;
	/* A timed churn op reads the clock 3 times, 4 with --populate. */
	double reads = s->cfg->populate ? 4.0 : 3.0, ns_per_op = 0.0;
	unsigned int i;

	for (i = 0; i < s->nruns; i++)
		ns_per_op += gb_run_ns_per_op(&s->runs[i]) / s->nruns;
	if (!period || ns_per_op <= 0.0)
		return 0.0;
	return reads * s->timer_cost_ns / period / ns_per_op;
}

static json_t *population_json(const struct gb_run_result *run)
{
	json_t *arr = json_array();
	unsigned int b;

	for (b = 0; b < run->npopulation; b++) {
		json_t *e = gb_hist_json(&run->population[b], false);
		uint64_t from = b * run->bucket, to = (b + 1) * run->bucket;

		json_object_set_new(e, "files_per_thread_from", json_integer((json_int_t)from));
		json_object_set_new(e, "files_per_thread_to", json_integer((json_int_t)to));
		json_object_set_new(e, "population_from",
				    json_integer((json_int_t)(from * run->nthreads)));
		json_object_set_new(e, "population_to",
				    json_integer((json_int_t)(to * run->nthreads)));
		json_array_append_new(arr, e);
	}
	return arr;
}

static json_t *threads_json(const struct gb_run_result *run)
{
	json_t *arr = json_array();
	unsigned int i;

	for (i = 0; i < run->nthreads; i++) {
		const struct gb_thread_summary *t = &run->threads[i];
		double secs = t->elapsed_ns / 1e9;

		json_array_append_new(
			arr,
			json_pack("{s:i, s:i, s:i, s:I, s:I, s:I, s:f, s:f, s:I, s:f, s:I, s:i}",
				  "thread", i, "cpu", t->place.cpu, "node", t->place.node,
				  "created", (json_int_t)t->created, "closed",
				  (json_int_t)t->closed, "elapsed_ns", (json_int_t)t->elapsed_ns,
				  "ops_per_sec", secs > 0 ? t->created / secs : 0.0,
				  "create_mean_ns", t->create_mean_ns, "create_p99_ns",
				  (json_int_t)t->create_p99_ns, "close_mean_ns", t->close_mean_ns,
				  "close_p99_ns", (json_int_t)t->close_p99_ns, "errno", t->err));
	}
	return arr;
}

/* {"created": [N0, N1, ...], "closed": [...]}: every node of the machine. */
static json_t *per_node_json(const struct gb_run_result *run)
{
	uint64_t created[GB_MAX_NODES], closed[GB_MAX_NODES];
	unsigned int n = gb_run_per_node(run, created, closed);
	json_t *c = json_array(), *d = json_array();

	for (unsigned int i = 0; i < n; i++) {
		json_array_append_new(c, json_integer((json_int_t)created[i]));
		json_array_append_new(d, json_integer((json_int_t)closed[i]));
	}
	return json_pack("{s:o, s:o}", "created", c, "closed", d);
}

static json_t *run_json(const struct gb_run_result *run, unsigned int idx)
{
	json_t *r = json_object();

	json_object_set_new(r, "index", json_integer(idx));
	json_object_set_new(r, "wall_ns", json_integer((json_int_t)run->wall_ns));
	json_object_set_new(r, "busy_ns", json_integer((json_int_t)run->busy_ns));
	json_object_set_new(r, "created", json_integer((json_int_t)run->created));
	json_object_set_new(r, "closed", json_integer((json_int_t)run->closed));
	json_object_set_new(r, "peak_open", json_integer((json_int_t)run->peak_open));
	json_object_set_new(r, "per_node", per_node_json(run));
	json_object_set_new(r, "ns_per_op", json_real(gb_run_ns_per_op(run)));
	json_object_set_new(r, "ops_per_sec", json_real(gb_run_ops_per_sec(run)));
	if (run->npopulation) {
		json_object_set_new(r, "create_phase_ns",
				    json_integer((json_int_t)run->create_wall_ns));
		json_object_set_new(r, "close_phase_ns",
				    json_integer((json_int_t)run->close_wall_ns));
		json_object_set_new(
			r, "creates_per_sec",
			json_real(gb_run_phase_rate(run->created, run->create_wall_ns)));
		json_object_set_new(r, "closes_per_sec",
				    json_real(gb_run_phase_rate(run->closed, run->close_wall_ns)));
		json_object_set_new(r, "bucket_files_per_thread",
				    json_integer((json_int_t)run->bucket));
		json_object_set_new(r, "population", population_json(run));
	}
	if (run->bare_ns_per_op > 0.0) {
		json_object_set_new(r, "bare_ns_per_op", json_real(run->bare_ns_per_op));
		json_object_set_new(r, "harness_overhead_pct", json_real(gb_run_overhead_pct(run)));
	}
	json_object_set_new(r, "errno", json_integer(run->err));
	json_object_set_new(r, "create", gb_hist_json(&run->create, true));
	json_object_set_new(r, "populate", gb_hist_json(&run->populate, true));
	json_object_set_new(r, "close", gb_hist_json(&run->close, true));
	json_object_set_new(r, "threads", threads_json(run));
	if (run->collectors)
		json_object_set_new(r, "collectors", json_incref(run->collectors));
	return r;
}

static void samples_json(const struct gb_session *s, json_t *doc)
{
	bool hold = gb_workload_has(s->cfg->workload, GB_WORKLOAD_PEAK);
	json_t *samples = json_object(), *stats = json_object();
	unsigned int n = s->nruns, i, k;
	double *v = calloc(n + 1, sizeof(double));

	for (k = 0; k < gb_nmetrics && v; k++) {
		const struct gb_metric *m = &gb_metrics[k];
		json_t *arr;

		if (!m->of_run || (m->written == GB_WRITTEN_PEAK && !hold) ||
		    (m->written == GB_WRITTEN_BARE && !s->cfg->bare_check))
			continue;
		arr = json_array();
		for (i = 0; i < n; i++) {
			v[i] = m->of_run(&s->runs[i]);
			json_array_append_new(arr, json_real(v[i]));
		}
		json_object_set_new(samples, m->key, arr);
		if (n)
			json_object_set_new(stats, m->key,
					    json_pack("{s:f, s:f, s:i}", "mean",
						      gsl_stats_mean(v, 1, n), "stddev",
						      n > 1 ? gsl_stats_sd(v, 1, n) : 0.0, "n", n));
	}
	free(v);
	json_object_set_new(doc, "samples", samples);
	json_object_set_new(doc, "stats", stats);
}

static json_t *all_runs_hist(const struct gb_session *s, enum gb_op op)
{
	struct gb_hist *merged = gb_session_hist(s, op);
	json_t *out = merged ? gb_hist_json(merged, false) : json_null();

	free(merged);
	return out;
}

static json_t *status_json(const struct gb_session *s, int exit_code)
{
	if (s->signal)
		return json_string("interrupted");
	return json_string(exit_code ? "error" : "ok");
}

json_t *gb_report_json(const struct gb_session *s, int exit_code, const char *error)
{
	json_t *doc = json_object(), *meta = gb_metadata_json(), *kvm = json_object();
	json_t *runs = json_array(), *timer;
	unsigned int i;

	json_object_set_new(doc, "schema", json_string(GB_JSON_SCHEMA));
	json_object_set_new(doc, "status", status_json(s, exit_code));
	json_object_set_new(doc, "exit_code", json_integer(exit_code));
	json_object_set_new(doc, "error", error && *error ? json_string(error) : json_null());
	json_object_set_new(doc, "signal",
			    s->signal ? json_string(strsignal(s->signal)) : json_null());
	json_object_set_new(doc, "label", s->cfg->label ? json_string(s->cfg->label) : json_null());
	json_object_set_new(doc, "params", gb_params_json(s->cfg));

	if (s->backend.opened)
		s->backend.ops->describe(&s->backend, kvm);
	json_object_set_new(meta, "backend", kvm);
	timer = json_pack("{s:s, s:f, s:f}", "clock", "CLOCK_MONOTONIC", "cost_ns",
			  s->timer_cost_ns, "overhead_fraction_est", gb_timer_overhead_fraction(s));
	json_object_set_new(meta, "timer", timer);
	json_object_set_new(meta, "rlimit_nofile", json_integer((json_int_t)s->nofile_limit));
	json_object_set_new(meta, "elapsed_s", json_real(s->elapsed_ns / 1e9));
	json_object_set_new(meta, "peak_rss_kib", json_integer((json_int_t)s->peak_rss_kib));
	json_object_set_new(meta, "peak_rss_worker_process_kib",
			    json_integer((json_int_t)s->peak_rss_children_kib));
	json_object_set_new(meta, "workers", json_string(s->cfg->procs ? "processes" : "threads"));
	json_object_set_new(meta, "collectors", gb_collectors_status(s->collectors));
	json_object_set_new(doc, "metadata", meta);
	if (s->plan.threads)
		json_object_set_new(doc, "placement", gb_placement_json(&s->plan));

	for (i = 0; i < s->nruns; i++)
		json_array_append_new(runs, run_json(&s->runs[i], i));
	json_object_set_new(doc, "runs", runs);
	samples_json(s, doc);
	if (s->cfg->bare_check) {
		struct gb_overhead o;

		gb_session_overhead(s, &o);
		json_object_set_new(doc, "harness_overhead",
				    json_pack("{s:f, s:f, s:f, s:i}", "median_pair_pct",
					      o.median_pair_pct, "pooled_pct", o.pooled_pct,
					      "median_run_pct", o.median_run_pct, "segment_pairs",
					      o.pairs));
	}
	json_object_set_new(doc, "create_all_runs", all_runs_hist(s, GB_OP_CREATE));
	json_object_set_new(doc, "close_all_runs", all_runs_hist(s, GB_OP_CLOSE));
	return doc;
}
