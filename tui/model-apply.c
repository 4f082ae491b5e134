/* model-apply.c: the apply and recheck screens: each record's result as
 * the host answers, the DNS host's own state of its changes (Route 53
 * INSYNC), the recheck's rounds, and the two screens' keys. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "tui/model-int.h"

/* AW_EV_HOST_STATE: the host's state of one change, by label. */
static unsigned
host_state(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	struct aw_tui_host_state *h = NULL, *v;
	size_t i;

	if (ev->text == NULL)
		return AW_FX_NONE;
	for (i = 0; i < m->nhosts && h == NULL; i++)
		if (strcmp(m->hosts[i].label, ev->text) == 0)
			h = &m->hosts[i];
	if (h == NULL) {
		if ((v = realloc(m->hosts, (m->nhosts + 1) * sizeof *v)) == NULL)
			return AW_FX_NONE;
		m->hosts = v;
		h = &m->hosts[m->nhosts];
		memset(h, 0, sizeof *h);
		if ((h->label = strdup(ev->text)) == NULL)
			return AW_FX_NONE;
		m->nhosts++;
	}
	tm_set_str(&h->state, ev->state);
	h->synced = ev->ok;
	return AW_FX_REDRAW;
}

/* A result of the apply or the recheck (AW_EV_APPLY_RECORD, _APPLY_DONE,
 * _RECHECK, _HOST_STATE). */
unsigned
tm_apply_result(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	switch (ev->type) {
	case AW_EV_APPLY_RECORD:
		if (ev->index < m->plan.nchanges) {
			struct aw_tui_change_state *c = &m->cstate[ev->index];

			if (ev->count == 1) {      /* started */
				c->state = AW_TUI_RUNNING;
				return AW_FX_REDRAW;
			}
			if (ev->count == 2) {      /* not for this host */
				c->state = AW_TUI_SKIPPED;
				tm_set_str(&c->message, ev->text);
				return AW_FX_REDRAW;
			}
			/* A result may come twice (sent, then read back): counted
			 * once, by its latest state. */
			if (c->state == AW_TUI_DONE && m->napplied > 0)
				m->napplied--;
			else if (c->state == AW_TUI_FAILED && m->nfailed > 0)
				m->nfailed--;
			c->state = ev->ok ? AW_TUI_DONE : AW_TUI_FAILED;
			if (ev->ok)
				m->napplied++;
			else
				m->nfailed++;
			tm_set_str(&c->message, ev->text);
		}
		return AW_FX_REDRAW;
	case AW_EV_APPLY_DONE:
		m->applying = false;
		m->applied = true;
		if (ev->text != NULL)
			tm_set_error(m, ev->text);
		return m->quit_asked ? AW_FX_QUIT : AW_FX_REDRAW;
	case AW_EV_RECHECK:
		if (ev->index < m->plan.nchanges) {
			struct aw_tui_change_state *c = &m->cstate[ev->index];

			c->recheck = ev->ok ? 1 : 0;
			c->rc_matched = ev->matched;
			c->rc_servers = ev->servers;
			c->rc_old = ev->old;
		}
		if (ev->round > 0)
			m->recheck_rounds = ev->round;
		if (ev->count == 1) {       /* the last of a round */
			m->rechecking = false;
			return AW_FX_REDRAW | tm_mtasts_recheck_done(m);
		}
		return AW_FX_REDRAW;
	case AW_EV_HOST_STATE:
		return host_state(m, ev);
	default:
		return AW_FX_NONE;
	}
}

/* The apply screen: scroll; on to the recheck. */
static unsigned
apply_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	if (m->applying)
		return AW_FX_NONE;
	if (tm_list_key(&m->scroll, m->plan.nchanges + m->nrequests, ev))
		return AW_FX_REDRAW;
	switch (ev->type) {
	case AW_EV_BACK:
		if (m->applied && m->target != AW_TARGET_SHOW)
			return AW_FX_NONE;
		m->screen = AW_SCR_TARGET;
		return AW_FX_REDRAW;
	case AW_EV_NEXT: {
		size_t i;

		m->screen = AW_SCR_RECHECK;
		m->rechecking = true;
		m->recheck_rounds = 1;
		for (i = 0; i < m->plan.nchanges; i++)
			m->cstate[i].recheck = -1;
		tm_hosts_free(m);      /* the recheck tells them again */
		return AW_FX_REDRAW | AW_FX_RECHECK;
	}
	default:
		return AW_FX_NONE;
	}
}

const struct tm_screen tm_screen_apply = {
	NULL, apply_key, NULL, NULL
};

/* The recheck: again (Enter, r), or back to a fresh overview. */
static unsigned
recheck_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	switch (ev->type) {
	case AW_EV_NEXT:
		if (m->rechecking)
			return AW_FX_NONE;
		m->rechecking = true;
		m->recheck_rounds++;
		tm_hosts_free(m);
		return AW_FX_REDRAW | AW_FX_RECHECK;
	case AW_EV_BACK: {
		/* Back to a fresh overview of what is published now. */
		char *d = m->check_running ? NULL : aw_strdup(m->domain);
		unsigned r = AW_FX_NONE;

		if (d != NULL) {
			r = aw_tui_model_set_domain(m, d);
			m->applied = false;
		}
		free(d);
		return r;
	}
	case AW_EV_CHAR:
		if (ev->ch == 'r') {
			struct aw_tui_event t = *ev;

			t.type = AW_EV_NEXT;
			return aw_tui_model_event(m, &t);
		}
		return AW_FX_NONE;
	default:
		return AW_FX_NONE;
	}
}

const struct tm_screen tm_screen_recheck = {
	NULL, recheck_key, NULL, NULL
};
