/* cmd-spf.c: `authwizard spf DOMAIN --ip IP`: what receivers conclude
 * (RFC 7208 check_host) for mail from IP. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/spf.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "cli/spf-batch.h"
#include "core/i18n.h"
#include "core/str.h"

static const struct aw_cli_opt spf_options[] = {
	{ "ip", 0, required_argument, 'i', "IP",
	    N_("the sending host's address (IPv4 or IPv6; required)") },
	{ "sender", 0, required_argument, 's', N_("ADDR"),
	    N_("the MAIL FROM address (default postmaster@DOMAIN)") },
	{ "helo", 0, required_argument, 'H', N_("NAME"),
	    N_("the HELO/EHLO name (for the %{h} macro)") },
	{ "batch", 0, required_argument, 'b', N_("FILE"),
	    N_("evaluate each line \"IP SENDER [HELO]\" of FILE (-: standard "
	    "input; SENDER <> is the null sender), many at once with one "
	    "answer cache; results in input order, a line each (JSON "
	    "Lines with --json, plus \"line\"); bad lines are reported "
	    "with their number (exit 1)") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
spf_usage(FILE *out)
{
	fprintf(out, _("Usage: %s spf DOMAIN --ip IP [OPTIONS]\n"
	    "Evaluate DOMAIN's SPF policy for mail sent from IP, as a receiver does\n"
	    "(RFC 7208 check_host): the result, the explanation, the term that\n"
	    "decided and how many DNS-querying terms were evaluated.\n\n"),
	    aw_cli_progname);
	fprintf(out, _("   or: %s spf --batch FILE [--json] [OPTIONS]\n\n"),
	    aw_cli_progname);
	aw_cli_args_usage(out, spf_options, NULL);
	fputs(_("  --json                  print one JSON object: domain, ip, sender, helo,\n"
	    "                          result (none, neutral, pass, fail, softfail,\n"
	    "                          temperror, permerror), explanation, term,\n"
	    "                          term_domain, reason, lookups, void_lookups\n"), out);
	aw_cli_dns_usage(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 the result is pass, 1 any other result (none, neutral,\n"
	    "fail, softfail, permerror), 2 usage error, 3 temperror (a DNS lookup\n"
	    "failed).\n"), out);
}

static void
print_human(const char *domain, const char *ip,
    const struct aw_spf_outcome *o)
{
	char *uni = aw_domain_to_unicode(domain);

	printf(_("SPF result for %s at "), ip);
	aw_cli_put_escaped(stdout, uni ? uni : domain, 300);
	printf(": %s\n", aw_spf_result_name(o->result));
	free(uni);
	if (o->term != NULL) {
		printf(_("  decided by: "));
		aw_cli_put_escaped(stdout, o->term, 300);
		if (o->term_domain != NULL) {
			printf(_(" (in the record of "));
			aw_cli_put_escaped(stdout, o->term_domain, 300);
			putchar(')');
		}
		putchar('\n');
	}
	if (o->explanation != NULL) {
		printf(_("  explanation: "));
		aw_cli_put_escaped(stdout, o->explanation, 0);
		putchar('\n');
	}
	if (o->reason != NULL) {
		printf(_("  reason: "));
		aw_cli_put_escaped(stdout, o->reason, 0);
		putchar('\n');
	}
	printf(_("  DNS-querying terms: %u of %d; void lookups: %u of %d\n"),
	    o->lookups, AW_SPF_MAX_LOOKUPS, o->void_lookups, AW_SPF_MAX_VOID);
}

static void
print_json(const char *domain, const struct aw_spf_query *q,
    const struct aw_spf_outcome *o)
{
	json_t *root = json_object();

	aw_json_spf_outcome(root, domain, q->ip, q->sender, q->helo, o);
	aw_json_print(stdout, root);
}

static int
spf_run(int argc, char **argv)
{
	struct aw_session dns;
	struct aw_dns_source src;
	struct aw_spf_query q;
	struct aw_spf_outcome o;
	struct aw_error err;
	const char *ip = NULL, *sender = NULL, *helo = NULL, *batch = NULL;
	char *domain = NULL, *sender_buf = NULL;
	bool json = false;
	struct aw_cli_args args;
	int c, rc = AW_EXIT_USAGE;

	aw_session_init(&dns);
	memset(&o, 0, sizeof o);
	if (!aw_cli_args_init(&args, &aw_cmd_spf, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		switch (c) {
		case AW_CLI_ARGS_STOP:
			rc = args.rc;
			goto done;
		case 'i':
			ip = args.arg;
			break;
		case 's':
			sender = args.arg;
			break;
		case 'H':
			helo = args.arg;
			break;
		case 'b':
			batch = args.arg;
			break;
		}
	}
	json = args.json;
	if (batch != NULL) {
		if (optind != argc || ip || sender || helo)
			rc = aw_cli_usage_error("spf",
			    _("--batch takes no DOMAIN, --ip, --sender or --helo: each line gives them"));
		else
			rc = aw_cli_spf_batch(batch, json, &dns);
		goto done;
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("spf", optind >= argc ?
		    _("which domain? Give one DOMAIN") :
		    _("give exactly one DOMAIN"));
		goto done;
	}
	if (ip == NULL) {
		rc = aw_cli_usage_error("spf",
		    _("--ip IP is required: the address mail is sent from"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (sender == NULL) {
		/* RFC 7208 §2.4: without a sender, postmaster@domain. */
		if ((sender_buf = malloc(strlen(domain) + 12)) == NULL) {
			rc = AW_EXIT_INTERNAL;
			goto done;
		}
		sprintf(sender_buf, "postmaster@%s", domain);
		sender = sender_buf;
	}
	memset(&q, 0, sizeof q);
	q.ip = ip;
	q.domain = domain;
	q.sender = sender;
	q.helo = helo;
	if (!aw_cli_dns_start(&dns))
		goto done;
	src = aw_resolver_source(dns.res);
	aw_error_clear(&err);
	switch (aw_spf_check_host(&src, &q, &o, &err)) {
	case AW_OK:
		break;
	case AW_ERR_INVALID:
		rc = aw_cli_usage_error("spf", "--ip: %s", err.msg);
		goto done;
	default:
		aw_cli_error("%s", err.msg);
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	if (json)
		print_json(domain, &q, &o);
	else
		print_human(domain, ip, &o);
	rc = o.result == AW_SPF_PASS ? AW_EXIT_OK :
	    o.result == AW_SPF_TEMPERROR ? AW_EXIT_DNS : AW_EXIT_FINDINGS;
done:
	aw_cli_args_done(&args);
	aw_spf_outcome_done(&o);
	aw_session_done(&dns);
	free(domain);
	free(sender_buf);
	return rc;
}

const struct aw_cli_command aw_cmd_spf = {
	.name = "spf",
	.summary = N_("evaluate a domain's SPF policy for a sending IP"),
	.run = spf_run,
	.usage = spf_usage,
	.options = spf_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
