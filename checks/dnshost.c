/* dnshost.c: the DNS host table (data/dnshosts.json), the NS matcher and
 * the host-form presentation of a record (dnshost.h). */
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "checks/authority.h"
#include "checks/dnshost.h"
#include "core/buf.h"
#include "core/datadir.h"
#include "core/i18n.h"
#include "core/record.h"
#include "core/str.h"

/* Bounds on the file (it is data, but a user may point AW_DATADIR
 * anywhere). */
#define DNSHOSTS_MAX_HOSTS 500
#define DNSHOSTS_MAX_NS 32
#define DNSHOSTS_MAX_TEXT 512

void
aw_dnshosts_init(struct aw_dnshosts *t)
{
	t->v = NULL;
	t->n = 0;
}

static void
host_done(struct aw_dnshost *h)
{
	free(h->id);
	free(h->name);
	free(h->provider);
	free(h->source);
	aw_strv_done(&h->ns);
}

void
aw_dnshosts_done(struct aw_dnshosts *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		host_done(&t->v[i]);
	free(t->v);
	aw_dnshosts_init(t);
}

/* A short text field; NULL (and a message in err) when it is not one. */
static const char *
text_field(json_t *o, const char *key, bool optional, size_t index,
    const char *origin, struct aw_error *err)
{
	json_t *v = json_object_get(o, key);
	const char *s;

	if (v == NULL && optional)
		return "";
	if (!json_is_string(v) || (s = json_string_value(v))[0] == '\0' ||
	    strlen(s) > DNSHOSTS_MAX_TEXT) {
		aw_error_setw(err, AW_ERR_INVALID, origin,
		    _("host %zu: \"%s\" must be a non-empty string"), index + 1,
		    key);
		return NULL;
	}
	return s;
}

static bool
valid_id(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return false;
	return true;
}

/* A pattern: lower-case name characters and '*', at least one dot. */
static bool
valid_pattern(const char *s)
{
	if (strchr(s, '.') == NULL || s[strlen(s) - 1] == '.')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '.' || *s == '*' || *s == '_'))
			return false;
	return true;
}

static enum aw_status
bad(struct aw_error *err, const char *origin, size_t index, const char *what)
{
	return aw_error_setw(err, AW_ERR_INVALID, origin, _("host %zu: %s"),
	    index + 1, what);
}

static enum aw_status
load_form(struct aw_dnshost *h, json_t *form, size_t i, const char *origin,
    struct aw_error *err)
{
	json_t *names, *q, *sp;

	if (!json_is_object(form))
		return bad(err, origin, i, _("\"form\" must be an object"));
	names = json_object_get(form, "names");
	q = json_object_get(form, "txt_quoted");
	sp = json_object_get(form, "txt_split");
	if (!json_is_string(names) ||
	    (strcmp(json_string_value(names), "relative") != 0 &&
	    strcmp(json_string_value(names), "full") != 0))
		return bad(err, origin, i,
		    _("\"form\".\"names\" must be \"relative\" or \"full\""));
	if (!json_is_boolean(q) || !json_is_boolean(sp))
		return bad(err, origin, i,
		    _("\"form\" needs \"txt_quoted\" and \"txt_split\" as true or false"));
	h->names_full = strcmp(json_string_value(names), "full") == 0;
	h->txt_quoted = json_is_true(q);
	h->txt_split = json_is_true(sp);
	return AW_OK;
}

static enum aw_status
load_host(struct aw_dnshost *h, json_t *o, size_t i, const char *origin,
    struct aw_error *err)
{
	const char *id, *name, *source, *key;
	json_t *ns, *prov, *v;
	size_t k;

	memset(h, 0, sizeof *h);
	aw_strv_init(&h->ns);
	if (!json_is_object(o))
		return bad(err, origin, i, _("not an object"));
	json_object_foreach(o, key, v) {
		if (strcmp(key, "id") != 0 && strcmp(key, "name") != 0 &&
		    strcmp(key, "ns") != 0 && strcmp(key, "provider") != 0 &&
		    strcmp(key, "form") != 0 && strcmp(key, "source") != 0 &&
		    strcmp(key, "source_note") != 0) {
			aw_error_setw(err, AW_ERR_INVALID, origin,
			    _("host %zu: unknown key \"%s\""), i + 1, key);
			return AW_ERR_INVALID;
		}
	}
	if ((id = text_field(o, "id", false, i, origin, err)) == NULL ||
	    (name = text_field(o, "name", false, i, origin, err)) == NULL ||
	    (source = text_field(o, "source", false, i, origin, err)) == NULL)
		return AW_ERR_INVALID;
	if (!valid_id(id))
		return bad(err, origin, i,
		    _("\"id\" may hold only a-z, 0-9 and '-'"));
	if (strncmp(source, "https://", 8) != 0)
		return bad(err, origin, i, _("\"source\" must be an https:// URL"));
	ns = json_object_get(o, "ns");
	if (!json_is_array(ns) || json_array_size(ns) == 0 ||
	    json_array_size(ns) > DNSHOSTS_MAX_NS)
		return bad(err, origin, i,
		    _("\"ns\" must be a list of name server patterns"));
	for (k = 0; k < json_array_size(ns); k++) {
		json_t *p = json_array_get(ns, k);

		if (!json_is_string(p) || !valid_pattern(json_string_value(p)))
			return bad(err, origin, i,
			    _("an \"ns\" pattern must be a lower-case name, '*' for any characters"));
		aw_strv_push(&h->ns, json_string_value(p));
	}
	prov = json_object_get(o, "provider");
	if (prov == NULL || (!json_is_null(prov) && (!json_is_string(prov) ||
	    !valid_id(json_string_value(prov)) ||
	    json_string_value(prov)[0] == '\0')))
		return bad(err, origin, i,
		    _("\"provider\" must be a provider id or null"));
	if (load_form(h, json_object_get(o, "form"), i, origin, err) != AW_OK)
		return AW_ERR_INVALID;
	h->id = aw_strdup(id);
	h->name = aw_strdup(name);
	h->source = aw_strdup(source);
	if (json_is_string(prov))
		h->provider = aw_strdup(json_string_value(prov));
	if (h->id == NULL || h->name == NULL || h->source == NULL ||
	    (json_is_string(prov) && h->provider == NULL))
		return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
	return AW_OK;
}

static enum aw_status
load_root(struct aw_dnshosts *t, json_t *root, const char *origin,
    struct aw_error *err)
{
	struct aw_dnshosts add;
	json_t *hosts = json_is_object(root) ? json_object_get(root, "hosts") :
	    NULL;
	size_t i, k;

	if (!json_is_array(hosts) || json_array_size(hosts) > DNSHOSTS_MAX_HOSTS)
		return aw_error_setw(err, AW_ERR_INVALID, origin, "%s",
		    _("expected an object with a \"hosts\" list"));
	aw_dnshosts_init(&add);
	add.v = calloc(json_array_size(hosts) + 1, sizeof *add.v);
	if (add.v == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
	for (i = 0; i < json_array_size(hosts); i++) {
		enum aw_status st = load_host(&add.v[i], json_array_get(hosts, i),
		    i, origin, err);

		add.n++;
		for (k = 0; st == AW_OK && k < i; k++)
			if (strcmp(add.v[k].id, add.v[i].id) == 0)
				st = bad(err, origin, i, _("the id is used twice"));
		if (st != AW_OK) {
			aw_dnshosts_done(&add);
			return st;
		}
	}
	aw_dnshosts_done(t);
	*t = add;
	return AW_OK;
}

enum aw_status
aw_dnshosts_load_string(struct aw_dnshosts *t, const char *json,
    const char *origin, struct aw_error *err)
{
	json_error_t jerr;
	json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	enum aw_status st;

	if (root == NULL) {
		char where[AW_ERROR_WHERE_MAX];

		snprintf(where, sizeof where, "%s:%d", origin, jerr.line);
		return aw_error_setw(err, AW_ERR_INVALID, where, "%s", jerr.text);
	}
	st = load_root(t, root, origin, err);
	json_decref(root);
	return st;
}

enum aw_status
aw_dnshosts_load_file(struct aw_dnshosts *t, const char *path,
    struct aw_error *err)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	enum aw_status st;

	if (root == NULL) {
		char where[AW_ERROR_WHERE_MAX];

		snprintf(where, sizeof where, "%s:%d", path, jerr.line);
		return aw_error_setw(err, AW_ERR_INVALID, where, "%s", jerr.text);
	}
	st = load_root(t, root, path, err);
	json_decref(root);
	return st;
}

static struct aw_dnshosts default_table;
static bool default_tried, default_ok;

const struct aw_dnshosts *
aw_dnshosts_default(void)
{
	const char *dirs[4];
	size_t n, i;

	if (default_tried)
		return default_ok ? &default_table : NULL;
	default_tried = true;
	aw_dnshosts_init(&default_table);
	n = aw_data_dirs(AW_DATA_CATALOG, dirs, 4);
	/* The first directory that holds the file, as for senders.json. */
	for (i = 0; i < n; i++) {
		struct aw_error err;
		char *path = NULL;
		bool there;

		if (asprintf(&path, "%s/%s", dirs[i], AW_DNSHOSTS_FILE) < 0)
			return NULL;
		aw_error_clear(&err);
		if ((there = access(path, F_OK) == 0))
			default_ok = aw_dnshosts_load_file(&default_table, path,
			    &err) == AW_OK;
		free(path);
		if (there)
			break;
	}
	return default_ok ? &default_table : NULL;
}

void
aw_dnshosts_default_free(void)
{
	aw_dnshosts_done(&default_table);
	default_tried = default_ok = false;
}

const struct aw_dnshost *
aw_dnshosts_find(const struct aw_dnshosts *t, const char *id)
{
	size_t i;

	for (i = 0; t != NULL && id != NULL && i < t->n; i++)
		if (strcmp(t->v[i].id, id) == 0)
			return &t->v[i];
	return NULL;
}

bool
aw_dnshost_pattern_match(const char *pattern, const char *name)
{
	char *low = aw_domain_normalize(name);
	bool m;

	if (low == NULL)
		return false;
	m = fnmatch(pattern, low, 0) == 0;
	free(low);
	return m;
}

/* The host whose patterns match name, or NULL. */
static const struct aw_dnshost *
host_of(const struct aw_dnshosts *t, const char *name)
{
	size_t i, k;

	for (i = 0; i < t->n; i++)
		for (k = 0; k < t->v[i].ns.n; k++)
			if (aw_dnshost_pattern_match(t->v[i].ns.v[k], name))
				return &t->v[i];
	return NULL;
}

enum aw_dnshost_match
aw_dnshost_match(const struct aw_dnshosts *t, const char *const *ns,
    size_t nns, const struct aw_dnshost **out)
{
	const struct aw_dnshost *found = NULL;
	bool unknown = false;
	size_t i;

	*out = NULL;
	if (t == NULL || nns == 0)
		return AW_DNSHOST_UNKNOWN;
	for (i = 0; i < nns; i++) {
		const struct aw_dnshost *h = host_of(t, ns[i]);

		if (h == NULL)
			unknown = true;
		else if (found != NULL && found != h)
			return AW_DNSHOST_MIXED;
		else
			found = h;
	}
	if (found == NULL)
		return AW_DNSHOST_UNKNOWN;
	if (unknown)
		return AW_DNSHOST_MIXED;
	*out = found;
	return AW_DNSHOST_FOUND;
}

enum aw_dnshost_match
aw_dnshost_match_authority(const struct aw_dnshosts *t,
    const struct aw_authority *auth, const struct aw_dnshost **out)
{
	const char *ns[32];
	size_t i, n = 0;

	*out = NULL;
	if (auth == NULL)
		return AW_DNSHOST_UNKNOWN;
	for (i = 0; i < auth->nns && n < sizeof ns / sizeof ns[0]; i++)
		if (auth->ns[i].at_zone)
			ns[n++] = auth->ns[i].host;
	return aw_dnshost_match(t, ns, n, out);
}

/* name relative to zone: "@" for the apex; name itself when it is not
 * inside zone. */
static char *
relative_name(const char *zone, const char *name)
{
	size_t zl = strlen(zone), nl = strlen(name);

	if (aw_strcasecmp(zone, name) == 0)
		return aw_strdup("@");
	if (nl > zl + 1 && name[nl - zl - 1] == '.' &&
	    aw_strcasecmp(name + nl - zl, zone) == 0) {
		char *r = malloc(nl - zl);

		if (r != NULL) {
			memcpy(r, name, nl - zl - 1);
			r[nl - zl - 1] = '\0';
		}
		return r;
	}
	return aw_strdup(name);
}

/* One quoted string of the whole value (no splitting). */
static void
quote_whole(struct aw_buf *b, const char *value)
{
	aw_buf_putc(b, '"');
	for (; *value != '\0'; value++) {
		if (*value == '"' || *value == '\\')
			aw_buf_putc(b, '\\');
		aw_buf_putc(b, *value);
	}
	aw_buf_putc(b, '"');
}

enum aw_status
aw_dnshost_form(const struct aw_dnshost *h, const char *zone, const char *name,
    const char *type, const char *value, char **name_out, char **value_out)
{
	struct aw_buf b;

	*name_out = *value_out = NULL;
	*name_out = h->names_full || zone == NULL ? aw_strdup(name) :
	    relative_name(zone, name);
	aw_buf_init(&b);
	if (aw_strcasecmp(type, "TXT") == 0 && strlen(value) > 255 &&
	    h->txt_split)
		aw_record_txt_quote(&b, value, 0);
	else if (aw_strcasecmp(type, "TXT") == 0 && h->txt_quoted)
		quote_whole(&b, value);
	else
		aw_buf_puts(&b, value);
	*value_out = aw_buf_steal(&b);
	aw_buf_done(&b);
	if (*name_out == NULL || *value_out == NULL) {
		free(*name_out);
		free(*value_out);
		*name_out = *value_out = NULL;
		return AW_ERR_NOMEM;
	}
	return AW_OK;
}
