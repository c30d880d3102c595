// SPDX-License-Identifier: GPL-2.0
/*
 * The mmtests compare-kernels layout reviewers know: per metric, one line
 * per case with the baseline first and every other kernel's value and
 * change, "*   4.10%*" when the change is significant, "(   4.10%)" when
 * not; a CoeffVar line (in %) under each.  '!' ends a line whose spread is
 * too large to conclude from.
 */
#include <string.h>

#include "compare.h"
#include "textline.h"

#define VALUE_WIDTH 14

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
	if (!c->n) {
		gb_line_add(l, " %*s %10s", VALUE_WIDTH, "-", "");
		return;
	}
	gb_line_add(l, " %*.*f", VALUE_WIDTH, row->metric->decimals + 2, c->centre);
	if (baseline)
		gb_line_add(l, " (%7.2f%%)", 0.0);
	else if (!gb_cell_compared(c))
		gb_line_add(l, " %10s", "");
	else if (c->significant)
		gb_line_add(l, " *%7.2f%%*", c->change);
	else
		gb_line_add(l, " (%7.2f%%)", c->change);
}

static void print_rows(FILE *f, const struct gb_comparison *cmp, const struct gb_row *row,
		       int cw)
{
	struct gb_line l = { .len = 0 };

	gb_line_add(&l, "%-9s %-*s", row->metric->rate ? "Hmean" : "Amean", cw, row->case_name);
	for (size_t s = 0; s < cmp->nsets; s++)
		add_value(&l, row, &row->cells[s], s == 0);
	if (row->high_cv)
		gb_line_add(&l, " !");
	gb_line_put(&l, f);

	gb_line_add(&l, "%-9s %-*s", "CoeffVar", cw, row->case_name);
	for (size_t s = 0; s < cmp->nsets; s++) {
		const struct gb_cell *c = &row->cells[s];

		if (c->n >= 2)
			gb_line_add(&l, " %*.2f %10s", VALUE_WIDTH, c->sum.cv * 100, "");
		else
			gb_line_add(&l, " %*s %10s", VALUE_WIDTH, "-", "");
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
		gb_line_add(&l, " %*s %10s", VALUE_WIDTH, cmp->sets[s].label, "");
	gb_line_put(&l, f);
}

static int write_table(FILE *f, const struct gb_comparison *cmp)
{
	int cw = case_width(cmp);

	fprintf(f, "gmem-compare: %zu kernels, baseline %s\n", cmp->nsets, cmp->sets[0].label);
	for (size_t s = 0; s < cmp->nsets; s++) {
		const struct gb_result_set *set = &cmp->sets[s];

		fprintf(f, "  %s: kernel %s on %s (%s, %s), accelerator %s\n", set->label,
			set->release, set->host, set->cpu_model, set->topology, set->accelerator);
	}
	for (size_t i = 0; i < cmp->nwarnings; i++)
		fprintf(f, "WARNING: %s\n", cmp->warnings[i]);

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
