/* view-bimi.c: the BIMI step drawn (its model: model-bimi.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "tui/view-int.h"

static void
draw_bimi(const struct aw_tui_model *m)
{
	static const char *const labels[3] = {
		N_("Logo URL (l=, SVG):"),
		N_("Certificate URL (a=, PEM):"),
		N_("Selector:"),
	};
	const struct aw_tui_field *fields[3] = {
		&m->bimi_logo, &m->bimi_cert, &m->bimi_selector
	};
	int y = aw_view_top(), bottom = aw_view_bottom(), fx = 0, fw, i;
	size_t k;

	if (!m->bimi_known) {
		aw_view_put(stdscr, y, 2, COLS - 4,
		    _("Waiting for the check of the domain's DMARC policy..."),
		    aw_view_attr(AW_ROLE_DIM));
		return;
	}
	if (!aw_tui_model_bimi_offered(m)) {
		aw_view_put(stdscr, y++, 2, COLS - 4,
		    _("BIMI is not offered: it needs DMARC at enforcement."),
		    A_BOLD);
		y++;
		if (m->bimi_why != NULL)
			y += aw_view_wrap(stdscr, y, 2, COLS - 4, 4, m->bimi_why,
			    aw_view_attr(AW_ROLE_WARN));
		y++;
		aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y,
		    _("DMARC needs p=quarantine or p=reject at the organizational domain and for the domain (sp= too), with pct=100 (or no pct) and no t=y. Set it in the DMARC step once the reports are clean, publish it, then run the wizard again. Enter goes on."),
		    A_NORMAL);
		return;
	}
	for (i = 0; i < 3; i++)
		if (tv_text_cols(_(labels[i])) > fx)
			fx = tv_text_cols(_(labels[i]));
	fx += 3;
	fw = COLS - fx - 4 > 60 ? 60 : COLS - fx - 4;
	for (i = 0; i < 3; i++) {
		tv_label(y, 2, _(labels[i]));
		aw_view_field(y++, fx, fw, fields[i],
		    m->focus == (enum aw_tui_focus)(AW_FOCUS_FIELD1 + i));
	}
	if (m->bimi_field_error != NULL)
		aw_view_put(stdscr, y++, fx, COLS - fx - 2, m->bimi_field_error,
		    aw_view_attr(AW_ROLE_ERROR) | A_BOLD);
	y++;
	tv_label(y, 2, _("Record:"));
	y += aw_view_wrap(stdscr, y, 11, COLS - 13, 3,
	    m->bimi_draft ? m->bimi_draft : _("(none: no logo URL)"), A_BOLD);
	y++;
	if (m->bimi_checking) {
		aw_view_put(stdscr, y++, 2, COLS - 4,
		    _("Checking the logo and the certificate..."),
		    aw_view_attr(AW_ROLE_DIM));
	} else if (m->bimi_checked != NULL && m->bimi_draft != NULL &&
	    strcmp(m->bimi_checked, m->bimi_draft) == 0) {
		tv_label(y++, 2, _("What the checks found:"));
		if (m->bimi_findings.nitems == 0 && y < bottom)
			aw_view_put(stdscr, y++, 4, COLS - 6, _("nothing to say"),
			    aw_view_attr(AW_ROLE_OK));
		for (k = 0; k < m->bimi_findings.nitems && y < bottom; k++) {
			const struct aw_finding *f = &m->bimi_findings.items[k];
			enum aw_view_role role = f->severity == AW_SEV_ERROR ?
			    AW_ROLE_ERROR : f->severity == AW_SEV_WARNING ?
			    AW_ROLE_WARN : AW_ROLE_DIM;
			char *line = NULL;

			if (asprintf(&line, "%s: %s", aw_severity_name(f->severity),
			    f->message) < 0)
				continue;
			y += aw_view_wrap(stdscr, y, 4, COLS - 6, bottom - y, line,
			    aw_view_attr(role));
			free(line);
		}
		if (m->bimi_findings.errors.n > 0 && y + 1 < bottom)
			aw_view_wrap(stdscr, y + 1, 2, COLS - 4, bottom - y - 1,
			    _("With errors mailbox providers show no logo: fix the URLs (Tab), or empty the logo URL to leave BIMI out."),
			    aw_view_attr(AW_ROLE_DIM));
	} else if (y < bottom) {
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y,
		    _("Enter fetches the logo and the certificate and checks them before the record goes into the plan."),
		    aw_view_attr(AW_ROLE_DIM));
	}
}

const struct tv_screen tv_screen_bimi = { draw_bimi };
