/* view-dkim.c: the DKIM step drawn (its model: model-dkim.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "tui/view-int.h"

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
	tv_label(y, 2, _("Which service signs your mail?"));
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
		tv_label(y, 2, _("Selector:"));
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
		tv_label(y++, 2, _("Records:"));
		for (i = 0; i < recs.n && y < bottom; i++)
			aw_view_put(stdscr, y++, 4, COLS - 6, recs.v[i], A_BOLD);
		if (recs.n == 0)
			aw_view_put(stdscr, y++, 4, COLS - 6,
			    _("(type the account part to see them)"),
			    aw_view_attr(AW_ROLE_DIM));
		aw_strv_done(&recs);
	}
}

const struct tv_screen tv_screen_dkim = { draw_dkim };
