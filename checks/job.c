/* job.c: in-flight counting for area checks. */
#include "config.h"

#include <stdlib.h>

#include "checks/job.h"
#include "core/i18n.h"

struct aw_job_query {
	struct aw_job *job;
	aw_job_answer_cb cb;
	void *arg;
	void (*arg_free)(void *arg);    /* frees arg if never answered */
	struct aw_job_query *next, *prev;  /* in job->asked */
};

static void
query_unlink(struct aw_job *job, struct aw_job_query *q)
{
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		job->asked = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
}

/* The section is dropped unfinished (aw_domain_check_free) after the
 * DNS source dropped the callbacks: free what waits for them. */
static void
job_abandon(struct aw_section *sec)
{
	struct aw_job *job = sec->inflight;
	struct aw_job_query *q, *next;

	if (job == NULL)
		return;
	for (q = job->asked; q != NULL; q = next) {
		next = q->next;
		if (q->arg_free != NULL)
			q->arg_free(q->arg);
		free(q);
	}
	if (job->free_state != NULL)
		job->free_state(job->state);
	sec->inflight = NULL;
	sec->abandon = NULL;
	free(job);
}

struct aw_job *
aw_job_new(struct aw_section *sec, const struct aw_dns_source *src)
{
	struct aw_job *job = calloc(1, sizeof *job);

	if (job == NULL)
		return NULL;
	job->sec = sec;
	job->src = src;
	sec->inflight = job;
	sec->abandon = job_abandon;
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
	job->sec->inflight = NULL;
	job->sec->abandon = NULL;
	aw_section_finish(job->sec);
	if (job->free_state != NULL)
		job->free_state(job->state);
	free(job);
}

static void
job_answer(struct aw_dns_answer *ans, void *arg)
{
	struct aw_job_query *q = arg;
	struct aw_job *job = q->job;

	job->pending--;
	query_unlink(job, q);
	q->cb(job, ans, q->arg);
	free(q);
	job_settle(job);
}

bool
aw_job_ask(struct aw_job *job, const char *name, enum aw_record_type type,
    aw_job_answer_cb cb, void *arg)
{
	return aw_job_ask_owned(job, name, type, cb, arg, NULL);
}

bool
aw_job_ask_owned(struct aw_job *job, const char *name, enum aw_record_type type,
    aw_job_answer_cb cb, void *arg, void (*arg_free)(void *arg))
{
	struct aw_job_query *q = calloc(1, sizeof *q);

	if (q == NULL)
		goto fail;
	q->job = job;
	q->cb = cb;
	q->arg = arg;
	q->arg_free = arg_free;
	job->pending++;
	q->next = job->asked;
	if (job->asked != NULL)
		job->asked->prev = q;
	job->asked = q;
	if (aw_dns_query(job->src, name, type, job_answer, q) != AW_OK) {
		job->pending--;
		query_unlink(job, q);
		free(q);
		goto fail;
	}
	return true;
fail:
	aw_findings_add(&job->sec->f, AW_SEV_ERROR, "dns.query-failed", NULL,
	    _("could not ask DNS for %s %s"),
	    aw_record_type_name(type), name);
	return false;
}

void
aw_job_done_if_idle(struct aw_job *job)
{
	job_settle(job);
}

void
aw_job_hold(struct aw_job *job)
{
	job->pending++;
}

void
aw_job_release(struct aw_job *job)
{
	job->pending--;
	job_settle(job);
}
