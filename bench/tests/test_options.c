// SPDX-License-Identifier: GPL-2.0
/* Argument parsing: accepted forms, rejected forms, and their exit codes. */
#include <stdarg.h>
#include <string.h>

#include "backend.h"
#include "check.h"
#include "errors.h"
#include "idlist.h"
#include "kvm_compat.h"
#include "options.h"
#include "workload.h"

/* Parse a NULL-terminated argument list; returns the parse result. */
static enum gb_parse_result parse(struct gb_config *cfg, ...)
{
	char *argv[32] = { "gmem-bench" };
	int argc = 1;
	va_list ap;

	va_start(ap, cfg);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	gb_error_reset();
	gb_config_defaults(cfg);
	return gb_parse_args(argc, argv, cfg);
}

#define REJECTS(msg_part, ...)                                                                \
	do {                                                                                  \
		struct gb_config c;                                                           \
		enum gb_parse_result r = parse(&c, __VA_ARGS__, NULL);                        \
		CHECK(r == GB_PARSE_ERROR && gb_error_code() == GB_EXIT_USAGE &&              \
			      strstr(gb_error_message(), msg_part),                           \
		      "%s: result %d code %d message '%s'", #__VA_ARGS__, r, gb_error_code(), \
		      gb_error_message());                                                    \
	} while (0)

static void numbers(void)
{
	uint64_t v;
	double d;

	CHECK(!gb_parse_u64("1000", &v) && v == 1000, "plain count");
	CHECK(!gb_parse_u64("10k", &v) && v == 10000, "k is 1000 for counts");
	CHECK(!gb_parse_u64("1M", &v) && v == 1000000, "M is 10^6 for counts");
	CHECK(!gb_parse_bytes("4K", &v) && v == 4096, "K is 1024 for bytes");
	CHECK(!gb_parse_bytes("2M", &v) && v == 2097152, "2M bytes");
	CHECK(gb_parse_u64("0x10", &v), "hex rejected for counts");
	CHECK(!gb_parse_u64("010", &v) && v == 10, "leading zero is decimal, not octal");
	CHECK(gb_parse_seconds("1e-300", &d), "a duration too short to measure rejected");
	CHECK(gb_parse_seconds("0.5ms", &d), "half a millisecond rejected");
	CHECK(!gb_parse_seconds("1ms", &d) && d == 0.001, "one millisecond");
	CHECK(gb_parse_u64("-1", &v), "negative rejected");
	CHECK(gb_parse_u64("", &v), "empty rejected");
	CHECK(gb_parse_u64("12x", &v), "trailing junk rejected");
	CHECK(gb_parse_u64("18446744073709551616", &v), "2^64 rejected");
	CHECK(gb_parse_u64("18446744073709551615k", &v), "overflow by suffix rejected");
	CHECK(!gb_parse_seconds("2", &d) && d == 2.0, "seconds");
	CHECK(!gb_parse_seconds("500ms", &d) && d == 0.5, "milliseconds");
	CHECK(!gb_parse_seconds("1.5s", &d) && d == 1.5, "fractional seconds");
	CHECK(gb_parse_seconds("0", &d), "zero duration rejected");
	CHECK(gb_parse_seconds("-1", &d), "negative duration rejected");
	CHECK(gb_parse_seconds("nan", &d), "nan rejected");
	CHECK(gb_parse_seconds("1e9", &d), "more than a day rejected");
}

static void flags_and_types(void)
{
	unsigned long t;
	uint64_t f;

	CHECK(!gb_parse_gmem_flags("mmap", &f) && f == GUEST_MEMFD_FLAG_MMAP, "mmap");
	CHECK(!gb_parse_gmem_flags("mmap,init-shared", &f) &&
		      f == (GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED),
	      "mmap,init-shared");
	CHECK(!gb_parse_gmem_flags("3", &f) && f == 3, "numeric flags");
	CHECK(!gb_parse_gmem_flags("0x3", &f) && f == 3, "hexadecimal flags");
	CHECK(!gb_parse_gmem_flags("010", &f) && f == 10, "flags with a leading zero are decimal");
	CHECK(gb_parse_gmem_flags("0x", &f), "0x alone rejected");
	CHECK(gb_parse_gmem_flags(",", &f), "empty flag list item rejected");
	CHECK(gb_parse_gmem_flags("mmap,", &f), "trailing comma rejected");
	CHECK(gb_parse_collect("slab,perf") != NULL, "collectors");
	CHECK(gb_parse_collect(",") == NULL, "empty collector item rejected");
	CHECK(gb_parse_collect("slab,,perf") == NULL, "double comma rejected");
	CHECK(gb_parse_gmem_flags("mmap,bogus", &f), "unknown flag rejected");
	CHECK(!gb_parse_vm_type("sw-protected", &t) && t == KVM_X86_SW_PROTECTED_VM,
	      "sw-protected");
	CHECK(!gb_parse_vm_type("5", &t) && t == 5, "numeric type");
	CHECK(gb_parse_vm_type("64", &t), "type 64 rejected");
	CHECK(gb_parse_vm_type("xen", &t), "unknown type rejected");
	CHECK(!strcmp(gb_vm_type_name(KVM_X86_TDX_VM), "tdx"), "type names");
}

static void id_lists(void)
{
	unsigned int hi;

	CHECK(!gb_idlist_check("0-3,8", &hi) && hi == 8, "0-3,8");
	CHECK(!gb_idlist_check("5", &hi) && hi == 5, "one id");
	CHECK(!gb_idlist_check("2-2", &hi) && hi == 2, "a range of one");
	CHECK(gb_idlist_check("1-0", &hi), "reversed range rejected");
	CHECK(gb_idlist_check("0,", &hi), "trailing comma rejected");
	CHECK(gb_idlist_check(",0", &hi), "leading comma rejected");
	CHECK(gb_idlist_check("0,,1", &hi), "empty item rejected");
	CHECK(gb_idlist_check("", &hi), "empty list rejected");
	CHECK(gb_idlist_check("4294967297", &hi), "2^32 + 1 rejected, not read as 1");
	CHECK(gb_idlist_check("0-4294967296", &hi), "range end past the bound rejected");
	CHECK(gb_idlist_check("1--2", &hi), "double dash rejected");
	CHECK(gb_idlist_check("-1", &hi), "negative rejected");
	CHECK(gb_idlist_check("0x1", &hi), "hex rejected");
}

static void accepted(void)
{
	struct gb_config c;

	CHECK(parse(&c, "churn", NULL) == GB_PARSE_RUN, "churn alone");
	CHECK(c.workload == gb_workload_find("churn") && c.duration_s == 1.0 && c.threads == 1,
	      "churn defaults to 1 s, 1 thread");
	CHECK(parse(&c, "hold", "-n", "1M", "-t", "4", "--procs", NULL) == GB_PARSE_RUN &&
		      c.count == 1000000 && c.threads == 4 && c.procs &&
		      c.vm_sharing == GB_VM_PER_THREAD,
	      "hold 1M with 4 processes gets a VM per process");
	CHECK(parse(&c, "-b", "memfd", "churn", "-n", "10", NULL) == GB_PARSE_RUN &&
		      c.backend == gb_backend_find("memfd") && c.count == 10,
	      "options before and after the workload");
	CHECK(parse(&c, "probe", NULL) == GB_PARSE_PROBE, "probe");
	CHECK(parse(&c, "--help", NULL) == GB_PARSE_EXIT_OK, "help");
}

static void rejected(void)
{
	REJECTS("no workload", "-t", "2");
	REJECTS("unknown workload", "spin");
	REJECTS("unexpected argument", "churn", "hold");
	REJECTS("--threads", "churn", "-t", "0");
	REJECTS("--threads", "churn", "-t", "-3");
	REJECTS("--threads", "churn", "-t", "99999999999999999999");
	REJECTS("--runs", "churn", "-r", "0");
	REJECTS("--size", "churn", "-s", "0");
	REJECTS("page size", "churn", "-s", "1000");
	REJECTS("larger than --size", "churn", "-s", "4K", "--populate", "8K");
	REJECTS("choose one", "churn", "-d", "1", "-n", "100");
	REJECTS("--duration applies to churn", "hold", "-d", "1");
	REJECTS("--bare-check applies to churn", "hold", "--bare-check");
	REJECTS("--remote-close applies to hold", "churn", "--remote-close");
	REJECTS("--at-peak apply to hold", "churn", "--at-peak", "true");
	REJECTS("less than one file per thread", "hold", "-n", "3", "-t", "4");
	REJECTS("gmem backend only", "churn", "-b", "memfd", "--flags", "mmap");
	REJECTS("gmem backend only", "churn", "-b", "memfd", "--vm-type", "default");
	REJECTS("--backend", "churn", "-b", "tmpfs");
	REJECTS("--flags", "churn", "--flags", "huge");
	REJECTS("--vm-type", "churn", "--vm-type", "xen");
	REJECTS("--placement", "churn", "-p", "random");
	REJECTS("--timing", "churn", "--timing", "never");
	REJECTS("--sample-every needs", "churn", "--timing", "every", "--sample-every", "4");
	REJECTS("VM per process", "hold", "--procs", "--vm", "shared");
	REJECTS("unknown or incomplete option", "churn", "--frobnicate");
	REJECTS("unknown or incomplete option", "churn", "-t");
	REJECTS("--cpus", "churn", "--cpus", "1-0");
	REJECTS("--cpus", "churn", "--cpus", "0,");
	REJECTS("--nodes", "churn", "--nodes", ",");
	REJECTS("--flags", "churn", "-f", ",");
	REJECTS("--collect", "churn", "--collect", ",");
	REJECTS("--count", "churn", "-n", "0x10");
	REJECTS("--duration", "churn", "-d", "1e-300");
	REJECTS("not a multiple of the page size", "hold", "--populate", "1");
}

int main(void)
{
	numbers();
	flags_and_types();
	id_lists();
	accepted();
	rejected();
	return check_report();
}
