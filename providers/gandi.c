/* gandi.c: Gandi LiveDNS (API v5, tests/specs/gandi-livedns-v5.contract.md):
 * a personal access token as Bearer, the zone found in the paged list of
 * LiveDNS domains (longest suffix), one rrset read by name and type, and
 * each change one request: POST (create), PUT (replace the whole set) or
 * DELETE.
 *
 * TXT: Gandi documents no quoting or splitting rule (its own examples show
 * values quoted and unquoted) but says rrset_values are in zone-file
 * presentation form and that values are printable ASCII. So values are
 * written the way a zone file holds them: quoted, split into strings of at
 * most 255 bytes (RFC 1035 §3.3.14), `"` and `\` escaped; read back either
 * way (unquoted text as it is); a value outside printable ASCII is refused
 * here rather than have Gandi guess. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"

#define GANDI_DEFAULT_BASE "https://api.gandi.net/v5/livedns"
#define GANDI_PER_PAGE 100
#define GANDI_MAX_PAGES 200
#define GANDI_TTL_MIN 300
#define GANDI_TTL_MAX 2592000
#define GANDI_VALUE_MAX 16384

struct gandi {
	char *base;
	char *token;     /* secret */
};

static const struct aw_provider_option gandi_options[] = {
	{ "gandi-token", "GANDI_PAT",
	  N_("Gandi personal access token (also GANDI_PERSONAL_ACCESS_TOKEN, lego's GANDIV5_PERSONAL_ACCESS_TOKEN)"),
	  true, true, N_("Personal access token") },
	{ "gandi-base-url", "GANDI_BASE_URL",
	  /* TRANSLATORS: the URL is GANDI_DEFAULT_BASE */
	  N_("Gandi LiveDNS base URL (default https://api.gandi.net/v5/livedns)"),
	  false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

/* "https://host/path/" -> "https://host/path" (owned), or NULL. */
static char *
gandi_trim_url(const char *url)
{
	size_t len = strlen(url);
	char *out;

	while (len > 0 && url[len - 1] == '/')
		len--;
	if ((out = malloc(len + 1)) != NULL) {
		memcpy(out, url, len);
		out[len] = '\0';
	}
	return out;
}

static enum aw_status
gandi_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	const char *token = aw_provider_config_get(cfg, "GANDI_PAT");
	const char *base = aw_provider_config_get(cfg, "GANDI_BASE_URL");
	struct gandi *g;

	/* The Terraform/Pulumi provider's name, then lego's. */
	if (token == NULL)
		token = aw_provider_config_get(cfg, "GANDI_PERSONAL_ACCESS_TOKEN");
	if (token == NULL)
		token = aw_provider_config_get(cfg, "GANDIV5_PERSONAL_ACCESS_TOKEN");
	if (token == NULL)
		return aw_error_set(err, AW_ERR_AUTH,
		    _("Gandi: no personal access token (set GANDI_PAT, or --gandi-token-file FILE)"));
	if (strpbrk(token, "\r\n \t") != NULL)
		return aw_error_set(err, AW_ERR_AUTH,
		    _("Gandi: the personal access token holds spaces or line breaks"));
	if (base == NULL)
		base = GANDI_DEFAULT_BASE;
	if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
		return aw_error_setw(err, AW_ERR_INVALID, base,
		    _("Gandi: the base URL must start with https://"));
	if ((g = calloc(1, sizeof *g)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	g->base = gandi_trim_url(base);
	g->token = strdup(token);
	if (g->base == NULL || g->token == NULL) {
		free(g->base);
		free(g->token);
		free(g);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*state = g;
	return AW_OK;
}

static void
gandi_close(void *state)
{
	struct gandi *g = state;

	if (g == NULL)
		return;
	aw_str_wipe(g->token);
	free(g->token);
	free(g->base);
	free(g);
}

/* path is appended to the base; body (owned, may be NULL) is JSON. */
static enum aw_status
gandi_request(struct gandi *g, struct aw_http_request *req,
    const char *method, const char *path, char *body)
{
	return aw_host_bearer_request(req, "Bearer", g->token, method, g->base,
	    path, body);
}

enum aw_status
aw_gandi_error(const char *body, size_t len, long status, struct aw_error *err)
{
	json_t *root = json_loadb(body != NULL ? body : "", len, 0, NULL);
	const char *msg = json_string_value(json_object_get(root, "message"));
	const char *cause = json_string_value(json_object_get(root, "cause"));
	int code = (int)json_integer_value(json_object_get(root, "code"));
	enum aw_status st = status == 401 || status == 403 ? AW_ERR_AUTH :
	    status == 404 ? AW_ERR_NOTFOUND : AW_ERR_PROVIDER;

	if (code == 0)
		code = (int)status;
	if (status >= 500 && status <= 599)
		aw_error_set(err, AW_ERR_PROVIDER, _("%s: server error (HTTP %ld)"),
		    "Gandi", status);
	else if (msg != NULL || cause != NULL) {
		struct aw_buf b;

		/* "Unauthorized: The server could not verify ..." */
		aw_buf_init(&b);
		if (cause != NULL && msg != NULL && strcmp(cause, msg) != 0)
			aw_buf_printf(&b, "%s: %s", cause, msg);
		else
			aw_buf_puts(&b, msg != NULL ? msg : cause);
		aw_provider_error_text(err, st, code, "Gandi",
		    b.data != NULL ? aw_buf_str(&b) : "");
		aw_buf_done(&b);
	} else if (root == NULL)
		aw_error_set(err, st, _("Gandi sent a malformed answer (HTTP %ld)"),
		    status);
	else
		aw_error_set(err, st, _("Gandi answered HTTP %ld"), status);
	if (err != NULL)
		err->code = code;
	json_decref(root);
	return st;
}

static enum aw_status
gandi_fail(const struct aw_http_response *resp, struct aw_error *err)
{
	return aw_gandi_error(resp->body.data, resp->body.len, resp->status, err);
}

static json_t *
gandi_parse(const struct aw_http_response *resp, struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(resp->body.data != NULL ? resp->body.data : "",
	    resp->body.len, 0, &je);

	if (root == NULL)
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("Gandi sent a malformed answer: %s"), je.text);
	return root;
}

/* name relative to zone: "@" for the apex; appended to path escaped. */
static enum aw_status
gandi_rrset_path(struct aw_buf *path, const struct aw_zone *zone,
    const char *name, const char *type)
{
	size_t nl = strlen(name), zl = strlen(zone->name);
	char *rel;

	aw_buf_puts(path, "/domains/");
	aw_http_escape(path, zone->id);
	aw_buf_puts(path, "/records/");
	if (aw_domain_equal(name, zone->name))
		aw_http_escape(path, "@");
	else if (nl > zl + 1 && aw_domain_is_under(name, zone->name)) {
		if ((rel = strndup(name, nl - zl - 1)) == NULL)
			return AW_ERR_NOMEM;
		aw_http_escape(path, rel);
		free(rel);
	} else
		return AW_ERR_INVALID;
	if (type != NULL) {
		aw_buf_putc(path, '/');
		aw_http_escape(path, type);
	}
	return path->data != NULL ? AW_OK : AW_ERR_NOMEM;
}

static enum aw_status
gandi_value_in(enum aw_record_type type, const char *content, char **out,
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

/* One rrset object into out (skipped when name/type do not fit). */
static enum aw_status
gandi_take_rrset(json_t *rs, const char *name, enum aw_record_type type,
    struct aw_record_set *out, struct aw_error *err)
{
	const char *rtype = json_string_value(json_object_get(rs, "rrset_type"));
	json_t *values = json_object_get(rs, "rrset_values"), *v;
	json_int_t ttl = json_integer_value(json_object_get(rs, "rrset_ttl"));
	struct aw_record r;
	enum aw_status st;
	size_t i;

	if (rtype == NULL || !json_is_array(values) ||
	    (type != AW_RECORD_ANY && aw_record_type_parse(rtype) != type))
		return AW_OK;
	if ((st = aw_record_init_word(&r, name, rtype,
	    ttl > 0 && ttl <= GANDI_TTL_MAX ? (unsigned)ttl : 0)) != AW_OK)
		return aw_error_set(err, st, _("out of memory"));
	json_array_foreach(values, i, v) {
		char *val = NULL;

		if (!json_is_string(v))
			continue;
		if ((st = gandi_value_in(r.type, json_string_value(v), &val,
		    err)) != AW_OK)
			break;
		st = aw_record_add(&r, val);
		free(val);
		if (st != AW_OK) {
			aw_error_set(err, st, _("out of memory"));
			break;
		}
	}
	if (st == AW_OK && r.values.n > 0 &&
	    (st = aw_record_set_take(out, &r)) != AW_OK)
		aw_error_set(err, st, _("out of memory"));
	aw_record_done(&r);
	return st;
}

enum aw_status
aw_gandi_parse_rrsets(const char *body, size_t len, const char *name,
    enum aw_record_type type, struct aw_record_set *out, struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *rs;
	enum aw_status st = AW_OK;
	size_t i;

	if (root == NULL)
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("Gandi sent a malformed answer: %s"), je.text);
	if (json_is_object(root))
		st = gandi_take_rrset(root, name, type, out, err);
	else if (json_is_array(root)) {
		json_array_foreach(root, i, rs)
			if ((st = gandi_take_rrset(rs, name, type, out, err)) != AW_OK)
				break;
	} else
		st = aw_error_set(err, AW_ERR_PROVIDER,
		    _("Gandi sent a record list of the wrong shape"));
	json_decref(root);
	return st;
}

char *
aw_gandi_rrset_body(const struct aw_record *r, unsigned ttl)
{
	json_t *o = json_object(), *values = json_array();
	char *text = NULL;
	size_t i;

	for (i = 0; i < r->values.n; i++) {
		const unsigned char *p = (const unsigned char *)r->values.v[i];
		struct aw_buf b;

		for (; *p != '\0'; p++)
			if (*p < 0x20 || *p > 0x7e)
				goto out;
		aw_buf_init(&b);
		if (r->type == AW_RECORD_TXT)
			aw_record_txt_quote(&b, r->values.v[i], 0);
		else if (r->type == AW_RECORD_CNAME || r->type == AW_RECORD_PTR ||
		    r->type == AW_RECORD_NS || r->type == AW_RECORD_MX)
			aw_buf_printf(&b, "%s.", r->values.v[i]);
		else
			aw_buf_puts(&b, r->values.v[i]);
		if (b.data == NULL || b.len > GANDI_VALUE_MAX) {
			aw_buf_done(&b);
			goto out;
		}
		json_array_append_new(values, json_string(aw_buf_str(&b)));
		aw_buf_done(&b);
	}
	json_object_set(o, "rrset_values", values);
	if (ttl != 0)
		json_object_set_new(o, "rrset_ttl", json_integer(
		    ttl < GANDI_TTL_MIN ? GANDI_TTL_MIN :
		    ttl > GANDI_TTL_MAX ? GANDI_TTL_MAX : ttl));
	text = json_dumps(o, JSON_COMPACT);
out:
	json_decref(values);
	json_decref(o);
	return text;
}

/* FIND_ZONE: the paged list of LiveDNS domains; the longest fqdn that is
 * the name or a parent of it (op->cursor). Pages until an empty one (the
 * server may cap per_page, so a short page is not the last). */
static enum aw_status
gandi_find_zone(struct gandi *g, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	enum aw_status st;

	if (resp == NULL)
		op->page = 1;
	else {
		json_t *root, *d;
		size_t i;

		if (resp->status != 200)
			return gandi_fail(resp, err);
		if ((root = gandi_parse(resp, err)) == NULL)
			return AW_ERR_PROVIDER;
		if (!json_is_array(root)) {
			json_decref(root);
			return aw_error_set(err, AW_ERR_PROVIDER,
			    _("Gandi sent a domain list of the wrong shape"));
		}
		json_array_foreach(root, i, d) {
			const char *fqdn = json_string_value(json_object_get(d, "fqdn"));

			if (fqdn == NULL || !(aw_domain_equal(op->name, fqdn) ||
			    aw_domain_is_under(op->name, fqdn)))
				continue;
			if (op->cursor == NULL || strlen(fqdn) > strlen(op->cursor)) {
				free(op->cursor);
				if ((op->cursor = aw_domain_normalize(fqdn)) == NULL) {
					json_decref(root);
					return aw_error_set(err, AW_ERR_NOMEM,
					    _("out of memory"));
				}
			}
		}
		if (json_array_size(root) == 0 || op->page >= GANDI_MAX_PAGES ||
		    (op->cursor != NULL && aw_domain_equal(op->cursor, op->name))) {
			json_decref(root);
			if (op->cursor == NULL)
				return aw_error_setw(err, AW_ERR_NOTFOUND, op->name,
				    _("no LiveDNS domain of this Gandi account holds the name (or the token may not read it)"));
			op->zone.id = strdup(op->cursor);
			op->zone.name = strdup(op->cursor);
			if (op->zone.id == NULL || op->zone.name == NULL)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			op->done = true;
			return AW_OK;
		}
		json_decref(root);
		op->page++;
	}
	aw_buf_init(&path);
	aw_buf_printf(&path, "/domains?page=%u&per_page=%d", op->page,
	    GANDI_PER_PAGE);
	st = path.data != NULL ? gandi_request(g, req, "GET", aw_buf_str(&path),
	    NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	return st;
}

static enum aw_status
gandi_list(struct gandi *g, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	enum aw_status st;

	if (resp == NULL) {
		aw_buf_init(&path);
		st = gandi_rrset_path(&path, &op->zone, op->name,
		    op->type == AW_RECORD_ANY ? NULL : aw_record_type_name(op->type));
		if (st == AW_OK)
			st = gandi_request(g, req, "GET", aw_buf_str(&path), NULL);
		aw_buf_done(&path);
		if (st == AW_ERR_INVALID)
			return aw_error_setw(err, st, op->name,
			    _("the name is not in the zone %s"), op->zone.name);
		return st;
	}
	/* One rrset asked for by name and type: none there is a 404. */
	if (resp->status == 404 && op->type != AW_RECORD_ANY) {
		op->done = true;
		return AW_OK;
	}
	if (resp->status != 200)
		return gandi_fail(resp, err);
	st = aw_gandi_parse_rrsets(resp->body.data != NULL ? resp->body.data : "",
	    resp->body.len, op->name, op->type, &op->records, err);
	if (st == AW_OK)
		op->done = true;
	return st;
}

/* CHANGE: one request per change (op->index). */
static enum aw_status
gandi_change(struct gandi *g, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_change *c;
	struct aw_buf path;
	const char *method;
	char *body = NULL;
	enum aw_status st;

	if (resp != NULL && op->index < op->nchanges) {
		c = &op->changes[op->index];
		if (resp->status < 200 || resp->status > 299) {
			/* A 5xx is no answer: the change stays in flight
			 * (unknown) and the read-back decides. */
			if (resp->status < 500)
				c->state = AW_CHANGE_FAILED;
			return gandi_fail(resp, err);
		}
		c->state = AW_CHANGE_MADE;
		op->index++;
	}
	if ((c = aw_provider_next_change(op)) == NULL)
		return AW_OK;
	if (c->new.values.n == 0)
		method = "DELETE";
	else {
		method = c->old.values.n == 0 ? "POST" : "PUT";
		body = aw_gandi_rrset_body(&c->new, c->new.ttl != 0 ? c->new.ttl :
		    c->old.ttl);
		if (body == NULL) {
			c->state = AW_CHANGE_FAILED;
			return aw_error_setw(err, AW_ERR_INVALID, c->new.name,
			    _("Gandi takes record values of printable ASCII only, at most %d characters"),
			    GANDI_VALUE_MAX);
		}
	}
	aw_buf_init(&path);
	st = gandi_rrset_path(&path, &op->zone, c->new.name, c->new.type_name);
	if (st == AW_OK)
		st = gandi_request(g, req, method, aw_buf_str(&path), body);
	else
		free(body);
	aw_buf_done(&path);
	if (st == AW_ERR_INVALID) {
		c->state = AW_CHANGE_FAILED;
		return aw_error_setw(err, st, c->new.name,
		    _("the name is not in the zone %s"), op->zone.name);
	}
	return st;
}

static enum aw_status
gandi_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct gandi *g = state;

	switch (op->kind) {
	case AW_OP_VERIFY:
		/* LiveDNS has no token check: the smallest list will do. */
		if (resp == NULL)
			return gandi_request(g, req, "GET", "/domains?per_page=1", NULL);
		if (resp->status != 200)
			return gandi_fail(resp, err);
		op->done = true;
		return AW_OK;
	case AW_OP_FIND_ZONE:
		return gandi_find_zone(g, op, resp, req, err);
	case AW_OP_LIST:
		return gandi_list(g, op, resp, req, err);
	case AW_OP_CHANGE:
		return gandi_change(g, op, resp, req, err);
	case AW_OP_CHANGE_STATUS:
		/* A write is live when it returns: no change ids. */
		return aw_error_set(err, AW_ERR_INVALID,
		    _("Gandi has no change states to ask about"));
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

const struct aw_provider_ops aw_gandi_ops = {
	.name = "gandi",
	.title = N_("Gandi"),
	.long_title = N_("Gandi LiveDNS"),
	.options = gandi_options,
	.open = gandi_open,
	.close = gandi_close,
	.step = gandi_step,
	.op_done = NULL,
	.default_ttl = 10800,
	.per_change_requests = true,
};
