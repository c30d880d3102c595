// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "textfile.h"

#define READ_TEXT_MAX (4 << 20)

char *gb_read_text_len(const char *path, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *buf = NULL, *grown;
	struct stat st;
	ssize_t got;
	int fd, err = 0;

	/* O_NONBLOCK: a FIFO named like a file must not hang the reader. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL; /* not a regular file */
		return NULL;
	}
	buf = malloc(cap);
	while (buf) {
		got = read(fd, buf + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			err = got < 0 ? errno : 0;
			break;
		}
		len += (size_t)got;
		if (len < cap - 1)
			continue;
		/* Longer than any file this reads: refused, never cut short. */
		if (cap >= READ_TEXT_MAX) {
			err = EFBIG;
			break;
		}
		cap *= 2;
		grown = realloc(buf, cap);
		if (!grown)
			free(buf);
		buf = grown;
	}
	close(fd);
	if (buf && err) {
		free(buf);
		buf = NULL;
	}
	if (!buf) {
		errno = err ? err : ENOMEM;
		return NULL;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

char *gb_read_text(const char *path)
{
	return gb_read_text_len(path, NULL);
}

uint64_t gb_read_u64(const char *path)
{
	char *text = gb_read_text(path);
	uint64_t v = text ? strtoull(text, NULL, 10) : 0;

	free(text);
	return v;
}
