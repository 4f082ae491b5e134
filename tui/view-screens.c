/* view-screens.c: what the screens' draw functions share, and the table
 * that maps each screen to its view (tui/view-<screen>.c), keyed like the
 * model's screen table (model.c screens[]). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/view-int.h"

/* A pulse, in characters the escaping of drawn text leaves alone (a
 * backslash would be drawn as two). */
const char tv_spinner[] = ".oOo";

const char *
tv_status_word(enum aw_check_status s)
{
	switch (s) {
	case AW_CHECK_OK: return _("ok");
	case AW_CHECK_WARNING: return _("warning");
	case AW_CHECK_ERROR: return _("error");
	case AW_CHECK_MISSING: return _("missing");
	default: return _("checking");
	}
}

void
tv_label(int y, int x, const char *text)
{
	aw_view_put(stdscr, y, x, COLS - x - 1, text, aw_view_attr(AW_ROLE_HEAD));
}

int
tv_text_cols(const char *s)
{
	int n = (int)mbstowcs(NULL, s, 0);

	return n < 0 ? (int)strlen(s) : n;
}

const char *
tv_op_word(enum aw_change_kind k)
{
	switch (k) {
	case AW_CHANGE_CREATE: return _("add");
	case AW_CHANGE_UPDATE: return _("replace");
	case AW_CHANGE_DELETE: return _("delete");
	}
	return "";
}

static const struct tv_screen *const screens[AW_SCR_COUNT] = {
	[AW_SCR_DOMAIN] = &tv_screen_domain,
	[AW_SCR_OVERVIEW] = &tv_screen_overview,
	[AW_SCR_SPF] = &tv_screen_spf,
	[AW_SCR_DKIM] = &tv_screen_dkim,
	[AW_SCR_DMARC] = &tv_screen_dmarc,
	[AW_SCR_PTR] = &tv_screen_ptr,
	[AW_SCR_MTASTS] = &tv_screen_mtasts,
	[AW_SCR_BIMI] = &tv_screen_bimi,
	[AW_SCR_REVIEW] = &tv_screen_review,
	[AW_SCR_TARGET] = &tv_screen_target,
	[AW_SCR_APPLY] = &tv_screen_apply,
	[AW_SCR_RECHECK] = &tv_screen_recheck,
};

void
aw_view_draw_screen(const struct aw_tui_model *m)
{
	if (m->screen < AW_SCR_COUNT && screens[m->screen] != NULL)
		screens[m->screen]->draw(m);
}
