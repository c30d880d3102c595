// SPDX-License-Identifier: GPL-2.0
/*
 * GitHub-flavoured Markdown: the conclusion about the primary figures,
 * then one table per metric, the baseline's value with its 95% interval,
 * then each kernel's value and change with the change's interval; primary
 * changes beyond the threshold in bold.
 */
#include <math.h>

#include <stdlib.h>
#include <string.h>

#include "compare.h"

static void put_cell(FILE *f, const struct gb_row *row, const struct gb_cell *c, bool baseline)
{
	char change[GB_CHANGE_TEXT_MAX];
	int d = row->metric->decimals;

	if (!c->n) {
		fputs(" - |", f);
		return;
	}
	if (baseline || !gb_cell_compared(c)) {
		fprintf(f, " %.*f", d, c->centre);
		if (isfinite(c->sum.ci_lo) && isfinite(c->sum.ci_hi))
			fprintf(f, " [%.*f, %.*f]", d, c->sum.ci_lo, d, c->sum.ci_hi);
		fputs(" |", f);
		return;
	}
	gb_format_change(change, sizeof(change), c);
	fprintf(f, " %.*f %s%s%s%s |", d, c->centre, c->significant ? "**" : "", change,
		c->significant ? "**" : "", gb_verdict_mark(row, c) == '=' ? " =" : "");
}

/*
 * Text from result files as Markdown that renders as that text: in a
 * table cell a '|' would end the cell (even inside a code span, in GFM),
 * and elsewhere [...](...), <...>, * and _ would become links, HTML or
 * emphasis.  In a code span (@code) only '|' and '`' matter.
 */
static void put_md(FILE *f, const char *s, bool code)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (code && *s == '`')
			fputc('\'', f);
		else if (!code && strchr("\\`*_[]<>&", *s))
			fprintf(f, "\\%c", *s);
		else
			fputc(*s, f);
	}
}

static void put_md_code(FILE *f, const char *s)
{
	fputc('`', f);
	put_md(f, s, true);
	fputc('`', f);
}

static int write_markdown(FILE *f, const struct gb_comparison *cmp)
{
	char *conclusion;

	fprintf(f, "## gmem-compare: %zu kernels, baseline ", cmp->nsets);
	put_md_code(f, cmp->sets[0].label);
	fputs("\n\n| kernel | release | machine | CPU | topology | accelerator |\n"
	      "| --- | --- | --- | --- | --- | --- |\n",
	      f);
	for (size_t s = 0; s < cmp->nsets; s++) {
		const struct gb_result_set *set = &cmp->sets[s];
		const char *cols[] = { set->release, set->host, set->cpu_model, set->topology,
				       set->accelerator };

		fputs("| ", f);
		put_md_code(f, set->label);
		for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
			fputs(" | ", f);
			put_md(f, cols[i], false);
		}
		fputs(" |\n", f);
	}
	conclusion = gb_compare_conclusion(cmp);
	if (conclusion) {
		fputs("\n", f);
		put_md(f, conclusion, false);
		fputs("\n", f);
	}
	free(conclusion);
	for (size_t i = 0; i < cmp->nwarnings; i++) {
		fputs("\n**Warning:** ", f);
		put_md(f, cmp->warnings[i], false);
		fputc('\n', f);
	}

	for (size_t m = 0; m < gb_nmetrics; m++) {
		bool header = false;

		for (size_t r = 0; r < cmp->nrows; r++) {
			const struct gb_row *row = &cmp->rows[r];

			if (row->metric != &gb_metrics[m])
				continue;
			if (!header) {
				fprintf(f, "\n### %s (%s is better, %s)\n\n| case |",
					gb_metrics[m].title,
					gb_metrics[m].higher_is_better ? "higher" : "lower",
					gb_metrics[m].rate ? "harmonic mean" : "mean");
				for (size_t s = 0; s < cmp->nsets; s++) {
					fputc(' ', f);
					put_md_code(f, cmp->sets[s].label);
					fputs(" |", f);
				}
				fputs("\n| --- |", f);
				for (size_t s = 0; s < cmp->nsets; s++)
					fputs(" ---: |", f);
				fputc('\n', f);
				header = true;
			}
			fputs("| ", f);
			put_md(f, row->case_name, false);
			fprintf(f, "%s%s%s |",
				row->primary && cmp->roles_declared ? " (primary)" : "",
				row->control ? " (control)" : "", row->high_cv ? " (noisy)" : "");
			for (size_t s = 0; s < cmp->nsets; s++)
				put_cell(f, row, &row->cells[s], s == 0);
			fputc('\n', f);
		}
	}
	fputc('\n', f);
	gb_compare_legend(f, cmp, "");
	return ferror(f) ? -1 : 0;
}

const struct gb_compare_output gb_compare_markdown = { "markdown", write_markdown };
