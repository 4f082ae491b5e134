/* check-dane.c: the "dane" area (RFC 7672): the MX records through the
 * validator, then the TLSA records at _25._tcp.HOST of each MX host;
 * each judged (checks/dane.c) and usable only when DNSSEC-secure. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/dane.h"
#include "checks/domain.h"
#include "core/i18n.h"

#define RR_A 1
#define RR_MX 15
#define RR_TLSA 52
#define MX_HOSTS_MAX 16
#define TLSA_MAX 32

struct dane_state {
	struct aw_section *sec;
	struct aw_validator *v;
	struct aw_dane_detail *d;
	char *domain;
	unsigned pending;
};

static void on_answer(const struct aw_vanswer *a, void *arg);

static void
ask(struct dane_state *s, const char *name, int type)
{
	if (aw_validator_ask(s->v, s, name, type, on_answer, s) != AW_OK) {
		aw_findings_add(&s->sec->f, AW_SEV_ERROR,
		    "dane.tlsa-indeterminate", NULL,
		    _("could not ask the DNSSEC validator about %s"), name);
		return;
	}
	s->pending++;
}

static void
on_mx(struct dane_state *s, const struct aw_vanswer *a)
{
	struct aw_dane_detail *d = s->d;
	char host[1024], *tlsa;
	size_t i, off;

	d->mx_state = a->state;
	if ((d->hosts = calloc(a->n < MX_HOSTS_MAX ? a->n + 1 : MX_HOSTS_MAX,
	    sizeof *d->hosts)) == NULL)
		return;
	for (i = 0; i < a->n && d->n < MX_HOSTS_MAX; i++) {
		off = 2;
		if (a->len[i] < 3 || !aw_dnssec_rdata_name(a->data[i],
		    a->len[i], &off, host, sizeof host) || host[0] == '\0')
			continue;
		if (asprintf(&tlsa, "_25._tcp.%s", host) < 0)
			return;
		d->hosts[d->n].host = strdup(host);
		d->hosts[d->n].tlsa_name = tlsa;
		d->hosts[d->n].state = AW_DNSSEC_INDETERMINATE;
		d->n++;
		ask(s, tlsa, RR_TLSA);
		ask(s, host, RR_A);
	}
}

static void
on_tlsa(struct dane_state *s, const struct aw_vanswer *a)
{
	struct aw_dane_host *h = NULL;
	size_t i;

	for (i = 0; i < s->d->n; i++)
		if (strcasecmp(s->d->hosts[i].tlsa_name, a->qname) == 0 &&
		    s->d->hosts[i].tlsa == NULL)
			h = &s->d->hosts[i];
	if (h == NULL)
		return;
	h->state = a->state;
	h->reason = a->reason;
	if (a->n == 0 || (h->tlsa = calloc(a->n < TLSA_MAX ? a->n : TLSA_MAX,
	    sizeof *h->tlsa)) == NULL)
		return;
	for (i = 0; i < a->n && h->ntlsa < TLSA_MAX; i++)
		if (aw_tlsa_parse(a->data[i], a->len[i], &h->tlsa[h->ntlsa]))
			h->ntlsa++;
}

static void
on_addr(struct dane_state *s, const struct aw_vanswer *a)
{
	size_t i;

	for (i = 0; i < s->d->n; i++) {
		struct aw_dane_host *h = &s->d->hosts[i];

		if (strcasecmp(h->host, a->qname) == 0 && h->addr[0] == '\0' &&
		    a->n > 0 && a->len[0] == 4)
			inet_ntop(AF_INET, a->data[0], h->addr, sizeof h->addr);
	}
}

static void
report_host(struct dane_state *s, struct aw_dane_host *h)
{
	struct aw_findings *f = &s->sec->f;

	switch (h->state) {
	case AW_DNSSEC_BOGUS:
		aw_findings_add(f, AW_SEV_ERROR, "dane.tlsa-bogus",
		    "RFC 7672 §2.2",
		    _("the TLSA records of %s fail DNSSEC validation (%s): DANE clients defer mail to it"),
		    h->host, h->reason ? h->reason : "bogus");
		return;
	case AW_DNSSEC_INDETERMINATE:
		if (h->reason != NULL &&
		    strcmp(h->reason, AW_DNSSEC_R_ANCHOR) == 0)
			return;    /* the dnssec area says why */
		aw_findings_add(f, AW_SEV_WARNING, "dane.tlsa-indeterminate",
		    NULL, _("the TLSA records of %s could not be looked up (%s)"),
		    h->host, h->reason ? h->reason : AW_DNSSEC_R_FAILED);
		return;
	case AW_DNSSEC_INSECURE:
		if (h->ntlsa > 0)
			aw_findings_add(f, AW_SEV_ERROR, "dane.tlsa-insecure",
			    "RFC 7672 §2.2",
			    _("%s has TLSA records but they are not DNSSEC-signed: without DNSSEC they are unusable"),
			    h->host);
		else
			aw_findings_add(f, AW_SEV_NOTE, "dane.no-tlsa", NULL,
			    _("no TLSA record for %s (its zone is not signed, so DANE is not possible)"),
			    h->host);
		return;
	default:
		break;
	}
	if (h->ntlsa == 0) {
		aw_findings_add(f, AW_SEV_NOTE, "dane.no-tlsa", NULL,
		    _("no TLSA record at %s: mail to %s is not protected by DANE"),
		    h->tlsa_name, h->host);
		return;
	}
	h->usable = aw_tlsa_judge(f, h->host, h->tlsa, h->ntlsa);
	if (h->usable > 0)
		aw_findings_add(f, AW_SEV_NOTE, "dane.ok", "RFC 7672",
		    _("%s has DNSSEC-secure TLSA records SMTP can use: DANE protects mail to it"),
		    h->host);
}

static void
dane_state_free(struct dane_state *s)
{
	aw_dane_detail_free(s->d);
	free(s->domain);
	free(s);
}

static void
conclude(struct dane_state *s)
{
	struct aw_section *sec = s->sec;
	struct aw_dane_detail *d = s->d;
	bool any = false;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->hosts[i].ntlsa > 0)
			any = true;
	if (d->n == 0)
		aw_findings_add(&sec->f, AW_SEV_NOTE, "dane.no-mx", NULL,
		    _("%s has no MX host to protect"), s->domain);
	else if (d->mx_state != AW_DNSSEC_SECURE &&
	    d->mx_state != AW_DNSSEC_INDETERMINATE)
		aw_findings_add(&sec->f, any ? AW_SEV_WARNING : AW_SEV_NOTE,
		    "dane.mx-insecure", "RFC 7672 §2.2.1",
		    _("the MX records of %s are not DNSSEC-secure (%s): SMTP clients look for TLSA records only behind a secure MX RRset"),
		    s->domain, aw_dnssec_state_name(d->mx_state));
	for (i = 0; i < d->n; i++)
		report_host(s, &d->hosts[i]);
	if (!any)
		aw_findings_raise(&sec->f, AW_CHECK_MISSING);
	sec->detail = d;
	sec->detail_free = aw_dane_detail_free;
	s->d = NULL;
	sec->inflight = NULL;
	sec->abandon = NULL;
	dane_state_free(s);
	aw_section_finish(sec);
}

static void
on_answer(const struct aw_vanswer *a, void *arg)
{
	struct dane_state *s = arg;

	if (a->qtype == RR_MX)
		on_mx(s, a);
	else if (a->qtype == RR_A)
		on_addr(s, a);
	else
		on_tlsa(s, a);
	if (--s->pending == 0)
		conclude(s);
}

static void
dane_abandon(struct aw_section *sec)
{
	struct dane_state *s = sec->inflight;

	if (s == NULL)
		return;
	aw_validator_cancel(s->v, s);
	sec->inflight = NULL;
	sec->abandon = NULL;
	dane_state_free(s);
}

static enum aw_status
dane_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct dane_state *s;

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
	sec->abandon = dane_abandon;
	s->pending++;
	ask(s, s->domain, RR_MX);
	if (--s->pending == 0)
		conclude(s);
	return AW_OK;
}

const struct aw_check_area aw_area_dane = {
	.area = "dane",
	.title = N_("DANE"),
	.start = dane_start,
};
