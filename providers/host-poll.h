/* host-poll.h: one change a DNS host made, asked about until the host
 * says every one of its servers has it (Route 53 GetChange: PENDING, then
 * INSYNC). Written once for the CLI's watch and the wizard's recheck. */
#ifndef AW_HOST_POLL_H
#define AW_HOST_POLL_H

#include <stdbool.h>

#include "providers/provider.h"

struct aw_host_poll;

/* The host's word for the change ("PENDING", "INSYNC", untrusted), or
 * why it cannot be asked ("cannot ask: ..."; then synced is true:
 * unknown is not a reason to wait, the servers tell). */
typedef void (*aw_host_poll_cb)(struct aw_host_poll *hp, const char *state,
    bool synced, void *arg);

struct aw_host_poll {
	struct aw_provider *p;          /* borrowed */
	char *id;                       /* the host's change id, owned */
	char *label;                    /* "Route 53 change C123", owned */
	struct aw_provider_op op;
	struct aw_provider_run *run;    /* in flight, or NULL */
	bool synced;                    /* the host said every server has it */
	bool failed;                    /* it could not be asked */
	aw_host_poll_cb cb;
	void *arg;
};

/* Sets hp up for change id at p (label: the host's title and the id);
 * nothing is asked yet. AW_ERR_NOMEM (then hp holds nothing). */
enum aw_status aw_host_poll_init(struct aw_host_poll *hp,
    struct aw_provider *p, const char *id, aw_host_poll_cb cb, void *arg);
/* Asks the host (AW_OP_CHANGE_STATUS) unless it is being asked, has said
 * synced, or could not be asked; cb runs with the answer. */
void aw_host_poll_ask(struct aw_host_poll *hp);
/* Cancels a question in flight (its cb never runs). */
void aw_host_poll_cancel(struct aw_host_poll *hp);
/* Cancels and frees what hp holds. */
void aw_host_poll_done(struct aw_host_poll *hp);

#endif
