/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GB_BUDGET_H
#define GB_BUDGET_H

struct gb_session;

/* Descriptors a process needs beyond the workload's files. */
#define GB_FD_HEADROOM 64

/*
 * Before a run: that it fits in memory (exit 8 with the figures) and in
 * the descriptor limit, raising it where allowed (exit 7 with the count
 * needed); with threads, the descriptor table is grown to size now.
 */
int gb_check_budget(struct gb_session *s);

#endif
