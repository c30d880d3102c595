/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the small text files of /proc and /sys. */
#ifndef GB_TEXTFILE_H
#define GB_TEXTFILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A whole small regular file (at most 4 MiB), NUL-terminated (caller
 * frees), or NULL with errno: EINVAL for something else than a regular
 * file (a FIFO would hang the reader), EFBIG for a larger file (never cut
 * short).  *@len, if given, is its length: a NUL inside is there to see.
 */
char *gb_read_text_len(const char *path, size_t *len);
char *gb_read_text(const char *path);

/* The number a file starts with; 0 if it can't be read. */
uint64_t gb_read_u64(const char *path);

#endif
