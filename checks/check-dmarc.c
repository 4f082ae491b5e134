/* check-dmarc.c: the DMARC area: the record at _dmarc.<domain>, else at
 * the organizational domain. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/job.h"
#include "checks/orgdomain.h"
#include "core/i18n.h"
#include "core/str.h"

struct dmarc_state {
	char *org;        /* organizational domain when it differs */
	bool asked_org;
};

static void
dmarc_state_free(void *p)
{
	struct dmarc_state *s = p;

	if (s != NULL)
		free(s->org);
	free(s);
}

/* RFC 9989 §4.7: "v=DMARC1" first, case-sensitive, then ';' or space or end. */
static bool
is_dmarc(const char *txt, size_t len)
{
	return len >= 8 && strncmp(txt, "v=DMARC1", 8) == 0 &&
	    (len == 8 || txt[8] == ';' || txt[8] == ' ' || txt[8] == '\t');
}

static size_t
collect(struct aw_findings *f, const struct aw_dns_answer *ans)
{
	size_t i, n = 0;

	for (i = 0; i < ans->nrr; i++) {
		size_t len;
		char *txt;

		if (ans->rr[i].type != AW_RR_TXT)
			continue;
		if ((txt = aw_dns_txt_join(&ans->rr[i], &len)) == NULL)
			continue;
		if (is_dmarc(txt, len)) {
			aw_strv_take(&f->records, txt);
			n++;
		} else {
			free(txt);
		}
	}
	return n;
}

static void dmarc_org_txt(struct aw_job *job, struct aw_dns_answer *ans,
    void *arg);

static void
dmarc_txt(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_findings *f = &job->sec->f;
	struct dmarc_state *s = job->state;
	size_t n;

	aw_findings_lookup(f, ans);
	n = collect(f, ans);
	if (n > 1)
		aw_findings_error(f,
		    _("%zu DMARC records at %s: receivers apply no DMARC policy when there is more than one (RFC 9989 §4.10)"),
		    n, job->sec->name);
	if (n == 0 && !aw_dns_result_is_failure(ans->result)) {
		if (s->org != NULL) {
			char *name = NULL;

			if (asprintf(&name, "_dmarc.%s", s->org) >= 0) {
				s->asked_org = true;
				aw_job_ask(job, name, AW_RR_TXT, dmarc_org_txt,
				    NULL);
				free(name);
			}
		} else {
			aw_findings_raise(f, AW_CHECK_MISSING);
		}
	}
	aw_dns_answer_free(ans);
}

static void
dmarc_org_txt(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_findings *f = &job->sec->f;
	struct dmarc_state *s = job->state;
	size_t n;

	aw_findings_lookup(f, ans);
	n = collect(f, ans);
	if (n == 0) {
		if (!aw_dns_result_is_failure(ans->result))
			aw_findings_raise(f, AW_CHECK_MISSING);
	} else {
		aw_findings_note(f,
		    _("no record at %s; the policy of the organizational domain applies: _dmarc.%s"),
		    job->sec->name, s->org);
		if (n > 1)
			aw_findings_error(f,
			    _("%zu DMARC records at _dmarc.%s: receivers apply no DMARC policy when there is more than one (RFC 9989 §4.10)"),
			    n, s->org);
	}
	aw_dns_answer_free(ans);
}

static enum aw_status
dmarc_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct dmarc_state *s;
	struct aw_job *job;
	char *org;

	if (asprintf(&sec->name, "_dmarc.%s", env->domain) < 0) {
		sec->name = NULL;
		return AW_ERR_NOMEM;
	}
	if ((s = calloc(1, sizeof *s)) == NULL)
		return AW_ERR_NOMEM;
	org = aw_org_domain(env->domain);
	if (org != NULL && !aw_domain_equal(org, env->domain))
		s->org = org;
	else
		free(org);
	if ((job = aw_job_new(sec, env->src)) == NULL) {
		dmarc_state_free(s);
		return AW_ERR_NOMEM;
	}
	job->state = s;
	job->free_state = dmarc_state_free;
	aw_job_ask(job, sec->name, AW_RR_TXT, dmarc_txt, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_dmarc = {
	.area = "dmarc",
	.title = N_("DMARC"),
	.start = dmarc_start,
};
