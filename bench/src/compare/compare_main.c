// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-compare: put two or more gmem-bench result directories (one per
 * kernel, the first is the baseline) side by side, with the statistics a
 * cover letter needs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "compare.h"
#include "cli.h"
#include "errors.h"
#include "version.h"

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
	int ndirs;
	char **dirs;
};

static void usage(FILE *f)
{
	fputs("usage: gmem-compare [OPTIONS] BASELINE_DIR DIR...\n"
	      "Compare gmem-bench result directories (one JSON per case, as\n"
	      "scripts/run-suite.sh writes them); the first is the baseline.\n\n"
	      "  -f, --format FMT     table (mmtests style, default), csv, markdown,\n"
	      "                       cover-letter (72 columns, for an email)\n"
	      "      --cover-letter   same as --format cover-letter\n"
	      "  -o, --output FILE    write to FILE (atomically) instead of stdout\n"
	      "      --out-dir DIR    write every format and the plot data into DIR\n"
	      "      --alpha A        1 - confidence level of the intervals (default 0.05)\n"
	      "      --threshold PCT  changes within +-PCT% are of no practical relevance:\n"
	      "                       marked only beyond it, 'equal' within it (default 1)\n"
	      "      --calibration FILE  the minimum detectable effect of this machine and\n"
	      "                       accelerator, from scripts/calibrate.sh\n"
	      "      --per-boot mean|best  a boot's value for times and rates, when a set\n"
	      "                       has several boots: the mean of its runs (default) or\n"
	      "                       its best run\n"
	      "      --max-cv PCT     flag figures varying more than PCT% (default 5)\n"
	      "      --no-correction  no Bonferroni correction over the primary figures\n"
	      "      --cases PATTERNS show only the cases matching these comma-separated\n"
	      "                       shell patterns (e.g. 'churn-gmem-*,hold-*'); every\n"
	      "                       case compared still counts in the correction\n"
	      "      --latency-case NAME  case of the latency plot (default: first with latencies)\n"
	      "      --slab-case NAME     case of the slab plots (default: first with slab figures)\n"
	      "  -V, --version, -h, --help\n\n"
	      "Exit codes: 0 done, 2 usage, 9 output not written, 11 malformed result\n"
	      "file, 12 result sets that can't be compared.\n",
	      f);
}

static int parse_number(const char *opt, const char *arg, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(arg, &end);
	if (errno || end == arg || *end || !(*out > lo && *out < hi))
		return gb_fail(GB_EXIT_USAGE, "%s '%s': expected a number between %g and %g", opt,
			       arg, lo, hi);
	return 0;
}

static int find_format(const char *name, const struct gb_compare_output **out)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		if (!strcmp(formats[i]->name, name)) {
			*out = formats[i];
			return 0;
		}
	}
	return gb_fail(GB_EXIT_USAGE,
		       "--format '%s': expected table, csv, markdown or cover-letter", name);
}

/* A usage error gb_fail() recorded: the parse ends there. */
static enum gb_parse_result failed(int code)
{
	(void)code;
	return GB_PARSE_ERROR;
}

static enum gb_parse_result parse_args(int argc, char **argv, struct compare_args *a)
{
	enum {
		OPT_COVER = 256,
		OPT_OUT_DIR,
		OPT_ALPHA,
		OPT_MAX_CV,
		OPT_NO_CORR,
		OPT_CASES,
		OPT_LAT,
		OPT_SLAB,
		OPT_THRESHOLD,
		OPT_CALIBRATION,
		OPT_PER_BOOT,
	};
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "cover-letter", no_argument, NULL, OPT_COVER },
		{ "output", required_argument, NULL, 'o' },
		{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
		{ "alpha", required_argument, NULL, OPT_ALPHA },
		{ "max-cv", required_argument, NULL, OPT_MAX_CV },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "calibration", required_argument, NULL, OPT_CALIBRATION },
		{ "per-boot", required_argument, NULL, OPT_PER_BOOT },
		{ "no-correction", no_argument, NULL, OPT_NO_CORR },
		{ "cases", required_argument, NULL, OPT_CASES },
		{ "latency-case", required_argument, NULL, OPT_LAT },
		{ "slab-case", required_argument, NULL, OPT_SLAB },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	double pct;
	int c;

	a->format = &gb_compare_table;
	a->opts = (struct gb_compare_opts){
		.alpha = 0.05,
		.times_per_boot = GB_REDUCE_MEAN,
		.max_cv = 0.05,
		.correct = true,
		.threshold = 0.01,
	};
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (find_format(optarg, &a->format))
				return GB_PARSE_ERROR;
			break;
		case OPT_COVER:
			a->format = &gb_compare_cover_letter;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_OUT_DIR:
			a->out_dir = optarg;
			break;
		case OPT_ALPHA:
			if (parse_number("--alpha", optarg, 0, 1, &a->opts.alpha))
				return GB_PARSE_ERROR;
			break;
		case OPT_MAX_CV:
			if (parse_number("--max-cv", optarg, 0, 1000, &pct))
				return GB_PARSE_ERROR;
			a->opts.max_cv = pct / 100;
			break;
		case OPT_THRESHOLD:
			if (parse_number("--threshold", optarg, -1, 100, &pct))
				return GB_PARSE_ERROR;
			if (pct < 0)
				return failed(gb_fail(
					GB_EXIT_USAGE,
					"--threshold '%s': a percentage from 0 to 100", optarg));
			a->opts.threshold = pct / 100;
			break;
		case OPT_CALIBRATION:
			a->opts.calibration = optarg;
			break;
		case OPT_PER_BOOT:
			if (!strcmp(optarg, "mean") || !strcmp(optarg, "best"))
				a->opts.times_per_boot =
					optarg[0] == 'm' ? GB_REDUCE_MEAN : GB_REDUCE_BEST;
			else
				return failed(gb_fail(GB_EXIT_USAGE,
						      "--per-boot '%s': expected mean or best", optarg));
			break;
		case OPT_NO_CORR:
			a->opts.correct = false;
			break;
		case OPT_CASES:
			if (!*optarg)
				return failed(gb_fail(GB_EXIT_USAGE,
						      "--cases needs patterns, e.g. 'churn-*'"));
			a->opts.cases = optarg;
			break;
		case OPT_LAT:
			a->latency_case = optarg;
			break;
		case OPT_SLAB:
			a->slab_case = optarg;
			break;
		case 'V':
			printf("gmem-compare %s (%s)\n", GB_VERSION, GB_GIT_REVISION);
			return GB_PARSE_EXIT_OK;
		case 'h':
			usage(stdout);
			return GB_PARSE_EXIT_OK;
		case ':':
			return failed(gb_fail(GB_EXIT_USAGE, "%s needs a value (see --help)",
					      argv[optind - 1]));
		default:
			return failed(gb_fail(GB_EXIT_USAGE, "unknown option '%s' (see --help)",
					      argv[optind - 1]));
		}
	}
	a->ndirs = argc - optind;
	a->dirs = argv + optind;
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
