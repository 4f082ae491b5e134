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

/* ---- wants ---- */

/* RFC 7208 §3.2: one SPF record. When the user kept every published term
 * the plan merges the chosen terms into what the host holds (the builder
 * of checks/spf-build.h, as `authwizard plan --spf-include`); when terms
 * were taken out, the record chosen replaces every SPF record there. */
static enum aw_status
want_spf(const struct aw_tui_model *m, const struct aw_tui_change *c,
    struct aw_wants *w, struct aw_error *err)
{
	struct aw_strv want, cur;
	char *all = NULL;
	size_t i;
	bool removed = false;
	enum aw_status st;

	aw_strv_init(&want);
	aw_strv_init(&cur);
	/* The draft's "all" is passed on as chosen: the plan keeps it
	 * (a published "-all" stays "-all"). */
	(void)aw_spf_split(c->value, &want, &all, NULL);
	for (i = 0; i < m->cur_spf.n; i++)
		(void)aw_spf_split(m->cur_spf.v[i], &cur, NULL, NULL);
	for (i = 0; i < cur.n; i++)
		if (!aw_spf_terms_have((const char *const *)want.v, want.n, cur.v[i]))
			removed = true;
	if (!removed) {
		st = aw_wants_add_spf(w, c->name, (const char *const *)want.v,
		    want.n, all, err);
	} else {
		/* Every "v=spf1" value goes, the other TXT stay. */
		st = aw_wants_add_txt_replace(w, c->name, "v=spf1", c->value,
		    err);
	}
	free(all);
	aw_strv_done(&want);
	aw_strv_done(&cur);
	return st;
}

/* The forward record of the PTR name: what it has now plus the IP. */
static enum aw_status
want_addr(const struct aw_tui_model *m, const struct aw_tui_change *c,
    struct aw_wants *w, struct aw_error *err)
{
	struct aw_strv v;
	unsigned char buf[16];
	int fam = c->type == AW_RECORD_A ? AF_INET : AF_INET6;
	size_t i;
	enum aw_status st;

	aw_strv_init(&v);
	if (m->helo_checked != NULL && aw_domain_equal(m->helo_checked, c->name))
		for (i = 0; i < m->helo_addrs.n; i++)
			if (inet_pton(fam, m->helo_addrs.v[i], buf) == 1)
				aw_strv_push(&v, m->helo_addrs.v[i]);
	if (aw_strv_find(&v, c->value) < 0)
		aw_strv_push(&v, c->value);
	st = aw_wants_add_rrset(w, c->name, c->type,
	    (const char *const *)v.v, v.n, 0, err);
	aw_strv_done(&v);
	return st;
}

/* The PTR of a sending IP, in case this host holds its reverse zone
 * (RFC 1035 §3.5, RFC 3596 §2.5); when it does not, the plan refuses it
 * and the request to the IP's owner stays. */
static enum aw_status
want_ptr(const struct aw_tui_model *m, const struct aw_tui_change *c,
    struct aw_wants *w)
{
	size_t i;

	if (c->type != AW_RECORD_PTR || c->value == NULL)
		return AW_OK;
	for (i = 0; i < m->nips; i++) {
		char *rev = aw_reverse_name(m->ips[i].ip);
		bool same = rev != NULL && aw_domain_equal(rev, c->name);

		free(rev);
		if (same)
			/* Not one to refuse the rest for: the request stays. */
			return aw_wants_add_ptr(w, m->ips[i].ip, c->value, NULL) ==
			    AW_ERR_NOMEM ? AW_ERR_NOMEM : AW_OK;
	}
	return AW_OK;
}

bool
aw_tui_is_reverse_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 13 && aw_strcasecmp(name + n - 13, ".in-addr.arpa") == 0) ||
	    (n > 9 && aw_strcasecmp(name + n - 9, ".ip6.arpa") == 0);
}

enum aw_status
aw_tui_wants(const struct aw_tui_model *m, struct aw_wants *w,
    struct aw_error *err)
{
	size_t i;
	enum aw_status st = AW_OK;
	char *dmarc_name = NULL;

	if (m->domain == NULL)
		return aw_error_set(err, AW_ERR_INVALID, _("no domain"));
	if ((dmarc_name = malloc(strlen(m->domain) + 8)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	/* RFC 7489 §6.1: the policy record's name. */
	snprintf(dmarc_name, strlen(m->domain) + 8, "_dmarc.%s", m->domain);
	for (i = 0; i < m->nchanges && st == AW_OK; i++) {
		const struct aw_tui_change *c = &m->changes[i];

		if (c->op == AW_TUI_REQUEST) {
			st = want_ptr(m, c, w);
			continue;
		}
		if (c->op == AW_TUI_DELETE) {
			st = aw_wants_add_delete(w, c->name,
			    c->type, err);
		} else if (c->type == AW_RECORD_TXT && aw_domain_equal(c->name, m->domain) &&
		    aw_spf_is_record_str(c->value)) {
			st = want_spf(m, c, w, err);
		} else if (c->type == AW_RECORD_TXT && aw_domain_equal(c->name, dmarc_name)) {
			st = aw_wants_add_dmarc(w, m->domain, c->value, err);
		} else if (c->type == AW_RECORD_A || c->type == AW_RECORD_AAAA) {
			st = want_addr(m, c, w, err);
		} else {
			const char *v[1] = { c->value };

			st = aw_wants_add_rrset(w, c->name, c->type,
			    v, 1, 0, err);
		}
	}
	free(dmarc_name);
	return st;
}

/* ---- the show target's plan, from what DNS said ---- */

/* What the wizard read at name/type: true when it knows (the values go
 * into r, initialised here). */
static bool
offline_current(const struct aw_tui_model *m, const char *name,
    enum aw_record_type type, struct aw_record_set *cur, struct aw_error *err,
    enum aw_status *st)
{
	struct aw_record *r;
	size_t i, k;
	bool known = false;

	*st = AW_OK;
	if (aw_record_set_find(cur, name, type) != NULL)
		return true;
	if ((r = aw_record_set_push(cur)) == NULL ||
	    aw_record_init(r, name, type, 0) != AW_OK) {
		*st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		return false;
	}
	if (type == AW_RECORD_TXT && aw_domain_equal(name, m->domain)) {
		/* Every TXT record there, when the lookup answered. */
		for (i = 0; i < m->cur_txt.n && *st == AW_OK; i++)
			*st = aw_record_add(r, m->cur_txt.v[i]);
		return m->spf_unread == NULL;
	}
	for (i = 0; i < m->nchanges && *st == AW_OK; i++) {
		const struct aw_tui_change *c = &m->changes[i];

		if (c->op == AW_TUI_REQUEST || c->type != type ||
		    !aw_domain_equal(c->name, name))
			continue;
		known = true;
		for (k = 0; k < c->old.n && *st == AW_OK; k++)
			if (aw_record_find(r, c->old.v[k]) < 0)
				*st = aw_record_add(r, c->old.v[k]);
		for (k = 0; k < c->keep.n && *st == AW_OK; k++)
			if (aw_record_find(r, c->keep.v[k]) < 0)
				*st = aw_record_add(r, c->keep.v[k]);
	}
	if (*st != AW_OK)
		aw_error_set(err, *st, _("out of memory"));
	return known;
}

enum aw_status
aw_tui_plan_offline(const struct aw_tui_model *m, struct aw_plan *plan,
    struct aw_error *err)
{
	struct aw_wants w;
	struct aw_record_set cur;
	struct aw_strv names;
	struct aw_zone *zones = NULL;
	enum aw_status st;
	size_t i;

	aw_wants_init(&w);
	aw_record_set_init(&cur);
	aw_strv_init(&names);
	if ((st = aw_tui_wants(m, &w, err)) != AW_OK)
		goto out;
	for (i = 0; i < w.n && st == AW_OK; i++) {
		const char *why = NULL;

		if (offline_current(m, w.v[i].name, w.v[i].type, &cur, err, &st) ||
		    st != AW_OK)
			continue;
		/* Unknown is not absent: the plan refuses to create there. */
		if (w.v[i].type == AW_RECORD_TXT && aw_domain_equal(w.v[i].name, m->domain))
			why = m->spf_unread;
		if ((st = aw_wants_mark_unknown(&w, w.v[i].name,
		    why != NULL ? why : _("not looked at"))) != AW_OK)
			aw_error_set(err, st, _("out of memory"));
	}
	if (st != AW_OK || (st = aw_wants_names(&w, &names)) != AW_OK)
		goto out;
	/* Every name in the domain's zone: no host says otherwise. */
	if ((zones = calloc(names.n + 1, sizeof *zones)) == NULL) {
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		goto out;
	}
	for (i = 0; i < names.n; i++) {
		zones[i].id = aw_strdup(m->domain);
		zones[i].name = aw_strdup(m->domain);
		if (zones[i].id == NULL || zones[i].name == NULL) {
			st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			goto out;
		}
	}
	st = aw_plan_build(&w, &cur, &names, zones, plan, err);
	if (st == AW_OK && plan->domain == NULL &&
	    (plan->domain = aw_strdup(m->domain)) == NULL)
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
out:
	for (i = 0; zones != NULL && i < names.n; i++)
		aw_zone_done(&zones[i]);
	free(zones);
	aw_strv_done(&names);
	aw_record_set_done(&cur);
	aw_wants_done(&w);
	return st;
}

/* ---- the plan as the model shows it ---- */

enum aw_status
aw_tui_changes_from_plan(const struct aw_plan *plan, struct aw_tui_change **out,
    size_t *n)
{
	struct aw_tui_change *v;
	size_t i, k;

	*out = NULL;
	*n = 0;
	if ((v = calloc(plan->nchanges ? plan->nchanges : 1, sizeof *v)) == NULL)
		return AW_ERR_NOMEM;
	for (i = 0; i < plan->nchanges; i++) {
		const struct aw_change *pc = &plan->changes[i];
		struct aw_tui_change *c = &v[i];
		bool first = true;

		aw_strv_init(&c->old);
		aw_strv_init(&c->keep);
		aw_strv_init(&c->more);
		aw_strv_init(&c->notes);
		c->op = pc->kind == AW_CHANGE_CREATE ? AW_TUI_ADD :
		    pc->kind == AW_CHANGE_DELETE ? AW_TUI_DELETE : AW_TUI_REPLACE;
		c->name = aw_strdup(pc->old.name);
		c->type = pc->old.type;
		c->ttl = pc->new.ttl ? pc->new.ttl : pc->old.ttl;
		c->recheck = -1;
		c->state = pc->state == AW_CHANGE_SKIPPED ? AW_TUI_SKIPPED :
		    AW_TUI_PENDING;
		for (k = 0; k < pc->old.values.n; k++)
			aw_strv_push(aw_record_find(&pc->new, pc->old.values.v[k]) >= 0 ?
			    &c->keep : &c->old, pc->old.values.v[k]);
		for (k = 0; k < pc->new.values.n; k++) {
			if (aw_record_find(&pc->old, pc->new.values.v[k]) >= 0)
				continue;
			if (first)
				c->value = aw_strdup(pc->new.values.v[k]);
			else
				aw_strv_push(&c->more, pc->new.values.v[k]);
			first = false;
		}
		/* Only values taken out: the set is published when one that
		 * stays is there. */
		if (c->value == NULL && pc->new.values.n > 0)
			c->value = aw_strdup(pc->new.values.v[0]);
		for (k = 0; k < pc->notes.n; k++)
			aw_strv_push(&c->notes, pc->notes.v[k]);
		if (c->name == NULL) {
			aw_tui_changes_free(v, i + 1);
			return AW_ERR_NOMEM;
		}
	}
	*out = v;
	*n = plan->nchanges;
	return AW_OK;
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
	if (aw_tui_changes_from_plan(plan, &ev.changes, &ev.nchanges) != AW_OK) {
		ev.ok = false;
		ev.text = _("out of memory");
		post(a, &ev);
		return;
	}
	a->have_plan = true;
	ev.ok = true;
	ev.text = text = plan_text(plan);
	post(a, &ev);
	free(text);
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

/* Per change: started, or already as wanted (not sent). */
static void
apply_progress(enum aw_apply_phase phase, const struct aw_plan *plan, void *arg)
{
	struct aw_tui_apply *a = arg;
	struct aw_tui_event ev;
	size_t i;

	if (phase == AW_APPLY_CONFIRMING) {
		/* Sent: what the host accepted, before the read-back. */
		for (i = 0; i < plan->nchanges; i++) {
			if (plan->changes[i].state != AW_CHANGE_MADE)
				continue;
			memset(&ev, 0, sizeof ev);
			ev.type = AW_EV_APPLY_RECORD;
			ev.index = i;
			ev.ok = true;
			ev.text = _("made");
			post(a, &ev);
		}
		return;
	}
	if (phase != AW_APPLY_SENDING || a->sending_told)
		return;
	a->sending_told = true;
	for (i = 0; i < plan->nchanges; i++) {
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_APPLY_RECORD;
		ev.index = i;
		if (plan->changes[i].state == AW_CHANGE_SKIPPED) {
			ev.count = 2;
			ev.text = _("already as wanted: not sent");
		} else {
			ev.count = 1;
		}
		post(a, &ev);
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
