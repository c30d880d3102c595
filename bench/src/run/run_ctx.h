/* SPDX-License-Identifier: GPL-2.0 */
/* What a worker asks of the runner during a run (runner.c). */
#ifndef GB_RUN_CTX_H
#define GB_RUN_CTX_H

struct gb_run_ctx;

/*
 * hold, worker 0 with every file open: let the main process take its PEAK
 * snapshots (and run --at-peak) while every worker waits at the next
 * barrier; returns when it is done.
 */
void gb_run_peak_handshake(struct gb_run_ctx *ctx);

#endif
