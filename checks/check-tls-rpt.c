/* check-tls-rpt.c: the TLS-RPT area (RFC 8460 §3): exactly one
 * v=TLSRPTv1 record at _smtp._tls.<domain>, parsed by tls-rpt.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/job.h"
#include "checks/tls-rpt.h"
#include "core/i18n.h"

static void
detail_free(void *p)
{
	struct aw_tls_rpt_detail *d = p;

	if (d == NULL)
		return;
	aw_tls_rpt_record_done(&d->rec);
	free(d);
}

static void
txt_answer(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_tls_rpt_detail *d = job->sec->detail;
	struct aw_findings *f = &job->sec->f;
	struct aw_strv txts;
	size_t i;

	(void)arg;
	aw_findings_lookup(f, ans);
	aw_strv_init(&txts);
	aw_dns_answer_txts(ans, &txts);
	for (i = 0; i < txts.n; i++) {
		if (!aw_tls_rpt_is_record(txts.v[i], strlen(txts.v[i])))
			continue;
		aw_strv_push(&f->records, txts.v[i]);
		if (d->nrecords++ == 0)
			aw_tls_rpt_parse(txts.v[i], strlen(txts.v[i]), &d->rec,
			    f);
	}
	aw_strv_done(&txts);
	if (d->nrecords == 0 && !aw_dns_result_is_failure(ans->result)) {
		aw_findings_raise(f, AW_CHECK_MISSING);
		aw_findings_add(f, AW_SEV_NOTE, "tls_rpt.none", "RFC 8460 §3",
		    _("no TLS-RPT record at %s: senders do not report TLS failures (MTA-STS, DANE) to you"),
		    job->sec->name);
	} else if (d->nrecords > 1) {
		aw_findings_add(f, AW_SEV_ERROR, "tls_rpt.multiple-records",
		    "RFC 8460 §3",
		    _("%zu TLS-RPT records at %s: senders send no reports (RFC 8460 §3)"),
		    d->nrecords, job->sec->name);
	}
	aw_dns_answer_free(ans);
}

static enum aw_status
tls_rpt_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct aw_tls_rpt_detail *d;
	struct aw_job *job;
	size_t n = strlen(env->domain) + sizeof "_smtp._tls.";

	(void)key;
	if ((d = calloc(1, sizeof *d)) == NULL)
		return AW_ERR_NOMEM;
	aw_tls_rpt_record_init(&d->rec);
	sec->detail = d;
	sec->detail_free = detail_free;
	if ((sec->name = malloc(n)) == NULL)
		return AW_ERR_NOMEM;
	snprintf(sec->name, n, "_smtp._tls.%s", env->domain);
	if ((job = aw_job_new(sec, env->src)) == NULL)
		return AW_ERR_NOMEM;
	aw_job_ask(job, sec->name, AW_RECORD_TXT, txt_answer, NULL);
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_tls_rpt = {
	.area = "tls_rpt",
	.title = N_("TLS-RPT"),
	.start = tls_rpt_start,
};
