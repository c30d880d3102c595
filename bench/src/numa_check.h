/* SPDX-License-Identifier: GPL-2.0 */
/* Worker-side parts of the NUMA placement check (collector_numa.c). */
#ifndef GB_NUMA_CHECK_H
#define GB_NUMA_CHECK_H

#include <stdbool.h>

#include "config.h"

struct gb_worker;

/* Whether populated files are mapped and checked page by page. */
bool gb_numa_check_mapped(const struct gb_config *cfg);
/* Bind the calling worker's memory policy to its node (--populate runs). */
int gb_numa_bind_worker(struct gb_worker *w);
/* Populate @fd by mapping, mbind()ing and touching it; count page nodes. */
int gb_numa_populate_mapped(struct gb_worker *w, int fd);

#endif
