/* view-overview.c: the domain and overview screens drawn (their models:
 * model.c screen_domain, model-overview.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "tui/view-int.h"

/* ---- domain ---- */

static void
draw_domain(const struct aw_tui_model *m)
{
	int y = aw_view_top() + 1;

	y += aw_view_wrap(stdscr, y, 2, COLS - 4, 3,
	    _("authwizard sets up your domain's email authentication: SPF, DKIM, DMARC and reverse DNS. It first checks what is published now; nothing changes until you confirm."),
	    A_NORMAL);
	y++;
	tv_label(y, 2, _("Domain:"));
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
				    tv_spinner[m->tick % 4], row->finished, row->sections);
			else
				snprintf(buf, sizeof buf, "%c", tv_spinner[m->tick % 4]);
			aw_view_put(stdscr, y, xs, 11, buf, a | aw_view_attr(AW_ROLE_DIM));
			aw_view_put(stdscr, y, xd, COLS - xd - 1, _("checking"), a);
		} else {
			aw_view_put(stdscr, y, xs, 11, tv_status_word(row->status),
			    sel ? a : aw_view_attr(aw_view_status_role(row->status)) | A_BOLD);
			aw_view_put(stdscr, y, xd, COLS - xd - 1,
			    row->summary ? row->summary : "", a);
		}
		y++;
	}
	/* DNSSEC per area (model-dnssec.c), when its own run answered. */
	if (m->dnssec_line != NULL) {
		int w = aw_view_put(stdscr, y, 2, 18, _("DNSSEC"), A_BOLD);

		aw_view_put(stdscr, y++, 2 + w + 1 > xs ? 2 + w + 1 : xs,
		    COLS - xs - 1, m->dnssec_line, aw_view_attr(m->dnssec_bogus ?
		    AW_ROLE_ERROR : AW_ROLE_NORMAL));
	}
	y++;
	cur = &m->rows[m->row_cursor];
	if (y < bottom && cur->details.n > 0) {
		size_t i;

		tv_label(y++, 2, aw_tui_row_title((enum aw_tui_row)m->row_cursor));
		for (i = 0; i < cur->details.n && y < bottom; i++)
			y += aw_view_wrap(stdscr, y, 4, COLS - 6, bottom - y,
			    cur->details.v[i], A_NORMAL);
	}
	y++;
	/* The mailbox providers' sender rules (issue 19): one line and
	 * where each rule is listed, below the row's details (they come
	 * first on a small terminal). */
	if (m->req_known && m->req_line != NULL && y + 1 < bottom) {
		int w = aw_view_put(stdscr, y, 2, COLS - 4,
		    _("Gmail/Yahoo/Outlook.com sender rules:"), A_BOLD);

		aw_view_put(stdscr, y, 2 + w + 1, COLS - w - 5, m->req_line,
		    aw_view_attr(m->req.nfailing > 0 ? AW_ROLE_ERROR :
		    AW_ROLE_OK));
		aw_view_put(stdscr, y + 1, 4, COLS - 6,
		    _("authwizard check --requirements lists each rule with its source."),
		    aw_view_attr(AW_ROLE_DIM));
	}
}

const struct tv_screen tv_screen_domain = { draw_domain };

const struct tv_screen tv_screen_overview = { draw_overview };
