// SPDX-License-Identifier: GPL-2.0
/*
 * JSON through the library both ways: a session's report is written with
 * the atomic writer, read back with jansson, and its figures compared with
 * the ones that went in, including every histogram bucket.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "errors.h"
#include "json_file.h"
#include "options.h"
#include "report.h"
#include "session.h"
#include "workload.h"

#define NRUNS 3

static void fill_run(struct gb_run_result *r, unsigned int seed)
{
	uint64_t i;

	gb_hist_init(&r->create);
	gb_hist_init(&r->populate);
	gb_hist_init(&r->close);
	for (i = 0; i < 5000; i++) {
		gb_hist_record(&r->create, 1500 + (i * 7919 + seed) % 3000);
		gb_hist_record(&r->close, 1700 + (i * 104729 + seed) % 900);
	}
	r->nthreads = 1;
	r->threads = calloc(1, sizeof(*r->threads));
	r->created = r->closed = 5000;
	r->wall_ns = r->busy_ns = 5000 * (4000 + seed);
	r->peak_open = 1;
}

static uint64_t bucket_total(json_t *hist)
{
	json_t *b;
	size_t i;
	uint64_t total = 0;

	json_array_foreach(json_object_get(hist, "buckets"), i, b)
		total += (uint64_t)json_integer_value(json_array_get(b, 2));
	return total;
}

static void round_trip(const char *dir)
{
	struct gb_session s = { 0 };
	struct gb_config cfg;
	char path[512];
	json_error_t jerr;
	json_t *doc, *back, *runs, *samples;
	unsigned int i;

	gb_config_defaults(&cfg);
	cfg.workload = gb_workload_find("churn");
	cfg.duration_s = 1.0;
	cfg.label = "unit-test";
	s.cfg = &cfg;
	s.backend.ops = cfg.backend;
	s.timer_cost_ns = 20.0;
	s.runs = calloc(NRUNS, sizeof(*s.runs));
	s.nruns = NRUNS;
	for (i = 0; i < NRUNS; i++)
		fill_run(&s.runs[i], i);

	doc = gb_report_json(&s, 0, NULL);
	snprintf(path, sizeof(path), "%s/result.json", dir);
	CHECK(!gb_json_write_atomic(doc, path), "atomic write succeeds");
	back = json_load_file(path, 0, &jerr);
	CHECK(back != NULL, "result reads back: %s", jerr.text);
	if (!back)
		return;
	CHECK(json_equal(doc, back), "document read back equals the one written");
	CHECK(!strcmp(json_string_value(json_object_get(back, "status")), "ok"), "status ok");
	CHECK(!strcmp(json_string_value(json_object_get(back, "label")), "unit-test"), "label");
	runs = json_object_get(back, "runs");
	CHECK(json_array_size(runs) == NRUNS, "every run kept");
	samples = json_object_get(json_object_get(back, "samples"), "ns_per_op");
	CHECK(json_array_size(samples) == NRUNS, "one ns_per_op sample per run");
	for (i = 0; i < NRUNS && i < json_array_size(samples); i++)
		CHECK(json_real_value(json_array_get(samples, i)) == 4000.0 + i,
		      "sample %u is the run's ns/op", i);
	for (i = 0; i < NRUNS; i++) {
		json_t *create = json_object_get(json_array_get(runs, i), "create");

		CHECK(bucket_total(create) == 5000, "run %u: buckets add up to the count", i);
		CHECK((uint64_t)json_integer_value(json_object_get(create, "p99")) ==
			      gb_hist_percentile(&s.runs[i].create, 99),
		      "run %u: p99 survives the round trip", i);
		CHECK((uint64_t)json_integer_value(json_object_get(create, "sum")) ==
			      s.runs[i].create.sum,
		      "run %u: exact sum survives", i);
	}
	json_decref(back);
	json_decref(doc);
	for (i = 0; i < NRUNS; i++)
		free(s.runs[i].threads);
	free(s.runs);
}

static void unwritable(const char *dir)
{
	json_t *doc = json_pack("{s:i}", "x", 1);
	char path[512];

	snprintf(path, sizeof(path), "%s/missing-dir/result.json", dir);
	gb_error_reset();
	CHECK(gb_json_write_atomic(doc, path) == GB_EXIT_OUTPUT &&
		      strstr(gb_error_message(), "missing-dir"),
	      "unwritable path gives exit 9 and names the path: %s", gb_error_message());
	json_decref(doc);
}

/* No temporary file may be left next to the result. */
static void no_leftovers(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned int tmp = 0;

	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ".tmp."))
			tmp++;
	if (d)
		closedir(d);
	CHECK(tmp == 0, "%u temporary files left", tmp);
}

int main(void)
{
	char dir[] = "/tmp/gb-test-json-XXXXXX";
	char cmd[600];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	round_trip(dir);
	unwritable(dir);
	no_leftovers(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	return check_report();
}
