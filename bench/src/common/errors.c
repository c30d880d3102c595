// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "errors.h"

static struct {
	int code;
	char message[512];
} first_error;

static __printf(3, 0) int vfail(int code, int err, const char *fmt, va_list ap)
{
	size_t len;

	if (first_error.code)
		return code;
	first_error.code = code;
	vsnprintf(first_error.message, sizeof(first_error.message), fmt, ap);
	len = strlen(first_error.message);
	if (err && len < sizeof(first_error.message))
		snprintf(first_error.message + len, sizeof(first_error.message) - len, ": %s",
			 strerror(err));
	return code;
}

int gb_fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(code, 0, fmt, ap);
	va_end(ap);
	return code;
}

int gb_fail_errno(int code, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(code, err, fmt, ap);
	va_end(ap);
	return code;
}

int gb_error_code(void)
{
	return first_error.code;
}

const char *gb_error_message(void)
{
	return first_error.message;
}

void gb_error_reset(void)
{
	first_error.code = 0;
	first_error.message[0] = '\0';
}

int gb_exit_for_errno(int err)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return GB_EXIT_NO_KVM;
	case EACCES:
	case EPERM:
		return GB_EXIT_PERM;
	case EMFILE:
	case ENFILE:
		return GB_EXIT_FD_LIMIT;
	case ENOMEM:
	case ENOSPC:
		return GB_EXIT_NOMEM;
	case EINVAL:
	case EOPNOTSUPP:
		return GB_EXIT_UNSUPPORTED;
	default:
		return GB_EXIT_FAILURE;
	}
}

void gb_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: warning: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int gb_cli_error(const char *prog)
{
	fprintf(stderr, "%s: error: %s\n", prog, gb_error_message());
	return gb_error_code();
}
