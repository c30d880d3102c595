/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A backend is a kind of file to create and close: guest_memfd through KVM
 * ioctls, or a memfd as the shmem reference point.  The workloads only see
 * this interface.
 */
#ifndef GB_BACKEND_H
#define GB_BACKEND_H

#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "kvm_compat.h"

struct gb_backend {
	const struct gb_backend_ops *ops;
	const struct gb_config *cfg;
	void *priv;
};

/* Per-thread state: everything the hot path needs, prepared in advance. */
struct gb_backend_thread {
	struct gb_backend *be;
	int vm_fd;    /* the VM this thread creates files on, -1 for memfd */
	bool own_vm;  /* vm_fd is this thread's own and must be closed */
	struct kvm_create_guest_memfd gmem_args;
};

struct gb_backend_ops {
	const char *name;
	const char *summary;
	/*
	 * Probe the kernel for what cfg asks for and open shared resources.
	 * Fails with gb_fail() and the matching exit code.
	 */
	int (*open)(struct gb_backend *be);
	/* Capabilities seen by open(), into @out. */
	void (*describe)(const struct gb_backend *be, json_t *out);
	/*
	 * Per-worker setup, run in the worker (thread or process).  0 or an
	 * errno value; the runner reports it.
	 */
	int (*thread_open)(struct gb_backend *be, struct gb_backend_thread *bt);
	/* Create one file: its descriptor, or -errno.  The measured call. */
	int (*create)(const struct gb_backend_thread *bt);
	/*
	 * @n create+close pairs with the same system calls as create() and
	 * close(), with no harness around them: the reference the harness
	 * overhead is measured against.  Elapsed ns, or -errno.
	 */
	int64_t (*bare_loop)(const struct gb_backend_thread *bt, uint64_t n);
	void (*thread_close)(struct gb_backend *be, struct gb_backend_thread *bt);
	void (*close)(struct gb_backend *be);
};

extern const struct gb_backend_ops gb_backend_gmem;
extern const struct gb_backend_ops gb_backend_memfd;

const struct gb_backend_ops *gb_backend_find(const char *name);
/* "gmem, memfd", for messages. */
const char *gb_backend_names(void);

#endif
