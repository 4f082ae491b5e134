/* azure.c: Azure DNS through Azure Resource Manager, api-version 2018-05-01
 * (tests/specs/azure-dns-2018-05-01.openapi.json). A service principal's
 * client credentials are exchanged at Microsoft Entra ID for an access
 * token (tests/specs/azure-entra-client-credentials.md), fetched when an
 * operation starts and kept until shortly before it expires. The zone is
 * the longest suffix among the subscription's (or the resource group's)
 * zones, listed page by page through nextLink; its ARM id names its
 * resource group. Each change reads its record set first (values and
 * ETag): if someone changed it since the plan, nothing is sent; otherwise
 * it is written with If-Match: <etag> (If-None-Match: * for a new one), so
 * an edit made between that read and the write is refused by Azure (412)
 * and reported, and nothing of either edit is lost.
 *
 * TXT: Azure wants each record's character-strings as a list ("specify
 * each TXT string separately"), each at most 255 characters: a value is
 * sent as its 255-byte pieces and read back joined. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"

#define AZ_DEFAULT_BASE "https://management.azure.com"
#define AZ_DEFAULT_AUTHORITY "https://login.microsoftonline.com"
#define AZ_API "api-version=2018-05-01"
#define AZ_SCOPE "https%3A%2F%2Fmanagement.azure.com%2F.default"
#define AZ_TOP 100
#define AZ_MAX_PAGES 200
#define AZ_LIFETIME 3600
#define AZ_REFRESH_EARLY 300
#define AZ_DEFAULT_TTL 3600
#define AZ_TXT_PIECE 255

struct azure {
	char *base;
	char *token_url;
	char *client_id;
	char *secret;        /* secret */
	char *sub;
	char *rg;            /* or NULL: the whole subscription */
	char *access;        /* secret */
	time_t access_until;
};

struct az_priv {
	bool token_out;
	bool started;
	bool writing;        /* CHANGE: the request out is the write */
	char *etag;          /* CHANGE: of the set as read */
	char *best_id, *best_name;   /* FIND_ZONE */
};

static const struct aw_provider_option azure_options[] = {
	{ "azure-tenant-id", "AZURE_TENANT_ID", N_("Microsoft Entra tenant (directory) id"),
	  false, true, N_("Tenant ID") },
	{ "azure-client-id", "AZURE_CLIENT_ID", N_("application (client) id of the service principal"),
	  false, true, N_("Client ID") },
	{ "azure-client-secret", "AZURE_CLIENT_SECRET", N_("client secret of the service principal"),
	  true, true, N_("Client secret") },
	{ "azure-subscription-id", "AZURE_SUBSCRIPTION_ID", N_("Azure subscription id"),
	  false, true, N_("Subscription ID") },
	{ "azure-resource-group", "AZURE_RESOURCE_GROUP",
	  N_("resource group of the DNS zone (default: found from the subscription's zones)"),
	  false, false, NULL },
	{ "azure-base-url", "AZURE_BASE_URL",
	  /* TRANSLATORS: the URL is AZ_DEFAULT_BASE */
	  N_("Azure Resource Manager URL (default https://management.azure.com)"),
	  false, false, NULL },
	{ "azure-authority-host", "AZURE_AUTHORITY_HOST",
	  /* TRANSLATORS: the URL is AZ_DEFAULT_AUTHORITY */
	  N_("Microsoft Entra authority (default https://login.microsoftonline.com)"),
	  false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

static void
azure_close(void *state)
{
	struct azure *az = state;

	if (az == NULL)
		return;
	aw_str_wipe(az->secret);
	aw_str_wipe(az->access);
	free(az->secret);
	free(az->access);
	free(az->base);
	free(az->token_url);
	free(az->client_id);
	free(az->sub);
	free(az->rg);
	free(az);
}

/* An id or name that goes into a URL path as it is. */
static bool
azure_word_ok(const char *s)
{
	return s != NULL && s[0] != '\0' && strlen(s) <= 128 &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_.()") == strlen(s) && strcmp(s, ".") != 0 &&
	    strcmp(s, "..") != 0;
}

static char *
azure_trim(const char *url)
{
	size_t len = strlen(url);

	while (len > 0 && url[len - 1] == '/')
		len--;
	return strndup(url, len);
}

static enum aw_status
azure_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	const char *tenant = aw_provider_config_get(cfg, "AZURE_TENANT_ID");
	const char *client = aw_provider_config_get(cfg, "AZURE_CLIENT_ID");
	const char *secret = aw_provider_config_get(cfg, "AZURE_CLIENT_SECRET");
	const char *sub = aw_provider_config_get(cfg, "AZURE_SUBSCRIPTION_ID");
	const char *rg = aw_provider_config_get(cfg, "AZURE_RESOURCE_GROUP");
	const char *base = aw_provider_config_get(cfg, "AZURE_BASE_URL");
	const char *auth = aw_provider_config_get(cfg, "AZURE_AUTHORITY_HOST");
	struct azure *az;
	struct aw_buf b;
	char *a;

	if (tenant == NULL || client == NULL || secret == NULL || sub == NULL)
		return aw_error_set(err, AW_ERR_AUTH,
		    _("Azure DNS: set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_SUBSCRIPTION_ID (a service principal's client credentials)"));
	if (!azure_word_ok(tenant) || !azure_word_ok(sub) ||
	    (rg != NULL && !azure_word_ok(rg)) || strpbrk(client, " \r\n") != NULL)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("Azure DNS: the tenant, subscription or resource group holds characters no Azure id has"));
	if (strpbrk(secret, "\r\n") != NULL)
		return aw_error_set(err, AW_ERR_AUTH,
		    _("Azure DNS: the client secret holds line breaks"));
	if (base == NULL)
		base = AZ_DEFAULT_BASE;
	if (auth == NULL)
		auth = AZ_DEFAULT_AUTHORITY;
	if ((strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0) ||
	    (strncmp(auth, "http://", 7) != 0 && strncmp(auth, "https://", 8) != 0))
		return aw_error_set(err, AW_ERR_INVALID,
		    _("Azure DNS: the Resource Manager and authority URLs must start with https://"));
	if ((az = calloc(1, sizeof *az)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	aw_buf_init(&b);
	if ((a = azure_trim(auth)) != NULL)
		aw_buf_printf(&b, "%s/%s/oauth2/v2.0/token", a, tenant);
	free(a);
	az->token_url = aw_buf_steal(&b);
	az->base = azure_trim(base);
	az->client_id = strdup(client);
	az->secret = strdup(secret);
	az->sub = strdup(sub);
	az->rg = aw_strdup(rg);
	if (az->token_url == NULL || az->base == NULL || az->client_id == NULL ||
	    az->secret == NULL || az->sub == NULL || (rg != NULL && az->rg == NULL)) {
		azure_close(az);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*state = az;
	return AW_OK;
}

static void
azure_op_done(struct aw_provider_op *op)
{
	struct az_priv *pv = op->priv;

	if (pv != NULL) {
		free(pv->etag);
		free(pv->best_id);
		free(pv->best_name);
		free(pv);
	}
	op->priv = NULL;
}

static enum aw_status
azure_token_request(struct azure *az, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf body;
	enum aw_status st;

	aw_buf_init(&body);
	aw_buf_puts(&body, "client_id=");
	aw_http_escape(&body, az->client_id);
	aw_buf_puts(&body, "&scope=" AZ_SCOPE "&client_secret=");
	aw_http_escape(&body, az->secret);
	aw_buf_puts(&body, "&grant_type=client_credentials");
	if (body.data == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	st = aw_http_request_set(req, "POST", az->token_url);
	if (st == AW_OK)
		st = aw_http_request_header(req, "Content-Type",
		    "application/x-www-form-urlencoded");
	if (st == AW_OK)
		st = aw_http_request_header(req, "Accept", "application/json");
	aw_http_request_take_body(req, aw_buf_steal(&body));
	req->replay_safe = true;
	return st;
}

enum aw_status
aw_azure_error(const char *body, size_t len, long status, struct aw_error *err)
{
	json_t *root = json_loadb(body != NULL ? body : "", len, 0, NULL);
	json_t *e = json_object_get(root, "error");
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	enum aw_status st = status == 401 || status == 403 ? AW_ERR_AUTH :
	    status == 404 ? AW_ERR_NOTFOUND : status == 409 || status == 412 ?
	    AW_ERR_CONFLICT : AW_ERR_PROVIDER;

	if (status >= 500 && status <= 599)
		aw_error_set(err, AW_ERR_PROVIDER, _("%s: server error (HTTP %ld)"),
		    "Azure DNS", status);
	else if (msg != NULL)
		aw_provider_error_code_text(err, st, (int)status, "Azure DNS",
		    code, NULL, msg);
	else if (root == NULL)
		aw_error_set(err, st, _("Azure DNS sent a malformed answer (HTTP %ld)"),
		    status);
	else
		aw_error_set(err, st, _("Azure DNS answered HTTP %ld"), status);
	if (err != NULL)
		err->code = (int)status;
	json_decref(root);
	return st;
}

static enum aw_status
azure_fail(const struct aw_http_response *resp, struct aw_error *err)
{
	return aw_azure_error(resp->body.data, resp->body.len, resp->status, err);
}

/* url: a path after the base ("/subscriptions/..."), or a full URL that
 * must lie under the base (a nextLink: the token goes nowhere else). */
static enum aw_status
azure_request(struct azure *az, struct aw_http_request *req,
    const char *method, const char *url, char *body, struct aw_error *err)
{
	struct aw_buf u, auth;
	size_t bl = strlen(az->base);
	enum aw_status st;

	aw_buf_init(&u);
	aw_buf_init(&auth);
	if (url[0] == '/')
		aw_buf_printf(&u, "%s%s", az->base, url);
	else if (strncmp(url, az->base, bl) == 0 && url[bl] == '/')
		aw_buf_puts(&u, url);
	else {
		free(body);
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("Azure DNS sent a next page link to another host"));
	}
	aw_buf_printf(&auth, "Bearer %s", az->access);
	st = u.data != NULL && auth.data != NULL ? AW_OK : AW_ERR_NOMEM;
	if (st == AW_OK)
		st = aw_http_request_set(req, method, aw_buf_str(&u));
	if (st == AW_OK)
		st = aw_http_request_header(req, "Authorization", aw_buf_str(&auth));
	if (st == AW_OK)
		st = aw_http_request_header(req, "Accept", "application/json");
	if (st == AW_OK && body != NULL) {
		aw_http_request_take_body(req, body);
		body = NULL;
		st = aw_http_request_header(req, "Content-Type", "application/json");
	}
	free(body);
	aw_buf_done(&u);
	aw_str_wipe(auth.data);
	aw_buf_done(&auth);
	if (st != AW_OK)
		aw_error_set(err, st, _("out of memory"));
	return st;
}

static json_t *
azure_parse(const struct aw_http_response *resp, struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(resp->body.data != NULL ? resp->body.data : "",
	    resp->body.len, 0, &je);

	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("Azure DNS sent a malformed answer: %s"), je.text);
		return NULL;
	}
	return root;
}

/* The record arrays of a RecordSet's properties, per type. */
static const char *
azure_array_key(enum aw_record_type t)
{
	switch (t) {
	case AW_RECORD_A:
		return "ARecords";
	case AW_RECORD_AAAA:
		return "AAAARecords";
	case AW_RECORD_MX:
		return "MXRecords";
	case AW_RECORD_NS:
		return "NSRecords";
	case AW_RECORD_PTR:
		return "PTRRecords";
	case AW_RECORD_TXT:
		return "TXTRecords";
	default:
		return NULL;
	}
}

/* One RecordSet into out when its fqdn is name (type: the wanted one or
 * ANY). *etag (may be NULL) gets its ETag. */
static enum aw_status
azure_take_set(json_t *rs, const char *name, enum aw_record_type type,
    struct aw_record_set *out, char **etag)
{
	const char *t = json_string_value(json_object_get(rs, "type"));
	json_t *props = json_object_get(rs, "properties"), *a, *it;
	const char *fqdn = json_string_value(json_object_get(props, "fqdn"));
	const char *word = t != NULL && strrchr(t, '/') != NULL ? strrchr(t, '/') + 1 : t;
	json_int_t ttl = json_integer_value(json_object_get(props, "TTL"));
	enum aw_record_type rt;
	struct aw_record r;
	enum aw_status st = AW_OK;
	size_t i, j;

	if (word == NULL || fqdn == NULL || !aw_domain_equal(fqdn, name))
		return AW_OK;
	rt = aw_record_type_parse(word);
	if (type != AW_RECORD_ANY && rt != type)
		return AW_OK;
	if (aw_record_init_word(&r, name, word, ttl > 0 && ttl < 0x7fffffff ?
	    (unsigned)ttl : 0) != AW_OK)
		return AW_ERR_NOMEM;
	if (rt == AW_RECORD_CNAME) {
		const char *c = json_string_value(json_object_get(
		    json_object_get(props, "CNAMERecord"), "cname"));

		if (c != NULL)
			st = aw_record_add(&r, c);
	}
	a = azure_array_key(rt) != NULL ? json_object_get(props, azure_array_key(rt)) : NULL;
	json_array_foreach(a, i, it) {
		struct aw_buf v;
		json_t *s;

		if (st != AW_OK)
			break;
		aw_buf_init(&v);
		if (rt == AW_RECORD_TXT)
			json_array_foreach(json_object_get(it, "value"), j, s)
				aw_buf_puts(&v, json_is_string(s) ? json_string_value(s) : "");
		else if (rt == AW_RECORD_MX)
			aw_buf_printf(&v, "%d %s",
			    (int)json_integer_value(json_object_get(it, "preference")),
			    json_string_value(json_object_get(it, "exchange")) != NULL ?
			    json_string_value(json_object_get(it, "exchange")) : "");
		else {
			const char *k = rt == AW_RECORD_A ? "ipv4Address" :
			    rt == AW_RECORD_AAAA ? "ipv6Address" :
			    rt == AW_RECORD_NS ? "nsdname" : "ptrdname";
			const char *s1 = json_string_value(json_object_get(it, k));

			aw_buf_puts(&v, s1 != NULL ? s1 : "");
		}
		st = v.data != NULL ? aw_record_add(&r, aw_buf_str(&v)) : AW_ERR_NOMEM;
		aw_buf_done(&v);
	}
	if (st == AW_OK && r.values.n > 0)
		st = aw_record_set_take(out, &r);
	aw_record_done(&r);
	if (st == AW_OK && etag != NULL) {
		free(*etag);
		*etag = aw_strdup(json_string_value(json_object_get(rs, "etag")));
	}
	return st;
}

enum aw_status
aw_azure_parse_sets(const char *body, size_t len, const char *name,
    enum aw_record_type type, struct aw_record_set *out, char **etag,
    char **next, struct aw_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *rs;
	enum aw_status st = AW_OK;
	const char *nl;
	size_t i;

	if (next != NULL)
		*next = NULL;
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("Azure DNS sent a malformed answer: %s"), je.text);
	}
	if (json_is_array(json_object_get(root, "value"))) {
		json_array_foreach(json_object_get(root, "value"), i, rs)
			if ((st = azure_take_set(rs, name, type, out, etag)) != AW_OK)
				break;
	} else
		st = azure_take_set(root, name, type, out, etag);
	nl = json_string_value(json_object_get(root, "nextLink"));
	if (st == AW_OK && next != NULL && nl != NULL && nl[0] != '\0' &&
	    (*next = strdup(nl)) == NULL)
		st = AW_ERR_NOMEM;
	json_decref(root);
	if (st != AW_OK)
		aw_error_set(err, st, _("out of memory"));
	return st;
}

char *
aw_azure_set_body(const struct aw_record *r, unsigned ttl)
{
	const char *key = azure_array_key(r->type);
	json_t *o = json_object(), *props = json_object(), *arr = json_array();
	char *text = NULL;
	size_t i;

	json_object_set_new(o, "properties", props);
	json_object_set_new(props, "TTL", json_integer(ttl != 0 ? ttl : AZ_DEFAULT_TTL));
	if (r->type == AW_RECORD_CNAME && r->values.n == 1)
		json_object_set_new(props, "CNAMERecord",
		    json_pack("{s:s}", "cname", r->values.v[0]));
	else if (key == NULL)
		goto out;
	for (i = 0; key != NULL && i < r->values.n; i++) {
		const char *v = r->values.v[i];
		json_t *it = NULL;

		if (r->type == AW_RECORD_TXT) {
			json_t *pieces = json_array();
			size_t off = 0, n = strlen(v);

			do {
				size_t k = n - off > AZ_TXT_PIECE ? AZ_TXT_PIECE : n - off;

				json_array_append_new(pieces, json_stringn(v + off, k));
				off += k;
			} while (off < n);
			it = json_pack("{s:o}", "value", pieces);
		} else if (r->type == AW_RECORD_MX) {
			const char *sp = strchr(v, ' ');

			if (sp == NULL)
				goto out;
			it = json_pack("{s:i, s:s}", "preference", atoi(v), "exchange",
			    sp + 1);
		} else
			it = json_pack("{s:s}", r->type == AW_RECORD_A ? "ipv4Address" :
			    r->type == AW_RECORD_AAAA ? "ipv6Address" :
			    r->type == AW_RECORD_NS ? "nsdname" : "ptrdname", v);
		json_array_append_new(arr, it);
	}
	if (key != NULL)
		json_object_set(props, key, arr);
	text = json_dumps(o, JSON_COMPACT);
out:
	json_decref(arr);
	json_decref(o);
	return text;
}

/* ".../dnsZones/<zone>/<TYPE>/<relative name>" (owned), or NULL. */
static char *
azure_set_path(const struct aw_zone *zone, const char *name, const char *type)
{
	size_t nl = strlen(name), zl = strlen(zone->name);
	struct aw_buf b;

	aw_buf_init(&b);
	aw_buf_printf(&b, "%s/%s/", zone->id, type);
	if (aw_domain_equal(name, zone->name))
		aw_buf_putc(&b, '@');
	else if (nl > zl + 1 && aw_domain_is_under(name, zone->name))
		aw_buf_append(&b, name, nl - zl - 1);
	else {
		aw_buf_done(&b);
		return NULL;
	}
	aw_buf_puts(&b, "?" AZ_API);
	return aw_buf_steal(&b);
}

/* FIND_ZONE: the zones of the resource group (or subscription), paged by
 * nextLink; the longest name that is a suffix of the wanted one. */
static enum aw_status
azure_find_zone(struct azure *az, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct az_priv *pv = op->priv;
	struct aw_buf path;
	enum aw_status st;
	char *next = NULL;

	if (resp != NULL) {
		json_t *root, *z;
		const char *nl;
		size_t i;

		if (resp->status != 200)
			return azure_fail(resp, err);
		if ((root = azure_parse(resp, err)) == NULL)
			return AW_ERR_PROVIDER;
		json_array_foreach(json_object_get(root, "value"), i, z) {
			const char *id = json_string_value(json_object_get(z, "id"));
			const char *zn = json_string_value(json_object_get(z, "name"));

			if (id == NULL || zn == NULL || strncmp(id, "/subscriptions/", 15) != 0 ||
			    strpbrk(id, "?#% ") != NULL || strstr(id, "/..") != NULL ||
			    !aw_domain_is_under(op->name, zn))
				continue;
			if (pv->best_name == NULL || strlen(zn) > strlen(pv->best_name)) {
				free(pv->best_id);
				free(pv->best_name);
				pv->best_id = strdup(id);
				pv->best_name = aw_domain_normalize(zn);
			}
		}
		nl = json_string_value(json_object_get(root, "nextLink"));
		if (nl != NULL && nl[0] != '\0' && ++op->page < AZ_MAX_PAGES &&
		    !(pv->best_name != NULL && aw_domain_equal(pv->best_name, op->name)))
			next = strdup(nl);
		json_decref(root);
		if (next == NULL) {
			if (pv->best_name == NULL)
				return aw_error_setw(err, AW_ERR_NOTFOUND, op->name,
				    _("no Azure DNS zone of this subscription holds the name (or the service principal may not read it)"));
			op->zone.id = aw_strdup(pv->best_id);
			op->zone.name = aw_strdup(pv->best_name);
			if (op->zone.id == NULL || op->zone.name == NULL)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			op->done = true;
			return AW_OK;
		}
		st = azure_request(az, req, "GET", next, NULL, err);
		free(next);
		return st;
	}
	aw_buf_init(&path);
	aw_buf_printf(&path, "/subscriptions/%s", az->sub);
	if (az->rg != NULL)
		aw_buf_printf(&path, "/resourceGroups/%s/providers/Microsoft.Network/dnsZones",
		    az->rg);
	else
		aw_buf_puts(&path, "/providers/Microsoft.Network/dnszones");
	aw_buf_printf(&path, "?" AZ_API "&$top=%d", AZ_TOP);
	st = path.data != NULL ? azure_request(az, req, "GET", aw_buf_str(&path),
	    NULL, err) : aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	aw_buf_done(&path);
	return st;
}

static enum aw_status
azure_list(struct azure *az, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	enum aw_status st;
	char *next = NULL, *p;

	if (resp == NULL) {
		if (op->type != AW_RECORD_ANY) {
			if ((p = azure_set_path(&op->zone, op->name,
			    aw_record_type_name(op->type))) == NULL)
				return aw_error_setw(err, AW_ERR_INVALID, op->name,
				    _("the name is not in the zone %s"), op->zone.name);
			st = azure_request(az, req, "GET", p, NULL, err);
			free(p);
			return st;
		}
		aw_buf_init(&path);
		aw_buf_printf(&path, "%s/recordsets?" AZ_API "&$top=%d", op->zone.id, AZ_TOP);
		st = path.data != NULL ? azure_request(az, req, "GET",
		    aw_buf_str(&path), NULL, err) : AW_ERR_NOMEM;
		aw_buf_done(&path);
		return st;
	}
	if (resp->status == 404 && op->type != AW_RECORD_ANY) {
		op->done = true;
		return AW_OK;
	}
	if (resp->status != 200)
		return azure_fail(resp, err);
	if ((st = aw_azure_parse_sets(resp->body.data != NULL ? resp->body.data : "",
	    resp->body.len, op->name, op->type, &op->records, NULL,
	    op->type == AW_RECORD_ANY ? &next : NULL, err)) != AW_OK)
		return st;
	if (next == NULL || ++op->page >= AZ_MAX_PAGES) {
		free(next);
		op->done = true;
		return AW_OK;
	}
	st = azure_request(az, req, "GET", next, NULL, err);
	free(next);
	return st;
}

/* CHANGE, for the change at op->index: its set as read now (values,
 * ETag) must be what the plan saw; then the write, conditional on that
 * ETag. */
static enum aw_status
azure_write(struct azure *az, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct az_priv *pv = op->priv;
	struct aw_change *c = &op->changes[op->index];
	struct aw_record_set cur;
	const struct aw_record *now;
	char *path, *body = NULL;
	enum aw_status st;

	aw_record_set_init(&cur);
	free(pv->etag);
	pv->etag = NULL;
	if (resp->status == 200)
		st = aw_azure_parse_sets(resp->body.data != NULL ? resp->body.data : "",
		    resp->body.len, c->new.name, c->new.type, &cur, &pv->etag, NULL, err);
	else if (resp->status == 404)
		st = AW_OK;
	else {
		if (resp->status < 500)
			c->state = AW_CHANGE_FAILED;
		return azure_fail(resp, err);
	}
	if (st != AW_OK) {
		aw_record_set_done(&cur);
		return st;
	}
	now = aw_record_set_find(&cur, c->new.name, c->new.type);
	if (!(now == NULL ? c->old.values.n == 0 :
	    aw_record_same_values(now, &c->old))) {
		aw_record_set_done(&cur);
		c->state = AW_CHANGE_FAILED;
		return aw_error_setw(err, AW_ERR_CONFLICT, c->new.name,
		    _("%s %s changed since the plan was made; nothing was changed: make a new plan"),
		    c->new.name, c->new.type_name);
	}
	aw_record_set_done(&cur);
	if (c->new.values.n == 0 && resp->status == 404) {
		/* Gone already: nothing to send. */
		c->state = AW_CHANGE_MADE;
		op->index++;
		return AW_OK;
	}
	if ((path = azure_set_path(&op->zone, c->new.name, c->new.type_name)) == NULL) {
		c->state = AW_CHANGE_FAILED;
		return aw_error_setw(err, AW_ERR_INVALID, c->new.name,
		    _("the name is not in the zone %s"), op->zone.name);
	}
	if (c->new.values.n > 0 && (body = aw_azure_set_body(&c->new,
	    c->new.ttl != 0 ? c->new.ttl : c->old.ttl)) == NULL) {
		free(path);
		c->state = AW_CHANGE_FAILED;
		return aw_error_setw(err, AW_ERR_INVALID, c->new.name,
		    _("Azure DNS: %s records are not edited here"), c->new.type_name);
	}
	st = azure_request(az, req, c->new.values.n > 0 ? "PUT" : "DELETE", path,
	    body, err);
	free(path);
	if (st == AW_OK && resp->status == 404)
		st = aw_http_request_header(req, "If-None-Match", "*");
	else if (st == AW_OK && pv->etag != NULL)
		st = aw_http_request_header(req, "If-Match", pv->etag);
	else if (st == AW_OK)
		st = aw_http_request_header(req, "If-Match", "*");
	pv->writing = true;
	return st;
}

static enum aw_status
azure_change(struct azure *az, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct az_priv *pv = op->priv;
	struct aw_change *c;
	enum aw_status st;
	char *path;

	if (resp != NULL && op->index < op->nchanges) {
		c = &op->changes[op->index];
		if (!pv->writing) {
			size_t at = op->index;

			if ((st = azure_write(az, op, resp, req, err)) != AW_OK ||
			    op->index == at)
				return st;
		} else {
			pv->writing = false;
			if (resp->status == 412) {
				c->state = AW_CHANGE_FAILED;
				azure_fail(resp, err);
				return aw_error_setw(err, AW_ERR_CONFLICT, c->new.name,
				    _("%s %s was changed by someone else while it was being written (Azure refused the write, HTTP 412); nothing was changed: make a new plan"),
				    c->new.name, c->new.type_name);
			}
			if (resp->status < 200 || resp->status > 299) {
				if (resp->status < 500)
					c->state = AW_CHANGE_FAILED;
				return azure_fail(resp, err);
			}
			c->state = AW_CHANGE_MADE;
			op->index++;
		}
	}
	if ((c = aw_provider_next_change(op)) == NULL)
		return AW_OK;
	if ((path = azure_set_path(&op->zone, c->new.name, c->new.type_name)) == NULL) {
		c->state = AW_CHANGE_FAILED;
		return aw_error_setw(err, AW_ERR_INVALID, c->new.name,
		    _("the name is not in the zone %s"), op->zone.name);
	}
	st = azure_request(az, req, "GET", path, NULL, err);
	free(path);
	return st;
}

static enum aw_status
azure_inner(struct azure *az, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	enum aw_status st;

	switch (op->kind) {
	case AW_OP_VERIFY:
		if (resp == NULL) {
			aw_buf_init(&path);
			aw_buf_printf(&path, "/subscriptions/%s/providers/Microsoft.Network/dnszones?"
			    AZ_API "&$top=1", az->sub);
			st = path.data != NULL ? azure_request(az, req, "GET",
			    aw_buf_str(&path), NULL, err) : AW_ERR_NOMEM;
			aw_buf_done(&path);
			return st;
		}
		if (resp->status != 200)
			return azure_fail(resp, err);
		op->done = true;
		return AW_OK;
	case AW_OP_FIND_ZONE:
		return azure_find_zone(az, op, resp, req, err);
	case AW_OP_LIST:
		return azure_list(az, op, resp, req, err);
	case AW_OP_CHANGE:
		return azure_change(az, op, resp, req, err);
	case AW_OP_CHANGE_STATUS:
		return aw_error_set(err, AW_ERR_INVALID,
		    _("Azure DNS has no change states to ask about"));
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

/* Every operation starts with a valid access token. */
static enum aw_status
azure_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	static const struct aw_oauth_life life = {
		"Microsoft Entra ID", AZ_LIFETIME, 24 * AZ_LIFETIME, AZ_REFRESH_EARLY
	};
	struct azure *az = state;
	struct az_priv *pv = op->priv;
	enum aw_status st;
	bool ask;

	if (op->kind == AW_OP_CHANGE_STATUS)
		return azure_inner(az, op, resp, req, err);
	if (pv == NULL && (pv = op->priv = calloc(1, sizeof *pv)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if ((st = aw_provider_oauth_step(&life, &az->access, &az->access_until,
	    &pv->token_out, pv->started, &resp, &ask, err)) != AW_OK)
		return st;
	if (ask)
		return azure_token_request(az, req, err);
	pv->started = true;
	/* A change whose set was gone already needs no write: go on. */
	for (;;) {
		size_t at = op->index;

		st = azure_inner(az, op, resp, req, err);
		if (st != AW_OK || op->done || req->method != NULL ||
		    op->kind != AW_OP_CHANGE || op->index == at)
			return st;
		resp = NULL;
		pv->writing = false;
	}
}

const struct aw_provider_ops aw_azure_ops = {
	.name = "azure",
	.title = N_("Azure DNS"),
	.options = azure_options,
	.open = azure_open,
	.close = azure_close,
	.step = azure_step,
	.op_done = azure_op_done,
	.default_ttl = AZ_DEFAULT_TTL,
	.per_change_requests = true,
};
