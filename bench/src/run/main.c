// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-bench: what does creating and closing guest_memfd files cost?
 *
 * main() only wires things up: options, signals, the session, the reports
 * and the exit code.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "errors.h"
#include "json_file.h"
#include "options.h"
#include "placement_check.h"
#include "report.h"
#include "selftest.h"
#include "session.h"
#include "worker.h"

static void on_signal(int sig)
{
	gb_signal_received = sig;
	gb_request_stop();
}

static void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed terminal stops the run like SIGTERM: results written, files closed. */
	sigaction(SIGHUP, &sa, NULL);
	/* A reader that went away (| head) costs the summary, not the results. */
	signal(SIGPIPE, SIG_IGN);
}

static int report_error(void)
{
	return gb_cli_error("gmem-bench");
}

/* "gmem-bench probe": what this kernel's KVM offers, as JSON on stdout. */
static int probe(const struct gb_config *cfg)
{
	struct gb_backend be = { .ops = gb_backend_find("gmem"), .cfg = cfg };
	json_t *caps = json_object();
	int ret = be.ops->open(&be);

	if (!ret) {
		be.ops->describe(&be, caps);
		if (cfg->json_path) {
			ret = gb_json_write_atomic(caps, cfg->json_path);
		} else {
			json_dumpf(caps, stdout, JSON_INDENT(2));
			fputc('\n', stdout);
		}
	}
	json_decref(caps);
	be.ops->close(&be);
	return ret ? report_error() : 0;
}

int main(int argc, char **argv)
{
	struct gb_session session = { 0 };
	struct gb_config cfg;
	json_t *doc;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "selftest"))
		return gb_selftest_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "placement-check"))
		return gb_placement_check_main(argc - 1, argv + 1);
	gb_config_defaults(&cfg);
	switch (gb_parse_args(argc, argv, &cfg)) {
	case GB_PARSE_EXIT_OK:
		return 0;
	case GB_PARSE_PROBE:
		return probe(&cfg);
	case GB_PARSE_ERROR:
		return report_error();
	case GB_PARSE_RUN:
		break;
	}

	install_signal_handlers();
	ret = gb_session_run(&session, &cfg);
	if (ret)
		fprintf(stderr, "gmem-bench: error: %s\n", gb_error_message());

	/* Interrupted runs exit like an interrupted shell command. */
	if (session.signal)
		ret = 128 + session.signal;

	/*
	 * A run that measured something is reported, whatever stopped it:
	 * the JSON first, so that nothing that happens to stdout loses it.
	 */
	if (cfg.json_path) {
		doc = gb_report_json(&session, ret, gb_error_code() ? gb_error_message() : NULL);
		if (gb_json_write_atomic(doc, cfg.json_path) && !ret)
			ret = report_error();
		json_decref(doc);
	}
	if (!cfg.quiet && session.nruns) {
		gb_report_text(stdout, &session);
		if ((fflush(stdout) || ferror(stdout)) && !ret) {
			gb_fail_errno(GB_EXIT_OUTPUT, errno,
				      "the summary could not be written to stdout");
			ret = report_error();
		}
	}
	gb_session_free(&session);
	return ret;
}
