// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-suite: expand a suite file into its cases.
 *
 *   gmem-suite [--ncpus N] [--fields] SUITE_FILE
 *
 * By default one "NAME: ARGS" line a case, the arguments quoted as a shell
 * would need them, for people.  --fields is for scripts/run-suite.sh and
 * the VM's /init: the arguments separated by the unit separator (0x1f),
 * exactly as split from the suite, to be used without splitting or
 * globbing them again.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "errors.h"
#include "opt_table.h"
#include "suite.h"
#include "textfile.h"

/* One argument, in single quotes unless it is plainly safe. */
static void put_quoted(const char *arg, size_t len)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789-_.,:/=+%@";
	bool plain = len > 0;

	for (size_t i = 0; i < len; i++)
		plain &= strchr(safe, arg[i]) != NULL;
	if (plain) {
		fwrite(arg, 1, len, stdout);
		return;
	}
	putchar('\'');
	for (size_t i = 0; i < len; i++)
		fputs(arg[i] == '\'' ? "'\\''" : (char[]){ arg[i], 0 }, stdout);
	putchar('\'');
}

static void print_case(const struct gb_suite_case *c, bool fields)
{
	const char *a = c->args;

	printf("%s: ", c->name);
	if (fields) {
		puts(a);
		return;
	}
	for (;;) {
		size_t len = strcspn(a, (char[]){ GB_SUITE_ARG_SEP, 0 });

		put_quoted(a, len);
		if (!a[len])
			break;
		putchar(' ');
		a += len + 1;
	}
	putchar('\n');
}

/* The line a NUL byte is on, for the message. */
static unsigned int line_of(const char *text, size_t at)
{
	unsigned int line = 1;

	for (size_t i = 0; i < at; i++)
		line += text[i] == '\n';
	return line;
}

struct suite_args {
	unsigned int ncpus;
	bool fields;
	const char *path;
};

#define FIELD(member) offsetof(struct suite_args, member)
static const struct gb_opt opts[] = {
	{ "ncpus", 0, required_argument, "N", gb_opt_uint, FIELD(ncpus), 1, 4096, "1 to 4096",
	  .help = "the machine's CPU count, for {ncpus} (default: this\none's)" },
	{ "fields", 0, no_argument, NULL, gb_opt_set_true, FIELD(fields),
	  .help = "arguments separated by 0x1f, for scripts" },
	{ "version", 'V', no_argument, NULL, NULL, .help = "version and git revision" },
	{ "help", 'h', no_argument, NULL, NULL, .help = "this text" },
};
#undef FIELD

static const struct gb_opt_table table = {
	.prog = "gmem-suite",
	.opts = opts,
	.nopts = ARRAY_SIZE(opts),
};

static void usage(FILE *f)
{
	fputs("usage: gmem-suite [--ncpus N] [--fields] SUITE_FILE\n\n"
	      "Expand a suite file into its cases, one \"NAME: ARGS\" line each.\n\n",
	      f);
	gb_opt_print_help(f, &table);
	fputs("\nExit codes: 0 done, 2 usage, 9 output not written, 11 malformed suite.\n", f);
}

static enum gb_parse_result parse_args(int argc, char **argv, struct suite_args *a)
{
	enum gb_parse_result parsed;
	int operand;

	/* This machine's CPU count: no table default, it is not a constant. */
	a->ncpus = (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	parsed = gb_opt_parse(&table, argc, argv, a, NULL, usage, &operand);
	if (parsed != GB_PARSE_RUN)
		return parsed;
	if (operand + 1 != argc) {
		gb_fail(GB_EXIT_USAGE, "one suite file expected (see --help)");
		return GB_PARSE_ERROR;
	}
	a->path = argv[operand];
	return GB_PARSE_RUN;
}

int main(int argc, char **argv)
{
	struct suite_args a = { 0 };
	struct gb_suite suite;
	char *text;
	size_t len;
	int ret;

	switch (parse_args(argc, argv, &a)) {
	case GB_PARSE_RUN:
		break;
	case GB_PARSE_ERROR:
		return gb_cli_error("gmem-suite");
	default:
		return 0;
	}
	text = gb_read_text_len(a.path, &len);
	if (!text) {
		gb_fail(GB_EXIT_INPUT, "cannot read suite %s: %s", a.path,
			errno == EINVAL ? "not a regular file" :
			errno == EFBIG	? "larger than 4 MiB" :
					  strerror(errno));
		return gb_cli_error("gmem-suite");
	}
	if (strlen(text) != len) {
		gb_fail(GB_EXIT_INPUT, "suite %s:%u: NUL byte in the line", a.path,
			line_of(text, strlen(text)));
		free(text);
		return gb_cli_error("gmem-suite");
	}
	ret = gb_suite_parse(text, a.path, a.ncpus, &suite);
	free(text);
	if (ret) {
		gb_suite_free(&suite);
		return gb_cli_error("gmem-suite");
	}
	/* A comment line to case readers; run-suite.sh takes it from here. */
	if (suite.rounds > 1)
		printf("# rounds %u\n", suite.rounds);
	/* Roles, for roles.txt beside the results: "# primary NAME METRIC", "# control NAME". */
	for (size_t r = 0; r < suite.nroles; r++)
		printf("# %s %s%s%s\n", suite.roles[r].metric[0] ? "primary" : "control",
		       suite.roles[r].case_name, suite.roles[r].metric[0] ? " " : "",
		       suite.roles[r].metric);
	for (size_t c = 0; c < suite.ncases; c++)
		print_case(&suite.cases[c], a.fields);
	gb_suite_free(&suite);
	if (fflush(stdout)) {
		gb_fail_errno(GB_EXIT_OUTPUT, errno, "cannot write to stdout");
		return gb_cli_error("gmem-suite");
	}
	return 0;
}
