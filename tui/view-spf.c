/* view-spf.c: the SPF step drawn (its model: model-spf.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "checks/spf.h"
#include "tui/view-int.h"

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
	tv_label(y, 2, buf);
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
	tv_label(y, 2, _("Your own servers (IP, network or host):"));
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
	tv_label(y, 2, _("Record:"));
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

const struct tv_screen tv_screen_spf = { draw_spf };
