/* cmd-dane.c: `authwizard dane DOMAIN [--trust-anchor FILE]`: DANE for
 * SMTP (RFC 7672): the TLSA records of each MX host, judged, and whether
 * DNSSEC makes them usable. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dane.h"
#include "checks/dnssec.h"
#include "cli/area-run.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "core/i18n.h"

enum {
	OPT_ANCHOR = AW_OPT_FIRST_FREE,
	OPT_SMTP,
	OPT_SMTP_PORT
};

static const struct aw_cli_opt dane_options[] = {
	{ "smtp", 0, no_argument, OPT_SMTP, NULL,
	    N_("connect to each MX host (port 25) and match its certificate "
	    "against the TLSA records") },
	{ "smtp-port", 0, required_argument, OPT_SMTP_PORT, N_("PORT"),
	    N_("connect to PORT instead of 25 (tests)") },
	{ "trust-anchor", 0, required_argument, OPT_ANCHOR, N_("FILE"),
	    N_("DS or DNSKEY records (zone-file form) to trust instead of the "
	    "root's key") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

/* Each probe's steps (connect, each reply, the handshake) wait at most
 * this long. */
#define SMTP_TIMEOUT_MS 10000

static void
dane_usage(FILE *out)
{
	fprintf(out, _("Usage: %s dane DOMAIN [--smtp [--smtp-port PORT]] [--trust-anchor FILE] [--json]\n"
	    "Check DANE for SMTP (RFC 7672): the TLSA records at _25._tcp.HOST of each\n"
	    "MX host: their syntax, usage, selector and matching type as SMTP expects\n"
	    "(DANE-EE 3 or DANE-TA 2; PKIX-TA/EE 0/1 are warned about), and whether they\n"
	    "and the MX records are DNSSEC-secure (TLSA without DNSSEC is unusable).\n"
	    "With --smtp it also connects to each MX host with usable TLSA records,\n"
	    "says EHLO and STARTTLS, and matches the certificate it presents.\n\n"),
	    aw_cli_progname);
	aw_cli_args_usage(out, dane_options, NULL);
	aw_cli_dns_usage(out);
	fputs(_("  --json                  print the \"dane\" object of check --json:\n"
	    "                          \"mx_state\" and \"hosts\" with their TLSA records\n"
	    "  -h, --help              show this help\n\n"
	    "Exit status: 0 every MX host has usable TLSA records, 1 problems found or\n"
	    "no TLSA records, 2 usage, 3 a lookup failed.\n"), out);
}

static int
dane_run(int argc, char **argv)
{
	const char *areas[] = { "dane" };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc = NULL;
	struct aw_validator *v = NULL;
	struct aw_session dns;
	const char *anchor = NULL;
	char *domain = NULL, *end;
	bool smtp = false;
	long port = 25;
	size_t i, k;
	struct aw_cli_args args;
	int c, rc = AW_EXIT_USAGE;

	aw_session_init(&dns);
	if (!aw_cli_args_init(&args, &aw_cmd_dane, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		if (c == AW_CLI_ARGS_STOP) {
			rc = args.rc;
			goto done;
		}
		if (c == OPT_ANCHOR)
			anchor = args.arg;
		if (c == OPT_SMTP)
			smtp = true;
		if (c == OPT_SMTP_PORT) {
			port = strtol(args.arg, &end, 10);
			if (*args.arg == '\0' || *end != '\0' || port < 1 ||
			    port > 65535) {
				rc = aw_cli_usage_error("dane",
				    _("--smtp-port: a port from 1 to 65535, not %s"),
				    args.arg);
				goto done;
			}
		}
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("dane", _("give exactly one DOMAIN"));
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
	if ((dc = aw_cli_run_areas(&dns, domain, &opts)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	/* the opt-in probe, after the TLSA records are known */
	for (i = 0; smtp && i < aw_domain_check_count(dc); i++) {
		struct aw_section *sec = aw_domain_check_section(dc, i);
		struct aw_dane_detail *d = sec->detail;

		for (k = 0; d != NULL && k < d->n; k++)
			if (d->hosts[k].usable > 0)
				aw_dane_smtp_probe(&sec->f, &d->hosts[k],
				    (int)port, SMTP_TIMEOUT_MS);
	}
	rc = aw_cli_print_areas(dc, args.json, true);
done:
	aw_cli_args_done(&args);
	aw_domain_check_free(dc);
	aw_validator_free(v);
	aw_session_done(&dns);
	free(domain);
	return rc;
}

const struct aw_cli_command aw_cmd_dane = {
	.name = "dane",
	.summary = N_("check DANE for SMTP: the TLSA records of each MX host"),
	.run = dane_run,
	.usage = dane_usage,
	.options = dane_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
