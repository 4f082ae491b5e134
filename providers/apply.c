/* apply.c: performs a plan (check, journal, send, read back) and undo. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/apply.h"
#include "providers/journal.h"

enum apply_stage {
	APPLY_CHECK,
	APPLY_SEND,
	APPLY_CONFIRM,
	APPLY_DONE
};

struct aw_apply_job {
	struct aw_provider *p;
	struct aw_plan *plan;
	struct aw_apply_opts opts;
	aw_apply_cb cb;
	void *arg;
	enum apply_stage stage;
	size_t index;          /* change being looked at */
	size_t end;            /* APPLY_SEND: end of the batch */
	struct aw_provider_op op;
	struct aw_error err;
	enum aw_status failed; /* first failure, reported at the end */
	bool journaled;
	struct aw_loop_timer *start;   /* the first step, from the loop */
	struct aw_provider_run *run;   /* the operation under way */
};

static void apply_next(struct aw_apply_job *job);

static void
apply_progress(struct aw_apply_job *job, enum aw_apply_phase phase)
{
	if (job->opts.progress != NULL)
		job->opts.progress(phase, job->plan, job->opts.progress_arg);
}

static void
apply_finish(struct aw_apply_job *job, enum aw_status st)
{
	if (st == AW_OK && job->opts.retire_journal)
		st = aw_journal_retire(job->plan->domain, &job->err);
	job->stage = APPLY_DONE;
	apply_progress(job, AW_APPLY_FINISHED);
	job->cb(job->plan, st, st == AW_OK ? NULL : &job->err, job->arg);
}

/* The listing of a change's name and type, as one record (empty if none). */
static enum aw_status
apply_current(const struct aw_provider_op *op, const struct aw_change *c,
    struct aw_record *out)
{
	const struct aw_record *r = aw_record_set_find(&op->records, c->new.name,
	    c->new.type);

	if (r != NULL)
		return aw_record_copy(out, r);
	return aw_record_init_word(out, c->new.name, c->new.type_name, 0);
}

static void
apply_checked(struct aw_apply_job *job, struct aw_provider_op *op)
{
	struct aw_change *c = &job->plan->changes[job->index];
	struct aw_record cur;

	if (apply_current(op, c, &cur) != AW_OK) {
		job->failed = aw_error_set(&job->err, AW_ERR_NOMEM,
		    _("out of memory"));
		return;
	}
	if (aw_record_same_values(&cur, &c->new) &&
	    (c->new.values.n == 0 || c->new.ttl == 0 || cur.ttl == c->new.ttl)) {
		/* Already as wanted: applying the same plan again is a no-op. */
		c->state = AW_CHANGE_SKIPPED;
	} else if (aw_record_same_values(&cur, &c->old) || job->opts.force) {
		/* The host needs the exact current set (Route 53 DELETE). */
		aw_record_done(&c->old);
		c->old = cur;
		memset(&cur, 0, sizeof cur);
		c->state = AW_CHANGE_PENDING;
		c->kind = c->old.values.n == 0 ? AW_CHANGE_CREATE :
		    c->new.values.n == 0 ? AW_CHANGE_DELETE : AW_CHANGE_UPDATE;
	} else {
		job->failed = aw_error_setw(&job->err, AW_ERR_CONFLICT,
		    c->new.name,
		    _("%s %s changed since the plan was made; nothing was changed: make a new plan"),
		    c->new.name, c->new.type_name);
	}
	aw_record_done(&cur);
}

static void
apply_op_cb(struct aw_provider_op *op, enum aw_status st,
    const struct aw_error *err, void *arg)
{
	struct aw_apply_job *job = arg;
	struct aw_plan *plan = job->plan;

	job->run = NULL;
	switch (job->stage) {
	case APPLY_CHECK:
		if (st != AW_OK) {
			job->err = *err;
			job->failed = st;
		} else
			apply_checked(job, op);
		aw_provider_op_done(job->p, op);
		if (job->failed != AW_OK) {
			apply_finish(job, job->failed);
			return;
		}
		job->index++;
		break;
	case APPLY_SEND:
		if (op->change_id != NULL) {
			size_t i;

			for (i = job->index; i < job->end; i++)
				if (plan->changes[i].state == AW_CHANGE_MADE &&
				    plan->changes[i].host_change_id == NULL)
					plan->changes[i].host_change_id =
					    strdup(op->change_id);
			/* Accepted, but the host's servers may not all have
			 * it yet (Route 53 still PENDING after its polls). */
			if (st == AW_OK && op->status != NULL &&
			    strcmp(op->status, "INSYNC") != 0)
				aw_strv_pushf(&plan->notes,
				    _("%s has not said the change %s is on all its servers yet (%s); 'watch' follows it"),
				    _(job->p->ops->title), op->change_id, op->status);
		}
		aw_provider_op_done(job->p, op);
		if (st != AW_OK) {
			job->err = *err;
			job->failed = st;
		}
		/* What the host accepted is in each change's state; write it
		 * down before anything else can go wrong. */
		if (!job->opts.no_journal) {
			struct aw_error jerr;

			if (aw_journal_write(plan, &jerr) != AW_OK &&
			    job->failed == AW_OK) {
				job->err = jerr;
				job->failed = jerr.status;
			}
		}
		if (job->failed != AW_OK) {
			apply_finish(job, job->failed);
			return;
		}
		job->index = job->end;
		break;
	case APPLY_CONFIRM:
		if (st != AW_OK) {
			job->err = *err;
			job->failed = st;
		} else {
			struct aw_change *c = &plan->changes[job->index];
			struct aw_record cur;

			if (apply_current(op, c, &cur) == AW_OK) {
				c->confirmed = aw_record_same_values(&cur, &c->new);
				if (!c->confirmed && job->failed == AW_OK)
					job->failed = aw_error_setw(&job->err,
					    AW_ERR_PROVIDER, c->new.name,
					    _("%s %s: the host accepted the change but reads back other values"),
					    c->new.name, c->new.type_name);
				aw_record_done(&cur);
			}
		}
		aw_provider_op_done(job->p, op);
		job->index++;
		break;
	case APPLY_DONE:
		return;
	}
	apply_next(job);
}

static bool
apply_run(struct aw_apply_job *job, enum aw_provider_op_kind kind,
    struct aw_change *c, size_t n)
{
	enum aw_status st;

	aw_provider_op_init(&job->op, kind);
	job->op.name = c->new.name;
	job->op.type = c->new.type;
	job->op.changes = c;
	job->op.nchanges = n;
	if (aw_provider_op_set_zone(&job->op, &c->zone) != AW_OK) {
		apply_finish(job, aw_error_set(&job->err, AW_ERR_NOMEM,
		    _("out of memory")));
		return false;
	}
	if ((st = aw_provider_run(job->p, &job->op, apply_op_cb, job,
	    &job->run, &job->err)) != AW_OK) {
		aw_provider_op_done(job->p, &job->op);
		apply_finish(job, st);
		return false;
	}
	return true;
}

static void
apply_next(struct aw_apply_job *job)
{
	struct aw_plan *plan = job->plan;
	struct aw_error jerr;

	for (;;) {
		switch (job->stage) {
		case APPLY_CHECK:
			if (job->index < plan->nchanges) {
				apply_run(job, AW_OP_LIST, &plan->changes[job->index], 1);
				return;
			}
			job->stage = APPLY_SEND;
			job->index = 0;
			if (aw_plan_count_pending(plan) == 0) {
				job->stage = APPLY_CONFIRM;
				break;
			}
			if (!job->opts.no_journal) {
				/* Before the first change: the old values. */
				if (aw_journal_write(plan, &jerr) != AW_OK) {
					job->err = jerr;
					apply_finish(job, jerr.status);
					return;
				}
				job->journaled = true;
				apply_progress(job, AW_APPLY_JOURNAL);
			}
			apply_progress(job, AW_APPLY_SENDING);
			break;
		case APPLY_SEND:
			while (job->index < plan->nchanges &&
			    plan->changes[job->index].state == AW_CHANGE_SKIPPED)
				job->index++;
			if (job->index < plan->nchanges) {
				/* One batch per run of changes in the same zone. */
				size_t end = job->index + 1;

				while (end < plan->nchanges &&
				    strcmp(plan->changes[end].zone.id,
				    plan->changes[job->index].zone.id) == 0)
					end++;
				job->end = end;
				apply_run(job, AW_OP_CHANGE, &plan->changes[job->index],
				    end - job->index);
				return;
			}
			job->stage = APPLY_CONFIRM;
			job->index = 0;
			apply_progress(job, AW_APPLY_CONFIRMING);
			break;
		case APPLY_CONFIRM:
			while (job->index < plan->nchanges &&
			    plan->changes[job->index].state != AW_CHANGE_MADE) {
				if (plan->changes[job->index].state == AW_CHANGE_SKIPPED)
					plan->changes[job->index].confirmed = true;
				job->index++;
			}
			if (job->index < plan->nchanges) {
				apply_run(job, AW_OP_LIST, &plan->changes[job->index], 1);
				return;
			}
			apply_finish(job, job->failed);
			return;
		case APPLY_DONE:
			return;
		}
	}
}

static void
apply_begin(void *arg)
{
	struct aw_apply_job *job = arg;

	job->start = NULL;
	apply_progress(job, AW_APPLY_CHECKING);
	apply_next(job);
}

enum aw_status
aw_apply_start(struct aw_provider *p, struct aw_plan *plan,
    const struct aw_apply_opts *opts, aw_apply_cb cb, void *arg,
    struct aw_apply_job **out, struct aw_error *err)
{
	struct aw_apply_job *job;
	size_t i;

	*out = NULL;
	if (plan->provider != NULL && strcmp(plan->provider, p->ops->name) != 0)
		return aw_error_setw(err, AW_ERR_INVALID, plan->provider,
		    _("the plan was made for another DNS host"));
	for (i = 0; i < plan->nchanges; i++)
		if (plan->changes[i].zone.id == NULL ||
		    plan->changes[i].new.name == NULL)
			return aw_error_set(err, AW_ERR_INVALID,
			    _("the plan has a change without zone or name"));
	if ((job = calloc(1, sizeof *job)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	job->p = p;
	job->plan = plan;
	if (opts != NULL)
		job->opts = *opts;
	job->cb = cb;
	job->arg = arg;
	for (i = 0; i < plan->nchanges; i++) {
		plan->changes[i].state = AW_CHANGE_PENDING;
		plan->changes[i].confirmed = false;
	}
	/* Even an empty plan reports from the loop, never from here. */
	if ((job->start = aw_loop_timer_add(p->loop, 0, apply_begin, job)) == NULL) {
		free(job);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*out = job;
	return AW_OK;
}

void
aw_apply_job_free(struct aw_apply_job *job)
{
	if (job == NULL)
		return;
	if (job->start != NULL)
		aw_loop_timer_cancel(job->p->loop, job->start);
	if (job->run != NULL) {
		aw_provider_cancel(job->p, job->run);
		aw_provider_op_done(job->p, &job->op);
		if (job->stage == APPLY_SEND) {
			/* Abandoned while the host was changing records: those
			 * may or may not be made; undo treats them as made. */
			size_t i;

			for (i = job->index; i < job->end; i++)
				if (job->plan->changes[i].state == AW_CHANGE_PENDING)
					job->plan->changes[i].state = AW_CHANGE_PARTIAL;
			if (!job->opts.no_journal)
				aw_journal_write(job->plan, NULL);
		}
	}
	free(job);
}

struct apply_sync {
	bool done;
	enum aw_status st;
	struct aw_error *err;
};

static void
apply_sync_cb(struct aw_plan *plan, enum aw_status st,
    const struct aw_error *err, void *arg)
{
	struct apply_sync *s = arg;

	(void)plan;
	s->done = true;
	s->st = st;
	if (err != NULL && s->err != NULL)
		*s->err = *err;
}

enum aw_status
aw_apply_sync(struct aw_provider *p, struct aw_plan *plan,
    const struct aw_apply_opts *opts, struct aw_error *err)
{
	struct apply_sync s;
	struct aw_apply_job *job;
	enum aw_status st;

	memset(&s, 0, sizeof s);
	s.err = err;
	if ((st = aw_apply_start(p, plan, opts, apply_sync_cb, &s, &job,
	    err)) != AW_OK)
		return st;
	while (!s.done)
		if (!aw_loop_run_once(p->loop, -1))
			break;
	aw_apply_job_free(job);
	if (!s.done)
		return aw_error_set(err, AW_ERR_INTERNAL, _("the event loop stopped"));
	return s.st;
}

enum aw_status
aw_undo_plan(const struct aw_plan *journal, struct aw_plan *out,
    struct aw_error *err)
{
	size_t i;

	aw_plan_init(out);
	out->domain = aw_strdup(journal->domain);
	out->provider = aw_strdup(journal->provider);
	if (out->domain == NULL || out->provider == NULL)
		goto nomem;
	for (i = 0; i < journal->nchanges; i++) {
		const struct aw_change *j = &journal->changes[i];
		struct aw_change *c;

		/* Only what was made (or partly made) is put back. */
		if (j->state != AW_CHANGE_MADE && j->state != AW_CHANGE_PARTIAL)
			continue;
		if ((c = aw_plan_push(out)) == NULL)
			goto nomem;
		c->zone.id = aw_strdup(j->zone.id);
		c->zone.name = aw_strdup(j->zone.name);
		if (c->zone.id == NULL || c->zone.name == NULL ||
		    aw_record_copy(&c->old, &j->new) != AW_OK ||
		    aw_record_copy(&c->new, &j->old) != AW_OK)
			goto nomem;
		c->kind = c->old.values.n == 0 ? AW_CHANGE_CREATE :
		    c->new.values.n == 0 ? AW_CHANGE_DELETE : AW_CHANGE_UPDATE;
	}
	return AW_OK;
nomem:
	aw_plan_done(out);
	return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
}

static enum aw_status
undo_prepare(struct aw_provider *p, const char *domain, struct aw_plan *out,
    struct aw_error *err)
{
	struct aw_plan journal;
	enum aw_status st;

	aw_plan_init(out);
	if ((st = aw_journal_load(domain, &journal, err)) != AW_OK)
		return st;
	if (strcmp(journal.provider, p->ops->name) != 0) {
		st = aw_error_setw(err, AW_ERR_INVALID, journal.provider,
		    _("the last apply went through another DNS host: use --provider %s"),
		    journal.provider);
		aw_plan_done(&journal);
		return st;
	}
	st = aw_undo_plan(&journal, out, err);
	aw_plan_done(&journal);
	return st;
}

static const struct aw_apply_opts undo_opts = {
	.no_journal = true,
	.force = true,
	.retire_journal = true,
};

enum aw_status
aw_undo_start(struct aw_provider *p, const char *domain, struct aw_plan *out,
    aw_apply_cb cb, void *arg, struct aw_apply_job **job, struct aw_error *err)
{
	enum aw_status st;

	*job = NULL;
	if ((st = undo_prepare(p, domain, out, err)) != AW_OK)
		return st;
	return aw_apply_start(p, out, &undo_opts, cb, arg, job, err);
}

enum aw_status
aw_undo_sync(struct aw_provider *p, const char *domain, struct aw_plan *out,
    struct aw_error *err)
{
	enum aw_status st;

	if ((st = undo_prepare(p, domain, out, err)) != AW_OK)
		return st;
	return aw_apply_sync(p, out, &undo_opts, err);
}
