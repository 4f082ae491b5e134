/* check-mta-sts.c: the MTA-STS area (RFC 8461): exactly one _mta-sts
 * record, the policy host's addresses from our own DNS, the policy
 * fetched through the front end's fetcher (https, certificate verified,
 * no redirects, text/plain, bounded) and parsed (mta-sts.c), and every
 * MX host covered by an mx pattern. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/job.h"
#include "checks/mta-sts.h"
#include "core/i18n.h"
#include "core/str.h"

struct mta_sts_state {
	char *host;                   /* mta-sts.<domain> */
	struct aw_strv addrs;         /* its A and AAAA */
	bool want_policy;             /* one record: fetch the policy */
	bool mx_answered;
	struct aw_fetcher fetcher;    /* ops NULL: none */
	void *handle;                 /* the fetch in flight, or NULL */
};

static void
detail_free(void *p)
{
	struct aw_mta_sts_detail *d = p;

	if (d == NULL)
		return;
	aw_mta_sts_txt_done(&d->txt);
	free(d->policy_url);
	aw_mta_sts_policy_done(&d->policy);
	aw_strv_done(&d->mx_hosts);
	aw_strv_done(&d->uncovered);
	free(d);
}

/* prefix + domain + suffix, malloc'd; NULL on no memory. */
static char *
name_of(const char *prefix, const char *domain, const char *suffix)
{
	size_t n = strlen(prefix) + strlen(domain) + strlen(suffix) + 1;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s%s%s", prefix, domain, suffix);
	return s;
}

static void
state_free(void *p)
{
	struct mta_sts_state *s = p;

	if (s == NULL)
		return;
	if (s->handle != NULL)
		s->fetcher.ops->cancel(s->fetcher.impl, s->handle);
	free(s->host);
	aw_strv_done(&s->addrs);
	free(s);
}

static void
host_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct mta_sts_state *s = job->state;
	size_t i;

	(void)arg;
	aw_findings_lookup(&job->sec->f, ans);
	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == ans->qtype &&
		    s->addrs.n < 16)
			aw_strv_push(&s->addrs, ans->rr[i].u.addr.text);
	aw_dns_answer_free(ans);
}

static void
txt_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_mta_sts_detail *d = job->sec->detail;
	struct mta_sts_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	struct aw_strv txts;
	size_t i;

	(void)arg;
	aw_findings_lookup(f, ans);
	aw_strv_init(&txts);
	aw_dns_answer_txts(ans, &txts);
	for (i = 0; i < txts.n; i++) {
		if (!aw_mta_sts_is_record(txts.v[i], strlen(txts.v[i])))
			continue;
		aw_strv_push(&f->records, txts.v[i]);
		if (d->nrecords++ == 0)
			aw_mta_sts_txt_parse(txts.v[i], strlen(txts.v[i]),
			    &d->txt, f);
	}
	aw_strv_done(&txts);
	if (d->nrecords == 0) {
		if (!aw_dns_result_is_failure(ans->result)) {
			aw_findings_raise(f, AW_CHECK_MISSING);
			aw_findings_add(f, AW_SEV_NOTE, "mta_sts.none",
			    "RFC 8461 §3.1",
			    _("no MTA-STS record at %s: senders may deliver over unencrypted or unauthenticated connections"),
			    job->sec->name);
		}
	} else if (d->nrecords > 1) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.multiple-records",
		    "RFC 8461 §3.1",
		    _("%zu MTA-STS records at %s: senders assume there is no policy (RFC 8461 §3.1)"),
		    d->nrecords, job->sec->name);
	} else if (d->txt.valid) {
		s->want_policy = true;
		aw_job_ask(job, s->host, AW_RECORD_A, host_answer, NULL);
		aw_job_ask(job, s->host, AW_RECORD_AAAA, host_answer, NULL);
	}
	aw_dns_answer_free(ans);
}

static void
mx_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_mta_sts_detail *d = job->sec->detail;
	struct mta_sts_state *s = job->state;
	size_t i;

	(void)arg;
	aw_findings_lookup(&job->sec->f, ans);
	s->mx_answered = !aw_dns_result_is_failure(ans->result);
	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == AW_RECORD_MX &&
		    ans->rr[i].u.mx.host[0] != '\0' &&
		    strcmp(ans->rr[i].u.mx.host, ".") != 0 &&
		    d->mx_hosts.n < 64)
			aw_strv_push(&d->mx_hosts, ans->rr[i].u.mx.host);
	aw_dns_answer_free(ans);
}

/* RFC 8461 §4.1: every MX host must match a pattern, else senders that
 * enforce the policy do not deliver to it. */
static void
mx_coverage(struct aw_job *job)
{
	struct aw_mta_sts_detail *d = job->sec->detail;
	struct mta_sts_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	size_t i, k;

	if (!s->mx_answered)
		return;
	if (d->mx_hosts.n == 0) {
		aw_findings_add(f, AW_SEV_WARNING, "mta_sts.no-mx",
		    "RFC 8461 §4.1",
		    _("the domain has an MTA-STS policy but no MX host for it to cover"));
		return;
	}
	for (i = 0; i < d->mx_hosts.n; i++) {
		for (k = 0; k < d->policy.mx.n; k++)
			if (aw_mta_sts_mx_match(d->policy.mx.v[k],
			    d->mx_hosts.v[i]))
				break;
		if (k == d->policy.mx.n)
			aw_strv_push(&d->uncovered, d->mx_hosts.v[i]);
	}
	d->mx_covered = d->uncovered.n == 0;
	for (i = 0; i < d->uncovered.n; i++)
		aw_findings_add(f,
		    d->policy.mode == AW_MTA_STS_MODE_ENFORCE ?
		    AW_SEV_ERROR : AW_SEV_WARNING,
		    "mta_sts.mx-not-covered", "RFC 8461 §4.1",
		    _("MX host %s matches no mx pattern of the policy: senders enforcing it will not deliver there (RFC 8461 §4.1)"),
		    d->uncovered.v[i]);
}

/* The fetch's answer: RFC 8461 §3.3 (200, no redirects, text/plain). */
static void
policy_fetched(const struct aw_fetch_result *res, void *arg)
{
	struct aw_job *job = arg;
	struct aw_mta_sts_detail *d = job->sec->detail;
	struct mta_sts_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	char *ct = NULL;

	s->handle = NULL;
	if (res->too_large) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.policy-too-large",
		    "RFC 8461 §3.3",
		    _("the policy at %s is larger than %u bytes"),
		    d->policy_url, AW_MTA_STS_POLICY_MAX);
	} else if (res->error != NULL) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.policy-fetch-failed",
		    "RFC 8461 §3.3",
		    _("the policy could not be fetched from %s: %s (the certificate must be valid for %s; RFC 8461 §3.3)"),
		    d->policy_url, res->error, s->host);
	} else if (res->status >= 300 && res->status < 400) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.policy-redirect",
		    "RFC 8461 §3.3",
		    _("%s answers with a redirect (HTTP %ld): senders do not follow redirects (RFC 8461 §3.3)"),
		    d->policy_url, res->status);
	} else if (res->status != 200) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.policy-http-status",
		    "RFC 8461 §3.3",
		    _("%s answers HTTP %ld, not 200"), d->policy_url,
		    res->status);
	} else {
		if (res->content_type != NULL)
			ct = aw_str_trim_dup(res->content_type,
			    strcspn(res->content_type, ";"));
		if (ct == NULL || aw_strcasecmp(ct, "text/plain") != 0) {
			char *shown = aw_str_escape_dup(res->content_type ?
			    res->content_type : "", res->content_type ?
			    strlen(res->content_type) : 0, 80);

			aw_findings_add(f, AW_SEV_ERROR,
			    "mta_sts.policy-content-type", "RFC 8461 §3.2",
			    _("the policy is served as \"%s\", not text/plain: senders reject it (RFC 8461 §3.2)"),
			    shown ? shown : "");
			free(shown);
		} else {
			d->fetched = true;
			aw_mta_sts_policy_parse(res->body, res->len,
			    &d->policy, f);
			if (d->policy.valid)
				mx_coverage(job);
		}
		free(ct);
	}
	aw_job_release(job);
}

static void
mta_sts_idle(struct aw_job *job)
{
	struct aw_mta_sts_detail *d = job->sec->detail;
	struct mta_sts_state *s = job->state;
	struct aw_findings *f = &job->sec->f;

	if (!s->want_policy)
		return;
	s->want_policy = false;
	if (s->addrs.n == 0) {
		if (!f->dns_failure)
			aw_findings_add(f, AW_SEV_ERROR,
			    "mta_sts.policy-host-no-address", "RFC 8461 §3.3",
			    _("the policy host %s has no address (A or AAAA): senders cannot fetch the policy"),
			    s->host);
		return;
	}
	if (s->fetcher.ops == NULL) {
		aw_findings_add(f, AW_SEV_NOTE, "mta_sts.policy-not-fetched",
		    NULL, _("the policy at %s was not fetched"), d->policy_url);
		return;
	}
	aw_job_hold(job);
	if (s->fetcher.ops->start(s->fetcher.impl, d->policy_url, s->host,
	    &s->addrs, AW_MTA_STS_POLICY_MAX, policy_fetched, job,
	    &s->handle) != AW_OK) {
		s->handle = NULL;
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.policy-fetch-failed",
		    "RFC 8461 §3.3",
		    _("the policy could not be fetched from %s: %s (the certificate must be valid for %s; RFC 8461 §3.3)"),
		    d->policy_url, _("could not start the request"), s->host);
		job->pending--;         /* nothing in flight after all */
	}
}

static enum aw_status
mta_sts_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct aw_mta_sts_detail *d;
	struct mta_sts_state *s;
	struct aw_job *job;

	(void)key;
	if ((d = calloc(1, sizeof *d)) == NULL)
		return AW_ERR_NOMEM;
	aw_mta_sts_txt_init(&d->txt);
	aw_mta_sts_policy_init(&d->policy);
	aw_strv_init(&d->mx_hosts);
	aw_strv_init(&d->uncovered);
	sec->detail = d;
	sec->detail_free = detail_free;
	sec->name = name_of("_mta-sts.", env->domain, "");
	d->policy_url = name_of("https://mta-sts.", env->domain,
	    "/.well-known/mta-sts.txt");
	if (sec->name == NULL || d->policy_url == NULL)
		return AW_ERR_NOMEM;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return AW_ERR_NOMEM;
	aw_strv_init(&s->addrs);
	if ((s->host = name_of("mta-sts.", env->domain, "")) == NULL) {
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
	job->idle = mta_sts_idle;
	aw_job_ask(job, sec->name, AW_RECORD_TXT, txt_answer, NULL);
	aw_job_ask(job, env->domain, AW_RECORD_MX, mx_answer, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_mta_sts = {
	.area = "mta_sts",
	.title = N_("MTA-STS"),
	.start = mta_sts_start,
};
