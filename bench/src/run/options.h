/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GB_OPTIONS_H
#define GB_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "config.h"

enum gb_parse_result gb_parse_args(int argc, char **argv, struct gb_config *cfg);
void gb_usage(FILE *out);

/*
 * Number parsers shared with the tests.  They accept only what they promise
 * (no trailing junk, no sign, no overflow) and return 0 or -1.
 */
int gb_parse_u64(const char *s, uint64_t *out);	  /* 1000, 10k, 1M */
int gb_parse_bytes(const char *s, uint64_t *out); /* 4096, 4K, 2M, 1G */
/* Shortest --duration: below it a run measures nothing (a create+close is microseconds). */
#define GB_MIN_DURATION_S 0.001
int gb_parse_seconds(const char *s, double *out);      /* 2, 2.5, 500ms, 1s */
int gb_parse_gmem_flags(const char *s, uint64_t *out); /* mmap,init-shared */
int gb_parse_vm_type(const char *s, unsigned long *out);
const char *gb_vm_type_name(unsigned long type);
/* A --collect list, checked: the list to use, or NULL if it names an unknown one. */
const char *gb_parse_collect(const char *list);

#endif
