// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "workers_spawn.h"
#include "worker.h"

/* No wait status is -1: a process not collected yet. */
#define NOT_REAPED (-1)

int gb_spawn_init(struct gb_spawn *sp, const struct gb_spawn_ops *ops, unsigned int n)
{
	sp->ops = ops;
	sp->n = n;
	sp->tids = calloc(n, sizeof(*sp->tids));
	sp->pids = calloc(n, sizeof(*sp->pids));
	sp->status = malloc(n * sizeof(*sp->status));
	if (!sp->tids || !sp->pids || !sp->status)
		return ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		sp->status[i] = NOT_REAPED;
	return 0;
}

void gb_spawn_free(struct gb_spawn *sp)
{
	free(sp->tids);
	free(sp->pids);
	free(sp->status);
	sp->tids = NULL;
	sp->pids = NULL;
	sp->status = NULL;
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

/*
 * A signal to a worker process (the terminal's ^C reaches the whole
 * process group) stops the run and is passed to the parent, which reports
 * the run as interrupted, as if it had been sent there.
 */
static void worker_on_signal(int sig)
{
	gb_request_stop();
	kill(getppid(), sig);
}

static void worker_process_setup(pid_t parent)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	sigset_t set;

	/* A worker never outlives the parent: its files close with it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_on_signal;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&set, sigs[i]);
	}
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static int proc_start(struct gb_spawn *sp, unsigned int idx, void *(*fn)(void *), void *arg)
{
	pid_t parent = getpid(), pid;

	/* Nothing buffered may be written twice by the child. */
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return errno;
	if (!pid) {
		worker_process_setup(parent);
		fn(arg);
		/* _exit: the parent's atexit handlers and buffers are not ours. */
		_exit(0);
	}
	sp->pids[idx] = pid;
	return 0;
}

/* 0 if a worker's wait status is a normal end, else -1 and @why. */
static int describe_end(pid_t pid, int status, char *why, size_t len)
{
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFSIGNALED(status))
		snprintf(why, len, "worker process %d killed by %s", (int)pid,
			 strsignal(WTERMSIG(status)));
	else
		snprintf(why, len, "worker process %d exited with %d", (int)pid,
			 WEXITSTATUS(status));
	return -1;
}

static int proc_wait(struct gb_spawn *sp, unsigned int idx, char *why, size_t len)
{
	pid_t pid = sp->pids[idx];

	while (sp->status[idx] == NOT_REAPED && waitpid(pid, &sp->status[idx], 0) < 0) {
		sp->status[idx] = NOT_REAPED;
		if (errno != EINTR) {
			snprintf(why, len, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	return describe_end(pid, sp->status[idx], why, len);
}

static int proc_reap(struct gb_spawn *sp, char *why, size_t len)
{
	int running = 0, failed = 0;

	for (unsigned int i = 0; i < sp->n; i++) {
		pid_t pid = sp->pids[i];
		int status;

		if (!pid || sp->status[i] != NOT_REAPED)
			continue;
		if (waitpid(pid, &status, WNOHANG) != pid) {
			running++;
			continue;
		}
		sp->status[i] = status;
		if (!failed && describe_end(pid, sp->status[i], why, len))
			failed = -1;
	}
	return failed ? failed : running;
}

static void proc_kill_all(struct gb_spawn *sp)
{
	for (unsigned int i = 0; i < sp->n; i++)
		if (sp->pids[i] && sp->status[i] == NOT_REAPED)
			kill(sp->pids[i], SIGKILL);
}

const struct gb_spawn_ops gb_spawn_procs = {
	.name = "processes",
	.start = proc_start,
	.wait = proc_wait,
	.reap = proc_reap,
	.kill_all = proc_kill_all,
};
