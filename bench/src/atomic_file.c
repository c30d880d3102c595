// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "errors.h"

int gb_atomic_open(struct gb_atomic_file *af, const char *path)
{
	size_t len = strlen(path) + sizeof(".tmp.XXXXXX");
	int fd, err;

	memset(af, 0, sizeof(*af));
	af->path = path;
	af->tmp = malloc(len);
	if (!af->tmp)
		return gb_fail(GB_EXIT_OUTPUT, "out of memory writing %s", path);
	snprintf(af->tmp, len, "%s.tmp.XXXXXX", path);
	fd = mkstemp(af->tmp);
	if (fd < 0) {
		err = errno;
		free(af->tmp);
		af->tmp = NULL;
		return gb_fail_errno(GB_EXIT_OUTPUT, err, "cannot create a file next to %s", path);
	}
	af->f = fdopen(fd, "w");
	if (!af->f) {
		err = errno;
		close(fd);
		gb_atomic_abort(af);
		return gb_fail_errno(GB_EXIT_OUTPUT, err, "cannot write %s", path);
	}
	return 0;
}

int gb_atomic_commit(struct gb_atomic_file *af)
{
	int err = 0;

	if (fflush(af->f) || ferror(af->f))
		err = errno ? errno : EIO;
	if (!err && fchmod(fileno(af->f), 0644))
		err = errno;
	if (!err && fsync(fileno(af->f)))
		err = errno;
	if (fclose(af->f) && !err)
		err = errno;
	af->f = NULL;
	if (!err && rename(af->tmp, af->path))
		err = errno;
	if (err) {
		gb_atomic_abort(af);
		return gb_fail_errno(GB_EXIT_OUTPUT, err, "cannot write %s", af->path);
	}
	free(af->tmp);
	af->tmp = NULL;
	return 0;
}

void gb_atomic_abort(struct gb_atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	af->f = NULL;
	if (af->tmp)
		unlink(af->tmp);
	free(af->tmp);
	af->tmp = NULL;
}
