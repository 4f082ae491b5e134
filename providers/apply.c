/* apply.c: performs a plan (check, journal, send, read back) and undo. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	unsigned seq;          /* the journal's number */
	int lock_fd;           /* the domain's lock, -1 once released */
	bool stopping;         /* aw_apply_stop: start nothing new */
	size_t kept;           /* undo: names left alone */
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

/* Writes the journal as the states are now; the first failure is kept
 * (and stops the apply before its next change). */
static bool
apply_journal(struct aw_apply_job *job)
{
	struct aw_error jerr;

	if (job->opts.no_journal || !job->journaled)
		return true;
	if (aw_journal_write(job->plan, job->seq, &jerr) == AW_OK)
		return true;
	if (job->failed == AW_OK) {
		job->err = jerr;
		job->failed = jerr.status;
	}
	return false;
}

/* Something may have changed at the host. */
static bool
apply_maybe_changed(enum aw_change_state s)
{
	return s == AW_CHANGE_MADE || s == AW_CHANGE_PARTIAL ||
	    s == AW_CHANGE_INFLIGHT || s == AW_CHANGE_UNKNOWN;
}

bool
aw_apply_all_restored(const struct aw_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nchanges; i++) {
		const struct aw_change *c = &plan->changes[i];

		if (c->state != AW_CHANGE_SKIPPED &&
		    !(c->state == AW_CHANGE_MADE && c->confirmed))
			return false;
	}
	return true;
}

static void
apply_finish(struct aw_apply_job *job, enum aw_status st)
{
	if (st == AW_OK && job->kept > 0)
		st = aw_error_set(&job->err, AW_ERR_CONFLICT,
		    _("%zu name(s) changed since the apply by someone else were left alone (undo --force takes back only what the apply added)"),
		    job->kept);
	if (st == AW_OK && job->opts.retire_journal) {
		/* Retired only when the read-back shows every name as before. */
		if (aw_apply_all_restored(job->plan))
			st = aw_journal_retire(job->plan->domain,
			    job->opts.journal_seq, &job->err);
	}
	aw_journal_unlock(job->lock_fd);
	job->lock_fd = -1;
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

/* Undo: c->old is what the apply made (its new values), c->new what was
 * there before. From what the host holds now (cur), the target: take out
 * only the values the apply added, put back those it removed. A name that
 * holds values neither side knows, or lacks one both sides had, was
 * changed by someone else: left alone (KEPT) unless --force. */
static enum aw_status
undo_checked(struct aw_apply_job *job, struct aw_change *c, struct aw_record *cur)
{
	const struct aw_record *made = &c->old, *before = &c->new;
	struct aw_record target;
	bool foreign = false;
	size_t i;
	enum aw_status st;

	if (aw_record_same_values(cur, before) && (before->values.n == 0 ||
	    before->ttl == 0 || cur->ttl == before->ttl)) {
		c->state = AW_CHANGE_SKIPPED;      /* already as before */
		return AW_OK;
	}
	for (i = 0; i < cur->values.n && !foreign; i++)
		foreign = aw_record_find(before, cur->values.v[i]) < 0 &&
		    aw_record_find(made, cur->values.v[i]) < 0;
	for (i = 0; i < before->values.n && !foreign; i++)
		foreign = aw_record_find(made, before->values.v[i]) >= 0 &&
		    aw_record_find(cur, before->values.v[i]) < 0;
	if (foreign && !job->opts.force) {
		c->state = AW_CHANGE_KEPT;
		job->kept++;
		aw_record_done(&c->old);
		c->old = *cur;                     /* shown: what is there now */
		memset(cur, 0, sizeof *cur);
		return AW_OK;
	}
	if ((st = aw_record_init_word(&target, before->name, before->type_name,
	    before->values.n > 0 && before->ttl != 0 ? before->ttl : cur->ttl)) != AW_OK)
		return st;
	for (i = 0; i < cur->values.n && st == AW_OK; i++)
		if (aw_record_find(made, cur->values.v[i]) < 0 ||
		    aw_record_find(before, cur->values.v[i]) >= 0)
			st = aw_record_add(&target, cur->values.v[i]);
	for (i = 0; i < before->values.n && st == AW_OK; i++)
		if (aw_record_find(&target, before->values.v[i]) < 0)
			st = aw_record_add(&target, before->values.v[i]);
	if (st == AW_OK && foreign)
		st = aw_strv_push(&c->notes,
		    _("changed since by someone else: their values stay, only what the apply added goes"));
	if (st != AW_OK) {
		aw_record_done(&target);
		return st;
	}
	aw_record_done(&c->old);
	aw_record_done(&c->new);
	c->old = *cur;
	memset(cur, 0, sizeof *cur);
	c->new = target;
	c->state = AW_CHANGE_PENDING;
	c->kind = c->old.values.n == 0 ? AW_CHANGE_CREATE :
	    c->new.values.n == 0 ? AW_CHANGE_DELETE : AW_CHANGE_UPDATE;
	return AW_OK;
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
	if (job->opts.reconcile) {
		if (undo_checked(job, c, &cur) != AW_OK)
			job->failed = aw_error_set(&job->err, AW_ERR_NOMEM,
			    _("out of memory"));
	} else if (aw_record_same_values(&cur, &c->new) &&
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

/* Read back after the changes: a MADE change is confirmed when the host
 * holds its new values; for one whose reply did not come (UNKNOWN, still
 * in flight, PARTIAL) the host decides: new values: made; old ones: not
 * made; anything else: it stays unknown. */
static void
apply_read_back(struct aw_apply_job *job, struct aw_provider_op *op)
{
	struct aw_change *c = &job->plan->changes[job->index];
	struct aw_record cur;

	if (apply_current(op, c, &cur) != AW_OK)
		return;
	if (c->state == AW_CHANGE_MADE) {
		c->confirmed = aw_record_same_values(&cur, &c->new);
		if (!c->confirmed && job->failed == AW_OK)
			job->failed = aw_error_setw(&job->err,
			    AW_ERR_PROVIDER, c->new.name,
			    _("%s %s: the host accepted the change but reads back other values"),
			    c->new.name, c->new.type_name);
	} else if (aw_record_same_values(&cur, &c->new)) {
		c->state = AW_CHANGE_MADE;
		c->confirmed = true;
	} else if (aw_record_same_values(&cur, &c->old))
		c->state = AW_CHANGE_PENDING;
	else
		c->state = c->state == AW_CHANGE_PARTIAL ? AW_CHANGE_PARTIAL :
		    AW_CHANGE_UNKNOWN;
	aw_record_done(&cur);
}

static void
apply_sent(struct aw_apply_job *job, struct aw_provider_op *op,
    enum aw_status st, const struct aw_error *err)
{
	struct aw_plan *plan = job->plan;
	size_t i;

	if (op->change_id != NULL) {
		for (i = job->index; i < job->end; i++)
			if (plan->changes[i].state == AW_CHANGE_MADE &&
			    plan->changes[i].host_change_id == NULL)
				plan->changes[i].host_change_id = strdup(op->change_id);
		/* Accepted, but the host's servers may not all have it yet
		 * (Route 53 still PENDING after its polls). */
		if (st == AW_OK && op->status != NULL &&
		    strcmp(op->status, "INSYNC") != 0)
			aw_strv_pushf(&plan->notes,
			    _("%s has not said the change %s is on all its servers yet (%s); 'watch' follows it"),
			    _(job->p->ops->title), op->change_id, op->status);
	}
	/* A request out without a usable reply: maybe made. */
	for (i = job->index; i < job->end; i++)
		if (plan->changes[i].state == AW_CHANGE_INFLIGHT)
			plan->changes[i].state = AW_CHANGE_UNKNOWN;
	if (st != AW_OK && job->failed == AW_OK) {
		job->err = *err;
		job->failed = st;
	}
	/* What the host said is in each change's state: write it down before
	 * anything else can go wrong. */
	apply_journal(job);
	job->index = job->end;
}

static void
apply_op_cb(struct aw_provider_op *op, enum aw_status st,
    const struct aw_error *err, void *arg)
{
	struct aw_apply_job *job = arg;

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
		apply_sent(job, op, st, err);
		aw_provider_op_done(job->p, op);
		break;
	case APPLY_CONFIRM:
		if (st != AW_OK) {
			if (job->failed == AW_OK) {
				job->err = *err;
				job->failed = st;
			}
		} else
			apply_read_back(job, op);
		aw_provider_op_done(job->p, op);
		job->index++;
		break;
	case APPLY_DONE:
		return;
	}
	apply_next(job);
}

/* Before each request that changes something: the changes it carries are
 * marked in flight and the journal is written (synced) first. When that
 * fails, the request is not sent. */
static enum aw_status
apply_before_send(struct aw_provider_op *op, const struct aw_http_request *req,
    void *arg, struct aw_error *err)
{
	struct aw_apply_job *job = arg;
	size_t i, from = 0, to = op->nchanges;
	bool marked[64] = { false };   /* beyond: left in flight (safe side) */
	bool any = false;

	if (req->method != NULL && strcmp(req->method, "GET") == 0)
		return AW_OK;
	if (job->p->ops->per_change_requests) {
		from = op->index;
		to = op->index < op->nchanges ? op->index + 1 : op->index;
	}

	for (i = from; i < to; i++)
		if (op->changes[i].state == AW_CHANGE_PENDING) {
			op->changes[i].state = AW_CHANGE_INFLIGHT;
			if (i - from < sizeof marked)
				marked[i - from] = true;
			any = true;
		}
	if (!job->opts.no_journal &&
	    aw_journal_write(job->plan, job->seq, err) != AW_OK) {
		/* Not sent: what this request would have carried is not in
		 * flight (an earlier request of the same change still is).
		 * The file on disk is the previous version, still true. */
		for (i = from; i < to; i++)
			if (i - from < sizeof marked && marked[i - from])
				op->changes[i].state = AW_CHANGE_PENDING;
		return err != NULL ? err->status : AW_ERR_IO;
	}
	/* A display shows these as being sent from now on, not before. */
	if (any)
		apply_progress(job, AW_APPLY_IN_FLIGHT);
	return AW_OK;
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
	if (kind == AW_OP_CHANGE) {
		job->op.before_send = apply_before_send;
		job->op.before_arg = job;
	}
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

static enum aw_status
apply_stopped(struct aw_apply_job *job)
{
	if (job->failed == AW_OK)
		job->failed = aw_error_set(&job->err, AW_ERR_TIMEOUT,
		    _("stopped: no further change was sent"));
	return job->failed;
}

/* Starts the next operation, or finishes. */
static void
apply_next(struct aw_apply_job *job)
{
	struct aw_plan *plan = job->plan;

	for (;;) {
		switch (job->stage) {
		case APPLY_CHECK:
			if (job->stopping) {
				apply_finish(job, apply_stopped(job));
				return;
			}
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
				if (aw_journal_next(plan->domain, &job->seq,
				    &job->err) != AW_OK ||
				    aw_journal_write(plan, job->seq, &job->err) != AW_OK) {
					apply_finish(job, job->err.status);
					return;
				}
				job->journaled = true;
				apply_progress(job, AW_APPLY_JOURNAL);
			}
			apply_progress(job, AW_APPLY_SENDING);
			break;
		case APPLY_SEND:
			while (job->index < plan->nchanges &&
			    (plan->changes[job->index].state == AW_CHANGE_SKIPPED ||
			    plan->changes[job->index].state == AW_CHANGE_KEPT))
				job->index++;
			/* After a failure or a stop nothing new is sent; what
			 * may have been made is read back. */
			if (job->index < plan->nchanges && job->failed == AW_OK &&
			    !job->stopping) {
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
			    !apply_maybe_changed(plan->changes[job->index].state)) {
				if (plan->changes[job->index].state == AW_CHANGE_SKIPPED)
					plan->changes[job->index].confirmed = true;
				job->index++;
			}
			if (job->index < plan->nchanges && !job->stopping) {
				apply_run(job, AW_OP_LIST, &plan->changes[job->index], 1);
				return;
			}
			/* The read-back's verdicts, for undo. */
			apply_journal(job);
			apply_finish(job, job->stopping ? apply_stopped(job) :
			    job->failed);
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
	enum aw_status st;
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
	job->lock_fd = -1;
	/* One apply or undo per domain at a time. */
	if (plan->domain != NULL && (st = aw_journal_lock(plan->domain,
	    &job->lock_fd, NULL, err)) != AW_OK) {
		free(job);
		return st;
	}
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
		aw_journal_unlock(job->lock_fd);
		free(job);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*out = job;
	return AW_OK;
}

void
aw_apply_stop(struct aw_apply_job *job)
{
	if (job == NULL || job->stopping || job->stage == APPLY_DONE)
		return;
	job->stopping = true;
	if (job->run != NULL)
		aw_provider_stop(job->p, job->run);
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
			/* Abandoned while the host was changing records: what
			 * was in flight may or may not be made. */
			size_t i;

			for (i = job->index; i < job->end; i++)
				if (job->plan->changes[i].state == AW_CHANGE_INFLIGHT)
					job->plan->changes[i].state = AW_CHANGE_UNKNOWN;
			if (!job->opts.no_journal && job->journaled)
				aw_journal_write(job->plan, job->seq, NULL);
		}
	}
	aw_journal_unlock(job->lock_fd);
	free(job);
}

unsigned
aw_apply_journal_seq(const struct aw_apply_job *job)
{
	return job->journaled ? job->seq : 0;
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
	return aw_apply_sync_stoppable(p, plan, opts, NULL, NULL, err);
}

enum aw_status
aw_apply_sync_stoppable(struct aw_provider *p, struct aw_plan *plan,
    const struct aw_apply_opts *opts, volatile const sig_atomic_t *stop,
    unsigned *seq, struct aw_error *err)
{
	struct apply_sync s;
	struct aw_apply_job *job;
	enum aw_status st;

	memset(&s, 0, sizeof s);
	s.err = err;
	if ((st = aw_apply_start(p, plan, opts, apply_sync_cb, &s, &job,
	    err)) != AW_OK)
		return st;
	while (!s.done) {
		if (stop != NULL && *stop)
			aw_apply_stop(job);
		/* A signal ends the wait early (EINTR); the bound covers one
		 * that came just before it. */
		if (!aw_loop_run_once(p->loop, stop != NULL ? 200 : -1))
			break;
	}
	if (seq != NULL)
		*seq = aw_apply_journal_seq(job);
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

		/* Every change the apply may have sent; the host's records
		 * decide what is put back (an unknown or in-flight change, a
		 * pending one of an older journal written after the fact). */
		if (j->state == AW_CHANGE_SKIPPED || j->state == AW_CHANGE_KEPT)
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
    unsigned *seq, struct aw_error *err)
{
	struct aw_plan journal;
	enum aw_status st;

	aw_plan_init(out);
	if ((st = aw_journal_load_newest(domain, seq, &journal, err)) != AW_OK)
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

static void
undo_opts(struct aw_apply_opts *o, unsigned seq, bool force)
{
	memset(o, 0, sizeof *o);
	o->no_journal = true;
	o->reconcile = true;
	o->force = force;
	o->retire_journal = true;
	o->journal_seq = seq;
}

enum aw_status
aw_undo_start(struct aw_provider *p, const char *domain, struct aw_plan *out,
    aw_apply_cb cb, void *arg, struct aw_apply_job **job, struct aw_error *err)
{
	struct aw_apply_opts o;
	enum aw_status st;
	unsigned seq = 0;

	*job = NULL;
	if ((st = undo_prepare(p, domain, out, &seq, err)) != AW_OK)
		return st;
	undo_opts(&o, seq, false);
	return aw_apply_start(p, out, &o, cb, arg, job, err);
}

enum aw_status
aw_undo_sync(struct aw_provider *p, const char *domain, struct aw_plan *out,
    struct aw_error *err)
{
	return aw_undo_sync_force(p, domain, false, NULL, out, err);
}

enum aw_status
aw_undo_sync_force(struct aw_provider *p, const char *domain, bool force,
    volatile const sig_atomic_t *stop, struct aw_plan *out, struct aw_error *err)
{
	struct aw_apply_opts o;
	enum aw_status st;
	unsigned seq = 0;

	if ((st = undo_prepare(p, domain, out, &seq, err)) != AW_OK)
		return st;
	undo_opts(&o, seq, force);
	return aw_apply_sync_stoppable(p, out, &o, stop, NULL, err);
}
