// SPDX-License-Identifier: GPL-2.0
/*
 * "gmem-bench selftest [options] [-- SELFTEST-ARGS]": run the KVM selftest
 * guest_memfd_perf_test (built as gmem-kst) and write what it measured as
 * a gmem-bench result (workload churn, backend "kvm-selftest"), so that
 * gmem-compare treats it like any case: the kernel's own test library
 * measuring the same create+close, beside gmem-bench's harness.
 *
 * The selftest runs as a child, its arguments passed to execv() as given
 * (no shell); its standard output is read back, and copied to ours.
 * Without -j nothing is written; on any failure, no result either: the
 * exit code and one line say why.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "cli.h"
#include "config.h"
#include "errors.h"
#include "json_file.h"
#include "metadata.h"
#include "params.h"
#include "selftest.h"
#include "version.h"
#include "workload.h"

/* The selftest's output is a few lines a run; more is not its output. */
#define MAX_OUTPUT (1 << 20)
/* kselftest's exit status for a skip (KSFT_SKIP). */
#define KSFT_SKIP 4

struct selftest_args {
	const char *path; /* NULL: gmem-kst beside this program */
	const char *json_path;
	const char *label;
	bool quiet;
	const char **argv; /* the selftest's arguments */
	int argc;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: gmem-bench selftest [options] [SELFTEST-ARGS]\n"
		"Run the KVM selftest guest_memfd_perf_test and record its figures as a\n"
		"gmem-bench result (backend kvm-selftest), for gmem-compare.\n"
		"  --selftest PATH    the selftest (default: gmem-kst beside gmem-bench)\n"
		"  -j, --json FILE    write the result here (atomically)\n"
		"  --label TEXT       label of the result\n"
		"  --quiet            do not copy the selftest's output to stdout\n"
		"  --help             this text\n"
		"These may come anywhere; every other argument goes to the selftest, in\n"
		"order (after \"--\", all of them): -v threads, -m (a VM each), -t VM type,\n"
		"-s size, -f flags, -l seconds, -r runs, -w warm-up, -n sampling.\n"
		"Exit codes as gmem-bench's: 3 no /dev/kvm, 5 no guest_memfd, 6 a VM type or\n"
		"flag refused (the selftest skipped), 1 it failed, 11 its output unreadable.\n");
}

/* The value of option @argv[*i], which must have one. */
static const char *value_of(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		gb_fail(GB_EXIT_USAGE, "selftest: %s needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

/*
 * Our options are long ones and -j, which the selftest does not use: its
 * own are single letters (-l is its run length), so nothing is ambiguous
 * and the suite runner may append "--label L -j FILE" to any case.
 */
static enum gb_parse_result parse_args(int argc, char **argv, struct selftest_args *a)
{
	bool ours = true;
	int i;

	a->argv = calloc(argc + 1, sizeof(*a->argv));
	if (!a->argv) {
		gb_fail(GB_EXIT_FAILURE, "selftest: out of memory");
		return GB_PARSE_ERROR;
	}
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char **to = NULL;

		if (ours && !strcmp(arg, "--")) {
			ours = false;
			continue;
		}
		if (ours && !strcmp(arg, "--help")) {
			usage(stdout);
			return GB_PARSE_EXIT_OK;
		}
		if (ours && !strcmp(arg, "--quiet")) {
			a->quiet = true;
			continue;
		}
		if (ours && !strcmp(arg, "--selftest"))
			to = &a->path;
		else if (ours && (!strcmp(arg, "--json") || !strcmp(arg, "-j")))
			to = &a->json_path;
		else if (ours && !strcmp(arg, "--label"))
			to = &a->label;
		else if (ours && !strncmp(arg, "--", 2)) {
			gb_fail(GB_EXIT_USAGE, "selftest: unknown option '%s' (see --help)", arg);
			return GB_PARSE_ERROR;
		}
		if (!to) {
			a->argv[a->argc++] = argv[i];
			continue;
		}
		*to = value_of(argc, argv, &i);
		if (!*to)
			return GB_PARSE_ERROR;
	}
	return GB_PARSE_RUN;
}

/* gmem-kst in the directory of this executable. */
static int default_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return gb_fail_errno(GB_EXIT_FAILURE, errno, "selftest: /proc/self/exe");
	self[n] = '\0';
	if ((size_t)snprintf(buf, len, "%s/gmem-kst", dirname(self)) >= len)
		return gb_fail(GB_EXIT_FAILURE, "selftest: path too long");
	return 0;
}

/* Read @fd to the end into a NUL-terminated buffer (caller frees). */
static char *read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	while (buf) {
		if (len + 1 == cap) {
			char *more = cap < MAX_OUTPUT ? realloc(buf, cap * 2) : NULL;

			if (!more) {
				free(buf);
				gb_fail(GB_EXIT_INPUT,
					"selftest: more output than a selftest writes");
				return NULL;
			}
			buf = more;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			gb_fail_errno(GB_EXIT_FAILURE, errno, "selftest: reading its output");
			free(buf);
			return NULL;
		}
		if (!n)
			break;
		len += n;
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* Run the selftest; its output in *out, its wait status in *status. */
static int run_child(const char *path, const struct selftest_args *a, char **out, int *status)
{
	char **argv = calloc(a->argc + 2, sizeof(*argv));
	int pipefd[2], ret = 0;
	pid_t pid;

	if (!argv || pipe2(pipefd, O_CLOEXEC)) {
		free(argv);
		return gb_fail_errno(GB_EXIT_FAILURE, errno, "selftest: pipe");
	}
	argv[0] = (char *)path;
	memcpy(argv + 1, a->argv, a->argc * sizeof(*argv));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (dup2(pipefd[1], STDOUT_FILENO) < 0)
			_exit(127);
		execv(path, argv);
		fprintf(stderr, "gmem-bench: selftest: cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	free(argv);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return gb_fail_errno(GB_EXIT_FAILURE, errno, "selftest: fork");
	}
	*out = read_all(pipefd[0]);
	close(pipefd[0]);
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			ret = gb_fail_errno(GB_EXIT_FAILURE, errno, "selftest: waitpid");
			break;
		}
	}
	if (!*out && !ret)
		ret = gb_error_code();
	return ret;
}

/* A skip, by what was missing: the exit codes gmem-bench itself uses. */
static int skip_code(const char *reason)
{
	if (strstr(reason, "/dev/kvm"))
		return GB_EXIT_NO_KVM;
	if (strstr(reason, "KVM_CAP_GUEST_MEMFD)"))
		return GB_EXIT_NO_GMEM;
	return GB_EXIT_UNSUPPORTED;
}

static int check_status(const char *path, int status, const struct gb_selftest_result *r)
{
	if (WIFSIGNALED(status))
		return gb_fail(GB_EXIT_FAILURE, "selftest %s was killed by signal %d", path,
			       WTERMSIG(status));
	if (WEXITSTATUS(status) == KSFT_SKIP && r->skipped)
		return gb_fail(skip_code(r->skip_reason), "selftest skipped: %s", r->skip_reason);
	if (WEXITSTATUS(status) == 127)
		return gb_fail(GB_EXIT_FAILURE, "selftest %s could not be run", path);
	if (WEXITSTATUS(status))
		return gb_fail(GB_EXIT_FAILURE, "selftest %s failed (exit %d)", path,
			       WEXITSTATUS(status));
	if (!r->nruns)
		return gb_fail(GB_EXIT_INPUT, "selftest %s reported no run", path);
	return 0;
}

/* The parameters as gmem-bench records a churn run's, from what it printed. */
static json_t *params_json(const struct gb_selftest_result *r)
{
	struct gb_config cfg;
	json_t *params;

	gb_config_defaults(&cfg);
	cfg.workload = gb_workload_find("churn");
	cfg.backend = gb_backend_find("gmem");
	cfg.threads = r->threads;
	cfg.vm_sharing = r->vm_per_thread ? GB_VM_PER_THREAD : GB_VM_SHARED;
	cfg.vm_type = r->vm_type;
	cfg.file_size = r->size;
	cfg.gmem_flags = r->flags;
	cfg.duration_s = r->seconds;
	cfg.runs = r->nruns;
	cfg.warmup = r->warmup;
	cfg.sample_every = r->sample_every;
	params = gb_params_json(&cfg);
	/* What measured it: the kernel's selftest, not gmem-bench's harness. */
	json_object_set_new(params, "backend", json_string("kvm-selftest"));
	/* Its threads go where the scheduler (or its -c list) puts them. */
	json_object_set_new(params, "placement", json_null());
	return params;
}

static json_t *result_json(const struct gb_selftest_result *r, const struct selftest_args *a,
			   const char *path)
{
	json_t *doc = json_object(), *meta = gb_metadata_json(), *runs = json_array();
	json_t *samples = json_object(), *args = json_array();
	json_t *ns = json_array(), *ops = json_array(), *create = json_array(),
	       *close_ = json_array();
	unsigned int i;

	for (i = 0; i < r->nruns; i++) {
		const struct gb_selftest_run *run = &r->runs[i];
		double ops_per_sec = run->files / run->seconds;

		json_array_append_new(runs,
				      json_pack("{s:i, s:I, s:I, s:f, s:f, s:f, s:f, s:I}", "index",
						i, "created", (json_int_t)run->files, "closed",
						(json_int_t)run->files, "ns_per_op", run->ns_per_op,
						"ops_per_sec", ops_per_sec, "create_mean_ns",
						run->create_ns, "close_mean_ns", run->close_ns,
						"timed_samples", (json_int_t)run->samples));
		json_array_append_new(ns, json_real(run->ns_per_op));
		json_array_append_new(ops, json_real(ops_per_sec));
		json_array_append_new(create, json_real(run->create_ns));
		json_array_append_new(close_, json_real(run->close_ns));
	}
	json_object_set_new(samples, "ns_per_op", ns);
	json_object_set_new(samples, "ops_per_sec", ops);
	json_object_set_new(samples, "create_mean_ns", create);
	json_object_set_new(samples, "close_mean_ns", close_);
	for (i = 0; i < (unsigned int)a->argc; i++)
		json_array_append_new(args, json_string(a->argv[i]));
	json_object_set_new(meta, "selftest",
			    json_pack("{s:s, s:s, s:o}", "name", "guest_memfd_perf_test", "path",
				      path, "args", args));

	json_object_set_new(doc, "schema", json_string(GB_JSON_SCHEMA));
	json_object_set_new(doc, "status", json_string("ok"));
	json_object_set_new(doc, "exit_code", json_integer(0));
	json_object_set_new(doc, "error", json_null());
	json_object_set_new(doc, "signal", json_null());
	json_object_set_new(doc, "label", a->label ? json_string(a->label) : json_null());
	json_object_set_new(doc, "params", params_json(r));
	json_object_set_new(doc, "metadata", meta);
	json_object_set_new(doc, "runs", runs);
	json_object_set_new(doc, "samples", samples);
	return doc;
}

int gb_selftest_main(int argc, char **argv)
{
	struct selftest_args a = { 0 };
	struct gb_selftest_result *r = NULL;
	char path[PATH_MAX], *out = NULL;
	int status = 0, ret = 0;

	switch (parse_args(argc, argv, &a)) {
	case GB_PARSE_EXIT_OK:
		free(a.argv);
		return 0;
	case GB_PARSE_RUN:
		break;
	default:
		free(a.argv);
		return gb_cli_error("gmem-bench");
	}
	if (a.path)
		snprintf(path, sizeof(path), "%s", a.path);
	else if (default_path(path, sizeof(path)))
		ret = gb_error_code();
	if (!ret && access(path, X_OK))
		ret = gb_fail_errno(GB_EXIT_FAILURE, errno, "selftest: cannot run %s", path);
	if (!ret)
		ret = run_child(path, &a, &out, &status);
	if (!ret)
		r = malloc(sizeof(*r));
	if (!ret && !r)
		ret = gb_fail(GB_EXIT_FAILURE, "selftest: out of memory");
	if (!ret && !a.quiet)
		fputs(out, stdout);
	if (!ret)
		ret = gb_selftest_parse(out, r);
	if (!ret)
		ret = check_status(path, status, r);
	if (!ret && a.json_path) {
		json_t *doc = result_json(r, &a, path);

		ret = gb_json_write_atomic(doc, a.json_path);
		json_decref(doc);
	}
	free(out);
	free(r);
	free(a.argv);
	return ret ? gb_cli_error("gmem-bench") : 0;
}
