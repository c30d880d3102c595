/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A backend is a kind of file to create and close: guest_memfd through KVM
 * ioctls, or a memfd as the shmem reference point.  The workloads only see
 * this interface.
 */
#ifndef GB_BACKEND_H
#define GB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"

struct gb_slabinfo;

struct gb_backend {
	const struct gb_backend_ops *ops;
	const struct gb_config *cfg;
	void *priv;
	bool opened; /* open() succeeded: describe() may be asked */
};

/* Bytes of a backend's own per-thread state, inline in gb_backend_thread. */
#define GB_BACKEND_THREAD_PRIV 96

/*
 * Per-thread state: everything the hot path needs, prepared in advance.
 * priv is the backend's own struct (gb_backend_thread_priv() checks at
 * build time that it fits), inline so that create() needs no extra load.
 */
struct gb_backend_thread {
	struct gb_backend *be;
	_Alignas(8) unsigned char priv[GB_BACKEND_THREAD_PRIV];
};

#define gb_backend_thread_priv(bt, type)                                      \
	({                                                                    \
		_Static_assert(sizeof(type) <= GB_BACKEND_THREAD_PRIV,        \
			       #type " does not fit gb_backend_thread.priv"); \
		(type *)(bt)->priv;                                           \
	})

/* What a backend's files are and can do, for the rest of the program to ask. */
enum gb_backend_caps {
	/* Files belong to a VM: --vm, --vm-type and --flags apply. */
	GB_BACKEND_VM = 1 << 0,
	/* Files can be mapped by the host (and so mbind()ed, touched, checked). */
	GB_BACKEND_MMAP = 1 << 1,
};

struct gb_backend_ops {
	const char *name;
	const char *summary; /* one line, for --help */
	/* enum gb_backend_caps of the files it creates under @cfg. */
	unsigned int (*caps)(const struct gb_config *cfg);
	/*
	 * The slab cache its files' inodes come from on this kernel, as
	 * @si (a /proc/slabinfo snapshot, maybe empty) and sysfs show it.
	 */
	const char *(*inode_cache)(const struct gb_slabinfo *si);
	/*
	 * Probe the kernel for what cfg asks for and open shared resources.
	 * Fails with gb_fail() and the matching exit code.
	 */
	int (*open)(struct gb_backend *be);
	/* Capabilities seen by open(), into @out. */
	void (*describe)(const struct gb_backend *be, json_t *out);
	/*
	 * Optional per-worker setup, run in the worker (thread or process),
	 * on a zeroed @bt.  0 or an errno value; the runner reports it.
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
	/* Optional: undo thread_open(), also after one that failed. */
	void (*thread_close)(struct gb_backend *be, struct gb_backend_thread *bt);
	/* Optional: undo open(), also after one that failed. */
	void (*close)(struct gb_backend *be);
};

static inline bool gb_backend_has(const struct gb_backend_ops *ops, unsigned int cap,
				  const struct gb_config *cfg)
{
	return ops->caps && (ops->caps(cfg) & cap);
}

const struct gb_backend_ops *gb_backend_find(const char *name);
/* "gmem, memfd", for messages. */
const char *gb_backend_names(void);
/* Every backend, NULL-terminated, for --help. */
const struct gb_backend_ops *const *gb_backend_list(void);

#endif
