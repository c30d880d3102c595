/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files that appear whole or not at all: written to a temporary file in the
 * same directory, fsynced, then renamed over the final name.  A reader (or
 * a full disk, or a crash) never leaves a truncated file under that name.
 */
#ifndef GB_ATOMIC_FILE_H
#define GB_ATOMIC_FILE_H

#include <stdio.h>

struct gb_atomic_file {
	FILE *f; /* write here */
	char *tmp;
	const char *path;
};

/* gb_fail(GB_EXIT_OUTPUT, ...) and nonzero when the file can't be made. */
int gb_atomic_open(struct gb_atomic_file *af, const char *path);

/*
 * Flush, sync and rename into place; on any write error (ENOSPC included)
 * the temporary file is removed and the error recorded.  Always releases
 * @af.
 */
int gb_atomic_commit(struct gb_atomic_file *af);

/* Give up: remove the temporary file, release @af. */
void gb_atomic_abort(struct gb_atomic_file *af);

#endif
