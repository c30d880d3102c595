// SPDX-License-Identifier: GPL-2.0
/*
 * memfd_create(): a shmem file, the reference point the guest_memfd inode
 * cache patch models itself on (shmem has had its own inode cache for
 * ever).  The file is sized with ftruncate() so that, like a guest_memfd,
 * it has its size from birth; that is a second system call, which the
 * bare loop makes too.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "errors.h"
#include "timing.h"

static int memfd_create_sized(uint64_t size)
{
	int fd = memfd_create("gmem-bench", 0);
	int err;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size)) {
		err = errno;
		close(fd);
		return -err;
	}
	return fd;
}

static int memfd_open(struct gb_backend *be)
{
	int fd = memfd_create_sized(be->cfg->file_size);

	if (fd == -ENOSYS)
		return gb_fail(GB_EXIT_UNSUPPORTED, "this kernel has no memfd_create()");
	if (fd < 0)
		return gb_fail_errno(gb_exit_for_errno(-fd), -fd, "memfd_create() failed");
	close(fd);
	return 0;
}

static void memfd_describe(const struct gb_backend *be, json_t *out)
{
	(void)be;
	json_object_set_new(out, "syscalls", json_string("memfd_create+ftruncate"));
}

static unsigned int memfd_caps(const struct gb_config *cfg)
{
	(void)cfg;
	return GB_BACKEND_MMAP;
}

static const char *memfd_inode_cache(const struct gb_slabinfo *si)
{
	(void)si;
	return "shmem_inode_cache";
}

static int memfd_create_one(const struct gb_backend_thread *bt)
{
	return memfd_create_sized(bt->be->cfg->file_size);
}

static int64_t memfd_bare_loop(const struct gb_backend_thread *bt, uint64_t n)
{
	off_t size = (off_t)bt->be->cfg->file_size;
	uint64_t start = gb_now_ns(), i;
	int fd;

	for (i = 0; i < n; i++) {
		fd = memfd_create("gmem-bench", 0);
		if (fd < 0)
			return -errno;
		if (ftruncate(fd, size)) {
			close(fd);
			return -EIO;
		}
		close(fd);
	}
	return (int64_t)(gb_now_ns() - start);
}

const struct gb_backend_ops gb_backend_memfd = {
	.name = "memfd",
	.summary = "shmem file via memfd_create() + ftruncate()",
	.caps = memfd_caps,
	.inode_cache = memfd_inode_cache,
	.open = memfd_open,
	.describe = memfd_describe,
	.create = memfd_create_one,
	.bare_loop = memfd_bare_loop,
};
