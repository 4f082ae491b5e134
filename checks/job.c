/* job.c: in-flight counting for area checks. */
#include "config.h"

#include <stdlib.h>

#include "checks/job.h"
#include "core/i18n.h"

struct job_query {
	struct aw_job *job;
	aw_job_answer_cb cb;
	void *arg;
};

struct aw_job *
aw_job_new(struct aw_section *sec, const struct aw_dns_source *src)
{
	struct aw_job *job = calloc(1, sizeof *job);

	if (job == NULL)
		return NULL;
	job->sec = sec;
	job->src = src;
	return job;
}

static void
job_settle(struct aw_job *job)
{
	if (job->pending > 0)
		return;
	if (job->idle != NULL)
		job->idle(job);
	if (job->pending > 0)
		return;
	aw_section_finish(job->sec);
	if (job->free_state != NULL)
		job->free_state(job->state);
	free(job);
}

static void
job_answer(struct aw_dns_answer *ans, void *arg)
{
	struct job_query *q = arg;
	struct aw_job *job = q->job;

	job->pending--;
	q->cb(job, ans, q->arg);
	free(q);
	job_settle(job);
}

bool
aw_job_ask(struct aw_job *job, const char *name, enum aw_rrtype type,
    aw_job_answer_cb cb, void *arg)
{
	struct job_query *q = calloc(1, sizeof *q);

	if (q == NULL)
		goto fail;
	q->job = job;
	q->cb = cb;
	q->arg = arg;
	job->pending++;
	if (aw_dns_query(job->src, name, type, job_answer, q) != AW_OK) {
		job->pending--;
		free(q);
		goto fail;
	}
	return true;
fail:
	aw_findings_error(&job->sec->f, _("could not ask DNS for %s %s"),
	    aw_rrtype_name(type), name);
	return false;
}

void
aw_job_done_if_idle(struct aw_job *job)
{
	job_settle(job);
}
