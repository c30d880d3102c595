// SPDX-License-Identifier: GPL-2.0
/*
 * Data files for the gnuplot scripts in scripts/plots/, and plot-vars.txt
 * with what they need to know (how many kernels and series, titles).
 *
 * Every label comes from result files that other people made (kernel
 * labels, CPU models, host names, case and cache names): none of it is
 * ever written as gnuplot code.  Labels go into data files, which gnuplot
 * reads as data, and into plot-vars.txt, which scripts/plot.sh passes to
 * gnuplot as arguments (gnuplot -c).  Control characters, which would end
 * a line of either, and double quotes, which would end a data string, are
 * replaced.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "compare.h"
#include "errors.h"

#define MAX_SERIES 64
#define MAX_CACHES 64

/* @s with control characters and '"' replaced by '?': one line, one string. */
void gb_put_plot_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		fputc(c < 0x20 || c == 0x7f || c == '"' ? '?' : c, f);
	}
}

/* A label as a string of a gnuplot data file. */
static void put_gp_string(FILE *f, const char *s)
{
	fputc('"', f);
	gb_put_plot_label(f, s);
	fputc('"', f);
}

/* "churn-gmem-2t-spread" -> "churn-gmem-spread": the series across thread counts. */
static void series_of(const char *name, char *out, size_t size)
{
	const char *p = name;
	size_t len = 0;

	while (*p && len + 1 < size) {
		size_t tok = strcspn(p, "-"), digits = strspn(p, "0123456789");

		if (!(digits && digits + 1 == tok && p[digits] == 't')) {
			if (len)
				out[len++] = '-';
			len += snprintf(out + len, size - len, "%.*s", (int)tok, p);
			if (len >= size)
				len = size - 1;
		}
		p += tok;
		p += *p == '-';
	}
	out[len] = '\0';
}

static double finite_or(double v, double fallback)
{
	return isfinite(v) ? v : fallback;
}

struct point {
	long long threads;
	const struct gb_cell *cell;
};

static int by_threads(const void *a, const void *b)
{
	const struct point *x = a, *y = b;

	return (x->threads > y->threads) - (x->threads < y->threads);
}

/* Points of one kernel's series, in thread order; returns how many. */
static size_t series_points(const struct gb_comparison *cmp, size_t set, const char *series,
			    struct point *pts, size_t max)
{
	size_t n = 0;

	for (size_t r = 0; r < cmp->nrows && n < max; r++) {
		const struct gb_row *row = &cmp->rows[r];
		char name[256];

		if (strcmp(row->metric->key, "ops_per_sec") || !row->cells[set].n)
			continue;
		series_of(row->case_name, name, sizeof(name));
		if (strcmp(name, series))
			continue;
		pts[n].threads = gb_case_param_int(&cmp->sets[set], row->case_name, "threads");
		pts[n++].cell = &row->cells[set];
	}
	qsort(pts, n, sizeof(*pts), by_threads);
	return n;
}

/*
 * Throughput against threads of every churn series: one block per
 * (kernel, series), headed by its title, rows of threads, harmonic mean
 * and its 95% interval.  Returns the number of blocks.
 */
static size_t write_throughput(FILE *f, const struct gb_comparison *cmp)
{
	char series[MAX_SERIES][256];
	struct point pts[MAX_SERIES];
	size_t nseries = 0, blocks = 0;
	char title[600];

	for (size_t r = 0; r < cmp->nrows && nseries < MAX_SERIES; r++) {
		const struct gb_row *row = &cmp->rows[r];
		char name[256];
		bool seen = false;

		/* ops_per_sec rows exist for churn cases only (metrics.c). */
		if (strcmp(row->metric->key, "ops_per_sec"))
			continue;
		series_of(row->case_name, name, sizeof(name));
		for (size_t i = 0; i < nseries; i++)
			seen |= !strcmp(series[i], name);
		if (!seen)
			snprintf(series[nseries++], sizeof(series[0]), "%s", name);
	}
	for (size_t s = 0; s < cmp->nsets; s++) {
		for (size_t i = 0; i < nseries; i++) {
			size_t n = series_points(cmp, s, series[i], pts, MAX_SERIES);

			if (!n)
				continue;
			fputs(blocks ? "\n\n" : "", f);
			snprintf(title, sizeof(title), "%s %s", cmp->sets[s].label, series[i]);
			put_gp_string(f, title);
			fputs(" hmean ci_lo ci_hi\n", f);
			for (size_t k = 0; k < n; k++) {
				const struct gb_cell *c = pts[k].cell;

				fprintf(f, "%lld %.6g %.6g %.6g\n", pts[k].threads, c->centre,
					finite_or(c->sum.ci_lo, c->centre),
					finite_or(c->sum.ci_hi, c->centre));
			}
			blocks++;
		}
	}
	return blocks;
}

/* The first case (in the baseline's order) that @want accepts, or @name. */
static const char *pick_case(const struct gb_comparison *cmp, const char *name,
			     bool (*want)(const struct gb_result_case *))
{
	const struct gb_result_set *base = &cmp->sets[0];

	if (name)
		return gb_result_set_find(base, name) ? name : NULL;
	for (size_t r = 0; r < cmp->nrows; r++) {
		const struct gb_result_case *c = gb_result_set_find(base, cmp->rows[r].case_name);

		if (want(c))
			return c->name;
	}
	return NULL;
}

static bool has_latency(const struct gb_result_case *c)
{
	return json_integer_value(
		       json_object_get(json_object_get(c->doc, "create_all_runs"), "count")) > 0;
}

/* A case the slab figures apply to (metrics.c decides which) that has them. */
static bool has_slab(const struct gb_result_case *c)
{
	json_t *runs = json_object_get(c->doc, "runs");
	const struct gb_metric *slab = NULL;

	for (size_t m = 0; m < gb_nmetrics && !slab; m++)
		if (!strcmp(gb_metrics[m].key, "slab_bytes_per_file"))
			slab = &gb_metrics[m];
	return slab && gb_metric_applies(slab, c->doc) &&
	       json_is_array(json_object_get(
		       json_object_get(json_object_get(json_array_get(runs, 0), "collectors"),
				       "slab"),
		       "caches"));
}

/* Percentiles of one operation over all runs: rows p50..p99.9, a column per kernel. */
static void write_latency(FILE *f, const struct gb_comparison *cmp, const char *case_name,
			  const char *op)
{
	static const char *const pcts[] = { "p50", "p90", "p99", "p99.9" };

	fputs("percentile", f);
	for (size_t s = 0; s < cmp->nsets; s++) {
		fputc(' ', f);
		put_gp_string(f, cmp->sets[s].label);
	}
	fputc('\n', f);
	for (size_t i = 0; i < ARRAY_SIZE(pcts); i++) {
		fprintf(f, "%s", pcts[i]);
		for (size_t s = 0; s < cmp->nsets; s++) {
			const struct gb_result_case *c =
				gb_result_set_find(&cmp->sets[s], case_name);
			json_t *h = json_object_get(c->doc, op);

			fprintf(f, " %.6g", json_number_value(json_object_get(h, pcts[i])));
		}
		fputc('\n', f);
	}
}

struct cache_figures {
	char name[64];
	double bytes_per_file[8];
	double per_node[8][16]; /* [set][node]: new objects, mean over runs */
	size_t nodes;
};

/* Mean over a set's runs of each cache's bytes per file and objects per node. */
static size_t gather_caches(const struct gb_comparison *cmp, const char *case_name,
			    struct cache_figures *out, size_t max)
{
	size_t n = 0;

	for (size_t s = 0; s < cmp->nsets && s < 8; s++) {
		json_t *runs = json_object_get(gb_result_set_find(&cmp->sets[s], case_name)->doc,
					       "runs"),
		       *run;
		size_t ri, nruns = json_array_size(runs);

		json_array_foreach(runs, ri, run)
		{
			json_t *caches = json_object_get(
				       json_object_get(json_object_get(run, "collectors"), "slab"),
				       "caches"),
			       *cache;
			size_t ci;

			json_array_foreach(caches, ci, cache)
			{
				const char *name =
					json_string_value(json_object_get(cache, "name"));
				json_t *nodes = json_object_get(cache, "per_node_new_objects");
				size_t k;

				/* Merged caches aren't in the total either: the same objects. */
				if (!name || !json_is_null(json_object_get(cache, "merged_into")))
					continue;
				for (k = 0; k < n && strcmp(out[k].name, name); k++)
					;
				if (k == n) {
					if (n == max)
						continue;
					memset(&out[n], 0, sizeof(out[n]));
					snprintf(out[n++].name, sizeof(out[0].name), "%s", name);
				}
				out[k].bytes_per_file[s] += json_number_value(json_object_get(
								    cache, "bytes_per_file")) /
							    nruns;
				for (size_t node = 0; node < json_array_size(nodes) && node < 16;
				     node++) {
					out[k].per_node[s][node] +=
						json_number_value(json_array_get(nodes, node)) /
						nruns;
					if (node + 1 > out[k].nodes)
						out[k].nodes = node + 1;
				}
			}
		}
	}
	return n;
}

static void write_slab(FILE *f, FILE *numa, const struct gb_comparison *cmp, const char *case_name)
{
	struct cache_figures caches[MAX_CACHES];
	size_t n = gather_caches(cmp, case_name, caches, MAX_CACHES);

	fputs("cache", f);
	fputs("cache_node", numa);
	for (size_t s = 0; s < cmp->nsets; s++) {
		fputc(' ', f);
		put_gp_string(f, cmp->sets[s].label);
		fputc(' ', numa);
		put_gp_string(numa, cmp->sets[s].label);
	}
	fputc('\n', f);
	fputc('\n', numa);
	for (size_t k = 0; k < n; k++) {
		put_gp_string(f, caches[k].name);
		for (size_t s = 0; s < cmp->nsets; s++)
			fprintf(f, " %.6g", s < 8 ? caches[k].bytes_per_file[s] : 0);
		fputc('\n', f);
		for (size_t node = 0; node < caches[k].nodes; node++) {
			fputc('"', numa);
			gb_put_plot_label(numa, caches[k].name);
			fprintf(numa, " N%zu\"", node);
			for (size_t s = 0; s < cmp->nsets; s++)
				fprintf(numa, " %.6g", s < 8 ? caches[k].per_node[s][node] : 0);
			fputc('\n', numa);
		}
	}
}

/* One "key value" line a variable; plot.sh reads them, gnuplot never does. */
static void write_vars(FILE *f, const struct gb_comparison *cmp, size_t nblocks, const char *lat,
		       const char *slab)
{
	const struct gb_result_set *base = &cmp->sets[0];

	fprintf(f, "nsets %zu\nnblocks %zu\nkernels ", cmp->nsets, nblocks);
	for (size_t s = 0; s < cmp->nsets; s++) {
		fputs(s ? " vs " : "", f);
		gb_put_plot_label(f, cmp->sets[s].label);
	}
	fputs("\nmachine ", f);
	gb_put_plot_label(f, base->host);
	fputs(", ", f);
	gb_put_plot_label(f, base->cpu_model);
	fputs(", ", f);
	gb_put_plot_label(f, base->topology);
	fputs(", accelerator ", f);
	gb_put_plot_label(f, base->accelerator);
	fputs("\nlatency_case ", f);
	gb_put_plot_label(f, lat ? lat : "");
	fputs("\nslab_case ", f);
	gb_put_plot_label(f, slab ? slab : "");
	fputc('\n', f);
}

enum { F_THROUGHPUT, F_LAT_CREATE, F_LAT_CLOSE, F_SLAB, F_NUMA, F_VARS, F_COUNT };

static const char *const data_files[F_COUNT] = {
	"throughput.dat", "latency-create.dat", "latency-close.dat",
	"slab.dat",	  "numa.dat",		"plot-vars.txt",
};

int gb_compare_write_plot_data(const struct gb_comparison *cmp, const char *dir,
			       const char *latency_case, const char *slab_case)
{
	const char *lat = pick_case(cmp, latency_case, has_latency);
	const char *slab = pick_case(cmp, slab_case, has_slab);
	bool wanted[F_COUNT] = { true, lat, lat, slab, slab, true };
	struct gb_atomic_file af[F_COUNT] = { 0 };
	char paths[F_COUNT][4096];
	size_t nblocks;
	int ret = 0;

	if (cmp->nsets > GB_PLOT_MAX_SETS)
		return gb_fail(GB_EXIT_USAGE, "plots take at most %d kernels", GB_PLOT_MAX_SETS);
	if (latency_case && !lat)
		return gb_fail(GB_EXIT_USAGE, "--latency-case %s: no such case", latency_case);
	if (slab_case && !slab)
		return gb_fail(GB_EXIT_USAGE, "--slab-case %s: no such case", slab_case);
	for (int i = 0; i < F_COUNT && !ret; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, data_files[i]);
		if (wanted[i])
			ret = gb_atomic_open(&af[i], paths[i]);
	}
	if (!ret) {
		nblocks = write_throughput(af[F_THROUGHPUT].f, cmp);
		if (lat) {
			write_latency(af[F_LAT_CREATE].f, cmp, lat, "create_all_runs");
			write_latency(af[F_LAT_CLOSE].f, cmp, lat, "close_all_runs");
		}
		if (slab)
			write_slab(af[F_SLAB].f, af[F_NUMA].f, cmp, slab);
		write_vars(af[F_VARS].f, cmp, nblocks, lat, slab);
	}
	/* Commit in order; after the first failure, abort the rest. */
	for (int i = 0; i < F_COUNT; i++) {
		if (!af[i].f)
			continue;
		if (!ret)
			ret = gb_atomic_commit(&af[i]);
		else
			gb_atomic_abort(&af[i]);
	}
	return ret;
}
