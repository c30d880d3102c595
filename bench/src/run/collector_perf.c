// SPDX-License-Identifier: GPL-2.0
/*
 * perf collector: hardware and software counters and the kmem tracepoints,
 * per worker thread, in counting mode.  Allocation tracepoints filtered on
 * the cache name ("name == \"inode_cache\"") give allocations per cache, so
 * the report can say "1.00 inode_cache allocations per create".
 *
 * Hardware counters that the PMU doesn't offer are recorded as not
 * supported, never as zero.  Counting tracepoints costs time in the
 * measured loop, which is why this collector is opt-in (--collect perf).
 *
 * Frees done by RCU callbacks (inodes) run in softirq context on whatever
 * task is interrupted, so per-thread free counts can miss them: the report
 * says so next to the free figures.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "collector.h"
#include "session.h"
#include "slabinfo.h"
#include "util.h"
#include "workload.h"

#define MAX_EVENTS 32

struct perf_event_desc {
	char name[80];
	char kind; /* 'h'ardware, 's'oftware, 't'racepoint */
	uint32_t type;
	uint64_t config;
	char filter[96]; /* tracepoint filter, "" for none */
	char cache[64];	 /* the slab cache a filtered event counts */
	bool supported;
	int err;
};

/* Decided once, in the main process; worker processes inherit a copy. */
struct perf_state {
	struct perf_event_desc events[MAX_EVENTS];
	unsigned int nevents;
	/*
	 * The last run's counts, summed over workers: [0] up to the peak
	 * (hold) or all (churn), [1] after it.
	 */
	uint64_t counts[2][MAX_EVENTS];
	uint64_t created;
	uint64_t closed;
};

/* One worker's counters, in its area. */
struct perf_area {
	int fds[MAX_EVENTS];
	uint64_t v[2][MAX_EVENTS];
	bool marked;
};

static long perf_open(const struct perf_event_desc *e)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = e->type;
	attr.config = e->config;
	attr.disabled = 1;
	attr.exclude_hv = 1;
	return syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static int open_event(const struct perf_event_desc *e)
{
	int fd = (int)perf_open(e);

	if (fd >= 0 && e->filter[0] && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, e->filter)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static void add(struct perf_state *st, const char *name, char kind, uint32_t type, uint64_t config,
		const char *filter, const char *cache)
{
	struct perf_event_desc *e;

	if (st->nevents == MAX_EVENTS)
		return;
	e = &st->events[st->nevents++];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->kind = kind;
	e->type = type;
	e->config = config;
	snprintf(e->filter, sizeof(e->filter), "%s", filter ? filter : "");
	snprintf(e->cache, sizeof(e->cache), "%s", cache ? cache : "");
}

/* The tracepoint's id from tracefs; mount tracefs if it isn't (root only). */
static long tracepoint_id(const char *event, bool *mounted)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256], *text;
	unsigned int i;
	long id = -1;

	for (i = 0; i < ARRAY_SIZE(roots) && id < 0; i++) {
		snprintf(path, sizeof(path), "%s/events/kmem/%s/id", roots[i], event);
		text = gb_read_text(path);
		if (text)
			id = strtol(text, NULL, 10);
		free(text);
	}
	if (id < 0 && !*mounted && !mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL)) {
		*mounted = true;
		return tracepoint_id(event, mounted);
	}
	return id;
}

static void add_tracepoints(struct perf_state *st, bool *mounted)
{
	static const char *const tps[] = { "kmem_cache_alloc", "kmem_cache_free", "kmalloc",
					   "kfree" };
	static const char *const caches[] = { "kvm_gmem_inode_cache", "inode_cache",
					      "shmem_inode_cache", "dentry", "filp" };
	char name[80], filter[96], path[128];
	unsigned int i, k;
	long id;

	for (i = 0; i < ARRAY_SIZE(tps); i++) {
		id = tracepoint_id(tps[i], mounted);
		snprintf(name, sizeof(name), "kmem:%s", tps[i]);
		add(st, name, 't', PERF_TYPE_TRACEPOINT, id < 0 ? ~0ULL : (uint64_t)id, NULL, NULL);
		if (i > 1)
			continue;
		for (k = 0; k < ARRAY_SIZE(caches); k++) {
			snprintf(path, sizeof(path), "/sys/kernel/slab/%s", caches[k]);
			if (access(path, F_OK))
				continue;
			snprintf(name, sizeof(name), "kmem:%s[%s]", tps[i], caches[k]);
			snprintf(filter, sizeof(filter), "name == \"%s\"", caches[k]);
			add(st, name, 't', PERF_TYPE_TRACEPOINT, id < 0 ? ~0ULL : (uint64_t)id,
			    filter, caches[k]);
		}
	}
}

static void perf_open_collector(struct gb_collector *c)
{
	bool mounted = false, any = false;
	struct perf_state *st;
	unsigned int i;
	int fd;

	st = calloc(1, sizeof(*st));
	if (!st) {
		gb_collector_unavailable(c, "out of memory");
		return;
	}
	c->priv = st;
	add(st, "cycles", 'h', PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, NULL, NULL);
	add(st, "instructions", 'h', PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, NULL, NULL);
	add(st, "cache-misses", 'h', PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, NULL, NULL);
	add(st, "branch-misses", 'h', PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, NULL, NULL);
	add(st, "dTLB-load-misses", 'h', PERF_TYPE_HW_CACHE,
	    PERF_COUNT_HW_CACHE_DTLB | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
		    (PERF_COUNT_HW_CACHE_RESULT_MISS << 16),
	    NULL, NULL);
	add(st, "task-clock", 's', PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, NULL, NULL);
	add(st, "context-switches", 's', PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, NULL,
	    NULL);
	add(st, "cpu-migrations", 's', PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, NULL,
	    NULL);
	add(st, "page-faults", 's', PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, NULL, NULL);
	add_tracepoints(st, &mounted);

	for (i = 0; i < st->nevents; i++) {
		struct perf_event_desc *e = &st->events[i];

		if (e->config == ~0ULL) {
			e->err = ENOENT;
			continue;
		}
		fd = open_event(e);
		e->supported = fd >= 0;
		e->err = fd >= 0 ? 0 : errno;
		if (fd >= 0) {
			close(fd);
			any = true;
		}
	}
	if (!any)
		gb_collector_unavailable(
			c,
			"perf_event_open failed for every event (%s; kernel.perf_event_paranoid may forbid it)",
			strerror(st->events[0].err));
}

/* Each worker opens its own counters, so --procs workers count their own. */
static void perf_worker_begin(struct gb_collector *c, struct gb_worker *w, void *area)
{
	const struct perf_state *st = c->priv;
	struct perf_area *a = area;
	unsigned int i;

	(void)w;
	for (i = 0; i < st->nevents; i++) {
		a->fds[i] = st->events[i].supported ? open_event(&st->events[i]) : -1;
		if (a->fds[i] >= 0)
			ioctl(a->fds[i], PERF_EVENT_IOC_ENABLE, 0);
	}
	a->marked = false;
}

static void read_all(const struct perf_state *st, const struct perf_area *a, uint64_t *v)
{
	unsigned int i;

	for (i = 0; i < st->nevents; i++)
		if (a->fds[i] < 0 || read(a->fds[i], &v[i], sizeof(v[i])) != sizeof(v[i]))
			v[i] = 0;
}

static void perf_worker_peak(struct gb_collector *c, struct gb_worker *w, void *area)
{
	struct perf_area *a = area;

	(void)w;
	read_all(c->priv, a, a->v[0]);
	a->marked = true;
}

static void perf_worker_end(struct gb_collector *c, struct gb_worker *w, void *area)
{
	const struct perf_state *st = c->priv;
	struct perf_area *a = area;
	uint64_t now[MAX_EVENTS];
	unsigned int i;

	(void)w;
	read_all(st, a, now);
	for (i = 0; i < st->nevents; i++) {
		if (a->marked)
			a->v[1][i] = now[i] - a->v[0][i];
		else
			a->v[0][i] = now[i];
		if (a->fds[i] >= 0)
			close(a->fds[i]);
	}
}

/* Whether the run's creates and closes are phases of their own (hold). */
static bool two_phases(const struct gb_collector *c)
{
	return gb_workload_has(c->cfg->workload, GB_WORKLOAD_PEAK);
}

static json_t *per_op(const struct perf_state *st, unsigned int phase, uint64_t ops)
{
	json_t *obj = json_object();
	unsigned int i;

	for (i = 0; i < st->nevents; i++) {
		const struct perf_event_desc *e = &st->events[i];

		if (!e->supported) {
			json_object_set_new(obj, e->name,
					    json_pack("{s:s, s:s}", "status", "not supported",
						      "error", strerror(e->err)));
			continue;
		}
		json_object_set_new(obj, e->name,
				    json_pack("{s:I, s:f}", "count",
					      (json_int_t)st->counts[phase][i], "per_op",
					      ops ? (double)st->counts[phase][i] / ops : 0.0));
	}
	return obj;
}

static void perf_report_run(struct gb_collector *c, const struct gb_run_result *run, json_t *out)
{
	struct perf_state *st = c->priv;
	unsigned int w, p, e;

	memset(st->counts, 0, sizeof(st->counts));
	for (w = 0; w < c->nareas; w++) {
		const struct perf_area *a = gb_collector_area(c, w);

		for (p = 0; p < 2; p++)
			for (e = 0; e < st->nevents; e++)
				st->counts[p][e] += a->v[p][e];
	}
	st->created = run->created;
	st->closed = run->closed;
	json_object_set_new(out, "scope", json_string("per worker thread, counting"));
	json_object_set_new(
		out, "note",
		json_string(
			"frees run by RCU callbacks are counted on whatever task the softirq interrupts"));
	if (two_phases(c)) {
		json_object_set_new(out, "per_create", per_op(st, 0, st->created));
		json_object_set_new(out, "per_close", per_op(st, 1, st->closed));
	} else {
		json_object_set_new(out, "per_create_close", per_op(st, 0, st->created));
	}
}

static void print_phase(FILE *out, const char *what, const struct perf_state *st,
			unsigned int phase, uint64_t ops)
{
	unsigned int i;

	fprintf(out, "  %s:\n", what);
	for (i = 0; i < st->nevents; i++) {
		if (!st->events[i].supported)
			fprintf(out, "    %-40s not supported\n", st->events[i].name);
		else
			fprintf(out, "    %-40s %12.3f\n", st->events[i].name,
				ops ? (double)st->counts[phase][i] / ops : 0.0);
	}
}

static void perf_print(struct gb_collector *c, FILE *out)
{
	const struct perf_state *st = c->priv;

	fprintf(out, "\nperf, per operation of the last run (counting, per worker thread):\n");
	if (two_phases(c)) {
		print_phase(out, "per create", st, 0, st->created);
		print_phase(out, "per close (RCU-deferred frees may be missing)", st, 1,
			    st->closed);
	} else {
		print_phase(out, "per create+close", st, 0, st->created);
	}
}

static void perf_close(struct gb_collector *c)
{
	free(c->priv);
	c->priv = NULL;
}

/* Each worker opens one counter per event. */
static unsigned int perf_fds_per_worker(const struct gb_config *cfg)
{
	(void)cfg;
	return MAX_EVENTS;
}

const struct gb_collector_ops gb_collector_perf = {
	.name = "perf",
	.open = perf_open_collector,
	.report_run = perf_report_run,
	.print = perf_print,
	.close = perf_close,
	.fds_per_worker = perf_fds_per_worker,
	.worker_area = sizeof(struct perf_area),
	.worker_begin = perf_worker_begin,
	.worker_peak = perf_worker_peak,
	.worker_end = perf_worker_end,
};
