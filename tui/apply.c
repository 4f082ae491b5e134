/* apply.c: the provider seam. Until the providers land in this tree it
 * says that no provider is available; "show the records" needs none. */
#include "config.h"

#include <stdlib.h>

#include "core/i18n.h"
#include "tui/apply.h"

struct aw_tui_apply {
	int unused;
};

enum aw_status
aw_tui_apply_start(struct aw_loop *loop, const struct aw_tui_model *m,
    aw_tui_event_cb cb, void *arg, struct aw_tui_apply **out,
    struct aw_error *err)
{
	*out = NULL;
	return aw_error_set(err, AW_ERR_NOTFOUND,
	    _("%s: this build has no provider for it yet; choose \"Show the records\""),
	    _(aw_tui_targets[m->target].name));
}

void
aw_tui_apply_free(struct aw_tui_apply *a)
{
	free(a);
}
