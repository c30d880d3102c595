// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>

#include "textfile.h"

#define READ_TEXT_MAX (4 << 20)

char *gb_read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 4096, got;
	char *buf, *grown;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (len < cap - 1 || cap >= READ_TEXT_MAX)
			break;
		cap *= 2;
		grown = realloc(buf, cap);
		if (!grown)
			free(buf);
		buf = grown;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

uint64_t gb_read_u64(const char *path)
{
	char *text = gb_read_text(path);
	uint64_t v = text ? strtoull(text, NULL, 10) : 0;

	free(text);
	return v;
}
