/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a result came from: enough to tell two result sets apart before
 * comparing them (machine, kernel, topology, tool revision).
 */
#ifndef GB_METADATA_H
#define GB_METADATA_H

#include <jansson.h>

json_t *gb_metadata_json(void);

/* First line of @path with the newline removed, or NULL. Caller frees. */
char *gb_read_first_line(const char *path);

/* Value of the first "key<spaces>: value" line in @path, or NULL. */
char *gb_read_keyed_value(const char *path, const char *key);

#endif
