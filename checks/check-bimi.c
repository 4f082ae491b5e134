/* check-bimi.c: the BIMI area: the assertion record at
 * SELECTOR._bimi.DOMAIN (bimi.c), DMARC at enforcement as its
 * prerequisite (the RFC 9989 tree walk of orgdomain.h and the record
 * judged by dmarc.h), and the logo and mark certificate fetched through
 * the front end's fetcher and checked (bimi-media.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/bimi.h"
#include "checks/dmarc.h"
#include "checks/job.h"
#include "checks/orgdomain.h"
#include "core/i18n.h"
#include "core/str.h"

#define REF "draft-brand-indicators-for-message-identification"
#define CNAME_MAX 8

enum { MEDIA_SVG = 0, MEDIA_PEM, MEDIA_N };

struct bimi_media {
	const char *url;              /* points into the detail's record */
	char *host;
	struct aw_strv addrs;
	void *handle;                 /* the fetch in flight, or NULL */
	struct aw_job *job;
};

struct bimi_state {
	char *domain;
	struct aw_dmarc_walk walk;
	unsigned hops;
	bool judged;
	bool fallback_asked;          /* SELECTOR._bimi.<org domain> */
	char *selector;
	struct aw_fetcher fetcher;
	char *ca_file;
	struct bimi_media media[MEDIA_N];
};

static void
detail_free(void *p)
{
	struct aw_bimi_detail *d = p;

	if (d == NULL)
		return;
	free(d->selector);
	free(d->dmarc_policy);
	aw_bimi_record_done(&d->rec);
	aw_bimi_cert_done(&d->cert);
	free(d);
}

static void
state_free(void *p)
{
	struct bimi_state *s = p;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < MEDIA_N; i++) {
		if (s->media[i].handle != NULL)
			s->fetcher.ops->cancel(s->fetcher.impl,
			    s->media[i].handle);
		free(s->media[i].host);
		aw_strv_done(&s->media[i].addrs);
	}
	aw_dmarc_walk_done(&s->walk);
	free(s->domain);
	free(s->ca_file);
	free(s->selector);
	free(s);
}

static void
addr_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct bimi_media *m = arg;
	size_t i;

	aw_findings_lookup(&job->sec->f, ans);
	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == ans->qtype && m->addrs.n < 16)
			aw_strv_push(&m->addrs, ans->rr[i].u.addr.text);
	aw_dns_answer_free(ans);
}

/* The TXT records found at qname (or the draft given instead). */
static void
take_txts(struct aw_job *job, const struct aw_strv *txts, const char *qname)
{
	struct aw_bimi_detail *d = job->sec->detail;
	struct bimi_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	size_t i;

	for (i = 0; i < txts->n; i++) {
		if (!aw_bimi_is_record(txts->v[i], strlen(txts->v[i])))
			continue;
		aw_strv_push(&f->records, txts->v[i]);
		if (d->nrecords++ == 0)
			aw_bimi_parse(txts->v[i], strlen(txts->v[i]), &d->rec, f);
	}
	if (d->nrecords == 0) {
		/* Judged in bimi_idle, after the organizational domain's
		 * record is asked too. */
	} else if (s->fallback_asked && d->nrecords == 1) {
		aw_findings_add(f, AW_SEV_NOTE, "bimi.org-record", REF,
		    _("%s has no BIMI record of its own: the organizational domain's at %s applies"),
		    s->domain, qname);
	}
	if (d->nrecords > 1) {
		aw_findings_add(f, AW_SEV_ERROR, "bimi.multiple-records", REF,
		    _("%zu BIMI records at %s: mailbox providers show no logo"),
		    d->nrecords, job->sec->name);
	} else if (d->nrecords == 1 && d->rec.valid && !d->rec.declined) {
		s->media[MEDIA_SVG].url = d->rec.l;
		s->media[MEDIA_PEM].url = d->rec.a;
		for (i = 0; i < MEDIA_N; i++) {
			struct bimi_media *m = &s->media[i];

			m->host = aw_bimi_url_host(m->url);
			if (m->host == NULL)
				continue;
			aw_job_ask(job, m->host, AW_RECORD_A, addr_answer, m);
			aw_job_ask(job, m->host, AW_RECORD_AAAA, addr_answer, m);
		}
	}
}

static void
txt_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_strv txts;

	(void)arg;
	aw_findings_lookup(&job->sec->f, ans);
	aw_strv_init(&txts);
	aw_dns_answer_txts(ans, &txts);
	take_txts(job, &txts, ans->qname);
	aw_strv_done(&txts);
	aw_dns_answer_free(ans);
}

/* The DMARC tree walk, as check-dmarc.c runs it (CNAMEs chased). */
static void
walk_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct bimi_state *s = job->state;
	const char *target = aw_dmarc_walk_alias(ans), *next;

	(void)arg;
	if (target != NULL && s->hops++ < CNAME_MAX) {
		aw_job_ask(job, target, AW_RECORD_TXT, walk_answer, NULL);
		aw_dns_answer_free(ans);
		return;
	}
	if (aw_dns_result_is_failure(ans->result))
		aw_findings_lookup(&job->sec->f, ans);
	aw_dmarc_walk_feed(&s->walk, ans);
	s->hops = 0;
	if ((next = aw_dmarc_walk_next(&s->walk)) != NULL)
		aw_job_ask(job, next, AW_RECORD_TXT, walk_answer, NULL);
	aw_dns_answer_free(ans);
}

static bool
enforcing(enum aw_dmarc_policy p)
{
	return p == AW_DMARC_QUARANTINE || p == AW_DMARC_REJECT;
}

/* BIMI's prerequisite: the DMARC policy that applies is quarantine or
 * reject for the organizational domain and for names below it (p and
 * sp), not lowered by t=y, and no pct below 100. */
static void
judge_dmarc(struct aw_job *job)
{
	struct aw_bimi_detail *d = job->sec->detail;
	struct bimi_state *s = job->state;
	struct aw_findings *f = &job->sec->f, scratch;
	struct aw_dmarc_record rec;
	enum aw_dmarc_policy p, sp, mine;
	const struct aw_dmarc_walk_step *st;
	bool wanted = d->nrecords == 1 && d->rec.valid && !d->rec.declined;

	if (!s->walk.done || s->walk.policy_step < 0 || s->walk.failed ||
	    s->walk.steps[s->walk.policy_step].record == NULL) {
		if (wanted && !s->walk.failed)
			aw_findings_add(f, AW_SEV_ERROR, "bimi.no-dmarc", REF,
			    _("%s has no DMARC policy: BIMI needs DMARC at enforcement (p=quarantine or p=reject)"),
			    s->domain);
		return;
	}
	st = &s->walk.steps[s->walk.policy_step];
	aw_dmarc_record_init(&rec);
	aw_findings_init(&scratch);
	aw_dmarc_parse(st->record, strlen(st->record), &rec, &scratch);
	p = aw_dmarc_policy_for(&rec, false, false);
	sp = aw_dmarc_policy_for(&rec, true, false);
	if (rec.testing) {
		p = aw_dmarc_policy_tested(p);
		sp = aw_dmarc_policy_tested(sp);
	}
	mine = aw_domain_equal(st->domain, s->domain) ? p : sp;
	d->dmarc_policy = strdup(aw_dmarc_policy_name(mine));
	d->dmarc_enforced = enforcing(p) && enforcing(sp) &&
	    (rec.pct < 0 || rec.pct == 100);
	if (wanted && !d->dmarc_enforced)
		aw_findings_add(f, AW_SEV_ERROR, "bimi.dmarc-not-enforced", REF,
		    _("DMARC at %s is not at enforcement for the domain and its subdomains (p=%s, sp=%s%s): BIMI needs quarantine or reject, without pct below 100 or t=y"),
		    st->name, aw_dmarc_policy_name(p), aw_dmarc_policy_name(sp),
		    rec.pct >= 0 && rec.pct < 100 ? ", pct<100" : "");
	aw_findings_done(&scratch);
	aw_dmarc_record_done(&rec);
}

static void
fetched(const struct aw_fetch_result *res, void *arg)
{
	struct bimi_media *m = arg;
	struct aw_job *job = m->job;
	struct aw_bimi_detail *d = job->sec->detail;
	struct bimi_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	bool svg = m == &s->media[MEDIA_SVG];

	m->handle = NULL;
	if (res->error != NULL || res->status != 200) {
		char status[32];

		snprintf(status, sizeof status, "HTTP %ld", res->status);
		aw_findings_add(f, AW_SEV_ERROR, "bimi.fetch-failed", REF,
		    _("%s could not be fetched: %s"), m->url,
		    res->too_large ? _("it is too large") :
		    res->error != NULL ? res->error : status);
	} else if (svg) {
		d->svg_fetched = true;
		if (res->content_type == NULL ||
		    aw_strncasecmp(res->content_type, "image/svg+xml", 13) != 0)
			aw_findings_add(f, AW_SEV_WARNING,
			    "bimi.svg-content-type", REF,
			    _("the BIMI logo is not served as image/svg+xml"));
		aw_bimi_svg_check(res->body, res->len, &d->svg, f);
	} else {
		d->cert_fetched = true;
		aw_bimi_cert_check(res->body, res->len, s->domain,
		    s->walk.org, s->ca_file, &d->cert, f);
	}
	aw_job_release(job);
}

static void
bimi_idle(struct aw_job *job)
{
	struct aw_bimi_detail *d = job->sec->detail;
	struct bimi_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	size_t i;

	if (s->judged)
		return;
	/* With no record at the domain, receivers ask the organizational
	 * domain's (BIMI assertion record discovery); the tree walk says
	 * which that is. */
	if (d->nrecords == 0 && !f->dns_failure && !s->fallback_asked &&
	    s->walk.done && s->walk.org != NULL &&
	    !aw_domain_equal(s->walk.org, s->domain)) {
		size_t n = strlen(s->selector) + strlen(s->walk.org) +
		    sizeof "._bimi.";
		char *name = malloc(n);

		s->fallback_asked = true;
		if (name != NULL) {
			snprintf(name, n, "%s._bimi.%s", s->selector,
			    s->walk.org);
			aw_job_ask(job, name, AW_RECORD_TXT, txt_answer, NULL);
			free(name);
			return;
		}
	}
	s->judged = true;
	if (d->nrecords == 0 && !f->dns_failure) {
		aw_findings_raise(f, AW_CHECK_MISSING);
		aw_findings_add(f, AW_SEV_NOTE, "bimi.none", REF,
		    _("no BIMI record at %s"), job->sec->name);
	}
	judge_dmarc(job);
	for (i = 0; i < MEDIA_N; i++) {
		struct bimi_media *m = &s->media[i];

		if (m->host == NULL)
			continue;
		if (m->addrs.n == 0) {
			if (!f->dns_failure)
				aw_findings_add(f, AW_SEV_ERROR,
				    "bimi.host-no-address", REF,
				    _("%s has no address (A or AAAA): %s cannot be fetched"),
				    m->host, m->url);
			continue;
		}
		if (s->fetcher.ops == NULL)
			continue;
		m->job = job;
		aw_job_hold(job);
		if (s->fetcher.ops->start(s->fetcher.impl, m->url, m->host,
		    &m->addrs, i == MEDIA_SVG ? AW_BIMI_SVG_MAX :
		    AW_BIMI_PEM_MAX, fetched, m, &m->handle) != AW_OK) {
			m->handle = NULL;
			job->pending--;
			aw_findings_add(f, AW_SEV_ERROR, "bimi.fetch-failed",
			    REF, _("%s could not be fetched: %s"), m->url,
			    _("could not start the request"));
		}
	}
}

static enum aw_status
bimi_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	const char *sel = env->opts->bimi_selector ? env->opts->bimi_selector :
	    "default";
	struct aw_bimi_detail *d;
	struct bimi_state *s;
	struct aw_job *job;
	const char *next;
	size_t n = strlen(sel) + strlen(env->domain) + sizeof "._bimi.";

	(void)key;
	if ((d = calloc(1, sizeof *d)) == NULL)
		return AW_ERR_NOMEM;
	aw_bimi_record_init(&d->rec);
	aw_bimi_cert_init(&d->cert);
	sec->detail = d;
	sec->detail_free = detail_free;
	if ((d->selector = strdup(sel)) == NULL ||
	    (sec->name = malloc(n)) == NULL)
		return AW_ERR_NOMEM;
	snprintf(sec->name, n, "%s._bimi.%s", sel, env->domain);
	if ((s = calloc(1, sizeof *s)) == NULL)
		return AW_ERR_NOMEM;
	for (size_t i = 0; i < MEDIA_N; i++)
		aw_strv_init(&s->media[i].addrs);
	s->walk.policy_step = -1;
	if ((s->domain = strdup(env->domain)) == NULL ||
	    (s->selector = strdup(sel)) == NULL ||
	    (env->opts->ca_file != NULL &&
	    (s->ca_file = strdup(env->opts->ca_file)) == NULL) ||
	    aw_dmarc_walk_init(&s->walk, env->domain) == AW_ERR_NOMEM) {
		state_free(s);
		return AW_ERR_NOMEM;
	}
	if (env->opts->fetcher != NULL)
		s->fetcher = *env->opts->fetcher;
	if ((job = aw_job_new(sec, env->src)) == NULL) {
		state_free(s);
		return AW_ERR_NOMEM;
	}
	job->state = s;
	job->free_state = state_free;
	job->idle = bimi_idle;
	if (env->opts->bimi_draft != NULL) {
		/* A record not yet published (the wizard's): judged, its
		 * files fetched and DMARC walked as if DNS had answered. */
		struct aw_strv one;

		aw_strv_init(&one);
		aw_strv_push(&one, env->opts->bimi_draft);
		take_txts(job, &one, sec->name);
		s->fallback_asked = true;
		aw_strv_done(&one);
	} else {
		aw_job_ask(job, sec->name, AW_RECORD_TXT, txt_answer, NULL);
	}
	if ((next = aw_dmarc_walk_next(&s->walk)) != NULL)
		aw_job_ask(job, next, AW_RECORD_TXT, walk_answer, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_bimi = {
	.area = "bimi",
	.title = N_("BIMI"),
	.start = bimi_start,
};
