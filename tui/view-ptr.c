/* view-ptr.c: the PTR/HELO step drawn (its model: model-ptr.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "tui/view-int.h"

/* ---- PTR/HELO ---- */

static void
draw_ptr(const struct aw_tui_model *m)
{
	int y = aw_view_top(), bottom = aw_view_bottom();
	size_t i;
	char buf[300];

	tv_label(y, 2, _("Sending IP:"));
	aw_view_field(y++, 24, 40, &m->ptr_ip, m->focus == AW_FOCUS_FIELD1);
	tv_label(y, 2, _("HELO name:"));
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

const struct tv_screen tv_screen_ptr = { draw_ptr };
