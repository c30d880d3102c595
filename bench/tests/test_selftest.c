// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM selftest's output, read back (gb_selftest_parse): a real output
 * from a 6.12 guest, a skip, and every way a line can be malformed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "errors.h"
#include "selftest.h"
#include "textfile.h"

#define HDR \
	"guest_memfd create+close: 2 thread(s) on a VM each, VM type 1, size 4096, flags 0x3, 2 s runs, 10 warm-up, 1 in 8 timed\n"
#define RUN1 \
	"Run 1: 100 files in 2.000000 s: 40000000.0 ns per create+close (create 1.5 ns, close 2.5 ns, 13 samples)\n"

static struct gb_selftest_result r;

static int parse(const char *text)
{
	gb_error_reset();
	return gb_selftest_parse(text, &r);
}

static void real_output(void)
{
	char *text = gb_read_text(GB_FIXTURES "/selftest/guest-base-icount.txt");

	CHECK(text, "fixture unreadable");
	if (!text)
		return;
	CHECK(parse(text) == 0, "%s", gb_error_message());
	CHECK(r.have_header && r.threads == 1 && !r.vm_per_thread && r.vm_type == 0,
	      "header: %u threads", r.threads);
	CHECK(r.size == 2097152 && r.flags == 0 && r.seconds == 1, "size %lu",
	      (unsigned long)r.size);
	CHECK(r.warmup == 1000 && r.sample_every == 64, "warm-up %u, 1 in %u", r.warmup,
	      r.sample_every);
	CHECK(r.nruns == 3, "%u runs", r.nruns);
	CHECK(r.runs[0].files == 191463 && fabs(r.runs[0].ns_per_op - 5245.3) < 1e-9,
	      "run 1: %lu files, %f ns", (unsigned long)r.runs[0].files, r.runs[0].ns_per_op);
	CHECK(fabs(r.runs[2].create_ns - 2751.5) < 1e-9 &&
		      fabs(r.runs[2].close_ns - 2691.2) < 1e-9 && r.runs[2].samples == 2932,
	      "run 3 latencies");
	CHECK(!r.skipped, "not a skip");
	free(text);
}

static void header_fields(void)
{
	CHECK(parse("Random seed: 0x1\n" HDR RUN1 "Mean over 1 run(s): 1\n") == 0, "%s",
	      gb_error_message());
	CHECK(r.threads == 2 && r.vm_per_thread && r.vm_type == 1 && r.size == 4096 &&
		      r.flags == 3 && r.seconds == 2 && r.warmup == 10 && r.sample_every == 8,
	      "header fields");
	CHECK(r.nruns == 1 && r.runs[0].seconds == 2.0, "one run of 2 s");
	/* No trailing newline is still a line. */
	CHECK(parse(HDR
		    "Run 1: 100 files in 2.000000 s: 4.0 ns per create+close (create 1.5 ns, close 2.5 ns, 13 samples)") ==
		      0,
	      "last line without newline: %s", gb_error_message());
}

static void skip(void)
{
	CHECK(parse("Random seed: 0x6b8b4567\n1..0 # SKIP - VM type 9 is not supported\n") == 0,
	      "%s", gb_error_message());
	CHECK(r.skipped && !strcmp(r.skip_reason, "VM type 9 is not supported"), "reason '%s'",
	      r.skip_reason);
	/* What it says goes into one line of ours: printable characters only. */
	CHECK(parse("1..0 # SKIP - a\033[2Jb\tc\n") == 0, "control characters");
	CHECK(!strcmp(r.skip_reason, "a?[2Jb?c"), "sanitised to '%s'", r.skip_reason);
}

static void malformed(void)
{
	static const char *const bad[] = {
		/* a run before the header */
		RUN1,
		/* runs out of order, or repeated */
		HDR
		"Run 2: 1 files in 1.0 s: 1.0 ns per create+close (create 1 ns, close 1 ns, 1 samples)\n",
		HDR RUN1 RUN1,
		/* trailing text, a cut line, a number that is not one */
		HDR
		"Run 1: 100 files in 2.0 s: 4.0 ns per create+close (create 1.5 ns, close 2.5 ns, 13 samples) and more\n",
		HDR "Run 1: 100 files in 2.0 s: 4.0 ns per create+close (create 1.5 ns\n",
		HDR
		"Run 1: many files in 2.0 s: 4.0 ns per create+close (create 1.5 ns, close 2.5 ns, 13 samples)\n",
		/* an empty run */
		HDR
		"Run 1: 0 files in 2.0 s: 4.0 ns per create+close (create 1.5 ns, close 2.5 ns, 13 samples)\n",
		HDR
		"Run 1: 100 files in 2.0 s: nan ns per create+close (create 1.5 ns, close 2.5 ns, 13 samples)\n",
		/* headers it does not write, or two */
		"guest_memfd create+close: 0 thread(s) on one VM, VM type 0, size 1, flags 0x0, 1 s runs, 1 warm-up, 1 in 1 timed\n",
		"guest_memfd create+close: 1 thread(s) on two VMs, VM type 0, size 1, flags 0x0, 1 s runs, 1 warm-up, 1 in 1 timed\n",
		"guest_memfd create+close: 1 thread(s) on one VM, VM type 0, size 1, flags 0x0, 1 s runs\n",
		HDR HDR,
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(parse(bad[i]) == GB_EXIT_INPUT, "case %zu accepted", i);
		CHECK(strstr(gb_error_message(), "selftest output line"), "case %zu: '%s'", i,
		      gb_error_message());
	}
}

static void too_long(void)
{
	char *text = malloc(2000);

	memset(text, 'x', 1999);
	text[1999] = '\0';
	CHECK(parse(text) == GB_EXIT_INPUT && strstr(gb_error_message(), "too long"), "%s",
	      gb_error_message());
	free(text);
}

int main(void)
{
	real_output();
	header_fields();
	skip();
	malformed();
	too_long();
	return check_report();
}
