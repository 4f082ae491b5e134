/* view-screens.c: one draw function per screen (ncdu-style), dispatched
 * from a table. They read the model and draw; keys go to the model. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "checks/spf.h"
#include "tui/view-int.h"

/* A pulse, in characters the escaping of drawn text leaves alone (a
 * backslash would be drawn as two). */
static const char spinner[] = ".oOo";

static const char *
status_word(enum aw_check_status s)
{
	switch (s) {
	case AW_CHECK_OK: return _("ok");
	case AW_CHECK_WARNING: return _("warning");
	case AW_CHECK_ERROR: return _("error");
	case AW_CHECK_MISSING: return _("missing");
	default: return _("checking");
	}
}

static void
label(int y, int x, const char *text)
{
	aw_view_put(stdscr, y, x, COLS - x - 1, text, aw_view_attr(AW_ROLE_HEAD));
}

/* Columns a text takes (characters; the labels here are ours). */
static int
text_cols(const char *s)
{
	int n = (int)mbstowcs(NULL, s, 0);

	return n < 0 ? (int)strlen(s) : n;
}

/* ---- domain ---- */

static void
draw_domain(const struct aw_tui_model *m)
{
	int y = aw_view_top() + 1;

	y += aw_view_wrap(stdscr, y, 2, COLS - 4, 3,
	    _("authwizard sets up your domain's email authentication: SPF, DKIM, DMARC and reverse DNS. It first checks what is published now; nothing changes until you confirm."),
	    A_NORMAL);
	y++;
	label(y, 2, _("Domain:"));
	aw_view_field(y + 1, 2, COLS - 6 > 60 ? 60 : COLS - 6, &m->domain_field,
	    true);
}

/* ---- overview ---- */

static void
draw_overview(const struct aw_tui_model *m)
{
	const struct aw_tui_row_state *cur;
	int y = aw_view_top(), bottom = aw_view_bottom(), r, xs = 22, xd = 34;
	char buf[64];

	aw_view_put(stdscr, y, 2, COLS - 4, _("Email authentication of the domain as published now:"),
	    A_NORMAL);
	y++;
	if (m->dns_down)
		aw_view_wrap(stdscr, y, 2, COLS - 4, 2,
		    _("No answer from DNS: the network is down or the DNS servers cannot be reached. Check the connection or --dns-server, then press r."),
		    aw_view_attr(AW_ROLE_ERROR));
	else if (m->check_running)
		aw_view_put(stdscr, y, 2, COLS - 4, _("Checking..."),
		    aw_view_attr(AW_ROLE_DIM));
	else
		aw_view_wrap(stdscr, y, 2, COLS - 4, 2,
		    _("Enter on a row sets that area up; the steps then go on in order."),
		    aw_view_attr(AW_ROLE_DIM));
	y += 3;
	aw_view_put(stdscr, y, 2, 18, _("Area"), A_BOLD | A_UNDERLINE);
	aw_view_put(stdscr, y, xs, 10, _("State"), A_BOLD | A_UNDERLINE);
	aw_view_put(stdscr, y, xd, COLS - xd - 1, _("What was found"),
	    A_BOLD | A_UNDERLINE);
	y++;
	for (r = 0; r < AW_ROW_COUNT; r++) {
		const struct aw_tui_row_state *row = &m->rows[r];
		bool sel = (size_t)r == m->row_cursor;
		attr_t a = sel ? aw_view_attr(AW_ROLE_CURSOR) : A_NORMAL;

		if (sel) {
			attron(a);
			mvhline(y, 0, ' ', COLS);
			attroff(a);
		}
		aw_view_put(stdscr, y, 0, 2, sel ? ">" : " ", a);
		aw_view_put(stdscr, y, 2, xs - 3, aw_tui_row_title((enum aw_tui_row)r),
		    a | A_BOLD);
		if (row->status == AW_CHECK_PENDING) {
			if (row->sections > 0)
				snprintf(buf, sizeof buf, "%c %u/%u",
				    spinner[m->tick % 4], row->finished, row->sections);
			else
				snprintf(buf, sizeof buf, "%c", spinner[m->tick % 4]);
			aw_view_put(stdscr, y, xs, 11, buf, a | aw_view_attr(AW_ROLE_DIM));
			aw_view_put(stdscr, y, xd, COLS - xd - 1, _("checking"), a);
		} else {
			aw_view_put(stdscr, y, xs, 11, status_word(row->status),
			    sel ? a : aw_view_attr(aw_view_status_role(row->status)) | A_BOLD);
			aw_view_put(stdscr, y, xd, COLS - xd - 1,
			    row->summary ? row->summary : "", a);
		}
		y++;
	}
	y++;
	cur = &m->rows[m->row_cursor];
	if (y < bottom && cur->details.n > 0) {
		size_t i;

		label(y++, 2, aw_tui_row_title((enum aw_tui_row)m->row_cursor));
		for (i = 0; i < cur->details.n && y < bottom; i++)
			y += aw_view_wrap(stdscr, y, 4, COLS - 6, bottom - y,
			    cur->details.v[i], A_NORMAL);
	}
}

/* ---- SPF ---- */

static void
draw_spf(const struct aw_tui_model *m)
{
	size_t idx[256], n, i, first = 0;
	int y = aw_view_top(), bottom = aw_view_bottom(), listh, lookups;
	char buf[160];

	n = aw_tui_model_spf_visible(m, idx, 256);
	if (n > 256)
		n = 256;
	snprintf(buf, sizeof buf, _("Services that send mail as %s"),
	    m->domain_unicode ? m->domain_unicode : "");
	label(y, 2, buf);
	if (m->spf_filter.len > 0) {
		snprintf(buf, sizeof buf, _("filter: %s"), m->spf_filter.text);
		aw_view_put(stdscr, y, COLS / 2 + 10, COLS / 2 - 12, buf,
		    aw_view_attr(AW_ROLE_WARN) | A_BOLD);
	}
	y++;
	listh = bottom - y - 9;
	if (listh < 3)
		listh = 3;
	if (m->spf_cursor >= (size_t)listh)
		first = m->spf_cursor - (size_t)listh + 1;
	for (i = first; i < n && (int)(i - first) < listh; i++) {
		const struct aw_tui_sender *s = &m->senders[idx[i]];
		bool sel = i == m->spf_cursor && m->focus == AW_FOCUS_LIST;
		attr_t a = sel ? aw_view_attr(AW_ROLE_CURSOR) : A_NORMAL;

		snprintf(buf, sizeof buf, "%s %s", m->picked[idx[i]] ? "[x]" : "[ ]",
		    s->name);
		if (sel) {
			attron(a);
			mvhline(y, 1, ' ', COLS - 2);
			attroff(a);
		}
		aw_view_put(stdscr, y, 2, 30, buf, a);
		aw_view_put(stdscr, y, 34, COLS - 36,
		    m->spf_light[idx[i]] && s->spf_lighter ? s->spf_lighter : s->spf,
		    a | (sel ? 0 :
		    aw_view_attr(AW_ROLE_DIM)));
		y++;
	}
	if (n == 0)
		aw_view_put(stdscr, y++, 4, COLS - 6, _("(no service matches the filter)"),
		    aw_view_attr(AW_ROLE_DIM));
	if (n > first + (size_t)listh) {
		snprintf(buf, sizeof buf, _("... %zu more (type to filter)"),
		    n - first - (size_t)listh);
		aw_view_put(stdscr, aw_view_top() + 1 + listh, 6, COLS - 8, buf,
		    aw_view_attr(AW_ROLE_DIM));
	}
	y = aw_view_top() + 1 + listh + 1;
	label(y, 2, _("Your own servers (IP, network or host):"));
	aw_view_field(y, 44, COLS - 48 > 30 ? 30 : COLS - 48, &m->spf_own,
	    m->focus == AW_FOCUS_FIELD1);
	y++;
	{
		struct aw_buf b;

		aw_buf_init(&b);
		for (i = 0; i < m->spf_terms.n; i++)
			aw_buf_printf(&b, "%s%s", i ? "  " : "", m->spf_terms.v[i]);
		if (m->spf_terms.n > 0)
			aw_view_put(stdscr, y, 4, COLS - 6, aw_buf_str(&b), A_NORMAL);
		aw_buf_done(&b);
	}
	y += 2;
	label(y, 2, _("Record:"));
	y += aw_view_wrap(stdscr, y, 11, COLS - 13, 5, m->spf_draft ? m->spf_draft : "",
	    A_BOLD);
	lookups = aw_tui_model_spf_count(m);
	/* The text names RFC 7208's limit; the rule is AW_SPF_MAX_LOOKUPS. */
	snprintf(buf, sizeof buf, _("DNS lookups: %d of 10"), lookups);
	aw_view_put(stdscr, y++, 2, COLS - 4, buf,
	    aw_view_attr(lookups > AW_SPF_MAX_LOOKUPS ? AW_ROLE_ERROR :
	    AW_ROLE_OK) | A_BOLD);
	if (m->spf_hint >= 0 && (size_t)m->spf_hint < m->nsenders && y < bottom) {
		const struct aw_tui_sender *s = &m->senders[m->spf_hint];

		snprintf(buf, sizeof buf,
		    _("%s offers the lighter include %s: F2 uses it"), s->name,
		    s->spf_lighter);
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y, buf,
		    aw_view_attr(AW_ROLE_OK) | A_BOLD);
	}
	for (i = 0; i < m->spf_warnings.n && y < bottom; i++)
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y,
		    m->spf_warnings.v[i], aw_view_attr(AW_ROLE_WARN));
}

/* ---- DKIM ---- */

static void
draw_dkim(const struct aw_tui_model *m)
{
	size_t idx[64], n, i;
	const char *names[65];
	int y = aw_view_top(), bottom = aw_view_bottom(), chosen = -1, rows;
	struct aw_strv recs;

	n = aw_tui_model_dkim_visible(m, idx, 64);
	if (n > 64)
		n = 64;
	label(y, 2, _("Which service signs your mail?"));
	if (m->dkim_filter.len > 0) {
		char fb[300];

		snprintf(fb, sizeof fb, _("filter: %s"), m->dkim_filter.text);
		aw_view_put(stdscr, y, COLS / 2 + 10, COLS / 2 - 12, fb,
		    aw_view_attr(AW_ROLE_WARN) | A_BOLD);
	}
	y++;
	for (i = 0; i < m->rows[AW_ROW_DKIM].details.n && i < 2; i++)
		y += aw_view_wrap(stdscr, y, 4, COLS - 6, 2,
		    m->rows[AW_ROW_DKIM].details.v[i], aw_view_attr(AW_ROLE_WARN));
	y++;
	for (i = 0; i < n; i++) {
		names[i] = m->senders[idx[i]].name;
		if ((int)idx[i] == m->dkim_sender)
			chosen = (int)i;
	}
	names[n] = _("Generate a new key (own mail server)");
	if (m->dkim_keygen)
		chosen = (int)n;
	rows = (int)n + 1;
	if (rows > bottom - y - 7)
		rows = bottom - y - 7;
	if (rows < 3)
		rows = 3;
	aw_view_menu(y, 4, rows, 44, names, NULL, (int)n + 1, (int)m->dkim_cursor,
	    chosen, m->focus == AW_FOCUS_LIST);
	/* More entries than lines: say so (issue 14). */
	if ((int)n + 1 > rows) {
		char more[120];

		snprintf(more, sizeof more, _("... %zu more (type to filter)"),
		    (size_t)((int)n + 1 - rows));
		aw_view_put(stdscr, y + rows, 6, COLS - 8, more,
		    aw_view_attr(AW_ROLE_DIM));
	}
	y += rows + 1;
	{
		/* Unknown is not absent: what is not proposed, and why. */
		struct aw_strv why;

		aw_tui_model_dkim_unread(m, &why);
		for (i = 0; i < why.n && y < bottom - 2; i++)
			y += aw_view_wrap(stdscr, y, 2, COLS - 4, 2, why.v[i],
			    aw_view_attr(AW_ROLE_WARN) | A_BOLD);
		aw_strv_done(&why);
	}
	if (m->dkim_keygen) {
		label(y, 2, _("Selector:"));
		aw_view_field(y, 24, 20, &m->dkim_selector, m->focus == AW_FOCUS_FIELD1);
		y += 2;
		aw_view_wrap(stdscr, y, 2, COLS - 4, 2, aw_tui_model_dkim_key_current(m) ? m->dkim_key :
		    _("A 2048-bit RSA key is made when you go on; its private half is stored with mode 0600."),
		    A_NORMAL);
		return;
	}
	if (m->dkim_sender >= 0) {
		const struct aw_tui_sender *s = &m->senders[m->dkim_sender];
		char buf[200];

		if (s->account_label != NULL) {
			/* What the placeholders are (the catalog's words), then
			 * the field: words in that order. */
			snprintf(buf, sizeof buf, "%s:", s->account_label);
			y += aw_view_wrap(stdscr, y, 2, COLS - 4, 2, buf,
			    aw_view_attr(AW_ROLE_HEAD));
			aw_view_field(y, 4, 30, &m->dkim_account,
			    m->focus == AW_FOCUS_FIELD1);
			/* Several values in one field: say how they are told
			 * apart (issue 14). */
			if (s->naccount > 1) {
				snprintf(buf, sizeof buf,
				    _("%zu values: separate them with spaces or commas"),
				    s->naccount);
				aw_view_put(stdscr, y, 36, COLS - 38, buf,
				    aw_view_attr(AW_ROLE_DIM));
			}
			y += 2;
		}
		aw_tui_model_dkim_records(m, &recs);
		label(y++, 2, _("Records:"));
		for (i = 0; i < recs.n && y < bottom; i++)
			aw_view_put(stdscr, y++, 4, COLS - 6, recs.v[i], A_BOLD);
		if (recs.n == 0)
			aw_view_put(stdscr, y++, 4, COLS - 6,
			    _("(type the account part to see them)"),
			    aw_view_attr(AW_ROLE_DIM));
		aw_strv_done(&recs);
	}
}

/* ---- DMARC ---- */

static void
draw_dmarc(const struct aw_tui_model *m)
{
	static const char *const pol[3] = {
		N_("none: only monitor; collect reports (start here)"),
		N_("quarantine: failing mail goes to spam"),
		N_("reject: failing mail is refused"),
	};
	int y = aw_view_top(), bottom = aw_view_bottom(), i, fx, fw;
	size_t k;

	label(y++, 2, _("Policy:"));
	for (i = 0; i < 3; i++) {
		bool on = (int)m->dmarc_policy == i;
		attr_t a = on && m->focus == AW_FOCUS_LIST ?
		    aw_view_attr(AW_ROLE_CURSOR) : A_NORMAL;
		char buf[200];

		snprintf(buf, sizeof buf, "(%s) %s", on ? "*" : " ", _(pol[i]));
		aw_view_put(stdscr, y++, 4, COLS - 6, buf, a);
	}
	y++;
	/* The fields start after the longer label and a space, whatever
	 * its length in the user's language (issue 14). */
	fx = text_cols(_("Aggregate reports to:"));
	if (text_cols(_("Failure reports to:")) > fx)
		fx = text_cols(_("Failure reports to:"));
	fx = fx + 3 > 30 ? fx + 3 : 30;
	fw = COLS - fx - 4 > 44 ? 44 : COLS - fx - 4;
	label(y, 2, _("Aggregate reports to:"));
	aw_view_field(y++, fx, fw, &m->dmarc_rua, m->focus == AW_FOCUS_FIELD1);
	/* A field's error beside it (escaped: it quotes what was typed). */
	if (m->dmarc_field_error[0] != NULL)
		aw_view_put(stdscr, y++, fx, COLS - fx - 2, m->dmarc_field_error[0],
		    aw_view_attr(AW_ROLE_ERROR) | A_BOLD);
	label(y, 2, _("Failure reports to:"));
	aw_view_field(y++, fx, fw, &m->dmarc_ruf, m->focus == AW_FOCUS_FIELD2);
	if (m->dmarc_field_error[1] != NULL)
		aw_view_put(stdscr, y++, fx, COLS - fx - 2, m->dmarc_field_error[1],
		    aw_view_attr(AW_ROLE_ERROR) | A_BOLD);
	y++;
	label(y, 2, _("Record:"));
	y += aw_view_wrap(stdscr, y, 11, COLS - 13, 2,
	    m->dmarc_draft ? m->dmarc_draft : "", A_BOLD);
	for (k = 0; k < m->dmarc_warnings.n && y < bottom; k++)
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, 2, m->dmarc_warnings.v[k],
		    aw_view_attr(AW_ROLE_WARN));
	y++;
	if (y < bottom)
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y,
		    _("The staged path: p=none with reports for 2-4 weeks, fix every legitimate sender they show, then p=quarantine, then p=reject."),
		    aw_view_attr(AW_ROLE_DIM));
	/* Its steps (checks/dmarc.h), a line each, as far as they fit. */
	for (k = 0; k < m->dmarc_staged.n && y < bottom; k++)
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y,
		    m->dmarc_staged.v[k], aw_view_attr(AW_ROLE_DIM));
}

/* ---- PTR/HELO ---- */

static void
draw_ptr(const struct aw_tui_model *m)
{
	int y = aw_view_top(), bottom = aw_view_bottom();
	size_t i;
	char buf[300];

	label(y, 2, _("Sending IP:"));
	aw_view_field(y++, 24, 40, &m->ptr_ip, m->focus == AW_FOCUS_FIELD1);
	label(y, 2, _("HELO name:"));
	aw_view_field(y++, 24, 40, &m->helo, m->focus == AW_FOCUS_FIELD2);
	y++;
	if (m->nips == 0)
		aw_view_put(stdscr, y++, 4, COLS - 6,
		    _("(no sending IPs yet: type one above)"), aw_view_attr(AW_ROLE_DIM));
	for (i = 0; i < m->nips && y < bottom - 4; i++) {
		const struct aw_tui_ip *ip = &m->ips[i];
		bool sel = i == m->ip_cursor && m->focus == AW_FOCUS_LIST;
		attr_t a = sel ? aw_view_attr(AW_ROLE_CURSOR) : A_NORMAL;
		const char *what;
		enum aw_view_role role;

		if (!ip->checked) {
			what = _("checking");
			role = AW_ROLE_DIM;
		} else if (ip->dns_failure) {
			what = _("DNS failure");
			role = AW_ROLE_ERROR;
		} else if (ip->confirmed) {
			what = _("forward-confirmed");
			role = AW_ROLE_OK;
		} else if (ip->ptr != NULL) {
			what = _("PTR does not resolve back");
			role = AW_ROLE_ERROR;
		} else {
			what = _("no PTR");
			role = AW_ROLE_ERROR;
		}
		aw_view_put(stdscr, y, 2, 2, sel ? ">" : " ", a);
		aw_view_put(stdscr, y, 4, 40, ip->ip, a);
		snprintf(buf, sizeof buf, "-> %s", ip->ptr ? ip->ptr : "-");
		aw_view_put(stdscr, y, 46, COLS - 70 > 10 ? COLS - 70 : 10, buf, a);
		aw_view_put(stdscr, y, COLS - 24, 23, what,
		    sel ? a : aw_view_attr(role) | A_BOLD);
		y++;
	}
	if (m->helo_checked != NULL) {
		snprintf(buf, sizeof buf, _("HELO %s resolves to: %s"), m->helo_checked,
		    m->helo_addrs.n ? m->helo_addrs.v[0] : _("nothing"));
		y++;
		aw_view_put(stdscr, y++, 2, COLS - 4, buf,
		    aw_view_attr(m->helo_addrs.n ? AW_ROLE_OK : AW_ROLE_WARN));
	}
	/* The request for the owner of the IP, for the first that needs it. */
	for (i = 0; i < m->nips && y < bottom - 2; i++) {
		char *req = aw_tui_model_ptr_request(m, i);

		if (req == NULL)
			continue;
		y++;
		if (m->target != AW_TARGET_SHOW)
			/* The plan finds out whether the host holds it. */
			snprintf(buf, sizeof buf, _("When %s does not hold the reverse zone of %s, send this to the owner of the IP (hosting or ISP):"),
			    _(aw_tui_targets[m->target].name), m->ips[i].ip);
		else
			snprintf(buf, sizeof buf, _("The reverse zone of %s is not at a supported DNS host: send this to the owner of the IP (hosting or ISP):"),
			    m->ips[i].ip);
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, 2, buf, aw_view_attr(AW_ROLE_HEAD));
		y += aw_view_wrap(stdscr, y, 4, COLS - 6, bottom - y, req, A_NORMAL);
		free(req);
		break;
	}
}

/* ---- review ---- */

static const char *
op_word(enum aw_change_kind k)
{
	switch (k) {
	case AW_CHANGE_CREATE: return _("add");
	case AW_CHANGE_UPDATE: return _("replace");
	case AW_CHANGE_DELETE: return _("delete");
	}
	return "";
}

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

		aw_strv_pushf(out, "@%s %s %s", op_word(c->kind),
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
		    spinner[m->tick % 4]);
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
		    spinner[m->tick % 4], _(aw_tui_targets[m->target].name));
		label(y, 2, buf);
		return;
	}
	if (m->plan.nchanges + m->nrequests == 0)
		snprintf(buf, sizeof buf, "%s", _("Nothing to change: the records are as chosen."));
	else
		snprintf(buf, sizeof buf, P_("%zu change to the zone of %s. Nothing is applied yet.",
		    "%zu changes to the zone of %s. Nothing is applied yet.", n), n,
		    m->domain_unicode ? m->domain_unicode : "");
	label(y, 2, buf);
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
	const char *names[AW_TARGET_COUNT];
	const struct aw_tui_target_info *ti = &aw_tui_targets[m->target];
	int y = aw_view_top(), t, fw = COLS >= 100 ? 36 : 26;
	size_t i;

	label(y++, 2, _("Where is the zone hosted?"));
	y++;
	for (t = 0; t < AW_TARGET_COUNT; t++) {
		names[t] = _(aw_tui_targets[t].name);
	}
	aw_view_menu(y, 4, AW_TARGET_COUNT, COLS - 8, names, NULL, AW_TARGET_COUNT,
	    (int)m->target, m->target_locked ? (int)m->target : -1,
	    m->focus == AW_FOCUS_LIST);
	y += AW_TARGET_COUNT + 1;
	if (ti->ncred > 0)
		label(y++, 2, _("Credentials:"));
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
	if (m->target == AW_TARGET_SHOW)
		aw_view_wrap(stdscr, y, 2, COLS - 4, 3,
		    _("The records are shown as zone-file lines to paste into any DNS host; nothing is sent anywhere."),
		    aw_view_attr(AW_ROLE_DIM));
}

/* ---- apply ---- */

static void
draw_apply(const struct aw_tui_model *m)
{
	int y = aw_view_top(), bottom = aw_view_bottom();
	size_t i, start;
	char buf[300];

	if (m->target == AW_TARGET_SHOW) {
		label(y, 2, _("Add these records at your DNS host (zone-file lines):"));
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
		    spinner[m->tick % 4], _(aw_tui_targets[m->target].name),
		    m->napplied + m->nfailed, m->plan.nchanges + m->nrequests);
	else
		snprintf(buf, sizeof buf, _("Done at %s: %zu applied, %zu failed."),
		    _(aw_tui_targets[m->target].name), m->napplied, m->nfailed);
	label(y, 2, buf);
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
			snprintf(buf, sizeof buf, "%s %s %s", op_word(c->kind),
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
	label(y, 2, buf);
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
		snprintf(buf, sizeof buf, "%s %s %s", op_word(pc->kind),
		    aw_record_type_name(pc->old.type), pc->old.name);
		aw_view_put(stdscr, y++, 36, COLS - 38, buf, A_NORMAL);
	}
	if (aw_tui_model_all_published(m) && y + 1 < bottom)
		aw_view_wrap(stdscr, y + 1, 2, COLS - 4, 2,
		    _("Every change is published. Esc shows a fresh overview."),
		    aw_view_attr(AW_ROLE_OK) | A_BOLD);
}

static void (*const draws[AW_SCR_COUNT])(const struct aw_tui_model *) = {
	[AW_SCR_DOMAIN] = draw_domain,
	[AW_SCR_OVERVIEW] = draw_overview,
	[AW_SCR_SPF] = draw_spf,
	[AW_SCR_DKIM] = draw_dkim,
	[AW_SCR_DMARC] = draw_dmarc,
	[AW_SCR_PTR] = draw_ptr,
	[AW_SCR_REVIEW] = draw_review,
	[AW_SCR_TARGET] = draw_target,
	[AW_SCR_APPLY] = draw_apply,
	[AW_SCR_RECHECK] = draw_recheck,
};

void
aw_view_draw_screen(const struct aw_tui_model *m)
{
	if (m->screen < AW_SCR_COUNT && draws[m->screen] != NULL)
		draws[m->screen](m);
}
