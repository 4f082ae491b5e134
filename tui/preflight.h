/* preflight.h: the wizard's preflight: the engine of checks/preflight.h
 * (the same as `authwizard plan`'s) over the plan the DNS host made, run
 * on the wizard's loop, never blocking it. Its findings come back as one
 * AW_EV_PREFLIGHT event. */
#ifndef AW_TUI_PREFLIGHT_H
#define AW_TUI_PREFLIGHT_H

#include "checks/dns.h"
#include "core/error.h"
#include "core/loop.h"
#include "providers/plan.h"
#include "tui/recheck.h"

struct aw_tui_preflight;

/* Runs over live (borrowed: it must outlive the runner) on loop. NULL on
 * no memory. */
struct aw_tui_preflight *aw_tui_preflight_new(struct aw_loop *loop,
    const struct aw_dns_source *live);
/* Checks the zone as plan leaves it (the plan's records are copied: it
 * may go right after). cb gets one AW_EV_PREFLIGHT, later, from the loop;
 * a run started before is no longer reported. On an error return cb is
 * never called. */
enum aw_status aw_tui_preflight_start(struct aw_tui_preflight *p,
    const struct aw_plan *plan, aw_tui_event_cb cb, void *arg,
    struct aw_error *err);
/* Frees the runs that finished (from the main loop, not a callback). */
void aw_tui_preflight_reap(struct aw_tui_preflight *p);
/* Frees everything: only once live has dropped or answered its lookups
 * (after the resolver is freed). NULL: no-op. */
void aw_tui_preflight_free(struct aw_tui_preflight *p);

#endif
