// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"

static const struct gb_collector_ops *const all[GB_NR_COLLECTORS] = {
	&gb_collector_slab,
	&gb_collector_perf,
	&gb_collector_memcg,
	&gb_collector_numa,
};

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
		if (cs[i].available)
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
				    json_pack("{s:b, s:s?}", "available", cs[i].available,
					      "reason", cs[i].available ? NULL : cs[i].reason));
	return obj;
}

void gb_collectors_print(struct gb_collector *cs, json_t *run_figures, FILE *out)
{
	json_t *figures;
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS; i++) {
		if (!cs[i].ops)
			continue;
		if (!cs[i].available) {
			fprintf(out, "%s: not collected: %s\n", cs[i].ops->name, cs[i].reason);
			continue;
		}
		figures = json_object_get(run_figures, cs[i].ops->name);
		if (json_object_size(figures))
			cs[i].ops->print(&cs[i], figures, out);
	}
}

void gb_collectors_close(struct gb_collector *cs)
{
	unsigned int i;

	for (i = 0; i < GB_NR_COLLECTORS; i++)
		if (cs[i].ops && cs[i].ops->close)
			cs[i].ops->close(&cs[i]);
}
