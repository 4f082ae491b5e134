/* cmd-dnssec.c: `authwizard dnssec DOMAIN [--trust-anchor FILE]`: is the
 * domain signed, does its chain of trust validate, and the same for the
 * names the other checks read (MX hosts, DKIM keys, _mta-sts). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dnssec.h"
#include "cli/area-run.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/str.h"

enum {
	OPT_ANCHOR = AW_OPT_FIRST_FREE,
	OPT_SELECTOR
};

static const struct aw_cli_opt dnssec_options[] = {
	{ "trust-anchor", 0, required_argument, OPT_ANCHOR, N_("FILE"),
	    N_("DS or DNSKEY records (zone-file form) to trust instead of the "
	    "root's key") },
	{ "selector", 0, required_argument, OPT_SELECTOR, "S",
	    N_("the DKIM key at S._domainkey (repeatable); without it, the "
	    "catalog's common selectors that exist") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
dnssec_usage(FILE *out)
{
	fprintf(out, _("Usage: %s dnssec DOMAIN [--trust-anchor FILE] [--selector S] [--json]\n"
	    "Check DNSSEC: is DOMAIN signed and does its chain of trust validate from\n"
	    "the root (secure, insecure, bogus or indeterminate, with the reason:\n"
	    "expired signature, missing DS, unsupported algorithm, ...), and the same\n"
	    "for its MX records and MX hosts, its DKIM key records and _mta-sts.\n"
	    "Validation is libunbound's; the DNS servers are asked as forwarders and\n"
	    "must pass DNSSEC records through.\n\n"), aw_cli_progname);
	aw_cli_args_usage(out, dnssec_options, NULL);
	aw_cli_dns_usage(out);
	fputs(_("  --json                  print the \"dnssec\" object of check --json:\n"
	    "                          \"state\", \"reason\" and \"names\"\n"
	    "  -h, --help              show this help\n\n"
	    "Exit status: 0 secure or insecure without errors, 1 bogus (or other errors),\n"
	    "2 usage, 3 the state could not be found out.\n"), out);
}

static int
dnssec_run(int argc, char **argv)
{
	const char *areas[] = { "dnssec" };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc = NULL;
	struct aw_validator *v = NULL;
	struct aw_session dns;
	struct aw_strv selectors;
	const char *anchor = NULL;
	char *domain = NULL;
	struct aw_cli_args args;
	int c, rc = AW_EXIT_USAGE;

	aw_session_init(&dns);
	aw_strv_init(&selectors);
	if (!aw_cli_args_init(&args, &aw_cmd_dnssec, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		switch (c) {
		case AW_CLI_ARGS_STOP:
			rc = args.rc;
			goto done;
		case OPT_ANCHOR:
			anchor = args.arg;
			break;
		case OPT_SELECTOR:
			if (!aw_domain_valid(args.arg) || strchr(args.arg, '.')) {
				rc = aw_cli_usage_error("dnssec",
				    _("--selector: not a selector name: %s"), args.arg);
				goto done;
			}
			aw_strv_push(&selectors, args.arg);
			break;
		}
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("dnssec", _("give exactly one DOMAIN"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (!aw_cli_dns_start(&dns))
		goto done;
	if ((v = aw_cli_validator(&dns, anchor, false)) == NULL)
		goto done;
	memset(&opts, 0, sizeof opts);
	opts.areas = areas;
	opts.nareas = 1;
	opts.validator = v;
	opts.selectors = (const char *const *)selectors.v;
	opts.nselectors = selectors.n;
	if ((dc = aw_cli_run_areas(&dns, domain, &opts)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	rc = aw_cli_print_areas(dc, args.json, true);
done:
	aw_cli_args_done(&args);
	aw_domain_check_free(dc);
	aw_validator_free(v);
	aw_session_done(&dns);
	aw_strv_done(&selectors);
	free(domain);
	return rc;
}

const struct aw_cli_command aw_cmd_dnssec = {
	.name = "dnssec",
	.summary = N_("check DNSSEC: signed, chain of trust, and the MX and DKIM names"),
	.run = dnssec_run,
	.usage = dnssec_usage,
	.options = dnssec_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
