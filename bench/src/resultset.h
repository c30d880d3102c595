/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A result directory as gmem-compare sees it: one gmem-bench JSON per case
 * (results/LABEL/CASE.json, as scripts/run-suite.sh and scripts/vm-run.sh
 * write them) and what is known about where it ran.
 */
#ifndef GB_RESULTSET_H
#define GB_RESULTSET_H

#include <stddef.h>

#include <jansson.h>

#define GB_RESULT_SCHEMA "gmem-bench/1"
/* A result file larger than this is refused. */
#define GB_RESULT_MAX_BYTES (64 << 20)

struct gb_result_case {
	char *name; /* the file name without .json */
	json_t *doc;
};

struct gb_result_set {
	char *path;
	char *label;	   /* column heading: the directory's name */
	char *release;	   /* kernel release (uname -r) of the cases */
	char *host;	   /* the machine: vm.txt's host line, else hostname */
	char *cpu_model;   /* as the benchmark saw it (a guest's own CPU in a VM) */
	char *accelerator; /* vm.txt's accelerator, "none" on the host kernel */
	char *topology;	   /* "2 CPUs, 1 node" */
	char *tool_version;
	size_t ncases;
	struct gb_result_case *cases;
	size_t nskipped; /* cases left out: interrupted or failed runs */
	char **dropped;	 /* their names: no round of them is compared */
	size_t ndropped;
};

/*
 * Load every *.json of @path.  A file that isn't a gmem-bench result is an
 * error (GB_EXIT_INPUT, or GB_EXIT_MISMATCH for another schema version),
 * with the file and the reason in gb_error_message(); a run that stopped
 * early is left out with a warning.  @set is always safe to free.
 */
int gb_result_set_load(const char *path, struct gb_result_set *set);
void gb_result_set_free(struct gb_result_set *set);

const struct gb_result_case *gb_result_set_find(const struct gb_result_set *set,
						const char *name);

/*
 * Check one parsed document (@what names it in messages).  Exposed for the
 * fuzz target, which feeds it arbitrary JSON.
 */
int gb_result_validate(json_t *doc, const char *what);

#endif
