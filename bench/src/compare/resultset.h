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

#include "metrics.h"

/* A result file larger than this is refused. */
#define GB_RESULT_MAX_BYTES (64 << 20)

struct gb_result_case {
	char *name; /* the file name without .json */
	/*
	 * Every round merged; each run carries GB_RUN_BOOT_KEY, the index in
	 * the set's boot_ids of the boot it ran in.
	 */
	json_t *doc;
};

#define GB_RUN_BOOT_KEY "_gb_boot"

/*
 * What a suite says about its cases (roles.txt beside the results, from
 * the suite's "primary" and "control" lines; see suite.h).
 */
struct gb_role {
	char *case_name;
	const struct gb_metric *metric; /* a primary figure; NULL: a control case */
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
	/*
	 * The boots the runs ran in (metadata.boot_id; "" when a result has
	 * none), in the order first seen.
	 */
	char **boot_ids;
	size_t nboots;
	struct gb_role *roles;
	size_t nroles;
	char *roles_warning; /* a line of roles.txt that was not understood */
};

/*
 * Load every *.json of @path.  A file that isn't a gmem-bench result is an
 * error (GB_EXIT_INPUT, or GB_EXIT_MISMATCH for another schema version),
 * with the file and the reason in gb_error_message(); a run that stopped
 * early is left out with a warning.  @set is always safe to free.
 */
int gb_result_set_load(const char *path, struct gb_result_set *set);
void gb_result_set_free(struct gb_result_set *set);

const struct gb_result_case *gb_result_set_find(const struct gb_result_set *set, const char *name);

/*
 * Check one parsed document (@what names it in messages).  Exposed for the
 * fuzz target, which feeds it arbitrary JSON.
 */
int gb_result_validate(json_t *doc, const char *what);

#endif
