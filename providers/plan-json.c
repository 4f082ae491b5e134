/* plan-json.c: the plan's JSON form (--json, plan files, the journal) and
 * plan files on disk (written whole, synced and renamed into place). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/file.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/plan.h"

static json_t *
plan_strv_json(const struct aw_strv *sv)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static json_t *
plan_record_json(const struct aw_record *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "ttl", json_integer(r->ttl));
	json_object_set_new(o, "values", plan_strv_json(&r->values));
	return o;
}

/* Text that is not valid UTF-8 cannot be a JSON string: shown as "?". */
static json_t *
plan_text_json(const char *s)
{
	json_t *j = json_string(s != NULL ? s : "");

	return j != NULL ? j : json_string("?");
}

static json_t *
plan_preflight_json(const struct aw_preflight_result *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < r->n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "code", json_string(r->v[i].code));
		json_object_set_new(o, "severity",
		    json_string(aw_severity_name(r->v[i].severity)));
		json_object_set_new(o, "name", plan_text_json(r->v[i].name));
		json_object_set_new(o, "message", plan_text_json(r->v[i].message));
		json_object_set_new(o, "rfc", r->v[i].rfc != NULL ?
		    json_string(r->v[i].rfc) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
aw_plan_to_json(const struct aw_plan *plan)
{
	json_t *root = json_object(), *changes = json_array();
	size_t i;

	json_object_set_new(root, "domain", json_string(plan->domain ? plan->domain : ""));
	json_object_set_new(root, "provider",
	    json_string(plan->provider ? plan->provider : ""));
	for (i = 0; i < plan->nchanges; i++) {
		const struct aw_change *c = &plan->changes[i];
		json_t *o = json_object(), *z = json_object();

		json_object_set_new(o, "action", json_string(aw_change_kind_name(c->kind)));
		json_object_set_new(o, "name", json_string(c->new.name ? c->new.name : c->old.name));
		json_object_set_new(o, "type", json_string(c->new.type_name ?
		    c->new.type_name : c->old.type_name));
		json_object_set_new(z, "id", json_string(c->zone.id ? c->zone.id : ""));
		json_object_set_new(z, "name", json_string(c->zone.name ? c->zone.name : ""));
		json_object_set_new(o, "zone", z);
		json_object_set_new(o, "old", plan_record_json(&c->old));
		json_object_set_new(o, "new", plan_record_json(&c->new));
		json_object_set_new(o, "notes", plan_strv_json(&c->notes));
		json_object_set_new(o, "state", json_string(aw_change_state_name(c->state)));
		json_object_set_new(o, "confirmed", json_boolean(c->confirmed));
		if (c->host_change_id != NULL)
			json_object_set_new(o, "host_change_id",
			    json_string(c->host_change_id));
		json_array_append_new(changes, o);
	}
	json_object_set_new(root, "changes", changes);
	json_object_set_new(root, "notes", plan_strv_json(&plan->notes));
	json_object_set_new(root, "warnings", plan_strv_json(&plan->warnings));
	json_object_set_new(root, "refused", plan_strv_json(&plan->refused));
	json_object_set_new(root, "preflight", plan_preflight_json(&plan->preflight));
	return root;
}

static enum aw_status
plan_strv_from(const json_t *a, struct aw_strv *sv)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return AW_ERR_INVALID;
		if (aw_strv_push(sv, json_string_value(v)) != AW_OK)
			return AW_ERR_NOMEM;
	}
	return AW_OK;
}

static enum aw_status
plan_record_from(const json_t *o, const char *name, const char *type,
    struct aw_record *r)
{
	json_int_t ttl = json_integer_value(json_object_get(o, "ttl"));
	enum aw_status st;

	if (!json_is_object(o) || ttl < 0 || ttl > 2147483647)
		return AW_ERR_INVALID;
	if ((st = aw_record_init_word(r, name, type, (unsigned)ttl)) != AW_OK)
		return st;
	return plan_strv_from(json_object_get(o, "values"), &r->values);
}

static const char *const plan_state_names[] = {
	"pending", "made", "partial", "failed", "skipped", "in-flight",
	"unknown", "kept"
};

enum aw_status
aw_plan_from_json(const json_t *j, struct aw_plan *plan, struct aw_error *err)
{
	const char *domain = json_string_value(json_object_get(j, "domain"));
	const char *provider = json_string_value(json_object_get(j, "provider"));
	json_t *changes = json_object_get(j, "changes"), *o;
	enum aw_status st = AW_OK;
	size_t i, k;

	aw_plan_init(plan);
	/* A plan file is input: its names are shown and used as they are,
	 * so they must be DNS names. */
	if (domain == NULL || provider == NULL || !json_is_array(changes) ||
	    !aw_domain_valid(domain))
		return aw_error_set(err, AW_ERR_INVALID,
		    _("not an authwizard plan (domain, provider, changes)"));
	plan->domain = strdup(domain);
	plan->provider = strdup(provider);
	json_array_foreach(changes, i, o) {
		const char *action = json_string_value(json_object_get(o, "action"));
		const char *name = json_string_value(json_object_get(o, "name"));
		const char *type = json_string_value(json_object_get(o, "type"));
		const char *state = json_string_value(json_object_get(o, "state"));
		json_t *z = json_object_get(o, "zone");
		struct aw_change *c;

		if (action == NULL || name == NULL || type == NULL ||
		    !aw_domain_valid(name) || !json_is_object(z)) {
			st = AW_ERR_INVALID;
			break;
		}
		if ((c = aw_plan_push(plan)) == NULL) {
			st = AW_ERR_NOMEM;
			break;
		}
		c->kind = strcmp(action, "create") == 0 ? AW_CHANGE_CREATE :
		    strcmp(action, "delete") == 0 ? AW_CHANGE_DELETE : AW_CHANGE_UPDATE;
		c->zone.id = aw_strdup(json_string_value(json_object_get(z, "id")));
		c->zone.name = aw_strdup(json_string_value(json_object_get(z, "name")));
		if (c->zone.id == NULL || c->zone.name == NULL ||
		    !aw_domain_valid(c->zone.name)) {
			st = AW_ERR_INVALID;
			break;
		}
		for (k = 0; state != NULL &&
		    k < sizeof plan_state_names / sizeof plan_state_names[0]; k++)
			if (strcmp(state, plan_state_names[k]) == 0)
				c->state = (enum aw_change_state)k;
		c->confirmed = json_is_true(json_object_get(o, "confirmed"));
		c->host_change_id = aw_strdup(json_string_value(json_object_get(o,
		    "host_change_id")));
		if ((st = plan_record_from(json_object_get(o, "old"), name, type,
		    &c->old)) != AW_OK ||
		    (st = plan_record_from(json_object_get(o, "new"), name, type,
		    &c->new)) != AW_OK ||
		    (st = plan_strv_from(json_object_get(o, "notes"), &c->notes)) != AW_OK)
			break;
	}
	if (st == AW_OK)
		st = plan_strv_from(json_object_get(j, "notes"), &plan->notes);
	if (st == AW_OK)
		st = plan_strv_from(json_object_get(j, "warnings"), &plan->warnings);
	if (st == AW_OK)
		st = plan_strv_from(json_object_get(j, "refused"), &plan->refused);
	if (st == AW_OK && (plan->domain == NULL || plan->provider == NULL))
		st = AW_ERR_NOMEM;
	if (st != AW_OK) {
		aw_plan_done(plan);
		return aw_error_set(err, st, st == AW_ERR_NOMEM ? _("out of memory") :
		    _("the plan file is damaged"));
	}
	return AW_OK;
}

enum aw_status
aw_plan_save(const struct aw_plan *plan, const char *path, struct aw_error *err)
{
	json_t *j = aw_plan_to_json(plan);
	char *text = j != NULL ? json_dumps(j, JSON_INDENT(2)) : NULL;
	int e;

	json_decref(j);
	if (text == NULL)
		return aw_error_set(err, AW_ERR_NOMEM,
		    _("the plan could not be written as JSON"));
	/* Never through a link someone left at the temporary's name (the
	 * plan may be saved in a shared directory such as /tmp). */
	e = aw_file_replace(path, text, strlen(text), 0600, AW_FILE_NEWLINE,
	    NULL);
	free(text);
	if (e != 0)
		return aw_error_setw(err, AW_ERR_IO, path, "%s", aw_strerror(e));
	return AW_OK;
}

enum aw_status
aw_plan_load(const char *path, struct aw_plan *plan, struct aw_error *err)
{
	json_error_t je;
	json_t *j;
	enum aw_status st;

	aw_plan_init(plan);
	if ((j = json_load_file(path, 0, &je)) == NULL) {
		if (access(path, F_OK) != 0)
			return aw_error_setw(err, AW_ERR_NOTFOUND, path, "%s",
			    aw_strerror(errno));
		return aw_error_setw(err, AW_ERR_IO, path,
		    _("not a readable plan: %s (line %d)"), je.text, je.line);
	}
	st = aw_plan_from_json(j, plan, err);
	json_decref(j);
	return st;
}
