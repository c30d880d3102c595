// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "json_file.h"

int gb_json_write_atomic(json_t *doc, const char *path)
{
	size_t len = strlen(path) + sizeof(".tmp.XXXXXX");
	char *tmp = malloc(len);
	int fd, err = 0;

	if (!tmp)
		return gb_fail(GB_EXIT_OUTPUT, "out of memory writing %s", path);
	snprintf(tmp, len, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = errno;
		free(tmp);
		return gb_fail_errno(GB_EXIT_OUTPUT, err, "cannot create a file next to %s", path);
	}
	if (json_dumpfd(doc, fd, JSON_INDENT(1)) || write(fd, "\n", 1) != 1)
		err = errno ? errno : EIO;
	if (!err && fchmod(fd, 0644))
		err = errno;
	if (!err && fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err)
		unlink(tmp);
	free(tmp);
	if (err)
		return gb_fail_errno(GB_EXIT_OUTPUT, err, "cannot write results to %s", path);
	return 0;
}
