/* cmd-mta-sts.c: `authwizard mta-sts DOMAIN`: the MTA-STS record, the
 * policy fetched over https, and whether it covers every MX host. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/area-run.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "core/i18n.h"

enum {
	OPT_CA_FILE = AW_OPT_FIRST_FREE
};

static const struct aw_cli_opt mta_sts_options[] = {
	{ "ca-file", 0, required_argument, OPT_CA_FILE, N_("FILE"),
	    N_("trust the CAs in FILE (PEM) for the policy's certificate too "
	    "(CURL_CA_BUNDLE is read as well)") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
mta_sts_usage(FILE *out)
{
	fprintf(out, _("Usage: %s mta-sts DOMAIN [--ca-file FILE] [--json]\n"
	    "Check MTA-STS (RFC 8461): exactly one _mta-sts TXT record \"v=STSv1;\n"
	    "id=...\", the policy fetched from\n"
	    "https://mta-sts.DOMAIN/.well-known/mta-sts.txt (certificate verified, no\n"
	    "redirects, text/plain, at most 64 KiB; the host name resolved through\n"
	    "the same DNS servers as the rest), its version, mode, max_age and mx\n"
	    "patterns, and whether every MX host matches a pattern.\n\n"),
	    aw_cli_progname);
	aw_cli_args_usage(out, mta_sts_options, NULL);
	aw_cli_dns_usage(out);
	fputs(_("  --json                  print the \"mta_sts\" object of check --json, with\n"
	    "                          \"policy\" {version, mode, max_age, mx} and\n"
	    "                          \"mx_covered\"\n"
	    "  -h, --help              show this help\n\n"
	    "Exit status: 0 no errors, 1 errors found or no record, 2 usage error,\n"
	    "3 a DNS lookup failed.\n"), out);
}

static int
mta_sts_run(int argc, char **argv)
{
	const char *areas[] = { "mta_sts" };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc = NULL;
	struct aw_fetcher fetcher;
	struct aw_session dns;
	struct aw_cli_args args;
	char *domain = NULL;
	int c, rc = AW_EXIT_USAGE;

	aw_session_init(&dns);
	if (!aw_cli_args_init(&args, &aw_cmd_mta_sts, argc, argv, &dns,
	    NULL)) {
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
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("mta-sts", _("give exactly one DOMAIN"));
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

const struct aw_cli_command aw_cmd_mta_sts = {
	.name = "mta-sts",
	.summary = N_("check MTA-STS: the _mta-sts record and the policy it points to"),
	.run = mta_sts_run,
	.usage = mta_sts_usage,
	.options = mta_sts_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
