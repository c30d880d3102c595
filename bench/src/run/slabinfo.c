// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slabinfo.h"

static int parse_line(const char *line, struct gb_slab_cache *c)
{
	unsigned long long v[6];
	char name[GB_SLAB_NAME_MAX];
	int n;

	/* name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables ... : slabdata <active_slabs> <num_slabs> ... */
	if (sscanf(line, "%63s %llu %llu %llu %llu %llu%n", name, &v[0], &v[1], &v[2], &v[3], &v[4],
		   &n) != 6)
		return -1;
	line = strstr(line + n, ": slabdata ");
	if (!line || sscanf(line, ": slabdata %*u %llu", &v[5]) != 1)
		return -1;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->active_objs = v[0];
	c->num_objs = v[1];
	c->objsize = v[2];
	c->objperslab = v[3];
	c->pagesperslab = v[4];
	c->num_slabs = v[5];
	return 0;
}

int gb_slabinfo_parse(const char *text, struct gb_slabinfo *out, const char **why)
{
	const char *line = text, *next;
	size_t cap = 0, lineno = 0;
	char buf[512];

	memset(out, 0, sizeof(*out));
	if (strncmp(text, "slabinfo - version: 2.", 22)) {
		*why = "not /proc/slabinfo version 2.x";
		return -1;
	}
	for (; *line; line = next) {
		size_t len;

		next = strchr(line, '\n');
		len = next ? (size_t)(next - line) : strlen(line);
		next = next ? next + 1 : line + len;
		if (lineno++ < 2 || !len)
			continue; /* the version and the column header */
		if (len >= sizeof(buf)) {
			*why = "a line is too long";
			goto bad;
		}
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (out->n == cap) {
			struct gb_slab_cache *grown;

			cap = cap ? cap * 2 : 256;
			grown = realloc(out->caches, cap * sizeof(*grown));
			if (!grown) {
				*why = "out of memory";
				goto bad;
			}
			out->caches = grown;
		}
		if (parse_line(buf, &out->caches[out->n])) {
			*why = "a cache line is malformed or truncated";
			goto bad;
		}
		out->n++;
	}
	if (!out->n) {
		*why = "no caches listed";
		goto bad;
	}
	return 0;
bad:
	gb_slabinfo_free(out);
	return -1;
}

void gb_slabinfo_free(struct gb_slabinfo *si)
{
	free(si->caches);
	si->caches = NULL;
	si->n = 0;
}

const struct gb_slab_cache *gb_slabinfo_find(const struct gb_slabinfo *si, const char *name)
{
	size_t i;

	for (i = 0; i < si->n; i++)
		if (!strcmp(si->caches[i].name, name))
			return &si->caches[i];
	return NULL;
}

int gb_slab_parse_node_counts(const char *text, uint64_t *total, uint64_t *per_node,
			      unsigned int *nnodes)
{
	unsigned long long v, t;
	unsigned int node;
	char *end;

	*nnodes = 0;
	errno = 0;
	if (!isdigit((unsigned char)*text))
		return -1;
	t = strtoull(text, &end, 10);
	if (errno)
		return -1;
	memset(per_node, 0, GB_MAX_NODES * sizeof(*per_node));
	while (*end == ' ') {
		text = end + 1;
		if (*text == '\n' || !*text)
			break;
		if (sscanf(text, "N%u=%llu", &node, &v) != 2 || node >= GB_MAX_NODES)
			return -1;
		per_node[node] = v;
		if (node + 1 > *nnodes)
			*nnodes = node + 1;
		end = strchr(text, ' ');
		if (!end)
			break;
	}
	*total = t;
	return 0;
}

const struct gb_slab_growth *gb_slab_inodes_from(const struct gb_slab_growth *g, size_t n,
						 uint64_t files)
{
	const struct gb_slab_growth *best = NULL;
	size_t i;

	for (i = 0; i < n && files; i++) {
		if (!strstr(g[i].name, "inode") ||
		    (double)g[i].new_objects < GB_INODES_FROM_MIN * (double)files)
			continue;
		if (!best || g[i].new_objects > best->new_objects)
			best = &g[i];
	}
	return best;
}
