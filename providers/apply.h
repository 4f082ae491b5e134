/* apply.h: performs a plan through a provider, then reads every record back
 * and confirms it; and undo, which puts the journal's old values back.
 *
 * Apply first lists each changed name again: a change already as wanted is
 * SKIPPED (so applying the same plan twice changes nothing); one whose
 * current values are neither old nor new means the zone moved since the
 * plan: nothing is sent (AW_ERR_CONFLICT). Then it writes the journal,
 * sends the changes (per zone; Route 53 and PowerDNS as one atomic batch,
 * Cloudflare record by record), records each change's state in the plan
 * and the journal, and reads back. On a failure midway each change's state
 * says what was made (MADE/PARTIAL) and what was not (PENDING/FAILED). */
#ifndef AW_APPLY_H
#define AW_APPLY_H

#include <stdbool.h>

#include "core/error.h"
#include "providers/plan.h"
#include "providers/provider.h"

/* Milestones for a progress display. */
enum aw_apply_phase {
	AW_APPLY_CHECKING,     /* listing the current values */
	AW_APPLY_JOURNAL,      /* journal written */
	AW_APPLY_SENDING,      /* changes going to the host */
	AW_APPLY_CONFIRMING,   /* reading back */
	AW_APPLY_FINISHED
};

struct aw_apply_opts {
	bool no_journal;       /* undo: the journal is the input */
	bool force;            /* undo: replace whatever is there now */
	bool retire_journal;   /* undo: on success the journal becomes
	                        * DOMAIN.undone.json */
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
 * changes that were being sent are marked PARTIAL in plan and journal, so
 * undo reverts them). */
enum aw_status aw_apply_start(struct aw_provider *p, struct aw_plan *plan,
    const struct aw_apply_opts *opts, aw_apply_cb cb, void *arg,
    struct aw_apply_job **out, struct aw_error *err);
void aw_apply_job_free(struct aw_apply_job *job);
enum aw_status aw_apply_sync(struct aw_provider *p, struct aw_plan *plan,
    const struct aw_apply_opts *opts, struct aw_error *err);

/* The reverse of a journal: for each change that was MADE or PARTIAL, a
 * change back to its old values. out is initialised here. */
enum aw_status aw_undo_plan(const struct aw_plan *journal, struct aw_plan *out,
    struct aw_error *err);
/* Loads domain's journal and starts applying its reverse (force, no new
 * journal), retiring the journal when everything was restored. out
 * (initialised here; the caller frees it with aw_plan_done after cb) is
 * the undo plan with its states. For the TUI; job as for aw_apply_start. */
enum aw_status aw_undo_start(struct aw_provider *p, const char *domain,
    struct aw_plan *out, aw_apply_cb cb, void *arg, struct aw_apply_job **job,
    struct aw_error *err);
/* The same, waiting (CLI). */
enum aw_status aw_undo_sync(struct aw_provider *p, const char *domain,
    struct aw_plan *out, struct aw_error *err);

#endif
