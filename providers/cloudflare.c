/* cloudflare.c: Cloudflare API v4: bearer token (verified first), zone by
 * name trying suffixes, paged record lists, records created, replaced and
 * deleted one by one (Cloudflare has no rrsets: each value is a record). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"

#define CF_DEFAULT_BASE "https://api.cloudflare.com/client/v4"
#define CF_PER_PAGE 100
#define CF_MAX_PAGES 100
#define CF_TOKEN_MAX 512

struct cloudflare {
	char *base;
	char *token;     /* secret */
};

/* One record as listed (for a change: what to replace or delete). */
struct cf_rec {
	char *id;
	char *value;     /* neutral form */
	unsigned ttl;
};

enum cf_verb { CF_POST, CF_PUT, CF_DELETE };

struct cf_action {
	enum cf_verb verb;
	char *id;        /* PUT, DELETE */
	char *value;     /* POST, PUT */
};

struct cf_priv {
	struct cf_rec *recs;
	size_t nrecs;
	struct cf_action *acts;
	size_t nacts;
	size_t next;     /* next action to send */
};

static const struct aw_provider_option cloudflare_options[] = {
	{ "cloudflare-token", "CLOUDFLARE_API_TOKEN", N_("Cloudflare API token"), true, true,
	  N_("API token") },
	{ "cloudflare-token-file", "CLOUDFLARE_API_TOKEN_FILE",
	  N_("a file (mode 0600) holding the Cloudflare API token"), false, false, NULL },
	{ "cloudflare-base-url", "CLOUDFLARE_BASE_URL",
	  /* TRANSLATORS: the URL is CF_DEFAULT_BASE */
	  N_("Cloudflare API base URL (default https://api.cloudflare.com/client/v4)"), false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

/* The token file must be private: a token is a password. */
static enum aw_status
cloudflare_read_token(const char *path, char **out, struct aw_error *err)
{
	struct stat sb;
	char buf[CF_TOKEN_MAX + 2];
	ssize_t n;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("Cloudflare: cannot read the token file"));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 077) != 0) {
		close(fd);
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("Cloudflare: the token file must be a regular file only its owner can read (chmod 600)"));
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0 || n > CF_TOKEN_MAX)
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("Cloudflare: the token file is empty or too long"));
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	*out = strdup(buf);
	aw_mem_wipe(buf, sizeof buf);
	if (*out == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if ((*out)[0] == '\0') {
		free(*out);
		*out = NULL;
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("Cloudflare: the token file is empty or too long"));
	}
	return AW_OK;
}

static enum aw_status
cloudflare_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	const char *token = aw_provider_config_get(cfg, "CLOUDFLARE_API_TOKEN");
	const char *file = aw_provider_config_get(cfg, "CLOUDFLARE_API_TOKEN_FILE");
	const char *base = aw_provider_config_get(cfg, "CLOUDFLARE_BASE_URL");
	struct cloudflare *cf;
	size_t len;
	enum aw_status st;

	if (base == NULL)
		base = CF_DEFAULT_BASE;
	if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
		return aw_error_setw(err, AW_ERR_INVALID, base,
		    _("Cloudflare: the base URL must start with https://"));
	/* lego's names (after ours and our file option). */
	if (token == NULL && file == NULL &&
	    (token = aw_provider_config_get(cfg, "CLOUDFLARE_DNS_API_TOKEN")) == NULL)
		token = aw_provider_config_get(cfg, "CF_DNS_API_TOKEN");
	if ((cf = calloc(1, sizeof *cf)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if (token != NULL)
		cf->token = strdup(token);
	else if (file != NULL) {
		if ((st = cloudflare_read_token(file, &cf->token, err)) != AW_OK) {
			free(cf);
			return st;
		}
	} else {
		free(cf);
		return aw_error_set(err, AW_ERR_AUTH,
		    _("Cloudflare: no API token (set CLOUDFLARE_API_TOKEN, or --cloudflare-token-file FILE)"));
	}
	if (strpbrk(cf->token, "\r\n \t") != NULL) {
		aw_str_wipe(cf->token);
		free(cf->token);
		free(cf);
		return aw_error_set(err, AW_ERR_AUTH,
		    _("Cloudflare: the API token holds spaces or line breaks"));
	}
	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		len--;
	if ((cf->base = malloc(len + 1)) != NULL) {
		memcpy(cf->base, base, len);
		cf->base[len] = '\0';
	}
	if (cf->base == NULL || cf->token == NULL) {
		free(cf->base);
		free(cf->token);
		free(cf);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*state = cf;
	return AW_OK;
}

static void
cloudflare_close(void *state)
{
	struct cloudflare *cf = state;

	if (cf == NULL)
		return;
	aw_str_wipe(cf->token);
	free(cf->token);
	free(cf->base);
	free(cf);
}

static void
cf_priv_free(struct cf_priv *pv)
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
cloudflare_op_done(struct aw_provider_op *op)
{
	cf_priv_free(op->priv);
	op->priv = NULL;
}

static enum aw_status
cloudflare_request(struct cloudflare *cf, struct aw_http_request *req,
    const char *method, const char *path, char *body)
{
	struct aw_buf url, auth;
	enum aw_status st;

	aw_buf_init(&url);
	aw_buf_init(&auth);
	aw_buf_printf(&url, "%s%s", cf->base, path);
	aw_buf_printf(&auth, "Bearer %s", cf->token);
	st = url.data != NULL && auth.data != NULL ? AW_OK : AW_ERR_NOMEM;
	if (st == AW_OK)
		st = aw_http_request_set(req, method, aw_buf_str(&url));
	if (st == AW_OK)
		st = aw_http_request_header(req, "Authorization", aw_buf_str(&auth));
	if (st == AW_OK && body != NULL) {
		aw_http_request_take_body(req, body);
		body = NULL;
		st = aw_http_request_header(req, "Content-Type", "application/json");
	}
	free(body);
	aw_buf_done(&url);
	aw_str_wipe(auth.data);
	aw_buf_done(&auth);
	return st;
}

enum aw_status
aw_cloudflare_error(const char *body, size_t len, long status,
    struct aw_error *err)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	json_t *e0 = json_array_get(json_object_get(root, "errors"), 0);
	const char *msg = json_string_value(json_object_get(e0, "message"));
	int code = (int)json_integer_value(json_object_get(e0, "code"));
	enum aw_status st = AW_ERR_PROVIDER;

	/* 10000 authentication error, 9109/6003/6111 bad or unusable token. */
	if (status == 401 || status == 403 || code == 10000 || code == 9109 ||
	    code == 6003 || code == 6111 || code == 6103)
		st = AW_ERR_AUTH;
	if (status >= 500 && status <= 599) {
		/* Whatever the body (an HTML page of a proxy): the server's. */
		aw_error_set(err, AW_ERR_PROVIDER, _("%s: server error (HTTP %ld)"),
		    "Cloudflare", status);
		msg = NULL;
	} else if (msg != NULL)
		aw_provider_error_text(err, st, code, "Cloudflare", msg);
	else if (root == NULL)
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("Cloudflare sent a malformed answer (HTTP %ld)"), status);
	else
		aw_error_set(err, st, _("Cloudflare answered HTTP %ld"), status);
	if (err != NULL && msg == NULL)
		err->code = (int)status;
	json_decref(root);
	return st;
}

/* The envelope of a successful answer, or NULL with err filled. */
static json_t *
cloudflare_envelope(const struct aw_http_response *resp, struct aw_error *err)
{
	const char *body = resp->body.data != NULL ? resp->body.data : "";
	json_error_t je;
	json_t *root;

	if (resp->status < 200 || resp->status > 299) {
		aw_cloudflare_error(body, resp->body.len, resp->status, err);
		return NULL;
	}
	if ((root = json_loadb(body, resp->body.len, 0, &je)) == NULL ||
	    !json_is_object(root)) {
		json_decref(root);
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("Cloudflare sent a malformed answer: %s"), je.text);
		return NULL;
	}
	/* Only an entry in errors is an error; messages may carry code 10000
	 * on success (tokens/verify). */
	if (!json_is_true(json_object_get(root, "success")) ||
	    json_array_size(json_object_get(root, "errors")) > 0) {
		aw_cloudflare_error(body, resp->body.len, resp->status, err);
		json_decref(root);
		return NULL;
	}
	return root;
}

static enum aw_status
cf_value_in(const char *type, const char *content, char **out,
    struct aw_error *err)
{
	enum aw_record_type t = aw_record_type_parse(type);

	/* TXT as stored: quoted for new records, bare for old ones. */
	if (t == AW_RECORD_TXT)
		return aw_record_txt_unquote(content, 0, out, err);
	if (t == AW_RECORD_CNAME || t == AW_RECORD_PTR || t == AW_RECORD_NS)
		*out = aw_domain_normalize(content);
	else
		*out = strdup(content);
	return *out != NULL ? AW_OK : aw_error_set(err, AW_ERR_NOMEM,
	    _("out of memory"));
}

char *
aw_cloudflare_record_body(const char *type_name, enum aw_record_type type,
    const char *name, const char *value, unsigned ttl)
{
	json_t *o = json_object();
	struct aw_buf content;
	char *text;

	aw_buf_init(&content);
	if (type == AW_RECORD_TXT)
		aw_record_txt_quote(&content, value, 0);
	else
		aw_buf_puts(&content, value);
	json_object_set_new(o, "type", json_string(type_name));
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "content", json_string(aw_buf_str(&content)));
	json_object_set_new(o, "ttl", json_integer(ttl == 0 ? 1 : ttl));
	if (type == AW_RECORD_A || type == AW_RECORD_AAAA ||
	    type == AW_RECORD_CNAME)
		json_object_set_new(o, "proxied", json_false());
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	aw_buf_done(&content);
	return text;
}

enum aw_status
aw_cloudflare_parse_records(const char *body, size_t len, const char *name,
    enum aw_record_type type, struct aw_record_set *out, void *recs_priv,
    bool *more, struct aw_error *err)
{
	struct cf_priv *pv = recs_priv;
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *result, *rec, *info;
	enum aw_status st = AW_OK;
	size_t i;

	*more = false;
	if (root == NULL)
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("Cloudflare sent a malformed answer: %s"), je.text);
	result = json_object_get(root, "result");
	if (!json_is_array(result)) {
		json_decref(root);
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("Cloudflare sent a record list without result"));
	}
	json_array_foreach(result, i, rec) {
		const char *rname = json_string_value(json_object_get(rec, "name"));
		const char *rtype = json_string_value(json_object_get(rec, "type"));
		const char *content = json_string_value(json_object_get(rec, "content"));
		const char *id = json_string_value(json_object_get(rec, "id"));
		unsigned ttl = (unsigned)json_integer_value(json_object_get(rec, "ttl"));
		struct aw_record *r;
		char *v = NULL;

		if (rname == NULL || rtype == NULL || content == NULL || id == NULL)
			continue;
		/* The filter is exact, but do not trust it blindly. */
		if (!aw_domain_equal(rname, name) || (type != AW_RECORD_ANY &&
		    aw_record_type_parse(rtype) != type))
			continue;
		if ((st = cf_value_in(rtype, content, &v, err)) != AW_OK)
			break;
		r = aw_record_set_find_mut(out, rname, aw_record_type_parse(rtype));
		if (r == NULL || (r->type == AW_RECORD_OTHER &&
		    aw_strcasecmp(r->type_name, rtype) != 0)) {
			if ((r = aw_record_set_push(out)) == NULL ||
			    aw_record_init_word(r, rname, rtype, ttl) != AW_OK) {
				if (r != NULL)
					out->n--;
				free(v);
				st = AW_ERR_NOMEM;
				break;
			}
		}
		st = aw_record_add(r, v);
		if (st == AW_OK && pv != NULL) {
			struct cf_rec *grown = realloc(pv->recs,
			    (pv->nrecs + 1) * sizeof *grown);

			if (grown == NULL)
				st = AW_ERR_NOMEM;
			else {
				pv->recs = grown;
				pv->recs[pv->nrecs].id = strdup(id);
				pv->recs[pv->nrecs].value = v;
				pv->recs[pv->nrecs].ttl = ttl;
				pv->nrecs++;
				v = NULL;
			}
		}
		free(v);
		if (st != AW_OK)
			break;
	}
	info = json_object_get(root, "result_info");
	if (st == AW_OK && json_is_object(info)) {
		json_int_t page = json_integer_value(json_object_get(info, "page"));
		json_int_t pages = json_integer_value(json_object_get(info, "total_pages"));

		*more = page > 0 && page < pages && page < CF_MAX_PAGES;
	}
	json_decref(root);
	if (st != AW_OK && (err == NULL || err->status == AW_OK))
		aw_error_set(err, st, _("out of memory"));
	return st;
}

static enum aw_status
cloudflare_list_request(struct cloudflare *cf, const struct aw_zone *zone,
    const char *name, enum aw_record_type type, unsigned page,
    struct aw_http_request *req)
{
	struct aw_buf path;
	enum aw_status st;

	aw_buf_init(&path);
	aw_buf_puts(&path, "/zones/");
	aw_http_escape(&path, zone->id);
	aw_buf_puts(&path, "/dns_records?name=");
	aw_http_escape(&path, name);
	aw_buf_printf(&path, "&page=%u&per_page=%d", page, CF_PER_PAGE);
	if (type != AW_RECORD_ANY)
		aw_buf_printf(&path, "&type=%s", aw_record_type_name(type));
	st = path.data != NULL ? cloudflare_request(cf, req, "GET",
	    aw_buf_str(&path), NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	return st;
}

static enum aw_status
cloudflare_find_zone(struct cloudflare *cf, struct aw_provider_op *op,
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
		json_t *root = cloudflare_envelope(resp, err), *z;
		size_t i;

		if (root == NULL)
			return err != NULL ? err->status : AW_ERR_PROVIDER;
		json_array_foreach(json_object_get(root, "result"), i, z) {
			const char *id = json_string_value(json_object_get(z, "id"));
			const char *zname = json_string_value(json_object_get(z, "name"));

			if (id == NULL || zname == NULL ||
			    !aw_domain_equal(zname, op->pending.v[op->index]))
				continue;
			op->zone.id = strdup(id);
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
		    _("no zone in this Cloudflare account holds the name (or the token may not read it)"));
	aw_buf_init(&path);
	aw_buf_puts(&path, "/zones?name=");
	aw_http_escape(&path, op->pending.v[op->index]);
	st = path.data != NULL ? cloudflare_request(cf, req, "GET",
	    aw_buf_str(&path), NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	return st;
}

static enum aw_status
cf_push_action(struct cf_priv *pv, enum cf_verb verb, const char *id,
    const char *value)
{
	struct cf_action *grown = realloc(pv->acts, (pv->nacts + 1) * sizeof *grown);

	if (grown == NULL)
		return AW_ERR_NOMEM;
	pv->acts = grown;
	grown[pv->nacts].verb = verb;
	grown[pv->nacts].id = aw_strdup(id);
	grown[pv->nacts].value = aw_strdup(value);
	pv->nacts++;
	return AW_OK;
}

/* What to send for change c given the records listed in pv: values
 * removed are paired with values added as PUTs (an update in place),
 * the rest POSTed or DELETEd. */
static enum aw_status
cf_plan_actions(struct cf_priv *pv, const struct aw_change *c)
{
	struct aw_strv removed_ids, added;
	enum aw_status st = AW_OK;
	size_t i, k;

	aw_strv_init(&removed_ids);
	aw_strv_init(&added);
	for (i = 0; i < pv->nrecs && st == AW_OK; i++) {
		/* A value that stays is not touched, not even its TTL: it may
		 * be someone else's (google-site-verification). */
		if (aw_record_find(&c->new, pv->recs[i].value) < 0)
			st = aw_strv_push(&removed_ids, pv->recs[i].id);
	}
	for (i = 0; i < c->new.values.n && st == AW_OK; i++) {
		bool there = false;

		for (k = 0; k < pv->nrecs; k++) {
			struct aw_record probe;

			/* Same comparison as the record sets use. */
			probe = c->new;
			probe.values.v = &pv->recs[k].value;
			probe.values.n = 1;
			if (aw_record_find(&probe, c->new.values.v[i]) >= 0)
				there = true;
		}
		if (!there)
			st = aw_strv_push(&added, c->new.values.v[i]);
	}
	for (i = 0; i < added.n && st == AW_OK; i++)
		st = cf_push_action(pv, i < removed_ids.n ? CF_PUT : CF_POST,
		    i < removed_ids.n ? removed_ids.v[i] : NULL, added.v[i]);
	for (i = added.n; i < removed_ids.n && st == AW_OK; i++)
		st = cf_push_action(pv, CF_DELETE, removed_ids.v[i], NULL);
	aw_strv_done(&removed_ids);
	aw_strv_done(&added);
	return st;
}

static enum aw_status
cf_action_request(struct cloudflare *cf, const struct aw_provider_op *op,
    const struct aw_change *c, const struct cf_action *a,
    struct aw_http_request *req)
{
	struct aw_buf path;
	enum aw_status st;
	char *body = NULL;

	aw_buf_init(&path);
	aw_buf_puts(&path, "/zones/");
	aw_http_escape(&path, op->zone.id);
	aw_buf_puts(&path, "/dns_records");
	if (a->verb != CF_POST) {
		aw_buf_putc(&path, '/');
		aw_http_escape(&path, a->id);
	}
	if (a->verb != CF_DELETE &&
	    (body = aw_cloudflare_record_body(c->new.type_name, c->new.type,
	    c->new.name, a->value, c->new.ttl)) == NULL) {
		aw_buf_done(&path);
		return AW_ERR_NOMEM;
	}
	st = path.data != NULL ? cloudflare_request(cf, req,
	    a->verb == CF_POST ? "POST" : a->verb == CF_PUT ? "PUT" : "DELETE",
	    aw_buf_str(&path), body) : AW_ERR_NOMEM;
	/* A POST that went through before a 5xx comes back as 81058
	 * (identical record exists), which the change treats as done. */
	req->replay_safe = true;
	aw_buf_done(&path);
	return st;
}

/* CHANGE: for each change, list its records (paged), work out the
 * actions, send them one by one. stage 0 listing, 1 sending. */
static enum aw_status
cloudflare_change(struct cloudflare *cf, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct cf_priv *pv = op->priv;
	struct aw_change *c;
	enum aw_status st;
	bool more = false;

	if (resp != NULL && op->index < op->nchanges) {
		c = &op->changes[op->index];
		if (op->stage == 0) {
			json_t *root = cloudflare_envelope(resp, err);

			if (root == NULL) {
				c->state = AW_CHANGE_FAILED;
				return err != NULL ? err->status : AW_ERR_PROVIDER;
			}
			json_decref(root);
			st = aw_cloudflare_parse_records(resp->body.data,
			    resp->body.len, c->new.name, c->new.type,
			    &op->records, pv, &more, err);
			if (st != AW_OK) {
				c->state = AW_CHANGE_FAILED;
				return st;
			}
			if (more)
				return cloudflare_list_request(cf, &op->zone,
				    c->new.name, c->new.type, ++op->page, req);
			if (cf_plan_actions(pv, c) != AW_OK)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			op->stage = 1;
		} else {
			json_t *root = cloudflare_envelope(resp, err);

			if (root == NULL) {
				/* 81058: an identical record exists already (a
				 * retried POST that had gone through). */
				if (err != NULL && err->code == 81058)
					aw_error_clear(err);
				else if (resp->status < 400 || resp->status >= 500) {
					/* No clear answer: the request may have
					 * been done; the read-back decides. */
					c->state = AW_CHANGE_UNKNOWN;
					return err != NULL ? err->status : AW_ERR_PROVIDER;
				} else {
					c->state = pv->next > 1 ? AW_CHANGE_PARTIAL :
					    AW_CHANGE_FAILED;
					return err != NULL ? err->status : AW_ERR_PROVIDER;
				}
			}
			json_decref(root);
		}
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
			cf_priv_free(pv);
			if ((pv = op->priv = calloc(1, sizeof *pv)) == NULL)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			aw_record_set_done(&op->records);
			op->page = 1;
			return cloudflare_list_request(cf, &op->zone, c->new.name,
			    c->new.type, op->page, req);
		}
		if (pv->next < pv->nacts) {
			st = cf_action_request(cf, op, c, &pv->acts[pv->next], req);
			pv->next++;
			return st;
		}
		c->state = AW_CHANGE_MADE;
		op->index++;
		op->stage = 0;
	}
}

static enum aw_status
cloudflare_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct cloudflare *cf = state;
	json_t *root;
	bool more = false;
	enum aw_status st;

	switch (op->kind) {
	case AW_OP_VERIFY:
		if (resp == NULL)
			return cloudflare_request(cf, req, "GET", "/user/tokens/verify",
			    NULL);
		if ((root = cloudflare_envelope(resp, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_AUTH;
		{
			const char *status = json_string_value(json_object_get(
			    json_object_get(root, "result"), "status"));

			st = AW_OK;
			if (status == NULL || strcmp(status, "active") != 0)
				st = aw_error_set(err, AW_ERR_AUTH,
				    _("Cloudflare: the API token is not active"));
		}
		json_decref(root);
		if (st == AW_OK)
			op->done = true;
		return st;
	case AW_OP_FIND_ZONE:
		return cloudflare_find_zone(cf, op, resp, req, err);
	case AW_OP_LIST:
		if (resp == NULL) {
			op->page = 1;
			return cloudflare_list_request(cf, &op->zone, op->name,
			    op->type, op->page, req);
		}
		if ((root = cloudflare_envelope(resp, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_PROVIDER;
		json_decref(root);
		st = aw_cloudflare_parse_records(resp->body.data, resp->body.len,
		    op->name, op->type, &op->records, NULL, &more, err);
		if (st != AW_OK)
			return st;
		if (more)
			return cloudflare_list_request(cf, &op->zone, op->name,
			    op->type, ++op->page, req);
		op->done = true;
		return AW_OK;
	case AW_OP_CHANGE:
		return cloudflare_change(cf, op, resp, req, err);
	case AW_OP_CHANGE_STATUS:
		/* Cloudflare applies each request at once: no change ids. */
		return aw_error_set(err, AW_ERR_INVALID,
		    _("Cloudflare has no change states to ask about"));
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

const struct aw_provider_ops aw_cloudflare_ops = {
	.name = "cloudflare",
	.title = N_("Cloudflare"),
	.options = cloudflare_options,
	.open = cloudflare_open,
	.close = cloudflare_close,
	.step = cloudflare_step,
	.op_done = cloudflare_op_done,
	.default_ttl = 1,
	.per_change_requests = true,
};
