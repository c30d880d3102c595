// SPDX-License-Identifier: GPL-2.0
/* Figures derived from a session's runs, for both reports. */
#include <stdlib.h>
#include <string.h>

#include "placement.h"
#include "session.h"
#include "stats.h"

double gb_run_ns_per_op(const struct gb_run_result *run)
{
	/* What one create+close costs the thread doing it. */
	return run->created ? (double)run->busy_ns / (double)run->created : 0.0;
}

double gb_run_ops_per_sec(const struct gb_run_result *run)
{
	return run->wall_ns ? (double)run->created * 1e9 / (double)run->wall_ns : 0.0;
}

unsigned int gb_run_per_node(const struct gb_run_result *run, uint64_t *created, uint64_t *closed)
{
	unsigned int nodes = gb_machine_nodes();

	memset(created, 0, GB_MAX_NODES * sizeof(*created));
	memset(closed, 0, GB_MAX_NODES * sizeof(*closed));
	for (unsigned int i = 0; i < run->nthreads; i++) {
		const struct gb_thread_summary *t = &run->threads[i];

		if (t->place.node >= 0 && t->place.node < GB_MAX_NODES)
			created[t->place.node] += t->created;
		if (t->place.close_node >= 0 && t->place.close_node < GB_MAX_NODES)
			closed[t->place.close_node] += t->closed;
	}
	return nodes;
}

double gb_run_phase_rate(uint64_t ops, uint64_t ns)
{
	return ns ? (double)ops * 1e9 / (double)ns : 0.0;
}

void gb_session_overhead(const struct gb_session *s, struct gb_overhead *o)
{
	double harness = 0.0, bare = 0.0, *runs, *pairs;
	unsigned int i, j, nruns = 0, total = 0;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < s->nruns; i++)
		total += s->runs[i].npairs;
	runs = calloc(s->nruns + 1, sizeof(double));
	pairs = calloc(total + 1, sizeof(double));
	for (i = 0; i < s->nruns && runs && pairs; i++) {
		const struct gb_run_result *r = &s->runs[i];

		if (r->bare_ns_per_op <= 0.0)
			continue;
		harness += (double)r->busy_ns;
		bare += r->bare_ns_per_op * (double)r->created;
		runs[nruns++] = gb_run_overhead_pct(r);
		for (j = 0; j < r->npairs; j++)
			pairs[o->pairs++] = r->pair_pct[j];
	}
	if (bare > 0.0)
		o->pooled_pct = (harness / bare - 1.0) * 100.0;
	if (runs && pairs) {
		o->median_run_pct = gb_median(runs, nruns);
		o->median_pair_pct = gb_median(pairs, o->pairs);
	}
	free(runs);
	free(pairs);
}

struct gb_hist *gb_session_hist(const struct gb_session *s, enum gb_op op)
{
	struct gb_hist *merged = malloc(sizeof(*merged));
	unsigned int i;

	if (!merged)
		return NULL;
	gb_hist_init(merged);
	for (i = 0; i < s->nruns; i++) {
		const struct gb_run_result *r = &s->runs[i];

		gb_hist_merge(merged, op == GB_OP_CREATE   ? &r->create :
				      op == GB_OP_POPULATE ? &r->populate :
							     &r->close);
	}
	return merged;
}

double gb_run_overhead_pct(const struct gb_run_result *run)
{
	return run->bare_ns_per_op > 0.0 ?
		       (gb_run_ns_per_op(run) / run->bare_ns_per_op - 1.0) * 100.0 :
		       0.0;
}

double gb_run_create_mean_ns(const struct gb_run_result *run)
{
	return gb_hist_mean(&run->create);
}

double gb_run_create_p99_ns(const struct gb_run_result *run)
{
	return (double)gb_hist_percentile(&run->create, 99.0);
}

double gb_run_close_mean_ns(const struct gb_run_result *run)
{
	return gb_hist_mean(&run->close);
}

double gb_run_close_p99_ns(const struct gb_run_result *run)
{
	return (double)gb_hist_percentile(&run->close, 99.0);
}

double gb_run_creates_per_sec(const struct gb_run_result *run)
{
	return gb_run_phase_rate(run->created, run->create_wall_ns);
}

double gb_run_closes_per_sec(const struct gb_run_result *run)
{
	return gb_run_phase_rate(run->closed, run->close_wall_ns);
}

double gb_run_bare_ns_per_op(const struct gb_run_result *run)
{
	return run->bare_ns_per_op;
}
