/* render-ptr.c: the PTR and HELO areas' own output. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/ptr.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"

static void
ptr_human(FILE *out, const struct aw_section *sec)
{
	const struct aw_ptr_detail *d = sec->detail;
	size_t i, k;

	if (d == NULL)
		return;
	for (i = 0; i < d->nnames; i++) {
		const struct aw_ptr_name *pn = &d->names[i];

		fputs("    ", out);
		aw_cli_put_escaped(out, pn->name, 300);
		fputs(" ->", out);
		for (k = 0; k < pn->addrs.n; k++)
			fprintf(out, " %s", pn->addrs.v[k]);
		if (pn->addrs.n == 0)
			fputs(_(" (no address)"), out);
		fputs(pn->confirmed ? _("  [confirmed]\n") : "\n", out);
	}
}

static void
ptr_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_ptr_detail *d = sec->detail;
	json_t *ptr = json_array(), *names = json_array();
	size_t i;

	for (i = 0; d != NULL && i < d->nnames; i++) {
		const struct aw_ptr_name *pn = &d->names[i];
		json_t *n = json_object();

		json_array_append_new(ptr, aw_json_text(pn->name));
		json_object_set_new_nocheck(n, "name", aw_json_text(pn->name));
		json_object_set_new_nocheck(n, "addresses",
		    aw_json_strv(&pn->addrs));
		json_object_set_new_nocheck(n, "confirmed",
		    json_boolean(pn->confirmed));
		json_object_set_new_nocheck(n, "generic_reason",
		    aw_json_text(pn->generic_reason));
		json_object_set_new_nocheck(n, "in_domain",
		    json_boolean(pn->in_domain));
		json_array_append_new(names, n);
	}
	json_object_set_new_nocheck(o, "ip",
	    aw_json_text(d ? d->ip : sec->key));
	json_object_set_new_nocheck(o, "fcrdns", json_boolean(d && d->fcrdns));
	json_object_set_new_nocheck(o, "ptr", ptr);
	json_object_set_new_nocheck(o, "ptr_names", names);
}

static void
helo_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_helo_detail *d = sec->detail;

	if (d == NULL)
		return;
	json_object_set_new_nocheck(o, "helo", aw_json_text(d->helo));
	json_object_set_new_nocheck(o, "fqdn", json_boolean(d->fqdn));
	json_object_set_new_nocheck(o, "resolves", json_boolean(d->resolves));
	json_object_set_new_nocheck(o, "addresses", aw_json_strv(&d->addrs));
	json_object_set_new_nocheck(o, "matches_ptr",
	    json_boolean(d->matches_ptr));
	json_object_set_new_nocheck(o, "matches_mx",
	    json_boolean(d->matches_mx));
	json_object_set_new_nocheck(o, "matches_ip",
	    json_boolean(d->matches_ip));
}

const struct aw_cli_render aw_render_ptr = { "ptr", ptr_human, ptr_json };
const struct aw_cli_render aw_render_helo = { "helo", NULL, helo_json };
