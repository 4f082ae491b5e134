/* requirements.c: the mailbox providers' sender requirements, judged
 * from a finished domain check. Each rule is judged once from the
 * sections (never by re-reading records) and listed for every provider
 * that states it, with that provider's page. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dkim.h"
#include "checks/dmarc.h"
#include "checks/ptr.h"
#include "checks/requirements.h"
#include "checks/spf-lint.h"
#include "core/i18n.h"

#define SRC_GMAIL "https://support.google.com/a/answer/81126"
#define SRC_YAHOO "https://senders.yahooinc.com/best-practices/"
#define SRC_OUTLOOK "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730"

enum rule_id {
	R_SPF, R_DKIM, R_DMARC, R_ALIGNMENT, R_PTR, R_HELO, R_TLS,
	R_UNSUBSCRIBE, R_SPAM_RATE, R_COUNT
};

static const char *const rule_names[R_COUNT] = {
	"spf", "dkim", "dmarc", "alignment", "ptr", "helo", "tls",
	"unsubscribe", "spam-rate"
};

/* Which rules each provider publishes for bulk senders (Gmail: "Email
 * sender guidelines", 5,000+ a day; Yahoo: "Sender Best Practices";
 * Outlook.com: high-volume senders, from 5 May 2025). */
static const struct provider {
	const char *id, *name, *source;
	enum rule_id rules[R_COUNT];
	size_t nrules;
} providers[] = {
	{ "gmail", "Gmail", SRC_GMAIL,
	  { R_SPF, R_DKIM, R_DMARC, R_ALIGNMENT, R_PTR, R_HELO, R_TLS,
	    R_UNSUBSCRIBE, R_SPAM_RATE }, 9 },
	{ "yahoo", "Yahoo", SRC_YAHOO,
	  { R_SPF, R_DKIM, R_DMARC, R_ALIGNMENT, R_PTR, R_HELO,
	    R_UNSUBSCRIBE, R_SPAM_RATE }, 8 },
	{ "outlook", "Outlook.com", SRC_OUTLOOK,
	  { R_SPF, R_DKIM, R_DMARC, R_ALIGNMENT, R_UNSUBSCRIBE }, 5 },
};

struct verdict {
	enum aw_req_status status;
	char *message;
};

static void
verdict_set(struct verdict *v, enum aw_req_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
verdict_set(struct verdict *v, enum aw_req_status st, const char *fmt, ...)
{
	va_list ap;

	v->status = st;
	free(v->message);
	va_start(ap, fmt);
	if (vasprintf(&v->message, fmt, ap) < 0)
		v->message = NULL;
	va_end(ap);
}

static struct aw_section *
find_area(struct aw_domain_check *dc, const char *area, size_t from)
{
	size_t i;

	for (i = from; i < aw_domain_check_count(dc); i++) {
		struct aw_section *sec = aw_domain_check_section(dc, i);

		if (strcmp(sec->area, area) == 0)
			return sec;
	}
	return NULL;
}

static void
judge_spf(struct aw_domain_check *dc, struct verdict *v)
{
	struct aw_section *sec = find_area(dc, "spf", 0);
	const struct aw_spf_tree *tree;

	if (sec == NULL || (sec->f.records.n == 0 && sec->f.dns_failure)) {
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("the SPF record could not be read (DNS failure)"));
		return;
	}
	if (sec->f.records.n == 0) {
		verdict_set(v, AW_REQ_FAIL, _("no SPF record is published"));
		return;
	}
	if (sec->f.status == AW_CHECK_ERROR) {
		verdict_set(v, AW_REQ_FAIL,
		    _("the SPF record is published but does not work: %s"),
		    sec->f.errors.n > 0 ? sec->f.errors.v[0] : "");
		return;
	}
	tree = sec->detail;
	verdict_set(v, AW_REQ_PASS,
	    _("an SPF record is published and evaluates (%u of 10 lookups)"),
	    tree != NULL ? tree->lookups : 0);
}

/* A key a receiver verifies with, of an accepted size (RFC 8301 §3.2:
 * RSA at least 1024 bits). */
static bool
key_ok(bool usable, enum aw_dkim_key_type type, unsigned bits)
{
	return usable && (type == AW_DKIM_KEY_ED25519 ||
	    (type == AW_DKIM_KEY_RSA && bits >= 1024));
}

static void
judge_dkim(struct aw_domain_check *dc, struct verdict *v)
{
	struct aw_section *sec;
	const char *first = NULL;
	bool failure = false;
	size_t i = 0, nkeys = 0, k;

	while ((sec = find_area(dc, "dkim", i)) != NULL) {
		const struct aw_dkim_detail *d = sec->detail;

		for (i = 0; i < aw_domain_check_count(dc); i++)
			if (aw_domain_check_section(dc, i) == sec)
				break;
		i++;
		if (sec->f.dns_failure)
			failure = true;
		if (d == NULL)
			continue;
		if (d->discovery) {
			for (k = 0; k < d->nfound; k++)
				if (key_ok(d->found[k].usable, d->found[k].type,
				    d->found[k].bits)) {
					nkeys++;
					if (first == NULL)
						first = d->found[k].selector;
				}
		} else if (d->has_key && key_ok(d->key.usable, d->key.type,
		    d->key.bits)) {
			nkeys++;
			if (first == NULL)
				first = d->selector;
		}
	}
	if (nkeys > 0)
		verdict_set(v, AW_REQ_PASS,
		    P_("%zu usable DKIM key of at least 1024 bits (selector %s)",
		    "%zu usable DKIM keys of at least 1024 bits (first: selector %s)",
		    nkeys), nkeys, first);
	else if (failure)
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("the DKIM keys could not be read (DNS failure)"));
	else
		verdict_set(v, AW_REQ_FAIL,
		    _("no usable DKIM key of at least 1024 bits at the selectors asked (name yours with --selector)"));
}

static const char *
policy_word(enum aw_dmarc_policy p)
{
	switch (p) {
	case AW_DMARC_NONE:
		return "none";
	case AW_DMARC_QUARANTINE:
		return "quarantine";
	case AW_DMARC_REJECT:
		return "reject";
	default:
		return "?";
	}
}

static void
judge_dmarc(struct aw_domain_check *dc, struct verdict *v)
{
	struct aw_section *sec = find_area(dc, "dmarc", 0);
	const struct aw_dmarc_detail *d = sec != NULL ? sec->detail : NULL;

	if (d == NULL || (!d->has_record && sec->f.dns_failure)) {
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("the DMARC record could not be read (DNS failure)"));
		return;
	}
	if (!d->has_record || d->policy == AW_DMARC_UNSET ||
	    d->policy == AW_DMARC_INVALID) {
		verdict_set(v, AW_REQ_FAIL,
		    _("no DMARC policy applies to this domain (publish at least p=none at _dmarc of the organizational domain)"));
		return;
	}
	verdict_set(v, AW_REQ_PASS, _("DMARC p=%s applies (from _dmarc.%s)"),
	    policy_word(d->policy),
	    d->applied_domain != NULL ? d->applied_domain : "");
}

/* The From domain aligns with SPF or DKIM (DMARC's identifier
 * alignment). DNS shows whether it can: a key under the domain signs
 * with d= the domain; an SPF record at it lets the envelope use it. */
static void
judge_alignment(const struct verdict *spf, const struct verdict *dkim,
    const struct verdict *dmarc, struct verdict *v)
{
	if (dmarc->status != AW_REQ_PASS && dmarc->status != AW_REQ_FAIL)
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("not known: the DMARC record could not be read"));
	else if (dkim->status == AW_REQ_PASS)
		verdict_set(v, AW_REQ_PASS,
		    _("possible through DKIM: the domain's own keys sign with d= this domain (mail must be signed with them)"));
	else if (spf->status == AW_REQ_PASS)
		verdict_set(v, AW_REQ_PASS,
		    _("possible through SPF only: the envelope sender (Return-Path) must be this domain; add DKIM for forwarded mail"));
	else if (spf->status == AW_REQ_NOT_CHECKED ||
	    dkim->status == AW_REQ_NOT_CHECKED)
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("not known: SPF or DKIM could not be read"));
	else
		verdict_set(v, AW_REQ_FAIL,
		    _("not possible: neither SPF nor DKIM is set up for this domain"));
}

static void
judge_ptr(struct aw_domain_check *dc, struct verdict *v)
{
	struct aw_section *sec;
	size_t i, n = 0, bad = 0;
	bool failure = false;
	const char *first_bad = NULL;

	for (i = 0; i < aw_domain_check_count(dc); i++) {
		const struct aw_ptr_detail *d;

		sec = aw_domain_check_section(dc, i);
		if (strcmp(sec->area, "ptr") != 0)
			continue;
		d = sec->detail;
		n++;
		if (d != NULL && d->fcrdns)
			continue;
		if (sec->f.dns_failure)
			failure = true;
		bad++;
		if (first_bad == NULL)
			first_bad = sec->key != NULL ? sec->key : "";
	}
	if (n == 0)
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("give the sending IP addresses with --ip to check their reverse DNS"));
	else if (bad == 0)
		verdict_set(v, AW_REQ_PASS,
		    P_("the %zu sending address has forward-confirmed reverse DNS",
		    "all %zu sending addresses have forward-confirmed reverse DNS",
		    n), n);
	else if (failure)
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("the reverse DNS of %s could not be read (DNS failure)"),
		    first_bad);
	else
		verdict_set(v, AW_REQ_FAIL,
		    _("%s has no forward-confirmed reverse DNS (PTR name that resolves back to it)"),
		    first_bad);
}

static void
judge_helo(struct aw_domain_check *dc, struct verdict *v)
{
	struct aw_section *sec = find_area(dc, "helo", 0);
	const struct aw_helo_detail *d = sec != NULL ? sec->detail : NULL;

	if (sec == NULL || d == NULL)
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("give the server's HELO name with --helo to check it"));
	else if (sec->f.dns_failure && !d->resolves)
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("the HELO name could not be resolved (DNS failure)"));
	else if (d->fqdn && d->resolves)
		verdict_set(v, AW_REQ_PASS,
		    _("the HELO name is a host name that resolves"));
	else
		verdict_set(v, AW_REQ_FAIL,
		    _("the HELO name is not a fully qualified host name that resolves"));
}

static void
judge_outside_dns(enum rule_id r, struct verdict *v)
{
	switch (r) {
	case R_TLS:
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("TLS in transit is a property of the sending server; DNS does not show it"));
		break;
	case R_UNSUBSCRIBE:
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("one-click unsubscribe (List-Unsubscribe-Post, RFC 8058) is in the messages; DNS does not show it"));
		break;
	default:
		verdict_set(v, AW_REQ_NOT_CHECKED,
		    _("the spam complaint rate is measured by the provider (Postmaster Tools); DNS does not show it"));
		break;
	}
}

const char *
aw_req_status_name(enum aw_req_status s)
{
	switch (s) {
	case AW_REQ_PASS:
		return "pass";
	case AW_REQ_FAIL:
		return "fail";
	default:
		return "not-checked";
	}
}

void
aw_requirements_init(struct aw_requirements *r)
{
	r->v = NULL;
	r->n = 0;
}

void
aw_requirements_done(struct aw_requirements *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].message);
	free(r->v);
	aw_requirements_init(r);
}

enum aw_status
aw_requirements_judge(struct aw_domain_check *dc,
    struct aw_requirements *out)
{
	struct verdict v[R_COUNT];
	size_t i, k, total = 0;
	enum aw_status st = AW_OK;

	memset(v, 0, sizeof v);
	judge_spf(dc, &v[R_SPF]);
	judge_dkim(dc, &v[R_DKIM]);
	judge_dmarc(dc, &v[R_DMARC]);
	judge_alignment(&v[R_SPF], &v[R_DKIM], &v[R_DMARC], &v[R_ALIGNMENT]);
	judge_ptr(dc, &v[R_PTR]);
	judge_helo(dc, &v[R_HELO]);
	judge_outside_dns(R_TLS, &v[R_TLS]);
	judge_outside_dns(R_UNSUBSCRIBE, &v[R_UNSUBSCRIBE]);
	judge_outside_dns(R_SPAM_RATE, &v[R_SPAM_RATE]);
	for (i = 0; i < sizeof providers / sizeof providers[0]; i++)
		total += providers[i].nrules;
	aw_requirements_done(out);
	if ((out->v = calloc(total, sizeof *out->v)) == NULL) {
		st = AW_ERR_NOMEM;
		goto done;
	}
	for (i = 0; i < sizeof providers / sizeof providers[0]; i++) {
		const struct provider *p = &providers[i];

		for (k = 0; k < p->nrules; k++) {
			struct aw_requirement *r = &out->v[out->n];
			const struct verdict *from = &v[p->rules[k]];

			r->provider = p->id;
			r->provider_name = p->name;
			r->rule = rule_names[p->rules[k]];
			r->status = from->status;
			r->source = p->source;
			r->message = strdup(from->message != NULL ?
			    from->message : "");
			if (r->message == NULL) {
				st = AW_ERR_NOMEM;
				goto done;
			}
			out->n++;
		}
	}
done:
	for (i = 0; i < R_COUNT; i++)
		free(v[i].message);
	return st;
}
