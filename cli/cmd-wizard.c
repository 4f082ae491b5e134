/* cmd-wizard.c: the wizard's launcher: its options, the DNS set-up the
 * commands share and the plain check without a terminal. cli/main.c
 * starts the wizard (tui/) on what this prepared; the wizard knows
 * nothing of cli/. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/wizard.h"
#include "core/i18n.h"

enum { WIZARD_OPT_PROVIDER, WIZARD_OPT_TRUST_ANCHOR, WIZARD_OPT_NO_DNSSEC,
	WIZARD_OPT_CA_FILE };

static const struct aw_cli_opt wizard_options[] = {
	{ "provider", 0, required_argument, WIZARD_OPT_PROVIDER, N_("NAME"),
	    N_("apply at this DNS host (an id 'authwizard plan --help' lists), "
	    "or show (the records to type in at any host)") },
	{ "trust-anchor", 0, required_argument, WIZARD_OPT_TRUST_ANCHOR,
	    N_("FILE"), N_("DNSSEC: DS or DNSKEY records (zone-file form) to "
	    "trust instead of the root's key") },
	{ "no-dnssec", 0, no_argument, WIZARD_OPT_NO_DNSSEC, NULL,
	    N_("leave out the DNSSEC area (no validation)") },
	{ "ca-file", 0, required_argument, WIZARD_OPT_CA_FILE, N_("FILE"),
	    N_("trust the CAs in FILE (PEM) for the domain's own web files "
	    "(MTA-STS policy, BIMI) and the BIMI mark certificate too") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
wizard_usage(FILE *out)
{
	fprintf(out, _("Usage: %s [OPTIONS] [DOMAIN]\n"
	    "Opens the wizard on DOMAIN (it asks when none is given).\n\n"),
	    aw_cli_progname);
	aw_cli_args_usage(out, wizard_options, NULL);
	aw_cli_dns_usage(out);
	fputs(_("  -h, --help              show this help\n"), out);
}


/* The wizard's entry: no command word (errors say "Try 'authwizard
 * --help'"); not in the command table: cli/main.c calls
 * aw_cli_wizard_start. */
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
aw_cli_wizard_start(struct aw_cli_wizard *w, int argc, char **argv)
{
	struct aw_cli_args args;
	int c;

	memset(w, 0, sizeof *w);
	aw_session_init(&w->session);
	if (!aw_cli_args_init(&args, &wizard_form, argc, argv, &w->session,
	    NULL))
		goto stop;
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		if (c == AW_CLI_ARGS_STOP)
			goto stop;
		if (c == WIZARD_OPT_PROVIDER)
			w->provider = args.arg;
		else if (c == WIZARD_OPT_TRUST_ANCHOR)
			w->trust_anchor = args.arg;
		else if (c == WIZARD_OPT_NO_DNSSEC)
			w->no_dnssec = true;
		else if (c == WIZARD_OPT_CA_FILE &&
		    !aw_cli_ca_file_option(&w->session, args.arg)) {
			args.rc = AW_EXIT_USAGE;
			goto stop;
		}
	}
	aw_cli_args_done(&args);
	if (optind < argc)
		w->domain = argv[optind++];
	if (optind < argc) {
		aw_session_done(&w->session);
		return aw_cli_usage_error(NULL, _("give at most one DOMAIN"));
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		aw_session_done(&w->session);
		return wizard_plain(argc, argv, w->domain);
	}
	if (!aw_cli_dns_start(&w->session)) {
		aw_session_done(&w->session);
		return AW_EXIT_DNS;
	}
	return -1;
stop:
	aw_cli_args_done(&args);
	aw_session_done(&w->session);
	return args.rc;
}

void
aw_cli_wizard_done(struct aw_cli_wizard *w)
{
	/* The wizard took the resolver (session.res is NULL now). */
	aw_session_done(&w->session);
}
