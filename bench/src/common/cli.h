/* SPDX-License-Identifier: GPL-2.0 */
/* What the three programs' mains share: how a command line ends. */
#ifndef GB_CLI_H
#define GB_CLI_H

enum gb_parse_result {
	GB_PARSE_RUN,	  /* do the work */
	GB_PARSE_EXIT_OK, /* --help or --version was printed: exit 0 */
	GB_PARSE_PROBE,	  /* gmem-bench "probe": print capabilities and exit */
	GB_PARSE_ERROR,	  /* gb_fail() recorded the error: gb_cli_error() */
};

/* The error gb_fail() recorded, as "PROG: error: MESSAGE"; its exit code. */
int gb_cli_error(const char *prog);

#endif
