// SPDX-License-Identifier: GPL-2.0
/*
 * The units of replication of a cell: its boots when it has two or more.
 *
 * Runs inside one boot share that boot's layout of memory, its caches'
 * state and its place in the host's drift; measured here, they vary less
 * than boots of the same kernel do, so treating them as independent
 * samples of the kernel's cost makes intervals too narrow.  Each boot
 * becomes one value (metric->per_boot says how: metrics.h) and the boots
 * are the samples.  A set from a single boot has nothing else: its runs
 * are the units, and gmem-compare warns that its intervals leave the
 * boot-to-boot variation out.
 */
#include <stdlib.h>

#include "compare_units.h"
#include "errors.h"
#include "resultset.h"

static size_t run_boot(json_t *doc, size_t run)
{
	json_t *b =
		json_object_get(json_array_get(json_object_get(doc, "runs"), run), GB_RUN_BOOT_KEY);

	return json_is_integer(b) ? (size_t)json_integer_value(b) : 0;
}

/*
 * Reduce @n values of boots @boot (parallel arrays) to one per boot, in
 * place: their mean (harmonic for rates, the rate of the mean time per
 * operation) or, with @how GB_REDUCE_BEST, the best of them.
 */
static size_t reduce_by_boot(const struct gb_metric *m, enum gb_boot_reduce how, double *x,
			     const size_t *boot, size_t n)
{
	size_t nunits = 0;
	double *unit = malloc(n * sizeof(*unit));
	size_t *seen = malloc(n * sizeof(*seen)), *count = calloc(n, sizeof(*count));

	if (!unit || !seen || !count) {
		nunits = 0;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t u;

		for (u = 0; u < nunits && seen[u] != boot[i]; u++)
			;
		if (u == nunits) {
			seen[nunits++] = boot[i];
			unit[u] = how == GB_REDUCE_MEAN ? 0 : x[i];
		}
		count[u]++;
		if (how == GB_REDUCE_MEAN) /* running mean, of 1/x for rates */
			unit[u] += ((m->rate ? 1 / x[i] : x[i]) - unit[u]) / (double)count[u];
		else if (m->higher_is_better ? x[i] > unit[u] : x[i] < unit[u])
			unit[u] = x[i];
	}
	for (size_t u = 0; u < nunits; u++)
		x[u] = how == GB_REDUCE_MEAN && m->rate ? 1 / unit[u] : unit[u];
out:
	free(unit);
	free(seen);
	free(count);
	return nunits;
}

int gb_cell_fill_units(struct gb_cell *c, const struct gb_metric *m, json_t *doc,
		       enum gb_boot_reduce times)
{
	/* One value per run at most (the validator holds samples to that). */
	size_t max = json_array_size(json_object_get(doc, "runs")), *run, *boot;
	json_t *arr;
	const char *key;

	json_object_foreach(json_object_get(doc, "samples"), key,
			    arr) if (json_array_size(arr) > max) max = json_array_size(arr);
	if (!max)
		max = 1;
	c->x = malloc(max * sizeof(*c->x));
	run = malloc(max * sizeof(*run));
	boot = malloc(max * sizeof(*boot));
	if (!c->x || !run || !boot) {
		free(run);
		free(boot);
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	}
	c->n = gb_metric_applies(m, doc) ? m->extract(m, doc, c->x, run, max) : 0;
	c->nruns = c->n;
	for (size_t i = 0; i < c->n; i++)
		boot[i] = run_boot(doc, run[i]);
	c->by_boot = false;
	for (size_t i = 1; i < c->n && !c->by_boot; i++)
		c->by_boot = boot[i] != boot[0];
	if (c->by_boot) {
		c->n = reduce_by_boot(m, m->per_boot == GB_REDUCE_BEST ? times : GB_REDUCE_MEAN,
				      c->x, boot, c->n);
		if (!c->n) {
			free(run);
			free(boot);
			return gb_fail(GB_EXIT_FAILURE, "out of memory");
		}
	}
	free(run);
	free(boot);
	return 0;
}
