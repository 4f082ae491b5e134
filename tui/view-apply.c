/* view-apply.c: the apply (or the zone-file lines of the show target)
 * and the recheck, drawn (their model: model-apply.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "tui/view-int.h"

/* ---- apply ---- */

/* "Show the records" at a host found from NS: each record the way its
 * web form wants it (name, type, value), above the zone-file lines.
 * Returns the next free line. */
static int
draw_show_form(const struct aw_tui_model *m, int y, int bottom)
{
	struct aw_strv lines;
	char buf[300];
	size_t i, k;

	if (m->dns_host == NULL)
		return y;
	aw_strv_init(&lines);
	for (i = 0; i < m->plan.nchanges; i++)
		aw_tui_change_form_lines(m, &m->plan.changes[i], &lines);
	if (lines.n == 0) {
		aw_strv_done(&lines);
		return y;
	}
	snprintf(buf, sizeof buf, _("In %s's form (name, type, value):"),
	    m->dns_host->name);
	tv_label(y, 2, buf);
	y += 2;
	for (k = 0; k < lines.n && y < bottom; k++)
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y, lines.v[k],
		    A_BOLD);
	aw_strv_done(&lines);
	return y + 1;
}

static void
draw_apply(const struct aw_tui_model *m)
{
	int y = aw_view_top(), bottom = aw_view_bottom();
	size_t i, start;
	char buf[300];

	if (m->target == AW_TARGET_SHOW) {
		y = draw_show_form(m, y, bottom);
		tv_label(y, 2, _("Add these records at your DNS host (zone-file lines):"));
		y += 2;
		start = m->scroll < m->plan.nchanges + m->nrequests ? m->scroll : 0;
		for (i = start; i < m->plan.nchanges + m->nrequests && y < bottom; i++) {
			const struct aw_change *c;
			struct aw_strv gone, kept, came;
			size_t k;

			if (i >= m->plan.nchanges) {
				y += aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y,
				    m->requests[i - m->plan.nchanges].text,
				    aw_view_attr(AW_ROLE_WARN));
				continue;
			}
			c = &m->plan.changes[i];
			aw_tui_change_split(c, &gone, &kept, &came);
			if (gone.n > 0) {
				snprintf(buf, sizeof buf, _("; replaces the %s record(s) at %s"),
				    aw_record_type_name(c->old.type), c->old.name);
				aw_view_put(stdscr, y++, 2, COLS - 4, buf,
				    aw_view_attr(AW_ROLE_DIM));
			}
			/* A delete is one line; else one per new record. */
			for (k = 0; k < (c->kind == AW_CHANGE_DELETE ? 1 : came.n) &&
			    y < bottom; k++) {
				char *line = aw_tui_change_zone_line(c,
				    k < came.n ? came.v[k] : NULL);

				y += aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y,
				    line, A_BOLD);
				free(line);
			}
			aw_strv_done(&gone);
			aw_strv_done(&kept);
			aw_strv_done(&came);
		}
		return;
	}
	if (m->applying)
		snprintf(buf, sizeof buf, _("%c Applying to %s: %zu of %zu done"),
		    tv_spinner[m->tick % 4], _(aw_tui_targets[m->target].name),
		    m->napplied + m->nfailed, m->plan.nchanges + m->nrequests);
	else
		snprintf(buf, sizeof buf, _("Done at %s: %zu applied, %zu failed."),
		    _(aw_tui_targets[m->target].name), m->napplied, m->nfailed);
	tv_label(y, 2, buf);
	y++;
	if (!m->applying && (m->napplied > 0 || m->nfailed > 0) && m->domain) {
		/* The journal was written before the first change. */
		snprintf(buf, sizeof buf,
		    _("The old values are in the journal: '%s undo %s' puts them back."),
		    "authwizard", m->domain);
		aw_view_put(stdscr, y, 2, COLS - 4, buf, aw_view_attr(AW_ROLE_DIM));
	}
	y++;
	start = m->scroll < m->plan.nchanges + m->nrequests ? m->scroll : 0;
	for (i = start; i < m->plan.nchanges + m->nrequests && y < bottom; i++) {
		const struct aw_change *c = i < m->plan.nchanges ?
		    &m->plan.changes[i] : NULL;
		const struct aw_tui_change_state *cs = c != NULL ?
		    &m->cstate[i] : NULL;
		const char *what;
		enum aw_view_role role;

		switch (cs != NULL ? cs->state : AW_TUI_SKIPPED) {
		case AW_TUI_DONE: what = _("applied"); role = AW_ROLE_OK; break;
		case AW_TUI_FAILED: what = _("FAILED"); role = AW_ROLE_ERROR; break;
		case AW_TUI_RUNNING: what = _("sending"); role = AW_ROLE_WARN; break;
		case AW_TUI_SKIPPED:
			what = c == NULL ? _("request") : _("unchanged");
			role = AW_ROLE_DIM;
			break;
		default: what = _("waiting"); role = AW_ROLE_DIM; break;
		}
		aw_view_put(stdscr, y, 2, 12, what, aw_view_attr(role) | A_BOLD);
		if (c != NULL)
			snprintf(buf, sizeof buf, "%s %s %s", tv_op_word(c->kind),
			    aw_record_type_name(c->old.type), c->old.name);
		else
			snprintf(buf, sizeof buf, "%s %s %s", _("request"),
			    aw_record_type_name(AW_RECORD_PTR),
			    m->requests[i - m->plan.nchanges].name);
		aw_view_put(stdscr, y++, 16, COLS - 18, buf, A_NORMAL);
		if (cs != NULL && cs->message != NULL && cs->state == AW_TUI_FAILED)
			y += aw_view_wrap(stdscr, y, 16, COLS - 18, 2, cs->message,
			    aw_view_attr(AW_ROLE_ERROR));
	}
}

/* ---- recheck ---- */

static void
draw_recheck(const struct aw_tui_model *m)
{
	int y = aw_view_top(), bottom = aw_view_bottom();
	size_t i, seen = 0, n = 0;
	char buf[300];

	for (i = 0; i < m->plan.nchanges; i++) {
		n++;
		if (m->cstate[i].recheck == 1)
			seen++;
	}
	snprintf(buf, sizeof buf, _("Published: %zu of %zu (round %u)%s"), seen, n,
	    m->recheck_rounds, m->rechecking ? "  ..." : "");
	tv_label(y, 2, buf);
	y += 2;
	/* The DNS host's own state of the change (Route 53 GetChange):
	 * PENDING until every one of its servers has it, then INSYNC. */
	for (i = 0; i < m->nhosts && y < bottom; i++) {
		const struct aw_tui_host_state *h = &m->hosts[i];
		int x = 2;

		snprintf(buf, sizeof buf, "%s: ", h->label);
		x += aw_view_put(stdscr, y, x, COLS - x - 2, buf, A_NORMAL);
		x += aw_view_put(stdscr, y, x, COLS - x - 2, h->state != NULL ?
		    h->state : _("asking"), aw_view_attr(h->synced ? AW_ROLE_OK :
		    h->state != NULL ? AW_ROLE_WARN : AW_ROLE_DIM) | A_BOLD);
		/* Synced without its word: it could not be asked (the
		 * servers tell then). */
		if (h->state != NULL && x + 2 < COLS - 2 &&
		    (!h->synced || strcmp(h->state, "INSYNC") == 0))
			aw_view_put(stdscr, y, x + 2, COLS - x - 4, h->synced ?
			    _("every server of the DNS host has it") :
			    _("not on every server of the DNS host yet"),
			    aw_view_attr(AW_ROLE_DIM));
		y++;
		if (i + 1 == m->nhosts)
			y++;
	}
	/* A bogus answer (the dnssec area, asked again by the recheck):
	 * validating resolvers refuse it, published or not. */
	if (m->dnssec_bogus && m->dnssec_line != NULL && y + 1 < bottom) {
		snprintf(buf, sizeof buf, _("DNSSEC: an answer is bogus (%s): validating resolvers refuse it and do not see the changes"),
		    m->dnssec_line);
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, 2, buf,
		    aw_view_attr(AW_ROLE_ERROR) | A_BOLD) + 1;
	}
	for (i = 0; i < m->plan.nchanges && y < bottom; i++) {
		const struct aw_change *pc = &m->plan.changes[i];
		const struct aw_tui_change_state *c = &m->cstate[i];
		const char *what;
		enum aw_view_role role;

		if (c->recheck == 1) {
			what = pc->kind == AW_CHANGE_DELETE ? _("gone") : _("published");
			role = AW_ROLE_OK;
		} else if (c->rc_old) {
			what = _("old value");
			role = AW_ROLE_WARN;
		} else if (c->recheck == 0) {
			what = _("not yet");
			role = AW_ROLE_WARN;
		} else {
			what = _("checking");
			role = AW_ROLE_DIM;
		}
		aw_view_put(stdscr, y, 2, 12, what, aw_view_attr(role) | A_BOLD);
		if (c->rc_servers > 0)
			snprintf(buf, sizeof buf, _("%u of %u servers"), c->rc_matched,
			    c->rc_servers);
		else if (c->recheck >= 0)
			/* Asked through the resolvers (a deletion): no server
			 * count to give, but where it was asked (issue 14). */
			snprintf(buf, sizeof buf, "%s", _("at the resolvers"));
		else
			buf[0] = '\0';
		aw_view_put(stdscr, y, 16, 18, buf, aw_view_attr(AW_ROLE_DIM));
		snprintf(buf, sizeof buf, "%s %s %s", tv_op_word(pc->kind),
		    aw_record_type_name(pc->old.type), pc->old.name);
		aw_view_put(stdscr, y++, 36, COLS - 38, buf, A_NORMAL);
	}
	/* The MTA-STS step's policy, fetched as a sender would once its
	 * record is published (model-mtasts.c). */
	if ((m->mtasts.fetching || m->mtasts.served >= 0) && y + 1 < bottom) {
		const struct aw_tui_mtasts *s = &m->mtasts;

		y++;
		aw_view_put(stdscr, y++, 2, COLS - 4, s->fetching ?
		    _("MTA-STS policy: fetching ...") : s->served == 1 &&
		    s->served_same ? _("MTA-STS policy: served, as written") :
		    s->served == 1 ? _("MTA-STS policy: served, but not the one written (or another id)") :
		    _("MTA-STS policy: not served yet"),
		    aw_view_attr(s->fetching ? AW_ROLE_DIM : s->served == 1 &&
		    s->served_same ? AW_ROLE_OK : AW_ROLE_WARN) | A_BOLD);
		if (!s->fetching && s->served_why != NULL && y < bottom)
			y += aw_view_wrap(stdscr, y, 4, COLS - 6, 2, s->served_why,
			    aw_view_attr(AW_ROLE_DIM));
	}
	if (aw_tui_model_all_published(m) && y + 1 < bottom)
		aw_view_wrap(stdscr, y + 1, 2, COLS - 4, 2,
		    _("Every change is published. Esc shows a fresh overview."),
		    aw_view_attr(AW_ROLE_OK) | A_BOLD);
}

const struct tv_screen tv_screen_apply = { draw_apply };

const struct tv_screen tv_screen_recheck = { draw_recheck };
