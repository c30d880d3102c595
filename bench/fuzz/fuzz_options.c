// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-bench's command line: the input, split at newlines, is an argument
 * vector for gb_parse_args(); its first line also goes to each number and
 * list parser on its own.  What is checked: every rejection says why, and
 * what a parser accepts is what it claims (decimal digits, lists in range).
 */
#include <ctype.h>

#include "errors.h"
#include "fuzz_input.h"
#include "idlist.h"
#include "options.h"

#define MAX_ARGS 32

static void check_number_parsers(const char *s)
{
	unsigned int highest;
	uint64_t v;
	double d;

	/* Counts are decimal: an accepted one starts with a digit and has no 'x'. */
	if (!gb_parse_u64(s, &v) && (!isdigit((unsigned char)s[0]) || strchr(s, 'x')))
		abort();
	if (!gb_parse_bytes(s, &v) && !isdigit((unsigned char)s[0]))
		abort();
	if (!gb_parse_seconds(s, &d) && !(d >= GB_MIN_DURATION_S && d <= 86400.0))
		abort();
	if (!gb_idlist_check(s, &highest) &&
	    (highest > GB_IDLIST_MAX_ID || gb_list_has_empty_item(s) || strstr(s, "--")))
		abort();
	if (!gb_parse_gmem_flags(s, &v) && gb_list_has_empty_item(s))
		abort();
	if (gb_parse_collect(s) && gb_list_has_empty_item(s))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = gb_fuzz_text(data, size), *argv[MAX_ARGS + 1] = { "gmem-bench" };
	struct gb_config cfg;
	int argc = 1;

	for (char *line = strtok(text, "\n"); line && argc < MAX_ARGS; line = strtok(NULL, "\n"))
		argv[argc++] = line;
	argv[argc] = NULL;
	if (argc > 1)
		check_number_parsers(argv[1]);
	gb_error_reset();
	gb_config_defaults(&cfg);
	if (gb_parse_args(argc, argv, &cfg) == GB_PARSE_ERROR && !gb_error_message()[0])
		abort(); /* a rejection always says why */
	gb_error_reset();
	free(text);
	return 0;
}
