// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "metrics.h"
#include "session.h"
#include "util.h"

bool gb_metric_applies(const struct gb_metric *m, json_t *doc)
{
	const char *wl =
		json_string_value(json_object_get(json_object_get(doc, "params"), "workload"));

	return !m->workload || (wl && !strcmp(wl, m->workload));
}

/* samples.KEY: one value per run, written by gmem-bench (of_run). */
static size_t from_samples(const struct gb_metric *m, json_t *doc, double *out, size_t *run,
			   size_t max)
{
	json_t *arr = json_object_get(json_object_get(doc, "samples"), m->key), *v;
	size_t i, n = 0;

	json_array_foreach(arr, i, v)
	{
		if (n < max) {
			run[n] = i;
			out[n++] = json_number_value(v);
		}
	}
	return n;
}

/*
 * runs[].collectors.A.B...: a collector's figure for each run, given as a
 * '.'-separated path below "collectors".  Runs without it are skipped, so
 * a collector that didn't run yields no samples rather than zeros.
 */
static size_t from_collectors(const struct gb_metric *m, json_t *doc, double *out, size_t *run_of,
			      size_t max)
{
	json_t *runs = json_object_get(doc, "runs"), *run;
	size_t i, n = 0;

	json_array_foreach(runs, i, run)
	{
		json_t *v = json_object_get(run, "collectors");
		char buf[128], *tok, *save = NULL;

		snprintf(buf, sizeof(buf), "%s", m->path);
		for (tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
			v = json_object_get(v, tok);
		if (json_is_number(v) && n < max) {
			run_of[n] = i;
			out[n++] = json_number_value(v);
		}
	}
	return n;
}

/*
 * Which figures mean something where: a churn run keeps one file per worker
 * open, so its slab growth is noise; hold's create and close phases have
 * rates of their own, and its creates+closes/s would include the wait at
 * the barrier between them.
 */
#define MEAN GB_REDUCE_MEAN
#define BEST GB_REDUCE_BEST
#define SAMPLES(fn) .extract = from_samples, .of_run = (fn)
#define COLLECTED(p) .extract = from_collectors, .path = (p)
const struct gb_metric gb_metrics[] = {
	{ "ops_per_sec", "creates+closes/s", true, true, true, 0, BEST, "churn",
	  SAMPLES(gb_run_ops_per_sec) },
	{ "ns_per_op", "ns per create+close", false, false, false, 1, BEST, NULL,
	  SAMPLES(gb_run_ns_per_op) },
	{ "creates_per_sec", "creates/s", true, true, true, 0, BEST, "hold",
	  SAMPLES(gb_run_creates_per_sec), .written = GB_WRITTEN_PEAK },
	{ "closes_per_sec", "closes/s", true, true, true, 0, BEST, "hold",
	  SAMPLES(gb_run_closes_per_sec), .written = GB_WRITTEN_PEAK },
	{ "create_mean_ns", "create mean ns", false, false, false, 1, BEST, NULL,
	  SAMPLES(gb_run_create_mean_ns) },
	{ "create_p99_ns", "create p99 ns", false, false, true, 0, MEAN, NULL,
	  SAMPLES(gb_run_create_p99_ns) },
	{ "close_mean_ns", "close mean ns", false, false, false, 1, BEST, NULL,
	  SAMPLES(gb_run_close_mean_ns) },
	{ "close_p99_ns", "close p99 ns", false, false, true, 0, MEAN, NULL,
	  SAMPLES(gb_run_close_p99_ns) },
	{ "slab_bytes_per_file", "slab bytes/file", false, false, true, 1, MEAN, "hold",
	  COLLECTED("slab.total_bytes_per_file") },
	{ "memcg_bytes_per_file", "memcg kmem bytes/file", false, false, false, 1, MEAN, "hold",
	  COLLECTED("memcg.kmem_bytes_per_file") },
	{ "allocs_per_create", "slab allocs/create", false, false, true, 3, MEAN, NULL,
	  COLLECTED("perf.per_create.kmem:kmem_cache_alloc.per_op") },
	/* The harness's own reference (--bare-check): for the reader only. */
	{ "bare_ns_per_op", "bare-loop ns per create+close", false, false, false, 1, BEST, "churn",
	  SAMPLES(gb_run_bare_ns_per_op), .written = GB_WRITTEN_BARE, .not_compared = true },
};
#undef MEAN
#undef BEST
#undef SAMPLES
#undef COLLECTED
const size_t gb_nmetrics = ARRAY_SIZE(gb_metrics);

const struct gb_metric *gb_metric_find(const char *key)
{
	for (size_t i = 0; i < gb_nmetrics; i++)
		if (!strcmp(gb_metrics[i].key, key))
			return &gb_metrics[i];
	return NULL;
}
