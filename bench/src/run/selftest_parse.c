// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd_perf_test's output, read back.  Its lines are pr_info() text
 * for people (the kernel's perf tests print no TAP), so each known line is
 * matched whole with sscanf and %n: a line that starts like one but does
 * not end where it should is refused rather than half read.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "selftest.h"

#define HEADER "guest_memfd create+close: "
#define SKIP "1..0 # SKIP - "

static int header_line(const char *line, struct gb_selftest_result *r, unsigned int lineno)
{
	char vms[16];
	int end = -1;

	/* "N thread(s) on one VM, VM type T, size S, flags 0xF, L s runs, W warm-up, 1 in N timed" */
	if (sscanf(line,
		   HEADER
		   "%u thread(s) on %15[^,], VM type %lu, size %lu, flags 0x%lx, %u s runs, %u warm-up, 1 in %u timed%n",
		   &r->threads, vms, &r->vm_type, &r->size, &r->flags, &r->seconds, &r->warmup,
		   &r->sample_every, &end) != 8 ||
	    end < 0 || line[end] || !r->threads || !r->seconds || !r->sample_every)
		return gb_fail(GB_EXIT_INPUT, "selftest output line %u: not a header it writes",
			       lineno);
	if (!strcmp(vms, "one VM"))
		r->vm_per_thread = false;
	else if (!strcmp(vms, "a VM each"))
		r->vm_per_thread = true;
	else
		return gb_fail(GB_EXIT_INPUT, "selftest output line %u: unknown VM sharing",
			       lineno);
	r->have_header = true;
	return 0;
}

static int run_line(const char *line, struct gb_selftest_result *r, unsigned int lineno)
{
	struct gb_selftest_run run;
	unsigned int index;
	int end = -1;

	if (sscanf(line,
		   "Run %u: %lu files in %lf s: %lf ns per create+close (create %lf ns, close %lf ns, %lu samples)%n",
		   &index, &run.files, &run.seconds, &run.ns_per_op, &run.create_ns, &run.close_ns,
		   &run.samples, &end) != 7 ||
	    end < 0 || line[end])
		return gb_fail(GB_EXIT_INPUT, "selftest output line %u: not a run line it writes",
			       lineno);
	if (!r->have_header)
		return gb_fail(GB_EXIT_INPUT, "selftest output line %u: a run before the header",
			       lineno);
	if (index != r->nruns + 1 || r->nruns == GB_SELFTEST_MAX_RUNS)
		return gb_fail(GB_EXIT_INPUT, "selftest output line %u: run %u out of order",
			       lineno, index);
	if (!run.files || !run.samples || !(run.ns_per_op > 0) || !(run.seconds > 0))
		return gb_fail(GB_EXIT_INPUT, "selftest output line %u: an empty run", lineno);
	r->runs[r->nruns++] = run;
	return 0;
}

static void skip_line(const char *line, struct gb_selftest_result *r)
{
	size_t i, n = 0;

	for (i = strlen(SKIP); line[i] && n + 1 < sizeof(r->skip_reason); i++)
		r->skip_reason[n++] = isprint((unsigned char)line[i]) ? line[i] : '?';
	r->skip_reason[n] = '\0';
	r->skipped = true;
}

int gb_selftest_parse(const char *text, struct gb_selftest_result *r)
{
	unsigned int lineno = 0;
	char line[512];

	memset(r, 0, sizeof(*r));
	while (*text) {
		size_t len = strcspn(text, "\n");

		lineno++;
		if (len >= sizeof(line))
			return gb_fail(GB_EXIT_INPUT, "selftest output line %u is too long",
				       lineno);
		memcpy(line, text, len);
		line[len] = '\0';
		text += len + (text[len] == '\n');

		if (!strncmp(line, HEADER, strlen(HEADER))) {
			if (r->have_header)
				return gb_fail(GB_EXIT_INPUT,
					       "selftest output line %u: a second header", lineno);
			if (header_line(line, r, lineno))
				return GB_EXIT_INPUT;
		} else if (!strncmp(line, "Run ", 4)) {
			if (run_line(line, r, lineno))
				return GB_EXIT_INPUT;
		} else if (!strncmp(line, SKIP, strlen(SKIP))) {
			skip_line(line, r);
		}
	}
	return 0;
}
