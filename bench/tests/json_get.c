// SPDX-License-Identifier: GPL-2.0
/*
 * json-get FILE PATH: print the value at a dotted PATH of a JSON file
 * (numbers index arrays: runs.0.created).  A test helper, so the shell
 * tests read results through the same library that wrote them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *doc, *v;
	char *path, *tok, *save = NULL, *out;

	if (argc != 3) {
		fprintf(stderr, "usage: json-get FILE PATH\n");
		return 2;
	}
	doc = json_load_file(argv[1], 0, &err);
	if (!doc) {
		fprintf(stderr, "json-get: %s: %s\n", argv[1], err.text);
		return 1;
	}
	path = strdup(argv[2]);
	v = doc;
	for (tok = strtok_r(path, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, strtoul(tok, NULL, 10)) :
				       json_object_get(v, tok);
	if (!v) {
		fprintf(stderr, "json-get: %s: no %s\n", argv[1], argv[2]);
		return 1;
	}
	if (json_is_string(v))
		printf("%s\n", json_string_value(v));
	else if (json_is_real(v))
		printf("%.17g\n", json_real_value(v));
	else {
		out = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		printf("%s\n", out);
		free(out);
	}
	free(path);
	json_decref(doc);
	return 0;
}
