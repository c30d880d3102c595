// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "resultset.h"
#include "textfile.h"
#include "version.h"

static const char *string_at(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

/*
 * Every member of samples is an array of numbers, one per run: that is
 * what is compared.  Arrays of different lengths, or no runs in a
 * completed result, mean the file was edited or corrupted.
 */
static int validate_samples(json_t *samples, bool completed, const char *what)
{
	const char *key, *first = NULL;
	size_t i, len = 0;
	json_t *arr, *v;

	if (!json_is_object(samples))
		return gb_fail(GB_EXIT_INPUT, "%s: 'samples' is missing or not an object", what);
	json_object_foreach(samples, key, arr)
	{
		if (!json_is_array(arr))
			return gb_fail(GB_EXIT_INPUT, "%s: samples.%s is not an array", what, key);
		json_array_foreach(arr, i, v) if (!json_is_number(v)) return gb_fail(
			GB_EXIT_INPUT, "%s: samples.%s[%zu] is not a number", what, key, i);
		if (!first) {
			first = key;
			len = json_array_size(arr);
		} else if (json_array_size(arr) != len) {
			return gb_fail(
				GB_EXIT_INPUT,
				"%s: samples.%s has %zu values and samples.%s %zu: one per run in each",
				what, first, len, key, json_array_size(arr));
		}
	}
	if (first && completed && !len)
		return gb_fail(GB_EXIT_INPUT,
			       "%s: a completed result with no samples (samples.%s is empty)", what,
			       first);
	return 0;
}

int gb_result_validate(json_t *doc, const char *what)
{
	json_t *schema, *params, *meta, *tool;

	if (!json_is_object(doc))
		return gb_fail(GB_EXIT_INPUT, "%s: not a gmem-bench result (not a JSON object)",
			       what);
	schema = json_object_get(doc, "schema");
	if (!json_is_string(schema))
		return gb_fail(GB_EXIT_INPUT, "%s: not a gmem-bench result (no 'schema')", what);
	meta = json_object_get(doc, "metadata");
	tool = json_object_get(meta, "tool");
	if (strcmp(json_string_value(schema), GB_JSON_SCHEMA))
		return gb_fail(
			GB_EXIT_MISMATCH,
			"%s: schema '%s' written by gmem-bench %s; this gmem-compare reads '%s' only",
			what, json_string_value(schema),
			json_is_string(json_object_get(tool, "version")) ?
				string_at(tool, "version") :
				"(unknown version)",
			GB_JSON_SCHEMA);
	if (!json_is_string(json_object_get(doc, "status")))
		return gb_fail(GB_EXIT_INPUT, "%s: 'status' is missing or not a string", what);
	params = json_object_get(doc, "params");
	if (!json_is_object(params) || !json_is_string(json_object_get(params, "workload")) ||
	    !json_is_string(json_object_get(params, "backend")) ||
	    !json_is_integer(json_object_get(params, "threads")))
		return gb_fail(GB_EXIT_INPUT, "%s: 'params' lacks workload, backend or threads",
			       what);
	if (!json_is_object(meta) ||
	    !json_is_string(json_object_get(json_object_get(meta, "uname"), "release")))
		return gb_fail(GB_EXIT_INPUT, "%s: 'metadata.uname.release' is missing", what);
	if (!json_is_array(json_object_get(doc, "runs")))
		return gb_fail(GB_EXIT_INPUT, "%s: 'runs' is missing or not an array", what);
	return validate_samples(json_object_get(doc, "samples"),
				!strcmp(json_string_value(json_object_get(doc, "status")), "ok"),
				what);
}

/* "key: value" from the directory's vm.txt (written by scripts/vm-run.sh). */
static char *vm_txt_field(const char *dir, const char *key)
{
	char path[4096], *text, *line, *save = NULL, *out = NULL;
	size_t klen = strlen(key);

	snprintf(path, sizeof(path), "%s/vm.txt", dir);
	text = gb_read_text(path);
	if (!text)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			out = strdup(line + klen + 1 + strspn(line + klen + 1, " "));
			break;
		}
	}
	free(text);
	return out;
}

static char *describe_topology(json_t *meta)
{
	json_t *topo = json_object_get(meta, "topology");
	json_int_t cpus = json_integer_value(json_object_get(topo, "online_cpus"));
	size_t nodes = json_array_size(json_object_get(topo, "nodes"));
	char *s = NULL;

	if (asprintf(&s, "%lld CPU%s, %zu node%s", (long long)cpus, cpus == 1 ? "" : "s",
		     nodes ? nodes : 1, nodes > 1 ? "s" : "") < 0)
		return NULL;
	return s;
}

/*
 * Text from a result file or a file name, shown in every format and on
 * terminals: control characters (a newline, an escape sequence) become
 * '?', here, once, so that no output has to remember it.
 */
static void clean_text(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* The same for a text of several lines: newlines stay. */
static void clean_text_keep_lines(char *s)
{
	for (; s && *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') || *s == 0x7f)
			*s = '?';
}

/* Where it ran, from the first case; later cases must agree on the kernel. */
static int describe_set(struct gb_result_set *set)
{
	json_t *meta = json_object_get(set->cases[0].doc, "metadata");
	char *vm_host = vm_txt_field(set->path, "host");
	char *accel = vm_txt_field(set->path, "accelerator");

	set->release = strdup(string_at(json_object_get(meta, "uname"), "release"));
	set->host = vm_host ? vm_host : strdup(string_at(meta, "hostname"));
	set->cpu_model = strdup(string_at(meta, "cpu_model"));
	set->accelerator = accel ? accel : strdup("none");
	set->topology = describe_topology(meta);
	set->tool_version = strdup(string_at(json_object_get(meta, "tool"), "version"));
	if (!set->release || !set->host || !set->cpu_model || !set->accelerator || !set->topology ||
	    !set->tool_version)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	clean_text(set->release);
	clean_text(set->host);
	clean_text(set->cpu_model);
	clean_text(set->accelerator);
	clean_text(set->tool_version);
	for (size_t i = 1; i < set->ncases; i++) {
		json_t *m = json_object_get(set->cases[i].doc, "metadata");
		const char *rel = string_at(json_object_get(m, "uname"), "release");

		if (strcmp(rel, set->release))
			return gb_fail(
				GB_EXIT_MISMATCH,
				"%s: %s.json ran on kernel %s, %s.json on %s: one directory is one kernel",
				set->path, set->cases[0].name, set->release, set->cases[i].name,
				rel);
	}
	return 0;
}

/*
 * CASE@N.json is round N of CASE (scripts/run-suite.sh with "rounds"): its
 * runs and samples join the case's, as if one session had made them all.
 * Takes @doc.  The latency percentiles over all runs stay the first
 * round's.
 */
static int merge_round(struct gb_result_case *c, json_t *doc, const char *what)
{
	json_t *samples = json_object_get(c->doc, "samples"), *more, *arr;
	const char *key;
	int ret = 0;

	if (!json_equal(json_object_get(c->doc, "params"), json_object_get(doc, "params")))
		ret = gb_fail(GB_EXIT_INPUT,
			      "%s: not the same parameters as the case's other rounds", what);
	more = json_object_get(doc, "samples");
	json_object_foreach(more, key, arr)
	{
		json_t *mine = json_object_get(samples, key);

		if (ret)
			break;
		if (mine)
			json_array_extend(mine, arr);
		else
			json_object_set(samples, key, arr);
	}
	if (!ret)
		json_array_extend(json_object_get(c->doc, "runs"), json_object_get(doc, "runs"));
	json_decref(doc);
	return ret;
}

static int is_case_file(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 && !strcmp(d->d_name + len - 5, ".json");
}

static bool dropped(const struct gb_result_set *set, const char *name)
{
	for (size_t i = 0; i < set->ndropped; i++)
		if (!strcmp(set->dropped[i], name))
			return true;
	return false;
}

/* Takes @name: a case none of whose rounds is compared. */
static int drop_case(struct gb_result_set *set, char *name)
{
	char **grown;

	if (dropped(set, name)) {
		free(name);
		return 0;
	}
	grown = realloc(set->dropped, (set->ndropped + 1) * sizeof(*grown));
	if (!grown) {
		free(name);
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	}
	set->dropped = grown;
	set->dropped[set->ndropped++] = name;
	set->nskipped++;
	return 0;
}

/* Remove the rounds already loaded of the cases dropped. */
static void remove_dropped(struct gb_result_set *set)
{
	size_t kept = 0;

	for (size_t i = 0; i < set->ncases; i++) {
		if (dropped(set, set->cases[i].name)) {
			free(set->cases[i].name);
			json_decref(set->cases[i].doc);
		} else {
			set->cases[kept++] = set->cases[i];
		}
	}
	set->ncases = kept;
}

#define ROUND_CHARS "0123456789abcdefghijklmnopqrstuvwxyz-"

/* Tag every run of @doc with the index of its boot in the set. */
static int tag_boot(struct gb_result_set *set, json_t *doc)
{
	const char *id =
		json_string_value(json_object_get(json_object_get(doc, "metadata"), "boot_id"));
	json_t *run;
	size_t b, i;

	if (!id)
		id = "";
	for (b = 0; b < set->nboots && strcmp(set->boot_ids[b], id); b++)
		;
	if (b == set->nboots) {
		char **grown = realloc(set->boot_ids, (b + 1) * sizeof(*grown));

		if (!grown)
			return gb_fail(GB_EXIT_FAILURE, "out of memory");
		set->boot_ids = grown;
		grown[b] = strdup(id);
		if (!grown[b])
			return gb_fail(GB_EXIT_FAILURE, "out of memory");
		set->nboots++;
	}
	json_array_foreach(json_object_get(doc, "runs"), i, run) if (
		json_object_set_new(
			run, GB_RUN_BOOT_KEY,
			json_integer(
				(json_int_t)
					b))) return gb_fail(GB_EXIT_INPUT,
							    "a run of a result is not a JSON object");
	return 0;
}

static int load_case(struct gb_result_set *set, const char *file)
{
	char path[4096];
	struct gb_result_case *c;
	json_error_t jerr;
	json_t *doc;
	const char *status;
	char *name, *round;
	struct stat st;
	int ret, fd;

	snprintf(path, sizeof(path), "%s/%s", set->path, file);
	/* O_NONBLOCK and a regular file only: a FIFO named *.json would hang us. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return gb_fail_errno(GB_EXIT_INPUT, errno, "cannot read %s", path);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return gb_fail(GB_EXIT_INPUT, "%s: not a regular file", path);
	}
	/* gmem-bench writes tens of KiB; gigabytes would only exhaust memory. */
	if (st.st_size > GB_RESULT_MAX_BYTES) {
		close(fd);
		return gb_fail(GB_EXIT_INPUT, "%s: larger than %d MiB: not a gmem-bench result",
			       path, GB_RESULT_MAX_BYTES >> 20);
	}
	doc = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
	close(fd);
	if (!doc)
		return gb_fail(GB_EXIT_INPUT, "%s: not valid JSON: %s (line %d)", path, jerr.text,
			       jerr.line);
	ret = gb_result_validate(doc, path);
	if (ret) {
		json_decref(doc);
		return ret;
	}
	status = json_string_value(json_object_get(doc, "status"));
	name = strndup(file, strlen(file) - 5);
	if (!name) {
		json_decref(doc);
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	}
	clean_text(name);
	/*
	 * CASE@N (rounds of one session) or CASE@bK-N (scripts/ab.sh: boot K;
	 * the boots themselves are told apart by their boot_id).
	 */
	round = strchr(name, '@');
	if (round && round[1] && strspn(round + 1, ROUND_CHARS) == strlen(round + 1))
		*round = '\0';
	else
		round = NULL;
	ret = tag_boot(set, doc);
	if (ret) {
		free(name);
		json_decref(doc);
		return ret;
	}
	if (strcmp(status, "ok")) {
		/* One round missing leaves a case with fewer runs and drift: all go. */
		gb_warn("%s: the run's status is '%s'; case %s left out%s", path, status, name,
			round ? ", all its rounds" : "");
		json_decref(doc);
		return drop_case(set, name);
	}
	if (round) {
		c = (struct gb_result_case *)gb_result_set_find(set, name);
		if (c) {
			free(name);
			return merge_round(c, doc, path);
		}
	}
	c = &set->cases[set->ncases++];
	c->name = name;
	c->doc = doc;
	return 0;
}

static int add_role(struct gb_result_set *set, const char *case_name,
		    const struct gb_metric *metric)
{
	struct gb_role *grown = realloc(set->roles, (set->nroles + 1) * sizeof(*grown));

	if (!grown)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	set->roles = grown;
	grown[set->nroles].metric = metric;
	grown[set->nroles].case_name = strdup(case_name);
	if (!grown[set->nroles].case_name)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	set->nroles++;
	return 0;
}

/* One line of roles.txt: "primary CASE METRIC" or "control CASE". */
static int parse_role(struct gb_result_set *set, char *line, unsigned int lineno)
{
	char *save = NULL, *kind = strtok_r(line, " \t", &save);
	char *name = kind ? strtok_r(NULL, " \t", &save) : NULL;
	char *key = name ? strtok_r(NULL, " \t", &save) : NULL;
	const struct gb_metric *m = key ? gb_metric_find(key) : NULL;

	if (!kind || *kind == '#')
		return 0;
	if (name && !strcmp(kind, "control") && !key)
		return add_role(set, name, NULL);
	if (name && m && !strcmp(kind, "primary") && !strtok_r(NULL, " \t", &save))
		return add_role(set, name, m);
	if (!set->roles_warning &&
	    asprintf(
		    &set->roles_warning,
		    "%s/roles.txt line %u is not 'primary CASE METRIC' or 'control CASE' with a known metric: ignored",
		    set->path, lineno) < 0)
		set->roles_warning = NULL;
	return 0;
}

/* roles.txt, if the directory has one; a case it names that isn't here is ignored later. */
static int load_roles(struct gb_result_set *set)
{
	char path[4096], *text, *line, *save = NULL;
	unsigned int lineno = 0;
	size_t len;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/roles.txt", set->path);
	text = gb_read_text_len(path, &len);
	if (!text && errno == ENOENT)
		return 0;
	if (!text)
		return gb_fail_errno(GB_EXIT_INPUT, errno, "cannot read %s", path);
	if (strlen(text) != len) {
		free(text);
		return gb_fail(GB_EXIT_INPUT, "%s: a NUL byte in a text file", path);
	}
	clean_text_keep_lines(text);
	for (line = strtok_r(text, "\n", &save); line && !ret; line = strtok_r(NULL, "\n", &save))
		ret = parse_role(set, line, ++lineno);
	free(text);
	return ret;
}

int gb_result_set_load(const char *path, struct gb_result_set *set)
{
	struct dirent **files = NULL;
	const char *base;
	size_t len;
	int n, ret = 0;

	memset(set, 0, sizeof(*set));
	set->path = strdup(path);
	if (!set->path)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	for (len = strlen(set->path); len > 1 && set->path[len - 1] == '/'; len--)
		set->path[len - 1] = '\0';
	base = strrchr(set->path, '/');
	set->label = strdup(base && base[1] ? base + 1 : set->path);
	if (!set->label)
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	clean_text(set->label);

	n = scandir(set->path, &files, is_case_file, alphasort);
	if (n < 0)
		return gb_fail_errno(GB_EXIT_INPUT, errno, "cannot read result directory %s", path);
	set->cases = calloc(n ? n : 1, sizeof(*set->cases));
	if (!set->cases)
		ret = gb_fail(GB_EXIT_FAILURE, "out of memory");
	for (int i = 0; i < n; i++) {
		if (!ret)
			ret = load_case(set, files[i]->d_name);
		free(files[i]);
	}
	free(files);
	if (ret)
		return ret;
	remove_dropped(set);
	if (!set->ncases)
		return gb_fail(GB_EXIT_INPUT, "%s: no completed gmem-bench results (*.json) in it",
			       path);
	ret = describe_set(set);
	return ret ? ret : load_roles(set);
}

void gb_result_set_free(struct gb_result_set *set)
{
	for (size_t i = 0; i < set->ncases; i++) {
		free(set->cases[i].name);
		json_decref(set->cases[i].doc);
	}
	free(set->cases);
	for (size_t i = 0; i < set->ndropped; i++)
		free(set->dropped[i]);
	free(set->dropped);
	for (size_t i = 0; i < set->nboots; i++)
		free(set->boot_ids[i]);
	free(set->boot_ids);
	for (size_t i = 0; i < set->nroles; i++)
		free(set->roles[i].case_name);
	free(set->roles);
	free(set->roles_warning);
	free(set->path);
	free(set->label);
	free(set->release);
	free(set->host);
	free(set->cpu_model);
	free(set->accelerator);
	free(set->topology);
	free(set->tool_version);
	memset(set, 0, sizeof(*set));
}

const struct gb_result_case *gb_result_set_find(const struct gb_result_set *set, const char *name)
{
	for (size_t i = 0; i < set->ncases; i++)
		if (!strcmp(set->cases[i].name, name))
			return &set->cases[i];
	return NULL;
}
