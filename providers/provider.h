/* provider.h: the interface every DNS host implements, one file per host
 * (cloudflare.c, route53.c, powerdns.c) registered in registry.c. A host
 * never sends anything itself: each operation is a small machine whose
 * step function reads the previous response and builds the next request
 * (pure functions, unit-testable from recorded bodies); provider.c drives
 * the steps through the HTTP transport, asynchronously from the event loop
 * or synchronously for the CLI. */
#ifndef AW_PROVIDER_H
#define AW_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/http.h"
#include "core/loop.h"
#include "core/record.h"
#include "core/strv.h"

/* A configuration setting a host takes: from the command line
 * (--OPTION VALUE), else from the environment (ENV), else the default. */
struct aw_provider_option {
	const char *option;       /* long option without "--", e.g. "cloudflare-token" */
	const char *env;          /* e.g. "CLOUDFLARE_API_TOKEN"; the config key */
	const char *help;         /* N_() */
	bool secret;              /* never shown, never written to plan/journal */
	bool ask;                 /* may be typed in when missing (the CLI
	                           * asks on a terminal; not echoed if secret) */
	const char *label;        /* N_(): its short name in a form beside the
	                           * host's name (the wizard's credential
	                           * fields, one per ask option); NULL: help */
};

/* Settings by key (the option's env name). Values given with
 * aw_provider_config_set win over the environment. */
struct aw_provider_config {
	struct aw_strv keys;
	struct aw_strv values;
};
void aw_provider_config_init(struct aw_provider_config *cfg);
void aw_provider_config_done(struct aw_provider_config *cfg);
enum aw_status aw_provider_config_set(struct aw_provider_config *cfg,
    const char *key, const char *value);
/* The value set, else getenv(key), else (lego's convention for every
 * name) the content of the file $key_FILE names, a trailing newline taken
 * off, when that file is a regular file only its owner can read; else
 * NULL. Borrowed. Empty counts as unset. */
const char *aw_provider_config_get(const struct aw_provider_config *cfg,
    const char *key);
/* Whether a $NAME_FILE was refused since the last call (the first refusal
 * into err, which may be NULL); clears it. aw_provider_open reports it. */
bool aw_provider_config_file_error(struct aw_error *err);

/* The zone that holds a name. */
struct aw_zone {
	char *id;      /* owned; the host's identifier (Cloudflare id, Route 53
	                * "Z…" without "/hostedzone/", PowerDNS "example.com.") */
	char *name;    /* owned; lower-case, no trailing dot */
};
void aw_zone_done(struct aw_zone *z);

/* One rrset-level change: old (as the host holds it now; no values for a
 * create) to new (no values for a delete). Both have name and type set. */
enum aw_change_kind {
	AW_CHANGE_CREATE,
	AW_CHANGE_UPDATE,
	AW_CHANGE_DELETE
};
enum aw_change_state {
	AW_CHANGE_PENDING = 0,    /* not sent */
	AW_CHANGE_MADE,           /* the host accepted it */
	AW_CHANGE_PARTIAL,        /* some of its requests went through (Cloudflare) */
	AW_CHANGE_FAILED,         /* the host refused it; nothing of it was made */
	AW_CHANGE_SKIPPED,        /* already as wanted when apply looked: not sent */
	AW_CHANGE_INFLIGHT,       /* a request for it is out (written to the
	                           * journal before it is sent); read from a
	                           * journal it means UNKNOWN */
	AW_CHANGE_UNKNOWN,        /* sent, no usable reply: maybe made; the
	                           * host's records decide (read-back, undo) */
	AW_CHANGE_KEPT            /* undo: changed since by someone else, left
	                           * alone (undo --force takes it back) */
};
struct aw_change {
	enum aw_change_kind kind;
	struct aw_zone zone;      /* the zone that holds old.name */
	struct aw_record old;
	struct aw_record new;
	struct aw_strv notes;     /* why, for the diff: "two SPF records merged" */
	enum aw_change_state state;
	bool confirmed;           /* read back after apply and found as wanted */
	char *host_change_id;     /* the host's id of the batch that made it
	                           * (Route 53 "C..."; INSYNC when apply
	                           * returned), or NULL */
};
/* "create", "update", "delete"; static. */
const char *aw_change_kind_name(enum aw_change_kind k);
const char *aw_change_state_name(enum aw_change_state s);
void aw_change_done(struct aw_change *c);

enum aw_provider_op_kind {
	AW_OP_VERIFY,       /* check the credentials (may be a no-op) */
	AW_OP_FIND_ZONE,    /* in: name; out: zone (longest matching suffix) */
	AW_OP_LIST,         /* in: zone, name, type (ANY: all); out: records */
	AW_OP_CHANGE,       /* in: zone, changes; out: each change's state */
	AW_OP_CHANGE_STATUS /* in: change_id (a host_change_id of an earlier
	                     * CHANGE); out: status. Only hosts that hand out
	                     * change ids (Route 53 GetChange); the others
	                     * answer AW_ERR_INVALID */
};

/* One operation in progress. The caller fills the inputs (aw_provider_op_init),
 * the host's step fills the outputs; the host's progress lives in the
 * private fields. */
struct aw_provider_op {
	enum aw_provider_op_kind kind;
	/* inputs */
	const char *name;                 /* FIND_ZONE, LIST: borrowed */
	enum aw_record_type type;         /* LIST */
	struct aw_change *changes;        /* CHANGE: borrowed; states set */
	size_t nchanges;
	/* in (LIST, CHANGE) / out (FIND_ZONE) */
	struct aw_zone zone;              /* owned */
	/* outputs */
	struct aw_record_set records;     /* LIST: owned */
	char *change_id;                  /* CHANGE: host's id (Route 53), owned;
	                                   * CHANGE_STATUS: the input, owned */
	char *status;                     /* CHANGE_STATUS: the host's word for
	                                   * the change's state ("PENDING",
	                                   * "INSYNC"), owned */
	bool done;
	/* CHANGE: called before each request is sent (the apply writes its
	 * journal ahead); an error stops the op before that request. */
	enum aw_status (*before_send)(struct aw_provider_op *op,
	    const struct aw_http_request *req, void *arg, struct aw_error *err);
	void *before_arg;
	/* the host's progress (private) */
	int stage;
	size_t index, sub;
	char *cursor;                     /* owned: next page / candidate */
	unsigned page;
	unsigned polls;
	struct aw_strv pending;           /* owned: queued work (Cloudflare) */
	void *priv;                       /* freed by ops->op_done */
};

struct aw_provider;

struct aw_provider_ops {
	const char *name;                 /* "cloudflare": --provider value */
	const char *title;                /* N_("Cloudflare") */
	const char *long_title;           /* N_(): the full name where hosts
	                                   * are chosen (the wizard); NULL:
	                                   * title */
	const struct aw_provider_option *options;  /* terminated by {NULL} */
	/* Reads credentials and settings; AW_ERR_AUTH when some are missing.
	 * *state is freed by close. */
	enum aw_status (*open)(const struct aw_provider_config *cfg,
	    void **state, struct aw_error *err);
	void (*close)(void *state);
	/* One step of op. resp is NULL on the first call, then the response
	 * to the request built last. Either sets op->done, or fills req (an
	 * initialised, empty request) with the next request. A host error
	 * comes back as AW_ERR_PROVIDER/AW_ERR_AUTH/AW_ERR_NOTFOUND with the
	 * host's code (err->code) and message. */
	enum aw_status (*step)(void *state, struct aw_provider_op *op,
	    const struct aw_http_response *resp, struct aw_http_request *req,
	    struct aw_error *err);
	/* Frees op->priv (may be NULL). */
	void (*op_done)(struct aw_provider_op *op);
	/* Default TTL for a new record set when the plan gives 0. */
	unsigned default_ttl;
	/* CHANGE sends the changes one at a time (op->index is the one
	 * being sent), not the batch in one request. */
	bool per_change_requests;
	/* The step does its own exchange and blocks (RFC 2136 over DNS):
	 * the driver runs each step on a worker thread and goes on from the
	 * loop when it ends, so the loop is never held. Such a step gets
	 * resp NULL and asks for no HTTP request. */
	bool blocking_step;
	/* True when the host would find credentials without being given any
	 * (Route 53: a profile, as the AWS CLI does), so a form may be left
	 * empty. NULL: never. */
	bool (*stored_credentials)(void);
};

/* The hosts (registry.c), NULL-terminated. Adding one is a file and a line. */
extern const struct aw_provider_ops *const aw_providers[];
const struct aw_provider_ops *aw_provider_find(const char *name);
/* The table's --provider ids joined for messages: bar false ", "
 * ("cloudflare, route53, ..."), true "|". Static, built on first use. */
const char *aw_provider_names(bool bar);

/* An open provider: its ops, its state, and the transport it sends with. */
struct aw_provider {
	const struct aw_provider_ops *ops;
	void *state;
	struct aw_http *http;     /* borrowed */
	struct aw_loop *loop;     /* borrowed */
};

/* Opens the host named name with cfg; http and loop are borrowed and must
 * outlive it. Free with aw_provider_free (NULL no-op). */
enum aw_status aw_provider_open(const char *name,
    const struct aw_provider_config *cfg, struct aw_http *http,
    struct aw_loop *loop, struct aw_provider **out, struct aw_error *err);
void aw_provider_free(struct aw_provider *p);

void aw_provider_op_init(struct aw_provider_op *op, enum aw_provider_op_kind kind);
/* Frees what the op owns (zone, records, change_id, progress). */
void aw_provider_op_done(const struct aw_provider *p, struct aw_provider_op *op);
/* Copies zone into op->zone. */
enum aw_status aw_provider_op_set_zone(struct aw_provider_op *op,
    const struct aw_zone *zone);

/* Runs op through the transport. cb runs once, from the loop (never from
 * inside this call), with the status and error of the whole operation.
 * *out (may be NULL) is a handle for aw_provider_cancel, valid until cb
 * ran. */
typedef void (*aw_provider_cb)(struct aw_provider_op *op, enum aw_status status,
    const struct aw_error *err, void *arg);
struct aw_provider_run;
enum aw_status aw_provider_run(struct aw_provider *p, struct aw_provider_op *op,
    aw_provider_cb cb, void *arg, struct aw_provider_run **out,
    struct aw_error *err);
/* Stops a running operation (its request is dropped, cb is not called).
 * What the host already did stays done: cancel only reads. */
void aw_provider_cancel(struct aw_provider *p, struct aw_provider_run *r);
/* Asks a running op to stop: no further request is sent; the one out is
 * let settle (a read is dropped at once). cb then runs with
 * AW_ERR_TIMEOUT "stopped". */
void aw_provider_stop(struct aw_provider *p, struct aw_provider_run *r);
/* Runs op and waits (CLI, tests). */
enum aw_status aw_provider_run_sync(struct aw_provider *p,
    struct aw_provider_op *op, struct aw_error *err);

/* Helpers for hosts (provider.c). */
/* Fills err from a transport-level problem with resp (status, body cap). */
enum aw_status aw_provider_http_error(const struct aw_http_response *resp,
    const char *host, struct aw_error *err);
/* The longest-suffix candidates of name: name, parent, ... down to the
 * last two labels (a zone is never a TLD here). Appended to out. */
enum aw_status aw_provider_suffixes(const char *name, struct aw_strv *out);

/* A file holding a secret (token, TSIG key): opened, a regular file
 * only its owner can read (0600 or stricter), at most max bytes read
 * into *out (NUL-terminated, *len bytes; the caller wipes and frees it).
 * Callers word their own messages from the result (errno kept for
 * AW_SECRET_FILE_OPEN). */
enum aw_secret_file {
	AW_SECRET_FILE_OK,
	AW_SECRET_FILE_OPEN,
	AW_SECRET_FILE_MODE,
	AW_SECRET_FILE_NOMEM
};
enum aw_secret_file aw_secret_file_read(const char *path, size_t max,
    char **out, size_t *len);

#endif
