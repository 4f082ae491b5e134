/* gcloud.c: Google Cloud DNS v1 (tests/specs/gcloud-dns-v1-20250102.
 * discovery.json). Credentials are a service-account key file (JSON, mode
 * 0600): a JWT signed RS256 with its key (checks/dkim-key.c, the OpenSSL
 * owner) is exchanged at the token endpoint for an access token
 * (tests/specs/gcloud-oauth2-service-account-jwt.md), fetched when an
 * operation starts and kept until shortly before it expires. The zone is
 * the public managed zone whose dnsName is the longest suffix; rrsets are
 * read by name (and type), paged by nextPageToken; each change is one
 * request on the rrset: POST (create), PATCH (replace its rrdatas and
 * ttl), DELETE. (The atomic changes.create wants its deletions to match the
 * stored rrdatas character for character, which a plan, holding values
 * normalised, cannot promise.)
 *
 * TXT: Google documents no rule beyond "as defined in RFC 1035 (section
 * 5)": rrdatas are zone-file presentation, so values are written quoted,
 * split into strings of at most 255 bytes, `"` and `\` escaped (RFC 1035
 * §3.3.14, §5.1), and read back either way. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "checks/dkim.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"

#define GC_DEFAULT_BASE "https://dns.googleapis.com/dns/v1"
#define GC_DEFAULT_TOKEN "https://oauth2.googleapis.com/token"
#define GC_AUDIENCE "https://oauth2.googleapis.com/token"
#define GC_SCOPE "https://www.googleapis.com/auth/ndev.clouddns.readwrite"
#define GC_KEY_MAX (64 * 1024)
#define GC_PAGE 100
#define GC_MAX_PAGES 200
#define GC_LIFETIME 3600
#define GC_REFRESH_EARLY 225      /* the client library's 3 min 45 s */
#define GC_DEFAULT_TTL 300

struct gcloud {
	char *base;          /* ".../dns/v1/projects/<project>" */
	char *token_url;
	char *email;         /* client_email */
	char *key_id;        /* private_key_id, or NULL */
	char *key_pem;       /* secret */
	char *access;        /* secret: the access token, or NULL */
	time_t access_until;
};

struct gc_priv {
	bool token_out;      /* the request out is the token request */
	bool started;        /* the operation's own first request was built */
};

static const struct aw_provider_option gcloud_options[] = {
	{ "gcloud-credentials-file", "GOOGLE_APPLICATION_CREDENTIALS",
	  N_("Google service-account key file (JSON, mode 0600; also lego's GCE_SERVICE_ACCOUNT_FILE)"),
	  false, true, N_("Key file") },
	{ "gcloud-project", "CLOUDSDK_CORE_PROJECT",
	  N_("Google Cloud project id (also lego's GCE_PROJECT, GOOGLE_CLOUD_PROJECT; default: the key file's project_id)"),
	  false, false, NULL },
	{ "gcloud-base-url", "GCLOUD_DNS_BASE_URL",
	  /* TRANSLATORS: the URL is GC_DEFAULT_BASE */
	  N_("Cloud DNS base URL (default https://dns.googleapis.com/dns/v1)"),
	  false, false, NULL },
	{ "gcloud-token-url", "GCLOUD_TOKEN_URL",
	  N_("OAuth2 token endpoint (default: the key file's token_uri)"),
	  false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

static void
gcloud_close(void *state)
{
	struct gcloud *g = state;

	if (g == NULL)
		return;
	aw_str_wipe(g->key_pem);
	aw_str_wipe(g->access);
	free(g->key_pem);
	free(g->access);
	free(g->base);
	free(g->token_url);
	free(g->email);
	free(g->key_id);
	free(g);
}

static bool
gcloud_url_ok(const char *url)
{
	return strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;
}

/* The key file: a regular file only its owner may read (it holds a private
 * key), at most GC_KEY_MAX bytes of JSON. */
static enum aw_status
gcloud_read_key(const char *path, json_t **out, struct aw_error *err)
{
	struct stat sb;
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("Google Cloud DNS: cannot read the key file"));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 077) != 0) {
		close(fd);
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("Google Cloud DNS: the key file must be a regular file only its owner can read (chmod 600)"));
	}
	if ((buf = malloc(GC_KEY_MAX + 1)) == NULL) {
		close(fd);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	while (len < GC_KEY_MAX && (n = read(fd, buf + len, GC_KEY_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	*out = len < GC_KEY_MAX ? json_loadb(buf, len, 0, NULL) : NULL;
	aw_mem_wipe(buf, GC_KEY_MAX + 1);
	free(buf);
	if (*out == NULL || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("Google Cloud DNS: the key file is not a service-account key (JSON)"));
	}
	return AW_OK;
}

static enum aw_status
gcloud_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	const char *file = aw_provider_config_get(cfg, "GOOGLE_APPLICATION_CREDENTIALS");
	const char *project = aw_provider_config_get(cfg, "CLOUDSDK_CORE_PROJECT");
	const char *base = aw_provider_config_get(cfg, "GCLOUD_DNS_BASE_URL");
	const char *turl = aw_provider_config_get(cfg, "GCLOUD_TOKEN_URL");
	const char *email, *pem, *kid, *uri;
	struct gcloud *g;
	struct aw_buf b;
	enum aw_status st;
	json_t *key;
	size_t len;

	if (file == NULL)
		file = aw_provider_config_get(cfg, "GCE_SERVICE_ACCOUNT_FILE");
	if (project == NULL)
		project = aw_provider_config_get(cfg, "GCE_PROJECT");
	if (project == NULL)
		project = aw_provider_config_get(cfg, "GOOGLE_CLOUD_PROJECT");
	if (file == NULL)
		return aw_error_set(err, AW_ERR_AUTH,
		    _("Google Cloud DNS: no service-account key file (set GOOGLE_APPLICATION_CREDENTIALS or --gcloud-credentials-file)"));
	if ((base != NULL && !gcloud_url_ok(base)) ||
	    (turl != NULL && !gcloud_url_ok(turl)))
		return aw_error_set(err, AW_ERR_INVALID,
		    _("Google Cloud DNS: the base and token URLs must start with https://"));
	if ((st = gcloud_read_key(file, &key, err)) != AW_OK)
		return st;
	email = json_string_value(json_object_get(key, "client_email"));
	pem = json_string_value(json_object_get(key, "private_key"));
	kid = json_string_value(json_object_get(key, "private_key_id"));
	uri = json_string_value(json_object_get(key, "token_uri"));
	if (project == NULL)
		project = json_string_value(json_object_get(key, "project_id"));
	if (email == NULL || pem == NULL) {
		json_decref(key);
		return aw_error_setw(err, AW_ERR_AUTH, file,
		    _("Google Cloud DNS: the key file has no client_email or private_key"));
	}
	if (project == NULL || project[0] == '\0' ||
	    strpbrk(project, "/?#% ") != NULL) {
		json_decref(key);
		return aw_error_set(err, AW_ERR_AUTH,
		    _("Google Cloud DNS: no project (set CLOUDSDK_CORE_PROJECT or --gcloud-project)"));
	}
	if (turl == NULL)
		turl = uri != NULL && gcloud_url_ok(uri) ? uri : GC_DEFAULT_TOKEN;
	if (base == NULL)
		base = GC_DEFAULT_BASE;
	if ((g = calloc(1, sizeof *g)) == NULL) {
		json_decref(key);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	aw_buf_init(&b);
	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		len--;
	aw_buf_append(&b, base, len);
	aw_buf_puts(&b, "/projects/");
	aw_http_escape(&b, project);
	g->base = aw_buf_steal(&b);
	g->token_url = strdup(turl);
	g->email = strdup(email);
	g->key_id = aw_strdup(kid);
	g->key_pem = strdup(pem);
	/* The key's copy inside the JSON tree: wiped before it is freed. */
	aw_str_wipe((char *)pem);
	json_decref(key);
	if (g->base == NULL || g->token_url == NULL || g->email == NULL ||
	    g->key_pem == NULL || (kid != NULL && g->key_id == NULL)) {
		gcloud_close(g);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*state = g;
	return AW_OK;
}

static void
gcloud_op_done(struct aw_provider_op *op)
{
	free(op->priv);
	op->priv = NULL;
}

/* Unpadded base64url (RFC 4648 §5) of data, appended to out. */
static enum aw_status
gcloud_b64url(struct aw_buf *out, const void *data, size_t len)
{
	char *b64 = aw_dkim_base64_encode(data, len), *p;

	if (b64 == NULL)
		return AW_ERR_NOMEM;
	for (p = b64; *p != '\0' && *p != '='; p++)
		aw_buf_putc(out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
	free(b64);
	return out->data != NULL ? AW_OK : AW_ERR_NOMEM;
}

char *
aw_gcloud_jwt(const char *email, const char *key_id, const char *key_pem,
    const char *scope, long long now, struct aw_error *err)
{
	json_t *hdr = json_pack("{s:s, s:s}", "alg", "RS256", "typ", "JWT");
	json_t *claims = json_pack("{s:s, s:s, s:s, s:I, s:I}", "iss", email,
	    "scope", scope, "aud", GC_AUDIENCE, "iat", (json_int_t)now,
	    "exp", (json_int_t)(now + GC_LIFETIME));
	char *h = NULL, *c = NULL;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	struct aw_buf b;

	aw_buf_init(&b);
	if (hdr != NULL && key_id != NULL)
		json_object_set_new(hdr, "kid", json_string(key_id));
	if (hdr != NULL && claims != NULL) {
		h = json_dumps(hdr, JSON_COMPACT | JSON_SORT_KEYS);
		c = json_dumps(claims, JSON_COMPACT | JSON_SORT_KEYS);
	}
	json_decref(hdr);
	json_decref(claims);
	if (h == NULL || c == NULL || gcloud_b64url(&b, h, strlen(h)) != AW_OK ||
	    aw_buf_putc(&b, '.') != AW_OK ||
	    gcloud_b64url(&b, c, strlen(c)) != AW_OK) {
		aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		goto fail;
	}
	if (aw_rsa_sha256_sign(key_pem, strlen(key_pem), b.data, b.len, &sig,
	    &siglen, err) != AW_OK)
		goto fail;
	if (aw_buf_putc(&b, '.') != AW_OK ||
	    gcloud_b64url(&b, sig, siglen) != AW_OK) {
		aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		goto fail;
	}
	free(h);
	free(c);
	free(sig);
	return aw_buf_steal(&b);
fail:
	free(h);
	free(c);
	free(sig);
	aw_buf_done(&b);
	return NULL;
}

static enum aw_status
gcloud_token_request(struct gcloud *g, struct aw_http_request *req,
    struct aw_error *err)
{
	char *jwt = aw_gcloud_jwt(g->email, g->key_id, g->key_pem, GC_SCOPE,
	    (long long)time(NULL), err);
	struct aw_buf body;
	enum aw_status st;

	if (jwt == NULL) {
		if (err != NULL && err->status != AW_ERR_NOMEM)
			err->status = AW_ERR_AUTH;
		return err != NULL ? err->status : AW_ERR_AUTH;
	}
	aw_buf_init(&body);
	aw_buf_puts(&body,
	    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=");
	aw_buf_puts(&body, jwt);     /* base64url and dots: nothing to escape */
	free(jwt);
	if (body.data == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	st = aw_http_request_set(req, "POST", g->token_url);
	if (st == AW_OK)
		st = aw_http_request_header(req, "Content-Type",
		    "application/x-www-form-urlencoded");
	if (st == AW_OK)
		st = aw_http_request_header(req, "Accept", "application/json");
	aw_http_request_take_body(req, aw_buf_steal(&body));
	/* Asking twice for a token does no harm. */
	req->replay_safe = true;
	return st;
}

enum aw_status
aw_gcloud_error(const char *body, size_t len, long status, struct aw_error *err)
{
	json_t *root = json_loadb(body != NULL ? body : "", len, 0, NULL);
	json_t *e = json_object_get(root, "error");
	const char *msg = json_string_value(json_object_get(e, "message"));
	const char *reason = json_string_value(json_object_get(
	    json_array_get(json_object_get(e, "errors"), 0), "reason"));
	enum aw_status st = status == 401 || status == 403 ? AW_ERR_AUTH :
	    status == 404 ? AW_ERR_NOTFOUND : AW_ERR_PROVIDER;

	if (status >= 500 && status <= 599)
		aw_error_set(err, AW_ERR_PROVIDER, _("%s: server error (HTTP %ld)"),
		    "Google Cloud DNS", status);
	else if (msg != NULL) {
		struct aw_buf b;

		aw_buf_init(&b);
		if (reason != NULL)
			aw_buf_printf(&b, "%s: %s", reason, msg);
		else
			aw_buf_puts(&b, msg);
		aw_provider_error_text(err, st, (int)status, "Google Cloud DNS",
		    b.data != NULL ? aw_buf_str(&b) : msg);
		aw_buf_done(&b);
	} else if (root == NULL)
		aw_error_set(err, st,
		    _("Google Cloud DNS sent a malformed answer (HTTP %ld)"), status);
	else
		aw_error_set(err, st, _("Google Cloud DNS answered HTTP %ld"), status);
	if (err != NULL)
		err->code = (int)status;
	json_decref(root);
	return st;
}

static enum aw_status
gcloud_fail(const struct aw_http_response *resp, struct aw_error *err)
{
	return aw_gcloud_error(resp->body.data, resp->body.len, resp->status, err);
}

/* path (after ".../projects/<project>") escaped by the caller. */
static enum aw_status
gcloud_request(struct gcloud *g, struct aw_http_request *req,
    const char *method, const char *path, char *body)
{
	return aw_host_bearer_request(req, "Bearer", g->access, method, g->base,
	    path, body);
}

static json_t *
gcloud_parse(const struct aw_http_response *resp, struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(resp->body.data != NULL ? resp->body.data : "",
	    resp->body.len, 0, &je);

	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("Google Cloud DNS sent a malformed answer: %s"), je.text);
		return NULL;
	}
	return root;
}

static enum aw_status
gcloud_value_in(enum aw_record_type type, const char *content, char **out,
    struct aw_error *err)
{
	size_t len = strlen(content);

	if (type == AW_RECORD_TXT)
		return aw_record_txt_unquote(content, 0, out, err);
	if (type == AW_RECORD_CNAME || type == AW_RECORD_PTR ||
	    type == AW_RECORD_NS)
		*out = aw_domain_normalize(content);
	else if ((*out = strdup(content)) != NULL && type == AW_RECORD_MX &&
	    len > 1 && content[len - 1] == '.')
		(*out)[len - 1] = '\0';
	return *out != NULL ? AW_OK : aw_error_set(err, AW_ERR_NOMEM,
	    _("out of memory"));
}

enum aw_status
aw_gcloud_parse_rrsets(const char *body, size_t len, const char *name,
    enum aw_record_type type, struct aw_record_set *out, char **next,
    struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *rs, *v;
	enum aw_status st = AW_OK;
	const char *tok;
	size_t i, j;

	*next = NULL;
	if (root == NULL)
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("Google Cloud DNS sent a malformed answer: %s"), je.text);
	json_array_foreach(json_object_get(root, "rrsets"), i, rs) {
		const char *rname = json_string_value(json_object_get(rs, "name"));
		const char *rtype = json_string_value(json_object_get(rs, "type"));
		json_int_t ttl = json_integer_value(json_object_get(rs, "ttl"));
		struct aw_record r;

		if (rname == NULL || rtype == NULL || !aw_domain_equal(rname, name) ||
		    (type != AW_RECORD_ANY && aw_record_type_parse(rtype) != type))
			continue;
		if ((st = aw_record_init_word(&r, rname, rtype,
		    ttl > 0 && ttl < 0x7fffffff ? (unsigned)ttl : 0)) != AW_OK)
			break;
		json_array_foreach(json_object_get(rs, "rrdatas"), j, v) {
			char *val = NULL;

			if (!json_is_string(v))
				continue;
			if ((st = gcloud_value_in(r.type, json_string_value(v), &val,
			    err)) != AW_OK)
				break;
			st = aw_record_add(&r, val);
			free(val);
			if (st != AW_OK)
				break;
		}
		if (st == AW_OK && r.values.n > 0)
			st = aw_record_set_take(out, &r);
		aw_record_done(&r);
		if (st != AW_OK)
			break;
	}
	tok = json_string_value(json_object_get(root, "nextPageToken"));
	if (st == AW_OK && tok != NULL && tok[0] != '\0' &&
	    (*next = strdup(tok)) == NULL)
		st = AW_ERR_NOMEM;
	json_decref(root);
	if (st != AW_OK && (err == NULL || err->status == AW_OK))
		aw_error_set(err, st, _("out of memory"));
	return st;
}

char *
aw_gcloud_rrset_body(const struct aw_record *r, unsigned ttl)
{
	json_t *o = json_object(), *datas = json_array();
	char *text;
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
		json_array_append_new(datas, json_string(aw_buf_str(&b)));
		aw_buf_done(&b);
	}
	json_object_set_new(o, "kind", json_string("dns#resourceRecordSet"));
	json_object_set_new(o, "name", json_sprintf("%s.", r->name));
	json_object_set_new(o, "type", json_string(r->type_name));
	json_object_set_new(o, "ttl", json_integer(ttl != 0 ? ttl : GC_DEFAULT_TTL));
	json_object_set_new(o, "rrdatas", datas);
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

static enum aw_status
gcloud_zone_path(struct aw_buf *path, const struct aw_zone *zone)
{
	aw_buf_puts(path, "/managedZones/");
	return aw_http_escape(path, zone->id);
}

static enum aw_status
gcloud_get(struct gcloud *g, struct aw_http_request *req, struct aw_buf *path,
    const char *page_token)
{
	enum aw_status st;

	if (page_token != NULL) {
		aw_buf_puts(path, "&pageToken=");
		aw_http_escape(path, page_token);
	}
	st = path->data != NULL ? gcloud_request(g, req, "GET", aw_buf_str(path),
	    NULL) : AW_ERR_NOMEM;
	aw_buf_done(path);
	return st;
}

/* FIND_ZONE: for each suffix (longest first), the managed zones of that
 * dnsName, paged; a private zone of the same name is passed over. */
static enum aw_status
gcloud_find_zone(struct gcloud *g, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;

	if (resp == NULL) {
		aw_strv_done(&op->pending);
		if (aw_provider_suffixes(op->name, &op->pending) != AW_OK)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		op->index = 0;
		op->page = 0;
	} else {
		json_t *root, *z;
		const char *next;
		size_t i;

		if (resp->status != 200)
			return gcloud_fail(resp, err);
		if ((root = gcloud_parse(resp, err)) == NULL)
			return AW_ERR_PROVIDER;
		json_array_foreach(json_object_get(root, "managedZones"), i, z) {
			const char *zname = json_string_value(json_object_get(z, "name"));
			const char *dns = json_string_value(json_object_get(z, "dnsName"));
			const char *vis = json_string_value(json_object_get(z, "visibility"));

			if (zname == NULL || dns == NULL ||
			    !aw_domain_equal(dns, op->pending.v[op->index]) ||
			    (vis != NULL && strcmp(vis, "public") != 0))
				continue;
			op->zone.id = strdup(zname);
			op->zone.name = aw_domain_normalize(dns);
			json_decref(root);
			if (op->zone.id == NULL || op->zone.name == NULL)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			op->done = true;
			return AW_OK;
		}
		next = json_string_value(json_object_get(root, "nextPageToken"));
		free(op->cursor);
		op->cursor = NULL;
		if (next != NULL && next[0] != '\0' && ++op->page < GC_MAX_PAGES) {
			if ((op->cursor = strdup(next)) == NULL) {
				json_decref(root);
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			}
		} else {
			op->index++;
			op->page = 0;
		}
		json_decref(root);
	}
	if (op->index >= op->pending.n)
		return aw_error_setw(err, AW_ERR_NOTFOUND, op->name,
		    _("no public Cloud DNS zone of this project holds the name"));
	aw_buf_init(&path);
	aw_buf_puts(&path, "/managedZones?dnsName=");
	aw_http_escape(&path, op->pending.v[op->index]);
	aw_buf_printf(&path, ".&maxResults=%d", GC_PAGE);
	return gcloud_get(g, req, &path, op->cursor);
}

static enum aw_status
gcloud_list(struct gcloud *g, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	enum aw_status st;
	char *next = NULL;

	if (resp != NULL) {
		if (resp->status != 200)
			return gcloud_fail(resp, err);
		st = aw_gcloud_parse_rrsets(resp->body.data != NULL ?
		    resp->body.data : "", resp->body.len, op->name, op->type,
		    &op->records, &next, err);
		if (st != AW_OK)
			return st;
		free(op->cursor);
		op->cursor = next;
		if (next == NULL || ++op->page >= GC_MAX_PAGES) {
			op->done = true;
			return AW_OK;
		}
	}
	aw_buf_init(&path);
	gcloud_zone_path(&path, &op->zone);
	aw_buf_puts(&path, "/rrsets?name=");
	aw_http_escape(&path, op->name);
	aw_buf_printf(&path, ".&maxResults=%d", GC_PAGE);
	if (op->type != AW_RECORD_ANY)
		aw_buf_printf(&path, "&type=%s", aw_record_type_name(op->type));
	return gcloud_get(g, req, &path, op->cursor);
}

/* CHANGE: one request per change (op->index). */
static enum aw_status
gcloud_change(struct gcloud *g, struct aw_provider_op *op,
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
			/* A 5xx is no answer: the read-back decides. */
			if (resp->status < 500)
				c->state = AW_CHANGE_FAILED;
			return gcloud_fail(resp, err);
		}
		c->state = AW_CHANGE_MADE;
		op->index++;
	}
	if ((c = aw_provider_next_change(op)) == NULL)
		return AW_OK;
	aw_buf_init(&path);
	gcloud_zone_path(&path, &op->zone);
	aw_buf_puts(&path, "/rrsets");
	if (c->new.values.n > 0 && c->old.values.n == 0)
		method = "POST";
	else {
		method = c->new.values.n > 0 ? "PATCH" : "DELETE";
		aw_buf_putc(&path, '/');
		aw_http_escape(&path, c->new.name);
		aw_buf_puts(&path, "./");
		aw_http_escape(&path, c->new.type_name);
	}
	if (c->new.values.n > 0 && (body = aw_gcloud_rrset_body(&c->new,
	    c->new.ttl != 0 ? c->new.ttl : c->old.ttl)) == NULL) {
		aw_buf_done(&path);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	st = path.data != NULL ? gcloud_request(g, req, method, aw_buf_str(&path),
	    body) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	return st;
}

static enum aw_status
gcloud_inner(struct gcloud *g, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	switch (op->kind) {
	case AW_OP_VERIFY:
		/* The token was granted; the project must answer too. */
		if (resp == NULL)
			return gcloud_request(g, req, "GET", "/managedZones?maxResults=1",
			    NULL);
		if (resp->status != 200)
			return gcloud_fail(resp, err);
		op->done = true;
		return AW_OK;
	case AW_OP_FIND_ZONE:
		return gcloud_find_zone(g, op, resp, req, err);
	case AW_OP_LIST:
		return gcloud_list(g, op, resp, req, err);
	case AW_OP_CHANGE:
		return gcloud_change(g, op, resp, req, err);
	case AW_OP_CHANGE_STATUS:
		return aw_error_set(err, AW_ERR_INVALID,
		    _("Google Cloud DNS has no change states to ask about here"));
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

/* Every operation starts with a valid access token: asked for first when
 * there is none or it is about to expire. */
static enum aw_status
gcloud_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	static const struct aw_oauth_life life = {
		"Google OAuth2", GC_LIFETIME, GC_LIFETIME, GC_REFRESH_EARLY
	};
	struct gcloud *g = state;
	struct gc_priv *pv = op->priv;
	enum aw_status st;
	bool ask;

	if (op->kind == AW_OP_CHANGE_STATUS)
		return gcloud_inner(g, op, resp, req, err);
	if (pv == NULL && (pv = op->priv = calloc(1, sizeof *pv)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if ((st = aw_provider_oauth_step(&life, &g->access, &g->access_until,
	    &pv->token_out, pv->started, &resp, &ask, err)) != AW_OK)
		return st;
	if (ask)
		return gcloud_token_request(g, req, err);
	pv->started = true;
	return gcloud_inner(g, op, resp, req, err);
}

const struct aw_provider_ops aw_gcloud_ops = {
	.name = "gcloud",
	.title = N_("Google Cloud DNS"),
	.options = gcloud_options,
	.open = gcloud_open,
	.close = gcloud_close,
	.step = gcloud_step,
	.op_done = gcloud_op_done,
	.default_ttl = GC_DEFAULT_TTL,
	.per_change_requests = true,
};
