/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit codes and the one-line error report.
 *
 * Every failure a user can cause or meet maps to its own exit code, so that
 * scripts (and the suite runner) can tell "this kernel has no guest_memfd"
 * from "you typed a bad number" without parsing text.
 */
#ifndef GB_ERRORS_H
#define GB_ERRORS_H

#include "util.h"

enum gb_exit {
	GB_EXIT_OK = 0,
	GB_EXIT_FAILURE = 1,	 /* unexpected system error */
	GB_EXIT_USAGE = 2,	 /* bad or contradictory arguments */
	GB_EXIT_NO_KVM = 3,	 /* /dev/kvm (or --kvm-dev) does not exist */
	GB_EXIT_PERM = 4,	 /* permission denied on the device */
	GB_EXIT_NO_GMEM = 5,	 /* kernel has no guest_memfd */
	GB_EXIT_UNSUPPORTED = 6, /* VM type or guest_memfd flag refused */
	GB_EXIT_FD_LIMIT = 7,	 /* EMFILE/ENFILE, or limit can't be raised */
	GB_EXIT_NOMEM = 8,	 /* ENOMEM while creating files */
	GB_EXIT_OUTPUT = 9,	 /* results could not be written */
	GB_EXIT_NUMA = 10,	 /* requested CPUs or nodes are not usable */
	GB_EXIT_INPUT = 11,	 /* a result file or suite is malformed */
	GB_EXIT_MISMATCH = 12,	 /* result sets that can't be compared */
				 /* Interrupted runs exit with 128 + signal number, as shells do. */
};

/*
 * Record a failure.  Only the first one is kept: later ones are usually
 * consequences of it, and the user gets exactly one line.  Returns @code so
 * callers can write "return gb_fail(...)".
 */
int gb_fail(int code, const char *fmt, ...) __printf(2, 3);

/* Like gb_fail(), with ": strerror(err)" appended. */
int gb_fail_errno(int code, int err, const char *fmt, ...) __printf(3, 4);

int gb_error_code(void);
const char *gb_error_message(void);
void gb_error_reset(void);

/* Map an errno from creating a file to the exit code that describes it. */
int gb_exit_for_errno(int err);

/* Print a warning line to stderr (not an error: the run goes on). */
void gb_warn(const char *fmt, ...) __printf(1, 2);

#endif
