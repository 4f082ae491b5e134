/* render-mta-sts.c: the MTA-STS and TLS-RPT areas' own output. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/mta-sts.h"
#include "checks/tls-rpt.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"

static void
mta_sts_human(FILE *out, const struct aw_section *sec)
{
	const struct aw_mta_sts_detail *d = sec->detail;
	size_t i;

	if (d == NULL || !d->fetched)
		return;
	fputs(_("    policy: "), out);
	aw_cli_put_escaped(out, d->policy_url, 300);
	fprintf(out, "\n      mode %s, max_age %ld\n",
	    aw_mta_sts_mode_name(d->policy.mode), d->policy.max_age);
	for (i = 0; i < d->policy.mx.n && i < 20; i++) {
		fputs("      mx: ", out);
		aw_cli_put_escaped(out, d->policy.mx.v[i], 300);
		fputc('\n', out);
	}
}

static void
mta_sts_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_mta_sts_detail *d = sec->detail;
	json_t *p;

	if (d == NULL)
		return;
	json_object_set_new_nocheck(o, "id", aw_json_text(d->txt.id));
	json_object_set_new_nocheck(o, "policy_url",
	    aw_json_text(d->policy_url));
	json_object_set_new_nocheck(o, "fetched", json_boolean(d->fetched));
	if (d->fetched) {
		p = json_object();
		json_object_set_new_nocheck(p, "version",
		    aw_json_text(d->policy.version));
		json_object_set_new_nocheck(p, "mode", d->policy.mode ==
		    AW_MTA_STS_MODE_UNSET ? json_null() :
		    json_string(aw_mta_sts_mode_name(d->policy.mode)));
		json_object_set_new_nocheck(p, "max_age",
		    d->policy.max_age < 0 ?
		    json_null() : json_integer(d->policy.max_age));
		json_object_set_new_nocheck(p, "mx",
		    aw_json_strv(&d->policy.mx));
		json_object_set_new_nocheck(p, "valid",
		    json_boolean(d->policy.valid));
	} else {
		p = json_null();
	}
	json_object_set_new_nocheck(o, "policy", p);
	json_object_set_new_nocheck(o, "mx_hosts", aw_json_strv(&d->mx_hosts));
	json_object_set_new_nocheck(o, "mx_uncovered",
	    aw_json_strv(&d->uncovered));
	json_object_set_new_nocheck(o, "mx_covered",
	    json_boolean(d->mx_covered));
}

static void
tls_rpt_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_tls_rpt_detail *d = sec->detail;

	if (d == NULL)
		return;
	json_object_set_new_nocheck(o, "rua", aw_json_strv(&d->rec.rua));
	json_object_set_new_nocheck(o, "valid", json_boolean(d->nrecords == 1 &&
	    d->rec.valid));
}

const struct aw_cli_render aw_render_mta_sts = { "mta_sts", mta_sts_human,
    mta_sts_json };
const struct aw_cli_render aw_render_tls_rpt = { "tls_rpt", NULL,
    tls_rpt_json };
