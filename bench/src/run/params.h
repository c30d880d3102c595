/* SPDX-License-Identifier: GPL-2.0 */
/* The "params" of a result document: one table for writing and comparing. */
#ifndef GB_PARAMS_H
#define GB_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "config.h"

enum gb_param_kind {
	GB_PARAM_U64,
	GB_PARAM_UINT,
	GB_PARAM_BOOL,
	GB_PARAM_DOUBLE,
	GB_PARAM_STRING,  /* const char *, NULL written as null */
	GB_PARAM_DERIVED, /* computed by derive() */
};

struct gb_param {
	const char *key;
	bool same; /* must be equal for two cases to be one experiment */
	enum gb_param_kind kind;
	size_t offset; /* of the gb_config field, unless DERIVED */
	json_t *(*derive)(const struct gb_config *cfg);
};

extern const struct gb_param gb_params[];
extern const size_t gb_nparams;

/* Every parameter of @cfg, as the document's "params" object. */
json_t *gb_params_json(const struct gb_config *cfg);

#endif
