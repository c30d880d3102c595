// SPDX-License-Identifier: GPL-2.0
/*
 * meminfo, cgroup stat and /proc/self/cgroup parsers on captures of the
 * development host (fixtures/procfs/) and on broken inputs.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "procfs_parse.h"
#include "textfile.h"

static char *fixture(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/procfs/%s", GB_FIXTURES, name);
	return gb_read_text(path);
}

static void meminfo(void)
{
	char *node = fixture("node0-meminfo-6.18-host.txt"),
	     *proc = fixture("meminfo-6.18-host.txt");
	uint64_t kb = 0;

	CHECK(node && !gb_parse_meminfo_kb(node, "FilePages", &kb) && kb == 976680,
	      "node 0 FilePages from the capture: %llu", (unsigned long long)kb);
	CHECK(node && !gb_parse_meminfo_kb(node, "MemTotal", &kb) && kb == 7563468,
	      "node MemTotal");
	CHECK(proc && !gb_parse_meminfo_kb(proc, "MemTotal", &kb) && kb > 0,
	      "/proc/meminfo MemTotal");
	CHECK(gb_parse_meminfo_kb("Node 0 FilePages:\n", "FilePages", &kb), "no number");
	CHECK(gb_parse_meminfo_kb("Node 0 FilePages: 99999999999999999999999 kB\n", "FilePages",
				  &kb),
	      "a number over 64 bits is rejected, not clamped");
	CHECK(gb_parse_meminfo_kb("Node x FilePages: 5 kB\n", "FilePages", &kb), "bad node prefix");
	CHECK(gb_parse_meminfo_kb("FilePagesX: 5 kB\n", "FilePages", &kb),
	      "a longer key is not the key");
	CHECK(!gb_parse_meminfo_kb("Cached: 1 kB\nFilePages:  7 kB", "FilePages", &kb) && kb == 7,
	      "last line without a newline");
	CHECK(gb_parse_meminfo_kb("", "FilePages", &kb), "empty text");
	free(node);
	free(proc);
}

static void cgroup_files(void)
{
	char *cg = fixture("proc-self-cgroup-v2-6.18-host.txt"), path[128];
	uint64_t v = 0;

	CHECK(!gb_parse_flat_keyed("anon 4096\nslab 7392\nslab_reclaimable 1024\n", "slab", &v) &&
		      v == 7392,
	      "memory.stat slab, not slab_reclaimable");
	CHECK(gb_parse_flat_keyed("slab_reclaimable 1024\n", "slab", &v), "prefix of a key");
	CHECK(gb_parse_flat_keyed("slab -5\n", "slab", &v), "negative value");
	CHECK(gb_parse_flat_keyed("slab\n", "slab", &v), "no value");
	/* The host is hybrid: v1 memory hierarchy and the v2 "0::/" line. */
	CHECK(cg && !gb_parse_proc_cgroup(cg, false, path, sizeof(path)) &&
		      !strcmp(path, "/process_api/1c48637d3fe4d7791ff658dd0b0a2fde"),
	      "v1 memory line of the capture: %s", path);
	CHECK(cg && !gb_parse_proc_cgroup(cg, true, path, sizeof(path)) && !strcmp(path, "/"),
	      "v2 line of the capture");
	CHECK(!gb_parse_proc_cgroup("5:cpu,memory:/a/b\n", false, path, sizeof(path)) &&
		      !strcmp(path, "/a/b"),
	      "memory in a list of controllers");
	CHECK(gb_parse_proc_cgroup("5:memoryx:/a\n", false, path, sizeof(path)),
	      "memoryx is not memory");
	CHECK(gb_parse_proc_cgroup("0::relative\n", true, path, sizeof(path)), "relative path");
	CHECK(gb_parse_proc_cgroup("0::/0123456789\n", true, path, 8),
	      "path too long for the buffer");
	CHECK(gb_parse_proc_cgroup("garbage\n", true, path, sizeof(path)), "no colons");
	free(cg);
}

int main(void)
{
	meminfo();
	cgroup_files();
	return check_report();
}
