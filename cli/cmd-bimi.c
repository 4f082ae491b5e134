/* cmd-bimi.c: `authwizard bimi DOMAIN`: the BIMI record, DMARC at
 * enforcement, the logo (SVG Tiny PS) and the mark certificate. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/area-run.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/str.h"

enum {
	OPT_CA_FILE = AW_OPT_FIRST_FREE,
	OPT_SELECTOR
};

static const struct aw_cli_opt bimi_options[] = {
	{ "bimi-selector", 0, required_argument, OPT_SELECTOR, "S",
	    N_("the selector (default: default)") },
	{ "ca-file", 0, required_argument, OPT_CA_FILE, N_("FILE"),
	    N_("trust the CAs in FILE (PEM) for the https fetches and the mark "
	    "certificate's chain too") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
bimi_usage(FILE *out)
{
	fprintf(out, _("Usage: %s bimi DOMAIN [--bimi-selector S] [--ca-file FILE] [--json]\n"
	    "Check BIMI: the TXT record \"v=BIMI1; l=...; a=...\" at default._bimi.DOMAIN\n"
	    "(or S._bimi.DOMAIN), DMARC at enforcement (quarantine or reject for the\n"
	    "organizational domain and its subdomains), the logo fetched over https\n"
	    "and checked for the SVG Tiny PS basics, and the mark certificate: its\n"
	    "dates, the BIMI extended key usage, the domain among its names and its\n"
	    "chain to a trusted CA.\n\n"), aw_cli_progname);
	aw_cli_args_usage(out, bimi_options, NULL);
	aw_cli_dns_usage(out);
	fputs(_("  --json                  print the \"bimi\" object of check --json, with\n"
	    "                          \"dmarc_enforced\", \"svg_ok\" and \"certificate\"\n"
	    "  -h, --help              show this help\n\n"
	    "Exit status: 0 no errors, 1 errors found or no record, 2 usage error,\n"
	    "3 a DNS lookup failed.\n"), out);
}

static int
bimi_run(int argc, char **argv)
{
	const char *areas[] = { "bimi" };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc = NULL;
	struct aw_fetcher fetcher;
	struct aw_session dns;
	struct aw_cli_args args;
	char *domain = NULL;
	const char *selector = NULL;
	int c, rc = AW_EXIT_USAGE;

	aw_session_init(&dns);
	if (!aw_cli_args_init(&args, &aw_cmd_bimi, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		if (c == AW_CLI_ARGS_STOP) {
			rc = args.rc;
			goto done;
		}
		if (c == OPT_CA_FILE && !aw_cli_ca_file_option(&dns, args.arg))
			goto done;
		if (c == OPT_SELECTOR) {
			if (!aw_domain_valid(args.arg) || strchr(args.arg, '.')) {
				rc = aw_cli_usage_error("bimi",
				    _("--bimi-selector: not a selector name: %s"),
				    args.arg);
				goto done;
			}
			selector = args.arg;
		}
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("bimi", _("give exactly one DOMAIN"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (!aw_cli_dns_start(&dns) || !aw_cli_fetcher(&dns, &fetcher)) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	memset(&opts, 0, sizeof opts);
	opts.areas = areas;
	opts.nareas = 1;
	opts.fetcher = &fetcher;
	opts.bimi_selector = selector;
	opts.ca_file = dns.ca_file;
	if ((dc = aw_cli_run_areas(&dns, domain, &opts)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	rc = aw_cli_print_areas(dc, args.json, true);
done:
	aw_cli_args_done(&args);
	aw_domain_check_free(dc);
	aw_session_done(&dns);
	free(domain);
	return rc;
}

const struct aw_cli_command aw_cmd_bimi = {
	.name = "bimi",
	.summary = N_("check BIMI: the record, DMARC enforcement, the logo and the mark certificate"),
	.run = bimi_run,
	.usage = bimi_usage,
	.options = bimi_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
