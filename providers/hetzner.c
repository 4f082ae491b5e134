/* hetzner.c: Hetzner DNS through the Hetzner Cloud API (api.hetzner.cloud
 * /v1 zones and RRSets; zones moved there no longer answer the old
 * dns.hetzner.com API): bearer project token (checked with a one-zone
 * list), the zone found by trying the name's suffixes (zones are
 * registrable domains), RRSets listed per name with page/per_page paging
 * (meta.pagination.next_page), and each change as one request: a new RRSet
 * created, an RRSet's values replaced with the set_records action, its TTL
 * changed with the change_ttl action (set_records keeps the TTL: a change
 * of both is two requests, values first), an emptied one deleted. Those
 * answer with an asynchronous action, polled (GET /zones/actions/{id})
 * until it says success or error. change_ttl ({"ttl": N or null for the
 * zone's default}, 201 {action}) is in Hetzner's full cloud.spec.json and
 * its hcloud-go client (ZoneRRSetChangeTTLRequest), not in the subset
 * kept under ../shared/specs.
 *
 * TXT: Hetzner's hcloud CLI and Terraform provider say "TXT records format
 * must consist of one or many quoted strings of 255 characters" (the
 * record-type page itself was not found): values go out quoted, split into
 * strings of at most 255 bytes, and are read back unquoted and joined.
 * Names inside values (CNAME, MX) end in a dot, as in a zone file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"

#define HZ_DEFAULT_BASE "https://api.hetzner.cloud/v1"
#define HZ_PER_PAGE 50            /* the API's maximum */
#define HZ_MAX_PAGES 100
#define HZ_POLL_MS 250            /* between looks at a running action */
#define HZ_MAX_POLLS 120

struct hetzner {
	char *base;
	char *token;     /* secret */
	long poll_ms;
};

static const struct aw_provider_option hetzner_options[] = {
	{ "hetzner-token", "HCLOUD_TOKEN",
	  N_("Hetzner Cloud API token (also HETZNER_API_TOKEN)"), true, true,
	  N_("API token") },
	{ "hetzner-token-file", "HCLOUD_TOKEN_FILE",
	  N_("a file (mode 0600) holding the Hetzner Cloud API token"), false, false, NULL },
	{ "hetzner-endpoint", "HCLOUD_ENDPOINT",
	  /* TRANSLATORS: the URL is HZ_DEFAULT_BASE */
	  N_("Hetzner Cloud API endpoint (default https://api.hetzner.cloud/v1)"),
	  false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

static const char *const hz_token_envs[] = {
	"HCLOUD_TOKEN", "HETZNER_API_TOKEN", NULL
};

static void
hetzner_close(void *state)
{
	struct hetzner *h = state;

	if (h == NULL)
		return;
	aw_str_wipe(h->token);
	free(h->token);
	free(h->base);
	free(h);
}

static enum aw_status
hetzner_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	const char *poll = getenv("AW_HETZNER_POLL_MS");
	struct hetzner *h;
	enum aw_status st;

	if ((h = calloc(1, sizeof *h)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	h->poll_ms = poll != NULL ? strtol(poll, NULL, 10) : HZ_POLL_MS;
	if (h->poll_ms < 0 || h->poll_ms > 60000)
		h->poll_ms = HZ_POLL_MS;
	st = aw_host_base_url(cfg, "Hetzner", "HCLOUD_ENDPOINT", NULL,
	    HZ_DEFAULT_BASE, &h->base, err);
	if (st == AW_OK)
		st = aw_host_token(cfg, "Hetzner", hz_token_envs,
		    "HCLOUD_TOKEN_FILE", "hetzner-token-file", &h->token, err);
	if (st != AW_OK) {
		hetzner_close(h);
		return st;
	}
	*state = h;
	return AW_OK;
}

static enum aw_status
hz_request(struct hetzner *h, struct aw_http_request *req, const char *method,
    const char *path, char *body)
{
	return aw_host_bearer_request(req, "Bearer", h->token, method, h->base,
	    path, body);
}

/* err from Hetzner's {code, message}: "Hetzner: code: message". */
static enum aw_status
hz_error_text(struct aw_error *err, enum aw_status st, long status,
    const char *code, const char *msg)
{
	return aw_provider_error_code_text(err, st, (int)status, "Hetzner", code,
	    "error", msg);
}

enum aw_status
aw_hetzner_error(const char *body, size_t len, long status,
    struct aw_error *err)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	json_t *e = json_object_get(root, "error");
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	enum aw_status st = status == 401 || status == 403 ? AW_ERR_AUTH :
	    status == 404 ? AW_ERR_NOTFOUND : AW_ERR_PROVIDER;

	if (status >= 500 && status <= 599)
		aw_error_set(err, st, _("%s: server error (HTTP %ld)"), "Hetzner", status);
	else if (msg != NULL)
		hz_error_text(err, st, status, code, msg);
	else
		aw_error_set(err, st, _("%s answered HTTP %ld"), "Hetzner", status);
	if (err != NULL)
		err->code = (int)status;
	json_decref(root);
	return st;
}

static json_t *
hz_answer(const struct aw_http_response *resp, struct aw_error *err)
{
	const char *body = resp->body.data != NULL ? resp->body.data : "";
	json_error_t je;
	json_t *root;

	if (resp->status < 200 || resp->status > 299) {
		aw_hetzner_error(body, resp->body.len, resp->status, err);
		return NULL;
	}
	if ((root = json_loadb(body, resp->body.len, 0, &je)) == NULL ||
	    !json_is_object(root)) {
		json_decref(root);
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a malformed answer: %s"), "Hetzner", je.text);
		return NULL;
	}
	return root;
}

static enum aw_status
hz_value_in(enum aw_record_type type, const char *content, char **out,
    struct aw_error *err)
{
	size_t len;

	if (type == AW_RECORD_TXT)
		return aw_record_txt_unquote(content, 0, out, err);
	if (type == AW_RECORD_CNAME || type == AW_RECORD_PTR ||
	    type == AW_RECORD_NS)
		*out = aw_domain_normalize(content);
	else if ((*out = strdup(content)) != NULL && type == AW_RECORD_MX &&
	    (len = strlen(*out)) > 1 && (*out)[len - 1] == '.')
		(*out)[len - 1] = '\0';
	return *out != NULL ? AW_OK : aw_error_set(err, AW_ERR_NOMEM,
	    _("out of memory"));
}

/* {"records": [{"value": ...}, ...]} values of r, in Hetzner's form. */
static json_t *
hz_records(const struct aw_record *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < r->values.n; i++) {
		struct aw_buf b;

		aw_buf_init(&b);
		if (r->type == AW_RECORD_TXT)
			aw_record_txt_quote(&b, r->values.v[i], 0);
		else if (r->type == AW_RECORD_CNAME || r->type == AW_RECORD_PTR ||
		    r->type == AW_RECORD_NS || r->type == AW_RECORD_MX)
			aw_buf_printf(&b, "%s.", r->values.v[i]);
		else
			aw_buf_puts(&b, r->values.v[i]);
		json_array_append_new(a, json_pack("{s:s}", "value",
		    b.data != NULL ? aw_buf_str(&b) : ""));
		aw_buf_done(&b);
	}
	return a;
}

char *
aw_hetzner_change_body(const struct aw_change *c, const char *zone,
    unsigned default_ttl)
{
	json_t *o = json_object();
	char *rel, *text;

	if (c->old.values.n > 0) {
		/* set_records: the whole new set (the TTL stays). */
		json_object_set_new(o, "records", hz_records(&c->new));
	} else {
		if ((rel = aw_host_relative_name(c->new.name, zone, "@")) == NULL) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "name", json_string(rel));
		json_object_set_new(o, "type", json_string(c->new.type_name));
		json_object_set_new(o, "ttl", json_integer(c->new.ttl >= 60 ?
		    c->new.ttl : default_ttl));
		json_object_set_new(o, "records", hz_records(&c->new));
		free(rel);
	}
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

enum aw_status
aw_hetzner_parse_rrsets(const char *body, size_t len, const char *zone,
    const char *name, enum aw_record_type type, struct aw_record_set *out,
    bool *more, struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *list, *rs, *rec;
	enum aw_status st = AW_OK;
	size_t i, j;

	*more = false;
	if (root == NULL)
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a malformed answer: %s"), "Hetzner", je.text);
	if (!json_is_array(list = json_object_get(root, "rrsets"))) {
		json_decref(root);
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a record list without records"), "Hetzner");
	}
	json_array_foreach(list, i, rs) {
		const char *rel = json_string_value(json_object_get(rs, "name"));
		const char *rtype = json_string_value(json_object_get(rs, "type"));
		char *full = rel != NULL ? aw_host_full_name(rel, zone) : NULL;
		struct aw_record r;

		if (full == NULL || rtype == NULL || !aw_domain_equal(full, name) ||
		    (type != AW_RECORD_ANY && aw_record_type_parse(rtype) != type)) {
			free(full);
			continue;
		}
		/* ttl null: the zone's default. */
		st = aw_record_init_word(&r, full, rtype,
		    (unsigned)json_integer_value(json_object_get(rs, "ttl")));
		free(full);
		if (st != AW_OK)
			break;
		json_array_foreach(json_object_get(rs, "records"), j, rec) {
			const char *value = json_string_value(json_object_get(rec, "value"));
			char *v = NULL;

			if (value == NULL)
				continue;
			if ((st = hz_value_in(r.type, value, &v, err)) != AW_OK)
				break;
			st = aw_record_add(&r, v);
			free(v);
			if (st != AW_OK)
				break;
		}
		if (st == AW_OK)
			st = aw_record_set_take(out, &r);
		aw_record_done(&r);
		if (st != AW_OK)
			break;
	}
	*more = st == AW_OK && json_integer_value(json_object_get(json_object_get(
	    json_object_get(root, "meta"), "pagination"), "next_page")) > 0;
	json_decref(root);
	if (st != AW_OK && (err == NULL || err->status == AW_OK))
		aw_error_set(err, st, _("out of memory"));
	return st;
}

static enum aw_status
hz_list_request(struct hetzner *h, const struct aw_provider_op *op,
    struct aw_http_request *req)
{
	char *rel = aw_host_relative_name(op->name, op->zone.name, "@");
	struct aw_buf path;
	enum aw_status st;

	if (rel == NULL)
		return AW_ERR_NOMEM;
	aw_buf_init(&path);
	aw_buf_puts(&path, "/zones/");
	aw_http_escape(&path, op->zone.id);
	aw_buf_puts(&path, "/rrsets?name=");
	aw_http_escape(&path, rel);
	if (op->type != AW_RECORD_ANY)
		aw_buf_printf(&path, "&type=%s", aw_record_type_name(op->type));
	aw_buf_printf(&path, "&page=%u&per_page=%d", op->page, HZ_PER_PAGE);
	st = path.data != NULL ? hz_request(h, req, "GET", aw_buf_str(&path),
	    NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	free(rel);
	return st;
}

static enum aw_status
hz_find_zone(struct hetzner *h, struct aw_provider_op *op,
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
	} else {
		json_t *root = hz_answer(resp, err), *z;
		size_t i;

		if (root == NULL)
			return err != NULL ? err->status : AW_ERR_PROVIDER;
		json_array_foreach(json_object_get(root, "zones"), i, z) {
			const char *zname = json_string_value(json_object_get(z, "name"));
			json_t *id = json_object_get(z, "id");

			if (zname == NULL || !json_is_integer(id) ||
			    !aw_domain_equal(zname, op->pending.v[op->index]))
				continue;
			if (asprintf(&op->zone.id, "%lld",
			    (long long)json_integer_value(id)) < 0)
				op->zone.id = NULL;
			op->zone.name = aw_domain_normalize(zname);
			json_decref(root);
			if (op->zone.id == NULL || op->zone.name == NULL)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			op->done = true;
			return AW_OK;
		}
		json_decref(root);
		op->index++;
	}
	if (op->index >= op->pending.n)
		return aw_error_setw(err, AW_ERR_NOTFOUND, op->name,
		    _("no zone in this Hetzner Cloud project holds the name (or the token may not read it)"));
	aw_buf_init(&path);
	aw_buf_puts(&path, "/zones?name=");
	aw_http_escape(&path, op->pending.v[op->index]);
	st = path.data != NULL ? hz_request(h, req, "GET", aw_buf_str(&path),
	    NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	return st;
}

/* An update of an existing RRSet that changes its TTL (change_ttl). */
static bool
hz_ttl_changes(const struct aw_change *c)
{
	return c->old.values.n > 0 && c->new.values.n > 0 &&
	    c->old.ttl != c->new.ttl;
}

/* A change whose values need a request (all but a TTL-only update). */
static bool
hz_values_change(const struct aw_change *c)
{
	return !(c->old.values.n > 0 && c->new.values.n > 0 &&
	    aw_record_same_values(&c->old, &c->new));
}

char *
aw_hetzner_ttl_body(const struct aw_change *c)
{
	json_t *o = json_object();
	char *text;

	/* Below the API's 60 (0: read as null): back to the zone's default. */
	json_object_set_new(o, "ttl", c->new.ttl >= 60 ?
	    json_integer(c->new.ttl) : json_null());
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

/* The request for change c: POST (create), set_records, change_ttl
 * (op->sub 1) or DELETE. */
static enum aw_status
hz_change_request(struct hetzner *h, const struct aw_provider_op *op,
    const struct aw_change *c, struct aw_http_request *req)
{
	const struct aw_record *r = c->new.values.n > 0 ? &c->new : &c->old;
	char *rel = aw_host_relative_name(r->name, op->zone.name, "@");
	char *body = NULL;
	struct aw_buf path;
	enum aw_status st = AW_ERR_NOMEM;

	aw_buf_init(&path);
	aw_buf_puts(&path, "/zones/");
	aw_http_escape(&path, op->zone.id);
	aw_buf_puts(&path, "/rrsets");
	if (rel != NULL && c->new.values.n > 0)
		body = op->sub == 1 ? aw_hetzner_ttl_body(c) :
		    aw_hetzner_change_body(c, op->zone.name,
		    aw_hetzner_ops.default_ttl);
	if (rel != NULL && c->old.values.n > 0) {
		aw_buf_putc(&path, '/');
		aw_http_escape(&path, rel);
		aw_buf_printf(&path, "/%s", r->type_name);
		if (c->new.values.n > 0)
			aw_buf_puts(&path, op->sub == 1 ? "/actions/change_ttl" :
			    "/actions/set_records");
	}
	if (rel != NULL && path.data != NULL && (body != NULL ||
	    c->new.values.n == 0)) {
		st = hz_request(h, req, c->new.values.n == 0 ? "DELETE" : "POST",
		    aw_buf_str(&path), body);
		body = NULL;
		/* Setting the same records (or TTL) twice is harmless. */
		req->replay_safe = c->old.values.n > 0;
	}
	free(body);
	free(rel);
	aw_buf_done(&path);
	return st;
}

static enum aw_status
hz_poll_request(struct hetzner *h, struct aw_provider_op *op,
    struct aw_http_request *req)
{
	struct aw_buf path;
	enum aw_status st;

	aw_buf_init(&path);
	aw_buf_printf(&path, "/zones/actions/%s", op->cursor);
	st = path.data != NULL ? hz_request(h, req, "GET", aw_buf_str(&path),
	    NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	req->delay_ms = h->poll_ms;
	op->polls++;
	return st;
}

/* An answer holding an action: done (success), to poll (running, id in
 * op->cursor), or failed. */
static enum aw_status
hz_action(struct aw_provider_op *op, struct aw_change *c, json_t *root,
    bool *running, struct aw_error *err)
{
	json_t *a = json_object_get(root, "action");
	const char *status = json_string_value(json_object_get(a, "status"));
	json_t *e = json_object_get(a, "error");

	*running = false;
	if (status == NULL) {
		c->state = AW_CHANGE_UNKNOWN;
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a malformed answer: %s"), "Hetzner", "action");
	}
	if (strcmp(status, "success") == 0)
		return AW_OK;
	if (strcmp(status, "error") == 0) {
		c->state = AW_CHANGE_FAILED;
		return hz_error_text(err, AW_ERR_PROVIDER, 0,
		    json_string_value(json_object_get(e, "code")),
		    json_string_value(json_object_get(e, "message")) != NULL ?
		    json_string_value(json_object_get(e, "message")) : status);
	}
	free(op->cursor);
	if (asprintf(&op->cursor, "%lld",
	    (long long)json_integer_value(json_object_get(a, "id"))) < 0) {
		op->cursor = NULL;
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*running = true;
	return AW_OK;
}

/* CHANGE: stage 0 a change's request out, 1 its action polled. */
static enum aw_status
hz_change(struct hetzner *h, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_change *c;
	enum aw_status st;
	bool running = false;

	if (resp != NULL && op->index < op->nchanges) {
		json_t *root;

		c = &op->changes[op->index];
		if ((root = hz_answer(resp, err)) == NULL) {
			/* A DELETE of an RRSet already gone is done. */
			if (resp->status == 404 && c->new.values.n == 0 && op->stage == 0)
				aw_error_clear(err);
			else {
				c->state = resp->status >= 500 || op->stage == 1 ?
				    AW_CHANGE_UNKNOWN : AW_CHANGE_FAILED;
				if (c->state == AW_CHANGE_FAILED && op->sub == 1 &&
				    hz_values_change(c))
					c->state = AW_CHANGE_PARTIAL;
				return err != NULL ? err->status : AW_ERR_PROVIDER;
			}
		} else {
			st = hz_action(op, c, root, &running, err);
			json_decref(root);
			if (st != AW_OK && c->state == AW_CHANGE_FAILED &&
			    op->sub == 1 && hz_values_change(c))
				c->state = AW_CHANGE_PARTIAL;  /* values set */
			if (st != AW_OK)
				return st;
		}
		if (running) {
			if (op->polls >= HZ_MAX_POLLS) {
				c->state = AW_CHANGE_UNKNOWN;
				return aw_error_set(err, AW_ERR_TIMEOUT,
				    _("%s: the change is still running after %u looks"),
				    "Hetzner", op->polls);
			}
			op->stage = 1;
			return hz_poll_request(h, op, req);
		}
		if (op->sub == 0 && hz_ttl_changes(c)) {
			/* The values are set; the TTL is the second request. */
			op->sub = 1;
			op->stage = 0;
			op->polls = 0;
			return hz_change_request(h, op, c, req);
		}
		c->state = AW_CHANGE_MADE;
		op->index++;
	}
	op->stage = 0;
	op->polls = 0;
	if ((c = aw_provider_next_change(op)) == NULL)
		return AW_OK;
	op->sub = hz_values_change(c) ? 0 : 1;
	return hz_change_request(h, op, c, req);
}

static enum aw_status
hetzner_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct hetzner *h = state;
	json_t *root;
	bool more = false;
	enum aw_status st;

	switch (op->kind) {
	case AW_OP_VERIFY:
		if (resp == NULL)
			return hz_request(h, req, "GET", "/zones?per_page=1", NULL);
		if ((root = hz_answer(resp, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_AUTH;
		json_decref(root);
		op->done = true;
		return AW_OK;
	case AW_OP_FIND_ZONE:
		return hz_find_zone(h, op, resp, req, err);
	case AW_OP_LIST:
		if (resp == NULL) {
			op->page = 1;
			return hz_list_request(h, op, req);
		}
		if ((root = hz_answer(resp, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_PROVIDER;
		json_decref(root);
		st = aw_hetzner_parse_rrsets(resp->body.data, resp->body.len,
		    op->zone.name, op->name, op->type, &op->records, &more, err);
		if (st != AW_OK)
			return st;
		if (more && op->page < HZ_MAX_PAGES) {
			op->page++;
			return hz_list_request(h, op, req);
		}
		op->done = true;
		return AW_OK;
	case AW_OP_CHANGE:
		return hz_change(h, op, resp, req, err);
	case AW_OP_CHANGE_STATUS:
		/* apply waits for each action to finish: nothing left to ask. */
		return aw_error_set(err, AW_ERR_INVALID,
		    _("%s has no change states to ask about"), "Hetzner");
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

const struct aw_provider_ops aw_hetzner_ops = {
	.name = "hetzner",
	.title = N_("Hetzner"),
	.long_title = N_("Hetzner (Cloud API)"),
	.options = hetzner_options,
	.open = hetzner_open,
	.close = hetzner_close,
	.step = hetzner_step,
	.op_done = NULL,
	.default_ttl = 3600,
	.per_change_requests = true,
};
