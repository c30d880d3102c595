// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "collector.h"
#include "errors.h"
#include "idlist.h"
#include "kvm_compat.h"
#include "options.h"
#include "util.h"
#include "version.h"
#include "workload.h"

#define MAX_THREADS 4096
#define MAX_RUNS 10000

void gb_config_defaults(struct gb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->backend = &gb_backend_gmem;
	cfg->threads = 1;
	cfg->placement = GB_PLACE_SPREAD;
	cfg->vm_sharing = GB_VM_SHARED;
	cfg->vm_type = KVM_X86_DEFAULT_VM;
	cfg->kvm_path = "/dev/kvm";
	cfg->file_size = 2ULL << 20;
	cfg->warmup = 1000;
	cfg->runs = 3;
	cfg->timing = GB_TIMING_SAMPLED;
	cfg->sample_every = 64;
	cfg->collect = "slab,memcg,numa";
}

/* The registry's workloads or backends with their summaries, for --help. */
#define PRINT_LIST(out, list)                                                          \
	do {                                                                           \
		unsigned int i_;                                                      \
		for (i_ = 0; (list)[i_]; i_++)                                        \
			fprintf(out, "  %-21s %s\n", (list)[i_]->name, (list)[i_]->summary); \
	} while (0)

void gb_usage(FILE *out)
{
	fprintf(out,
		"usage: gmem-bench [OPTIONS] WORKLOAD\n"
		"       gmem-bench probe [--kvm-dev PATH]\n"
		"\n"
		"Create and close guest_memfd (or memfd) files and measure what it costs.\n"
		"\n"
		"Workloads:\n");
	PRINT_LIST(out, gb_workload_list());
	fprintf(out, "\nBackends (-b):\n");
	PRINT_LIST(out, gb_backend_list());
	fprintf(out,
		"\n"
		"probe prints the KVM/guest_memfd capabilities of this kernel.\n"
		"\n"
		"Files:\n"
		"  -b, --backend NAME    %s (default gmem)\n"
		"  -s, --size BYTES      file size, page aligned (default 2M)\n"
		"  -f, --flags LIST      guest_memfd flags: mmap,init-shared or a number (default 0)\n"
		"      --populate BYTES  fallocate() this much of each file after creating it\n"
		"      --vm shared|per-thread   one VM for all threads, or one each (default shared)\n"
		"      --vm-type TYPE    default, sw-protected, sev, sev-es, snp, tdx or a number\n"
		"      --kvm-dev PATH    KVM device (default /dev/kvm)\n"
		"\n"
		"Threads and placement:\n"
		"  -t, --threads N       workers (default 1)\n"
		"      --procs           workers are processes, not threads: each has its own\n"
		"                        descriptor table (and VM), to go past RLIMIT_NOFILE\n"
		"      --cpus LIST       CPUs to run on, e.g. 0-3,8 (default: all allowed)\n"
		"      --nodes LIST      NUMA nodes to use (default: all with usable CPUs)\n"
		"  -p, --placement P     spread (round robin over nodes), fill (node by node),\n"
		"                        single (all on the first node); default spread\n"
		"      --remote-close[=next|farthest]\n"
		"                        hold: close each file on another node: the next in\n"
		"                        the list (default), or the farthest by distance\n"
		"\n"
		"Amount and repetition:\n"
		"  -d, --duration SECS   churn: measured time per run (default 1s)\n"
		"  -n, --count N         churn: create+close pairs per thread;\n"
		"                        hold: files in all (default 100k); k and M suffixes\n"
		"      --bucket N        hold: report create latency per N files a thread holds\n"
		"                        (default: a tenth of its files)\n"
		"      --at-peak CMD     hold: run shell command CMD while every file is open\n"
		"                        (e.g. to snapshot /proc/slabinfo); it must exit 0\n"
		"  -w, --warmup N        untimed create+close pairs per thread before each run\n"
		"                        (default 1000 for churn, 0 for hold: see README)\n"
		"  -r, --runs K          repetitions; every run's figures are kept (default 3)\n"
		"\n"
		"Measurement:\n"
		"      --timing MODE     sampled (time every Nth op, default), every, batch (phase totals only)\n"
		"      --sample-every N  sampled timing period (default 64)\n"
		"      --bare-check      churn: also time a bare loop of the same syscalls each run\n"
		"      --collect LIST    kernel-side collectors: slab, perf, memcg, numa, all, none\n"
		"                        (default slab,memcg,numa; perf counts kmem tracepoints,\n"
		"                        which slows the measured loop; numa binds each worker's\n"
		"                        memory to its node and populates mappable files by\n"
		"                        mapping and touching them, others get fallocate())\n"
		"\n"
		"Output:\n"
		"  -j, --json FILE       write every figure and the metadata to FILE (atomically)\n"
		"  -l, --label TEXT      label stored in the results (e.g. the kernel variant)\n"
		"  -q, --quiet           no summary on stdout\n"
		"  -h, --help, -V, --version\n"
		"\n"
		"Exit codes: 0 ok, 1 system error, 2 usage, 3 no KVM device, 4 permission,\n"
		"5 no guest_memfd, 6 flag or VM type unsupported, 7 file limit, 8 out of memory,\n"
		"9 results not written, 10 CPUs or nodes unusable, 128+N interrupted by signal N.\n",
		gb_backend_names());
}

/* Count suffixes are decimal (10k files), byte suffixes binary (4K). */
static int parse_scaled(const char *s, uint64_t *out, uint64_t kilo)
{
	unsigned long long v;
	uint64_t mult = 1;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	/* Decimal only: "010" is ten, not eight, and "0x10" is refused. */
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = kilo;
		end++;
		break;
	case 'm':
	case 'M':
		mult = kilo * kilo;
		end++;
		break;
	case 'g':
	case 'G':
		mult = kilo * kilo * kilo;
		end++;
		break;
	default:
		return -1;
	}
	if (*end || (v && mult > UINT64_MAX / v))
		return -1;
	*out = (uint64_t)v * mult;
	return 0;
}

int gb_parse_u64(const char *s, uint64_t *out)
{
	return parse_scaled(s, out, 1000);
}

int gb_parse_bytes(const char *s, uint64_t *out)
{
	return parse_scaled(s, out, 1024);
}

int gb_parse_seconds(const char *s, double *out)
{
	double v, scale = 1.0;
	char *end;

	if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -1;
	if (!strcmp(end, "ms"))
		scale = 1e-3;
	else if (!strcmp(end, "m"))
		scale = 60.0;
	else if (*end && strcmp(end, "s"))
		return -1;
	v *= scale;
	/* Below a millisecond a run would measure no operation at all. */
	if (!isfinite(v) || v < GB_MIN_DURATION_S || v > 86400.0)
		return -1;
	*out = v;
	return 0;
}

static const struct {
	const char *name;
	uint64_t bit;
} gmem_flag_names[] = {
	{ "mmap", GUEST_MEMFD_FLAG_MMAP },
	{ "init-shared", GUEST_MEMFD_FLAG_INIT_SHARED },
};

int gb_parse_gmem_flags(const char *s, uint64_t *out)
{
	char *copy, *tok, *save = NULL, *end;
	uint64_t flags = 0;
	unsigned int i;
	int ret = 0;

	if (!s || gb_list_has_empty_item(s))
		return -1;
	/* A number: decimal, or hexadecimal as flags are written in the uapi. */
	if (isdigit((unsigned char)s[0])) {
		errno = 0;
		*out = strtoull(s, &end, !strncmp(s, "0x", 2) ? 16 : 10);
		return errno || !*s || *end || (s[1] == 'x' && !s[2]) ? -1 : 0;
	}
	copy = strdup(s);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(gmem_flag_names); i++)
			if (!strcmp(tok, gmem_flag_names[i].name))
				break;
		if (i == ARRAY_SIZE(gmem_flag_names)) {
			ret = -1;
			break;
		}
		flags |= gmem_flag_names[i].bit;
	}
	free(copy);
	if (!ret)
		*out = flags;
	return ret;
}

static const char *const vm_type_names[] = {
	[KVM_X86_DEFAULT_VM] = "default",   [KVM_X86_SW_PROTECTED_VM] = "sw-protected",
	[KVM_X86_SEV_VM] = "sev",	    [KVM_X86_SEV_ES_VM] = "sev-es",
	[KVM_X86_SNP_VM] = "snp",	    [KVM_X86_TDX_VM] = "tdx",
};

#define NR_VM_TYPE_NAMES ARRAY_SIZE(vm_type_names)

const char *gb_vm_type_name(unsigned long type)
{
	return type < NR_VM_TYPE_NAMES ? vm_type_names[type] : "unknown";
}

int gb_parse_vm_type(const char *s, unsigned long *out)
{
	uint64_t v;
	unsigned int i;

	for (i = 0; i < NR_VM_TYPE_NAMES; i++) {
		if (!strcmp(s, vm_type_names[i])) {
			*out = i;
			return 0;
		}
	}
	/* KVM_CAP_VM_TYPES is a bit mask, so a type must be below 64. */
	if (gb_parse_u64(s, &v) || v > 63)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

const char *gb_parse_collect(const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	bool ok = copy != NULL;

	if (gb_list_has_empty_item(list)) {
		free(copy);
		return NULL;
	}
	if (!strcmp(list, "all")) {
		free(copy);
		return gb_collector_names();
	}
	if (!strcmp(list, "none")) {
		free(copy);
		return "";
	}
	for (tok = ok ? strtok_r(copy, ",", &save) : NULL; tok && ok;
	     tok = strtok_r(NULL, ",", &save))
		ok = gb_collector_known(tok);
	free(copy);
	return ok && *list ? list : NULL;
}

enum {
	OPT_POPULATE = 256,
	OPT_VM,
	OPT_VM_TYPE,
	OPT_KVM_DEV,
	OPT_CPUS,
	OPT_NODES,
	OPT_REMOTE_CLOSE,
	OPT_BUCKET,
	OPT_TIMING,
	OPT_SAMPLE_EVERY,
	OPT_BARE_CHECK,
	OPT_PROCS,
	OPT_AT_PEAK,
	OPT_COLLECT,
};

static const struct option long_options[] = {
	{ "backend", required_argument, NULL, 'b' },
	{ "size", required_argument, NULL, 's' },
	{ "flags", required_argument, NULL, 'f' },
	{ "populate", required_argument, NULL, OPT_POPULATE },
	{ "vm", required_argument, NULL, OPT_VM },
	{ "vm-type", required_argument, NULL, OPT_VM_TYPE },
	{ "kvm-dev", required_argument, NULL, OPT_KVM_DEV },
	{ "threads", required_argument, NULL, 't' },
	{ "procs", no_argument, NULL, OPT_PROCS },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "nodes", required_argument, NULL, OPT_NODES },
	{ "placement", required_argument, NULL, 'p' },
	{ "remote-close", optional_argument, NULL, OPT_REMOTE_CLOSE },
	{ "duration", required_argument, NULL, 'd' },
	{ "count", required_argument, NULL, 'n' },
	{ "bucket", required_argument, NULL, OPT_BUCKET },
	{ "at-peak", required_argument, NULL, OPT_AT_PEAK },
	{ "collect", required_argument, NULL, OPT_COLLECT },
	{ "warmup", required_argument, NULL, 'w' },
	{ "runs", required_argument, NULL, 'r' },
	{ "timing", required_argument, NULL, OPT_TIMING },
	{ "sample-every", required_argument, NULL, OPT_SAMPLE_EVERY },
	{ "bare-check", no_argument, NULL, OPT_BARE_CHECK },
	{ "json", required_argument, NULL, 'j' },
	{ "label", required_argument, NULL, 'l' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* What was given explicitly, to detect contradictions after parsing. */
struct seen {
	bool duration, count, flags, vm, vm_type, timing, sample_every, size;
};

static int bad_value(const char *opt, const char *val, const char *want)
{
	return gb_fail(GB_EXIT_USAGE, "invalid value '%s' for %s: expected %s",
		       val, opt, want);
}

static int parse_one(int c, const char *arg, struct gb_config *cfg,
		     struct seen *seen)
{
	unsigned int id;
	int e;
	uint64_t v;

	switch (c) {
	case 'b':
		cfg->backend = gb_backend_find(arg);
		if (!cfg->backend)
			return bad_value("--backend", arg, gb_backend_names());
		break;
	case 's':
		if (gb_parse_bytes(arg, &cfg->file_size) || !cfg->file_size)
			return bad_value("--size", arg, "a size above 0, e.g. 4K or 2M");
		seen->size = true;
		break;
	case 'f':
		if (gb_parse_gmem_flags(arg, &cfg->gmem_flags))
			return bad_value("--flags", arg, "mmap, init-shared, or a number");
		seen->flags = true;
		break;
	case OPT_POPULATE:
		if (gb_parse_bytes(arg, &cfg->populate) || !cfg->populate)
			return bad_value("--populate", arg, "a size above 0");
		break;
	case OPT_VM:
		e = gb_enum_parse(gb_vm_sharing_names, arg);
		if (e < 0)
			return bad_value("--vm", arg, "shared or per-thread");
		cfg->vm_sharing = (enum gb_vm_sharing)e;
		seen->vm = true;
		break;
	case OPT_VM_TYPE:
		if (gb_parse_vm_type(arg, &cfg->vm_type))
			return bad_value("--vm-type", arg,
					 "default, sw-protected, sev, sev-es, snp, tdx or 0-63");
		seen->vm_type = true;
		break;
	case OPT_KVM_DEV:
		cfg->kvm_path = arg;
		break;
	case 't':
		if (gb_parse_u64(arg, &v) || !v || v > MAX_THREADS)
			return bad_value("--threads", arg, "1 to 4096");
		cfg->threads = (unsigned int)v;
		break;
	case OPT_PROCS:
		cfg->procs = true;
		break;
	case OPT_CPUS:
		if (gb_idlist_check(arg, &id))
			return bad_value("--cpus", arg, "a list such as 0-3,8");
		cfg->cpus = arg;
		break;
	case OPT_NODES:
		if (gb_idlist_check(arg, &id))
			return bad_value("--nodes", arg, "a list such as 0,1");
		cfg->nodes = arg;
		break;
	case 'p':
		e = gb_enum_parse(gb_placement_names, arg);
		if (e < 0)
			return bad_value("--placement", arg, "spread, fill or single");
		cfg->placement = (enum gb_placement)e;
		break;
	case OPT_REMOTE_CLOSE:
		if (arg && strcmp(arg, "next") && strcmp(arg, "farthest"))
			return bad_value("--remote-close", arg, "next or farthest");
		cfg->remote_close = true;
		cfg->remote_farthest = arg && !strcmp(arg, "farthest");
		break;
	case 'd':
		if (gb_parse_seconds(arg, &cfg->duration_s))
			return bad_value("--duration", arg,
					 "from 1ms to a day, e.g. 2, 1.5s, 500ms");
		seen->duration = true;
		break;
	case 'n':
		if (gb_parse_u64(arg, &cfg->count) || !cfg->count)
			return bad_value("--count", arg, "a count above 0, e.g. 1000 or 1M");
		seen->count = true;
		break;
	case OPT_BUCKET:
		if (gb_parse_u64(arg, &cfg->bucket) || !cfg->bucket)
			return bad_value("--bucket", arg, "a count above 0");
		break;
	case OPT_AT_PEAK:
		cfg->at_peak = arg;
		break;
	case OPT_COLLECT:
		cfg->collect = gb_parse_collect(arg);
		if (!cfg->collect)
			return bad_value("--collect", arg, "a list of slab, perf, memcg, numa, or all or none");
		break;
	case 'w':
		if (gb_parse_u64(arg, &cfg->warmup))
			return bad_value("--warmup", arg, "a count, 0 for none");
		cfg->warmup_set = true;
		break;
	case 'r':
		if (gb_parse_u64(arg, &v) || !v || v > MAX_RUNS)
			return bad_value("--runs", arg, "1 to 10000");
		cfg->runs = (unsigned int)v;
		break;
	case OPT_TIMING:
		e = gb_enum_parse(gb_timing_names, arg);
		if (e < 0)
			return bad_value("--timing", arg, "sampled, every or batch");
		cfg->timing = (enum gb_timing)e;
		seen->timing = true;
		break;
	case OPT_SAMPLE_EVERY:
		if (gb_parse_u64(arg, &v) || !v || v > 1000000)
			return bad_value("--sample-every", arg, "1 to 1000000");
		cfg->sample_every = (unsigned int)v;
		seen->sample_every = true;
		break;
	case OPT_BARE_CHECK:
		cfg->bare_check = true;
		break;
	case 'j':
		cfg->json_path = arg;
		break;
	case 'l':
		cfg->label = arg;
		break;
	case 'q':
		cfg->quiet = true;
		break;
	default:
		return gb_fail(GB_EXIT_USAGE, "unknown option (see --help)");
	}
	return 0;
}

static int check_combination(struct gb_config *cfg, const struct seen *seen)
{
	bool gmem = gb_backend_has(cfg->backend, GB_BACKEND_VM, cfg);
	long page = sysconf(_SC_PAGESIZE);

	if (!gmem && (seen->flags || seen->vm || seen->vm_type))
		return gb_fail(GB_EXIT_USAGE,
			       "--flags, --vm and --vm-type apply to the gmem backend only");
	if (cfg->procs && gmem) {
		/* KVM refuses VM ioctls from any mm but the creator's. */
		if (seen->vm && cfg->vm_sharing == GB_VM_SHARED)
			return gb_fail(GB_EXIT_USAGE,
				       "--procs needs a VM per process: KVM only serves the process that created a VM");
		cfg->vm_sharing = GB_VM_PER_THREAD;
	}
	if (seen->sample_every && seen->timing && cfg->timing != GB_TIMING_SAMPLED)
		return gb_fail(GB_EXIT_USAGE,
			       "--sample-every needs --timing sampled");
	if (cfg->file_size % (uint64_t)page)
		return gb_fail(GB_EXIT_USAGE,
			       "--size %llu is not a multiple of the page size (%ld)",
			       (unsigned long long)cfg->file_size, page);
	if (cfg->populate % (uint64_t)page)
		return gb_fail(GB_EXIT_USAGE,
			       "--populate %llu is not a multiple of the page size (%ld)",
			       (unsigned long long)cfg->populate, page);
	if (cfg->populate > cfg->file_size)
		return gb_fail(GB_EXIT_USAGE,
			       "--populate %llu is larger than --size %llu",
			       (unsigned long long)cfg->populate,
			       (unsigned long long)cfg->file_size);
	if (seen->duration && seen->count)
		return gb_fail(GB_EXIT_USAGE,
			       "--duration and --count both given: choose one");
	return cfg->workload->validate ? cfg->workload->validate(cfg) : 0;
}

enum gb_parse_result gb_parse_args(int argc, char **argv,
				   struct gb_config *cfg)
{
	struct seen seen = { 0 };
	const char *name;
	int c;

	/*
	 * 0, not 1: glibc then also forgets a half-read cluster of short
	 * options from an earlier call (it kept a pointer into that argv).
	 */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "b:s:f:t:p:d:n:w:r:j:l:qhV",
				long_options, NULL)) != -1) {
		if (c == 'h') {
			gb_usage(stdout);
			return GB_PARSE_EXIT_OK;
		}
		if (c == 'V') {
			printf("gmem-bench %s (%s)\n", GB_VERSION, GB_GIT_REVISION);
			return GB_PARSE_EXIT_OK;
		}
		if (c == '?' || c == ':') {
			gb_fail(GB_EXIT_USAGE, "%s '%s' (see --help)",
				optopt && c == ':' ? "missing value for option" :
						     "unknown or incomplete option",
				argv[optind - 1]);
			return GB_PARSE_ERROR;
		}
		if (parse_one(c, optarg, cfg, &seen))
			return GB_PARSE_ERROR;
	}

	if (optind >= argc) {
		gb_fail(GB_EXIT_USAGE, "no workload given (%s, or probe)",
			gb_workload_names());
		return GB_PARSE_ERROR;
	}
	if (optind + 1 < argc) {
		gb_fail(GB_EXIT_USAGE, "unexpected argument '%s'", argv[optind + 1]);
		return GB_PARSE_ERROR;
	}
	name = argv[optind];
	if (!strcmp(name, "probe"))
		return GB_PARSE_PROBE;
	cfg->workload = gb_workload_find(name);
	if (!cfg->workload) {
		gb_fail(GB_EXIT_USAGE, "unknown workload '%s' (%s, or probe)",
			name, gb_workload_names());
		return GB_PARSE_ERROR;
	}
	if (cfg->workload->defaults)
		cfg->workload->defaults(cfg);
	if (check_combination(cfg, &seen))
		return GB_PARSE_ERROR;
	return GB_PARSE_RUN;
}
