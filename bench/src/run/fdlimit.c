// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "errors.h"
#include "fdlimit.h"
#include "textfile.h"

int gb_ensure_fd_limit(uint64_t needed, uint64_t *limit, const char *hint)
{
	/* 0 when unreadable: then only setrlimit() can say no. */
	uint64_t nr_open = gb_read_u64("/proc/sys/fs/nr_open");
	struct rlimit rl;
	rlim_t rl_max;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return gb_fail_errno(GB_EXIT_FAILURE, errno, "getrlimit(RLIMIT_NOFILE)");
	*limit = rl.rlim_cur;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= needed)
		return 0;

	if (nr_open && needed > nr_open)
		return gb_fail(
			GB_EXIT_FD_LIMIT,
			"this run needs %llu file descriptors but fs.nr_open is %llu: raise it first (sysctl fs.nr_open=%llu)%s",
			(unsigned long long)needed, (unsigned long long)nr_open,
			(unsigned long long)needed, hint);
	rl_max = rl.rlim_max;
	rl.rlim_cur = needed;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < needed)
		rl.rlim_max = needed;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		int err = errno;

		return gb_fail(
			GB_EXIT_FD_LIMIT,
			"this run needs %llu file descriptors; the hard limit is %llu and raising it failed (%s): 'ulimit -Hn %llu' as a user with CAP_SYS_RESOURCE%s",
			(unsigned long long)needed, (unsigned long long)rl_max,
			err == EPERM ? "no CAP_SYS_RESOURCE" : strerror(err),
			(unsigned long long)needed, hint);
	}
	*limit = needed;
	return 0;
}

void gb_fd_table_grow(uint64_t slots)
{
	struct rlimit rl;
	int fd, high;

	if (slots < 2 || getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur != RLIM_INFINITY && slots > rl.rlim_cur)
		slots = rl.rlim_cur;
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Only an optimisation: if it fails, the run grows the table itself. */
	high = dup3(fd, (int)(slots - 1), O_CLOEXEC);
	if (high >= 0 && high != fd)
		close(high);
	close(fd);
}
