/* provider.c: drives a host's operation steps through the HTTP transport,
 * plus the configuration lookup shared by every host. A host whose step
 * does its own blocking exchange (blocking_step: RFC 2136 over DNS) has
 * each step run on a worker thread, the loop told through a pipe, so the
 * loop (the wizard's keys and screen) goes on meanwhile. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"

void
aw_provider_config_init(struct aw_provider_config *cfg)
{
	aw_strv_init(&cfg->keys);
	aw_strv_init(&cfg->values);
}

void
aw_provider_config_done(struct aw_provider_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->values.n; i++)
		aw_str_wipe(cfg->values.v[i]);
	aw_strv_done(&cfg->keys);
	aw_strv_done(&cfg->values);
}

enum aw_status
aw_provider_config_set(struct aw_provider_config *cfg, const char *key,
    const char *value)
{
	long i = aw_strv_find(&cfg->keys, key);
	char *copy;

	if ((copy = strdup(value)) == NULL)
		return AW_ERR_NOMEM;
	if (i >= 0) {
		free(cfg->values.v[i]);
		cfg->values.v[i] = copy;
		return AW_OK;
	}
	if (aw_strv_push(&cfg->keys, key) != AW_OK) {
		free(copy);
		return AW_ERR_NOMEM;
	}
	if (aw_strv_take(&cfg->values, copy) != AW_OK) {
		free(cfg->keys.v[--cfg->keys.n]);
		return AW_ERR_NOMEM;
	}
	return AW_OK;
}

/* lego's NAME_FILE: lego takes any of its variables NAME from the file
 * that NAME_FILE names as well. Read once (kept, wiped at exit); the first
 * refusal is kept for aw_provider_open to report. */
#define CFG_FILE_MAX 8192
static pthread_mutex_t cfg_file_lock = PTHREAD_MUTEX_INITIALIZER;
static struct aw_strv cfg_file_keys, cfg_file_values;
static struct aw_error cfg_file_err;
static bool cfg_file_failed, cfg_file_atexit;

static void
cfg_files_wipe(void)
{
	size_t i;

	pthread_mutex_lock(&cfg_file_lock);
	for (i = 0; i < cfg_file_values.n; i++)
		aw_str_wipe(cfg_file_values.v[i]);
	aw_strv_done(&cfg_file_keys);
	aw_strv_done(&cfg_file_values);
	pthread_mutex_unlock(&cfg_file_lock);
}

/* The content of the file NAME_FILE names (a trailing newline taken off),
 * or NULL (no such variable, or refused: cfg_file_err). A secret file is
 * a regular file only its owner can read, as the project's token files.
 * Refusals into e. */
enum aw_secret_file
aw_secret_file_read(const char *path, size_t max, char **out, size_t *len)
{
	struct stat sb;
	ssize_t n;
	int fd;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return AW_SECRET_FILE_OPEN;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 077) != 0) {
		close(fd);
		return AW_SECRET_FILE_MODE;
	}
	if ((*out = malloc(max + 1)) == NULL) {
		close(fd);
		return AW_SECRET_FILE_NOMEM;
	}
	while (*len < max && (n = read(fd, *out + *len, max - *len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	(*out)[*len] = '\0';
	return AW_SECRET_FILE_OK;
}

static char *
cfg_file_read(const char *var, const char *path, struct aw_error *e)
{
	char *buf;
	size_t len;

	switch (aw_secret_file_read(path, CFG_FILE_MAX, &buf, &len)) {
	case AW_SECRET_FILE_OPEN:
		aw_error_setw(e, AW_ERR_AUTH, path,
		    _("%s: cannot read the token file"), var);
		return NULL;
	case AW_SECRET_FILE_MODE:
		aw_error_setw(e, AW_ERR_AUTH, path,
		    _("%s: the token file must be a regular file only its owner can read (chmod 600)"),
		    var);
		return NULL;
	case AW_SECRET_FILE_NOMEM:
		aw_error_set(e, AW_ERR_NOMEM, _("out of memory"));
		return NULL;
	case AW_SECRET_FILE_OK:
		break;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	if (len == 0 || len >= CFG_FILE_MAX || strlen(buf) != len) {
		aw_mem_wipe(buf, CFG_FILE_MAX + 1);
		free(buf);
		aw_error_setw(e, AW_ERR_AUTH, path,
		    _("%s: the token file is empty or too long"), var);
		return NULL;
	}
	return buf;
}

/* NAME's value from $NAME_FILE, or NULL. */
static const char *
cfg_file_get(const char *key)
{
	char var[256];
	const char *path, *v = NULL;
	struct aw_error e;
	char *text;
	long i;

	if (snprintf(var, sizeof var, "%s_FILE", key) >= (int)sizeof var ||
	    (path = getenv(var)) == NULL || path[0] == '\0')
		return NULL;
	pthread_mutex_lock(&cfg_file_lock);
	if ((i = aw_strv_find(&cfg_file_keys, var)) >= 0)
		v = cfg_file_values.v[i];
	else if ((text = cfg_file_read(var, path, &e)) == NULL) {
		if (!cfg_file_failed)    /* the first refusal is the one told */
			cfg_file_err = e;
		cfg_file_failed = true;
	} else if (aw_strv_push(&cfg_file_keys, var) != AW_OK ||
	    aw_strv_take(&cfg_file_values, text) != AW_OK) {
		if (cfg_file_keys.n > cfg_file_values.n)
			free(cfg_file_keys.v[--cfg_file_keys.n]);
		aw_str_wipe(text);
	} else {
		v = text;
		if (!cfg_file_atexit)
			cfg_file_atexit = atexit(cfg_files_wipe) == 0;
	}
	pthread_mutex_unlock(&cfg_file_lock);
	return v;
}

const char *
aw_provider_config_get(const struct aw_provider_config *cfg, const char *key)
{
	long i = cfg != NULL ? aw_strv_find(&cfg->keys, key) : -1;
	const char *v;

	if (i >= 0 && cfg->values.v[i][0] != '\0')
		return cfg->values.v[i];
	v = getenv(key);
	return v != NULL && v[0] != '\0' ? v : cfg_file_get(key);
}

bool
aw_provider_config_file_error(struct aw_error *err)
{
	bool failed;

	pthread_mutex_lock(&cfg_file_lock);
	failed = cfg_file_failed;
	if (failed && err != NULL)
		*err = cfg_file_err;
	cfg_file_failed = false;
	pthread_mutex_unlock(&cfg_file_lock);
	return failed;
}

void
aw_zone_done(struct aw_zone *z)
{
	if (z == NULL)
		return;
	free(z->id);
	free(z->name);
	z->id = z->name = NULL;
}

const char *
aw_change_kind_name(enum aw_change_kind k)
{
	switch (k) {
	case AW_CHANGE_CREATE:
		return "create";
	case AW_CHANGE_UPDATE:
		return "update";
	case AW_CHANGE_DELETE:
		return "delete";
	}
	return "?";
}

const char *
aw_change_state_name(enum aw_change_state s)
{
	switch (s) {
	case AW_CHANGE_PENDING:
		return "pending";
	case AW_CHANGE_MADE:
		return "made";
	case AW_CHANGE_PARTIAL:
		return "partial";
	case AW_CHANGE_FAILED:
		return "failed";
	case AW_CHANGE_SKIPPED:
		return "skipped";
	case AW_CHANGE_INFLIGHT:
		return "in-flight";
	case AW_CHANGE_UNKNOWN:
		return "unknown";
	case AW_CHANGE_KEPT:
		return "kept";
	}
	return "?";
}

void
aw_change_done(struct aw_change *c)
{
	if (c == NULL)
		return;
	aw_zone_done(&c->zone);
	aw_record_done(&c->old);
	aw_record_done(&c->new);
	aw_strv_done(&c->notes);
	free(c->host_change_id);
	memset(c, 0, sizeof *c);
}

const struct aw_provider_ops *
aw_provider_find(const char *name)
{
	size_t i;

	for (i = 0; aw_providers[i] != NULL; i++)
		if (strcmp(aw_providers[i]->name, name) == 0)
			return aw_providers[i];
	return NULL;
}

const char *
aw_provider_names(bool bar)
{
	static char lists[2][256];
	char *out = lists[bar ? 1 : 0];
	size_t i, len = 0;

	if (out[0] != '\0')
		return out;
	for (i = 0; aw_providers[i] != NULL; i++) {
		int n = snprintf(out + len, sizeof lists[0] - len, "%s%s",
		    i > 0 ? (bar ? "|" : ", ") : "", aw_providers[i]->name);

		if (n < 0 || (size_t)n >= sizeof lists[0] - len)
			break;
		len += (size_t)n;
	}
	return out;
}

enum aw_status
aw_provider_open(const char *name, const struct aw_provider_config *cfg,
    struct aw_http *http, struct aw_loop *loop, struct aw_provider **out,
    struct aw_error *err)
{
	const struct aw_provider_ops *ops = aw_provider_find(name);
	struct aw_provider *p;
	enum aw_status st;

	*out = NULL;
	if (ops == NULL)
		return aw_error_setw(err, AW_ERR_INVALID, name,
		    _("no such DNS host; known: %s"), aw_provider_names(false));
	if ((p = calloc(1, sizeof *p)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	p->ops = ops;
	p->http = http;
	p->loop = loop;
	aw_provider_config_file_error(NULL);
	st = ops->open(cfg, &p->state, err);
	/* A NAME_FILE refused while opening is the error to tell (rather
	 * than "no token"), and fails the open even when another name had a
	 * value: a secret file others can read is not used quietly. */
	if (aw_provider_config_file_error(err)) {
		if (st == AW_OK)
			ops->close(p->state);
		st = err != NULL ? err->status : AW_ERR_AUTH;
	}
	if (st != AW_OK) {
		free(p);
		return st;
	}
	*out = p;
	return AW_OK;
}

void
aw_provider_free(struct aw_provider *p)
{
	if (p == NULL)
		return;
	p->ops->close(p->state);
	free(p);
}

void
aw_provider_op_init(struct aw_provider_op *op, enum aw_provider_op_kind kind)
{
	memset(op, 0, sizeof *op);
	op->kind = kind;
	aw_record_set_init(&op->records);
	aw_strv_init(&op->pending);
}

void
aw_provider_op_done(const struct aw_provider *p, struct aw_provider_op *op)
{
	if (op == NULL)
		return;
	if (p != NULL && p->ops->op_done != NULL)
		p->ops->op_done(op);
	aw_zone_done(&op->zone);
	aw_record_set_done(&op->records);
	free(op->change_id);
	free(op->status);
	free(op->cursor);
	aw_strv_done(&op->pending);
	op->change_id = op->status = op->cursor = NULL;
}

enum aw_status
aw_provider_op_set_zone(struct aw_provider_op *op, const struct aw_zone *zone)
{
	aw_zone_done(&op->zone);
	op->zone.id = aw_strdup(zone->id);
	op->zone.name = aw_strdup(zone->name);
	if (op->zone.id == NULL || op->zone.name == NULL)
		return AW_ERR_NOMEM;
	return AW_OK;
}

enum aw_status
aw_provider_http_error(const struct aw_http_response *resp, const char *host,
    struct aw_error *err)
{
	aw_error_set(err, resp->status == 401 || resp->status == 403 ?
	    AW_ERR_AUTH : AW_ERR_PROVIDER,
	    _("%s answered HTTP %ld"), host, resp->status);
	if (err != NULL)
		err->code = (int)resp->status;
	return resp->status == 401 || resp->status == 403 ? AW_ERR_AUTH :
	    AW_ERR_PROVIDER;
}

enum aw_status
aw_provider_suffixes(const char *name, struct aw_strv *out)
{
	char *norm = aw_domain_normalize(name);
	const char *p;
	enum aw_status st = AW_OK;

	if (norm == NULL)
		return AW_ERR_NOMEM;
	p = norm;
	for (;;) {
		const char *dot = strchr(p, '.');

		if ((st = aw_strv_push(out, p)) != AW_OK)
			break;
		/* A zone is never a top-level domain here. */
		if (dot == NULL || strchr(dot + 1, '.') == NULL)
			break;
		p = dot + 1;
	}
	free(norm);
	return st;
}

enum aw_status
aw_provider_error_text(struct aw_error *err, enum aw_status status, int code,
    const char *host, const char *msg)
{
	char *shown = aw_str_escape_dup(msg, strlen(msg), 300);

	if (code != 0)
		aw_error_set(err, status, _("%s: %s (code %d)"), host,
		    shown != NULL ? shown : "", code);
	else
		aw_error_set(err, status, "%s: %s", host, shown != NULL ? shown : "");
	free(shown);
	if (err != NULL)
		err->code = code;
	return status;
}

enum aw_status
aw_provider_error_code_text(struct aw_error *err, enum aw_status status,
    int code, const char *host, const char *host_code, const char *dflt,
    const char *msg)
{
	struct aw_buf text;

	if (host_code == NULL)
		host_code = dflt;
	aw_buf_init(&text);
	if (host_code != NULL)
		aw_buf_printf(&text, "%s: %s", host_code, msg);
	else
		aw_buf_puts(&text, msg);
	aw_provider_error_text(err, status, code, host,
	    text.data != NULL ? aw_buf_str(&text) : msg);
	aw_buf_done(&text);
	return status;
}

/* An OAuth2 token endpoint's answer (RFC 6749 §5.1, §5.2). */
enum aw_status
aw_provider_oauth_token(const char *body, size_t len, long status,
    const char *who, char **token, long *expires_in, struct aw_error *err)
{
	json_t *root = json_loadb(body != NULL ? body : "", len, 0, NULL);
	json_t *exp = json_object_get(root, "expires_in");
	const char *tok = json_string_value(json_object_get(root, "access_token"));
	const char *e = json_string_value(json_object_get(root, "error"));
	const char *d = json_string_value(json_object_get(root, "error_description"));
	enum aw_status st = AW_OK;

	*token = NULL;
	*expires_in = json_is_integer(exp) ? (long)json_integer_value(exp) :
	    json_is_string(exp) ? strtol(json_string_value(exp), NULL, 10) : 0;
	if (status >= 500 && status <= 599)
		st = aw_error_set(err, AW_ERR_PROVIDER, _("%s: server error (HTTP %ld)"),
		    who, status);
	else if (status != 200 || tok == NULL || tok[0] == '\0' ||
	    strpbrk(tok, "\r\n") != NULL) {
		struct aw_buf b;

		aw_buf_init(&b);
		if (e != NULL)
			aw_buf_printf(&b, d != NULL ? "%s: %s" : "%s", e, d);
		st = b.data != NULL ? aw_provider_error_text(err, AW_ERR_AUTH,
		    (int)status, who, aw_buf_str(&b)) :
		    aw_error_set(err, AW_ERR_AUTH,
		    _("%s: no access token (HTTP %ld)"), who, status);
		aw_buf_done(&b);
	} else if ((*token = strdup(tok)) == NULL)
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if (tok != NULL)
		aw_str_wipe((char *)tok);
	json_decref(root);
	return st;
}

struct aw_change *
aw_provider_next_change(struct aw_provider_op *op)
{
	while (op->index < op->nchanges &&
	    op->changes[op->index].state == AW_CHANGE_SKIPPED)
		op->index++;
	if (op->index >= op->nchanges) {
		op->done = true;
		return NULL;
	}
	return &op->changes[op->index];
}

enum aw_status
aw_provider_oauth_step(const struct aw_oauth_life *life, char **access,
    time_t *until, bool *token_out, bool started,
    const struct aw_http_response **resp, bool *ask, struct aw_error *err)
{
	time_t now = time(NULL);
	enum aw_status st;

	*ask = false;
	if (*token_out) {
		char *tok = NULL;
		long exp = 0;

		*token_out = false;
		if ((st = aw_provider_oauth_token((*resp)->body.data,
		    (*resp)->body.len, (*resp)->status, life->who, &tok, &exp,
		    err)) != AW_OK)
			return st;
		if (*access != NULL)
			aw_str_wipe(*access);
		free(*access);
		*access = tok;
		if (exp <= 0 || exp > life->max_lifetime)
			exp = life->lifetime;
		*until = now + (exp > 2 * life->refresh_early ?
		    exp - life->refresh_early : exp / 2);
		*resp = NULL;
	} else if (!started && (*access == NULL || now >= *until)) {
		*token_out = true;
		*ask = true;
	}
	return AW_OK;
}

/* The driver. */
struct aw_provider_run {
	struct aw_provider *p;
	struct aw_provider_op *op;
	aw_provider_cb cb;
	void *arg;
	struct aw_loop_timer *timer;
	struct aw_http_xfer *xfer;
	bool reading;          /* the request out is a GET */
	bool stopping;         /* aw_provider_stop: send nothing more */
	enum aw_status st;
	struct aw_error err;
	/* blocking_step: the step running on a worker thread; only it
	 * touches op, err and wreq until it has written to wpipe. */
	bool working;
	pthread_t worker;
	int wpipe[2];
	enum aw_status wst;
	struct aw_http_request wreq;
};

static void provider_run_next(struct aw_provider_run *r,
    const struct aw_http_response *resp);

static void
provider_run_report(void *arg)
{
	struct aw_provider_run *r = arg;

	r->timer = NULL;
	r->cb(r->op, r->st, r->st == AW_OK ? NULL : &r->err, r->arg);
	free(r);
}

static void
provider_run_finish(struct aw_provider_run *r, enum aw_status st)
{
	r->st = st;
	r->timer = aw_loop_timer_add(r->p->loop, 0, provider_run_report, r);
	if (r->timer == NULL)
		provider_run_report(r);    /* out of memory: report now */
}

static void
provider_run_http_cb(const struct aw_http_response *resp,
    const struct aw_error *err, void *arg)
{
	struct aw_provider_run *r = arg;

	r->xfer = NULL;
	if (err != NULL) {
		char where[AW_ERROR_WHERE_MAX];

		r->err = *err;
		/* Name the host: "Cloudflare: no answer in time". */
		snprintf(where, sizeof where, "%s", err->where);
		aw_error_setw(&r->err, err->status, where, "%s: %s",
		    _(r->p->ops->title), err->msg);
		provider_run_finish(r, err->status);
		return;
	}
	provider_run_next(r, resp);
}

static void provider_run_after_step(struct aw_provider_run *r,
    enum aw_status st, struct aw_http_request *req);

static void *
provider_worker_main(void *arg)
{
	struct aw_provider_run *r = arg;
	ssize_t n;

	r->wst = r->p->ops->step(r->p->state, r->op, NULL, &r->wreq, &r->err);
	do
		n = write(r->wpipe[1], "x", 1);
	while (n < 0);
	return NULL;
}

/* The worker's step ended: back on the loop's thread. */
static void
provider_worker_joined(struct aw_provider_run *r)
{
	pthread_join(r->worker, NULL);
	aw_loop_watch(r->p->loop, r->wpipe[0], 0, NULL, NULL);
	close(r->wpipe[0]);
	close(r->wpipe[1]);
	r->working = false;
}

static void
provider_worker_done(int fd, int revents, void *arg)
{
	struct aw_provider_run *r = arg;
	char c;

	(void)revents;
	if (read(fd, &c, 1) != 1)
		return;
	provider_worker_joined(r);
	provider_run_after_step(r, r->wst, &r->wreq);
}

/* Starts the step on a worker; false when it cannot (then it runs here). */
static bool
provider_worker_start(struct aw_provider_run *r)
{
	if (pipe(r->wpipe) != 0)
		return false;
	aw_http_request_init(&r->wreq);
	if (aw_loop_watch(r->p->loop, r->wpipe[0], AW_LOOP_READ,
	    provider_worker_done, r) != AW_OK) {
		close(r->wpipe[0]);
		close(r->wpipe[1]);
		return false;
	}
	r->working = true;
	if (pthread_create(&r->worker, NULL, provider_worker_main, r) != 0) {
		r->working = false;
		aw_loop_watch(r->p->loop, r->wpipe[0], 0, NULL, NULL);
		close(r->wpipe[0]);
		close(r->wpipe[1]);
		return false;
	}
	return true;
}

static void
provider_run_next(struct aw_provider_run *r, const struct aw_http_response *resp)
{
	struct aw_http_request req;
	enum aw_status st;

	if (r->p->ops->blocking_step && r->p->loop != NULL &&
	    provider_worker_start(r))
		return;
	aw_http_request_init(&req);
	st = r->p->ops->step(r->p->state, r->op, resp, &req, &r->err);
	provider_run_after_step(r, st, &req);
}

/* What a step asked for: the end, or its request sent. */
static void
provider_run_after_step(struct aw_provider_run *r, enum aw_status st,
    struct aw_http_request *req_in)
{
	struct aw_http_request req = *req_in;

	if (st != AW_OK || r->op->done) {
		aw_http_request_done(&req);
		if (st != AW_OK && r->err.status == AW_OK)
			aw_error_set(&r->err, st, _("%s: failed"),
			    _(r->p->ops->title));
		provider_run_finish(r, st);
		return;
	}
	if (r->stopping) {
		aw_http_request_done(&req);
		provider_run_finish(r, aw_error_set(&r->err, AW_ERR_TIMEOUT,
		    _("%s: stopped before the next request"), _(r->p->ops->title)));
		return;
	}
	if (r->op->before_send != NULL && (st = r->op->before_send(r->op, &req,
	    r->op->before_arg, &r->err)) != AW_OK) {
		aw_http_request_done(&req);
		provider_run_finish(r, st);
		return;
	}
	r->reading = req.method != NULL && strcmp(req.method, "GET") == 0;
	st = aw_http_send(r->p->http, &req, provider_run_http_cb, r, &r->xfer,
	    &r->err);
	aw_http_request_done(&req);
	if (st != AW_OK)
		provider_run_finish(r, st);
}

enum aw_status
aw_provider_run(struct aw_provider *p, struct aw_provider_op *op,
    aw_provider_cb cb, void *arg, struct aw_provider_run **out,
    struct aw_error *err)
{
	struct aw_provider_run *r;

	if (out != NULL)
		*out = NULL;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	r->p = p;
	r->op = op;
	r->cb = cb;
	r->arg = arg;
	aw_error_clear(&r->err);
	op->done = false;
	if (out != NULL)
		*out = r;
	provider_run_next(r, NULL);
	return AW_OK;
}

void
aw_provider_cancel(struct aw_provider *p, struct aw_provider_run *r)
{
	if (r == NULL)
		return;
	/* A step on its worker is let end (its exchange is bounded by the
	 * host's timeout); what it did stays done. */
	if (r->working) {
		provider_worker_joined(r);
		aw_http_request_done(&r->wreq);
	}
	if (r->xfer != NULL)
		aw_http_cancel(p->http, r->xfer);
	if (r->timer != NULL)
		aw_loop_timer_cancel(p->loop, r->timer);
	free(r);
}

void
aw_provider_stop(struct aw_provider *p, struct aw_provider_run *r)
{
	if (r == NULL || r->stopping)
		return;
	r->stopping = true;
	/* A read (or a poll waiting for its turn) changes nothing: drop it. */
	if (r->xfer != NULL && r->reading && r->timer == NULL) {
		aw_http_cancel(p->http, r->xfer);
		r->xfer = NULL;
		provider_run_finish(r, aw_error_set(&r->err, AW_ERR_TIMEOUT,
		    _("%s: stopped before the next request"), _(p->ops->title)));
	}
}

struct provider_sync {
	bool done;
	enum aw_status st;
	struct aw_error *err;
};

static void
provider_sync_cb(struct aw_provider_op *op, enum aw_status st,
    const struct aw_error *err, void *arg)
{
	struct provider_sync *s = arg;

	(void)op;
	s->done = true;
	s->st = st;
	if (err != NULL && s->err != NULL)
		*s->err = *err;
}

enum aw_status
aw_provider_run_sync(struct aw_provider *p, struct aw_provider_op *op,
    struct aw_error *err)
{
	struct provider_sync s;
	enum aw_status st;

	memset(&s, 0, sizeof s);
	s.err = err;
	if ((st = aw_provider_run(p, op, provider_sync_cb, &s, NULL, err)) != AW_OK)
		return st;
	while (!s.done)
		if (!aw_loop_run_once(p->loop, -1))
			break;
	if (!s.done)
		return aw_error_set(err, AW_ERR_INTERNAL, _("the event loop stopped"));
	return s.st;
}
