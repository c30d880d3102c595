// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-bench's command line: one table, one entry per option (its names,
 * argument, handler and field, help and default), from which the parsing,
 * --help and the defaults all come (common/opt_table.c); then what the
 * options say together.  The value parsers live in options.c.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "collector.h"
#include "errors.h"
#include "idlist.h"
#include "options.h"
#include "util.h"
#include "workload.h"

#define FIELD(member) offsetof(struct gb_config, member)

static int parse_idlist(const struct gb_opt *o, const char *arg, void *cfg)
{
	unsigned int max_id;

	if (gb_idlist_check(arg, &max_id))
		return gb_opt_bad_value(o, arg);
	return gb_opt_string(o, arg, cfg);
}

static int parse_size(const struct gb_opt *o, const char *arg, void *cfg)
{
	uint64_t v;

	if (gb_parse_bytes(arg, &v) || (double)v < o->min)
		return gb_opt_bad_value(o, arg);
	*(uint64_t *)gb_opt_field(o, cfg) = v;
	return 0;
}

static int parse_seconds(const struct gb_opt *o, const char *arg, void *cfg)
{
	if (gb_parse_seconds(arg, (double *)gb_opt_field(o, cfg)))
		return gb_opt_bad_value(o, arg);
	return 0;
}

static int parse_backend(const struct gb_opt *o, const char *arg, void *target)
{
	struct gb_config *cfg = target;
	const struct gb_backend_ops *be = gb_backend_find(arg);

	if (!be)
		return gb_fail(GB_EXIT_USAGE, "invalid value '%s' for --%s: expected %s", arg,
			       o->name, gb_backend_names());
	cfg->backend = be;
	return 0;
}

static int parse_gmem_flags(const struct gb_opt *o, const char *arg, void *target)
{
	struct gb_config *cfg = target;

	return gb_parse_gmem_flags(arg, &cfg->gmem_flags) ? gb_opt_bad_value(o, arg) : 0;
}

static int parse_vm_type(const struct gb_opt *o, const char *arg, void *target)
{
	struct gb_config *cfg = target;

	return gb_parse_vm_type(arg, &cfg->vm_type) ? gb_opt_bad_value(o, arg) : 0;
}

static int parse_collect(const struct gb_opt *o, const char *arg, void *target)
{
	struct gb_config *cfg = target;

	cfg->collect = gb_parse_collect(arg);
	return cfg->collect ? 0 : gb_opt_bad_value(o, arg);
}

static int parse_remote_close(const struct gb_opt *o, const char *arg, void *target)
{
	struct gb_config *cfg = target;

	if (arg && strcmp(arg, "next") && strcmp(arg, "farthest"))
		return gb_opt_bad_value(o, arg);
	cfg->remote_close = true;
	cfg->remote_farthest = arg && !strcmp(arg, "farthest");
	return 0;
}

#define REQ required_argument
static const struct gb_opt opts[] = {
	{ "backend", 'b', REQ, "NAME", parse_backend, .def = "gmem", .section = "Files",
	  .help = "one of the backends above" },
	{ "size", 's', REQ, "BYTES", parse_size, FIELD(file_size), .min = 1, .def = "2M",
	  .want = "a size above 0, e.g. 4K or 2M", .help = "file size, page aligned" },
	{ "flags", 'f', REQ, "LIST", parse_gmem_flags, .def = "0",
	  .want = "mmap, init-shared, or a number",
	  .help = "guest_memfd flags: mmap,init-shared or a number" },
	{ "populate", 0, REQ, "BYTES", parse_size, FIELD(populate), .min = 1,
	  .want = "a size above 0",
	  .help = "fallocate() this much of each file after creating it" },
	{ "vm", 0, REQ, "shared|per-thread", gb_opt_enum, FIELD(vm_sharing),
	  .names = gb_vm_sharing_names, .def = "shared", .want = "shared or per-thread",
	  .help = "one VM for all threads, or one each" },
	{ "vm-type", 0, REQ, "TYPE", parse_vm_type, .def = "default",
	  .want = "default, sw-protected, sev, sev-es, snp, tdx or 0-63",
	  .help = "default, sw-protected, sev, sev-es, snp, tdx or a number" },
	{ "kvm-dev", 0, REQ, "PATH", gb_opt_string, FIELD(kvm_path), .def = "/dev/kvm",
	  .help = "KVM device" },

	{ "threads", 't', REQ, "N", gb_opt_uint, FIELD(threads), 1, 4096, "1 to 4096", "1",
	  "Threads and placement", "workers" },
	{ "procs", 0, no_argument, NULL, gb_opt_set_true, FIELD(procs),
	  .help = "workers are processes, not threads: each has its own\n"
		  "descriptor table (and VM), to go past RLIMIT_NOFILE" },
	{ "cpus", 0, REQ, "LIST", parse_idlist, FIELD(cpus), .want = "a list such as 0-3,8",
	  .help = "CPUs to run on, e.g. 0-3,8 (default: all allowed)" },
	{ "nodes", 0, REQ, "LIST", parse_idlist, FIELD(nodes), .want = "a list such as 0,1",
	  .help = "NUMA nodes to use (default: all with usable CPUs)" },
	{ "placement", 'p', REQ, "P", gb_opt_enum, FIELD(placement), .names = gb_placement_names,
	  .def = "spread", .want = "spread, fill or single",
	  .help = "spread (round robin over nodes), fill (node by node),\n"
		  "single (all on the first node)" },
	{ "remote-close", 0, optional_argument, "[=next|farthest]", parse_remote_close,
	  .want = "next or farthest",
	  .help = "hold: close each file on another node: the next in\n"
		  "the list (default), or the farthest by distance" },

	{ "duration", 'd', REQ, "SECS", parse_seconds, FIELD(duration_s),
	  .want = "from 1ms to a day, e.g. 2, 1.5s, 500ms", .section = "Amount and repetition",
	  .help = "churn: measured time per run (default 1s)" },
	{ "count", 'n', REQ, "N", gb_opt_u64, FIELD(count), 1, UINT64_MAX,
	  "a count above 0, e.g. 1000 or 1M",
	  .help = "churn: create+close pairs per thread;\n"
		  "hold: files in all (default 100k); k and M suffixes" },
	{ "bucket", 0, REQ, "N", gb_opt_u64, FIELD(bucket), 1, UINT64_MAX, "a count above 0",
	  .help = "hold: report create latency per N files a thread holds\n"
		  "(default: a tenth of its files)" },
	{ "at-peak", 0, REQ, "CMD", gb_opt_string, FIELD(at_peak),
	  .help = "hold: run shell command CMD while every file is open\n"
		  "(e.g. to snapshot /proc/slabinfo); it must exit 0" },
	{ "warmup", 'w', REQ, "N", gb_opt_u64, FIELD(warmup), 0, UINT64_MAX, "a count, 0 for none",
	  .def = "1000",
	  .help = "untimed create+close pairs per thread before each run;\n"
		  "hold takes 0 unless given (see README)" },
	{ "runs", 'r', REQ, "K", gb_opt_uint, FIELD(runs), 1, 10000, "1 to 10000", "3",
	  .help = "repetitions; every run's figures are kept" },

	{ "timing", 0, REQ, "MODE", gb_opt_enum, FIELD(timing), .names = gb_timing_names,
	  .def = "sampled", .want = "sampled, every or batch", .section = "Measurement",
	  .help = "sampled (time every Nth op), every, batch (phase totals only)" },
	{ "sample-every", 0, REQ, "N", gb_opt_uint, FIELD(sample_every), 1, 1000000, "1 to 1000000",
	  "64", .help = "sampled timing period" },
	{ "bare-check", 0, no_argument, NULL, gb_opt_set_true, FIELD(bare_check),
	  .help = "churn: also time a bare loop of the same syscalls each run" },
	{ "collect", 0, REQ, "LIST", parse_collect, .def = "slab,memcg,numa",
	  .want = "a list of slab, perf, memcg, numa, or all or none",
	  .help = "kernel-side collectors: slab, perf, memcg, numa, all, none;\n"
		  "perf counts kmem tracepoints, which slows the measured loop;\n"
		  "numa binds each worker's memory to its node and populates\n"
		  "mappable files by mapping and touching them, the others\n"
		  "get fallocate()" },

	{ "json", 'j', REQ, "FILE", gb_opt_string, FIELD(json_path), .section = "Output",
	  .help = "write every figure and the metadata to FILE (atomically)" },
	{ "label", 'l', REQ, "TEXT", gb_opt_string, FIELD(label),
	  .help = "label stored in the results (e.g. the kernel variant)" },
	{ "quiet", 'q', no_argument, NULL, gb_opt_set_true, FIELD(quiet),
	  .help = "no summary on stdout" },
	/* Handled before the table's handlers: they end the parse. */
	{ "help", 'h', no_argument, NULL, NULL, .help = "this text" },
	{ "version", 'V', no_argument, NULL, NULL, .help = "version and git revision" },
};
#undef REQ

#define NOPTS ARRAY_SIZE(opts)

static const struct gb_opt_table table = {
	.prog = "gmem-bench",
	.opts = opts,
	.nopts = NOPTS,
};

void gb_config_defaults(struct gb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	gb_opt_defaults(&table, cfg);
}

/* The registry's workloads or backends with their summaries. */
#define PRINT_LIST(out, list)                                                                \
	do {                                                                                 \
		unsigned int i_;                                                             \
		for (i_ = 0; (list)[i_]; i_++)                                               \
			fprintf(out, "  %-21s %s\n", (list)[i_]->name, (list)[i_]->summary); \
	} while (0)

void gb_usage(FILE *out)
{
	fputs("usage: gmem-bench [OPTIONS] WORKLOAD\n"
	      "       gmem-bench probe [--kvm-dev PATH]\n"
	      "       gmem-bench selftest [-j FILE] [-l LABEL] [-- SELFTEST-ARGS]\n"
	      "       gmem-bench placement-check [-b gmem|memfd] [-j FILE]\n\n"
	      "Create and close guest_memfd (or memfd) files and measure what it costs.\n\n"
	      "Workloads:\n",
	      out);
	PRINT_LIST(out, gb_workload_list());
	fputs("\nBackends (-b):\n", out);
	PRINT_LIST(out, gb_backend_list());
	fputs("\nprobe prints the KVM/guest_memfd capabilities of this kernel.\n"
	      "selftest runs the KVM selftest guest_memfd_perf_test (gmem-kst) and records\n"
	      "its figures as a result (gmem-bench selftest --help).\n"
	      "placement-check: do a file's pages land where its NUMA policy says?\n"
	      "(gmem-bench placement-check --help)\n",
	      out);
	gb_opt_print_help(out, &table);
	fputs("\nExit codes: 0 ok, 1 system error, 2 usage, 3 no KVM device, 4 permission,\n"
	      "5 no guest_memfd, 6 flag or VM type unsupported, 7 file limit, 8 out of memory,\n"
	      "9 results not written, 10 CPUs or nodes unusable, 128+N interrupted by signal N.\n",
	      out);
}

/* Options given on the command line, by their index in opts[]. */
struct given {
	bool opt[ARRAY_SIZE(opts)];
};

static bool given(const struct given *g, const char *name)
{
	const struct gb_opt *o = gb_opt_find(&table, name);

	return o && g->opt[o - opts];
}

static int check_combination(struct gb_config *cfg, const struct given *g)
{
	bool vm = gb_backend_has(cfg->backend, GB_BACKEND_VM, cfg);
	long page = sysconf(_SC_PAGESIZE);

	if (!vm && (given(g, "flags") || given(g, "vm") || given(g, "vm-type")))
		return gb_fail(GB_EXIT_USAGE,
			       "--flags, --vm and --vm-type apply to the gmem backend only");
	if (cfg->procs && vm) {
		/* KVM refuses VM ioctls from any mm but the creator's. */
		if (given(g, "vm") && cfg->vm_sharing == GB_VM_SHARED)
			return gb_fail(
				GB_EXIT_USAGE,
				"--procs needs a VM per process: KVM only serves the process that created a VM");
		cfg->vm_sharing = GB_VM_PER_THREAD;
	}
	if (given(g, "sample-every") && given(g, "timing") && cfg->timing != GB_TIMING_SAMPLED)
		return gb_fail(GB_EXIT_USAGE, "--sample-every needs --timing sampled");
	if (cfg->file_size % (uint64_t)page)
		return gb_fail(GB_EXIT_USAGE,
			       "--size %llu is not a multiple of the page size (%ld)",
			       (unsigned long long)cfg->file_size, page);
	if (cfg->populate % (uint64_t)page)
		return gb_fail(GB_EXIT_USAGE,
			       "--populate %llu is not a multiple of the page size (%ld)",
			       (unsigned long long)cfg->populate, page);
	if (cfg->populate > cfg->file_size)
		return gb_fail(GB_EXIT_USAGE, "--populate %llu is larger than --size %llu",
			       (unsigned long long)cfg->populate,
			       (unsigned long long)cfg->file_size);
	if (given(g, "duration") && given(g, "count"))
		return gb_fail(GB_EXIT_USAGE, "--duration and --count both given: choose one");
	return cfg->workload->validate ? cfg->workload->validate(cfg) : 0;
}

enum gb_parse_result gb_parse_args(int argc, char **argv, struct gb_config *cfg)
{
	enum gb_parse_result parsed;
	struct given g = { 0 };
	const char *name;
	int operand;

	parsed = gb_opt_parse(&table, argc, argv, cfg, g.opt, gb_usage, &operand);
	if (parsed != GB_PARSE_RUN)
		return parsed;
	cfg->warmup_set = given(&g, "warmup");

	if (operand >= argc) {
		gb_fail(GB_EXIT_USAGE, "no workload given (%s, or probe)", gb_workload_names());
		return GB_PARSE_ERROR;
	}
	if (operand + 1 < argc) {
		gb_fail(GB_EXIT_USAGE, "unexpected argument '%s'", argv[operand + 1]);
		return GB_PARSE_ERROR;
	}
	name = argv[operand];
	if (!strcmp(name, "probe"))
		return GB_PARSE_PROBE;
	cfg->workload = gb_workload_find(name);
	if (!cfg->workload) {
		gb_fail(GB_EXIT_USAGE, "unknown workload '%s' (%s, or probe)", name,
			gb_workload_names());
		return GB_PARSE_ERROR;
	}
	if (cfg->workload->defaults)
		cfg->workload->defaults(cfg);
	if (check_combination(cfg, &g))
		return GB_PARSE_ERROR;
	return GB_PARSE_RUN;
}
