// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"
#include "session.h"
#include "shell_command.h"

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
	sigset_t none, dfl;
	int err, status;
	pid_t pid;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGHUP);
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
	err = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err)
		return gb_fail_errno(GB_EXIT_FAILURE, err, "cannot run %s", what);
	/*
	 * A signal that came during posix_spawn() (glibc blocks signals
	 * there) has no waitpid() to interrupt: pass it on now.  One that
	 * comes between this test and waitpid() is still missed.
	 */
	if (gb_signal_received)
		kill(-pid, gb_signal_received);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return gb_fail_errno(GB_EXIT_FAILURE, errno, "waiting for %s", what);
		if (gb_signal_received)
			kill(-pid, gb_signal_received);
	}
	if (WIFSIGNALED(status))
		return gb_fail(GB_EXIT_FAILURE, "%s was killed by %s", what,
			       strsignal(WTERMSIG(status)));
	if (WEXITSTATUS(status))
		return gb_fail(GB_EXIT_FAILURE, "%s exited with %d", what, WEXITSTATUS(status));
	return 0;
}
