// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for meminfo, cgroup stat files and /proc/self/cgroup.  They walk
 * the text line by line without changing it, and reject rather than guess:
 * a value must be a decimal number that fits in 64 bits.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "procfs_parse.h"

/* A decimal number at *p (after blanks); *p is moved past it. */
static int parse_u64(const char **p, uint64_t *value)
{
	const char *s = *p + strspn(*p, " \t");
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	*value = v;
	*p = end;
	return 0;
}

static const char *next_line(const char *line)
{
	const char *nl = strchr(line, '\n');

	return nl ? nl + 1 : NULL;
}

/* The line is KEY followed by @sep; returns what follows, or NULL. */
static const char *after_key(const char *line, const char *key, char sep)
{
	size_t klen = strlen(key);

	if (strncmp(line, key, klen) || line[klen] != sep)
		return NULL;
	return line + klen + 1;
}

int gb_parse_flat_keyed(const char *text, const char *key, uint64_t *value)
{
	const char *line, *rest;

	for (line = text; line && *line; line = next_line(line)) {
		rest = after_key(line, key, ' ');
		if (rest)
			return parse_u64(&rest, value);
	}
	return -1;
}

int gb_parse_meminfo_kb(const char *text, const char *key, uint64_t *kb)
{
	const char *line, *p, *rest;
	uint64_t node;

	for (line = text; line && *line; line = next_line(line)) {
		p = line;
		/* A node's meminfo prefixes every line with "Node N ". */
		if (!strncmp(p, "Node ", 5)) {
			p += 5;
			if (parse_u64(&p, &node) || *p != ' ')
				continue;
			p++;
		}
		rest = after_key(p, key, ':');
		if (rest)
			return parse_u64(&rest, kb);
	}
	return -1;
}

/* A v1 controller list ("cpu,memory") of @len bytes names "memory". */
static bool has_memory(const char *list, size_t len)
{
	const char *p = list, *end = list + len, *comma;

	while (p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (!comma)
			comma = end;
		if (comma - p == 6 && !memcmp(p, "memory", 6))
			return true;
		p = comma + 1;
	}
	return false;
}

int gb_parse_proc_cgroup(const char *text, bool v2, char *out, size_t len)
{
	const char *line, *ctrl, *path, *end;
	size_t clen, plen;

	for (line = text; line && *line; line = next_line(line)) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		ctrl = memchr(line, ':', (size_t)(end - line));
		path = ctrl ? memchr(ctrl + 1, ':', (size_t)(end - ctrl - 1)) : NULL;
		if (!path)
			continue;
		ctrl++;
		clen = (size_t)(path - ctrl);
		path++;
		if (v2 ? clen != 0 : !has_memory(ctrl, clen))
			continue;
		plen = (size_t)(end - path);
		if (plen == 0 || plen >= len || *path != '/')
			return -1;
		memcpy(out, path, plen);
		out[plen] = '\0';
		return 0;
	}
	return -1;
}
