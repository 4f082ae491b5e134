/* cmd-check.c: `authwizard check DOMAIN`: what is published now. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/authority.h"
#include "checks/catalog.h"
#include "checks/dnshost.h"
#include "checks/dnssec.h"
#include "checks/domain.h"
#include "cli/area-run.h"
#include "cli/check-extras.h"
#include "cli/args.h"
#include "cli/bulk.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/provider.h"

static const struct aw_cli_opt check_options[] = {
	{ "selector", 0, required_argument, 's', "S",
	    N_("check the DKIM key at S._domainkey (repeatable); without it, "
	    "probe the catalog's common selectors") },
	{ "ip", 0, required_argument, 'i', "IP",
	    N_("check the PTR and its forward confirmation for a sending IP, "
	    "IPv4 or IPv6 (repeatable)") },
	{ "helo", 0, required_argument, 'H', N_("NAME"),
	    N_("check the HELO/EHLO name a server announces") },
	{ "domains-file", 0, required_argument, 'f', N_("FILE"),
	    N_("read more domains from FILE, one per line ('#' starts a "
	    "comment; '-' is standard input)") },
	{ "parallel", 0, required_argument, 'P', "N",
	    N_("domains checked at once (default 32, 1-1000)") },
	{ "jobs", 0, required_argument, 'j', "N",
	    N_("worker processes sharing the domains (default 1, 1-64; "
	    "--parallel is split between them)") },
	{ "quiet", 'q', no_argument, 'q', NULL,
	    N_("no progress meter (shown on standard error when it is a "
	    "terminal and several domains are checked)") },
	{ "requirements", 0, no_argument, 'R', NULL,
	    N_("judge the mailbox providers' sender rules (Gmail and Yahoo "
	    "2024, Outlook.com 2025) from DNS: one verdict per rule with its "
	    "source; rules DNS cannot show are listed as not checked") },
	{ "baseline", 0, required_argument, 'B', N_("FILE"),
	    N_("compare with the records and verdicts saved in FILE; a domain "
	    "not in FILE is saved there (the first run); exit 1 when something "
	    "changed for the worse") },
	{ "baseline-update", 0, no_argument, 'U', NULL,
	    N_("with --baseline: save what is seen now as the new baseline "
	    "after comparing") },
	{ "trust-anchor", 0, required_argument, 'T', N_("FILE"),
	    N_("DNSSEC: DS or DNSKEY records (zone-file form) to trust instead "
	    "of the root's key") },
	{ "no-dnssec", 0, no_argument, 'N', NULL,
	    N_("leave out the DNSSEC area (no validation)") },
	{ "ca-file", 0, required_argument, 'C', N_("FILE"),
	    N_("trust the CAs in FILE (PEM) for the domain's own web files "
	    "(MTA-STS policy, BIMI) and the BIMI mark certificate too") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
check_usage(FILE *out)
{
	fprintf(out, _("Usage: %s check DOMAIN... [OPTIONS]\n"
	    "Show the SPF, DKIM, DMARC and MX records of DOMAIN as published now,\n"
	    "with what is wrong in them, and for every lookup that found nothing\n"
	    "whether it was \"no such record\" or a DNS failure. SPF shows its lookup\n"
	    "tree; past 10 lookups it names the costliest includes and the lighter\n"
	    "includes the sender catalog knows. With --ip and --helo it also checks\n"
	    "the reverse DNS (PTR) of sending addresses and the HELO name.\n\n"),
	    aw_cli_progname);
	fputs(_("Several domains (as arguments or from --domains-file) are checked\n"
	    "concurrently and printed in the order given; with --json, one JSON\n"
	    "document per line (JSON Lines).\n\n"), out);
	aw_cli_args_usage(out, check_options, NULL);
	fputs(_("  --json                  print one JSON document: \"status\", \"errors\",\n"
	    "                          \"warnings\" of the whole check and one object per\n"
	    "                          area (see README)\n"), out);
	aw_cli_dns_usage(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 every lookup got an answer, 2 usage error, 3 a DNS lookup\n"
	    "failed (SERVFAIL, REFUSED, timeout, malformed answer).\n"), out);
	fputs(_("What was found does not change the exit status: read \"status\".\n"
	    "With --baseline: 1 something changed for the worse since the baseline\n"
	    "(it wins over 3), 6 the baseline file could not be read or written.\n"),
	    out);
	fputs(_("Ctrl-C (SIGINT) or SIGTERM stops a run over many domains: the results\n"
	    "printed are whole, a summary on standard error says how many domains were\n"
	    "not checked, and the exit status is 130.\n"), out);
}

/* The validator of a one-domain check, freed early (check_progress). */
struct validator_release {
	struct aw_loop *loop;
	struct aw_validator **v;
	struct aw_loop_timer *timer;
};

static void
validator_release_now(void *arg)
{
	struct validator_release *r = arg;

	r->timer = NULL;
	aw_validator_free(*r->v);
	*r->v = NULL;
	aw_validator_unload();
}

static void
check_progress(struct aw_domain_check *dc, struct aw_section *sec, void *arg)
{
	struct validator_release *r = arg;
	size_t k;

	/* One domain: once its dnssec and dane sections are over, nobody
	 * asks the validator again. It is freed (its worker thread stopped
	 * and joined: about 1 ms) while the other areas still wait for
	 * answers, not after the output (issue 16); on the next turn of
	 * the loop, since this may run from inside the validator's own
	 * callback. */
	if (r == NULL || *r->v == NULL || r->timer != NULL || sec == NULL ||
	    aw_validator_start_error(*r->v) != NULL)
		return;
	for (k = 0; k < aw_domain_check_count(dc); k++) {
		const struct aw_section *s = aw_domain_check_section(dc, k);

		if (!s->finished && (strcmp(s->area, "dnssec") == 0 ||
		    strcmp(s->area, "dane") == 0))
			return;
	}
	r->timer = aw_loop_timer_add(r->loop, 0, validator_release_now, r);
}

/* The DNS host of one domain: its zone's own NS set (aw_authority_find_ns)
 * matched against the host table (checks/dnshost.h). */
struct check_host {
	struct aw_authority *auth;   /* NULL while asking */
	bool done;
	enum aw_dnshost_match match;
	const struct aw_dnshost *host;   /* with AW_DNSHOST_FOUND */
};

static void
on_host(struct aw_authority *auth, void *arg)
{
	struct check_host *h = arg;

	h->auth = auth;
	h->done = true;
	/* The table of DNS hosts is read and matched now, while the other
	 * areas still wait for answers, not after the last one (issue 16). */
	h->host = NULL;
	h->match = aw_dnshost_match_authority(aw_dnshosts_default(), auth,
	    &h->host);
}

/* The provider id when this build has that API path, else NULL. */
static const char *
host_provider(const struct aw_dnshost *h)
{
	return h != NULL && h->provider != NULL &&
	    aw_provider_find(h->provider) != NULL ? h->provider : NULL;
}

/* "dns_host": {"id", "name", "provider"} or null when not recognised;
 * several hosts: id "mixed". */
static json_t *
host_json(const struct check_host *ch)
{
	const struct aw_dnshost *h = ch->host;
	enum aw_dnshost_match m = ch->match;
	json_t *o, *ns = json_array();
	size_t i;

	if (m == AW_DNSHOST_UNKNOWN) {
		json_decref(ns);
		return json_null();
	}
	o = json_object();
	json_object_set_new_nocheck(o, "id", json_string(m == AW_DNSHOST_FOUND ?
	    h->id : "mixed"));
	json_object_set_new_nocheck(o, "name", m == AW_DNSHOST_FOUND ?
	    aw_json_text(h->name) : json_string("several DNS hosts"));
	json_object_set_new_nocheck(o, "provider", aw_json_text_or_null(
	    host_provider(h)));
	json_object_set_new_nocheck(o, "zone",
	    aw_json_text_or_null(ch->auth->zone));
	for (i = 0; i < ch->auth->nns; i++)
		if (ch->auth->ns[i].at_zone)
			json_array_append_new(ns, aw_json_text(
			    ch->auth->ns[i].host));
	json_object_set_new_nocheck(o, "ns", ns);
	return o;
}

static void
host_print(const struct check_host *ch)
{
	const struct aw_dnshost *h = ch->host;
	enum aw_dnshost_match m = ch->match;

	fputs(_("DNS host: "), stdout);
	if (m == AW_DNSHOST_FOUND) {
		aw_cli_put_escaped(stdout, h->name, 100);
		if (host_provider(h) != NULL)
			printf(_(" (from its name servers; authwizard can publish there: --provider %s)"),
			    host_provider(h));
		else
			fputs(_(" (from its name servers; no API path here: the wizard shows the records the way its form wants them)"),
			    stdout);
	} else if (m == AW_DNSHOST_MIXED) {
		fputs(_("several (the name servers belong to different hosts)"),
		    stdout);
	} else {
		fputs(_("not recognised from the name servers"), stdout);
	}
	putchar('\n');
}

/* Prints the result of one domain; true when a lookup failed. compact:
 * JSON on one line (JSON Lines, for several domains). */
struct check_out {
	bool json, compact, requirements;
	struct aw_cli_baseline *baseline;  /* NULL: no --baseline */
};

static bool
check_print(struct aw_domain_check *dc, const struct check_host *host,
    const char *domain, const struct check_out *o)
{
	bool json = o->json, compact = o->compact;
	bool failure = false;
	size_t i;

	for (i = 0; i < aw_domain_check_count(dc); i++)
		if (aw_domain_check_section(dc, i)->f.dns_failure)
			failure = true;
	if (json) {
		/* The document is built, written and freed here; --baseline
		 * keeps entries past it, so it is not in the arena then. */
		bool arena = o->baseline == NULL;
		json_t *root, *dkim, *ptr;
		char *uni = aw_domain_to_unicode(domain);

		if (arena)
			aw_json_doc_begin();
		root = json_object();
		dkim = json_array();
		ptr = json_array();

		json_object_set_new_nocheck(root, "domain",
		    json_string(domain));
		json_object_set_new_nocheck(root, "domain_unicode",
		    aw_json_text(uni));
		free(uni);
		json_object_set_new_nocheck(root, "dns_failure",
		    json_boolean(failure));
		/* The whole check in the shape of one area: the worst status,
		 * every area's errors and warnings, each prefixed with its
		 * area ("SPF: ..."). */
		{
			struct aw_findings all;
			size_t k;

			aw_findings_init(&all);
			for (i = 0; i < aw_domain_check_count(dc); i++) {
				struct aw_section *sec =
				    aw_domain_check_section(dc, i);
				const char *t = aw_area_title(sec->area);

				aw_findings_raise(&all, sec->f.status);
				for (k = 0; k < sec->f.errors.n; k++)
					aw_strv_pushf(&all.errors, "%s: %s", t,
					    sec->f.errors.v[k]);
				for (k = 0; k < sec->f.warnings.n; k++)
					aw_strv_pushf(&all.warnings, "%s: %s",
					    t, sec->f.warnings.v[k]);
			}
			if (all.status == AW_CHECK_PENDING)
				all.status = AW_CHECK_OK;
			json_object_set_new_nocheck(root, "status", json_string(
			    aw_check_status_name(all.status)));
			json_object_set_new_nocheck(root, "errors",
			    aw_json_strv(&all.errors));
			json_object_set_new_nocheck(root, "warnings",
			    aw_json_strv(&all.warnings));
			aw_findings_done(&all);
		}
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
		json_object_set_new_nocheck(root, "dkim", dkim);
		json_object_set_new_nocheck(root, "ptr", ptr);
		if (!compact)
			json_object_set_new_nocheck(root, "dns_host",
			    host_json(host));
		if (o->requirements)
			aw_cli_requirements(dc, root, NULL);
		if (o->baseline != NULL)
			aw_cli_baseline_domain(o->baseline, dc, domain, failure,
			    root, NULL);
		aw_json_print_line(stdout, root, compact);
		if (arena)
			aw_json_doc_end();
	} else {
		char *uni = aw_domain_to_unicode(domain);

		fputs(_("Email authentication of "), stdout);
		aw_cli_put_escaped(stdout, uni ? uni : domain, 300);
		if (uni != NULL && strcmp(uni, domain) != 0)
			printf(" (%s)", domain);
		printf("\n\n");
		free(uni);
		if (!o->compact)
			host_print(host);
		putchar('\n');
		for (i = 0; i < aw_domain_check_count(dc); i++) {
			aw_cli_print_section(stdout, aw_domain_check_section(dc, i));
			putchar('\n');
		}
		if (o->requirements) {
			aw_cli_requirements(dc, NULL, stdout);
			putchar('\n');
		}
		if (o->baseline != NULL)
			aw_cli_baseline_domain(o->baseline, dc, domain, failure,
			    NULL, stdout);
	}
	return failure;
}

static const char *
check_spf_lighter(void *arg, const char *include)
{
	(void)arg;
	return aw_catalog_spf_lighter((void *)aw_cli_catalog(), include);
}

/* One run of check over many domains (cli/bulk.h's items). */
struct check_bulk {
	const struct aw_dns_source *src;
	const struct aw_domain_check_opts *opts;
	const struct aw_strv *domains;
	struct aw_domain_check **dcs;
	struct check_host *hosts;       /* each domain's DNS host */
	struct aw_resolver *res;
	struct validator_release *release;  /* one domain: check_progress */
	const struct check_out *out;
	bool json, dns_failure;
};

static bool
check_bulk_start(void *arg, size_t i)
{
	struct check_bulk *cb = arg;
	struct aw_error err;

	aw_error_clear(&err);
	if (aw_domain_check_start(cb->src, cb->domains->v[i], cb->opts,
	    check_progress, cb->domains->n == 1 ? cb->release : NULL,
	    &cb->dcs[i], &err) != AW_OK) {
		aw_cli_error("%s", err.msg);
		return false;
	}
	/* The zone's NS set names its DNS host: for one domain only. Over
	 * many it would cost each domain an SOA walk and an NS query more,
	 * queued behind the others' lookups (a bulk run wants throughput). */
	if (cb->domains->n > 1 || aw_authority_find_ns(cb->res,
	    cb->domains->v[i], on_host, &cb->hosts[i]) != AW_OK)
		cb->hosts[i].done = true;
	return true;
}

static bool
check_bulk_finished(void *arg, size_t i)
{
	struct check_bulk *cb = arg;

	return aw_domain_check_finished(cb->dcs[i]) && cb->hosts[i].done;
}

static unsigned
check_bulk_emit(void *arg, size_t i)
{
	struct check_bulk *cb = arg;
	unsigned out = 0;
	size_t k;

	/* The meter counts a domain with an error or a DNS failure. */
	for (k = 0; k < aw_domain_check_count(cb->dcs[i]); k++)
		if (aw_domain_check_section(cb->dcs[i], k)->f.status ==
		    AW_CHECK_ERROR)
			out |= AW_BULK_FAILED;
	if (check_print(cb->dcs[i], &cb->hosts[i], cb->domains->v[i],
	    cb->out)) {
		cb->dns_failure = true;
		out |= AW_BULK_FAILED;
	}
	if (!cb->json && i + 1 < cb->domains->n)
		putchar('\n');
	aw_cli_bulk_flush();
	aw_domain_check_free(cb->dcs[i]);
	cb->dcs[i] = NULL;
	aw_authority_free(cb->hosts[i].auth);
	cb->hosts[i].auth = NULL;
	return out;
}

static const struct aw_cli_bulk_ops check_bulk_ops = {
	.start = check_bulk_start,
	.finished = check_bulk_finished,
	.emit = check_bulk_emit,
};

static int
check_run(int argc, char **argv)
{
	struct aw_domain_check_opts opts;
	struct aw_strv selectors, ips;
	struct aw_cli_domains doms;
	struct aw_session dns;
	struct aw_domain_check **dcs = NULL;
	struct check_host *hosts = NULL;
	struct aw_dns_source src;
	struct check_bulk cb;
	struct aw_cli_bulk bulk;
	struct aw_fetcher fetcher;
	char *helo = NULL;
	bool quiet = false, dnssec = true;
	const char *anchor = NULL;
	struct aw_validator *validator = NULL;
	struct validator_release release = { NULL, NULL, NULL };
	struct aw_cli_args args;
	struct aw_cli_baseline baseline;
	struct check_out out;
	const char *baseline_path = NULL;
	bool baseline_update = false, baseline_open = false;
	int c, rc = AW_EXIT_USAGE;
	size_t i, parallel = 32, jobs = 1;

	aw_strv_init(&selectors);
	aw_strv_init(&ips);
	aw_cli_domains_init(&doms);
	aw_session_init(&dns);
	/* a run that ends: its sockets stay open until the exit, not closed
	 * between the last answer and the output (resolver.h) */
	dns.keep_sockets = true;
	memset(&opts, 0, sizeof opts);
	memset(&out, 0, sizeof out);
	if (!aw_cli_args_init(&args, &aw_cmd_check, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		switch (c) {
		case AW_CLI_ARGS_STOP:
			rc = args.rc;
			goto done;
		case 's':
			if (!aw_domain_valid(args.arg) || strchr(args.arg, '.')) {
				rc = aw_cli_usage_error("check",
				    _("--selector: not a selector name: %s"), args.arg);
				goto done;
			}
			aw_strv_push(&selectors, args.arg);
			break;
		case 'i':
			aw_strv_push(&ips, args.arg);
			break;
		case 'H':
			free(helo);
			helo = strdup(args.arg);
			break;
		case 'C':
			if (!aw_cli_ca_file_option(&dns, args.arg))
				goto done;
			break;
		case 'f':
			if (!aw_cli_domains_read(&doms, args.arg))
				goto done;
			break;
		case 'q':
			quiet = true;
			break;
		case 'P':
		case 'j': {
			/* -1: taken (rc stays the usage status of a later
			 * error; it had become -1, exit 255) */
			int r = aw_cli_bulk_count_arg("check", c, args.arg,
			    c == 'j' ? &jobs : &parallel);

			if (r != -1) {
				rc = r;
				goto done;
			}
			break;
		}
		case 'R':
			out.requirements = true;
			break;
		case 'B':
			baseline_path = args.arg;
			break;
		case 'U':
			baseline_update = true;
			break;
		case 'T':
			anchor = args.arg;
			break;
		case 'N':
			dnssec = false;
			break;
		}
	}
	for (; optind < argc; optind++)
		if (!aw_cli_domains_arg(&doms, argv[optind]))
			goto done;
	if (doms.domains.n == 0) {
		rc = aw_cli_usage_error("check",
		    _("which domain? Give one DOMAIN"));
		goto done;
	}
	if (baseline_update && baseline_path == NULL) {
		rc = aw_cli_usage_error("check",
		    _("--baseline-update needs --baseline FILE"));
		goto done;
	}
	if (jobs > 1 && baseline_path != NULL) {
		rc = aw_cli_usage_error("check",
		    _("--jobs: not with --baseline (one file, kept by one process)"));
		goto done;
	}
	if (baseline_path != NULL) {
		if (!aw_cli_baseline_open(&baseline, baseline_path,
		    baseline_update)) {
			rc = AW_EXIT_IO;
			goto done;
		}
		baseline_open = true;
		out.baseline = &baseline;
	}
	out.json = args.json;
	out.compact = doms.domains.n > 1;
	aw_cli_bulk_setup(&bulk, doms.domains.n, parallel, quiet);
	/* A --trust-anchor file is read here once before the workers are
	 * made, so that a mistake in it is said once, not by each of them. */
	if (jobs > 1 && dnssec && anchor != NULL) {
		if ((validator = aw_cli_validator(&dns, anchor, false)) == NULL)
			goto done;
		aw_validator_free(validator);
		validator = NULL;
		aw_validator_unload();
	}
	/* Workers before the resolver and the validator: each its own. */
	if (!aw_cli_bulk_jobs(&bulk, &dns, jobs, &rc))
		goto done;
	if (!aw_cli_dns_start(&dns)) {
		rc = AW_EXIT_USAGE;
		goto done;
	}
	if (!aw_cli_fetcher(&dns, &fetcher)) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	opts.fetcher = &fetcher;
	opts.ca_file = dns.ca_file;
	opts.selectors = (const char *const *)selectors.v;
	opts.nselectors = selectors.n;
	opts.ips = (const char *const *)ips.v;
	opts.nips = ips.n;
	opts.helo = helo;
	if (dnssec && (validator = aw_cli_validator(&dns, anchor, true)) == NULL)
		goto done;
	opts.validator = validator;
	/* The SPF lint names lighter includes the sender catalog knows
	 * (read when first asked: the first queries go out before). */
	opts.spf_lighter = check_spf_lighter;
	src = aw_resolver_source(dns.res);
	if ((dcs = calloc(doms.domains.n, sizeof *dcs)) == NULL ||
	    (hosts = calloc(doms.domains.n, sizeof *hosts)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	memset(&cb, 0, sizeof cb);
	cb.hosts = hosts;
	cb.res = dns.res;
	release.loop = dns.loop;
	release.v = &validator;
	cb.release = &release;
	cb.src = &src;
	cb.opts = &opts;
	cb.domains = &doms.domains;
	cb.dcs = dcs;
	cb.json = args.json;
	cb.out = &out;
	bulk.loop = dns.loop;
	rc = aw_cli_bulk_run(&bulk, &check_bulk_ops, &cb);
	if (rc == AW_EXIT_OK && cb.dns_failure)
		rc = AW_EXIT_DNS;
	if (aw_validator_start_error(validator) != NULL) {
		/* as when it could not be made before the run */
		aw_cli_error("%s", aw_validator_start_error(validator));
		rc = AW_EXIT_USAGE;
	}
	if (baseline_open) {
		baseline_open = false;
		if (baseline.worse > 0 && (rc == AW_EXIT_OK || rc == AW_EXIT_DNS))
			rc = AW_EXIT_FINDINGS;
		if (!aw_cli_baseline_close(&baseline))
			rc = AW_EXIT_IO;
	}
done:
	if (baseline_open)
		aw_cli_baseline_close(&baseline);
	aw_cli_args_done(&args);
	/* The resolver first: it drops the callbacks of unfinished checks;
	 * the loop last (aw_session_done): their shared answers wait on it. */
	aw_resolver_free(dns.res);
	dns.res = NULL;
	if (dcs != NULL)
		for (i = 0; i < doms.domains.n; i++)
			aw_domain_check_free(dcs[i]);
	if (release.timer != NULL)
		aw_loop_timer_cancel(dns.loop, release.timer);
	aw_validator_free(validator);
	aw_session_done(&dns);
	free(dcs);
	if (hosts != NULL)
		for (i = 0; i < doms.domains.n; i++)
			aw_authority_free(hosts[i].auth);
	free(hosts);
	aw_dnshosts_default_free();
	aw_strv_done(&selectors);
	aw_strv_done(&ips);
	aw_cli_domains_done(&doms);
	free(helo);
	return rc;
}

const struct aw_cli_command aw_cmd_check = {
	.name = "check",
	.summary = N_("show what is published now and what is wrong with it"),
	.run = check_run,
	.usage = check_usage,
	.options = check_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
