// SPDX-License-Identifier: GPL-2.0
/*
 * A block to paste into a patch cover letter: plain text, at most 72
 * columns, headed by where it ran, with only the figures a reviewer asks
 * for (throughput, p99 latency, slab bytes per file, allocations per
 * create) and their significance.
 */
#include <string.h>

#include "compare.h"
#include "textline.h"

#define COVER_WIDTH 72
#define LABEL_WIDTH 20
#define VALUE_WIDTH 11
#define CHANGE_WIDTH 10

/* Word-wrap @text to COVER_WIDTH, the first line after @first, the rest after @indent. */
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

/* Changes only, when every kernel's value would not fit in 72 columns. */
static bool values_fit(const struct gb_comparison *cmp)
{
	return LABEL_WIDTH + VALUE_WIDTH + (cmp->nsets - 1) * (VALUE_WIDTH + CHANGE_WIDTH) <=
	       COVER_WIDTH;
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
	if (cmp->min_runs == cmp->max_runs)
		n = asprintf(&text, "%zu per case; mean, harmonic mean for rates", cmp->min_runs);
	else
		n = asprintf(&text, "%zu to %zu per case; mean, harmonic mean for rates",
			     cmp->min_runs, cmp->max_runs);
	if (n >= 0)
		put_wrapped(f, "Runs:        ", "             ", text);
	free(text);
}

static void put_column_heads(FILE *f, const struct gb_comparison *cmp, bool full)
{
	struct gb_line l = { .len = 0 };

	gb_line_add(&l, "%-*s%*s", LABEL_WIDTH, "", VALUE_WIDTH, "A");
	for (size_t s = 1; s < cmp->nsets; s++) {
		char name[2] = { (char)('A' + s), 0 };

		if (full)
			gb_line_add(&l, "%*s%*s", VALUE_WIDTH, name, CHANGE_WIDTH, "change");
		else
			gb_line_add(&l, "%*s", CHANGE_WIDTH, name);
	}
	gb_line_put(&l, f);
}

static void put_row(FILE *f, const struct gb_comparison *cmp, const struct gb_row *row, bool full)
{
	struct gb_line l = { .len = 0 };
	int d = row->metric->decimals;

	/* Every column starts with a blank: a figure wider than its column stays apart. */
	gb_line_add(&l, "  %-*s %*.*f", LABEL_WIDTH - 2, row->metric->title, VALUE_WIDTH - 1, d,
		    row->cells[0].centre);
	for (size_t s = 1; s < cmp->nsets; s++) {
		const struct gb_cell *c = &row->cells[s];

		if (full && c->n)
			gb_line_add(&l, " %*.*f", VALUE_WIDTH - 1, d, c->centre);
		else if (full)
			gb_line_add(&l, "%*s", VALUE_WIDTH, "-");
		if (gb_cell_compared(c))
			gb_line_add(&l, " %+*.2f%%%c", CHANGE_WIDTH - 3, c->change,
				    c->significant ? '*' : ' ');
		else
			gb_line_add(&l, "%*s", CHANGE_WIDTH, "-");
	}
	if (row->high_cv)
		gb_line_add(&l, "!");
	gb_line_put(&l, f);
}

static int write_cover(FILE *f, const struct gb_comparison *cmp)
{
	bool full = values_fit(cmp);
	char *legend = NULL;
	const char *last_case = NULL;

	put_header(f, cmp);
	fputc('\n', f);
	put_column_heads(f, cmp, full);
	for (size_t r = 0; r < cmp->nrows; r++) {
		const struct gb_row *row = &cmp->rows[r];

		if (!row->metric->cover)
			continue;
		if (!last_case || strcmp(last_case, row->case_name))
			fprintf(f, "%s\n", row->case_name);
		last_case = row->case_name;
		put_row(f, cmp, row, full);
	}
	fputc('\n', f);
	if (asprintf(&legend,
		     "* significant: Welch's t-test p < %g%s over %zu tests, and Mann-Whitney U p < %g. Change: positive is better.%s%s",
		     cmp->opts.alpha, cmp->opts.correct ? " after Holm's correction" : "",
		     cmp->ntests, cmp->opts.alpha,
		     cmp->nhigh_cv ? " '!': runs vary too much (CV above the limit) to conclude from." : "",
		     full ? "" : " Other kernels: change only.") >= 0)
		put_wrapped(f, "", "  ", legend);
	free(legend);
	for (size_t i = 0; i < cmp->nwarnings; i++)
		put_wrapped(f, "WARNING: ", "  ", cmp->warnings[i]);
	return ferror(f) ? -1 : 0;
}

const struct gb_compare_output gb_compare_cover_letter = { "cover-letter", write_cover };
