/* catalog.c: reading the sender catalog (jansson is used here only to read
 * data/senders.json and the user's senders.d files). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "checks/catalog.h"
#include "core/buf.h"
#include "core/datadir.h"
#include "core/i18n.h"
#include "core/str.h"

/* Bounds on what a file may hold (user files are not trusted). */
#define CATALOG_MAX_SERVICES 1000
#define CATALOG_MAX_ITEMS 64
#define CATALOG_MAX_TEXT 1024
#define CATALOG_MAX_FILE (4 * 1024 * 1024)

struct aw_catalog {
	struct aw_sender **v;
	size_t n;
	struct aw_strv selectors;
	struct aw_strv problems;
};

struct aw_catalog *
aw_catalog_new(void)
{
	struct aw_catalog *cat = calloc(1, sizeof *cat);

	if (cat == NULL)
		return NULL;
	aw_strv_init(&cat->selectors);
	aw_strv_init(&cat->problems);
	return cat;
}

static void
sender_free(struct aw_sender *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nspf; i++) {
		free(s->spf[i].include);
		free(s->spf[i].lighter);
		free(s->spf[i].note);
		free(s->spf[i].source);
		free(s->spf[i].lookups_source);
		free(s->spf[i].lookups_observed);
	}
	free(s->spf);
	for (i = 0; i < s->ncnames; i++) {
		free(s->cnames[i].selector);
		free(s->cnames[i].target);
	}
	free(s->cnames);
	for (i = 0; i < s->nplaceholders; i++) {
		free(s->placeholders[i].name);
		free(s->placeholders[i].description);
	}
	free(s->placeholders);
	aw_strv_done(&s->dkim_selectors);
	aw_strv_done(&s->dkim_target_domains);
	free(s->id);
	free(s->name);
	free(s->category);
	free(s->spf_note);
	free(s->dkim_note);
	free(s->dkim_source);
	free(s->verify_type);
	free(s->verify_name);
	free(s->verify_value);
	free(s->verify_source);
	free(s->origin);
	free(s);
}

void
aw_catalog_free(struct aw_catalog *cat)
{
	size_t i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->n; i++)
		sender_free(cat->v[i]);
	free(cat->v);
	aw_strv_done(&cat->selectors);
	aw_strv_done(&cat->problems);
	free(cat);
}

/* Shape errors: what is wrong, into err, with the line of the service
 * it is in (jansson keeps no positions for values: see value_lines). */
struct parse {
	const char *origin;
	struct aw_error *err;
	char what[96];        /* "service 3 (google)" */
	unsigned line;        /* where what begins; 0: unknown */
	unsigned *lines;      /* line of each service, or NULL */
	size_t nlines;
};

static bool
fail(struct parse *p, const char *fmt, const char *field)
{
	char msg[256], where[AW_ERROR_WHERE_MAX];

	snprintf(msg, sizeof msg, fmt, field);
	if (p->line > 0)
		snprintf(where, sizeof where, "%s:%u", p->origin, p->line);
	else
		snprintf(where, sizeof where, "%s", p->origin);
	aw_error_setw(p->err, AW_ERR_INVALID, where, "%s: %s", p->what, msg);
	return false;
}

/* The line each service begins on in text, which jansson has already
 * accepted as JSON: the elements of the top-level "services" array, or
 * the top-level object itself when it is one service. lines[] gets at
 * most max; returns how many services were seen. *root_line gets the
 * line of the top-level value. */
static size_t
value_lines(const char *text, unsigned *lines, size_t max,
    unsigned *root_line)
{
	const char *c;
	unsigned line = 1;
	int depth = 0, in_services = 0;
	bool key_next = false, services_key = false, want_elem = false,
	    seen_root = false, done = false;
	size_t n = 0;

	*root_line = 1;
	for (c = text; *c != '\0'; c++) {
		if (*c == '\n') {
			line++;
			continue;
		}
		if (*c == ' ' || *c == '\t' || *c == '\r')
			continue;
		if (!seen_root) {
			seen_root = true;
			*root_line = line;
		}
		if (want_elem && *c != ']') {
			if (n < max)
				lines[n] = line;
			n++;
			want_elem = false;
		}
		switch (*c) {
		case '"': {
			const char *start = ++c;

			for (; *c != '\0' && *c != '"'; c++) {
				if (*c == '\\' && c[1] != '\0')
					c++;
				else if (*c == '\n')
					line++;
			}
			if (depth == 1 && key_next) {
				services_key = c - start == 8 &&
				    strncmp(start, "services", 8) == 0;
				key_next = false;
			}
			if (*c == '\0')
				return n;
			break;
		}
		case '{':
		case '[':
			depth++;
			if (depth == 1 && *c == '{')
				key_next = true;
			if (depth == 2 && *c == '[' && services_key && !done) {
				in_services = 2;
				want_elem = true;
			}
			break;
		case '}':
		case ']':
			if (depth == in_services && *c == ']') {
				in_services = 0;
				done = true;
			}
			depth--;
			break;
		case ',':
			if (depth == 1)
				key_next = true;
			if (in_services != 0 && depth == in_services)
				want_elem = true;
			break;
		default:
			break;
		}
	}
	return n;
}

/* An optional string member; *out NULL when absent. */
static bool
get_str(struct parse *p, json_t *o, const char *key, bool required,
    char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(p, _("missing \"%s\""), key);
		return true;
	}
	if (!json_is_string(v) || json_string_length(v) > CATALOG_MAX_TEXT ||
	    memchr(json_string_value(v), '\0', json_string_length(v)) != NULL)
		return fail(p, _("\"%s\" must be a string of at most 1024 bytes"),
		    key);
	if ((*out = strdup(json_string_value(v))) == NULL)
		return fail(p, "%s", _("out of memory"));
	return true;
}

static bool
get_strv(struct parse *p, json_t *o, const char *key, struct aw_strv *sv)
{
	json_t *a = json_object_get(o, key), *v;
	size_t i;

	if (a == NULL || json_is_null(a))
		return true;
	if (!json_is_array(a) || json_array_size(a) > CATALOG_MAX_ITEMS)
		return fail(p, _("\"%s\" must be an array of at most 64 strings"),
		    key);
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) ||
		    json_string_length(v) > CATALOG_MAX_TEXT)
			return fail(p, _("\"%s\" must be an array of strings"),
			    key);
		if (aw_strv_push(sv, json_string_value(v)) != AW_OK)
			return fail(p, "%s", _("out of memory"));
	}
	return true;
}

/* A DNS name member: valid syntax, lower-cased, no trailing dot. */
static bool
get_name(struct parse *p, json_t *o, const char *key, bool required,
    char **out)
{
	char *raw, *norm;

	if (!get_str(p, o, key, required, &raw))
		return false;
	if (raw == NULL)
		return true;
	norm = aw_domain_normalize(raw);
	free(raw);
	if (norm == NULL)
		return fail(p, "%s", _("out of memory"));
	if (!aw_domain_valid(norm)) {
		free(norm);
		return fail(p, _("\"%s\" is not a domain name"), key);
	}
	*out = norm;
	return true;
}

static bool
parse_spf(struct parse *p, struct aw_sender *s, json_t *a)
{
	json_t *e, *lk;
	size_t i;

	if (a == NULL || json_is_null(a))
		return true;
	if (!json_is_array(a) || json_array_size(a) > CATALOG_MAX_ITEMS)
		return fail(p, "%s", _("\"spf\" must be an array"));
	if (json_array_size(a) == 0)
		return true;
	s->spf = calloc(json_array_size(a), sizeof *s->spf);
	if (s->spf == NULL)
		return fail(p, "%s", _("out of memory"));
	json_array_foreach(a, i, e) {
		struct aw_sender_spf *sp = &s->spf[s->nspf++];

		sp->lookups = -1;
		if (!json_is_object(e))
			return fail(p, "%s", _("each \"spf\" entry must be an object"));
		if (!get_name(p, e, "include", true, &sp->include) ||
		    !get_name(p, e, "lighter", false, &sp->lighter) ||
		    !get_str(p, e, "note", false, &sp->note) ||
		    !get_str(p, e, "source", false, &sp->source) ||
		    !get_str(p, e, "lookups_source", false, &sp->lookups_source) ||
		    !get_str(p, e, "lookups_observed", false,
		    &sp->lookups_observed))
			return false;
		lk = json_object_get(e, "lookups");
		if (lk != NULL && !json_is_null(lk)) {
			/* RFC 7208 §4.6.4: at most 10 in all. */
			if (!json_is_integer(lk) || json_integer_value(lk) < 0 ||
			    json_integer_value(lk) > 10)
				return fail(p, "%s",
				    _("\"lookups\" must be a number from 0 to 10 or null"));
			sp->lookups = (int)json_integer_value(lk);
		}
	}
	return true;
}

static bool
parse_dkim(struct parse *p, struct aw_sender *s, json_t *d)
{
	json_t *a, *e;
	char *method = NULL;
	size_t i;

	if (d == NULL || json_is_null(d))
		return true;
	if (!json_is_object(d))
		return fail(p, "%s", _("\"dkim\" must be an object"));
	if (!get_str(p, d, "method", true, &method))
		return false;
	if (strcmp(method, "cname") == 0)
		s->dkim_method = AW_SENDER_DKIM_CNAME;
	else if (strcmp(method, "txt") == 0)
		s->dkim_method = AW_SENDER_DKIM_TXT;
	else if (strcmp(method, "none") == 0)
		s->dkim_method = AW_SENDER_DKIM_NONE;
	else {
		free(method);
		return fail(p, "%s",
		    _("\"method\" must be \"cname\", \"txt\" or \"none\""));
	}
	free(method);
	if (!get_strv(p, d, "selectors", &s->dkim_selectors) ||
	    !get_strv(p, d, "target_domains", &s->dkim_target_domains) ||
	    !get_str(p, d, "note", false, &s->dkim_note) ||
	    !get_str(p, d, "source", false, &s->dkim_source))
		return false;
	for (i = 0; i < s->dkim_target_domains.n; i++) {
		char *norm = aw_domain_normalize(s->dkim_target_domains.v[i]);

		if (norm == NULL || !aw_domain_valid(norm)) {
			free(norm);
			return fail(p, "%s",
			    _("\"target_domains\" must list domain names"));
		}
		free(s->dkim_target_domains.v[i]);
		s->dkim_target_domains.v[i] = norm;
	}
	a = json_object_get(d, "cnames");
	if (a == NULL || json_is_null(a)) {
		if (s->dkim_method == AW_SENDER_DKIM_CNAME)
			return fail(p, _("missing \"%s\""), "cnames");
		return true;
	}
	if (!json_is_array(a) || json_array_size(a) > CATALOG_MAX_ITEMS)
		return fail(p, "%s", _("\"cnames\" must be an array"));
	if (json_array_size(a) == 0)
		return true;
	s->cnames = calloc(json_array_size(a), sizeof *s->cnames);
	if (s->cnames == NULL)
		return fail(p, "%s", _("out of memory"));
	json_array_foreach(a, i, e) {
		struct aw_sender_cname *c = &s->cnames[s->ncnames++];

		if (!json_is_object(e))
			return fail(p, "%s", _("each \"cnames\" entry must be an object"));
		if (!get_str(p, e, "selector", true, &c->selector) ||
		    !get_str(p, e, "target", true, &c->target))
			return false;
	}
	return true;
}

static bool
parse_service(struct parse *p, json_t *o, size_t index, struct aw_sender **out)
{
	struct aw_sender *s;
	json_t *v, *a, *e;
	size_t i;

	*out = NULL;
	snprintf(p->what, sizeof p->what, _("service %zu"), index + 1);
	if (p->lines != NULL && index < p->nlines)
		p->line = p->lines[index];
	if (!json_is_object(o))
		return fail(p, "%s", _("must be an object"));
	if ((s = calloc(1, sizeof *s)) == NULL)
		return fail(p, "%s", _("out of memory"));
	aw_strv_init(&s->dkim_selectors);
	aw_strv_init(&s->dkim_target_domains);
	if (!get_str(p, o, "id", true, &s->id))
		goto fail;
	if (s->id[0] == '\0' || strlen(s->id) > 64 ||
	    strspn(s->id, "abcdefghijklmnopqrstuvwxyz0123456789-_") !=
	    strlen(s->id)) {
		fail(p, "%s",
		    _("\"id\" must be 1 to 64 of a-z, 0-9, '-' and '_'"));
		goto fail;
	}
	snprintf(p->what, sizeof p->what, _("service %zu (%s)"), index + 1,
	    s->id);
	if (!get_str(p, o, "name", true, &s->name) ||
	    !get_str(p, o, "category", false, &s->category) ||
	    !get_str(p, o, "spf_note", false, &s->spf_note) ||
	    !parse_spf(p, s, json_object_get(o, "spf")) ||
	    !parse_dkim(p, s, json_object_get(o, "dkim")))
		goto fail;
	v = json_object_get(o, "verification");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_object(v)) {
			fail(p, "%s", _("\"verification\" must be an object"));
			goto fail;
		}
		if (!get_str(p, v, "type", true, &s->verify_type) ||
		    !get_str(p, v, "name", true, &s->verify_name) ||
		    !get_str(p, v, "value", true, &s->verify_value) ||
		    !get_str(p, v, "source", false, &s->verify_source))
			goto fail;
		if (strcmp(s->verify_type, "TXT") != 0 &&
		    strcmp(s->verify_type, "CNAME") != 0) {
			fail(p, "%s", _("verification \"type\" must be TXT or CNAME"));
			goto fail;
		}
	}
	a = json_object_get(o, "placeholders");
	if (a != NULL && !json_is_null(a)) {
		if (!json_is_array(a) || json_array_size(a) > CATALOG_MAX_ITEMS) {
			fail(p, "%s", _("\"placeholders\" must be an array"));
			goto fail;
		}
		s->placeholders = calloc(json_array_size(a) + 1,
		    sizeof *s->placeholders);
		if (s->placeholders == NULL) {
			fail(p, "%s", _("out of memory"));
			goto fail;
		}
		json_array_foreach(a, i, e) {
			struct aw_sender_placeholder *ph =
			    &s->placeholders[s->nplaceholders++];

			if (!json_is_object(e)) {
				fail(p, "%s", _("each placeholder must be an object"));
				goto fail;
			}
			if (!get_str(p, e, "name", true, &ph->name) ||
			    !get_str(p, e, "description", false,
			    &ph->description))
				goto fail;
		}
	}
	if ((s->origin = strdup(p->origin)) == NULL) {
		fail(p, "%s", _("out of memory"));
		goto fail;
	}
	*out = s;
	return true;
fail:
	sender_free(s);
	return false;
}

/* Adds services (replacing those with the same id) once the whole
 * document parsed: a bad file adds nothing. */
static enum aw_status
load_json(struct aw_catalog *cat, json_t *root, const char *text,
    const char *origin, struct aw_error *err)
{
	struct aw_sender **got = NULL;
	unsigned lines[CATALOG_MAX_SERVICES], root_line = 0;
	struct parse p;
	json_t *services, *sel;
	size_t i, k, n = 0;
	enum aw_status st = AW_OK;

	memset(&p, 0, sizeof p);
	p.origin = origin;
	p.err = err;
	snprintf(p.what, sizeof p.what, "%s", _("the file"));
	if (text != NULL) {
		p.nlines = value_lines(text, lines, CATALOG_MAX_SERVICES,
		    &root_line);
		p.lines = lines;
		p.line = root_line;
	}
	if (!json_is_object(root)) {
		fail(&p, "%s", _("the file must hold a JSON object"));
		return AW_ERR_INVALID;
	}
	if (json_object_get(root, "id") != NULL) {
		services = json_array();
		if (services != NULL)
			json_array_append(services, root);
		/* One service: it begins where the file's object does. */
		if (text != NULL) {
			lines[0] = root_line;
			p.nlines = 1;
		}
	} else {
		services = json_incref(json_object_get(root, "services"));
		if (!json_is_array(services)) {
			json_decref(services);
			fail(&p, "%s",
			    _("the file must hold \"services\": [...] or one service with an \"id\""));
			return AW_ERR_INVALID;
		}
	}
	if (services == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
	if (json_array_size(services) > CATALOG_MAX_SERVICES) {
		json_decref(services);
		fail(&p, "%s", _("too many services (at most 1000)"));
		return AW_ERR_INVALID;
	}
	got = calloc(json_array_size(services) + 1, sizeof *got);
	if (got == NULL) {
		json_decref(services);
		return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
	}
	for (i = 0; i < json_array_size(services); i++) {
		if (!parse_service(&p, json_array_get(services, i), i, &got[n])) {
			st = AW_ERR_INVALID;
			goto done;
		}
		n++;
	}
	sel = json_object_get(root, "common_selectors");
	if (sel != NULL) {
		struct aw_strv tmp;

		aw_strv_init(&tmp);
		if (!get_strv(&p, root, "common_selectors", &tmp)) {
			aw_strv_done(&tmp);
			st = AW_ERR_INVALID;
			goto done;
		}
		for (k = 0; k < tmp.n; k++)
			if (aw_domain_valid(tmp.v[k]) &&
			    aw_strv_find(&cat->selectors, tmp.v[k]) < 0)
				aw_strv_push(&cat->selectors, tmp.v[k]);
		aw_strv_done(&tmp);
	}
	/* Commit: replace same ids, append the rest. */
	for (i = 0; i < n; i++) {
		struct aw_sender **grown;

		for (k = 0; k < cat->n; k++)
			if (strcmp(cat->v[k]->id, got[i]->id) == 0)
				break;
		if (k < cat->n) {
			sender_free(cat->v[k]);
			cat->v[k] = got[i];
			got[i] = NULL;
			continue;
		}
		grown = realloc(cat->v, (cat->n + 1) * sizeof *grown);
		if (grown == NULL) {
			st = aw_error_set(err, AW_ERR_NOMEM, "%s",
			    _("out of memory"));
			goto done;
		}
		cat->v = grown;
		cat->v[cat->n++] = got[i];
		got[i] = NULL;
	}
done:
	for (i = 0; i < n; i++)
		sender_free(got[i]);
	free(got);
	json_decref(services);
	return st;
}

static enum aw_status
json_fail(const json_error_t *jerr, const char *origin, struct aw_error *err)
{
	char where[AW_ERROR_WHERE_MAX];

	snprintf(where, sizeof where, "%s:%d", origin, jerr->line);
	return aw_error_setw(err, AW_ERR_INVALID, where, "%s", jerr->text);
}

enum aw_status
aw_catalog_load_string(struct aw_catalog *cat, const char *json,
    const char *origin, struct aw_error *err)
{
	json_error_t jerr;
	json_t *root;
	enum aw_status st;

	root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return json_fail(&jerr, origin, err);
	st = load_json(cat, root, json, origin, err);
	json_decref(root);
	return st;
}

/* A catalog file, whole, NUL-terminated (bounded: user files are not
 * trusted). */
static enum aw_status
read_text(const char *path, char **out, struct aw_error *err)
{
	struct aw_buf b;
	char chunk[8192];
	size_t got;
	FILE *fp;

	*out = NULL;
	if ((fp = fopen(path, "r")) == NULL)
		return aw_error_setw(err, AW_ERR_IO, path, "%s",
		    aw_strerror(errno));
	aw_buf_init(&b);
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (b.len + got > CATALOG_MAX_FILE) {
			fclose(fp);
			aw_buf_done(&b);
			return aw_error_setw(err, AW_ERR_INVALID, path,
			    _("the file is larger than %d bytes"),
			    CATALOG_MAX_FILE);
		}
		if (aw_buf_append(&b, chunk, got) != AW_OK) {
			fclose(fp);
			aw_buf_done(&b);
			return aw_error_set(err, AW_ERR_NOMEM, "%s",
			    _("out of memory"));
		}
	}
	if (ferror(fp)) {
		int e = errno;

		fclose(fp);
		aw_buf_done(&b);
		return aw_error_setw(err, AW_ERR_IO, path, "%s", aw_strerror(e));
	}
	fclose(fp);
	if (memchr(aw_buf_str(&b), '\0', b.len) != NULL) {
		aw_buf_done(&b);
		return aw_error_setw(err, AW_ERR_INVALID, path, "%s",
		    _("the file holds a NUL byte"));
	}
	*out = aw_buf_steal(&b);
	return *out != NULL ? AW_OK : aw_error_set(err, AW_ERR_NOMEM, "%s",
	    _("out of memory"));
}

enum aw_status
aw_catalog_load_file(struct aw_catalog *cat, const char *path,
    struct aw_error *err)
{
	char *text;
	enum aw_status st;

	if ((st = read_text(path, &text, err)) != AW_OK)
		return st;
	st = aw_catalog_load_string(cat, text, path, err);
	free(text);
	return st;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The user's senders.d files, each on its own: a bad one is a problem. */
static void
load_user_dir(struct aw_catalog *cat)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct aw_strv files;
	struct dirent *de;
	char *dir = NULL;
	DIR *d;
	size_t i;

	if (xdg != NULL && xdg[0] == '/') {
		if (asprintf(&dir, "%s/authwizard/senders.d", xdg) < 0)
			return;
	} else if (home != NULL && home[0] == '/') {
		if (asprintf(&dir, "%s/.config/authwizard/senders.d", home) < 0)
			return;
	} else {
		return;
	}
	if ((d = opendir(dir)) == NULL) {
		if (errno != ENOENT)
			aw_strv_pushf(&cat->problems, "%s: %s", dir,
			    aw_strerror(errno));
		free(dir);
		return;
	}
	aw_strv_init(&files);
	while ((de = readdir(d)) != NULL && files.n < CATALOG_MAX_SERVICES) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 6 ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		aw_strv_pushf(&files, "%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (files.n > 0)
		qsort(files.v, files.n, sizeof *files.v, name_cmp);
	for (i = 0; i < files.n; i++) {
		struct aw_error err;

		aw_error_clear(&err);
		if (aw_catalog_load_file(cat, files.v[i], &err) != AW_OK) {
			if (err.where[0] != '\0')
				aw_strv_pushf(&cat->problems, "%s: %s",
				    err.where, err.msg);
			else
				aw_strv_pushf(&cat->problems, "%s: %s",
				    files.v[i], err.msg);
		}
	}
	aw_strv_done(&files);
	free(dir);
}

/* The installed catalog file: the first DIR/senders.json that exists of
 * the directories datadir.h names. None: err names every path tried. */
static enum aw_status
installed_path(char **out, struct aw_error *err)
{
	const char *dirs[4];
	size_t n = aw_data_dirs(AW_DATA_CATALOG, dirs, 4), i;
	char first[AW_ERROR_WHERE_MAX];
	struct aw_buf tried;
	enum aw_status st;

	*out = NULL;
	aw_buf_init(&tried);
	for (i = 0; i < n; i++) {
		char *path = NULL;

		if (asprintf(&path, "%s/%s", dirs[i], AW_CATALOG_FILE) < 0) {
			aw_buf_done(&tried);
			return aw_error_set(err, AW_ERR_NOMEM, "%s",
			    _("out of memory"));
		}
		if (access(path, F_OK) == 0) {
			aw_buf_done(&tried);
			*out = path;
			return AW_OK;
		}
		aw_buf_printf(&tried, "%s%s", i ? ", " : "", path);
		free(path);
	}
	/* where: the first path tried (the best place for the file). */
	snprintf(first, sizeof first, "%s/%s", n > 0 ? dirs[0] : ".",
	    AW_CATALOG_FILE);
	st = aw_error_setw(err, AW_ERR_IO, first,
	    _("no such file (tried %s)"), aw_buf_str(&tried));
	aw_buf_done(&tried);
	return st;
}

enum aw_status
aw_catalog_load(struct aw_catalog **out, struct aw_error *err)
{
	struct aw_catalog *cat;
	enum aw_status st;
	char *path = NULL;

	*out = NULL;
	if ((st = installed_path(&path, err)) != AW_OK)
		return st;
	if ((cat = aw_catalog_new()) == NULL) {
		free(path);
		return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
	}
	st = aw_catalog_load_file(cat, path, err);
	free(path);
	if (st != AW_OK) {
		aw_catalog_free(cat);
		return st;
	}
	load_user_dir(cat);
	*out = cat;
	return AW_OK;
}

static struct aw_catalog *default_cat;
static struct aw_error default_err;
static bool default_tried;

const struct aw_catalog *
aw_catalog_default(void)
{
	if (!default_tried) {
		default_tried = true;
		aw_error_clear(&default_err);
		if (aw_catalog_load(&default_cat, &default_err) != AW_OK)
			default_cat = NULL;
	}
	return default_cat;
}

const struct aw_error *
aw_catalog_default_error(void)
{
	return &default_err;
}

void
aw_catalog_default_free(void)
{
	aw_catalog_free(default_cat);
	default_cat = NULL;
	default_tried = false;
}

const struct aw_strv *
aw_catalog_problems(const struct aw_catalog *cat)
{
	return &cat->problems;
}

size_t
aw_catalog_count(const struct aw_catalog *cat)
{
	return cat != NULL ? cat->n : 0;
}

const struct aw_sender *
aw_catalog_get(const struct aw_catalog *cat, size_t i)
{
	return cat != NULL && i < cat->n ? cat->v[i] : NULL;
}

const struct aw_sender *
aw_catalog_find(const struct aw_catalog *cat, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < aw_catalog_count(cat); i++)
		if (aw_strcasecmp(cat->v[i]->id, id) == 0)
			return cat->v[i];
	return NULL;
}

const struct aw_sender *
aw_catalog_find_by_include(const struct aw_catalog *cat, const char *include,
    const struct aw_sender_spf **spf)
{
	size_t i, k;

	if (spf != NULL)
		*spf = NULL;
	for (i = 0; include != NULL && i < aw_catalog_count(cat); i++)
		for (k = 0; k < cat->v[i]->nspf; k++)
			if (aw_domain_equal(cat->v[i]->spf[k].include,
			    include)) {
				if (spf != NULL)
					*spf = &cat->v[i]->spf[k];
				return cat->v[i];
			}
	return NULL;
}

const char *
aw_catalog_lighter_include(const struct aw_catalog *cat, const char *include)
{
	const struct aw_sender_spf *spf;

	if (aw_catalog_find_by_include(cat, include, &spf) == NULL)
		return NULL;
	return spf->lighter;
}

const char *
aw_catalog_spf_lighter(void *arg, const char *include)
{
	const struct aw_catalog *cat = arg;

	return cat != NULL ? aw_catalog_lighter_include(cat, include) : NULL;
}

const struct aw_sender *
aw_catalog_find_by_dkim_target(const struct aw_catalog *cat,
    const char *target)
{
	const struct aw_sender *best = NULL;
	size_t i, k, bestlen = 0;

	/* The longest matching domain wins (dkim.mail.microsoft would beat a
	 * hypothetical "microsoft"). */
	for (i = 0; target != NULL && i < aw_catalog_count(cat); i++) {
		const struct aw_strv *td = &cat->v[i]->dkim_target_domains;

		for (k = 0; k < td->n; k++)
			if (aw_domain_is_under(target, td->v[k]) &&
			    strlen(td->v[k]) > bestlen) {
				best = cat->v[i];
				bestlen = strlen(td->v[k]);
			}
	}
	return best;
}

const struct aw_strv *
aw_catalog_common_selectors(const struct aw_catalog *cat)
{
	return &cat->selectors;
}
