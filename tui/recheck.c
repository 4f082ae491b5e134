/* recheck.c: the propagation watch for the wizard's changes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/watch.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/provider.h"
#include "providers/host-poll.h"
#include "tui/recheck.h"

struct rc_delete {
	struct aw_tui_recheck *rc;
	size_t index;
	char *name;                 /* the deleted set's, copied */
	enum aw_record_type type;
	bool asking;
};

struct aw_tui_recheck {
	aw_tui_event_cb cb;
	void *arg;
	struct aw_resolver *res;
	struct aw_loop *loop;
	struct aw_watch *w;
	size_t *item_change;        /* watch item -> change index */
	size_t nitems;
	struct rc_delete *del;
	size_t ndel;
	unsigned pending;           /* resolver queries and discovery out */
	int interval_ms;
	int64_t deadline_ms;
	bool freed;                 /* the owner let go: free when idle */
	bool ended;
	bool discovering;           /* the discovery holds w: keep it */
	char *domain;
	struct aw_provider *p;      /* borrowed, for the polls */
	struct aw_host_poll *polls; /* one per host change id */
	size_t npolls;
};

/* Stops the host's requests (their callbacks never come). */
static void
polls_cancel(struct aw_tui_recheck *rc)
{
	size_t i;

	for (i = 0; i < rc->npolls; i++)
		aw_host_poll_cancel(&rc->polls[i]);
}

static void
rc_destroy(struct aw_tui_recheck *rc)
{
	size_t i;

	for (i = 0; i < rc->npolls; i++)
		aw_host_poll_done(&rc->polls[i]);
	free(rc->polls);
	aw_watch_free(rc->w);
	for (i = 0; i < rc->ndel; i++)
		free(rc->del[i].name);
	free(rc->del);
	free(rc->item_change);
	free(rc->domain);
	free(rc);
}

bool
aw_tui_recheck_matches(const struct aw_change *c,
    const struct aw_dns_answer *ans)
{
	const char *value = aw_tui_change_value(c);
	size_t i;

	if (c->kind == AW_CHANGE_DELETE)
		return ans->result == AW_DNS_NXDOMAIN || ans->result == AW_DNS_NODATA;
	if (ans->result != AW_DNS_RECORDS || value == NULL)
		return false;
	for (i = 0; i < ans->nrr; i++) {
		const struct aw_dns_rr *rr = &ans->rr[i];

		if (rr->type != c->old.type)
			continue;
		switch (rr->type) {
		case AW_RECORD_TXT: {
			char *t = aw_dns_txt_join(rr, NULL);
			bool eq = t != NULL && strcmp(t, value) == 0;

			free(t);
			if (eq)
				return true;
			break;
		}
		case AW_RECORD_CNAME:
		case AW_RECORD_PTR:
			if (aw_domain_equal(rr->u.target, value))
				return true;
			break;
		case AW_RECORD_A:
		case AW_RECORD_AAAA:
			if (strcmp(rr->u.addr.text, value) == 0)
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

/* The host's state of one change (providers/host-poll.h): into the
 * watch (which does not converge before it is synced) and to the model. */
static void
host_state(struct aw_host_poll *hp, const char *state, bool synced, void *arg)
{
	struct aw_tui_recheck *rc = arg;
	struct aw_tui_event ev;

	if (rc->w != NULL)
		aw_watch_set_host_state(rc->w, hp->label, state, synced);
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_HOST_STATE;
	ev.text = hp->label;
	ev.state = state;
	ev.ok = synced;
	rc->cb(&ev, rc->arg);
}

static void
polls_start(struct aw_tui_recheck *rc)
{
	size_t i;

	for (i = 0; i < rc->npolls; i++)
		aw_host_poll_ask(&rc->polls[i]);
}

static void
post_end(struct aw_tui_recheck *rc)
{
	struct aw_tui_event ev;

	if (rc->ended || rc->freed)
		return;
	if (rc->pending > 0 || (rc->w != NULL && !aw_watch_finished(rc->w)))
		return;
	rc->ended = true;
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_RECHECK;
	ev.index = (size_t)-1;
	ev.count = 1;
	if (rc->w != NULL)
		ev.round = aw_watch_rounds(rc->w);
	rc->cb(&ev, rc->arg);
}

static void
delete_answer(struct aw_dns_answer *ans, void *arg)
{
	struct rc_delete *d = arg;
	struct aw_tui_recheck *rc = d->rc;
	struct aw_tui_event ev;

	d->asking = false;
	rc->pending--;
	if (!rc->freed) {
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_RECHECK;
		ev.index = d->index;
		/* A deletion is seen when the name holds no such set. */
		ev.ok = ans != NULL && (ans->result == AW_DNS_NXDOMAIN ||
		    ans->result == AW_DNS_NODATA);
		ev.matched = ev.ok;
		rc->cb(&ev, rc->arg);
	}
	aw_dns_answer_free(ans);
	if (rc->freed) {
		if (rc->pending == 0)
			rc_destroy(rc);
		return;
	}
	post_end(rc);
}

static void
ask_deletes(struct aw_tui_recheck *rc)
{
	size_t i;

	for (i = 0; i < rc->ndel; i++) {
		struct rc_delete *d = &rc->del[i];

		if (d->asking)
			continue;
		if (aw_resolver_query(rc->res, d->name, d->type, delete_answer,
		    d) == AW_OK) {
			d->asking = true;
			rc->pending++;
		}
	}
}

static void
on_round(struct aw_watch *w, void *arg)
{
	struct aw_tui_recheck *rc = arg;
	size_t i, k, ns = aw_watch_nservers(w), asked;

	if (rc->freed)
		return;
	for (i = 0; i < rc->nitems; i++) {
		struct aw_tui_event ev;

		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_RECHECK;
		ev.index = rc->item_change[i];
		ev.round = aw_watch_rounds(w);
		asked = 0;
		for (k = 0; k < ns; k++) {
			const struct aw_watch_cell *c = aw_watch_cell(w, i, k);

			/* A server of another zone is not asked: its cell
			 * is neither a match nor missing. */
			if (!aw_watch_asks(w, i, k))
				continue;
			asked++;
			if (c->state == AW_WATCH_MATCH)
				ev.matched++;
			else if (c->state == AW_WATCH_OLD)
				ev.old = true;
		}
		ev.servers = (unsigned)asked;
		ev.ok = asked > 0 && ev.matched == asked;
		rc->cb(&ev, rc->arg);
	}
	if (!aw_watch_finished(w))
		polls_start(rc);
	ask_deletes(rc);
	post_end(rc);
}

static void
start_watch(struct aw_tui_recheck *rc)
{
	if (rc->nitems > 0 && aw_watch_nservers(rc->w) > 0 &&
	    aw_watch_start(rc->w, rc->interval_ms, rc->deadline_ms, on_round,
	    rc) == AW_OK)
		return;
	/* Nothing to watch (or no server): the deletions alone, once. */
	aw_watch_free(rc->w);
	rc->w = NULL;
	ask_deletes(rc);
	post_end(rc);
}

/* Each record's own zone and that zone's servers (a PTR in its reverse
 * zone, a record under a delegated subdomain), as the CLI watch does. */
static void
on_discovered(struct aw_watch *w, const struct aw_strv *problems, void *arg)
{
	struct aw_tui_recheck *rc = arg;
	struct aw_tui_event ev;
	size_t i;

	rc->pending--;
	rc->discovering = false;
	if (rc->freed) {
		if (rc->pending == 0)
			rc_destroy(rc);
		return;
	}
	/* The first problem (translated, names escaped by the view) is
	 * the note: the rows it leaves without a server stay "not yet". */
	if (problems != NULL && problems->n > 0) {
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_NOTE;
		ev.text = problems->v[0];
		rc->cb(&ev, rc->arg);
	}
	for (i = 0; i < rc->nitems; i++)
		if (aw_watch_item_nservers(w, i) == 0) {
			/* Asked by no server: it can never be confirmed. */
			memset(&ev, 0, sizeof ev);
			ev.type = AW_EV_RECHECK;
			ev.index = rc->item_change[i];
			rc->cb(&ev, rc->arg);
		}
	start_watch(rc);
}

/* One poll per change id; each is told to the model (being asked) and
 * to the watch (not synced yet) now. */
static enum aw_status
polls_add(struct aw_tui_recheck *rc, const struct aw_tui_recheck_host *host)
{
	size_t i;

	if (host == NULL || host->p == NULL || host->ids == NULL ||
	    host->ids->n == 0)
		return AW_OK;
	rc->p = host->p;
	if ((rc->polls = calloc(host->ids->n, sizeof *rc->polls)) == NULL)
		return AW_ERR_NOMEM;
	for (i = 0; i < host->ids->n; i++) {
		struct aw_host_poll *hp = &rc->polls[rc->npolls];

		if (aw_host_poll_init(hp, host->p, host->ids->v[i], host_state,
		    rc) != AW_OK)
			return AW_ERR_NOMEM;
		rc->npolls++;
		host_state(hp, NULL, false, rc);
	}
	return AW_OK;
}

struct aw_tui_recheck *
aw_tui_recheck_start(struct aw_resolver *res, struct aw_loop *loop,
    const char *const *servers, size_t nservers, const struct aw_tui_model *m,
    const struct aw_tui_recheck_host *host, int interval_ms,
    int64_t deadline_ms, aw_tui_event_cb cb, void *arg)
{
	struct aw_tui_recheck *rc = calloc(1, sizeof *rc);
	size_t i;

	if (rc == NULL)
		goto fail;
	rc->cb = cb;
	rc->arg = arg;
	rc->res = res;
	rc->loop = loop;
	rc->interval_ms = interval_ms;
	rc->deadline_ms = deadline_ms;
	rc->domain = aw_strdup(m->domain);
	rc->w = aw_watch_new(res, loop);
	rc->item_change = calloc(m->plan.nchanges + 1, sizeof *rc->item_change);
	rc->del = calloc(m->plan.nchanges + 1, sizeof *rc->del);
	if (rc->w == NULL || rc->item_change == NULL || rc->del == NULL ||
	    rc->domain == NULL)
		goto fail;
	for (i = 0; i < m->plan.nchanges; i++) {
		const struct aw_change *c = &m->plan.changes[i];
		struct aw_strv gone, kept, came;
		enum aw_status st;

		if (c->kind == AW_CHANGE_DELETE) {
			struct rc_delete *d = &rc->del[rc->ndel];

			d->rc = rc;
			d->index = i;
			d->type = c->old.type;
			if ((d->name = strdup(c->old.name)) == NULL)
				goto fail;
			rc->ndel++;
			continue;
		}
		aw_tui_change_split(c, &gone, &kept, &came);
		st = aw_watch_add(rc->w, c->old.name, c->old.type,
		    AW_WATCH_PRESENT, aw_tui_change_value(c),
		    gone.n > 0 ? gone.v[0] : NULL);
		aw_strv_done(&gone);
		aw_strv_done(&kept);
		aw_strv_done(&came);
		if (st != AW_OK)
			goto fail;
		rc->item_change[rc->nitems++] = i;
	}
	if (polls_add(rc, host) != AW_OK)
		goto fail;
	polls_start(rc);
	for (i = 0; i < nservers; i++)
		aw_watch_add_server(rc->w, servers[i], servers[i]);
	if (nservers == 0 && rc->nitems > 0) {
		/* Ask each record's zone's own servers (port 53). */
		if (aw_watch_discover(rc->w, res, 53, on_discovered, rc) ==
		    AW_OK) {
			rc->discovering = true;
			rc->pending++;
			return rc;
		}
	}
	start_watch(rc);
	return rc;
fail:
	if (rc != NULL)
		rc_destroy(rc);
	{
		struct aw_tui_event ev;

		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_RECHECK;
		ev.index = (size_t)-1;
		ev.count = 1;
		cb(&ev, arg);
	}
	return NULL;
}

void
aw_tui_recheck_free(struct aw_tui_recheck *rc)
{
	if (rc == NULL)
		return;
	rc->freed = true;
	polls_cancel(rc);
	/* While the discovery runs it uses w: rc_destroy frees it then. */
	if (rc->w != NULL && !rc->discovering) {
		aw_watch_free(rc->w);     /* it stops and frees itself */
		rc->w = NULL;
	}
	if (rc->pending == 0)
		rc_destroy(rc);
}
