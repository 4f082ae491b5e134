/* preflight.c: the checks of `check`, run over the zone as a plan will
 * leave it (preflight-overlay.c), before anything is published. SPF goes
 * through the lookup tree (spf-lint.c), DMARC, DKIM and PTR through their
 * area checks (domain.h); this file adds only what is about the change
 * itself: the size of the record to publish, weakening, and what would
 * bring an SPF record back under its lookup limit. */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dmarc.h"
#include "checks/domain.h"
#include "checks/preflight-overlay.h"
#include "checks/preflight.h"
#include "checks/spf-build.h"
#include "checks/spf-lint.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"

#define RFC_SPF_LIMITS "RFC 7208 §4.6.4"

/* --- the result --- */

void
aw_preflight_result_init(struct aw_preflight_result *r)
{
	memset(r, 0, sizeof *r);
}

void
aw_preflight_result_done(struct aw_preflight_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].message);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

enum aw_status
aw_preflight_result_add(struct aw_preflight_result *r, enum aw_severity sev,
    const char *code, const char *rfc, const char *name, const char *message)
{
	struct aw_preflight_finding *x;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct aw_preflight_finding *v = realloc(r->v, cap * sizeof *v);

		if (v == NULL)
			return AW_ERR_NOMEM;
		r->v = v;
		r->cap = cap;
	}
	x = &r->v[r->n];
	x->code = code;
	x->severity = sev;
	x->rfc = rfc;
	x->name = strdup(name != NULL ? name : "");
	x->message = strdup(message != NULL ? message : "");
	if (x->name == NULL || x->message == NULL) {
		free(x->name);
		free(x->message);
		return AW_ERR_NOMEM;
	}
	r->n++;
	return AW_OK;
}

/* The same with a formatted message. */
static enum aw_status
result_addf(struct aw_preflight_result *r, enum aw_severity sev,
    const char *code, const char *rfc, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static enum aw_status
result_addf(struct aw_preflight_result *r, enum aw_severity sev,
    const char *code, const char *rfc, const char *name, const char *fmt, ...)
{
	struct aw_buf b;
	va_list ap;
	enum aw_status st;

	aw_buf_init(&b);
	va_start(ap, fmt);
	st = aw_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (st == AW_OK)
		st = aw_preflight_result_add(r, sev, code, rfc, name,
		    aw_buf_str(&b));
	aw_buf_done(&b);
	return st;
}

const struct aw_preflight_finding *
aw_preflight_result_find(const struct aw_preflight_result *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].code, code) == 0)
			return &r->v[i];
	return NULL;
}

bool
aw_preflight_result_blocks(const struct aw_preflight_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].severity == AW_SEV_ERROR)
			return true;
	return false;
}

/* --- weakening --- */

/* The first value of r that is an SPF (spf) or DMARC record, or NULL. */
static const char *
record_value(const struct aw_record *r, bool spf)
{
	size_t i;

	for (i = 0; r != NULL && i < r->values.n; i++) {
		const char *v = r->values.v[i];

		if (spf ? aw_spf_is_record(v, strlen(v)) :
		    aw_dmarc_is_record(v, strlen(v)))
			return v;
	}
	return NULL;
}

/* The policies a DMARC record applies to the domain (p) and to its
 * existing subdomains (sp), t=y taken into account. */
static void
dmarc_policies(const char *txt, enum aw_dmarc_policy *p,
    enum aw_dmarc_policy *sp)
{
	struct aw_dmarc_record r;
	struct aw_findings f;

	aw_dmarc_record_init(&r);
	aw_findings_init(&f);
	*p = *sp = AW_DMARC_NONE;
	if (aw_dmarc_parse(txt, strlen(txt), &r, &f) == AW_OK && r.valid) {
		*p = aw_dmarc_policy_for(&r, false, false);
		*sp = aw_dmarc_policy_for(&r, true, false);
		if (r.testing) {
			*p = aw_dmarc_policy_tested(*p);
			*sp = aw_dmarc_policy_tested(*sp);
		}
	}
	aw_findings_done(&f);
	aw_dmarc_record_done(&r);
}

enum aw_status
aw_preflight_weakening(const char *name, const struct aw_record *before,
    const struct aw_record *after, struct aw_preflight_result *out)
{
	const char *b = record_value(before, true), *a = record_value(after, true);
	enum aw_status st = AW_OK;

	if (b != NULL && a == NULL)
		st = result_addf(out, AW_SEV_WARNING, "spf.weaken-removed",
		    "RFC 7208 §2.6.1", name,
		    _("the SPF record at %s is removed: receivers no longer know which hosts may send for the domain"),
		    name);
	else if (b != NULL) {
		enum aw_spf_result qb = aw_spf_record_all(b);
		enum aw_spf_result qa = aw_spf_record_all(a);

		if (qb != AW_SPF_NONE &&
		    aw_spf_all_strictness(qa) < aw_spf_all_strictness(qb))
			st = result_addf(out, AW_SEV_WARNING, "spf.weaken-all",
			    "RFC 7208 §5.1", name,
			    _("the SPF policy at %s is weakened from \"%call\" to \"%s\": mail from hosts not listed is no longer refused as firmly (give --spf-all %call to keep it)"),
			    name, aw_spf_qualifier_char(qb),
			    qa == AW_SPF_NONE ? _("no all") :
			    (qa == AW_SPF_FAIL ? "-all" : qa == AW_SPF_SOFTFAIL ?
			    "~all" : qa == AW_SPF_NEUTRAL ? "?all" : "+all"),
			    aw_spf_qualifier_char(qb));
	}
	if (st != AW_OK)
		return st;
	b = record_value(before, false);
	a = record_value(after, false);
	if (b != NULL && a == NULL)
		return result_addf(out, AW_SEV_WARNING, "dmarc.weaken-removed",
		    "RFC 9989 §4.7", name,
		    _("the DMARC record at %s is removed: receivers no longer apply the domain's policy"),
		    name);
	if (b != NULL) {
		enum aw_dmarc_policy pb, spb, pa, spa;

		dmarc_policies(b, &pb, &spb);
		dmarc_policies(a, &pa, &spa);
		if (pa < pb || spa < spb)
			return result_addf(out, AW_SEV_WARNING,
			    "dmarc.weaken-policy", "RFC 9989 §4.7", name,
			    _("the DMARC policy at %s goes down from p=%s (subdomains %s) to p=%s (subdomains %s)"),
			    name, aw_dmarc_policy_name(pb),
			    aw_dmarc_policy_name(spb), aw_dmarc_policy_name(pa),
			    aw_dmarc_policy_name(spa));
	}
	return AW_OK;
}

/* --- the run --- */

struct pf_area {
	struct aw_preflight *pf;
	struct aw_domain_check *dc;
	struct aw_domain_check_opts opts;
	const char *area[1];
	char *key;                  /* selector or IP */
	const char *keys[1];
	bool done;
};

struct pf_spf {
	struct aw_preflight *pf;
	struct aw_spf_tree *tree;
	const struct aw_record *after;
	const char *record;         /* the SPF text to publish (borrowed) */
};

struct aw_preflight {
	struct aw_loop *loop;
	struct aw_preflight_overlay ov;
	struct aw_dns_source src;
	char *domain;
	struct aw_preflight_opts opts;
	aw_preflight_cb cb;
	void *arg;
	struct aw_preflight_result res;
	unsigned pending;
	struct aw_loop_timer *kick;     /* the first settle, from the loop */
	struct pf_spf *spfs;
	size_t nspfs;
	struct pf_area *areas;
	size_t nareas;
	bool finished;
};

static void pf_settle(struct aw_preflight *pf);

/* The address a reverse name stands for (RFC 1035 §3.5, RFC 3596 §2.5),
 * or NULL. Caller frees. */
static char *
pf_reverse_ip(const char *name)
{
	unsigned char raw[16];
	char text[64];
	const char *p;
	size_t i, len = strlen(name);

	if (len > 13 && aw_strcasecmp(name + len - 13, ".in-addr.arpa") == 0) {
		unsigned long o[4];
		char *end;

		p = name;
		for (i = 0; i < 4; i++) {
			o[i] = strtoul(p, &end, 10);
			if (end == p || *end != '.' || o[i] > 255)
				return NULL;
			p = end + 1;
		}
		if (p != name + len - 12)
			return NULL;
		snprintf(text, sizeof text, "%lu.%lu.%lu.%lu", o[3], o[2], o[1], o[0]);
		return strdup(text);
	}
	if (len != 72 || aw_strcasecmp(name + 63, ".ip6.arpa") != 0)
		return NULL;
	memset(raw, 0, sizeof raw);
	for (i = 0; i < 32; i++) {
		char c = name[i * 2];
		int v = c >= '0' && c <= '9' ? c - '0' :
		    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (v < 0 || name[i * 2 + 1] != '.')
			return NULL;
		raw[15 - i / 2] |= (unsigned char)(i % 2 == 0 ? v : v << 4);
	}
	if (inet_ntop(AF_INET6, raw, text, sizeof text) == NULL)
		return NULL;
	return strdup(text);
}

/* An area's sections are in: their errors and warnings join. */
static void
pf_area_collect(struct pf_area *a)
{
	struct aw_preflight *pf = a->pf;
	size_t i, k;

	for (i = 0; i < aw_domain_check_count(a->dc); i++) {
		struct aw_section *sec = aw_domain_check_section(a->dc, i);

		for (k = 0; k < sec->f.nitems; k++) {
			const struct aw_finding *x = &sec->f.items[k];
			enum aw_severity sev = x->severity;

			if (sev == AW_SEV_NOTE)
				continue;
			/* Vendors often create the CNAME's target after the
			 * customer's CNAME: not there yet is not broken. */
			if (strcmp(x->code, "dkim.cname-target-missing") == 0)
				sev = AW_SEV_WARNING;
			/* A lookup that failed is unknown, not broken: said,
			 * but it does not stop the publishing. */
			if (strcmp(x->code, "dns.failure") == 0 ||
			    strcmp(x->code, "dns.query-failed") == 0)
				sev = AW_SEV_WARNING;
			aw_preflight_result_add(&pf->res, sev, x->code, x->rfc,
			    sec->name, x->message);
		}
	}
}

static void
pf_area_cb(struct aw_domain_check *dc, struct aw_section *sec, void *arg)
{
	struct pf_area *a = arg;

	(void)dc;
	if (sec != NULL || a->done)
		return;
	a->done = true;
	pf_area_collect(a);
	a->pf->pending--;
	pf_settle(a->pf);
}

/* Starts one area check (dmarc for domain, dkim for a selector, ptr for
 * an IP) over the overlay. */
static enum aw_status
pf_area_start(struct aw_preflight *pf, const char *area, const char *domain,
    const char *key, struct aw_error *err)
{
	struct pf_area *a = &pf->areas[pf->nareas];
	enum aw_status st;

	memset(a, 0, sizeof *a);
	a->pf = pf;
	a->area[0] = area;
	a->opts.areas = a->area;
	a->opts.nareas = 1;
	if (key != NULL) {
		if ((a->key = strdup(key)) == NULL)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		a->keys[0] = a->key;
		if (strcmp(area, "dkim") == 0) {
			a->opts.selectors = a->keys;
			a->opts.nselectors = 1;
		} else {
			a->opts.ips = a->keys;
			a->opts.nips = 1;
		}
	}
	pf->nareas++;
	pf->pending++;
	st = aw_domain_check_start(&pf->src, domain, &a->opts, pf_area_cb, a,
	    &a->dc, err);
	if (st == AW_OK && aw_domain_check_finished(a->dc) && !a->done) {
		a->done = true;
		pf_area_collect(a);
		pf->pending--;
	} else if (st != AW_OK && !a->done) {
		a->done = true;
		pf->pending--;
	}
	return st;
}

/* --- SPF as it will be --- */

/* The code, severity and RFC of a node below the root that is not OK. */
static bool
spf_node_code(const struct aw_spf_node *n, const char **code,
    enum aw_severity *sev, const char **rfc)
{
	*sev = AW_SEV_ERROR;
	*rfc = n->via_kind == AW_SPF_REDIRECT ? "RFC 7208 §6.1" :
	    "RFC 7208 §5.2";
	switch (n->state) {
	case AW_SPF_NODE_NONE:
		*code = "spf.target-without-spf";
		return true;
	case AW_SPF_NODE_MULTIPLE:
		*code = "spf.target-multiple-records";
		return true;
	case AW_SPF_NODE_INVALID:
		*code = "spf.target-syntax";
		return true;
	case AW_SPF_NODE_LOOP:
		*code = "spf.loop";
		*rfc = RFC_SPF_LIMITS;
		return true;
	case AW_SPF_NODE_DNS_ERROR:
		/* Unknown is not broken: a temperror now, maybe fine later. */
		*code = "spf.target-unknown";
		*sev = AW_SEV_WARNING;
		*rfc = "RFC 7208 §4.4";
		return true;
	case AW_SPF_NODE_SKIPPED:
		*code = "spf.tree-truncated";
		*sev = AW_SEV_WARNING;
		*rfc = RFC_SPF_LIMITS;
		return true;
	default:
		return false;
	}
}

static void
spf_node_findings(struct aw_preflight *pf, const char *name,
    const struct aw_spf_node *n)
{
	const char *code, *rfc;
	enum aw_severity sev;
	size_t i;

	if (n->parent != NULL && spf_node_code(n, &code, &sev, &rfc))
		result_addf(&pf->res, sev, code, rfc, name, "%s: %s", n->via,
		    n->problem != NULL ? n->problem :
		    aw_spf_node_state_name(n->state));
	for (i = 0; i < n->nchildren; i++)
		spf_node_findings(pf, name, n->children[i]);
}

/* Another include of the same domain as n in the tree, not n itself, or
 * NULL. */
static const struct aw_spf_node *
spf_same_include(const struct aw_spf_node *at, const struct aw_spf_node *n)
{
	const struct aw_spf_node *hit;
	size_t i;

	if (at != n && at->parent != NULL && at->via_kind == AW_SPF_INCLUDE &&
	    aw_domain_equal(at->domain, n->domain))
		return at;
	for (i = 0; i < at->nchildren; i++)
		if ((hit = spf_same_include(at->children[i], n)) != NULL)
			return hit;
	return NULL;
}

/* The top-level term under which node sits. */
static const struct aw_spf_node *
spf_top(const struct aw_spf_node *n)
{
	while (n->parent != NULL && n->parent->parent != NULL)
		n = n->parent;
	return n;
}

/* Over the limit: what would bring the record under it, as notes with
 * their own codes and as one sentence for the error. */
static void
spf_fixes(struct aw_preflight_result *res, const char *name,
    const struct aw_spf_tree *tree, struct aw_buf *how)
{
	const struct aw_spf_node *root = tree->root;
	size_t i;

	for (i = 0; i < root->nchildren; i++) {
		const struct aw_spf_node *c = root->children[i], *dup;

		if (c->via_kind != AW_SPF_INCLUDE)
			continue;
		if (c->lighter != NULL) {
			result_addf(res, AW_SEV_NOTE,
			    "spf.fix-lighter-include", RFC_SPF_LIMITS, name,
			    _("include:%s costs %u DNS lookups; the same sender offers the lighter include:%s (--spf-replace include:%s=include:%s)"),
			    c->domain, 1 + c->lookups, c->lighter, c->domain,
			    c->lighter);
			aw_buf_printf(how, _("%sreplace include:%s by the sender's lighter include:%s"),
			    how->len ? "; " : "", c->domain, c->lighter);
		}
		if ((dup = spf_same_include(root, c)) == NULL)
			continue;
		if (spf_top(dup) == dup) {
			/* Twice at the top: the later one is the one to drop. */
			size_t j;
			bool earlier = false;

			for (j = 0; j < i; j++)
				if (root->children[j] == dup)
					earlier = true;
			if (!earlier)
				continue;
			result_addf(res, AW_SEV_NOTE,
			    "spf.fix-duplicate-include", RFC_SPF_LIMITS, name,
			    _("include:%s appears twice and costs %u DNS lookups each time (--spf-remove include:%s removes one)"),
			    c->domain, 1 + c->lookups, c->domain);
		} else {
			result_addf(res, AW_SEV_NOTE,
			    "spf.fix-duplicate-include", RFC_SPF_LIMITS, name,
			    _("include:%s is already inside %s's tree: listing it again costs %u DNS lookups (--spf-remove include:%s)"),
			    c->domain, spf_top(dup)->via, 1 + c->lookups, c->domain);
		}
		aw_buf_printf(how, _("%sremove the repeated include:%s"),
		    how->len ? "; " : "", c->domain);
	}
}

static void
spf_tree_findings(struct aw_preflight *pf, struct pf_spf *s)
{
	const struct aw_spf_tree *tree = s->tree;
	const struct aw_spf_node *root = tree->root;
	const char *name = s->after->name;
	size_t len = strlen(s->record);

	if (root->state == AW_SPF_NODE_MULTIPLE)
		result_addf(&pf->res, AW_SEV_ERROR, "spf.multiple-records",
		    "RFC 7208 §3.2", name,
		    _("%s would hold more than one SPF record: receivers return a permanent error"),
		    name);
	else if (root->state == AW_SPF_NODE_INVALID)
		result_addf(&pf->res, AW_SEV_ERROR, "spf.syntax",
		    "RFC 7208 §4.6", name, _("the SPF record for %s does not parse: %s"),
		    name, root->problem != NULL ? root->problem : s->record);
	spf_node_findings(pf, name, root);
	if (tree->lookups > AW_SPF_MAX_LOOKUPS) {
		struct aw_preflight_result fixes;
		struct aw_buf how;
		size_t i;

		aw_buf_init(&how);
		aw_preflight_result_init(&fixes);
		spf_fixes(&fixes, name, tree, &how);
		result_addf(&pf->res, AW_SEV_ERROR, "spf.lookup-limit",
		    RFC_SPF_LIMITS, name,
		    _("the SPF record for %s would cost %u DNS lookups; receivers return a permanent error past %d, so every message fails SPF. To bring it under: %s"),
		    name, tree->lookups, AW_SPF_MAX_LOOKUPS, how.len ?
		    aw_buf_str(&how) :
		    _("remove includes you no longer use, or list the sender's addresses with ip4:/ip6:"));
		aw_buf_done(&how);
		/* The error first, then each fix as a note of its own. */
		for (i = 0; i < fixes.n; i++)
			aw_preflight_result_add(&pf->res, fixes.v[i].severity,
			    fixes.v[i].code, fixes.v[i].rfc, fixes.v[i].name,
			    fixes.v[i].message);
		aw_preflight_result_done(&fixes);
	}
	if (tree->voids > AW_SPF_MAX_VOID)
		result_addf(&pf->res, AW_SEV_ERROR, "spf.void-limit",
		    RFC_SPF_LIMITS, name,
		    _("the SPF record for %s would make %u lookups that find nothing; receivers return a permanent error past %d"),
		    name, tree->voids, AW_SPF_MAX_VOID);
	/* RFC 7208 §3.4: the answer must fit 512 bytes without EDNS0. */
	if (len > AW_PREFLIGHT_SPF_MAX_BYTES)
		result_addf(&pf->res, AW_SEV_ERROR, "spf.size-limit",
		    "RFC 7208 §3.4", name,
		    _("the SPF record for %s is %zu bytes: over %d, receivers without EDNS0 cannot get it over UDP"),
		    name, len, AW_PREFLIGHT_SPF_MAX_BYTES);
	else if (len > AW_PREFLIGHT_SPF_WARN_BYTES)
		result_addf(&pf->res, AW_SEV_WARNING, "spf.size-large",
		    "RFC 7208 §3.4", name,
		    _("the SPF record for %s is %zu bytes: over %d, the whole answer may not fit 512 bytes"),
		    name, len, AW_PREFLIGHT_SPF_WARN_BYTES);
}

static void
pf_spf_done(struct aw_spf_tree *tree, void *arg)
{
	struct pf_spf *s = arg;

	(void)tree;
	spf_tree_findings(s->pf, s);
	s->pf->pending--;
	pf_settle(s->pf);
}

/* --- putting it together --- */

static void
pf_settle(struct aw_preflight *pf)
{
	if (pf->pending > 0 || pf->finished)
		return;
	pf->finished = true;
	pf->cb(pf, &pf->res, pf->arg);
}

static void
pf_kick(void *arg)
{
	struct aw_preflight *pf = arg;

	pf->kick = NULL;
	pf->pending--;
	pf_settle(pf);
}

/* A selector and domain from "sel._domainkey.example.com". */
static bool
pf_dkim_name(const char *name, char **selector, const char **domain)
{
	const char *p = strstr(name, "._domainkey.");

	if (p == NULL || p == name)
		return false;
	*domain = p + 12;
	return (*selector = aw_str_trim_dup(name, (size_t)(p - name))) != NULL;
}

/* Starts what one change needs checked. */
static enum aw_status
pf_change(struct aw_preflight *pf, const struct aw_preflight_change *c,
    struct aw_error *err)
{
	const struct aw_record *a = c->after;
	enum aw_status st = AW_OK;
	const char *sb, *sa, *dom;
	char *key;

	if (a->type == AW_RECORD_TXT || a->type == AW_RECORD_CNAME)
		if (aw_preflight_weakening(a->name, c->before, a, &pf->res)
		    != AW_OK)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if (a->type == AW_RECORD_TXT) {
		sb = record_value(c->before, true);
		sa = record_value(a, true);
		if (sa != NULL && (sb == NULL || strcmp(sa, sb) != 0)) {
			struct pf_spf *s = &pf->spfs[pf->nspfs];
			struct aw_spf_tree_opts topts = {
				.lighter = pf->opts.spf_lighter,
				.lighter_arg = pf->opts.spf_lighter_arg,
			};

			s->pf = pf;
			s->after = a;
			s->record = sa;
			pf->pending++;
			if ((st = aw_spf_tree_start(&pf->src, a->name, &topts,
			    pf_spf_done, s, &s->tree, err)) != AW_OK) {
				pf->pending--;
				return st;
			}
			pf->nspfs++;
		}
		if (aw_str_has_prefix_ci(a->name, "_dmarc.") &&
		    record_value(a, false) != NULL)
			st = pf_area_start(pf, "dmarc", a->name + 7, NULL, err);
	}
	if ((a->type == AW_RECORD_TXT || a->type == AW_RECORD_CNAME) &&
	    a->values.n > 0 && pf_dkim_name(a->name, &key, &dom)) {
		st = pf_area_start(pf, "dkim", dom, key, err);
		free(key);
	}
	if (a->type == AW_RECORD_PTR && a->values.n > 0 &&
	    (key = pf_reverse_ip(a->name)) != NULL) {
		st = pf_area_start(pf, "ptr", pf->domain, key, err);
		free(key);
	}
	return st;
}

enum aw_status
aw_preflight_start(struct aw_loop *loop, const struct aw_dns_source *live,
    const char *domain, const struct aw_preflight_change *changes,
    size_t nchanges, const struct aw_preflight_opts *opts,
    aw_preflight_cb cb, void *arg, struct aw_preflight **out,
    struct aw_error *err)
{
	struct aw_preflight *pf;
	enum aw_status st = AW_OK;
	size_t i;

	*out = NULL;
	if ((pf = calloc(1, sizeof *pf)) == NULL ||
	    (pf->domain = strdup(domain)) == NULL ||
	    (nchanges > 0 && ((pf->spfs = calloc(nchanges, sizeof *pf->spfs))
	    == NULL || (pf->areas = calloc(nchanges, sizeof *pf->areas))
	    == NULL))) {
		aw_preflight_free(pf);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	pf->loop = loop;
	pf->ov.live = live;
	pf->ov.changes = changes;
	pf->ov.nchanges = nchanges;
	pf->src = aw_preflight_overlay_source(&pf->ov);
	if (opts != NULL)
		pf->opts = *opts;
	pf->cb = cb;
	pf->arg = arg;
	aw_preflight_result_init(&pf->res);
	/* Settled first from the loop: cb never runs inside this call. */
	pf->pending = 1;
	if ((pf->kick = aw_loop_timer_add(loop, 0, pf_kick, pf)) == NULL) {
		aw_preflight_free(pf);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	for (i = 0; i < nchanges && st == AW_OK; i++)
		if (changes[i].after != NULL && changes[i].after->name != NULL)
			st = pf_change(pf, &changes[i], err);
	/* What started runs on and calls back into pf: the caller frees it
	 * only after the loop (as aw_domain_check_free). */
	*out = pf;
	return st;
}

void
aw_preflight_free(struct aw_preflight *pf)
{
	size_t i;

	if (pf == NULL)
		return;
	if (pf->kick != NULL)
		aw_loop_timer_cancel(pf->loop, pf->kick);
	for (i = 0; i < pf->nspfs; i++) {
		if (pf->spfs[i].tree != NULL && pf->spfs[i].tree->finished)
			aw_spf_tree_free(pf->spfs[i].tree);
		else
			aw_spf_tree_abandon(pf->spfs[i].tree);
	}
	for (i = 0; i < pf->nareas; i++) {
		aw_domain_check_free(pf->areas[i].dc);
		free(pf->areas[i].key);
	}
	aw_preflight_overlay_abandon(&pf->ov);
	free(pf->spfs);
	free(pf->areas);
	aw_preflight_result_done(&pf->res);
	free(pf->domain);
	free(pf);
}

struct pf_sync {
	struct aw_preflight_result *out;
	bool done;
	enum aw_status st;
};

static void
pf_sync_cb(struct aw_preflight *pf, const struct aw_preflight_result *res,
    void *arg)
{
	struct pf_sync *s = arg;
	size_t i;

	(void)pf;
	for (i = 0; i < res->n && s->st == AW_OK; i++)
		s->st = aw_preflight_result_add(s->out, res->v[i].severity,
		    res->v[i].code, res->v[i].rfc, res->v[i].name,
		    res->v[i].message);
	s->done = true;
}

enum aw_status
aw_preflight_run_sync(struct aw_loop *loop, const struct aw_dns_source *live,
    const char *domain, const struct aw_preflight_change *changes,
    size_t nchanges, const struct aw_preflight_opts *opts,
    struct aw_preflight_result *out, struct aw_error *err)
{
	struct pf_sync s = { out, false, AW_OK };
	struct aw_preflight *pf = NULL;
	enum aw_status st;

	st = aw_preflight_start(loop, live, domain, changes, nchanges, opts,
	    pf_sync_cb, &s, &pf, err);
	if (pf != NULL) {
		/* The loop runs what was started, even after an error. */
		(void)aw_loop_run_until(loop, &s.done, 0);
	}
	if (st == AW_OK && !s.done)
		st = aw_error_set(err, AW_ERR_INTERNAL,
		    _("the preflight did not finish"));
	aw_preflight_free(pf);
	if (st == AW_OK && s.st != AW_OK)
		st = aw_error_set(err, s.st, _("out of memory"));
	return st;
}
