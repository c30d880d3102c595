/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the small text files of /proc and /sys. */
#ifndef GB_TEXTFILE_H
#define GB_TEXTFILE_H

#include <stdint.h>

/* A whole small file, NUL-terminated (caller frees), or NULL. */
char *gb_read_text(const char *path);

/* The number a file starts with; 0 if it can't be read. */
uint64_t gb_read_u64(const char *path);

#endif
