/* orgdomain.c: the RFC 9989 DNS tree walk (§4.10) and what it decides:
 * the organizational domain (§4.10.2), the policy record (§4.10.1) and
 * relaxed alignment (§4.4). The Public Suffix List through libpsl stays
 * for RFC 7489 receivers only (§3.2 of that RFC). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "checks/dmarc.h"
#include "checks/orgdomain.h"
#include "core/str.h"
#include "core/lib.h"

#define WALK_CNAME_MAX 8

#ifndef AW_PSL_SONAME
#define AW_PSL_SONAME "libpsl.so.5"
#endif

/* libpsl (with libidn2 and libunistring, some 1 ms of every start) is
 * opened when an organizational domain is first needed, not by the
 * dynamic loader at start-up (issue 16). Every call below goes through
 * these pointers. */
#define ORG_PSL_FUNCS(X) X(psl_builtin) X(psl_is_public_suffix) \
	X(psl_latest) X(psl_registrable_domain)

static struct {
#define ORG_PSL_PTR(f) __typeof__(f) *f;
	ORG_PSL_FUNCS(ORG_PSL_PTR)
#undef ORG_PSL_PTR
} org_psl;

/* Opens libpsl once. Without it there is no public suffix list: no
 * organizational domain is known (as when the list is empty). */
static const char *const org_psl_names[] = {
	ORG_PSL_FUNCS(AW_LIB_NAME)
};

static bool
org_psl_load(void)
{
	static bool tried;

	if (org_psl.psl_registrable_domain != NULL)
		return true;
	if (tried)
		return false;
	tried = true;
	return aw_lib_open(AW_PSL_SONAME, "libpsl5", org_psl_names,
	    (void **)&org_psl, AW_LIB_SLOTS(org_psl), AW_ERR_INTERNAL,
	    NULL) != NULL;
}

#define psl_builtin (*org_psl.psl_builtin)
#define psl_is_public_suffix (*org_psl.psl_is_public_suffix)
#define psl_latest (*org_psl.psl_latest)
#define psl_registrable_domain (*org_psl.psl_registrable_domain)

/* The system's list (kept current by the publicsuffix package) when there
 * is one, else the list built into libpsl. Never freed: one per process. */
static const psl_ctx_t *
psl(void)
{
	static const psl_ctx_t *ctx;

	if (ctx == NULL && !org_psl_load())
		return NULL;
	if (ctx == NULL)
		ctx = psl_latest(NULL);
	if (ctx == NULL)
		ctx = psl_builtin();
	return ctx;
}

char *
aw_org_domain(const char *name)
{
	char *norm = aw_domain_normalize(name), *out = NULL;
	const char *reg;

	if (norm == NULL || psl() == NULL) {
		free(norm);
		return NULL;
	}
	reg = psl_registrable_domain(psl(), norm);
	if (reg != NULL)
		out = strdup(reg);
	free(norm);
	return out;
}

int
aw_is_public_suffix(const char *name)
{
	char *norm = aw_domain_normalize(name);
	int r;

	if (norm == NULL || psl() == NULL) {
		free(norm);
		return 0;
	}
	r = psl_is_public_suffix(psl(), norm);
	free(norm);
	return r;
}

static unsigned
count_labels(const char *d)
{
	unsigned n = 1;

	for (; *d; d++)
		if (*d == '.')
			n++;
	return n;
}

static enum aw_status
push_name(struct aw_strv *out, const char *domain)
{
	char *name;

	if (asprintf(&name, "_dmarc.%s", domain) < 0)
		return AW_ERR_NOMEM;
	/* A name that cannot exist (a label over 63 octets, over 253 in
	 * all) is not asked: it can hold no record. */
	if (!aw_domain_valid(name)) {
		free(name);
		return AW_OK;
	}
	return aw_strv_take(out, name);
}

enum aw_status
aw_dmarc_walk_names(const char *domain, struct aw_strv *out)
{
	const char *cur = domain;
	unsigned labels = count_labels(domain);
	enum aw_status st;

	/* RFC 9989 §4.10 step 1: the domain itself first. */
	if ((st = push_name(out, domain)) != AW_OK)
		return st;
	if (labels >= AW_DMARC_WALK_MAX) {
		/* Step 4: 8 or more labels: go on with the last 7. */
		while (count_labels(cur) > AW_DMARC_WALK_MAX - 1)
			cur = strchr(cur, '.') + 1;
	} else if ((cur = strchr(cur, '.')) != NULL) {
		cur++;
	}
	/* Then one label less each time, down to the top label. */
	while (cur != NULL && *cur != '\0' && out->n < AW_DMARC_WALK_MAX) {
		if ((st = push_name(out, cur)) != AW_OK)
			return st;
		if ((cur = strchr(cur, '.')) != NULL)
			cur++;
	}
	return AW_OK;
}

enum aw_status
aw_dmarc_walk_init(struct aw_dmarc_walk *w, const char *domain)
{
	memset(w, 0, sizeof *w);
	aw_strv_init(&w->names);
	w->policy_step = -1;
	if (domain == NULL)
		return AW_ERR_INVALID;
	if ((w->domain = aw_domain_normalize(domain)) == NULL)
		return AW_ERR_NOMEM;
	if (w->domain[0] == '\0' || w->domain[0] == '.' ||
	    strstr(w->domain, "..") != NULL)
		return AW_ERR_INVALID;
	if (aw_dmarc_walk_names(w->domain, &w->names) != AW_OK)
		return AW_ERR_NOMEM;
	return AW_OK;
}

void
aw_dmarc_walk_done(struct aw_dmarc_walk *w)
{
	size_t i;

	for (i = 0; i < w->nsteps; i++) {
		free(w->steps[i].domain);
		free(w->steps[i].name);
		free(w->steps[i].record);
	}
	free(w->domain);
	free(w->org);
	aw_strv_done(&w->names);
	memset(w, 0, sizeof *w);
	w->policy_step = -1;
}

const char *
aw_dmarc_walk_next(const struct aw_dmarc_walk *w)
{
	if (w->done || w->nsteps >= w->names.n)
		return NULL;
	return w->names.v[w->nsteps];
}

const char *
aw_dmarc_walk_alias(const struct aw_dns_answer *ans)
{
	const char *target = NULL;
	size_t i;

	if (aw_dns_result_is_failure(ans->result) ||
	    ans->result == AW_DNS_NXDOMAIN)
		return NULL;
	for (i = 0; i < ans->nrr; i++) {
		if (ans->rr[i].type == AW_RECORD_TXT)
			return NULL;
		if (ans->rr[i].type == AW_RECORD_CNAME)
			target = ans->rr[i].u.target;
	}
	return target;
}

/* The psd= value of a record ('y', 'n', else 'u'): tag names are
 * case-insensitive, values too (RFC 9989 §4.7). */
static char
record_psd(const char *txt)
{
	struct aw_dmarc_record r;
	struct aw_findings f;
	char psd;

	aw_dmarc_record_init(&r);
	aw_findings_init(&f);
	aw_dmarc_parse(txt, strlen(txt), &r, &f);
	psd = r.psd;
	aw_dmarc_record_done(&r);
	aw_findings_done(&f);
	return psd;
}

/* The name of as many labels as psd has plus one, ending domain. */
static char *
one_label_below(const char *domain, const char *psd)
{
	unsigned want = count_labels(psd) + 1;
	const char *cur = domain;

	while (count_labels(cur) > want && strchr(cur, '.') != NULL)
		cur = strchr(cur, '.') + 1;
	return strdup(cur);
}

static void
walk_select(struct aw_dmarc_walk *w)
{
	int last = -1, psd_y = -1;
	size_t i;

	/* RFC 9989 §4.10.1: the author domain's own record is the policy
	 * record when there is one. */
	if (w->nsteps > 0 && w->steps[0].found == AW_DMARC_FOUND_ONE)
		w->policy_step = 0;
	if (w->failed)
		return;           /* organizational domain unknown */
	/* §4.10.2, in the walk's order: psd=n is the organizational domain;
	 * psd=y (not at the starting name) puts it one label below; else the
	 * record with the fewest labels; else the domain itself. */
	for (i = 0; i < w->nsteps && w->org == NULL; i++) {
		const struct aw_dmarc_walk_step *st = &w->steps[i];

		if (st->found != AW_DMARC_FOUND_ONE)
			continue;
		if (st->psd == 'n') {
			w->org = strdup(st->domain);
			w->org_how = AW_DMARC_ORG_PSD_N;
		} else if (st->psd == 'y' && i > 0) {
			w->org = one_label_below(w->domain, st->domain);
			w->org_how = AW_DMARC_ORG_PSD_Y;
			psd_y = (int)i;
		} else {
			last = (int)i;
		}
	}
	if (w->org == NULL && last >= 0) {
		w->org = strdup(w->steps[last].domain);
		w->org_how = AW_DMARC_ORG_FEWEST;
	} else if (w->org == NULL) {
		w->org = strdup(w->domain);
		w->org_how = AW_DMARC_ORG_SELF;
	}
	if (w->policy_step >= 0 || w->org == NULL)
		return;
	/* §4.10.1: else the organizational domain's record, and when it
	 * has none below a PSD, the PSD's. */
	for (i = 0; i < w->nsteps; i++)
		if (w->steps[i].found == AW_DMARC_FOUND_ONE &&
		    aw_domain_equal(w->steps[i].domain, w->org)) {
			w->policy_step = (int)i;
			return;
		}
	w->policy_step = psd_y;
}

enum aw_status
aw_dmarc_walk_feed(struct aw_dmarc_walk *w, const struct aw_dns_answer *ans)
{
	struct aw_dmarc_walk_step *st;
	size_t i;

	if (aw_dmarc_walk_next(w) == NULL)
		return AW_ERR_INVALID;
	st = &w->steps[w->nsteps];
	memset(st, 0, sizeof *st);
	st->name = strdup(w->names.v[w->nsteps]);
	if (st->name == NULL || (st->domain = strdup(st->name +
	    strlen("_dmarc."))) == NULL) {
		free(st->name);
		st->name = NULL;
		return AW_ERR_NOMEM;
	}
	w->nsteps++;
	st->result = ans->result;
	st->psd = 'u';
	if (aw_dns_result_is_failure(ans->result)) {
		st->found = AW_DMARC_FOUND_FAILED;
		w->failed = true;
		w->done = true;
	}
	for (i = 0; i < ans->nrr && !w->failed; i++) {
		size_t len;
		char *txt;

		if (ans->rr[i].type != AW_RECORD_TXT)
			continue;
		if ((txt = aw_dns_txt_join(&ans->rr[i], &len)) == NULL)
			return AW_ERR_NOMEM;
		/* Steps 2 and 6: other TXT records are discarded. */
		if (!aw_dmarc_is_record(txt, len) || memchr(txt, '\0', len)) {
			st->nother++;
			free(txt);
		} else if (st->ndmarc++ == 0) {
			st->record = txt;
		} else {
			free(txt);
		}
	}
	if (st->ndmarc > 1) {
		/* Steps 2 and 6: several records are all discarded. */
		st->found = AW_DMARC_FOUND_SEVERAL;
		free(st->record);
		st->record = NULL;
	} else if (st->ndmarc == 1) {
		st->found = AW_DMARC_FOUND_ONE;
		st->psd = record_psd(st->record);
		/* §4.10: a single record with psd=y or psd=n stops it. */
		if (st->psd == 'y' || st->psd == 'n')
			w->done = true;
	}
	if (w->nsteps >= w->names.n)
		w->done = true;
	if (w->done)
		walk_select(w);
	return AW_OK;
}

enum aw_status
aw_dmarc_walk_run(struct aw_dmarc_walk *w, const struct aw_dns_source *src)
{
	const char *name;
	enum aw_status st = AW_OK;

	while (st == AW_OK && (name = aw_dmarc_walk_next(w)) != NULL) {
		struct aw_dns_answer *ans = aw_dns_query_sync(src, name,
		    AW_RECORD_TXT);
		const char *alias;
		unsigned hops = 0;

		while (ans != NULL && (alias = aw_dmarc_walk_alias(ans)) !=
		    NULL && hops++ < WALK_CNAME_MAX) {
			char *target = strdup(alias);

			aw_dns_answer_free(ans);
			ans = target ? aw_dns_query_sync(src, target,
			    AW_RECORD_TXT) : NULL;
			free(target);
		}
		if (ans == NULL)
			return AW_ERR_NOMEM;
		st = aw_dmarc_walk_feed(w, ans);
		aw_dns_answer_free(ans);
	}
	return st;
}

const char *
aw_dmarc_org_how_name(enum aw_dmarc_org_how how)
{
	switch (how) {
	case AW_DMARC_ORG_PSD_N:
		return "psd=n";
	case AW_DMARC_ORG_PSD_Y:
		return "psd=y";
	case AW_DMARC_ORG_FEWEST:
		return "fewest labels";
	case AW_DMARC_ORG_SELF:
		return "itself";
	default:
		return "unknown";
	}
}

const char *
aw_dmarc_found_name(enum aw_dmarc_found found)
{
	switch (found) {
	case AW_DMARC_FOUND_ONE:
		return "one";
	case AW_DMARC_FOUND_SEVERAL:
		return "several";
	case AW_DMARC_FOUND_FAILED:
		return "failed";
	default:
		return "none";
	}
}

/* The organizational domain of name by the walk over src. */
static enum aw_status
walk_org(const struct aw_dns_source *src, const char *name, char **org,
    enum aw_dmarc_org_how *how, bool *failed)
{
	struct aw_dmarc_walk w;
	enum aw_status st;

	if ((st = aw_dmarc_walk_init(&w, name)) == AW_OK &&
	    (st = aw_dmarc_walk_run(&w, src)) == AW_OK) {
		*org = w.org;
		w.org = NULL;
		*how = w.org_how;
		if (w.failed)
			*failed = true;
	}
	aw_dmarc_walk_done(&w);
	return st;
}

static bool
orgs_equal(const char *a, const char *b)
{
	return a != NULL && b != NULL && aw_domain_equal(a, b);
}

enum aw_status
aw_dmarc_align(const struct aw_dns_source *src, const char *from,
    const char *mail_from, const char *dkim_d,
    struct aw_dmarc_alignment *out)
{
	enum aw_status st;

	memset(out, 0, sizeof *out);
	if (from == NULL)
		return AW_ERR_INVALID;
	/* RFC 9989 §4.4: relaxed compares organizational domains (§4.10.2,
	 * by the tree walk), strict the exact names. */
	if ((st = walk_org(src, from, &out->from_org, &out->from_how,
	    &out->dns_failure)) != AW_OK)
		return st;
	out->from_org_psl = aw_org_domain(from);
	if (mail_from != NULL) {
		if ((st = walk_org(src, mail_from, &out->mail_from_org,
		    &out->mail_from_how, &out->dns_failure)) != AW_OK)
			return st;
		out->mail_from_org_psl = aw_org_domain(mail_from);
		out->spf_strict = aw_domain_equal(from, mail_from);
		out->spf_relaxed = out->spf_strict ||
		    orgs_equal(out->from_org, out->mail_from_org);
		out->spf_relaxed_psl = out->spf_strict ||
		    orgs_equal(out->from_org_psl, out->mail_from_org_psl);
	}
	if (dkim_d != NULL) {
		if ((st = walk_org(src, dkim_d, &out->dkim_org, &out->dkim_how,
		    &out->dns_failure)) != AW_OK)
			return st;
		out->dkim_org_psl = aw_org_domain(dkim_d);
		out->dkim_strict = aw_domain_equal(from, dkim_d);
		out->dkim_relaxed = out->dkim_strict ||
		    orgs_equal(out->from_org, out->dkim_org);
		out->dkim_relaxed_psl = out->dkim_strict ||
		    orgs_equal(out->from_org_psl, out->dkim_org_psl);
	}
	return AW_OK;
}

void
aw_dmarc_alignment_done(struct aw_dmarc_alignment *a)
{
	free(a->from_org);
	free(a->mail_from_org);
	free(a->dkim_org);
	free(a->from_org_psl);
	free(a->mail_from_org_psl);
	free(a->dkim_org_psl);
	memset(a, 0, sizeof *a);
}
