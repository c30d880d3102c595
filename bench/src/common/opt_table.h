/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The three programs' command lines: each is one table, an entry per option
 * (its names, argument, handler and field, help and default), from which
 * getopt's option list, the parsing, --help and the defaults all come.
 *
 * A handler gets the entry and the option's argument and sets a field of
 * the program's own argument struct (@target, at the entry's offset).  The
 * generic handlers below cover flags, strings, counts, numbers and enums;
 * a program writes its own for anything else.  Entries named "help" and
 * "version" have no handler: they end the parse.
 */
#ifndef GB_OPT_TABLE_H
#define GB_OPT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

struct gb_opt;

/* 0, or the exit code of a bad value (recorded with gb_fail()). */
typedef int (*gb_opt_parse_fn)(const struct gb_opt *o, const char *arg, void *target);

struct gb_opt {
	const char *name; /* long name */
	int short_name;	  /* 0: none */
	int has_arg;	  /* getopt's no_argument, required_argument, ... */
	const char *arg;  /* the argument as --help shows it */
	gb_opt_parse_fn parse;
	size_t field;		  /* offset in the target struct the handler sets */
	double min, max;	  /* numbers: the accepted range */
	const char *want;	  /* what a bad value is told to be */
	const char *def;	  /* default, parsed like a given value; NULL: none */
	const char *section;	  /* --help heading this option starts */
	const char *help;	  /* lines separated by \n */
	const char *const *names; /* gb_opt_enum: the enum's names, NULL-terminated */
};

struct gb_opt_table {
	const char *prog; /* for --version and bad defaults */
	const struct gb_opt *opts;
	size_t nopts;
};

/* A table's entry by long name, or NULL. */
const struct gb_opt *gb_opt_find(const struct gb_opt_table *t, const char *name);

/* Parse every entry's default into @target (a bad default aborts: a bug). */
void gb_opt_defaults(const struct gb_opt_table *t, void *target);

/* Every entry, in table order, with its section headings. */
void gb_opt_print_help(FILE *out, const struct gb_opt_table *t);

/*
 * Parse the options of argv into @target; @given (nopts entries, or NULL)
 * says which appeared.  On GB_PARSE_RUN, *first_operand is the index of the
 * first argument that is not an option.  "help" calls @usage on stdout,
 * "version" prints the program's version; both end with GB_PARSE_EXIT_OK.
 */
enum gb_parse_result gb_opt_parse(const struct gb_opt_table *t, int argc, char **argv, void *target,
				  bool *given, void (*usage)(FILE *out), int *first_operand);

/* The error "invalid value 'VAL' for --NAME: expected WANT"; its exit code. */
int gb_opt_bad_value(const struct gb_opt *o, const char *val);

void *gb_opt_field(const struct gb_opt *o, void *target);

/* Generic handlers. */
int gb_opt_set_true(const struct gb_opt *o, const char *arg, void *target); /* bool */
int gb_opt_string(const struct gb_opt *o, const char *arg, void *target);   /* const char * */
/* A string that must not be empty. */
int gb_opt_nonempty(const struct gb_opt *o, const char *arg, void *target);
/* An integer in [min, max] (k and M suffixes) into a uint64_t, or unsigned int. */
int gb_opt_u64(const struct gb_opt *o, const char *arg, void *target);
int gb_opt_uint(const struct gb_opt *o, const char *arg, void *target);
/* A number strictly between min and max into a double; gb_opt_percent stores it / 100. */
int gb_opt_double(const struct gb_opt *o, const char *arg, void *target);
int gb_opt_percent(const struct gb_opt *o, const char *arg, void *target);
/* One of @names, its index into an int (or enum) field. */
int gb_opt_enum(const struct gb_opt *o, const char *arg, void *target);

/* Index of @name in a NULL-terminated list, or -1. */
int gb_enum_parse(const char *const *names, const char *name);
/* The names joined with @sep into buf (truncated to len). */
void gb_join_names(char *buf, size_t len, const char *const *names, const char *sep);

/*
 * Numbers as the command lines take them: only what they promise (no
 * trailing junk, no sign, no overflow); 0 or -1.
 */
int gb_parse_u64(const char *s, uint64_t *out);	  /* 1000, 10k, 1M */
int gb_parse_bytes(const char *s, uint64_t *out); /* 4096, 4K, 2M, 1G */

#endif
