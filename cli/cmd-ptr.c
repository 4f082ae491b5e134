/* cmd-ptr.c: `authwizard ptr IP [--helo NAME] [--domain D]`: reverse DNS
 * of a sending address (PTR, forward confirmation, generic names) and
 * optionally the HELO name its server announces. */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "cli/area-run.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"

enum {
	OPT_HELO = AW_OPT_FIRST_FREE,
	OPT_DOMAIN
};

static const struct aw_cli_opt ptr_options[] = {
	{ "helo", 0, required_argument, OPT_HELO, N_("NAME"),
	    N_("the HELO/EHLO name the server announces") },
	{ "domain", 0, required_argument, OPT_DOMAIN, "D",
	    N_("the domain the server sends for") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
ptr_usage(FILE *out)
{
	fprintf(out, _("Usage: %s ptr IP [--helo NAME] [--domain D] [--json]\n"
	    "Check the reverse DNS of a sending address: a PTR record, forward\n"
	    "confirmation (the PTR name resolves back to IP), names that look generic\n"
	    "or residential, and with --domain whether the name lies in D. --helo\n"
	    "checks the name the server announces: a FQDN that resolves and matches\n"
	    "the PTR name or an MX host of D.\n\n"), aw_cli_progname);
	aw_cli_args_usage(out, ptr_options, NULL);
	aw_cli_dns_usage(out);
	fputs(_("  --json                  print one JSON document (see README):\n"
	    "                          \"fcrdns\" true or false, \"ptr\" the names found\n"
	    "  -h, --help              show this help\n\n"
	    "Exit status: 0 forward-confirmed and no errors, 1 problems found, 2 usage,\n"
	    "3 a DNS lookup failed.\n"), out);
}

static int
ptr_run(int argc, char **argv)
{
	const char *areas[] = { "ptr", "helo" };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc = NULL;
	struct aw_session dns;
	unsigned char raw[16];
	const char *ip, *helo = NULL;
	char *domain = NULL;
	bool json = false;
	struct aw_cli_args args;
	int c, rc = AW_EXIT_USAGE;
	size_t i;

	aw_session_init(&dns);
	if (!aw_cli_args_init(&args, &aw_cmd_ptr, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		switch (c) {
		case AW_CLI_ARGS_STOP:
			rc = args.rc;
			goto done;
		case OPT_HELO:
			helo = args.arg;
			break;
		case OPT_DOMAIN:
			free(domain);
			if ((domain = aw_cli_domain_arg(args.arg)) == NULL)
				goto done;
			break;
		}
	}
	json = args.json;
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("ptr", _("give exactly one IP address"));
		goto done;
	}
	ip = argv[optind];
	if (inet_pton(AF_INET, ip, raw) != 1 &&
	    inet_pton(AF_INET6, ip, raw) != 1) {
		rc = aw_cli_usage_error("ptr", _("not an IP address: %s"), ip);
		goto done;
	}
	if (!aw_cli_dns_start(&dns))
		goto done;
	memset(&opts, 0, sizeof opts);
	opts.ips = &ip;
	opts.nips = 1;
	opts.helo = helo;
	opts.areas = areas;
	opts.nareas = 2;
	/* The check wants a domain; without --domain none is judged. */
	if ((dc = aw_cli_run_areas(&dns, domain ? domain : "", &opts)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	if (json) {
		json_t *root = NULL, *hj = NULL;

		for (i = 0; i < aw_domain_check_count(dc); i++) {
			struct aw_section *sec = aw_domain_check_section(dc, i);

			if (strcmp(sec->area, "ptr") == 0)
				root = aw_json_section(sec);
			else
				hj = aw_json_section(sec);
		}
		if (root == NULL)
			root = json_object();
		json_object_set_new(root, "domain", aw_json_text(domain));
		json_object_set_new(root, "helo_check", hj ? hj : json_null());
		aw_json_print(stdout, root);
		rc = AW_EXIT_OK;
		for (i = 0; i < aw_domain_check_count(dc); i++) {
			struct aw_section *sec = aw_domain_check_section(dc, i);

			if (sec->f.dns_failure)
				rc = AW_EXIT_DNS;
			else if (rc == AW_EXIT_OK &&
			    (sec->f.status == AW_CHECK_ERROR ||
			    sec->f.status == AW_CHECK_MISSING))
				rc = AW_EXIT_FINDINGS;
		}
	} else {
		rc = aw_cli_print_areas(dc, false, true);
	}
done:
	aw_cli_args_done(&args);
	aw_domain_check_free(dc);
	aw_session_done(&dns);
	free(domain);
	return rc;
}

const struct aw_cli_command aw_cmd_ptr = {
	.name = "ptr",
	.summary = N_("check the reverse DNS (PTR, FCrDNS) and HELO name of a sending IP"),
	.run = ptr_run,
	.usage = ptr_usage,
	.options = ptr_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
