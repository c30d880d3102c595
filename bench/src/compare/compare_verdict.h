/* SPDX-License-Identifier: GPL-2.0 */
/* Intervals, verdicts, primary figures and the control (compare_verdict.c). */
#ifndef GB_COMPARE_VERDICT_H
#define GB_COMPARE_VERDICT_H

#include "compare.h"

/*
 * Give every compared cell its interval and verdict, mark the primary
 * figures that changed, and warn (gb_compare_warn) when the control moved.
 * Needs cmp->mde_pct set (NAN: no calibration).
 */
void gb_compare_judge(struct gb_comparison *cmp);

#endif
