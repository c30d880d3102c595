/* SPDX-License-Identifier: GPL-2.0 */
/* The two views of a session: the JSON document and the stdout summary. */
#ifndef GB_REPORT_H
#define GB_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "hist.h"
#include "session.h"

/*
 * The whole result document.  @exit_code and @error describe how the
 * session ended; error may be NULL.
 */
json_t *gb_report_json(const struct gb_session *s, int exit_code, const char *error);

/* Histogram summary (count, mean, min, max, percentiles), with buckets if asked. */
json_t *gb_hist_json(const struct gb_hist *h, bool with_buckets);

/* Estimated share of one operation spent in the timer, 0..1. */
double gb_timer_overhead_fraction(const struct gb_session *s);

void gb_report_text(FILE *out, const struct gb_session *s);

#endif
