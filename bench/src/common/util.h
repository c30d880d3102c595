/* SPDX-License-Identifier: GPL-2.0 */
/* The few kernel-style helpers the userspace code uses. */
#ifndef GB_UTIL_H
#define GB_UTIL_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#endif
