/* drift.c: snapshots of a domain check and what changed for the worse
 * between two of them. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dkim.h"
#include "checks/drift.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"

/* Bounds on what a baseline file may hold per domain. */
#define SNAP_MAX_ITEMS 512
#define SNAP_MAX_RECORDS 64

void
aw_snapshot_init(struct aw_snapshot *s)
{
	s->items = NULL;
	s->n = 0;
}

static void
item_done(struct aw_snap_item *it)
{
	free(it->id);
	free(it->area);
	aw_strv_done(&it->records);
}

void
aw_snapshot_done(struct aw_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		item_done(&s->items[i]);
	free(s->items);
	aw_snapshot_init(s);
}

/* Records are kept escaped (control bytes, bad UTF-8 as \\xNN): a
 * baseline file is JSON, and the live side is escaped the same way so
 * the two compare. */
static enum aw_status
push_record(struct aw_snap_item *it, const char *rec)
{
	char *e = aw_str_escape_dup(rec, strlen(rec), 65536);

	if (e == NULL)
		return AW_ERR_NOMEM;
	return aw_strv_take(&it->records, e);
}

static struct aw_snap_item *
item_push(struct aw_snapshot *s, const char *area, const char *key)
{
	struct aw_snap_item *grown, *it;

	grown = realloc(s->items, (s->n + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	s->items = grown;
	it = &s->items[s->n];
	memset(it, 0, sizeof *it);
	aw_strv_init(&it->records);
	it->area = strdup(area);
	if (key != NULL) {
		if (asprintf(&it->id, "%s:%s", area, key) < 0)
			it->id = NULL;
	} else {
		it->id = strdup(area);
	}
	if (it->area == NULL || it->id == NULL) {
		item_done(it);
		return NULL;
	}
	s->n++;
	return it;
}

/* DKIM discovery: one item per selector found, so a key that goes is a
 * record gone, not a changed list. */
static enum aw_status
take_dkim(struct aw_snapshot *s, const struct aw_section *sec)
{
	const struct aw_dkim_detail *d = sec->detail;
	struct aw_snap_item *it;
	size_t k;

	if (d == NULL || !d->discovery) {
		if ((it = item_push(s, sec->area, sec->key != NULL ? sec->key :
		    (d != NULL ? d->selector : NULL))) == NULL)
			return AW_ERR_NOMEM;
		it->status = sec->f.status;
		it->dns_failure = sec->f.dns_failure;
		if (d != NULL && d->has_key)
			it->bits = d->key.bits;
		for (k = 0; k < sec->f.records.n; k++)
			if (push_record(it, sec->f.records.v[k]) != AW_OK)
				return AW_ERR_NOMEM;
		return AW_OK;
	}
	for (k = 0; k < d->nfound; k++) {
		if ((it = item_push(s, sec->area, d->found[k].selector)) == NULL)
			return AW_ERR_NOMEM;
		it->status = d->found[k].usable ? AW_CHECK_OK : AW_CHECK_ERROR;
		it->bits = d->found[k].bits;
		if (d->found[k].record != NULL &&
		    push_record(it, d->found[k].record) != AW_OK)
			return AW_ERR_NOMEM;
	}
	/* A lookup that failed may hide a selector: not a selector gone. */
	if (sec->f.dns_failure) {
		if ((it = item_push(s, sec->area, NULL)) == NULL)
			return AW_ERR_NOMEM;
		it->dns_failure = true;
		it->status = sec->f.status;
	}
	return AW_OK;
}

enum aw_status
aw_snapshot_take(struct aw_domain_check *dc, struct aw_snapshot *out)
{
	size_t i, k;

	aw_snapshot_done(out);
	for (i = 0; i < aw_domain_check_count(dc); i++) {
		const struct aw_section *sec = aw_domain_check_section(dc, i);
		struct aw_snap_item *it;

		if (strcmp(sec->area, "dkim") == 0) {
			if (take_dkim(out, sec) != AW_OK)
				return AW_ERR_NOMEM;
			continue;
		}
		if ((it = item_push(out, sec->area, sec->key)) == NULL)
			return AW_ERR_NOMEM;
		it->status = sec->f.status;
		it->dns_failure = sec->f.dns_failure;
		for (k = 0; k < sec->f.records.n; k++)
			if (push_record(it, sec->f.records.v[k]) != AW_OK)
				return AW_ERR_NOMEM;
	}
	return AW_OK;
}

json_t *
aw_snapshot_to_json(const struct aw_snapshot *s)
{
	json_t *o = json_object(), *items = json_array();
	size_t i, k;

	for (i = 0; i < s->n; i++) {
		const struct aw_snap_item *it = &s->items[i];
		json_t *j = json_object(), *recs = json_array();

		json_object_set_new(j, "id", json_string(it->id));
		json_object_set_new(j, "status",
		    json_string(aw_check_status_name(it->status)));
		for (k = 0; k < it->records.n; k++)
			json_array_append_new(recs,
			    json_string(it->records.v[k]));
		json_object_set_new(j, "records", recs);
		if (it->bits > 0)
			json_object_set_new(j, "bits", json_integer(it->bits));
		if (it->dns_failure)
			json_object_set_new(j, "dns_failure", json_true());
		json_array_append_new(items, j);
	}
	json_object_set_new(o, "items", items);
	return o;
}

static bool
status_from_name(const char *s, enum aw_check_status *out)
{
	static const enum aw_check_status all[] = {
		AW_CHECK_OK, AW_CHECK_WARNING, AW_CHECK_ERROR, AW_CHECK_MISSING,
		AW_CHECK_PENDING
	};
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(aw_check_status_name(all[i]), s) == 0) {
			*out = all[i];
			return true;
		}
	return false;
}

enum aw_status
aw_snapshot_from_json(const json_t *j, struct aw_snapshot *out,
    struct aw_error *err)
{
	const json_t *items = json_object_get(j, "items"), *it;
	size_t i, k;

	aw_snapshot_done(out);
	if (!json_is_array(items) || json_array_size(items) > SNAP_MAX_ITEMS)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("\"items\" is not a list of at most %d entries"),
		    SNAP_MAX_ITEMS);
	json_array_foreach(items, i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		const char *st = json_string_value(json_object_get(it, "status"));
		const json_t *recs = json_object_get(it, "records"), *r;
		const json_t *bits = json_object_get(it, "bits");
		struct aw_snap_item *si;
		char *area, *colon;

		if (id == NULL || *id == '\0' || strlen(id) > 300 ||
		    st == NULL || !json_is_array(recs) ||
		    json_array_size(recs) > SNAP_MAX_RECORDS ||
		    (bits != NULL && !json_is_integer(bits)))
			return aw_error_set(err, AW_ERR_INVALID,
			    _("item %zu: needs \"id\", \"status\" and \"records\""),
			    i + 1);
		if ((area = strdup(id)) == NULL)
			return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
		colon = strchr(area, ':');
		if (colon != NULL)
			*colon = '\0';
		si = item_push(out, area, colon != NULL ? colon + 1 : NULL);
		free(area);
		if (si == NULL)
			return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
		if (!status_from_name(st, &si->status))
			return aw_error_set(err, AW_ERR_INVALID,
			    _("item %s: unknown status \"%.40s\""), si->id, st);
		si->bits = bits != NULL && json_integer_value(bits) > 0 &&
		    json_integer_value(bits) < 65536 ?
		    (unsigned)json_integer_value(bits) : 0;
		si->dns_failure = json_is_true(json_object_get(it, "dns_failure"));
		json_array_foreach(recs, k, r) {
			if (!json_is_string(r))
				return aw_error_set(err, AW_ERR_INVALID,
				    _("item %s: a record is not a string"), si->id);
			if (aw_strv_push(&si->records, json_string_value(r)) != AW_OK)
				return aw_error_set(err, AW_ERR_NOMEM, "%s",
				    _("out of memory"));
		}
	}
	return AW_OK;
}

void
aw_drifts_init(struct aw_drifts *d)
{
	d->v = NULL;
	d->n = 0;
	d->skipped = 0;
}

void
aw_drifts_done(struct aw_drifts *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].item);
		free(d->v[i].message);
		free(d->v[i].before);
		free(d->v[i].after);
	}
	free(d->v);
	aw_drifts_init(d);
}

static const struct aw_snap_item *
find_item(const struct aw_snapshot *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->items[i].id, id) == 0)
			return &s->items[i];
	return NULL;
}

static bool
has_area(const struct aw_snapshot *s, const char *area)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->items[i].area, area) == 0)
			return true;
	return false;
}

/* The records joined with " | ", or NULL when there are none. */
static char *
joined(const struct aw_strv *sv)
{
	struct aw_buf b;
	size_t i;
	char *s;

	if (sv->n == 0)
		return NULL;
	aw_buf_init(&b);
	for (i = 0; i < sv->n; i++)
		aw_buf_printf(&b, "%s%s", i ? " | " : "", sv->v[i]);
	s = strdup(aw_buf_str(&b));
	aw_buf_done(&b);
	return s;
}

/* Order does not matter: DNS returns a set in any order. */
static bool
same_records(const struct aw_strv *a, const struct aw_strv *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (aw_strv_find(b, a->v[i]) < 0)
			return false;
	return true;
}

static enum aw_status
add_drift(struct aw_drifts *out, const struct aw_snap_item *before,
    const struct aw_snap_item *after, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static enum aw_status
add_drift(struct aw_drifts *out, const struct aw_snap_item *before,
    const struct aw_snap_item *after, const char *code, const char *fmt, ...)
{
	struct aw_drift *grown, *d;
	va_list ap;

	grown = realloc(out->v, (out->n + 1) * sizeof *grown);
	if (grown == NULL)
		return AW_ERR_NOMEM;
	out->v = grown;
	d = &out->v[out->n++];
	memset(d, 0, sizeof *d);
	d->code = code;
	d->item = strdup(before->id);
	d->before = joined(&before->records);
	d->after = after != NULL ? joined(&after->records) : NULL;
	va_start(ap, fmt);
	if (vasprintf(&d->message, fmt, ap) < 0)
		d->message = NULL;
	va_end(ap);
	return d->item != NULL && d->message != NULL ? AW_OK : AW_ERR_NOMEM;
}

static enum aw_status
compare_item(const struct aw_snap_item *b, const struct aw_snap_item *a,
    struct aw_drifts *out)
{
	enum aw_status st = AW_OK;

	if (a->records.n == 0 && b->records.n > 0)
		st = add_drift(out, b, a, "drift.record-gone",
		    _("%s: the record is gone"), b->id);
	else if (!same_records(&b->records, &a->records))
		st = add_drift(out, b, a, "drift.record-changed",
		    _("%s: the record changed"), b->id);
	if (st == AW_OK && aw_check_status_rank(a->status) >
	    aw_check_status_rank(b->status))
		st = add_drift(out, b, a, "drift.verdict-down",
		    _("%s: the verdict went from %s to %s"), b->id,
		    aw_check_status_text(b->status),
		    aw_check_status_text(a->status));
	if (st == AW_OK && a->bits > 0 && b->bits > 0 && a->bits < b->bits)
		st = add_drift(out, b, a, "drift.key-shorter",
		    _("%s: the key was rotated to a shorter one (%u bits, was %u)"),
		    b->id, a->bits, b->bits);
	return st;
}

enum aw_status
aw_drift_compare(const struct aw_snapshot *before,
    const struct aw_snapshot *after, struct aw_drifts *out)
{
	size_t i;
	enum aw_status st = AW_OK;

	aw_drifts_done(out);
	for (i = 0; st == AW_OK && i < before->n; i++) {
		const struct aw_snap_item *b = &before->items[i];
		const struct aw_snap_item *a = find_item(after, b->id);

		if (b->dns_failure && b->records.n == 0)
			continue;
		if (a == NULL) {
			const struct aw_snap_item *fail;
			char area_only[64];

			/* Not asked this time (no --ip, another
			 * --selector): nothing to compare. */
			if (!has_area(after, b->area))
				continue;
			/* A failed discovery may hide the selector. */
			snprintf(area_only, sizeof area_only, "%s", b->area);
			fail = find_item(after, area_only);
			if (fail != NULL && fail->dns_failure) {
				out->skipped++;
				continue;
			}
			if (b->records.n > 0)
				st = add_drift(out, b, NULL, "drift.record-gone",
				    _("%s: the record is gone"), b->id);
			continue;
		}
		if (a->dns_failure) {
			out->skipped++;
			continue;
		}
		st = compare_item(b, a, out);
	}
	return st;
}
