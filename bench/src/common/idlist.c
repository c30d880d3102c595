// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <string.h>

#include "idlist.h"

/* One decimal id at *@p, advancing it; -1 if there is none or it is too large. */
static long parse_id(const char **p)
{
	long v = 0;

	if (!isdigit((unsigned char)**p))
		return -1;
	while (isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		if (v > GB_IDLIST_MAX_ID)
			return -1;
		(*p)++;
	}
	return v;
}

int gb_idlist_check(const char *list, unsigned int *highest)
{
	const char *p = list;
	long lo, hi, top = -1;

	for (;;) {
		lo = hi = parse_id(&p);
		if (lo < 0)
			return -1;
		if (*p == '-') {
			p++;
			hi = parse_id(&p);
			if (hi < lo)
				return -1;
		}
		if (hi > top)
			top = hi;
		if (!*p)
			break;
		if (*p++ != ',')
			return -1;
	}
	*highest = (unsigned int)top;
	return 0;
}

bool gb_list_has_empty_item(const char *list)
{
	size_t len = strlen(list);

	return !len || list[0] == ',' || list[len - 1] == ',' || strstr(list, ",,");
}
