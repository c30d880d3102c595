// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

int gb_spawn_init(struct gb_spawn *sp, const struct gb_spawn_ops *ops, unsigned int n)
{
	sp->ops = ops;
	sp->n = n;
	sp->tids = calloc(n, sizeof(*sp->tids));
	sp->pids = calloc(n, sizeof(*sp->pids));
	return sp->tids && sp->pids ? 0 : ENOMEM;
}

void gb_spawn_free(struct gb_spawn *sp)
{
	free(sp->tids);
	free(sp->pids);
	sp->tids = NULL;
	sp->pids = NULL;
}

static int thread_start(struct gb_spawn *sp, unsigned int idx, void *(*fn)(void *), void *arg)
{
	return pthread_create(&sp->tids[idx], NULL, fn, arg);
}

static int thread_wait(struct gb_spawn *sp, unsigned int idx, char *why, size_t len)
{
	(void)why;
	(void)len;
	return pthread_join(sp->tids[idx], NULL);
}

const struct gb_spawn_ops gb_spawn_threads = {
	.name = "threads",
	.start = thread_start,
	.wait = thread_wait,
};

static int proc_start(struct gb_spawn *sp, unsigned int idx, void *(*fn)(void *), void *arg)
{
	pid_t pid;

	/* Nothing buffered may be written twice by the child. */
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return errno;
	if (!pid) {
		fn(arg);
		/* _exit: the parent's atexit handlers and buffers are not ours. */
		_exit(0);
	}
	sp->pids[idx] = pid;
	return 0;
}

static int proc_wait(struct gb_spawn *sp, unsigned int idx, char *why, size_t len)
{
	int status;

	while (waitpid(sp->pids[idx], &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, len, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFSIGNALED(status))
		snprintf(why, len, "worker process %d killed by %s", (int)sp->pids[idx],
			 strsignal(WTERMSIG(status)));
	else
		snprintf(why, len, "worker process %d exited with %d", (int)sp->pids[idx],
			 WEXITSTATUS(status));
	return -1;
}

const struct gb_spawn_ops gb_spawn_procs = {
	.name = "processes",
	.start = proc_start,
	.wait = proc_wait,
};
