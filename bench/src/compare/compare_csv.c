// SPDX-License-Identifier: GPL-2.0
/*
 * Every figure in long form, one line per (case, metric, kernel), for
 * spreadsheets and scripts.  Empty fields are figures that don't apply
 * (no test for the baseline, no interval with one unit).  The summary
 * columns (mean to max) are over the units (boots, or runs from a single
 * boot); runs counts the runs behind them.
 */
#include <math.h>
#include <string.h>

#include "compare.h"

/* RFC 4180 quoting, needed only if a label has a comma or a quote. */
static void put_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void put_number(FILE *f, double v)
{
	fputc(',', f);
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else if (isinf(v))
		fputs(v > 0 ? "inf" : "-inf", f);
}

static int write_csv(FILE *f, const struct gb_comparison *cmp)
{
	fputs("case,metric,kernel,runs,mean,hmean,stddev,cv,ci95_lo,ci95_hi,min,max,"
	      "change_pct,p_welch,p_welch_adjusted,p_mann_whitney,mann_whitney_exact,"
	      "significant,high_cv,unit,units,role,change_ci_lo,change_ci_hi,ci_level,verdict\n",
	      f);
	for (size_t r = 0; r < cmp->nrows; r++) {
		const struct gb_row *row = &cmp->rows[r];

		for (size_t s = 0; s < cmp->nsets; s++) {
			const struct gb_cell *c = &row->cells[s];

			if (!c->n)
				continue;
			put_field(f, row->case_name);
			fputc(',', f);
			put_field(f, row->metric->key);
			fputc(',', f);
			put_field(f, cmp->sets[s].label);
			fprintf(f, ",%zu", c->nruns);
			put_number(f, c->sum.mean);
			put_number(f, c->sum.hmean);
			put_number(f, c->sum.stddev);
			put_number(f, c->sum.cv);
			put_number(f, c->sum.ci_lo);
			put_number(f, c->sum.ci_hi);
			put_number(f, c->sum.min);
			put_number(f, c->sum.max);
			put_number(f, c->change);
			put_number(f, c->p_welch);
			put_number(f, c->p_welch_adj);
			put_number(f, c->p_mwu);
			/* No test ran (the baseline, or too few runs): nothing to say. */
			fprintf(f, ",%s,%s,%s",
				s && !isnan(c->p_mwu) ? (c->mwu_exact ? "yes" : "no") : "",
				s ? (c->significant ? "yes" : "no") : "",
				c->sum.cv > cmp->opts.max_cv ? "yes" : "no");
			fprintf(f, ",%s,%zu,%s%s", c->by_boot ? "boot" : "run", c->n,
				row->primary ? "primary" : "secondary",
				row->control ? " control" : "");
			put_number(f, c->change_lo);
			put_number(f, c->change_hi);
			put_number(f, s ? c->level : NAN);
			fprintf(f, ",%s\n", gb_verdict_name(c->verdict));
		}
	}
	return ferror(f) ? -1 : 0;
}

const struct gb_compare_output gb_compare_csv = { "csv", write_csv };
