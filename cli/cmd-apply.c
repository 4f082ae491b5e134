/* cmd-apply.c: `authwizard apply`: make a plan's changes at the DNS host,
 * journaled for undo, then read back. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli-provider.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "providers/apply.h"
#include "providers/journal.h"

enum { APPLY_OPT_PLAN, APPLY_OPT_YES, APPLY_OPT_FORCE };

static const struct aw_cli_opt apply_options[] = {
	{ "plan", 0, required_argument, APPLY_OPT_PLAN, N_("FILE"),
	    N_("apply a saved plan") },
	{ "yes", 'y', no_argument, APPLY_OPT_YES, NULL,
	    N_("do not ask for confirmation (needed without a terminal)") },
	{ "force", 0, no_argument, APPLY_OPT_FORCE, NULL,
	    N_("publish even when the preflight finds an error") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
apply_usage(FILE *out)
{
	fprintf(out, _("Usage: %s apply DOMAIN --provider NAME [RECORD OPTIONS] [--yes] [--json]\n"
	    "       %s apply --plan FILE [--yes] [--json]\n"
	    "Make the changes of a plan at the DNS host: the plan is made from the same\n"
	    "options as 'plan', or read from a file saved with 'plan --out'. The old\n"
	    "values are written to a journal first ('authwizard undo DOMAIN' restores\n"
	    "them); every record is read back afterwards. Applying the same plan again\n"
	    "changes nothing.\n\n"), aw_cli_progname, aw_cli_progname);
	aw_cli_provider_usage(out, true);
	aw_cli_args_usage(out, apply_options, NULL);
	fputs(_("  --json                  print the plan with each change's state as JSON\n"), out);
	aw_cli_provider_usage_dns(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "The journal is $XDG_STATE_HOME/authwizard/DOMAIN.N.journal.json (default\n"
	    "~/.local/state/authwizard/), mode 0600. Route 53: apply waits for its\n"
	    "GetChange INSYNC (about 5 minutes at most; then a note says it is still\n"
	    "PENDING). 'authwizard watch DOMAIN' then shows when every authoritative\n"
	    "nameserver serves the records.\n\n"
	    "The journal is written (and synced) ahead of every request that changes\n"
	    "something. A request without a usable reply (timeout, reset, garbage, a\n"
	    "5xx) leaves its change unknown; the records are then read back from the\n"
	    "host, which decides made or not made. SIGINT, SIGTERM or SIGHUP stop the\n"
	    "apply: no new request is sent, the one under way settles, the journal is\n"
	    "written and the outcome printed; a second signal leaves at once. A full\n"
	    "or read-only disk stops it before the next change. One apply or undo per\n"
	    "domain runs at a time (a lock beside the journal names the other's pid);\n"
	    "each apply keeps its own journal DOMAIN.N.journal.json.\n\n"
	    "Exit status: 0 every change made and confirmed (or nothing to do),\n"
	    "1 declined at the prompt or something asked for was refused, 2 usage error,\n"
	    "missing credentials or no confirmation, 4 the DNS host refused (nothing was\n"
	    "changed), 5 stopped midway or interrupted: something may have changed (the\n"
	    "output lists what was made, not made and unknown; undo reverts it), 6 the\n"
	    "journal, its lock (another apply is running) or the plan file could not be\n"
	    "read or written (nothing was changed).\n"), out);
	fputs(_("7 refused by the preflight: the zone as it would be breaks mail (an SPF\n"
	    "record over 10 lookups, a DMARC record receivers ignore, a DKIM key under\n"
	    "1024 bits, ...); nothing was sent to the DNS host. The message names the\n"
	    "problem and the fix; --force publishes anyway.\n"), out);
}

static bool
apply_confirm(void)
{
	char line[32];

	fputs(_("Apply these changes? [y/N] "), stdout);
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

/* Lists what was made and what was not. */
static void
apply_report(const struct aw_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nchanges; i++) {
		const struct aw_change *c = &plan->changes[i];
		const char *what;

		switch (c->state) {
		case AW_CHANGE_MADE:
			what = c->confirmed ? _("made, confirmed") : _("made");
			break;
		case AW_CHANGE_PARTIAL:
			what = _("PARTLY made");
			break;
		case AW_CHANGE_INFLIGHT:
		case AW_CHANGE_UNKNOWN:
			what = _("UNKNOWN: no reply, and the host's records did not tell (undo looks again)");
			break;
		case AW_CHANGE_FAILED:
			what = _("NOT made (refused)");
			break;
		case AW_CHANGE_SKIPPED:
			what = _("already as wanted");
			break;
		default:
			what = _("NOT made");
			break;
		}
		fprintf(stderr, "  %s ", aw_change_kind_name(c->kind));
		aw_cli_put_escaped_once(stderr, c->new.name, 0);
		fprintf(stderr, " %s: %s\n", c->new.type_name, what);
	}
}

/* After the apply: the JSON, the report of what was done, the exit status
 * (5 whenever something may have changed, or a signal stopped it). */
static int
apply_outcome(struct aw_plan *plan, bool json, enum aw_status st,
    const struct aw_error *err, unsigned seq, size_t nnotes)
{
	char *jpath = NULL;
	bool made = false;
	size_t i;
	int rc;

	for (i = 0; i < plan->nchanges; i++)
		if (plan->changes[i].state == AW_CHANGE_MADE ||
		    plan->changes[i].state == AW_CHANGE_PARTIAL ||
		    plan->changes[i].state == AW_CHANGE_UNKNOWN ||
		    plan->changes[i].state == AW_CHANGE_INFLIGHT)
			made = true;
	if (json) {
		json_t *j = aw_plan_to_json(plan);

		json_object_set_new(j, "status", json_string(aw_status_name(st)));
		if (st != AW_OK)
			json_object_set_new(j, "error", aw_json_text(err->msg));
		aw_json_print(stdout, j);
	}
	if (st != AW_OK) {
		aw_cli_provider_error(err);
		if (made || aw_cli_stop != 0 || seq != 0) {
			if (aw_cli_stop != 0)
				fputs(_("The apply was stopped by a signal. What was done:\n"),
				    stderr);
			else if (made)
				fputs(_("The apply stopped midway. What was done:\n"), stderr);
			else
				fputs(_("Nothing was changed, as the host's records show:\n"),
				    stderr);
			apply_report(plan);
			if (seq != 0 && aw_journal_seq_path(plan->domain, seq, false,
			    &jpath, NULL) == AW_OK)
				fprintf(stderr, _("Journal: %s\n"), jpath);
			if (made)
				fprintf(stderr, _("'%s undo %s' puts back what was made, as the host's records show it.\n"),
				    aw_cli_progname, plan->domain);
			rc = made || aw_cli_stop != 0 ? AW_EXIT_PARTIAL :
			    aw_cli_provider_exit(st);
		} else
			rc = aw_cli_provider_exit(st);
		goto out;
	}
	if (!json) {
		if (aw_plan_count_pending(plan) == 0)
			fputs(_("Nothing to change: every record is already as wanted.\n"), stdout);
		else {
			fputs(_("Applied and read back:\n"), stdout);
			for (i = 0; i < plan->nchanges; i++) {
				const struct aw_change *ch = &plan->changes[i];

				if (ch->state != AW_CHANGE_MADE)
					continue;
				printf("  %s ", aw_change_kind_name(ch->kind));
				aw_cli_put_escaped_once(stdout, ch->new.name, 0);
				printf(" %s: %s\n", ch->new.type_name,
				    ch->confirmed ? _("confirmed") : _("not confirmed"));
			}
			if (seq != 0 && aw_journal_seq_path(plan->domain, seq, false,
			    &jpath, NULL) == AW_OK)
				printf(_("Journal: %s ('%s undo %s' reverts)\n"), jpath,
				    aw_cli_progname, plan->domain);
			printf(_("'%s watch %s' shows when every nameserver serves it.\n"),
			    aw_cli_progname, plan->domain);
			/* What the apply found out (Route 53 not INSYNC yet). */
			for (i = nnotes; i < plan->notes.n; i++) {
				fputs(_("note: "), stdout);
				aw_cli_put_escaped(stdout, plan->notes.v[i], 0);
				putchar('\n');
			}
		}
	}
	rc = plan->refused.n > 0 ? AW_EXIT_FINDINGS : AW_EXIT_OK;
out:
	free(jpath);
	return rc;
}

static int
apply_run(int argc, char **argv)
{
	struct aw_cli_provider cp;
	struct aw_session dns;
	struct aw_wants wants;
	struct aw_plan plan;
	struct aw_error err;
	struct aw_cli_args args;
	char *domain = NULL, *plan_file = NULL;
	bool yes = false, force = false;
	int c, rc = AW_EXIT_USAGE;
	size_t nnotes = 0;
	unsigned seq = 0;
	enum aw_status st;

	aw_cli_provider_init(&cp);
	aw_session_init(&dns);
	aw_wants_init(&wants);
	aw_plan_init(&plan);
	aw_error_clear(&err);
	if (!aw_cli_args_init(&args, &aw_cmd_apply, argc, argv, &dns, &cp)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		if (c == AW_CLI_ARGS_STOP) {
			rc = args.rc;
			goto done;
		}
		if (c == APPLY_OPT_YES) {
			yes = true;
		} else if (c == APPLY_OPT_FORCE) {
			force = true;
		} else if (c == APPLY_OPT_PLAN) {
			free(plan_file);
			plan_file = strdup(args.arg);
		}
	}
	if (plan_file != NULL) {
		if (optind < argc) {
			rc = aw_cli_usage_error("apply",
			    _("give either DOMAIN with record options or --plan FILE"));
			goto done;
		}
		if ((st = aw_plan_load(plan_file, &plan, &err)) != AW_OK) {
			aw_cli_provider_error(&err);
			rc = st == AW_ERR_NOMEM ? AW_EXIT_INTERNAL : AW_EXIT_IO;
			goto done;
		}
		if (cp.provider != NULL && strcmp(cp.provider, plan.provider) != 0) {
			rc = aw_cli_usage_error("apply",
			    _("the plan was made for --provider %s"), plan.provider);
			goto done;
		}
		if ((rc = aw_cli_provider_open(&cp, plan.provider)) != AW_EXIT_OK)
			goto done;
	} else {
		if (optind != argc - 1) {
			rc = aw_cli_usage_error("apply", optind >= argc ?
			    _("which domain? Give one DOMAIN (or --plan FILE)") :
			    _("give exactly one DOMAIN"));
			goto done;
		}
		if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
			goto done;
		if (cp.provider == NULL) {
			rc = aw_cli_usage_error("apply",
			    _("which DNS host? Give --provider %s"),
			    aw_provider_names(true));
			goto done;
		}
		if (!aw_cli_provider_wants(&cp, "apply", domain, &wants))
			goto done;
		if (!yes && !isatty(STDIN_FILENO)) {
			rc = aw_cli_usage_error("apply",
			    _("no terminal to ask for confirmation: give --yes to apply without asking"));
			goto done;
		}
		if ((rc = aw_cli_provider_open(&cp, NULL)) != AW_EXIT_OK)
			goto done;
		if ((st = aw_plan_make_sync(cp.p, domain, &wants, &plan, &err)) != AW_OK) {
			aw_cli_provider_error(&err);
			rc = aw_cli_provider_exit(st);
			goto done;
		}
	}
	/* Nothing that breaks mail gets published (exit 7 unless --force). */
	if ((rc = aw_cli_preflight_gate(&dns, &plan, force, cp.json)) != AW_EXIT_OK)
		goto done;
	if (!cp.json)
		aw_cli_print_plan(stdout, &plan, false);
	if (plan.nchanges == 0) {
		if (cp.json)
			aw_json_print(stdout, aw_plan_to_json(&plan));
		rc = plan.refused.n > 0 ? AW_EXIT_FINDINGS : AW_EXIT_OK;
		goto done;
	}
	if (!yes) {
		if (!isatty(STDIN_FILENO)) {
			rc = aw_cli_usage_error("apply",
			    _("no terminal to ask for confirmation: give --yes to apply without asking"));
			goto done;
		}
		if (!apply_confirm()) {
			fputs(_("Nothing changed.\n"), stdout);
			rc = AW_EXIT_FINDINGS;
			goto done;
		}
	}
	nnotes = plan.notes.n;
	aw_cli_stop_signals(true);
	st = aw_apply_sync_stoppable(cp.p, &plan, NULL, &aw_cli_stop, &seq, &err);
	rc = apply_outcome(&plan, cp.json, st, &err, seq, nnotes);
done:
	aw_cli_stop_signals(false);
	aw_cli_args_done(&args);
	free(domain);
	free(plan_file);
	aw_plan_done(&plan);
	aw_wants_done(&wants);
	aw_session_done(&dns);
	aw_cli_provider_done(&cp);
	return rc;
}

const struct aw_cli_command aw_cmd_apply = {
	.name = "apply",
	.summary = N_("make a plan's DNS changes (journaled for undo)"),
	.run = apply_run,
	.usage = apply_usage,
	.options = apply_options,
	.shared = AW_CLI_SHARED_PROVIDER | AW_CLI_SHARED_WANTS,
};
