/* host-poll.c: a host's change asked about until INSYNC (host-poll.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/host-poll.h"

enum aw_status
aw_host_poll_init(struct aw_host_poll *hp, struct aw_provider *p,
    const char *id, aw_host_poll_cb cb, void *arg)
{
	memset(hp, 0, sizeof *hp);
	hp->p = p;
	hp->cb = cb;
	hp->arg = arg;
	if ((hp->id = strdup(id)) == NULL ||
	    asprintf(&hp->label, _("%s change %s"), _(p->ops->title), id) < 0) {
		free(hp->id);
		memset(hp, 0, sizeof *hp);
		return AW_ERR_NOMEM;
	}
	return AW_OK;
}

static void
on_change_status(struct aw_provider_op *op, enum aw_status st,
    const struct aw_error *err, void *arg)
{
	struct aw_host_poll *hp = arg;
	char *text = NULL;

	hp->run = NULL;
	if (st == AW_OK && op->status != NULL) {
		/* Route 53: INSYNC once every one of its servers has it. */
		hp->synced = strcmp(op->status, "INSYNC") == 0;
		hp->cb(hp, op->status, hp->synced, hp->arg);
	} else {
		/* Unknown is not a reason to wait: the servers tell. */
		hp->failed = true;
		if (asprintf(&text, _("cannot ask: %s"), err != NULL &&
		    err->msg[0] ? err->msg : aw_status_name(st)) < 0)
			text = NULL;
		hp->cb(hp, text != NULL ? text : "?", true, hp->arg);
		free(text);
	}
	aw_provider_op_done(hp->p, op);
}

void
aw_host_poll_ask(struct aw_host_poll *hp)
{
	struct aw_error err;

	if (hp->p == NULL || hp->run != NULL || hp->synced || hp->failed)
		return;
	aw_error_clear(&err);
	aw_provider_op_init(&hp->op, AW_OP_CHANGE_STATUS);
	if ((hp->op.change_id = strdup(hp->id)) == NULL ||
	    aw_provider_run(hp->p, &hp->op, on_change_status, hp, &hp->run,
	    &err) != AW_OK) {
		aw_provider_op_done(hp->p, &hp->op);
		hp->run = NULL;
		hp->failed = true;
		hp->cb(hp, err.msg[0] ? err.msg : _("out of memory"), true, hp->arg);
	}
}

void
aw_host_poll_cancel(struct aw_host_poll *hp)
{
	if (hp->run != NULL) {
		aw_provider_cancel(hp->p, hp->run);
		aw_provider_op_done(hp->p, &hp->op);
		hp->run = NULL;
	}
}

void
aw_host_poll_done(struct aw_host_poll *hp)
{
	aw_host_poll_cancel(hp);
	free(hp->id);
	free(hp->label);
	hp->id = hp->label = NULL;
}
