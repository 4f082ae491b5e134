/* plan.c: wanted records against the zone's current ones -> rrset changes
 * (the JSON form and plan files: plan-json.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/plan.h"
#include "checks/spf-build.h"
#include "checks/mta-sts.h"
#include "checks/spf-terms.h"
#include "checks/tls-rpt.h"

#define PLAN_TXT_MAX 4000     /* Route 53's value limit; the strictest host */

void
aw_wants_init(struct aw_wants *w)
{
	memset(w, 0, sizeof *w);
}

static void
want_done(struct aw_want *x)
{
	free(x->name);
	free(x->prefix);
	free(x->spf_all);
	aw_strv_done(&x->values);
	aw_strv_done(&x->spf_terms);
	aw_strv_done(&x->spf_remove);
	aw_strv_done(&x->spf_replace_old);
	aw_strv_done(&x->spf_replace_new);
	memset(x, 0, sizeof *x);
}

void
aw_wants_done(struct aw_wants *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		want_done(&w->v[i]);
	free(w->v);
	aw_strv_done(&w->unknown);
	aw_strv_done(&w->unknown_why);
	memset(w, 0, sizeof *w);
}

static struct aw_want *
wants_push(struct aw_wants *w, enum aw_want_kind kind, const char *name,
    enum aw_record_type type, struct aw_error *err)
{
	struct aw_want *x;

	if (!aw_domain_valid(name)) {
		char *shown = aw_str_escape_dup(name, strlen(name), 256);

		aw_error_setw(err, AW_ERR_INVALID, shown ? shown : "",
		    _("not a valid DNS name"));
		free(shown);
		return NULL;
	}
	if (w->n == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 8;
		struct aw_want *grown = realloc(w->v, ncap * sizeof *grown);

		if (grown == NULL) {
			aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			return NULL;
		}
		w->v = grown;
		w->cap = ncap;
	}
	x = &w->v[w->n];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	x->type = type;
	if ((x->name = aw_domain_normalize(name)) == NULL) {
		aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		return NULL;
	}
	w->n++;
	return x;
}

static enum aw_status
wants_check_txt(const char *value, struct aw_error *err)
{
	if (strlen(value) > PLAN_TXT_MAX)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("a TXT value longer than %d bytes"), PLAN_TXT_MAX);
	return AW_OK;
}

enum aw_status
aw_wants_add_spf(struct aw_wants *w, const char *name,
    const char *const *terms, size_t nterms, const char *all,
    struct aw_error *err)
{
	struct aw_want *x;
	size_t i;

	for (i = 0; i < nterms; i++)
		if (terms[i][0] == '\0' || strpbrk(terms[i], " \t\"") != NULL)
			return aw_error_setw(err, AW_ERR_INVALID, terms[i],
			    _("not a single SPF term"));
	if ((x = wants_push(w, AW_WANT_SPF, name, AW_RECORD_TXT, err)) == NULL)
		return err != NULL ? err->status : AW_ERR_INVALID;
	for (i = 0; i < nterms; i++)
		if (aw_strv_push(&x->spf_terms, terms[i]) != AW_OK)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if (all != NULL && (x->spf_all = strdup(all)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_wants_add_txt(struct aw_wants *w, const char *name, const char *value,
    struct aw_error *err)
{
	struct aw_want *x;

	if (wants_check_txt(value, err) != AW_OK)
		return AW_ERR_INVALID;
	/* An SPF record given as plain TXT is merged, never added beside
	 * another one (RFC 7208 §3.2). */
	if (aw_spf_is_record_str(value)) {
		struct aw_strv terms;
		char *all = NULL;
		size_t bad = 0;
		enum aw_status st;

		aw_strv_init(&terms);
		if ((st = aw_spf_split(value, &terms, &all, &bad)) != AW_OK)
			return aw_error_set(err, st, _("out of memory"));
		if (bad > 0)
			st = aw_error_set(err, AW_ERR_INVALID,
			    _("not a valid SPF record: %s"), value);
		else
			st = aw_wants_add_spf(w, name, (const char *const *)terms.v,
			    terms.n, all, err);
		aw_strv_done(&terms);
		free(all);
		return st;
	}
	/* One MTA-STS record, one TLS-RPT record (RFC 8461 §3.1, RFC 8460
	 * §3): a new one replaces the one there. */
	if (aw_mta_sts_is_record(value, strlen(value)))
		return aw_wants_add_txt_replace(w, name, "v=STSv1", value, err);
	if (aw_tls_rpt_is_record(value, strlen(value)))
		return aw_wants_add_txt_replace(w, name, "v=TLSRPTv1", value, err);
	if ((x = wants_push(w, AW_WANT_TXT_ADD, name, AW_RECORD_TXT, err)) == NULL)
		return err != NULL ? err->status : AW_ERR_INVALID;
	if (aw_strv_push(&x->values, value) != AW_OK)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_wants_add_txt_replace(struct aw_wants *w, const char *name,
    const char *prefix, const char *value, struct aw_error *err)
{
	struct aw_want *x;

	if (!aw_str_has_prefix_ci(value, prefix))
		return aw_error_setw(err, AW_ERR_INVALID, value,
		    _("the new value does not start with %s"), prefix);
	if (wants_check_txt(value, err) != AW_OK)
		return AW_ERR_INVALID;
	if ((x = wants_push(w, AW_WANT_TXT_PREFIX, name, AW_RECORD_TXT,
	    err)) == NULL)
		return err != NULL ? err->status : AW_ERR_INVALID;
	if (aw_strv_push(&x->values, value) != AW_OK ||
	    (x->prefix = strdup(prefix)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_wants_add_delete(struct aw_wants *w, const char *name,
    enum aw_record_type type, struct aw_error *err)
{
	return wants_push(w, AW_WANT_RRSET, name, type, err) != NULL ? AW_OK :
	    err != NULL ? err->status : AW_ERR_INVALID;
}

enum aw_status
aw_wants_add_dmarc(struct aw_wants *w, const char *domain, const char *record,
    struct aw_error *err)
{
	enum aw_status st;
	char *name;

	/* RFC 7489 §6.1: the policy record is a TXT at _dmarc.<domain> and
	 * starts with "v=DMARC1". */
	if (!aw_str_has_prefix_ci(record, "v=DMARC1"))
		return aw_error_setw(err, AW_ERR_INVALID, record,
		    _("a DMARC record starts with v=DMARC1"));
	if ((name = malloc(strlen(domain) + 8)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	sprintf(name, "_dmarc.%s", domain);
	st = aw_wants_add_txt_replace(w, name, "v=DMARC1", record, err);
	free(name);
	return st;
}


static char *
wants_dkim_name(const char *domain, const char *selector)
{
	char *name = malloc(strlen(domain) + strlen(selector) + 13);

	/* RFC 6376 §3.6.2.1: <selector>._domainkey.<domain>. */
	if (name != NULL)
		sprintf(name, "%s._domainkey.%s", selector, domain);
	return name;
}

enum aw_status
aw_wants_add_dkim_txt(struct aw_wants *w, const char *domain,
    const char *selector, const char *record, struct aw_error *err)
{
	struct aw_want *x;
	char *name;

	if (wants_check_txt(record, err) != AW_OK)
		return AW_ERR_INVALID;
	if ((name = wants_dkim_name(domain, selector)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	x = wants_push(w, AW_WANT_RRSET, name, AW_RECORD_TXT, err);
	free(name);
	if (x == NULL)
		return err != NULL ? err->status : AW_ERR_INVALID;
	if (aw_strv_push(&x->values, record) != AW_OK)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_wants_add_dkim_cname(struct aw_wants *w, const char *domain,
    const char *selector, const char *target, struct aw_error *err)
{
	struct aw_want *x;
	char *name;

	if (!aw_domain_valid(target))
		return aw_error_setw(err, AW_ERR_INVALID, target,
		    _("not a valid DNS name"));
	if ((name = wants_dkim_name(domain, selector)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	x = wants_push(w, AW_WANT_RRSET, name, AW_RECORD_CNAME, err);
	free(name);
	if (x == NULL)
		return err != NULL ? err->status : AW_ERR_INVALID;
	if (aw_strv_take(&x->values, aw_domain_normalize(target)) != AW_OK)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_wants_add_rrset(struct aw_wants *w, const char *name,
    enum aw_record_type type, const char *const *values, size_t nvalues,
    unsigned ttl, struct aw_error *err)
{
	struct aw_want *x;
	struct aw_record tmp;
	size_t i;

	if (type == AW_RECORD_ANY || type == AW_RECORD_OTHER ||
	    type == AW_RECORD_SPF || nvalues == 0)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("a record set needs a type and at least one value"));
	if ((x = wants_push(w, AW_WANT_RRSET, name, type, err)) == NULL)
		return err != NULL ? err->status : AW_ERR_INVALID;
	x->ttl = ttl;
	if (aw_record_init(&tmp, name, type, ttl) != AW_OK)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	for (i = 0; i < nvalues; i++)
		if (aw_record_add(&tmp, values[i]) != AW_OK) {
			aw_record_done(&tmp);
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		}
	x->values = tmp.values;
	aw_strv_init(&tmp.values);
	aw_record_done(&tmp);
	return AW_OK;
}

enum aw_status
aw_wants_add_ptr(struct aw_wants *w, const char *ip, const char *host,
    struct aw_error *err)
{
	unsigned char a[16];
	struct aw_buf name;
	const char *values[1];
	enum aw_status st;
	int i;

	if (!aw_domain_valid(host))
		return aw_error_setw(err, AW_ERR_INVALID, host,
		    _("not a valid DNS name"));
	aw_buf_init(&name);
	if (inet_pton(AF_INET, ip, a) == 1)
		/* RFC 1035 §3.5: octets in reverse under in-addr.arpa. */
		aw_buf_printf(&name, "%u.%u.%u.%u.in-addr.arpa", a[3], a[2], a[1], a[0]);
	else if (inet_pton(AF_INET6, ip, a) == 1) {
		/* RFC 3596 §2.5: nibbles in reverse under ip6.arpa. */
		for (i = 15; i >= 0; i--)
			aw_buf_printf(&name, "%x.%x.", a[i] & 0xf, a[i] >> 4);
		aw_buf_puts(&name, "ip6.arpa");
	} else
		return aw_error_setw(err, AW_ERR_INVALID, ip,
		    _("not an IP address"));
	if (name.data == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	values[0] = host;
	st = aw_wants_add_rrset(w, aw_buf_str(&name), AW_RECORD_PTR, values, 1, 0,
	    err);
	aw_buf_done(&name);
	return st;
}

enum aw_status
aw_wants_names(const struct aw_wants *wants, struct aw_strv *out)
{
	size_t i;

	for (i = 0; i < wants->n; i++)
		if (aw_strv_find(out, wants->v[i].name) < 0 &&
		    aw_strv_push(out, wants->v[i].name) != AW_OK)
			return AW_ERR_NOMEM;
	return AW_OK;
}

void
aw_plan_init(struct aw_plan *plan)
{
	memset(plan, 0, sizeof *plan);
	aw_strv_init(&plan->notes);
	aw_strv_init(&plan->warnings);
	aw_strv_init(&plan->refused);
}

void
aw_plan_done(struct aw_plan *plan)
{
	size_t i;

	if (plan == NULL)
		return;
	for (i = 0; i < plan->nchanges; i++)
		aw_change_done(&plan->changes[i]);
	free(plan->changes);
	free(plan->domain);
	free(plan->provider);
	aw_strv_done(&plan->notes);
	aw_strv_done(&plan->warnings);
	aw_strv_done(&plan->refused);
	aw_preflight_result_done(&plan->preflight);
	memset(plan, 0, sizeof *plan);
}

struct aw_change *
aw_plan_push(struct aw_plan *plan)
{
	struct aw_change *c;

	if (plan->nchanges == plan->cap) {
		size_t ncap = plan->cap ? plan->cap * 2 : 8;
		struct aw_change *grown = realloc(plan->changes,
		    ncap * sizeof *grown);

		if (grown == NULL)
			return NULL;
		plan->changes = grown;
		plan->cap = ncap;
	}
	c = &plan->changes[plan->nchanges++];
	memset(c, 0, sizeof *c);
	aw_strv_init(&c->notes);
	return c;
}

size_t
aw_plan_count_pending(const struct aw_plan *plan)
{
	size_t i, n = 0;

	for (i = 0; i < plan->nchanges; i++)
		if (plan->changes[i].state != AW_CHANGE_SKIPPED)
			n++;
	return n;
}

/* RFC 7208 §4.5: an SPF record is a TXT starting "v=spf1" followed by a
 * space or the end. */
static bool
plan_is_spf(const char *v)
{
	return aw_spf_is_record_str(v);
}

static bool
plan_has_prefix(const char *v, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!aw_str_has_prefix_ci(v, prefix))
		return false;
	/* "v=DMARC1;" or "v=DMARC1 ;" (RFC 7489 §6.4 allows spaces). */
	return v[n] == '\0' || v[n] == ';' || v[n] == ' ' || v[n] == '\t';
}

/* One record set being worked out: where it starts and what it becomes. */
struct plan_target {
	const struct aw_record *current;   /* NULL: none now */
	struct aw_record want;
	struct aw_strv notes;
	bool explicit_ttl;
};

static void
plan_remove_value(struct aw_record *r, size_t i)
{
	free(r->values.v[i]);
	memmove(&r->values.v[i], &r->values.v[i + 1],
	    (r->values.n - i - 1) * sizeof r->values.v[0]);
	r->values.n--;
}

static enum aw_status
plan_insert_value(struct aw_record *r, size_t at, const char *value)
{
	enum aw_status st = aw_strv_push(&r->values, value);
	char *moved;

	if (st != AW_OK || at >= r->values.n - 1)
		return st;
	moved = r->values.v[r->values.n - 1];
	memmove(&r->values.v[at + 1], &r->values.v[at],
	    (r->values.n - 1 - at) * sizeof r->values.v[0]);
	r->values.v[at] = moved;
	return AW_OK;
}

static enum aw_status
plan_apply_spf(struct plan_target *t, const struct aw_want *x,
    struct aw_plan *plan, struct aw_error *err)
{
	struct aw_strv existing;
	struct aw_spf_want sw;
	struct aw_spf_build b;
	enum aw_status st;
	size_t i, first = (size_t)-1;

	aw_strv_init(&existing);
	for (i = 0; i < t->want.values.n; i++)
		if (plan_is_spf(t->want.values.v[i])) {
			if (first == (size_t)-1)
				first = i;
			aw_strv_push(&existing, t->want.values.v[i]);
		}
	memset(&sw, 0, sizeof sw);
	sw.terms = (const char *const *)x->spf_terms.v;
	sw.nterms = x->spf_terms.n;
	sw.all = x->spf_all;
	sw.remove = (const char *const *)x->spf_remove.v;
	sw.nremove = x->spf_remove.n;
	sw.replace_old = (const char *const *)x->spf_replace_old.v;
	sw.replace_new = (const char *const *)x->spf_replace_new.v;
	sw.nreplace = x->spf_replace_old.n;
	st = aw_spf_build((const char *const *)existing.v, existing.n, &sw, &b, err);
	if (st != AW_OK) {
		aw_strv_done(&existing);
		return st;
	}
	if (existing.n >= 2)
		/* RFC 7208 §3.2: two or more SPF records are a permerror. */
		aw_strv_pushf(&t->notes,
		    _("%zu SPF records at %s merged into one (two or more are an error, RFC 7208 §3.2)"),
		    existing.n, x->name);
	for (i = 0; i < b.notes.n; i++)
		aw_strv_push(&t->notes, b.notes.v[i]);
	for (i = 0; i < b.warnings.n; i++)
		aw_strv_push(&plan->warnings, b.warnings.v[i]);
	i = 0;
	while (i < t->want.values.n) {
		if (plan_is_spf(t->want.values.v[i]))
			plan_remove_value(&t->want, i);
		else
			i++;
	}
	st = plan_insert_value(&t->want, first == (size_t)-1 ?
	    t->want.values.n : first, b.record);
	aw_spf_build_done(&b);
	aw_strv_done(&existing);
	return st != AW_OK ? aw_error_set(err, st, _("out of memory")) : AW_OK;
}

/* The refusal for a want that would put a CNAME beside other data or
 * other data beside a CNAME (RFC 1034 §3.6.2, RFC 2181 §10.1). NULL
 * when fine; caller frees. */
static char *
plan_cname_conflict(const struct aw_want *x, const struct aw_record_set *cur)
{
	struct aw_buf b;
	size_t i;
	bool any = false;

	aw_buf_init(&b);
	for (i = 0; i < cur->n; i++) {
		const struct aw_record *r = &cur->v[i];

		if (!aw_domain_equal(r->name, x->name) || r->values.n == 0)
			continue;
		if (x->type == AW_RECORD_CNAME && r->type != AW_RECORD_CNAME) {
			aw_buf_printf(&b, "%s%s", any ? ", " : "", r->type_name);
			any = true;
		} else if (x->type != AW_RECORD_CNAME && r->type == AW_RECORD_CNAME) {
			aw_buf_reset(&b);
			aw_buf_printf(&b, _("%s %s: %s is a CNAME (to %s); other records cannot be added beside it (RFC 1034 §3.6.2)"),
			    x->name, aw_record_type_name(x->type), x->name,
			    r->values.v[0]);
			return aw_buf_steal(&b);
		}
	}
	if (any) {
		struct aw_buf m;

		aw_buf_init(&m);
		aw_buf_printf(&m, _("%s CNAME: the name already holds other records (%s); a CNAME cannot stand beside other data (RFC 1034 §3.6.2)"),
		    x->name, aw_buf_str(&b));
		aw_buf_done(&b);
		return aw_buf_steal(&m);
	}
	aw_buf_done(&b);
	return NULL;
}

/* Unknown is not absent: a want that would create a record set at a name
 * whose current records could not be read. NULL when fine; caller frees. */
static char *
plan_unknown(const struct aw_wants *wants, const struct aw_want *x,
    const struct aw_record_set *cur)
{
	const struct aw_record *r;
	struct aw_buf b;
	size_t i;

	for (i = 0; i < wants->unknown.n; i++) {
		if (!aw_domain_equal(wants->unknown.v[i], x->name))
			continue;
		r = aw_record_set_find(cur, x->name, x->type);
		if (r != NULL && r->values.n > 0)
			return NULL;
		aw_buf_init(&b);
		aw_buf_printf(&b, _("%s %s: the records now at this name could not be read (%s); nothing is created there until they can be, so an existing record is not overwritten or doubled"),
		    x->name, aw_record_type_name(x->type),
		    wants->unknown_why.v[i]);
		return aw_buf_steal(&b);
	}
	return NULL;
}

static const struct aw_zone *
plan_zone_of(const struct aw_strv *names, const struct aw_zone *zones,
    const char *name)
{
	long i = aw_strv_find(names, name);

	/* A name whose zone was not found has an empty slot. */
	return i >= 0 && zones[i].id != NULL ? &zones[i] : NULL;
}

enum aw_status
aw_plan_build(const struct aw_wants *wants, const struct aw_record_set *current,
    const struct aw_strv *names, const struct aw_zone *zones,
    struct aw_plan *plan, struct aw_error *err)
{
	struct plan_target *targets = NULL;
	size_t ntargets = 0, i, j;
	enum aw_status st = AW_OK;

	if (wants->n > 0 && (targets = calloc(wants->n, sizeof *targets)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	for (i = 0; i < wants->n && st == AW_OK; i++) {
		const struct aw_want *x = &wants->v[i];
		struct plan_target *t = NULL;
		char *why;

		if ((why = plan_cname_conflict(x, current)) != NULL) {
			aw_strv_take(&plan->refused, why);
			continue;
		}
		if ((why = plan_unknown(wants, x, current)) != NULL) {
			aw_strv_take(&plan->refused, why);
			continue;
		}
		if (plan_zone_of(names, zones, x->name) == NULL) {
			aw_strv_pushf(&plan->refused,
			    _("%s: no zone at this DNS host holds the name"), x->name);
			continue;
		}
		for (j = 0; j < ntargets; j++)
			if (targets[j].want.type == x->type &&
			    aw_domain_equal(targets[j].want.name, x->name))
				t = &targets[j];
		if (t == NULL) {
			t = &targets[ntargets++];
			t->current = aw_record_set_find(current, x->name, x->type);
			aw_strv_init(&t->notes);
			if (t->current != NULL)
				st = aw_record_copy(&t->want, t->current);
			else
				st = aw_record_init(&t->want, x->name, x->type, 0);
			if (st != AW_OK)
				break;
		}
		if (x->ttl != 0) {
			t->want.ttl = x->ttl;
			t->explicit_ttl = true;
		}
		switch (x->kind) {
		case AW_WANT_SPF:
			st = plan_apply_spf(t, x, plan, err);
			break;
		case AW_WANT_TXT_ADD:
			st = aw_record_add(&t->want, x->values.v[0]);
			break;
		case AW_WANT_TXT_PREFIX:
			/* RFC 7489 §6.6.3: with more than one DMARC record none
			 * applies, so every v=DMARC1 value is replaced. */
			j = 0;
			while (j < t->want.values.n) {
				if (plan_has_prefix(t->want.values.v[j], x->prefix))
					plan_remove_value(&t->want, j);
				else
					j++;
			}
			st = aw_record_add(&t->want, x->values.v[0]);
			break;
		case AW_WANT_RRSET:
			aw_strv_done(&t->want.values);
			for (j = 0; j < x->values.n && st == AW_OK; j++)
				st = aw_record_add(&t->want, x->values.v[j]);
			break;
		}
	}
	for (i = 0; i < ntargets && st == AW_OK; i++) {
		struct plan_target *t = &targets[i];
		const struct aw_record *cur = t->current;
		const struct aw_zone *z = plan_zone_of(names, zones, t->want.name);
		struct aw_change *c;

		if (cur != NULL && aw_record_same_values(cur, &t->want) &&
		    (!t->explicit_ttl || cur->ttl == t->want.ttl))
			continue;
		if (cur == NULL && t->want.values.n == 0)
			continue;
		if ((c = aw_plan_push(plan)) == NULL) {
			st = AW_ERR_NOMEM;
			break;
		}
		c->kind = cur == NULL || cur->values.n == 0 ? AW_CHANGE_CREATE :
		    t->want.values.n == 0 ? AW_CHANGE_DELETE : AW_CHANGE_UPDATE;
		c->zone.id = aw_strdup(z->id);
		c->zone.name = aw_strdup(z->name);
		if (cur != NULL)
			st = aw_record_copy(&c->old, cur);
		else
			st = aw_record_init(&c->old, t->want.name, t->want.type, 0);
		if (st == AW_OK) {
			c->new = t->want;
			memset(&t->want, 0, sizeof t->want);
			if (c->new.ttl == 0)
				c->new.ttl = c->old.ttl;
		}
		c->notes = t->notes;
		aw_strv_init(&t->notes);
	}
	for (i = 0; i < ntargets; i++) {
		aw_record_done(&targets[i].want);
		aw_strv_done(&targets[i].notes);
	}
	free(targets);
	if (st != AW_OK && (err == NULL || err->status == AW_OK))
		aw_error_set(err, st, _("out of memory"));
	return st;
}

/* --- fetching what is there, through a provider --- */

struct aw_plan_job {
	struct aw_provider *p;
	const struct aw_wants *wants;
	struct aw_plan *plan;
	aw_plan_cb cb;
	void *arg;
	struct aw_strv names;
	struct aw_zone *zones;
	struct aw_record_set current;
	size_t index;
	struct aw_provider_op op;
	bool running;
	bool listing;
	bool finished;
	struct aw_error err;
	struct aw_loop_timer *start;   /* the first step, from the loop */
	struct aw_provider_run *run;   /* the operation under way */
};

static void plan_job_next(struct aw_plan_job *job);

static void
plan_job_finish(struct aw_plan_job *job, enum aw_status st)
{
	job->finished = true;
	job->cb(job->plan, st, st == AW_OK ? NULL : &job->err, job->arg);
}

static void
plan_job_op_cb(struct aw_provider_op *op, enum aw_status st,
    const struct aw_error *err, void *arg)
{
	struct aw_plan_job *job = arg;
	size_t i;

	job->run = NULL;
	job->running = false;
	if (st == AW_ERR_NOTFOUND && !job->listing) {
		/* No zone: that want is refused by aw_plan_build, the others go on. */
		aw_provider_op_done(job->p, op);
		job->index++;
		plan_job_next(job);
		return;
	}
	if (st != AW_OK) {
		job->err = *err;
		aw_provider_op_done(job->p, op);
		plan_job_finish(job, st);
		return;
	}
	if (!job->listing) {
		job->zones[job->index] = op->zone;
		memset(&op->zone, 0, sizeof op->zone);
		aw_provider_op_done(job->p, op);
		job->listing = true;
		plan_job_next(job);
		return;
	}
	for (i = 0; i < op->records.n; i++)
		aw_record_set_take(&job->current, &op->records.v[i]);
	aw_provider_op_done(job->p, op);
	job->listing = false;
	job->index++;
	plan_job_next(job);
}

static void
plan_job_next(struct aw_plan_job *job)
{
	enum aw_status st;

	if (job->index >= job->names.n) {
		st = aw_plan_build(job->wants, &job->current, &job->names,
		    job->zones, job->plan, &job->err);
		plan_job_finish(job, st);
		return;
	}
	aw_provider_op_init(&job->op, job->listing ? AW_OP_LIST : AW_OP_FIND_ZONE);
	job->op.name = job->names.v[job->index];
	job->op.type = AW_RECORD_ANY;
	if (job->listing &&
	    aw_provider_op_set_zone(&job->op, &job->zones[job->index]) != AW_OK) {
		aw_error_set(&job->err, AW_ERR_NOMEM, _("out of memory"));
		plan_job_finish(job, AW_ERR_NOMEM);
		return;
	}
	job->running = true;
	if ((st = aw_provider_run(job->p, &job->op, plan_job_op_cb, job,
	    &job->run, &job->err)) != AW_OK) {
		job->running = false;
		plan_job_finish(job, st);
	}
}

static void
plan_job_begin(void *arg)
{
	struct aw_plan_job *job = arg;

	job->start = NULL;
	plan_job_next(job);
}

enum aw_status
aw_plan_make(struct aw_provider *p, const char *domain,
    const struct aw_wants *wants, struct aw_plan *plan, aw_plan_cb cb,
    void *arg, struct aw_plan_job **out, struct aw_error *err)
{
	struct aw_plan_job *job;

	*out = NULL;
	if ((job = calloc(1, sizeof *job)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	job->p = p;
	job->wants = wants;
	job->plan = plan;
	job->cb = cb;
	job->arg = arg;
	aw_strv_init(&job->names);
	aw_record_set_init(&job->current);
	free(plan->domain);
	free(plan->provider);
	plan->domain = aw_domain_normalize(domain);
	plan->provider = strdup(p->ops->name);
	if (plan->domain == NULL || plan->provider == NULL ||
	    aw_wants_names(wants, &job->names) != AW_OK ||
	    (job->zones = calloc(job->names.n + 1, sizeof *job->zones)) == NULL) {
		aw_plan_job_free(job);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	/* Even with nothing to look up, cb runs from the loop. */
	if ((job->start = aw_loop_timer_add(p->loop, 0, plan_job_begin, job)) == NULL) {
		aw_plan_job_free(job);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*out = job;
	return AW_OK;
}

void
aw_plan_job_free(struct aw_plan_job *job)
{
	size_t i;

	if (job == NULL)
		return;
	if (job->start != NULL)
		aw_loop_timer_cancel(job->p->loop, job->start);
	if (job->run != NULL) {
		/* Freed while looking: stop the request; nothing was changed. */
		aw_provider_cancel(job->p, job->run);
		aw_provider_op_done(job->p, &job->op);
	}
	for (i = 0; job->zones != NULL && i < job->names.n; i++)
		aw_zone_done(&job->zones[i]);
	free(job->zones);
	aw_strv_done(&job->names);
	aw_record_set_done(&job->current);
	free(job);
}

struct plan_sync {
	bool done;
	enum aw_status st;
	struct aw_error *err;
};

static void
plan_sync_cb(struct aw_plan *plan, enum aw_status st,
    const struct aw_error *err, void *arg)
{
	struct plan_sync *s = arg;

	(void)plan;
	s->done = true;
	s->st = st;
	if (err != NULL && s->err != NULL)
		*s->err = *err;
}

enum aw_status
aw_plan_make_sync(struct aw_provider *p, const char *domain,
    const struct aw_wants *wants, struct aw_plan *plan, struct aw_error *err)
{
	struct plan_sync s;
	struct aw_plan_job *job;
	enum aw_status st;

	memset(&s, 0, sizeof s);
	s.err = err;
	if ((st = aw_plan_make(p, domain, wants, plan, plan_sync_cb, &s, &job,
	    err)) != AW_OK)
		return st;
	while (!s.done)
		if (!aw_loop_run_once(p->loop, -1))
			break;
	aw_plan_job_free(job);
	if (!s.done)
		return aw_error_set(err, AW_ERR_INTERNAL, _("the event loop stopped"));
	return s.st;
}
