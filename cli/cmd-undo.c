/* cmd-undo.c: `authwizard undo DOMAIN`: put back the values the newest
 * apply not yet undone replaced, from its journal and what the host holds
 * now; `undo --list`: the history. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cli-provider.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "providers/apply.h"
#include "providers/journal.h"

enum { UNDO_OPT_FORCE, UNDO_OPT_LIST };

static const struct aw_cli_opt undo_options[] = {
	{ "force", 0, no_argument, UNDO_OPT_FORCE, NULL,
	    N_("also revert names changed since by someone else (only the "
	    "values the apply added go)") },
	{ "list", 0, no_argument, UNDO_OPT_LIST, NULL,
	    N_("show the journals of DOMAIN, newest last") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
undo_usage(FILE *out)
{
	fprintf(out, _("Usage: %s undo DOMAIN [--provider NAME] [HOST OPTIONS] [--force]\n"
	    "                      [--json]\n"
	    "       %s undo --list DOMAIN\n"
	    "Put back what the newest apply for DOMAIN that is not undone yet changed,\n"
	    "from its journal ($XDG_STATE_HOME/authwizard/DOMAIN.N.journal.json) and\n"
	    "what the DNS host holds now: each name it touched is listed, and only the\n"
	    "values that apply added are taken out and the ones it removed put back.\n"
	    "A change whose outcome was unknown is judged by the host's records. A\n"
	    "name changed since by someone else is shown and left alone (--force\n"
	    "reverts the apply's own values there and keeps the others'). 'Restored'\n"
	    "is said only when the records read back as before; then the journal\n"
	    "becomes DOMAIN.N.undone.json and the next undo takes the apply before.\n"
	    "The journal names the DNS host (--provider is optional; another one is\n"
	    "refused).\n\n"),
	    aw_cli_progname, aw_cli_progname);
	aw_cli_provider_usage(out, false);
	aw_cli_args_usage(out, undo_options, NULL);
	fputs(_("  --json                  print the undo plan with each change's state\n"), out);
	aw_cli_provider_usage_dns(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 restored (read back) or nothing to do, 2 usage error or\n"
	    "missing credentials, 4 the DNS host refused or a name was changed since by\n"
	    "someone else and left alone (nothing of it was changed), 5 stopped midway\n"
	    "or something could not be confirmed (run undo again), 6 no journal, it\n"
	    "could not be read, or another apply or undo for DOMAIN is running.\n"), out);
}

static int
undo_list(const char *domain)
{
	struct aw_journal_entry *v;
	struct aw_error err;
	size_t n, i;

	if (aw_journal_list(domain, &v, &n, &err) != AW_OK) {
		aw_cli_provider_error(&err);
		return AW_EXIT_IO;
	}
	if (n == 0)
		printf(_("No journal for %s.\n"), domain);
	for (i = 0; i < n; i++) {
		struct aw_plan j;
		char when[32] = "?", *path = NULL;
		struct tm tm;

		if (gmtime_r(&v[i].mtime, &tm) != NULL)
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%SZ", &tm);
		aw_plan_init(&j);
		if (aw_journal_seq_path(domain, v[i].seq, v[i].undone, &path,
		    NULL) == AW_OK)
			aw_plan_load(path, &j, NULL);
		printf(_("  %u  %s  %s  %zu change(s) at %s\n"), v[i].seq, when,
		    v[i].undone ? _("undone") : _("not undone"), j.nchanges,
		    j.provider != NULL && aw_provider_find(j.provider) != NULL ?
		    _(aw_provider_find(j.provider)->title) : "?");
		free(path);
		aw_plan_done(&j);
	}
	free(v);
	return AW_EXIT_OK;
}

/* One line per name: what the read-back shows. */
static void
undo_report(const struct aw_plan *undo)
{
	size_t i;

	for (i = 0; i < undo->nchanges; i++) {
		const struct aw_change *c = &undo->changes[i];
		const char *what;

		switch (c->state) {
		case AW_CHANGE_SKIPPED:
			what = _("as before already");
			break;
		case AW_CHANGE_MADE:
			what = !c->confirmed ? _("sent, but NOT confirmed by the read-back") :
			    c->notes.n > 0 ? _("the apply's values taken back (others' kept), read back") :
			    _("restored, read back");
			break;
		case AW_CHANGE_KEPT:
			what = _("LEFT ALONE: changed since by someone else (--force takes back only the apply's values)");
			break;
		case AW_CHANGE_FAILED:
			what = _("NOT restored: the host refused");
			break;
		case AW_CHANGE_PENDING:
			what = _("NOT restored: not sent");
			break;
		default:
			what = _("NOT known whether restored: no reply");
			break;
		}
		printf("  ");
		aw_cli_put_escaped_once(stdout, c->new.name, 0);
		printf(" %s: %s\n", c->new.type_name, what);
	}
}

static int
undo_run(int argc, char **argv)
{
	struct aw_cli_provider cp;
	struct aw_plan journal, undo;
	struct aw_error err;
	struct aw_cli_args args;
	char *domain = NULL;
	int c, rc = AW_EXIT_USAGE;
	size_t i;
	bool made = false, force = false, list = false, looked;
	enum aw_status st;

	aw_cli_provider_init(&cp);
	aw_plan_init(&journal);
	aw_plan_init(&undo);
	aw_error_clear(&err);
	/* The DNS options are taken (scripts pass the same to all) and not
	 * used: undo asks only the DNS host. */
	if (!aw_cli_args_init(&args, &aw_cmd_undo, argc, argv, NULL, &cp)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		if (c == AW_CLI_ARGS_STOP) {
			rc = args.rc;
			goto done;
		}
		*(c == UNDO_OPT_FORCE ? &force : &list) = true;
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("undo", optind >= argc ?
		    _("which domain? Give one DOMAIN") : _("give exactly one DOMAIN"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (list) {
		rc = undo_list(domain);
		goto done;
	}
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
	aw_cli_stop_signals(true);
	st = aw_undo_sync_force(cp.p, domain, force, &aw_cli_stop, &undo, &err);
	looked = false;
	for (i = 0; i < undo.nchanges; i++)
		if (undo.changes[i].state != AW_CHANGE_PENDING ||
		    undo.changes[i].confirmed)
			looked = true;
	if (st != AW_OK && !looked && aw_cli_stop == 0) {
		/* Stopped before any name was looked at (the lock, the host
		 * unreachable): nothing to report but the reason. */
		aw_cli_provider_error(&err);
		rc = aw_cli_provider_exit(st);
		goto done;
	}
	for (i = 0; i < undo.nchanges; i++)
		if (undo.changes[i].state == AW_CHANGE_MADE ||
		    undo.changes[i].state == AW_CHANGE_PARTIAL ||
		    undo.changes[i].state == AW_CHANGE_UNKNOWN ||
		    undo.changes[i].state == AW_CHANGE_INFLIGHT)
			made = true;
	if (cp.json) {
		json_t *j = aw_plan_to_json(&undo);

		json_object_set_new(j, "status", json_string(aw_status_name(st)));
		if (st != AW_OK)
			json_object_set_new(j, "error", aw_json_text(err.msg));
		aw_json_print(stdout, j);
	} else {
		aw_cli_print_plan(stdout, &undo, true);
		undo_report(&undo);
	}
	if (st != AW_OK) {
		aw_cli_provider_error(&err);
		if (st == AW_ERR_IO && aw_apply_all_restored(&undo)) {
			/* Every name is back; only the journal's rename to
			 * undone failed (the journal is kept, still true). */
			rc = AW_EXIT_IO;
			goto done;
		}
		rc = made || aw_cli_stop != 0 ? AW_EXIT_PARTIAL : aw_cli_provider_exit(st);
		if (!cp.json)
			fputs(_("The journal is kept: not everything reads back as before.\n"),
			    stdout);
		goto done;
	}
	if (!cp.json)
		fputs(_("Every name the apply touched reads back as before it; the journal is marked undone.\n"),
		    stdout);
	rc = AW_EXIT_OK;
done:
	aw_cli_stop_signals(false);
	aw_cli_args_done(&args);
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
	.options = undo_options,
	.shared = AW_CLI_SHARED_PROVIDER,
};
