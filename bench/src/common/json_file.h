/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GB_JSON_FILE_H
#define GB_JSON_FILE_H

#include <jansson.h>

/*
 * Write @doc to @path atomically: a temporary file in the same directory,
 * fsync, then rename over @path.  A reader sees the old file or the whole
 * new one, never a truncated one; on any failure the temporary file is
 * removed and gb_fail(GB_EXIT_OUTPUT, ...) is recorded.
 */
int gb_json_write_atomic(json_t *doc, const char *path);

#endif
