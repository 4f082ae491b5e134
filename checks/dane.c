/* dane.c: TLSA records for SMTP (RFC 6698, RFC 7672), parsed and judged. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dane.h"
#include "core/i18n.h"

bool
aw_tlsa_parse(const unsigned char *rd, size_t len, struct aw_tlsa *out)
{
	if (len < 4 || len - 3 > AW_TLSA_DATA_MAX)
		return false;
	out->usage = rd[0];
	out->selector = rd[1];
	out->mtype = rd[2];
	out->len = len - 3;
	memcpy(out->data, rd + 3, out->len);
	return true;
}

static bool
digest_length_ok(const struct aw_tlsa *t)
{
	if (t->mtype == 1)
		return t->len == 32;
	if (t->mtype == 2)
		return t->len == 64;
	return t->len > 0;
}

size_t
aw_tlsa_judge(struct aw_findings *f, const char *host,
    const struct aw_tlsa *t, size_t n)
{
	size_t i, usable = 0;
	bool sha256 = false;

	for (i = 0; i < n; i++) {
		const struct aw_tlsa *r = &t[i];
		bool ok = true;

		if (r->usage > 3) {
			aw_findings_add(f, AW_SEV_ERROR, "dane.unknown-usage",
			    "RFC 6698 §2.1.1",
			    _("TLSA record %u %u %u of %s: certificate usage %u is not defined"),
			    r->usage, r->selector, r->mtype, host, r->usage);
			ok = false;
		} else if (r->usage < 2) {
			aw_findings_add(f, AW_SEV_WARNING, "dane.pkix-usage",
			    "RFC 7672 §3.1.3",
			    _("TLSA record %u %u %u of %s: PKIX-TA/PKIX-EE (0/1) are not used by SMTP clients; publish DANE-EE (3) or DANE-TA (2)"),
			    r->usage, r->selector, r->mtype, host);
			ok = false;
		}
		if (r->selector > 1) {
			aw_findings_add(f, AW_SEV_ERROR, "dane.unknown-selector",
			    "RFC 6698 §2.1.2",
			    _("TLSA record %u %u %u of %s: selector %u is not defined"),
			    r->usage, r->selector, r->mtype, host, r->selector);
			ok = false;
		}
		if (r->mtype > 2) {
			aw_findings_add(f, AW_SEV_ERROR, "dane.unknown-matching-type",
			    "RFC 6698 §2.1.3",
			    _("TLSA record %u %u %u of %s: matching type %u is not defined"),
			    r->usage, r->selector, r->mtype, host, r->mtype);
			ok = false;
		} else if (!digest_length_ok(r)) {
			aw_findings_add(f, AW_SEV_ERROR, "dane.bad-digest-length",
			    "RFC 6698 §2.1.3",
			    _("TLSA record %u %u %u of %s: %zu bytes of data, not the length of its digest"),
			    r->usage, r->selector, r->mtype, host, r->len);
			ok = false;
		} else if (r->mtype == 0) {
			aw_findings_add(f, AW_SEV_WARNING, "dane.full-match",
			    "RFC 7672 §3.1.3",
			    _("TLSA record %u %u %u of %s: matching type 0 (the full data) is not recommended; publish a SHA2-256 digest (matching type 1)"),
			    r->usage, r->selector, r->mtype, host);
		}
		if (ok && r->usage == 3 && r->selector == 0)
			aw_findings_add(f, AW_SEV_NOTE, "dane.ee-full-cert",
			    "RFC 7671 §5.1",
			    _("TLSA record 3 0 %u of %s matches the whole certificate: each renewal needs a new record; 3 1 1 (the public key) survives renewals with the same key"),
			    r->mtype, host);
		if (ok && r->mtype == 1)
			sha256 = true;
		if (ok)
			usable++;
	}
	if (n > 0 && usable == 0)
		aw_findings_add(f, AW_SEV_ERROR, "dane.no-usable-tlsa",
		    "RFC 7672 §2.2",
		    _("%s has TLSA records but none that SMTP can use: mail to it is not protected by DANE"),
		    host);
	else if (usable > 0 && !sha256)
		aw_findings_add(f, AW_SEV_WARNING, "dane.no-sha256",
		    "RFC 7672 §3.1.3",
		    _("no usable TLSA record of %s uses SHA2-256 (matching type 1), which every client supports"),
		    host);
	return usable;
}

void
aw_dane_detail_free(void *detail)
{
	struct aw_dane_detail *d = detail;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->hosts[i].host);
		free(d->hosts[i].tlsa_name);
		free(d->hosts[i].tlsa);
	}
	free(d->hosts);
	free(d);
}
