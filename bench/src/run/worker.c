// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "collector.h"
#include "run_ctx.h"
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
	/*
	 * MAP_POPULATE: the pages are allocated, and charged to the memory
	 * cgroup, now, not by whichever worker first writes to them in the
	 * middle of a run (see gb_worker_prefault()).
	 */
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void gb_shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size ? size : 1);
}

static void touch_pages(const void *p, size_t len)
{
	const volatile char *c = p;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), i;

	/* Steps of a page from any start reach every page of the range. */
	for (i = 0; i < len; i += page)
		(void)c[i];
	if (len)
		(void)c[len - 1];
}

/*
 * Before the start gate, make every page the worker will touch in the run
 * present in its own page tables.  A page fault in the measured loop
 * would add its cost to the operation it lands on; worse, in a full
 * memory cgroup whose OOM killer is off (cgroup v1), a fault that needs
 * memory (a new page, or a page table) does not fail as the create's
 * kernel allocations do: it waits for memory, while the other workers,
 * having hit ENOMEM and closed their files, wait for it at the phase
 * barrier.  A forked worker inherits no page-table entries for shared
 * memory, and its private descriptor array is written so that its pages
 * are its own.
 */
void gb_worker_prefault(struct gb_worker *w)
{
	touch_pages(w, sizeof(*w));
	touch_pages(w->res.population, w->res.npopulation * sizeof(*w->res.population));
	touch_pages(gb_stop_flag, sizeof(*gb_stop_flag));
	if (w->phase_barrier)
		touch_pages(w->phase_barrier, sizeof(*w->phase_barrier));
	if (w->fds)
		memset(w->fds, 0xff, w->nfds * sizeof(*w->fds));
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
	int done = gb_collectors_worker_populate(w->collectors, w, fd);

	if (done > 0)
		return 0;
	/* guest_memfd has a fixed size and only takes KEEP_SIZE allocations. */
	if (!done && !fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)w->cfg->populate))
		return 0;
	gb_worker_fail(w, errno, "populate");
	return -1;
}

void gb_worker_peak(struct gb_worker *w)
{
	gb_collectors_worker_peak(w->collectors, w);
	if (w->idx == 0)
		gb_run_peak_handshake(w->ctx);
}
