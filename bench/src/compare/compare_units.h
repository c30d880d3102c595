/* SPDX-License-Identifier: GPL-2.0 */
/* A cell's values, one per unit of replication (compare_units.c says which). */
#ifndef GB_COMPARE_UNITS_H
#define GB_COMPARE_UNITS_H

#include "compare.h"

/*
 * Fill @c->x, @c->n, @c->nruns and @c->by_boot with @m's figures in the
 * case @doc (c->x is allocated: the caller frees it); @times says how a
 * boot's runs of a time or rate become one value (compare.h).
 */
int gb_cell_fill_units(struct gb_cell *c, const struct gb_metric *m, json_t *doc,
		       enum gb_boot_reduce times);

#endif
