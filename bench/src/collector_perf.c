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
#include "perf_events.h"
#include "session.h"
#include "slabinfo.h"
#include "util.h"
#include "worker.h"
#include "workload.h"

struct gb_perf_event gb_perf_events[GB_PERF_MAX_EVENTS];
unsigned int gb_perf_nevents;
bool gb_perf_enabled;

/* Per worker, private to its thread or process. */
static __thread int worker_fds[GB_PERF_MAX_EVENTS];

static long perf_open(const struct gb_perf_event *e)
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

static int open_event(const struct gb_perf_event *e)
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

static void add(const char *name, char kind, uint32_t type, uint64_t config,
		const char *filter, const char *cache)
{
	struct gb_perf_event *e;

	if (gb_perf_nevents == GB_PERF_MAX_EVENTS)
		return;
	e = &gb_perf_events[gb_perf_nevents++];
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

static void add_tracepoints(bool *mounted)
{
	static const char *const tps[] = { "kmem_cache_alloc", "kmem_cache_free", "kmalloc", "kfree" };
	static const char *const caches[] = { "kvm_gmem_inode_cache", "inode_cache",
					      "shmem_inode_cache", "dentry", "filp" };
	char name[80], filter[96], path[128];
	unsigned int i, k;
	long id;

	for (i = 0; i < ARRAY_SIZE(tps); i++) {
		id = tracepoint_id(tps[i], mounted);
		snprintf(name, sizeof(name), "kmem:%s", tps[i]);
		add(name, 't', PERF_TYPE_TRACEPOINT, id < 0 ? ~0ULL : (uint64_t)id, NULL, NULL);
		if (i > 1)
			continue;
		for (k = 0; k < ARRAY_SIZE(caches); k++) {
			snprintf(path, sizeof(path), "/sys/kernel/slab/%s", caches[k]);
			if (access(path, F_OK))
				continue;
			snprintf(name, sizeof(name), "kmem:%s[%s]", tps[i], caches[k]);
			snprintf(filter, sizeof(filter), "name == \"%s\"", caches[k]);
			add(name, 't', PERF_TYPE_TRACEPOINT, id < 0 ? ~0ULL : (uint64_t)id, filter,
			    caches[k]);
		}
	}
}

static void perf_open_collector(struct gb_collector *c)
{
	bool mounted = false, any = false;
	unsigned int i;
	int fd;

	gb_perf_nevents = 0;
	add("cycles", 'h', PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, NULL, NULL);
	add("instructions", 'h', PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, NULL, NULL);
	add("cache-misses", 'h', PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, NULL, NULL);
	add("branch-misses", 'h', PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, NULL, NULL);
	add("dTLB-load-misses", 'h', PERF_TYPE_HW_CACHE,
	    PERF_COUNT_HW_CACHE_DTLB | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
		    (PERF_COUNT_HW_CACHE_RESULT_MISS << 16), NULL, NULL);
	add("task-clock", 's', PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, NULL, NULL);
	add("context-switches", 's', PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, NULL, NULL);
	add("cpu-migrations", 's', PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, NULL, NULL);
	add("page-faults", 's', PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, NULL, NULL);
	add_tracepoints(&mounted);

	for (i = 0; i < gb_perf_nevents; i++) {
		struct gb_perf_event *e = &gb_perf_events[i];

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
	if (!any) {
		gb_collector_unavailable(c, "perf_event_open failed for every event (%s; kernel.perf_event_paranoid may forbid it)",
					 strerror(gb_perf_events[0].err));
		return;
	}
	gb_perf_enabled = true;
}

void gb_perf_worker_begin(struct gb_worker *w)
{
	unsigned int i;

	if (!gb_perf_enabled)
		return;
	for (i = 0; i < gb_perf_nevents; i++) {
		worker_fds[i] = gb_perf_events[i].supported ? open_event(&gb_perf_events[i]) : -1;
		if (worker_fds[i] >= 0)
			ioctl(worker_fds[i], PERF_EVENT_IOC_ENABLE, 0);
	}
	w->res.perf.marked = false;
}

static void read_all(uint64_t *v)
{
	unsigned int i;

	for (i = 0; i < gb_perf_nevents; i++)
		if (worker_fds[i] < 0 || read(worker_fds[i], &v[i], sizeof(v[i])) != sizeof(v[i]))
			v[i] = 0;
}

void gb_perf_worker_mark(struct gb_worker *w)
{
	if (!gb_perf_enabled)
		return;
	read_all(w->res.perf.v[0]);
	w->res.perf.marked = true;
}

void gb_perf_worker_end(struct gb_worker *w)
{
	uint64_t now[GB_PERF_MAX_EVENTS];
	unsigned int i;

	if (!gb_perf_enabled)
		return;
	read_all(now);
	for (i = 0; i < gb_perf_nevents; i++) {
		if (w->res.perf.marked)
			w->res.perf.v[1][i] = now[i] - w->res.perf.v[0][i];
		else
			w->res.perf.v[0][i] = now[i];
		if (worker_fds[i] >= 0)
			close(worker_fds[i]);
	}
}

static void perf_snapshot(struct gb_collector *c, enum gb_phase phase)
{
	(void)c;
	(void)phase;
}

static json_t *per_op(const struct gb_run_result *run, unsigned int phase, uint64_t ops)
{
	json_t *obj = json_object();
	unsigned int i;

	for (i = 0; i < gb_perf_nevents; i++) {
		const struct gb_perf_event *e = &gb_perf_events[i];

		if (!e->supported) {
			json_object_set_new(obj, e->name,
					    json_pack("{s:s, s:s}", "status", "not supported",
						      "error", strerror(e->err)));
			continue;
		}
		json_object_set_new(obj, e->name,
				    json_pack("{s:I, s:f}", "count", (json_int_t)run->perf[phase][i],
					      "per_op", ops ? (double)run->perf[phase][i] / ops : 0.0));
	}
	return obj;
}

static void perf_report_run(struct gb_collector *c, const struct gb_run_result *run, json_t *out)
{
	bool hold = c->cfg->workload->has_peak;

	json_object_set_new(out, "scope", json_string("per worker thread, counting"));
	json_object_set_new(out, "note", json_string(
		"frees run by RCU callbacks are counted on whatever task the softirq interrupts"));
	if (hold) {
		json_object_set_new(out, "per_create", per_op(run, 0, run->created));
		json_object_set_new(out, "per_close", per_op(run, 1, run->closed));
	} else {
		json_object_set_new(out, "per_create_close", per_op(run, 0, run->created));
	}
}

static void print_phase(FILE *out, const char *what, json_t *obj)
{
	const char *key;
	json_t *v;

	if (!obj)
		return;
	fprintf(out, "  %s:\n", what);
	json_object_foreach(obj, key, v) {
		if (json_object_get(v, "status"))
			fprintf(out, "    %-40s not supported\n", key);
		else
			fprintf(out, "    %-40s %12.3f\n", key,
				json_real_value(json_object_get(v, "per_op")));
	}
}

static void perf_print(struct gb_collector *c, json_t *last, FILE *out)
{
	(void)c;
	fprintf(out, "\nperf, per operation of the last run (counting, per worker thread):\n");
	print_phase(out, "per create", json_object_get(last, "per_create"));
	print_phase(out, "per close (RCU-deferred frees may be missing)",
		    json_object_get(last, "per_close"));
	print_phase(out, "per create+close", json_object_get(last, "per_create_close"));
}

static void perf_close(struct gb_collector *c)
{
	(void)c;
	gb_perf_enabled = false;
}

/* Each worker opens one counter per event. */
static unsigned int perf_fds_per_worker(const struct gb_config *cfg)
{
	(void)cfg;
	return GB_PERF_MAX_EVENTS;
}

const struct gb_collector_ops gb_collector_perf = {
	.fds_per_worker = perf_fds_per_worker,
	.name = "perf",
	.open = perf_open_collector,
	.snapshot = perf_snapshot,
	.report_run = perf_report_run,
	.print = perf_print,
	.close = perf_close,
};
