// SPDX-License-Identifier: GPL-2.0
/*
 * Result JSON, as gmem-compare reads it: the input is written as the one
 * case of two result directories, which are loaded, validated, compared
 * with each other and rendered in every format.  Going through the files
 * (not just gb_result_validate()) fuzzes what a user can really hand the
 * tool: the loader, the metric extraction and the statistics behind it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "errors.h"
#include "fuzz_input.h"

static char root[32] = "/tmp/gb-fuzz-result-XXXXXX";
static char dirs[2][64];
static char plot_dir[64];

/* Nothing left in /tmp when the fuzzer exits (libFuzzer ends with exit()). */
static void remove_dirs(void)
{
	char path[96];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/case.json", dirs[i]);
		unlink(path);
		rmdir(dirs[i]);
	}
	rmdir(plot_dir);
	rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
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
	snprintf(plot_dir, sizeof(plot_dir), "%s/plot", root);
	if (mkdir(plot_dir, 0700))
		abort();
	atexit(remove_dirs);
	return 0;
}

/*
 * The plot files gnuplot and plot.sh read: whatever the result said, each
 * line of plot-vars.txt is one variable (six of them) and no file holds a
 * control character but the newlines gmem-compare wrote.
 */
static void check_plot_files(void)
{
	static const char *const files[] = { "plot-vars.txt",	   "throughput.dat",
					     "latency-create.dat", "latency-close.dat",
					     "slab.dat",	   "numa.dat" };
	char path[128];
	size_t lines;
	FILE *f;
	int c;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", plot_dir, files[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		lines = 0;
		while ((c = fgetc(f)) != EOF) {
			if ((c < 0x20 && c != '\n') || c == 0x7f)
				abort();
			lines += c == '\n';
		}
		fclose(f);
		unlink(path);
		if (!i && lines != 6)
			abort();
	}
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
		&gb_compare_table,
		&gb_compare_csv,
		&gb_compare_markdown,
		&gb_compare_cover_letter,
	};
	struct gb_compare_opts opts = {
		.alpha = 0.05,
		.max_cv = 0.05,
		.correct = true,
		.threshold = 0.01,
		.cases = cases,
	};
	struct gb_comparison cmp = { 0 };
	FILE *null = fopen("/dev/null", "w");
	size_t i;

	if (!null)
		abort();
	if (!gb_compare_build(&cmp, sets, 2, &opts)) {
		for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
			formats[i]->write(null, &cmp);
		if (!gb_compare_write_plot_data(&cmp, plot_dir, NULL, NULL))
			check_plot_files();
	}
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
