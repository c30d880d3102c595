// SPDX-License-Identifier: GPL-2.0
/* Suite files (scripts/suites/), as gmem-suite and the runner read them. */
#include "errors.h"
#include "fuzz_input.h"
#include "suite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = gb_fuzz_text(data, size);
	struct gb_suite suite = { 0 };

	if (gb_suite_parse(text, "fuzz.suite", 4, &suite) && !gb_error_message()[0])
		abort(); /* a rejection always says why */
	gb_suite_free(&suite);
	gb_error_reset();
	free(text);
	return 0;
}
