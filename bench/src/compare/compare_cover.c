// SPDX-License-Identifier: GPL-2.0
/*
 * A block to paste into a patch cover letter: plain text, at most 72
 * columns, headed by where it ran, whether the control held still and the
 * minimum detectable effect, then the sentence a reviewer needs, the
 * primary figures with their intervals and verdicts, and the secondary
 * ones a reviewer asks for (throughput, p99 latency, slab bytes per file,
 * allocations per create).
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "textline.h"

#define COVER_WIDTH 72
#define VALUE_WIDTH 12
#define CHANGE_WIDTH 32

/* Word-wrap @text to COVER_WIDTH, the first line after @first, the rest after @indent. */
/* What a boot's value is (--per-boot), for the Units line. */
static const char *boot_value(const struct gb_comparison *cmp)
{
	return cmp->opts.times_per_boot == GB_REDUCE_BEST ?
		       "its best run for times and rates, its mean for the rest" :
		       "the mean of its runs (harmonic for rates)";
}

static void put_wrapped(FILE *f, const char *first, const char *indent, const char *text)
{
	const char *lead = first;
	struct gb_line l = { .len = 0 };

	gb_line_add(&l, "%s", lead);
	while (*text) {
		size_t word = strcspn(text, " ");

		if (l.len > strlen(lead) && l.len + 1 + word > COVER_WIDTH) {
			gb_line_put(&l, f);
			lead = indent;
			gb_line_add(&l, "%s", lead);
		}
		gb_line_add(&l, "%s%.*s", l.len > strlen(lead) ? " " : "", (int)word, text);
		text += word;
		text += strspn(text, " ");
	}
	gb_line_put(&l, f);
}

static void put_header(FILE *f, const struct gb_comparison *cmp)
{
	const struct gb_result_set *base = &cmp->sets[0];
	char *text = NULL;
	int n;

	put_wrapped(f, "guest_memfd create+close, measured with gmem-bench ", "",
		    base->tool_version);
	if (asprintf(&text, "%s, %s, %s", base->host, base->cpu_model, base->topology) >= 0)
		put_wrapped(f, "Machine:     ", "             ", text);
	free(text);
	put_wrapped(f, "Accelerator: ", "             ", base->accelerator);
	for (size_t s = 0; s < cmp->nsets; s++) {
		text = NULL;
		if (asprintf(&text, "%c = %s (%s)", (int)('A' + s), cmp->sets[s].label,
			     cmp->sets[s].release) >= 0)
			put_wrapped(f, s ? "             " : "Kernels:     ", "                 ",
				    text);
		free(text);
	}
	text = NULL;
	if (cmp->by_boot && cmp->min_runs == cmp->max_runs)
		n = asprintf(&text,
			     "%zu boots per kernel, each %s; mean over boots (harmonic for rates)",
			     cmp->min_runs, boot_value(cmp));
	else if (cmp->by_boot)
		n = asprintf(&text,
			     "%zu to %zu boots per kernel, each %s; mean over boots (harmonic for rates)",
			     cmp->min_runs, cmp->max_runs, boot_value(cmp));
	else
		n = asprintf(
			&text,
			"one boot: %zu to %zu runs per case; mean (harmonic for rates); boot-to-boot variation not included",
			cmp->min_runs, cmp->max_runs);
	if (n >= 0)
		put_wrapped(f, "Units:       ", "             ", text);
	free(text);
}

static const char *verdict_words(const struct gb_row *row, const struct gb_cell *c)
{
	if (!row->primary)
		return "";
	switch (c->verdict) {
	case GB_VERDICT_CHANGED:
		return "* changed";
	case GB_VERDICT_EQUAL:
		return "= equal";
	case GB_VERDICT_INCONCLUSIVE:
		return "inconclusive";
	default:
		return "";
	}
}

/*
 * One figure: "CASE: TITLE", then A's value and, per other kernel, its
 * value, change, interval and verdict, one line each (any number of
 * kernels fits in 72 columns).
 */
static void put_figure(FILE *f, const struct gb_comparison *cmp, const struct gb_row *row)
{
	char change[GB_CHANGE_TEXT_MAX], *head = NULL;
	int d = row->metric->decimals;

	if (asprintf(&head, "%s: %s", row->metric->title, row->case_name) >= 0)
		put_wrapped(f, "", "    ", head);
	free(head);
	fprintf(f, "  A %*.*f\n", VALUE_WIDTH, d, row->cells[0].centre);
	for (size_t s = 1; s < cmp->nsets; s++) {
		const struct gb_cell *c = &row->cells[s];

		if (!c->n) {
			fprintf(f, "  %c %*s\n", (int)('A' + s), VALUE_WIDTH, "-");
			continue;
		}
		gb_format_change(change, sizeof(change), c);
		if (!*verdict_words(row, c) && !row->high_cv)
			fprintf(f, "  %c %*.*f  %s\n", (int)('A' + s), VALUE_WIDTH, d, c->centre,
				gb_cell_compared(c) ? change : "-");
		else
			fprintf(f, "  %c %*.*f  %-*s %s%s\n", (int)('A' + s), VALUE_WIDTH, d,
				c->centre, CHANGE_WIDTH, gb_cell_compared(c) ? change : "-",
				verdict_words(row, c),
				row->high_cv ? (*verdict_words(row, c) ? " !" : "!") : "");
	}
}

/* Without declared roles every figure is primary: only the cover metrics are shown. */
static bool shown(const struct gb_comparison *cmp, const struct gb_row *row, bool primary)
{
	if (row->control || row->primary != primary)
		return false;
	return row->metric->cover || (primary && cmp->roles_declared);
}

static void put_section(FILE *f, const struct gb_comparison *cmp, bool primary)
{
	char *head = NULL;
	bool any = false;
	int n;

	for (size_t r = 0; r < cmp->nrows; r++)
		any |= shown(cmp, &cmp->rows[r], primary);
	if (!any)
		return;

	if (primary)
		n = asprintf(&head,
			     "Primary figures (%.4g%% intervals%s):", cmp->primary_level * 100,
			     cmp->opts.correct ? ", Bonferroni" : "");
	else
		n = asprintf(&head, "Secondary figures (%.4g%% intervals, not marked):",
			     (1 - cmp->opts.alpha) * 100);
	if (n < 0)
		head = NULL;
	fprintf(f, "\n%s\n", head ? head : "");
	free(head);
	for (size_t r = 0; r < cmp->nrows; r++)
		if (shown(cmp, &cmp->rows[r], primary))
			put_figure(f, cmp, &cmp->rows[r]);
}

/* The control's own line: it says whether the machine held still. */
static void put_control(FILE *f, const struct gb_comparison *cmp)
{
	char change[GB_CHANGE_TEXT_MAX], *text = NULL;

	/* Its time per operation, the figure it is judged on. */
	for (size_t r = 0; r < cmp->nrows; r++) {
		const struct gb_row *row = &cmp->rows[r];

		if (!row->control || row->metric != gb_control_metric(cmp, row->case_name))
			continue;
		for (size_t s = 1; s < cmp->nsets; s++) {
			if (!gb_cell_compared(&row->cells[s]))
				continue;
			gb_format_change(change, sizeof(change), &row->cells[s]);
			if (asprintf(&text, "%s %s, %c vs A: %s: %s", row->case_name,
				     row->metric->title, (int)('A' + s), change,
				     row->cells[s].control_moved ? "MOVED" : "steady") >= 0)
				put_wrapped(f, "Control:     ", "             ", text);
			free(text);
			text = NULL;
		}
	}
}

static int write_cover(FILE *f, const struct gb_comparison *cmp)
{
	char *conclusion = gb_compare_conclusion(cmp);

	put_header(f, cmp);
	put_control(f, cmp);
	put_wrapped(f, "MDE:         ", "             ", cmp->mde_note);
	fputc('\n', f);
	if (conclusion)
		put_wrapped(f, "", "", conclusion);
	free(conclusion);
	put_section(f, cmp, true);
	if (cmp->roles_declared)
		put_section(f, cmp, false);
	fputc('\n', f);
	put_wrapped(
		f, "", "  ",
		"Change: positive is better; [lo, hi] its confidence interval (Fieller's, for a ratio of means).");
	{
		char *legend = NULL;

		if (asprintf(
			    &legend,
			    "* changed: a primary figure whose whole interval lies beyond +-%g%%, the threshold of practical relevance; = equal: the whole interval within it.%s",
			    cmp->opts.threshold * 100,
			    cmp->nhigh_cv ? " '!': the units vary more than the CV limit." : "") >=
		    0)
			put_wrapped(f, "", "  ", legend);
		free(legend);
	}
	for (size_t i = 0; i < cmp->nwarnings; i++)
		put_wrapped(f, "WARNING: ", "  ", cmp->warnings[i]);
	return ferror(f) ? -1 : 0;
}

const struct gb_compare_output gb_compare_cover_letter = { "cover-letter", write_cover };
