/* model-review.c: the review, where to apply and the host's plan: the changes the
 * choices make, the review's coded checks, the confirmation (twice when a
 * check found an error). */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dmarc.h"
#include "checks/dnshost.h"
#include "checks/mx.h"
#include "checks/ptr.h"
#include "checks/spf-build.h"
#include "checks/spf-terms.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/model-int.h"

/* What the review's checks say about the changes, with codes: what only
 * the wizard knows (a field it left out, a name it could not read) and
 * the preflight engine's findings over the host's plan (checks/
 * preflight.h: the SPF, DMARC, DKIM and PTR of the zone as it will be,
 * weakening). An error asks for a second confirmation before applying
 * (tm_target_key). */
void
tm_review_check(struct aw_tui_model *m)
{
	struct aw_findings *f = &m->review_checks;
	size_t i;

	aw_findings_done(f);
	aw_findings_init(f);
	for (i = 0; i < 2; i++)
		if (m->dmarc_field_error[i] != NULL)
			aw_findings_add(f, AW_SEV_ERROR, "dmarc.report-address-invalid",
			    "RFC 9989 §4.7", _("DMARC step: %s (left out of the record)"),
			    m->dmarc_field_error[i]);
	if (m->spf_unread != NULL)
		aw_findings_add(f, AW_SEV_WARNING, "spf.unknown", NULL,
		    _("SPF is not changed: the TXT records at %s could not be read (%s)"),
		    m->domain, m->spf_unread);
	{
		struct aw_strv dk;

		aw_tui_model_dkim_unread(m, &dk);
		for (i = 0; i < dk.n; i++)
			aw_findings_add(f, AW_SEV_WARNING, "dkim.unknown", NULL,
			    "%s", dk.v[i]);
		aw_strv_done(&dk);
	}
	if (m->dmarc_unread != NULL)
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.unknown", NULL,
		    _("DMARC is not changed: the TXT records at _dmarc.%s could not be read (%s)"),
		    m->domain, m->dmarc_unread);
	if (m->preflight_state == AW_TUI_PF_FAILED)
		aw_findings_add(f, AW_SEV_ERROR, "preflight.failed", NULL,
		    _("the zone as it will be could not be checked: %s"),
		    m->preflight_why != NULL ? m->preflight_why : "");
	for (i = 0; m->preflight_state == AW_TUI_PF_DONE &&
	    i < m->preflight.n; i++)
		aw_findings_add(f, m->preflight.v[i].severity,
		    m->preflight.v[i].code, m->preflight.v[i].rfc, "%s",
		    m->preflight.v[i].message);
}

/* The host's plan changed or went: its preflight no longer holds. */
void
tm_preflight_reset(struct aw_tui_model *m)
{
	m->preflight_state = AW_TUI_PF_NONE;
	aw_preflight_result_done(&m->preflight);
	aw_preflight_result_init(&m->preflight);
	tm_set_str(&m->preflight_why, NULL);
}

unsigned
tm_on_preflight(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	size_t i;

	if (m->preflight_state != AW_TUI_PF_RUNNING)
		return AW_FX_NONE;      /* for a plan since replaced */
	tm_preflight_reset(m);
	if (!ev->ok || ev->preflight == NULL) {
		m->preflight_state = AW_TUI_PF_FAILED;
		tm_set_str(&m->preflight_why, ev->text != NULL ? ev->text :
		    _("the lookup failed"));
	} else {
		m->preflight_state = AW_TUI_PF_DONE;
		for (i = 0; i < ev->preflight->n; i++) {
			const struct aw_preflight_finding *x = &ev->preflight->v[i];

			if (aw_preflight_result_add(&m->preflight, x->severity,
			    x->code, x->rfc, x->name, x->message) != AW_OK) {
				m->preflight_state = AW_TUI_PF_FAILED;
				tm_set_str(&m->preflight_why, _("out of memory"));
				break;
			}
		}
	}
	if (m->preflight_waited)
		tm_set_error(m, NULL);
	m->preflight_waited = false;
	tm_review_check(m);
	return AW_FX_REDRAW;
}

const struct aw_findings *
aw_tui_model_review_findings(const struct aw_tui_model *m)
{
	return &m->review_checks;
}

/* One record of a change the way the detected host's form wants it. */
static void
form_line(const struct aw_tui_model *m, const struct aw_change *c,
    const char *value, struct aw_strv *out)
{
	const char *zone = m->dns_host_zone != NULL ? m->dns_host_zone :
	    m->domain;
	const char *type = aw_record_type_name(c->new.type);
	char *name = NULL, *shown = NULL, *target = NULL;

	if ((c->new.type == AW_RECORD_CNAME || c->new.type == AW_RECORD_PTR) &&
	    asprintf(&target, "%s.", value) >= 0)
		value = target;
	if (value != NULL && aw_dnshost_form(m->dns_host, zone, c->new.name,
	    type, value, &name, &shown) == AW_OK)
		aw_strv_pushf(out, "%-24s %-6s %s", name, type, shown);
	free(name);
	free(shown);
	free(target);
}

void
aw_tui_change_form_lines(const struct aw_tui_model *m,
    const struct aw_change *c, struct aw_strv *out)
{
	struct aw_strv gone, kept, came;
	size_t i;

	if (m->dns_host == NULL || c->kind == AW_CHANGE_DELETE)
		return;
	/* What is typed in: the values that come (kept ones are there). */
	aw_tui_change_split(c, &gone, &kept, &came);
	for (i = 0; i < came.n; i++)
		form_line(m, c, came.v[i], out);
	aw_strv_done(&gone);
	aw_strv_done(&kept);
	aw_strv_done(&came);
}

/* Lines of the review's diff: a head per change, its old records, the
 * new one (the view draws the same). */
size_t
tm_review_lines(const struct aw_tui_model *m)
{
	size_t i, n = 0;

	/* As the review draws them (view-review.c diff_lines): a header,
	 * the first note, the records that go, stay and come; a request
	 * is a header and its line. */
	for (i = 0; i < m->plan.nchanges; i++) {
		const struct aw_change *c = &m->plan.changes[i];
		struct aw_strv gone, kept, came;

		aw_tui_change_split(c, &gone, &kept, &came);
		n += 1 + (c->notes.n > 0) + gone.n + kept.n + came.n;
		aw_strv_done(&gone);
		aw_strv_done(&kept);
		aw_strv_done(&came);
	}
	return n + 2 * m->nrequests;
}

bool
aw_tui_model_busy(const struct aw_tui_model *m)
{
	return m->applying;
}

char *
aw_tui_model_apply_report(const struct aw_tui_model *m)
{
	struct aw_buf b;
	size_t i;
	char *out;
	bool started = false;

	for (i = 0; i < m->plan.nchanges; i++)
		if (m->cstate[i].state != AW_TUI_PENDING)
			started = true;
	for (i = 0; i < m->nrequests; i++)
		if (m->requests[i].state != AW_TUI_PENDING)
			started = true;
	if (!started)
		return NULL;
	aw_buf_init(&b);
	aw_buf_printf(&b, _("Changes to %s:\n"), m->domain ? m->domain : "");
	for (i = 0; i < m->plan.nchanges + m->nrequests; i++) {
		const struct aw_change *c = i < m->plan.nchanges ?
		    &m->plan.changes[i] : NULL;
		const struct aw_tui_request *r = c == NULL ?
		    &m->requests[i - m->plan.nchanges] : NULL;
		const char *name = c != NULL ? c->old.name : r->name;
		const char *msg = c != NULL ? m->cstate[i].message : NULL;
		const char *what;
		char *esc;

		switch (c != NULL ? m->cstate[i].state : r->state) {
		case AW_TUI_DONE: what = _("applied"); break;
		case AW_TUI_FAILED: what = _("FAILED"); break;
		case AW_TUI_RUNNING: what = _("unknown (interrupted while sending)"); break;
		case AW_TUI_SKIPPED: what = _("skipped"); break;
		default: what = _("not applied"); break;
		}
		esc = aw_str_escape_dup(name, strlen(name), 256);
		aw_buf_printf(&b, "  %-12s %s %s", what, esc ? esc : "",
		    aw_record_type_name(c != NULL ? c->old.type : AW_RECORD_PTR));
		free(esc);
		if (msg != NULL) {
			esc = aw_str_escape_dup(msg, strlen(msg), 300);
			aw_buf_printf(&b, ": %s", esc ? esc : "");
			free(esc);
		}
		aw_buf_putc(&b, '\n');
	}
	if (m->target != AW_TARGET_SHOW && (m->napplied > 0 || m->applying ||
	    m->nfailed > 0) && m->domain != NULL)
		/* The journal written before the first change lets undo put
		 * the old values back. */
		aw_buf_printf(&b, _("The old values are in the journal: '%s undo %s' puts them back.\n"),
		    "authwizard", m->domain);
	out = aw_buf_steal(&b);
	aw_buf_done(&b);
	return out;
}

/* Enter on the target screen needs the plan for this target (the host's,
 * or for "show" the one made from what DNS said; tm_on_plan) and its
 * preflight. True, with *fx, while either is still to come. */
static bool
plan_pending(struct aw_tui_model *m, unsigned *fx)
{
	if (m->planning) {
		*fx = AW_FX_NONE;
		return true;
	}
	if (m->plan_target != (int)m->target) {
		tm_set_error(m, NULL);
		m->focus = AW_FOCUS_LIST;
		m->planning = true;
		m->plan_ready = false;
		*fx = AW_FX_REDRAW | AW_FX_BUILD_PLAN;
		return true;
	}
	if (m->preflight_state == AW_TUI_PF_RUNNING) {
		m->preflight_waited = true;
		tm_set_error(m, _("the zone as it will be is still being checked: a moment"));
		*fx = AW_FX_REDRAW;
		return true;
	}
	return false;
}

unsigned
tm_target_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	const struct aw_tui_target_info *ti = &aw_tui_targets[m->target];
	unsigned fx;
	size_t i;

	if (m->confirming) {
		bool yes = ev->type == AW_EV_CONFIRM ||
		    (ev->type == AW_EV_CHAR && (ev->ch == 'y' || ev->ch == 'Y' ||
		    ev->ch == 'j' || ev->ch == 'J' || ev->ch == 'k' || ev->ch == 'K'));

		/* Issue 13: a review whose checks found an error is not
		 * applied on y alone: a second question, answered with "!". */
		if (yes && !m->confirm_forced &&
		    m->review_checks.status == AW_CHECK_ERROR) {
			m->confirm_forced = true;
			return AW_FX_REDRAW;
		}
		if (m->confirm_forced)
			yes = ev->type == AW_EV_CHAR && ev->ch == '!';
		if (yes && m->target == AW_TARGET_SHOW) {
			/* Nothing is applied: the records are shown. */
			m->confirming = false;
			m->confirm_forced = false;
			m->screen = AW_SCR_APPLY;
			m->scroll = 0;
			return AW_FX_REDRAW;
		}
		if (yes) {
			m->confirming = false;
			m->confirm_forced = false;
			m->screen = AW_SCR_APPLY;
			m->applying = true;
			m->napplied = m->nfailed = 0;
			for (i = 0; i < m->plan.nchanges; i++)
				m->cstate[i].state = AW_TUI_PENDING;
			for (i = 0; i < m->nrequests; i++)
				m->requests[i].state = AW_TUI_SKIPPED;
			return AW_FX_REDRAW | AW_FX_APPLY;
		}
		if (ev->type == AW_EV_BACK || ev->type == AW_EV_CHAR) {
			m->confirming = false;
			m->confirm_forced = false;
			return AW_FX_REDRAW;
		}
		return AW_FX_NONE;
	}
	if (m->focus != AW_FOCUS_LIST && ev->type != AW_EV_NEXT)
		return AW_FX_NONE;
	switch (ev->type) {
	case AW_EV_UP:
	case AW_EV_DOWN:
		/* The plan being made is that host's: the choice stays until
		 * it is back (on_plan records it as the plan's host). */
		if (m->planning)
			return AW_FX_NONE;
		if (!m->target_locked && ev->type == AW_EV_UP && m->target > 0) {
			m->target--;
			m->target_moved = true;
		} else if (!m->target_locked && ev->type == AW_EV_DOWN &&
		    m->target + 1 < AW_TARGET_COUNT) {
			m->target++;
			m->target_moved = true;
		}
		return AW_FX_REDRAW;
	case AW_EV_BACK:
		return tm_step(m, -1);
	case AW_EV_NEXT:
		if (m->target == AW_TARGET_SHOW) {
			if (plan_pending(m, &fx))
				return fx;
			if (m->review_checks.status == AW_CHECK_ERROR) {
				/* Issue 13: the same second question as before
				 * applying, answered with "!". */
				tm_set_error(m, NULL);
				m->focus = AW_FOCUS_LIST;
				m->confirming = true;
				m->confirm_forced = true;
				return AW_FX_REDRAW;
			}
			m->screen = AW_SCR_APPLY;
			m->scroll = 0;
			return AW_FX_REDRAW;
		}
		for (i = 0; i < ti->ncred; i++) {
			size_t k, typed = 0;

			for (k = 0; k < ti->ncred; k++)
				typed += m->cred[m->target][k].len > 0;
			if (typed == 0 && m->cred_elsewhere[m->target])
				break;
			if (m->cred[m->target][i].len == 0) {
				char *msg = NULL;

				if (asprintf(&msg, _("%s is missing: type it, or set %s before starting"),
				    _(ti->cred[i].label), ti->cred[i].env) < 0)
					msg = NULL;
				tm_set_error(m, msg);
				free(msg);
				m->focus = (enum aw_tui_focus)(AW_FOCUS_FIELD1 + i);
				return AW_FX_REDRAW;
			}
		}
		if (plan_pending(m, &fx))
			return fx;
		if (m->plan.nchanges == 0) {
			tm_set_error(m, _("nothing to apply: the records are as chosen"));
			return AW_FX_REDRAW;
		}
		tm_set_error(m, NULL);
		m->focus = AW_FOCUS_LIST;
		m->confirming = true;
		return AW_FX_REDRAW;
	default:
		return AW_FX_NONE;
	}
}
/* ---- the host's plan ---- */
/* The host's plan replaces the one worked out from DNS; a request (PTR at
 * the IP's owner) goes when the host holds the reverse zone. */
unsigned
tm_on_plan(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	struct aw_plan none;        /* ok with no plan: an empty one */
	size_t i, k, n;
	bool was_planning = m->planning;

	m->planning = false;
	m->plan_ready = true;
	tm_preflight_reset(m);
	if (!ev->ok && m->target == AW_TARGET_SHOW) {
		/* Issue 13: no host to ask, but the records shown are checked
		 * all the same: the preflight over the plan made from what
		 * DNS said (aw_tui_plan_offline). */
		if (ev->plan != NULL)
			aw_plan_done(ev->plan), aw_plan_init(ev->plan);
		m->plan_target = AW_TARGET_SHOW;
		if (was_planning && m->screen == AW_SCR_TARGET) {
			m->screen = AW_SCR_REVIEW;
			m->focus = AW_FOCUS_LIST;
			m->scroll = 0;
			tm_set_error(m, NULL);
		}
		m->preflight_state = AW_TUI_PF_RUNNING;
		tm_review_check(m);
		return AW_FX_REDRAW | AW_FX_PREFLIGHT;
	}
	if (!ev->ok) {
		if (ev->plan != NULL)
			aw_plan_done(ev->plan), aw_plan_init(ev->plan);
		m->plan_target = -1;
		if (ev->text != NULL)
			tm_set_error(m, ev->text);
		return AW_FX_REDRAW;
	}
	aw_plan_init(&none);
	if (!tm_plan_take(m, ev->plan != NULL ? ev->plan : &none)) {
		tm_set_error(m, _("out of memory"));
		return AW_FX_REDRAW;
	}
	for (i = n = 0; i < m->nrequests; i++) {
		bool planned = false;

		/* The host holds the reverse zone: the PTR is in its plan and
		 * the request to the IP's owner is not needed. */
		for (k = 0; k < m->plan.nchanges; k++)
			if (m->plan.changes[k].old.type == AW_RECORD_PTR &&
			    aw_domain_equal(m->plan.changes[k].old.name,
			    m->requests[i].name))
				planned = true;
		if (planned) {
			free(m->requests[i].name);
			free(m->requests[i].ptr);
			free(m->requests[i].text);
			continue;
		}
		m->requests[n++] = m->requests[i];
	}
	m->nrequests = n;
	m->plan_target = (int)m->target;
	tm_set_str(&m->plan_text, ev->text);
	m->scroll = 0;
	if (was_planning && m->screen == AW_SCR_TARGET) {
		/* Planned from the target screen: show the diff first. */
		m->screen = AW_SCR_REVIEW;
		m->focus = AW_FOCUS_LIST;
		tm_set_error(m, NULL);
	}
	/* The zone as this plan leaves it is checked next (on the loop);
	 * the review shows what it finds. */
	m->preflight_state = AW_TUI_PF_RUNNING;
	tm_review_check(m);
	return AW_FX_REDRAW | AW_FX_PREFLIGHT;
}

/* ---- the screens ---- */

/* With a DNS host chosen, the diff is its plan: what it holds now against
 * what it will hold. */
static unsigned
review_enter(struct aw_tui_model *m)
{
	tm_set_str(&m->plan_text, NULL);
	aw_tui_model_build_changes(m);
	m->plan_ready = false;
	m->plan_target = -1;
	m->planning = m->target != AW_TARGET_SHOW;
	return AW_FX_BUILD_PLAN;
}

/* The review: scroll, back, on to where to apply. */
static unsigned
review_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	if (tm_list_key(&m->scroll, tm_review_lines(m), ev))
		return AW_FX_REDRAW;
	switch (ev->type) {
	case AW_EV_BACK:
		return tm_step(m, -1);
	case AW_EV_NEXT:
		if (m->planning)
			return AW_FX_NONE;
		return tm_step(m, +1);
	default:
		return AW_FX_NONE;
	}
}

const struct tm_screen tm_screen_review = {
	review_enter, review_key, NULL, NULL
};

static struct aw_tui_field *
target_field(struct aw_tui_model *m)
{
	if (m->focus >= AW_FOCUS_FIELD1 &&
	    (size_t)(m->focus - AW_FOCUS_FIELD1) < aw_tui_targets[m->target].ncred)
		return &m->cred[m->target][m->focus - AW_FOCUS_FIELD1];
	return NULL;
}

static int
target_nfields(const struct aw_tui_model *m)
{
	return (int)aw_tui_targets[m->target].ncred;
}

const struct tm_screen tm_screen_target = {
	NULL, tm_target_key, target_field, target_nfields
};
