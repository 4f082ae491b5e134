/* check-ptr.c: the PTR area (one section per sending IP) and the HELO
 * area. The deeper rules (generic names, HELO matching) live in ptr.c. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/job.h"
#include "core/i18n.h"
#include "core/str.h"

/* The reverse name of an IPv4 or IPv6 address (RFC 1035 §3.5, RFC 3596
 * §2.5); NULL when ip is not an address. The caller frees. */
char *aw_reverse_name(const char *ip);

char *
aw_reverse_name(const char *ip)
{
	unsigned char raw[16];
	char *out;
	int i, off = 0;

	if (inet_pton(AF_INET, ip, raw) == 1) {
		if (asprintf(&out, "%u.%u.%u.%u.in-addr.arpa", raw[3], raw[2],
		    raw[1], raw[0]) < 0)
			return NULL;
		return out;
	}
	if (inet_pton(AF_INET6, ip, raw) != 1)
		return NULL;
	if ((out = malloc(16 * 4 + sizeof "ip6.arpa")) == NULL)
		return NULL;
	for (i = 15; i >= 0; i--)
		off += sprintf(out + off, "%x.%x.", raw[i] & 0xf, raw[i] >> 4);
	strcpy(out + off, "ip6.arpa");
	return out;
}

struct ptr_state {
	char *ip;
	unsigned char raw[16];
	int family;
	bool confirmed;
};

static void
ptr_state_free(void *p)
{
	struct ptr_state *s = p;

	if (s != NULL)
		free(s->ip);
	free(s);
}

static void
ptr_forward(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct ptr_state *s = job->state;
	size_t i, alen = s->family == AF_INET ? 4 : 16;

	aw_findings_lookup(&job->sec->f, ans);
	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == ans->qtype &&
		    memcmp(ans->rr[i].u.addr.raw, s->raw, alen) == 0)
			s->confirmed = true;
	aw_dns_answer_free(ans);
}

static void
ptr_idle(struct aw_job *job)
{
	struct ptr_state *s = job->state;

	job->idle = NULL;
	if (job->sec->f.records.n == 0)
		return;
	if (s->confirmed)
		aw_findings_note(&job->sec->f,
		    _("forward-confirmed: a PTR name of %s resolves back to it"),
		    s->ip);
	else
		aw_findings_error(&job->sec->f,
		    _("not forward-confirmed: no PTR name of %s resolves back to it"),
		    s->ip);
}

static void
ptr_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct ptr_state *s = job->state;
	struct aw_findings *f = &job->sec->f;
	size_t i, n = 0;

	aw_findings_lookup(f, ans);
	for (i = 0; i < ans->nrr && n < 10; i++) {
		if (ans->rr[i].type != AW_RR_PTR)
			continue;
		aw_strv_push(&f->records, ans->rr[i].u.target);
		aw_job_ask(job, ans->rr[i].u.target,
		    s->family == AF_INET ? AW_RR_A : AW_RR_AAAA, ptr_forward,
		    NULL);
		n++;
	}
	if (n == 0 && !aw_dns_result_is_failure(ans->result)) {
		aw_findings_raise(f, AW_CHECK_MISSING);
		aw_findings_error(f, _("no PTR record for %s"), s->ip);
	}
	job->idle = ptr_idle;
	aw_dns_answer_free(ans);
}

static enum aw_status
ptr_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *ip)
{
	struct ptr_state *s;
	struct aw_job *job;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return AW_ERR_NOMEM;
	s->ip = strdup(ip);
	if (inet_pton(AF_INET, ip, s->raw) == 1)
		s->family = AF_INET;
	else if (inet_pton(AF_INET6, ip, s->raw) == 1)
		s->family = AF_INET6;
	sec->name = aw_reverse_name(ip);
	if (s->ip == NULL || s->family == 0 || sec->name == NULL) {
		ptr_state_free(s);
		if (sec->name == NULL)
			sec->name = strdup(ip);
		aw_findings_error(&sec->f, _("not an IP address: %s"), ip);
		aw_section_finish(sec);
		return AW_OK;
	}
	if ((job = aw_job_new(sec, env->src)) == NULL) {
		ptr_state_free(s);
		return AW_ERR_NOMEM;
	}
	job->state = s;
	job->free_state = ptr_state_free;
	aw_job_ask(job, sec->name, AW_RR_PTR, ptr_answer, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_ptr = {
	.area = "ptr",
	.title = N_("PTR"),
	.start = ptr_start,
};

static void
helo_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_findings *f = &job->sec->f;
	size_t i;

	aw_findings_lookup(f, ans);
	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == ans->qtype)
			aw_strv_push(&f->records, ans->rr[i].u.addr.text);
	aw_dns_answer_free(ans);
}

static void
helo_idle(struct aw_job *job)
{
	job->idle = NULL;
	if (job->sec->f.records.n == 0 && !job->sec->f.dns_failure)
		aw_findings_error(&job->sec->f,
		    _("HELO name %s does not resolve (no A or AAAA record)"),
		    job->sec->name);
}

static enum aw_status
helo_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *helo)
{
	struct aw_job *job;

	if ((sec->name = aw_domain_normalize(helo)) == NULL)
		return AW_ERR_NOMEM;
	if (strchr(sec->name, '.') == NULL || !aw_domain_valid(sec->name)) {
		aw_findings_error(&sec->f,
		    _("HELO name %s is not a fully qualified domain name"),
		    sec->name);
		aw_section_finish(sec);
		return AW_OK;
	}
	if ((job = aw_job_new(sec, env->src)) == NULL)
		return AW_ERR_NOMEM;
	job->idle = helo_idle;
	aw_job_ask(job, sec->name, AW_RR_A, helo_answer, NULL);
	aw_job_ask(job, sec->name, AW_RR_AAAA, helo_answer, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_helo = {
	.area = "helo",
	.title = N_("HELO"),
	.start = helo_start,
};
