/* cmd-wizard.c: the wizard's launcher: its options, the DNS set-up the
 * commands share, the plain check without a terminal, and the exit status
 * of what the wizard did. The wizard itself (tui/) knows nothing of cli/:
 * it gets the loop and resolver in a struct aw_tui_run. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/wizard.h"
#include "core/i18n.h"
#include "tui/tui.h"

static void
wizard_usage(FILE *out)
{
	fprintf(out, _("Usage: %s [OPTIONS] [DOMAIN]\n"
	    "Opens the wizard on DOMAIN (it asks when none is given).\n\n"),
	    aw_cli_progname);
	fprintf(out, _("  --provider NAME         apply at this DNS host: %s,\n"
	    "                          or show (the records to type in at any host)\n"),
	    aw_provider_names(false));
	aw_cli_dns_usage(out);
	fputs(_("  -h, --help              show this help\n"), out);
}

enum { WIZARD_OPT_PROVIDER };

static const struct aw_cli_opt wizard_options[] = {
	{ "provider", 0, required_argument, WIZARD_OPT_PROVIDER },
	{ NULL, 0, 0, 0 }
};

/* The wizard's entry: no command word (errors say "Try 'authwizard
 * --help'"); not in the command table, main calls aw_cli_wizard. */
static const struct aw_cli_command wizard_form = {
	.name = NULL,
	.usage = wizard_usage,
	.options = wizard_options,
	.shared = AW_CLI_SHARED_DNS,
};

/* Without a terminal: the plain check, as before the wizard. */
static int
wizard_plain(int argc, char **argv, const char *domain)
{
	const struct aw_cli_command *check = aw_cli_find("check");
	char **args = calloc((size_t)argc + 3, sizeof *args);
	int i, n = 0, rc;

	if (args == NULL)
		return AW_EXIT_INTERNAL;
	args[n++] = "check";
	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--provider", 10) != 0)
			args[n++] = argv[i];
		else if (strchr(argv[i], '=') == NULL)
			i++;
	if (domain == NULL) {
		fprintf(stderr, _("%s: the wizard needs a terminal; give a DOMAIN or use '%s check DOMAIN'\n"),
		    aw_cli_progname, aw_cli_progname);
		free(args);
		return AW_EXIT_USAGE;
	}
	args[n] = NULL;
	rc = check->run(n, args);
	free(args);
	return rc;
}

int
aw_cli_wizard(int argc, char **argv)
{
	struct aw_session dns;
	struct aw_tui_run run;
	struct aw_error err;
	struct aw_cli_args args;
	const char *domain = NULL, *provider = NULL;
	int c, rc;

	aw_session_init(&dns);
	if (!aw_cli_args_init(&args, &wizard_form, argc, argv, &dns, NULL))
		goto stop;
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		if (c == AW_CLI_ARGS_STOP)
			goto stop;
		provider = args.arg;            /* --provider, its one option */
	}
	aw_cli_args_done(&args);
	if (optind < argc)
		domain = argv[optind++];
	if (optind < argc) {
		aw_session_done(&dns);
		return aw_cli_usage_error(NULL, _("give at most one DOMAIN"));
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		aw_session_done(&dns);
		return wizard_plain(argc, argv, domain);
	}
	if (!aw_cli_dns_start(&dns)) {
		aw_session_done(&dns);
		return AW_EXIT_DNS;
	}
	memset(&run, 0, sizeof run);
	run.session = &dns;
	run.domain = domain;
	run.provider = provider;
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
	/* The wizard took the resolver (dns.res is NULL now). */
	aw_session_done(&dns);
	return rc;
stop:
	aw_cli_args_done(&args);
	aw_session_done(&dns);
	return args.rc;
}
