/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GB_FDLIMIT_H
#define GB_FDLIMIT_H

#include <stdint.h>

/*
 * Make sure this process may hold @needed descriptors: raise the soft
 * RLIMIT_NOFILE, and the hard one (which needs CAP_SYS_RESOURCE) up to
 * fs.nr_open.  If that can't be done, fail before anything runs, naming the
 * exact number needed and how to allow it.  @limit gets the soft limit in
 * force afterwards; @hint
 * is appended to the error message.
 */
int gb_ensure_fd_limit(uint64_t needed, uint64_t *limit, const char *hint);

/*
 * Grow this process's descriptor table to @slots entries now, untimed.
 * The kernel grows it on demand (expand_files(): a bigger table and a copy
 * of the old one), and a grown table stays: without this, the first run of
 * a thread-mode hold paid for it and the later runs didn't (run 1 of
 * "hold -n 16k -t 2" measured 5x slower than runs 2 to 4).
 */
void gb_fd_table_grow(uint64_t slots);

#endif
