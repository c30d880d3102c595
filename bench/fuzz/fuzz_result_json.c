// SPDX-License-Identifier: GPL-2.0
/*
 * Result JSON, as gmem-compare reads it: the input is written as the one
 * case of two result directories, which are loaded, validated, compared
 * with each other and rendered in every format.  Going through the files
 * (not just gb_result_validate()) fuzzes what a user can really hand the
 * tool: the loader, the metric extraction and the statistics behind it.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "errors.h"
#include "fuzz_input.h"

static char dirs[2][64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char root[] = "/tmp/gb-fuzz-result-XXXXXX";
	int i;

	(void)argc;
	(void)argv;
	if (!mkdtemp(root))
		abort();
	for (i = 0; i < 2; i++) {
		snprintf(dirs[i], sizeof(dirs[i]), "%s/%c", root, 'A' + i);
		if (mkdir(dirs[i], 0700))
			abort();
	}
	return 0;
}

static void write_case(const char *dir, const uint8_t *data, size_t size)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "%s/case.json", dir);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
}

/* @cases: --cases, or NULL; "none" hides the one case and so every row. */
static void compare_and_render(struct gb_result_set *sets, const char *cases)
{
	static const struct gb_compare_output *const formats[] = {
		&gb_compare_table, &gb_compare_csv, &gb_compare_markdown, &gb_compare_cover_letter,
	};
	struct gb_compare_opts opts = {
		.alpha = 0.05, .max_cv = 0.05, .correct = true, .cases = cases,
	};
	struct gb_comparison cmp = { 0 };
	FILE *null = fopen("/dev/null", "w");
	size_t i;

	if (!null)
		abort();
	if (!gb_compare_build(&cmp, sets, 2, &opts))
		for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
			formats[i]->write(null, &cmp);
	gb_compare_free(&cmp);
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gb_result_set sets[2] = { 0 };
	int i, loaded = 0;

	for (i = 0; i < 2; i++)
		write_case(dirs[i], data, size);
	for (i = 0; i < 2; i++)
		if (!gb_result_set_load(dirs[i], &sets[i]))
			loaded++;
		else if (!gb_error_message()[0])
			abort(); /* a rejection always says why */
	if (loaded == 2) {
		compare_and_render(sets, NULL);
		compare_and_render(sets, "none");
	}
	for (i = 0; i < 2; i++)
		gb_result_set_free(&sets[i]);
	gb_error_reset();
	return 0;
}
