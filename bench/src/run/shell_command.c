// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"
#include "session.h"
#include "shell_command.h"

/* The signals that stop a run, and that the command must get too. */
static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

/*
 * Wait for the command, passing a stop signal on to its process group.
 * The stop signals are blocked on entry and taken only inside ppoll(),
 * which unblocks them and waits in one step: one that came during
 * posix_spawn() (glibc blocks signals there), or just before the wait,
 * still interrupts it.  A pidfd makes the child's exit a poll event.
 */
static int wait_passing_signals(pid_t pid, int *status, const sigset_t *unblocked)
{
	struct pollfd child = { .fd = pidfd_open(pid, 0), .events = POLLIN };
	int passed = 0;

	while (child.fd >= 0) {
		if (gb_signal_received && gb_signal_received != passed) {
			kill(-pid, gb_signal_received);
			passed = gb_signal_received;
		}
		if (ppoll(&child, 1, NULL, unblocked) > 0)
			break;
		if (errno != EINTR) {
			close(child.fd);
			return -errno;
		}
	}
	if (child.fd >= 0)
		close(child.fd);
	/*
	 * No pidfd (EMFILE at the peak of a hold, whose files use the
	 * descriptors, or a kernel before 5.3): wait with signals unblocked.
	 */
	else
		pthread_sigmask(SIG_SETMASK, unblocked, NULL);
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
		if (gb_signal_received)
			kill(-pid, gb_signal_received);
	}
	return 0;
}

/*
 * Run @cmd with sh -c, without the benchmark's
 * descriptors: a command that kept them (a background job, say) would
 * keep every file alive after the run reports it closed.  A signal to
 * gmem-bench meanwhile is recorded as usual (system() would ignore
 * SIGINT) and passed on to the command's process group.
 */
int gb_run_shell_command(const char *cmd, const char *what)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl, stop, unblocked;
	int err, status;
	pid_t pid;

	sigemptyset(&none);
	stop_signals(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	/* A group of its own, so that a signal passed on reaches all of it. */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
						POSIX_SPAWN_SETPGROUP);
	stop_signals(&stop);
	pthread_sigmask(SIG_BLOCK, &stop, &unblocked);
	err = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err) {
		pthread_sigmask(SIG_SETMASK, &unblocked, NULL);
		return gb_fail_errno(GB_EXIT_FAILURE, err, "cannot run %s", what);
	}
	err = wait_passing_signals(pid, &status, &unblocked);
	pthread_sigmask(SIG_SETMASK, &unblocked, NULL);
	if (err)
		return gb_fail_errno(GB_EXIT_FAILURE, -err, "waiting for %s", what);
	if (WIFSIGNALED(status))
		return gb_fail(GB_EXIT_FAILURE, "%s was killed by %s", what,
			       strsignal(WTERMSIG(status)));
	if (WEXITSTATUS(status))
		return gb_fail(GB_EXIT_FAILURE, "%s exited with %d", what, WEXITSTATUS(status));
	return 0;
}
