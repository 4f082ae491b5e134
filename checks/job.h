/* job.h: the bookkeeping every area check shares: count the lookups in
 * flight and finish the section when the last one has answered. */
#ifndef AW_JOB_H
#define AW_JOB_H

#include "checks/domain.h"

struct aw_job;
struct aw_job_query;

/* Called with each answer (owned by the callee, who frees it). */
typedef void (*aw_job_answer_cb)(struct aw_job *job, struct aw_dns_answer *ans,
    void *arg);
/* Called once when nothing is in flight any more, before the section is
 * finished; it may ask more (then it is called again later). */
typedef void (*aw_job_idle_cb)(struct aw_job *job);

struct aw_job {
	struct aw_section *sec;
	const struct aw_dns_source *src;
	unsigned pending;
	aw_job_idle_cb idle;
	void (*free_state)(void *state);
	void *state;                  /* the area's own, freed at finish
	                               * (or when the check is dropped
	                               * unfinished) */
	bool failed_start;
	struct aw_job_query *asked;      /* the queries in flight (job.c) */
};

/* A job for sec over src; NULL on no memory. */
struct aw_job *aw_job_new(struct aw_section *sec, const struct aw_dns_source *src);
/* Ask name/type; cb gets the answer. Returns false when the query could
 * not be started (the failure is recorded in the findings). */
bool aw_job_ask(struct aw_job *job, const char *name, enum aw_record_type type,
    aw_job_answer_cb cb, void *arg);
/* Call at the end of start(): finishes the section at once when nothing
 * was asked (then the job is freed). */
void aw_job_done_if_idle(struct aw_job *job);
/* aw_job_ask for an arg the callback owns: arg_free frees it when the
 * answer never comes (the check is dropped unfinished); when the query
 * cannot be started the caller keeps it. */
bool aw_job_ask_owned(struct aw_job *job, const char *name,
    enum aw_record_type type, aw_job_answer_cb cb, void *arg,
    void (*arg_free)(void *arg));

/* Something other than a DNS answer the job waits for (a fetch through
 * the front end's fetcher): hold counts it in flight, release (from the
 * loop, when it is done) counts it out and finishes the section when
 * nothing else is pending. The area's free_state must cancel it when
 * the check is dropped unfinished. */
void aw_job_hold(struct aw_job *job);
void aw_job_release(struct aw_job *job);

#endif
