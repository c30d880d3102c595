/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GB_SHELL_COMMAND_H
#define GB_SHELL_COMMAND_H

/*
 * Run @cmd with sh -c and wait for it: 0 if it exited 0, else gb_fail()
 * saying how it ended, @what naming it ("the --at-peak command").
 */
int gb_run_shell_command(const char *cmd, const char *what);

#endif
