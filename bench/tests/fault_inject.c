// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD fault injector for the error-path tests: makes the kernel
 * look as if it said no, for the few answers a test can't get from this
 * machine's kernel on demand.
 *
 *   GB_FAULT_NO_GMEM=1          KVM_CHECK_EXTENSION(KVM_CAP_GUEST_MEMFD) -> 0
 *   GB_FAULT_CREATE_ERRNO=N     KVM_CREATE_GUEST_MEMFD fails with errno N ...
 *   GB_FAULT_CREATE_AFTER=K     ... after K successful calls (default 0)
 *
 * Everything else goes to the real ioctl().
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "kvm_compat.h"

typedef int (*ioctl_fn)(int, unsigned long, ...);

static long env_long(const char *name, long fallback)
{
	const char *v = getenv(name);

	return v ? strtol(v, NULL, 0) : fallback;
}

int ioctl(int fd, unsigned long request, ...)
{
	static ioctl_fn real;
	static long creates;
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");

	if (request == KVM_CHECK_EXTENSION && (long)arg == KVM_CAP_GUEST_MEMFD &&
	    env_long("GB_FAULT_NO_GMEM", 0))
		return 0;
	if (request == KVM_CREATE_GUEST_MEMFD && env_long("GB_FAULT_CREATE_ERRNO", 0) &&
	    __atomic_fetch_add(&creates, 1, __ATOMIC_RELAXED) >=
		    env_long("GB_FAULT_CREATE_AFTER", 0)) {
		errno = (int)env_long("GB_FAULT_CREATE_ERRNO", 0);
		return -1;
	}
	return real(fd, request, arg);
}
