// SPDX-License-Identifier: GPL-2.0
/*
 * The mmtests compare-kernels layout reviewers know: per metric, one line
 * per case with the baseline first and every other kernel's value and
 * change with the change's interval, "+4.10% [+3.20, +5.00]*" when a
 * primary figure changed beyond the threshold, '=' when it is equal within
 * it; a CoeffVar line (in %) under each.  '!' ends a line whose spread is
 * too large to conclude from, "primary" a primary figure's line.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "textline.h"

#define VALUE_WIDTH 14
#define CHANGE_WIDTH 30

static int case_width(const struct gb_comparison *cmp)
{
	size_t w = 8;

	for (size_t r = 0; r < cmp->nrows; r++)
		if (strlen(cmp->rows[r].case_name) > w)
			w = strlen(cmp->rows[r].case_name);
	return (int)w;
}

static void add_value(struct gb_line *l, const struct gb_row *row, const struct gb_cell *c,
		      bool baseline)
{
	char change[GB_CHANGE_TEXT_MAX];

	if (!c->n) {
		gb_line_add(l, " %*s %*s", VALUE_WIDTH, "-", CHANGE_WIDTH, "");
		return;
	}
	gb_line_add(l, " %*.*f", VALUE_WIDTH, row->metric->decimals + 2, c->centre);
	if (baseline || !gb_cell_compared(c)) {
		gb_line_add(l, " %*s", CHANGE_WIDTH, "");
		return;
	}
	gb_format_change(change, sizeof(change), c);
	gb_line_add(l, " %*s%c", CHANGE_WIDTH - 1, change, gb_verdict_mark(row, c));
}

static void print_rows(FILE *f, const struct gb_comparison *cmp, const struct gb_row *row, int cw)
{
	struct gb_line l = { .len = 0 };

	gb_line_add(&l, "%-9s %-*s", row->metric->rate ? "Hmean" : "Amean", cw, row->case_name);
	for (size_t s = 0; s < cmp->nsets; s++)
		add_value(&l, row, &row->cells[s], s == 0);
	if (row->high_cv)
		gb_line_add(&l, " !");
	if (row->primary && cmp->roles_declared)
		gb_line_add(&l, " primary");
	if (row->control)
		gb_line_add(&l, " control");
	gb_line_put(&l, f);

	gb_line_add(&l, "%-9s %-*s", "CoeffVar", cw, row->case_name);
	for (size_t s = 0; s < cmp->nsets; s++) {
		const struct gb_cell *c = &row->cells[s];

		if (c->n >= 2)
			gb_line_add(&l, " %*.2f %*s", VALUE_WIDTH, c->sum.cv * 100, CHANGE_WIDTH,
				    "");
		else
			gb_line_add(&l, " %*s %*s", VALUE_WIDTH, "-", CHANGE_WIDTH, "");
	}
	gb_line_put(&l, f);
}

static void print_header(FILE *f, const struct gb_comparison *cmp, const struct gb_metric *m,
			 int cw)
{
	struct gb_line l = { .len = 0 };

	fprintf(f, "\n%s (%s is better)\n", m->title, m->higher_is_better ? "higher" : "lower");
	gb_line_add(&l, "%-9s %-*s", "", cw, "");
	for (size_t s = 0; s < cmp->nsets; s++)
		gb_line_add(&l, " %*s %*s", VALUE_WIDTH, cmp->sets[s].label, CHANGE_WIDTH, "");
	gb_line_put(&l, f);
}

static int write_table(FILE *f, const struct gb_comparison *cmp)
{
	int cw = case_width(cmp);
	char *conclusion;

	fprintf(f, "gmem-compare: %zu kernels, baseline %s\n", cmp->nsets, cmp->sets[0].label);
	for (size_t s = 0; s < cmp->nsets; s++) {
		const struct gb_result_set *set = &cmp->sets[s];

		fprintf(f, "  %s: kernel %s on %s (%s, %s), accelerator %s\n", set->label,
			set->release, set->host, set->cpu_model, set->topology, set->accelerator);
	}
	for (size_t i = 0; i < cmp->nwarnings; i++)
		fprintf(f, "WARNING: %s\n", cmp->warnings[i]);
	conclusion = gb_compare_conclusion(cmp);
	if (conclusion)
		fprintf(f, "%s\n", conclusion);
	free(conclusion);

	for (size_t m = 0; m < gb_nmetrics; m++) {
		bool header = false;

		for (size_t r = 0; r < cmp->nrows; r++) {
			if (cmp->rows[r].metric != &gb_metrics[m])
				continue;
			if (!header)
				print_header(f, cmp, &gb_metrics[m], cw);
			header = true;
			print_rows(f, cmp, &cmp->rows[r], cw);
		}
	}
	fputc('\n', f);
	gb_compare_legend(f, cmp, "");
	return ferror(f) ? -1 : 0;
}

const struct gb_compare_output gb_compare_table = { "table", write_table };
