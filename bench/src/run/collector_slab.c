// SPDX-License-Identifier: GPL-2.0
/*
 * Slab collector: which caches grew, by how many objects and bytes per
 * file, on which NUMA nodes, and how long after the last close the inodes
 * were really freed (inode freeing goes through RCU).
 *
 * Counts come from /sys/kernel/slab/<cache>/objects where it exists (in-use
 * objects, per node on SLUB_DEBUG kernels), else from /proc/slabinfo's
 * active_objs.  A name that is a symlink in /sys/kernel/slab was merged into
 * another cache: its figures are that cache's, and the report says so
 * rather than attributing them.
 *
 * SLUB keeps objects in per-CPU slabs that "objects" doesn't count, off by
 * up to a few slabs per CPU.  Before each snapshot the tracked caches are
 * shrunk (/sys/kernel/slab/<cache>/shrink, which flushes the per-CPU slabs
 * back to the node lists), so counts are exact; that needs root, and
 * without it the report says the figures are approximate.  The flush
 * happens outside the measured loops, but a run starts with those caches'
 * per-CPU slabs empty.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "collector.h"
#include "placement.h"
#include "session.h"
#include "slabinfo.h"
#include "timing.h"
#include "util.h"
#include "workload.h"

#define SLAB_SYSFS "/sys/kernel/slab"
/* The named caches, every kmalloc and every *inode* cache of a kernel. */
#define MAX_TRACKED 128
/* RCU frees: give up waiting after this long. */
#define RCU_WAIT_MAX_NS (10ULL * 1000000000ULL)
#define RCU_POLL_NS 1000000L

struct tracked {
	char name[GB_SLAB_NAME_MAX];
	char merged_into[GB_SLAB_NAME_MAX];
	bool sysfs;
	uint64_t object_size, slab_size, objs_per_slab, order, aliases;
	uint64_t objects[GB_NR_PHASES];
	uint64_t per_node[GB_NR_PHASES][GB_MAX_NODES];
	unsigned int nnodes;
};

struct slab_state {
	char inode_cache[GB_SLAB_NAME_MAX];
	struct tracked t[MAX_TRACKED];
	unsigned int nt;
	struct gb_slabinfo si[GB_NR_PHASES];
	bool exact;	/* per-CPU slabs flushed before counting */
	uint64_t files; /* created in the last run reported */
	double rcu_free_ms;
	bool rcu_timed_out;
	bool rcu_measured;
	/* Peak runs: the tracked cache that served the inodes, or NULL. */
	const struct tracked *inodes_from;
};

static uint64_t read_u64(const char *cache, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), SLAB_SYSFS "/%s/%s", cache, file);
	return gb_read_u64(path);
}

static void describe_sysfs(struct tracked *t)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t len;

	snprintf(path, sizeof(path), SLAB_SYSFS "/%s", t->name);
	if (lstat(path, &st))
		return;
	if (S_ISLNK(st.st_mode)) {
		len = readlink(path, target, sizeof(target) - 1);
		if (len > 0) {
			target[len] = '\0';
			snprintf(t->merged_into, sizeof(t->merged_into), "%.63s",
				 strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
		}
	}
	t->sysfs = true;
	t->object_size = read_u64(t->name, "object_size");
	t->slab_size = read_u64(t->name, "slab_size");
	t->objs_per_slab = read_u64(t->name, "objs_per_slab");
	t->order = read_u64(t->name, "order");
	t->aliases = read_u64(t->name, "aliases");
}

static void track(struct slab_state *st, const char *name, const struct gb_slabinfo *si)
{
	struct tracked *t;
	const struct gb_slab_cache *c = gb_slabinfo_find(si, name);
	char path[PATH_MAX];
	unsigned int i;

	for (i = 0; i < st->nt; i++)
		if (!strcmp(st->t[i].name, name))
			return;
	snprintf(path, sizeof(path), SLAB_SYSFS "/%s", name);
	if (st->nt == MAX_TRACKED || (!c && access(path, F_OK)))
		return;
	t = &st->t[st->nt++];
	snprintf(t->name, sizeof(t->name), "%s", name);
	if (!access(path, F_OK))
		describe_sysfs(t);
	if (!t->object_size && c)
		t->object_size = c->objsize;
}

/* In-use objects of one tracked cache now, and per node where known. */
static uint64_t count_objects(const struct tracked *t, const struct gb_slabinfo *si,
			      uint64_t *per_node, unsigned int *nnodes)
{
	const struct gb_slab_cache *c;
	char path[PATH_MAX], *text;
	uint64_t total = 0;

	*nnodes = 0;
	memset(per_node, 0, GB_MAX_NODES * sizeof(*per_node));
	if (t->sysfs) {
		snprintf(path, sizeof(path), SLAB_SYSFS "/%s/objects", t->name);
		text = gb_read_text(path);
		if (text && !gb_slab_parse_node_counts(text, &total, per_node, nnodes)) {
			free(text);
			return total;
		}
		free(text);
	}
	c = si ? gb_slabinfo_find(si, t->merged_into[0] ? t->merged_into : t->name) : NULL;
	return c ? c->active_objs : 0;
}

static int read_slabinfo(struct gb_slabinfo *si, const char **why)
{
	char *text = gb_read_text("/proc/slabinfo");
	int ret;

	if (!text) {
		*why = strerror(errno);
		return -1;
	}
	ret = gb_slabinfo_parse(text, si, why);
	free(text);
	return ret;
}

static void slab_open(struct gb_collector *c)
{
	struct slab_state *st = calloc(1, sizeof(*st));
	static const char *const named[] = { "kvm_gmem_inode_cache", "inode_cache",
					     "shmem_inode_cache", "dentry", "filp" };
	struct gb_slabinfo si;
	const char *why = NULL;
	unsigned int i;

	if (!st) {
		gb_collector_unavailable(c, "out of memory");
		return;
	}
	if (read_slabinfo(&si, &why)) {
		gb_collector_unavailable(c, "cannot read /proc/slabinfo: %s", why);
		free(st);
		return;
	}
	c->priv = st;
	/* The cache the backend's inodes must come from on this kernel. */
	snprintf(st->inode_cache, sizeof(st->inode_cache), "%s", c->cfg->backend->inode_cache(&si));
	track(st, st->inode_cache, &si);
	for (i = 0; i < ARRAY_SIZE(named); i++)
		track(st, named[i], &si);
	/*
	 * Every kmalloc cache, and every inode cache: which one a kernel's
	 * guest_memfd inodes come from is found, not assumed (a patch may
	 * name its own).
	 */
	for (i = 0; i < si.n; i++)
		if (!strncmp(si.caches[i].name, "kmalloc-", 8) ||
		    strstr(si.caches[i].name, "inode"))
			track(st, si.caches[i].name, &si);
	gb_slabinfo_free(&si);
}

static bool shrink(const struct tracked *t)
{
	char path[PATH_MAX];
	bool ok;
	FILE *f;

	if (!t->sysfs || t->merged_into[0])
		return true;
	snprintf(path, sizeof(path), SLAB_SYSFS "/%s/shrink", t->name);
	f = fopen(path, "w");
	ok = f && fputs("1", f) >= 0;
	if (f && fclose(f))
		ok = false;
	return ok;
}

/* In-use objects of the inode cache, per-CPU slabs flushed first. */
static uint64_t inode_objects(struct slab_state *st)
{
	uint64_t per_node[GB_MAX_NODES];
	unsigned int nnodes;
	struct gb_slabinfo si = { 0 };
	const char *why;
	uint64_t n;

	shrink(&st->t[0]);
	if (!st->t[0].sysfs && read_slabinfo(&si, &why))
		return 0;
	n = count_objects(&st->t[0], &si, per_node, &nnodes);
	gb_slabinfo_free(&si);
	return n;
}

static void sleep_ns(long ns)
{
	struct timespec ts = { 0, ns };

	nanosleep(&ts, NULL);
}

/*
 * Let RCU-deferred frees of earlier files (warm-up, previous run) finish,
 * so they don't count against this run: wait until the inode cache stops
 * shrinking.
 */
static void settle(struct slab_state *st)
{
	uint64_t prev = inode_objects(st), now, deadline = gb_now_ns() + 2000000000ULL;
	unsigned int stable = 0;

	while (stable < 5 && gb_now_ns() < deadline) {
		sleep_ns(2 * RCU_POLL_NS);
		now = inode_objects(st);
		stable = now < prev ? 0 : stable + 1;
		prev = now;
	}
}

/* How long until the inodes of the closed files are back in the slab. */
static void wait_rcu_frees(struct slab_state *st, uint64_t files)
{
	uint64_t start = gb_now_ns(), floor = st->t[0].objects[GB_PHASE_START];
	uint64_t slack = files / 100 > 16 ? files / 100 : 16;

	st->rcu_measured = true;
	st->rcu_timed_out = false;
	while (inode_objects(st) > floor + slack) {
		if (gb_now_ns() - start > RCU_WAIT_MAX_NS) {
			st->rcu_timed_out = true;
			break;
		}
		sleep_ns(RCU_POLL_NS);
	}
	st->rcu_free_ms = (gb_now_ns() - start) / 1e6;
}

/* Flush the per-CPU slabs of the tracked caches; false if not allowed. */
static bool flush_cpu_slabs(struct slab_state *st)
{
	bool all = true;
	unsigned int i;

	for (i = 0; i < st->nt; i++)
		all &= shrink(&st->t[i]);
	return all;
}

/* Whether what a file holds is measured at a peak with every file open (hold). */
static bool peak_run(const struct gb_collector *c)
{
	return gb_workload_has(c->cfg->workload, GB_WORKLOAD_PEAK);
}

static void slab_snapshot(struct gb_collector *c, enum gb_phase phase)
{
	struct slab_state *st = c->priv;
	bool hold = peak_run(c);
	const char *why;
	unsigned int i;

	if (phase == GB_PHASE_START) {
		st->rcu_measured = false;
		if (hold)
			settle(st);
	}
	if (phase == GB_PHASE_END && hold)
		wait_rcu_frees(st, c->cfg->count);
	if (phase == GB_PHASE_START)
		st->exact = true;
	st->exact &= flush_cpu_slabs(st);
	gb_slabinfo_free(&st->si[phase]);
	if (read_slabinfo(&st->si[phase], &why))
		memset(&st->si[phase], 0, sizeof(st->si[phase]));
	for (i = 0; i < st->nt; i++)
		st->t[i].objects[phase] = count_objects(&st->t[i], &st->si[phase],
							st->t[i].per_node[phase], &st->t[i].nnodes);
}

/*
 * Per-node columns of a cache: SLUB lists only the nodes that have
 * objects, so a node without any is a 0, every node of the machine a column.
 */
static unsigned int node_columns(const struct tracked *t)
{
	return t->nnodes && gb_machine_nodes() > t->nnodes ? gb_machine_nodes() : t->nnodes;
}

/* Objects a cache gained from the start of the run to phase @to. */
static int64_t new_objects(const struct tracked *t, enum gb_phase to)
{
	return (int64_t)t->objects[to] - (int64_t)t->objects[GB_PHASE_START];
}

static json_t *cache_json(const struct tracked *t, enum gb_phase to, uint64_t files)
{
	int64_t delta = new_objects(t, to);
	json_t *obj = json_object(), *nodes = json_array();
	unsigned int n, nnodes = node_columns(t);

	for (n = 0; n < nnodes; n++)
		json_array_append_new(nodes,
				      json_integer((json_int_t)t->per_node[to][n] -
						   (json_int_t)t->per_node[GB_PHASE_START][n]));
	json_object_set_new(obj, "name", json_string(t->name));
	json_object_set_new(obj, "merged_into",
			    t->merged_into[0] ? json_string(t->merged_into) : json_null());
	json_object_set_new(obj, "new_objects", json_integer(delta));
	json_object_set_new(obj, "objects_per_file", json_real(files ? (double)delta / files : 0));
	json_object_set_new(obj, "bytes_per_file",
			    json_real(files ? (double)delta * t->object_size / files : 0));
	json_object_set_new(obj, "per_node_new_objects", nodes);
	json_object_set_new(obj, "left_after_close",
			    json_integer((json_int_t)t->objects[GB_PHASE_END] -
					 (json_int_t)t->objects[GB_PHASE_START]));
	json_object_set_new(obj, "object_size", json_integer((json_int_t)t->object_size));
	json_object_set_new(obj, "slab_size", json_integer((json_int_t)t->slab_size));
	json_object_set_new(obj, "objs_per_slab", json_integer((json_int_t)t->objs_per_slab));
	json_object_set_new(obj, "order", json_integer((json_int_t)t->order));
	json_object_set_new(obj, "aliases", json_integer((json_int_t)t->aliases));
	return obj;
}

/* Worth showing: the inode cache always, others when they moved. */
static bool notable(const struct tracked *t, enum gb_phase to, uint64_t files, bool first)
{
	int64_t delta = new_objects(t, to);

	return first || llabs(delta) * 10 >= (int64_t)(files ? files : 1);
}

/* Per file, in bytes, of every cache that moved; a merged name once. */
static double total_bytes_per_file(const struct slab_state *st, enum gb_phase to, uint64_t files)
{
	double total = 0.0;
	unsigned int i;

	for (i = 0; i < st->nt && files; i++) {
		const struct tracked *t = &st->t[i];

		if (notable(t, to, files, i == 0) && !t->merged_into[0])
			total += ((double)t->objects[to] - (double)t->objects[GB_PHASE_START]) *
				 t->object_size / files;
	}
	return total;
}

static const char *warm_up_warning(const struct gb_collector *c)
{
	return peak_run(c) && c->cfg->warmup ?
		       "warm-up inodes may still be RCU-pending at the start (lazy RCU) and be freed during the run: objects per file can read low; use -w 0" :
		       NULL;
}

/* Where a peak run's inodes came from (gb_slab_inodes_from()); merged names are not attributable. */
static const struct tracked *find_inodes_from(const struct slab_state *st)
{
	struct gb_slab_growth g[MAX_TRACKED];
	const struct gb_slab_growth *from;
	unsigned int of[MAX_TRACKED];
	unsigned int i, n = 0;

	for (i = 0; i < st->nt; i++) {
		if (st->t[i].merged_into[0])
			continue;
		g[n] = (struct gb_slab_growth){ st->t[i].name,
						new_objects(&st->t[i], GB_PHASE_PEAK) };
		of[n++] = i;
	}
	from = gb_slab_inodes_from(g, n, st->files);
	return from ? &st->t[of[from - g]] : NULL;
}

static double per_file(const struct slab_state *st, const struct tracked *t, enum gb_phase to)
{
	return st->files ? (double)new_objects(t, to) / (double)st->files : 0;
}

static json_t *inodes_from_json(const struct slab_state *st)
{
	if (!st->inodes_from)
		return json_null();
	return json_pack("{s:s, s:f}", "cache", st->inodes_from->name, "objects_per_file",
			 per_file(st, st->inodes_from, GB_PHASE_PEAK));
}

static void slab_report_run(struct gb_collector *c, const struct gb_run_result *run, json_t *out)
{
	struct slab_state *st = c->priv;
	enum gb_phase to = peak_run(c) ? GB_PHASE_PEAK : GB_PHASE_END;
	json_t *caches = json_array();
	unsigned int i;

	st->files = run->created;
	for (i = 0; i < st->nt; i++)
		if (notable(&st->t[i], to, st->files, i == 0))
			json_array_append_new(caches, cache_json(&st->t[i], to, st->files));
	json_object_set_new(out, "source",
			    json_string(st->t[0].sysfs ? SLAB_SYSFS : "/proc/slabinfo"));
	json_object_set_new(out, "inode_cache", json_string(st->inode_cache));
	json_object_set_new(out, "exact", json_boolean(st->exact && st->t[0].sysfs));
	if (warm_up_warning(c))
		json_object_set_new(out, "warning", json_string(warm_up_warning(c)));
	json_object_set_new(out, "phase",
			    json_string(peak_run(c) ? "start to peak" : "start to end"));
	json_object_set_new(out, "files", json_integer((json_int_t)st->files));
	if (peak_run(c)) {
		st->inodes_from = find_inodes_from(st);
		json_object_set_new(out, "inodes_from", inodes_from_json(st));
	}
	json_object_set_new(out, "caches", caches);
	json_object_set_new(out, "total_bytes_per_file",
			    json_real(total_bytes_per_file(st, to, st->files)));
	if (st->rcu_measured) {
		json_object_set_new(out, "rcu_free_ms", json_real(st->rcu_free_ms));
		json_object_set_new(out, "rcu_free_timed_out", json_boolean(st->rcu_timed_out));
	}
}

static void print_cache(FILE *out, const struct tracked *t, enum gb_phase to, uint64_t files)
{
	int64_t delta = new_objects(t, to);
	unsigned int n, nnodes = node_columns(t);

	fprintf(out, "  %-24s %9.3f %9.1f ", t->name, files ? (double)delta / files : 0,
		files ? (double)delta * t->object_size / files : 0);
	for (n = 0; n < nnodes; n++)
		fprintf(out, " N%u=%lld", n,
			(long long)t->per_node[to][n] - (long long)t->per_node[GB_PHASE_START][n]);
	if (t->merged_into[0])
		fprintf(out, " (merged into %s: not attributable)", t->merged_into);
	fputc('\n', out);
}

static void slab_print(struct gb_collector *c, FILE *out)
{
	const struct slab_state *st = c->priv;
	enum gb_phase to = peak_run(c) ? GB_PHASE_PEAK : GB_PHASE_END;
	const char *source = st->t[0].sysfs ? SLAB_SYSFS : "/proc/slabinfo";
	unsigned int i;

	if (peak_run(c))
		fprintf(out,
			"\nslab, start to peak of the last run, per file (%llu files, from %s):\n",
			(unsigned long long)st->files, source);
	else
		fprintf(out,
			"\nslab, objects still allocated when the last run ended (frees pending in RCU),\n"
			"per file created (%llu files, from %s):\n",
			(unsigned long long)st->files, source);
	if (warm_up_warning(c))
		fprintf(out, "  warning: %s\n", warm_up_warning(c));
	if (!(st->exact && st->t[0].sysfs))
		fprintf(out,
			"  (approximate: per-CPU slabs could not be flushed before counting)\n");
	fprintf(out, "  %-24s %9s %9s  %s\n", "cache", "objects", "bytes", "new objects per node");
	for (i = 0; i < st->nt; i++)
		if (notable(&st->t[i], to, st->files, i == 0))
			print_cache(out, &st->t[i], to, st->files);
	fprintf(out, "  %-24s %9s %9.1f\n", "total", "", total_bytes_per_file(st, to, st->files));
	/* A fact for scripts (scripts/guest/check-allocator.sh reads this line). */
	if (peak_run(c) && st->inodes_from)
		fprintf(out, "  inodes from: %s (%.3f objects per file)\n", st->inodes_from->name,
			per_file(st, st->inodes_from, GB_PHASE_PEAK));
	else if (peak_run(c))
		fprintf(out,
			"  inodes from: unknown (no *inode* cache grew by %.2f objects per file)\n",
			GB_INODES_FROM_MIN);
	if (st->rcu_measured)
		fprintf(out,
			"  %s objects back to their starting level %.1f ms after the last close%s\n",
			st->inode_cache, st->rcu_free_ms,
			st->rcu_timed_out ? " (timed out: still not freed)" : "");
}

static void slab_close(struct gb_collector *c)
{
	struct slab_state *st = c->priv;
	unsigned int p;

	if (!st)
		return;
	for (p = 0; p < GB_NR_PHASES; p++)
		gb_slabinfo_free(&st->si[p]);
	free(st);
	c->priv = NULL;
}

const struct gb_collector_ops gb_collector_slab = {
	.name = "slab",
	.open = slab_open,
	.snapshot = slab_snapshot,
	.report_run = slab_report_run,
	.print = slab_print,
	.close = slab_close,
};
