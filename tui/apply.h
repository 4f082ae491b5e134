/* apply.h: the seam between the wizard and the DNS host providers
 * (providers/provider.h, providers/plan.h). Applies the model's changes
 * at its target and reports per record through model events. */
#ifndef AW_TUI_APPLY_H
#define AW_TUI_APPLY_H

#include "core/error.h"
#include "core/loop.h"
#include "tui/model.h"
#include "tui/recheck.h"

struct aw_tui_apply;

/* Starts applying m->changes (except requests) at m->target with m's
 * credentials. From the loop, cb gets AW_EV_APPLY_RECORD per change (count
 * 1 when it starts, then its result) and finally AW_EV_APPLY_DONE. On an
 * error return nothing was sent and cb is never called. *out is freed with
 * aw_tui_apply_free (which stops what is still pending; NULL: no-op). */
enum aw_status aw_tui_apply_start(struct aw_loop *loop,
    const struct aw_tui_model *m, aw_tui_event_cb cb, void *arg,
    struct aw_tui_apply **out, struct aw_error *err);
void aw_tui_apply_free(struct aw_tui_apply *a);

#endif
