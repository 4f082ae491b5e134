/* digitalocean.c: DigitalOcean API v2 domains and domain records: bearer
 * token (checked first with a one-item domain list), the zone found by
 * trying the name's suffixes, paged record lists, records created, replaced
 * and deleted one by one (like Cloudflare, one record per value).
 *
 * TXT: DigitalOcean documents no quoting, splitting or length rule for a
 * TXT record's "data" (tests/specs/README.md). We send the value bare, as
 * one string, as doctl, lego and the control panel do, and leave splitting
 * a long value into 255-byte strings to DigitalOcean's servers: quotes we
 * added would be data to a host that does not parse them. A value read back
 * that starts with a double quote (made quoted elsewhere) is unquoted, so
 * either form compares equal. CNAME targets go out with a trailing dot. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"

#define DO_DEFAULT_BASE "https://api.digitalocean.com"
#define DO_PER_PAGE 100        /* of at most 200 */
#define DO_MAX_PAGES 100

struct digitalocean {
	char *base;
	char *token;     /* secret */
};

/* One record as listed (for a change: what to replace or delete). */
struct do_rec {
	char *id;
	char *value;     /* neutral form */
};

enum do_verb { DO_POST, DO_PUT, DO_DELETE };

struct do_action {
	enum do_verb verb;
	char *id;        /* PUT, DELETE */
	char *value;     /* POST, PUT */
};

struct do_priv {
	struct do_rec *recs;
	size_t nrecs;
	struct do_action *acts;
	size_t nacts;
	size_t next;     /* next action to send */
};

static const struct aw_provider_option digitalocean_options[] = {
	{ "digitalocean-token", "DIGITALOCEAN_ACCESS_TOKEN",
	  N_("DigitalOcean API token (also DO_AUTH_TOKEN)"), true, true,
	  N_("API token") },
	{ "digitalocean-token-file", "DIGITALOCEAN_ACCESS_TOKEN_FILE",
	  N_("a file (mode 0600) holding the DigitalOcean API token"), false, false, NULL },
	{ "digitalocean-base-url", "DIGITALOCEAN_BASE_URL",
	  /* TRANSLATORS: the URL is DO_DEFAULT_BASE */
	  N_("DigitalOcean API base URL (default https://api.digitalocean.com; also DO_API_URL)"),
	  false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

static const char *const do_token_envs[] = {
	"DIGITALOCEAN_ACCESS_TOKEN", "DO_AUTH_TOKEN", NULL
};

static void
digitalocean_close(void *state)
{
	struct digitalocean *d = state;

	if (d == NULL)
		return;
	aw_str_wipe(d->token);
	free(d->token);
	free(d->base);
	free(d);
}

static enum aw_status
digitalocean_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	struct digitalocean *d;
	enum aw_status st;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	st = aw_host_base_url(cfg, "DigitalOcean", "DIGITALOCEAN_BASE_URL",
	    "DO_API_URL", DO_DEFAULT_BASE, &d->base, err);
	if (st == AW_OK)
		st = aw_host_token(cfg, "DigitalOcean", do_token_envs,
		    "DIGITALOCEAN_ACCESS_TOKEN_FILE", "digitalocean-token-file",
		    &d->token, err);
	if (st != AW_OK) {
		digitalocean_close(d);
		return st;
	}
	*state = d;
	return AW_OK;
}

static void
do_priv_free(struct do_priv *pv)
{
	size_t i;

	if (pv == NULL)
		return;
	for (i = 0; i < pv->nrecs; i++) {
		free(pv->recs[i].id);
		free(pv->recs[i].value);
	}
	for (i = 0; i < pv->nacts; i++) {
		free(pv->acts[i].id);
		free(pv->acts[i].value);
	}
	free(pv->recs);
	free(pv->acts);
	free(pv);
}

static void
digitalocean_op_done(struct aw_provider_op *op)
{
	do_priv_free(op->priv);
	op->priv = NULL;
}

static enum aw_status
do_request(struct digitalocean *d, struct aw_http_request *req,
    const char *method, const char *path, char *body)
{
	return aw_host_bearer_request(req, "Bearer", d->token, method, d->base,
	    path, body);
}

enum aw_status
aw_digitalocean_error(const char *body, size_t len, long status,
    struct aw_error *err)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	const char *id = json_string_value(json_object_get(root, "id"));
	const char *msg = json_string_value(json_object_get(root, "message"));
	enum aw_status st = status == 401 || status == 403 ? AW_ERR_AUTH :
	    status == 404 ? AW_ERR_NOTFOUND : AW_ERR_PROVIDER;

	if (status >= 500 && status <= 599)
		aw_error_set(err, st, _("%s: server error (HTTP %ld)"),
		    "DigitalOcean", status);
	else if (msg != NULL)
		/* The id ("unauthorized", "not_found") is DigitalOcean's code. */
		aw_provider_error_code_text(err, st, (int)status, "DigitalOcean",
		    id, "error", msg);
	else if (root == NULL && len > 0)
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a malformed answer (HTTP %ld)"), "DigitalOcean", status);
	else
		aw_error_set(err, st, _("%s answered HTTP %ld"), "DigitalOcean", status);
	if (err != NULL)
		err->code = (int)status;
	json_decref(root);
	return st;
}

/* The body of a 2xx answer, or NULL with err filled. */
static json_t *
do_answer(const struct aw_http_response *resp, struct aw_error *err)
{
	const char *body = resp->body.data != NULL ? resp->body.data : "";
	json_error_t je;
	json_t *root;

	if (resp->status < 200 || resp->status > 299) {
		aw_digitalocean_error(body, resp->body.len, resp->status, err);
		return NULL;
	}
	if (resp->status == 204)
		return json_object();
	if ((root = json_loadb(body, resp->body.len, 0, &je)) == NULL ||
	    !json_is_object(root)) {
		json_decref(root);
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a malformed answer: %s"), "DigitalOcean", je.text);
		return NULL;
	}
	return root;
}

static enum aw_status
do_value_in(enum aw_record_type t, const char *data, char **out,
    struct aw_error *err)
{
	if (t == AW_RECORD_TXT)
		return aw_record_txt_unquote(data, 0, out, err);
	if (t == AW_RECORD_CNAME || t == AW_RECORD_PTR || t == AW_RECORD_NS)
		*out = aw_domain_normalize(data);
	else
		*out = strdup(data);
	return *out != NULL ? AW_OK : aw_error_set(err, AW_ERR_NOMEM,
	    _("out of memory"));
}

char *
aw_digitalocean_record_body(const struct aw_record *r, const char *zone,
    const char *value, unsigned ttl)
{
	json_t *o = json_object();
	char *rel = aw_host_relative_name(r->name, zone, "@"), *text = NULL;

	if (rel != NULL && o != NULL) {
		json_object_set_new(o, "type", json_string(r->type_name));
		json_object_set_new(o, "name", json_string(rel));
		if (r->type == AW_RECORD_CNAME || r->type == AW_RECORD_NS ||
		    r->type == AW_RECORD_PTR)
			json_object_set_new(o, "data", json_sprintf("%s.", value));
		else if (r->type == AW_RECORD_MX) {
			unsigned pref = 0;
			char host[256];

			/* "PREF HOST": DigitalOcean wants the two apart. */
			if (sscanf(value, "%u %255s", &pref, host) == 2) {
				json_object_set_new(o, "data", json_sprintf("%s.", host));
				json_object_set_new(o, "priority", json_integer(pref));
			} else
				json_object_set_new(o, "data", json_string(value));
		} else
			json_object_set_new(o, "data", json_string(value));
		json_object_set_new(o, "ttl", json_integer(ttl));
		text = json_dumps(o, JSON_COMPACT);
	}
	json_decref(o);
	free(rel);
	return text;
}

static enum aw_status
do_keep_id(struct do_priv *pv, json_int_t id, char **v)
{
	struct do_rec *grown = realloc(pv->recs, (pv->nrecs + 1) * sizeof *grown);
	char num[32];

	if (grown == NULL)
		return AW_ERR_NOMEM;
	pv->recs = grown;
	snprintf(num, sizeof num, "%lld", (long long)id);
	if ((grown[pv->nrecs].id = strdup(num)) == NULL)
		return AW_ERR_NOMEM;
	grown[pv->nrecs].value = *v;
	*v = NULL;
	pv->nrecs++;
	return AW_OK;
}

/* One listed record into out (and pv). */
static enum aw_status
do_take_record(json_t *rec, const char *zone, const char *name,
    enum aw_record_type type, struct aw_record_set *out, struct do_priv *pv,
    struct aw_error *err)
{
	const char *rname = json_string_value(json_object_get(rec, "name"));
	const char *rtype = json_string_value(json_object_get(rec, "type"));
	const char *data = json_string_value(json_object_get(rec, "data"));
	json_t *jid = json_object_get(rec, "id");
	json_int_t prio = json_integer_value(json_object_get(rec, "priority"));
	unsigned ttl = (unsigned)json_integer_value(json_object_get(rec, "ttl"));
	enum aw_record_type t;
	struct aw_record *r;
	char *full, *v = NULL;
	enum aw_status st;

	if (rname == NULL || rtype == NULL || data == NULL || !json_is_integer(jid))
		return AW_OK;
	if ((full = aw_host_full_name(rname, zone)) == NULL)
		return AW_ERR_NOMEM;
	t = aw_record_type_parse(rtype);
	/* The filter is exact, but do not trust it blindly. */
	if (!aw_domain_equal(full, name) || (type != AW_RECORD_ANY && t != type)) {
		free(full);
		return AW_OK;
	}
	if (t == AW_RECORD_MX) {
		char *host = aw_domain_normalize(data);

		if (host != NULL && asprintf(&v, "%lld %s", (long long)prio, host) < 0)
			v = NULL;
		free(host);
		st = v != NULL ? AW_OK : AW_ERR_NOMEM;
	} else
		st = do_value_in(t, data, &v, err);
	r = st == AW_OK ? aw_record_set_find_mut(out, full, t) : NULL;
	if (st == AW_OK && (r == NULL || (r->type == AW_RECORD_OTHER &&
	    aw_strcasecmp(r->type_name, rtype) != 0))) {
		if ((r = aw_record_set_push(out)) == NULL ||
		    aw_record_init_word(r, full, rtype, ttl) != AW_OK) {
			if (r != NULL)
				out->n--;
			st = AW_ERR_NOMEM;
		}
	}
	if (st == AW_OK)
		st = aw_record_add(r, v);
	if (st == AW_OK && pv != NULL)
		st = do_keep_id(pv, json_integer_value(jid), &v);
	free(v);
	free(full);
	return st;
}

enum aw_status
aw_digitalocean_parse_records(const char *body, size_t len, const char *zone,
    const char *name, enum aw_record_type type, struct aw_record_set *out,
    void *recs_priv, bool *more, struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *list, *rec, *pages;
	enum aw_status st = AW_OK;
	size_t i;

	*more = false;
	if (root == NULL)
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a malformed answer: %s"), "DigitalOcean", je.text);
	list = json_object_get(root, "domain_records");
	if (!json_is_array(list)) {
		json_decref(root);
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a record list without records"), "DigitalOcean");
	}
	json_array_foreach(list, i, rec) {
		if ((st = do_take_record(rec, zone, name, type, out, recs_priv,
		    err)) != AW_OK)
			break;
	}
	pages = json_object_get(json_object_get(root, "links"), "pages");
	*more = st == AW_OK && json_is_string(json_object_get(pages, "next")) &&
	    json_array_size(list) > 0;
	json_decref(root);
	if (st != AW_OK && (err == NULL || err->status == AW_OK))
		aw_error_set(err, st, _("out of memory"));
	return st;
}

static enum aw_status
do_list_request(struct digitalocean *d, const struct aw_zone *zone,
    const char *name, enum aw_record_type type, unsigned page,
    struct aw_http_request *req)
{
	struct aw_buf path;
	enum aw_status st;

	aw_buf_init(&path);
	aw_buf_puts(&path, "/v2/domains/");
	aw_http_escape(&path, zone->id);
	aw_buf_puts(&path, "/records?name=");
	aw_http_escape(&path, name);
	if (type != AW_RECORD_ANY)
		aw_buf_printf(&path, "&type=%s", aw_record_type_name(type));
	aw_buf_printf(&path, "&per_page=%d&page=%u", DO_PER_PAGE, page);
	st = path.data != NULL ? do_request(d, req, "GET", aw_buf_str(&path),
	    NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	return st;
}

/* FIND_ZONE: GET /v2/domains/{suffix} for each suffix, longest first; a
 * 404 moves on to the next. */
static enum aw_status
do_find_zone(struct digitalocean *d, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	enum aw_status st;

	if (resp == NULL) {
		aw_strv_done(&op->pending);
		if (aw_provider_suffixes(op->name, &op->pending) != AW_OK)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		op->index = 0;
	} else if (resp->status != 404) {
		json_t *root = do_answer(resp, err);
		const char *zname;

		if (root == NULL)
			return err != NULL ? err->status : AW_ERR_PROVIDER;
		zname = json_string_value(json_object_get(
		    json_object_get(root, "domain"), "name"));
		if (zname != NULL && aw_domain_equal(zname, op->pending.v[op->index])) {
			op->zone.id = aw_domain_normalize(zname);
			op->zone.name = aw_domain_normalize(zname);
			json_decref(root);
			if (op->zone.id == NULL || op->zone.name == NULL)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			op->done = true;
			return AW_OK;
		}
		json_decref(root);
		op->index++;
	} else
		op->index++;
	if (op->index >= op->pending.n)
		return aw_error_setw(err, AW_ERR_NOTFOUND, op->name,
		    _("no domain in this DigitalOcean account holds the name (or the token may not read it)"));
	aw_buf_init(&path);
	aw_buf_puts(&path, "/v2/domains/");
	aw_http_escape(&path, op->pending.v[op->index]);
	st = path.data != NULL ? do_request(d, req, "GET", aw_buf_str(&path),
	    NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	return st;
}

static enum aw_status
do_push_action(struct do_priv *pv, enum do_verb verb, const char *id,
    const char *value)
{
	struct do_action *grown = realloc(pv->acts, (pv->nacts + 1) * sizeof *grown);

	if (grown == NULL)
		return AW_ERR_NOMEM;
	pv->acts = grown;
	grown[pv->nacts].verb = verb;
	grown[pv->nacts].id = aw_strdup(id);
	grown[pv->nacts].value = aw_strdup(value);
	pv->nacts++;
	return AW_OK;
}

/* What to send for change c given the records listed in pv: values that
 * stay are not touched (not even their TTL: they may be someone else's),
 * values removed are paired with values added as PUTs, the rest POSTed or
 * DELETEd. */
static enum aw_status
do_plan_actions(struct do_priv *pv, const struct aw_change *c)
{
	struct aw_strv removed_ids, added;
	enum aw_status st = AW_OK;
	size_t i, k;

	aw_strv_init(&removed_ids);
	aw_strv_init(&added);
	for (i = 0; i < pv->nrecs && st == AW_OK; i++)
		if (aw_record_find(&c->new, pv->recs[i].value) < 0)
			st = aw_strv_push(&removed_ids, pv->recs[i].id);
	for (i = 0; i < c->new.values.n && st == AW_OK; i++) {
		bool there = false;

		for (k = 0; k < pv->nrecs && !there; k++) {
			struct aw_record probe = c->new;

			/* Same comparison as the record sets use. */
			probe.values.v = &pv->recs[k].value;
			probe.values.n = 1;
			there = aw_record_find(&probe, c->new.values.v[i]) >= 0;
		}
		if (!there)
			st = aw_strv_push(&added, c->new.values.v[i]);
	}
	for (i = 0; i < added.n && st == AW_OK; i++)
		st = do_push_action(pv, i < removed_ids.n ? DO_PUT : DO_POST,
		    i < removed_ids.n ? removed_ids.v[i] : NULL, added.v[i]);
	for (i = added.n; i < removed_ids.n && st == AW_OK; i++)
		st = do_push_action(pv, DO_DELETE, removed_ids.v[i], NULL);
	aw_strv_done(&removed_ids);
	aw_strv_done(&added);
	return st;
}

static enum aw_status
do_action_request(struct digitalocean *d, const struct aw_provider_op *op,
    const struct aw_change *c, const struct do_action *a,
    struct aw_http_request *req)
{
	struct aw_buf path;
	enum aw_status st;
	char *body = NULL;
	unsigned ttl = c->new.ttl ? c->new.ttl : c->old.ttl ? c->old.ttl :
	    aw_digitalocean_ops.default_ttl;

	aw_buf_init(&path);
	aw_buf_puts(&path, "/v2/domains/");
	aw_http_escape(&path, op->zone.id);
	aw_buf_puts(&path, "/records");
	if (a->verb != DO_POST) {
		aw_buf_putc(&path, '/');
		aw_buf_puts(&path, a->id);
	}
	if (a->verb != DO_DELETE && (body = aw_digitalocean_record_body(&c->new,
	    op->zone.name, a->value, ttl)) == NULL) {
		aw_buf_done(&path);
		return AW_ERR_NOMEM;
	}
	st = path.data != NULL ? do_request(d, req,
	    a->verb == DO_POST ? "POST" : a->verb == DO_PUT ? "PUT" : "DELETE",
	    aw_buf_str(&path), body) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	return st;
}

/* The answer to an action: AW_OK, or the change's state set and err. */
static enum aw_status
do_action_answer(const struct aw_http_response *resp, struct aw_change *c,
    const struct do_priv *pv, struct aw_error *err)
{
	json_t *root = do_answer(resp, err);

	if (root != NULL) {
		json_decref(root);
		return AW_OK;
	}
	/* A DELETE of a record already gone is done. */
	if (resp->status == 404 && pv->acts[pv->next - 1].verb == DO_DELETE) {
		aw_error_clear(err);
		return AW_OK;
	}
	if (resp->status < 400 || resp->status >= 500)
		/* No clear answer: it may have been done; the read-back decides. */
		c->state = AW_CHANGE_UNKNOWN;
	else
		c->state = pv->next > 1 ? AW_CHANGE_PARTIAL : AW_CHANGE_FAILED;
	return err != NULL ? err->status : AW_ERR_PROVIDER;
}

/* CHANGE: for each change, list its records (paged), work out the
 * actions, send them one by one. stage 0 listing, 1 sending. */
static enum aw_status
do_change(struct digitalocean *d, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct do_priv *pv = op->priv;
	struct aw_change *c;
	enum aw_status st;
	bool more = false;

	if (resp != NULL && op->index < op->nchanges) {
		c = &op->changes[op->index];
		if (op->stage == 0) {
			json_t *root = do_answer(resp, err);

			if (root == NULL) {
				c->state = AW_CHANGE_FAILED;
				return err != NULL ? err->status : AW_ERR_PROVIDER;
			}
			json_decref(root);
			st = aw_digitalocean_parse_records(resp->body.data,
			    resp->body.len, op->zone.name, c->new.name, c->new.type,
			    &op->records, pv, &more, err);
			if (st != AW_OK) {
				c->state = AW_CHANGE_FAILED;
				return st;
			}
			if (more && op->page < DO_MAX_PAGES)
				return do_list_request(d, &op->zone, c->new.name,
				    c->new.type, ++op->page, req);
			if (do_plan_actions(pv, c) != AW_OK)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			op->stage = 1;
		} else if ((st = do_action_answer(resp, c, pv, err)) != AW_OK)
			return st;
	}
	for (;;) {
		if (op->index >= op->nchanges) {
			op->done = true;
			return AW_OK;
		}
		c = &op->changes[op->index];
		if (op->stage == 0 && c->state == AW_CHANGE_SKIPPED) {
			op->index++;
			continue;
		}
		if (op->stage == 0) {
			/* Start this change: a fresh listing with the ids. */
			do_priv_free(pv);
			if ((pv = op->priv = calloc(1, sizeof *pv)) == NULL)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			aw_record_set_done(&op->records);
			op->page = 1;
			return do_list_request(d, &op->zone, c->new.name,
			    c->new.type, op->page, req);
		}
		if (pv->next < pv->nacts) {
			st = do_action_request(d, op, c, &pv->acts[pv->next], req);
			pv->next++;
			return st;
		}
		c->state = AW_CHANGE_MADE;
		op->index++;
		op->stage = 0;
	}
}

static enum aw_status
digitalocean_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct digitalocean *d = state;
	json_t *root;
	bool more = false;
	enum aw_status st;

	switch (op->kind) {
	case AW_OP_VERIFY:
		/* No token endpoint in the domains API: a one-item list
		 * answers 401 for a bad token. */
		if (resp == NULL)
			return do_request(d, req, "GET", "/v2/domains?per_page=1&page=1",
			    NULL);
		if ((root = do_answer(resp, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_AUTH;
		json_decref(root);
		op->done = true;
		return AW_OK;
	case AW_OP_FIND_ZONE:
		return do_find_zone(d, op, resp, req, err);
	case AW_OP_LIST:
		if (resp == NULL) {
			op->page = 1;
			return do_list_request(d, &op->zone, op->name, op->type,
			    op->page, req);
		}
		if ((root = do_answer(resp, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_PROVIDER;
		json_decref(root);
		st = aw_digitalocean_parse_records(resp->body.data, resp->body.len,
		    op->zone.name, op->name, op->type, &op->records, NULL, &more, err);
		if (st != AW_OK)
			return st;
		if (more && op->page < DO_MAX_PAGES)
			return do_list_request(d, &op->zone, op->name, op->type,
			    ++op->page, req);
		op->done = true;
		return AW_OK;
	case AW_OP_CHANGE:
		return do_change(d, op, resp, req, err);
	case AW_OP_CHANGE_STATUS:
		/* Each request is applied at once: no change ids. */
		return aw_error_set(err, AW_ERR_INVALID,
		    _("%s has no change states to ask about"), "DigitalOcean");
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

const struct aw_provider_ops aw_digitalocean_ops = {
	.name = "digitalocean",
	.title = N_("DigitalOcean"),
	.options = digitalocean_options,
	.open = digitalocean_open,
	.close = digitalocean_close,
	.step = digitalocean_step,
	.op_done = digitalocean_op_done,
	.default_ttl = 1800,
	.per_change_requests = true,
};
