/* apply.h: the seam between the wizard and the DNS hosts
 * (providers/provider.h, plan.h, apply.h). From the model's choices it
 * makes the wanted records (the same wants `authwizard plan` makes from
 * its options), asks the host for its plan (old -> new), and applies that
 * plan with the journal, so `authwizard undo DOMAIN` reverts a wizard
 * apply. Results come back as model events, from the loop. */
#ifndef AW_TUI_APPLY_H
#define AW_TUI_APPLY_H

#include "core/error.h"
#include "core/loop.h"
#include "providers/plan.h"
#include "providers/session.h"
#include "tui/model.h"
#include "tui/recheck.h"

struct aw_tui_apply;

/* The wanted records of m's choices into w (initialised by the caller),
 * as `authwizard plan` makes them from its options: the SPF record merged
 * with the published one(s) through the plan's SPF builder (or replacing
 * them when the user took terms out), the DKIM CNAMEs or key, the DMARC
 * record, deletions of aliases to nowhere, the forward A/AAAA of the PTR
 * name, and the PTR of each sending IP that needs one (planned only when
 * the host holds the reverse zone; else the request to the IP's owner
 * stays). tui/model-plan.c. */
enum aw_status aw_tui_wants(const struct aw_tui_model *m, struct aw_wants *w,
    struct aw_error *err);

/* The plan worked out from what DNS said (issue 13), the one the review
 * shows before (or without) a host's: m's wants against what the wizard
 * read (every TXT at the domain, the DMARC records, the aliases to
 * nowhere; a DKIM or forward name it wants is taken as empty), built by
 * the engine of `authwizard plan` with no host asked. A wanted name the
 * wizard did not read (a reverse zone, a failed lookup) is marked
 * unknown, not absent. plan is initialised by the caller (aw_plan_init).
 * tui/model-plan.c. */
enum aw_status aw_tui_plan_offline(const struct aw_tui_model *m,
    struct aw_plan *plan, struct aw_error *err);

/* True for a name under in-addr.arpa or ip6.arpa. */
bool aw_tui_is_reverse_name(const char *name);

/* A session with m->target's host, opened on the run context's loop and
 * transport (session, borrowed), credentials from m (typed, or from the
 * environment). Plans and applies go through it; NULL and err when the
 * host cannot be opened (credentials missing, no memory). Free with
 * aw_tui_apply_free: it stops what is pending (an apply under way has
 * its changes marked in the journal, see aw_apply_job_free). */
struct aw_tui_apply *aw_tui_apply_new(struct aw_session *session,
    const struct aw_tui_model *m, struct aw_error *err);
void aw_tui_apply_free(struct aw_tui_apply *a);

/* Asks the host what the zone holds and plans m's wants against it. cb
 * gets one AW_EV_PLAN_READY (ok with a copy of the plan, or !ok with the
 * reason). On an error return cb is never called. */
enum aw_status aw_tui_plan_start(struct aw_tui_apply *a,
    const struct aw_tui_model *m, aw_tui_event_cb cb, void *arg,
    struct aw_error *err);

/* The plan made last (borrowed: valid until the next plan or
 * aw_tui_apply_free), or NULL when none is ready. */
const struct aw_plan *aw_tui_apply_plan(const struct aw_tui_apply *a);

/* Applies the plan made last. cb gets AW_EV_APPLY_RECORD per change
 * (count 1 when sending starts, 2 when already as wanted, then its
 * result) and finally AW_EV_APPLY_DONE. On an error return nothing was
 * sent and cb is never called. */
enum aw_status aw_tui_apply_start(struct aw_tui_apply *a, aw_tui_event_cb cb,
    void *arg, struct aw_error *err);

/* The session's DNS host (borrowed: valid until aw_tui_apply_free), for
 * asking it about a change it made (tui/recheck.h). */
struct aw_provider *aw_tui_apply_provider(const struct aw_tui_apply *a);

/* The host's ids of the changes the last apply made (Route 53 "C...";
 * other hosts have none), each once, appended to out. */
enum aw_status aw_tui_apply_change_ids(const struct aw_tui_apply *a,
    struct aw_strv *out);

#endif
