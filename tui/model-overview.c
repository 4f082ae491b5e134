/* model-overview.c: the overview: one row per area, filled as the check's sections
 * come in; what was read (or could not be) for the steps. */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks/dmarc.h"
#include "checks/mx.h"
#include "checks/ptr.h"
#include "checks/requirements.h"
#include "checks/spf-build.h"
#include "checks/spf-terms.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/model-int.h"

/* ---- overview ---- */

static enum aw_tui_row
row_of_area(const char *area)
{
	if (strcmp(area, "spf") == 0)
		return AW_ROW_SPF;
	if (strcmp(area, "dkim") == 0)
		return AW_ROW_DKIM;
	if (strcmp(area, "dmarc") == 0)
		return AW_ROW_DMARC;
	if (strcmp(area, "mx") == 0)
		return AW_ROW_MX;
	if (strcmp(area, "ptr") == 0 || strcmp(area, "helo") == 0)
		return AW_ROW_PTR;
	return AW_ROW_COUNT;
}

void
tm_row_summary(struct aw_tui_row_state *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void
tm_row_summary(struct aw_tui_row_state *r, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	free(r->summary);
	r->summary = s;
}

static void
row_details_from(struct aw_tui_row_state *r, const struct aw_findings *f,
    const char *prefix)
{
	size_t i;

	for (i = 0; i < f->records.n; i++)
		aw_strv_pushf(&r->details, "%s%s", prefix, f->records.v[i]);
	for (i = 0; i < f->errors.n; i++)
		aw_strv_pushf(&r->details, "%s%s", prefix, f->errors.v[i]);
	for (i = 0; i < f->warnings.n; i++)
		aw_strv_pushf(&r->details, "%s%s", prefix, f->warnings.v[i]);
	for (i = 0; i < f->notes.n; i++)
		aw_strv_pushf(&r->details, "%s%s", prefix, f->notes.v[i]);
}

/* The first thing worth saying about a section. */
static const char *
findings_headline(const struct aw_findings *f)
{
	if (f->errors.n > 0)
		return f->errors.v[0];
	if (f->warnings.n > 0)
		return f->warnings.v[0];
	if (f->records.n > 0)
		return f->records.v[0];
	if (f->notes.n > 0)
		return f->notes.v[0];
	return NULL;
}

static void
on_dkim_section(struct aw_tui_model *m, const struct aw_section *sec)
{
	struct aw_tui_row_state *r = &m->rows[AW_ROW_DKIM];
	const char *sel = sec->key ? sec->key : "";
	enum aw_check_status st = sec->f.status;

	if (sec->f.records.n > 0 && st != AW_CHECK_ERROR) {
		aw_strv_pushf(&m->dkim_found, "%s", sel);
		aw_strv_pushf(&r->details, _("selector %s: key published"), sel);
	} else if (sec->f.notes.n > 0 && sec->f.records.n == 0 &&
	    !sec->f.dns_failure) {
		/* An alias whose target has no key: "a CNAME to nowhere". */
		aw_strv_pushf(&r->details, _("selector %s: %s, but no key there"),
		    sel, sec->f.notes.v[0]);
		if (sec->name != NULL)
			aw_strv_push(&m->dkim_broken, sec->name);
		st = AW_CHECK_ERROR;
	} else if (sec->f.dns_failure || st == AW_CHECK_ERROR) {
		aw_strv_pushf(&r->details, _("selector %s: %s"), sel,
		    findings_headline(&sec->f) ? findings_headline(&sec->f) : "");
		/* Unknown is not absent: no record is proposed there. */
		if (sec->f.dns_failure && m->domain != NULL) {
			aw_strv_pushf(&m->dkim_unread, "%s._domainkey.%s", sel,
			    m->domain);
			aw_strv_push(&m->dkim_unread_why,
			    findings_headline(&sec->f) ? findings_headline(&sec->f) :
			    _("the lookup failed"));
		}
	} else {
		st = AW_CHECK_MISSING;
	}
	if (st == AW_CHECK_ERROR) {
		r->status = AW_CHECK_ERROR;
		if (sec->f.notes.n > 0 && sec->f.records.n == 0)
			tm_row_summary(r, _("selector %s points (CNAME) to a name with no key"),
			    sel);
		else
			tm_row_summary(r, "%s", findings_headline(&sec->f) ?
			    findings_headline(&sec->f) : "");
	}
	if (r->finished == r->sections && r->status != AW_CHECK_ERROR) {
		if (m->dkim_found.n > 0) {
			struct aw_buf b;
			size_t i;

			aw_buf_init(&b);
			for (i = 0; i < m->dkim_found.n; i++)
				aw_buf_printf(&b, "%s%s", i ? ", " : "",
				    m->dkim_found.v[i]);
			r->status = AW_CHECK_OK;
			tm_row_summary(r, _("keys at selector %s"), aw_buf_str(&b));
			aw_buf_done(&b);
		} else {
			r->status = AW_CHECK_MISSING;
			tm_row_summary(r, _("no key found at the usual selectors"));
		}
	}
}

/* The TXT lookup at the section's own name said NXDOMAIN. */
static bool
nxdomain(const struct aw_section *sec)
{
	size_t i;

	for (i = 0; i < sec->f.nlookups; i++)
		if (aw_domain_equal(sec->f.lookups[i].name, sec->name) &&
		    sec->f.lookups[i].result == AW_DNS_NXDOMAIN)
			return true;
	return false;
}

/* Issue 13, unknown is not absent: when the TXT lookup at the section's
 * own name failed (timeout, SERVFAIL), what it says (translated), else
 * NULL. */
static const char *
unread_result(const struct aw_section *sec)
{
	size_t i;

	for (i = 0; i < sec->f.nlookups; i++)
		if (aw_domain_equal(sec->f.lookups[i].name, sec->name) &&
		    sec->f.lookups[i].type == AW_RECORD_TXT &&
		    aw_dns_result_is_failure(sec->f.lookups[i].result))
			return aw_dns_result_text(sec->f.lookups[i].result);
	return NULL;
}

void
tm_on_section(struct aw_tui_model *m, const struct aw_section *sec)
{
	enum aw_tui_row row = row_of_area(sec->area);
	struct aw_tui_row_state *r;
	const char *head = findings_headline(&sec->f);

	/* Not rows: the BIMI step's prerequisite, the DNSSEC line. */
	if (strcmp(sec->area, "bimi") == 0)
		tm_bimi_on_section(m, sec);
	else if (strcmp(sec->area, "dnssec") == 0)
		tm_dnssec_on_section(m, sec);
	if (row == AW_ROW_COUNT)
		return;
	r = &m->rows[row];
	if (r->finished < r->sections)
		r->finished++;
	if (row == AW_ROW_DKIM) {
		on_dkim_section(m, sec);
		return;
	}
	row_details_from(r, &sec->f, "");
	if (aw_check_status_rank(sec->f.status) >= aw_check_status_rank(r->status) || r->summary == NULL) {
		if (aw_check_status_rank(sec->f.status) >= aw_check_status_rank(r->status))
			r->status = sec->f.status;
		switch (row) {
		case AW_ROW_SPF:
			/* A domain that does not exist is named so (issue 14),
			 * not just "no SPF record". */
			if (sec->f.status == AW_CHECK_MISSING && nxdomain(sec))
				tm_row_summary(r, "%s", aw_dns_result_text(AW_DNS_NXDOMAIN));
			else if (sec->f.status == AW_CHECK_MISSING)
				tm_row_summary(r, _("no SPF record"));
			else
				tm_row_summary(r, "%s", head ? head : "");
			break;
		case AW_ROW_DMARC:
			if (sec->f.status == AW_CHECK_MISSING)
				tm_row_summary(r, _("no DMARC record"));
			else
				tm_row_summary(r, "%s", head ? head : "");
			break;
		case AW_ROW_MX: {
			const struct aw_mx_detail *d = sec->detail;

			if (d != NULL && d->n > 0 && sec->f.status == AW_CHECK_OK) {
				struct aw_buf b;
				size_t i;

				aw_buf_init(&b);
				for (i = 0; i < d->n && i < 4; i++)
					aw_buf_printf(&b, "%s%u %s", i ? ", " : "",
					    d->hosts[i].preference,
					    d->hosts[i].host[0] ? d->hosts[i].host : ".");
				tm_row_summary(r, "%s", aw_buf_str(&b));
				aw_buf_done(&b);
			} else if (sec->f.status == AW_CHECK_MISSING) {
				tm_row_summary(r, _("no MX record: mail to this domain goes to its A record"));
			} else {
				tm_row_summary(r, "%s", head ? head : "");
			}
			break;
		}
		default:
			tm_row_summary(r, "%s", head ? head : "");
			break;
		}
	}
	if (row == AW_ROW_SPF || row == AW_ROW_DMARC) {
		const char *failed = unread_result(sec);

		if (failed != NULL)
			tm_set_str(row == AW_ROW_SPF ? &m->spf_unread : &m->dmarc_unread,
			    failed);
	}
	if (row == AW_ROW_SPF) {
		size_t i;

		for (i = 0; i < sec->f.records.n; i++)
			aw_strv_push(&m->cur_spf, sec->f.records.v[i]);
	} else if (row == AW_ROW_DMARC) {
		size_t i;
		bool here = false;

		for (i = 0; i < sec->f.nlookups; i++)
			if (aw_domain_equal(sec->f.lookups[i].name, sec->name) &&
			    sec->f.lookups[i].count > 0)
				here = true;
		tm_set_str(&m->cur_dmarc_name, sec->name);
		for (i = 0; here && i < sec->f.records.n; i++)
			aw_strv_push(&m->cur_dmarc, sec->f.records.v[i]);
	}
}

/* Vendor verification TXT records (not SPF): by their well-known
 * prefixes. */
static const char *const verify_prefixes[] = {
	"google-site-verification=", "MS=", "facebook-domain-verification=",
	"apple-domain-verification=", "atlassian-domain-verification=",
	"adobe-idp-site-verification=", "docusign=", "zoho-verification=",
	"stripe-verification=", "globalsign-domain-verification=",
	"_globalsign-domain-verification=", "amazonses:", "mailru-verification:",
	"yandex-verification:", "hubspot-developer-verification=",
	"atlassian-sending-domain-verification=", "onetrust-domain-verification=",
	"dropbox-domain-verification=", "brevo-code:", "sendinblue-code:",
	"mandrill_verify.", "have-i-been-pwned-verification=",
};

void
tm_on_txt_answer(struct aw_tui_model *m, const struct aw_dns_answer *ans)
{
	struct aw_tui_row_state *r = &m->rows[AW_ROW_VERIFY];
	size_t i, k, other = 0;

	if (r->finished < r->sections)
		r->finished++;
	aw_strv_done(&m->cur_verify);
	aw_strv_done(&m->cur_txt);
	aw_strv_done(&r->details);
	if (ans == NULL || aw_dns_result_is_failure(ans->result)) {
		r->status = AW_CHECK_ERROR;
		tm_row_summary(r, "%s", ans ? aw_dns_result_text(ans->result) :
		    _("the lookup failed"));
		return;
	}
	aw_dns_answer_txts(ans, &m->cur_txt);
	for (i = 0; i < m->cur_txt.n; i++) {
		const char *txt = m->cur_txt.v[i];

		for (k = 0; k < sizeof verify_prefixes / sizeof verify_prefixes[0]; k++)
			if (aw_str_has_prefix_ci(txt, verify_prefixes[k]))
				break;
		if (k < sizeof verify_prefixes / sizeof verify_prefixes[0]) {
			aw_strv_push(&r->details, txt);
			aw_strv_push(&m->cur_verify, txt);
		} else if (!aw_spf_is_record_str(txt)) {
			other++;
		}
	}
	if (m->cur_verify.n > 0) {
		r->status = AW_CHECK_OK;
		tm_row_summary(r, P_("%zu verification record", "%zu verification records",
		    m->cur_verify.n), m->cur_verify.n);
	} else {
		r->status = AW_CHECK_MISSING;
		tm_row_summary(r, _("none (only needed when a service asks for one)"));
	}
	if (other > 0)
		aw_strv_pushf(&r->details, P_("%zu other TXT record", "%zu other TXT records",
		    other), other);
}

unsigned
tm_on_check_done(struct aw_tui_model *m)
{
	size_t i;
	unsigned fx = AW_FX_REDRAW;

	m->check_running = false;
	m->check_done = true;
	for (i = 0; i < AW_ROW_COUNT; i++) {
		if (m->rows[i].sections == 0 && i == AW_ROW_PTR) {
			m->rows[i].status = AW_CHECK_MISSING;
			if (m->rows[i].summary == NULL)
				tm_row_summary(&m->rows[i],
				    _("not checked yet: enter your sending IPs in the PTR/HELO step"));
		}
	}
	if (!m->prefilled) {
		m->prefilled = true;
		tm_spf_prefill(m);
		tm_dmarc_prefill(m);
		/* Sending IPs: the single addresses of the published SPF. */
		for (i = 0; i < m->spf_terms.n && m->nips < 8; i++) {
			const char *t = m->spf_terms.v[i];
			struct aw_tui_ip *grown;

			if ((!aw_str_has_prefix_ci(t, "ip4:") &&
			    !aw_str_has_prefix_ci(t, "ip6:")) || !tm_is_ip(t + 4, NULL))
				continue;
			grown = realloc(m->ips, (m->nips + 1) * sizeof *grown);
			if (grown == NULL)
				break;
			m->ips = grown;
			memset(&m->ips[m->nips], 0, sizeof *m->ips);
			m->ips[m->nips++].ip = strdup(t + 4);
		}
		if (m->nips > 0) {
			m->ptr_running = true;
			fx |= AW_FX_PTR_CHECK;
		}
	}
	return fx;
}

void
aw_tui_req_summarize(const struct aw_requirements *r,
    struct aw_tui_req_summary *out)
{
	const char *ids[AW_TUI_REQ_MAX];
	enum aw_req_status st[AW_TUI_REQ_MAX];
	size_t i, k, n = 0;

	memset(out, 0, sizeof *out);
	/* One verdict a rule: fail if any provider's fails, pass if every
	 * judged one passes, left out when none could be judged. */
	for (i = 0; i < r->n; i++) {
		const struct aw_requirement *q = &r->v[i];

		if (q->rule == NULL)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(ids[k], q->rule) == 0)
				break;
		if (k == n) {
			if (n == AW_TUI_REQ_MAX)
				continue;
			ids[n] = q->rule;
			st[n++] = q->status;
		} else if (q->status == AW_REQ_FAIL) {
			st[k] = AW_REQ_FAIL;
		} else if (q->status == AW_REQ_PASS && st[k] == AW_REQ_NOT_CHECKED) {
			st[k] = AW_REQ_PASS;
		}
	}
	for (k = 0; k < n; k++) {
		if (st[k] == AW_REQ_NOT_CHECKED)
			continue;
		out->total++;
		if (st[k] == AW_REQ_PASS)
			out->pass++;
		else
			out->failing[out->nfailing++] = ids[k];
	}
}

/* The overview's sender-rules line, from the summary main.c made once
 * the check finished. */
unsigned
tm_on_requirements(struct aw_tui_model *m, const struct aw_tui_req_summary *req)
{
	struct aw_buf b;
	size_t i;

	if (req == NULL)
		return AW_FX_NONE;
	m->req = *req;
	if (m->req.nfailing > AW_TUI_REQ_MAX)
		m->req.nfailing = AW_TUI_REQ_MAX;
	m->req_known = true;
	aw_buf_init(&b);
	if (m->req.total == 0)
		aw_buf_printf(&b, "%s", _("none can be judged from DNS"));
	else
		aw_buf_printf(&b, P_("%u of %u DNS rule passes", "%u of %u DNS rules pass",
		    m->req.total), m->req.pass, m->req.total);
	if (m->req.nfailing > 0) {
		aw_buf_printf(&b, " (%s ", _("failing:"));
		for (i = 0; i < m->req.nfailing; i++)
			aw_buf_printf(&b, "%s%.32s", i ? ", " : "", m->req.failing[i] ?
			    m->req.failing[i] : "?");
		aw_buf_printf(&b, ")");
	}
	tm_set_str(&m->req_line, aw_buf_str(&b));
	aw_buf_done(&b);
	return m->screen == AW_SCR_OVERVIEW ? AW_FX_REDRAW : AW_FX_NONE;
}

/* Every section of the check failed with a DNS error: the network or the
 * servers are down. Said once, at the top. */
void
tm_note_dns_failures(struct aw_tui_model *m, const struct aw_section *sec)
{
	if (sec->f.dns_failure && !m->check_done) {
		size_t i, nfail = 0, nsec = 0;

		for (i = 0; i < AW_ROW_COUNT; i++) {
			if (i == AW_ROW_VERIFY || m->rows[i].finished == 0)
				continue;
			nsec++;
			if (m->rows[i].status == AW_CHECK_ERROR)
				nfail++;
		}
		m->dns_down = nsec > 0 && nfail == nsec;
	} else if (!sec->f.dns_failure) {
		m->dns_down = false;
	}
}

/* ---- the screen ---- */

/* The overview: a row to set up, r to check again. */
static unsigned
overview_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	if (tm_list_key(&m->row_cursor, AW_ROW_COUNT, ev))
		return AW_FX_REDRAW;
	switch (ev->type) {
	case AW_EV_NEXT:
	case AW_EV_TOGGLE:
		if (!m->prefilled) {
			m->prefilled = true;
			tm_spf_prefill(m);
			tm_dmarc_prefill(m);
		}
		switch (m->row_cursor) {
		case AW_ROW_DKIM: return tm_go(m, AW_SCR_DKIM);
		case AW_ROW_DMARC: return tm_go(m, AW_SCR_DMARC);
		case AW_ROW_PTR: return tm_go(m, AW_SCR_PTR);
		default: return tm_go(m, AW_SCR_SPF);
		}
	case AW_EV_CHAR:
		if (ev->ch == 'r' && !m->check_running && m->domain != NULL) {
			char *d = strdup(m->domain);
			unsigned r = d ? aw_tui_model_set_domain(m, d) : 0;

			free(d);
			return r;
		}
		return AW_FX_NONE;
	default:
		return AW_FX_NONE;
	}
}

const struct tm_screen tm_screen_overview = {
	NULL, overview_key, NULL, NULL
};
