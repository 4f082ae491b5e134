/* cmd-verify.c: `authwizard verify --service ID DOMAIN...`: is each
 * customer domain set up for the service (checks/verify.h)? Many domains
 * at once over one resolver, like bulk check (cli/bulk.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/catalog.h"
#include "checks/verify.h"
#include "cli/args.h"
#include "cli/bulk.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"

enum {
	VERIFY_OPT_SERVICE = 1,
	VERIFY_OPT_DOMAINS_FILE,
	VERIFY_OPT_VAR,
	VERIFY_OPT_PARALLEL,
	VERIFY_OPT_QUIET,
	VERIFY_OPT_JOBS
};

static const struct aw_cli_opt verify_options[] = {
	{ "service", 0, required_argument, VERIFY_OPT_SERVICE, "ID",
	    N_("the service (an id of the sender catalog)") },
	{ "var", 0, required_argument, VERIFY_OPT_VAR, N_("NAME=VALUE"),
	    N_("a template variable of the service, e.g. a verification token "
	    "(repeatable)") },
	{ "domains-file", 0, required_argument, VERIFY_OPT_DOMAINS_FILE,
	    N_("FILE"),
	    N_("read more domains from FILE: one per line ('#' starts a "
	    "comment; '-' is standard input), or CSV with a header "
	    "\"domain,NAME,...\" whose columns are each domain's template "
	    "variables") },
	{ "parallel", 0, required_argument, VERIFY_OPT_PARALLEL, "N",
	    N_("domains checked at once (default 32, 1-1000)") },
	{ "jobs", 0, required_argument, VERIFY_OPT_JOBS, "N",
	    N_("worker processes sharing the domains (default 1, 1-64; "
	    "--parallel is split between them)") },
	{ "quiet", 'q', no_argument, VERIFY_OPT_QUIET, NULL,
	    N_("no progress meter (shown on standard error when it is a "
	    "terminal and several domains are checked)") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
verify_usage(FILE *out)
{
	fprintf(out, _("Usage: %s verify --service ID DOMAIN... [OPTIONS]\n"
	    "Is each customer DOMAIN set up for the email service ID of the sender\n"
	    "catalog? SPF: the service's include is reached from the domain's record\n"
	    "by evaluation and the record is valid (at most 10 lookups). DKIM: the\n"
	    "service's selectors as it publishes them (CNAMEs to its targets, or a\n"
	    "TXT key), with a usable key of at least 1024 bits. DMARC: a policy\n"
	    "applies, and the service's mail can align (DKIM as the domain). And the\n"
	    "service's verification record, when it has one. For each domain: pass\n"
	    "or fail, what is missing, and the zone lines to add.\n\n"),
	    aw_cli_progname);
	aw_cli_args_usage(out, verify_options, NULL);
	fputs(_("  --json                  one JSON object per domain and line: \"domain\",\n"
	    "                          \"service\", \"status\" (pass, fail, dns-failure),\n"
	    "                          \"missing\" and \"notes\" ([{area, code, message}]),\n"
	    "                          \"records\" (zone lines to add)\n"), out);
	aw_cli_dns_usage(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 every domain passes, 1 some domain fails, 2 usage error,\n"
	    "3 a DNS lookup failed, 130 stopped by Ctrl-C (SIGINT) or SIGTERM: the\n"
	    "results printed are whole and a summary says how many were not checked.\n"),
	    out);
}

/* One domain in the run. */
struct verify_item {
	struct aw_verify *v;
	struct aw_verify_opts opts;
	struct aw_strv names, values;
};

struct verify_run {
	const struct aw_dns_source *src;
	const struct aw_sender *service;
	const struct aw_cli_domains *doms;
	const struct aw_strv *vars;      /* --var NAME=VALUE */
	struct verify_item *items;
	bool json, any_fail, any_dns;
};

/* NAME=VALUE into names/values; a later NAME replaces an earlier one. */
static void
vars_put(struct verify_item *it, const char *nv)
{
	const char *eq = strchr(nv, '=');
	char *name;
	long k;

	if (eq == NULL || (name = strndup(nv, (size_t)(eq - nv))) == NULL)
		return;
	if ((k = aw_strv_find(&it->names, name)) >= 0) {
		free(it->values.v[k]);
		it->values.v[k] = strdup(eq + 1);
		free(name);
		return;
	}
	aw_strv_take(&it->names, name);
	aw_strv_push(&it->values, eq + 1);
}

static void
item_free(struct verify_item *it)
{
	aw_verify_free(it->v);
	it->v = NULL;
	aw_strv_done(&it->names);
	aw_strv_done(&it->values);
}

static bool
verify_bulk_start(void *arg, size_t i)
{
	struct verify_run *r = arg;
	struct verify_item *it = &r->items[i];
	struct aw_error err;
	size_t k;

	aw_strv_init(&it->names);
	aw_strv_init(&it->values);
	for (k = 0; k < r->vars->n; k++)
		vars_put(it, r->vars->v[k]);
	/* The domains file's columns win over --var. */
	for (k = 0; k < r->doms->vars[i].n; k++)
		vars_put(it, r->doms->vars[i].v[k]);
	it->opts.service = r->service;
	it->opts.names = (const char *const *)it->names.v;
	it->opts.values = (const char *const *)it->values.v;
	it->opts.nvars = it->names.n;
	aw_error_clear(&err);
	if (aw_verify_start(r->src, r->doms->domains.v[i], &it->opts, NULL,
	    NULL, &it->v, &err) != AW_OK) {
		aw_cli_error("%s", err.msg);
		return false;
	}
	return true;
}

static bool
verify_bulk_finished(void *arg, size_t i)
{
	struct verify_run *r = arg;

	return aw_verify_finished(r->items[i].v);
}

static json_t *
items_json(const struct aw_findings *f, bool errors)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < f->nitems; i++) {
		const struct aw_finding *it = &f->items[i];

		if ((it->severity == AW_SEV_ERROR) != errors)
			continue;
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o}",
		    "area", aw_verify_code_area(it->code), "code", it->code,
		    "severity", aw_severity_name(it->severity),
		    "message", aw_json_text(it->message)));
	}
	return a;
}

static void
print_json(const struct verify_run *r, const char *domain,
    const struct aw_verify_result *res)
{
	json_t *root = json_object();

	json_object_set_new(root, "domain", json_string(domain));
	json_object_set_new(root, "service", json_string(r->service->id));
	json_object_set_new(root, "status",
	    json_string(aw_verify_status_name(res->status)));
	json_object_set_new(root, "missing", items_json(&res->f, true));
	json_object_set_new(root, "notes", items_json(&res->f, false));
	json_object_set_new(root, "records", aw_json_strv(&res->records));
	aw_json_print_line(stdout, root, true);
}

static void
print_text(const struct verify_run *r, const char *domain,
    const struct aw_verify_result *res)
{
	const char *word[] = { "", _("pass"), _("FAIL"), _("DNS FAILURE") };
	int sev;
	size_t i;

	aw_cli_put_escaped(stdout, domain, 300);
	printf(": %s (", word[res->status]);
	aw_cli_put_escaped(stdout, r->service->name, 200);
	fputs(")\n", stdout);
	for (sev = AW_SEV_ERROR; sev >= AW_SEV_NOTE; sev--) {
		for (i = 0; i < res->f.nitems; i++) {
			const struct aw_finding *it = &res->f.items[i];

			if (it->severity != (enum aw_severity)sev)
				continue;
			printf("  %s %s: ", sev == AW_SEV_ERROR ? _("missing") :
			    sev == AW_SEV_WARNING ? _("warning") : _("note"),
			    aw_verify_code_area(it->code));
			aw_cli_put_escaped_once(stdout, it->message, 2000);
			printf(" [%s]\n", it->code);
		}
	}
	if (res->records.n > 0)
		printf("  %s\n", _("Records to add:"));
	for (i = 0; i < res->records.n; i++) {
		fputs("    ", stdout);
		aw_cli_put_escaped_once(stdout, res->records.v[i], 4000);
		putchar('\n');
	}
}

static unsigned
verify_bulk_emit(void *arg, size_t i)
{
	struct verify_run *r = arg;
	const struct aw_verify_result *res = aw_verify_result(r->items[i].v);
	const char *domain = r->doms->domains.v[i];
	unsigned out;

	if (r->json)
		print_json(r, domain, res);
	else
		print_text(r, domain, res);
	aw_cli_bulk_flush();
	if (res->status == AW_VERIFY_FAIL)
		r->any_fail = true;
	if (res->status == AW_VERIFY_DNS_FAILURE)
		r->any_dns = true;
	out = res->status != AW_VERIFY_PASS ? AW_BULK_FAILED : 0;
	item_free(&r->items[i]);
	return out;
}

static const struct aw_cli_bulk_ops verify_bulk_ops = {
	.start = verify_bulk_start,
	.finished = verify_bulk_finished,
	.emit = verify_bulk_emit,
};

/* --var NAME=VALUE: a name of letters, digits, '_' or '-'. */
static bool
var_ok(const char *nv)
{
	const char *eq = strchr(nv, '=');
	const char *c;

	if (eq == NULL || eq == nv)
		return false;
	for (c = nv; c < eq; c++)
		if (!(*c == '_' || *c == '-' || (*c >= '0' && *c <= '9') ||
		    (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
			return false;
	return true;
}

/* The options; -1 to go on, else the exit status. */
static int
verify_args(struct aw_cli_args *args, struct aw_cli_domains *doms,
    struct aw_strv *vars, char **service, size_t *parallel, size_t *jobs,
    bool *quiet)
{
	int c, rc;

	while ((c = aw_cli_args_next(args)) != AW_CLI_ARGS_END) {
		switch (c) {
		case AW_CLI_ARGS_STOP:
			return args->rc;
		case VERIFY_OPT_SERVICE:
			free(*service);
			*service = strdup(args->arg);
			break;
		case VERIFY_OPT_DOMAINS_FILE:
			if (!aw_cli_domains_read(doms, args->arg))
				return AW_EXIT_USAGE;
			break;
		case VERIFY_OPT_VAR:
			if (!var_ok(args->arg))
				return aw_cli_usage_error("verify",
				    _("--var: NAME=VALUE, not %s"), args->arg);
			aw_strv_push(vars, args->arg);
			break;
		case VERIFY_OPT_QUIET:
			*quiet = true;
			break;
		case VERIFY_OPT_PARALLEL:
		case VERIFY_OPT_JOBS:
			if ((rc = aw_cli_bulk_count_arg("verify",
			    c == VERIFY_OPT_JOBS ? 'j' : 'P', args->arg,
			    c == VERIFY_OPT_JOBS ? jobs : parallel)) != -1)
				return rc;
			break;
		}
	}
	return -1;
}

static int
verify_run(int argc, char **argv)
{
	struct aw_cli_domains doms;
	struct aw_strv vars;
	struct aw_session dns;
	struct aw_dns_source src;
	struct aw_cli_args args;
	struct aw_cli_bulk bulk;
	struct verify_run r;
	const struct aw_catalog *cat;
	char *service = NULL;
	bool quiet = false;
	size_t i, parallel = 32, jobs = 1;
	int rc;

	aw_cli_domains_init(&doms);
	aw_strv_init(&vars);
	aw_session_init(&dns);
	memset(&r, 0, sizeof r);
	if (!aw_cli_args_init(&args, &aw_cmd_verify, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	if ((rc = verify_args(&args, &doms, &vars, &service, &parallel,
	    &jobs, &quiet)) != -1)
		goto done;
	rc = AW_EXIT_USAGE;
	for (; optind < argc; optind++)
		if (!aw_cli_domains_arg(&doms, argv[optind]))
			goto done;
	if (service == NULL) {
		rc = aw_cli_usage_error("verify",
		    _("which service? Give --service ID (an id of the sender catalog)"));
		goto done;
	}
	if ((cat = aw_cli_catalog()) == NULL) {
		aw_cli_error(_("the sender catalog cannot be read: %s"),
		    aw_catalog_default_error()->msg);
		rc = AW_EXIT_IO;
		goto done;
	}
	if ((r.service = aw_catalog_find(cat, service)) == NULL) {
		rc = aw_cli_usage_error("verify",
		    _("--service: no service \"%s\" in the sender catalog"), service);
		goto done;
	}
	if (doms.domains.n == 0) {
		rc = aw_cli_usage_error("verify",
		    _("which domain? Give one DOMAIN"));
		goto done;
	}
	aw_cli_bulk_setup(&bulk, doms.domains.n, parallel, quiet);
	/* Workers before the resolver: each its own. */
	if (!aw_cli_bulk_jobs(&bulk, &dns, jobs, &rc))
		goto done;
	if (!aw_cli_dns_start(&dns))
		goto done;
	src = aw_resolver_source(dns.res);
	r.src = &src;
	r.doms = &doms;
	r.vars = &vars;
	r.json = args.json;
	if ((r.items = calloc(doms.domains.n, sizeof *r.items)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	bulk.loop = dns.loop;
	rc = aw_cli_bulk_run(&bulk, &verify_bulk_ops, &r);
	if (rc == AW_EXIT_OK)
		rc = r.any_dns ? AW_EXIT_DNS : r.any_fail ? AW_EXIT_FINDINGS :
		    AW_EXIT_OK;
done:
	aw_cli_args_done(&args);
	/* The resolver first: it drops the callbacks of unfinished runs;
	 * the loop last (aw_session_done). */
	aw_resolver_free(dns.res);
	dns.res = NULL;
	if (r.items != NULL)
		for (i = 0; i < doms.domains.n; i++)
			item_free(&r.items[i]);
	aw_session_done(&dns);
	free(r.items);
	free(service);
	aw_strv_done(&vars);
	aw_cli_domains_done(&doms);
	return rc;
}

const struct aw_cli_command aw_cmd_verify = {
	.name = "verify",
	.summary = N_("is each customer domain set up for an email service?"),
	.run = verify_run,
	.usage = verify_usage,
	.options = verify_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
