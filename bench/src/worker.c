// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>

#include "numa_check.h"
#include "worker.h"

/* Until gb_shared_alloc() works, a private flag keeps single-process use safe. */
static int private_stop_flag;
int *gb_stop_flag = &private_stop_flag;

static void __attribute__((constructor)) share_stop_flag(void)
{
	int *shared = gb_shared_alloc(sizeof(int));

	if (shared)
		gb_stop_flag = shared;
}

void *gb_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void gb_shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size ? size : 1);
}

void gb_worker_fail(struct gb_worker *w, int err, const char *op)
{
	if (!w->res.err) {
		w->res.err = err;
		w->res.err_op = op;
	}
	gb_request_stop();
}

int gb_worker_populate(struct gb_worker *w, int fd)
{
	/* Mappable files get their pages by touch, under mbind(), and checked. */
	if (gb_numa_check_mapped(w->cfg)) {
		if (!gb_numa_populate_mapped(w, fd))
			return 0;
	} else if (!fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)w->cfg->populate)) {
		/* guest_memfd has a fixed size and only takes KEEP_SIZE allocations. */
		return 0;
	}
	gb_worker_fail(w, errno, "populate");
	return -1;
}
