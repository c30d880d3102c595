// SPDX-License-Identifier: GPL-2.0
/*
 * From samples to what a reviewer reads: each change's confidence
 * interval, its verdict against the threshold of practical relevance, the
 * primary figures (the suite's roles.txt) with their Bonferroni-corrected
 * intervals, and the negative control that says whether the machine
 * itself moved.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_verdict.h"

const char *gb_verdict_name(enum gb_verdict v)
{
	switch (v) {
	case GB_VERDICT_CHANGED:
		return "changed";
	case GB_VERDICT_EQUAL:
		return "equal";
	case GB_VERDICT_INCONCLUSIVE:
		return "inconclusive";
	default:
		return "";
	}
}

void gb_format_change(char *buf, size_t size, const struct gb_cell *c)
{
	if (isnan(c->change_lo) || isnan(c->change_hi))
		snprintf(buf, size, "%+.2f%% [no interval]", c->change);
	else if (c->change_lo == c->change_hi)
		snprintf(buf, size, "%+.2f%% [exact]", c->change);
	else
		snprintf(buf, size, "%+.2f%% [%+.2f, %+.2f]", c->change, c->change_lo,
			 c->change_hi);
}

char gb_verdict_mark(const struct gb_row *row, const struct gb_cell *c)
{
	if (c->significant)
		return '*';
	return row->primary && c->verdict == GB_VERDICT_EQUAL ? '=' : ' ';
}

/*
 * The interval of the ratio B / A of the means (of 1/x for rates), turned
 * into the change in %, positive = better.
 */
static void change_interval(const struct gb_metric *m, const struct gb_cell *a, struct gb_cell *b,
			    double level)
{
	double *ra = m->rate ? gb_reciprocals(a->x, a->n) : NULL;
	double *rb = m->rate ? gb_reciprocals(b->x, b->n) : NULL;
	struct gb_ratio r;
	int kind;

	b->level = level;
	b->change_lo = b->change_hi = NAN;
	if (m->rate && (!ra || !rb)) {
		free(ra);
		free(rb);
		return;
	}
	kind = gb_ratio_ci(m->rate ? ra : a->x, a->n, m->rate ? rb : b->x, b->n, level, &r);
	free(ra);
	free(rb);
	if (kind != GB_RATIO_BOUNDED && kind != GB_RATIO_EXACT)
		return;
	if (m->rate) {
		/* Time per op B/A = R: the rate changes by 1/R - 1; the ends swap. */
		b->change_lo = (1 / r.hi - 1) * 100;
		b->change_hi = r.lo > 0 ? (1 / r.lo - 1) * 100 : INFINITY;
	} else if (m->higher_is_better) {
		b->change_lo = (r.lo - 1) * 100;
		b->change_hi = (r.hi - 1) * 100;
	} else {
		b->change_lo = (1 - r.hi) * 100;
		b->change_hi = (1 - r.lo) * 100;
	}
}

static enum gb_verdict verdict(const struct gb_cell *c, double threshold_pct)
{
	if (isnan(c->change_lo) || isnan(c->change_hi))
		return GB_VERDICT_INCONCLUSIVE;
	if (c->change_lo > threshold_pct || c->change_hi < -threshold_pct)
		return GB_VERDICT_CHANGED;
	if (c->change_lo >= -threshold_pct && c->change_hi <= threshold_pct)
		return GB_VERDICT_EQUAL;
	return GB_VERDICT_INCONCLUSIVE;
}

/* Which rows are primary and which are controls; warns about roles that match nothing. */
static void assign_roles(struct gb_comparison *cmp)
{
	const struct gb_result_set *base = &cmp->sets[0];

	if (base->roles_warning)
		gb_compare_warn(cmp, "%s", base->roles_warning);
	for (size_t i = 0; i < base->nroles; i++) {
		const struct gb_role *role = &base->roles[i];
		bool found = false;

		for (size_t r = 0; r < cmp->nrows; r++) {
			struct gb_row *row = &cmp->rows[r];

			if (strcmp(row->case_name, role->case_name))
				continue;
			if (!role->metric) {
				row->control = found = true;
			} else if (row->metric == role->metric) {
				row->primary = found = true;
				cmp->roles_declared = true;
			}
		}
		if (!found)
			gb_compare_warn(cmp,
					"roles.txt names %s %s%s%s, which is not compared here",
					role->metric ? "primary figure" : "control case",
					role->case_name, role->metric ? " " : "",
					role->metric ? role->metric->key : "");
	}
	/* Without a declaration every figure is primary, and all are corrected for. */
	for (size_t r = 0; r < cmp->nrows && !cmp->roles_declared; r++)
		cmp->rows[r].primary = true;
	for (size_t r = 0; r < cmp->nrows; r++)
		if (cmp->rows[r].control && !cmp->control_case)
			cmp->control_case = cmp->rows[r].case_name;
}

static void note_primary(struct gb_comparison *cmp, const struct gb_cell *c)
{
	cmp->nchanged += c->verdict == GB_VERDICT_CHANGED;
	cmp->nequal += c->verdict == GB_VERDICT_EQUAL;
	cmp->ninconclusive += c->verdict == GB_VERDICT_INCONCLUSIVE;
	if (!isnan(c->change_lo) && fabs(c->change_lo) > cmp->primary_bound)
		cmp->primary_bound = fabs(c->change_lo);
	if (!isnan(c->change_hi) && fabs(c->change_hi) > cmp->primary_bound)
		cmp->primary_bound = fabs(c->change_hi);
	if (isnan(c->change_lo) || isnan(c->change_hi))
		cmp->primary_bound = INFINITY;
}

/*
 * A control is judged on one figure, its time per operation: a control's
 * tail latency (p99, from a histogram's buckets) jumps between buckets
 * with a few runs' luck, and once moved "by -10% [-21%, -1%]" in an A/B
 * whose every other control figure held still.
 */
const struct gb_metric *gb_control_metric(const struct gb_comparison *cmp, const char *case_name)
{
	const struct gb_metric *first = NULL;

	for (size_t r = 0; r < cmp->nrows; r++) {
		if (strcmp(cmp->rows[r].case_name, case_name))
			continue;
		if (!strcmp(cmp->rows[r].metric->key, "ns_per_op"))
			return cmp->rows[r].metric;
		if (!first)
			first = cmp->rows[r].metric;
	}
	return first;
}

/* The control moved when its change is beyond the threshold, or beyond the MDE. */
static void check_control(struct gb_comparison *cmp, const struct gb_row *row,
			  struct gb_cell *c, size_t s)
{
	bool beyond_mde = !isnan(cmp->mde_pct) && fabs(c->change) > cmp->mde_pct;

	if (c->verdict != GB_VERDICT_CHANGED && !beyond_mde)
		return;
	cmp->control_moved = true;
	c->control_moved = true;
	gb_compare_warn(
		cmp,
		"the control moved: %s %s changed %+.2f%% [%+.2f%%, %+.2f%%] in %s although no kernel change touches it; the machine, not the kernel, moved the figures: draw no conclusion from this comparison",
		row->case_name, row->metric->title, c->change, c->change_lo, c->change_hi,
		cmp->sets[s].label);
}

void gb_compare_judge(struct gb_comparison *cmp)
{
	double thr = cmp->opts.threshold * 100;

	assign_roles(cmp);
	for (size_t r = 0; r < cmp->nrows; r++)
		for (size_t s = 1; s < cmp->nsets; s++)
			cmp->nprimary += cmp->rows[r].primary && cmp->rows[r].cells[s].n &&
					 cmp->rows[r].cells[0].n;
	cmp->primary_level =
		1 -
		cmp->opts.alpha / (cmp->opts.correct && cmp->nprimary ? (double)cmp->nprimary : 1);
	for (size_t r = 0; r < cmp->nrows; r++) {
		struct gb_row *row = &cmp->rows[r];

		for (size_t s = 1; s < cmp->nsets; s++) {
			struct gb_cell *c = &row->cells[s];

			c->verdict = GB_VERDICT_NONE;
			if (!c->n || !row->cells[0].n)
				continue;
			change_interval(row->metric, &row->cells[0], c,
					row->primary ? cmp->primary_level : 1 - cmp->opts.alpha);
			c->verdict = verdict(c, thr);
			c->significant = row->primary && c->verdict == GB_VERDICT_CHANGED;
			if (row->primary)
				note_primary(cmp, c);
			if (row->control &&
			    row->metric == gb_control_metric(cmp, row->case_name))
				check_control(cmp, row, c, s);
		}
	}
}

char *gb_compare_conclusion(const struct gb_comparison *cmp)
{
	double thr = cmp->opts.threshold * 100;
	char *s = NULL;
	int n;

	if (cmp->control_moved)
		n = asprintf(&s,
			     "The control moved: no conclusion can be drawn from this comparison.");
	else if (cmp->nchanged)
		n = asprintf(&s, "%zu of %zu primary comparisons changed beyond %g%%%s.",
			     cmp->nchanged, cmp->nprimary, thr,
			     cmp->ninconclusive ? "; others are inconclusive" : "");
	else if (cmp->ninconclusive)
		n = asprintf(
			&s,
			"No primary figure changed beyond %g%%, but %zu of %zu intervals straddle %g%%: inconclusive for changes of that size.",
			thr, cmp->ninconclusive, cmp->nprimary, thr);
	else
		n = asprintf(
			&s,
			"No significant change in any primary figure; the intervals exclude changes larger than %.2f%%.",
			cmp->primary_bound);
	return n < 0 ? NULL : s;
}
