// SPDX-License-Identifier: GPL-2.0
/* The human summary on stdout: what ran, one line per run, then latencies. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <gsl/gsl_statistics_double.h>

#include "options.h"
#include "report.h"
#include "version.h"
#include "workload.h"

static void print_header(FILE *out, const struct gb_session *s)
{
	const struct gb_config *cfg = s->cfg;
	struct utsname uts;

	uname(&uts);
	fprintf(out, "gmem-bench %s: %s on %s, %u %s%s", GB_VERSION, cfg->workload->name,
		cfg->backend->name, cfg->threads, cfg->procs ? "process" : "thread",
		cfg->threads == 1 ? "" : (cfg->procs ? "es" : "s"));
	if (gb_backend_has(cfg->backend, GB_BACKEND_VM, cfg))
		fprintf(out, ", %s VM%s, type %s, flags 0x%llx",
			gb_vm_sharing_names[cfg->vm_sharing],
			cfg->vm_sharing == GB_VM_SHARED ? "" : "s", gb_vm_type_name(cfg->vm_type),
			(unsigned long long)cfg->gmem_flags);
	fprintf(out, ", size %llu", (unsigned long long)cfg->file_size);
	if (cfg->populate)
		fprintf(out, ", populate %llu", (unsigned long long)cfg->populate);
	fprintf(out, "\nkernel %s, %u CPUs and %u node%s used, timer %.1f ns/read", uts.release,
		s->plan.ncpus, s->plan.nnodes, s->plan.nnodes == 1 ? "" : "s", s->timer_cost_ns);
	if (cfg->timing == GB_TIMING_SAMPLED)
		fprintf(out, ", 1 op in %u timed (est. %.2f%% of an op)", cfg->sample_every,
			100.0 * gb_timer_overhead_fraction(s));
	else if (cfg->timing == GB_TIMING_EVERY)
		fprintf(out, ", every op timed (est. %.2f%% of an op)",
			100.0 * gb_timer_overhead_fraction(s));
	else
		fprintf(out, ", batch timing (no per-op latency)");
	fputs("\n\n", out);
}

static void print_latency(FILE *out, const char *what, const struct gb_session *s, enum gb_op op)
{
	struct gb_hist *h = gb_session_hist(s, op);

	if (h && h->count)
		fprintf(out, "%-9s %10llu %8.0f %8llu %8llu %8llu %8llu %8llu %8llu\n", what,
			(unsigned long long)h->count, gb_hist_mean(h), (unsigned long long)h->min,
			(unsigned long long)gb_hist_percentile(h, 50),
			(unsigned long long)gb_hist_percentile(h, 90),
			(unsigned long long)gb_hist_percentile(h, 99),
			(unsigned long long)gb_hist_percentile(h, 99.9),
			(unsigned long long)h->max);
	free(h);
}

static void print_throughput_stats(FILE *out, const struct gb_session *s)
{
	double v[s->nruns ? s->nruns : 1];
	unsigned int i;

	if (s->nruns < 2)
		return;
	for (i = 0; i < s->nruns; i++)
		v[i] = gb_run_ns_per_op(&s->runs[i]);
	fprintf(out, "ns per create+close over %u runs: mean %.1f, stddev %.1f (%.2f%%)\n",
		s->nruns, gsl_stats_mean(v, 1, s->nruns), gsl_stats_sd(v, 1, s->nruns),
		100.0 * gsl_stats_sd(v, 1, s->nruns) / gsl_stats_mean(v, 1, s->nruns));
}

static void print_overhead(FILE *out, const struct gb_session *s)
{
	struct gb_overhead o;

	if (!s->cfg->bare_check || !s->nruns)
		return;
	gb_session_overhead(s, &o);
	fprintf(out,
		"harness vs bare loop of the same syscalls: median of %u segment pairs %+.2f%%,\n"
		"  pooled over %u runs %+.2f%%, median run %+.2f%%\n",
		o.pairs, o.median_pair_pct, s->nruns, o.pooled_pct, o.median_run_pct);
}

void gb_report_text(FILE *out, const struct gb_session *s)
{
	print_header(out, s);
	s->cfg->workload->print_runs(out, s);
	fputc('\n', out);
	print_throughput_stats(out, s);
	print_overhead(out, s);
	if (s->cfg->timing != GB_TIMING_BATCH && s->nruns) {
		fprintf(out, "\nlatency ns %10s %8s %8s %8s %8s %8s %8s %8s\n", "samples", "mean",
			"min", "p50", "p90", "p99", "p99.9", "max");
		print_latency(out, "create", s, GB_OP_CREATE);
		print_latency(out, "populate", s, GB_OP_POPULATE);
		print_latency(out, "close", s, GB_OP_CLOSE);
	}
	if (s->nruns)
		gb_collectors_print((struct gb_collector *)s->collectors,
				    s->runs[s->nruns - 1].collectors != NULL, out);
	if (s->signal)
		fprintf(out, "\ninterrupted by %s: %u of %u runs have results, all files closed\n",
			strsignal(s->signal), s->nruns, s->cfg->runs);
}
