// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-compare: put two or more gmem-bench result directories (one per
 * kernel, the first is the baseline) side by side, with the statistics a
 * cover letter needs.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "compare.h"
#include "cli.h"
#include "errors.h"
#include "opt_table.h"

static const struct gb_compare_output *const formats[] = {
	&gb_compare_table,
	&gb_compare_csv,
	&gb_compare_markdown,
	&gb_compare_cover_letter,
};

/* What --out-dir writes, one file per format. */
static const char *const out_dir_files[] = {
	"compare.txt",
	"compare.csv",
	"compare.md",
	"cover-letter.txt",
};

struct compare_args {
	const struct gb_compare_output *format;
	const char *output, *out_dir, *latency_case, *slab_case;
	struct gb_compare_opts opts;
	bool no_correction;
	int ndirs;
	char **dirs;
};

static int parse_format(const struct gb_opt *o, const char *arg, void *target)
{
	struct compare_args *a = target;

	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		if (!strcmp(formats[i]->name, arg)) {
			a->format = formats[i];
			return 0;
		}
	}
	return gb_opt_bad_value(o, arg);
}

static int parse_cover_letter(const struct gb_opt *o, const char *arg, void *target)
{
	(void)o;
	(void)arg;
	((struct compare_args *)target)->format = &gb_compare_cover_letter;
	return 0;
}

static const char *const per_boot_names[] = {
	[GB_REDUCE_MEAN] = "mean",
	[GB_REDUCE_BEST] = "best",
	NULL,
};

#define FIELD(member) offsetof(struct compare_args, member)
#define REQ required_argument
static const struct gb_opt opts[] = {
	{ "format", 'f', REQ, "FMT", parse_format, .def = "table",
	  .want = "table, csv, markdown or cover-letter",
	  .help = "table (mmtests style), csv, markdown,\ncover-letter (72 columns, for an email)" },
	{ "cover-letter", 0, no_argument, NULL, parse_cover_letter,
	  .help = "same as --format cover-letter" },
	{ "output", 'o', REQ, "FILE", gb_opt_string, FIELD(output),
	  .help = "write to FILE (atomically) instead of stdout" },
	{ "out-dir", 0, REQ, "DIR", gb_opt_string, FIELD(out_dir),
	  .help = "write every format and the plot data into DIR" },
	{ "alpha", 0, REQ, "A", gb_opt_double, FIELD(opts.alpha), 0, 1, "a number between 0 and 1",
	  "0.05", .help = "1 - confidence level of the intervals" },
	/* Negative numbers are refused by their sign: the range starts at 0. */
	{ "threshold", 0, REQ, "PCT", gb_opt_percent, FIELD(opts.threshold), -1, 100,
	  "a percentage from 0 to 100", "1",
	  .help = "changes within +-PCT% are of no practical relevance:\n"
		  "marked only beyond it, 'equal' within it" },
	{ "calibration", 0, REQ, "FILE", gb_opt_string, FIELD(opts.calibration),
	  .help = "the minimum detectable effect of this machine and\n"
		  "accelerator, from scripts/calibrate.sh" },
	{ "per-boot", 0, REQ, "mean|best", gb_opt_enum, FIELD(opts.times_per_boot),
	  .names = per_boot_names, .want = "mean or best", .def = "mean",
	  .help = "a boot's value for times and rates, when a set\n"
		  "has several boots: the mean of its runs, or the best" },
	{ "max-cv", 0, REQ, "PCT", gb_opt_percent, FIELD(opts.max_cv), 0, 1000,
	  "a percentage above 0", "5", .help = "flag figures varying more than PCT%" },
	{ "no-correction", 0, no_argument, NULL, gb_opt_set_true, FIELD(no_correction),
	  .help = "no Bonferroni correction over the primary figures" },
	{ "cases", 0, REQ, "PATTERNS", gb_opt_nonempty, FIELD(opts.cases),
	  .want = "comma-separated patterns, e.g. 'churn-*'",
	  .help = "show only the cases matching these comma-separated\n"
		  "shell patterns (e.g. 'churn-gmem-*,hold-*'); every\n"
		  "case compared still counts in the correction" },
	{ "latency-case", 0, REQ, "NAME", gb_opt_string, FIELD(latency_case),
	  .help = "case of the latency plot (default: the first with\nlatencies)" },
	{ "slab-case", 0, REQ, "NAME", gb_opt_string, FIELD(slab_case),
	  .help = "case of the slab plots (default: the first with slab\nfigures)" },
	{ "version", 'V', no_argument, NULL, NULL, .help = "version and git revision" },
	{ "help", 'h', no_argument, NULL, NULL, .help = "this text" },
};
#undef REQ
#undef FIELD

static const struct gb_opt_table table = {
	.prog = "gmem-compare",
	.opts = opts,
	.nopts = ARRAY_SIZE(opts),
};

static void usage(FILE *f)
{
	fputs("usage: gmem-compare [OPTIONS] BASELINE_DIR DIR...\n"
	      "Compare gmem-bench result directories (one JSON per case, as\n"
	      "scripts/run-suite.sh writes them); the first is the baseline.\n\n",
	      f);
	gb_opt_print_help(f, &table);
	fputs("\nExit codes: 0 done, 2 usage, 9 output not written, 11 malformed result\n"
	      "file, 12 result sets that can't be compared.\n",
	      f);
}

/* A usage error gb_fail() recorded: the parse ends there. */
static enum gb_parse_result failed(int code)
{
	(void)code;
	return GB_PARSE_ERROR;
}

static enum gb_parse_result parse_args(int argc, char **argv, struct compare_args *a)
{
	enum gb_parse_result parsed;
	int operand;

	gb_opt_defaults(&table, a);
	parsed = gb_opt_parse(&table, argc, argv, a, NULL, usage, &operand);
	if (parsed != GB_PARSE_RUN)
		return parsed;
	a->opts.correct = !a->no_correction;
	a->ndirs = argc - operand;
	a->dirs = argv + operand;
	if (a->ndirs < 2)
		return failed(gb_fail(
			GB_EXIT_USAGE,
			"need a baseline and at least one other result directory (see --help)"));
	if (a->output && a->out_dir)
		return failed(gb_fail(GB_EXIT_USAGE, "--output and --out-dir exclude each other"));
	/* Checked before anything is written: the plots take eight at most. */
	if (a->out_dir && a->ndirs > GB_PLOT_MAX_SETS)
		return failed(gb_fail(GB_EXIT_USAGE,
				      "--out-dir: the plots take at most %d kernels, not %d",
				      GB_PLOT_MAX_SETS, a->ndirs));
	return GB_PARSE_RUN;
}

/* One directory given twice would be compared with itself without a word. */
static int check_distinct(const struct compare_args *a)
{
	struct stat st[2];

	for (int i = 0; i < a->ndirs; i++) {
		if (stat(a->dirs[i], &st[0]))
			continue; /* the loader says why */
		for (int j = 0; j < i; j++)
			if (!stat(a->dirs[j], &st[1]) && st[0].st_dev == st[1].st_dev &&
			    st[0].st_ino == st[1].st_ino)
				return gb_fail(
					GB_EXIT_USAGE,
					"%s and %s are the same directory: compare two different result sets",
					a->dirs[j], a->dirs[i]);
	}
	return 0;
}

static int write_one(const struct gb_compare_output *fmt, const struct gb_comparison *cmp,
		     const char *path)
{
	struct gb_atomic_file af;

	if (!path)
		return fmt->write(stdout, cmp) || fflush(stdout) ?
			       gb_fail_errno(GB_EXIT_OUTPUT, errno, "cannot write to stdout") :
			       0;
	if (gb_atomic_open(&af, path))
		return GB_EXIT_OUTPUT;
	if (fmt->write(af.f, cmp)) {
		gb_atomic_abort(&af);
		return gb_fail(GB_EXIT_OUTPUT, "cannot write %s", path);
	}
	return gb_atomic_commit(&af);
}

static int write_out_dir(const struct compare_args *a, const struct gb_comparison *cmp)
{
	char path[4096];
	int ret = 0;

	if (mkdir(a->out_dir, 0755) && errno != EEXIST)
		return gb_fail_errno(GB_EXIT_OUTPUT, errno, "cannot create %s", a->out_dir);
	for (size_t i = 0; i < ARRAY_SIZE(formats) && !ret; i++) {
		snprintf(path, sizeof(path), "%s/%s", a->out_dir, out_dir_files[i]);
		ret = write_one(formats[i], cmp, path);
	}
	if (!ret)
		ret = gb_compare_write_plot_data(cmp, a->out_dir, a->latency_case, a->slab_case);
	return ret;
}

int main(int argc, char **argv)
{
	struct gb_comparison cmp = { 0 };
	struct gb_result_set *sets;
	struct compare_args a = { 0 };
	enum gb_parse_result parsed = parse_args(argc, argv, &a);
	int ret = 0;

	if (parsed == GB_PARSE_EXIT_OK)
		return 0;
	if (parsed == GB_PARSE_ERROR)
		return gb_cli_error("gmem-compare");
	ret = check_distinct(&a);
	if (ret)
		goto out;
	sets = calloc(a.ndirs, sizeof(*sets));
	if (!sets) {
		ret = gb_fail(GB_EXIT_FAILURE, "out of memory");
		goto out;
	}
	for (int i = 0; i < a.ndirs && !ret; i++)
		ret = gb_result_set_load(a.dirs[i], &sets[i]);
	if (!ret)
		ret = gb_compare_build(&cmp, sets, a.ndirs, &a.opts);
	if (!ret)
		ret = a.out_dir ? write_out_dir(&a, &cmp) : write_one(a.format, &cmp, a.output);
	/* Warnings go to stderr too, whatever the format: a CSV has no room for them. */
	for (size_t i = 0; !ret && i < cmp.nwarnings; i++)
		gb_warn("%s", cmp.warnings[i]);
	gb_compare_free(&cmp);
	for (int i = 0; i < a.ndirs; i++)
		gb_result_set_free(&sets[i]);
	free(sets);
out:
	return ret ? gb_cli_error("gmem-compare") : 0;
}
