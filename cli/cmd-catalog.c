/* cmd-catalog.c: `authwizard catalog [SEARCH] [--json]`: the sender
 * catalog (data/senders.json and the user's senders.d), listed or
 * searched: what each service asks a domain to publish, with sources. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/catalog.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"

static const struct aw_cli_opt catalog_options[] = {
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
catalog_usage(FILE *out)
{
	fprintf(out, _("Usage: %s catalog [SEARCH] [--json]\n"
	    "List the email services the sender catalog knows, or those whose id,\n"
	    "name, category, SPF include or DKIM target contains SEARCH (any case):\n"
	    "the SPF includes with the lookups each costs and lighter variants, the\n"
	    "DKIM selectors (CNAME targets or TXT keys), the verification record, and\n"
	    "the page each fact comes from. Your own services go in\n"
	    "$XDG_CONFIG_HOME/authwizard/senders.d/NAME.json.\n\n"),
	    aw_cli_progname);
	aw_cli_args_usage(out, catalog_options, NULL);
	fputs(_("  --json                  print a JSON array of the service objects\n"
	    "  -h, --help              show this help\n\n"
	    "Exit status: 0 something matched, 1 nothing matched, 2 usage error,\n"
	    "6 the catalog could not be read.\n"), out);
}

static bool
contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (hay == NULL)
		return false;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static bool
matches(const struct aw_sender *s, const char *q)
{
	size_t i;

	if (q == NULL || contains(s->id, q) || contains(s->name, q) ||
	    contains(s->category, q))
		return true;
	for (i = 0; i < s->nspf; i++)
		if (contains(s->spf[i].include, q))
			return true;
	for (i = 0; i < s->dkim_target_domains.n; i++)
		if (contains(s->dkim_target_domains.v[i], q))
			return true;
	return false;
}

static const char *
method_name(enum aw_sender_dkim_method m)
{
	return m == AW_SENDER_DKIM_CNAME ? "cname" :
	    m == AW_SENDER_DKIM_TXT ? "txt" : "none";
}

static json_t *
sender_json(const struct aw_sender *s)
{
	json_t *o = json_object(), *spf = json_array(), *dkim = json_object();
	json_t *cn = json_array(), *ph = json_array();
	size_t i;

	json_object_set_new(o, "id", aw_json_text(s->id));
	json_object_set_new(o, "name", aw_json_text(s->name));
	json_object_set_new(o, "category", aw_json_text_or_null(s->category));
	for (i = 0; i < s->nspf; i++) {
		const struct aw_sender_spf *x = &s->spf[i];
		json_t *e = json_object();

		json_object_set_new(e, "include", aw_json_text(x->include));
		json_object_set_new(e, "lookups", x->lookups >= 0 ?
		    json_integer(x->lookups) : json_null());
		json_object_set_new(e, "lookups_source",
		    aw_json_text_or_null(x->lookups_source));
		json_object_set_new(e, "lookups_observed",
		    aw_json_text_or_null(x->lookups_observed));
		json_object_set_new(e, "lighter", aw_json_text_or_null(x->lighter));
		json_object_set_new(e, "note", aw_json_text_or_null(x->note));
		json_object_set_new(e, "source", aw_json_text_or_null(x->source));
		json_array_append_new(spf, e);
	}
	json_object_set_new(o, "spf", spf);
	json_object_set_new(o, "spf_note", aw_json_text_or_null(s->spf_note));
	json_object_set_new(dkim, "method",
	    json_string(method_name(s->dkim_method)));
	for (i = 0; i < s->ncnames; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "selector",
		    aw_json_text(s->cnames[i].selector));
		json_object_set_new(e, "target", aw_json_text(s->cnames[i].target));
		json_array_append_new(cn, e);
	}
	json_object_set_new(dkim, "cnames", cn);
	json_object_set_new(dkim, "selectors", aw_json_strv(&s->dkim_selectors));
	json_object_set_new(dkim, "target_domains",
	    aw_json_strv(&s->dkim_target_domains));
	json_object_set_new(dkim, "note", aw_json_text_or_null(s->dkim_note));
	json_object_set_new(dkim, "source", aw_json_text_or_null(s->dkim_source));
	json_object_set_new(o, "dkim", dkim);
	if (s->verify_type != NULL) {
		json_t *v = json_object();

		json_object_set_new(v, "type", aw_json_text(s->verify_type));
		json_object_set_new(v, "name", aw_json_text(s->verify_name));
		json_object_set_new(v, "value", aw_json_text(s->verify_value));
		json_object_set_new(v, "source",
		    aw_json_text_or_null(s->verify_source));
		json_object_set_new(o, "verification", v);
	} else {
		json_object_set_new(o, "verification", json_null());
	}
	for (i = 0; i < s->nplaceholders; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "name", aw_json_text(s->placeholders[i].name));
		json_object_set_new(e, "description",
		    aw_json_text_or_null(s->placeholders[i].description));
		json_array_append_new(ph, e);
	}
	json_object_set_new(o, "placeholders", ph);
	return o;
}

static void
put_line(const char *label, const char *text)
{
	printf("  %-13s", label);
	aw_cli_put_escaped(stdout, text, 300);
	putchar('\n');
}

static void
sender_text(const struct aw_sender *s)
{
	struct aw_strv src;
	size_t i;

	aw_cli_put_escaped(stdout, s->name, 120);
	fputs(" [", stdout);
	aw_cli_put_escaped(stdout, s->id, 64);
	if (s->category != NULL) {
		fputs(", ", stdout);
		aw_cli_put_escaped(stdout, s->category, 40);
	}
	fputs("]\n", stdout);
	for (i = 0; i < s->nspf; i++) {
		const struct aw_sender_spf *x = &s->spf[i];

		printf("  %-13sinclude:", "SPF");
		aw_cli_put_escaped(stdout, x->include, 255);
		if (x->lookups >= 0)
			printf(P_(" (%d lookup)", " (%d lookups)", x->lookups),
			    x->lookups);
		else    /* null in the file: not 0, not known here */
			fputs(_(" (lookups unknown: 'authwizard check' counts them live)"),
			    stdout);
		if (x->lighter != NULL) {
			fputs(_(", lighter: include:"), stdout);
			aw_cli_put_escaped(stdout, x->lighter, 255);
		}
		putchar('\n');
		if (x->lookups >= 0 && x->lookups_source != NULL) {
			/* Where the count was read, when not the vendor's
			 * page below (a record dump, say), and when. */
			printf("  %-13s", _("lookups from"));
			aw_cli_put_escaped(stdout, x->lookups_source, 500);
			if (x->lookups_observed != NULL) {
				fputs(" (", stdout);
				aw_cli_put_escaped(stdout, x->lookups_observed, 10);
				putchar(')');
			}
			putchar('\n');
		}
	}
	if (s->spf_note != NULL)
		put_line("SPF", s->spf_note);
	for (i = 0; i < s->ncnames; i++) {
		printf("  %-13s", "DKIM");
		aw_cli_put_escaped(stdout, s->cnames[i].selector, 120);
		fputs("._domainkey CNAME ", stdout);
		aw_cli_put_escaped(stdout, s->cnames[i].target, 255);
		putchar('\n');
	}
	for (i = 0; i < s->dkim_selectors.n; i++) {
		printf("  %-13s", "DKIM");
		aw_cli_put_escaped(stdout, s->dkim_selectors.v[i], 120);
		fputs(_("._domainkey TXT (the key the service gives)\n"), stdout);
	}
	if (s->dkim_note != NULL)
		put_line("DKIM", s->dkim_note);
	if (s->verify_type != NULL) {
		printf("  %-13s", _("verification"));
		aw_cli_put_escaped(stdout, s->verify_name, 120);
		putchar(' ');
		aw_cli_put_escaped(stdout, s->verify_type, 8);
		fputs(" \"", stdout);
		aw_cli_put_escaped(stdout, s->verify_value, 255);
		fputs("\"\n", stdout);
	}
	/* Each page once, in the order the facts came. */
	aw_strv_init(&src);
	for (i = 0; i < s->nspf; i++)
		if (s->spf[i].source != NULL &&
		    aw_strv_find(&src, s->spf[i].source) < 0)
			aw_strv_push(&src, s->spf[i].source);
	if (s->dkim_source != NULL && aw_strv_find(&src, s->dkim_source) < 0)
		aw_strv_push(&src, s->dkim_source);
	if (s->verify_source != NULL &&
	    aw_strv_find(&src, s->verify_source) < 0)
		aw_strv_push(&src, s->verify_source);
	for (i = 0; i < src.n; i++)
		put_line(_("source"), src.v[i]);
	aw_strv_done(&src);
}

static int
catalog_run(int argc, char **argv)
{
	const struct aw_catalog *cat;
	const char *query = NULL;
	struct aw_cli_args args;
	json_t *all = NULL;
	size_t i, found = 0;
	int c, rc = AW_EXIT_USAGE;

	if (!aw_cli_args_init(&args, &aw_cmd_catalog, argc, argv, NULL, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END)
		if (c == AW_CLI_ARGS_STOP) {
			rc = args.rc;
			goto done;
		}
	if (optind < argc)
		query = argv[optind++];
	if (optind < argc) {
		rc = aw_cli_usage_error("catalog",
		    _("one SEARCH word, not also %s"), argv[optind]);
		goto done;
	}
	if ((cat = aw_cli_catalog()) == NULL) {
		const struct aw_error *e = aw_catalog_default_error();

		aw_cli_error(_("the sender catalog could not be read: %s"),
		    e != NULL ? e->msg : "");
		rc = AW_EXIT_IO;
		goto done;
	}
	if (args.json)
		all = json_array();
	for (i = 0; i < aw_catalog_count(cat); i++) {
		const struct aw_sender *s = aw_catalog_get(cat, i);

		if (!matches(s, query))
			continue;
		if (all != NULL) {
			json_array_append_new(all, sender_json(s));
		} else {
			if (found > 0)
				putchar('\n');
			sender_text(s);
		}
		found++;
	}
	if (all != NULL) {
		aw_json_print(stdout, all);
		all = NULL;
	}
	if (found == 0 && !args.json) {
		fputs(_("No service in the catalog matches "), stderr);
		aw_cli_put_escaped(stderr, query, 100);
		fputc('\n', stderr);
	}
	rc = found > 0 ? AW_EXIT_OK : AW_EXIT_FINDINGS;
done:
	json_decref(all);
	aw_cli_args_done(&args);
	return rc;
}

const struct aw_cli_command aw_cmd_catalog = {
	.name = "catalog",
	.summary = N_("list or search the sender catalog"),
	.run = catalog_run,
	.usage = catalog_usage,
	.options = catalog_options,
	.shared = AW_CLI_SHARED_JSON,
};
