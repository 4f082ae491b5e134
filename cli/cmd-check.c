/* cmd-check.c: `authwizard check DOMAIN`: what is published now. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "checks/domain.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"

static void
check_usage(FILE *out)
{
	fprintf(out, _("Usage: %s check DOMAIN [OPTIONS]\n"
	    "Show the SPF, DKIM, DMARC and MX records of DOMAIN as published now,\n"
	    "with what is wrong in them, and for every lookup that found nothing\n"
	    "whether it was \"no such record\" or a DNS failure.\n\n"), aw_cli_progname);
	fputs(_("  --selector S            check the DKIM key at S._domainkey (repeatable)\n"
	    "  --ip IP                 check PTR and forward confirmation of a sending IP\n"
	    "                          (repeatable)\n"
	    "  --helo NAME             check the HELO/EHLO name a server announces\n"
	    "  --json                  print one JSON document (see README)\n"), out);
	aw_cli_dns_usage(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 every lookup got an answer, 2 usage error, 3 a DNS lookup\n"
	    "failed (SERVFAIL, REFUSED, timeout, malformed answer).\n"), out);
}

static void
check_progress(struct aw_domain_check *dc, struct aw_section *sec, void *arg)
{
	(void)dc;
	(void)sec;
	(void)arg;
}

static int
check_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "selector", required_argument, NULL, 's' },
		{ "ip", required_argument, NULL, 'i' },
		{ "helo", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, AW_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		AW_CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct aw_domain_check_opts opts;
	struct aw_strv selectors, ips;
	struct aw_cli_dns dns;
	struct aw_domain_check *dc = NULL;
	struct aw_dns_source src;
	struct aw_error err;
	char *domain = NULL, *helo = NULL;
	bool json = false, failure = false;
	int c, rc = AW_EXIT_USAGE;
	size_t i;

	aw_strv_init(&selectors);
	aw_strv_init(&ips);
	aw_cli_dns_init(&dns);
	memset(&opts, 0, sizeof opts);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!aw_domain_valid(optarg) || strchr(optarg, '.')) {
				rc = aw_cli_usage_error("check",
				    _("--selector: not a selector name: %s"), optarg);
				goto done;
			}
			aw_strv_push(&selectors, optarg);
			break;
		case 'i':
			aw_strv_push(&ips, optarg);
			break;
		case 'H':
			free(helo);
			helo = strdup(optarg);
			break;
		case AW_OPT_JSON:
			json = true;
			break;
		case 'h':
			check_usage(stdout);
			rc = AW_EXIT_OK;
			goto done;
		case AW_OPT_DNS_SERVER:
		case AW_OPT_DNS_TIMEOUT:
		case AW_OPT_DNS_TRIES:
			if (!aw_cli_dns_option(&dns, c, optarg))
				goto done;
			break;
		default:
			rc = aw_cli_usage_error("check", _("unknown option"));
			goto done;
		}
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("check", optind >= argc ?
		    _("which domain? Give one DOMAIN") :
		    _("give exactly one DOMAIN"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (!aw_cli_dns_start(&dns)) {
		rc = AW_EXIT_USAGE;
		goto done;
	}
	opts.selectors = (const char *const *)selectors.v;
	opts.nselectors = selectors.n;
	opts.ips = (const char *const *)ips.v;
	opts.nips = ips.n;
	opts.helo = helo;
	src = aw_resolver_source(dns.res);
	aw_error_clear(&err);
	if (aw_domain_check_start(&src, domain, &opts, check_progress, NULL,
	    &dc, &err) != AW_OK)
		aw_cli_error("%s", err.msg);
	while (dc != NULL && !aw_domain_check_finished(dc))
		if (!aw_loop_run_once(dns.loop, -1))
			break;
	if (dc == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	for (i = 0; i < aw_domain_check_count(dc); i++)
		if (aw_domain_check_section(dc, i)->f.dns_failure)
			failure = true;
	if (json) {
		json_t *root = json_object(), *dkim = json_array(),
		    *ptr = json_array();
		char *uni = aw_domain_to_unicode(domain);

		json_object_set_new(root, "domain", json_string(domain));
		json_object_set_new(root, "domain_unicode", aw_json_text(uni));
		free(uni);
		json_object_set_new(root, "dns_failure", json_boolean(failure));
		for (i = 0; i < aw_domain_check_count(dc); i++) {
			struct aw_section *sec = aw_domain_check_section(dc, i);
			json_t *sj = aw_json_section(sec);

			if (strcmp(sec->area, "dkim") == 0)
				json_array_append_new(dkim, sj);
			else if (strcmp(sec->area, "ptr") == 0)
				json_array_append_new(ptr, sj);
			else
				json_object_set_new(root, sec->area, sj);
		}
		json_object_set_new(root, "dkim", dkim);
		json_object_set_new(root, "ptr", ptr);
		aw_json_print(stdout, root);
	} else {
		char *uni = aw_domain_to_unicode(domain);

		fputs(_("Email authentication of "), stdout);
		aw_cli_put_escaped(stdout, uni ? uni : domain, 300);
		if (uni != NULL && strcmp(uni, domain) != 0)
			printf(" (%s)", domain);
		printf("\n\n");
		free(uni);
		for (i = 0; i < aw_domain_check_count(dc); i++) {
			aw_cli_print_section(stdout, aw_domain_check_section(dc, i));
			putchar('\n');
		}
	}
	rc = failure ? AW_EXIT_DNS : AW_EXIT_OK;
done:
	aw_domain_check_free(dc);
	aw_cli_dns_done(&dns);
	aw_strv_done(&selectors);
	aw_strv_done(&ips);
	free(domain);
	free(helo);
	return rc;
}

const struct aw_cli_command aw_cmd_check = {
	.name = "check",
	.summary = N_("show what is published now and what is wrong with it"),
	.run = check_run,
	.usage = check_usage,
};
