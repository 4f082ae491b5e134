/* render-dkim.c: the DKIM area's own output: the CNAME chain, the key, and
 * what discovery found. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dkim.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"

static void
chain_human(FILE *out, const char *from, const struct aw_strv *chain)
{
	size_t i;

	if (chain->n == 0)
		return;
	fputs("    ", out);
	aw_cli_put_escaped(out, from, 300);
	for (i = 0; i < chain->n; i++) {
		fputs(" -> ", out);
		aw_cli_put_escaped(out, chain->v[i], 300);
	}
	fputs(" (CNAME)\n", out);
}

static void
dkim_human(FILE *out, const struct aw_section *sec)
{
	const struct aw_dkim_detail *d = sec->detail;
	size_t i;

	if (d == NULL)
		return;
	chain_human(out, sec->name, &d->chain);
	if (d->has_key && d->key.bits > 0)
		fprintf(out, _("    key: %s, %u bits%s\n"),
		    aw_dkim_key_type_name(d->key.type), d->key.bits,
		    d->key.testing ? _(", testing (t=y)") : "");
	for (i = 0; i < d->nfound; i++) {
		const struct aw_dkim_found *fd = &d->found[i];

		fputs("    ", out);
		aw_cli_put_escaped(out, fd->selector, 64);
		if (fd->revoked)
			fprintf(out, _(": revoked"));
		else if (fd->bits > 0)
			fprintf(out, ": %s %u", aw_dkim_key_type_name(fd->type),
			    fd->bits);
		if (fd->chain.n > 0) {
			fputs(" -> ", out);
			aw_cli_put_escaped(out, fd->chain.v[fd->chain.n - 1],
			    300);
		}
		if (fd->service_id != NULL)
			fprintf(out, " [%s]", fd->service_id);
		fputc('\n', out);
	}
}

static json_t *
key_json(const struct aw_dkim_key *k)
{
	json_t *o = json_object();

	json_object_set_new_nocheck(o, "type",
	    json_string(aw_dkim_key_type_name(k->type)));
	json_object_set_new_nocheck(o, "bits", json_integer(k->bits));
	json_object_set_new_nocheck(o, "usable", json_boolean(k->usable));
	json_object_set_new_nocheck(o, "revoked", json_boolean(k->revoked));
	json_object_set_new_nocheck(o, "testing", json_boolean(k->testing));
	json_object_set_new_nocheck(o, "same_domain",
	    json_boolean(k->same_domain));
	json_object_set_new_nocheck(o, "hashes", aw_json_strv(&k->hashes));
	json_object_set_new_nocheck(o, "services", aw_json_strv(&k->services));
	json_object_set_new_nocheck(o, "flags", aw_json_strv(&k->flags));
	json_object_set_new_nocheck(o, "p", aw_json_text(k->p));
	return o;
}

static void
dkim_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_dkim_detail *d = sec->detail;
	json_t *found;
	size_t i;

	if (d == NULL)
		return;
	json_object_set_new_nocheck(o, "discovery", json_boolean(d->discovery));
	if (d->discovery) {
		found = json_array();
		for (i = 0; i < d->nfound; i++) {
			const struct aw_dkim_found *fd = &d->found[i];
			json_t *fj = json_object();

			json_object_set_new_nocheck(fj, "selector",
			    aw_json_text(fd->selector));
			json_object_set_new_nocheck(fj, "record",
			    aw_json_text(fd->record));
			json_object_set_new_nocheck(fj, "chain",
			    aw_json_strv(&fd->chain));
			json_object_set_new_nocheck(fj, "service",
			    aw_json_text(fd->service_id));
			json_object_set_new_nocheck(fj, "type",
			    json_string(aw_dkim_key_type_name(fd->type)));
			json_object_set_new_nocheck(fj, "bits",
			    json_integer(fd->bits));
			json_object_set_new_nocheck(fj, "usable",
			    json_boolean(fd->usable));
			json_object_set_new_nocheck(fj, "revoked",
			    json_boolean(fd->revoked));
			json_object_set_new_nocheck(fj, "testing",
			    json_boolean(fd->testing));
			json_array_append_new(found, fj);
		}
		json_object_set_new_nocheck(o, "probed",
		    json_integer((json_int_t)d->probed));
		json_object_set_new_nocheck(o, "found", found);
		return;
	}
	json_object_set_new_nocheck(o, "selector", aw_json_text(d->selector));
	json_object_set_new_nocheck(o, "chain", aw_json_strv(&d->chain));
	json_object_set_new_nocheck(o, "final_name",
	    aw_json_text(d->final_name));
	json_object_set_new_nocheck(o, "cname_dangling",
	    json_boolean(d->cname_dangling));
	json_object_set_new_nocheck(o, "cname_loop",
	    json_boolean(d->cname_loop));
	json_object_set_new_nocheck(o, "service", aw_json_text(d->service_id));
	json_object_set_new_nocheck(o, "expected_service",
	    aw_json_text(d->expected_service));
	json_object_set_new_nocheck(o, "wrong_service",
	    json_boolean(d->wrong_service));
	json_object_set_new_nocheck(o, "public_key",
	    d->has_key ? key_json(&d->key) :
	    json_null());
}

const struct aw_cli_render aw_render_dkim = { "dkim", dkim_human, dkim_json };
