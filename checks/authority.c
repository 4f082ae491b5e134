/* authority.c: discovering a zone's authoritative nameservers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/authority.h"
#include "core/i18n.h"
#include "core/str.h"

#define MAX_NS 16
#define MAX_WALK 10

struct find {
	struct aw_resolver *res;
	aw_authority_cb cb;
	void *arg;
	struct aw_authority *auth;
	char *name;                  /* where the SOA walk is */
	unsigned walked;
	char *parent_zone;
	struct aw_strv parent_hosts;
	size_t parent_try;
	unsigned pending;            /* address lookups in flight */
	bool zone_only;              /* aw_authority_find_zone */
	bool ns_only;                /* aw_authority_find_ns */
};

static void find_done(struct find *f);
static void ask_zone_ns(struct find *f);
static void ask_parent_soa(struct find *f);
static void ask_addresses(struct find *f);

void
aw_authority_free(struct aw_authority *auth)
{
	size_t i;

	if (auth == NULL)
		return;
	for (i = 0; i < auth->nns; i++) {
		free(auth->ns[i].host);
		aw_strv_done(&auth->ns[i].addrs);
	}
	free(auth->ns);
	free(auth->zone);
	aw_strv_done(&auth->problems);
	free(auth);
}

static struct aw_nameserver *
ns_add(struct aw_authority *auth, const char *host)
{
	struct aw_nameserver *grown;
	size_t i;

	for (i = 0; i < auth->nns; i++)
		if (aw_domain_equal(auth->ns[i].host, host))
			return &auth->ns[i];
	if (auth->nns >= MAX_NS)
		return NULL;
	grown = realloc(auth->ns, (auth->nns + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	auth->ns = grown;
	memset(&grown[auth->nns], 0, sizeof *grown);
	aw_strv_init(&grown[auth->nns].addrs);
	if ((grown[auth->nns].host = aw_domain_normalize(host)) == NULL)
		return NULL;
	return &auth->ns[auth->nns++];
}

static void
problem(struct find *f, const struct aw_dns_answer *ans)
{
	aw_strv_pushf(&f->auth->problems, _("%s %s: %s"),
	    aw_record_type_name(ans->qtype), ans->qname,
	    aw_dns_result_text(ans->result));
}

static const char *
parent_of(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot != NULL && dot[1] != '\0' ? dot + 1 : NULL;
}

static void
on_soa(struct aw_dns_answer *ans, void *arg)
{
	struct find *f = arg;
	const char *zone = NULL, *up;
	bool alias = false;
	size_t i;

	for (i = 0; i < ans->nrr; i++) {
		if (ans->rr[i].type == AW_RECORD_SOA)
			zone = ans->rr[i].name;
		if (ans->rr[i].type == AW_RECORD_CNAME &&
		    aw_domain_equal(ans->rr[i].name, f->name))
			alias = true;
	}
	if (zone == NULL)
		zone = ans->soa_zone;
	/* An alias (a DKIM selector's CNAME): a recursive resolver follows
	 * it, and the SOA it returns is the target's zone. The alias itself
	 * is not a zone apex (RFC 1034 §3.6.2: no other data beside a
	 * CNAME, and an apex has SOA and NS): its zone is its parent's. */
	if (alias)
		zone = NULL;
	if (zone != NULL && zone[0] != '\0') {
		f->auth->zone = aw_domain_normalize(zone);
		aw_dns_answer_free(ans);
		if (f->zone_only)
			find_done(f);
		else
			ask_zone_ns(f);
		return;
	}
	if (aw_dns_result_is_failure(ans->result))
		problem(f, ans);
	up = parent_of(f->name);
	if (up == NULL || ++f->walked >= MAX_WALK) {
		aw_dns_answer_free(ans);
		find_done(f);
		return;
	}
	memmove(f->name, up, strlen(up) + 1);
	aw_dns_answer_free(ans);
	if (aw_resolver_query(f->res, f->name, AW_RECORD_SOA, on_soa, f) != AW_OK)
		find_done(f);
}

static void
on_zone_ns(struct aw_dns_answer *ans, void *arg)
{
	struct find *f = arg;
	size_t i;

	if (aw_dns_result_is_failure(ans->result))
		problem(f, ans);
	for (i = 0; i < ans->nrr; i++) {
		struct aw_nameserver *ns;

		if (ans->rr[i].type != AW_RECORD_NS)
			continue;
		if ((ns = ns_add(f->auth, ans->rr[i].u.target)) != NULL)
			ns->at_zone = true;
	}
	aw_dns_answer_free(ans);
	if (f->ns_only)
		find_done(f);
	else
		ask_parent_soa(f);
}

static void
ask_zone_ns(struct find *f)
{
	if (aw_resolver_query(f->res, f->auth->zone, AW_RECORD_NS, on_zone_ns, f)
	    != AW_OK)
		find_done(f);
}

/* The parent's delegation, asked of the parent's own servers. */
static void ask_parent_server(struct find *f);

static void
on_parent_referral(struct aw_dns_answer *ans, void *arg)
{
	struct find *f = arg;
	size_t i, n = 0;

	for (i = 0; i < ans->nauth; i++) {
		struct aw_nameserver *ns;

		if (!aw_domain_equal(ans->auth[i].name, f->auth->zone))
			continue;
		if ((ns = ns_add(f->auth, ans->auth[i].u.target)) != NULL) {
			ns->at_parent = true;
			n++;
		}
	}
	for (i = 0; i < ans->nrr; i++) {
		struct aw_nameserver *ns;

		if (ans->rr[i].type != AW_RECORD_NS)
			continue;
		if ((ns = ns_add(f->auth, ans->rr[i].u.target)) != NULL) {
			ns->at_parent = true;
			n++;
		}
	}
	if (n == 0 && aw_dns_result_is_failure(ans->result) &&
	    f->parent_try < f->parent_hosts.n) {
		aw_dns_answer_free(ans);
		ask_parent_server(f);
		return;
	}
	aw_dns_answer_free(ans);
	ask_addresses(f);
}

static void
on_parent_addr(struct aw_dns_answer *ans, void *arg)
{
	struct find *f = arg;
	size_t i;

	for (i = 0; i < ans->nrr; i++) {
		if (ans->rr[i].type == AW_RECORD_A) {
			if (aw_resolver_query_at(f->res, ans->rr[i].u.addr.text,
			    f->auth->zone, AW_RECORD_NS, on_parent_referral, f) ==
			    AW_OK) {
				aw_dns_answer_free(ans);
				return;
			}
		}
	}
	aw_dns_answer_free(ans);
	ask_parent_server(f);
}

static void
ask_parent_server(struct find *f)
{
	while (f->parent_try < f->parent_hosts.n) {
		const char *host = f->parent_hosts.v[f->parent_try++];

		if (aw_resolver_query(f->res, host, AW_RECORD_A, on_parent_addr, f)
		    == AW_OK)
			return;
	}
	ask_addresses(f);
}

static void
on_parent_ns(struct aw_dns_answer *ans, void *arg)
{
	struct find *f = arg;
	size_t i;

	for (i = 0; i < ans->nrr && f->parent_hosts.n < 4; i++)
		if (ans->rr[i].type == AW_RECORD_NS)
			aw_strv_push(&f->parent_hosts, ans->rr[i].u.target);
	aw_dns_answer_free(ans);
	ask_parent_server(f);
}

static void
on_parent_soa(struct aw_dns_answer *ans, void *arg)
{
	struct find *f = arg;
	const char *zone = NULL;
	size_t i;

	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == AW_RECORD_SOA)
			zone = ans->rr[i].name;
	if (zone == NULL)
		zone = ans->soa_zone;
	if (zone == NULL || zone[0] == '\0' ||
	    (f->parent_zone = strdup(zone)) == NULL ||
	    aw_resolver_query(f->res, f->parent_zone, AW_RECORD_NS, on_parent_ns,
	    f) != AW_OK) {
		aw_dns_answer_free(ans);
		ask_addresses(f);
		return;
	}
	aw_dns_answer_free(ans);
}

static void
ask_parent_soa(struct find *f)
{
	const char *up = parent_of(f->auth->zone);

	if (up == NULL || aw_resolver_query(f->res, up, AW_RECORD_SOA,
	    on_parent_soa, f) != AW_OK)
		ask_addresses(f);
}

static void
on_ns_addr(struct aw_dns_answer *ans, void *arg)
{
	struct find *f = arg;
	size_t i, k;

	for (k = 0; k < f->auth->nns; k++) {
		if (!aw_domain_equal(f->auth->ns[k].host, ans->qname))
			continue;
		for (i = 0; i < ans->nrr; i++)
			if (ans->rr[i].type == ans->qtype)
				aw_strv_push(&f->auth->ns[k].addrs,
				    ans->rr[i].u.addr.text);
	}
	aw_dns_answer_free(ans);
	if (--f->pending == 0)
		find_done(f);
}

static void
ask_addresses(struct find *f)
{
	size_t i;

	for (i = 0; i < f->auth->nns; i++) {
		const char *h = f->auth->ns[i].host;

		if (aw_resolver_query(f->res, h, AW_RECORD_A, on_ns_addr, f) == AW_OK)
			f->pending++;
		if (aw_resolver_query(f->res, h, AW_RECORD_AAAA, on_ns_addr, f) ==
		    AW_OK)
			f->pending++;
	}
	if (f->pending == 0)
		find_done(f);
}

static void
find_done(struct find *f)
{
	struct aw_authority *auth = f->auth;
	size_t i;

	for (i = 0; i < auth->nns; i++) {
		if (auth->ns[i].at_zone && !auth->ns[i].at_parent &&
		    f->parent_zone != NULL)
			aw_strv_pushf(&auth->problems,
			    _("%s is in the zone's NS set but not in the delegation from %s"),
			    auth->ns[i].host, f->parent_zone);
		if (auth->ns[i].at_parent && !auth->ns[i].at_zone)
			aw_strv_pushf(&auth->problems,
			    _("%s is delegated to by the parent but missing from the zone's own NS set"),
			    auth->ns[i].host);
	}
	f->cb(auth, f->arg);
	aw_strv_done(&f->parent_hosts);
	free(f->parent_zone);
	free(f->name);
	free(f);
}

enum find_mode { FIND_ALL, FIND_ZONE, FIND_NS };

static enum aw_status find_start(struct aw_resolver *res, const char *name,
    enum find_mode mode, aw_authority_cb cb, void *arg);

enum aw_status
aw_authority_find(struct aw_resolver *res, const char *name,
    aw_authority_cb cb, void *arg)
{
	return find_start(res, name, FIND_ALL, cb, arg);
}

enum aw_status
aw_authority_find_zone(struct aw_resolver *res, const char *name,
    aw_authority_cb cb, void *arg)
{
	return find_start(res, name, FIND_ZONE, cb, arg);
}

enum aw_status
aw_authority_find_ns(struct aw_resolver *res, const char *name,
    aw_authority_cb cb, void *arg)
{
	return find_start(res, name, FIND_NS, cb, arg);
}

static enum aw_status
find_start(struct aw_resolver *res, const char *name, enum find_mode mode,
    aw_authority_cb cb, void *arg)
{
	struct find *f = calloc(1, sizeof *f);

	if (f == NULL)
		return AW_ERR_NOMEM;
	f->auth = calloc(1, sizeof *f->auth);
	f->name = aw_domain_normalize(name);
	if (f->auth == NULL || f->name == NULL) {
		free(f->auth);
		free(f->name);
		free(f);
		return AW_ERR_NOMEM;
	}
	aw_strv_init(&f->auth->problems);
	aw_strv_init(&f->parent_hosts);
	f->res = res;
	f->zone_only = mode == FIND_ZONE;
	f->ns_only = mode == FIND_NS;
	f->cb = cb;
	f->arg = arg;
	if (aw_resolver_query(res, f->name, AW_RECORD_SOA, on_soa, f) != AW_OK) {
		aw_authority_free(f->auth);
		free(f->name);
		free(f);
		return AW_ERR_NOMEM;
	}
	return AW_OK;
}
