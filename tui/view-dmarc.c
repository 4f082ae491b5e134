/* view-dmarc.c: the DMARC step drawn (its model: model-dmarc.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "tui/view-int.h"

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

	tv_label(y++, 2, _("Policy:"));
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
	fx = tv_text_cols(_("Aggregate reports to:"));
	if (tv_text_cols(_("Failure reports to:")) > fx)
		fx = tv_text_cols(_("Failure reports to:"));
	fx = fx + 3 > 30 ? fx + 3 : 30;
	fw = COLS - fx - 4 > 44 ? 44 : COLS - fx - 4;
	tv_label(y, 2, _("Aggregate reports to:"));
	aw_view_field(y++, fx, fw, &m->dmarc_rua, m->focus == AW_FOCUS_FIELD1);
	/* A field's error beside it (escaped: it quotes what was typed). */
	if (m->dmarc_field_error[0] != NULL)
		aw_view_put(stdscr, y++, fx, COLS - fx - 2, m->dmarc_field_error[0],
		    aw_view_attr(AW_ROLE_ERROR) | A_BOLD);
	tv_label(y, 2, _("Failure reports to:"));
	aw_view_field(y++, fx, fw, &m->dmarc_ruf, m->focus == AW_FOCUS_FIELD2);
	if (m->dmarc_field_error[1] != NULL)
		aw_view_put(stdscr, y++, fx, COLS - fx - 2, m->dmarc_field_error[1],
		    aw_view_attr(AW_ROLE_ERROR) | A_BOLD);
	y++;
	tv_label(y, 2, _("Record:"));
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

const struct tv_screen tv_screen_dmarc = { draw_dmarc };
