/* journal.h: what apply changed, written ahead of every request so undo
 * can put the old values back. Kept per domain under
 * $XDG_STATE_HOME/authwizard/ (default ~/.local/state/authwizard/), mode
 * 0600, as a numbered history: "<domain>.<N>.journal.json" is apply N;
 * undo renames it to "<domain>.<N>.undone.json". The content is the plan's
 * JSON with each change's state. Every write is a temporary file, synced,
 * renamed into place and the directory synced: a crash or a full disk
 * leaves the previous version, never a torn one.
 *
 * One apply (or undo) per domain at a time: "<domain>.lock" beside the
 * journals, held with flock(2), holds the pid of its holder. */
#ifndef AW_JOURNAL_H
#define AW_JOURNAL_H

#include <stdbool.h>
#include <time.h>

#include "core/error.h"
#include "providers/plan.h"

/* The directory (created 0700 when missing). The caller frees *out. */
enum aw_status aw_journal_dir(char **out, struct aw_error *err);
/* The path of journal seq of domain (undone: its retired name); not
 * created. The caller frees *out. */
enum aw_status aw_journal_seq_path(const char *domain, unsigned seq,
    bool undone, char **out, struct aw_error *err);
/* The path of domain's newest journal not yet undone. AW_ERR_NOTFOUND when
 * there is none. The caller frees *out. */
enum aw_status aw_journal_path(const char *domain, char **out,
    struct aw_error *err);
/* The number for a new journal of domain: one past every kept one. */
enum aw_status aw_journal_next(const char *domain, unsigned *seq,
    struct aw_error *err);
/* Writes (or rewrites) journal seq of plan->domain with the states as they
 * are now. Atomic and synced (see above), 0600. A full or read-only disk
 * is AW_ERR_IO, and the file on disk is then the previous version. */
enum aw_status aw_journal_write(const struct aw_plan *plan, unsigned seq,
    struct aw_error *err);
/* Loads domain's newest journal not yet undone into plan (initialised
 * here); *seq (may be NULL) gets its number. AW_ERR_NOTFOUND when there is
 * none. */
enum aw_status aw_journal_load_newest(const char *domain, unsigned *seq,
    struct aw_plan *plan, struct aw_error *err);
enum aw_status aw_journal_load(const char *domain, struct aw_plan *plan,
    struct aw_error *err);
/* The newest journal that was undone, into plan (initialised here).
 * AW_ERR_NOTFOUND when there is none. */
enum aw_status aw_journal_load_undone(const char *domain, struct aw_plan *plan,
    struct aw_error *err);
/* After a complete undo: journal seq becomes "<domain>.<seq>.undone.json". */
enum aw_status aw_journal_retire(const char *domain, unsigned seq,
    struct aw_error *err);

/* The history of a domain, oldest first. */
struct aw_journal_entry {
	unsigned seq;
	bool undone;
	time_t mtime;
};
enum aw_status aw_journal_list(const char *domain,
    struct aw_journal_entry **out, size_t *n, struct aw_error *err);

/* Takes domain's lock without waiting: *fd is the open lock file (give it
 * to aw_journal_unlock). AW_ERR_IO when another process holds it;
 * *holder (may be NULL) is then its pid (0 if unknown). */
enum aw_status aw_journal_lock(const char *domain, int *fd, long *holder,
    struct aw_error *err);
void aw_journal_unlock(int fd);

#endif
