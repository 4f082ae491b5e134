/* expect.c: from plans, journals and wants to propagation watch items. */
#include "config.h"

#include <string.h>

#include "core/str.h"
#include "providers/expect.h"

/* The types the watch can judge; AW_RECORD_ANY for any other. */
static enum aw_record_type
expect_type(enum aw_record_type t)
{
	switch (t) {
	case AW_RECORD_A:
	case AW_RECORD_AAAA:
	case AW_RECORD_CNAME:
	case AW_RECORD_PTR:
	case AW_RECORD_MX:
	case AW_RECORD_TXT:
	case AW_RECORD_NS:
		return t;
	default:
		return AW_RECORD_ANY;
	}
}

/* The kind of a TXT value by its version tag: "v=spf1" (RFC 7208 §4.5),
 * "v=DMARC1" (RFC 7489 §6.4), "v=DKIM1" (RFC 6376 §3.6.1); NULL for
 * others (verification tokens: several live side by side). */
static const char *
txt_kind(const char *v)
{
	static const char *const tags[] = { "v=spf1", "v=DMARC1", "v=DKIM1",
	    "v=STSv1", "v=TLSRPTv1" };
	size_t i, n;

	for (i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		n = strlen(tags[i]);
		if (aw_strncasecmp(v, tags[i], n) == 0 &&
		    (v[n] == '\0' || v[n] == ' ' || v[n] == ';'))
			return tags[i];
	}
	return NULL;
}

/* The old value that v replaces in change c, or NULL. */
static const char *
replaced_value(const struct aw_change *c, const char *v)
{
	const struct aw_record *o = &c->old, *n = &c->new;
	const char *kind, *found = NULL;
	size_t i, gone = 0;

	if (n->type == AW_RECORD_TXT) {
		if ((kind = txt_kind(v)) == NULL)
			return NULL;
		for (i = 0; i < o->values.n; i++)
			if (aw_record_find(n, o->values.v[i]) < 0 &&
			    txt_kind(o->values.v[i]) == kind)
				return o->values.v[i];
		return NULL;
	}
	for (i = 0; i < o->values.n; i++)
		if (aw_record_find(n, o->values.v[i]) < 0) {
			found = o->values.v[i];
			gone++;
		}
	return gone == 1 ? found : NULL;
}

static bool
change_counts(const struct aw_plan *plan, const struct aw_change *c)
{
	size_t i;
	bool applied = false;

	/* A plan that was applied (a journal) has states; one that was not
	 * has every change PENDING. */
	for (i = 0; i < plan->nchanges; i++)
		if (plan->changes[i].state != AW_CHANGE_PENDING)
			applied = true;
	if (!applied)
		return true;
	return c->state == AW_CHANGE_MADE || c->state == AW_CHANGE_PARTIAL ||
	    c->state == AW_CHANGE_SKIPPED;
}

/* False (and the name noted once) when name is outside zone. */
static bool
expect_keep(const char *name, const char *zone, struct aw_strv *skipped)
{
	if (zone == NULL || aw_domain_is_under(name, zone))
		return true;
	if (skipped != NULL && aw_strv_find(skipped, name) < 0)
		aw_strv_push(skipped, name);
	return false;
}

enum aw_status
aw_expect_plan(struct aw_watch *w, const struct aw_plan *plan, size_t *added)
{
	return aw_expect_plan_under(w, plan, NULL, added, NULL);
}

enum aw_status
aw_expect_plan_under(struct aw_watch *w, const struct aw_plan *plan,
    const char *zone, size_t *added, struct aw_strv *skipped)
{
	size_t i, j, n = 0;
	enum aw_status st;

	for (i = 0; i < plan->nchanges; i++) {
		const struct aw_change *c = &plan->changes[i];
		const struct aw_record *o = &c->old, *nw = &c->new;
		enum aw_record_type t = expect_type(nw->type ? nw->type : o->type);
		const char *name = nw->name ? nw->name : o->name;

		if (t == AW_RECORD_ANY || name == NULL || !change_counts(plan, c) ||
		    !expect_keep(name, zone, skipped))
			continue;
		for (j = 0; j < nw->values.n; j++) {
			if (aw_record_find(o, nw->values.v[j]) >= 0)
				continue;
			st = aw_watch_add(w, name, t, AW_WATCH_PRESENT,
			    nw->values.v[j], replaced_value(c, nw->values.v[j]));
			if (st != AW_OK)
				return st;
			n++;
		}
		/* What the change took out must be gone: a deleted record,
		 * the second SPF record of a merge (RFC 7208 §3.2). */
		for (j = 0; j < o->values.n; j++) {
			if (aw_record_find(nw, o->values.v[j]) >= 0)
				continue;
			if (nw->values.n > 0 && t != AW_RECORD_TXT)
				continue;   /* a single value replaced: shown as old */
			st = aw_watch_add(w, name, t, AW_WATCH_ABSENT,
			    o->values.v[j], NULL);
			if (st != AW_OK)
				return st;
			n++;
		}
	}
	if (added != NULL)
		*added = n;
	return AW_OK;
}

enum aw_status
aw_expect_wants(struct aw_watch *w, const struct aw_wants *wants, size_t *added)
{
	return aw_expect_wants_under(w, wants, NULL, added, NULL);
}

enum aw_status
aw_expect_wants_under(struct aw_watch *w, const struct aw_wants *wants,
    const char *zone, size_t *added, struct aw_strv *skipped)
{
	size_t i, j, n = 0;
	enum aw_status st = AW_OK;

	for (i = 0; i < wants->n && st == AW_OK; i++) {
		const struct aw_want *wt = &wants->v[i];
		enum aw_record_type t = expect_type(wt->type);

		if (!expect_keep(wt->name, zone, skipped))
			continue;

		switch (wt->kind) {
		case AW_WANT_SPF:
			/* RFC 7208 §4.6.1: the terms of the one SPF record. */
			for (j = 0; j < wt->spf_terms.n && st == AW_OK; j++, n++)
				st = aw_watch_add(w, wt->name, AW_RECORD_TXT,
				    AW_WATCH_SPF_TERM, wt->spf_terms.v[j], NULL);
			if (wt->spf_all != NULL && st == AW_OK) {
				st = aw_watch_add(w, wt->name, AW_RECORD_TXT,
				    AW_WATCH_SPF_TERM, wt->spf_all, NULL);
				n++;
			}
			/* --spf-replace OLD=NEW: NEW in, OLD out; --spf-remove:
			 * the term out. */
			for (j = 0; j < wt->spf_replace_new.n && st == AW_OK; j++, n++)
				st = aw_watch_add(w, wt->name, AW_RECORD_TXT,
				    AW_WATCH_SPF_TERM, wt->spf_replace_new.v[j], NULL);
			for (j = 0; j < wt->spf_replace_old.n && st == AW_OK; j++, n++)
				st = aw_watch_add(w, wt->name, AW_RECORD_TXT,
				    AW_WATCH_SPF_NO_TERM, wt->spf_replace_old.v[j], NULL);
			for (j = 0; j < wt->spf_remove.n && st == AW_OK; j++, n++)
				st = aw_watch_add(w, wt->name, AW_RECORD_TXT,
				    AW_WATCH_SPF_NO_TERM, wt->spf_remove.v[j], NULL);
			break;
		case AW_WANT_TXT_ADD:
		case AW_WANT_TXT_PREFIX:
		case AW_WANT_RRSET:
			if (t == AW_RECORD_ANY)
				break;
			for (j = 0; j < wt->values.n && st == AW_OK; j++, n++)
				st = aw_watch_add(w, wt->name, t, AW_WATCH_PRESENT,
				    wt->values.v[j], NULL);
			break;
		}
	}
	if (added != NULL)
		*added = n;
	return st;
}

enum aw_status
aw_expect_change_ids(const struct aw_plan *plan, struct aw_strv *out)
{
	size_t i;
	enum aw_status st;

	for (i = 0; i < plan->nchanges; i++) {
		const struct aw_change *c = &plan->changes[i];

		if (c->host_change_id == NULL || c->host_change_id[0] == '\0' ||
		    (c->state != AW_CHANGE_MADE && c->state != AW_CHANGE_PARTIAL) ||
		    aw_strv_find(out, c->host_change_id) >= 0)
			continue;
		if ((st = aw_strv_push(out, c->host_change_id)) != AW_OK)
			return st;
	}
	return AW_OK;
}
