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
#include "checks/mx.h"
#include "checks/ptr.h"
#include "checks/spf-build.h"
#include "checks/spf-terms.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/model-int.h"

/* ---- changes ---- */

static struct aw_tui_change *
change_add(struct aw_tui_model *m, enum aw_tui_op op, const char *name,
    enum aw_record_type type, const char *value)
{
	struct aw_tui_change *grown, *c;

	grown = realloc(m->changes, (m->nchanges + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	m->changes = grown;
	c = &m->changes[m->nchanges++];
	memset(c, 0, sizeof *c);
	c->op = op;
	c->name = strdup(name);
	c->type = type;
	c->value = aw_strdup(value);
	c->ttl = TTL_DEFAULT;
	c->recheck = -1;
	aw_strv_init(&c->old);
	aw_strv_init(&c->keep);
	aw_strv_init(&c->more);
	aw_strv_init(&c->notes);
	return c;
}

/* A TXT record at name: nothing, an add, or a replace of cur. */
static void
txt_change(struct aw_tui_model *m, const char *name, const struct aw_strv *cur,
    const char *draft)
{
	struct aw_tui_change *c;
	size_t i;

	if (draft == NULL)
		return;
	if (cur->n == 1 && strcmp(cur->v[0], draft) == 0)
		return;
	c = change_add(m, cur->n == 0 ? AW_TUI_ADD : AW_TUI_REPLACE, name,
	    AW_RECORD_TXT, draft);
	for (i = 0; c != NULL && i < cur->n; i++)
		aw_strv_push(&c->old, cur->v[i]);
}

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
static void
preflight_reset(struct aw_tui_model *m)
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
	preflight_reset(m);
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

void
aw_tui_model_build_changes(struct aw_tui_model *m)
{
	struct aw_strv dk;
	char *name = NULL;
	size_t i;

	tm_changes_free(m);
	preflight_reset(m);
	if (m->domain == NULL)
		return;
	tm_spf_rebuild(m);
	/* Never a record at a name whose records could not be read: the
	 * review says why (tm_review_check). */
	if (m->spf_unread == NULL)
		txt_change(m, m->domain, &m->cur_spf, m->spf_draft);

	aw_tui_model_dkim_records(m, &dk);
	for (i = 0; i < dk.n; i++) {
		char *sp = strchr(dk.v[i], ' '), *sp2;
		struct aw_tui_change *c;
		bool broken;

		if (sp == NULL || (sp2 = strchr(sp + 1, ' ')) == NULL)
			continue;
		*sp = '\0';
		*sp2 = '\0';
		broken = aw_strv_find(&m->dkim_broken, dk.v[i]) >= 0;
		c = change_add(m, broken ? AW_TUI_REPLACE : AW_TUI_ADD, dk.v[i],
		    aw_record_type_parse(sp + 1), sp2 + 1);
		if (c != NULL && broken)
			aw_strv_push(&c->old, _("(an alias to a name with no key)"));
	}
	/* A selector that is an alias to nowhere goes (RFC 6376 §3.6.2.1:
	 * a verifier finding no key fails the signature). */
	for (i = 0; i < m->dkim_broken.n; i++) {
		size_t k;
		bool replaced = false;
		struct aw_tui_change *c;

		for (k = 0; k < m->nchanges; k++)
			if (aw_domain_equal(m->changes[k].name, m->dkim_broken.v[i]))
				replaced = true;
		if (replaced)
			continue;
		c = change_add(m, AW_TUI_DELETE, m->dkim_broken.v[i], AW_RECORD_CNAME,
		    NULL);
		if (c != NULL)
			aw_strv_push(&c->old, _("(an alias to a name with no key)"));
	}
	aw_strv_done(&dk);

	tm_dmarc_rebuild(m);
	if (m->dmarc_unread == NULL &&
	    asprintf(&name, "_dmarc.%s", m->domain) >= 0) {
		txt_change(m, name, &m->cur_dmarc, m->dmarc_draft);
		free(name);
	}

	for (i = 0; i < m->nips; i++) {
		char *req = aw_tui_model_ptr_request(m, i), *want, *rev;
		struct aw_tui_change *c;
		int fam = 0;

		want = tm_ptr_wanted(m);
		if (want != NULL && m->ips[i].checked && !m->ips[i].dns_failure &&
		    tm_is_ip(m->ips[i].ip, &fam) &&
		    aw_domain_is_under(want, m->domain) &&
		    m->helo_checked != NULL && aw_domain_equal(m->helo_checked, want) &&
		    aw_strv_find(&m->helo_addrs, m->ips[i].ip) < 0)
			/* The PTR name must resolve back (FCrDNS). */
			change_add(m, AW_TUI_ADD, want,
			    fam == AF_INET ? AW_RECORD_A : AW_RECORD_AAAA, m->ips[i].ip);
		if (req != NULL && (rev = aw_reverse_name(m->ips[i].ip)) != NULL) {
			c = change_add(m, AW_TUI_REQUEST, rev, AW_RECORD_PTR, want);
			if (c != NULL)
				c->message = req, req = NULL;
			free(rev);
		}
		free(req);
		free(want);
	}
	tm_review_check(m);
}

char *
aw_tui_change_zone_line(const struct aw_tui_change *c)
{
	struct aw_buf b;
	char *out;

	aw_buf_init(&b);
	if (c->op == AW_TUI_DELETE) {
		aw_buf_printf(&b, "; %s %s. %s", _("delete:"), c->name,
		    aw_record_type_name(c->type));
	} else if (c->type == AW_RECORD_TXT) {
		const char *p = c->value;
		size_t len = strlen(p), off = 0;

		aw_buf_printf(&b, "%s. %u IN TXT", c->name, c->ttl);
		/* RFC 7208 §3.3: strings of at most 255 bytes, joined. */
		do {
			size_t n = len - off > 255 ? 255 : len - off, k;

			aw_buf_puts(&b, " \"");
			for (k = 0; k < n; k++) {
				char ch = p[off + k];

				if (ch == '"' || ch == '\\')
					aw_buf_putc(&b, '\\');
				aw_buf_putc(&b, ch);
			}
			aw_buf_putc(&b, '"');
			off += n;
		} while (off < len);
	} else if (c->type == AW_RECORD_CNAME || c->type == AW_RECORD_PTR) {
		aw_buf_printf(&b, "%s. %u IN %s %s.", c->name, c->ttl,
		    aw_record_type_name(c->type), c->value ? c->value : "");
	} else {
		aw_buf_printf(&b, "%s. %u IN %s %s", c->name, c->ttl,
		    aw_record_type_name(c->type), c->value ? c->value : "");
	}
	out = aw_buf_steal(&b);
	aw_buf_done(&b);
	return out;
}

/* Lines of the review's diff: a head per change, its old records, the
 * new one (the view draws the same). */
size_t
tm_review_lines(const struct aw_tui_model *m)
{
	size_t i, n = 0;

	/* As the review draws them (view-screens.c diff_lines): a header,
	 * the first note, the old and kept records, the new one (or the
	 * request), the further new ones. */
	for (i = 0; i < m->nchanges; i++) {
		const struct aw_tui_change *c = &m->changes[i];

		n += 1 + (c->notes.n > 0) + c->old.n + c->keep.n + c->more.n;
		if (c->op == AW_TUI_REQUEST || (c->value != NULL &&
		    (c->op != AW_TUI_REPLACE || aw_strv_find(&c->keep, c->value) < 0)))
			n++;
	}
	return n;
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

	for (i = 0; i < m->nchanges; i++)
		if (m->changes[i].state != AW_TUI_PENDING)
			started = true;
	if (!started)
		return NULL;
	aw_buf_init(&b);
	aw_buf_printf(&b, _("Changes to %s:\n"), m->domain ? m->domain : "");
	for (i = 0; i < m->nchanges; i++) {
		const struct aw_tui_change *c = &m->changes[i];
		const char *what;
		char *esc;

		switch (c->state) {
		case AW_TUI_DONE: what = _("applied"); break;
		case AW_TUI_FAILED: what = _("FAILED"); break;
		case AW_TUI_RUNNING: what = _("unknown (interrupted while sending)"); break;
		case AW_TUI_SKIPPED: what = _("skipped"); break;
		default: what = _("not applied"); break;
		}
		esc = aw_str_escape_dup(c->name, strlen(c->name), 256);
		aw_buf_printf(&b, "  %-12s %s %s", what, esc ? esc : "",
		    aw_record_type_name(c->type));
		free(esc);
		if (c->message != NULL && c->op != AW_TUI_REQUEST) {
			esc = aw_str_escape_dup(c->message, strlen(c->message), 300);
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
			for (i = 0; i < m->nchanges; i++)
				m->changes[i].state = m->changes[i].op == AW_TUI_REQUEST ?
				    AW_TUI_SKIPPED : AW_TUI_PENDING;
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
		if (!m->target_locked && ev->type == AW_EV_UP && m->target > 0)
			m->target--;
		else if (!m->target_locked && ev->type == AW_EV_DOWN &&
		    m->target + 1 < AW_TARGET_COUNT)
			m->target++;
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
		{
			size_t nap = 0;

			for (i = 0; i < m->nchanges; i++)
				if (m->changes[i].op != AW_TUI_REQUEST)
					nap++;
			if (nap == 0) {
				tm_set_error(m, _("nothing to apply: the records are as chosen"));
				return AW_FX_REDRAW;
			}
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
/* The plan replaces the changes worked out from DNS; the requests (PTR at
 * the IP's owner) stay after them. */
unsigned
tm_on_plan(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	struct aw_tui_change *all;
	size_t i, nreq = 0, n;
	bool was_planning = m->planning;

	m->planning = false;
	m->plan_ready = true;
	preflight_reset(m);
	if (!ev->ok && m->target == AW_TARGET_SHOW) {
		/* Issue 13: no host to ask, but the records shown are checked
		 * all the same: the preflight over the plan made from what
		 * DNS said (tui/apply.h aw_tui_plan_offline). */
		aw_tui_changes_free(ev->changes, ev->nchanges);
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
		aw_tui_changes_free(ev->changes, ev->nchanges);
		m->plan_target = -1;
		if (ev->text != NULL)
			tm_set_error(m, ev->text);
		return AW_FX_REDRAW;
	}
	for (i = 0; i < m->nchanges; i++)
		if (m->changes[i].op == AW_TUI_REQUEST)
			nreq++;
	n = ev->nchanges + nreq;
	all = calloc(n ? n : 1, sizeof *all);
	if (all == NULL) {
		aw_tui_changes_free(ev->changes, ev->nchanges);
		tm_set_error(m, _("out of memory"));
		return AW_FX_REDRAW;
	}
	if (ev->nchanges > 0)
		memcpy(all, ev->changes, ev->nchanges * sizeof *all);
	free(ev->changes);
	n = ev->nchanges;
	for (i = 0; i < m->nchanges; i++) {
		size_t k;
		bool planned = false;

		if (m->changes[i].op != AW_TUI_REQUEST)
			continue;
		/* The host holds the reverse zone: the PTR is in its plan and
		 * the request to the IP's owner is not needed. */
		for (k = 0; k < ev->nchanges; k++)
			if (all[k].type == AW_RECORD_PTR &&
			    aw_domain_equal(all[k].name, m->changes[i].name))
				planned = true;
		if (planned)
			continue;
		all[n++] = m->changes[i];
		memset(&m->changes[i], 0, sizeof m->changes[i]);
	}
	tm_changes_free(m);
	m->changes = all;
	m->nchanges = n;
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
	aw_tui_model_build_changes(m);
	m->plan_ready = false;
	m->plan_target = -1;
	tm_set_str(&m->plan_text, NULL);
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
