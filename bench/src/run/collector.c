// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "worker.h"

#define DECLARE(name) extern const struct gb_collector_ops gb_collector_##name;
#define ENTRY(name) &gb_collector_##name,
GB_COLLECTORS(DECLARE)
#define NAME(name) #name,
static const struct gb_collector_ops *const all[GB_NR_COLLECTORS] = { GB_COLLECTORS(ENTRY) };
/* The list's names, which are the ops' names. */
static const char *const names[GB_NR_COLLECTORS + 1] = { GB_COLLECTORS(NAME) NULL };

/* Whether @name is one of the comma-separated @list. */
static bool requested(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = list; p && (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return true;
	return false;
}

bool gb_collector_known(const char *name)
{
	return gb_enum_parse(names, name) >= 0;
}

const char *gb_collector_names(void)
{
	static char list[64];

	if (!list[0])
		gb_join_names(list, sizeof(list), names, ",");
	return list;
}

void gb_collector_unavailable(struct gb_collector *c, const char *fmt, ...)
{
	va_list ap;

	c->available = false;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

void gb_collectors_open(struct gb_collector *cs, const struct gb_config *cfg)
{
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS; i++) {
		cs[i].ops = all[i];
		cs[i].cfg = cfg;
		cs[i].available = true;
		if (!requested(cfg->collect, all[i]->name))
			gb_collector_unavailable(&cs[i], "not requested (--collect)");
		else
			cs[i].ops->open(&cs[i]);
	}
}

unsigned int gb_collectors_fds_per_worker(const struct gb_config *cfg)
{
	unsigned int i, n = 0;

	for (i = 0; i < GB_NR_COLLECTORS; i++)
		if (all[i]->fds_per_worker && requested(cfg->collect, all[i]->name))
			n += all[i]->fds_per_worker(cfg);
	return n;
}

void gb_collectors_prepare(struct gb_collector *cs)
{
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS; i++)
		if (cs[i].available && cs[i].ops->prepare)
			cs[i].ops->prepare(&cs[i]);
}

void gb_collectors_snapshot(struct gb_collector *cs, enum gb_phase phase)
{
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS; i++)
		if (cs[i].available && cs[i].ops->snapshot)
			cs[i].ops->snapshot(&cs[i], phase);
}

json_t *gb_collectors_report_run(struct gb_collector *cs, const struct gb_run_result *run)
{
	json_t *obj = json_object();
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS && cs[i].ops; i++) {
		json_t *one = json_object();

		if (cs[i].available)
			cs[i].ops->report_run(&cs[i], run, one);
		json_object_set_new(obj, cs[i].ops->name, one);
	}
	return obj;
}

json_t *gb_collectors_status(const struct gb_collector *cs)
{
	json_t *obj = json_object();
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS && cs[i].ops; i++)
		json_object_set_new(obj, cs[i].ops->name,
				    json_pack("{s:b, s:s?}", "available", cs[i].available, "reason",
					      cs[i].available ? NULL : cs[i].reason));
	return obj;
}

void gb_collectors_print(struct gb_collector *cs, bool reported, FILE *out)
{
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS; i++) {
		if (!cs[i].ops)
			continue;
		if (!cs[i].available)
			fprintf(out, "%s: not collected: %s\n", cs[i].ops->name, cs[i].reason);
		else if (reported)
			cs[i].ops->print(&cs[i], out);
	}
}

/* Whether @c takes part in the workers' side of a run. */
static bool in_workers(const struct gb_collector *c)
{
	return c->ops && c->available && c->ops->worker_area;
}

int gb_collectors_areas_alloc(struct gb_collector *cs, unsigned int nworkers)
{
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS; i++) {
		if (!in_workers(&cs[i]))
			continue;
		cs[i].areas = gb_shared_alloc(nworkers * cs[i].ops->worker_area);
		if (!cs[i].areas) {
			gb_collectors_areas_free(cs);
			return -1;
		}
		cs[i].nareas = nworkers;
	}
	return 0;
}

void gb_collectors_areas_free(struct gb_collector *cs)
{
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS; i++) {
		if (!cs[i].areas)
			continue;
		gb_shared_free(cs[i].areas, cs[i].nareas * cs[i].ops->worker_area);
		cs[i].areas = NULL;
		cs[i].nareas = 0;
	}
}

/* Every collector in this run's workers whose ops have @hook. */
#define FOR_WORKER_HOOK(cs, i, hook)           \
	for (i = 0; i < GB_NR_COLLECTORS; i++) \
		if (in_workers(&(cs)[i]) && (cs)[i].areas && (cs)[i].ops->hook)

int gb_collectors_worker_setup(struct gb_collector *cs, struct gb_worker *w)
{
	unsigned int i;
	int err;

	FOR_WORKER_HOOK(cs, i, worker_setup)
	{
		err = cs[i].ops->worker_setup(&cs[i], w, gb_collector_area(&cs[i], w->idx));
		if (err)
			return err;
	}
	return 0;
}

void gb_collectors_worker_begin(struct gb_collector *cs, struct gb_worker *w)
{
	unsigned int i;

	FOR_WORKER_HOOK(cs, i, worker_begin)
	cs[i].ops->worker_begin(&cs[i], w, gb_collector_area(&cs[i], w->idx));
}

void gb_collectors_worker_peak(struct gb_collector *cs, struct gb_worker *w)
{
	unsigned int i;

	FOR_WORKER_HOOK(cs, i, worker_peak)
	cs[i].ops->worker_peak(&cs[i], w, gb_collector_area(&cs[i], w->idx));
}

void gb_collectors_worker_end(struct gb_collector *cs, struct gb_worker *w)
{
	unsigned int i;

	FOR_WORKER_HOOK(cs, i, worker_end)
	cs[i].ops->worker_end(&cs[i], w, gb_collector_area(&cs[i], w->idx));
}

int gb_collectors_worker_populate(struct gb_collector *cs, struct gb_worker *w, int fd)
{
	unsigned int i;
	int ret;

	FOR_WORKER_HOOK(cs, i, worker_populate)
	{
		ret = cs[i].ops->worker_populate(&cs[i], w, gb_collector_area(&cs[i], w->idx), fd);
		if (ret)
			return ret;
	}
	return 0;
}

void gb_collectors_close(struct gb_collector *cs)
{
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS; i++)
		if (cs[i].ops && cs[i].ops->close)
			cs[i].ops->close(&cs[i]);
}
