// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "metrics.h"
#include "suite.h"
#include "util.h"

#define LINE_MAX_LEN 1024
#define MAX_VALUES 64
#define MAX_THREADS 4096

enum matrix_key { K_WORKLOAD, K_BACKEND, K_THREADS, K_PLACEMENT, K_VM, K_RUNS, K_ARGS, K_COUNT };

static const char *const key_names[K_COUNT] = {
	"workload", "backend", "threads", "placement", "vm", "runs", "args",
};

/* The values gmem-bench accepts, checked here so a typo fails at once. */
static const char *const allowed[K_COUNT][4] = {
	[K_WORKLOAD] = { "churn", "hold" },
	[K_BACKEND] = { "gmem", "memfd" },
	[K_PLACEMENT] = { "spread", "fill", "single" },
	[K_VM] = { "shared", "per-thread" },
};

struct matrix {
	char name[GB_SUITE_NAME_MAX];
	unsigned int line;
	bool seen[K_COUNT];
	char values[K_COUNT][MAX_VALUES][GB_SUITE_NAME_MAX];
	size_t nvalues[K_COUNT];
	unsigned int threads[MAX_VALUES * 8];
	size_t nthreads;
	char args[GB_SUITE_ARGS_MAX];
};

struct parser {
	const char *what;
	unsigned int line, ncpus;
	struct gb_suite *suite;
	struct matrix *m; /* the matrix being read, or NULL */
};

static __printf(2, 3) int bad(const struct parser *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return gb_fail(GB_EXIT_INPUT, "suite %s:%u: %s", p->what, p->line, msg);
}

static bool valid_name(const char *s)
{
	/* gmem-compare ignores dot files, and "." and ".." are no file names. */
	if (!*s || *s == '.')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._+-", *s))
			return false;
	return true;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Copy @in to @out with every {ncpus} replaced. */
static int substitute(const struct parser *p, const char *in, char *out, size_t size)
{
	size_t len = 0;

	while (*in) {
		int n;

		if (!strncmp(in, "{ncpus}", 7)) {
			n = snprintf(out + len, size - len, "%u", p->ncpus);
			in += 7;
		} else {
			n = snprintf(out + len, size - len, "%c", *in++);
		}
		if (n < 0 || (size_t)n >= size - len)
			return bad(p, "line longer than %zu characters", size - 1);
		len += n;
	}
	out[len] = '\0';
	return 0;
}

/*
 * Split @in into arguments as a shell would split plain words, without any
 * expansion: blanks separate, '...' is literal, "..." is literal but for
 * \" and \\, and a backslash outside quotes takes the next character as
 * it is.  The arguments are written to @out joined by GB_SUITE_ARG_SEP,
 * so that no runner has to split (or glob) them again.
 */
static int split_args(const struct parser *p, const char *in, char *out, size_t size)
{
	size_t len = 0;
	bool in_word = false, any = false;
	char quote = 0;

	/* Before splitting: a backslash must not smuggle one past the check. */
	for (const char *c = in; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return bad(p, "control character in the arguments");
	for (; *in; in++) {
		char c = *in;

		if (!quote && (c == ' ' || c == '\t')) {
			in_word = false;
			continue;
		}
		if (!quote && (c == '\'' || c == '"')) {
			quote = c;
		} else if (quote && c == quote) {
			quote = 0;
		} else {
			if (c == '\\' && quote != '\'' &&
			    (!quote || in[1] == '"' || in[1] == '\\')) {
				if (!in[1])
					return bad(p, "the arguments end with a backslash");
				c = *++in;
			}
			if (!in_word && any && len + 1 < size)
				out[len++] = GB_SUITE_ARG_SEP;
			if (len + 1 < size)
				out[len++] = c;
			in_word = any = true;
			continue;
		}
		/* A quote opens a word even if it stays empty (''). */
		if (!in_word && any && len + 1 < size)
			out[len++] = GB_SUITE_ARG_SEP;
		in_word = any = true;
	}
	if (quote)
		return bad(p, "unclosed %c in the arguments", quote);
	if (len + 1 >= size)
		return bad(p, "arguments longer than %zu characters", size - 1);
	out[len] = '\0';
	return 0;
}

static int add_case(struct parser *p, const char *name, const char *text)
{
	struct gb_suite *s = p->suite;
	struct gb_suite_case *c;
	char args[GB_SUITE_ARGS_MAX];

	if (split_args(p, text, args, sizeof(args)))
		return GB_EXIT_INPUT;

	if (!valid_name(name))
		return bad(p, "case name '%s' must be letters, digits and ._+-", name);
	if (strlen(name) >= GB_SUITE_NAME_MAX || strlen(args) >= GB_SUITE_ARGS_MAX)
		return bad(p, "case %s: name or arguments too long", name);
	if (!*args)
		return bad(p, "case %s has no gmem-bench arguments", name);
	for (size_t i = 0; i < s->ncases; i++)
		if (!strcmp(s->cases[i].name, name))
			return bad(p, "case %s is defined twice", name);
	if (s->ncases == GB_SUITE_MAX_CASES)
		return bad(p, "more than %d cases", GB_SUITE_MAX_CASES);
	c = &s->cases[s->ncases++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->args, sizeof(c->args), "%s", args);
	return 0;
}

static int parse_uint(const struct parser *p, const char *s, const char *what, unsigned int max,
		      unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !isdigit((unsigned char)*s) || v < 1 || v > max)
		return bad(p, "%s '%s': expected a number from 1 to %u", what, s, max);
	*out = (unsigned int)v;
	return 0;
}

/* "4", "1..8" (every value) or "1..64*2" (doubling, and the end itself). */
static int add_threads(struct parser *p, struct matrix *m, char *tok)
{
	char *dots = strstr(tok, ".."), *star;
	unsigned int lo, hi, v;
	bool doubling;

	if (!dots) {
		if (m->nthreads == ARRAY_SIZE(m->threads))
			return bad(p, "too many thread counts");
		return parse_uint(p, tok, "threads", MAX_THREADS, &m->threads[m->nthreads++]);
	}
	*dots = '\0';
	star = strchr(dots + 2, '*');
	doubling = star && !strcmp(star, "*2");
	if (star && !doubling)
		return bad(p, "threads '%s..%s': the only step is *2", tok, dots + 2);
	if (star)
		*star = '\0';
	if (parse_uint(p, tok, "threads", MAX_THREADS, &lo) ||
	    parse_uint(p, dots + 2, "threads", MAX_THREADS, &hi))
		return GB_EXIT_INPUT;
	if (lo > hi)
		return bad(p, "threads %u..%u: the range is empty", lo, hi);
	for (v = lo; v <= hi; v = doubling ? v * 2 : v + 1) {
		if (m->nthreads == ARRAY_SIZE(m->threads))
			return bad(p, "too many thread counts");
		m->threads[m->nthreads++] = v;
	}
	if (doubling && m->threads[m->nthreads - 1] != hi)
		m->threads[m->nthreads++] = hi;
	return 0;
}

static int check_allowed(const struct parser *p, enum matrix_key k, const char *v)
{
	if (!allowed[k][0])
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(allowed[k]) && allowed[k][i]; i++)
		if (!strcmp(allowed[k][i], v))
			return 0;
	return bad(p, "%s '%s' is not one gmem-bench knows", key_names[k], v);
}

static int matrix_line(struct parser *p, char *line)
{
	struct matrix *m = p->m;
	char *key = line, *rest, *tok, *save = NULL;
	enum matrix_key k;

	rest = key + strcspn(key, " \t");
	if (*rest)
		*rest++ = '\0';
	rest = trim(rest);
	for (k = 0; k < K_COUNT && strcmp(key_names[k], key); k++)
		;
	if (k == K_COUNT)
		return bad(
			p,
			"unknown matrix key '%s' (workload, backend, threads, placement, vm, runs, args)",
			key);
	if (m->seen[k])
		return bad(p, "matrix %s: %s given twice", m->name, key);
	m->seen[k] = true;
	if (!*rest)
		return bad(p, "matrix %s: %s has no value", m->name, key);
	if (k == K_ARGS) {
		snprintf(m->args, sizeof(m->args), "%s", rest);
		return 0;
	}
	for (tok = strtok_r(rest, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		int ret;

		if (m->nvalues[k] == MAX_VALUES)
			return bad(p, "matrix %s: too many %s values", m->name, key);
		if (strlen(tok) >= GB_SUITE_NAME_MAX)
			return bad(p, "matrix %s: %s value too long", m->name, key);
		ret = k == K_THREADS ? add_threads(p, m, tok) : check_allowed(p, k, tok);
		if (ret)
			return ret;
		snprintf(m->values[k][m->nvalues[k]++], GB_SUITE_NAME_MAX, "%s", tok);
	}
	if (k == K_RUNS) {
		unsigned int runs;

		if (m->nvalues[k] != 1)
			return bad(p, "matrix %s: runs takes one number", m->name);
		return parse_uint(p, m->values[k][0], "runs", 100000, &runs);
	}
	return 0;
}

static int expand_one(struct parser *p, const struct matrix *m, size_t w, size_t b, unsigned int t,
		      size_t pl, size_t v)
{
	const char *backend = m->values[K_BACKEND][b];
	bool gmem = !strcmp(backend, "gmem");
	char name[GB_SUITE_NAME_MAX * 4], args[GB_SUITE_ARGS_MAX * 2];
	size_t n;

	n = snprintf(name, sizeof(name), "%s", m->name);
	if (m->nvalues[K_WORKLOAD] > 1)
		n += snprintf(name + n, sizeof(name) - n, "-%s", m->values[K_WORKLOAD][w]);
	n += snprintf(name + n, sizeof(name) - n, "-%s-%ut", backend, t);
	if (m->nvalues[K_PLACEMENT] > 1)
		n += snprintf(name + n, sizeof(name) - n, "-%s", m->values[K_PLACEMENT][pl]);
	if (gmem && m->nvalues[K_VM] > 1)
		snprintf(name + n, sizeof(name) - n, "-vm-%s", m->values[K_VM][v]);

	n = snprintf(args, sizeof(args), "%s -b %s -t %u", m->values[K_WORKLOAD][w], backend, t);
	if (m->nvalues[K_PLACEMENT])
		n += snprintf(args + n, sizeof(args) - n, " -p %s", m->values[K_PLACEMENT][pl]);
	if (gmem && m->nvalues[K_VM])
		n += snprintf(args + n, sizeof(args) - n, " --vm %s", m->values[K_VM][v]);
	if (m->nvalues[K_RUNS])
		n += snprintf(args + n, sizeof(args) - n, " -r %s", m->values[K_RUNS][0]);
	if (*m->args)
		snprintf(args + n, sizeof(args) - n, " %s", m->args);
	return add_case(p, name, args);
}

static size_t at_least_one(size_t n)
{
	return n ? n : 1;
}

/* The placement x VM part of one combination; memfd gets one VM value. */
static int expand_placements(struct parser *p, const struct matrix *m, size_t w, size_t b,
			     unsigned int threads)
{
	bool gmem = !strcmp(m->values[K_BACKEND][b], "gmem");
	size_t nvm = gmem ? at_least_one(m->nvalues[K_VM]) : 1;
	int ret = 0;

	for (size_t pl = 0; !ret && pl < at_least_one(m->nvalues[K_PLACEMENT]); pl++)
		for (size_t v = 0; !ret && v < nvm; v++)
			ret = expand_one(p, m, w, b, threads, pl, v);
	return ret;
}

/* Every combination, in the order of the keys. */
static int matrix_end(struct parser *p)
{
	struct matrix *m = p->m;
	int ret = 0;

	p->m = NULL;
	if (!m)
		return 0;
	p->line = m->line;
	for (enum matrix_key k = K_WORKLOAD; k <= K_THREADS && !ret; k++)
		if (!m->nvalues[k])
			ret = bad(p, "matrix %s needs a %s line", m->name, key_names[k]);
	for (size_t w = 0; !ret && w < m->nvalues[K_WORKLOAD]; w++)
		for (size_t b = 0; !ret && b < m->nvalues[K_BACKEND]; b++)
			for (size_t t = 0; !ret && t < m->nthreads; t++)
				ret = expand_placements(p, m, w, b, m->threads[t]);
	free(m);
	return ret;
}

static int matrix_begin(struct parser *p, char *name)
{
	if (!valid_name(name) || strlen(name) >= GB_SUITE_NAME_MAX / 2)
		return bad(p, "matrix name '%s' must be letters, digits and ._+- (at most %d)",
			   name, GB_SUITE_NAME_MAX / 2 - 1);
	p->m = calloc(1, sizeof(*p->m));
	if (!p->m)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	snprintf(p->m->name, sizeof(p->m->name), "%s", name);
	p->m->line = p->line;
	return 0;
}

static int add_role(struct parser *p, const char *name, const char *metric)
{
	struct gb_suite_role *r;

	if (p->suite->nroles == GB_SUITE_MAX_ROLES)
		return bad(p, "more than %d primary figures and controls", GB_SUITE_MAX_ROLES);
	if (metric && !gb_metric_find(metric))
		return bad(
			p,
			"'%s' is not a metric gmem-compare knows (ns_per_op, ops_per_sec, slab_bytes_per_file, allocs_per_create, create_p99_ns, ...)",
			metric);
	r = &p->suite->roles[p->suite->nroles++];
	snprintf(r->case_name, sizeof(r->case_name), "%s", name);
	snprintf(r->metric, sizeof(r->metric), "%s", metric ? metric : "");
	r->line = p->line;
	return 0;
}

/* "primary NAME METRIC..." or "control NAME". */
static int add_roles(struct parser *p, char *rest, bool primary)
{
	char *save = NULL, *name = strtok_r(rest, " \t", &save), *metric;
	int ret = 0;

	if (!name || !valid_name(name) || strlen(name) >= GB_SUITE_NAME_MAX)
		return bad(p, "expected '%s NAME%s' with a case name",
			   primary ? "primary" : "control", primary ? " METRIC..." : "");
	metric = strtok_r(NULL, " \t", &save);
	if (!primary)
		return metric ?
			       bad(p,
				   "'control NAME' takes no metric: the whole case is the control") :
			       add_role(p, name, NULL);
	if (!metric)
		return bad(p, "'primary %s' needs at least one metric", name);
	for (; metric && !ret; metric = strtok_r(NULL, " \t", &save))
		ret = add_role(p, name, metric);
	return ret;
}

/* Every role names a case of the suite (declared before or after it). */
static int check_roles(const struct gb_suite *suite, const char *what)
{
	for (size_t r = 0; r < suite->nroles; r++) {
		bool found = false;

		for (size_t c = 0; c < suite->ncases && !found; c++)
			found = !strcmp(suite->cases[c].name, suite->roles[r].case_name);
		if (!found)
			return gb_fail(GB_EXIT_INPUT, "suite %s:%u: no case %s in the suite", what,
				       suite->roles[r].line, suite->roles[r].case_name);
	}
	return 0;
}

static int parse_line(struct parser *p, char *raw)
{
	char buf[LINE_MAX_LEN], *line, *colon;
	bool indented = raw[0] == ' ' || raw[0] == '\t';
	int ret;

	ret = substitute(p, raw, buf, sizeof(buf));
	if (ret)
		return ret;
	line = trim(buf);
	if (!*line || *line == '#')
		return 0;
	if (indented) {
		if (!p->m)
			return bad(p, "indented line outside a matrix");
		return matrix_line(p, line);
	}
	ret = matrix_end(p);
	if (ret)
		return ret;
	if (!strncmp(line, "matrix", 6) && (!line[6] || isspace((unsigned char)line[6])))
		return matrix_begin(p, trim(line + 6));
	if (!strncmp(line, "rounds", 6) && isspace((unsigned char)line[6]))
		return parse_uint(p, trim(line + 6), "rounds", 1000, &p->suite->rounds);
	if (!strncmp(line, "primary", 7) && isspace((unsigned char)line[7]))
		return add_roles(p, trim(line + 7), true);
	if (!strncmp(line, "control", 7) && isspace((unsigned char)line[7]))
		return add_roles(p, trim(line + 7), false);
	colon = strchr(line, ':');
	if (!colon)
		return bad(p, "expected 'NAME: arguments' or 'matrix NAME'");
	*colon = '\0';
	return add_case(p, trim(line), trim(colon + 1));
}

int gb_suite_parse(const char *text, const char *what, unsigned int ncpus, struct gb_suite *suite)
{
	struct parser p = { .what = what, .ncpus = ncpus, .suite = suite };
	const char *s = text;
	int ret = 0;

	memset(suite, 0, sizeof(*suite));
	suite->rounds = 1;
	suite->cases = calloc(GB_SUITE_MAX_CASES, sizeof(*suite->cases));
	if (!suite->cases)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	while (*s && !ret) {
		size_t len = strcspn(s, "\n");
		char raw[LINE_MAX_LEN];

		p.line++;
		/* break, not return: an open matrix block (p.m) is freed below */
		if (len >= sizeof(raw)) {
			ret = bad(&p, "line longer than %zu characters", sizeof(raw) - 1);
			break;
		}
		/*
		 * A file cut short (a copy, a full disk) usually ends inside a
		 * line, whose prefix may still parse: say so instead.
		 */
		if (len && !s[len]) {
			ret = bad(&p,
				  "the file ends inside this line (no final newline): truncated?");
			break;
		}
		memcpy(raw, s, len);
		raw[len] = '\0';
		if (strlen(raw) != len) {
			ret = bad(&p, "NUL byte in the line");
			break;
		}
		ret = parse_line(&p, raw);
		s += len + (s[len] == '\n');
	}
	if (!ret)
		ret = matrix_end(&p);
	free(p.m);
	if (!ret && !suite->ncases)
		ret = gb_fail(GB_EXIT_INPUT, "suite %s: no cases in it", what);
	if (!ret)
		ret = check_roles(suite, what);
	return ret;
}

void gb_suite_free(struct gb_suite *suite)
{
	free(suite->cases);
	memset(suite, 0, sizeof(*suite));
}
