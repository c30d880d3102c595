// SPDX-License-Identifier: GPL-2.0
/*
 * memcg collector: the hold run happens in a memory cgroup of its own, and
 * the kernel memory charged to it per file is reported.  The inode caches
 * are SLAB_ACCOUNT, so this is what a VMM's cgroup pays per guest_memfd.
 *
 * cgroup v2 where its hierarchy has the memory controller ("slab" in
 * memory.stat), else v1 (memory.kmem.usage_in_bytes).  The process moves
 * in before the workers start (worker processes inherit it) and back out
 * at the end; the cgroup is removed on every path through close().
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector.h"
#include "procfs_parse.h"
#include "session.h"
#include "slabinfo.h"
#include "workload.h"

struct memcg_state {
	char mount[PATH_MAX]; /* hierarchy root */
	char home[PATH_MAX];  /* the cgroup we came from */
	char child[PATH_MAX]; /* the one made for the run */
	bool v2;
	bool moved;
	uint64_t kmem[GB_NR_PHASES];
	uint64_t usage[GB_NR_PHASES];
	/* The last run's figures. */
	double kmem_per_file;
	double total_per_file;
};

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -1;
	if (fputs(text, f) < 0)
		ret = -1;
	if (fclose(f))
		ret = -1;
	return ret;
}

/* Our cgroup in a hierarchy: v2's "0::/path" or v1's "N:memory:/path". */
static int own_cgroup(bool v2, char *out, size_t len)
{
	char *text = gb_read_text("/proc/self/cgroup");
	int ret = text ? gb_parse_proc_cgroup(text, v2, out, len) : -1;

	free(text);
	return ret;
}

static bool has_memory_controller(const char *controllers_file)
{
	char *text = gb_read_text(controllers_file);
	bool yes = text && strstr(text, "memory");

	free(text);
	return yes;
}

static void memcg_open(struct gb_collector *c)
{
	struct memcg_state *st;
	char rel[PATH_MAX];

	if (!gb_workload_has(c->cfg->workload, GB_WORKLOAD_PEAK)) {
		gb_collector_unavailable(c, "applies to hold (churn keeps nothing charged)");
		return;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		gb_collector_unavailable(c, "out of memory");
		return;
	}
	if (has_memory_controller("/sys/fs/cgroup/cgroup.controllers")) {
		st->v2 = true;
		snprintf(st->mount, sizeof(st->mount), "/sys/fs/cgroup");
	} else if (!access("/sys/fs/cgroup/memory/cgroup.procs", F_OK)) {
		snprintf(st->mount, sizeof(st->mount), "/sys/fs/cgroup/memory");
	} else {
		free(st);
		gb_collector_unavailable(
			c,
			"no memory cgroup controller mounted (v2 /sys/fs/cgroup or v1 /sys/fs/cgroup/memory)");
		return;
	}
	if (own_cgroup(st->v2, rel, sizeof(rel))) {
		free(st);
		gb_collector_unavailable(
			c, "cannot find this process's memory cgroup in /proc/self/cgroup");
		return;
	}
	if (snprintf(st->home, sizeof(st->home), "%s%s", st->mount, rel) >= (int)sizeof(st->home) ||
	    snprintf(st->child, sizeof(st->child), "%s/gmem-bench-%d", st->home, (int)getpid()) >=
		    (int)sizeof(st->child)) {
		free(st);
		gb_collector_unavailable(c, "cgroup path too long");
		return;
	}
	if (access(st->home, W_OK)) {
		gb_collector_unavailable(c, "cannot create a cgroup under %s: %s", st->home,
					 strerror(errno));
		free(st);
		return;
	}
	c->priv = st;
}

static void memcg_prepare(struct gb_collector *c)
{
	struct memcg_state *st = c->priv;
	char procs[PATH_MAX + 16], pid[32];

	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", st->child);
	if (mkdir(st->child, 0755) && errno != EEXIST) {
		gb_collector_unavailable(c, "mkdir %s: %s", st->child, strerror(errno));
		return;
	}
	if (write_text(procs, pid)) {
		gb_collector_unavailable(c, "cannot move into %s: %s", st->child, strerror(errno));
		rmdir(st->child);
		return;
	}
	st->moved = true;
}

static uint64_t read_value(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX + 64], *text;
	uint64_t v = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!key)
		return gb_read_u64(path);
	text = gb_read_text(path);
	/* A missing or unparsable value leaves 0: the figure is then 0. */
	if (text)
		gb_parse_flat_keyed(text, key, &v);
	free(text);
	return v;
}

static void memcg_snapshot(struct gb_collector *c, enum gb_phase phase)
{
	struct memcg_state *st = c->priv;

	if (!st->moved)
		return;
	if (st->v2) {
		st->kmem[phase] = read_value(st->child, "memory.stat", "slab");
		st->usage[phase] = read_value(st->child, "memory.current", NULL);
	} else {
		st->kmem[phase] = read_value(st->child, "memory.kmem.usage_in_bytes", NULL);
		st->usage[phase] = read_value(st->child, "memory.usage_in_bytes", NULL);
	}
}

static const char *source(const struct memcg_state *st)
{
	return st->v2 ? "memory.stat slab" : "memory.kmem.usage_in_bytes";
}

static void memcg_report_run(struct gb_collector *c, const struct gb_run_result *run, json_t *out)
{
	struct memcg_state *st = c->priv;
	double files = run->created ? (double)run->created : 1.0;

	st->kmem_per_file = ((double)st->kmem[GB_PHASE_PEAK] - st->kmem[GB_PHASE_START]) / files;
	st->total_per_file = ((double)st->usage[GB_PHASE_PEAK] - st->usage[GB_PHASE_START]) / files;
	json_object_set_new(out, "cgroup", json_string(st->child));
	json_object_set_new(out, "version", json_integer(st->v2 ? 2 : 1));
	json_object_set_new(out, "source", json_string(source(st)));
	json_object_set_new(out, "kmem_bytes_per_file", json_real(st->kmem_per_file));
	json_object_set_new(out, "total_bytes_per_file", json_real(st->total_per_file));
	json_object_set_new(out, "kmem_left_after_close",
			    json_integer((json_int_t)st->kmem[GB_PHASE_END] -
					 (json_int_t)st->kmem[GB_PHASE_START]));
}

static void memcg_print(struct gb_collector *c, FILE *out)
{
	const struct memcg_state *st = c->priv;

	fprintf(out, "\nmemcg (cgroup v%d, %s): %.1f kernel bytes charged per file, %.1f in all\n",
		st->v2 ? 2 : 1, source(st), st->kmem_per_file, st->total_per_file);
}

static void memcg_close(struct gb_collector *c)
{
	struct memcg_state *st = c->priv;
	char procs[PATH_MAX + 16], pid[32];

	if (!st)
		return;
	if (st->moved) {
		snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", st->home);
		write_text(procs, pid);
		/* Charges left by freed-later objects don't keep v1/v2 rmdir from working. */
		rmdir(st->child);
	}
	free(st);
	c->priv = NULL;
}

const struct gb_collector_ops gb_collector_memcg = {
	.name = "memcg",
	.open = memcg_open,
	.prepare = memcg_prepare,
	.snapshot = memcg_snapshot,
	.report_run = memcg_report_run,
	.print = memcg_print,
	.close = memcg_close,
};
