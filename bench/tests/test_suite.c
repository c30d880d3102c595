// SPDX-License-Identifier: GPL-2.0
/* Suite files: case lines, matrix expansion, and every rejection. */
#include <string.h>

#include "check.h"
#include "errors.h"
#include "suite.h"

static int parse(const char *text, unsigned int ncpus, struct gb_suite *s)
{
	gb_error_reset();
	return gb_suite_parse(text, "t.suite", ncpus, s);
}

/* A case's arguments, each in [], to compare with the split expected. */
static const char *split(const struct gb_suite_case *c)
{
	static char buf[GB_SUITE_ARGS_MAX * 3];
	size_t n = 0;

	buf[n++] = '[';
	for (const char *a = c->args; *a; a++) {
		if (*a == GB_SUITE_ARG_SEP) {
			buf[n++] = ']';
			buf[n++] = '[';
		} else {
			buf[n++] = *a;
		}
	}
	buf[n++] = ']';
	buf[n] = '\0';
	return buf;
}

/* Arguments split as a shell splits words, but never expanded. */
static void test_quoting(void)
{
	struct gb_suite s;

	CHECK(parse("q: hold --at-peak 'cat /proc/slabinfo >x' --kvm-dev /dev/kv? -l \"a \\\"b\\\"\" c\\ d ''\n",
		    2, &s) == 0,
	      "parse: %s", gb_error_message());
	CHECK(!strcmp(split(&s.cases[0]),
		      "[hold][--at-peak][cat /proc/slabinfo >x][--kvm-dev][/dev/kv?][-l][a \"b\"][c d][]"),
	      "split: %s", split(&s.cases[0]));
	gb_suite_free(&s);
	CHECK(parse("q: hold 'x\n", 2, &s) == GB_EXIT_INPUT &&
		      strstr(gb_error_message(), "unclosed ' in the arguments"),
	      "unclosed quote: %s", gb_error_message());
	gb_suite_free(&s);
	CHECK(parse("q: hold \"x\n", 2, &s) == GB_EXIT_INPUT, "unclosed double quote");
	gb_suite_free(&s);
	CHECK(parse("q: hold a\\\x02"
		    "b\n",
		    2, &s) == GB_EXIT_INPUT &&
		      strstr(gb_error_message(), "control character"),
	      "escaped control character: %s", gb_error_message());
	gb_suite_free(&s);
	CHECK(parse("q: hold \x1b[31m\n", 2, &s) == GB_EXIT_INPUT &&
		      strstr(gb_error_message(), "control character"),
	      "control character: %s", gb_error_message());
	gb_suite_free(&s);
}

static void test_cases_and_matrix(void)
{
	const char *text = "# comment\n"
			   "plain-{ncpus}t: churn -t {ncpus} -d 1\n"
			   "\n"
			   "matrix m\n"
			   "\tworkload churn\n"
			   "\tbackend  gmem memfd\n"
			   "\tthreads  1..{ncpus}\n"
			   "  vm       shared per-thread\n"
			   "\truns     5\n"
			   "\targs     -d 1 --collect none\n"
			   "last: hold -n 10\n";
	struct gb_suite s;

	CHECK(parse(text, 2, &s) == 0, "parse: %s", gb_error_message());
	/* 1 + gmem (2 threads x 2 vm) + memfd (2 threads, one vm) + 1 */
	CHECK(s.ncases == 8, "ncases %zu", s.ncases);
	CHECK(!strcmp(s.cases[0].name, "plain-2t") &&
		      !strcmp(split(&s.cases[0]), "[churn][-t][2][-d][1]"),
	      "plain: %s: %s", s.cases[0].name, split(&s.cases[0]));
	CHECK(!strcmp(s.cases[1].name, "m-gmem-1t-vm-shared"), "name %s", s.cases[1].name);
	CHECK(!strcmp(split(&s.cases[1]),
		      "[churn][-b][gmem][-t][1][--vm][shared][-r][5][-d][1][--collect][none]"),
	      "args %s", split(&s.cases[1]));
	CHECK(!strcmp(s.cases[2].name, "m-gmem-1t-vm-per-thread"), "name %s", s.cases[2].name);
	CHECK(!strcmp(s.cases[4].name, "m-gmem-2t-vm-per-thread"), "name %s", s.cases[4].name);
	CHECK(!strcmp(s.cases[5].name, "m-memfd-1t") &&
		      !strcmp(split(&s.cases[5]),
			      "[churn][-b][memfd][-t][1][-r][5][-d][1][--collect][none]"),
	      "memfd: %s: %s", s.cases[5].name, split(&s.cases[5]));
	CHECK(!strcmp(s.cases[7].name, "last"), "last %s", s.cases[7].name);
	CHECK(s.rounds == 1, "rounds %u", s.rounds);
	gb_suite_free(&s);
}

static void test_thread_ranges(void)
{
	struct gb_suite s;

	/* 1..12*2: 1 2 4 8, and the end itself, 12. */
	CHECK(parse("rounds 3\nmatrix x\n\tworkload hold\n\tbackend gmem\n\tthreads 1..12*2 3\n", 4,
		    &s) == 0,
	      "parse: %s", gb_error_message());
	CHECK(s.ncases == 6 && s.rounds == 3, "ncases %zu rounds %u", s.ncases, s.rounds);
	CHECK(!strcmp(s.cases[4].name, "x-gmem-12t") && !strcmp(s.cases[5].name, "x-gmem-3t"),
	      "%s %s", s.cases[4].name, s.cases[5].name);
	gb_suite_free(&s);
}

static void test_rejections(void)
{
	static const struct {
		const char *text, *message;
	} bad[] = {
		{ "", "no cases" },
		{ "# only a comment\n", "no cases" },
		{ "a: churn\nprimary a speed\n", "t.suite:2: 'speed' is not a metric" },
		{ "a: churn\nprimary a\n", "t.suite:2: 'primary a' needs at least one metric" },
		{ "a: churn\nprimary b ns_per_op\n", "t.suite:2: no case b in the suite" },
		{ "a: churn\ncontrol a ns_per_op\n", "t.suite:2: 'control NAME' takes no metric" },
		{ "a: churn\ncontrol\tx;y\n", "t.suite:2: expected 'control NAME'" },
		{ "x churn -t 1\n", "t.suite:1: expected 'NAME: arguments'" },
		{ "a b: churn\n", "t.suite:1: case name 'a b'" },
		{ "a:\n", "t.suite:1: case a has no gmem-bench arguments" },
		{ "a: churn\na: hold\n", "t.suite:2: case a is defined twice" },
		{ "\tworkload churn\n", "t.suite:1: indented line outside a matrix" },
		{ "matrix m\n\tcolour red\n", "t.suite:2: unknown matrix key 'colour'" },
		{ "matrix m\n\tworkload churn\n\tbackend gmem\n",
		  "t.suite:1: matrix m needs a threads line" },
		{ "matrix m\n\tworkload spin\n", "t.suite:2: workload 'spin' is not one" },
		{ "matrix m\n\tthreads 0\n",
		  "t.suite:2: threads '0': expected a number from 1 to 4096" },
		{ "matrix m\n\tthreads 8..2\n", "t.suite:2: threads 8..2: the range is empty" },
		{ "matrix m\n\tthreads 1..8*3\n", "the only step is *2" },
		{ "matrix m\n\tthreads -1\n", "threads '-1'" },
		{ "matrix m\n\tthreads 99999999999999999999\n", "threads '99999999999999999999'" },
		{ "matrix m\n\truns 5 6\n", "runs takes one number" },
		{ "matrix m\n\tbackend gmem\n\tbackend memfd\n",
		  "t.suite:3: matrix m: backend given twice" },
		{ "matrix m\n\targs\n", "args has no value" },
		{ "matrix\n", "matrix name ''" },
		{ "rounds 0\na: churn\n", "t.suite:1: rounds '0'" },
		{ "rounds x\na: churn\n", "t.suite:1: rounds 'x'" },
		{ "a: churn\nb: churn -n 1", "t.suite:2: the file ends inside this line" },
		{ "matrix m\n\tworkload churn\n\tbackend gm", "t.suite:3: the file ends inside" },
		/* 512 thread counts fill the matrix; one more used to write past it. */
		{ "matrix m\n\tthreads 1..512 7\n", "t.suite:2: too many thread counts" },
		{ "matrix m\n\tthreads 1..512 4096 5\n", "too many thread counts" },
		{ ".: churn\n", "case name '.'" },
		{ "..: churn\n", "case name '..'" },
		{ ".hidden: churn\n", "case name '.hidden'" },
		{ "matrix .m\n", "matrix name '.m'" },
	};
	struct gb_suite s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = parse(bad[i].text, 2, &s);

		CHECK(ret == GB_EXIT_INPUT, "case %zu: ret %d", i, ret);
		CHECK(strstr(gb_error_message(), bad[i].message),
		      "case %zu: message '%s', want '%s'", i, gb_error_message(), bad[i].message);
		gb_suite_free(&s);
	}
}

static void test_long_line(void)
{
	char text[3000];
	struct gb_suite s;

	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	CHECK(parse(text, 2, &s) == GB_EXIT_INPUT && strstr(gb_error_message(), "longer than"),
	      "long line: %s", gb_error_message());
	gb_suite_free(&s);
	/* {ncpus} expanding past the limit is caught too. */
	memset(text, 0, sizeof(text));
	strcpy(text, "a: ");
	for (int i = 0; i < 140; i++)
		strcat(text, "{ncpus}");
	CHECK(parse(text, 4000, &s) == GB_EXIT_INPUT, "expanded long line: %s", gb_error_message());
	gb_suite_free(&s);
}

/* Roles: primary figures and controls, for any case declared before or after. */
static void test_roles(void)
{
	struct gb_suite s;

	CHECK(!parse("primary a-{ncpus}t ns_per_op allocs_per_create\n"
		     "a-{ncpus}t: churn\nb: churn -b memfd\ncontrol b\n",
		     4, &s),
	      "%s", gb_error_message());
	CHECK(s.nroles == 3, "roles %zu", s.nroles);
	CHECK(!strcmp(s.roles[0].case_name, "a-4t") && !strcmp(s.roles[0].metric, "ns_per_op"),
	      "first role %s %s", s.roles[0].case_name, s.roles[0].metric);
	CHECK(!strcmp(s.roles[1].metric, "allocs_per_create"), "second %s", s.roles[1].metric);
	CHECK(!strcmp(s.roles[2].case_name, "b") && !s.roles[2].metric[0] && s.roles[2].line == 4,
	      "control %s '%s' line %u", s.roles[2].case_name, s.roles[2].metric, s.roles[2].line);
	gb_suite_free(&s);
}

int main(void)
{
	test_roles();
	test_cases_and_matrix();
	test_quoting();
	test_thread_ranges();
	test_rejections();
	test_long_line();
	return check_report();
}
