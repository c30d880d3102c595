/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "gmem-bench selftest": the KVM selftest guest_memfd_perf_test (gmem-kst,
 * kernel-patches/6.12/selftests/) run as a child, its output read back and
 * written as a gmem-bench result, so that gmem-compare puts the kernel's
 * own measurement beside gmem-bench's with the same statistics.
 */
#ifndef GB_SELFTEST_H
#define GB_SELFTEST_H

#include <stdbool.h>
#include <stdint.h>

#define GB_SELFTEST_MAX_RUNS 1000

struct gb_selftest_run {
	uint64_t files;
	double seconds; /* per thread */
	double ns_per_op;
	double create_ns; /* means over the timed files */
	double close_ns;
	uint64_t samples;
};

struct gb_selftest_result {
	bool have_header;
	unsigned int threads;
	bool vm_per_thread;
	unsigned long vm_type;
	uint64_t size;
	uint64_t flags;
	unsigned int seconds;
	unsigned int warmup;
	unsigned int sample_every;
	struct gb_selftest_run runs[GB_SELFTEST_MAX_RUNS];
	unsigned int nruns;
	bool skipped;
	char skip_reason[160]; /* printable ASCII only */
};

/*
 * Read the selftest's standard output.  Lines it does not know are
 * skipped; a header or run line that is malformed, or runs out of order,
 * is an error (gb_fail, GB_EXIT_INPUT).
 */
int gb_selftest_parse(const char *text, struct gb_selftest_result *r);

/* argv[0] is "selftest". */
int gb_selftest_main(int argc, char **argv);

#endif
