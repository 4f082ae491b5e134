/* view-mtasts.c: the MTA-STS step drawn (its model: model-mtasts.c):
 * what is published, the mode, the policy file and where to serve it,
 * and the records the plan adds. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/mta-sts.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/view-int.h"

/* One "what is published" line: a label, then the record or "none". */
static int
published_line(int y, const char *label, const struct aw_strv *cur,
    bool seen, bool unread)
{
	char buf[300];
	int x;

	x = 4 + aw_view_put(stdscr, y, 4, COLS - 6, label, A_NORMAL) + 1;
	if (!seen)
		snprintf(buf, sizeof buf, "%s", _("checking"));
	else if (unread)
		snprintf(buf, sizeof buf, "%s", _("could not be read"));
	else if (cur->n == 0)
		snprintf(buf, sizeof buf, "%s", _("none"));
	else
		snprintf(buf, sizeof buf, "%s%s", cur->v[0],
		    cur->n > 1 ? _(" (and more: only one may be published)") : "");
	aw_view_put(stdscr, y, x, COLS - x - 2, buf, cur->n == 1 && seen &&
	    !unread ? A_BOLD : aw_view_attr(seen && !unread ? AW_ROLE_MISSING :
	    AW_ROLE_DIM));
	return 1;
}

static void
draw_mtasts(const struct aw_tui_model *m)
{
	static const char *const modes[3] = {
		N_("leave MTA-STS as it is"),
		N_("testing: senders report TLS failures but still deliver (start here)"),
		N_("enforce: senders deliver only over valid TLS"),
	};
	const struct aw_tui_mtasts *s = &m->mtasts;
	int y = aw_view_top(), bottom = aw_view_bottom(), i, fx, fw;
	char buf[400];
	size_t k;

	tv_label(y++, 2, _("Published now:"));
	published_line(y++, "_mta-sts", &s->cur, s->seen, s->unread);
	if (s->seen && s->cur.n == 1) {
		if (s->cur_fetched)
			snprintf(buf, sizeof buf, _("policy: mode %s, %s"),
			    aw_mta_sts_mode_name((enum aw_mta_sts_mode)s->cur_mode),
			    s->uncovered.n == 0 ? _("covers every MX host") :
			    _("misses MX hosts"));
		else
			snprintf(buf, sizeof buf, "%s", _("policy: not served"));
		aw_view_put(stdscr, y++, 6, COLS - 8, buf,
		    aw_view_attr(s->cur_fetched && s->uncovered.n == 0 ?
		    AW_ROLE_OK : AW_ROLE_WARN));
	}
	published_line(y++, "_smtp._tls", &s->cur_tls, s->tls_seen,
	    s->tls_unread);
	{
		struct aw_buf b;

		aw_buf_init(&b);
		for (k = 0; k < s->mx_hosts.n; k++)
			aw_buf_printf(&b, "%s%s", k ? ", " : "", s->mx_hosts.v[k]);
		snprintf(buf, sizeof buf, _("MX hosts: %s"),
		    b.len ? aw_buf_str(&b) : _("none found"));
		aw_view_put(stdscr, y++, 4, COLS - 6, buf, A_NORMAL);
		aw_buf_done(&b);
	}
	y++;
	for (i = 0; i < 3 && y < bottom; i++) {
		bool on = (int)s->choice == i;
		attr_t a = on && m->focus == AW_FOCUS_LIST ?
		    aw_view_attr(AW_ROLE_CURSOR) : A_NORMAL;

		snprintf(buf, sizeof buf, "(%s) %s", on ? "*" : " ", _(modes[i]));
		aw_view_put(stdscr, y++, 4, COLS - 6, buf, i == 2 &&
		    !s->enforce_ready && !on ? a | aw_view_attr(AW_ROLE_DIM) : a);
	}
	y++;
	fx = tv_text_cols(_("Policy file:"));
	if (tv_text_cols(_("TLS reports to:")) > fx)
		fx = tv_text_cols(_("TLS reports to:"));
	fx = fx + 3 > 20 ? fx + 3 : 20;
	fw = COLS - fx - 4 > 50 ? 50 : COLS - fx - 4;
	tv_label(y, 2, _("Policy file:"));
	aw_view_field(y++, fx, fw, &s->path, m->focus == AW_FOCUS_FIELD1);
	tv_label(y, 2, _("TLS reports to:"));
	aw_view_field(y++, fx, fw, &s->rua, m->focus == AW_FOCUS_FIELD2);
	y++;
	if (s->choice == AW_TUI_STS_KEEP || y >= bottom)
		return;
	if (s->build_error != NULL) {
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, 2, s->build_error,
		    aw_view_attr(AW_ROLE_ERROR));
		return;
	}
	/* The policy, a line each (CRLF ends them). */
	if (s->policy != NULL) {
		const char *p = s->policy;

		while (*p != '\0' && y < bottom) {
			size_t n = strcspn(p, "\r\n");
			char line[200];

			snprintf(line, sizeof line, "%.*s", (int)n, p);
			aw_view_put(stdscr, y++, 4, COLS - 6, line, A_BOLD);
			p += n;
			while (*p == '\r' || *p == '\n')
				p++;
		}
	}
	if (y < bottom) {
		snprintf(buf, sizeof buf,
		    _("Serve it at %s as text/plain, over HTTPS with a valid certificate for mta-sts.%s, no redirects."),
		    s->policy_url ? s->policy_url : "", m->domain ? m->domain : "");
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, 2, buf,
		    aw_view_attr(AW_ROLE_HEAD));
	}
	if (s->record != NULL && y < bottom) {
		snprintf(buf, sizeof buf, "_mta-sts.%s TXT \"%s\"",
		    m->domain ? m->domain : "", s->record);
		aw_view_put(stdscr, y++, 4, COLS - 6, buf, A_NORMAL);
	}
	if (s->tls_record != NULL && y < bottom) {
		snprintf(buf, sizeof buf, "_smtp._tls.%s TXT \"%s\"",
		    m->domain ? m->domain : "", s->tls_record);
		aw_view_put(stdscr, y++, 4, COLS - 6, buf, A_NORMAL);
	} else if (y < bottom) {
		y += aw_view_wrap(stdscr, y, 2, COLS - 4, 2,
		    _("no TLS report address: without reports you cannot tell when enforce is safe"),
		    aw_view_attr(AW_ROLE_WARN));
	}
	if (y < bottom)
		aw_view_wrap(stdscr, y, 2, COLS - 4, bottom - y,
		    s->written != NULL && s->policy != NULL &&
		    strcmp(s->written, s->policy) == 0 ?
		    _("Written. The records go to the review; publish them once the file is served.") :
		    _("Enter writes the policy file (0644); the records go to the review then."),
		    aw_view_attr(AW_ROLE_DIM));
}

const struct tv_screen tv_screen_mtasts = { draw_mtasts };
