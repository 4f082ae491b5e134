/* catalog.c: the shared sender catalog in the model's form (catalog.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "tui/catalog.h"

/* "NAME: what, NAME2: what" of the placeholders the user supplies (in the
 * order the templates use them, which is how the typed words are taken);
 * NULL when none. */
static char *
account_label(const struct aw_sender *s)
{
	struct aw_buf b;
	size_t i;
	char *out;

	if (s->nplaceholders == 0)
		return NULL;
	aw_buf_init(&b);
	for (i = 0; i < s->nplaceholders; i++) {
		const struct aw_sender_placeholder *ph = &s->placeholders[i];

		aw_buf_printf(&b, "%s%s", i ? "; " : "",
		    ph->description != NULL ? ph->description : ph->name);
	}
	out = aw_buf_steal(&b);
	aw_buf_done(&b);
	return out;
}

static enum aw_status
sender_from(const struct aw_sender *s, struct aw_tui_sender *t)
{
	struct aw_tui_dkim_cname *cn = NULL;
	size_t k;

	memset(t, 0, sizeof *t);
	t->id = aw_strdup(s->id);
	t->name = aw_strdup(s->name != NULL ? s->name : s->id);
	if (t->id == NULL || t->name == NULL)
		return AW_ERR_NOMEM;
	if (s->nspf > 0 && s->spf[0].include != NULL) {
		size_t n = strlen(s->spf[0].include) + 9;
		char *term = malloc(n);

		if (term == NULL)
			return AW_ERR_NOMEM;
		/* RFC 7208 §5.2: the include mechanism. */
		snprintf(term, n, "include:%s", s->spf[0].include);
		t->spf = term;
		t->spf_lookups = s->spf[0].lookups;
		if (s->spf[0].lighter != NULL) {
			n = strlen(s->spf[0].lighter) + 9;
			if ((term = malloc(n)) == NULL)
				return AW_ERR_NOMEM;
			snprintf(term, n, "include:%s", s->spf[0].lighter);
			t->spf_lighter = term;
		}
	}
	if (s->dkim_method == AW_SENDER_DKIM_CNAME && s->ncnames > 0) {
		if ((cn = calloc(s->ncnames, sizeof *cn)) == NULL)
			return AW_ERR_NOMEM;
		t->dkim = cn;
		for (k = 0; k < s->ncnames; k++) {
			size_t n = strlen(s->cnames[k].selector) + 12;
			char *name = malloc(n);

			if (name == NULL)
				return AW_ERR_NOMEM;
			/* RFC 6376 §3.6.2.1: SELECTOR._domainkey. */
			snprintf(name, n, "%s._domainkey", s->cnames[k].selector);
			cn[k].name = name;
			t->ndkim++;
			if ((cn[k].target = aw_strdup(s->cnames[k].target)) == NULL)
				return AW_ERR_NOMEM;
		}
	}
	t->naccount = s->nplaceholders;
	if (s->nplaceholders > 0 && (t->account_label = account_label(s)) == NULL)
		return AW_ERR_NOMEM;
	return AW_OK;
}

enum aw_status
aw_tui_senders_from(const struct aw_catalog *cat, struct aw_tui_senders *out)
{
	size_t i, n = cat != NULL ? aw_catalog_count(cat) : 0;
	enum aw_status st;

	out->v = NULL;
	out->n = 0;
	if (n == 0)
		return AW_OK;
	if ((out->v = calloc(n, sizeof *out->v)) == NULL)
		return AW_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		st = sender_from(aw_catalog_get(cat, i), &out->v[out->n]);
		out->n++;
		if (st != AW_OK)
			return st;
	}
	return AW_OK;
}

void
aw_tui_senders_done(struct aw_tui_senders *s)
{
	size_t i, k;

	for (i = 0; i < s->n; i++) {
		struct aw_tui_sender *t = &s->v[i];

		free((char *)t->id);
		free((char *)t->name);
		free((char *)t->spf);
		free((char *)t->spf_lighter);
		free((char *)t->account_label);
		for (k = 0; k < t->ndkim; k++) {
			free((char *)t->dkim[k].name);
			free((char *)t->dkim[k].target);
		}
		free((struct aw_tui_dkim_cname *)t->dkim);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
