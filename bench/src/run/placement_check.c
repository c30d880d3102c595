// SPDX-License-Identifier: GPL-2.0
/*
 * "gmem-bench placement-check": whether a file's pages land where its NUMA
 * policy says (placement_check.h).
 *
 * Two rules make the checks able to fail:
 *  - the task is bound (MPOL_BIND) to its own node, and every file policy
 *    names another node, the farthest with memory: a kernel that ignores
 *    the file's policy puts the pages on the task's node, where a check
 *    whose two policies agree would pass;
 *  - the policy must outlive the mapping: it is checked again after
 *    munmap() and mmap(), after a hole punch, and for fallocate(), which
 *    has no mapping at all.
 * Pages are only asked where they are (move_pages() without nodes), never
 * moved: guest_memfd folios cannot migrate (its migrate_folio() WARNs).
 * Private memory cannot be mapped: its placement shows only in the nodes'
 * FilePages.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <numa.h>
#include <numaif.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <jansson.h>

#include "backend.h"
#include "cli.h"
#include "config.h"
#include "errors.h"
#include "json_file.h"
#include "kvm_compat.h"
#include "opt_table.h"
#include "options.h"
#include "placement.h"
#include "placement_check.h"
#include "slabinfo.h"
#include "version.h"

/* Pages of a mapped file: two of each per-range bind, and halves. */
#define SHARED_PAGES 8
/* Private memory shows only in FilePages: enough to stand out of noise. */
#define PRIVATE_BYTES (4UL << 20)
#define MAXNODE (8 * sizeof(unsigned long))
/* No such mode: mbind() must refuse it. */
#define INVALID_MODE 100

enum pc_verdict { PC_PASS, PC_FAIL, PC_SKIP };
static const char *const verdict_names[] = { "PASS", "FAIL", "SKIP" };

/* A kind of file to check, from a backend opened with a config of its own. */
struct pc_source {
	struct gb_config cfg;
	struct gb_backend be;
	struct gb_backend_thread bt;
	bool ready;
	char why[256]; /* why not ready: the reason of its checks' SKIP */
};

struct pc_ctx {
	size_t page;
	int local;  /* the task's node: its CPU's, and its MPOL_BIND */
	int remote; /* the node every file policy names */
	struct pc_source shared;  /* mapped and faulted */
	struct pc_source private; /* guest_memfd of a VM with private memory */
};

struct pc_result {
	enum pc_verdict verdict;
	char detail[320];
};

struct pc_file {
	int fd;
	char *addr; /* MAP_FAILED when not mapped */
	size_t len;
};

static __printf(3, 4) void verdict(struct pc_result *r, enum pc_verdict v, const char *fmt, ...)
{
	va_list ap;

	r->verdict = v;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
}

static const char *mode_name(int mode)
{
	switch (mode) {
	case MPOL_DEFAULT:
		return "MPOL_DEFAULT";
	case MPOL_PREFERRED:
		return "MPOL_PREFERRED";
	case MPOL_BIND:
		return "MPOL_BIND";
	case MPOL_INTERLEAVE:
		return "MPOL_INTERLEAVE";
	}
	return "another mode";
}

static const char *mask_text(unsigned long mask, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int n;

	buf[0] = '\0';
	for (n = 0; n < MAXNODE && used < len; n++)
		if (mask & (1UL << n))
			used += (size_t)snprintf(buf + used, len - used, "%s%u", used ? "," : "", n);
	if (!used)
		snprintf(buf, len, "none");
	return buf;
}

/*
 * A SIGBUS while touching (a kernel that maps a file it cannot fault in)
 * fails the check instead of killing the program.
 */
static sigjmp_buf touch_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(touch_jmp, 1);
}

static __attribute__((noinline)) void touch_pages(volatile char *addr, size_t page, size_t first, size_t n, bool write)
{
	char sink = 0;
	size_t i;

	for (i = first; i < first + n; i++) {
		if (write)
			addr[i * page] = 1;
		else
			sink += addr[i * page];
	}
	(void)sink;
}

/* Write (or read) one byte of pages [first, first + n); 0 or -EFAULT. */
static int touch(const struct pc_ctx *c, struct pc_file *f, size_t first, size_t n, bool write)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int ret = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(touch_jmp, 1))
		ret = -EFAULT;
	else
		touch_pages(f->addr, c->page, first, n, write);
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

static int map_file(struct pc_file *f)
{
	f->addr = mmap(NULL, f->len, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
	return f->addr == MAP_FAILED ? -errno : 0;
}

static void unmap_file(struct pc_file *f)
{
	if (f->addr != MAP_FAILED)
		munmap(f->addr, f->len);
	f->addr = MAP_FAILED;
}

/* A new file of @s, mapped shared: 0, or the check failed with why. */
static int open_file(struct pc_source *s, struct pc_file *f, struct pc_result *r)
{
	int err;

	f->addr = MAP_FAILED;
	f->len = (size_t)s->cfg.file_size;
	f->fd = s->be.ops->create(&s->bt);
	if (f->fd < 0) {
		verdict(r, PC_FAIL, "creating a file failed: %s", strerror(-f->fd));
		return -1;
	}
	err = map_file(f);
	if (err) {
		verdict(r, PC_FAIL, "mmap() of the file failed: %s", strerror(-err));
		close(f->fd);
		return -1;
	}
	return 0;
}

static void close_file(struct pc_file *f)
{
	unmap_file(f);
	close(f->fd);
}

/* mbind() pages [first, first + n) of the mapping; 0 or -errno. */
static int bind_pages(const struct pc_ctx *c, struct pc_file *f, size_t first, size_t n, int mode,
		      unsigned long mask)
{
	bool none = mode == MPOL_DEFAULT;

	return mbind(f->addr + first * c->page, n * c->page, mode, none ? NULL : &mask,
		     none ? 0 : MAXNODE, 0) ?
		       -errno :
		       0;
}

static int bind_file(const struct pc_ctx *c, struct pc_file *f, int mode, unsigned long mask,
		     struct pc_result *r)
{
	char nodes[64];
	int err = bind_pages(c, f, 0, f->len / c->page, mode, mask);

	if (err)
		verdict(r, PC_FAIL, "mbind(%s, nodes %s) failed: %s", mode_name(mode),
			mask_text(mask, nodes, sizeof(nodes)), strerror(-err));
	return err;
}

/* Pages [first, first + n) per node (unmapped or unknown: in @nowhere). */
static int pages_per_node(const struct pc_ctx *c, struct pc_file *f, size_t first, size_t n,
			  unsigned int *per_node, unsigned int *nowhere)
{
	void *pages[SHARED_PAGES];
	int status[SHARED_PAGES];
	size_t i;

	memset(per_node, 0, GB_MAX_NODES * sizeof(*per_node));
	*nowhere = 0;
	for (i = 0; i < n && i < SHARED_PAGES; i++)
		pages[i] = f->addr + (first + i) * c->page;
	if (move_pages(0, (unsigned long)i, pages, NULL, status, 0))
		return -errno;
	while (i--) {
		if (status[i] >= 0 && status[i] < GB_MAX_NODES)
			per_node[status[i]]++;
		else
			(*nowhere)++;
	}
	return 0;
}

/* "3 on node 0, 1 on node 1", or "none". */
static const char *spread_text(const unsigned int *per_node, unsigned int nowhere, char *buf,
			       size_t len)
{
	size_t used = 0;
	unsigned int n;

	buf[0] = '\0';
	for (n = 0; n < GB_MAX_NODES && used < len; n++)
		if (per_node[n])
			used += (size_t)snprintf(buf + used, len - used, "%s%u on node %u",
						 used ? ", " : "", per_node[n], n);
	if (nowhere && used < len)
		used += (size_t)snprintf(buf + used, len - used, "%s%u not present",
					 used ? ", " : "", nowhere);
	if (!used)
		snprintf(buf, len, "none");
	return buf;
}

/*
 * Whether pages [first, first + n) are all on @node; on a failure the
 * verdict says where they are.  @when prefixes the detail.
 */
static bool all_on(const struct pc_ctx *c, struct pc_file *f, size_t first, size_t n, int node,
		   const char *when, struct pc_result *r)
{
	unsigned int per_node[GB_MAX_NODES], nowhere;
	char spread[160];
	int err = pages_per_node(c, f, first, n, per_node, &nowhere);

	if (err) {
		verdict(r, PC_FAIL, "%smove_pages() failed: %s", when, strerror(-err));
		return false;
	}
	if (per_node[node] == n) {
		verdict(r, PC_PASS, "%s%zu of %zu pages on node %d", when, n, n, node);
		return true;
	}
	verdict(r, PC_FAIL, "%s%u of %zu pages on node %d: %s", when, per_node[node], n, node,
		spread_text(per_node, nowhere, spread, sizeof(spread)));
	return false;
}

/* The policy the kernel reports at the mapping's first byte is @mode, @mask. */
static bool reads_back(struct pc_file *f, int mode, unsigned long mask, const char *when,
		       struct pc_result *r)
{
	unsigned long got_mask = 0;
	char want[64], got[64];
	int got_mode = -1;

	if (get_mempolicy(&got_mode, &got_mask, MAXNODE, f->addr, MPOL_F_ADDR)) {
		verdict(r, PC_FAIL, "%sget_mempolicy(MPOL_F_ADDR) failed: %s", when,
			strerror(errno));
		return false;
	}
	if (got_mode != mode || got_mask != mask) {
		verdict(r, PC_FAIL, "%sthe kernel reports %s nodes %s, not %s nodes %s", when,
			mode_name(got_mode), mask_text(got_mask, got, sizeof(got)),
			mode_name(mode), mask_text(mask, want, sizeof(want)));
		return false;
	}
	verdict(r, PC_PASS, "%sreads back %s nodes %s", when, mode_name(mode),
		mask_text(mask, want, sizeof(want)));
	return true;
}

static void readback(struct pc_ctx *c, struct pc_result *r, int mode, unsigned long mask)
{
	struct pc_file f;

	if (open_file(&c->shared, &f, r))
		return;
	if (!bind_file(c, &f, mode, mask, r))
		reads_back(&f, mode, mask, "", r);
	close_file(&f);
}

static void check_readback_bind(struct pc_ctx *c, struct pc_result *r)
{
	readback(c, r, MPOL_BIND, 1UL << c->remote);
}

static void check_readback_interleave(struct pc_ctx *c, struct pc_result *r)
{
	readback(c, r, MPOL_INTERLEAVE, (1UL << c->remote) | (1UL << c->local));
}

static void check_readback_preferred(struct pc_ctx *c, struct pc_result *r)
{
	readback(c, r, MPOL_PREFERRED, 1UL << c->remote);
}

/* MPOL_DEFAULT removes the file's policy: pages follow the task's again. */
static void check_default_reset(struct pc_ctx *c, struct pc_result *r)
{
	struct pc_file f;

	if (open_file(&c->shared, &f, r))
		return;
	if (!bind_file(c, &f, MPOL_BIND, 1UL << c->remote, r) &&
	    !bind_file(c, &f, MPOL_DEFAULT, 0, r) && reads_back(&f, MPOL_DEFAULT, 0, "", r)) {
		if (touch(c, &f, 0, SHARED_PAGES, true))
			verdict(r, PC_FAIL, "SIGBUS touching the mapping");
		else
			all_on(c, &f, 0, SHARED_PAGES, c->local,
			       "reads back MPOL_DEFAULT; on the task's node: ", r);
	}
	close_file(&f);
}

static void check_invalid_mode(struct pc_ctx *c, struct pc_result *r)
{
	unsigned long mask = 1UL << c->remote;
	struct pc_file f;
	int ret;

	if (open_file(&c->shared, &f, r))
		return;
	ret = mbind(f.addr, f.len, INVALID_MODE, &mask, MAXNODE, 0);
	if (!ret)
		verdict(r, PC_FAIL, "mbind() took mode %d", INVALID_MODE);
	else if (errno != EINVAL)
		verdict(r, PC_FAIL, "mbind() with mode %d: %s, expected EINVAL", INVALID_MODE,
			strerror(errno));
	else
		verdict(r, PC_PASS, "mode %d refused with EINVAL", INVALID_MODE);
	close_file(&f);
}

/* Bind the whole file, fault every page in, see where they went. */
static void fault(struct pc_ctx *c, struct pc_result *r, int mode)
{
	unsigned int per_node[GB_MAX_NODES], nowhere;
	unsigned long mask = 1UL << c->remote;
	char spread[160];
	struct pc_file f;
	int err;

	if (mode == MPOL_INTERLEAVE)
		mask |= 1UL << c->local;
	if (open_file(&c->shared, &f, r))
		return;
	if (bind_file(c, &f, mode, mask, r))
		goto out;
	if (touch(c, &f, 0, SHARED_PAGES, true)) {
		verdict(r, PC_FAIL, "SIGBUS touching the mapping");
		goto out;
	}
	if (mode != MPOL_INTERLEAVE) {
		all_on(c, &f, 0, SHARED_PAGES, c->remote, "", r);
		goto out;
	}
	/* Interleaved over two nodes: half of the pages on each, give or take one. */
	err = pages_per_node(c, &f, 0, SHARED_PAGES, per_node, &nowhere);
	if (err) {
		verdict(r, PC_FAIL, "move_pages() failed: %s", strerror(-err));
		goto out;
	}
	spread_text(per_node, nowhere, spread, sizeof(spread));
	if (per_node[c->local] + per_node[c->remote] == SHARED_PAGES &&
	    abs((int)per_node[c->local] - (int)per_node[c->remote]) <= 1)
		verdict(r, PC_PASS, "%s", spread);
	else
		verdict(r, PC_FAIL, "%s, expected %d on each of nodes %d and %d", spread,
			SHARED_PAGES / 2, c->local, c->remote);
out:
	close_file(&f);
}

static void check_fault_bind(struct pc_ctx *c, struct pc_result *r)
{
	fault(c, r, MPOL_BIND);
}

static void check_fault_preferred(struct pc_ctx *c, struct pc_result *r)
{
	fault(c, r, MPOL_PREFERRED);
}

static void check_fault_interleave(struct pc_ctx *c, struct pc_result *r)
{
	fault(c, r, MPOL_INTERLEAVE);
}

/* The policy is the file's: after munmap() and mmap() it is still there. */
static void check_remap(struct pc_ctx *c, struct pc_result *r)
{
	unsigned long mask = 1UL << c->remote;
	struct pc_file f;
	int err;

	if (open_file(&c->shared, &f, r))
		return;
	if (bind_file(c, &f, MPOL_BIND, mask, r))
		goto out;
	if (touch(c, &f, 0, SHARED_PAGES / 2, true)) {
		verdict(r, PC_FAIL, "SIGBUS touching the mapping");
		goto out;
	}
	unmap_file(&f);
	err = map_file(&f);
	if (err) {
		verdict(r, PC_FAIL, "mmap() again failed: %s", strerror(-err));
		goto out;
	}
	if (!reads_back(&f, MPOL_BIND, mask, "mapped again: ", r))
		goto out;
	/* The first half mapped again (move_pages() sees mapped pages only), the rest made. */
	if (touch(c, &f, 0, SHARED_PAGES, true)) {
		verdict(r, PC_FAIL, "SIGBUS touching the new mapping");
		goto out;
	}
	all_on(c, &f, 0, SHARED_PAGES, c->remote,
	       "mapped again, policy read back; pages before and after: ", r);
out:
	close_file(&f);
}

/* Pages allocated again after a hole punch follow the file's policy. */
static void check_hole_punch(struct pc_ctx *c, struct pc_result *r)
{
	struct pc_file f;

	if (open_file(&c->shared, &f, r))
		return;
	if (bind_file(c, &f, MPOL_BIND, 1UL << c->remote, r))
		goto out;
	if (touch(c, &f, 0, SHARED_PAGES, true)) {
		verdict(r, PC_FAIL, "SIGBUS touching the mapping");
		goto out;
	}
	if (fallocate(f.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)(2 * c->page))) {
		verdict(r, PC_FAIL, "punching pages 0-1 failed: %s", strerror(errno));
		goto out;
	}
	if (touch(c, &f, 0, 2, true))
		verdict(r, PC_FAIL, "SIGBUS touching the punched pages");
	else
		all_on(c, &f, 0, 2, c->remote, "pages 0-1 after the punch: ", r);
out:
	close_file(&f);
}

/*
 * The upstream selftest's pattern: pages 0-1 bound to one node and 2-3 to
 * the other, then punched and bound the other way round.
 */
static void check_per_range(struct pc_ctx *c, struct pc_result *r)
{
	int round, first_node, second_node, err;
	char when[64];
	struct pc_file f;

	if (open_file(&c->shared, &f, r))
		return;
	for (round = 0; round < 2; round++) {
		first_node = round ? c->local : c->remote;
		second_node = round ? c->remote : c->local;
		err = bind_pages(c, &f, 0, 2, MPOL_BIND, 1UL << first_node);
		if (!err)
			err = bind_pages(c, &f, 2, 2, MPOL_BIND, 1UL << second_node);
		if (err) {
			verdict(r, PC_FAIL, "mbind() of pages 0-1 or 2-3 failed: %s",
				strerror(-err));
			break;
		}
		if (touch(c, &f, 0, 4, true)) {
			verdict(r, PC_FAIL, "SIGBUS touching the mapping");
			break;
		}
		snprintf(when, sizeof(when), "%spages 0-1: ", round ? "punched, swapped; " : "");
		if (!all_on(c, &f, 0, 2, first_node, when, r))
			break;
		snprintf(when, sizeof(when), "%spages 2-3: ", round ? "punched, swapped; " : "");
		if (!all_on(c, &f, 2, 2, second_node, when, r))
			break;
		if (!round &&
		    fallocate(f.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			      (off_t)(4 * c->page))) {
			verdict(r, PC_FAIL, "punching pages 0-3 failed: %s", strerror(errno));
			break;
		}
	}
	if (round == 2)
		verdict(r, PC_PASS, "pages 0-1 on node %d and 2-3 on node %d, then swapped",
			c->remote, c->local);
	close_file(&f);
}

/* fallocate() has no mapping: it must find the policy in the file. */
static void check_fallocate(struct pc_ctx *c, struct pc_result *r)
{
	struct pc_file f;
	int err;

	if (open_file(&c->shared, &f, r))
		return;
	if (bind_file(c, &f, MPOL_BIND, 1UL << c->remote, r))
		goto out;
	unmap_file(&f);
	if (fallocate(f.fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)f.len)) {
		verdict(r, PC_FAIL, "fallocate() failed: %s", strerror(errno));
		goto out;
	}
	/* Mapped again and read: the pages fallocate() made, not new ones. */
	err = map_file(&f);
	if (err)
		verdict(r, PC_FAIL, "mmap() after fallocate() failed: %s", strerror(-err));
	else if (touch(c, &f, 0, SHARED_PAGES, false))
		verdict(r, PC_FAIL, "SIGBUS reading the mapping");
	else
		all_on(c, &f, 0, SHARED_PAGES, c->remote, "fallocate()d with no mapping: ", r);
out:
	close_file(&f);
}

/*
 * Private memory of a VM with private memory: mapped (GUEST_MEMFD_FLAG_MMAP)
 * only to mbind() it, never faulted; fallocate() makes its pages, and the
 * nodes' FilePages say where.
 */
static void check_private(struct pc_ctx *c, struct pc_result *r)
{
	uint64_t before[GB_MAX_NODES] = { 0 }, after[GB_MAX_NODES] = { 0 };
	int64_t remote_kb, local_kb, want_kb;
	struct pc_file f;

	if (open_file(&c->private, &f, r))
		return;
	if (bind_file(c, &f, MPOL_BIND, 1UL << c->remote, r))
		goto out;
	unmap_file(&f);
	gb_nodes_file_kb(before);
	if (fallocate(f.fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)f.len)) {
		verdict(r, PC_FAIL, "fallocate() failed: %s", strerror(errno));
		goto out;
	}
	gb_nodes_file_kb(after);
	want_kb = (int64_t)(f.len / 1024);
	remote_kb = (int64_t)after[c->remote] - (int64_t)before[c->remote];
	local_kb = (int64_t)after[c->local] - (int64_t)before[c->local];
	/* Other activity moves FilePages too: nine tenths, not every page. */
	verdict(r, remote_kb >= want_kb * 9 / 10 && local_kb < want_kb / 10 ? PC_PASS : PC_FAIL,
		"%lld kB fallocate()d: FilePages node %d %+lld kB, node %d %+lld kB",
		(long long)want_kb, c->remote, (long long)remote_kb, c->local,
		(long long)local_kb);
out:
	close_file(&f);
}

static const struct pc_check {
	const char *name;
	const char *what;
	bool private; /* on the private source */
	void (*run)(struct pc_ctx *c, struct pc_result *r);
} checks[] = {
	{ "readback-bind", "mbind(MPOL_BIND) reads back", false, check_readback_bind },
	{ "readback-interleave", "mbind(MPOL_INTERLEAVE) reads back", false,
	  check_readback_interleave },
	{ "readback-preferred", "mbind(MPOL_PREFERRED) reads back", false,
	  check_readback_preferred },
	{ "default-reset", "MPOL_DEFAULT removes the file's policy", false, check_default_reset },
	{ "invalid-mode", "an invalid mode is refused", false, check_invalid_mode },
	{ "fault-bind", "faults follow the file's MPOL_BIND", false, check_fault_bind },
	{ "fault-preferred", "faults follow the file's MPOL_PREFERRED", false,
	  check_fault_preferred },
	{ "fault-interleave", "faults interleave over the file's nodes", false,
	  check_fault_interleave },
	{ "remap", "the policy outlives munmap() and mmap()", false, check_remap },
	{ "hole-punch", "pages made again after a hole punch follow it", false, check_hole_punch },
	{ "per-range", "ranges bound to different nodes, punched, swapped", false,
	  check_per_range },
	{ "fallocate", "fallocate() follows the file's policy", false, check_fallocate },
	{ "private", "private memory follows it (FilePages per node)", true, check_private },
};

/* The backend's files under @cfg, opened: or the reason why not, in @s->why. */
static void open_source(struct pc_source *s, const struct gb_config *cfg)
{
	int err;

	s->cfg = *cfg;
	s->be = (struct gb_backend){ .ops = cfg->backend, .cfg = &s->cfg };
	s->bt.be = &s->be;
	if (s->be.ops->open(&s->be)) {
		snprintf(s->why, sizeof(s->why), "%s", gb_error_message());
		gb_error_reset();
		return;
	}
	s->be.opened = true;
	err = s->be.ops->thread_open ? s->be.ops->thread_open(&s->be, &s->bt) : 0;
	if (err) {
		snprintf(s->why, sizeof(s->why), "%s", strerror(err));
		return;
	}
	s->ready = true;
}

static void close_source(struct pc_source *s)
{
	if (s->be.opened && s->be.ops->thread_close)
		s->be.ops->thread_close(&s->be, &s->bt);
	if (s->be.ops && s->be.ops->close)
		s->be.ops->close(&s->be);
}

/* Pinned to this CPU, bound to its node; the file node chosen. */
static int choose_nodes(struct pc_ctx *c)
{
	unsigned long mask;
	int cpu = sched_getcpu(), err;

	if (numa_available() < 0)
		return gb_fail(GB_EXIT_NUMA, "the kernel has no NUMA support");
	err = cpu < 0 ? errno : gb_pin_to_cpu(cpu);
	if (err)
		return gb_fail_errno(GB_EXIT_NUMA, err, "cannot pin to a CPU");
	c->local = numa_node_of_cpu(cpu);
	if (c->local < 0 || c->local >= GB_MAX_NODES)
		return gb_fail(GB_EXIT_NUMA, "CPU %d has no NUMA node", cpu);
	c->remote = gb_other_node(c->local, true);
	if (c->remote < 0)
		return gb_fail(
			GB_EXIT_NUMA,
			"one NUMA node with memory: a file policy cannot disagree with the task's (two needed)");
	mask = 1UL << c->local;
	if (set_mempolicy(MPOL_BIND, &mask, MAXNODE))
		return gb_fail_errno(GB_EXIT_NUMA, errno, "set_mempolicy(MPOL_BIND, node %d)",
				     c->local);
	return 0;
}

struct pc_args {
	const char *backend;
	const char *json_path;
	const char *kvm_path;
	bool quiet;
};

#define FIELD(member) offsetof(struct pc_args, member)
static const struct gb_opt opts[] = {
	{ "backend", 'b', required_argument, "NAME", gb_opt_nonempty, FIELD(backend),
	  .def = "gmem", .want = "gmem or memfd",
	  .help = "gmem (mapped with GUEST_MEMFD_FLAG_MMAP|INIT_SHARED;\n"
		  "private memory from a sw-protected VM), or memfd: shmem,\n"
		  "the reference that has shared policies" },
	{ "json", 'j', required_argument, "FILE", gb_opt_string, FIELD(json_path),
	  .help = "write the verdicts here (atomically)" },
	{ "kvm-dev", 0, required_argument, "PATH", gb_opt_string, FIELD(kvm_path),
	  .def = "/dev/kvm", .help = "KVM device" },
	{ "quiet", 'q', no_argument, NULL, gb_opt_set_true, FIELD(quiet),
	  .help = "no line per check, only the summary" },
	{ "version", 'V', no_argument, NULL, NULL, .help = "version and git revision" },
	{ "help", 'h', no_argument, NULL, NULL, .help = "this text" },
};
#undef FIELD

static const struct gb_opt_table table = {
	.prog = "gmem-bench placement-check",
	.opts = opts,
	.nopts = ARRAY_SIZE(opts),
};

static void usage(FILE *out)
{
	fputs("usage: gmem-bench placement-check [OPTIONS]\n"
	      "Whether a file's pages land where its NUMA policy says: the task is\n"
	      "bound to its own node, each file policy names the farthest other node,\n"
	      "and the checks repeat after re-mmap, a hole punch and fallocate().\n\n",
	      out);
	gb_opt_print_help(out, &table);
	fputs("\nExit codes: 0 every check passed (a SKIP says what is missing), 1 a check\n"
	      "failed, 2 usage, 3-6 no KVM, no permission, no guest_memfd, or a flag\n"
	      "refused (GUEST_MEMFD_FLAG_MMAP: nothing to check), 9 output not written,\n"
	      "10 fewer than two NUMA nodes with memory.\n",
	      out);
}

static json_t *check_json(const struct pc_check *k, const struct pc_result *r)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "name", k->name, "what", k->what, "result",
			 verdict_names[r->verdict], "detail", r->detail);
}

static int run_checks(struct pc_ctx *c, const struct pc_args *a, json_t *doc)
{
	unsigned int counts[3] = { 0 };
	json_t *list = json_array();
	struct pc_result r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(checks); i++) {
		const struct pc_source *s = checks[i].private ? &c->private : &c->shared;

		if (!s->ready)
			verdict(&r, PC_SKIP, "%s", s->why);
		else
			checks[i].run(c, &r);
		counts[r.verdict]++;
		json_array_append_new(list, check_json(&checks[i], &r));
		if (!a->quiet)
			printf("  %s %-20s %s\n", verdict_names[r.verdict], checks[i].name, r.detail);
	}
	printf("placement: %zu checks, %u passed, %u failed, %u skipped (%s; task bound to node %d, files to node %d)\n",
	       ARRAY_SIZE(checks), counts[PC_PASS], counts[PC_FAIL], counts[PC_SKIP], a->backend,
	       c->local, c->remote);
	json_object_set_new(doc, "checks", list);
	json_object_set_new(doc, "passed", json_integer(counts[PC_PASS]));
	json_object_set_new(doc, "failed", json_integer(counts[PC_FAIL]));
	json_object_set_new(doc, "skipped", json_integer(counts[PC_SKIP]));
	json_object_set_new(doc, "verdict", json_string(counts[PC_FAIL] ? "fail" : "pass"));
	return counts[PC_FAIL] ? GB_EXIT_FAILURE : 0;
}

static int check_placement(const struct pc_args *a)
{
	struct pc_ctx c = { .page = (size_t)sysconf(_SC_PAGESIZE) };
	struct gb_config cfg;
	struct utsname u;
	json_t *doc;
	int ret;

	gb_config_defaults(&cfg);
	cfg.backend = gb_backend_find(a->backend);
	/* A VM's files are mapped and faulted only with these flags. */
	if (cfg.backend && gb_backend_has(cfg.backend, GB_BACKEND_VM, &cfg))
		cfg.gmem_flags = GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED;
	if (!cfg.backend || !gb_backend_has(cfg.backend, GB_BACKEND_MMAP, &cfg))
		return gb_opt_bad_value(gb_opt_find(&table, "backend"), a->backend);
	ret = choose_nodes(&c);
	if (ret)
		return ret;
	cfg.kvm_path = a->kvm_path;
	cfg.file_size = SHARED_PAGES * c.page;
	open_source(&c.shared, &cfg);
	if (!c.shared.ready) {
		close_source(&c.shared);
		return gb_fail(GB_EXIT_UNSUPPORTED, "nothing to check: %s", c.shared.why);
	}
	if (gb_backend_has(cfg.backend, GB_BACKEND_VM, &cfg)) {
		cfg.vm_type = KVM_X86_SW_PROTECTED_VM;
		cfg.gmem_flags = GUEST_MEMFD_FLAG_MMAP;
		cfg.file_size = PRIVATE_BYTES;
		open_source(&c.private, &cfg);
	} else {
		snprintf(c.private.why, sizeof(c.private.why),
			 "%s files have no private memory", a->backend);
	}

	doc = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i}", "tool",
			"gmem-bench placement-check", "version", GB_VERSION, "backend", a->backend,
			"kernel", uname(&u) ? "unknown" : u.release, "task_node", c.local,
			"file_node", c.remote, "nodes", (int)gb_machine_nodes());
	ret = run_checks(&c, a, doc);
	if (a->json_path && gb_json_write_atomic(doc, a->json_path))
		ret = gb_error_code();
	json_decref(doc);
	close_source(&c.private);
	close_source(&c.shared);
	return ret;
}

int gb_placement_check_main(int argc, char **argv)
{
	struct pc_args a = { 0 };
	int operand, ret;

	gb_opt_defaults(&table, &a);
	switch (gb_opt_parse(&table, argc, argv, &a, NULL, usage, &operand)) {
	case GB_PARSE_EXIT_OK:
		return 0;
	case GB_PARSE_RUN:
		break;
	default:
		return gb_cli_error("gmem-bench placement-check");
	}
	if (operand < argc) {
		gb_fail(GB_EXIT_USAGE, "unexpected argument '%s' (see --help)", argv[operand]);
		return gb_cli_error("gmem-bench placement-check");
	}
	ret = check_placement(&a);
	if (ret && gb_error_code())
		return gb_cli_error("gmem-bench placement-check");
	return ret;
}
