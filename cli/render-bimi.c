/* render-bimi.c: the BIMI area's own output. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/bimi.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"

static void
bimi_human(FILE *out, const struct aw_section *sec)
{
	const struct aw_bimi_detail *d = sec->detail;

	if (d == NULL || d->nrecords == 0)
		return;
	fprintf(out, _("    DMARC at enforcement: %s\n"),
	    d->dmarc_enforced ? _("yes") : _("no"));
	if (d->svg_fetched)
		fprintf(out, _("    logo (SVG Tiny PS): %s\n"),
		    d->svg.ok ? _("ok") : _("not ok"));
	if (d->cert.parsed) {
		fputs(_("    mark certificate: "), out);
		aw_cli_put_escaped_once(out, d->cert.subject, 200);
		fprintf(out, "\n      %s .. %s\n",
		    d->cert.not_before ? d->cert.not_before : "?",
		    d->cert.not_after ? d->cert.not_after : "?");
	}
}

static void
bimi_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_bimi_detail *d = sec->detail;
	json_t *c;

	if (d == NULL)
		return;
	json_object_set_new_nocheck(o, "selector", aw_json_text(d->selector));
	json_object_set_new_nocheck(o, "logo_url", aw_json_text(d->rec.l));
	json_object_set_new_nocheck(o, "authority_url", aw_json_text(d->rec.a));
	json_object_set_new_nocheck(o, "declined",
	    json_boolean(d->rec.declined));
	json_object_set_new_nocheck(o, "dmarc_enforced",
	    json_boolean(d->dmarc_enforced));
	json_object_set_new_nocheck(o, "dmarc_policy",
	    aw_json_text(d->dmarc_policy));
	json_object_set_new_nocheck(o, "svg_fetched",
	    json_boolean(d->svg_fetched));
	json_object_set_new_nocheck(o, "svg_ok", json_boolean(d->svg_fetched &&
	    d->svg.ok));
	if (d->cert.parsed) {
		c = json_object();
		json_object_set_new_nocheck(c, "subject",
		    aw_json_text(d->cert.subject));
		json_object_set_new_nocheck(c, "not_before",
		    aw_json_text(d->cert.not_before));
		json_object_set_new_nocheck(c, "not_after",
		    aw_json_text(d->cert.not_after));
		json_object_set_new_nocheck(c, "valid_now",
		    json_boolean(d->cert.valid_now));
		json_object_set_new_nocheck(c, "bimi_eku",
		    json_boolean(d->cert.bimi_eku));
		json_object_set_new_nocheck(c, "names",
		    aw_json_strv(&d->cert.names));
		json_object_set_new_nocheck(c, "names_domain",
		    json_boolean(d->cert.names_domain));
		json_object_set_new_nocheck(c, "chain_ok",
		    json_boolean(d->cert.chain_ok));
		json_object_set_new_nocheck(c, "chain_error",
		    aw_json_text(d->cert.chain_error));
	} else {
		c = json_null();
	}
	json_object_set_new_nocheck(o, "certificate", c);
}

const struct aw_cli_render aw_render_bimi = { "bimi", bimi_human, bimi_json };
