/* cli-preflight.c: the preflight for plan and apply: run it over the DNS
 * options' resolver, print its findings below the diff, and apply's gate
 * (exit 7 unless --force). The checks themselves are checks/preflight.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/catalog.h"
#include "cli/cli-provider.h"
#include "cli/json.h"
#include "core/i18n.h"

void
aw_cli_print_preflight(FILE *out, const struct aw_plan *plan)
{
	const struct aw_preflight_result *r = &plan->preflight;
	size_t i;

	if (r->n == 0)
		return;
	fputs(_("Preflight (the zone as it will be):\n"), out);
	for (i = 0; i < r->n; i++) {
		const struct aw_preflight_finding *x = &r->v[i];
		const char *what = x->severity == AW_SEV_ERROR ? _("error") :
		    x->severity == AW_SEV_WARNING ? _("warning") : _("note");

		fprintf(out, "  %s [%s] ", what, x->code);
		aw_cli_put_escaped(out, x->message, 0);
		if (x->rfc != NULL)
			fprintf(out, " (%s)", x->rfc);
		fputc('\n', out);
	}
}

int
aw_cli_preflight(struct aw_session *dns, struct aw_plan *plan)
{
	struct aw_preflight_opts opts;
	struct aw_dns_source src;
	struct aw_error err;

	if (aw_plan_count_pending(plan) == 0)
		return AW_EXIT_OK;
	if (dns->res == NULL && !aw_cli_dns_start(dns))
		return AW_EXIT_DNS;
	memset(&opts, 0, sizeof opts);
	/* The catalog's lighter include of a sender, for the fix hint. */
	opts.spf_lighter = aw_catalog_spf_lighter;
	opts.spf_lighter_arg = (void *)aw_cli_catalog();
	src = aw_resolver_source(dns->res);
	aw_error_clear(&err);
	if (aw_plan_preflight(plan, dns->loop, &src, &opts, &err) != AW_OK) {
		aw_cli_error(_("the preflight could not run: %s"), err.msg);
		return err.status == AW_ERR_NOMEM ? AW_EXIT_INTERNAL : AW_EXIT_DNS;
	}
	return AW_EXIT_OK;
}

int
aw_cli_preflight_gate(struct aw_session *dns, struct aw_plan *plan,
    bool force, bool json)
{
	const struct aw_preflight_result *r = &plan->preflight;
	size_t i, nerr = 0;
	int rc;

	if ((rc = aw_cli_preflight(dns, plan)) != AW_EXIT_OK)
		return force ? AW_EXIT_OK : rc;
	if (!aw_preflight_result_blocks(r))
		return AW_EXIT_OK;
	if (force) {
		fputs(_("warning: the preflight found errors; publishing anyway (--force)\n"),
		    stderr);
		return AW_EXIT_OK;
	}
	if (json)
		aw_json_print(stdout, aw_plan_to_json(plan));
	else
		aw_cli_print_plan(stdout, plan, false);
	for (i = 0; i < r->n; i++)
		if (r->v[i].severity == AW_SEV_ERROR)
			nerr++;
	fprintf(stderr, P_("%s: not applied, nothing was sent to the DNS host: the zone as it would be has %zu preflight error:\n",
	    "%s: not applied, nothing was sent to the DNS host: the zone as it would be has %zu preflight errors:\n",
	    nerr), aw_cli_progname, nerr);
	for (i = 0; i < r->n; i++) {
		if (r->v[i].severity != AW_SEV_ERROR)
			continue;
		fprintf(stderr, "  [%s] ", r->v[i].code);
		aw_cli_put_escaped(stderr, r->v[i].message, 0);
		fputc('\n', stderr);
	}
	fputs(_("Fix the records as the messages say (--spf-replace, --spf-remove, ...) and run it again, or give --force to publish anyway.\n"),
	    stderr);
	return AW_EXIT_PREFLIGHT;
}
