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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
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

int main(int argc, char **argv)
{
	unsigned long ncpus = (unsigned long)sysconf(_SC_NPROCESSORS_ONLN);
	bool fields = false;
	struct gb_suite suite;
	const char *path = NULL;
	char *text, *end;
	size_t len;
	int ret, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ncpus") && i + 1 < argc) {
			ncpus = strtoul(argv[++i], &end, 10);
			if (*end || !ncpus || ncpus > 4096 || argv[i][0] == '-') {
				fprintf(stderr, "gmem-suite: error: --ncpus '%s': expected 1 to 4096\n",
					argv[i]);
				return GB_EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--fields")) {
			fields = true;
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			path = NULL;
			break;
		}
	}
	if (!path || i < argc) {
		fprintf(stderr, "usage: gmem-suite [--ncpus N] [--fields] SUITE_FILE\n");
		return GB_EXIT_USAGE;
	}
	text = gb_read_text_len(path, &len);
	if (!text) {
		fprintf(stderr, "gmem-suite: error: cannot read suite %s: %s\n", path,
			errno == EINVAL ? "not a regular file" :
			errno == EFBIG	? "larger than 4 MiB" : strerror(errno));
		return GB_EXIT_INPUT;
	}
	if (strlen(text) != len) {
		fprintf(stderr, "gmem-suite: error: suite %s:%u: NUL byte in the line\n", path,
			line_of(text, strlen(text)));
		free(text);
		return GB_EXIT_INPUT;
	}
	ret = gb_suite_parse(text, path, (unsigned int)ncpus, &suite);
	free(text);
	if (ret) {
		fprintf(stderr, "gmem-suite: error: %s\n", gb_error_message());
		gb_suite_free(&suite);
		return ret;
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
		print_case(&suite.cases[c], fields);
	gb_suite_free(&suite);
	return fflush(stdout) ? GB_EXIT_OUTPUT : 0;
}
