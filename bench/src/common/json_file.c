// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "atomic_file.h"
#include "errors.h"
#include "json_file.h"

int gb_json_write_atomic(json_t *doc, const char *path)
{
	struct gb_atomic_file af;

	if (gb_atomic_open(&af, path))
		return GB_EXIT_OUTPUT;
	if (json_dumpf(doc, af.f, JSON_INDENT(1)) || fputc('\n', af.f) == EOF) {
		int err = errno ? errno : EIO;

		gb_atomic_abort(&af);
		return gb_fail_errno(GB_EXIT_OUTPUT, err, "cannot write results to %s", path);
	}
	return gb_atomic_commit(&af);
}
