/* cmd-undo.c: `authwizard undo DOMAIN`: put back the values the last apply
 * replaced, from its journal. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli-provider.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "providers/apply.h"
#include "providers/journal.h"

static void
undo_usage(FILE *out)
{
	fprintf(out, _("Usage: %s undo DOMAIN [--provider NAME] [HOST OPTIONS] [--json]\n"
	    "Restore the records the last 'apply' for DOMAIN changed, from its journal\n"
	    "($XDG_STATE_HOME/authwizard/DOMAIN.journal.json). Only the changes that\n"
	    "were made are reverted, also after an apply that stopped midway; values\n"
	    "changed by hand since then are overwritten with the old ones. The journal\n"
	    "names the DNS host (--provider is optional; another one is refused). After\n"
	    "a full undo the journal becomes DOMAIN.undone.json.\n\n"),
	    aw_cli_progname);
	aw_cli_provider_usage(out, false);
	fputs(_("  --json                  print the undo plan with each change's state\n"), out);
	aw_cli_provider_usage_dns(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 restored, 2 usage error or missing credentials, 4 the DNS\n"
	    "host refused, 5 stopped midway (run undo again), 6 no journal or it could\n"
	    "not be read.\n"), out);
}

static int
undo_run(int argc, char **argv)
{
	struct aw_cli_provider cp;
	struct aw_plan journal, undo;
	struct aw_error err;
	struct option *longopts;
	char *domain = NULL;
	int c, r, rc = AW_EXIT_USAGE;
	size_t i;
	bool made = false;
	enum aw_status st;

	aw_cli_provider_init(&cp);
	aw_plan_init(&journal);
	aw_plan_init(&undo);
	aw_error_clear(&err);
	if ((longopts = aw_cli_provider_longopts(false, NULL, 0)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			undo_usage(stdout);
			rc = AW_EXIT_OK;
			goto done;
		}
		if (c == AW_OPT_DNS_SERVER || c == AW_OPT_DNS_TIMEOUT ||
		    c == AW_OPT_DNS_TRIES)
			continue;
		if ((r = aw_cli_provider_option(&cp, "undo", c, optarg)) < 0)
			goto done;
		if (r == 0) {
			rc = aw_cli_option_error("undo", argv, c);
			goto done;
		}
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("undo", optind >= argc ?
		    _("which domain? Give one DOMAIN") : _("give exactly one DOMAIN"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if ((st = aw_journal_load(domain, &journal, &err)) != AW_OK) {
		aw_cli_provider_error(&err);
		rc = st == AW_ERR_NOMEM ? AW_EXIT_INTERNAL : AW_EXIT_IO;
		goto done;
	}
	if (cp.provider != NULL && strcmp(cp.provider, journal.provider) != 0) {
		rc = aw_cli_usage_error("undo",
		    _("the last apply went through --provider %s"), journal.provider);
		goto done;
	}
	if ((rc = aw_cli_provider_open(&cp, journal.provider)) != AW_EXIT_OK)
		goto done;
	st = aw_undo_sync(cp.p, domain, &undo, &err);
	for (i = 0; i < undo.nchanges; i++)
		if (undo.changes[i].state == AW_CHANGE_MADE ||
		    undo.changes[i].state == AW_CHANGE_PARTIAL)
			made = true;
	if (cp.json) {
		json_t *j = aw_plan_to_json(&undo);

		json_object_set_new(j, "status", json_string(aw_status_name(st)));
		if (st != AW_OK)
			json_object_set_new(j, "error", aw_json_text(err.msg));
		aw_json_print(stdout, j);
	} else
		aw_cli_print_plan(stdout, &undo, true);
	if (st != AW_OK) {
		aw_cli_provider_error(&err);
		rc = made ? AW_EXIT_PARTIAL : aw_cli_provider_exit(st);
		goto done;
	}
	if (!cp.json)
		fputs(_("Restored the values from before the last apply.\n"), stdout);
	rc = AW_EXIT_OK;
done:
	free(longopts);
	free(domain);
	aw_plan_done(&journal);
	aw_plan_done(&undo);
	aw_cli_provider_done(&cp);
	return rc;
}

const struct aw_cli_command aw_cmd_undo = {
	.name = "undo",
	.summary = N_("restore the records the last apply changed"),
	.run = undo_run,
	.usage = undo_usage,
};
