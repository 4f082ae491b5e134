/* check-dmarc.c: the DMARC area: the record at _dmarc.<domain>, else the
 * one the RFC 9989 §4.10 DNS tree walk finds above it; the RFC 7489 view
 * (Public Suffix List) beside it; external report destinations (RFC 9990). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dmarc.h"
#include "checks/job.h"
#include "checks/orgdomain.h"
#include "core/i18n.h"
#include "core/str.h"

#define DMARC_CNAME_MAX 8

struct dmarc_state {
	char *domain;
	struct aw_strv names;      /* the tree walk's names */
	size_t step;               /* index into names being asked */
	unsigned hops;             /* CNAMEs chased at this step */
	bool direct_txt;           /* TXT owned by _dmarc.<domain> itself */
	bool cname_seen;
	bool walk_done;
	bool auth_started;
};

static void
dmarc_detail_free(void *p)
{
	struct aw_dmarc_detail *d = p;
	size_t i;

	if (d == NULL)
		return;
	free(d->applied_name);
	free(d->applied_domain);
	free(d->org_domain);
	free(d->cname_target);
	aw_dmarc_record_done(&d->rec);
	for (i = 0; i < d->nauth; i++) {
		free(d->auth[i].dest);
		free(d->auth[i].name);
	}
	free(d->auth);
	free(d);
}

static void
dmarc_state_free(void *p)
{
	struct dmarc_state *s = p;

	if (s == NULL)
		return;
	free(s->domain);
	aw_strv_done(&s->names);
	free(s);
}

static void dmarc_txt(struct aw_job *job, struct aw_dns_answer *ans,
    void *arg);

static void
dmarc_cname(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_dmarc_detail *d = job->sec->detail;
	struct dmarc_state *s = job->state;
	size_t i;

	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == AW_RR_CNAME &&
		    aw_domain_equal(ans->rr[i].name, job->sec->name) &&
		    d->cname_target == NULL) {
			d->cname_target = aw_strdup(ans->rr[i].u.target);
			s->cname_seen = true;
		}
	aw_dns_answer_free(ans);
}

static void
apply_record(struct aw_job *job, const char *txt, const char *name)
{
	struct aw_dmarc_detail *d = job->sec->detail;
	struct dmarc_state *s = job->state;
	struct aw_findings *f = &job->sec->f;

	d->has_record = true;
	d->applied_name = aw_strdup(name);
	d->applied_domain = aw_strdup(name + strlen("_dmarc."));
	d->inherited = s->step > 0;
	if (d->inherited)
		aw_findings_note(f,
		    _("no DMARC record at %s; by the RFC 9989 tree walk (§4.10) the record at %s applies"),
		    job->sec->name, name);
	aw_dmarc_parse(txt, strlen(txt), &d->rec, f);
	if (!d->rec.valid)
		d->has_record = false;
	if (d->inherited && d->rec.psd == 'y')
		aw_findings_note(f,
		    _("%s is a public suffix domain (psd=y): its policy covers the domains registered under it"),
		    d->applied_domain);
}

static void
walk_next(struct aw_job *job)
{
	struct dmarc_state *s = job->state;

	s->step++;
	s->hops = 0;
	if (s->step < s->names.n)
		aw_job_ask(job, s->names.v[s->step], AW_RR_TXT, dmarc_txt, NULL);
	else
		s->walk_done = true;
}

static void
dmarc_txt(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_section *sec = job->sec;
	struct aw_findings *f = &sec->f;
	struct dmarc_state *s = job->state;
	const char *name = s->names.v[s->step];
	struct aw_strv dmarc;
	const char *target = NULL;
	size_t i, ntxt = 0, other = 0;

	aw_strv_init(&dmarc);
	for (i = 0; i < ans->nrr; i++) {
		size_t len;
		char *txt;

		if (ans->rr[i].type == AW_RR_CNAME) {
			target = ans->rr[i].u.target;
			continue;
		}
		if (ans->rr[i].type != AW_RR_TXT)
			continue;
		ntxt++;
		if (s->step == 0 && aw_domain_equal(ans->rr[i].name, sec->name))
			s->direct_txt = true;
		if ((txt = aw_dns_txt_join(&ans->rr[i], &len)) == NULL)
			continue;
		if (aw_dmarc_is_record(txt, len))
			aw_strv_take(&dmarc, txt);
		else {
			other++;
			free(txt);
		}
	}
	/* An authoritative server leaves a CNAME into another zone to us. */
	if (target != NULL && ntxt == 0 && !aw_dns_result_is_failure(
	    ans->result) && ans->result != AW_DNS_NXDOMAIN &&
	    s->hops++ < DMARC_CNAME_MAX) {
		aw_job_ask(job, target, AW_RR_TXT, dmarc_txt, NULL);
		aw_strv_done(&dmarc);
		aw_dns_answer_free(ans);
		return;
	}
	aw_findings_lookup(f, ans);
	if (s->step == 0 && other > 0)
		aw_findings_warn(f,
		    P_("%zu TXT record at %s is not DMARC (it does not start with v=DMARC1)",
		    "%zu TXT records at %s are not DMARC (they do not start with v=DMARC1)",
		    other), other, name);
	for (i = 0; i < dmarc.n; i++)
		aw_strv_push(&f->records, dmarc.v[i]);
	if (aw_dns_result_is_failure(ans->result)) {
		s->walk_done = true;          /* the failure is among the errors */
	} else if (dmarc.n > 1) {
		/* RFC 9989 §4.10: more than one record: no DMARC policy. */
		aw_findings_error(f,
		    _("%zu DMARC records at %s: receivers apply no DMARC policy when there is more than one (RFC 9989 §4.10)"),
		    dmarc.n, name);
		s->walk_done = true;
	} else if (dmarc.n == 1) {
		apply_record(job, dmarc.v[0], name);
		s->walk_done = true;
	} else {
		walk_next(job);
	}
	aw_strv_done(&dmarc);
	aw_dns_answer_free(ans);
}

static void
auth_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_dmarc_detail *d = job->sec->detail;
	size_t k = (size_t)arg >> 1, i;
	bool wildcard = ((size_t)arg & 1) != 0;
	struct aw_dmarc_report_auth *a = &d->auth[k];

	if (aw_dns_result_is_failure(ans->result))
		a->dns_failure = true;
	for (i = 0; i < ans->nrr; i++) {
		size_t len;
		char *txt;

		if (ans->rr[i].type != AW_RR_TXT)
			continue;
		if ((txt = aw_dns_txt_join(&ans->rr[i], &len)) == NULL)
			continue;
		/* RFC 9990: v=DMARC1 (a trailing ';' and more allowed). */
		if (aw_dmarc_is_record(txt, len) && !a->authorized) {
			a->authorized = true;
			a->wildcard = wildcard;
		}
		free(txt);
	}
	aw_dns_answer_free(ans);
}

static void
start_auth(struct aw_job *job)
{
	struct aw_dmarc_detail *d = job->sec->detail;
	struct aw_dmarc_record *r = &d->rec;
	char *policy_org = aw_org_domain(d->applied_domain);
	size_t i, n = r->nrua + r->nruf;

	if (n == 0 || (d->auth = calloc(n, sizeof *d->auth)) == NULL) {
		free(policy_org);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct aw_dmarc_uri *u = i < r->nrua ? &r->rua[i] :
		    &r->ruf[i - r->nrua];
		char *dest_org, *wild;
		size_t k;
		bool same;

		if (u->domain == NULL)
			continue;
		for (k = 0; k < d->nauth; k++)
			if (aw_domain_equal(d->auth[k].dest, u->domain))
				break;
		if (k < d->nauth)
			continue;
		dest_org = aw_org_domain(u->domain);
		same = dest_org != NULL && policy_org != NULL &&
		    aw_domain_equal(dest_org, policy_org);
		free(dest_org);
		if (same)
			continue;   /* RFC 9990: only other organizations */
		k = d->nauth++;
		d->auth[k].dest = strdup(u->domain);
		d->auth[k].name = aw_dmarc_report_auth_name(d->applied_domain,
		    u->domain);
		wild = aw_dmarc_report_auth_name("*", u->domain);
		if (d->auth[k].name != NULL)
			aw_job_ask(job, d->auth[k].name, AW_RR_TXT, auth_answer,
			    (void *)(k << 1));
		if (wild != NULL)
			aw_job_ask(job, wild, AW_RR_TXT, auth_answer,
			    (void *)((k << 1) | 1));
		free(wild);
	}
	free(policy_org);
}

static void
report_auth(struct aw_section *sec, struct aw_dmarc_detail *d)
{
	size_t i;

	for (i = 0; i < d->nauth; i++) {
		const struct aw_dmarc_report_auth *a = &d->auth[i];

		if (a->authorized)
			aw_findings_note(&sec->f,
			    _("%s accepts reports for %s (%s)"), a->dest,
			    d->applied_domain, a->wildcard ?
			    _("wildcard *._report._dmarc record") : a->name);
		else if (a->dns_failure)
			aw_findings_warn(&sec->f,
			    _("could not check whether %s accepts reports for %s (DNS failure at %s)"),
			    a->dest, d->applied_domain, a->name);
		else
			aw_findings_warn(&sec->f,
			    _("reports to %s are dropped: it does not publish a v=DMARC1 record at %s (or *._report._dmarc.%s) to accept reports for %s (RFC 9990; RFC 7489 §7.1)"),
			    a->dest, a->name, a->dest, d->applied_domain);
	}
}

static void
dmarc_idle(struct aw_job *job)
{
	struct aw_section *sec = job->sec;
	struct aw_dmarc_detail *d = sec->detail;
	struct dmarc_state *s = job->state;
	struct aw_findings *f = &sec->f;
	char *org_rec = NULL;

	if (s->auth_started) {
		job->idle = NULL;
		report_auth(sec, d);
		return;
	}
	s->auth_started = true;
	d->walk_queries = (unsigned)(s->step < s->names.n ? s->step + 1 :
	    s->names.n);
	if (s->cname_seen && s->direct_txt) {
		d->cname_and_txt = true;
		aw_findings_error(f,
		    _("%s has a CNAME and TXT records at once: resolvers answer one or the other (RFC 1034 §3.6.2)"),
		    sec->name);
	} else if (d->cname_target != NULL) {
		aw_findings_note(f, _("%s is an alias (CNAME) of %s"),
		    sec->name, d->cname_target);
	}
	if (!d->has_record) {
		if (f->records.n == 0 && !f->dns_failure) {
			aw_findings_raise(f, AW_CHECK_MISSING);
			aw_findings_note(f,
			    _("no DMARC record at %s or above it (%u names asked by the RFC 9989 tree walk)"),
			    sec->name, d->walk_queries);
		}
		job->idle = NULL;
		return;
	}
	d->policy = aw_dmarc_policy_for(&d->rec, d->inherited, false);
	d->policy_nx = aw_dmarc_policy_for(&d->rec, true, true);
	aw_findings_note(f, _("policy for %s: %s%s; for names under it that do not exist: %s"),
	    s->domain, aw_dmarc_policy_name(d->policy),
	    d->rec.testing ? _(" (applied one step lower while t=y)") : "",
	    aw_dmarc_policy_name(d->policy_nx));
	/* sp= weaker than p= leaves subdomains less protected (issue 22). */
	if (d->rec.sp != AW_DMARC_UNSET && d->rec.sp != AW_DMARC_INVALID &&
	    d->rec.p != AW_DMARC_INVALID && d->rec.sp < d->rec.p)
		aw_findings_add(f, AW_SEV_NOTE, "dmarc.sp-weaker", "RFC 7489 §6.3",
		    _("sp=%s is weaker than p=%s: subdomains are less protected than %s itself"),
		    aw_dmarc_policy_name(d->rec.sp),
		    aw_dmarc_policy_name(d->rec.p),
		    d->applied_domain ? d->applied_domain : s->domain);
	/* RFC 7489 §6.6.3: the PSL organizational domain, not the walk. */
	if (d->org_domain != NULL &&
	    !aw_domain_equal(d->applied_domain, s->domain) &&
	    !aw_domain_equal(d->applied_domain, d->org_domain)) {
		if (asprintf(&org_rec, "_dmarc.%s", d->org_domain) < 0)
			org_rec = NULL;
		aw_findings_warn(f,
		    _("RFC 7489 receivers look at %s (the organizational domain by the Public Suffix List), not %s: they may apply another policy or none"),
		    org_rec ? org_rec : d->org_domain, d->applied_name);
		free(org_rec);
	}
	start_auth(job);
	if (job->pending == 0) {
		job->idle = NULL;
		report_auth(sec, d);
	}
}

static enum aw_status
dmarc_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct aw_dmarc_detail *d;
	struct dmarc_state *s;
	struct aw_job *job;

	if (asprintf(&sec->name, "_dmarc.%s", env->domain) < 0) {
		sec->name = NULL;
		return AW_ERR_NOMEM;
	}
	if ((d = calloc(1, sizeof *d)) == NULL)
		return AW_ERR_NOMEM;
	aw_dmarc_record_init(&d->rec);
	sec->detail = d;
	sec->detail_free = dmarc_detail_free;
	d->org_domain = aw_org_domain(env->domain);
	if ((s = calloc(1, sizeof *s)) == NULL)
		return AW_ERR_NOMEM;
	aw_strv_init(&s->names);
	s->domain = strdup(env->domain);
	if (s->domain == NULL ||
	    aw_dmarc_walk_names(env->domain, &s->names) != AW_OK) {
		dmarc_state_free(s);
		return AW_ERR_NOMEM;
	}
	if ((job = aw_job_new(sec, env->src)) == NULL) {
		dmarc_state_free(s);
		return AW_ERR_NOMEM;
	}
	job->state = s;
	job->free_state = dmarc_state_free;
	job->idle = dmarc_idle;
	aw_job_ask(job, sec->name, AW_RR_TXT, dmarc_txt, NULL);
	aw_job_ask(job, sec->name, AW_RR_CNAME, dmarc_cname, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_dmarc = {
	.area = "dmarc",
	.title = N_("DMARC"),
	.start = dmarc_start,
};
