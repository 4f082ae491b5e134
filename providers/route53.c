/* route53.c: Amazon Route 53 (REST-XML, API 2013-04-01), signed by
 * libcurl's SigV4. XML is read and written with libxml2 (through
 * checks/xml.h, opened when first used), network and entity loading off. A change is one atomic
 * ChangeResourceRecordSets batch, then GetChange until INSYNC. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/xml.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/hosts.h"
#include "providers/provider.h"

#define R53_DEFAULT_ENDPOINT "https://route53.amazonaws.com"
#define R53_NS "https://route53.amazonaws.com/doc/2013-04-01/"
#define R53_SIGV4 "aws:amz:us-east-1:route53"
#define R53_MAX_ITEMS 100
#define R53_MAX_PAGES 200
#define R53_MAX_POLLS 150
#define R53_CRED_LINE 1024

struct route53 {
	char *endpoint;
	char *userpwd;     /* secret "key:secret" */
	char *token;       /* secret session token or NULL */
};

static const struct aw_provider_option route53_options[] = {
	{ "aws-access-key-id", "AWS_ACCESS_KEY_ID", N_("AWS access key id"), false, true,
	  N_("Access key ID") },
	{ "aws-secret-access-key", "AWS_SECRET_ACCESS_KEY", N_("AWS secret access key"), true, true,
	  N_("Secret access key") },
	{ "aws-session-token", "AWS_SESSION_TOKEN", N_("AWS session token"), true, false, NULL },
	{ "aws-profile", "AWS_PROFILE", N_("profile in ~/.aws/credentials"), false, false, NULL },
	{ "route53-endpoint", "AWS_ENDPOINT_URL_ROUTE_53",
	  /* TRANSLATORS: the URL is R53_DEFAULT_ENDPOINT */
	  N_("Route 53 endpoint (default https://route53.amazonaws.com; also AWS_ENDPOINT_URL)"),
	  false, false, NULL },
	{ NULL, NULL, NULL, false, false, NULL }
};

/* A profile named, or a credentials file to read one from. */
static bool
route53_stored_credentials(void)
{
	const char *file = getenv("AWS_SHARED_CREDENTIALS_FILE");
	const char *home = getenv("HOME"), *profile = getenv("AWS_PROFILE");
	char path[4096];

	if (profile != NULL && profile[0] != '\0')
		return true;
	if (file == NULL && home != NULL) {
		snprintf(path, sizeof path, "%s/.aws/credentials", home);
		file = path;
	}
	return file != NULL && access(file, R_OK) == 0;
}

/* ~/.aws/credentials (INI): the keys of [profile]. */
static enum aw_status
route53_read_profile(const char *profile, char **key, char **secret,
    char **token, struct aw_error *err)
{
	const char *file = getenv("AWS_SHARED_CREDENTIALS_FILE");
	const char *home = getenv("HOME");
	char path[4096], line[R53_CRED_LINE];
	bool in = false;
	FILE *f;

	if (file != NULL && file[0] != '\0')
		snprintf(path, sizeof path, "%s", file);
	else if (home != NULL)
		snprintf(path, sizeof path, "%s/.aws/credentials", home);
	else
		return aw_error_set(err, AW_ERR_AUTH,
		    _("Route 53: no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"));
	if ((f = fopen(path, "r")) == NULL)
		return aw_error_setw(err, AW_ERR_AUTH, path,
		    _("Route 53: no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"));
	while (fgets(line, sizeof line, f) != NULL) {
		char *p = line, *eq, *k, *v, *end;

		line[strcspn(line, "\r\n")] = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || *p == ';' || *p == '\0')
			continue;
		if (*p == '[') {
			end = strchr(p, ']');
			if (end != NULL)
				*end = '\0';
			p++;
			while (isspace((unsigned char)*p))
				p++;
			end = p + strlen(p);
			while (end > p && isspace((unsigned char)end[-1]))
				*--end = '\0';
			in = strcmp(p, profile) == 0;
			continue;
		}
		if (!in || (eq = strchr(p, '=')) == NULL)
			continue;
		*eq = '\0';
		k = p;
		v = eq + 1;
		end = eq;
		while (end > k && isspace((unsigned char)end[-1]))
			*--end = '\0';
		while (isspace((unsigned char)*v))
			v++;
		end = v + strlen(v);
		while (end > v && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (strcmp(k, "aws_access_key_id") == 0 && *key == NULL)
			*key = strdup(v);
		else if (strcmp(k, "aws_secret_access_key") == 0 && *secret == NULL)
			*secret = strdup(v);
		else if (strcmp(k, "aws_session_token") == 0 && *token == NULL)
			*token = strdup(v);
	}
	aw_mem_wipe(line, sizeof line);
	fclose(f);
	if (*key == NULL || *secret == NULL)
		return aw_error_setw(err, AW_ERR_AUTH, profile,
		    _("Route 53: the profile has no aws_access_key_id / aws_secret_access_key"));
	return AW_OK;
}

static enum aw_status
route53_open(const struct aw_provider_config *cfg, void **state,
    struct aw_error *err)
{
	const char *k = aw_provider_config_get(cfg, "AWS_ACCESS_KEY_ID");
	const char *s = aw_provider_config_get(cfg, "AWS_SECRET_ACCESS_KEY");
	const char *t = aw_provider_config_get(cfg, "AWS_SESSION_TOKEN");
	const char *profile = aw_provider_config_get(cfg, "AWS_PROFILE");
	const char *ep = aw_provider_config_get(cfg, "AWS_ENDPOINT_URL_ROUTE_53");
	char *key = NULL, *secret = NULL, *token = NULL;
	struct route53 *r;
	struct aw_buf up;
	enum aw_status st = AW_OK;
	size_t len;

	if (ep == NULL)
		ep = aw_provider_config_get(cfg, "AWS_ENDPOINT_URL");
	if (ep == NULL)
		ep = R53_DEFAULT_ENDPOINT;
	if (strncmp(ep, "http://", 7) != 0 && strncmp(ep, "https://", 8) != 0)
		return aw_error_setw(err, AW_ERR_INVALID, ep,
		    _("Route 53: the endpoint must start with https://"));
	if (!aw_xml_load(err))
		return err != NULL ? err->status : AW_ERR_INTERNAL;
	/* As the AWS CLI: keys given (option or environment) win over a
	 * profile; otherwise AWS_PROFILE, else [default], from the
	 * shared credentials file. */
	if (k != NULL && s != NULL) {
		key = strdup(k);
		secret = strdup(s);
		token = aw_strdup(t);
	} else
		st = route53_read_profile(profile != NULL ? profile : "default",
		    &key, &secret, &token, err);
	if (st == AW_OK && (key == NULL || secret == NULL))
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if (st == AW_OK && (strchr(key, ':') != NULL || key[0] == '\0'))
		st = aw_error_set(err, AW_ERR_AUTH,
		    _("Route 53: the access key id is not valid"));
	if (st != AW_OK || (r = calloc(1, sizeof *r)) == NULL) {
		aw_str_wipe(secret);
		aw_str_wipe(token);
		free(key);
		free(secret);
		free(token);
		return st != AW_OK ? st : aw_error_set(err, AW_ERR_NOMEM,
		    _("out of memory"));
	}
	aw_buf_init(&up);
	aw_buf_printf(&up, "%s:%s", key, secret);
	r->userpwd = aw_buf_steal(&up);
	r->token = token;
	len = strlen(ep);
	while (len > 0 && ep[len - 1] == '/')
		len--;
	if ((r->endpoint = malloc(len + 1)) != NULL) {
		memcpy(r->endpoint, ep, len);
		r->endpoint[len] = '\0';
	}
	aw_str_wipe(secret);
	free(key);
	free(secret);
	if (r->userpwd == NULL || r->endpoint == NULL) {
		free(r->endpoint);
		free(r->userpwd);
		free(r->token);
		free(r);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*state = r;
	return AW_OK;
}

static void
route53_close(void *state)
{
	struct route53 *r = state;

	if (r == NULL)
		return;
	aw_str_wipe(r->userpwd);
	aw_str_wipe(r->token);
	free(r->userpwd);
	free(r->token);
	free(r->endpoint);
	free(r);
}

/* --- XML reading --- */

static xmlDocPtr
r53_parse(const char *body, size_t len)
{
	/* No network, no entity substitution (no XML_PARSE_NOENT), no DTD
	 * loading: a hostile answer cannot make us fetch or expand anything. */
	if (!aw_xml_load(NULL) || len == 0 || len > INT32_MAX)
		return NULL;
	return xmlReadMemory(body, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static xmlNodePtr
r53_child(xmlNodePtr n, const char *name)
{
	xmlNodePtr c;

	for (c = n != NULL ? n->children : NULL; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(c->name, (const xmlChar *)name) == 0)
			return c;
	return NULL;
}

static xmlNodePtr
r53_next(xmlNodePtr n, const char *name)
{
	for (n = n != NULL ? n->next : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(n->name, (const xmlChar *)name) == 0)
			return n;
	return NULL;
}

/* The text of n as a malloc'd string (NULL when n is NULL). */
static char *
r53_text(xmlNodePtr n)
{
	xmlChar *c;
	char *s;

	if (n == NULL || (c = xmlNodeGetContent(n)) == NULL)
		return NULL;
	s = strdup((const char *)c);
	xmlFree(c);
	return s;
}

static xmlNodePtr
r53_root(xmlDocPtr doc, const char *name)
{
	xmlNodePtr root = doc != NULL ? xmlDocGetRootElement(doc) : NULL;

	if (root == NULL || xmlStrcmp(root->name, (const xmlChar *)name) != 0)
		return NULL;
	return root;
}

/* "\052" -> "*": Route 53 escapes names in octal. Lower case, no dot. */
static char *
r53_name_in(const char *s)
{
	struct aw_buf b;
	char *out;

	aw_buf_init(&b);
	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			aw_buf_putc(&b, (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0')));
			s += 4;
		} else
			aw_buf_putc(&b, *s++);
	}
	out = aw_domain_normalize(aw_buf_str(&b));
	aw_buf_done(&b);
	return out;
}

enum aw_status
aw_route53_error(const char *body, size_t len, long status,
    struct aw_error *err)
{
	xmlDocPtr doc = r53_parse(body, len);
	xmlNodePtr root, e;
	char *code = NULL, *msg = NULL;
	enum aw_status st = status == 403 ? AW_ERR_AUTH :
	    status == 404 ? AW_ERR_NOTFOUND : AW_ERR_PROVIDER;

	if ((root = r53_root(doc, "ErrorResponse")) != NULL) {
		e = r53_child(root, "Error");
		code = r53_text(r53_child(e, "Code"));
		msg = r53_text(r53_child(e, "Message"));
	} else if ((root = r53_root(doc, "InvalidChangeBatch")) != NULL) {
		struct aw_buf b;
		xmlNodePtr m;

		/* One message per problem in the batch. */
		aw_buf_init(&b);
		for (m = r53_child(r53_child(root, "Messages"), "Message"); m != NULL;
		    m = r53_next(m, "Message")) {
			char *t = r53_text(m);

			aw_buf_printf(&b, "%s%s", b.len ? "; " : "", t ? t : "");
			free(t);
		}
		code = strdup("InvalidChangeBatch");
		msg = aw_buf_steal(&b);
	}
	if (code != NULL && (strcmp(code, "SignatureDoesNotMatch") == 0 ||
	    strcmp(code, "InvalidClientTokenId") == 0 ||
	    strcmp(code, "AccessDenied") == 0 ||
	    strcmp(code, "IncompleteSignature") == 0))
		st = AW_ERR_AUTH;
	if (code != NULL && strcmp(code, "NoSuchHostedZone") == 0)
		st = AW_ERR_NOTFOUND;
	if (status >= 500 && status <= 599)
		aw_error_set(err, AW_ERR_PROVIDER, _("%s: server error (HTTP %ld)"),
		    "Route 53", status);
	else if (code != NULL) {
		struct aw_buf b;

		aw_buf_init(&b);
		aw_buf_printf(&b, "%s: %s", code, msg != NULL ? msg : "");
		aw_provider_error_text(err, st, (int)status, "Route 53", aw_buf_str(&b));
		aw_buf_done(&b);
	} else if (doc == NULL && len > 0)
		aw_error_set(err, AW_ERR_PROVIDER,
		    _("Route 53 sent a malformed answer (HTTP %ld)"), status);
	else
		aw_error_set(err, st, _("Route 53 answered HTTP %ld"), status);
	if (err != NULL)
		err->code = (int)status;
	free(code);
	free(msg);
	xmlFreeDoc(doc);
	return st;
}

/* Route 53 answers Throttling and PriorRequestNotComplete with HTTP 400:
 * the transport retries them through this hook. */
static bool
route53_retryable(const struct aw_http_response *resp)
{
	xmlDocPtr doc;
	char *code;
	bool retry;

	if (resp->status != 400 && resp->status != 403)
		return false;
	doc = r53_parse(resp->body.data ? resp->body.data : "", resp->body.len);
	code = r53_text(r53_child(r53_child(r53_root(doc, "ErrorResponse"),
	    "Error"), "Code"));
	retry = code != NULL && (strcmp(code, "Throttling") == 0 ||
	    strcmp(code, "PriorRequestNotComplete") == 0 ||
	    strcmp(code, "ThrottlingException") == 0);
	free(code);
	xmlFreeDoc(doc);
	return retry;
}

static enum aw_status
route53_request(struct route53 *r, struct aw_http_request *req,
    const char *method, const char *path_and_query, char *body)
{
	struct aw_buf url;
	enum aw_status st;

	aw_buf_init(&url);
	aw_buf_printf(&url, "%s%s", r->endpoint, path_and_query);
	st = url.data != NULL ? aw_http_request_set(req, method, aw_buf_str(&url)) :
	    AW_ERR_NOMEM;
	aw_buf_done(&url);
	req->aws_sigv4 = R53_SIGV4;
	if (st == AW_OK && (req->userpwd = strdup(r->userpwd)) == NULL)
		st = AW_ERR_NOMEM;
	req->retry = route53_retryable;
	if (st == AW_OK && r->token != NULL)
		st = aw_http_request_header(req, "X-Amz-Security-Token", r->token);
	if (st == AW_OK && body != NULL) {
		aw_http_request_take_body(req, body);
		body = NULL;
		st = aw_http_request_header(req, "Content-Type", "application/xml");
	}
	free(body);
	return st;
}

/* Ids come back as "/hostedzone/Z..." and "/change/C...": the part after
 * the last '/'. */
static char *
r53_id(const char *s)
{
	const char *slash = strrchr(s, '/');

	return strdup(slash != NULL ? slash + 1 : s);
}

enum aw_status
aw_route53_parse_zones(const char *body, size_t len, const char *want,
    struct aw_zone *zone, struct aw_error *err)
{
	xmlDocPtr doc = r53_parse(body, len);
	xmlNodePtr root = r53_root(doc, "ListHostedZonesByNameResponse"), z;
	enum aw_status st = AW_ERR_NOTFOUND;

	if (root == NULL) {
		xmlFreeDoc(doc);
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("Route 53 sent a malformed answer to ListHostedZonesByName"));
	}
	for (z = r53_child(r53_child(root, "HostedZones"), "HostedZone"); z != NULL;
	    z = r53_next(z, "HostedZone")) {
		char *id = r53_text(r53_child(z, "Id"));
		char *name = r53_text(r53_child(z, "Name"));
		char *priv = r53_text(r53_child(r53_child(z, "Config"), "PrivateZone"));
		char *norm = name != NULL ? r53_name_in(name) : NULL;

		/* dnsname= is a start key, not a filter; a private zone of the
		 * same name is not the one the world sees. */
		if (id != NULL && norm != NULL && aw_domain_equal(norm, want) &&
		    (priv == NULL || strcmp(priv, "true") != 0)) {
			zone->id = r53_id(id);
			zone->name = norm;
			norm = NULL;
			st = zone->id != NULL ? AW_OK : AW_ERR_NOMEM;
		}
		free(id);
		free(name);
		free(priv);
		free(norm);
		if (st != AW_ERR_NOTFOUND)
			break;
	}
	xmlFreeDoc(doc);
	if (st == AW_ERR_NOMEM)
		aw_error_set(err, st, _("out of memory"));
	return st;
}

static enum aw_status
r53_value_in(enum aw_record_type type, const char *v, char **out,
    struct aw_error *err)
{
	if (type == AW_RECORD_TXT)
		return aw_record_txt_unquote(v, AW_TXT_OCTAL, out, err);
	if (type == AW_RECORD_CNAME || type == AW_RECORD_PTR || type == AW_RECORD_NS)
		*out = aw_domain_normalize(v);
	else if (type == AW_RECORD_MX) {
		size_t n = strlen(v);

		*out = strdup(v);
		if (*out != NULL && n > 1 && v[n - 1] == '.')
			(*out)[n - 1] = '\0';
	} else
		*out = strdup(v);
	return *out != NULL ? AW_OK : aw_error_set(err, AW_ERR_NOMEM,
	    _("out of memory"));
}

enum aw_status
aw_route53_parse_rrsets(const char *body, size_t len, const char *name,
    enum aw_record_type type, struct aw_record_set *out, char **next_name,
    char **next_type, struct aw_error *err)
{
	xmlDocPtr doc = r53_parse(body, len);
	xmlNodePtr root = r53_root(doc, "ListResourceRecordSetsResponse"), rs, rr;
	enum aw_status st = AW_OK;
	bool other = false;
	char *trunc;

	*next_name = *next_type = NULL;
	if (root == NULL) {
		xmlFreeDoc(doc);
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("Route 53 sent a malformed answer to ListResourceRecordSets"));
	}
	for (rs = r53_child(r53_child(root, "ResourceRecordSets"), "ResourceRecordSet");
	    rs != NULL && st == AW_OK; rs = r53_next(rs, "ResourceRecordSet")) {
		char *rname = r53_text(r53_child(rs, "Name"));
		char *rtype = r53_text(r53_child(rs, "Type"));
		char *ttl = r53_text(r53_child(rs, "TTL"));
		char *norm = rname != NULL ? r53_name_in(rname) : NULL;
		struct aw_record r;

		if (norm == NULL || rtype == NULL) {
			free(rname);
			free(rtype);
			free(ttl);
			free(norm);
			continue;
		}
		/* The listing runs on in zone order: stop at the first other
		 * name. */
		if (!aw_domain_equal(norm, name)) {
			other = true;
			free(rname);
			free(rtype);
			free(ttl);
			free(norm);
			break;
		}
		if ((type == AW_RECORD_ANY || aw_record_type_parse(rtype) == type) &&
		    (st = aw_record_init_word(&r, norm, rtype,
		    ttl != NULL ? (unsigned)strtoul(ttl, NULL, 10) : 0)) == AW_OK) {
			for (rr = r53_child(r53_child(rs, "ResourceRecords"),
			    "ResourceRecord"); rr != NULL && st == AW_OK;
			    rr = r53_next(rr, "ResourceRecord")) {
				char *v = r53_text(r53_child(rr, "Value")), *nv = NULL;

				if (v == NULL)
					continue;
				st = r53_value_in(r.type, v, &nv, err);
				if (st == AW_OK)
					st = aw_record_add(&r, nv);
				free(v);
				free(nv);
			}
			/* Alias records have no ResourceRecords: kept empty so a
			 * CNAME beside them is still refused. */
			if (st == AW_OK)
				st = aw_record_set_take(out, &r);
			aw_record_done(&r);
		}
		free(rname);
		free(rtype);
		free(ttl);
		free(norm);
	}
	trunc = r53_text(r53_child(root, "IsTruncated"));
	if (st == AW_OK && !other && trunc != NULL && strcmp(trunc, "true") == 0) {
		char *nn = r53_text(r53_child(root, "NextRecordName"));
		char *nt = r53_text(r53_child(root, "NextRecordType"));
		char *nnorm = nn != NULL ? r53_name_in(nn) : NULL;

		if (nnorm != NULL && aw_domain_equal(nnorm, name)) {
			*next_name = nn;
			*next_type = nt;
			nn = nt = NULL;
		}
		free(nn);
		free(nt);
		free(nnorm);
	}
	free(trunc);
	xmlFreeDoc(doc);
	if (st != AW_OK && (err == NULL || err->status == AW_OK))
		aw_error_set(err, st, _("out of memory"));
	return st;
}

static enum aw_status
r53_list_request(struct route53 *r, const struct aw_zone *zone,
    const char *name, const char *type, struct aw_http_request *req)
{
	struct aw_buf q;
	enum aw_status st;

	/* curl 7.88 signs the query as written: sorted by name, upper-case
	 * percent-encoding, every parameter with a value. */
	aw_buf_init(&q);
	aw_buf_puts(&q, "/2013-04-01/hostedzone/");
	aw_http_escape(&q, zone->id);
	aw_buf_printf(&q, "/rrset?maxitems=%d&name=", R53_MAX_ITEMS);
	aw_http_escape(&q, name);
	if (name[0] != '\0' && name[strlen(name) - 1] != '.')
		aw_buf_puts(&q, ".");
	if (type != NULL) {
		aw_buf_puts(&q, "&type=");
		aw_http_escape(&q, type);
	}
	st = q.data != NULL ? route53_request(r, req, "GET", aw_buf_str(&q), NULL) :
	    AW_ERR_NOMEM;
	aw_buf_done(&q);
	return st;
}

/* --- XML writing --- */

static char *
r53_value_out(enum aw_record_type type, const char *value)
{
	struct aw_buf b;

	aw_buf_init(&b);
	if (type == AW_RECORD_TXT)
		aw_record_txt_quote(&b, value, AW_TXT_OCTAL);
	else if (type == AW_RECORD_CNAME || type == AW_RECORD_PTR ||
	    type == AW_RECORD_NS || type == AW_RECORD_MX)
		aw_buf_printf(&b, "%s.", value);
	else
		aw_buf_puts(&b, value);
	return aw_buf_steal(&b);
}

static int
r53_write_rrset(xmlTextWriterPtr w, const char *action,
    const struct aw_record *rec, unsigned ttl)
{
	char name[300], num[24];
	size_t i;
	int rc = 0;

	snprintf(name, sizeof name, "%s.", rec->name);
	snprintf(num, sizeof num, "%u", ttl);
	rc |= xmlTextWriterStartElement(w, BAD_CAST "Change") < 0;
	rc |= xmlTextWriterWriteElement(w, BAD_CAST "Action", BAD_CAST action) < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "ResourceRecordSet") < 0;
	rc |= xmlTextWriterWriteElement(w, BAD_CAST "Name", BAD_CAST name) < 0;
	rc |= xmlTextWriterWriteElement(w, BAD_CAST "Type", BAD_CAST rec->type_name) < 0;
	rc |= xmlTextWriterWriteElement(w, BAD_CAST "TTL", BAD_CAST num) < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "ResourceRecords") < 0;
	for (i = 0; i < rec->values.n; i++) {
		char *v = r53_value_out(rec->type, rec->values.v[i]);

		if (v == NULL)
			return -1;
		rc |= xmlTextWriterStartElement(w, BAD_CAST "ResourceRecord") < 0;
		rc |= xmlTextWriterWriteElement(w, BAD_CAST "Value", BAD_CAST v) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
		free(v);
	}
	rc |= xmlTextWriterEndElement(w) < 0;   /* ResourceRecords */
	rc |= xmlTextWriterEndElement(w) < 0;   /* ResourceRecordSet */
	rc |= xmlTextWriterEndElement(w) < 0;   /* Change */
	return rc ? -1 : 0;
}

char *
aw_route53_change_body(const struct aw_change *changes, size_t n,
    unsigned default_ttl)
{
	xmlBufferPtr buf = aw_xml_load(NULL) ? xmlBufferCreate() : NULL;
	xmlTextWriterPtr w = buf != NULL ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char *out = NULL;
	size_t i;
	int rc = 0;

	if (buf == NULL)
		return NULL;
	if (w == NULL) {
		xmlBufferFree(buf);
		return NULL;
	}
	rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "ChangeResourceRecordSetsRequest") < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST R53_NS) < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "ChangeBatch") < 0;
	rc |= xmlTextWriterWriteElement(w, BAD_CAST "Comment",
	    BAD_CAST "authwizard") < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "Changes") < 0;
	for (i = 0; i < n && rc == 0; i++) {
		const struct aw_change *c = &changes[i];
		unsigned ttl = c->new.ttl ? c->new.ttl : c->old.ttl ? c->old.ttl :
		    default_ttl;

		if (c->state == AW_CHANGE_SKIPPED)
			continue;
		/* All values at a name and type are one set: UPSERT replaces
		 * it whole; a DELETE must match it exactly (old TTL too). */
		if (c->new.values.n > 0)
			rc |= r53_write_rrset(w, "UPSERT", &c->new, ttl);
		else if (c->old.values.n > 0)
			rc |= r53_write_rrset(w, "DELETE", &c->old,
			    c->old.ttl ? c->old.ttl : default_ttl);
	}
	rc |= xmlTextWriterEndElement(w) < 0;   /* Changes */
	rc |= xmlTextWriterEndElement(w) < 0;   /* ChangeBatch */
	rc |= xmlTextWriterEndElement(w) < 0;   /* request */
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (rc == 0)
		out = strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return out;
}

enum aw_status
aw_route53_parse_change(const char *body, size_t len, const char *root_name,
    char **id, char **status, struct aw_error *err)
{
	xmlDocPtr doc = r53_parse(body, len);
	xmlNodePtr info = r53_child(r53_root(doc, root_name), "ChangeInfo");
	char *raw = r53_text(r53_child(info, "Id"));

	*id = raw != NULL ? r53_id(raw) : NULL;
	*status = r53_text(r53_child(info, "Status"));
	free(raw);
	xmlFreeDoc(doc);
	if (*id == NULL || *status == NULL) {
		free(*id);
		free(*status);
		*id = *status = NULL;
		return aw_error_set(err, AW_ERR_PROVIDER,
		    _("Route 53 sent a malformed ChangeInfo"));
	}
	return AW_OK;
}

static int64_t
r53_poll_ms(void)
{
	const char *v = getenv("AW_ROUTE53_POLL_MS");
	long n = v != NULL ? strtol(v, NULL, 10) : -1;

	return n >= 0 && n <= 60000 ? n : 2000;
}

static enum aw_status
route53_change(struct route53 *r, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct aw_buf path;
	char *id = NULL, *status = NULL;
	enum aw_status st;
	size_t i;

	if (resp == NULL) {
		char *body = aw_route53_change_body(op->changes, op->nchanges,
		    aw_route53_ops.default_ttl);

		if (body == NULL)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		aw_buf_init(&path);
		aw_buf_puts(&path, "/2013-04-01/hostedzone/");
		aw_http_escape(&path, op->zone.id);
		aw_buf_puts(&path, "/rrset/");
		st = path.data != NULL ? route53_request(r, req, "POST",
		    aw_buf_str(&path), body) : AW_ERR_NOMEM;
		aw_buf_done(&path);
		op->stage = 0;
		return st;
	}
	if (op->stage == 0) {
		/* The batch is atomic: all made or none. */
		if (resp->status != 200) {
			/* A 5xx is no answer: the batch may have been
			 * accepted (the read-back decides). */
			for (i = 0; i < op->nchanges && resp->status < 500; i++)
				if (op->changes[i].state != AW_CHANGE_SKIPPED)
					op->changes[i].state = AW_CHANGE_FAILED;
			return aw_route53_error(resp->body.data ? resp->body.data : "",
			    resp->body.len, resp->status, err);
		}
		st = aw_route53_parse_change(resp->body.data ? resp->body.data : "",
		    resp->body.len, "ChangeResourceRecordSetsResponse", &id, &status,
		    err);
		if (st != AW_OK)
			return st;
		for (i = 0; i < op->nchanges; i++)
			if (op->changes[i].state != AW_CHANGE_SKIPPED)
				op->changes[i].state = AW_CHANGE_MADE;
		free(op->change_id);
		op->change_id = id;
		op->stage = 1;
	} else {
		struct aw_error perr;

		/* The batch is made: a GetChange that fails does not undo
		 * that. Its state becomes unknown (the apply notes it, the
		 * watch asks again). */
		aw_error_clear(&perr);
		st = resp->status != 200 ?
		    aw_route53_error(resp->body.data ? resp->body.data : "",
		    resp->body.len, resp->status, &perr) :
		    aw_route53_parse_change(resp->body.data ? resp->body.data : "",
		    resp->body.len, "GetChangeResponse", &id, &status, &perr);
		if (st != AW_OK) {
			free(op->status);
			if (asprintf(&op->status, _("not known: %s"), perr.msg) < 0)
				op->status = NULL;
			op->done = true;
			return AW_OK;
		}
		free(id);
	}
	free(op->status);
	op->status = status;
	/* INSYNC: every Route 53 server has it. Past the polls the change
	 * is made all the same (op->status says PENDING; the watch follows
	 * it), so the apply does not count as stopped midway. */
	if ((status != NULL && strcmp(status, "INSYNC") == 0) ||
	    ++op->polls > R53_MAX_POLLS) {
		op->done = true;
		return AW_OK;
	}
	aw_buf_init(&path);
	aw_buf_puts(&path, "/2013-04-01/change/");
	aw_http_escape(&path, op->change_id);
	st = path.data != NULL ? route53_request(r, req, "GET", aw_buf_str(&path),
	    NULL) : AW_ERR_NOMEM;
	aw_buf_done(&path);
	req->delay_ms = r53_poll_ms();
	return st;
}

static enum aw_status
route53_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct route53 *r = state;
	struct aw_buf q;
	enum aw_status st;
	char *nn = NULL, *nt = NULL;

	if (resp != NULL && resp->status != 200 &&
	    !(op->kind == AW_OP_CHANGE))
		return aw_route53_error(resp->body.data ? resp->body.data : "",
		    resp->body.len, resp->status, err);
	switch (op->kind) {
	case AW_OP_VERIFY:
		if (resp == NULL)
			return route53_request(r, req, "GET",
			    "/2013-04-01/hostedzonesbyname?maxitems=1", NULL);
		op->done = true;
		return AW_OK;
	case AW_OP_FIND_ZONE:
		if (resp == NULL) {
			aw_strv_done(&op->pending);
			if (aw_provider_suffixes(op->name, &op->pending) != AW_OK)
				return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			op->index = 0;
		} else {
			st = aw_route53_parse_zones(resp->body.data ? resp->body.data : "",
			    resp->body.len, op->pending.v[op->index], &op->zone, err);
			if (st == AW_OK) {
				op->done = true;
				return AW_OK;
			}
			if (st != AW_ERR_NOTFOUND)
				return st;
			op->index++;
		}
		if (op->index >= op->pending.n)
			return aw_error_setw(err, AW_ERR_NOTFOUND, op->name,
			    _("no public hosted zone in this AWS account holds the name"));
		aw_buf_init(&q);
		aw_buf_puts(&q, "/2013-04-01/hostedzonesbyname?dnsname=");
		aw_http_escape(&q, op->pending.v[op->index]);
		aw_buf_printf(&q, ".&maxitems=%d", R53_MAX_ITEMS);
		st = q.data != NULL ? route53_request(r, req, "GET", aw_buf_str(&q),
		    NULL) : AW_ERR_NOMEM;
		aw_buf_done(&q);
		return st;
	case AW_OP_LIST:
		if (resp == NULL)
			return r53_list_request(r, &op->zone, op->name,
			    op->type == AW_RECORD_ANY ? NULL :
			    aw_record_type_name(op->type), req);
		st = aw_route53_parse_rrsets(resp->body.data ? resp->body.data : "",
		    resp->body.len, op->name, op->type, &op->records, &nn, &nt, err);
		if (st != AW_OK)
			return st;
		if (nn != NULL && ++op->page < R53_MAX_PAGES) {
			st = r53_list_request(r, &op->zone, nn, nt, req);
			free(nn);
			free(nt);
			return st;
		}
		free(nn);
		free(nt);
		op->done = true;
		return AW_OK;
	case AW_OP_CHANGE:
		return route53_change(r, op, resp, req, err);
	case AW_OP_CHANGE_STATUS: {
		/* GetChange: PENDING until every Route 53 server has it. */
		char *id = NULL, *status = NULL;

		if (resp == NULL) {
			if (op->change_id == NULL || op->change_id[0] == '\0')
				return aw_error_set(err, AW_ERR_INVALID,
				    _("which change? No change id"));
			aw_buf_init(&q);
			aw_buf_puts(&q, "/2013-04-01/change/");
			aw_http_escape(&q, op->change_id);
			st = q.data != NULL ? route53_request(r, req, "GET",
			    aw_buf_str(&q), NULL) : AW_ERR_NOMEM;
			aw_buf_done(&q);
			return st;
		}
		st = aw_route53_parse_change(resp->body.data ? resp->body.data : "",
		    resp->body.len, "GetChangeResponse", &id, &status, err);
		if (st != AW_OK)
			return st;
		free(id);
		free(op->status);
		op->status = status;
		op->done = true;
		return AW_OK;
	}
	}
	return aw_error_set(err, AW_ERR_INTERNAL, _("unknown operation"));
}

const struct aw_provider_ops aw_route53_ops = {
	.name = "route53",
	.title = N_("Route 53"),
	.long_title = N_("Amazon Route 53"),
	.options = route53_options,
	.open = route53_open,
	.close = route53_close,
	.step = route53_step,
	.op_done = NULL,
	.default_ttl = 300,
	.stored_credentials = route53_stored_credentials,
};
