/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal assertions for the unit tests: count, report the failing line,
 * and end with the "N passed, N failed" line.  Kept tiny on purpose; ctest
 * runs each test binary and reads its exit code.
 */
#ifndef GB_CHECK_H
#define GB_CHECK_H

#include <stdio.h>

static unsigned int check_passed, check_failed;

#define CHECK(cond, ...)                                                                         \
	do {                                                                                     \
		if (cond) {                                                                      \
			check_passed++;                                                          \
		} else {                                                                         \
			check_failed++;                                                          \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                            \
			fputc('\n', stderr);                                                     \
		}                                                                                \
	} while (0)

static inline int check_report(void)
{
	printf("%u passed, %u failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
