/* check-dnssec.c: the "dnssec" area: is the domain signed, does its chain
 * of trust validate from the anchor (secure / insecure / bogus, and why),
 * and the same for the names the other checks read: the MX RRset and each
 * MX host, the DKIM key records of the selectors given and _mta-sts.
 * Asks through the validator (checks/dnssec.h), not the plain DNS
 * source. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/catalog.h"
#include "checks/dnssec.h"
#include "checks/domain.h"
#include "core/i18n.h"

#define RR_DS 43
#define RR_DNSKEY 48
#define MX_HOSTS_MAX 16
#define NAMES_MAX 128

struct dstate {
	struct aw_section *sec;
	struct aw_validator *v;
	struct aw_dnssec_detail *d;
	char *domain;
	unsigned pending;
	unsigned mx_hosts;
	/* the DS answer, for the reason an insecure domain is insecure */
	enum aw_dnssec_state ds_state;
	bool discovery;              /* DKIM: only names that exist count */
};

void
aw_dnssec_detail_free(void *detail)
{
	struct aw_dnssec_detail *d = detail;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->names[i].name);
		free(d->names[i].why);
	}
	free(d->names);
	free(d->why);
	free(d);
}

static void on_answer(const struct aw_vanswer *a, void *arg);

/* Asks name/type; the answer's role follows from its type and name
 * (answer_role), so nothing is allocated per question. */
static void
ask(struct dstate *s, const char *name, int type)
{
	if (aw_validator_ask(s->v, s, name, type, on_answer, s) != AW_OK) {
		aw_findings_add(&s->sec->f, AW_SEV_ERROR, "dnssec.indeterminate",
		    NULL, _("could not ask the DNSSEC validator about %s"),
		    name);
		return;
	}
	s->pending++;
}

/* NULL: the domain's own DNSKEY or DS. */
static const char *
answer_role(const struct aw_vanswer *a)
{
	switch (a->qtype) {
	case 15:
		return "mx";
	case 1:
		return "mx-host";
	case 16:
		return strncmp(a->qname, "_mta-sts.", 9) == 0 ? "mta-sts" :
		    "dkim";
	default:
		return NULL;
	}
}

static void
add_name(struct dstate *s, const char *role, const struct aw_vanswer *a)
{
	struct aw_dnssec_detail *d = s->d;
	struct aw_dnssec_name *grown, *nm;

	if (d->n >= NAMES_MAX)
		return;
	grown = realloc(d->names, (d->n + 1) * sizeof *grown);
	if (grown == NULL)
		return;
	d->names = grown;
	nm = &d->names[d->n];
	memset(nm, 0, sizeof *nm);
	if ((nm->name = strdup(a->qname)) == NULL)
		return;
	nm->type = a->qtype;
	nm->role = role;
	nm->state = a->state;
	nm->reason = a->reason;
	nm->why = a->why != NULL ? strndup(a->why, 400) : NULL;
	nm->exists = a->n > 0;
	d->n++;
}

/* An MX answer: ask each host's address (its state is the host's). */
static void
ask_mx_hosts(struct dstate *s, const struct aw_vanswer *a)
{
	char host[1024];
	size_t i, off;

	for (i = 0; i < a->n && s->mx_hosts < MX_HOSTS_MAX; i++) {
		off = 2;
		if (a->len[i] < 3 ||
		    !aw_dnssec_rdata_name(a->data[i], a->len[i], &off, host,
		    sizeof host) || host[0] == '\0')
			continue;    /* malformed, or a null MX */
		s->mx_hosts++;
		ask(s, host, 1);
	}
}

static void conclude(struct dstate *s);

static void
on_answer(const struct aw_vanswer *a, void *arg)
{
	struct dstate *s = arg;
	struct aw_dnssec_detail *d = s->d;
	const char *role = answer_role(a);

	if (role == NULL && a->qtype == RR_DNSKEY) {
		d->state = a->state;
		d->reason = a->reason;
		d->signed_zone = a->n > 0;
		free(d->why);
		d->why = a->why != NULL ? strndup(a->why, 400) : NULL;
	} else if (role == NULL) {
		s->ds_state = a->state;
		d->has_ds = a->n > 0;
	} else if (strcmp(role, "dkim") != 0 || !s->discovery ||
	    a->n > 0 || a->state == AW_DNSSEC_BOGUS) {
		add_name(s, role, a);
		if (strcmp(role, "mx") == 0)
			ask_mx_hosts(s, a);
	}
	if (--s->pending == 0)
		conclude(s);
}

/* Why an insecure domain is insecure, from its DS and DNSKEY answers. */
static const char *
insecure_reason(const struct dstate *s)
{
	if (s->ds_state == AW_DNSSEC_SECURE && s->d->has_ds)
		return AW_DNSSEC_R_ALGORITHM;    /* DS there, yet insecure */
	if (s->ds_state == AW_DNSSEC_SECURE)
		return s->d->signed_zone ? AW_DNSSEC_R_MISSING_DS :
		    AW_DNSSEC_R_UNSIGNED;
	return AW_DNSSEC_R_INSECURE_PARENT;
}

static void
report_domain(struct dstate *s)
{
	struct aw_dnssec_detail *d = s->d;
	struct aw_findings *f = &s->sec->f;
	const char *why = d->why != NULL ? d->why : d->reason;

	switch (d->state) {
	case AW_DNSSEC_SECURE:
		aw_findings_add(f, AW_SEV_NOTE, "dnssec.secure", NULL,
		    _("%s is signed and its chain of trust validates"),
		    s->domain);
		return;
	case AW_DNSSEC_INSECURE:
		d->reason = insecure_reason(s);
		if (strcmp(d->reason, AW_DNSSEC_R_MISSING_DS) == 0)
			aw_findings_add(f, AW_SEV_WARNING, "dnssec.missing-ds",
			    "RFC 4035 §5",
			    _("%s has DNSKEY records but no DS record at its parent: the signatures cannot be validated; publish the DS at the registrar"),
			    s->domain);
		else if (strcmp(d->reason, AW_DNSSEC_R_ALGORITHM) == 0)
			aw_findings_add(f, AW_SEV_WARNING,
			    "dnssec.unsupported-algorithm", "RFC 8624 §3.1",
			    _("%s is signed with an algorithm the validator does not support: resolvers treat it as unsigned"),
			    s->domain);
		else if (strcmp(d->reason, AW_DNSSEC_R_UNSIGNED) == 0)
			aw_findings_add(f, AW_SEV_NOTE, "dnssec.unsigned", NULL,
			    _("%s is not signed (no DNSSEC): DANE cannot be used and answers can be forged on the way"),
			    s->domain);
		else
			aw_findings_add(f, AW_SEV_NOTE, "dnssec.insecure-parent",
			    NULL,
			    _("%s is not signed: a zone above it has no chain of trust (no signed DS on the way)"),
			    s->domain);
		return;
	case AW_DNSSEC_BOGUS:
		if (strcmp(d->reason, AW_DNSSEC_R_EXPIRED) == 0)
			aw_findings_add(f, AW_SEV_ERROR,
			    "dnssec.expired-signature", "RFC 4035 §5.3.1",
			    _("DNSSEC validation of %s fails: a signature has expired (%s); validating resolvers answer SERVFAIL"),
			    s->domain, why);
		else
			aw_findings_add(f, AW_SEV_ERROR, "dnssec.bogus",
			    "RFC 4035 §5",
			    _("DNSSEC validation of %s fails (%s); validating resolvers answer SERVFAIL"),
			    s->domain, why);
		return;
	default:
		if (d->reason != NULL &&
		    strcmp(d->reason, AW_DNSSEC_R_ANCHOR) == 0) {
			aw_findings_add(f, AW_SEV_WARNING,
			    "dnssec.trust-anchor-failed", NULL,
			    _("the DNSSEC validator could not validate the trust anchor's own keys through the DNS servers asked (do they pass DNSSEC records through?): %s"),
			    why);
			return;
		}
		f->dns_failure = true;
		aw_findings_add(f, AW_SEV_ERROR, "dnssec.indeterminate", NULL,
		    _("the DNSSEC state of %s could not be found out (%s)"),
		    s->domain, d->reason ? d->reason : AW_DNSSEC_R_FAILED);
	}
}

static const char *
role_text(const char *role)
{
	if (strcmp(role, "mx") == 0)
		return _("MX records");
	if (strcmp(role, "mx-host") == 0)
		return _("MX host");
	if (strcmp(role, "dkim") == 0)
		return _("DKIM key record");
	if (strcmp(role, "tlsa") == 0)
		return _("TLSA record");
	return _("MTA-STS record");
}

/* name is domain or below it. */
static bool
in_domain(const char *name, const char *domain)
{
	size_t n = strlen(name), d = strlen(domain);

	return strcasecmp(name, domain) == 0 || (n > d &&
	    name[n - d - 1] == '.' && strcasecmp(name + n - d, domain) == 0);
}

static void
report_names(struct dstate *s)
{
	struct aw_findings *f = &s->sec->f;
	size_t i;

	for (i = 0; i < s->d->n; i++) {
		const struct aw_dnssec_name *nm = &s->d->names[i];

		if (s->d->state == AW_DNSSEC_BOGUS && in_domain(nm->name,
		    s->domain))
			continue;    /* said once, for the domain */
		if (nm->reason != NULL &&
		    strcmp(nm->reason, AW_DNSSEC_R_ANCHOR) == 0)
			continue;    /* the anchor's failure, said once */
		if (nm->state == AW_DNSSEC_BOGUS)
			aw_findings_add(f, AW_SEV_ERROR, "dnssec.name-bogus",
			    "RFC 4035 §5",
			    _("%s (%s) fails DNSSEC validation (%s)"),
			    nm->name, role_text(nm->role),
			    nm->why ? nm->why : nm->reason);
		else if (nm->state == AW_DNSSEC_INDETERMINATE)
			aw_findings_add(f, AW_SEV_WARNING,
			    "dnssec.name-indeterminate", NULL,
			    _("the DNSSEC state of %s (%s) could not be found out"),
			    nm->name, role_text(nm->role));
		else if (nm->state == AW_DNSSEC_INSECURE &&
		    s->d->state == AW_DNSSEC_SECURE &&
		    strcmp(nm->role, "mx-host") == 0)
			aw_findings_add(f, AW_SEV_NOTE, "dnssec.mx-host-insecure",
			    "RFC 7672 §2.2.1",
			    _("MX host %s is not in a signed zone: DANE cannot protect mail to it"),
			    nm->name);
	}
}

static void
dstate_free(struct dstate *s)
{
	aw_dnssec_detail_free(s->d);
	free(s->domain);
	free(s);
}

static void
conclude(struct dstate *s)
{
	struct aw_section *sec = s->sec;

	report_domain(s);
	report_names(s);
	sec->detail = s->d;
	sec->detail_free = aw_dnssec_detail_free;
	s->d = NULL;
	sec->inflight = NULL;
	sec->abandon = NULL;
	dstate_free(s);
	aw_section_finish(sec);
}

static void
dnssec_abandon(struct aw_section *sec)
{
	struct dstate *s = sec->inflight;

	if (s == NULL)
		return;
	aw_validator_cancel(s->v, s);
	sec->inflight = NULL;
	sec->abandon = NULL;
	dstate_free(s);
}

/* The DKIM keys of the selectors given (--selector). Without them no
 * key is validated here: the catalog's common selectors would be some
 * sixty validations a domain, and the DKIM area names what it found. */
static void
ask_dkim(struct dstate *s, const struct aw_check_env *env)
{
	const char *const *sel = env->opts->selectors;
	size_t i, n = env->opts->nselectors;
	char *name;

	for (i = 0; i < n; i++) {
		if (asprintf(&name, "%s._domainkey.%s", sel[i], s->domain) < 0)
			return;
		ask(s, name, 16);
		free(name);
	}
}

static enum aw_status
dnssec_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct dstate *s;
	char *name;

	(void)key;
	if ((sec->name = strdup(env->domain)) == NULL)
		return AW_ERR_NOMEM;
	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->d = calloc(1, sizeof *s->d)) == NULL ||
	    (s->domain = strdup(env->domain)) == NULL) {
		if (s != NULL)
			free(s->d);
		free(s);
		return AW_ERR_NOMEM;
	}
	s->sec = sec;
	s->v = env->opts->validator;
	sec->inflight = s;
	sec->abandon = dnssec_abandon;
	/* held back so no answer concludes before everything is asked */
	s->pending++;
	ask(s, s->domain, RR_DNSKEY);
	ask(s, s->domain, RR_DS);
	ask(s, s->domain, 15);
	ask_dkim(s, env);
	if (asprintf(&name, "_mta-sts.%s", s->domain) >= 0) {
		ask(s, name, 16);
		free(name);
	}
	if (--s->pending == 0)
		conclude(s);
	return AW_OK;
}

const struct aw_check_area aw_area_dnssec = {
	.area = "dnssec",
	.title = N_("DNSSEC"),
	.start = dnssec_start,
};
