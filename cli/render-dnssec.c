/* render-dnssec.c: the DNSSEC area's own output: the domain's state and
 * reason, and the state of each name the other checks read. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dnssec.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"

static const char *
state_text(enum aw_dnssec_state s)
{
	switch (s) {
	case AW_DNSSEC_SECURE:
		return _("secure");
	case AW_DNSSEC_INSECURE:
		return _("insecure");
	case AW_DNSSEC_BOGUS:
		return _("bogus");
	default:
		return _("indeterminate");
	}
}

static void
dnssec_human(FILE *out, const struct aw_section *sec)
{
	const struct aw_dnssec_detail *d = sec->detail;
	size_t i;

	if (d == NULL)
		return;
	fprintf(out, "    %s", state_text(d->state));
	if (d->reason != NULL)
		fprintf(out, " (%s)", d->reason);
	fputc('\n', out);
	for (i = 0; i < d->n; i++) {
		const struct aw_dnssec_name *nm = &d->names[i];

		fprintf(out, "    %-8s ", nm->role);
		aw_cli_put_escaped_once(out, nm->name, 300);
		fprintf(out, ": %s", state_text(nm->state));
		if (nm->reason != NULL)
			fprintf(out, " (%s)", nm->reason);
		fputc('\n', out);
	}
}

static void
dnssec_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_dnssec_detail *d = sec->detail;
	json_t *names = json_array();
	size_t i;

	for (i = 0; d != NULL && i < d->n; i++) {
		const struct aw_dnssec_name *nm = &d->names[i];
		json_t *n = json_object();

		json_object_set_new_nocheck(n, "name", aw_json_text(nm->name));
		json_object_set_new_nocheck(n, "type", json_integer(nm->type));
		json_object_set_new_nocheck(n, "role", json_string(nm->role));
		json_object_set_new_nocheck(n, "state",
		    json_string(aw_dnssec_state_name(nm->state)));
		json_object_set_new_nocheck(n, "reason",
		    nm->reason ? json_string(nm->reason) : json_null());
		json_object_set_new_nocheck(n, "why",
		    aw_json_text_or_null(nm->why));
		json_object_set_new_nocheck(n, "exists",
		    json_boolean(nm->exists));
		json_array_append_new(names, n);
	}
	json_object_set_new_nocheck(o, "state",
	    json_string(aw_dnssec_state_name(
	    d ? d->state : AW_DNSSEC_INDETERMINATE)));
	json_object_set_new_nocheck(o, "reason",
	    d && d->reason ? json_string(d->reason) : json_null());
	json_object_set_new_nocheck(o, "why",
	    aw_json_text_or_null(d ? d->why : NULL));
	json_object_set_new_nocheck(o, "signed",
	    json_boolean(d && d->signed_zone));
	json_object_set_new_nocheck(o, "ds", json_boolean(d && d->has_ds));
	json_object_set_new_nocheck(o, "names", names);
}

const struct aw_cli_render aw_render_dnssec = { "dnssec", dnssec_human,
	dnssec_json };
