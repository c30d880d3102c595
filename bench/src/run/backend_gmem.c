// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd through raw KVM ioctls: /dev/kvm -> KVM_CREATE_VM ->
 * KVM_CREATE_GUEST_MEMFD.  Every capability is probed, never assumed, and
 * the probe's findings go into the results so a reader knows what the
 * kernel offered.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "backend.h"
#include "errors.h"
#include "kvm_compat.h"
#include "options.h"
#include "slabinfo.h"
#include "timing.h"

#define KVM_API_EXPECTED 12

struct gmem_state {
	int kvm_fd;
	int shared_vm_fd;
	int api_version;
	int cap_guest_memfd;	/* on the system fd */
	int cap_guest_memfd_vm; /* on a VM of the requested type */
	uint64_t vm_types;	/* KVM_CAP_VM_TYPES mask, 0 if unknown */
	uint64_t gmem_flags;	/* KVM_CAP_GUEST_MEMFD_FLAGS mask */
};

static int check_extension(int fd, long cap)
{
	int ret = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? 0 : ret;
}

static void format_vm_types(uint64_t mask, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int t;

	buf[0] = '\0';
	for (t = 0; t < 64 && used < len; t++)
		if (mask & (1ULL << t))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 gb_vm_type_name(t));
	if (!used)
		snprintf(buf, len, "default only (no KVM_CAP_VM_TYPES)");
}

static int open_device(struct gmem_state *st, const char *path)
{
	int err;

	st->kvm_fd = open(path, O_RDWR | O_CLOEXEC);
	if (st->kvm_fd >= 0)
		return 0;
	err = errno;
	if (err == ENOENT || err == ENODEV || err == ENXIO)
		return gb_fail(
			GB_EXIT_NO_KVM,
			"no KVM device at %s (kvm module not loaded, or no virtualisation support)",
			path);
	if (err == EACCES || err == EPERM)
		return gb_fail(
			GB_EXIT_PERM,
			"permission denied opening %s: run as root or join the group that owns it",
			path);
	return gb_fail_errno(GB_EXIT_FAILURE, err, "cannot open %s", path);
}

static int create_vm(struct gmem_state *st, unsigned long type)
{
	int fd;

	/* KVM_CREATE_VM can fail with EINTR under signals; retry then. */
	do {
		fd = ioctl(st->kvm_fd, KVM_CREATE_VM, type);
	} while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

static int check_vm_type(struct gmem_state *st, unsigned long type)
{
	char names[128];

	st->vm_types = (uint64_t)check_extension(st->kvm_fd, KVM_CAP_VM_TYPES);
	if (type == KVM_X86_DEFAULT_VM)
		return 0;
	if (!(st->vm_types & (1ULL << type))) {
		format_vm_types(st->vm_types, names, sizeof(names));
		return gb_fail(GB_EXIT_UNSUPPORTED,
			       "VM type %s (%lu) is not supported by this kernel (supported: %s)",
			       gb_vm_type_name(type), type, names);
	}
	return 0;
}

/* Create and close one file with the requested size and flags. */
static int trial_create(const struct gb_config *cfg, int vm_fd)
{
	struct kvm_create_guest_memfd args = {
		.size = cfg->file_size,
		.flags = cfg->gmem_flags,
	};
	int fd = ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, &args);
	int err = errno;

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (err == EINVAL)
		return gb_fail(
			GB_EXIT_UNSUPPORTED,
			"KVM_CREATE_GUEST_MEMFD rejected size %llu flags 0x%llx: Invalid argument",
			(unsigned long long)args.size, (unsigned long long)args.flags);
	if (err == ENOTTY)
		return gb_fail(GB_EXIT_NO_GMEM,
			       "this kernel has no guest_memfd (KVM_CREATE_GUEST_MEMFD unknown)");
	return gb_fail_errno(gb_exit_for_errno(err), err, "KVM_CREATE_GUEST_MEMFD failed");
}

static int gmem_probe(struct gmem_state *st, const struct gb_config *cfg)
{
	int vm_fd, ret;

	st->api_version = ioctl(st->kvm_fd, KVM_GET_API_VERSION, 0);
	if (st->api_version != KVM_API_EXPECTED)
		return gb_fail(GB_EXIT_NO_KVM, "%s reports KVM API version %d, expected %d",
			       cfg->kvm_path, st->api_version, KVM_API_EXPECTED);

	st->cap_guest_memfd = check_extension(st->kvm_fd, KVM_CAP_GUEST_MEMFD);
	if (!st->cap_guest_memfd)
		return gb_fail(
			GB_EXIT_NO_GMEM,
			"this kernel has no guest_memfd (KVM_CAP_GUEST_MEMFD is 0; needs Linux 6.8+ with KVM_PRIVATE_MEM/KVM_GUEST_MEMFD)");

	ret = check_vm_type(st, cfg->vm_type);
	if (ret)
		return ret;

	vm_fd = create_vm(st, cfg->vm_type);
	if (vm_fd < 0) {
		if (vm_fd == -EINVAL)
			return gb_fail(GB_EXIT_UNSUPPORTED,
				       "KVM_CREATE_VM refused VM type %s (%lu)",
				       gb_vm_type_name(cfg->vm_type), cfg->vm_type);
		return gb_fail_errno(gb_exit_for_errno(-vm_fd), -vm_fd, "KVM_CREATE_VM failed");
	}

	/* Capabilities can differ per VM type, so ask the VM as well. */
	st->cap_guest_memfd_vm = check_extension(vm_fd, KVM_CAP_GUEST_MEMFD);
	st->gmem_flags = (uint64_t)check_extension(vm_fd, KVM_CAP_GUEST_MEMFD_FLAGS);
	if (cfg->gmem_flags & ~st->gmem_flags) {
		close(vm_fd);
		return gb_fail(
			GB_EXIT_UNSUPPORTED,
			"guest_memfd flags 0x%llx not supported on this kernel and VM type (supported: 0x%llx)",
			(unsigned long long)cfg->gmem_flags, (unsigned long long)st->gmem_flags);
	}

	ret = trial_create(cfg, vm_fd);
	if (ret || cfg->vm_sharing != GB_VM_SHARED)
		close(vm_fd);
	else
		st->shared_vm_fd = vm_fd;
	return ret;
}

static int gmem_open(struct gb_backend *be)
{
	struct gmem_state *st = calloc(1, sizeof(*st));
	int ret;

	if (!st)
		return gb_fail(GB_EXIT_NOMEM, "out of memory");
	st->kvm_fd = -1;
	st->shared_vm_fd = -1;
	be->priv = st;

	ret = open_device(st, be->cfg->kvm_path);
	if (!ret)
		ret = gmem_probe(st, be->cfg);
	return ret;
}

static void gmem_describe(const struct gb_backend *be, json_t *out)
{
	const struct gmem_state *st = be->priv;
	json_t *types = json_array();
	unsigned int t;

	for (t = 0; t < 64; t++)
		if (st->vm_types & (1ULL << t))
			json_array_append_new(types, json_string(gb_vm_type_name(t)));

	json_object_set_new(out, "device", json_string(be->cfg->kvm_path));
	json_object_set_new(out, "api_version", json_integer(st->api_version));
	json_object_set_new(out, "cap_guest_memfd", json_integer(st->cap_guest_memfd));
	json_object_set_new(out, "cap_guest_memfd_vm", json_integer(st->cap_guest_memfd_vm));
	json_object_set_new(out, "cap_vm_types_mask", json_integer((json_int_t)st->vm_types));
	json_object_set_new(out, "vm_types", types);
	json_object_set_new(out, "cap_guest_memfd_flags_mask",
			    json_integer((json_int_t)st->gmem_flags));
	json_object_set_new(out, "flag_mmap", json_boolean(st->gmem_flags & GUEST_MEMFD_FLAG_MMAP));
	json_object_set_new(out, "flag_init_shared",
			    json_boolean(st->gmem_flags & GUEST_MEMFD_FLAG_INIT_SHARED));
	json_object_set_new(out, "vm_type", json_string(gb_vm_type_name(be->cfg->vm_type)));
	json_object_set_new(out, "vm_type_number", json_integer((json_int_t)be->cfg->vm_type));
	json_object_set_new(out, "vm_sharing",
			    json_string(gb_vm_sharing_names[be->cfg->vm_sharing]));
}

static unsigned int gmem_caps(const struct gb_config *cfg)
{
	return GB_BACKEND_VM | (cfg->gmem_flags & GUEST_MEMFD_FLAG_MMAP ? GB_BACKEND_MMAP : 0);
}

/* The series' own cache where the kernel has it, else the generic one. */
static const char *gmem_inode_cache(const struct gb_slabinfo *si)
{
	if (gb_slabinfo_find(si, "kvm_gmem_inode_cache") ||
	    !access("/sys/kernel/slab/kvm_gmem_inode_cache", F_OK))
		return "kvm_gmem_inode_cache";
	return "inode_cache";
}

/* A worker's own: the VM it creates files on and the ioctl's argument. */
struct gmem_thread {
	struct kvm_create_guest_memfd args;
	int vm_fd;
	bool own_vm; /* vm_fd is this thread's own and must be closed */
};

static int gmem_thread_open(struct gb_backend *be, struct gb_backend_thread *bt)
{
	struct gmem_thread *t = gb_backend_thread_priv(bt, struct gmem_thread);
	struct gmem_state *st = be->priv;
	int fd;

	t->args = (struct kvm_create_guest_memfd){
		.size = be->cfg->file_size,
		.flags = be->cfg->gmem_flags,
	};
	if (be->cfg->vm_sharing == GB_VM_SHARED) {
		t->vm_fd = st->shared_vm_fd;
		return 0;
	}
	fd = create_vm(st, be->cfg->vm_type);
	if (fd < 0)
		return -fd;
	t->vm_fd = fd;
	t->own_vm = true;
	return 0;
}

static int gmem_create(const struct gb_backend_thread *bt)
{
	const struct gmem_thread *t = gb_backend_thread_priv(bt, const struct gmem_thread);
	int fd = ioctl(t->vm_fd, KVM_CREATE_GUEST_MEMFD, &t->args);

	return fd < 0 ? -errno : fd;
}

static int64_t gmem_bare_loop(const struct gb_backend_thread *bt, uint64_t n)
{
	const struct gmem_thread *t = gb_backend_thread_priv(bt, const struct gmem_thread);
	struct kvm_create_guest_memfd args = t->args;
	uint64_t start = gb_now_ns(), i;
	int fd;

	for (i = 0; i < n; i++) {
		fd = ioctl(t->vm_fd, KVM_CREATE_GUEST_MEMFD, &args);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	return (int64_t)(gb_now_ns() - start);
}

static void gmem_thread_close(struct gb_backend *be, struct gb_backend_thread *bt)
{
	struct gmem_thread *t = gb_backend_thread_priv(bt, struct gmem_thread);

	(void)be;
	if (t->own_vm)
		close(t->vm_fd);
	t->own_vm = false;
}

static void gmem_close(struct gb_backend *be)
{
	struct gmem_state *st = be->priv;

	if (!st)
		return;
	if (st->shared_vm_fd >= 0)
		close(st->shared_vm_fd);
	if (st->kvm_fd >= 0)
		close(st->kvm_fd);
	free(st);
	be->priv = NULL;
}

const struct gb_backend_ops gb_backend_gmem = {
	.name = "gmem",
	.summary = "guest_memfd via KVM_CREATE_GUEST_MEMFD",
	.caps = gmem_caps,
	.inode_cache = gmem_inode_cache,
	.open = gmem_open,
	.describe = gmem_describe,
	.thread_open = gmem_thread_open,
	.create = gmem_create,
	.bare_loop = gmem_bare_loop,
	.thread_close = gmem_thread_close,
	.close = gmem_close,
};
