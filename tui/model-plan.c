/* model-plan.c: the wizard's choices as the wants of `authwizard plan`
 * (providers/plan.h), the plan worked out from what DNS said (the same
 * engine, no host asked), the PTR requests to IP owners, and the plan's
 * changes as the review and the show target draw them. No diff of its
 * own: the review draws the plan's struct aw_change. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/ptr.h"
#include "checks/spf-terms.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/apply.h"
#include "tui/model-int.h"

/* ---- wants ---- */

/* RFC 7208 §3.2: one SPF record. When the user kept every published term
 * the plan merges the chosen terms into what the host holds (the builder
 * of checks/spf-build.h, as `authwizard plan --spf-include`); when terms
 * were taken out, the record chosen replaces every SPF record there. */
static enum aw_status
want_spf(const struct aw_tui_model *m, const char *draft, struct aw_wants *w,
    struct aw_error *err)
{
	struct aw_strv want, cur;
	char *all = NULL;
	size_t i;
	bool removed = false;
	enum aw_status st;

	aw_strv_init(&want);
	aw_strv_init(&cur);
	/* The draft's "all" is passed on as chosen: the plan keeps it
	 * (a published "-all" stays "-all"). */
	(void)aw_spf_split(draft, &want, &all, NULL);
	for (i = 0; i < m->cur_spf.n; i++)
		(void)aw_spf_split(m->cur_spf.v[i], &cur, NULL, NULL);
	for (i = 0; i < cur.n; i++)
		if (!aw_spf_terms_have((const char *const *)want.v, want.n, cur.v[i]))
			removed = true;
	if (!removed)
		st = aw_wants_add_spf(w, m->domain, (const char *const *)want.v,
		    want.n, all, err);
	else
		/* Every "v=spf1" value goes, the other TXT stay. */
		st = aw_wants_add_txt_replace(w, m->domain, "v=spf1", draft, err);
	free(all);
	aw_strv_done(&want);
	aw_strv_done(&cur);
	return st;
}

/* The forward record of the PTR name: what it has now plus the IP. */
static enum aw_status
want_addr(const struct aw_tui_model *m, const char *name,
    enum aw_record_type type, const char *ip, struct aw_wants *w,
    struct aw_error *err)
{
	struct aw_strv v;
	unsigned char buf[16];
	int fam = type == AW_RECORD_A ? AF_INET : AF_INET6;
	size_t i;
	enum aw_status st;

	aw_strv_init(&v);
	if (m->helo_checked != NULL && aw_domain_equal(m->helo_checked, name))
		for (i = 0; i < m->helo_addrs.n; i++)
			if (inet_pton(fam, m->helo_addrs.v[i], buf) == 1)
				aw_strv_push(&v, m->helo_addrs.v[i]);
	if (aw_strv_find(&v, ip) < 0)
		aw_strv_push(&v, ip);
	st = aw_wants_add_rrset(w, name, type, (const char *const *)v.v, v.n,
	    0, err);
	aw_strv_done(&v);
	return st;
}

/* A TXT record set at name changes: the draft is not the one record
 * published there. */
static bool
txt_changes(const struct aw_strv *cur, const char *draft)
{
	return draft != NULL && !(cur->n == 1 && strcmp(cur->v[0], draft) == 0);
}

/* The A/AAAA the PTR name of IP i needs to resolve back (FCrDNS), or 0. */
static enum aw_record_type
addr_wanted(const struct aw_tui_model *m, size_t i, const char *want)
{
	int fam = 0;

	if (want != NULL && m->ips[i].checked && !m->ips[i].dns_failure &&
	    tm_is_ip(m->ips[i].ip, &fam) &&
	    aw_domain_is_under(want, m->domain) &&
	    m->helo_checked != NULL && aw_domain_equal(m->helo_checked, want) &&
	    aw_strv_find(&m->helo_addrs, m->ips[i].ip) < 0)
		return fam == AF_INET ? AW_RECORD_A : AW_RECORD_AAAA;
	return AW_RECORD_ANY;
}

/* The DKIM records and the deletions of aliases to nowhere (RFC 6376
 * §3.6.2.1: a verifier finding no key fails the signature). */
static enum aw_status
wants_dkim(const struct aw_tui_model *m, struct aw_wants *w,
    struct aw_error *err)
{
	struct aw_strv dk, names;
	enum aw_status st = AW_OK;
	size_t i;

	aw_tui_model_dkim_records(m, &dk);
	aw_strv_init(&names);
	for (i = 0; i < dk.n && st == AW_OK; i++) {
		char *sp = strchr(dk.v[i], ' '), *sp2;
		const char *v[1];

		if (sp == NULL || (sp2 = strchr(sp + 1, ' ')) == NULL)
			continue;
		*sp = '\0';
		*sp2 = '\0';
		v[0] = sp2 + 1;
		aw_strv_push(&names, dk.v[i]);
		st = aw_wants_add_rrset(w, dk.v[i], aw_record_type_parse(sp + 1),
		    v, 1, 0, err);
	}
	for (i = 0; i < m->dkim_broken.n && st == AW_OK; i++) {
		size_t k;
		bool replaced = aw_domain_equal(m->dkim_broken.v[i], m->domain);

		for (k = 0; k < names.n; k++)
			if (aw_domain_equal(names.v[k], m->dkim_broken.v[i]))
				replaced = true;
		if (!replaced)
			st = aw_wants_add_delete(w, m->dkim_broken.v[i],
			    AW_RECORD_CNAME, err);
	}
	aw_strv_done(&names);
	aw_strv_done(&dk);
	return st;
}

enum aw_status
aw_tui_wants(const struct aw_tui_model *m, struct aw_wants *w,
    struct aw_error *err)
{
	enum aw_status st = AW_OK;
	size_t i;

	if (m->domain == NULL)
		return aw_error_set(err, AW_ERR_INVALID, _("no domain"));
	/* Never a record at a name whose records could not be read: the
	 * review says why (tm_review_check). */
	if (m->spf_unread == NULL && txt_changes(&m->cur_spf, m->spf_draft))
		st = want_spf(m, m->spf_draft, w, err);
	if (st == AW_OK)
		st = wants_dkim(m, w, err);
	if (st == AW_OK && m->dmarc_unread == NULL &&
	    txt_changes(&m->cur_dmarc, m->dmarc_draft))
		st = aw_wants_add_dmarc(w, m->domain, m->dmarc_draft, err);
	if (st == AW_OK)
		st = tm_bimi_want(m, w, err);
	for (i = 0; i < m->nips && st == AW_OK; i++) {
		char *want = tm_ptr_wanted(m), *req;
		enum aw_record_type t = addr_wanted(m, i, want);

		if (t != AW_RECORD_ANY)
			st = want_addr(m, want, t, m->ips[i].ip, w, err);
		/* The PTR, in case this host holds the reverse zone (RFC 1035
		 * §3.5, RFC 3596 §2.5); when it does not, the plan refuses it
		 * and the request to the IP's owner stays. Not one to refuse
		 * the rest for. */
		req = aw_tui_model_ptr_request(m, i);
		if (st == AW_OK && req != NULL && want != NULL &&
		    aw_wants_add_ptr(w, m->ips[i].ip, want, NULL) == AW_ERR_NOMEM)
			st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		free(req);
		free(want);
	}
	if (st == AW_OK)
		st = tm_mtasts_wants(m, w, err);
	return st;
}

/* ---- the plan from what DNS said ---- */

/* What the wizard read at name/type, into cur: true when it knows. */
static bool
offline_current(const struct aw_tui_model *m, const char *name,
    enum aw_record_type type, struct aw_record_set *cur, enum aw_status *st)
{
	const struct aw_strv *vals = NULL;
	struct aw_record *r;
	size_t i;
	bool known = true;

	*st = AW_OK;
	if (aw_record_set_find(cur, name, type) != NULL)
		return true;
	if ((r = aw_record_set_push(cur)) == NULL ||
	    aw_record_init(r, name, type, 0) != AW_OK) {
		*st = AW_ERR_NOMEM;
		return false;
	}
	if (type == AW_RECORD_PTR)
		return false;           /* the IP owner's zone: not read */
	if (type == AW_RECORD_TXT && aw_domain_equal(name, m->domain)) {
		/* Every TXT record there, when the lookup answered. */
		vals = &m->cur_txt;
		known = m->spf_unread == NULL;
	} else if (type == AW_RECORD_TXT && strncmp(name, "_dmarc.", 7) == 0 &&
	    aw_domain_equal(name + 7, m->domain)) {
		vals = &m->cur_dmarc;
	} else if (type == AW_RECORD_TXT &&
	    (vals = tm_mtasts_current(m, name, &known)) != NULL) {
		/* _mta-sts, _smtp._tls: as the MTA-STS step read them. */
	} else if (type == AW_RECORD_TXT && strstr(name, "._bimi.") != NULL) {
		/* What the overview read at the default selector's name. */
		if (strncmp(name, "default._bimi.", 14) == 0 &&
		    aw_domain_equal(name + 14, m->domain))
			vals = &m->cur_bimi;
	} else if (aw_strv_find(&m->dkim_broken, name) >= 0) {
		/* An alias to a name with no key: its target is not kept. */
		*st = aw_record_add(r, _("(an alias to a name with no key)"));
	}
	for (i = 0; vals != NULL && i < vals->n && *st == AW_OK; i++)
		*st = aw_record_add(r, vals->v[i]);
	return known;
}

enum aw_status
aw_tui_plan_offline(const struct aw_tui_model *m, struct aw_plan *plan,
    struct aw_error *err)
{
	struct aw_wants w;
	struct aw_record_set cur;
	struct aw_strv names;
	struct aw_zone *zones = NULL;
	enum aw_status st;
	size_t i;

	aw_wants_init(&w);
	aw_record_set_init(&cur);
	aw_strv_init(&names);
	if ((st = aw_tui_wants(m, &w, err)) != AW_OK)
		goto out;
	for (i = 0; i < w.n && st == AW_OK; i++) {
		const char *why = NULL;

		if (offline_current(m, w.v[i].name, w.v[i].type, &cur, &st) ||
		    st != AW_OK)
			continue;
		/* Unknown is not absent: the plan refuses to create there. */
		if (w.v[i].type == AW_RECORD_TXT && aw_domain_equal(w.v[i].name, m->domain))
			why = m->spf_unread;
		st = aw_wants_mark_unknown(&w, w.v[i].name,
		    why != NULL ? why : _("not looked at"));
	}
	if (st != AW_OK) {
		aw_error_set(err, st, _("out of memory"));
		goto out;
	}
	if ((st = aw_wants_names(&w, &names)) != AW_OK)
		goto out;
	/* Every name in the domain's zone: no host says otherwise. */
	if ((zones = calloc(names.n + 1, sizeof *zones)) == NULL) {
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		goto out;
	}
	for (i = 0; i < names.n; i++) {
		zones[i].id = aw_strdup(m->domain);
		zones[i].name = aw_strdup(m->domain);
		if (zones[i].id == NULL || zones[i].name == NULL) {
			st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			goto out;
		}
	}
	st = aw_plan_build(&w, &cur, &names, zones, plan, err);
	if (st == AW_OK && plan->domain == NULL &&
	    (plan->domain = aw_strdup(m->domain)) == NULL)
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
out:
	for (i = 0; zones != NULL && i < names.n; i++)
		aw_zone_done(&zones[i]);
	free(zones);
	aw_strv_done(&names);
	aw_record_set_done(&cur);
	aw_wants_done(&w);
	return st;
}

/* ---- the model's plan ---- */

void
tm_changes_free(struct aw_tui_model *m)
{
	size_t i;

	for (i = 0; m->cstate != NULL && i < m->plan.nchanges; i++)
		free(m->cstate[i].message);
	free(m->cstate);
	m->cstate = NULL;
	aw_plan_done(&m->plan);
	aw_plan_init(&m->plan);
	aw_wants_done(&m->wants);
	aw_wants_init(&m->wants);
	for (i = 0; i < m->nrequests; i++) {
		free(m->requests[i].name);
		free(m->requests[i].ptr);
		free(m->requests[i].text);
	}
	free(m->requests);
	m->requests = NULL;
	m->nrequests = 0;
}

bool
tm_plan_take(struct aw_tui_model *m, struct aw_plan *plan)
{
	struct aw_tui_change_state *cs;
	size_t i;

	cs = calloc(plan->nchanges + 1, sizeof *cs);
	if (cs == NULL) {
		aw_plan_done(plan);
		aw_plan_init(plan);
		return false;
	}
	for (i = 0; m->cstate != NULL && i < m->plan.nchanges; i++)
		free(m->cstate[i].message);
	free(m->cstate);
	aw_plan_done(&m->plan);
	m->plan = *plan;
	aw_plan_init(plan);
	m->cstate = cs;
	for (i = 0; i < m->plan.nchanges; i++) {
		cs[i].recheck = -1;
		cs[i].state = m->plan.changes[i].state == AW_CHANGE_SKIPPED ?
		    AW_TUI_SKIPPED : AW_TUI_PENDING;
	}
	return true;
}

/* The requests to the owners of sending IPs whose PTR is missing or not
 * forward-confirmed. */
static void
requests_build(struct aw_tui_model *m)
{
	size_t i;

	for (i = 0; i < m->nips; i++) {
		char *req = aw_tui_model_ptr_request(m, i), *rev;
		struct aw_tui_request *grown, *r;

		if (req == NULL)
			continue;
		rev = aw_reverse_name(m->ips[i].ip);
		grown = rev == NULL ? NULL : realloc(m->requests,
		    (m->nrequests + 1) * sizeof *grown);
		if (grown == NULL) {
			free(rev);
			free(req);
			continue;
		}
		m->requests = grown;
		r = &m->requests[m->nrequests++];
		memset(r, 0, sizeof *r);
		r->name = rev;
		r->ptr = tm_ptr_wanted(m);
		r->text = req;
	}
}

void
aw_tui_model_build_changes(struct aw_tui_model *m)
{
	struct aw_plan plan;
	struct aw_error err;

	tm_changes_free(m);
	tm_preflight_reset(m);
	if (m->domain == NULL)
		return;
	tm_spf_rebuild(m);
	tm_dmarc_rebuild(m);
	aw_error_clear(&err);
	aw_plan_init(&plan);
	if (aw_tui_wants(m, &m->wants, &err) != AW_OK ||
	    aw_tui_plan_offline(m, &plan, &err) != AW_OK) {
		aw_plan_done(&plan);
		aw_plan_init(&plan);
		tm_set_str(&m->plan_text, err.msg[0] ? err.msg : NULL);
	}
	(void)tm_plan_take(m, &plan);
	aw_plan_done(&plan);
	requests_build(m);
	tm_review_check(m);
}

/* ---- a change as the review draws it ---- */

void
aw_tui_change_split(const struct aw_change *c, struct aw_strv *gone,
    struct aw_strv *kept, struct aw_strv *came)
{
	size_t k;

	aw_strv_init(gone);
	aw_strv_init(kept);
	aw_strv_init(came);
	for (k = 0; k < c->old.values.n; k++)
		aw_strv_push(aw_record_find(&c->new, c->old.values.v[k]) >= 0 ?
		    kept : gone, c->old.values.v[k]);
	for (k = 0; k < c->new.values.n; k++)
		if (aw_record_find(&c->old, c->new.values.v[k]) < 0)
			aw_strv_push(came, c->new.values.v[k]);
}

const char *
aw_tui_change_value(const struct aw_change *c)
{
	size_t k;

	for (k = 0; k < c->new.values.n; k++)
		if (aw_record_find(&c->old, c->new.values.v[k]) < 0)
			return c->new.values.v[k];
	/* Only values taken out: the set is published when one that stays
	 * is there. */
	return c->new.values.n > 0 ? c->new.values.v[0] : NULL;
}

char *
aw_tui_change_zone_line(const struct aw_change *c, const char *value)
{
	const char *name = c->old.name != NULL ? c->old.name : "";
	enum aw_record_type type = c->old.type;
	unsigned ttl = c->new.ttl ? c->new.ttl : c->old.ttl ? c->old.ttl :
	    TTL_DEFAULT;
	struct aw_buf b;
	char *out;

	aw_buf_init(&b);
	if (value == NULL)
		value = "";
	if (c->kind == AW_CHANGE_DELETE) {
		aw_buf_printf(&b, "; %s %s. %s", _("delete:"), name,
		    aw_record_type_name(type));
	} else if (type == AW_RECORD_TXT) {
		size_t len = strlen(value), off = 0;

		aw_buf_printf(&b, "%s. %u IN TXT", name, ttl);
		/* RFC 7208 §3.3: strings of at most 255 bytes, joined. */
		do {
			size_t n = len - off > 255 ? 255 : len - off, k;

			aw_buf_puts(&b, " \"");
			for (k = 0; k < n; k++) {
				char ch = value[off + k];

				if (ch == '"' || ch == '\\')
					aw_buf_putc(&b, '\\');
				aw_buf_putc(&b, ch);
			}
			aw_buf_putc(&b, '"');
			off += n;
		} while (off < len);
	} else if (type == AW_RECORD_CNAME || type == AW_RECORD_PTR) {
		aw_buf_printf(&b, "%s. %u IN %s %s.", name, ttl,
		    aw_record_type_name(type), value);
	} else {
		aw_buf_printf(&b, "%s. %u IN %s %s", name, ttl,
		    aw_record_type_name(type), value);
	}
	out = aw_buf_steal(&b);
	aw_buf_done(&b);
	return out;
}
