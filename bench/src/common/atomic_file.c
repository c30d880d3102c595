// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "errors.h"

/* Symbolic links followed at most, as the kernel does (MAXSYMLINKS). */
#define MAX_LINK_HOPS 40

/*
 * The name a dangling symbolic link points to, followed through further
 * links: a new file is made there, and the link keeps pointing at it.
 * NULL with errno set if the chain is too long or unreadable.
 */
static char *dangling_target(const char *path)
{
	char *cur = strdup(path), *next, *dir;
	char buf[PATH_MAX];
	struct stat st;
	ssize_t len;

	for (int hop = 0; cur && hop < MAX_LINK_HOPS; hop++) {
		if (lstat(cur, &st) || !S_ISLNK(st.st_mode))
			return cur;
		len = readlink(cur, buf, sizeof(buf) - 1);
		if (len < 0) {
			free(cur);
			return NULL;
		}
		buf[len] = '\0';
		if (buf[0] == '/') {
			next = strdup(buf);
		} else {
			dir = dirname(cur);
			next = malloc(strlen(dir) + len + 2);
			if (next)
				sprintf(next, "%s/%s", dir, buf);
		}
		free(cur);
		cur = next;
	}
	free(cur);
	errno = cur ? ELOOP : ENOMEM;
	return NULL;
}

/*
 * Where the file really goes: the target of any symbolic links, so a
 * link is never replaced by a file.  Sets *@direct for something that is
 * not a regular file (a character device such as /dev/null or a
 * terminal, a FIFO, a pipe as /dev/stdout): that is written in place.
 */
static int resolve(struct gb_atomic_file *af, const char *path)
{
	struct stat st;

	if (!stat(path, &st)) {
		if (S_ISREG(st.st_mode)) {
			af->final = realpath(path, NULL);
			return af->final ? 0 :
					   gb_fail_errno(GB_EXIT_OUTPUT, errno, "cannot write %s",
							 path);
		}
		if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode))
			return gb_fail(
				GB_EXIT_OUTPUT,
				"cannot write %s: not a regular file, a character device or a FIFO",
				path);
		af->direct = true;
		return 0;
	}
	if (errno != ENOENT)
		return gb_fail_errno(GB_EXIT_OUTPUT, errno, "cannot write %s", path);
	af->final = dangling_target(path);
	return af->final ? 0 : gb_fail_errno(GB_EXIT_OUTPUT, errno, "cannot write %s", path);
}

int gb_atomic_open(struct gb_atomic_file *af, const char *path)
{
	size_t len;
	int fd, err;

	memset(af, 0, sizeof(*af));
	af->path = path;
	if (resolve(af, path))
		return -1;
	if (af->direct) {
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			return gb_fail_errno(GB_EXIT_OUTPUT, errno, "cannot write %s", path);
	} else {
		len = strlen(af->final) + sizeof(".tmp.XXXXXX");
		af->tmp = malloc(len);
		if (!af->tmp) {
			gb_atomic_abort(af);
			return gb_fail(GB_EXIT_OUTPUT, "out of memory writing %s", path);
		}
		snprintf(af->tmp, len, "%s.tmp.XXXXXX", af->final);
		fd = mkstemp(af->tmp);
		if (fd < 0) {
			err = errno;
			free(af->tmp);
			af->tmp = NULL;
			gb_atomic_abort(af);
			return gb_fail_errno(GB_EXIT_OUTPUT, err, "cannot create a file next to %s",
					     path);
		}
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
	/* A device or FIFO is written in place: nothing to sync or rename. */
	if (!err && !af->direct && fchmod(fileno(af->f), 0644))
		err = errno;
	if (!err && !af->direct && fsync(fileno(af->f)))
		err = errno;
	if (fclose(af->f) && !err)
		err = errno;
	af->f = NULL;
	if (!err && !af->direct && rename(af->tmp, af->final))
		err = errno;
	if (err) {
		gb_atomic_abort(af);
		return gb_fail_errno(GB_EXIT_OUTPUT, err, "cannot write %s", af->path);
	}
	gb_atomic_abort(af);
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
	free(af->final);
	af->final = NULL;
}
