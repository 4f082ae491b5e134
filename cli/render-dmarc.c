/* render-dmarc.c: the DMARC area's own output: the tree walk, which record
 * applied, the organizational domain, the policy, the report destinations'
 * authorization. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dmarc.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"

static void
dmarc_human(FILE *out, const struct aw_section *sec)
{
	const struct aw_dmarc_detail *d = sec->detail;
	size_t i;

	if (d == NULL)
		return;
	if (d->walk.nsteps > 1) {
		fputs(_("    tree walk:"), out);
		for (i = 0; i < d->walk.nsteps; i++) {
			fputc(' ', out);
			aw_cli_put_escaped(out, d->walk.steps[i].name, 300);
			fprintf(out, " (%s)",
			    aw_dmarc_found_name(d->walk.steps[i].found));
		}
		fputc('\n', out);
	}
	if (d->walk.org != NULL) {
		fputs(_("    organizational domain: "), out);
		aw_cli_put_escaped(out, d->walk.org, 300);
		fprintf(out, " (%s)\n", aw_dmarc_org_how_name(d->walk.org_how));
	}
	if (d->has_record && d->inherited) {
		fputs(_("    applies from: "), out);
		aw_cli_put_escaped(out, d->applied_name, 300);
		fputc('\n', out);
	}
}

static json_t *
walk_json(const struct aw_dmarc_walk *w)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < w->nsteps; i++) {
		const struct aw_dmarc_walk_step *st = &w->steps[i];
		json_t *o = json_object();

		json_object_set_new_nocheck(o, "name", aw_json_text(st->name));
		json_object_set_new_nocheck(o, "found",
		    json_string(aw_dmarc_found_name(st->found)));
		json_object_set_new_nocheck(o, "dmarc_records", json_integer(
		    (json_int_t)st->ndmarc));
		json_object_set_new_nocheck(o, "result",
		    json_string(aw_dns_result_name(st->result)));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
uris_json(const struct aw_dmarc_uri *u, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new_nocheck(o, "uri", aw_json_text(u[i].uri));
		json_object_set_new_nocheck(o, "address",
		    aw_json_text(u[i].address));
		json_object_set_new_nocheck(o, "domain",
		    aw_json_text(u[i].domain));
		json_object_set_new_nocheck(o, "size", aw_json_text(u[i].size));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
policy_json(enum aw_dmarc_policy p)
{
	return p == AW_DMARC_UNSET ? json_null() :
	    json_string(aw_dmarc_policy_name(p));
}

static void
dmarc_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_dmarc_detail *d = sec->detail;
	json_t *tags, *auth;
	size_t i;

	if (d == NULL)
		return;
	json_object_set_new_nocheck(o, "applied_name",
	    aw_json_text(d->applied_name));
	json_object_set_new_nocheck(o, "inherited", json_boolean(d->inherited));
	json_object_set_new_nocheck(o, "walk_queries",
	    json_integer(d->walk_queries));
	json_object_set_new_nocheck(o, "walk", walk_json(&d->walk));
	json_object_set_new_nocheck(o, "org_domain", aw_json_text(d->walk.org));
	json_object_set_new_nocheck(o, "org_domain_how", d->walk.org == NULL ?
	    json_null() : json_string(aw_dmarc_org_how_name(d->walk.org_how)));
	/* RFC 7489 receivers' organizational domain (Public Suffix List). */
	json_object_set_new_nocheck(o, "org_domain_psl",
	    aw_json_text(d->org_domain_psl));
	json_object_set_new_nocheck(o, "author_domain_exists", d->exists < 0 ?
	    json_null() : json_boolean(d->exists > 0));
	json_object_set_new_nocheck(o, "dmarc_processing",
	    json_boolean(d->processing));
	json_object_set_new_nocheck(o, "cname_target",
	    aw_json_text(d->cname_target));
	json_object_set_new_nocheck(o, "cname_and_txt",
	    json_boolean(d->cname_and_txt));
	json_object_set_new_nocheck(o, "policy", d->has_record ?
	    policy_json(d->policy) : json_null());
	json_object_set_new_nocheck(o, "policy_existing", d->has_record ?
	    policy_json(d->policy_existing) : json_null());
	json_object_set_new_nocheck(o, "policy_nonexistent", d->has_record ?
	    policy_json(d->policy_nx) : json_null());
	if (d->has_record) {
		const struct aw_dmarc_record *r = &d->rec;
		char c[2] = { 0, 0 };

		tags = json_object();
		json_object_set_new_nocheck(tags, "p", policy_json(r->p));
		json_object_set_new_nocheck(tags, "sp", policy_json(r->sp));
		json_object_set_new_nocheck(tags, "np", policy_json(r->np));
		c[0] = r->adkim;
		json_object_set_new_nocheck(tags, "adkim", json_string(c));
		c[0] = r->aspf;
		json_object_set_new_nocheck(tags, "aspf", json_string(c));
		json_object_set_new_nocheck(tags, "t",
		    json_string(r->testing ? "y" : "n"));
		c[0] = r->psd;
		json_object_set_new_nocheck(tags, "psd", json_string(c));
		json_object_set_new_nocheck(tags, "rua",
		    uris_json(r->rua, r->nrua));
		json_object_set_new_nocheck(tags, "ruf",
		    uris_json(r->ruf, r->nruf));
		json_object_set_new_nocheck(tags, "fo", aw_json_text(r->fo));
		json_object_set_new_nocheck(tags, "pct",
		    r->pct < 0 ? json_null() :
		    json_integer(r->pct));
		json_object_set_new_nocheck(o, "tags", tags);
	} else {
		json_object_set_new_nocheck(o, "tags", json_null());
	}
	auth = json_array();
	for (i = 0; i < d->nauth; i++) {
		json_t *a = json_object();

		json_object_set_new_nocheck(a, "destination",
		    aw_json_text(d->auth[i].dest));
		json_object_set_new_nocheck(a, "name",
		    aw_json_text(d->auth[i].name));
		json_object_set_new_nocheck(a, "authorized",
		    json_boolean(d->auth[i].authorized));
		json_object_set_new_nocheck(a, "wildcard",
		    json_boolean(d->auth[i].wildcard));
		json_object_set_new_nocheck(a, "dns_failure",
		    json_boolean(d->auth[i].dns_failure));
		json_array_append_new(auth, a);
	}
	json_object_set_new_nocheck(o, "report_authorization", auth);
}

const struct aw_cli_render aw_render_dmarc = { "dmarc", dmarc_human,
    dmarc_json };
