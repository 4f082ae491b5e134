/* desec.c: deSEC's DNS API v1 (desec.io): "Authorization: Token", the
 * zone that owns a name asked directly (owns_qname), RRsets listed per
 * name with cursor paging (the Link header's rel="next"), and every change
 * of an apply sent as one bulk PATCH of RRsets, which deSEC applies
 * atomically (all or nothing), like PowerDNS.
 *
 * TXT: deSEC wants each value in double quotes, several quoted strings per
 * value allowed; it splits strings over 255 characters itself, but we send
 * the RFC 1035 form (strings of at most 255 bytes) so what is stored is
 * what a zone file would hold. Names inside values (CNAME, MX) end in a
 * dot. Values read back are unquoted and joined. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"

#define DESEC_DEFAULT_BASE "https://desec.io/api/v1"
#define DESEC_MAX_PAGES 100

struct desec {
	char *base;
	char *token;     /* secret */
};

static const struct aw_provider_option desec_options[] = {
	{ "desec-token", "DESEC_TOKEN", N_("deSEC API token"), true, true,
	  N_("API token") },
	{ "desec-token-file", "DESEC_TOKEN_FILE",
	  N_("a file (mode 0600) holding the deSEC API token"), false, false, NULL },
	{ "desec-base-url", "DESEC_BASE_URL",
	  /* TRANSLATORS: the URL is DESEC_DEFAULT_BASE */
	  N_("deSEC API base URL (default https://desec.io/api/v1)"), false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

static const char *const desec_token_envs[] = { "DESEC_TOKEN", NULL };

static void
desec_close(void *state)
{
	struct desec *d = state;

	if (d == NULL)
		return;
	aw_str_wipe(d->token);
	free(d->token);
	free(d->base);
	free(d);
}

static enum aw_status
desec_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	struct desec *d;
	enum aw_status st;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	st = aw_host_base_url(cfg, "deSEC", "DESEC_BASE_URL", NULL,
	    DESEC_DEFAULT_BASE, &d->base, err);
	if (st == AW_OK)
		st = aw_host_token(cfg, "deSEC", desec_token_envs,
		    "DESEC_TOKEN_FILE", "desec-token-file", &d->token, err);
	if (st != AW_OK) {
		desec_close(d);
		return st;
	}
	*state = d;
	return AW_OK;
}

static enum aw_status
desec_request(struct desec *d, struct aw_http_request *req,
    const char *method, const char *path, char *body)
{
	return aw_host_bearer_request(req, "Token", d->token, method, d->base,
	    path, body);
}

/* The first message of a Django REST Framework error body: {"detail":
 * "..."}, {"field": ["..."]}, or (bulk) an array of those with {} for the
 * good items. Borrowed from root; *field names the field, if any. */
static const char *
desec_first_message(json_t *root, const char **field)
{
	const char *key;
	json_t *v, *item;
	size_t i;

	*field = NULL;
	if (json_is_array(root)) {
		json_array_foreach(root, i, item) {
			const char *m = desec_first_message(item, field);

			if (m != NULL)
				return m;
		}
		return NULL;
	}
	if (json_is_string(json_object_get(root, "detail")))
		return json_string_value(json_object_get(root, "detail"));
	json_object_foreach(root, key, v) {
		const char *m = json_is_string(v) ? json_string_value(v) :
		    json_string_value(json_array_get(v, 0));

		if (m == NULL && (json_is_object(v) || json_is_array(v)))
			m = desec_first_message(v, field);
		if (m != NULL) {
			if (*field == NULL && strcmp(key, "non_field_errors") != 0)
				*field = key;
			return m;
		}
	}
	return NULL;
}

enum aw_status
aw_desec_error(const char *body, size_t len, long status, struct aw_error *err)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	const char *field = NULL, *msg = desec_first_message(root, &field);
	enum aw_status st = status == 401 || status == 403 ? AW_ERR_AUTH :
	    status == 404 ? AW_ERR_NOTFOUND : AW_ERR_PROVIDER;

	if (status >= 500 && status <= 599)
		aw_error_set(err, st, _("%s: server error (HTTP %ld)"), "deSEC", status);
	else if (msg != NULL)
		aw_provider_error_code_text(err, st, (int)status, "deSEC", field,
		    NULL, msg);
	else
		aw_error_set(err, st, _("%s answered HTTP %ld"), "deSEC", status);
	if (err != NULL)
		err->code = (int)status;
	json_decref(root);
	return st;
}

static json_t *
desec_answer(const struct aw_http_response *resp, struct aw_error *err)
{
	const char *body = resp->body.data != NULL ? resp->body.data : "";
	json_error_t je;
	json_t *root;

	if (resp->status < 200 || resp->status > 299) {
		aw_desec_error(body, resp->body.len, resp->status, err);
		return NULL;
	}
	if ((root = json_loadb(body, resp->body.len, 0, &je)) == NULL)
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a malformed answer: %s"), "deSEC", je.text);
	return root;
}

char *
aw_desec_next_cursor(const char *link)
{
	const char *p = link, *lt, *gt, *c;
	struct aw_buf out;

	/* <URL>; rel="first", <URL?cursor=X>; rel="next" */
	while (p != NULL && (lt = strchr(p, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL) {
		const char *next = strchr(gt, ',');
		const char *rel = strstr(gt, "rel=\"next\"");

		if (rel != NULL && (next == NULL || rel < next)) {
			for (c = lt; c < gt; c++)
				if ((*c == '?' || *c == '&') &&
				    strncmp(c + 1, "cursor=", 7) == 0)
					break;
			if (c >= gt)
				return NULL;
			c += 8;
			aw_buf_init(&out);
			aw_buf_append(&out, c, strcspn(c, "&>") < (size_t)(gt - c) ?
			    strcspn(c, "&>") : (size_t)(gt - c));
			return aw_buf_steal(&out);
		}
		p = next;
	}
	return NULL;
}

static enum aw_status
desec_value_in(enum aw_record_type type, const char *content, char **out,
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

static char *
desec_value_out(enum aw_record_type type, const char *value)
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

enum aw_status
aw_desec_parse_rrsets(const char *body, size_t len, const char *zone,
    const char *name, enum aw_record_type type, struct aw_record_set *out,
    struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *rs, *rec;
	enum aw_status st = AW_OK;
	size_t i, j;

	if (root == NULL)
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a malformed answer: %s"), "deSEC", je.text);
	if (!json_is_array(root)) {
		json_decref(root);
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("%s sent a record list without records"), "deSEC");
	}
	json_array_foreach(root, i, rs) {
		const char *sub = json_string_value(json_object_get(rs, "subname"));
		const char *rtype = json_string_value(json_object_get(rs, "type"));
		char *full = sub != NULL ? aw_host_full_name(sub, zone) : NULL;
		struct aw_record r;

		if (full == NULL || rtype == NULL || !aw_domain_equal(full, name) ||
		    (type != AW_RECORD_ANY && aw_record_type_parse(rtype) != type)) {
			free(full);
			continue;
		}
		st = aw_record_init_word(&r, full, rtype,
		    (unsigned)json_integer_value(json_object_get(rs, "ttl")));
		free(full);
		if (st != AW_OK)
			break;
		json_array_foreach(json_object_get(rs, "records"), j, rec) {
			char *v = NULL;

			if (!json_is_string(rec))
				continue;
			if ((st = desec_value_in(r.type, json_string_value(rec), &v,
			    err)) != AW_OK)
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
aw_desec_patch_body(const struct aw_change *changes, size_t n,
    const char *zone, unsigned default_ttl)
{
	json_t *root = json_array();
	char *text = NULL;
	size_t i, j;
	bool ok = root != NULL;

	for (i = 0; i < n && ok; i++) {
		const struct aw_change *c = &changes[i];
		const struct aw_record *r = c->new.values.n > 0 ? &c->new : &c->old;
		unsigned ttl = c->new.ttl ? c->new.ttl : c->old.ttl ? c->old.ttl :
		    default_ttl;
		char *sub;
		json_t *rs, *records = json_array();

		if (c->state == AW_CHANGE_SKIPPED) {
			json_decref(records);
			continue;
		}
		/* The apex is "" in bulk bodies ("@" is not taken there). */
		if ((sub = aw_host_relative_name(r->name, zone, "")) == NULL) {
			json_decref(records);
			ok = false;
			break;
		}
		rs = json_object();
		json_object_set_new(rs, "subname", json_string(sub));
		json_object_set_new(rs, "type", json_string(r->type_name));
		json_object_set_new(rs, "ttl", json_integer(ttl));
		for (j = 0; j < c->new.values.n; j++) {
			char *content = desec_value_out(c->new.type, c->new.values.v[j]);

			json_array_append_new(records, json_string(content));
			free(content);
		}
		/* records [] deletes the RRset. */
		json_object_set_new(rs, "records", records);
		json_array_append_new(root, rs);
		free(sub);
	}
	if (ok)
		text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return text;
}

static enum aw_status
desec_list_request(struct desec *d, const struct aw_provider_op *op,
    struct aw_http_request *req)
{
	char *sub = aw_host_relative_name(op->name, op->zone.name, "");
	struct aw_buf path;
	enum aw_status st;

	if (sub == NULL)
		return AW_ERR_NOMEM;
	aw_buf_init(&path);
	aw_buf_puts(&path, "/domains/");
	aw_http_escape(&path, op->zone.id);
	aw_buf_puts(&path, "/rrsets/?subname=");
	aw_http_escape(&path, sub);
	if (op->type != AW_RECORD_ANY)
		aw_buf_printf(&path, "&type=%s", aw_record_type_name(op->type));
	/* The first page has an empty cursor; the next ones deSEC's. */
	aw_buf_puts(&path, "&cursor=");
	if (op->cursor != NULL)
		aw_http_escape(&path, op->cursor);
	st = path.data != NULL ? desec_request(d, req, "GET", aw_buf_str(&path),
	    NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	free(sub);
	return st;
}

static enum aw_status
desec_find_zone(struct desec *d, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	enum aw_status st;
	const char *zname;
	json_t *root;

	if (resp == NULL) {
		char *norm = aw_domain_normalize(op->name);

		aw_buf_init(&path);
		aw_buf_puts(&path, "/domains/?owns_qname=");
		aw_http_escape(&path, norm != NULL ? norm : "");
		st = norm != NULL && path.data != NULL ? desec_request(d, req, "GET",
		    aw_buf_str(&path), NULL) : AW_ERR_NOMEM;
		aw_buf_done(&path);
		free(norm);
		return st;
	}
	if ((root = desec_answer(resp, err)) == NULL)
		return err != NULL ? err->status : AW_ERR_PROVIDER;
	zname = json_string_value(json_object_get(json_array_get(root, 0), "name"));
	if (zname == NULL) {
		json_decref(root);
		return aw_error_setw(err, AW_ERR_NOTFOUND, op->name,
		    _("no domain in this deSEC account holds the name"));
	}
	op->zone.id = aw_domain_normalize(zname);
	op->zone.name = aw_domain_normalize(zname);
	json_decref(root);
	if (op->zone.id == NULL || op->zone.name == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	op->done = true;
	return AW_OK;
}

static enum aw_status
desec_list(struct desec *d, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	json_t *root;
	enum aw_status st;

	if (resp == NULL) {
		free(op->cursor);
		op->cursor = NULL;
		op->page = 1;
		return desec_list_request(d, op, req);
	}
	if ((root = desec_answer(resp, err)) == NULL)
		return err != NULL ? err->status : AW_ERR_PROVIDER;
	json_decref(root);
	st = aw_desec_parse_rrsets(resp->body.data, resp->body.len, op->zone.name,
	    op->name, op->type, &op->records, err);
	if (st != AW_OK)
		return st;
	free(op->cursor);
	op->cursor = resp->link != NULL ? aw_desec_next_cursor(resp->link) : NULL;
	if (op->cursor != NULL && op->cursor[0] != '\0' &&
	    ++op->page <= DESEC_MAX_PAGES)
		return desec_list_request(d, op, req);
	op->done = true;
	return AW_OK;
}

static enum aw_status
desec_change(struct desec *d, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	enum aw_status st;
	size_t i;

	if (resp == NULL) {
		char *body = aw_desec_patch_body(op->changes, op->nchanges,
		    op->zone.name, aw_desec_ops.default_ttl);

		if (body == NULL)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		aw_buf_init(&path);
		aw_buf_puts(&path, "/domains/");
		aw_http_escape(&path, op->zone.id);
		aw_buf_puts(&path, "/rrsets/");
		st = path.data != NULL ? desec_request(d, req, "PATCH",
		    aw_buf_str(&path), body) : AW_ERR_NOMEM;
		aw_buf_done(&path);
		return st;
	}
	/* One bulk PATCH is atomic: all or nothing. A 5xx is no answer: the
	 * changes stay in flight and the read-back decides. */
	for (i = 0; i < op->nchanges; i++) {
		if (op->changes[i].state == AW_CHANGE_SKIPPED || resp->status >= 500)
			continue;
		op->changes[i].state = resp->status >= 200 && resp->status <= 299 ?
		    AW_CHANGE_MADE : AW_CHANGE_FAILED;
	}
	if (resp->status < 200 || resp->status > 299)
		return aw_desec_error(resp->body.data ? resp->body.data : "",
		    resp->body.len, resp->status, err);
	op->done = true;
	return AW_OK;
}

static enum aw_status
desec_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct desec *d = state;
	json_t *root;

	switch (op->kind) {
	case AW_OP_VERIFY:
		/* The first page of the domain list (an empty cursor is always
		 * taken) answers 401 for a bad token. */
		if (resp == NULL)
			return desec_request(d, req, "GET", "/domains/?cursor=", NULL);
		if ((root = desec_answer(resp, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_AUTH;
		json_decref(root);
		op->done = true;
		return AW_OK;
	case AW_OP_FIND_ZONE:
		return desec_find_zone(d, op, resp, req, err);
	case AW_OP_LIST:
		return desec_list(d, op, resp, req, err);
	case AW_OP_CHANGE:
		return desec_change(d, op, resp, req, err);
	case AW_OP_CHANGE_STATUS:
		/* A bulk PATCH is live when it returns: no change ids. */
		return aw_error_set(err, AW_ERR_INVALID,
		    _("%s has no change states to ask about"), "deSEC");
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

const struct aw_provider_ops aw_desec_ops = {
	.name = "desec",
	.title = N_("deSEC"),
	.options = desec_options,
	.open = desec_open,
	.close = desec_close,
	.step = desec_step,
	.op_done = NULL,
	/* deSEC's usual minimum_ttl for a domain is 3600. */
	.default_ttl = 3600,
};
