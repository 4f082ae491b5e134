/* cmd-tls-rpt.c: `authwizard tls-rpt DOMAIN`: the SMTP TLS reporting
 * record (RFC 8460). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/area-run.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "core/i18n.h"

static const struct aw_cli_opt tls_rpt_options[] = {
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
tls_rpt_usage(FILE *out)
{
	fprintf(out, _("Usage: %s tls-rpt DOMAIN [--json]\n"
	    "Check SMTP TLS reporting (RFC 8460): exactly one _smtp._tls TXT record\n"
	    "\"v=TLSRPTv1; rua=...\" whose report addresses are mailto: or https: URIs.\n\n"),
	    aw_cli_progname);
	aw_cli_args_usage(out, tls_rpt_options, NULL);
	aw_cli_dns_usage(out);
	fputs(_("  --json                  print the \"tls_rpt\" object of check --json\n"
	    "  -h, --help              show this help\n\n"
	    "Exit status: 0 no errors, 1 errors found or no record, 2 usage error,\n"
	    "3 a DNS lookup failed.\n"), out);
}

static int
tls_rpt_run(int argc, char **argv)
{
	const char *areas[] = { "tls_rpt" };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc = NULL;
	struct aw_session dns;
	struct aw_cli_args args;
	char *domain = NULL;
	int c, rc = AW_EXIT_USAGE;

	aw_session_init(&dns);
	if (!aw_cli_args_init(&args, &aw_cmd_tls_rpt, argc, argv, &dns,
	    NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END)
		if (c == AW_CLI_ARGS_STOP) {
			rc = args.rc;
			goto done;
		}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("tls-rpt", _("give exactly one DOMAIN"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (!aw_cli_dns_start(&dns)) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	memset(&opts, 0, sizeof opts);
	opts.areas = areas;
	opts.nareas = 1;
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

const struct aw_cli_command aw_cmd_tls_rpt = {
	.name = "tls-rpt",
	.summary = N_("check SMTP TLS reporting: the _smtp._tls record"),
	.run = tls_rpt_run,
	.usage = tls_rpt_usage,
	.options = tls_rpt_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
