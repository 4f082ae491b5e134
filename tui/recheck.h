/* recheck.h: after applying, is each change published? The propagation
 * watch (checks/watch.h) asks each server round after round; deletions
 * are asked through the resolver. Results come back as model events. */
#ifndef AW_TUI_RECHECK_H
#define AW_TUI_RECHECK_H

#include "checks/dns.h"
#include "checks/resolver.h"
#include "core/loop.h"
#include "core/strv.h"
#include "tui/model.h"

typedef void (*aw_tui_event_cb)(const struct aw_tui_event *ev, void *arg);

struct aw_tui_recheck;
struct aw_provider;

/* The DNS host's own view of the changes it made: for each id, its
 * AW_OP_CHANGE_STATUS (Route 53 GetChange) is asked through p on the
 * loop, once at the start and again each round until it says INSYNC,
 * and the watch does not end as published before that (as `authwizard
 * watch` does). */
struct aw_tui_recheck_host {
	struct aw_provider *p;          /* borrowed: must outlive the recheck */
	const struct aw_strv *ids;      /* copied */
};

/* Watches m's changes (copied) on servers[0..nservers) ("ip:port"); none:
 * each record's own zone's authoritative servers (aw_watch_discover: a
 * PTR at its reverse zone's), found first; a discovery problem comes as
 * one AW_EV_NOTE. cb gets AW_EV_RECHECK per change after each round
 * (servers: how many are asked for it), and one with count 1 when the watch ends
 * (every change published, or interval/deadline ran out). With host (may
 * be NULL; no ids: nothing asked), cb gets AW_EV_HOST_STATE per change id:
 * at once from inside this call (state NULL: being asked), then each
 * answer. NULL on no memory (then cb got that final event already). Free
 * with aw_tui_recheck_free at any time (no callbacks after that; the
 * host's requests are cancelled). */
struct aw_tui_recheck *aw_tui_recheck_start(struct aw_resolver *res,
    struct aw_loop *loop, const char *const *servers, size_t nservers,
    const struct aw_tui_model *m, const struct aw_tui_recheck_host *host,
    int interval_ms, int64_t deadline_ms, aw_tui_event_cb cb, void *arg);
void aw_tui_recheck_free(struct aw_tui_recheck *r);

/* True when ans holds the record plan change c publishes
 * (aw_tui_change_value; for a delete, when it holds nothing). */
bool aw_tui_recheck_matches(const struct aw_change *c,
    const struct aw_dns_answer *ans);

#endif
