/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU and node lists as users write them ("0-3,8"), checked strictly
 * before libnuma sees them: libnuma's parsers read 4294967297 as 1 and
 * "1-0" as 1, and accept a trailing comma.
 */
#ifndef GB_IDLIST_H
#define GB_IDLIST_H

#include <stdbool.h>

/* Larger ids than any machine has: a bound that keeps the arithmetic exact. */
#define GB_IDLIST_MAX_ID (1u << 20)

/*
 * Check @list: items "N" or "N-M" (N <= M, decimal, at most
 * GB_IDLIST_MAX_ID) separated by single commas.  Returns 0 if well
 * formed; on success *@highest is the largest id named.
 */
int gb_idlist_check(const char *list, unsigned int *highest);

/* Whether a comma-separated list has an empty item (",", "a,", ",a", "a,,b"). */
bool gb_list_has_empty_item(const char *list);

#endif
