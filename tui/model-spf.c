/* model-spf.c: the SPF step: the draft record from the published one(s) and the
 * senders chosen (checks/spf-build.h, spf-terms.h), its lookup count and
 * warnings, the lighter-include swap, and the step's keys. */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dmarc.h"
#include "checks/mx.h"
#include "checks/ptr.h"
#include "checks/spf-build.h"
#include "checks/spf-terms.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/model-int.h"

/* ---- SPF draft ---- */

static const struct aw_tui_sender *
sender_by_term(const struct aw_tui_model *m, const char *term, size_t *idx)
{
	size_t i;

	for (i = 0; i < m->nsenders; i++)
		if (m->senders[i].spf != NULL &&
		    aw_spf_term_equal(m->senders[i].spf, term)) {
			if (idx)
				*idx = i;
			return &m->senders[i];
		}
	return NULL;
}

static const struct aw_tui_sender *
sender_by_lighter(const struct aw_tui_model *m, const char *term, size_t *idx)
{
	size_t i;

	for (i = 0; i < m->nsenders; i++)
		if (m->senders[i].spf_lighter != NULL &&
		    aw_spf_term_equal(m->senders[i].spf_lighter, term)) {
			if (idx)
				*idx = i;
			return &m->senders[i];
		}
	return NULL;
}

/* Lookups one term costs, by the parser's rule (RFC 7208 §4.6.4:
 * checks/spf-terms.h); an include of a catalog sender costs what the
 * catalog says it costs in all. The lookup tree (AW_EV_SPF_EVAL) then
 * replaces this estimate with what `check` counts. */
static int
term_lookups(const struct aw_tui_model *m, const char *t)
{
	const struct aw_tui_sender *s;
	int n = aw_spf_term_lookups(t);

	if (n > 0 && aw_spf_include_target(t) != NULL &&
	    (s = sender_by_term(m, t, NULL)) != NULL && s->spf_lookups > 0)
		return s->spf_lookups;
	return n > 0 ? n : 0;
}

static bool
spf_term_in(const struct aw_strv *terms, const char *t)
{
	return aw_spf_terms_have((const char *const *)terms->v, terms->n, t);
}

/* The terms of SPF records (no "v=spf1", no "all"), in order, each once. */
static void
spf_terms_of(const char *const *recs, size_t n, struct aw_strv *out)
{
	size_t r;

	for (r = 0; r < n; r++)
		(void)aw_spf_split(recs[r], out, NULL, NULL);
}

/* The record the choices make, by the builder `authwizard plan` uses
 * (checks/spf-build.h): the published record(s) merged with the terms
 * chosen, in their published order, new terms after them; terms the user
 * took out are then left out. NULL when the builder refuses. */
static char *
spf_build_draft(struct aw_tui_model *m, const struct aw_strv *wanted,
    const char *all)
{
	struct aw_spf_want want;
	struct aw_spf_build b, b2;
	struct aw_strv cur, kept;
	char *out = NULL;
	size_t i;
	bool removed = false;

	aw_strv_init(&cur);
	aw_strv_init(&kept);
	spf_terms_of((const char *const *)m->cur_spf.v, m->cur_spf.n, &cur);
	for (i = 0; i < cur.n; i++)
		if (!spf_term_in(wanted, cur.v[i]))
			removed = true;
	memset(&want, 0, sizeof want);
	want.terms = (const char *const *)wanted->v;
	want.nterms = wanted->n;
	want.all = all;
	memset(&b, 0, sizeof b);
	if (cur.n > 0 && aw_spf_build((const char *const *)m->cur_spf.v,
	    m->cur_spf.n, &want, &b, NULL) == AW_OK) {
		if (!removed) {
			out = b.record, b.record = NULL;
		} else {
			/* The merged order, without what was taken out. */
			const char *rec = b.record;

			spf_terms_of(&rec, 1, &kept);
			for (i = 0; i < kept.n; ) {
				size_t k;
				const struct aw_tui_sender *s =
				    sender_by_term(m, kept.v[i], &k);

				/* A swapped-in lighter include takes the
				 * place of the heavy one. */
				if (s != NULL && m->spf_light[k] && m->picked[k] &&
				    s->spf_lighter != NULL) {
					free(kept.v[i]);
					kept.v[i] = strdup(s->spf_lighter);
				}
				if (kept.v[i] == NULL ||
				    !spf_term_in(wanted, kept.v[i])) {
					free(kept.v[i]);
					memmove(&kept.v[i], &kept.v[i + 1],
					    (kept.n - i - 1) * sizeof *kept.v);
					kept.n--;
				} else {
					i++;
				}
			}
			want.terms = (const char *const *)kept.v;
			want.nterms = kept.n;
		}
		aw_spf_build_done(&b);
	}
	if (out == NULL) {
		memset(&b2, 0, sizeof b2);
		if (aw_spf_build(NULL, 0, &want, &b2, NULL) == AW_OK) {
			out = b2.record, b2.record = NULL;
			aw_spf_build_done(&b2);
		}
	}
	aw_strv_done(&cur);
	aw_strv_done(&kept);
	return out;
}

/* The SPF term a picked sender contributes: its lighter include when the
 * user swapped it in. */
static const char *
sender_spf_term(const struct aw_tui_model *m, size_t i)
{
	const struct aw_tui_sender *s = &m->senders[i];

	return m->spf_light[i] && s->spf_lighter != NULL ? s->spf_lighter : s->spf;
}

/* The count shown: the lookup tree's when it is in, else the estimate. */
int
aw_tui_model_spf_count(const struct aw_tui_model *m)
{
	return m->spf_lookups_deep >= 0 ? m->spf_lookups_deep : m->spf_lookups;
}

/* The SPF step's warnings, from the draft and the count shown. Over the
 * limit, the first picked sender that offers a lighter include is named
 * (F2 swaps it in). */
void
tm_spf_warn(struct aw_tui_model *m)
{
	int count = aw_tui_model_spf_count(m);
	size_t i;

	aw_strv_done(&m->spf_warnings);
	m->spf_hint = -1;
	if (count > AW_SPF_MAX_LOOKUPS) {
		aw_strv_pushf(&m->spf_warnings,
		    _("%d DNS lookups: more than the 10 that receivers allow (RFC 7208 §4.6.4); drop a sender or use ip4/ip6 terms"),
		    count);
		for (i = 0; i < m->nsenders && m->spf_hint < 0; i++)
			if (m->picked[i] && !m->spf_light[i] &&
			    m->senders[i].spf_lighter != NULL)
				m->spf_hint = (int)i;
	}
	if (m->spf_unread != NULL)
		aw_strv_pushf(&m->spf_warnings,
		    _("the TXT records at %s could not be read (%s): the wizard will not propose an SPF record there until DNS answers"),
		    m->domain, m->spf_unread);
	if (m->spf_no_senders)
		aw_strv_push(&m->spf_warnings,
		    _("no senders chosen: the record says this domain sends no mail"));
	for (i = 0; i < m->spf_terms.n; i++) {
		const char *t = m->spf_terms.v[i];

		if (aw_str_has_prefix_ci(t, "ptr") || aw_str_has_prefix_ci(t, "+ptr"))
			aw_strv_push(&m->spf_warnings,
			    _("the ptr mechanism is slow and unreliable and should not be used (RFC 7208 §5.5)"));
	}
	if (m->spf_all != NULL && aw_spf_all_term_strictness(m->spf_all) == 0)
		aw_strv_push(&m->spf_warnings,
		    _("\"+all\" lets anyone send as this domain; use \"~all\" or \"-all\""));
	if (m->spf_dropped > 0)
		aw_strv_pushf(&m->spf_warnings,
		    P_("%zu term of the published record was not valid SPF and was left out",
		    "%zu terms of the published record were not valid SPF and were left out",
		    m->spf_dropped), m->spf_dropped);
	/* RFC 7208 §3.4: keep the answer within 512 bytes of UDP. */
	if (m->spf_draft != NULL && strlen(m->spf_draft) > 450)
		aw_strv_push(&m->spf_warnings,
		    _("the record is longer than 450 bytes: the DNS answer may not fit in one UDP packet (RFC 7208 §3.4)"));
}

void
tm_spf_rebuild(struct aw_tui_model *m)
{
	struct aw_buf b;
	struct aw_strv wanted, final;
	const char *redirect = NULL, *all;
	char *built;
	size_t i;
	int lookups = 0;
	bool any = false, same;

	aw_strv_init(&wanted);
	for (i = 0; i < m->spf_terms.n; i++) {
		if (aw_str_has_prefix_ci(m->spf_terms.v[i], "redirect="))
			redirect = m->spf_terms.v[i];
		else
			any = true;
		aw_strv_push(&wanted, m->spf_terms.v[i]);
	}
	for (i = 0; i < m->nsenders; i++) {
		if (!m->picked[i] || m->senders[i].spf == NULL)
			continue;
		aw_strv_push(&wanted, sender_spf_term(m, i));
		any = true;
	}
	if (!any && redirect == NULL && m->nsenders == 0) {
		/* No catalog, nothing published: propose no record rather
		 * than one that says the domain sends no mail. */
		aw_strv_done(&wanted);
		free(m->spf_draft);
		m->spf_draft = NULL;
		m->spf_lookups = 0;
		m->spf_lookups_deep = -1;
		aw_strv_done(&m->spf_warnings);
		aw_strv_push(&m->spf_warnings,
		    _("the sender catalog could not be read: this step cannot offer services; type your own servers or leave SPF as it is"));
		return;
	}
	/* RFC 7208 §6.1: redirect is ignored when "all" is present. The
	 * published "all" (the strictest of the records merged) is passed
	 * on as chosen: adding a sender never weakens "-all". */
	all = redirect != NULL && !any ? NULL :
	    any ? (m->spf_all ? m->spf_all : "~all") : "-all";
	built = spf_build_draft(m, &wanted, all);
	if (built == NULL) {
		/* Terms the builder refuses: written as chosen. */
		aw_buf_init(&b);
		aw_buf_puts(&b, "v=spf1");
		for (i = 0; i < wanted.n; i++)
			if (wanted.v[i] != redirect)
				aw_buf_printf(&b, " %s", wanted.v[i]);
		if (redirect != NULL)
			aw_buf_printf(&b, " %s", redirect);
		if (all != NULL)
			aw_buf_printf(&b, " %s", all);
		built = aw_buf_steal(&b);
		aw_buf_done(&b);
	}
	aw_strv_done(&wanted);
	same = m->spf_draft != NULL && built != NULL &&
	    strcmp(m->spf_draft, built) == 0;
	free(m->spf_draft);
	m->spf_draft = built;
	/* The estimate until the lookup tree answers (AW_EV_SPF_EVAL). */
	aw_strv_init(&final);
	if (built != NULL)
		spf_terms_of((const char *const *)&built, 1, &final);
	for (i = 0; i < final.n; i++)
		lookups += term_lookups(m, final.v[i]);
	aw_strv_done(&final);
	m->spf_lookups = lookups;
	if (!same)              /* the tree's count is the old draft's */
		m->spf_lookups_deep = -1;
	m->spf_no_senders = !any && redirect == NULL;
	tm_spf_warn(m);
}

/* F2 on the SPF step: the sender named over the limit uses its lighter
 * include. */
static unsigned
spf_swap_lighter(struct aw_tui_model *m)
{
	char *msg = NULL;
	const struct aw_tui_sender *s;

	if (m->spf_hint < 0 || (size_t)m->spf_hint >= m->nsenders)
		return AW_FX_NONE;
	s = &m->senders[m->spf_hint];
	m->spf_light[m->spf_hint] = true;
	if (asprintf(&msg, _("%s now uses its lighter include: %s"), s->name,
	    s->spf_lighter) >= 0)
		tm_set_str(&m->note, msg);
	free(msg);
	tm_spf_rebuild(m);
	return AW_FX_REDRAW | AW_FX_SPF_EVAL;
}

/* Folds the published record(s) into the choices: catalog includes pick
 * their sender (or its lighter include), every other term is kept; the
 * strictest "all" of the records is kept (RFC 7208 §3.2: merging them
 * must not let through mail the stricter one rejected). */
void
tm_spf_prefill(struct aw_tui_model *m)
{
	struct aw_strv terms;
	size_t r, i, bad, dropped = 0;
	const char *all;

	aw_strv_done(&m->spf_terms);
	free(m->spf_all);
	m->spf_all = NULL;
	all = aw_spf_strictest_all((const char *const *)m->cur_spf.v, m->cur_spf.n);
	if (all != NULL)
		tm_set_str(&m->spf_all, all);
	for (r = 0; r < m->cur_spf.n; r++) {
		aw_strv_init(&terms);
		bad = 0;
		(void)aw_spf_split(m->cur_spf.v[r], &terms, NULL, &bad);
		dropped += bad;
		for (i = 0; i < terms.n; i++) {
			const char *tok = terms.v[i];
			size_t idx;

			if (*tok != '-' && *tok != '~' && *tok != '?') {
				if (sender_by_term(m, tok, &idx) != NULL) {
					m->picked[idx] = true;
					continue;
				}
				if (sender_by_lighter(m, tok, &idx) != NULL) {
					m->picked[idx] = true;
					m->spf_light[idx] = true;
					continue;
				}
			}
			if (!spf_term_in(&m->spf_terms, tok))
				aw_strv_push(&m->spf_terms, tok);
		}
		aw_strv_done(&terms);
	}
	m->spf_dropped = dropped;
	tm_spf_rebuild(m);
}

/* Turns what the user typed into an SPF term: a bare address becomes
 * ip4:/ip6:, a host name a:, terms with a known prefix stay. NULL when it
 * is none of these. The caller frees. */
static char *
spf_term_from_input(const char *in)
{
	char *out = NULL;
	int fam;
	const char *arg;

	if (tm_is_cidr(in, &fam)) {
		if (asprintf(&out, "%s:%s", fam == AF_INET ? "ip4" : "ip6", in) < 0)
			return NULL;
		return out;
	}
	if (aw_str_has_prefix_ci(in, "ip4:") || aw_str_has_prefix_ci(in, "ip6:")) {
		if (!tm_is_cidr(in + 4, &fam) ||
		    (fam == AF_INET) != (aw_strncasecmp(in, "ip4", 3) == 0))
			return NULL;
		return strdup(in);
	}
	if (aw_strcasecmp(in, "a") == 0 || aw_strcasecmp(in, "mx") == 0)
		return strdup(in);
	if (aw_str_has_prefix_ci(in, "a:"))
		arg = in + 2;
	else if (aw_str_has_prefix_ci(in, "mx:"))
		arg = in + 3;
	else if (aw_str_has_prefix_ci(in, "include:"))
		arg = in + 8;
	else if (aw_str_has_prefix_ci(in, "exists:"))
		arg = in + 7;
	else
		arg = NULL;
	if (arg != NULL)
		return *arg != '\0' && strchr(arg, ' ') == NULL ? strdup(in) : NULL;
	{
		char *ascii = NULL;

		if (aw_domain_to_ascii(in, &ascii, NULL) != AW_OK)
			return NULL;
		if (!aw_domain_valid(ascii) || strchr(ascii, '.') == NULL) {
			free(ascii);
			return NULL;
		}
		if (asprintf(&out, "a:%s", ascii) < 0)
			out = NULL;
		free(ascii);
		return out;
	}
}

size_t
aw_tui_model_spf_visible(const struct aw_tui_model *m, size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < m->nsenders; i++) {
		const struct aw_tui_sender *s = &m->senders[i];

		if (s->spf == NULL)
			continue;
		if (!tm_ci_contains(s->name, m->spf_filter.text) &&
		    !tm_ci_contains(s->id, m->spf_filter.text) &&
		    !tm_ci_contains(s->spf, m->spf_filter.text))
			continue;
		if (idx != NULL && n < max)
			idx[n] = i;
		n++;
	}
	return n;
}

unsigned
tm_spf_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	size_t vis = aw_tui_model_spf_visible(m, NULL, 0), idx[1];

	if (ev->type == AW_EV_SWAP)
		return spf_swap_lighter(m);
	if (m->focus == AW_FOCUS_FIELD1) {
		char *term;

		switch (ev->type) {
		case AW_EV_NEXT:
			if (m->spf_own.len == 0)
				return tm_step(m, +1);
			tm_trim(m->spf_own.text);
			m->spf_own.len = strlen(m->spf_own.text);
			term = spf_term_from_input(m->spf_own.text);
			if (term == NULL) {
				char *msg = NULL;

				if (asprintf(&msg, _("not an address, network or host name: %s"),
				    m->spf_own.text) < 0)
					msg = NULL;
				tm_set_error(m, msg);
				free(msg);
				return AW_FX_REDRAW;
			}
			if (aw_strv_find(&m->spf_terms, term) < 0)
				aw_strv_take(&m->spf_terms, term);
			else
				free(term);
			tm_field_clear(&m->spf_own);
			tm_set_error(m, NULL);
			tm_spf_rebuild(m);
			return AW_FX_REDRAW | AW_FX_SPF_EVAL;
		case AW_EV_ERASE:
			if (!tm_field_erase(&m->spf_own) && m->spf_terms.n > 0) {
				free(m->spf_terms.v[--m->spf_terms.n]);
				tm_spf_rebuild(m);
				return AW_FX_REDRAW | AW_FX_SPF_EVAL;
			}
			return AW_FX_REDRAW;
		default:
			return AW_FX_NONE;
		}
	}
	if (tm_list_key(&m->spf_cursor, vis, ev))
		return AW_FX_REDRAW;
	switch (ev->type) {
	case AW_EV_TOGGLE: {
		size_t all[512], n = aw_tui_model_spf_visible(m, all, 512);

		(void)idx;
		if (m->spf_cursor >= n || m->spf_cursor >= 512)
			return AW_FX_NONE;
		m->picked[all[m->spf_cursor]] = !m->picked[all[m->spf_cursor]];
		tm_spf_rebuild(m);
		return AW_FX_REDRAW | AW_FX_SPF_EVAL;
	}
	case AW_EV_CHAR:
	case AW_EV_ERASE:
	case AW_EV_BACK:
		return tm_filter_key(m, &m->spf_filter, &m->spf_cursor, ev);
	case AW_EV_NEXT:
		return tm_step(m, +1);
	default:
		return AW_FX_NONE;
	}
}

/* ---- the zone as the draft leaves it ---- */

enum aw_status
aw_tui_model_spf_change(const struct aw_tui_model *m, struct aw_record *before,
    struct aw_record *after)
{
	const char *name = m->domain != NULL ? m->domain : "";
	enum aw_status st;
	size_t i;

	memset(before, 0, sizeof *before);
	memset(after, 0, sizeof *after);
	if ((st = aw_record_init(before, name, AW_RECORD_TXT, 0)) != AW_OK ||
	    (st = aw_record_init(after, name, AW_RECORD_TXT, 0)) != AW_OK)
		return st;
	/* RFC 7208 §3.2: the draft is the one SPF record; the other TXT
	 * records at the name stay, as a plan leaves them. */
	for (i = 0; i < m->cur_txt.n; i++) {
		if ((st = aw_record_add(before, m->cur_txt.v[i])) != AW_OK)
			return st;
		if (!aw_spf_is_record_str(m->cur_txt.v[i]) &&
		    (st = aw_record_add(after, m->cur_txt.v[i])) != AW_OK)
			return st;
	}
	if (m->spf_draft != NULL)
		st = aw_record_add(after, m->spf_draft);
	return st;
}

/* ---- the screen ---- */

static unsigned
spf_enter(struct aw_tui_model *m)
{
	tm_spf_rebuild(m);
	return AW_FX_SPF_EVAL;
}

static struct aw_tui_field *
spf_field(struct aw_tui_model *m)
{
	return m->focus == AW_FOCUS_FIELD1 ? &m->spf_own : NULL;
}

static int
spf_nfields(const struct aw_tui_model *m)
{
	(void)m;
	return 1;
}

const struct tm_screen tm_screen_spf = {
	spf_enter, tm_spf_key, spf_field, spf_nfields
};
