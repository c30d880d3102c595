// SPDX-License-Identifier: GPL-2.0
/*
 * The option-table engine the three programs' command lines share: getopt's
 * lists built from a table, the parse, --help and the defaults (see
 * opt_table.h), and the generic value handlers.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "opt_table.h"
#include "version.h"

/* getopt_long() returns 256 + the table index for a long option. */
#define LONG_BASE 256
#define HELP_COLUMN 24
/* More options than any of the programs has; a larger table is a bug. */
#define MAX_OPTS 64

void *gb_opt_field(const struct gb_opt *o, void *target)
{
	return (char *)target + o->field;
}

int gb_opt_bad_value(const struct gb_opt *o, const char *val)
{
	return gb_fail(GB_EXIT_USAGE, "invalid value '%s' for --%s: expected %s", val, o->name,
		       o->want ? o->want : o->arg);
}

int gb_opt_set_true(const struct gb_opt *o, const char *arg, void *target)
{
	(void)arg;
	*(bool *)gb_opt_field(o, target) = true;
	return 0;
}

int gb_opt_string(const struct gb_opt *o, const char *arg, void *target)
{
	*(const char **)gb_opt_field(o, target) = arg;
	return 0;
}

int gb_opt_nonempty(const struct gb_opt *o, const char *arg, void *target)
{
	return *arg ? gb_opt_string(o, arg, target) : gb_opt_bad_value(o, arg);
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

static int parse_ranged(const struct gb_opt *o, const char *arg, uint64_t *v)
{
	if (gb_parse_u64(arg, v) || (double)*v < o->min || (double)*v > o->max)
		return gb_opt_bad_value(o, arg);
	return 0;
}

int gb_opt_u64(const struct gb_opt *o, const char *arg, void *target)
{
	uint64_t v;
	int ret = parse_ranged(o, arg, &v);

	if (!ret)
		*(uint64_t *)gb_opt_field(o, target) = v;
	return ret;
}

int gb_opt_uint(const struct gb_opt *o, const char *arg, void *target)
{
	uint64_t v;
	int ret = parse_ranged(o, arg, &v);

	if (!ret)
		*(unsigned int *)gb_opt_field(o, target) = (unsigned int)v;
	return ret;
}

/* A plain decimal number strictly between the entry's min and max. */
static int parse_real(const struct gb_opt *o, const char *arg, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(arg, &end);
	/* strtod() would also take "inf", "nan" and hex: a digit or a point first. */
	if (!(isdigit((unsigned char)arg[0]) || arg[0] == '.') || errno || *end ||
	    !(*v > o->min && *v < o->max))
		return gb_opt_bad_value(o, arg);
	return 0;
}

int gb_opt_double(const struct gb_opt *o, const char *arg, void *target)
{
	double v;
	int ret = parse_real(o, arg, &v);

	if (!ret)
		*(double *)gb_opt_field(o, target) = v;
	return ret;
}

int gb_opt_percent(const struct gb_opt *o, const char *arg, void *target)
{
	double v;
	int ret = parse_real(o, arg, &v);

	if (!ret)
		*(double *)gb_opt_field(o, target) = v / 100;
	return ret;
}

int gb_enum_parse(const char *const *names, const char *name)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

void gb_join_names(char *buf, size_t len, const char *const *names, const char *sep)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; names[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? sep : "", names[i]);
}

int gb_opt_enum(const struct gb_opt *o, const char *arg, void *target)
{
	int v = gb_enum_parse(o->names, arg);

	if (v < 0)
		return gb_opt_bad_value(o, arg);
	*(int *)gb_opt_field(o, target) = v;
	return 0;
}

const struct gb_opt *gb_opt_find(const struct gb_opt_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nopts; i++)
		if (!strcmp(t->opts[i].name, name))
			return &t->opts[i];
	return NULL;
}

void gb_opt_defaults(const struct gb_opt_table *t, void *target)
{
	size_t i;

	for (i = 0; i < t->nopts; i++)
		if (t->opts[i].def && t->opts[i].parse(&t->opts[i], t->opts[i].def, target)) {
			/* A default its own parser refuses: a bug in the table. */
			fprintf(stderr, "%s: bad default for --%s\n", t->prog, t->opts[i].name);
			abort();
		}
}

static void print_option(FILE *out, const struct gb_opt *o)
{
	const char *line = o->help, *nl;
	char left[64];
	int len;

	len = snprintf(left, sizeof(left), "  %c%c%s--%s%s%s", o->short_name ? '-' : ' ',
		       o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
		       o->arg && o->has_arg != optional_argument ? " " : "", o->arg ? o->arg : "");
	fputs(left, out);
	if (len >= HELP_COLUMN - 1)
		fprintf(out, "\n%*s", HELP_COLUMN, "");
	else
		fprintf(out, "%*s", HELP_COLUMN - len, "");
	while ((nl = strchr(line, '\n'))) {
		fprintf(out, "%.*s\n%*s", (int)(nl - line), line, HELP_COLUMN, "");
		line = nl + 1;
	}
	fputs(line, out);
	if (o->def)
		fprintf(out, " (default %s)", o->def);
	fputc('\n', out);
}

void gb_opt_print_help(FILE *out, const struct gb_opt_table *t)
{
	size_t i;

	for (i = 0; i < t->nopts; i++) {
		if (t->opts[i].section)
			fprintf(out, "\n%s:\n", t->opts[i].section);
		print_option(out, &t->opts[i]);
	}
}

/* getopt's view of the table: long options, and the short ones as a string. */
static void getopt_lists(const struct gb_opt_table *t, struct option *longs, char *shorts)
{
	size_t i;

	for (i = 0; i < t->nopts; i++) {
		longs[i] = (struct option){ t->opts[i].name, t->opts[i].has_arg, NULL,
					    (int)(LONG_BASE + i) };
		if (!t->opts[i].short_name)
			continue;
		*shorts++ = (char)t->opts[i].short_name;
		if (t->opts[i].has_arg == required_argument)
			*shorts++ = ':';
	}
	longs[t->nopts] = (struct option){ 0 };
	*shorts = '\0';
}

/* The table index of what getopt_long() returned, or -1. */
static int option_index(const struct gb_opt_table *t, int c)
{
	size_t i;

	if (c >= LONG_BASE && c < LONG_BASE + (int)t->nopts)
		return c - LONG_BASE;
	for (i = 0; i < t->nopts; i++)
		if (t->opts[i].short_name && t->opts[i].short_name == c)
			return (int)i;
	return -1;
}

enum gb_parse_result gb_opt_parse(const struct gb_opt_table *t, int argc, char **argv, void *target,
				  bool *given, void (*usage)(FILE *out), int *first_operand)
{
	struct option longs[MAX_OPTS + 1];
	char shorts[2 * MAX_OPTS + 1];
	const struct gb_opt *o;
	int c, i;

	if (t->nopts > MAX_OPTS) {
		fprintf(stderr, "%s: option table too large\n", t->prog);
		abort();
	}
	getopt_lists(t, longs, shorts);
	/*
	 * 0, not 1: glibc then also forgets a half-read cluster of short
	 * options from an earlier call (it kept a pointer into that argv).
	 */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		i = option_index(t, c);
		if (i < 0) {
			/* Unknown, or missing its value: getopt can't tell us which. */
			gb_fail(GB_EXIT_USAGE, "unknown or incomplete option '%s' (see --help)",
				argv[optind - 1]);
			return GB_PARSE_ERROR;
		}
		o = &t->opts[i];
		if (!strcmp(o->name, "help")) {
			usage(stdout);
			return GB_PARSE_EXIT_OK;
		}
		if (!strcmp(o->name, "version")) {
			printf("%s %s (%s)\n", t->prog, GB_VERSION, GB_GIT_REVISION);
			return GB_PARSE_EXIT_OK;
		}
		if (o->parse(o, optarg, target))
			return GB_PARSE_ERROR;
		if (given)
			given[i] = true;
	}
	*first_operand = optind;
	return GB_PARSE_RUN;
}
