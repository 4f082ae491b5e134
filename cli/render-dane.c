/* render-dane.c: the DANE area's own output: each MX host's TLSA
 * records and their DNSSEC state. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dane.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"

/* At most this many bytes of a record's data are shown (hex). */
#define SHOW_DATA_MAX 64

static void
put_hex(FILE *out, const struct aw_tlsa *t, size_t max)
{
	size_t i;

	for (i = 0; i < t->len && i < max; i++)
		fprintf(out, "%02x", t->data[i]);
	if (t->len > max)
		fputs("...", out);
}

static void
dane_human(FILE *out, const struct aw_section *sec)
{
	const struct aw_dane_detail *d = sec->detail;
	size_t i, k;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		const struct aw_dane_host *h = &d->hosts[i];

		fputs("    ", out);
		aw_cli_put_escaped_once(out, h->tlsa_name, 300);
		fprintf(out, " [%s]", aw_dnssec_state_name(h->state));
		if (h->smtp != NULL)
			fprintf(out, " smtp: %s", h->smtp);
		fputc('\n', out);
		for (k = 0; k < h->ntlsa; k++) {
			fprintf(out, "      TLSA %u %u %u ", h->tlsa[k].usage,
			    h->tlsa[k].selector, h->tlsa[k].mtype);
			put_hex(out, &h->tlsa[k], SHOW_DATA_MAX);
			fputc('\n', out);
		}
	}
}

static void
dane_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_dane_detail *d = sec->detail;
	json_t *hosts = json_array();
	size_t i, k;
	char *hex;

	for (i = 0; d != NULL && i < d->n; i++) {
		const struct aw_dane_host *h = &d->hosts[i];
		json_t *hj = json_object(), *recs = json_array();

		for (k = 0; k < h->ntlsa; k++) {
			const struct aw_tlsa *t = &h->tlsa[k];
			json_t *r = json_object();
			size_t b;

			if ((hex = malloc(t->len * 2 + 1)) == NULL)
				continue;
			for (b = 0; b < t->len; b++)
				snprintf(hex + b * 2, 3, "%02x", t->data[b]);
			hex[t->len * 2] = '\0';
			json_object_set_new_nocheck(r, "usage",
			    json_integer(t->usage));
			json_object_set_new_nocheck(r, "selector",
			    json_integer(t->selector));
			json_object_set_new_nocheck(r, "matching_type",
			    json_integer(t->mtype));
			json_object_set_new_nocheck(r, "data",
			    json_string(hex));
			free(hex);
			json_array_append_new(recs, r);
		}
		json_object_set_new_nocheck(hj, "host", aw_json_text(h->host));
		json_object_set_new_nocheck(hj, "tlsa_name",
		    aw_json_text(h->tlsa_name));
		json_object_set_new_nocheck(hj, "dnssec",
		    json_string(aw_dnssec_state_name(h->state)));
		json_object_set_new_nocheck(hj, "tlsa", recs);
		json_object_set_new_nocheck(hj, "usable",
		    json_integer((json_int_t)h->usable));
		json_object_set_new_nocheck(hj, "address",
		    h->addr[0] ? json_string(h->addr) : json_null());
		json_object_set_new_nocheck(hj, "smtp",
		    h->smtp ? json_string(h->smtp) : json_null());
		json_array_append_new(hosts, hj);
	}
	json_object_set_new_nocheck(o, "mx_state",
	    json_string(aw_dnssec_state_name(
	    d ? d->mx_state : AW_DNSSEC_INDETERMINATE)));
	json_object_set_new_nocheck(o, "hosts", hosts);
}

const struct aw_cli_render aw_render_dane = { "dane", dane_human, dane_json };
