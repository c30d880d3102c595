// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-suite: expand a suite file into its cases, one "NAME: ARGS" line
 * each, for scripts/run-suite.sh and the VM's /init (which reads plain case
 * lines only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "suite.h"
#include "textfile.h"

int main(int argc, char **argv)
{
	unsigned long ncpus = (unsigned long)sysconf(_SC_NPROCESSORS_ONLN);
	struct gb_suite suite;
	const char *path;
	char *text, *end;
	int ret;

	if (argc == 4 && !strcmp(argv[1], "--ncpus")) {
		ncpus = strtoul(argv[2], &end, 10);
		if (*end || !ncpus || ncpus > 4096) {
			fprintf(stderr, "gmem-suite: error: --ncpus '%s': expected 1 to 4096\n",
				argv[2]);
			return GB_EXIT_USAGE;
		}
		path = argv[3];
	} else if (argc == 2 && argv[1][0] != '-') {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: gmem-suite [--ncpus N] SUITE_FILE\n");
		return GB_EXIT_USAGE;
	}
	text = gb_read_text(path);
	if (!text) {
		fprintf(stderr, "gmem-suite: error: cannot read suite %s\n", path);
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
	for (size_t i = 0; i < suite.ncases; i++)
		printf("%s: %s\n", suite.cases[i].name, suite.cases[i].args);
	gb_suite_free(&suite);
	return fflush(stdout) ? GB_EXIT_OUTPUT : 0;
}
