/* check-mx.c: the MX area: each MX host and its addresses. */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "checks/job.h"
#include "checks/mx.h"
#include "core/i18n.h"
#include "core/str.h"

static void
mx_detail_free(void *p)
{
	struct aw_mx_detail *d = p;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->hosts[i].host);
		free(d->hosts[i].cname);
		aw_strv_done(&d->hosts[i].addrs);
	}
	free(d->hosts);
	free(d);
}

static void
mx_addr(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_mx_detail *d = job->sec->detail;
	struct aw_mx_host *h = &d->hosts[(size_t)arg];
	size_t i;

	aw_findings_lookup(&job->sec->f, ans);
	if (ans->qtype == AW_RECORD_A)
		h->a_result = ans->result;
	else
		h->aaaa_result = ans->result;
	for (i = 0; i < ans->nrr; i++) {
		if (ans->rr[i].type == AW_RECORD_CNAME && h->cname == NULL)
			h->cname = aw_strdup(ans->rr[i].u.target);
		if (ans->rr[i].type == ans->qtype)
			aw_strv_push(&h->addrs, ans->rr[i].u.addr.text);
	}
	aw_dns_answer_free(ans);
}

static int
mx_cmp(const void *a, const void *b)
{
	const struct aw_mx_host *x = a, *y = b;

	return (int)x->preference - (int)y->preference;
}

/* True when the host of hosts[i] is also an earlier MX's host. */
static bool
listed_before(const struct aw_mx_detail *d, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (!d->hosts[k].address && d->hosts[k].host[0] != '\0' &&
		    aw_domain_equal(d->hosts[k].host, d->hosts[i].host))
			return true;
	return false;
}

/* An MX whose host is the root ".". RFC 7505 §3: a null MX has
 * preference 0 and is the domain's only MX; "10 ." or a "0 ." beside
 * other MX records is no null MX but a broken MX of its own. */
static void
root_mx(struct aw_findings *f, struct aw_mx_detail *d,
    const struct aw_mx_host *h)
{
	if (h->preference != 0)
		aw_findings_add(f, AW_SEV_ERROR, "mx.root-not-null",
		    "RFC 7505 §3",
		    _("MX %u \".\" points at the root, which is no mail host; a null MX must have preference 0 (\"MX 0 .\", RFC 7505 §3)"),
		    h->preference);
	else if (d->n > 1)
		aw_findings_add(f, AW_SEV_ERROR, "mx.null-mx-not-alone",
		    "RFC 7505 §3",
		    _("a null MX (\".\") must be the only MX record (RFC 7505 §3)"));
	else
		d->null_mx = true;
}

/* Once every address lookup is back: judge each host. */
static void
mx_idle(struct aw_job *job)
{
	struct aw_mx_detail *d = job->sec->detail;
	struct aw_findings *f = &job->sec->f;
	size_t i;

	job->idle = NULL;
	for (i = 0; i < d->n; i++) {
		struct aw_mx_host *h = &d->hosts[i];

		if (h->host[0] == '\0' || h->address || h->duplicate)
			continue;
		if (h->cname != NULL)
			aw_findings_add(f, AW_SEV_WARNING, "mx.cname",
			    "RFC 2181 §10.3",
			    _("MX host %s is an alias (CNAME) of %s; an MX must name the host itself (RFC 2181 §10.3)"),
			    h->host, h->cname);
		if (h->addrs.n == 0 &&
		    !aw_dns_result_is_failure(h->a_result) &&
		    !aw_dns_result_is_failure(h->aaaa_result))
			aw_findings_add(f, AW_SEV_ERROR, "mx.no-address",
			    "RFC 5321 §5.1",
			    _("MX host %s has no address (A or AAAA): mail to it cannot be delivered"),
			    h->host);
	}
}

static void
mx_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_findings *f = &job->sec->f;
	struct aw_mx_detail *d = job->sec->detail;
	size_t i, n = aw_dns_answer_count(ans, AW_RECORD_MX), k = 0;

	aw_findings_lookup(f, ans);
	if (n == 0) {
		/* RFC 5321 §5.1: with no MX, senders fall back to the
		 * domain's own address (the "implicit MX"). */
		if (!aw_dns_result_is_failure(ans->result)) {
			aw_findings_raise(f, AW_CHECK_MISSING);
			aw_findings_add(f, AW_SEV_NOTE, "mx.none", "RFC 5321 §5.1",
			    _("no MX record: mail to %s goes to its own A/AAAA address, if it has one (RFC 5321 §5.1); publish an MX, or a null MX (\".\", RFC 7505) if it takes no mail"),
			    job->sec->name);
		}
		aw_dns_answer_free(ans);
		return;
	}
	d->hosts = calloc(n, sizeof *d->hosts);
	if (d->hosts == NULL) {
		aw_dns_answer_free(ans);
		return;
	}
	for (i = 0; i < ans->nrr; i++) {
		struct aw_mx_host *h;

		if (ans->rr[i].type != AW_RECORD_MX)
			continue;
		h = &d->hosts[k];
		aw_strv_init(&h->addrs);
		h->preference = ans->rr[i].u.mx.preference;
		h->host = strdup(ans->rr[i].u.mx.host);
		if (h->host == NULL)
			break;
		k++;
	}
	d->n = k;
	qsort(d->hosts, d->n, sizeof *d->hosts, mx_cmp);
	for (i = 0; i < d->n; i++) {
		struct aw_mx_host *h = &d->hosts[i];
		unsigned char raw[16];

		if (h->host[0] == '\0' || strcmp(h->host, ".") == 0) {
			h->host[0] = '\0';
			root_mx(f, d, h);
			continue;
		}
		if (inet_pton(AF_INET, h->host, raw) == 1 ||
		    inet_pton(AF_INET6, h->host, raw) == 1) {
			h->address = true;
			aw_findings_add(f, AW_SEV_ERROR, "mx.address",
			    "RFC 5321 §5.1",
			    _("MX %s is an address; an MX must name a host (RFC 5321 §5.1)"),
			    h->host);
			continue;
		}
		if (listed_before(d, i)) {
			h->duplicate = true;
			aw_findings_add(f, AW_SEV_WARNING, "mx.duplicate-host",
			    NULL,
			    _("MX host %s is listed more than once; one MX record per host is enough"),
			    h->host);
			continue;
		}
		aw_job_ask(job, h->host, AW_RECORD_A, mx_addr, (void *)i);
		aw_job_ask(job, h->host, AW_RECORD_AAAA, mx_addr, (void *)i);
	}
	if (d->null_mx)
		aw_findings_add(f, AW_SEV_NOTE, "mx.null-mx", "RFC 7505 §3",
		    _("null MX: this domain accepts no mail (RFC 7505)"));
	job->idle = mx_idle;
	aw_dns_answer_free(ans);
}

static enum aw_status
mx_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct aw_job *job;

	if ((sec->name = strdup(env->domain)) == NULL)
		return AW_ERR_NOMEM;
	if ((sec->detail = calloc(1, sizeof(struct aw_mx_detail))) == NULL)
		return AW_ERR_NOMEM;
	sec->detail_free = mx_detail_free;
	if ((job = aw_job_new(sec, env->src)) == NULL)
		return AW_ERR_NOMEM;
	aw_job_ask(job, sec->name, AW_RECORD_MX, mx_answer, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_mx = {
	.area = "mx",
	.title = N_("MX"),
	.start = mx_start,
};
