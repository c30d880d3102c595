/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GB_OPTIONS_H
#define GB_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "opt_table.h"

enum gb_parse_result gb_parse_args(int argc, char **argv, struct gb_config *cfg);
void gb_usage(FILE *out);

/*
 * Value parsers shared with the tests (counts and sizes are in opt_table.h).
 * They accept only what they promise (no trailing junk, no sign, no
 * overflow) and return 0 or -1.
 */
/* Shortest --duration: below it a run measures nothing (a create+close is microseconds). */
#define GB_MIN_DURATION_S 0.001
int gb_parse_seconds(const char *s, double *out);      /* 2, 2.5, 500ms, 1s */
int gb_parse_gmem_flags(const char *s, uint64_t *out); /* mmap,init-shared */
int gb_parse_vm_type(const char *s, unsigned long *out);
const char *gb_vm_type_name(unsigned long type);
/* A --collect list, checked: the list to use, or NULL if it names an unknown one. */
const char *gb_parse_collect(const char *list);

#endif
