/* check-ptr.c: the PTR area (one section per sending IP) and the HELO
 * area. The deeper rules (generic names, HELO matching) live in ptr.c. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/job.h"
#include "checks/orgdomain.h"
#include "checks/ptr.h"
#include "core/i18n.h"
#include "core/str.h"

/* RFC 5321 §4.1.4 receivers check at most a few names; so do we. */
#define PTR_NAMES_MAX 10

char *
aw_reverse_name_raw(const unsigned char *raw, int family)
{
	char *out;
	int i, off = 0;

	if (family == 4) {
		if (asprintf(&out, "%u.%u.%u.%u.in-addr.arpa", raw[3], raw[2],
		    raw[1], raw[0]) < 0)
			return NULL;
		return out;
	}
	if ((out = malloc(16 * 4 + sizeof "ip6.arpa")) == NULL)
		return NULL;
	for (i = 15; i >= 0; i--)
		off += sprintf(out + off, "%x.%x.", raw[i] & 0xf, raw[i] >> 4);
	strcpy(out + off, "ip6.arpa");
	return out;
}

char *
aw_reverse_name(const char *ip)
{
	unsigned char raw[16];

	if (inet_pton(AF_INET, ip, raw) == 1)
		return aw_reverse_name_raw(raw, 4);
	if (inet_pton(AF_INET6, ip, raw) == 1)
		return aw_reverse_name_raw(raw, 6);
	return NULL;
}

struct ptr_state {
	unsigned char raw[16];
	int family;
	char *org;                 /* organizational domain of the domain */
};

static void
ptr_state_free(void *p)
{
	struct ptr_state *s = p;

	if (s != NULL)
		free(s->org);
	free(s);
}

static void
ptr_detail_free(void *p)
{
	struct aw_ptr_detail *d = p;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nnames; i++) {
		free(d->names[i].name);
		free(d->names[i].generic_reason);
		aw_strv_done(&d->names[i].addrs);
	}
	free(d->names);
	free(d->ip);
	free(d);
}

static bool
same_addr(const struct aw_dns_rr *rr, const unsigned char *raw, int family)
{
	return memcmp(rr->u.addr.raw, raw, family == AF_INET ? 4 : 16) == 0;
}

static void
ptr_forward(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct ptr_state *s = job->state;
	struct aw_ptr_detail *d = job->sec->detail;
	struct aw_ptr_name *pn = &d->names[(size_t)arg];
	size_t i;

	aw_findings_lookup(&job->sec->f, ans);
	for (i = 0; i < ans->nrr; i++) {
		if (ans->rr[i].type != ans->qtype)
			continue;
		pn->resolves = true;
		aw_strv_push(&pn->addrs, ans->rr[i].u.addr.text);
		if (same_addr(&ans->rr[i], s->raw, s->family))
			pn->confirmed = true;
	}
	aw_dns_answer_free(ans);
}

static void
ptr_idle(struct aw_job *job)
{
	struct aw_ptr_detail *d = job->sec->detail;
	struct ptr_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	bool in_domain = false;
	size_t i;

	job->idle = NULL;
	if (d->nnames == 0)
		return;
	for (i = 0; i < d->nnames; i++) {
		struct aw_ptr_name *pn = &d->names[i];

		if (pn->confirmed)
			d->fcrdns = true;
		if (pn->in_domain)
			in_domain = true;
		if (pn->generic_reason != NULL)
			aw_findings_add(f, AW_SEV_WARNING, "ptr.generic-name", NULL,
			    _("PTR name %s looks generic: %s. Receivers distrust such names; ask the provider for a PTR naming your server (e.g. mail.%s)"),
			    pn->name, pn->generic_reason,
			    s->org ? s->org : _("your-domain"));
	}
	if (d->fcrdns) {
		aw_findings_add(f, AW_SEV_NOTE, "ptr.forward-confirmed", "RFC 8601 §3",
		    _("forward-confirmed: a PTR name of %s resolves back to it"),
		    d->ip);
	} else {
		for (i = 0; i < d->nnames; i++) {
			struct aw_ptr_name *pn = &d->names[i];

			if (!pn->resolves)
				aw_findings_add(f, AW_SEV_ERROR, "ptr.forward-missing", "RFC 8601 §3",
				    _("PTR name %s does not resolve (no %s record): not forward-confirmed"),
				    pn->name, s->family == AF_INET ? "A" : "AAAA");
			else
				aw_findings_add(f, AW_SEV_ERROR, "ptr.forward-mismatch", "RFC 8601 §3",
				    _("PTR name %s resolves to other addresses, not %s: not forward-confirmed"),
				    pn->name, d->ip);
		}
	}
	if (s->org != NULL) {
		if (in_domain)
			aw_findings_add(f, AW_SEV_NOTE, "ptr.name-inside", NULL,
			    _("the PTR name is inside %s"),
			    s->org);
		else
			aw_findings_add(f, AW_SEV_NOTE, "ptr.name-outside", NULL,
			    _("the PTR name is outside %s: fine for a hosted server, but a name in your own domain is clearer to receivers"),
			    s->org);
	}
}

static void
ptr_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct ptr_state *s = job->state;
	struct aw_ptr_detail *d = job->sec->detail;
	struct aw_findings *f = &job->sec->f;
	size_t i, n = aw_dns_answer_count(ans, AW_RECORD_PTR);

	aw_findings_lookup(f, ans);
	if (n > PTR_NAMES_MAX)
		n = PTR_NAMES_MAX;
	if (n > 0 && (d->names = calloc(n, sizeof *d->names)) == NULL)
		n = 0;
	for (i = 0; i < ans->nrr && d->nnames < n; i++) {
		struct aw_ptr_name *pn;
		const char *t = ans->rr[i].u.target;

		if (ans->rr[i].type != AW_RECORD_PTR)
			continue;
		pn = &d->names[d->nnames];
		aw_strv_init(&pn->addrs);
		if ((pn->name = strdup(t)) == NULL)
			break;
		pn->generic_reason = aw_ptr_generic_reason(t, d->ip);
		if (s->org != NULL) {
			char *org = aw_org_domain(t);

			pn->in_domain = org != NULL &&
			    aw_domain_equal(org, s->org);
			free(org);
		}
		aw_strv_push(&f->records, t);
		aw_job_ask(job, t, s->family == AF_INET ? AW_RECORD_A : AW_RECORD_AAAA,
		    ptr_forward, (void *)d->nnames);
		d->nnames++;
	}
	if (d->nnames > 1)
		aw_findings_add(f, AW_SEV_NOTE, "ptr.multiple", NULL,
		    _("%zu PTR records: receivers usually look at one; publish only one"),
		    d->nnames);
	if (d->nnames == 0 && !aw_dns_result_is_failure(ans->result)) {
		aw_findings_raise(f, AW_CHECK_MISSING);
		aw_findings_add(f, AW_SEV_ERROR, "ptr.missing", NULL,
		    _("no PTR record for %s: many receivers reject mail from addresses without reverse DNS; ask whoever owns the address (your ISP or host) to set one"),
		    d->ip);
	}
	job->idle = ptr_idle;
	aw_dns_answer_free(ans);
}

static enum aw_status
ptr_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *ip)
{
	struct aw_ptr_detail *d;
	struct ptr_state *s;
	struct aw_job *job;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return AW_ERR_NOMEM;
	sec->detail = d;
	sec->detail_free = ptr_detail_free;
	if ((d->ip = strdup(ip)) == NULL)
		return AW_ERR_NOMEM;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return AW_ERR_NOMEM;
	if (inet_pton(AF_INET, ip, s->raw) == 1)
		s->family = AF_INET;
	else if (inet_pton(AF_INET6, ip, s->raw) == 1)
		s->family = AF_INET6;
	sec->name = aw_reverse_name(ip);
	if (s->family == 0 || sec->name == NULL) {
		ptr_state_free(s);
		if (sec->name == NULL)
			sec->name = strdup(ip);
		aw_findings_add(&sec->f, AW_SEV_ERROR, "ptr.not-an-ip", NULL,
		    _("not an IP address: %s"), ip);
		aw_section_finish(sec);
		return AW_OK;
	}
	if (env->domain != NULL && aw_domain_valid(env->domain) &&
	    strchr(env->domain, '.') != NULL)
		s->org = aw_org_domain(env->domain);
	if ((job = aw_job_new(sec, env->src)) == NULL) {
		ptr_state_free(s);
		return AW_ERR_NOMEM;
	}
	job->state = s;
	job->free_state = ptr_state_free;
	aw_job_ask(job, sec->name, AW_RECORD_PTR, ptr_answer, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_ptr = {
	.area = "ptr",
	.title = N_("PTR"),
	.start = ptr_start,
};

/* HELO */

struct helo_state {
	char *domain;              /* NULL when none was given */
	struct aw_strv ips;        /* sending IPs */
	struct aw_strv ptr_names;  /* their PTR names */
	struct aw_strv mx_hosts;   /* the domain's MX hosts */
};

static void
helo_state_free(void *p)
{
	struct helo_state *s = p;

	if (s == NULL)
		return;
	free(s->domain);
	aw_strv_done(&s->ips);
	aw_strv_done(&s->ptr_names);
	aw_strv_done(&s->mx_hosts);
	free(s);
}

static void
helo_detail_free(void *p)
{
	struct aw_helo_detail *d = p;

	if (d == NULL)
		return;
	free(d->helo);
	aw_strv_done(&d->addrs);
	free(d);
}

static void
helo_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_helo_detail *d = job->sec->detail;
	struct helo_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	size_t i, k;

	aw_findings_lookup(f, ans);
	for (i = 0; i < ans->nrr; i++) {
		unsigned char raw[16];

		if (ans->rr[i].type != ans->qtype)
			continue;
		aw_strv_push(&f->records, ans->rr[i].u.addr.text);
		aw_strv_push(&d->addrs, ans->rr[i].u.addr.text);
		d->resolves = true;
		for (k = 0; k < s->ips.n; k++)
			if ((inet_pton(AF_INET, s->ips.v[k], raw) == 1 &&
			    ans->qtype == AW_RECORD_A &&
			    memcmp(raw, ans->rr[i].u.addr.raw, 4) == 0) ||
			    (inet_pton(AF_INET6, s->ips.v[k], raw) == 1 &&
			    ans->qtype == AW_RECORD_AAAA &&
			    memcmp(raw, ans->rr[i].u.addr.raw, 16) == 0))
				d->matches_ip = true;
	}
	aw_dns_answer_free(ans);
}

static void
helo_names(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct helo_state *s = job->state;
	size_t i;

	/* Not recorded as lookups: they belong to the PTR and MX areas. */
	for (i = 0; i < ans->nrr; i++) {
		if (ans->rr[i].type == AW_RECORD_PTR)
			aw_strv_push(&s->ptr_names, ans->rr[i].u.target);
		else if (ans->rr[i].type == AW_RECORD_MX &&
		    ans->rr[i].u.mx.host[0] != '\0')
			aw_strv_push(&s->mx_hosts, ans->rr[i].u.mx.host);
	}
	aw_dns_answer_free(ans);
}

static void
helo_idle(struct aw_job *job)
{
	struct aw_helo_detail *d = job->sec->detail;
	struct helo_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	size_t i;

	job->idle = NULL;
	if (!d->resolves && !f->dns_failure)
		aw_findings_add(f, AW_SEV_ERROR, "helo.no-address", "RFC 5321 §2.3.5",
		    _("HELO name %s does not resolve (no A or AAAA record): receivers may reject it (RFC 5321 §2.3.5)"),
		    d->helo);
	for (i = 0; i < s->ptr_names.n; i++)
		if (aw_domain_equal(s->ptr_names.v[i], d->helo))
			d->matches_ptr = true;
	for (i = 0; i < s->mx_hosts.n; i++)
		if (aw_domain_equal(s->mx_hosts.v[i], d->helo))
			d->matches_mx = true;
	if (d->matches_ptr)
		aw_findings_add(f, AW_SEV_NOTE, "helo.is-ptr-name", NULL,
		    _("HELO %s is the PTR name of the sending address"),
		    d->helo);
	if (d->matches_mx)
		aw_findings_add(f, AW_SEV_NOTE, "helo.is-mx", NULL,
		    _("HELO %s is an MX host of %s"), d->helo,
		    s->domain);
	if (s->ips.n > 0 && d->resolves && !d->matches_ip)
		aw_findings_add(f, AW_SEV_WARNING, "helo.address-mismatch", NULL,
		    _("HELO %s does not resolve to the sending address"),
		    d->helo);
	if (!d->matches_ptr && !d->matches_mx && (s->ips.n > 0 ||
	    s->domain != NULL)) {
		if (s->domain != NULL)
			aw_findings_add(f, AW_SEV_WARNING, "helo.no-match", NULL,
			    _("HELO %s matches neither the PTR name of the sending address nor an MX host of %s: use the server's PTR name"),
			    d->helo, s->domain);
		else
			aw_findings_add(f, AW_SEV_WARNING, "helo.no-match", NULL,
			    _("HELO %s matches neither the PTR name of the sending address nor an MX host: use the server's PTR name"),
			    d->helo);
	}
}

static enum aw_status
helo_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *helo)
{
	struct aw_helo_detail *d;
	struct helo_state *s;
	struct aw_job *job;
	size_t i;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return AW_ERR_NOMEM;
	aw_strv_init(&d->addrs);
	sec->detail = d;
	sec->detail_free = helo_detail_free;
	if ((sec->name = aw_domain_normalize(helo)) == NULL ||
	    (d->helo = strdup(sec->name)) == NULL)
		return AW_ERR_NOMEM;
	if (!aw_helo_check_syntax(helo, &sec->f)) {
		aw_section_finish(sec);
		return AW_OK;
	}
	d->fqdn = true;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return AW_ERR_NOMEM;
	aw_strv_init(&s->ips);
	aw_strv_init(&s->ptr_names);
	aw_strv_init(&s->mx_hosts);
	if (env->domain != NULL && aw_domain_valid(env->domain) &&
	    strchr(env->domain, '.') != NULL)
		s->domain = strdup(env->domain);
	if ((job = aw_job_new(sec, env->src)) == NULL) {
		helo_state_free(s);
		return AW_ERR_NOMEM;
	}
	job->state = s;
	job->free_state = helo_state_free;
	job->idle = helo_idle;
	aw_job_ask(job, sec->name, AW_RECORD_A, helo_answer, NULL);
	aw_job_ask(job, sec->name, AW_RECORD_AAAA, helo_answer, NULL);
	if (s->domain != NULL)
		aw_job_ask(job, s->domain, AW_RECORD_MX, helo_names, NULL);
	for (i = 0; env->opts != NULL && i < env->opts->nips; i++) {
		char *rev = aw_reverse_name(env->opts->ips[i]);

		if (rev == NULL)
			continue;
		aw_strv_push(&s->ips, env->opts->ips[i]);
		aw_job_ask(job, rev, AW_RECORD_PTR, helo_names, NULL);
		free(rev);
	}
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_helo = {
	.area = "helo",
	.title = N_("HELO"),
	.start = helo_start,
};
