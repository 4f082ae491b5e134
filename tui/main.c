/* tui/main.c: the wizard's main loop. It owns the terminal, the DNS
 * resolver and the HTTP transport through one event loop (core/loop.h):
 * keys and answers become model events, the model's effects become
 * lookups, applies and redraws. Nothing here blocks on the network. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/authority.h"
#include "checks/catalog.h"
#include "checks/dkim.h"
#include "checks/dnshost.h"
#include "checks/dnssec.h"
#include "checks/domain.h"
#include "checks/preflight-overlay.h"
#include "checks/requirements.h"
#include "checks/spf-lint.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/journal.h"
#include "providers/provider.h"
#include "tui/apply.h"
#include "tui/catalog.h"
#include "tui/dkim-key.h"
#include "tui/model.h"
#include "tui/policy.h"
#include "tui/preflight.h"
#include "tui/recheck.h"
#include "tui/tui.h"
#include "tui/view.h"

#define TICK_MS 150
#define RECHECK_INTERVAL_MS 2000
#define RECHECK_DEADLINE_MS (15 * 60 * 1000)

struct tui;

/* One domain check: the overview's, or the PTR step's; or one area of
 * its own: the overview's DNSSEC (validation may be slow: the overview
 * never waits on it) or the BIMI step's draft. Stale runs (a new one
 * started) finish in the background and are freed then. */
struct check_run {
	struct tui *t;
	unsigned gen;
	bool ptr;
	bool dnssec, bimi;          /* one area of its own (ptr false) */
	char *draft;                /* bimi: the record checked */
	const char *areas[1];
	bool dc_done, txt_done, host_done;
	struct aw_domain_check *dc;
	struct aw_strv selectors, ips;
	char *helo;                 /* the HELO name; a bimi run: its selector */
	struct aw_domain_check_opts opts;
	struct check_run *next;
};

/* The SPF step's deep count: the lookup tree (checks/spf-lint.h) of the
 * domain over the zone as it will be (checks/preflight-overlay.h, the
 * preflight's: the one TXT change the draft makes at the domain), so the
 * wizard counts exactly what `check` will count once it is published. */
struct spf_eval {
	struct tui *t;
	unsigned gen;
	char *draft;
	struct aw_record before, after;
	struct aw_preflight_change change;
	struct aw_preflight_overlay ov;
	struct aw_dns_source src;
	struct aw_spf_tree *tree;
	bool pending;
	struct spf_eval *next;
};

struct tui {
	struct aw_tui_model *m;
	struct spf_eval *evals;
	unsigned eval_gen;
	struct aw_tui_run *run;     /* the caller's loop, resolver, servers */
	struct aw_dns_source src;
	struct check_run *runs;
	unsigned gen, ptr_gen, bimi_gen;
	struct aw_validator *validator;  /* made on first use; none with
	                                  * --no-dnssec */
	struct aw_tui_apply *apply;
	struct aw_tui_preflight *pf;    /* the review's preflight runs */
	struct aw_tui_recheck *recheck;
	struct aw_fetcher fetcher;      /* the domain's own web files (the
	                                 * MTA-STS policy, the BIMI step's
	                                 * logo and certificate); ops NULL:
	                                 * none (BIMI tries again) */
	struct aw_tui_policy_fetch *policy_fetch;  /* the recheck's */
	struct aw_loop_timer *tick;
	int sigpipe[2];
	bool quit, dirty;
};

static volatile sig_atomic_t got_signal;
static int sigpipe_w = -1;

static void do_fx(struct tui *t, unsigned fx);
static void start_area(struct tui *t, bool bimi);

static void
post(struct tui *t, const struct aw_tui_event *ev)
{
	do_fx(t, aw_tui_model_event(t->m, ev));
}

static void
post_cb(const struct aw_tui_event *ev, void *arg)
{
	post(arg, ev);
}

/* ---- checks ---- */

static void
run_free(struct check_run *r)
{
	aw_domain_check_free(r->dc);
	aw_strv_done(&r->selectors);
	aw_strv_done(&r->ips);
	free(r->helo);
	free(r->draft);
	free(r);
}

static bool
run_current(const struct check_run *r)
{
	return r->gen == (r->ptr ? r->t->ptr_gen : r->bimi ? r->t->bimi_gen :
	    r->t->gen);
}

/* The mailbox providers' sender rules, judged once over the finished
 * check (checks/requirements.c, as `check --requirements`); the model
 * gets their summary. */
static void
post_requirements(struct check_run *r)
{
	struct aw_requirements req;
	struct aw_tui_req_summary sum;
	struct aw_tui_event ev;

	aw_requirements_init(&req);
	if (aw_requirements_judge(r->dc, &req) == AW_OK) {
		aw_tui_req_summarize(&req, &sum);
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_REQUIREMENTS;
		ev.req = &sum;
		post(r->t, &ev);
	}
	aw_requirements_done(&req);
}

static void
section_to_model(struct check_run *r, struct aw_section *sec)
{
	struct aw_tui_event ev;

	if (!run_current(r))
		return;
	memset(&ev, 0, sizeof ev);
	ev.sec = sec;
	if (r->dnssec || r->bimi) {
		/* Its one section; the overview's end is the main run's. */
		if (sec == NULL || strcmp(sec->area, r->areas[0]) != 0)
			return;
		ev.type = r->bimi ? AW_EV_BIMI_CHECKED : AW_EV_SECTION;
		ev.text = r->draft;
		post(r->t, &ev);
		return;
	}
	if (r->ptr) {
		if (sec != NULL && strcmp(sec->area, "ptr") != 0 &&
		    strcmp(sec->area, "helo") != 0)
			return;
		ev.type = AW_EV_PTR_SECTION;
	} else {
		ev.type = sec != NULL ? AW_EV_SECTION : AW_EV_CHECK_DONE;
	}
	post(r->t, &ev);
	if (sec == NULL && !r->ptr && r->dc != NULL && run_current(r))
		post_requirements(r);
	/* DNSSEC once the check is done: the DKIM keys it found are the
	 * names validated (not every selector it asked). */
	if (sec == NULL && !r->ptr && run_current(r))
		start_area(r->t, false);
}

static void
check_cb(struct aw_domain_check *dc, struct aw_section *sec, void *arg)
{
	struct check_run *r = arg;

	(void)dc;
	if (sec == NULL)
		r->dc_done = true;
	section_to_model(r, sec);
}

static void
txt_cb(struct aw_dns_answer *ans, void *arg)
{
	struct check_run *r = arg;
	struct aw_tui_event ev;

	r->txt_done = true;
	if (run_current(r)) {
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_TXT_ANSWER;
		ev.ans = ans;
		post(r->t, &ev);
	}
	aw_dns_answer_free(ans);
}

/* The zone's own NS set (the authority lookup of checks/authority.h):
 * the DNS host it names is preselected. */
static void
host_cb(struct aw_authority *auth, void *arg)
{
	struct check_run *r = arg;
	struct aw_tui_event ev;
	const struct aw_dnshost *h;

	r->host_done = true;
	if (run_current(r)) {
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_DNS_HOST;
		ev.count = (int)aw_dnshost_match_authority(aw_dnshosts_default(),
		    auth, &h);
		ev.host = h;
		ev.text = auth->zone;
		post(r->t, &ev);
	}
	aw_authority_free(auth);
}

/* Frees runs that have finished (never from inside their callbacks). */
static void
reap_runs(struct tui *t)
{
	struct check_run **pp = &t->runs, *r;

	while ((r = *pp) != NULL) {
		if (r->dc_done && r->txt_done && r->host_done) {
			*pp = r->next;
			run_free(r);
		} else {
			pp = &r->next;
		}
	}
}

static void
start_check(struct tui *t, bool ptr)
{
	struct aw_tui_model *m = t->m;
	struct check_run *r = calloc(1, sizeof *r);
	struct aw_error err;
	size_t i;

	if (r == NULL)
		return;
	r->t = t;
	r->ptr = ptr;
	r->gen = ptr ? ++t->ptr_gen : ++t->gen;
	aw_strv_init(&r->selectors);
	aw_strv_init(&r->ips);
	if (ptr) {
		for (i = 0; i < m->nips; i++)
			aw_strv_push(&r->ips, m->ips[i].ip);
		if (m->helo.len > 0)
			r->helo = aw_domain_normalize(m->helo.text);
		r->opts.ips = (const char *const *)r->ips.v;
		r->opts.nips = r->ips.n;
		r->opts.helo = r->helo;
		r->txt_done = r->host_done = true;
	} else {
		unsigned per_row[AW_ROW_COUNT] = { 0 };

		for (i = 0; i < m->dkim_selectors.n; i++)
			aw_strv_push(&r->selectors, m->dkim_selectors.v[i]);
		r->opts.selectors = (const char *const *)r->selectors.v;
		r->opts.nselectors = r->selectors.n;
		r->opts.fetcher = t->fetcher.ops != NULL ? &t->fetcher : NULL;
		per_row[AW_ROW_SPF] = 1;
		per_row[AW_ROW_DKIM] = (unsigned)r->selectors.n;
		per_row[AW_ROW_DMARC] = 1;
		per_row[AW_ROW_MX] = 1;
		per_row[AW_ROW_VERIFY] = 1;
		aw_tui_model_check_started(m, per_row);
	}
	r->next = t->runs;
	t->runs = r;
	aw_error_clear(&err);
	if (aw_domain_check_start(&t->src, m->domain, &r->opts, check_cb, r,
	    &r->dc, &err) != AW_OK) {
		struct aw_tui_event ev;

		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_ERROR;
		ev.text = err.msg;
		post(t, &ev);
	}
	if (r->dc == NULL) {
		r->dc_done = r->txt_done = r->host_done = true;
		return;
	}
	if (!ptr && aw_authority_find_ns(t->run->session->res, m->domain,
	    host_cb, r) != AW_OK)
		r->host_done = true;
	/* Sections that finished inside start are not reported by it. */
	for (i = 0; i < aw_domain_check_count(r->dc); i++) {
		struct aw_section *sec = aw_domain_check_section(r->dc, i);

		if (sec->finished)
			section_to_model(r, sec);
	}
	/* Through the check's source: the apex TXT is asked once for SPF
	 * and the verification records. */
	if (!ptr && aw_dns_query(aw_domain_check_source(r->dc), m->domain,
	    AW_RECORD_TXT, txt_cb, r) != AW_OK)
		r->txt_done = true;
	if (aw_domain_check_finished(r->dc)) {
		r->dc_done = true;
		section_to_model(r, NULL);
	}
}

/* The overview's DNSSEC (the dnssec area over the validator, with the
 * DKIM keys the main run found, once it is done), or the BIMI step's
 * draft judged by the bimi area with its files fetched. A failure to
 * start is said; the BIMI step gets its answer (no section) either way. */
static void
start_area(struct tui *t, bool bimi)
{
	struct aw_tui_model *m = t->m;
	struct check_run *r;
	struct aw_tui_event ev;
	struct aw_error err;
	size_t i;

	memset(&ev, 0, sizeof ev);
	aw_error_clear(&err);
	if (!bimi && (t->run->no_dnssec || m->domain == NULL))
		return;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return;
	r->t = t;
	r->bimi = bimi;
	r->dnssec = !bimi;
	r->gen = bimi ? ++t->bimi_gen : t->gen;
	r->txt_done = r->host_done = true;
	aw_strv_init(&r->selectors);
	aw_strv_init(&r->ips);
	r->areas[0] = bimi ? "bimi" : "dnssec";
	r->opts.areas = r->areas;
	r->opts.nareas = 1;
	r->next = t->runs;
	t->runs = r;
	if (bimi) {
		if (t->fetcher.ops == NULL)
			aw_session_fetcher(t->run->session, &t->fetcher, &err);
		r->draft = m->bimi_draft ? aw_strdup(m->bimi_draft) : NULL;
		r->opts.bimi_draft = r->draft;
		/* The run's own copy: the field may change while it runs. */
		if (m->bimi_selector.len > 0 &&
		    (r->helo = aw_strdup(m->bimi_selector.text)) != NULL)
			r->opts.bimi_selector = r->helo;
		r->opts.fetcher = t->fetcher.ops != NULL ? &t->fetcher : NULL;
		r->opts.ca_file = t->run->session->ca_file;
	} else {
		int timeout = 0, tries = t->run->session->tries;

		if (t->run->session->timeout_ms > 0)
			timeout = t->run->session->timeout_ms * (tries > 0 ?
			    tries : 3) * 2;
		if (t->validator == NULL &&
		    aw_validator_new(t->run->session->loop,
		    &t->run->session->servers, t->run->trust_anchor, timeout,
		    &t->validator, &err) != AW_OK)
			t->validator = NULL;
		for (i = 0; i < m->dkim_found.n; i++)
			aw_strv_push(&r->selectors, m->dkim_found.v[i]);
		r->opts.selectors = (const char *const *)r->selectors.v;
		r->opts.nselectors = r->selectors.n;
		r->opts.validator = t->validator;
	}
	if (err.msg[0] == '\0' && (r->draft != NULL || !bimi) &&
	    aw_domain_check_start(&t->src, m->domain, &r->opts, check_cb, r,
	    &r->dc, &err) == AW_OK) {
		for (i = 0; i < aw_domain_check_count(r->dc); i++)
			if (aw_domain_check_section(r->dc, i)->finished)
				section_to_model(r, aw_domain_check_section(r->dc, i));
		if (aw_domain_check_finished(r->dc))
			r->dc_done = true;
		return;
	}
	r->dc_done = true;
	ev.type = AW_EV_ERROR;
	ev.text = err.msg;
	if (err.msg[0] != '\0')
		post(t, &ev);
	if (bimi) {
		ev.type = AW_EV_BIMI_CHECKED;
		ev.text = r->draft;
		post(t, &ev);
	}
}

/* ---- the DNS host's plan ---- */

static bool
creds_complete(const struct aw_tui_model *m)
{
	size_t i;

	for (i = 0; i < aw_tui_targets[m->target].ncred; i++)
		if (*aw_tui_model_cred(m, m->target, i) == '\0')
			return false;
	return true;
}

/* A new session with the chosen host (credentials may have changed) and
 * its plan; without a host or credentials the diff stays the one worked
 * out from DNS. */
static void
start_plan(struct tui *t)
{
	struct aw_tui_event ev;
	struct aw_error err;

	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PLAN_READY;
	if (t->m->applying)
		return;
	/* The recheck may be asking this session's host. */
	aw_tui_recheck_free(t->recheck);
	t->recheck = NULL;
	aw_tui_apply_free(t->apply);
	t->apply = NULL;
	if (t->m->target == AW_TARGET_SHOW || !creds_complete(t->m)) {
		post(t, &ev);
		return;
	}
	aw_error_clear(&err);
	if ((t->apply = aw_tui_apply_new(t->run->session, t->m, &err)) == NULL ||
	    aw_tui_plan_start(t->apply, t->m, post_cb, t, &err) != AW_OK) {
		ev.text = err.msg[0] ? err.msg : _("the DNS host could not make a plan");
		post(t, &ev);
	}
}

/* The zone as the host's plan leaves it, checked by the engine `plan`
 * uses (tui/preflight.h); the review shows what it finds. The show
 * target has no host: its plan is made from what DNS said (issue 13). */
static void
start_preflight(struct tui *t)
{
	const struct aw_plan *plan = aw_tui_apply_plan(t->apply);
	struct aw_plan shown;
	struct aw_tui_event ev;
	struct aw_error err;

	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PREFLIGHT;
	aw_error_clear(&err);
	aw_plan_init(&shown);
	if (t->m->target == AW_TARGET_SHOW)
		plan = aw_tui_plan_offline(t->m, &shown, &err) == AW_OK ?
		    &shown : NULL;
	if (plan == NULL && err.msg[0] == '\0')
		aw_error_set(&err, AW_ERR_INVALID, _("no plan to check"));
	else if (plan != NULL && t->pf == NULL &&
	    (t->pf = aw_tui_preflight_new(t->run->session->loop, &t->src)) == NULL)
		aw_error_set(&err, AW_ERR_NOMEM, _("out of memory"));
	if (t->pf == NULL || plan == NULL ||
	    aw_tui_preflight_start(t->pf, plan, post_cb, t, &err) != AW_OK) {
		ev.text = err.msg;
		post(t, &ev);
	}
	aw_plan_done(&shown);
}

/* ---- the SPF lookup count ---- */

static void
eval_free(struct spf_eval *e)
{
	/* Only once the overlay holds no question (reap_evals), or the
	 * resolver has answered them all (leaving). */
	aw_spf_tree_free(e->tree);
	aw_preflight_overlay_abandon(&e->ov);
	aw_record_done(&e->before);
	aw_record_done(&e->after);
	free(e->draft);
	free(e);
}

static void
eval_tree_cb(struct aw_spf_tree *tree, void *arg)
{
	struct spf_eval *e = arg;
	struct aw_tui_event ev;

	e->pending = false;
	if (e->gen != e->t->eval_gen || tree->root == NULL ||
	    tree->root->state != AW_SPF_NODE_OK)
		return;
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_SPF_EVAL;
	ev.count = (int)tree->lookups;
	if (e->t->m->spf_draft != NULL && strcmp(e->t->m->spf_draft, e->draft) == 0)
		post(e->t, &ev);
}

static void
reap_evals(struct tui *t)
{
	struct spf_eval **pp = &t->evals, *e;

	while ((e = *pp) != NULL) {
		if (!e->pending && e->ov.inflight == NULL) {
			*pp = e->next;
			eval_free(e);
		} else {
			pp = &e->next;
		}
	}
}

static void
start_spf_eval(struct tui *t)
{
	struct spf_eval *e;
	struct aw_spf_tree_opts opts;

	if (t->m->spf_draft == NULL || t->m->domain == NULL ||
	    (e = calloc(1, sizeof *e)) == NULL)
		return;
	e->t = t;
	e->gen = ++t->eval_gen;
	if ((e->draft = strdup(t->m->spf_draft)) == NULL ||
	    aw_tui_model_spf_change(t->m, &e->before, &e->after) != AW_OK) {
		eval_free(e);
		return;
	}
	e->change.before = &e->before;
	e->change.after = &e->after;
	e->ov.live = &t->src;
	e->ov.changes = &e->change;
	e->ov.nchanges = 1;
	e->src = aw_preflight_overlay_source(&e->ov);
	memset(&opts, 0, sizeof opts);
	opts.lighter = aw_catalog_spf_lighter;
	opts.lighter_arg = (void *)aw_catalog_default();
	e->pending = true;
	if (aw_spf_tree_start(&e->src, t->m->domain, &opts, eval_tree_cb, e,
	    &e->tree, NULL) != AW_OK) {
		eval_free(e);
		return;
	}
	e->next = t->evals;
	t->evals = e;
}

/* ---- effects ---- */

/* The MTA-STS step: its policy file written, or the served policy
 * fetched after the recheck (tui/policy.h). */
static void
policy_fx(struct tui *t, unsigned fx)
{
	struct aw_tui_mtasts *s = &t->m->mtasts;
	struct aw_tui_event ev;
	struct aw_error err;
	enum aw_status st;

	memset(&ev, 0, sizeof ev);
	aw_error_clear(&err);
	if ((fx & AW_FX_WRITE_POLICY) && s->policy != NULL) {
		st = aw_tui_policy_write(s->path.text, s->policy, s->overwrite, &err);
		ev.type = AW_EV_POLICY_WRITTEN;
		ev.ok = st == AW_OK;
		ev.count = st == AW_ERR_CONFLICT ? 1 : 0;
		ev.text = err.msg;
		post(t, &ev);
	}
	if (fx & AW_FX_FETCH_POLICY) {
		if (!aw_tui_policy_fetch_done(t->policy_fetch))
			return;
		aw_tui_policy_fetch_free(t->policy_fetch);
		t->policy_fetch = aw_tui_policy_fetch_start(&t->src, t->m->domain,
		    t->fetcher.ops != NULL ? &t->fetcher : NULL, post_cb, t, &err);
		if (t->policy_fetch == NULL) {
			ev.type = AW_EV_POLICY_FETCHED;
			post(t, &ev);
		}
	}
}

static void
do_fx(struct tui *t, unsigned fx)
{
	struct aw_tui_event ev;
	struct aw_error err;

	if (fx & (AW_FX_REDRAW | AW_FX_STATUS))
		t->dirty = true;
	if (fx & AW_FX_QUIT)
		t->quit = true;
	/* Leaving: nothing new is started (answers still come in while the
	 * resolver is freed). */
	if (t->quit)
		return;
	if (fx & AW_FX_START_CHECK)
		start_check(t, false);
	if (fx & AW_FX_BIMI_CHECK)
		start_area(t, true);
	if (fx & AW_FX_PTR_CHECK)
		start_check(t, true);
	if (fx & AW_FX_SPF_EVAL)
		start_spf_eval(t);
	if (fx & AW_FX_DKIM_KEYGEN)
		aw_tui_make_dkim_key(t->m, post_cb, t);
	if (fx & AW_FX_BUILD_PLAN)
		start_plan(t);
	if (fx & AW_FX_PREFLIGHT)
		start_preflight(t);
	if (fx & AW_FX_APPLY) {
		aw_error_clear(&err);
		if (t->apply == NULL)
			aw_error_set(&err, AW_ERR_INVALID, _("no plan to apply"));
		if (t->apply == NULL ||
		    aw_tui_apply_start(t->apply, post_cb, t, &err) != AW_OK) {
			memset(&ev, 0, sizeof ev);
			ev.type = AW_EV_ERROR;
			ev.ok = true;             /* the apply stopped */
			ev.text = err.msg;
			post(t, &ev);
		}
	}
	if (fx & (AW_FX_WRITE_POLICY | AW_FX_FETCH_POLICY))
		policy_fx(t, fx);
	if (fx & AW_FX_RECHECK) {
		/* With --dns-server those servers are the ones to watch (a test
		 * bed, a split horizon); else the zone's authoritative ones. */
		struct aw_strv ids;
		struct aw_tui_recheck_host host;

		aw_tui_recheck_free(t->recheck);
		t->recheck = NULL;
		/* DNSSEC asked again: the recheck notes a bogus answer. */
		start_area(t, false);
		/* Route 53: its own state of the change (GetChange), through
		 * the session that applied it. */
		aw_strv_init(&ids);
		host.p = aw_tui_apply_provider(t->apply);
		host.ids = &ids;
		if (t->m->applied)
			aw_tui_apply_change_ids(t->apply, &ids);
		t->recheck = aw_tui_recheck_start(t->run->session->res, t->run->session->loop,
		    (const char *const *)t->run->session->servers.v,
		    t->run->session->servers.n, t->m,
		    &host, RECHECK_INTERVAL_MS,
		    aw_loop_now_ms() + RECHECK_DEADLINE_MS, post_cb, t);
		aw_strv_done(&ids);
	}
}

/* ---- terminal, signals, timer ---- */

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	got_signal = sig;
	if (sigpipe_w >= 0 && write(sigpipe_w, &c, 1) < 0) {
		/* nothing to do: the flag is set */
	}
	errno = saved;
}

static void
drain_keys(struct tui *t)
{
	struct aw_tui_event ev;
	int n = 0;

	while (!t->quit && n++ < 256 && aw_view_read(&ev)) {
		if (ev.type == AW_EV_RESIZE)
			t->dirty = true;
		post(t, &ev);
	}
}

static void
stdin_cb(int fd, int revents, void *arg)
{
	struct tui *t = arg;

	(void)fd;
	if (revents & AW_LOOP_ERROR) {
		/* The terminal went away: leave, reporting what was done. */
		t->quit = true;
		return;
	}
	drain_keys(t);
}

static void
sigpipe_cb(int fd, int revents, void *arg)
{
	struct tui *t = arg;
	struct aw_tui_event ev;
	char buf[16];
	ssize_t n;

	(void)revents;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		ssize_t i;

		for (i = 0; i < n; i++) {
			if (buf[i] == SIGINT) {
				memset(&ev, 0, sizeof ev);
				ev.type = AW_EV_QUIT;
				post(t, &ev);
			} else {
				t->quit = true;      /* SIGTERM, SIGHUP */
			}
		}
	}
}

static void
tick_cb(void *arg)
{
	struct tui *t = arg;
	struct aw_tui_event ev;

	t->tick = aw_loop_timer_add(t->run->session->loop, TICK_MS, tick_cb, t);
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_TICK;
	post(t, &ev);
}

static void
tui_cleanup_terminal(void)
{
	aw_view_done();
}

/* Without the sender catalog the wizard still works, with no services to
 * pick: the message line says why. */
static void
note_no_catalog(struct tui *t)
{
	const struct aw_error *cerr = aw_catalog_default_error();
	char *msg = NULL;
	struct aw_tui_event ev;

	if (asprintf(&msg, _("the sender catalog cannot be read: %s: %s"),
	    cerr != NULL ? cerr->where : "", cerr != NULL ? cerr->msg :
	    "") < 0)
		msg = NULL;
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_ERROR;
	ev.text = msg;
	post(t, &ev);
	free(msg);
}

/* Credentials from the environment (copied into the model, never shown),
 * the variables named by the provider table (aw_tui_targets). */
static void
creds_from_env(struct aw_tui_model *m)
{
	size_t k;
	int tg;

	for (tg = 0; tg < AW_TARGET_COUNT; tg++)
		for (k = 0; k < aw_tui_targets[tg].ncred; k++) {
			const char *v = getenv(aw_tui_targets[tg].cred[k].env);

			if (v != NULL && *v != '\0')
				aw_tui_model_set_cred(m, tg, k, v);
		}
	/* A host may find its own (Route 53: a profile, as the AWS CLI). */
	for (tg = 0; tg < AW_TARGET_SHOW; tg++)
		m->cred_elsewhere[tg] = aw_providers[tg] != NULL &&
		    aw_providers[tg]->stored_credentials != NULL &&
		    aw_providers[tg]->stored_credentials();
}

enum aw_tui_outcome
aw_tui_run(struct aw_tui_run *run, struct aw_error *err)
{
	struct aw_tui_senders senders;
	const struct aw_catalog *cat;
	struct tui t;
	struct sigaction sa;
	const char *domain = run->domain, *provider = run->provider;
	char *report;
	enum aw_tui_outcome rc = AW_TUI_RUN_DONE;

	/* curses draws in the locale's character set */
	aw_i18n_init();
	memset(&t, 0, sizeof t);
	t.sigpipe[0] = t.sigpipe[1] = -1;
	t.run = run;
	/* The shared sender catalog (data/senders.json and senders.d). */
	/* Without it the wizard still works, with no services to pick: the
	 * message line says why. */
	cat = aw_catalog_default();
	if (aw_tui_senders_from(cat, &senders) != AW_OK ||
	    (t.m = aw_tui_model_new(senders.v, senders.n)) == NULL) {
		aw_tui_senders_done(&senders);
		aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
		return AW_TUI_RUN_NOMEM;
	}
	if (provider != NULL && !aw_tui_model_set_target(t.m, provider)) {
		aw_tui_model_free(t.m);
		aw_tui_senders_done(&senders);
		aw_error_set(err, AW_ERR_INVALID,
		    _("--provider: unknown DNS host %s (%s, show)"),
		    provider, aw_provider_names(false));
		return AW_TUI_RUN_USAGE;
	}
	creds_from_env(t.m);
	t.src = aw_resolver_source(run->session->res);
	/* Without it the MTA-STS policy is not fetched: the step says so. */
	{
		struct aw_error ferr;

		aw_error_clear(&ferr);
		if (aw_session_fetcher(run->session, &t.fetcher, &ferr) != AW_OK)
			memset(&t.fetcher, 0, sizeof t.fetcher);
	}

	/* Signals through a self-pipe: handled in the loop, never in the
	 * handler. */
	if (pipe(t.sigpipe) == 0) {
		fcntl(t.sigpipe[0], F_SETFL, O_NONBLOCK);
		fcntl(t.sigpipe[1], F_SETFL, O_NONBLOCK);
		fcntl(t.sigpipe[0], F_SETFD, FD_CLOEXEC);
		fcntl(t.sigpipe[1], F_SETFD, FD_CLOEXEC);
		sigpipe_w = t.sigpipe[1];
		aw_loop_watch(t.run->session->loop, t.sigpipe[0], AW_LOOP_READ, sigpipe_cb, &t);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if (!aw_view_load(err)) {
		rc = AW_TUI_RUN_USAGE;
		goto done;
	}
	if (!aw_view_init()) {
		aw_error_set(err, AW_ERR_INVALID, _("cannot use this terminal (TERM=%s)"),
		    getenv("TERM") ? getenv("TERM") : "");
		rc = AW_TUI_RUN_USAGE;
		goto done;
	}
	atexit(tui_cleanup_terminal);
	aw_loop_watch(t.run->session->loop, STDIN_FILENO, AW_LOOP_READ, stdin_cb, &t);
	t.tick = aw_loop_timer_add(t.run->session->loop, TICK_MS, tick_cb, &t);
	if (domain != NULL) {
		do_fx(&t, aw_tui_model_set_domain(t.m, domain));
		if (t.m->screen == AW_SCR_DOMAIN) {
			char *copy = aw_strdup(domain);
			size_t i;

			/* Not a domain: leave it in the field to correct. */
			for (i = 0; copy != NULL && copy[i] && t.m->domain_field.len <
			    AW_TUI_FIELD_MAX - 1; i++)
				t.m->domain_field.text[t.m->domain_field.len++] = copy[i];
			free(copy);
		}
	}
	if (cat == NULL)
		note_no_catalog(&t);
	t.dirty = true;
	while (!t.quit) {
		if (t.dirty) {
			aw_view_draw(t.m);
			t.dirty = false;
		}
		aw_loop_run_once(t.run->session->loop, 1000);
		/* A resize (SIGWINCH) interrupts poll: its KEY_RESIZE is read
		 * here even though stdin had nothing. */
		drain_keys(&t);
		reap_runs(&t);
		reap_evals(&t);
		aw_tui_preflight_reap(t.pf);
	}

done:
	aw_view_done();
	if (rc != AW_TUI_RUN_DONE)
		;
	else if (t.m->applying)
		rc = AW_TUI_RUN_PARTIAL;
	else if (t.m->nfailed > 0)
		rc = t.m->napplied > 0 ? AW_TUI_RUN_PARTIAL : AW_TUI_RUN_HOST_FAILED;
	report = aw_tui_model_apply_report(t.m);
	if (report != NULL) {
		fputs(report, rc == AW_TUI_RUN_DONE ? stdout : stderr);
		free(report);
	} else if (rc == AW_TUI_RUN_DONE && t.m->domain != NULL) {
		printf(_("Nothing was changed.\n"));
	}
	aw_tui_recheck_free(t.recheck);     /* it borrows the apply's host */
	aw_tui_apply_free(t.apply);
	if (t.tick != NULL)
		aw_loop_timer_cancel(t.run->session->loop, t.tick);
	sigpipe_w = -1;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	/* Lookups still pending are answered (as failed) while the
	 * resolver goes, so the checks waiting on them finish and free
	 * themselves before their runs are freed below. */
	if (run->session->res != NULL)
		aw_resolver_answer_on_free(run->session->res, true);
	aw_resolver_free(run->session->res);
	run->session->res = NULL;
	aw_tui_preflight_free(t.pf);
	aw_tui_policy_fetch_free(t.policy_fetch);
	/* The overlays' questions were answered with the resolver. */
	while (t.evals != NULL) {
		struct spf_eval *e = t.evals;

		t.evals = e->next;
		eval_free(e);
	}
	while (t.runs != NULL) {
		struct check_run *r = t.runs;

		t.runs = r->next;
		/* An unfinished check's lookups were dropped with the
		 * resolver: its sections are no longer referenced. */
		run_free(r);
	}
	/* After the runs: an unfinished dnssec section cancels its
	 * questions on the validator as it is let go. */
	aw_validator_free(t.validator);
	if (t.sigpipe[0] >= 0) {
		close(t.sigpipe[0]);
		close(t.sigpipe[1]);
	}
	aw_tui_model_free(t.m);
	aw_tui_senders_done(&senders);
	aw_catalog_default_free();
	aw_dnshosts_default_free();
	return rc;
}
