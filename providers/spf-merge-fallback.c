/* spf-merge-fallback.c: TEMPORARY minimal aw_spf_build() until the SPF
 * helper's checks/spf-build.c reaches main; then this file and
 * spf-merge-fallback.h are deleted. Merges SPF records term by term. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/spf-merge-fallback.h"

static bool
fallback_is_all(const char *t)
{
	if (*t == '+' || *t == '-' || *t == '~' || *t == '?')
		t++;
	return aw_strcasecmp(t, "all") == 0;
}

static const char *
fallback_bare(const char *t)
{
	return (*t == '+') ? t + 1 : t;
}

static bool
fallback_has(const struct aw_strv *terms, const char *t)
{
	size_t i;

	for (i = 0; i < terms->n; i++)
		if (aw_strcasecmp(fallback_bare(terms->v[i]), fallback_bare(t)) == 0)
			return true;
	return false;
}

static int
fallback_strictness(const char *all)
{
	switch (all[0]) {
	case '-': return 3;
	case '~': return 2;
	case '?': return 1;
	default: return 0;
	}
}

enum aw_status
aw_spf_build(const char *const *existing, size_t nexisting,
    const struct aw_spf_want *want, struct aw_spf_build *out,
    struct aw_error *err)
{
	struct aw_strv terms;
	struct aw_buf b;
	char all[8] = "";
	size_t i;
	enum aw_status st = AW_OK;

	memset(out, 0, sizeof *out);
	aw_strv_init(&out->notes);
	aw_strv_init(&out->warnings);
	aw_strv_init(&terms);
	for (i = 0; i < nexisting && st == AW_OK; i++) {
		char *copy = strdup(existing[i]), *tok, *save = NULL;

		if (copy == NULL) {
			st = AW_ERR_NOMEM;
			break;
		}
		/* RFC 7208 §4.5: the record starts with "v=spf1". */
		tok = strtok_r(copy, " ", &save);
		if (tok == NULL || aw_strcasecmp(tok, "v=spf1") != 0) {
			free(copy);
			st = aw_error_setw(err, AW_ERR_INVALID, existing[i],
			    _("not an SPF record"));
			break;
		}
		while ((tok = strtok_r(NULL, " ", &save)) != NULL && st == AW_OK) {
			if (fallback_is_all(tok)) {
				/* RFC 7208 §5.1: "all" ends the evaluation;
				 * keep the strictest of the merged ones. */
				if (all[0] == '\0' || fallback_strictness(tok) >
				    fallback_strictness(all))
					snprintf(all, sizeof all, "%s",
					    tok[0] == 'a' || tok[0] == 'A' ? "+all" : tok);
			} else if (!fallback_has(&terms, tok)) {
				st = aw_strv_push(&terms, tok);
				if (st == AW_OK && nexisting > 1)
					st = aw_strv_pushf(&out->notes,
					    _("%s kept from record %zu"), tok, i + 1);
			}
		}
		free(copy);
	}
	for (i = 0; want != NULL && i < want->nterms && st == AW_OK; i++) {
		if (fallback_has(&terms, want->terms[i]))
			continue;
		st = aw_strv_push(&terms, want->terms[i]);
		if (st == AW_OK)
			st = aw_strv_pushf(&out->notes, _("%s added"), want->terms[i]);
	}
	if (want != NULL && want->all != NULL)
		snprintf(all, sizeof all, "%s", want->all);
	if (all[0] == '\0')
		snprintf(all, sizeof all, "~all");
	aw_buf_init(&b);
	aw_buf_puts(&b, "v=spf1");
	for (i = 0; i < terms.n; i++) {
		const char *t = fallback_bare(terms.v[i]);
		const char *name = t;

		if (*name == '-' || *name == '~' || *name == '?')
			name++;
		aw_buf_printf(&b, " %s", terms.v[i]);
		if (aw_str_has_prefix_ci(name, "include:") ||
		    aw_str_has_prefix_ci(name, "a") ||
		    aw_str_has_prefix_ci(name, "mx") ||
		    aw_str_has_prefix_ci(name, "exists:") ||
		    aw_str_has_prefix_ci(name, "ptr") ||
		    aw_str_has_prefix_ci(name, "redirect="))
			out->lookups++;
	}
	if (!fallback_has(&terms, "redirect"))
		aw_buf_printf(&b, " %s", all);
	aw_strv_done(&terms);
	if (st != AW_OK || (out->record = aw_buf_steal(&b)) == NULL) {
		aw_buf_done(&b);
		aw_spf_build_done(out);
		if (st == AW_OK)
			st = AW_ERR_NOMEM;
		if (st == AW_ERR_NOMEM)
			aw_error_set(err, st, _("out of memory"));
		return st;
	}
	/* RFC 7208 §4.6.4: at most 10 DNS-querying terms. */
	if (out->lookups > 10)
		aw_strv_pushf(&out->warnings,
		    _("the SPF record needs %u DNS lookups; more than 10 fail"),
		    out->lookups);
	out->changed = nexisting != 1 || strcmp(out->record, existing[0]) != 0;
	return AW_OK;
}

void
aw_spf_build_done(struct aw_spf_build *b)
{
	if (b == NULL)
		return;
	free(b->record);
	aw_strv_done(&b->notes);
	aw_strv_done(&b->warnings);
	memset(b, 0, sizeof *b);
}
