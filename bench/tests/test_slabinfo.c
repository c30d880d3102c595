// SPDX-License-Identifier: GPL-2.0
/*
 * Slab parsers on real captures (fixtures/: /proc/slabinfo of the 6.18
 * development host and of the 6.12 benchmark guests, /sys/kernel/slab
 * files of the host) and on broken inputs made from them.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "slabinfo.h"

static char *fixture(const char *name)
{
	char path[512];
	char *text;

	snprintf(path, sizeof(path), "%s/%s", GB_FIXTURES, name);
	text = gb_read_text(path);
	if (!text)
		fprintf(stderr, "cannot read fixture %s\n", path);
	return text;
}

static void host_slabinfo(void)
{
	char *text = fixture("slabinfo-6.18-host.txt");
	const struct gb_slab_cache *c;
	struct gb_slabinfo si;
	const char *why = NULL;

	CHECK(text && !gb_slabinfo_parse(text, &si, &why), "6.18 slabinfo parses: %s", why);
	if (!text)
		return;
	c = gb_slabinfo_find(&si, "inode_cache");
	CHECK(c && c->objsize == 624 && c->objperslab == 13 && c->pagesperslab == 2,
	      "inode_cache geometry from the 6.18 host");
	CHECK(c && c->active_objs <= c->num_objs && c->num_slabs > 0, "inode_cache counts");
	CHECK(!gb_slabinfo_find(&si, "kvm_gmem_inode_cache"), "no guest_memfd cache on 6.18 host");
	CHECK(si.n > 50, "all caches read (%zu)", si.n);
	gb_slabinfo_free(&si);
	free(text);
}

static void guest_slabinfo(void)
{
	char *base = fixture("slabinfo-6.12-base-peak20k.txt");
	char *cache = fixture("slabinfo-6.12-cache-peak20k.txt");
	struct gb_slabinfo a, b;
	const char *why = NULL;
	const struct gb_slab_cache *c;

	CHECK(base && !gb_slabinfo_parse(base, &a, &why), "6.12 base slabinfo: %s", why);
	CHECK(cache && !gb_slabinfo_parse(cache, &b, &why), "6.12 cache slabinfo: %s", why);
	if (!base || !cache)
		return;
	CHECK(!gb_slabinfo_find(&a, "kvm_gmem_inode_cache"), "base has no kvm_gmem_inode_cache");
	c = gb_slabinfo_find(&b, "kvm_gmem_inode_cache");
	CHECK(c && c->active_objs >= 20000, "cache kernel at the peak holds the 20000 inodes");
	gb_slabinfo_free(&a);
	gb_slabinfo_free(&b);
	free(base);
	free(cache);
}

static void broken_slabinfo(void)
{
	char *text = fixture("slabinfo-6.18-host.txt");
	struct gb_slabinfo si;
	const char *why = NULL;
	char *cut;

	if (!text)
		return;
	/* Truncated in the middle of a cache line. */
	cut = strstr(text, "inode_cache");
	cut[20] = '\0';
	CHECK(gb_slabinfo_parse(text, &si, &why) && strstr(why, "truncated"),
	      "truncated line rejected: %s", why);
	CHECK(gb_slabinfo_parse("slabinfo - version: 1.1\n", &si, &why) && strstr(why, "2.x"),
	      "old version rejected");
	CHECK(gb_slabinfo_parse("", &si, &why), "empty input rejected");
	CHECK(gb_slabinfo_parse("slabinfo - version: 2.1\n# name ...\n", &si, &why) &&
		      strstr(why, "no caches"),
	      "header only rejected");
	CHECK(gb_slabinfo_parse(
		      "slabinfo - version: 2.1\n# h\nfoo 1 2 x 4 5 : tunables 0 0 0 : slabdata 1 1 0\n",
		      &si, &why),
	      "non-numeric column rejected");
	free(text);
}

static void node_counts(void)
{
	uint64_t total, per_node[GB_MAX_NODES];
	unsigned int n;
	char *text = fixture("sys-slab-6.18-host/inode_cache/objects");

	CHECK(text && !gb_slab_parse_node_counts(text, &total, per_node, &n) && n == 1 &&
		      per_node[0] == total,
	      "host objects file: one node holding all");
	free(text);
	/* The layout of a two-node SLUB_DEBUG kernel. */
	CHECK(!gb_slab_parse_node_counts("20048 N0=10000 N1=10048\n", &total, per_node, &n) &&
		      total == 20048 && n == 2 && per_node[1] == 10048,
	      "two nodes");
	CHECK(!gb_slab_parse_node_counts("42\n", &total, per_node, &n) && total == 42 && n == 0,
	      "no per-node list (non-NUMA or no SLUB_DEBUG)");
	CHECK(gb_slab_parse_node_counts("abc", &total, per_node, &n), "garbage rejected");
	CHECK(gb_slab_parse_node_counts("12 N0=", &total, per_node, &n), "truncated node rejected");
	CHECK(gb_slab_parse_node_counts("12 N64=1", &total, per_node, &n),
	      "node beyond 63 rejected");
}

/* Where 20000 files' inodes came from: the growth of every cache between two captures. */
static const char *inodes_from(const char *before, const char *peak, uint64_t files,
			       double *per_file)
{
	static char from[GB_SLAB_NAME_MAX];
	char *tb = fixture(before), *tp = fixture(peak);
	struct gb_slab_growth *g = NULL;
	const struct gb_slab_growth *f;
	struct gb_slabinfo a = { 0 }, b = { 0 };
	const struct gb_slab_cache *c;
	const char *why = NULL;
	size_t i;

	from[0] = '\0';
	if (!tb || !tp || gb_slabinfo_parse(tb, &a, &why) || gb_slabinfo_parse(tp, &b, &why))
		goto out;
	g = calloc(b.n, sizeof(*g));
	for (i = 0; g && i < b.n; i++) {
		c = gb_slabinfo_find(&a, b.caches[i].name);
		/* A cache absent before counts 0 (created during the run). */
		g[i] = (struct gb_slab_growth){ b.caches[i].name,
						(int64_t)b.caches[i].active_objs -
							(int64_t)(c ? c->active_objs : 0) };
	}
	f = g ? gb_slab_inodes_from(g, b.n, files) : NULL;
	if (f) {
		snprintf(from, sizeof(from), "%s", f->name);
		*per_file = (double)f->new_objects / (double)files;
	}
out:
	free(g);
	gb_slabinfo_free(&a);
	gb_slabinfo_free(&b);
	free(tb);
	free(tp);
	return from;
}

static void inodes_from_captures(void)
{
	const char *from;
	double per_file = 0;

	from = inodes_from("slabinfo-6.12-base-before.txt", "slabinfo-6.12-base-peak20k.txt",
			   20000, &per_file);
	CHECK(!strcmp(from, "inode_cache") && per_file > 0.995 && per_file < 0.997,
	      "base kernel: inodes from inode_cache (0.996 per file): %s %.4f", from, per_file);
	from = inodes_from("slabinfo-6.12-cache-before.txt", "slabinfo-6.12-cache-peak20k.txt",
			   20000, &per_file);
	CHECK(!strcmp(from, "kvm_gmem_inode_cache") && per_file > 0.994 && per_file < 0.996,
	      "cache kernel: inodes from kvm_gmem_inode_cache (0.995 per file): %s %.4f", from,
	      per_file);
	/* Just above the bound; dentry grew as much but holds no inodes. */
	from = inodes_from("slabinfo-6.12-cache-before.txt", "slabinfo-6.12-cache-peak20k.txt",
			   20900, &per_file);
	CHECK(!strcmp(from, "kvm_gmem_inode_cache"), "0.952 per file is one per file: %s", from);
	from = inodes_from("slabinfo-6.12-cache-before.txt", "slabinfo-6.12-cache-peak20k.txt",
			   40000, &per_file);
	CHECK(!from[0], "far fewer objects than files: no cache: %s", from);
	CHECK(!gb_slab_inodes_from(NULL, 0, 0), "no files, no cache");
}

int main(void)
{
	host_slabinfo();
	guest_slabinfo();
	broken_slabinfo();
	node_counts();
	inodes_from_captures();
	return check_report();
}
