/* cmd-plan.c: `authwizard plan DOMAIN --provider P ...`: what apply would
 * change, as a diff, without changing anything. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli-provider.h"
#include "cli/json.h"
#include "core/i18n.h"

enum { PLAN_OPT_OUT };

static const struct aw_cli_opt plan_options[] = {
	{ "out", 0, required_argument, PLAN_OPT_OUT, N_("FILE"),
	    N_("for 'apply --plan FILE': also save the plan to FILE (mode "
	    "0600)") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
plan_usage(FILE *out)
{
	fprintf(out, _("Usage: %s plan DOMAIN --provider NAME [RECORD OPTIONS] [--json]\n"
	    "              [--out FILE]\n"
	    "Show the changes (old -> new) that 'apply' would make at the DNS host to\n"
	    "publish the records asked for. Nothing is changed. Records not asked for\n"
	    "stay as they are (other TXT values at a name too); SPF terms are merged\n"
	    "into the one SPF record.\n\n"), aw_cli_progname);
	fputs(_("Below the diff, a preflight checks the zone as it will be with the checks\n"
	    "of 'check' (SPF lookups and syntax through live DNS, DMARC, DKIM keys, PTR)\n"
	    "and says what would break mail, what weakens a policy, and how to fix it;\n"
	    "with --json it is the \"preflight\" array. 'apply' refuses to publish a plan\n"
	    "with a preflight error (exit status 7; see 'apply --help').\n\n"), out);
	aw_cli_provider_usage(out, true);
	aw_cli_args_usage(out, plan_options, NULL);
	fputs(_("  --json                  print the plan as JSON\n"), out);
	aw_cli_provider_usage_dns(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 planned, 1 something asked for was refused (see 'refused'),\n"
	    "2 usage error or missing credentials, 4 the DNS host's API refused the\n"
	    "credentials or failed, 6 the plan file could not be written.\n"), out);
}

static int
plan_run(int argc, char **argv)
{
	struct aw_cli_provider cp;
	struct aw_session dns;
	struct aw_wants wants;
	struct aw_plan plan;
	struct aw_error err;
	struct aw_cli_args args;
	char *domain = NULL, *out_file = NULL;
	int c, rc = AW_EXIT_USAGE;
	enum aw_status st;

	aw_cli_provider_init(&cp);
	aw_session_init(&dns);
	aw_wants_init(&wants);
	aw_plan_init(&plan);
	aw_error_clear(&err);
	if (!aw_cli_args_init(&args, &aw_cmd_plan, argc, argv, &dns, &cp)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		if (c == AW_CLI_ARGS_STOP) {
			rc = args.rc;
			goto done;
		}
		if (c == PLAN_OPT_OUT) {
			free(out_file);
			out_file = strdup(args.arg);
		}
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("plan", optind >= argc ?
		    _("which domain? Give one DOMAIN") : _("give exactly one DOMAIN"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (cp.provider == NULL) {
		rc = aw_cli_usage_error("plan",
		    _("which DNS host? Give --provider %s"),
		    aw_provider_names(true));
		goto done;
	}
	if (!aw_cli_provider_wants(&cp, "plan", domain, &wants))
		goto done;
	if ((rc = aw_cli_provider_open(&cp, NULL)) != AW_EXIT_OK)
		goto done;
	if ((st = aw_plan_make_sync(cp.p, domain, &wants, &plan, &err)) != AW_OK) {
		aw_cli_provider_error(&err);
		rc = aw_cli_provider_exit(st);
		goto done;
	}
	if ((rc = aw_cli_preflight(&dns, &plan)) != AW_EXIT_OK)
		goto done;
	if (cp.json)
		aw_json_print(stdout, aw_plan_to_json(&plan));
	else
		aw_cli_print_plan(stdout, &plan, false);
	rc = plan.refused.n > 0 ? AW_EXIT_FINDINGS : AW_EXIT_OK;
	if (out_file != NULL && aw_plan_save(&plan, out_file, &err) != AW_OK) {
		aw_cli_provider_error(&err);
		rc = AW_EXIT_IO;
	}
done:
	aw_cli_args_done(&args);
	free(domain);
	free(out_file);
	aw_plan_done(&plan);
	aw_wants_done(&wants);
	aw_session_done(&dns);
	aw_cli_provider_done(&cp);
	return rc;
}

const struct aw_cli_command aw_cmd_plan = {
	.name = "plan",
	.summary = N_("show the DNS changes that would publish the records"),
	.run = plan_run,
	.usage = plan_usage,
	.options = plan_options,
	.shared = AW_CLI_SHARED_PROVIDER | AW_CLI_SHARED_WANTS,
};
