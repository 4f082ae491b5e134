/* recheck.c: is each change published? One lookup per change. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "tui/recheck.h"

struct recheck_run {
	aw_tui_event_cb cb;
	void *arg;
	size_t pending;
	size_t n;
	struct recheck_one {
		struct recheck_run *run;
		size_t index;
		struct aw_tui_change c;      /* name, type, value, op copied */
	} *one;
};

bool
aw_tui_recheck_matches(const struct aw_tui_change *c,
    const struct aw_dns_answer *ans)
{
	size_t i;

	if (c->op == AW_TUI_DELETE)
		return ans->result == AW_DNS_NXDOMAIN || ans->result == AW_DNS_NODATA;
	if (ans->result != AW_DNS_RECORDS || c->value == NULL)
		return false;
	for (i = 0; i < ans->nrr; i++) {
		const struct aw_dns_rr *rr = &ans->rr[i];

		if (rr->type != c->type)
			continue;
		switch (rr->type) {
		case AW_RR_TXT: {
			char *t = aw_dns_txt_join(rr, NULL);
			bool eq = t != NULL && strcmp(t, c->value) == 0;

			free(t);
			if (eq)
				return true;
			break;
		}
		case AW_RR_CNAME:
		case AW_RR_PTR:
			if (aw_domain_equal(rr->u.target, c->value))
				return true;
			break;
		case AW_RR_A:
		case AW_RR_AAAA:
			if (strcmp(rr->u.addr.text, c->value) == 0)
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

static void
run_free(struct recheck_run *run)
{
	size_t i;

	for (i = 0; i < run->n; i++) {
		free(run->one[i].c.name);
		free(run->one[i].c.value);
	}
	free(run->one);
	free(run);
}

static void
recheck_answer(struct aw_dns_answer *ans, void *arg)
{
	struct recheck_one *o = arg;
	struct recheck_run *run = o->run;
	struct aw_tui_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_RECHECK;
	ev.index = o->index;
	ev.ok = ans != NULL && aw_tui_recheck_matches(&o->c, ans);
	ev.count = --run->pending == 0 ? 1 : 0;
	aw_dns_answer_free(ans);
	run->cb(&ev, run->arg);
	if (run->pending == 0)
		run_free(run);
}

size_t
aw_tui_recheck_start(const struct aw_dns_source *src,
    const struct aw_tui_model *m, aw_tui_event_cb cb, void *arg)
{
	struct recheck_run *run = calloc(1, sizeof *run);
	struct aw_tui_event ev;
	size_t i, started = 0;

	if (run != NULL)
		run->one = calloc(m->nchanges ? m->nchanges : 1, sizeof *run->one);
	if (run == NULL || run->one == NULL) {
		free(run);
		run = NULL;
		goto nothing;
	}
	run->cb = cb;
	run->arg = arg;
	for (i = 0; i < m->nchanges; i++) {
		const struct aw_tui_change *c = &m->changes[i];
		struct recheck_one *o = &run->one[run->n];

		if (c->op == AW_TUI_REQUEST)
			continue;
		o->run = run;
		o->index = i;
		o->c.op = c->op;
		o->c.type = c->type;
		o->c.name = strdup(c->name);
		o->c.value = aw_strdup(c->value);
		run->n++;
	}
	/* Count first: answers never arrive inside aw_dns_query. */
	run->pending = run->n;
	for (i = 0; i < run->n; i++) {
		if (aw_dns_query(src, run->one[i].c.name, run->one[i].c.type,
		    recheck_answer, &run->one[i]) == AW_OK)
			started++;
		else
			run->pending--;
	}
	if (started > 0)
		return started;
	run_free(run);
nothing:
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_RECHECK;
	ev.index = (size_t)-1;
	ev.count = 1;
	cb(&ev, arg);
	return 0;
}
