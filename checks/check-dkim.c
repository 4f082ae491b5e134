/* check-dkim.c: the DKIM area: the key record at each selector. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/job.h"
#include "core/i18n.h"
#include "core/str.h"

static void
dkim_txt(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_findings *f = &job->sec->f;
	size_t i, n = 0;

	aw_findings_lookup(f, ans);
	for (i = 0; i < ans->nrr; i++) {
		const struct aw_dns_rr *rr = &ans->rr[i];

		if (rr->type == AW_RR_CNAME) {
			aw_findings_note(f, _("%s is an alias (CNAME) of %s"),
			    rr->name, rr->u.target);
		} else if (rr->type == AW_RR_TXT) {
			char *txt = aw_dns_txt_join(rr, NULL);

			if (txt != NULL && aw_strv_take(&f->records, txt) == AW_OK)
				n++;
		}
	}
	if (n == 0 && !aw_dns_result_is_failure(ans->result))
		aw_findings_raise(f, AW_CHECK_MISSING);
	if (n > 1)
		aw_findings_error(f,
		    _("%zu TXT records at %s: a selector must publish exactly one key record"),
		    n, job->sec->name);
	aw_dns_answer_free(ans);
}

static enum aw_status
dkim_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *selector)
{
	struct aw_job *job;

	if (selector == NULL) {
		sec->name = strdup(env->domain);
		aw_findings_raise(&sec->f, AW_CHECK_MISSING);
		aw_findings_note(&sec->f,
		    _("no DKIM selector given: name one with --selector"));
		aw_section_finish(sec);
		return AW_OK;
	}
	if (asprintf(&sec->name, "%s._domainkey.%s", selector, env->domain) < 0) {
		sec->name = NULL;
		return AW_ERR_NOMEM;
	}
	if ((job = aw_job_new(sec, env->src)) == NULL)
		return AW_ERR_NOMEM;
	aw_job_ask(job, sec->name, AW_RR_TXT, dkim_txt, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_dkim = {
	.area = "dkim",
	.title = N_("DKIM"),
	.start = dkim_start,
};
