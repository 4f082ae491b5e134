/* apply.h: performs a plan through a provider, then reads every record back
 * and confirms it; and undo, which puts the journal's old values back as
 * far as the host's records allow.
 *
 * Apply first lists each changed name again: a change already as wanted is
 * SKIPPED (so applying the same plan twice changes nothing); one whose
 * current values are neither old nor new means the zone moved since the
 * plan: nothing is sent (AW_ERR_CONFLICT). Then it writes the journal,
 * sends the changes (per zone; Route 53 and PowerDNS as one atomic batch,
 * Cloudflare record by record), and reads back. Ahead of every request
 * that changes something the changes it carries are marked INFLIGHT in the
 * journal (synced); a request without a usable reply (timeout, reset,
 * garbage, 5xx) leaves them UNKNOWN. After a failure nothing new is sent,
 * and every change that may have been made is read back: the host's
 * records decide MADE (new values), PENDING (old values) or UNKNOWN. A
 * journal that cannot be written (full or read-only disk) stops the apply
 * before the next request; the file on disk is then the last true one.
 * The domain's lock (aw_journal_lock) is held from start to callback. */
#ifndef AW_APPLY_H
#define AW_APPLY_H

#include <signal.h>
#include <stdbool.h>

#include "core/error.h"
#include "providers/plan.h"
#include "providers/provider.h"

/* Milestones for a progress display. */
enum aw_apply_phase {
	AW_APPLY_CHECKING,     /* listing the current values */
	AW_APPLY_JOURNAL,      /* journal written */
	AW_APPLY_SENDING,      /* changes going to the host */
	AW_APPLY_IN_FLIGHT,    /* a request is about to carry changes: they
	                        * are AW_CHANGE_INFLIGHT in the plan, and so
	                        * in the journal (once per request) */
	AW_APPLY_CONFIRMING,   /* reading back */
	AW_APPLY_FINISHED
};

struct aw_apply_opts {
	bool no_journal;       /* undo: the journal is the input */
	bool force;            /* undo: replace whatever is there now */
	bool retire_journal;   /* undo: when every name reads back as before,
	                        * journal journal_seq becomes undone */
	bool reconcile;        /* undo: each change's target is worked out
	                        * from what the host holds (see aw_undo_start) */
	unsigned journal_seq;
	/* Optional progress callback, from the loop. */
	void (*progress)(enum aw_apply_phase phase, const struct aw_plan *plan,
	    void *arg);
	void *progress_arg;
};

/* cb runs once from the loop. status: AW_OK when everything was made and
 * confirmed; otherwise the error, and the states in plan tell what was made. */
typedef void (*aw_apply_cb)(struct aw_plan *plan, enum aw_status status,
    const struct aw_error *err, void *arg);
struct aw_apply_job;
/* plan is borrowed (its states are updated) until cb ran. Free the job with
 * aw_apply_job_free after cb, or before to abandon it (no callback then;
 * changes that were being sent are marked UNKNOWN in plan and journal, so
 * undo looks at them). */
enum aw_status aw_apply_start(struct aw_provider *p, struct aw_plan *plan,
    const struct aw_apply_opts *opts, aw_apply_cb cb, void *arg,
    struct aw_apply_job **out, struct aw_error *err);
void aw_apply_job_free(struct aw_apply_job *job);
/* Every change of an undo plan skipped or made and read back as asked:
 * what its journal is retired on. */
bool aw_apply_all_restored(const struct aw_plan *plan);
/* Stop: no new request starts; the one out settles (its changes MADE,
 * FAILED or UNKNOWN), the journal is written, cb runs with AW_ERR_TIMEOUT. */
void aw_apply_stop(struct aw_apply_job *job);
/* The number of the journal this apply wrote (0: none). */
unsigned aw_apply_journal_seq(const struct aw_apply_job *job);
enum aw_status aw_apply_sync(struct aw_provider *p, struct aw_plan *plan,
    const struct aw_apply_opts *opts, struct aw_error *err);
/* The same; *stop (a signal handler's flag; may be NULL) stops it when set;
 * *seq (may be NULL) gets aw_apply_journal_seq. */
enum aw_status aw_apply_sync_stoppable(struct aw_provider *p,
    struct aw_plan *plan, const struct aw_apply_opts *opts,
    volatile const sig_atomic_t *stop, unsigned *seq, struct aw_error *err);

/* The reverse of a journal: for each change that may have been sent (every
 * state but SKIPPED), a change back to its old values (old: what the apply
 * made, new: what was there before). out is initialised here. */
enum aw_status aw_undo_plan(const struct aw_plan *journal, struct aw_plan *out,
    struct aw_error *err);
/* Loads domain's newest journal not yet undone and starts applying its
 * reverse, reconciled with the host: a name already as before is SKIPPED;
 * one that holds only values of the apply and of before is set to
 * (now - what the apply added) + what it removed; one changed since by
 * someone else is KEPT (left alone; with force it gets the same target, so
 * only the apply's own values go) and the undo fails with AW_ERR_CONFLICT.
 * The journal is retired only when every name reads back as before. out
 * (initialised here; the caller frees it with aw_plan_done after cb) is
 * the undo plan with its states. For the TUI; job as for aw_apply_start. */
enum aw_status aw_undo_start(struct aw_provider *p, const char *domain,
    struct aw_plan *out, aw_apply_cb cb, void *arg, struct aw_apply_job **job,
    struct aw_error *err);
/* The same, waiting (CLI). */
enum aw_status aw_undo_sync(struct aw_provider *p, const char *domain,
    struct aw_plan *out, struct aw_error *err);
enum aw_status aw_undo_sync_force(struct aw_provider *p, const char *domain,
    bool force, volatile const sig_atomic_t *stop, struct aw_plan *out,
    struct aw_error *err);

#endif
