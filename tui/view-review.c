/* view-review.c: the review (the plan's changes as a diff, the
 * review's checks) and where to apply, drawn (their model:
 * model-review.c, model-plan.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "tui/view-int.h"

/* ---- review ---- */

/* The diff as lines: a header per change, "- old", "  kept", "+ new";
 * then the requests to IP owners. */
static void
diff_lines(const struct aw_tui_model *m, struct aw_strv *out)
{
	size_t i, k;

	aw_strv_init(out);
	for (i = 0; i < m->plan.nchanges; i++) {
		const struct aw_change *c = &m->plan.changes[i];
		struct aw_strv gone, kept, came;

		aw_strv_pushf(out, "@%s %s %s", tv_op_word(c->kind),
		    aw_record_type_name(c->old.type), c->old.name);
		/* The plan's first note says what happens ("2 SPF records
		 * merged"); the per-term origins are for `authwizard plan`. */
		if (c->notes.n > 0)
			aw_strv_pushf(out, "# %s", c->notes.v[0]);
		aw_tui_change_split(c, &gone, &kept, &came);
		for (k = 0; k < gone.n; k++)
			aw_strv_pushf(out, "- %s", gone.v[k]);
		for (k = 0; k < kept.n; k++)
			aw_strv_pushf(out, "  %s", kept.v[k]);
		for (k = 0; k < came.n; k++)
			aw_strv_pushf(out, "+ %s", came.v[k]);
		aw_strv_done(&gone);
		aw_strv_done(&kept);
		aw_strv_done(&came);
	}
	for (i = 0; i < m->nrequests; i++) {
		aw_strv_pushf(out, "@%s %s %s", _("request"),
		    aw_record_type_name(AW_RECORD_PTR), m->requests[i].name);
		aw_strv_pushf(out, "! %s", _("ask the owner of the IP (see the PTR/HELO step)"));
	}
}

/* What the review's checks and the preflight of the zone as it will be
 * say, each with its severity; a weakening (a code with "weaken") is
 * said in words first. Matched by code, never by text. */
static int
review_findings(const struct aw_tui_model *m, int y, int bottom)
{
	const struct aw_findings *f = aw_tui_model_review_findings(m);
	char buf[1200];
	size_t i;

	if (m->preflight_state == AW_TUI_PF_RUNNING && y < bottom - 2) {
		snprintf(buf, sizeof buf, _("%c Checking the zone as it will be..."),
		    tv_spinner[m->tick % 4]);
		aw_view_put(stdscr, y++, 2, COLS - 4, buf, aw_view_attr(AW_ROLE_DIM));
	}
	/* Errors first: on a small screen the findings take at most half
	 * of the rows left (the caller's bottom), the diff the rest. */
	for (i = 0; i < 3 * f->nitems && y < bottom - 2; i++) {
		const struct aw_finding *it = &f->items[i % f->nitems];
		const char *sev;

		if ((int)it->severity != (i / f->nitems == 0 ? AW_SEV_ERROR :
		    i / f->nitems == 1 ? AW_SEV_WARNING : AW_SEV_NOTE))
			continue;
		sev = it->severity == AW_SEV_ERROR ? _("error") :
		    it->severity == AW_SEV_WARNING ? _("warning") : _("note");

		/* aw_view_wrap escapes what it draws. */
		if (strstr(it->code, "weaken") != NULL)
			snprintf(buf, sizeof buf, _("%s: this change weakens the domain's protection against forged mail: %s"),
			    sev, it->message);
		else
			snprintf(buf, sizeof buf, "%s: %s", sev, it->message);
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, 3, buf,
		    aw_view_attr(it->severity == AW_SEV_ERROR ? AW_ROLE_ERROR :
		    it->severity == AW_SEV_WARNING ? AW_ROLE_WARN : AW_ROLE_DIM) |
		    (it->severity == AW_SEV_NOTE ? 0 : A_BOLD));
	}
	if (m->preflight_state == AW_TUI_PF_DONE && f->status != AW_CHECK_ERROR &&
	    y < bottom - 2)
		aw_view_put(stdscr, y++, 2, COLS - 4,
		    _("The zone as it will be passes the checks of `authwizard check`."),
		    aw_view_attr(AW_ROLE_DIM));
	return y;
}

static void
draw_review(const struct aw_tui_model *m)
{
	struct aw_strv lines;
	int y = aw_view_top(), bottom = aw_view_bottom();
	size_t i, n = m->plan.nchanges, first;
	char buf[200];

	if (m->planning) {
		snprintf(buf, sizeof buf, _("%c Asking %s what the zone holds now..."),
		    tv_spinner[m->tick % 4], _(aw_tui_targets[m->target].name));
		tv_label(y, 2, buf);
		return;
	}
	if (m->plan.nchanges + m->nrequests == 0)
		snprintf(buf, sizeof buf, "%s", _("Nothing to change: the records are as chosen."));
	else
		snprintf(buf, sizeof buf, P_("%zu change to the zone of %s. Nothing is applied yet.",
		    "%zu changes to the zone of %s. Nothing is applied yet.", n), n,
		    m->domain_unicode ? m->domain_unicode : "");
	tv_label(y, 2, buf);
	y++;
	if (m->plan_target >= 0 && m->plan_target < AW_TARGET_SHOW)
		snprintf(buf, sizeof buf, _("The plan at %s: what it holds now (-) and what it will hold (+)."),
		    _(aw_tui_targets[m->plan_target].name));
	else
		snprintf(buf, sizeof buf, "%s", _("Worked out from what DNS answers now (-) and your choices (+)."));
	aw_view_put(stdscr, y++, 2, COLS - 4, buf, aw_view_attr(AW_ROLE_DIM));
	if (m->plan_text != NULL)
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, 2, m->plan_text,
		    aw_view_attr(AW_ROLE_WARN));
	y = review_findings(m, y, y + (bottom - y) / 2 + 2);
	y++;
	diff_lines(m, &lines);
	/* Scrolled past the end: the last line stays in view (never back to
	 * the top). */
	first = m->scroll < lines.n ? m->scroll : lines.n > 0 ? lines.n - 1 : 0;
	if (first > 0 && y < bottom) {
		snprintf(buf, sizeof buf, P_("↑ %zu more line (Up: scroll)",
		    "↑ %zu more lines (Up: scroll)", first), first);
		aw_view_put(stdscr, y++, 2, COLS - 4, buf, aw_view_attr(AW_ROLE_DIM));
	}
	for (i = first; i < lines.n && y < bottom - 1; i++) {
		const char *l = lines.v[i];
		enum aw_view_role role = AW_ROLE_NORMAL;

		if (l[0] == '@') {
			aw_view_put(stdscr, y++, 2, COLS - 4, l + 1, A_BOLD);
			continue;
		}
		if (l[0] == '-')
			role = AW_ROLE_ERROR;
		else if (l[0] == '+')
			role = AW_ROLE_OK;
		else if (l[0] == ' ' || l[0] == '#')
			role = AW_ROLE_DIM;
		else
			role = AW_ROLE_WARN;
		y += aw_view_wrap(stdscr, y, 4, COLS - 6, bottom - 1 - y, l,
		    aw_view_attr(role));
	}
	if (i < lines.n) {
		snprintf(buf, sizeof buf, P_("↓ %zu more line (Down: scroll)",
		    "↓ %zu more lines (Down: scroll)", lines.n - i), lines.n - i);
		aw_view_put(stdscr, bottom - 1, 2, COLS - 4, buf,
		    aw_view_attr(AW_ROLE_DIM));
	}
	aw_strv_done(&lines);
}

/* ---- where to apply ---- */

static void
draw_target(const struct aw_tui_model *m)
{
	const char *names[AW_TARGET_MAX];
	const struct aw_tui_target_info *ti = &aw_tui_targets[m->target];
	int y = aw_view_top(), t, fw = COLS >= 100 ? 36 : 26;
	size_t i;

	tv_label(y++, 2, _("Where is the zone hosted?"));
	if (m->dns_host != NULL) {
		char buf[300];

		snprintf(buf, sizeof buf,
		    _("Its name servers are %s's: preselected below."),
		    m->dns_host->name);
		aw_view_put(stdscr, y, 4, COLS - 6, buf,
		    aw_view_attr(AW_ROLE_DIM));
	} else if (m->dns_host_mixed) {
		aw_view_put(stdscr, y, 4, COLS - 6,
		    _("Its name servers belong to several DNS hosts."),
		    aw_view_attr(AW_ROLE_DIM));
	}
	y++;
	for (t = 0; t < AW_TARGET_COUNT; t++) {
		names[t] = _(aw_tui_targets[t].name);
	}
	aw_view_menu(y, 4, AW_TARGET_COUNT, COLS - 8, names, NULL, AW_TARGET_COUNT,
	    (int)m->target, m->target_locked ? (int)m->target : -1,
	    m->focus == AW_FOCUS_LIST);
	y += AW_TARGET_COUNT + 1;
	if (ti->ncred > 0)
		tv_label(y++, 2, _("Credentials:"));
	for (i = 0; i < ti->ncred; i++) {
		char buf[200];

		snprintf(buf, sizeof buf, "%s", _(ti->cred[i].label));
		aw_view_put(stdscr, y, 4, 22, buf, A_BOLD);
		aw_view_field(y, 28, fw, &m->cred[m->target][i],
		    m->focus == (enum aw_tui_focus)(AW_FOCUS_FIELD1 + i));
		if (m->cred_from_env[m->target][i])
			snprintf(buf, sizeof buf, _("from $%s"), ti->cred[i].env);
		else if (ti->cred[i].secret && m->cred[m->target][i].len > 0)
			snprintf(buf, sizeof buf, "%s", _("typed (hidden)"));
		else
			snprintf(buf, sizeof buf, _("or set $%s"), ti->cred[i].env);
		aw_view_put(stdscr, y, 30 + fw, COLS - 31 - fw, buf,
		    aw_view_attr(AW_ROLE_DIM));
		y++;
	}
	if (m->target == AW_TARGET_SHOW && m->dns_host != NULL) {
		char buf[400];

		snprintf(buf, sizeof buf,
		    _("The records are shown the way %s's form wants them, and as zone-file lines; nothing is sent anywhere."),
		    m->dns_host->name);
		aw_view_wrap(stdscr, y, 2, COLS - 4, 3, buf,
		    aw_view_attr(AW_ROLE_DIM));
	} else if (m->target == AW_TARGET_SHOW)
		aw_view_wrap(stdscr, y, 2, COLS - 4, 3,
		    _("The records are shown as zone-file lines to paste into any DNS host; nothing is sent anywhere."),
		    aw_view_attr(AW_ROLE_DIM));
}

const struct tv_screen tv_screen_review = { draw_review };

const struct tv_screen tv_screen_target = { draw_target };
