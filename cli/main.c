/* main.c: authwizard's entry: a command, or the wizard on a domain. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "cli/wizard.h"
#include "tui/tui.h"

#ifndef AW_VERSION
#define AW_VERSION PACKAGE_VERSION
#endif

static void
main_usage(FILE *out)
{
	size_t i;

	fprintf(out, _("Usage: %s [DOMAIN]\n"
	    "       %s COMMAND [ARGS...]\n\n"
	    "Sets up a domain's email authentication: SPF, DKIM, DMARC and reverse DNS.\n"
	    "Without a command it opens the wizard on DOMAIN (it asks when none is given).\n\n"
	    "Commands:\n"), aw_cli_progname, aw_cli_progname);
	for (i = 0; aw_cli_commands[i] != NULL; i++)
		aw_cli_usage_wrap(out, aw_cli_commands[i]->name,
		    _(aw_cli_commands[i]->summary), 13);
	fprintf(out, _("\nOptions:\n"
	    "  -h, --help     show this help ('%s COMMAND --help' for a command)\n"
	    "  --version      show the version\n"),
	    aw_cli_progname);
	fputs(_("\nThe wizard also takes the DNS options of 'check' (--dns-server, ...)\n"
	    "and --provider. See authwizard(1).\n"), out);
}

/* The wizard on what its launcher prepared (cli/cmd-wizard.c); the exit
 * status says what it did. The one place the wizard is started. */
static int
main_wizard(int argc, char **argv)
{
	struct aw_cli_wizard w;
	struct aw_tui_run run;
	struct aw_error err;
	int rc;

	if ((rc = aw_cli_wizard_start(&w, argc, argv)) >= 0)
		return rc;
	memset(&run, 0, sizeof run);
	run.session = &w.session;
	run.domain = w.domain;
	run.provider = w.provider;
	run.trust_anchor = w.trust_anchor;
	run.no_dnssec = w.no_dnssec;
	aw_error_clear(&err);
	switch (aw_tui_run(&run, &err)) {
	case AW_TUI_RUN_DONE:
		rc = AW_EXIT_OK;
		break;
	case AW_TUI_RUN_PARTIAL:
		rc = AW_EXIT_PARTIAL;
		break;
	case AW_TUI_RUN_HOST_FAILED:
		rc = AW_EXIT_PROVIDER;
		break;
	case AW_TUI_RUN_USAGE:
		rc = aw_cli_usage_error(NULL, "%s", err.msg);
		break;
	default:
		aw_cli_error("%s", err.msg[0] ? err.msg : _("out of memory"));
		rc = AW_EXIT_INTERNAL;
		break;
	}
	aw_cli_wizard_done(&w);
	return rc;
}

/* Output that did not reach its file (a full disk, a pipe closed with
 * SIGPIPE ignored) is an error, not exit status 0: what was printed is
 * flushed here and its failure said. It takes the place of a status
 * about the output's content (0, 1, 3), not of another error. */
static int
main_finish(int rc)
{
	int e;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	e = errno != 0 ? errno : aw_cli_out_errno;
	if (e != 0)
		aw_cli_error(_("cannot write the output: %s"), aw_strerror(e));
	else
		aw_cli_error(_("cannot write the output"));
	return rc == AW_EXIT_OK || rc == AW_EXIT_FINDINGS ||
	    rc == AW_EXIT_DNS ? AW_EXIT_IO : rc;
}

static int
main_run(int argc, char **argv)
{
	const struct aw_cli_command *cmd;

	/* Nothing to translate: no locale or catalog look-up (start-up). */
	if (argc == 2 && (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0)) {
		printf("authwizard %s\n", AW_VERSION);
		return AW_EXIT_OK;
	}
	/* The locale and the translations are set by the first message
	 * (core/i18n.h): a check's first queries go out before. */
	/* Every command prints its own one message for a bad option. */
	opterr = 0;
	if (argc >= 2) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "help") == 0) {
			if (argc >= 3 && (cmd = aw_cli_find(argv[2])) != NULL) {
				cmd->usage(stdout);
				return AW_EXIT_OK;
			}
			main_usage(stdout);
			return AW_EXIT_OK;
		}
		if (strcmp(argv[1], "--version") == 0 ||
		    strcmp(argv[1], "-V") == 0) {
			printf("authwizard %s\n", AW_VERSION);
			return AW_EXIT_OK;
		}
		if ((cmd = aw_cli_find(argv[1])) != NULL)
			return cmd->run(argc - 1, argv + 1);
	}
	return main_wizard(argc, argv);
}

int
main(int argc, char **argv)
{
	return main_finish(main_run(argc, argv));
}
