/* check-dmarc.c: the DMARC area: the RFC 9989 §4.10 tree walk from
 * _dmarc.<domain> (orgdomain.c decides what it found), the policy record
 * and organizational domain it selects, whether the domain exists (np),
 * the RFC 7489 (Public Suffix List) view beside it, and external report
 * destinations (RFC 9990). */
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

enum dmarc_phase {
	PHASE_WALK = 0,            /* the tree walk's TXT queries */
	PHASE_EXISTS,              /* does the domain exist (for np) */
	PHASE_AUTH,                /* report destinations (RFC 9990) */
	PHASE_END
};

struct dmarc_state {
	char *domain;
	enum dmarc_phase phase;
	unsigned hops;             /* CNAMEs chased for the current name */
	bool direct_txt;           /* TXT owned by _dmarc.<domain> itself */
	bool cname_seen;
};

static void
dmarc_detail_free(void *p)
{
	struct aw_dmarc_detail *d = p;
	size_t i;

	if (d == NULL)
		return;
	aw_dmarc_walk_done(&d->walk);
	free(d->applied_name);
	free(d->applied_domain);
	free(d->org_domain_psl);
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
		if (ans->rr[i].type == AW_RECORD_CNAME &&
		    aw_domain_equal(ans->rr[i].name, job->sec->name) &&
		    d->cname_target == NULL) {
			d->cname_target = aw_strdup(ans->rr[i].u.target);
			s->cname_seen = true;
		}
	aw_dns_answer_free(ans);
}

/* What the walk found at the step just answered, as findings. */
static void
step_findings(struct aw_job *job, size_t k)
{
	struct aw_dmarc_detail *d = job->sec->detail;
	const struct aw_dmarc_walk_step *st = &d->walk.steps[k];
	struct aw_findings *f = &job->sec->f;

	if (k == 0 && st->nother > 0)
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.other-txt", NULL,
		    P_("%zu TXT record at %s is not DMARC (it does not start with v=DMARC1)",
		    "%zu TXT records at %s are not DMARC (they do not start with v=DMARC1)",
		    st->nother), st->nother, st->name);
	if (st->found == AW_DMARC_FOUND_SEVERAL)
		aw_findings_add(f, AW_SEV_ERROR, "dmarc.multiple-records",
		    "RFC 9989 §4.10",
		    _("%zu DMARC records at %s: receivers discard them all and the tree walk goes on to the next name up (RFC 9989 §4.10 steps 2 and 6)"),
		    st->ndmarc, st->name);
	/* RFC 7489 §6.6.3 ended policy discovery there instead. */
	if (k == 0 && st->found == AW_DMARC_FOUND_SEVERAL)
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.rfc7489-multiple",
		    "RFC 7489 §6.6.3",
		    _("RFC 7489 receivers apply no DMARC policy at all to %s: several records at %s end their policy discovery"),
		    d->walk.domain, st->name);
}

/* The findings' records are those at _dmarc.<domain> itself when it has
 * any (the wizard replaces exactly these), else the one that applies. */
static void
keep_discarded(struct aw_findings *f, const struct aw_dns_answer *ans)
{
	size_t i;

	for (i = 0; i < ans->nrr; i++) {
		size_t len;
		char *txt;

		if (ans->rr[i].type != AW_RECORD_TXT ||
		    (txt = aw_dns_txt_join(&ans->rr[i], &len)) == NULL)
			continue;
		if (aw_dmarc_is_record(txt, len))
			aw_strv_take(&f->records, txt);
		else
			free(txt);
	}
}

static void
dmarc_txt(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_section *sec = job->sec;
	struct aw_dmarc_detail *d = sec->detail;
	struct dmarc_state *s = job->state;
	const char *target = aw_dmarc_walk_alias(ans), *next;
	size_t i, k = d->walk.nsteps;

	(void)arg;
	for (i = 0; i < ans->nrr; i++)
		if (k == 0 && ans->rr[i].type == AW_RECORD_TXT &&
		    aw_domain_equal(ans->rr[i].name, sec->name))
			s->direct_txt = true;
	/* An authoritative server leaves a CNAME into another zone to us. */
	if (target != NULL && s->hops++ < DMARC_CNAME_MAX) {
		aw_job_ask(job, target, AW_RECORD_TXT, dmarc_txt, NULL);
		aw_dns_answer_free(ans);
		return;
	}
	/* The names above are listed with the walk; a failure anywhere is
	 * recorded (it is an error). */
	if (k == 0 || aw_dns_result_is_failure(ans->result))
		aw_findings_lookup(&sec->f, ans);
	if (aw_dmarc_walk_feed(&d->walk, ans) == AW_OK && d->walk.nsteps > k) {
		step_findings(job, k);
		if (k == 0 && d->walk.steps[k].found == AW_DMARC_FOUND_SEVERAL)
			keep_discarded(&sec->f, ans);
	}
	s->hops = 0;
	if ((next = aw_dmarc_walk_next(&d->walk)) != NULL)
		aw_job_ask(job, next, AW_RECORD_TXT, dmarc_txt, NULL);
	aw_dns_answer_free(ans);
}

static void
exists_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_dmarc_detail *d = job->sec->detail;
	struct dmarc_state *s = job->state;
	size_t i;

	(void)arg;
	aw_findings_lookup(&job->sec->f, ans);
	/* RFC 9989 §4.7 np: a name that does not exist is one whose query
	 * gets NXDOMAIN (RFC 8020); any record, NODATA or an alias at the
	 * name itself means it exists. */
	if (aw_dns_result_is_failure(ans->result)) {
		d->exists = -1;
	} else if (ans->result == AW_DNS_NXDOMAIN) {
		d->exists = 0;
		for (i = 0; i < ans->nrr; i++)
			if (aw_domain_equal(ans->rr[i].name, s->domain))
				d->exists = 1;
	} else {
		d->exists = 1;
	}
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

		if (ans->rr[i].type != AW_RECORD_TXT)
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

/* RFC 9990: a destination of the same organization needs no
 * authorization. The organization is the tree walk's (RFC 9989 §4.10.2);
 * when the walk could not say, the Public Suffix List's. */
static bool
same_organization(const struct aw_dmarc_detail *d, const char *dest)
{
	char *dest_org, *policy_org;
	bool same;

	if (aw_domain_is_under(dest, d->applied_domain))
		return true;
	if (d->walk.org != NULL)
		return aw_domain_is_under(dest, d->walk.org);
	dest_org = aw_org_domain(dest);
	policy_org = aw_org_domain(d->applied_domain);
	same = dest_org != NULL && policy_org != NULL &&
	    aw_domain_equal(dest_org, policy_org);
	free(dest_org);
	free(policy_org);
	return same;
}

static void
start_auth(struct aw_job *job)
{
	struct aw_dmarc_detail *d = job->sec->detail;
	struct aw_dmarc_record *r = &d->rec;
	size_t i, n = r->nrua + r->nruf;

	if (n == 0 || (d->auth = calloc(n, sizeof *d->auth)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		const struct aw_dmarc_uri *u = i < r->nrua ? &r->rua[i] :
		    &r->ruf[i - r->nrua];
		char *wild;
		size_t k;

		if (u->domain == NULL)
			continue;
		for (k = 0; k < d->nauth; k++)
			if (aw_domain_equal(d->auth[k].dest, u->domain))
				break;
		if (k < d->nauth || same_organization(d, u->domain))
			continue;
		k = d->nauth++;
		d->auth[k].dest = strdup(u->domain);
		d->auth[k].name = aw_dmarc_report_auth_name(d->applied_domain,
		    u->domain);
		wild = aw_dmarc_report_auth_name("*", u->domain);
		if (d->auth[k].name != NULL)
			aw_job_ask(job, d->auth[k].name, AW_RECORD_TXT, auth_answer,
			    (void *)(k << 1));
		if (wild != NULL)
			aw_job_ask(job, wild, AW_RECORD_TXT, auth_answer,
			    (void *)((k << 1) | 1));
		free(wild);
	}
}

static void
report_auth(struct aw_section *sec, struct aw_dmarc_detail *d)
{
	size_t i;

	for (i = 0; i < d->nauth; i++) {
		const struct aw_dmarc_report_auth *a = &d->auth[i];

		if (a->authorized)
			aw_findings_add(&sec->f, AW_SEV_NOTE,
			    "dmarc.report-auth-ok", "RFC 9990",
			    _("%s accepts reports for %s (%s)"), a->dest,
			    d->applied_domain, a->wildcard ?
			    _("wildcard *._report._dmarc record") : a->name);
		else if (a->dns_failure)
			aw_findings_add(&sec->f, AW_SEV_WARNING,
			    "dmarc.report-auth-failure", "RFC 9990",
			    _("could not check whether %s accepts reports for %s (DNS failure at %s)"),
			    a->dest, d->applied_domain, a->name);
		else
			aw_findings_add(&sec->f, AW_SEV_WARNING,
			    "dmarc.report-auth-missing", "RFC 9990",
			    _("reports to %s are dropped: it does not publish a v=DMARC1 record at %s (or *._report._dmarc.%s) to accept reports for %s (RFC 9990; RFC 7489 §7.1)"),
			    a->dest, a->name, a->dest, d->applied_domain);
	}
}

static const char *
org_how_text(enum aw_dmarc_org_how how)
{
	switch (how) {
	case AW_DMARC_ORG_PSD_N:
		return _("its record says psd=n");
	case AW_DMARC_ORG_PSD_Y:
		return _("one label below a public suffix domain's record with psd=y");
	case AW_DMARC_ORG_FEWEST:
		return _("the record with the fewest labels the walk found");
	case AW_DMARC_ORG_SELF:
		return _("no record in the walk, so the domain itself");
	default:
		return "";
	}
}

/* The walk is over: the organizational domain and the policy record
 * (RFC 9989 §4.10.1, §4.10.2). */
static void
walk_over(struct aw_job *job)
{
	struct aw_section *sec = job->sec;
	struct aw_dmarc_detail *d = sec->detail;
	struct dmarc_state *s = job->state;
	struct aw_findings *f = &sec->f;
	const struct aw_dmarc_walk_step *st;
	size_t i;
	bool several = false, incomplete = d->walk.failed || !d->walk.done;

	d->walk_queries = (unsigned)d->walk.nsteps;
	if (s->cname_seen && s->direct_txt) {
		d->cname_and_txt = true;
		aw_findings_add(f, AW_SEV_ERROR, "dmarc.cname-and-txt",
		    "RFC 1034 §3.6.2",
		    _("%s has a CNAME and TXT records at once: resolvers answer one or the other (RFC 1034 §3.6.2)"),
		    sec->name);
	} else if (d->cname_target != NULL) {
		aw_findings_add(f, AW_SEV_NOTE, "dmarc.cname", NULL,
		    _("%s is an alias (CNAME) of %s"), sec->name,
		    d->cname_target);
	}
	if (d->walk.org != NULL)
		aw_findings_add(f, AW_SEV_NOTE, "dmarc.org-domain",
		    "RFC 9989 §4.10.2",
		    _("organizational domain of %s: %s (%s; RFC 9989 §4.10.2)"),
		    s->domain, d->walk.org, org_how_text(d->walk.org_how));
	if (d->walk.policy_step < 0) {
		for (i = 0; i < d->walk.nsteps; i++)
			if (d->walk.steps[i].found == AW_DMARC_FOUND_SEVERAL)
				several = true;
		if (incomplete || several)
			return;    /* the DNS failure or the discarded set says it */
		aw_findings_raise(f, AW_CHECK_MISSING);
		aw_findings_add(f, AW_SEV_NOTE, "dmarc.missing",
		    "RFC 9989 §4.10.1",
		    _("no DMARC record at %s or above it (%u names asked by the RFC 9989 tree walk)"),
		    sec->name, d->walk_queries);
		return;
	}
	st = &d->walk.steps[d->walk.policy_step];
	d->has_record = true;
	d->applied_name = aw_strdup(st->name);
	d->applied_domain = aw_strdup(st->domain);
	d->inherited = d->walk.policy_step > 0;
	if (f->records.n == 0)
		aw_strv_push(&f->records, st->record);
	if (d->inherited)
		aw_findings_add(f, AW_SEV_NOTE, "dmarc.inherited",
		    "RFC 9989 §4.10.1",
		    _("no DMARC record at %s; by the RFC 9989 tree walk (§4.10) the record at %s applies"),
		    sec->name, st->name);
	else
		d->exists = 1;   /* _dmarc.<domain> exists, so <domain> does */
	aw_dmarc_parse(st->record, strlen(st->record), &d->rec, f);
	if (d->inherited && d->rec.psd == 'y')
		aw_findings_add(f, AW_SEV_NOTE, "dmarc.psd", "RFC 9989 §4.10.1",
		    _("%s is a public suffix domain (psd=y): its policy covers the domains registered under it"),
		    d->applied_domain);
}

/* The policy for the domain as it is, for an existing and for a
 * non-existent name (RFC 9989 §4.7, §4.10.1). */
static void
judge_policy(struct aw_job *job)
{
	struct aw_section *sec = job->sec;
	struct aw_dmarc_detail *d = sec->detail;
	struct dmarc_state *s = job->state;
	struct aw_findings *f = &sec->f;
	char *org_rec = NULL;

	if (!d->has_record)
		return;
	d->processing = aw_dmarc_policy_for(&d->rec, false, false) !=
	    AW_DMARC_UNSET;
	d->policy_existing = aw_dmarc_policy_for(&d->rec, d->inherited, false);
	d->policy_nx = aw_dmarc_policy_for(&d->rec, true, true);
	d->policy = d->inherited && d->exists == 0 ? d->policy_nx :
	    d->policy_existing;
	if (!d->processing)
		return;        /* dmarc.no-policy says why */
	if (d->inherited && d->exists == 0)
		aw_findings_add(f, AW_SEV_NOTE, "dmarc.nonexistent",
		    "RFC 9989 §4.7",
		    _("%s does not exist (NXDOMAIN): receivers apply the policy for names that do not exist (np=, else sp=, else p=): %s"),
		    s->domain, aw_dmarc_policy_name(d->policy_nx));
	aw_findings_add(f, AW_SEV_NOTE, "dmarc.policy", "RFC 9989 §4.10.1",
	    _("policy for %s: %s%s; for names under it that do not exist: %s"),
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
	if (d->inherited && (d->org_domain_psl == NULL ||
	    !aw_domain_equal(d->applied_domain, d->org_domain_psl))) {
		if (d->org_domain_psl != NULL &&
		    asprintf(&org_rec, "_dmarc.%s", d->org_domain_psl) < 0)
			org_rec = NULL;
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.rfc7489-differs",
		    "RFC 7489 §6.6.3",
		    _("RFC 7489 receivers look at %s (the organizational domain by the Public Suffix List), not %s: they may apply another policy or none"),
		    org_rec ? org_rec : sec->name, d->applied_name);
		free(org_rec);
	}
}

static void
dmarc_idle(struct aw_job *job)
{
	struct aw_section *sec = job->sec;
	struct aw_dmarc_detail *d = sec->detail;
	struct dmarc_state *s = job->state;

	switch (s->phase) {
	case PHASE_WALK:
		walk_over(job);
		s->phase = PHASE_EXISTS;
		/* RFC 9989 §4.7 np: only a name without its own record can
		 * be one that does not exist; ask. */
		if (d->has_record && d->inherited) {
			aw_job_ask(job, s->domain, AW_RECORD_A, exists_answer, NULL);
			return;
		}
		/* fall through */
	case PHASE_EXISTS:
		judge_policy(job);
		s->phase = PHASE_AUTH;
		if (d->processing || d->has_record)
			start_auth(job);
		if (job->pending > 0)
			return;
		/* fall through */
	case PHASE_AUTH:
	default:
		s->phase = PHASE_END;
		job->idle = NULL;
		report_auth(sec, d);
		return;
	}
}

static enum aw_status
dmarc_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct aw_dmarc_detail *d;
	struct dmarc_state *s;
	struct aw_job *job;
	const char *first;
	enum aw_status st;

	(void)key;
	if (asprintf(&sec->name, "_dmarc.%s", env->domain) < 0) {
		sec->name = NULL;
		return AW_ERR_NOMEM;
	}
	if ((d = calloc(1, sizeof *d)) == NULL)
		return AW_ERR_NOMEM;
	aw_dmarc_record_init(&d->rec);
	d->exists = -1;
	sec->detail = d;
	sec->detail_free = dmarc_detail_free;
	if ((st = aw_dmarc_walk_init(&d->walk, env->domain)) != AW_OK)
		return st;
	d->org_domain_psl = aw_org_domain(env->domain);
	if ((s = calloc(1, sizeof *s)) == NULL)
		return AW_ERR_NOMEM;
	if ((s->domain = aw_domain_normalize(env->domain)) == NULL) {
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
	if ((first = aw_dmarc_walk_next(&d->walk)) != NULL)
		aw_job_ask(job, first, AW_RECORD_TXT, dmarc_txt, NULL);
	aw_job_ask(job, sec->name, AW_RECORD_CNAME, dmarc_cname, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_dmarc = {
	.area = "dmarc",
	.title = N_("DMARC"),
	.start = dmarc_start,
};
