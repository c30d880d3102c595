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

int main(void)
{
	host_slabinfo();
	guest_slabinfo();
	broken_slabinfo();
	node_counts();
	return check_report();
}
