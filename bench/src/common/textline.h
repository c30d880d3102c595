/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A line of a text report, built in pieces and printed without trailing
 * blanks (column layouts pad every field; emails and golden files should
 * not carry the padding of an empty last column).
 */
#ifndef GB_TEXTLINE_H
#define GB_TEXTLINE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

struct gb_line {
	char buf[1024];
	size_t len;
};

static inline __printf(2, 3) void gb_line_add(struct gb_line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < sizeof(l->buf) - l->len ? (size_t)n :
								sizeof(l->buf) - l->len - 1;
}

/* Print and reset. */
static inline void gb_line_put(struct gb_line *l, FILE *f)
{
	while (l->len && l->buf[l->len - 1] == ' ')
		l->len--;
	fprintf(f, "%.*s\n", (int)l->len, l->buf);
	l->len = 0;
}

#endif
