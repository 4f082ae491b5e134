/* apply.c: the wizard's changes through a DNS host: wants, the host's
 * plan, apply with the journal (see apply.h). */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/http.h"
#include "core/i18n.h"
#include "checks/ptr.h"
#include "checks/spf-terms.h"
#include "core/str.h"
#include "providers/apply.h"
#include "providers/expect.h"
#include "providers/provider.h"
#include "tui/apply.h"

struct aw_tui_apply {
	struct aw_loop *loop;
	struct aw_provider *p;
	char *domain;
	struct aw_wants wants;
	struct aw_plan plan;
	bool have_plan;
	struct aw_plan_job *plan_job;
	struct aw_apply_job *apply_job;
	aw_tui_event_cb cb;
	void *arg;
	bool sending_told;
};

bool
aw_tui_is_reverse_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 13 && aw_strcasecmp(name + n - 13, ".in-addr.arpa") == 0) ||
	    (n > 9 && aw_strcasecmp(name + n - 9, ".ip6.arpa") == 0);
}

/* ---- the plan the model is given ---- */

/* A copy of the plan's changes, notes, warnings and refusals (not its
 * preflight: the model gets that as its own event) into out (initialised
 * by the caller). The session keeps its own plan to apply. */
static enum aw_status
plan_copy(const struct aw_plan *plan, struct aw_plan *out)
{
	size_t i, k;
	enum aw_status st = AW_OK;

	if ((plan->domain != NULL && (out->domain = strdup(plan->domain)) == NULL) ||
	    (plan->provider != NULL &&
	    (out->provider = strdup(plan->provider)) == NULL))
		return AW_ERR_NOMEM;
	for (i = 0; i < plan->nchanges && st == AW_OK; i++) {
		const struct aw_change *c = &plan->changes[i];
		struct aw_change *d = aw_plan_push(out);

		if (d == NULL)
			return AW_ERR_NOMEM;
		d->kind = c->kind;
		d->state = c->state;
		d->confirmed = c->confirmed;
		aw_strv_init(&d->notes);
		if ((st = aw_record_copy(&d->old, &c->old)) != AW_OK ||
		    (st = aw_record_copy(&d->new, &c->new)) != AW_OK)
			break;
		d->zone.id = aw_strdup(c->zone.id);
		d->zone.name = aw_strdup(c->zone.name);
		d->host_change_id = aw_strdup(c->host_change_id);
		if ((c->zone.id != NULL && d->zone.id == NULL) ||
		    (c->zone.name != NULL && d->zone.name == NULL) ||
		    (c->host_change_id != NULL && d->host_change_id == NULL))
			st = AW_ERR_NOMEM;
		for (k = 0; k < c->notes.n && st == AW_OK; k++)
			st = aw_strv_push(&d->notes, c->notes.v[k]);
	}
	for (i = 0; i < plan->notes.n && st == AW_OK; i++)
		st = aw_strv_push(&out->notes, plan->notes.v[i]);
	for (i = 0; i < plan->warnings.n && st == AW_OK; i++)
		st = aw_strv_push(&out->warnings, plan->warnings.v[i]);
	for (i = 0; i < plan->refused.n && st == AW_OK; i++)
		st = aw_strv_push(&out->refused, plan->refused.v[i]);
	return st;
}

/* ---- the session ---- */

struct aw_tui_apply *
aw_tui_apply_new(struct aw_session *session, const struct aw_tui_model *m,
    struct aw_error *err)
{
	const struct aw_tui_target_info *ti = &aw_tui_targets[m->target];
	struct aw_provider_config cfg;
	struct aw_tui_apply *a;
	size_t i;

	if (m->target == AW_TARGET_SHOW || m->domain == NULL) {
		aw_error_set(err, AW_ERR_INVALID, _("no DNS host chosen"));
		return NULL;
	}
	if ((a = calloc(1, sizeof *a)) == NULL) {
		aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		return NULL;
	}
	a->loop = session->loop;
	aw_wants_init(&a->wants);
	aw_plan_init(&a->plan);
	if ((a->domain = strdup(m->domain)) == NULL) {
		aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		aw_tui_apply_free(a);
		return NULL;
	}
	/* Credentials typed or from the environment; the host's other
	 * settings (PDNS_SERVER_ID, AWS_SESSION_TOKEN, ...) from the
	 * environment. The copies are wiped by aw_provider_config_done. */
	aw_provider_config_init(&cfg);
	for (i = 0; i < ti->ncred; i++) {
		const char *v = aw_tui_model_cred(m, m->target, i);

		if (*v != '\0' && aw_provider_config_set(&cfg, ti->cred[i].env, v) != AW_OK) {
			aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			aw_provider_config_done(&cfg);
			aw_tui_apply_free(a);
			return NULL;
		}
	}
	if (aw_session_open_provider(session, ti->id, &cfg, &a->p, err) !=
	    AW_OK) {
		aw_provider_config_done(&cfg);
		aw_tui_apply_free(a);
		return NULL;
	}
	aw_provider_config_done(&cfg);
	return a;
}

void
aw_tui_apply_free(struct aw_tui_apply *a)
{
	if (a == NULL)
		return;
	/* An apply under way: what was being sent is marked PARTIAL in the
	 * plan and the journal, so undo reverts it. */
	aw_apply_job_free(a->apply_job);
	aw_plan_job_free(a->plan_job);
	aw_provider_free(a->p);
	aw_wants_done(&a->wants);
	aw_plan_done(&a->plan);
	free(a->domain);
	free(a);
}

static void
post(struct aw_tui_apply *a, struct aw_tui_event *ev)
{
	a->cb(ev, a->arg);
}

/* A refusal about a reverse name ("4.3.2.1.in-addr.arpa: ..."). */
static bool
refused_reverse(const char *text)
{
	const char *sp = strpbrk(text, ": ");
	char *name;
	bool r;

	if (sp == NULL || (name = strndup(text, (size_t)(sp - text))) == NULL)
		return false;
	r = aw_tui_is_reverse_name(name);
	free(name);
	return r;
}

/* The plan's warnings and refusals, one line. NULL when none. */
static char *
plan_text(const struct aw_plan *plan)
{
	struct aw_buf b;
	size_t i;
	char *out;

	aw_buf_init(&b);
	for (i = 0; i < plan->refused.n; i++) {
		/* A reverse zone the host does not hold: the request to the
		 * IP's owner says what to do. */
		if (refused_reverse(plan->refused.v[i]))
			continue;
		aw_buf_printf(&b, "%s%s", b.len ? "; " : "",
		    plan->refused.v[i]);
	}
	for (i = 0; i < plan->warnings.n; i++)
		aw_buf_printf(&b, "%s%s", b.len ? "; " : "",
		    plan->warnings.v[i]);
	if (b.len == 0) {
		aw_buf_done(&b);
		return NULL;
	}
	out = aw_buf_steal(&b);
	aw_buf_done(&b);
	return out;
}

static void
plan_cb(struct aw_plan *plan, enum aw_status status, const struct aw_error *err,
    void *arg)
{
	struct aw_tui_apply *a = arg;
	struct aw_tui_event ev;
	struct aw_plan copy;
	char *text = NULL;

	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PLAN_READY;
	if (status != AW_OK) {
		ev.ok = false;
		ev.text = err != NULL && err->msg[0] ? err->msg :
		    _("the DNS host could not make a plan");
		post(a, &ev);
		return;
	}
	aw_plan_init(&copy);
	if (plan_copy(plan, &copy) != AW_OK) {
		aw_plan_done(&copy);
		ev.ok = false;
		ev.text = _("out of memory");
		post(a, &ev);
		return;
	}
	ev.plan = &copy;
	a->have_plan = true;
	ev.ok = true;
	ev.text = text = plan_text(plan);
	post(a, &ev);
	free(text);
	aw_plan_done(&copy);
}

const struct aw_plan *
aw_tui_apply_plan(const struct aw_tui_apply *a)
{
	return a != NULL && a->have_plan ? &a->plan : NULL;
}

enum aw_status
aw_tui_plan_start(struct aw_tui_apply *a, const struct aw_tui_model *m,
    aw_tui_event_cb cb, void *arg, struct aw_error *err)
{
	enum aw_status st;

	if (a->apply_job != NULL)
		return aw_error_set(err, AW_ERR_INVALID, _("changes are being applied"));
	aw_plan_job_free(a->plan_job);
	a->plan_job = NULL;
	aw_wants_done(&a->wants);
	aw_wants_init(&a->wants);
	aw_plan_done(&a->plan);
	aw_plan_init(&a->plan);
	a->have_plan = false;
	if ((st = aw_tui_wants(m, &a->wants, err)) != AW_OK)
		return st;
	a->cb = cb;
	a->arg = arg;
	return aw_plan_make(a->p, a->domain, &a->wants, &a->plan, plan_cb, a,
	    &a->plan_job, err);
}

/* An AW_EV_APPLY_RECORD for each change of plan in state. */
static void
post_each(struct aw_tui_apply *a, const struct aw_plan *plan,
    enum aw_change_state state, bool ok, int count, const char *text)
{
	struct aw_tui_event ev;
	size_t i;

	for (i = 0; i < plan->nchanges; i++) {
		if (plan->changes[i].state != state)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_APPLY_RECORD;
		ev.index = i;
		ev.ok = ok;
		ev.count = count;
		ev.text = text;
		post(a, &ev);
	}
}

/* Per change: already as wanted (not sent) when the sending starts
 * (count 2); sending (count 1) once a request carrying it is about to
 * leave (a change still waiting for its turn is not "sending":
 * interrupted, it was not sent); made, what the host accepted, before
 * the read-back. */
static void
apply_progress(enum aw_apply_phase phase, const struct aw_plan *plan, void *arg)
{
	struct aw_tui_apply *a = arg;

	if (phase == AW_APPLY_CONFIRMING)
		post_each(a, plan, AW_CHANGE_MADE, true, 0, _("made"));
	else if (phase == AW_APPLY_IN_FLIGHT)
		post_each(a, plan, AW_CHANGE_INFLIGHT, false, 1, NULL);
	else if (phase == AW_APPLY_SENDING && !a->sending_told) {
		a->sending_told = true;
		post_each(a, plan, AW_CHANGE_SKIPPED, false, 2,
		    _("already as wanted: not sent"));
	}
}

static void
apply_cb(struct aw_plan *plan, enum aw_status status, const struct aw_error *err,
    void *arg)
{
	struct aw_tui_apply *a = arg;
	struct aw_tui_event ev;
	size_t i;

	for (i = 0; i < plan->nchanges; i++) {
		const struct aw_change *c = &plan->changes[i];

		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_APPLY_RECORD;
		ev.index = i;
		switch (c->state) {
		case AW_CHANGE_SKIPPED:
			if (a->sending_told)
				continue;
			ev.count = 2;
			ev.text = _("already as wanted: not sent");
			break;
		case AW_CHANGE_MADE:
			ev.ok = true;
			/* A deletion is not "made" (issue 14). */
			if (c->kind == AW_CHANGE_DELETE)
				ev.text = c->confirmed ? _("removed and read back: gone") :
				    _("removed");
			else
				ev.text = c->confirmed ? _("made and read back") : _("made");
			break;
		case AW_CHANGE_PARTIAL:
			ev.text = _("partly made: run 'authwizard undo' or apply again");
			break;
		case AW_CHANGE_FAILED:
			ev.text = err != NULL && err->msg[0] ? err->msg :
			    _("the DNS host refused it");
			break;
		case AW_CHANGE_PENDING:
		default:
			ev.text = err != NULL && err->msg[0] ? err->msg : _("not sent");
			break;
		}
		post(a, &ev);
	}
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_APPLY_DONE;
	ev.ok = status == AW_OK;
	if (status != AW_OK)
		ev.text = err != NULL && err->msg[0] ? err->msg : _("the apply failed");
	post(a, &ev);
}

enum aw_status
aw_tui_apply_start(struct aw_tui_apply *a, aw_tui_event_cb cb, void *arg,
    struct aw_error *err)
{
	struct aw_apply_opts opts;

	if (!a->have_plan)
		return aw_error_set(err, AW_ERR_INVALID, _("no plan to apply"));
	if (a->apply_job != NULL)
		return aw_error_set(err, AW_ERR_INVALID, _("changes are being applied"));
	memset(&opts, 0, sizeof opts);
	opts.progress = apply_progress;
	opts.progress_arg = a;
	a->cb = cb;
	a->arg = arg;
	a->sending_told = false;
	return aw_apply_start(a->p, &a->plan, &opts, apply_cb, a, &a->apply_job,
	    err);
}

struct aw_provider *
aw_tui_apply_provider(const struct aw_tui_apply *a)
{
	return a != NULL ? a->p : NULL;
}

enum aw_status
aw_tui_apply_change_ids(const struct aw_tui_apply *a, struct aw_strv *out)
{
	if (a == NULL || !a->have_plan)
		return AW_OK;
	return aw_expect_change_ids(&a->plan, out);
}
