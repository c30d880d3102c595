/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files that appear whole or not at all: written to a temporary file in the
 * same directory, fsynced, then renamed over the final name.  A reader (or
 * a full disk, or a crash) never leaves a truncated file under that name.
 *
 * Only a regular file (or nothing) is ever replaced.  A symbolic link is
 * followed to its target, which is written (made, if the link dangles);
 * a character device (/dev/null, a terminal), a FIFO or a pipe
 * (/dev/stdout) is written in place; anything else is refused.
 */
#ifndef GB_ATOMIC_FILE_H
#define GB_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>

struct gb_atomic_file {
	FILE *f; /* write here */
	char *tmp;
	const char *path; /* as given, for messages */
	char *final;	  /* what the temporary file is renamed to */
	bool direct;	  /* not a regular file: written in place */
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
