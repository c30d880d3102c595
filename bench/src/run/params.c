// SPDX-License-Identifier: GPL-2.0
/*
 * The parameters a result document records ("params"), written by
 * gmem-bench and compared by gmem-compare: each key defined once, here.
 */
#include <stdint.h>

#include "backend.h"
#include "options.h"
#include "params.h"
#include "util.h"
#include "workload.h"

static json_t *workload(const struct gb_config *c)
{
	return json_string(c->workload->name);
}

static json_t *backend(const struct gb_config *c)
{
	return json_string(c->backend->name);
}

static json_t *placement(const struct gb_config *c)
{
	return json_string(gb_placement_names[c->placement]);
}

static json_t *remote_target(const struct gb_config *c)
{
	return c->remote_close ? json_string(c->remote_farthest ? "farthest" : "next") :
				 json_null();
}

static json_t *vm_sharing(const struct gb_config *c)
{
	return json_string(gb_vm_sharing_names[c->vm_sharing]);
}

static json_t *vm_type(const struct gb_config *c)
{
	return json_string(gb_vm_type_name(c->vm_type));
}

static json_t *timing(const struct gb_config *c)
{
	return json_string(gb_timing_names[c->timing]);
}

#define FIELD(key, same, kind, member)                                    \
	{                                                                 \
		key, same, kind, offsetof(struct gb_config, member), NULL \
	}
#define DERIVED(key, same, fn)                     \
	{                                          \
		key, same, GB_PARAM_DERIVED, 0, fn \
	}

/*
 * In the order of the document.  same: part of what makes two cases the
 * same experiment; the repetition count, the warm-up and where the
 * threads ran may differ, anything else that differs means the case
 * names match by accident (a suite edited between the runs, another CPU
 * count).
 */
const struct gb_param gb_params[] = {
	DERIVED("workload", true, workload),
	DERIVED("backend", true, backend),
	FIELD("threads", true, GB_PARAM_UINT, threads),
	FIELD("cpus", false, GB_PARAM_STRING, cpus),
	FIELD("nodes", false, GB_PARAM_STRING, nodes),
	DERIVED("placement", true, placement),
	FIELD("remote_close", true, GB_PARAM_BOOL, remote_close),
	DERIVED("remote_target", true, remote_target),
	DERIVED("vm_sharing", true, vm_sharing),
	DERIVED("vm_type", true, vm_type),
	FIELD("file_size", true, GB_PARAM_U64, file_size),
	FIELD("gmem_flags", true, GB_PARAM_U64, gmem_flags),
	FIELD("populate", true, GB_PARAM_U64, populate),
	FIELD("duration_s", true, GB_PARAM_DOUBLE, duration_s),
	FIELD("count", true, GB_PARAM_U64, count),
	FIELD("bucket", false, GB_PARAM_U64, bucket),
	FIELD("warmup", false, GB_PARAM_U64, warmup),
	FIELD("runs", false, GB_PARAM_UINT, runs),
	DERIVED("timing", true, timing),
	FIELD("sample_every", true, GB_PARAM_UINT, sample_every),
	FIELD("bare_check", false, GB_PARAM_BOOL, bare_check),
};
const size_t gb_nparams = ARRAY_SIZE(gb_params);

static json_t *value(const struct gb_param *p, const struct gb_config *cfg)
{
	const void *field = (const char *)cfg + p->offset;

	switch (p->kind) {
	case GB_PARAM_U64:
		return json_integer((json_int_t) * (const uint64_t *)field);
	case GB_PARAM_UINT:
		return json_integer(*(const unsigned int *)field);
	case GB_PARAM_BOOL:
		return json_boolean(*(const bool *)field);
	case GB_PARAM_DOUBLE:
		return json_real(*(const double *)field);
	case GB_PARAM_STRING:
		return *(const char *const *)field ? json_string(*(const char *const *)field) :
						     json_null();
	default:
		return p->derive(cfg);
	}
}

json_t *gb_params_json(const struct gb_config *cfg)
{
	json_t *p = json_object();
	size_t i;

	for (i = 0; i < gb_nparams; i++)
		json_object_set_new(p, gb_params[i].key, value(&gb_params[i], cfg));
	return p;
}
