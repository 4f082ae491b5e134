/* render.c: the human form of check results, and each area's own extra
 * output (tmux-style table). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/mx.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"

/* At most this many records of one name are listed on a terminal. */
#define SHOW_RECORDS_MAX 20

/* At most this many messages of one kind per section (a hostile answer
 * can make hundreds); the rest are counted, and all are in --json. */
#define SHOW_MESSAGES_MAX 40

static void
put_lines(FILE *out, const struct aw_strv *sv, const char *lead)
{
	size_t i;

	for (i = 0; i < sv->n && i < SHOW_MESSAGES_MAX; i++) {
		fputs(lead, out);
		aw_cli_put_escaped_once(out, sv->v[i], 0);
		fputc('\n', out);
	}
	if (sv->n > SHOW_MESSAGES_MAX)
		fprintf(out, _("    ... and %zu more like these (all of them in --json)\n"),
		    sv->n - SHOW_MESSAGES_MAX);
}

static void
mx_human(FILE *out, const struct aw_section *sec)
{
	const struct aw_mx_detail *d = sec->detail;
	size_t i, k;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		const struct aw_mx_host *h = &d->hosts[i];

		fprintf(out, "    %u ", h->preference);
		aw_cli_put_escaped_once(out, h->host[0] ? h->host : ".", 256);
		if (h->address)
			fputs(_(" (an address, not a host name)"), out);
		if (h->cname != NULL) {
			fputs(_(" (alias of "), out);
			aw_cli_put_escaped_once(out, h->cname, 256);
			fputc(')', out);
		}
		if (h->addrs.n > 0)
			fputs(" ->", out);
		for (k = 0; k < h->addrs.n; k++)
			fprintf(out, " %s", h->addrs.v[k]);
		fputc('\n', out);
	}
}

static void
mx_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_mx_detail *d = sec->detail;
	json_t *hosts = json_array();
	size_t i;

	for (i = 0; d != NULL && i < d->n; i++) {
		const struct aw_mx_host *h = &d->hosts[i];
		json_t *hj = json_object();

		json_object_set_new_nocheck(hj, "preference",
		    json_integer(h->preference));
		json_object_set_new_nocheck(hj, "host", aw_json_text(h->host));
		json_object_set_new_nocheck(hj, "addresses",
		    aw_json_strv(&h->addrs));
		json_object_set_new_nocheck(hj, "cname",
		    aw_json_text(h->cname));
		json_object_set_new_nocheck(hj, "address",
		    json_boolean(h->address));
		json_array_append_new(hosts, hj);
	}
	json_object_set_new_nocheck(o, "hosts", hosts);
	json_object_set_new_nocheck(o, "null_mx",
	    json_boolean(d && d->null_mx));
}

const struct aw_cli_render aw_render_mx = { "mx", mx_human, mx_json };

/* One line per area with its own output; each lives in its area's file. */
static const struct aw_cli_render *const renders[] = {
	&aw_render_mx,
	&aw_render_spf,
	&aw_render_dkim,
	&aw_render_dmarc,
	&aw_render_ptr,
	&aw_render_helo,
	&aw_render_dnssec,
	&aw_render_dane,
	&aw_render_mta_sts,
	&aw_render_tls_rpt,
	&aw_render_bimi,
};

const struct aw_cli_render *
aw_cli_render_find(const char *area)
{
	size_t i;

	for (i = 0; i < sizeof renders / sizeof renders[0]; i++)
		if (strcmp(renders[i]->area, area) == 0)
			return renders[i];
	return NULL;
}

void
aw_cli_print_section(FILE *out, const struct aw_section *sec)
{
	const struct aw_findings *f = &sec->f;
	const struct aw_cli_render *r;
	char *shown;
	size_t i;

	shown = aw_domain_to_unicode(sec->name ? sec->name : "");
	fprintf(out, "%s  ", aw_area_title(sec->area));
	aw_cli_put_escaped_once(out, shown ? shown : "", 300);
	fprintf(out, "  [%s]\n", aw_check_status_text(f->status));
	free(shown);
	for (i = 0; i < f->records.n && i < SHOW_RECORDS_MAX; i++) {
		fputs("    ", out);
		if (strcmp(sec->area, "mx") != 0) {
			fputc('"', out);
			aw_cli_put_escaped(out, f->records.v[i], 0);
			fputc('"', out);
		}
		fputc('\n', out);
	}
	if (f->records.n > SHOW_RECORDS_MAX)
		fprintf(out, _("    ... and %zu more records\n"),
		    f->records.n - SHOW_RECORDS_MAX);
	if ((r = aw_cli_render_find(sec->area)) != NULL && r->human != NULL)
		r->human(out, sec);
	for (i = 0; i < f->nlookups; i++) {
		const struct aw_lookup_note *l = &f->lookups[i];

		if (l->result == AW_DNS_RECORDS ||
		    aw_dns_result_is_failure(l->result))
			continue;   /* failures are among the errors */
		fprintf(out, "    %s ", aw_record_type_name(l->type));
		aw_cli_put_escaped_once(out, l->name, 300);
		fprintf(out, ": %s\n", aw_dns_result_text(l->result));
	}
	put_lines(out, &f->errors, _("    error: "));
	put_lines(out, &f->warnings, _("    warning: "));
	put_lines(out, &f->notes, "    ");
}
