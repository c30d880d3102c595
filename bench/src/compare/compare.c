// SPDX-License-Identifier: GPL-2.0
#include <fnmatch.h>
#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_units.h"
#include "compare_verdict.h"
#include "errors.h"
#include "params.h"

void gb_compare_warn(struct gb_comparison *cmp, const char *fmt, ...)
{
	char **w = realloc(cmp->warnings, (cmp->nwarnings + 1) * sizeof(*w));
	va_list ap;

	if (!w)
		return;
	cmp->warnings = w;
	va_start(ap, fmt);
	if (vasprintf(&w[cmp->nwarnings], fmt, ap) >= 0)
		cmp->nwarnings++;
	va_end(ap);
}

static int check_same_experiment(const struct gb_result_set *a, const struct gb_result_set *b,
				 const char *name)
{
	json_t *pa = json_object_get(gb_result_set_find(a, name)->doc, "params");
	json_t *pb = json_object_get(gb_result_set_find(b, name)->doc, "params");

	for (size_t i = 0; i < gb_nparams; i++) {
		json_t *va = json_object_get(pa, gb_params[i].key);
		json_t *vb = json_object_get(pb, gb_params[i].key);
		char *sa, *sb;

		if (!gb_params[i].same || (!va && !vb) || (va && vb && json_equal(va, vb)))
			continue;
		sa = va ? json_dumps(va, JSON_ENCODE_ANY) : NULL;
		sb = vb ? json_dumps(vb, JSON_ENCODE_ANY) : NULL;
		gb_fail(GB_EXIT_MISMATCH,
			"case %s is not the same experiment in %s and %s: %s is %s there and %s here",
			name, a->path, b->path, gb_params[i].key, sa ? sa : "absent",
			sb ? sb : "absent");
		free(sa);
		free(sb);
		return GB_EXIT_MISMATCH;
	}
	return 0;
}

/* What must match for a comparison to be about the kernel alone. */
static const struct {
	const char *what;
	size_t offset;
} same_setting[] = {
	{ "machine", offsetof(struct gb_result_set, host) },
	{ "CPU model", offsetof(struct gb_result_set, cpu_model) },
	{ "accelerator", offsetof(struct gb_result_set, accelerator) },
	{ "topology", offsetof(struct gb_result_set, topology) },
	{ "gmem-bench version", offsetof(struct gb_result_set, tool_version) },
};

static const char *setting(const struct gb_result_set *set, size_t offset)
{
	return *(char *const *)((const char *)set + offset);
}

static void warn_if_differs(struct gb_comparison *cmp, const char *what, size_t offset)
{
	const char *base = setting(&cmp->sets[0], offset);

	for (size_t s = 1; s < cmp->nsets; s++) {
		const char *other = setting(&cmp->sets[s], offset);

		if (strcmp(base, other))
			gb_compare_warn(
				cmp,
				"different %s: %s has '%s', %s has '%s'; differences may be the %s's, not the kernel's",
				what, cmp->sets[0].label, base, cmp->sets[s].label, other, what);
	}
}

static int fill_cell(struct gb_cell *c, const struct gb_metric *m, json_t *doc,
		     enum gb_boot_reduce times)
{
	int ret;

	c->change = c->p_welch = c->p_welch_adj = c->p_mwu = NAN;
	c->change_lo = c->change_hi = c->level = NAN;
	ret = gb_cell_fill_units(c, m, doc, times);
	if (ret || !c->n)
		return ret;
	gb_summarise(c->x, c->n, m->rate, &c->sum);
	c->centre = m->rate ? c->sum.hmean : c->sum.mean;
	return 0;
}

/* The tests a row adds to the comparison: one per set with a Welch p. */
static size_t row_tests(const struct gb_comparison *cmp, const struct gb_row *row)
{
	size_t n = 0;

	for (size_t s = 1; s < cmp->nsets; s++)
		n += !isnan(row->cells[s].p_welch);
	return n;
}

static void test_against_baseline(struct gb_comparison *cmp, struct gb_row *row)
{
	const struct gb_cell *base = &row->cells[0];

	for (size_t s = 0; s < cmp->nsets; s++) {
		struct gb_cell *c = &row->cells[s];

		if (c->n && c->sum.cv > cmp->opts.max_cv)
			row->high_cv = true;
		if (!c->n || !s || !base->n || base->centre == 0 || isnan(base->centre))
			continue;
		c->change = row->metric->higher_is_better ? (c->centre / base->centre - 1) * 100 :
							    (1 - c->centre / base->centre) * 100;
		c->p_welch = gb_welch_p(base->x, base->n, c->x, c->n, row->metric->rate);
		c->p_mwu = gb_mann_whitney_p(base->x, base->n, c->x, c->n, &c->mwu_exact);
	}
	cmp->ntests += row_tests(cmp, row);
}

/* Holm over every Welch test of the comparison (reported, not used to mark). */
static int adjust_p(struct gb_comparison *cmp)
{
	size_t n = cmp->nrows * cmp->nsets, k = 0;
	double *p = malloc((n ? n : 1) * sizeof(*p));

	if (!p)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	for (size_t r = 0; r < cmp->nrows; r++)
		for (size_t s = 0; s < cmp->nsets; s++)
			p[k++] = cmp->rows[r].cells[s].p_welch;
	if (cmp->opts.correct)
		gb_holm_adjust(p, n, p);
	k = 0;
	for (size_t r = 0; r < cmp->nrows; r++) {
		for (size_t s = 0; s < cmp->nsets; s++) {
			struct gb_cell *c = &cmp->rows[r].cells[s];

			/* Shown for reference; the verdicts come from the intervals. */
			c->p_welch_adj = p[k++];
		}
	}
	free(p);
	return 0;
}

static void free_row(struct gb_comparison *cmp, struct gb_row *row)
{
	for (size_t s = 0; s < cmp->nsets; s++)
		free(row->cells[s].x);
	free(row->cells);
}

static int add_row(struct gb_comparison *cmp, const char *name, const struct gb_metric *m)
{
	struct gb_row *row = &cmp->rows[cmp->nrows];
	size_t have = 0;

	row->case_name = name;
	row->metric = m;
	row->cells = calloc(cmp->nsets, sizeof(*row->cells));
	if (!row->cells)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	for (size_t s = 0; s < cmp->nsets; s++) {
		if (fill_cell(&row->cells[s], m, gb_result_set_find(&cmp->sets[s], name)->doc,
			      cmp->opts.times_per_boot)) {
			free_row(cmp, row);
			return GB_EXIT_FAILURE;
		}
		have += row->cells[s].n > 0;
	}
	/* Kept only when the baseline and at least one other set have it. */
	if (!row->cells[0].n || have < 2) {
		free_row(cmp, row);
		row->cells = NULL;
		return 0;
	}
	test_against_baseline(cmp, row);
	cmp->nrows++;
	return 0;
}

static bool in_every_set(const struct gb_comparison *cmp, const char *name)
{
	for (size_t s = 1; s < cmp->nsets; s++)
		if (!gb_result_set_find(&cmp->sets[s], name))
			return false;
	return true;
}

static void warn_unmatched(struct gb_comparison *cmp)
{
	for (size_t s = 0; s < cmp->nsets; s++) {
		for (size_t i = 0; i < cmp->sets[s].ncases; i++) {
			const char *name = cmp->sets[s].cases[i].name;

			if (!in_every_set(cmp, name) || !gb_result_set_find(&cmp->sets[0], name))
				gb_compare_warn(cmp,
						"case %s is in %s but not in every set: left out",
						name, cmp->sets[s].label);
		}
		if (cmp->sets[s].nskipped)
			gb_compare_warn(
				cmp, "%s: %zu case(s) left out because their runs did not complete",
				cmp->sets[s].label, cmp->sets[s].nskipped);
	}
}

/* What the units of replication are, when they are not boots everywhere. */
static void warn_units(struct gb_comparison *cmp)
{
	for (size_t s = 0; s < cmp->nsets; s++)
		if (cmp->sets[s].nboots < 2)
			gb_compare_warn(
				cmp,
				"%s comes from one boot: its runs are the units, and the intervals leave out the boot-to-boot variation, usually the larger (boot each kernel several times: scripts/ab.sh --rounds K)",
				cmp->sets[s].label);
	if (cmp->min_runs == 1)
		gb_compare_warn(
			cmp,
			"some figures have a single unit a side: no interval, nothing can be concluded about them");
}

static bool case_shown(const struct gb_comparison *cmp, const char *name)
{
	const char *list = cmp->opts.cases, *comma;
	bool shown = false;
	char *pattern;

	if (!list)
		return true;
	for (; *list && !shown; list = *comma ? comma + 1 : comma) {
		comma = strchrnul(list, ',');
		pattern = strndup(list, (size_t)(comma - list));
		shown = pattern && *pattern && !fnmatch(pattern, name, 0);
		free(pattern);
	}
	return shown;
}

/* --cases: drop the rows of the cases not shown, after the correction. */
static int keep_shown_rows(struct gb_comparison *cmp)
{
	size_t kept = 0, hidden_cases = 0, hidden_tests = 0;
	const char *last_hidden = NULL;

	for (size_t r = 0; r < cmp->nrows; r++) {
		struct gb_row *row = &cmp->rows[r];

		if (case_shown(cmp, row->case_name)) {
			cmp->rows[kept++] = *row;
			continue;
		}
		if (!last_hidden || strcmp(last_hidden, row->case_name))
			hidden_cases++;
		last_hidden = row->case_name;
		hidden_tests += row_tests(cmp, row);
		free_row(cmp, row);
	}
	cmp->nrows = kept;
	if (!kept && !cmp->opts.cases)
		return gb_fail(GB_EXIT_MISMATCH, "no figure has samples in %s and another set",
			       cmp->sets[0].path);
	if (!kept)
		return gb_fail(GB_EXIT_USAGE, "--cases '%s' matches none of the cases compared",
			       cmp->opts.cases);
	if (hidden_cases)
		gb_compare_warn(
			cmp,
			"%zu case(s) not shown (--cases %s); the correction still counts their %zu test(s)",
			hidden_cases, cmp->opts.cases, hidden_tests);
	return 0;
}

/* The summary counts, over the rows shown. */
static void count_rows(struct gb_comparison *cmp)
{
	cmp->by_boot = true;
	for (size_t r = 0; r < cmp->nrows; r++) {
		const struct gb_row *row = &cmp->rows[r];

		cmp->nhigh_cv += row->high_cv;
		for (size_t s = 0; s < cmp->nsets; s++) {
			const struct gb_cell *c = &row->cells[s];

			if (!c->n)
				continue;
			cmp->nsignificant += c->significant;
			cmp->by_boot &= c->by_boot;
			if (!cmp->min_runs || c->n < cmp->min_runs)
				cmp->min_runs = c->n;
			if (c->n > cmp->max_runs)
				cmp->max_runs = c->n;
		}
	}
}

int gb_compare_build(struct gb_comparison *cmp, struct gb_result_set *sets, size_t nsets,
		     const struct gb_compare_opts *opts)
{
	const struct gb_result_set *base = &sets[0];
	size_t matched = 0;
	int ret;

	/*
	 * GSL's default handler aborts the program on a domain or overflow
	 * error (huge samples, thousands of runs): get NaN and a code instead.
	 */
	gsl_set_error_handler_off();
	memset(cmp, 0, sizeof(*cmp));
	cmp->opts = *opts;
	cmp->sets = sets;
	cmp->nsets = nsets;
	if (nsets < 2)
		return gb_fail(GB_EXIT_USAGE, "need at least two result directories to compare");
	cmp->rows = calloc(base->ncases * gb_nmetrics, sizeof(*cmp->rows));
	if (!cmp->rows)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	for (size_t i = 0; i < base->ncases; i++) {
		const char *name = base->cases[i].name;

		if (!in_every_set(cmp, name))
			continue;
		for (size_t s = 1; s < nsets; s++) {
			ret = check_same_experiment(base, &sets[s], name);
			if (ret)
				return ret;
		}
		matched++;
		for (size_t m = 0; m < gb_nmetrics; m++) {
			if (gb_metrics[m].not_compared)
				continue;
			ret = add_row(cmp, name, &gb_metrics[m]);
			if (ret)
				return ret;
		}
	}
	if (!matched)
		return gb_fail(GB_EXIT_MISMATCH,
			       "%s and the other result directories have no case in common",
			       base->path);
	warn_unmatched(cmp);
	for (size_t i = 0; i < ARRAY_SIZE(same_setting); i++)
		warn_if_differs(cmp, same_setting[i].what, same_setting[i].offset);
	ret = adjust_p(cmp);
	if (!ret)
		ret = gb_compare_load_calibration(cmp);
	if (ret)
		return ret;
	/* Before --cases hides rows: the correction counts every figure compared. */
	gb_compare_judge(cmp);
	ret = keep_shown_rows(cmp);
	if (ret)
		return ret;
	count_rows(cmp);
	warn_units(cmp);
	if (cmp->nhigh_cv)
		gb_compare_warn(
			cmp,
			"%zu row(s) have a coefficient of variation above %.0f%% in some set (marked '!'): too noisy to conclude anything from a small difference",
			cmp->nhigh_cv, opts->max_cv * 100);
	return 0;
}

void gb_compare_free(struct gb_comparison *cmp)
{
	for (size_t r = 0; r < cmp->nrows; r++)
		free_row(cmp, &cmp->rows[r]);
	free(cmp->rows);
	for (size_t i = 0; i < cmp->nwarnings; i++)
		free(cmp->warnings[i]);
	free(cmp->warnings);
	free(cmp->mde_note);
	memset(cmp, 0, sizeof(*cmp));
}

long long gb_case_param_int(const struct gb_result_set *set, const char *case_name, const char *key)
{
	const struct gb_result_case *c = gb_result_set_find(set, case_name);
	json_t *v = c ? json_object_get(json_object_get(c->doc, "params"), key) : NULL;

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

void gb_compare_legend(FILE *f, const struct gb_comparison *cmp, const char *prefix)
{
	double thr = cmp->opts.threshold * 100;

	fprintf(f,
		"%s%% change is against %s; positive is better; [lo, hi] its confidence interval (Fieller).\n",
		prefix, cmp->sets[0].label);
	fprintf(f, "%sprimary figures: %s; %.4g%% intervals (%s over %zu comparisons).\n", prefix,
		cmp->roles_declared ? "as the suite declares them" :
				      "all (the suite declares none)",
		cmp->primary_level * 100, cmp->opts.correct ? "Bonferroni" : "no correction",
		cmp->nprimary);
	if (cmp->roles_declared)
		fprintf(f, "%ssecondary figures: %.4g%% intervals, not corrected, never marked.\n",
			prefix, (1 - cmp->opts.alpha) * 100);
	fprintf(f,
		"%s* a primary change whose whole interval lies beyond +-%g%% (no practical relevance within); '=' equal: the whole interval within +-%g%%.\n",
		prefix, thr, thr);
	fprintf(f, "%s(%zu primary comparisons: %zu changed, %zu equal, %zu inconclusive; ", prefix,
		cmp->nprimary, cmp->nchanged, cmp->nequal, cmp->ninconclusive);
	if (cmp->min_runs == cmp->max_runs)
		fprintf(f, "%zu %s per case", cmp->min_runs, cmp->by_boot ? "boots" : "runs");
	else
		fprintf(f, "%zu to %zu %s per case", cmp->min_runs, cmp->max_runs,
			cmp->by_boot ? "boots" : "units");
	fprintf(f, ")\n%sminimum detectable effect: %s\n", prefix, cmp->mde_note);
}
