/* model-ptr.c: the PTR/HELO step: the sending IPs, what their PTR check found, the
 * requests to the IP's owner, and the step's keys. */
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
#include "checks/spf-build.h"
#include "checks/spf-terms.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/model-int.h"

/* ---- PTR ---- */

static struct aw_tui_ip *
ip_find(struct aw_tui_model *m, const char *ip)
{
	size_t i;

	for (i = 0; i < m->nips; i++)
		if (strcmp(m->ips[i].ip, ip) == 0)
			return &m->ips[i];
	return NULL;
}

static bool
ip_add(struct aw_tui_model *m, const char *ip)
{
	struct aw_tui_ip *grown;

	if (ip_find(m, ip) != NULL)
		return true;
	grown = realloc(m->ips, (m->nips + 1) * sizeof *grown);
	if (grown == NULL)
		return false;
	m->ips = grown;
	memset(&m->ips[m->nips], 0, sizeof *m->ips);
	if ((m->ips[m->nips].ip = strdup(ip)) == NULL)
		return false;
	m->nips++;
	return true;
}

/* The overview's PTR/HELO row follows the PTR step's checks. */
static void
ptr_row(struct aw_tui_model *m)
{
	struct aw_tui_row_state *r = &m->rows[AW_ROW_PTR];
	size_t i, bad = 0, checked = 0;
	const char *first_bad = NULL;

	aw_strv_done(&r->details);
	for (i = 0; i < m->nips; i++) {
		const struct aw_tui_ip *ip = &m->ips[i];

		if (!ip->checked)
			continue;
		checked++;
		if (ip->confirmed) {
			aw_strv_pushf(&r->details, _("%s: PTR %s, forward-confirmed"),
			    ip->ip, ip->ptr ? ip->ptr : "");
		} else {
			bad++;
			if (first_bad == NULL)
				first_bad = ip->ip;
			if (ip->dns_failure)
				aw_strv_pushf(&r->details, _("%s: the PTR lookup failed"), ip->ip);
			else if (ip->ptr != NULL)
				aw_strv_pushf(&r->details, _("%s: PTR %s does not resolve back to it"),
				    ip->ip, ip->ptr);
			else
				aw_strv_pushf(&r->details, _("%s: no PTR record"), ip->ip);
		}
	}
	if (m->helo_checked != NULL)
		aw_strv_pushf(&r->details, m->helo_addrs.n ?
		    _("HELO %s resolves") : _("HELO %s does not resolve"),
		    m->helo_checked);
	if (checked == 0)
		return;
	r->status = bad ? AW_CHECK_ERROR : AW_CHECK_OK;
	if (bad)
		tm_row_summary(r, P_("%s: no forward-confirmed PTR",
		    "%s and others: no forward-confirmed PTR", bad), first_bad);
	else
		tm_row_summary(r, P_("%zu sending IP forward-confirmed",
		    "%zu sending IPs forward-confirmed", checked), checked);
}

/* The IP's own PTR lookup failed (timeout, SERVFAIL): what its name is
 * is unknown. A failure further on (the PTR name's forward lookup) is
 * not that: the PTR is then not forward-confirmed, as the overview says,
 * and a request to the IP's owner still makes sense (issue 14). */
static bool
ptr_lookup_failed(const struct aw_section *sec)
{
	size_t i;

	for (i = 0; i < sec->f.nlookups; i++)
		if (sec->f.lookups[i].type == AW_RECORD_PTR &&
		    aw_dns_result_is_failure(sec->f.lookups[i].result))
			return true;
	return false;
}

void
tm_on_ptr_section(struct aw_tui_model *m, const struct aw_section *sec)
{
	if (strcmp(sec->area, "helo") == 0) {
		size_t i;

		aw_strv_done(&m->helo_addrs);
		for (i = 0; i < sec->f.records.n; i++)
			aw_strv_push(&m->helo_addrs, sec->f.records.v[i]);
		tm_set_str(&m->helo_checked, sec->key);
		ptr_row(m);
		return;
	}
	if (strcmp(sec->area, "ptr") == 0 && sec->key != NULL) {
		struct aw_tui_ip *ip = ip_find(m, sec->key);
		const struct aw_ptr_detail *d = sec->detail;

		if (ip == NULL)
			return;
		ip->checked = true;
		ip->dns_failure = ptr_lookup_failed(sec);
		if (d != NULL) {
			/* FCrDNS (RFC 8601 §3, "iprev"): a PTR name that resolves
			 * back to the IP. */
			tm_set_str(&ip->ptr, d->nnames > 0 ? d->names[0].name : NULL);
			ip->confirmed = d->fcrdns;
		} else {
			tm_set_str(&ip->ptr, sec->f.records.n > 0 ? sec->f.records.v[0] : NULL);
			ip->confirmed = sec->f.records.n > 0 && sec->f.errors.n == 0;
		}
	}
	ptr_row(m);
}

/* The name an IP's PTR should carry: the HELO name, else mail.DOMAIN. */
char *
tm_ptr_wanted(const struct aw_tui_model *m)
{
	char *out = NULL;

	if (m->helo.len > 0)
		return aw_domain_normalize(m->helo.text);
	if (m->domain != NULL && asprintf(&out, "mail.%s", m->domain) < 0)
		out = NULL;
	return out;
}

char *
aw_tui_model_ptr_request(const struct aw_tui_model *m, size_t i)
{
	const struct aw_tui_ip *ip;
	char *want, *rev, *out = NULL;

	if (i >= m->nips)
		return NULL;
	ip = &m->ips[i];
	if (!ip->checked || ip->confirmed || ip->dns_failure)
		return NULL;
	want = tm_ptr_wanted(m);
	rev = aw_reverse_name(ip->ip);
	if (want != NULL && rev != NULL &&
	    asprintf(&out, _("Hello, please set the reverse DNS (PTR) record of our IP address %s (%s) to %s. The forward record %s -> %s is published (forward-confirmed reverse DNS). Thank you."),
	    ip->ip, rev, want, want, ip->ip) < 0)
		out = NULL;
	free(want);
	free(rev);
	return out;
}

unsigned
tm_ptr_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	if (m->focus == AW_FOCUS_FIELD1) {
		if (ev->type != AW_EV_NEXT)
			return AW_FX_NONE;
		tm_trim(m->ptr_ip.text);
		m->ptr_ip.len = strlen(m->ptr_ip.text);
		if (m->ptr_ip.len == 0)
			return tm_step(m, +1);
		if (!tm_is_ip(m->ptr_ip.text, NULL)) {
			char *msg = NULL;

			if (asprintf(&msg, _("not an IP address: %s"), m->ptr_ip.text) < 0)
				msg = NULL;
			tm_set_error(m, msg);
			free(msg);
			return AW_FX_REDRAW;
		}
		ip_add(m, m->ptr_ip.text);
		tm_field_clear(&m->ptr_ip);
		tm_set_error(m, NULL);
		m->ptr_running = true;
		return AW_FX_REDRAW | AW_FX_PTR_CHECK;
	}
	if (m->focus == AW_FOCUS_FIELD2) {
		char *norm;

		if (ev->type != AW_EV_NEXT)
			return AW_FX_NONE;
		tm_trim(m->helo.text);
		m->helo.len = strlen(m->helo.text);
		if (m->helo.len == 0)
			return tm_step(m, +1);
		norm = aw_domain_normalize(m->helo.text);
		if (norm != NULL && m->helo_checked != NULL &&
		    aw_domain_equal(norm, m->helo_checked)) {
			free(norm);
			return tm_step(m, +1);
		}
		if (norm == NULL || !aw_domain_valid(norm) || strchr(norm, '.') == NULL) {
			tm_set_error(m, _("the HELO name must be a fully qualified host name"));
			free(norm);
			return AW_FX_REDRAW;
		}
		free(norm);
		tm_set_error(m, NULL);
		m->ptr_running = true;
		return AW_FX_REDRAW | AW_FX_PTR_CHECK;
	}
	if (tm_list_key(&m->ip_cursor, m->nips, ev))
		return AW_FX_REDRAW;
	switch (ev->type) {
	case AW_EV_DELETE:
		if (m->ip_cursor < m->nips) {
			free(m->ips[m->ip_cursor].ip);
			free(m->ips[m->ip_cursor].ptr);
			memmove(&m->ips[m->ip_cursor], &m->ips[m->ip_cursor + 1],
			    (m->nips - m->ip_cursor - 1) * sizeof *m->ips);
			m->nips--;
			if (m->ip_cursor > 0 && m->ip_cursor >= m->nips)
				m->ip_cursor--;
		}
		return AW_FX_REDRAW;
	case AW_EV_BACK:
		return tm_step(m, -1);
	case AW_EV_NEXT:
		return tm_step(m, +1);
	default:
		return AW_FX_NONE;
	}
}

/* ---- the screen ---- */

static unsigned
ptr_enter(struct aw_tui_model *m)
{
	m->focus = AW_FOCUS_FIELD1;
	return AW_FX_NONE;
}

static struct aw_tui_field *
ptr_field(struct aw_tui_model *m)
{
	return m->focus == AW_FOCUS_FIELD1 ? &m->ptr_ip :
	    m->focus == AW_FOCUS_FIELD2 ? &m->helo : NULL;
}

static int
ptr_nfields(const struct aw_tui_model *m)
{
	(void)m;
	return 2;
}

const struct tm_screen tm_screen_ptr = {
	ptr_enter, tm_ptr_key, ptr_field, ptr_nfields
};
