/* powerdns.c: the PowerDNS Authoritative HTTP API (4.x): X-API-Key, zone
 * lookup, rrsets replaced whole with one PATCH (one transaction). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/provider.h"
#include "providers/hosts.h"

struct powerdns {
	char *base;       /* ".../api/v1/servers/<id>" */
	char *key;        /* secret */
};

static const struct aw_provider_option powerdns_options[] = {
	{ "pdns-api-url", "PDNS_API_URL",
	  N_("PowerDNS API base URL, e.g. http://127.0.0.1:8081"), false, true,
	  N_("API URL") },
	{ "pdns-api-key", "PDNS_API_KEY", N_("PowerDNS API key"), true, true,
	  N_("API key") },
	{ "pdns-server-id", "PDNS_SERVER_ID",
	  N_("PowerDNS server id (default localhost)"), false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

static enum aw_status
powerdns_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	const char *url = aw_provider_config_get(cfg, "PDNS_API_URL");
	const char *key = aw_provider_config_get(cfg, "PDNS_API_KEY");
	const char *server = aw_provider_config_get(cfg, "PDNS_SERVER_ID");
	struct powerdns *pd;
	struct aw_buf b;
	size_t len;

	if (url == NULL)
		return aw_error_set(err, AW_ERR_AUTH,
		    _("PowerDNS: no API URL (set PDNS_API_URL or --pdns-api-url)"));
	if (key == NULL)
		return aw_error_set(err, AW_ERR_AUTH,
		    _("PowerDNS: no API key (set PDNS_API_KEY or --pdns-api-key)"));
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return aw_error_setw(err, AW_ERR_INVALID, url,
		    _("PowerDNS: the API URL must start with http:// or https://"));
	if ((pd = calloc(1, sizeof *pd)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	aw_buf_init(&b);
	len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		len--;
	aw_buf_append(&b, url, len);
	/* Accept the base with or without the /api/v1 the docs show. */
	if (len < 7 || strncmp(url + len - 7, "/api/v1", 7) != 0)
		aw_buf_puts(&b, "/api/v1");
	aw_buf_puts(&b, "/servers/");
	aw_http_escape(&b, server != NULL ? server : "localhost");
	pd->base = aw_buf_steal(&b);
	pd->key = strdup(key);
	if (pd->base == NULL || pd->key == NULL) {
		free(pd->base);
		free(pd->key);
		free(pd);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*state = pd;
	return AW_OK;
}

static void
powerdns_close(void *state)
{
	struct powerdns *pd = state;

	if (pd == NULL)
		return;
	free(pd->base);
	aw_str_wipe(pd->key);
	free(pd->key);
	free(pd);
}

static enum aw_status
powerdns_request(struct powerdns *pd, struct aw_http_request *req,
    const char *method, const char *path, json_t *body)
{
	struct aw_buf url;
	enum aw_status st;

	aw_buf_init(&url);
	aw_buf_puts(&url, pd->base);
	aw_buf_puts(&url, path);
	if (url.data == NULL)
		return AW_ERR_NOMEM;
	st = aw_http_request_set(req, method, aw_buf_str(&url));
	aw_buf_done(&url);
	if (st == AW_OK)
		st = aw_http_request_header(req, "X-API-Key", pd->key);
	if (st == AW_OK)
		st = aw_http_request_header(req, "Accept", "application/json");
	if (st == AW_OK && body != NULL) {
		char *text = json_dumps(body, JSON_COMPACT);

		if (text == NULL)
			return AW_ERR_NOMEM;
		aw_http_request_take_body(req, text);
		st = aw_http_request_header(req, "Content-Type",
		    "application/json");
	}
	return st;
}

/* PowerDNS errors are {"error": "..."}. */
static enum aw_status
powerdns_error(const struct aw_http_response *resp, struct aw_error *err)
{
	json_t *root = json_loadb(resp->body.data ? resp->body.data : "",
	    resp->body.len, 0, NULL);
	const char *msg = NULL;
	enum aw_status st = resp->status == 401 || resp->status == 403 ?
	    AW_ERR_AUTH : resp->status == 404 ? AW_ERR_NOTFOUND :
	    AW_ERR_PROVIDER;

	if (root != NULL)
		msg = json_string_value(json_object_get(root, "error"));
	if (resp->status >= 500 && resp->status <= 599)
		aw_error_set(err, st, _("%s: server error (HTTP %ld)"), "PowerDNS",
		    resp->status);
	else if (msg != NULL)
		aw_provider_error_text(err, st, (int)resp->status, "PowerDNS", msg);
	else if (resp->status == 401)
		aw_error_set(err, st, _("PowerDNS refused the API key (HTTP 401)"));
	else
		aw_error_set(err, st, _("PowerDNS answered HTTP %ld"), resp->status);
	if (err != NULL)
		err->code = (int)resp->status;
	json_decref(root);
	return st;
}

static json_t *
powerdns_parse(const struct aw_http_response *resp, struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(resp->body.data ? resp->body.data : "",
	    resp->body.len, 0, &je);

	if (root == NULL)
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("PowerDNS sent a malformed answer: %s"), je.text);
	return root;
}

/* Presentation content -> neutral value. */
static enum aw_status
powerdns_value_in(enum aw_record_type type, const char *content, char **out,
    struct aw_error *err)
{
	if (type == AW_RECORD_TXT)
		return aw_record_txt_unquote(content, 0, out, err);
	if (type == AW_RECORD_CNAME || type == AW_RECORD_PTR ||
	    type == AW_RECORD_NS)
		*out = aw_domain_normalize(content);
	else if (type == AW_RECORD_MX) {
		size_t len = strlen(content);

		*out = strdup(content);
		if (*out != NULL && len > 1 && content[len - 1] == '.')
			(*out)[len - 1] = '\0';
	} else
		*out = strdup(content);
	return *out != NULL ? AW_OK : aw_error_set(err, AW_ERR_NOMEM,
	    _("out of memory"));
}

/* Neutral value -> presentation content. */
static char *
powerdns_value_out(enum aw_record_type type, const char *value)
{
	struct aw_buf b;

	aw_buf_init(&b);
	if (type == AW_RECORD_TXT)
		aw_record_txt_quote(&b, value, 0);
	else if (type == AW_RECORD_CNAME || type == AW_RECORD_PTR ||
	    type == AW_RECORD_NS || type == AW_RECORD_MX)
		aw_buf_printf(&b, "%s.", value);
	else
		aw_buf_puts(&b, value);
	return aw_buf_steal(&b);
}

static enum aw_status
powerdns_find_zone(struct powerdns *pd, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	enum aw_status st;

	if (resp == NULL) {
		aw_strv_done(&op->pending);
		if ((st = aw_provider_suffixes(op->name, &op->pending)) != AW_OK)
			return aw_error_set(err, st, _("out of memory"));
		op->index = 0;
	} else {
		json_t *root, *z;

		if (resp->status != 200)
			return powerdns_error(resp, err);
		if ((root = powerdns_parse(resp, err)) == NULL)
			return AW_ERR_PROVIDER;
		z = json_is_array(root) ? json_array_get(root, 0) : NULL;
		if (z != NULL && json_string_value(json_object_get(z, "id")) != NULL) {
			op->zone.id = strdup(json_string_value(json_object_get(z, "id")));
			op->zone.name = strdup(op->pending.v[op->index]);
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
		    _("PowerDNS holds no zone for this name"));
	aw_buf_init(&path);
	aw_buf_puts(&path, "/zones?zone=");
	aw_http_escape(&path, op->pending.v[op->index]);
	aw_buf_puts(&path, ".");
	st = powerdns_request(pd, req, "GET", aw_buf_str(&path), NULL);
	aw_buf_done(&path);
	return st;
}

static enum aw_status
powerdns_zone_path(struct aw_buf *path, const struct aw_zone *zone)
{
	aw_buf_puts(path, "/zones/");
	return aw_http_escape(path, zone->id);
}

enum aw_status
aw_powerdns_parse_rrsets(const char *body, size_t len, const char *name,
    enum aw_record_type type, struct aw_record_set *out, struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *rrsets, *rs;
	enum aw_status st = AW_OK;
	size_t i, j;

	if (root == NULL)
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("PowerDNS sent a malformed answer: %s"), je.text);
	rrsets = json_object_get(root, "rrsets");
	if (!json_is_array(rrsets)) {
		json_decref(root);
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("PowerDNS sent a zone without rrsets"));
	}
	json_array_foreach(rrsets, i, rs) {
		const char *rname = json_string_value(json_object_get(rs, "name"));
		const char *rtype = json_string_value(json_object_get(rs, "type"));
		json_t *records = json_object_get(rs, "records"), *rec;
		struct aw_record r;

		if (rname == NULL || rtype == NULL || !aw_domain_equal(rname, name))
			continue;
		if (type != AW_RECORD_ANY && aw_record_type_parse(rtype) != type)
			continue;
		if ((st = aw_record_init_word(&r, rname, rtype,
		    (unsigned)json_integer_value(json_object_get(rs, "ttl")))) != AW_OK)
			break;
		json_array_foreach(records, j, rec) {
			const char *content = json_string_value(
			    json_object_get(rec, "content"));
			char *v = NULL;

			if (content == NULL ||
			    json_is_true(json_object_get(rec, "disabled")))
				continue;
			if ((st = powerdns_value_in(r.type, content, &v, err)) != AW_OK)
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
	json_decref(root);
	if (st != AW_OK && (err == NULL || err->status == AW_OK))
		aw_error_set(err, st, _("out of memory"));
	return st;
}

char *
aw_powerdns_patch_body(const struct aw_change *changes, size_t n,
    unsigned default_ttl)
{
	json_t *root = json_object(), *rrsets = json_array();
	char *text;
	size_t i, j;

	json_object_set_new(root, "rrsets", rrsets);
	for (i = 0; i < n; i++) {
		const struct aw_change *c = &changes[i];
		const struct aw_record *r = c->new.values.n > 0 ? &c->new : &c->old;
		json_t *rs, *records;
		unsigned ttl = c->new.ttl ? c->new.ttl : c->old.ttl ? c->old.ttl :
		    default_ttl;

		if (c->state == AW_CHANGE_SKIPPED)
			continue;
		rs = json_object();
		records = json_array();
		json_object_set_new(rs, "name", json_sprintf("%s.", r->name));
		json_object_set_new(rs, "type", json_string(r->type_name));
		if (c->new.values.n == 0) {
			json_object_set_new(rs, "changetype", json_string("DELETE"));
		} else {
			json_object_set_new(rs, "changetype", json_string("REPLACE"));
			json_object_set_new(rs, "ttl", json_integer(ttl));
			for (j = 0; j < c->new.values.n; j++) {
				char *content = powerdns_value_out(c->new.type,
				    c->new.values.v[j]);
				json_t *rec = json_object();

				json_object_set_new(rec, "content", json_string(content));
				json_object_set_new(rec, "disabled", json_false());
				json_array_append_new(records, rec);
				free(content);
			}
			json_object_set_new(rs, "records", records);
			records = NULL;
		}
		json_decref(records);
		json_array_append_new(rrsets, rs);
	}
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return text;
}

static enum aw_status
powerdns_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct powerdns *pd = state;
	struct aw_buf path;
	enum aw_status st;
	size_t i;

	switch (op->kind) {
	case AW_OP_VERIFY:
		if (resp == NULL)
			return powerdns_request(pd, req, "GET", "", NULL);
		if (resp->status != 200)
			return powerdns_error(resp, err);
		op->done = true;
		return AW_OK;
	case AW_OP_FIND_ZONE:
		return powerdns_find_zone(pd, op, resp, req, err);
	case AW_OP_LIST:
		if (resp == NULL) {
			aw_buf_init(&path);
			powerdns_zone_path(&path, &op->zone);
			st = powerdns_request(pd, req, "GET", aw_buf_str(&path), NULL);
			aw_buf_done(&path);
			return st;
		}
		if (resp->status != 200)
			return powerdns_error(resp, err);
		st = aw_powerdns_parse_rrsets(resp->body.data ? resp->body.data : "",
		    resp->body.len, op->name, op->type, &op->records, err);
		if (st == AW_OK)
			op->done = true;
		return st;
	case AW_OP_CHANGE:
		if (resp == NULL) {
			char *body = aw_powerdns_patch_body(op->changes, op->nchanges,
			    aw_powerdns_ops.default_ttl);

			if (body == NULL)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			aw_buf_init(&path);
			powerdns_zone_path(&path, &op->zone);
			st = powerdns_request(pd, req, "PATCH", aw_buf_str(&path), NULL);
			aw_buf_done(&path);
			aw_http_request_take_body(req, body);
			if (st == AW_OK)
				st = aw_http_request_header(req, "Content-Type",
				    "application/json");
			return st;
		}
		/* One PATCH is one transaction: all or nothing. */
		for (i = 0; i < op->nchanges; i++) {
			/* A 5xx is no answer: the PATCH may have been done
			 * (the change stays in flight; the read-back decides). */
			if (op->changes[i].state == AW_CHANGE_SKIPPED ||
			    resp->status >= 500)
				continue;
			op->changes[i].state = resp->status == 204 ||
			    resp->status == 200 ? AW_CHANGE_MADE : AW_CHANGE_FAILED;
		}
		if (resp->status != 204 && resp->status != 200)
			return powerdns_error(resp, err);
		op->done = true;
		return AW_OK;
	case AW_OP_CHANGE_STATUS:
		/* A PATCH is live when it returns: no change ids. */
		return aw_error_set(err, AW_ERR_INVALID,
		    _("PowerDNS has no change states to ask about"));
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

const struct aw_provider_ops aw_powerdns_ops = {
	.name = "powerdns",
	.title = N_("PowerDNS"),
	.options = powerdns_options,
	.open = powerdns_open,
	.close = powerdns_close,
	.step = powerdns_step,
	.op_done = NULL,
	.default_ttl = 3600,
};
