// SPDX-License-Identifier: GPL-2.0
/*
 * Suite files (scripts/suites/), as gmem-suite and the runner read them:
 * case lines, matrix values (thread lists and ranges) and the quoting of
 * arguments.  What the runners rely on is checked: names they can use as
 * file names, arguments with no control character but the separator.
 */
#include <ctype.h>

#include "errors.h"
#include "fuzz_input.h"
#include "metrics.h"
#include "suite.h"

static void check_case(const struct gb_suite_case *c)
{
	if (!c->name[0] || c->name[0] == '.')
		abort();
	for (const char *p = c->name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._+-", *p))
			abort();
	for (const char *p = c->args; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != GB_SUITE_ARG_SEP && *p != '\t')
			abort();
}

/* A role names a case of the suite and, for a primary, a metric gmem-compare knows. */
static void check_role(const struct gb_suite *suite, const struct gb_suite_role *r)
{
	bool found = false;

	for (size_t i = 0; i < suite->ncases && !found; i++)
		found = !strcmp(suite->cases[i].name, r->case_name);
	if (!found || (r->metric[0] && !gb_metric_find(r->metric)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = gb_fuzz_text(data, size);
	struct gb_suite suite = { 0 };

	if (gb_suite_parse(text, "fuzz.suite", 4, &suite)) {
		if (!gb_error_message()[0])
			abort(); /* a rejection always says why */
	} else {
		if (!suite.ncases || suite.ncases > GB_SUITE_MAX_CASES)
			abort();
		for (size_t i = 0; i < suite.ncases; i++)
			check_case(&suite.cases[i]);
		for (size_t r = 0; r < suite.nroles; r++)
			check_role(&suite, &suite.roles[r]);
	}
	gb_suite_free(&suite);
	gb_error_reset();
	free(text);
	return 0;
}
