/* journal.h: what apply changed, written before the first change so undo
 * can put the old values back. One file per domain under
 * $XDG_STATE_HOME/authwizard/ (default ~/.local/state/authwizard/), mode
 * 0600: "<domain>.journal.json" is the last apply; undo renames it to
 * "<domain>.undone.json". The content is the plan's JSON with each
 * change's state. */
#ifndef AW_JOURNAL_H
#define AW_JOURNAL_H

#include "core/error.h"
#include "providers/plan.h"

/* The directory (created 0700 when missing). The caller frees *out. */
enum aw_status aw_journal_dir(char **out, struct aw_error *err);
/* The path of domain's journal (not created). The caller frees *out. */
enum aw_status aw_journal_path(const char *domain, char **out,
    struct aw_error *err);
/* Writes (or rewrites) the journal of plan->domain with the states as
 * they are now. Atomic (temporary + rename), 0600. */
enum aw_status aw_journal_write(const struct aw_plan *plan,
    struct aw_error *err);
/* Loads domain's last journal into plan (initialised here).
 * AW_ERR_NOTFOUND when there is none. */
enum aw_status aw_journal_load(const char *domain, struct aw_plan *plan,
    struct aw_error *err);
/* The journal of the last apply that was undone ("<domain>.undone.json")
 * into plan (initialised here). AW_ERR_NOTFOUND when there is none. */
enum aw_status aw_journal_load_undone(const char *domain, struct aw_plan *plan,
    struct aw_error *err);
/* After a successful undo: the journal becomes "<domain>.undone.json". */
enum aw_status aw_journal_retire(const char *domain, struct aw_error *err);

#endif
