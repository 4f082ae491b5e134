/* model-bimi.c: the BIMI step. Offered when the bimi area of the
 * overview's check (checks/check-bimi.c, its DMARC prerequisite) says
 * DMARC is at enforcement; the record is built by checks/bimi.h's
 * builder and judged by the same area (its files fetched) before it goes
 * into the plan. Errors there keep it out unless the user presses "!". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/bimi.h"
#include "checks/domain.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/model-int.h"

void
tm_bimi_reset(struct aw_tui_model *m, bool all)
{
	m->bimi_known = m->bimi_enforced = false;
	tm_set_str(&m->bimi_why, NULL);
	aw_strv_done(&m->cur_bimi);
	if (!all)
		return;
	tm_set_str(&m->bimi_draft, NULL);
	tm_set_str(&m->bimi_field_error, NULL);
	tm_set_str(&m->bimi_checked, NULL);
	tm_set_str(&m->bimi_accepted, NULL);
	aw_findings_done(&m->bimi_findings);
	aw_findings_init(&m->bimi_findings);
}

/* The bimi section of the overview's check: the prerequisite and what is
 * published. */
void
tm_bimi_on_section(struct aw_tui_model *m, const struct aw_section *sec)
{
	const struct aw_bimi_detail *d = sec->detail;
	const struct aw_finding *why;
	size_t i;

	m->bimi_known = true;
	m->bimi_enforced = d != NULL && d->dmarc_enforced;
	aw_strv_done(&m->cur_bimi);
	/* The records of its own name (not the organizational domain's). */
	if (aw_findings_find(&sec->f, "bimi.org-record") == NULL)
		for (i = 0; i < sec->f.records.n; i++)
			aw_strv_push(&m->cur_bimi, sec->f.records.v[i]);
	if (m->bimi_enforced) {
		tm_set_str(&m->bimi_why, NULL);
		return;
	}
	/* The area's own words when a record is published; else ours. */
	why = aw_findings_find(&sec->f, "bimi.dmarc-not-enforced");
	if (why == NULL)
		why = aw_findings_find(&sec->f, "bimi.no-dmarc");
	if (why != NULL) {
		tm_set_str(&m->bimi_why, why->message);
	} else if (sec->f.dns_failure) {
		tm_set_str(&m->bimi_why, _("The DMARC policy could not be read (DNS did not answer): BIMI is offered once it is known to be at enforcement."));
	} else if (d == NULL || d->dmarc_policy == NULL) {
		tm_set_str(&m->bimi_why, _("There is no DMARC policy for the domain."));
	} else {
		char *s = NULL;

		if (asprintf(&s, _("DMARC is at p=%s for the domain, or weakened for its subdomains (sp=, pct below 100, t=y)."),
		    d->dmarc_policy) < 0)
			s = NULL;
		tm_set_str(&m->bimi_why, s);
		free(s);
	}
}

static const char *
selector(const struct aw_tui_model *m)
{
	return m->bimi_selector.len > 0 ? m->bimi_selector.text : "default";
}

/* SELECTOR._bimi.DOMAIN, malloc'd; NULL without a domain. */
char *
tm_bimi_name(const struct aw_tui_model *m)
{
	char *name = NULL;

	if (m->domain == NULL ||
	    asprintf(&name, "%s._bimi.%s", selector(m), m->domain) < 0)
		return NULL;
	return name;
}

/* The record from the fields (checks/bimi.h); the builder's refusal goes
 * beside the fields. Returns the field at fault, AW_FOCUS_LIST: none. */
static enum aw_tui_focus
rebuild(struct aw_tui_model *m)
{
	struct aw_error err;
	char *rec = NULL;

	tm_set_str(&m->bimi_field_error, NULL);
	tm_set_str(&m->bimi_draft, NULL);
	if (m->bimi_logo.len == 0)
		return AW_FOCUS_LIST;
	aw_error_clear(&err);
	if (m->bimi_selector.len > 0 && (!aw_domain_valid(m->bimi_selector.text) ||
	    strchr(m->bimi_selector.text, '.') != NULL)) {
		tm_set_str(&m->bimi_field_error,
		    _("the selector must be one DNS label (letters, digits, '-')"));
		return AW_FOCUS_FIELD3;
	}
	if (aw_bimi_build(m->bimi_logo.text, m->bimi_cert.text, &rec, &err) !=
	    AW_OK) {
		tm_set_str(&m->bimi_field_error, err.msg);
		/* the logo's URL is judged first */
		return aw_bimi_build(m->bimi_logo.text, NULL, &rec, &err) !=
		    AW_OK ? AW_FOCUS_FIELD1 : (free(rec), AW_FOCUS_FIELD2);
	}
	m->bimi_draft = rec;
	return AW_FOCUS_LIST;
}

/* A field changed: the record, and what was said of the old one goes. */
void
tm_bimi_edited(struct aw_tui_model *m)
{
	rebuild(m);
	m->bimi_forced = false;
	tm_set_str(&m->bimi_accepted, NULL);
}

/* The published record's URLs in the fields, once. */
static void
prefill(struct aw_tui_model *m)
{
	struct aw_bimi_record r;
	struct aw_findings f;

	if (m->bimi_prefilled)
		return;
	m->bimi_prefilled = true;
	tm_field_set(&m->bimi_selector, "default");
	if (m->cur_bimi.n != 1)
		return;
	aw_bimi_record_init(&r);
	aw_findings_init(&f);
	if (aw_bimi_parse(m->cur_bimi.v[0], strlen(m->cur_bimi.v[0]), &r,
	    &f) == AW_OK) {
		if (r.l != NULL)
			tm_field_set(&m->bimi_logo, r.l);
		if (r.a != NULL)
			tm_field_set(&m->bimi_cert, r.a);
	}
	aw_findings_done(&f);
	aw_bimi_record_done(&r);
}

/* The bimi area over the draft came back. */
unsigned
tm_bimi_checked(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	size_t i;

	/* A check of a draft since edited is stale. */
	if (!m->bimi_checking || ev->text == NULL || m->bimi_draft == NULL ||
	    strcmp(ev->text, m->bimi_draft) != 0)
		return AW_FX_NONE;
	m->bimi_checking = false;
	aw_findings_done(&m->bimi_findings);
	aw_findings_init(&m->bimi_findings);
	if (ev->sec == NULL) {
		aw_findings_add(&m->bimi_findings, AW_SEV_ERROR,
		    "bimi.check-failed", NULL,
		    _("the logo and certificate could not be checked"));
	} else {
		for (i = 0; i < ev->sec->f.nitems; i++)
			aw_findings_add(&m->bimi_findings,
			    ev->sec->f.items[i].severity, ev->sec->f.items[i].code,
			    ev->sec->f.items[i].rfc, "%s",
			    ev->sec->f.items[i].message);
	}
	tm_set_str(&m->bimi_checked, m->bimi_draft);
	if (m->screen != AW_SCR_BIMI)
		return AW_FX_NONE;
	if (m->bimi_findings.errors.n > 0) {
		m->focus = AW_FOCUS_LIST;
		tm_set_error(m, _("The checks found errors: press ! to add the record anyway"));
	} else {
		tm_set_str(&m->note, _("The checks found no error: Enter adds the record to the plan."));
	}
	return AW_FX_REDRAW;
}

/* The step offers BIMI. */
bool
aw_tui_model_bimi_offered(const struct aw_tui_model *m)
{
	return m->bimi_known && m->bimi_enforced;
}

/* The record the plan gets: the accepted draft, at SELECTOR._bimi,
 * replacing the BIMI records there (other TXT records stay). */
enum aw_status
tm_bimi_want(const struct aw_tui_model *m, struct aw_wants *w,
    struct aw_error *err)
{
	char *name;
	enum aw_status st;

	if (m->bimi_accepted == NULL || !aw_tui_model_bimi_offered(m))
		return AW_OK;
	if (strcmp(selector(m), "default") == 0 && m->cur_bimi.n == 1 &&
	    strcmp(m->cur_bimi.v[0], m->bimi_accepted) == 0)
		return AW_OK;           /* published as it is */
	if ((name = tm_bimi_name(m)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	st = aw_wants_add_txt_replace(w, name, "v=BIMI1", m->bimi_accepted, err);
	free(name);
	return st;
}

static unsigned
bimi_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	enum aw_tui_focus bad;

	if (ev->type == AW_EV_BACK && m->focus == AW_FOCUS_LIST)
		return tm_step(m, -1);
	if (ev->type == AW_EV_CHAR && ev->ch == '!' &&
	    m->focus == AW_FOCUS_LIST && m->bimi_draft != NULL &&
	    m->bimi_checked != NULL &&
	    strcmp(m->bimi_checked, m->bimi_draft) == 0 &&
	    m->bimi_findings.errors.n > 0) {
		m->bimi_forced = true;
		tm_set_str(&m->bimi_accepted, m->bimi_draft);
		return tm_step(m, +1);
	}
	if (ev->type != AW_EV_NEXT)
		return AW_FX_NONE;
	/* Not offered, or left empty: no BIMI change. */
	if (!aw_tui_model_bimi_offered(m) || m->bimi_logo.len == 0) {
		tm_set_str(&m->bimi_accepted, NULL);
		return tm_step(m, +1);
	}
	bad = rebuild(m);
	if (m->bimi_field_error != NULL) {
		m->focus = bad;
		tm_set_error(m, m->bimi_field_error);
		return AW_FX_REDRAW;
	}
	if (m->bimi_checked == NULL || strcmp(m->bimi_checked, m->bimi_draft) != 0) {
		if (m->bimi_checking)
			return AW_FX_NONE;
		m->bimi_checking = true;
		tm_set_error(m, NULL);
		tm_set_str(&m->note, _("Checking the logo and the certificate..."));
		return AW_FX_REDRAW | AW_FX_BIMI_CHECK;
	}
	if (m->bimi_findings.errors.n > 0 && !m->bimi_forced) {
		m->focus = AW_FOCUS_LIST;
		tm_set_error(m, _("The checks found errors: press ! to add the record anyway"));
		return AW_FX_REDRAW;
	}
	tm_set_str(&m->bimi_accepted, m->bimi_draft);
	return tm_step(m, +1);
}

static unsigned
bimi_enter(struct aw_tui_model *m)
{
	if (!aw_tui_model_bimi_offered(m))
		return AW_FX_NONE;
	prefill(m);
	rebuild(m);
	if (m->bimi_logo.len == 0)
		m->focus = AW_FOCUS_FIELD1;
	return AW_FX_NONE;
}

static struct aw_tui_field *
bimi_focused(struct aw_tui_model *m)
{
	return m->focus == AW_FOCUS_FIELD1 ? &m->bimi_logo :
	    m->focus == AW_FOCUS_FIELD2 ? &m->bimi_cert :
	    m->focus == AW_FOCUS_FIELD3 ? &m->bimi_selector : NULL;
}

static int
bimi_nfields(const struct aw_tui_model *m)
{
	return aw_tui_model_bimi_offered(m) ? 3 : 0;
}

const struct tm_screen tm_screen_bimi = {
	bimi_enter, bimi_key, bimi_focused, bimi_nfields
};
