/* check-spf.c: the SPF area of a domain check: the record(s) at the name. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/job.h"
#include "core/i18n.h"
#include "core/str.h"

/* RFC 7208 §4.5: "v=spf1" followed by a space or the end, compared
 * case-insensitively. */
static bool
is_spf(const char *txt, size_t len)
{
	return len >= 6 && aw_strncasecmp(txt, "v=spf1", 6) == 0 &&
	    (len == 6 || txt[6] == ' ');
}

static void
spf_txt(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_findings *f = &job->sec->f;
	size_t i, n = 0;

	aw_findings_lookup(f, ans);
	for (i = 0; i < ans->nrr; i++) {
		size_t len;
		char *txt;

		if (ans->rr[i].type != AW_RR_TXT)
			continue;
		txt = aw_dns_txt_join(&ans->rr[i], &len);
		if (txt == NULL)
			continue;
		if (is_spf(txt, len)) {
			aw_strv_take(&f->records, txt);
			n++;
		} else {
			free(txt);
		}
	}
	if (n == 0 && !f->dns_failure)
		aw_findings_raise(f, AW_CHECK_MISSING);
	if (n > 1)
		aw_findings_error(f,
		    _("%zu SPF records at %s: receivers treat more than one as a permanent error (RFC 7208 §4.5); merge them into one"),
		    n, job->sec->name);
	aw_dns_answer_free(ans);
}

static void
spf_type99(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	/* RFC 7208 §3.1: type 99 is obsolete; only TXT counts. */
	if (ans->result == AW_DNS_RECORDS)
		aw_findings_warn(&job->sec->f,
		    _("an obsolete SPF-type (99) record is published at %s; receivers ignore it (RFC 7208 §3.1), only the TXT record counts"),
		    job->sec->name);
	aw_dns_answer_free(ans);
}

static enum aw_status
spf_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct aw_job *job;

	if ((sec->name = strdup(env->domain)) == NULL)
		return AW_ERR_NOMEM;
	if ((job = aw_job_new(sec, env->src)) == NULL)
		return AW_ERR_NOMEM;
	aw_job_ask(job, sec->name, AW_RR_TXT, spf_txt, NULL);
	aw_job_ask(job, sec->name, AW_RR_SPF, spf_type99, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_spf = {
	.area = "spf",
	.title = N_("SPF"),
	.start = spf_start,
};
