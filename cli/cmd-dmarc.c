/* cmd-dmarc.c: `authwizard dmarc`: check a domain's DMARC policy, build a
 * record (--build), or say whether identifiers align (--align). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dmarc.h"
#include "checks/resolver.h"
#include "cli/area-run.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"

enum {
	OPT_BUILD = AW_OPT_FIRST_FREE,
	OPT_ALIGN,
	OPT_POLICY,
	OPT_SP,
	OPT_NP,
	OPT_ADKIM,
	OPT_ASPF,
	OPT_TESTING,
	OPT_RUA,
	OPT_RUF,
	OPT_FO,
	OPT_DOMAIN,
	OPT_FROM,
	OPT_MAIL_FROM,
	OPT_DKIM_DOMAIN
};

static const struct aw_cli_opt dmarc_options[] = {
	{ "build", 0, no_argument, OPT_BUILD, NULL,
	    NULL },
	{ "align", 0, no_argument, OPT_ALIGN, NULL,
	    NULL },
	{ "policy", 0, required_argument, OPT_POLICY, "P",
	    N_("--build: p=, none, quarantine or reject") },
	{ "sp", 0, required_argument, OPT_SP, "P",
	    N_("--build: the policy for subdomains and for subdomains that "
	    "do not exist") },
	{ "np", 0, required_argument, OPT_NP, "P",
	    "" },
	{ "adkim", 0, required_argument, OPT_ADKIM, "r|s",
	    N_("--build: relaxed or strict alignment") },
	{ "aspf", 0, required_argument, OPT_ASPF, "r|s",
	    "" },
	{ "testing", 0, no_argument, OPT_TESTING, NULL,
	    N_("--build: t=y (receivers apply one step less)") },
	{ "rua", 0, required_argument, OPT_RUA, N_("ADDR"),
	    N_("--build: where reports go (repeatable; mailto: is added when "
	    "missing)") },
	{ "ruf", 0, required_argument, OPT_RUF, N_("ADDR"),
	    "" },
	{ "fo", 0, required_argument, OPT_FO, N_("OPTS"),
	    N_("--build: failure reporting options (0, 1, d, s)") },
	{ "domain", 0, required_argument, OPT_DOMAIN, "D",
	    N_("--build: the domain the record is for") },
	{ "from", 0, required_argument, OPT_FROM, "D",
	    N_("--align: the From domain") },
	{ "mail-from", 0, required_argument, OPT_MAIL_FROM, "D",
	    N_("--align: the MAIL FROM (bounce) domain") },
	{ "dkim-domain", 0, required_argument, OPT_DKIM_DOMAIN, "D",
	    N_("--align: the d= domain of the DKIM signature") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
dmarc_usage(FILE *out)
{
	fprintf(out, _("Usage: %s dmarc DOMAIN [--json]\n"
	    "       %s dmarc --build --policy none|quarantine|reject [--sp P]\n"
	    "              [--np P] [--adkim r|s] [--aspf r|s] [--testing] [--rua ADDR]...\n"
	    "              [--ruf ADDR]... [--fo OPTS] [--domain D] [--json]\n"
	    "       %s dmarc --align --from DOMAIN [--mail-from DOMAIN]\n"
	    "              [--dkim-domain DOMAIN] [--json]\n\n"),
	    aw_cli_progname, aw_cli_progname, aw_cli_progname);
	fputs(_("DOMAIN: check the DMARC record that applies to DOMAIN (RFC 9989), with the\n"
	    "  tree walk when it has none of its own, how RFC 7489 receivers differ, and\n"
	    "  whether external report addresses accept the reports (RFC 9990).\n"
	    "--build: write a record from choices, and the staged path to p=reject.\n"
	    "--align: whether SPF (MAIL FROM) and DKIM (d=) align with the From domain,\n"
	    "  relaxed (organizational domains by the RFC 9989 tree walk, which asks\n"
	    "  DNS) and strict; the Public Suffix List answer of RFC 7489 beside it.\n\n"), out);
	aw_cli_args_usage(out, dmarc_options, NULL);
	aw_cli_dns_usage(out);
	fputs(_("  --json                  print one JSON document (see README)\n"
	    "  -h, --help              show this help\n\n"
	    "Exit status: DOMAIN: 0 a record applies and has no errors, 1 it has\n"
	    "errors or none applies; --build: 0; --align: 0 SPF or DKIM aligns\n"
	    "(relaxed), 1 neither does. All: 2 usage error, 3 a DNS lookup failed.\n"), out);
}

static bool
policy_arg(const char *opt, const char *arg, enum aw_dmarc_policy *p)
{
	*p = aw_dmarc_policy_from_name(arg);
	if (*p == AW_DMARC_INVALID) {
		aw_cli_usage_error("dmarc",
		    _("%s: none, quarantine or reject, not %s"), opt, arg);
		return false;
	}
	return true;
}

static bool
rors_arg(const char *opt, const char *arg, char *c)
{
	if (strcmp(arg, "r") != 0 && strcmp(arg, "s") != 0) {
		aw_cli_usage_error("dmarc", _("%s: r or s, not %s"), opt, arg);
		return false;
	}
	*c = arg[0];
	return true;
}

static int
dmarc_build_out(const struct aw_dmarc_build *b, const char *domain, bool json)
{
	struct aw_strv path;
	struct aw_error err;
	char *rec = NULL;
	size_t i;

	aw_error_clear(&err);
	if (aw_dmarc_build(b, &rec, &err) != AW_OK) {
		aw_cli_usage_error("dmarc", "%s", err.msg);
		return AW_EXIT_USAGE;
	}
	aw_strv_init(&path);
	aw_dmarc_staged_path(&path);
	if (json) {
		json_t *o = json_object();
		char *name = NULL;

		if (domain != NULL && asprintf(&name, "_dmarc.%s", domain) < 0)
			name = NULL;
		json_object_set_new(o, "name", aw_json_text(name));
		json_object_set_new(o, "record", json_string(rec));
		json_object_set_new(o, "staged_path", aw_json_strv(&path));
		free(name);
		aw_json_print(stdout, o);
	} else {
		if (domain != NULL)
			printf(_("Publish this TXT record at _dmarc.%s:\n\n"), domain);
		else
			printf(_("Publish this TXT record at _dmarc.<your domain>:\n\n"));
		printf("%s\n\n", rec);
		printf(_("The staged path to p=reject:\n"));
		for (i = 0; i < path.n; i++)
			printf("  %s\n", path.v[i]);
	}
	aw_strv_done(&path);
	free(rec);
	return AW_EXIT_OK;
}

static json_t *
align_json(const char *name, const char *org, enum aw_dmarc_org_how how,
    bool relaxed, bool strict)
{
	json_t *o = json_object();

	json_object_set_new(o, "domain", aw_json_text(name));
	json_object_set_new(o, "org", aw_json_text(org));
	json_object_set_new(o, "org_how", json_string(aw_dmarc_org_how_name(how)));
	json_object_set_new(o, "relaxed", json_boolean(relaxed));
	json_object_set_new(o, "strict", json_boolean(strict));
	return o;
}

static void
align_print_json(const struct aw_dmarc_alignment *a, const char *from,
    const char *mfrom, const char *dkim)
{
	json_t *o = json_object(), *spf, *dk, *psl = json_object();

	json_object_set_new(o, "from", json_string(from));
	json_object_set_new(o, "from_org", aw_json_text(a->from_org));
	json_object_set_new(o, "from_org_how",
	    json_string(aw_dmarc_org_how_name(a->from_how)));
	spf = align_json(mfrom, a->mail_from_org, a->mail_from_how,
	    a->spf_relaxed, a->spf_strict);
	json_object_set_new(spf, "mail_from", aw_json_text(mfrom));
	dk = align_json(dkim, a->dkim_org, a->dkim_how, a->dkim_relaxed,
	    a->dkim_strict);
	json_object_set_new(dk, "d", aw_json_text(dkim));
	json_object_set_new(o, "spf", spf);
	json_object_set_new(o, "dkim", dk);
	json_object_set_new(o, "dns_failure", json_boolean(a->dns_failure));
	/* RFC 7489 §3.2 receivers: the Public Suffix List, a note only. */
	json_object_set_new(psl, "from_org", aw_json_text(a->from_org_psl));
	json_object_set_new(psl, "mail_from_org",
	    aw_json_text(a->mail_from_org_psl));
	json_object_set_new(psl, "dkim_org", aw_json_text(a->dkim_org_psl));
	json_object_set_new(psl, "spf_relaxed", json_boolean(a->spf_relaxed_psl));
	json_object_set_new(psl, "dkim_relaxed",
	    json_boolean(a->dkim_relaxed_psl));
	json_object_set_new(o, "rfc7489_psl", psl);
	aw_json_print(stdout, o);
}

static void
align_print_human(const struct aw_dmarc_alignment *a, const char *from,
    const char *mfrom, const char *dkim)
{
	printf(_("From: %s (organizational domain %s)\n"), from,
	    a->from_org ? a->from_org : "?");
	if (mfrom != NULL)
		printf(_("SPF, MAIL FROM %s: relaxed %s, strict %s\n"), mfrom,
		    a->spf_relaxed ? _("aligned") : _("not aligned"),
		    a->spf_strict ? _("aligned") : _("not aligned"));
	if (dkim != NULL)
		printf(_("DKIM, d=%s: relaxed %s, strict %s\n"), dkim,
		    a->dkim_relaxed ? _("aligned") : _("not aligned"),
		    a->dkim_strict ? _("aligned") : _("not aligned"));
	if ((mfrom == NULL || !a->spf_relaxed) &&
	    (dkim == NULL || !a->dkim_relaxed))
		printf(_("Neither identifier aligns: DMARC fails for this mail. Have the service sign with d=%s (CNAME delegation) or use a MAIL FROM under %s.\n"),
		    from, a->from_org ? a->from_org : from);
	if (a->dns_failure)
		printf("%s\n", _("A DNS lookup of the tree walk failed: the relaxed answers may be wrong."));
	if ((mfrom != NULL && a->spf_relaxed != a->spf_relaxed_psl) ||
	    (dkim != NULL && a->dkim_relaxed != a->dkim_relaxed_psl))
		printf(_("Note: receivers that still follow RFC 7489 use the Public Suffix List (organizational domain %s) and conclude otherwise: SPF relaxed %s, DKIM relaxed %s.\n"),
		    a->from_org_psl ? a->from_org_psl : "?",
		    mfrom == NULL ? "-" : a->spf_relaxed_psl ? _("aligned") :
		    _("not aligned"),
		    dkim == NULL ? "-" : a->dkim_relaxed_psl ? _("aligned") :
		    _("not aligned"));
}

static int
dmarc_align_out(struct aw_session *dns, const char *from, const char *mfrom,
    const char *dkim, bool json)
{
	struct aw_dmarc_alignment a;
	struct aw_dns_source src;
	enum aw_status st;
	int rc;

	if (!aw_cli_dns_start(dns))
		return AW_EXIT_USAGE;
	src = aw_resolver_source(dns->res);
	if ((st = aw_dmarc_align(&src, from, mfrom, dkim, &a)) != AW_OK) {
		aw_dmarc_alignment_done(&a);
		if (st == AW_ERR_NOMEM)
			return AW_EXIT_INTERNAL;
		aw_cli_usage_error("dmarc", _("--align needs --from DOMAIN"));
		return AW_EXIT_USAGE;
	}
	if (json)
		align_print_json(&a, from, mfrom, dkim);
	else
		align_print_human(&a, from, mfrom, dkim);
	/* RFC 9989 §4.4: DMARC passes when either identifier aligns. */
	rc = (mfrom != NULL && a.spf_relaxed) || (dkim != NULL &&
	    a.dkim_relaxed) ? AW_EXIT_OK : a.dns_failure ? AW_EXIT_DNS :
	    AW_EXIT_FINDINGS;
	aw_dmarc_alignment_done(&a);
	return rc;
}

static int
dmarc_run(int argc, char **argv)
{
	const char *areas[] = { "dmarc" };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc = NULL;
	struct aw_dmarc_build b;
	struct aw_strv rua, ruf;
	struct aw_session dns;
	char *domain = NULL, *from = NULL, *mfrom = NULL, *dkim = NULL;
	bool json = false, build = false, align = false, have_p = false;
	struct aw_cli_args args;
	int c, rc = AW_EXIT_USAGE;

	memset(&b, 0, sizeof b);
	aw_strv_init(&rua);
	aw_strv_init(&ruf);
	aw_session_init(&dns);
	if (!aw_cli_args_init(&args, &aw_cmd_dmarc, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		char **slot = NULL;

		switch (c) {
		case AW_CLI_ARGS_STOP:
			rc = args.rc;
			goto done;
		case OPT_BUILD:
			build = true;
			break;
		case OPT_ALIGN:
			align = true;
			break;
		case OPT_POLICY:
			if (!policy_arg("--policy", args.arg, &b.p))
				goto done;
			have_p = true;
			break;
		case OPT_SP:
			if (!policy_arg("--sp", args.arg, &b.sp))
				goto done;
			break;
		case OPT_NP:
			if (!policy_arg("--np", args.arg, &b.np))
				goto done;
			break;
		case OPT_ADKIM:
			if (!rors_arg("--adkim", args.arg, &b.adkim))
				goto done;
			break;
		case OPT_ASPF:
			if (!rors_arg("--aspf", args.arg, &b.aspf))
				goto done;
			break;
		case OPT_TESTING:
			b.testing = true;
			break;
		case OPT_RUA:
			aw_strv_push(&rua, args.arg);
			break;
		case OPT_RUF:
			aw_strv_push(&ruf, args.arg);
			break;
		case OPT_FO:
			b.fo = args.arg;
			break;
		case OPT_DOMAIN:
			slot = &domain;
			break;
		case OPT_FROM:
			slot = &from;
			break;
		case OPT_MAIL_FROM:
			slot = &mfrom;
			break;
		case OPT_DKIM_DOMAIN:
			slot = &dkim;
			break;
		}
		if (slot != NULL) {
			free(*slot);
			if ((*slot = aw_cli_domain_arg(args.arg)) == NULL)
				goto done;
		}
	}
	json = args.json;
	if (build && align) {
		rc = aw_cli_usage_error("dmarc", _("give --build or --align, not both"));
		goto done;
	}
	if (build) {
		if (!have_p || optind != argc) {
			rc = aw_cli_usage_error("dmarc",
			    _("--build needs --policy and takes no DOMAIN argument (use --domain)"));
			goto done;
		}
		b.rua = (const char *const *)rua.v;
		b.nrua = rua.n;
		b.ruf = (const char *const *)ruf.v;
		b.nruf = ruf.n;
		rc = dmarc_build_out(&b, domain, json);
		goto done;
	}
	if (align) {
		if (from == NULL || optind != argc) {
			rc = aw_cli_usage_error("dmarc", _("--align needs --from DOMAIN"));
			goto done;
		}
		rc = dmarc_align_out(&dns, from, mfrom, dkim, json);
		goto done;
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("dmarc", optind >= argc ?
		    _("which domain? Give one DOMAIN") :
		    _("give exactly one DOMAIN"));
		goto done;
	}
	free(domain);
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (!aw_cli_dns_start(&dns))
		goto done;
	memset(&opts, 0, sizeof opts);
	opts.areas = areas;
	opts.nareas = 1;
	if ((dc = aw_cli_run_areas(&dns, domain, &opts)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	rc = aw_cli_print_areas(dc, json, true);
done:
	aw_cli_args_done(&args);
	aw_domain_check_free(dc);
	aw_session_done(&dns);
	aw_strv_done(&rua);
	aw_strv_done(&ruf);
	free(domain);
	free(from);
	free(mfrom);
	free(dkim);
	return rc;
}

const struct aw_cli_command aw_cmd_dmarc = {
	.name = "dmarc",
	.summary = N_("check a DMARC policy, build a record, check alignment"),
	.run = dmarc_run,
	.usage = dmarc_usage,
	.options = dmarc_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
