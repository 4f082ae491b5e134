/* model.c: the wizard's state machine. No curses, no I/O: events in,
 * effects out (see model.h). */
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
#include "tui/model.h"


#define TTL_DEFAULT 3600

const struct aw_tui_target_info aw_tui_targets[AW_TARGET_COUNT] = {
	[AW_TARGET_CLOUDFLARE] = { "cloudflare", N_("Cloudflare"), 1, {
		{ N_("API token"), "CLOUDFLARE_API_TOKEN", true } } },
	[AW_TARGET_ROUTE53] = { "route53", N_("Amazon Route 53"), 2, {
		{ N_("Access key ID"), "AWS_ACCESS_KEY_ID", false },
		{ N_("Secret access key"), "AWS_SECRET_ACCESS_KEY", true } } },
	[AW_TARGET_POWERDNS] = { "powerdns", N_("PowerDNS"), 2, {
		{ N_("API URL"), "PDNS_API_URL", false },
		{ N_("API key"), "PDNS_API_KEY", true } } },
	[AW_TARGET_SHOW] = { "show", N_("Show the records (paste them at any DNS host)"),
		0, { { NULL, NULL, false } } },
};

/* ---- small helpers ---- */

static void
set_str(char **dst, const char *src)
{
	char *n = aw_strdup(src);

	free(*dst);
	*dst = n;
}

/* The generated key belongs to the selector now typed (changing the
 * selector asks for a new key, named by the new selector). */
bool
aw_tui_model_dkim_key_current(const struct aw_tui_model *m)
{
	return m->dkim_key != NULL && m->dkim_key_for != NULL &&
	    strcmp(m->dkim_key_for, m->dkim_selector.text) == 0;
}

static void
set_error(struct aw_tui_model *m, const char *msg)
{
	set_str(&m->error, msg);
}

static void
field_clear(struct aw_tui_field *f)
{
	memset(f->text, 0, sizeof f->text);
	f->len = 0;
}

/* Fields are drawn as they are: text from DNS loses its control
 * characters (C0 and DEL) on the way in. */
static void
field_set(struct aw_tui_field *f, const char *s)
{
	size_t i;

	field_clear(f);
	for (i = 0; s[i] != '\0' && f->len < sizeof f->text - 1; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			continue;
		f->text[f->len++] = (char)c;
	}
	/* Cut short: never end inside a UTF-8 sequence (the last one goes). */
	if (s[i] != '\0' && f->len > 0 &&
	    ((unsigned char)f->text[f->len - 1] & 0x80)) {
		while (f->len > 0 &&
		    ((unsigned char)f->text[f->len - 1] & 0xc0) == 0x80)
			f->len--;
		if (f->len > 0)
			f->len--;
	}
	f->text[f->len] = '\0';
}

/* An SPF term as published may be kept only when it is plain printable
 * ASCII (RFC 7208 §12: the record is ASCII). */
/* Appends a code point as UTF-8; false when it does not fit. */
static bool
field_put(struct aw_tui_field *f, uint32_t c)
{
	char b[4];
	size_t n;

	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c > 0x10ffff ||
	    (c >= 0xd800 && c < 0xe000))
		return false;
	if (c < 0x80) {
		b[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (f->len + n >= sizeof f->text)
		return false;
	memcpy(f->text + f->len, b, n);
	f->len += n;
	f->text[f->len] = '\0';
	return true;
}

/* Removes the last character (a whole UTF-8 sequence). */
static bool
field_erase(struct aw_tui_field *f)
{
	if (f->len == 0)
		return false;
	do
		f->len--;
	while (f->len > 0 && ((unsigned char)f->text[f->len] & 0xc0) == 0x80);
	f->text[f->len] = '\0';
	return true;
}

static void
trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	memmove(s, s + i, n - i + 1);
}

static bool
ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0)
		return true;
	for (i = 0; hay[i] != '\0'; i++)
		if (aw_strncasecmp(hay + i, needle, n) == 0)
			return true;
	return false;
}

static bool
is_ip(const char *s, int *family)
{
	unsigned char raw[16];

	if (inet_pton(AF_INET, s, raw) == 1) {
		if (family)
			*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, raw) == 1) {
		if (family)
			*family = AF_INET6;
		return true;
	}
	return false;
}

/* "192.0.2.0/24" or an address; family out. */
static bool
is_cidr(const char *s, int *family)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	char *end;
	long bits;

	if (slash == NULL)
		return is_ip(s, family);
	if ((size_t)(slash - s) >= sizeof buf)
		return false;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (!is_ip(buf, family))
		return false;
	bits = strtol(slash + 1, &end, 10);
	if (*end != '\0' || slash[1] == '\0' || bits < 0 ||
	    bits > (*family == AF_INET ? 32 : 128))
		return false;
	return true;
}

/* ---- life cycle ---- */

struct aw_tui_model *
aw_tui_model_new(const struct aw_tui_sender *senders, size_t n)
{
	struct aw_tui_model *m = calloc(1, sizeof *m);
	size_t t, i;

	if (m == NULL)
		return NULL;
	m->senders = senders;
	m->nsenders = n;
	m->picked = calloc(n ? n : 1, sizeof *m->picked);
	m->spf_light = calloc(n ? n : 1, sizeof *m->spf_light);
	if (m->picked == NULL || m->spf_light == NULL) {
		free(m->picked);
		free(m->spf_light);
		free(m);
		return NULL;
	}
	aw_strv_init(&m->cur_spf);
	aw_strv_init(&m->cur_dmarc);
	aw_strv_init(&m->cur_verify);
	aw_strv_init(&m->dkim_selectors);
	aw_strv_init(&m->dkim_found);
	aw_strv_init(&m->dkim_broken);
	aw_strv_init(&m->spf_terms);
	aw_strv_init(&m->spf_warnings);
	aw_strv_init(&m->dmarc_warnings);
	aw_strv_init(&m->dmarc_staged);
	aw_strv_init(&m->helo_addrs);
	for (i = 0; i < AW_ROW_COUNT; i++)
		aw_strv_init(&m->rows[i].details);
	m->spf_lookups_deep = -1;
	m->spf_hint = -1;
	aw_findings_init(&m->review_checks);
	m->dkim_sender = -1;
	m->target = AW_TARGET_SHOW;
	m->plan_target = -1;
	for (t = 0; t < AW_TARGET_COUNT; t++)
		for (i = 0; i < AW_TUI_CRED_MAX; i++)
			m->cred[t][i].secret = aw_tui_targets[t].cred[i].secret;
	field_set(&m->dkim_selector, "mail");
	/* Selectors the catalog's services use, and common ones. */
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < senders[i].ndkim; k++) {
			const char *nm = senders[i].dkim[k].name;
			const char *dot = strstr(nm, "._domainkey");
			char sel[64];

			if (dot == NULL || strchr(nm, '{') != NULL ||
			    (size_t)(dot - nm) >= sizeof sel)
				continue;
			memcpy(sel, nm, (size_t)(dot - nm));
			sel[dot - nm] = '\0';
			if (aw_strv_find(&m->dkim_selectors, sel) < 0)
				aw_strv_push(&m->dkim_selectors, sel);
		}
	}
	{
		static const char *const common[] = { "default", "dkim", "mail",
		    "google", "selector1", "selector2" };

		for (i = 0; i < sizeof common / sizeof common[0]; i++)
			if (aw_strv_find(&m->dkim_selectors, common[i]) < 0)
				aw_strv_push(&m->dkim_selectors, common[i]);
	}
	return m;
}

void
aw_tui_changes_free(struct aw_tui_change *changes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(changes[i].name);
		free(changes[i].value);
		free(changes[i].message);
		aw_strv_done(&changes[i].old);
		aw_strv_done(&changes[i].keep);
		aw_strv_done(&changes[i].more);
		aw_strv_done(&changes[i].notes);
	}
	free(changes);
}

static void
changes_free(struct aw_tui_model *m)
{
	aw_tui_changes_free(m->changes, m->nchanges);
	m->changes = NULL;
	m->nchanges = 0;
}

static void
rows_reset(struct aw_tui_model *m)
{
	size_t i;

	for (i = 0; i < AW_ROW_COUNT; i++) {
		free(m->rows[i].summary);
		m->rows[i].summary = NULL;
		aw_strv_done(&m->rows[i].details);
		m->rows[i].status = AW_CHECK_PENDING;
		m->rows[i].sections = m->rows[i].finished = 0;
	}
}

static void
hosts_free(struct aw_tui_model *m)
{
	size_t i;

	for (i = 0; i < m->nhosts; i++) {
		free(m->hosts[i].label);
		free(m->hosts[i].state);
	}
	free(m->hosts);
	m->hosts = NULL;
	m->nhosts = 0;
}

/* AW_EV_HOST_STATE: the host's state of one change, by label. */
static unsigned
host_state(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	struct aw_tui_host_state *h = NULL, *v;
	size_t i;

	if (ev->text == NULL)
		return AW_FX_NONE;
	for (i = 0; i < m->nhosts && h == NULL; i++)
		if (strcmp(m->hosts[i].label, ev->text) == 0)
			h = &m->hosts[i];
	if (h == NULL) {
		if ((v = realloc(m->hosts, (m->nhosts + 1) * sizeof *v)) == NULL)
			return AW_FX_NONE;
		m->hosts = v;
		h = &m->hosts[m->nhosts];
		memset(h, 0, sizeof *h);
		if ((h->label = strdup(ev->text)) == NULL)
			return AW_FX_NONE;
		m->nhosts++;
	}
	set_str(&h->state, ev->state);
	h->synced = ev->ok;
	return AW_FX_REDRAW;
}

bool
aw_tui_model_all_published(const struct aw_tui_model *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->nchanges; i++) {
		if (m->changes[i].op == AW_TUI_REQUEST)
			continue;
		n++;
		if (m->changes[i].recheck != 1)
			return false;
	}
	/* Route 53: its own servers too (GetChange INSYNC), as the CLI
	 * watch waits for. */
	for (i = 0; i < m->nhosts; i++)
		if (!m->hosts[i].synced)
			return false;
	return n > 0;
}

void
aw_tui_model_free(struct aw_tui_model *m)
{
	size_t i;

	if (m == NULL)
		return;
	rows_reset(m);
	changes_free(m);
	hosts_free(m);
	aw_strv_done(&m->cur_spf);
	aw_strv_done(&m->cur_dmarc);
	aw_strv_done(&m->cur_verify);
	aw_strv_done(&m->dkim_selectors);
	aw_strv_done(&m->dkim_found);
	aw_strv_done(&m->dkim_broken);
	aw_strv_done(&m->spf_terms);
	aw_strv_done(&m->spf_warnings);
	aw_strv_done(&m->dmarc_warnings);
	aw_strv_done(&m->dmarc_staged);
	aw_strv_done(&m->helo_addrs);
	for (i = 0; i < m->nips; i++) {
		free(m->ips[i].ip);
		free(m->ips[i].ptr);
	}
	free(m->ips);
	free(m->helo_checked);
	free(m->cur_dmarc_name);
	free(m->picked);
	free(m->spf_light);
	free(m->error);
	free(m->note);
	free(m->domain);
	free(m->domain_unicode);
	free(m->spf_all);
	free(m->spf_draft);
	free(m->dkim_key);
	free(m->dkim_key_for);
	free(m->dmarc_draft);
	free(m->dmarc_field_error[0]);
	free(m->dmarc_field_error[1]);
	free(m->spf_unread);
	free(m->dmarc_unread);
	aw_findings_done(&m->review_checks);
	free(m->plan_text);
	/* Credentials typed or copied: wipe before freeing. */
	memset(m->cred, 0, sizeof m->cred);
	free(m);
}

/* ---- SPF draft ---- */

static const struct aw_tui_sender *
sender_by_term(const struct aw_tui_model *m, const char *term, size_t *idx)
{
	size_t i;

	for (i = 0; i < m->nsenders; i++)
		if (m->senders[i].spf != NULL &&
		    aw_spf_term_equal(m->senders[i].spf, term)) {
			if (idx)
				*idx = i;
			return &m->senders[i];
		}
	return NULL;
}

static const struct aw_tui_sender *
sender_by_lighter(const struct aw_tui_model *m, const char *term, size_t *idx)
{
	size_t i;

	for (i = 0; i < m->nsenders; i++)
		if (m->senders[i].spf_lighter != NULL &&
		    aw_spf_term_equal(m->senders[i].spf_lighter, term)) {
			if (idx)
				*idx = i;
			return &m->senders[i];
		}
	return NULL;
}

/* Lookups one term costs, by the parser's rule (RFC 7208 §4.6.4:
 * checks/spf-terms.h); an include of a catalog sender costs what the
 * catalog says it costs in all. The lookup tree (AW_EV_SPF_EVAL) then
 * replaces this estimate with what `check` counts. */
static int
term_lookups(const struct aw_tui_model *m, const char *t)
{
	const struct aw_tui_sender *s;
	int n = aw_spf_term_lookups(t);

	if (n > 0 && aw_spf_include_target(t) != NULL &&
	    (s = sender_by_term(m, t, NULL)) != NULL && s->spf_lookups > 0)
		return s->spf_lookups;
	return n > 0 ? n : 0;
}

static bool
spf_term_in(const struct aw_strv *terms, const char *t)
{
	return aw_spf_terms_have((const char *const *)terms->v, terms->n, t);
}

/* The terms of SPF records (no "v=spf1", no "all"), in order, each once. */
static void
spf_terms_of(const char *const *recs, size_t n, struct aw_strv *out)
{
	size_t r;

	for (r = 0; r < n; r++)
		(void)aw_spf_split(recs[r], out, NULL, NULL);
}

/* The record the choices make, by the builder `authwizard plan` uses
 * (checks/spf-build.h): the published record(s) merged with the terms
 * chosen, in their published order, new terms after them; terms the user
 * took out are then left out. NULL when the builder refuses. */
static char *
spf_build_draft(struct aw_tui_model *m, const struct aw_strv *wanted,
    const char *all)
{
	struct aw_spf_want want;
	struct aw_spf_build b, b2;
	struct aw_strv cur, kept;
	char *out = NULL;
	size_t i;
	bool removed = false;

	aw_strv_init(&cur);
	aw_strv_init(&kept);
	spf_terms_of((const char *const *)m->cur_spf.v, m->cur_spf.n, &cur);
	for (i = 0; i < cur.n; i++)
		if (!spf_term_in(wanted, cur.v[i]))
			removed = true;
	memset(&want, 0, sizeof want);
	want.terms = (const char *const *)wanted->v;
	want.nterms = wanted->n;
	want.all = all;
	memset(&b, 0, sizeof b);
	if (cur.n > 0 && aw_spf_build((const char *const *)m->cur_spf.v,
	    m->cur_spf.n, &want, &b, NULL) == AW_OK) {
		if (!removed) {
			out = b.record, b.record = NULL;
		} else {
			/* The merged order, without what was taken out. */
			const char *rec = b.record;

			spf_terms_of(&rec, 1, &kept);
			for (i = 0; i < kept.n; ) {
				size_t k;
				const struct aw_tui_sender *s =
				    sender_by_term(m, kept.v[i], &k);

				/* A swapped-in lighter include takes the
				 * place of the heavy one. */
				if (s != NULL && m->spf_light[k] && m->picked[k] &&
				    s->spf_lighter != NULL) {
					free(kept.v[i]);
					kept.v[i] = strdup(s->spf_lighter);
				}
				if (kept.v[i] == NULL ||
				    !spf_term_in(wanted, kept.v[i])) {
					free(kept.v[i]);
					memmove(&kept.v[i], &kept.v[i + 1],
					    (kept.n - i - 1) * sizeof *kept.v);
					kept.n--;
				} else {
					i++;
				}
			}
			want.terms = (const char *const *)kept.v;
			want.nterms = kept.n;
		}
		aw_spf_build_done(&b);
	}
	if (out == NULL) {
		memset(&b2, 0, sizeof b2);
		if (aw_spf_build(NULL, 0, &want, &b2, NULL) == AW_OK) {
			out = b2.record, b2.record = NULL;
			aw_spf_build_done(&b2);
		}
	}
	aw_strv_done(&cur);
	aw_strv_done(&kept);
	return out;
}

/* The SPF term a picked sender contributes: its lighter include when the
 * user swapped it in. */
static const char *
sender_spf_term(const struct aw_tui_model *m, size_t i)
{
	const struct aw_tui_sender *s = &m->senders[i];

	return m->spf_light[i] && s->spf_lighter != NULL ? s->spf_lighter : s->spf;
}

/* The count shown: the lookup tree's when it is in, else the estimate. */
int
aw_tui_model_spf_count(const struct aw_tui_model *m)
{
	return m->spf_lookups_deep >= 0 ? m->spf_lookups_deep : m->spf_lookups;
}

/* The SPF step's warnings, from the draft and the count shown. Over the
 * limit, the first picked sender that offers a lighter include is named
 * (F2 swaps it in). */
static void
spf_warn(struct aw_tui_model *m)
{
	int count = aw_tui_model_spf_count(m);
	size_t i;

	aw_strv_done(&m->spf_warnings);
	m->spf_hint = -1;
	if (count > AW_SPF_MAX_LOOKUPS) {
		aw_strv_pushf(&m->spf_warnings,
		    _("%d DNS lookups: more than the 10 that receivers allow (RFC 7208 §4.6.4); drop a sender or use ip4/ip6 terms"),
		    count);
		for (i = 0; i < m->nsenders && m->spf_hint < 0; i++)
			if (m->picked[i] && !m->spf_light[i] &&
			    m->senders[i].spf_lighter != NULL)
				m->spf_hint = (int)i;
	}
	if (m->spf_unread != NULL)
		aw_strv_pushf(&m->spf_warnings,
		    _("the TXT records at %s could not be read (%s): the wizard will not propose an SPF record there until DNS answers"),
		    m->domain, m->spf_unread);
	if (m->spf_no_senders)
		aw_strv_push(&m->spf_warnings,
		    _("no senders chosen: the record says this domain sends no mail"));
	for (i = 0; i < m->spf_terms.n; i++) {
		const char *t = m->spf_terms.v[i];

		if (aw_str_has_prefix_ci(t, "ptr") || aw_str_has_prefix_ci(t, "+ptr"))
			aw_strv_push(&m->spf_warnings,
			    _("the ptr mechanism is slow and unreliable and should not be used (RFC 7208 §5.5)"));
	}
	if (m->spf_all != NULL && aw_spf_all_strictness(m->spf_all) == 0)
		aw_strv_push(&m->spf_warnings,
		    _("\"+all\" lets anyone send as this domain; use \"~all\" or \"-all\""));
	if (m->spf_dropped > 0)
		aw_strv_pushf(&m->spf_warnings,
		    P_("%zu term of the published record was not valid SPF and was left out",
		    "%zu terms of the published record were not valid SPF and were left out",
		    m->spf_dropped), m->spf_dropped);
	/* RFC 7208 §3.4: keep the answer within 512 bytes of UDP. */
	if (m->spf_draft != NULL && strlen(m->spf_draft) > 450)
		aw_strv_push(&m->spf_warnings,
		    _("the record is longer than 450 bytes: the DNS answer may not fit in one UDP packet (RFC 7208 §3.4)"));
}

static void
spf_rebuild(struct aw_tui_model *m)
{
	struct aw_buf b;
	struct aw_strv wanted, final;
	const char *redirect = NULL, *all;
	char *built;
	size_t i;
	int lookups = 0;
	bool any = false, same;

	aw_strv_init(&wanted);
	for (i = 0; i < m->spf_terms.n; i++) {
		if (aw_str_has_prefix_ci(m->spf_terms.v[i], "redirect="))
			redirect = m->spf_terms.v[i];
		else
			any = true;
		aw_strv_push(&wanted, m->spf_terms.v[i]);
	}
	for (i = 0; i < m->nsenders; i++) {
		if (!m->picked[i] || m->senders[i].spf == NULL)
			continue;
		aw_strv_push(&wanted, sender_spf_term(m, i));
		any = true;
	}
	/* RFC 7208 §6.1: redirect is ignored when "all" is present. The
	 * published "all" (the strictest of the records merged) is passed
	 * on as chosen: adding a sender never weakens "-all". */
	all = redirect != NULL && !any ? NULL :
	    any ? (m->spf_all ? m->spf_all : "~all") : "-all";
	built = spf_build_draft(m, &wanted, all);
	if (built == NULL) {
		/* Terms the builder refuses: written as chosen. */
		aw_buf_init(&b);
		aw_buf_puts(&b, "v=spf1");
		for (i = 0; i < wanted.n; i++)
			if (wanted.v[i] != redirect)
				aw_buf_printf(&b, " %s", wanted.v[i]);
		if (redirect != NULL)
			aw_buf_printf(&b, " %s", redirect);
		if (all != NULL)
			aw_buf_printf(&b, " %s", all);
		built = aw_buf_steal(&b);
		aw_buf_done(&b);
	}
	aw_strv_done(&wanted);
	same = m->spf_draft != NULL && built != NULL &&
	    strcmp(m->spf_draft, built) == 0;
	free(m->spf_draft);
	m->spf_draft = built;
	/* The estimate until the lookup tree answers (AW_EV_SPF_EVAL). */
	aw_strv_init(&final);
	if (built != NULL)
		spf_terms_of((const char *const *)&built, 1, &final);
	for (i = 0; i < final.n; i++)
		lookups += term_lookups(m, final.v[i]);
	aw_strv_done(&final);
	m->spf_lookups = lookups;
	if (!same)              /* the tree's count is the old draft's */
		m->spf_lookups_deep = -1;
	m->spf_no_senders = !any && redirect == NULL;
	spf_warn(m);
}

/* F2 on the SPF step: the sender named over the limit uses its lighter
 * include. */
static unsigned
spf_swap_lighter(struct aw_tui_model *m)
{
	char *msg = NULL;
	const struct aw_tui_sender *s;

	if (m->spf_hint < 0 || (size_t)m->spf_hint >= m->nsenders)
		return AW_FX_NONE;
	s = &m->senders[m->spf_hint];
	m->spf_light[m->spf_hint] = true;
	if (asprintf(&msg, _("%s now uses its lighter include: %s"), s->name,
	    s->spf_lighter) >= 0)
		set_str(&m->note, msg);
	free(msg);
	spf_rebuild(m);
	return AW_FX_REDRAW | AW_FX_SPF_EVAL;
}

/* Folds the published record(s) into the choices: catalog includes pick
 * their sender (or its lighter include), every other term is kept; the
 * strictest "all" of the records is kept (RFC 7208 §3.2: merging them
 * must not let through mail the stricter one rejected). */
static void
spf_prefill(struct aw_tui_model *m)
{
	struct aw_strv terms;
	size_t r, i, bad, dropped = 0;
	const char *all;

	aw_strv_done(&m->spf_terms);
	free(m->spf_all);
	m->spf_all = NULL;
	all = aw_spf_strictest_all((const char *const *)m->cur_spf.v, m->cur_spf.n);
	if (all != NULL)
		set_str(&m->spf_all, all);
	for (r = 0; r < m->cur_spf.n; r++) {
		aw_strv_init(&terms);
		bad = 0;
		(void)aw_spf_split(m->cur_spf.v[r], &terms, NULL, &bad);
		dropped += bad;
		for (i = 0; i < terms.n; i++) {
			const char *tok = terms.v[i];
			size_t idx;

			if (*tok != '-' && *tok != '~' && *tok != '?') {
				if (sender_by_term(m, tok, &idx) != NULL) {
					m->picked[idx] = true;
					continue;
				}
				if (sender_by_lighter(m, tok, &idx) != NULL) {
					m->picked[idx] = true;
					m->spf_light[idx] = true;
					continue;
				}
			}
			if (!spf_term_in(&m->spf_terms, tok))
				aw_strv_push(&m->spf_terms, tok);
		}
		aw_strv_done(&terms);
	}
	m->spf_dropped = dropped;
	spf_rebuild(m);
}

/* Turns what the user typed into an SPF term: a bare address becomes
 * ip4:/ip6:, a host name a:, terms with a known prefix stay. NULL when it
 * is none of these. The caller frees. */
static char *
spf_term_from_input(const char *in)
{
	char *out = NULL;
	int fam;
	const char *arg;

	if (is_cidr(in, &fam)) {
		if (asprintf(&out, "%s:%s", fam == AF_INET ? "ip4" : "ip6", in) < 0)
			return NULL;
		return out;
	}
	if (aw_str_has_prefix_ci(in, "ip4:") || aw_str_has_prefix_ci(in, "ip6:")) {
		if (!is_cidr(in + 4, &fam) ||
		    (fam == AF_INET) != (aw_strncasecmp(in, "ip4", 3) == 0))
			return NULL;
		return strdup(in);
	}
	if (aw_strcasecmp(in, "a") == 0 || aw_strcasecmp(in, "mx") == 0)
		return strdup(in);
	if (aw_str_has_prefix_ci(in, "a:"))
		arg = in + 2;
	else if (aw_str_has_prefix_ci(in, "mx:"))
		arg = in + 3;
	else if (aw_str_has_prefix_ci(in, "include:"))
		arg = in + 8;
	else if (aw_str_has_prefix_ci(in, "exists:"))
		arg = in + 7;
	else
		arg = NULL;
	if (arg != NULL)
		return *arg != '\0' && strchr(arg, ' ') == NULL ? strdup(in) : NULL;
	{
		char *ascii = NULL;

		if (aw_domain_to_ascii(in, &ascii, NULL) != AW_OK)
			return NULL;
		if (!aw_domain_valid(ascii) || strchr(ascii, '.') == NULL) {
			free(ascii);
			return NULL;
		}
		if (asprintf(&out, "a:%s", ascii) < 0)
			out = NULL;
		free(ascii);
		return out;
	}
}

size_t
aw_tui_model_spf_visible(const struct aw_tui_model *m, size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < m->nsenders; i++) {
		const struct aw_tui_sender *s = &m->senders[i];

		if (s->spf == NULL)
			continue;
		if (!ci_contains(s->name, m->spf_filter.text) &&
		    !ci_contains(s->id, m->spf_filter.text) &&
		    !ci_contains(s->spf, m->spf_filter.text))
			continue;
		if (idx != NULL && n < max)
			idx[n] = i;
		n++;
	}
	return n;
}

/* ---- DKIM ---- */

size_t
aw_tui_model_dkim_visible(const struct aw_tui_model *m, size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < m->nsenders; i++) {
		if (m->senders[i].ndkim == 0)
			continue;
		if (!ci_contains(m->senders[i].name, m->dkim_filter.text) &&
		    !ci_contains(m->senders[i].id, m->dkim_filter.text))
			continue;
		if (idx != NULL && n < max)
			idx[n] = i;
		n++;
	}
	return n;
}

static bool
is_domain_placeholder(const char *p, size_t n)
{
	return (n == 8 && strncmp(p, "{domain}", 8) == 0) ||
	    (n == 15 && (strncmp(p, "{domain-dashed}", 15) == 0 ||
	    strncmp(p, "{domain_dashed}", 15) == 0));
}

/* The account part may fill several placeholders ({token1} {token2}):
 * its words, separated by spaces or commas, in the order the placeholders
 * first appear in the sender's templates. */
static size_t
placeholder_index(const struct aw_tui_sender *s, const char *ph, size_t n)
{
	struct aw_strv seen;
	size_t k, idx = 0;
	bool found = false;

	aw_strv_init(&seen);
	for (k = 0; k < s->ndkim * 2 && !found; k++) {
		const char *t = k % 2 ? s->dkim[k / 2].target : s->dkim[k / 2].name;
		const char *p = t;

		while (!found && (p = strchr(p, '{')) != NULL) {
			const char *e = strchr(p, '}');
			char *name;

			if (e == NULL)
				break;
			if (!is_domain_placeholder(p, (size_t)(e - p + 1))) {
				name = strndup(p, (size_t)(e - p + 1));
				if (name != NULL && aw_strv_find(&seen, name) < 0) {
					if ((size_t)(e - p + 1) == n && strncmp(p, ph, n) == 0)
						found = true;
					else
						aw_strv_push(&seen, name);
				} else if (name != NULL && (size_t)(e - p + 1) == n &&
				    strncmp(p, ph, n) == 0) {
					found = true;
				}
				free(name);
			}
			p = e + 1;
		}
	}
	idx = seen.n;
	aw_strv_done(&seen);
	return idx;
}

/* The n-th word of the account text, or NULL. */
static char *
account_word(const char *account, size_t n)
{
	size_t i = 0;
	const char *p = account;

	while (*p != '\0') {
		size_t len;

		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		len = strcspn(p, " ,");
		if (i++ == n)
			return strndup(p, len);
		p += len;
	}
	return NULL;
}

/* Fills {domain}, {domain-dashed} (or {domain_dashed}) and the sender's
 * own placeholders from the account part. NULL when one is missing. */
static char *
dkim_expand(const struct aw_tui_sender *s, const char *tmpl,
    const char *account, const char *domain)
{
	struct aw_buf b;
	const char *p = tmpl;
	char *out;

	aw_buf_init(&b);
	while (*p != '\0') {
		const char *e = *p == '{' ? strchr(p, '}') : NULL;

		if (e == NULL) {
			aw_buf_putc(&b, *p++);
			continue;
		}
		if (strncmp(p, "{domain}", 8) == 0) {
			aw_buf_puts(&b, domain);
		} else if (is_domain_placeholder(p, (size_t)(e - p + 1))) {
			const char *d;

			for (d = domain; *d; d++)
				aw_buf_putc(&b, *d == '.' ? '-' : *d);
		} else {
			char *w = account_word(account ? account : "",
			    placeholder_index(s, p, (size_t)(e - p + 1)));

			if (w == NULL || *w == '\0') {
				free(w);
				aw_buf_done(&b);
				return NULL;
			}
			aw_buf_puts(&b, w);
			free(w);
		}
		p = e + 1;
	}
	out = aw_buf_steal(&b);
	aw_buf_done(&b);
	return out;
}

static bool
dkim_needs_account(const struct aw_tui_sender *s)
{
	size_t k;

	for (k = 0; k < s->ndkim * 2; k++) {
		const char *t = k % 2 ? s->dkim[k / 2].target : s->dkim[k / 2].name;
		const char *p = t;

		while ((p = strchr(p, '{')) != NULL) {
			const char *e = strchr(p, '}');

			if (e == NULL)
				break;
			if (!is_domain_placeholder(p, (size_t)(e - p + 1)))
				return true;
			p = e + 1;
		}
	}
	return false;
}

/* The account part: letters, digits, '-', '_' and '.' only (words apart
 * by spaces or commas), so it cannot turn a DNS name into something else. */
static bool
account_ok(const char *a)
{
	for (; *a; a++)
		if (!((*a >= 'a' && *a <= 'z') || (*a >= 'A' && *a <= 'Z') ||
		    (*a >= '0' && *a <= '9') || *a == '-' || *a == '_' || *a == '.' ||
		    *a == ' ' || *a == ','))
			return false;
	return true;
}

void
aw_tui_model_dkim_records(const struct aw_tui_model *m, struct aw_strv *out)
{
	const struct aw_tui_sender *s;
	size_t k;

	aw_strv_init(out);
	if (m->domain == NULL)
		return;
	if (m->dkim_keygen) {
		if (aw_tui_model_dkim_key_current(m))
			aw_strv_pushf(out, "%s._domainkey.%s TXT %s",
			    m->dkim_selector.text, m->domain, m->dkim_key);
		return;
	}
	if (m->dkim_sender < 0)
		return;
	s = &m->senders[m->dkim_sender];
	if (!account_ok(m->dkim_account.text))
		return;
	for (k = 0; k < s->ndkim; k++) {
		char *name = dkim_expand(s, s->dkim[k].name, m->dkim_account.text,
		    m->domain);
		char *target = dkim_expand(s, s->dkim[k].target,
		    m->dkim_account.text, m->domain);

		if (name != NULL && target != NULL)
			aw_strv_pushf(out, "%s.%s CNAME %s", name, m->domain,
			    target);
		free(name);
		free(target);
	}
}

/* ---- DMARC ---- */


/* The words of a typed address field: separated by commas or spaces
 * (typed text, not a record: the record is parsed by checks/dmarc.h). */
static void
field_words(const char *text, struct aw_strv *out)
{
	const char *p = text, *e;

	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return;
		for (e = p; *e != '\0' && *e != ',' && *e != ' ' && *e != '\t'; e++)
			;
		{
			char *w = strndup(p, (size_t)(e - p));

			if (w != NULL)
				aw_strv_take(out, w);
		}
		p = e;
	}
}

/* The addresses of one field that the DMARC builder takes (RFC 9989
 * §4.7 rua/ruf URIs: checks/dmarc.h judges each) into ok; the first it
 * refuses sets *bad (its message, translated). External destinations
 * warn: RFC 9990 §3 authorization. */
static void
dmarc_field(struct aw_tui_model *m, const struct aw_tui_field *f,
    const char *tag, struct aw_strv *ok, char **bad)
{
	struct aw_strv words;
	size_t i;

	aw_strv_init(&words);
	field_words(f->text, &words);
	for (i = 0; i < words.n; i++) {
		const char *one[1] = { words.v[i] };
		struct aw_dmarc_build db;
		struct aw_error err;
		char *rec = NULL;
		const char *addr = words.v[i], *at;

		memset(&db, 0, sizeof db);
		db.p = AW_DMARC_NONE;
		if (strcmp(tag, "rua") == 0)
			db.rua = one, db.nrua = 1;
		else
			db.ruf = one, db.nruf = 1;
		aw_error_clear(&err);
		if (aw_dmarc_build(&db, &rec, &err) != AW_OK) {
			if (*bad == NULL)
				*bad = aw_strdup(err.msg);
			continue;
		}
		free(rec);
		aw_strv_push(ok, addr);
		if (aw_str_has_prefix_ci(addr, "mailto:"))
			addr += 7;
		at = strrchr(addr, '@');
		if (at != NULL && !aw_domain_is_under(at + 1, m->domain)) {
			char *name = aw_dmarc_report_auth_name(m->domain, at + 1);

			aw_strv_pushf(&m->dmarc_warnings,
			    _("%s goes to another domain: %s must publish a TXT record \"v=DMARC1\" at %s (RFC 9990 §3)"),
			    addr, at + 1, name ? name : "");
			free(name);
		}
	}
	aw_strv_done(&words);
}

/* The record by the builder of checks/dmarc.h (RFC 9989 §4.7 tags). An
 * address the builder refuses stays in its field with the message beside
 * it (m->dmarc_field_error) and keeps the step (dmarc_key). */
static void
dmarc_rebuild(struct aw_tui_model *m)
{
	static const enum aw_dmarc_policy pol[] = {
		[AW_TUI_DMARC_NONE] = AW_DMARC_NONE,
		[AW_TUI_DMARC_QUARANTINE] = AW_DMARC_QUARANTINE,
		[AW_TUI_DMARC_REJECT] = AW_DMARC_REJECT,
	};
	struct aw_dmarc_build db;
	struct aw_strv rua_v, ruf_v;
	struct aw_error err;
	char *rec = NULL;

	aw_strv_done(&m->dmarc_warnings);
	free(m->dmarc_field_error[0]);
	free(m->dmarc_field_error[1]);
	m->dmarc_field_error[0] = m->dmarc_field_error[1] = NULL;
	if (m->domain == NULL)
		return;
	aw_strv_init(&rua_v);
	aw_strv_init(&ruf_v);
	dmarc_field(m, &m->dmarc_rua, "rua", &rua_v, &m->dmarc_field_error[0]);
	dmarc_field(m, &m->dmarc_ruf, "ruf", &ruf_v, &m->dmarc_field_error[1]);
	memset(&db, 0, sizeof db);
	db.p = pol[m->dmarc_policy];
	db.rua = (const char *const *)rua_v.v;
	db.nrua = rua_v.n;
	db.ruf = (const char *const *)ruf_v.v;
	db.nruf = ruf_v.n;
	aw_error_clear(&err);
	if (aw_dmarc_build(&db, &rec, &err) != AW_OK) {
		aw_strv_push(&m->dmarc_warnings, err.msg);
		rec = NULL;
	}
	if (rua_v.n == 0 && m->dmarc_field_error[0] == NULL)
		aw_strv_push(&m->dmarc_warnings,
		    _("no report address: you will not see who sends as your domain before tightening the policy"));
	aw_strv_done(&rua_v);
	aw_strv_done(&ruf_v);
	if (rec != NULL) {
		free(m->dmarc_draft);
		m->dmarc_draft = rec;
	}
	if (m->dmarc_staged.n == 0)
		aw_dmarc_staged_path(&m->dmarc_staged);
}

/* The policy and addresses of the published record (parsed by
 * checks/dmarc.h), if any. */
static void
dmarc_prefill(struct aw_tui_model *m)
{
	struct aw_dmarc_record r;
	struct aw_findings f;
	struct aw_buf b;
	size_t i;

	if (m->cur_dmarc.n != 1) {
		char *def = NULL;

		if (asprintf(&def, "dmarc-reports@%s", m->domain) >= 0)
			field_set(&m->dmarc_rua, def);
		free(def);
		dmarc_rebuild(m);
		return;
	}
	aw_dmarc_record_init(&r);
	aw_findings_init(&f);
	aw_buf_init(&b);
	if (aw_dmarc_parse(m->cur_dmarc.v[0], strlen(m->cur_dmarc.v[0]), &r,
	    &f) == AW_OK) {
		if (r.p == AW_DMARC_QUARANTINE)
			m->dmarc_policy = AW_TUI_DMARC_QUARANTINE;
		else if (r.p == AW_DMARC_REJECT)
			m->dmarc_policy = AW_TUI_DMARC_REJECT;
		else
			m->dmarc_policy = AW_TUI_DMARC_NONE;
		for (i = 0; i < r.nrua; i++)
			aw_buf_printf(&b, "%s%s", b.len ? ", " : "",
			    r.rua[i].address ? r.rua[i].address : r.rua[i].uri);
	}
	field_set(&m->dmarc_rua, b.len ? aw_buf_str(&b) : "");
	aw_buf_done(&b);
	aw_findings_done(&f);
	aw_dmarc_record_done(&r);
	dmarc_rebuild(m);
}

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

static int
severity(enum aw_check_status s)
{
	switch (s) {
	case AW_CHECK_PENDING: return 0;
	case AW_CHECK_OK: return 1;
	case AW_CHECK_MISSING: return 2;
	case AW_CHECK_WARNING: return 3;
	case AW_CHECK_ERROR: return 4;
	}
	return 0;
}

static void
row_summary(struct aw_tui_row_state *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
row_summary(struct aw_tui_row_state *r, const char *fmt, ...)
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
	} else {
		st = AW_CHECK_MISSING;
	}
	if (st == AW_CHECK_ERROR) {
		r->status = AW_CHECK_ERROR;
		if (sec->f.notes.n > 0 && sec->f.records.n == 0)
			row_summary(r, _("selector %s points (CNAME) to a name with no key"),
			    sel);
		else
			row_summary(r, "%s", findings_headline(&sec->f) ?
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
			row_summary(r, _("keys at selector %s"), aw_buf_str(&b));
			aw_buf_done(&b);
		} else {
			r->status = AW_CHECK_MISSING;
			row_summary(r, _("no key found at the usual selectors"));
		}
	}
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
		    sec->f.lookups[i].type == AW_RR_TXT &&
		    aw_dns_result_is_failure(sec->f.lookups[i].result))
			return aw_dns_result_text(sec->f.lookups[i].result);
	return NULL;
}

static void
on_section(struct aw_tui_model *m, const struct aw_section *sec)
{
	enum aw_tui_row row = row_of_area(sec->area);
	struct aw_tui_row_state *r;
	const char *head = findings_headline(&sec->f);

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
	if (severity(sec->f.status) >= severity(r->status) || r->summary == NULL) {
		if (severity(sec->f.status) >= severity(r->status))
			r->status = sec->f.status;
		switch (row) {
		case AW_ROW_SPF:
			if (sec->f.status == AW_CHECK_MISSING)
				row_summary(r, _("no SPF record"));
			else
				row_summary(r, "%s", head ? head : "");
			break;
		case AW_ROW_DMARC:
			if (sec->f.status == AW_CHECK_MISSING)
				row_summary(r, _("no DMARC record"));
			else
				row_summary(r, "%s", head ? head : "");
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
				row_summary(r, "%s", aw_buf_str(&b));
				aw_buf_done(&b);
			} else if (sec->f.status == AW_CHECK_MISSING) {
				row_summary(r, _("no MX record: mail to this domain goes to its A record"));
			} else {
				row_summary(r, "%s", head ? head : "");
			}
			break;
		}
		default:
			row_summary(r, "%s", head ? head : "");
			break;
		}
	}
	if (row == AW_ROW_SPF || row == AW_ROW_DMARC) {
		const char *failed = unread_result(sec);

		if (failed != NULL)
			set_str(row == AW_ROW_SPF ? &m->spf_unread : &m->dmarc_unread,
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
		set_str(&m->cur_dmarc_name, sec->name);
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

static void
on_txt_answer(struct aw_tui_model *m, const struct aw_dns_answer *ans)
{
	struct aw_tui_row_state *r = &m->rows[AW_ROW_VERIFY];
	size_t i, k, other = 0;

	if (r->finished < r->sections)
		r->finished++;
	aw_strv_done(&m->cur_verify);
	aw_strv_done(&r->details);
	if (ans == NULL || aw_dns_result_is_failure(ans->result)) {
		r->status = AW_CHECK_ERROR;
		row_summary(r, "%s", ans ? aw_dns_result_text(ans->result) :
		    _("the lookup failed"));
		return;
	}
	for (i = 0; i < ans->nrr; i++) {
		char *txt;

		if (ans->rr[i].type != AW_RR_TXT)
			continue;
		if ((txt = aw_dns_txt_join(&ans->rr[i], NULL)) == NULL)
			continue;
		for (k = 0; k < sizeof verify_prefixes / sizeof verify_prefixes[0]; k++)
			if (aw_str_has_prefix_ci(txt, verify_prefixes[k]))
				break;
		if (k < sizeof verify_prefixes / sizeof verify_prefixes[0]) {
			aw_strv_push(&r->details, txt);
			aw_strv_push(&m->cur_verify, txt);
		} else if (!aw_spf_is_record_str(txt)) {
			other++;
		}
		free(txt);
	}
	if (m->cur_verify.n > 0) {
		r->status = AW_CHECK_OK;
		row_summary(r, P_("%zu verification record", "%zu verification records",
		    m->cur_verify.n), m->cur_verify.n);
	} else {
		r->status = AW_CHECK_MISSING;
		row_summary(r, _("none (only needed when a service asks for one)"));
	}
	if (other > 0)
		aw_strv_pushf(&r->details, P_("%zu other TXT record", "%zu other TXT records",
		    other), other);
}

static unsigned
on_check_done(struct aw_tui_model *m)
{
	size_t i;
	unsigned fx = AW_FX_REDRAW;

	m->check_running = false;
	m->check_done = true;
	for (i = 0; i < AW_ROW_COUNT; i++) {
		if (m->rows[i].sections == 0 && i == AW_ROW_PTR) {
			m->rows[i].status = AW_CHECK_MISSING;
			if (m->rows[i].summary == NULL)
				row_summary(&m->rows[i],
				    _("not checked yet: enter your sending IPs in the PTR/HELO step"));
		}
	}
	if (!m->prefilled) {
		m->prefilled = true;
		spf_prefill(m);
		dmarc_prefill(m);
		/* Sending IPs: the single addresses of the published SPF. */
		for (i = 0; i < m->spf_terms.n && m->nips < 8; i++) {
			const char *t = m->spf_terms.v[i];
			struct aw_tui_ip *grown;

			if ((!aw_str_has_prefix_ci(t, "ip4:") &&
			    !aw_str_has_prefix_ci(t, "ip6:")) || !is_ip(t + 4, NULL))
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

/* Every section of the check failed with a DNS error: the network or the
 * servers are down. Said once, at the top. */
static void
note_dns_failures(struct aw_tui_model *m, const struct aw_section *sec)
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
		row_summary(r, P_("%s: no forward-confirmed PTR",
		    "%s and others: no forward-confirmed PTR", bad), first_bad);
	else
		row_summary(r, P_("%zu sending IP forward-confirmed",
		    "%zu sending IPs forward-confirmed", checked), checked);
}

static void
on_ptr_section(struct aw_tui_model *m, const struct aw_section *sec)
{
	if (strcmp(sec->area, "helo") == 0) {
		size_t i;

		aw_strv_done(&m->helo_addrs);
		for (i = 0; i < sec->f.records.n; i++)
			aw_strv_push(&m->helo_addrs, sec->f.records.v[i]);
		set_str(&m->helo_checked, sec->key);
		ptr_row(m);
		return;
	}
	if (strcmp(sec->area, "ptr") == 0 && sec->key != NULL) {
		struct aw_tui_ip *ip = ip_find(m, sec->key);
		const struct aw_ptr_detail *d = sec->detail;

		if (ip == NULL)
			return;
		ip->checked = true;
		ip->dns_failure = sec->f.dns_failure;
		if (d != NULL) {
			/* FCrDNS (RFC 8601 §3, "iprev"): a PTR name that resolves
			 * back to the IP. */
			set_str(&ip->ptr, d->nnames > 0 ? d->names[0].name : NULL);
			ip->confirmed = d->fcrdns;
		} else {
			set_str(&ip->ptr, sec->f.records.n > 0 ? sec->f.records.v[0] : NULL);
			ip->confirmed = sec->f.records.n > 0 && sec->f.errors.n == 0;
		}
	}
	ptr_row(m);
}

/* The name an IP's PTR should carry: the HELO name, else mail.DOMAIN. */
static char *
ptr_wanted(const struct aw_tui_model *m)
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
	want = ptr_wanted(m);
	rev = aw_reverse_name(ip->ip);
	if (want != NULL && rev != NULL &&
	    asprintf(&out, _("Hello, please set the reverse DNS (PTR) record of our IP address %s (%s) to %s. The forward record %s -> %s is published (forward-confirmed reverse DNS). Thank you."),
	    ip->ip, rev, want, want, ip->ip) < 0)
		out = NULL;
	free(want);
	free(rev);
	return out;
}

/* ---- changes ---- */

static struct aw_tui_change *
change_add(struct aw_tui_model *m, enum aw_tui_op op, const char *name,
    enum aw_rrtype type, const char *value)
{
	struct aw_tui_change *grown, *c;

	grown = realloc(m->changes, (m->nchanges + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	m->changes = grown;
	c = &m->changes[m->nchanges++];
	memset(c, 0, sizeof *c);
	c->op = op;
	c->name = strdup(name);
	c->type = type;
	c->value = aw_strdup(value);
	c->ttl = TTL_DEFAULT;
	c->recheck = -1;
	aw_strv_init(&c->old);
	aw_strv_init(&c->keep);
	aw_strv_init(&c->more);
	aw_strv_init(&c->notes);
	return c;
}

/* A TXT record at name: nothing, an add, or a replace of cur. */
static void
txt_change(struct aw_tui_model *m, const char *name, const struct aw_strv *cur,
    const char *draft)
{
	struct aw_tui_change *c;
	size_t i;

	if (draft == NULL)
		return;
	if (cur->n == 1 && strcmp(cur->v[0], draft) == 0)
		return;
	c = change_add(m, cur->n == 0 ? AW_TUI_ADD : AW_TUI_REPLACE, name,
	    AW_RR_TXT, draft);
	for (i = 0; c != NULL && i < cur->n; i++)
		aw_strv_push(&c->old, cur->v[i]);
}

/* What the review's checks say about the changes, with codes (the
 * preflight of issue 13 will add its findings here: see
 * aw_tui_model_review_findings). An error asks for a second confirmation
 * before applying (target_key). */
static void
review_check(struct aw_tui_model *m)
{
	struct aw_findings *f = &m->review_checks;
	int count = aw_tui_model_spf_count(m);
	size_t i;
	bool spf_change = false;

	aw_findings_done(f);
	aw_findings_init(f);
	for (i = 0; i < m->nchanges; i++)
		if (m->changes[i].type == AW_RR_TXT && m->changes[i].value != NULL &&
		    aw_spf_is_record_str(m->changes[i].value))
			spf_change = true;
	if (spf_change && count > AW_SPF_MAX_LOOKUPS)
		aw_findings_add(f, AW_SEV_ERROR, "spf.lookup-limit", "RFC 7208 §4.6.4",
		    _("the SPF record will cost %d DNS lookups; receivers return permerror past %d, so the domain's mail fails SPF"),
		    count, AW_SPF_MAX_LOOKUPS);
	for (i = 0; i < 2; i++)
		if (m->dmarc_field_error[i] != NULL)
			aw_findings_add(f, AW_SEV_ERROR, "dmarc.report-address-invalid",
			    "RFC 9989 §4.7", _("DMARC step: %s (left out of the record)"),
			    m->dmarc_field_error[i]);
	if (m->spf_unread != NULL)
		aw_findings_add(f, AW_SEV_WARNING, "spf.unknown", NULL,
		    _("SPF is not changed: the TXT records at %s could not be read (%s)"),
		    m->domain, m->spf_unread);
	if (m->dmarc_unread != NULL)
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.unknown", NULL,
		    _("DMARC is not changed: the TXT records at _dmarc.%s could not be read (%s)"),
		    m->domain, m->dmarc_unread);
}

const struct aw_findings *
aw_tui_model_review_findings(const struct aw_tui_model *m)
{
	return &m->review_checks;
}

void
aw_tui_model_build_changes(struct aw_tui_model *m)
{
	struct aw_strv dk;
	char *name = NULL;
	size_t i;

	changes_free(m);
	if (m->domain == NULL)
		return;
	spf_rebuild(m);
	/* Never a record at a name whose records could not be read: the
	 * review says why (review_check). */
	if (m->spf_unread == NULL)
		txt_change(m, m->domain, &m->cur_spf, m->spf_draft);

	aw_tui_model_dkim_records(m, &dk);
	for (i = 0; i < dk.n; i++) {
		char *sp = strchr(dk.v[i], ' '), *sp2;
		struct aw_tui_change *c;
		bool broken;

		if (sp == NULL || (sp2 = strchr(sp + 1, ' ')) == NULL)
			continue;
		*sp = '\0';
		*sp2 = '\0';
		broken = aw_strv_find(&m->dkim_broken, dk.v[i]) >= 0;
		c = change_add(m, broken ? AW_TUI_REPLACE : AW_TUI_ADD, dk.v[i],
		    aw_rrtype_from_name(sp + 1), sp2 + 1);
		if (c != NULL && broken)
			aw_strv_push(&c->old, _("(an alias to a name with no key)"));
	}
	/* A selector that is an alias to nowhere goes (RFC 6376 §3.6.2.1:
	 * a verifier finding no key fails the signature). */
	for (i = 0; i < m->dkim_broken.n; i++) {
		size_t k;
		bool replaced = false;
		struct aw_tui_change *c;

		for (k = 0; k < m->nchanges; k++)
			if (aw_domain_equal(m->changes[k].name, m->dkim_broken.v[i]))
				replaced = true;
		if (replaced)
			continue;
		c = change_add(m, AW_TUI_DELETE, m->dkim_broken.v[i], AW_RR_CNAME,
		    NULL);
		if (c != NULL)
			aw_strv_push(&c->old, _("(an alias to a name with no key)"));
	}
	aw_strv_done(&dk);

	dmarc_rebuild(m);
	if (m->dmarc_unread == NULL &&
	    asprintf(&name, "_dmarc.%s", m->domain) >= 0) {
		txt_change(m, name, &m->cur_dmarc, m->dmarc_draft);
		free(name);
	}

	for (i = 0; i < m->nips; i++) {
		char *req = aw_tui_model_ptr_request(m, i), *want, *rev;
		struct aw_tui_change *c;
		int fam = 0;

		want = ptr_wanted(m);
		if (want != NULL && m->ips[i].checked && !m->ips[i].dns_failure &&
		    is_ip(m->ips[i].ip, &fam) &&
		    aw_domain_is_under(want, m->domain) &&
		    m->helo_checked != NULL && aw_domain_equal(m->helo_checked, want) &&
		    aw_strv_find(&m->helo_addrs, m->ips[i].ip) < 0)
			/* The PTR name must resolve back (FCrDNS). */
			change_add(m, AW_TUI_ADD, want,
			    fam == AF_INET ? AW_RR_A : AW_RR_AAAA, m->ips[i].ip);
		if (req != NULL && (rev = aw_reverse_name(m->ips[i].ip)) != NULL) {
			c = change_add(m, AW_TUI_REQUEST, rev, AW_RR_PTR, want);
			if (c != NULL)
				c->message = req, req = NULL;
			free(rev);
		}
		free(req);
		free(want);
	}
	review_check(m);
}

char *
aw_tui_change_zone_line(const struct aw_tui_change *c)
{
	struct aw_buf b;
	char *out;

	aw_buf_init(&b);
	if (c->op == AW_TUI_DELETE) {
		aw_buf_printf(&b, "; %s %s. %s", _("delete:"), c->name,
		    aw_rrtype_name(c->type));
	} else if (c->type == AW_RR_TXT) {
		const char *p = c->value;
		size_t len = strlen(p), off = 0;

		aw_buf_printf(&b, "%s. %u IN TXT", c->name, c->ttl);
		/* RFC 7208 §3.3: strings of at most 255 bytes, joined. */
		do {
			size_t n = len - off > 255 ? 255 : len - off, k;

			aw_buf_puts(&b, " \"");
			for (k = 0; k < n; k++) {
				char ch = p[off + k];

				if (ch == '"' || ch == '\\')
					aw_buf_putc(&b, '\\');
				aw_buf_putc(&b, ch);
			}
			aw_buf_putc(&b, '"');
			off += n;
		} while (off < len);
	} else if (c->type == AW_RR_CNAME || c->type == AW_RR_PTR) {
		aw_buf_printf(&b, "%s. %u IN %s %s.", c->name, c->ttl,
		    aw_rrtype_name(c->type), c->value ? c->value : "");
	} else {
		aw_buf_printf(&b, "%s. %u IN %s %s", c->name, c->ttl,
		    aw_rrtype_name(c->type), c->value ? c->value : "");
	}
	out = aw_buf_steal(&b);
	aw_buf_done(&b);
	return out;
}

/* Lines of the review's diff: a head per change, its old records, the
 * new one (the view draws the same). */
static size_t
review_lines(const struct aw_tui_model *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->nchanges; i++)
		n += 2 + m->changes[i].old.n + m->changes[i].keep.n +
		    m->changes[i].more.n + (m->changes[i].notes.n > 0);
	return n;
}

bool
aw_tui_model_busy(const struct aw_tui_model *m)
{
	return m->applying;
}

char *
aw_tui_model_apply_report(const struct aw_tui_model *m)
{
	struct aw_buf b;
	size_t i;
	char *out;
	bool started = false;

	for (i = 0; i < m->nchanges; i++)
		if (m->changes[i].state != AW_TUI_PENDING)
			started = true;
	if (!started)
		return NULL;
	aw_buf_init(&b);
	aw_buf_printf(&b, _("Changes to %s:\n"), m->domain ? m->domain : "");
	for (i = 0; i < m->nchanges; i++) {
		const struct aw_tui_change *c = &m->changes[i];
		const char *what;
		char *esc;

		switch (c->state) {
		case AW_TUI_DONE: what = _("applied"); break;
		case AW_TUI_FAILED: what = _("FAILED"); break;
		case AW_TUI_RUNNING: what = _("unknown (interrupted while sending)"); break;
		case AW_TUI_SKIPPED: what = _("skipped"); break;
		default: what = _("not applied"); break;
		}
		esc = aw_str_escape_dup(c->name, strlen(c->name), 256);
		aw_buf_printf(&b, "  %-12s %s %s", what, esc ? esc : "",
		    aw_rrtype_name(c->type));
		free(esc);
		if (c->message != NULL && c->op != AW_TUI_REQUEST) {
			esc = aw_str_escape_dup(c->message, strlen(c->message), 300);
			aw_buf_printf(&b, ": %s", esc ? esc : "");
			free(esc);
		}
		aw_buf_putc(&b, '\n');
	}
	if (m->target != AW_TARGET_SHOW && (m->napplied > 0 || m->applying ||
	    m->nfailed > 0) && m->domain != NULL)
		/* The journal written before the first change lets undo put
		 * the old values back. */
		aw_buf_printf(&b, _("The old values are in the journal: '%s undo %s' puts them back.\n"),
		    "authwizard", m->domain);
	out = aw_buf_steal(&b);
	aw_buf_done(&b);
	return out;
}

/* ---- set-up ---- */

unsigned
aw_tui_model_set_domain(struct aw_tui_model *m, const char *domain)
{
	struct aw_error err;
	char *ascii = NULL, *copy;
	size_t i;

	if ((copy = strdup(domain)) == NULL)
		return AW_FX_NONE;
	trim(copy);
	aw_error_clear(&err);
	if (aw_domain_to_ascii(copy, &ascii, &err) != AW_OK ||
	    !aw_domain_valid(ascii) || strchr(ascii, '.') == NULL) {
		char *msg = NULL;

		if (asprintf(&msg, _("not a domain name: %s"), copy) < 0)
			msg = NULL;
		set_error(m, msg);
		free(msg);
		free(ascii);
		free(copy);
		m->screen = AW_SCR_DOMAIN;
		return AW_FX_REDRAW;
	}
	free(copy);
	free(m->domain);
	free(m->domain_unicode);
	m->domain = ascii;
	m->domain_unicode = aw_domain_to_unicode(ascii);
	set_error(m, NULL);
	m->screen = AW_SCR_OVERVIEW;
	m->focus = AW_FOCUS_LIST;
	m->prefilled = false;
	aw_strv_done(&m->cur_spf);
	aw_strv_done(&m->cur_dmarc);
	aw_strv_done(&m->dkim_found);
	aw_strv_done(&m->dkim_broken);
	for (i = 0; i < m->nsenders; i++)
		m->picked[i] = m->spf_light[i] = false;
	set_str(&m->spf_unread, NULL);
	set_str(&m->dmarc_unread, NULL);
	rows_reset(m);
	m->check_running = true;
	m->check_done = false;
	m->dns_down = false;
	return AW_FX_REDRAW | AW_FX_START_CHECK;
}

bool
aw_tui_model_set_target(struct aw_tui_model *m, const char *id)
{
	size_t t;

	for (t = 0; t < AW_TARGET_COUNT; t++)
		if (aw_strcasecmp(aw_tui_targets[t].id, id) == 0) {
			m->target = (enum aw_tui_target)t;
			m->target_locked = true;
			return true;
		}
	return false;
}

void
aw_tui_model_set_cred(struct aw_tui_model *m, enum aw_tui_target t, size_t i,
    const char *value)
{
	if (t >= AW_TARGET_COUNT || i >= AW_TUI_CRED_MAX || value == NULL)
		return;
	field_set(&m->cred[t][i], value);
	m->cred_from_env[t][i] = *value != '\0';
}

const char *
aw_tui_model_cred(const struct aw_tui_model *m, enum aw_tui_target t, size_t i)
{
	if (t >= AW_TARGET_COUNT || i >= AW_TUI_CRED_MAX)
		return "";
	return m->cred[t][i].text;
}

void
aw_tui_model_check_started(struct aw_tui_model *m, const unsigned *per_row)
{
	size_t i;

	for (i = 0; i < AW_ROW_COUNT; i++) {
		m->rows[i].sections = per_row[i];
		m->rows[i].finished = 0;
	}
}

/* ---- navigation ---- */

static unsigned
go(struct aw_tui_model *m, enum aw_tui_screen s)
{
	unsigned fx = AW_FX_REDRAW;

	m->screen = s;
	m->focus = AW_FOCUS_LIST;
	m->scroll = 0;
	m->confirming = false;
	m->confirm_forced = false;
	set_error(m, NULL);
	set_str(&m->note, NULL);
	switch (s) {
	case AW_SCR_SPF:
		spf_rebuild(m);
		fx |= AW_FX_SPF_EVAL;
		break;
	case AW_SCR_DKIM:
		if (m->dkim_sender >= 0 || m->dkim_keygen)
			m->focus = AW_FOCUS_LIST;
		break;
	case AW_SCR_DMARC:
		if (m->dmarc_draft == NULL)
			dmarc_prefill(m);
		dmarc_rebuild(m);
		break;
	case AW_SCR_PTR:
		m->focus = AW_FOCUS_FIELD1;
		break;
	case AW_SCR_REVIEW:
		aw_tui_model_build_changes(m);
		m->plan_ready = false;
		m->plan_target = -1;
		set_str(&m->plan_text, NULL);
		/* With a DNS host chosen, the diff is its plan: what it holds
		 * now against what it will hold. */
		m->planning = m->target != AW_TARGET_SHOW;
		fx |= AW_FX_BUILD_PLAN;
		break;
	default:
		break;
	}
	return fx;
}

static bool
field_focused(const struct aw_tui_model *m)
{
	switch (m->screen) {
	case AW_SCR_DOMAIN:
		return true;
	case AW_SCR_SPF:
	case AW_SCR_DKIM:
	case AW_SCR_DMARC:
	case AW_SCR_PTR:
	case AW_SCR_TARGET:
		return m->focus != AW_FOCUS_LIST;
	default:
		return false;
	}
}

static struct aw_tui_field *
focused_field(struct aw_tui_model *m)
{
	switch (m->screen) {
	case AW_SCR_DOMAIN:
		return &m->domain_field;
	case AW_SCR_SPF:
		return m->focus == AW_FOCUS_FIELD1 ? &m->spf_own : NULL;
	case AW_SCR_DKIM:
		if (m->focus == AW_FOCUS_FIELD1)
			return m->dkim_keygen ? &m->dkim_selector : &m->dkim_account;
		return NULL;
	case AW_SCR_DMARC:
		return m->focus == AW_FOCUS_FIELD1 ? &m->dmarc_rua :
		    m->focus == AW_FOCUS_FIELD2 ? &m->dmarc_ruf : NULL;
	case AW_SCR_PTR:
		return m->focus == AW_FOCUS_FIELD1 ? &m->ptr_ip :
		    m->focus == AW_FOCUS_FIELD2 ? &m->helo : NULL;
	case AW_SCR_TARGET:
		if (m->focus >= AW_FOCUS_FIELD1 &&
		    (size_t)(m->focus - AW_FOCUS_FIELD1) < aw_tui_targets[m->target].ncred)
			return &m->cred[m->target][m->focus - AW_FOCUS_FIELD1];
		return NULL;
	default:
		return NULL;
	}
}

/* How many fields the screen has after its list. */
static int
nfields(const struct aw_tui_model *m)
{
	switch (m->screen) {
	case AW_SCR_SPF: return 1;
	case AW_SCR_DKIM: return (m->dkim_sender >= 0 || m->dkim_keygen) ? 1 : 0;
	case AW_SCR_DMARC: return 2;
	case AW_SCR_PTR: return 2;
	case AW_SCR_TARGET: return (int)aw_tui_targets[m->target].ncred;
	default: return 0;
	}
}

static unsigned
focus_next(struct aw_tui_model *m, int dir)
{
	int n = nfields(m) + 1, f = (int)m->focus;

	f = ((f + dir) % n + n) % n;
	m->focus = (enum aw_tui_focus)f;
	return AW_FX_REDRAW;
}

static const enum aw_tui_screen step_order[] = {
	AW_SCR_OVERVIEW, AW_SCR_SPF, AW_SCR_DKIM, AW_SCR_DMARC, AW_SCR_PTR,
	AW_SCR_REVIEW, AW_SCR_TARGET, AW_SCR_APPLY, AW_SCR_RECHECK
};

static unsigned
step(struct aw_tui_model *m, int dir)
{
	size_t i, n = sizeof step_order / sizeof step_order[0];

	for (i = 0; i < n; i++)
		if (step_order[i] == m->screen)
			break;
	if (i == n)
		return AW_FX_NONE;
	if (dir < 0 && i == 0)
		return AW_FX_NONE;
	if (dir > 0 && i + 1 == n)
		return AW_FX_NONE;
	return go(m, step_order[(int)i + dir]);
}

/* The type-to-filter keys of a list (the SPF and DKIM steps): a character
 * narrows it, Backspace widens it, Esc clears the filter before it goes
 * back a step. The cursor goes to the top of what is left. */
static unsigned
filter_key(struct aw_tui_model *m, struct aw_tui_field *filter,
    size_t *cursor, const struct aw_tui_event *ev)
{
	switch (ev->type) {
	case AW_EV_CHAR:
		if (field_put(filter, ev->ch))
			*cursor = 0;
		return AW_FX_REDRAW;
	case AW_EV_ERASE:
		field_erase(filter);
		*cursor = 0;
		return AW_FX_REDRAW;
	default:
		if (filter->len > 0) {
			field_clear(filter);
			*cursor = 0;
			return AW_FX_REDRAW;
		}
		return step(m, -1);
	}
}

static unsigned
quit(struct aw_tui_model *m)
{
	if (m->applying && !m->quit_asked) {
		m->quit_asked = true;
		set_error(m, _("Changes are being applied. Press q again to quit now; what was and was not applied will be listed."));
		return AW_FX_REDRAW;
	}
	return AW_FX_QUIT;
}

/* ---- per-screen keys ---- */

static unsigned
spf_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	size_t vis = aw_tui_model_spf_visible(m, NULL, 0), idx[1];

	if (ev->type == AW_EV_SWAP)
		return spf_swap_lighter(m);
	if (m->focus == AW_FOCUS_FIELD1) {
		char *term;

		switch (ev->type) {
		case AW_EV_NEXT:
			if (m->spf_own.len == 0)
				return step(m, +1);
			trim(m->spf_own.text);
			m->spf_own.len = strlen(m->spf_own.text);
			term = spf_term_from_input(m->spf_own.text);
			if (term == NULL) {
				char *msg = NULL;

				if (asprintf(&msg, _("not an address, network or host name: %s"),
				    m->spf_own.text) < 0)
					msg = NULL;
				set_error(m, msg);
				free(msg);
				return AW_FX_REDRAW;
			}
			if (aw_strv_find(&m->spf_terms, term) < 0)
				aw_strv_take(&m->spf_terms, term);
			else
				free(term);
			field_clear(&m->spf_own);
			set_error(m, NULL);
			spf_rebuild(m);
			return AW_FX_REDRAW | AW_FX_SPF_EVAL;
		case AW_EV_ERASE:
			if (!field_erase(&m->spf_own) && m->spf_terms.n > 0) {
				free(m->spf_terms.v[--m->spf_terms.n]);
				spf_rebuild(m);
				return AW_FX_REDRAW | AW_FX_SPF_EVAL;
			}
			return AW_FX_REDRAW;
		default:
			return AW_FX_NONE;
		}
	}
	switch (ev->type) {
	case AW_EV_UP:
		if (m->spf_cursor > 0)
			m->spf_cursor--;
		return AW_FX_REDRAW;
	case AW_EV_DOWN:
		if (m->spf_cursor + 1 < vis)
			m->spf_cursor++;
		return AW_FX_REDRAW;
	case AW_EV_TOGGLE: {
		size_t all[512], n = aw_tui_model_spf_visible(m, all, 512);

		(void)idx;
		if (m->spf_cursor >= n || m->spf_cursor >= 512)
			return AW_FX_NONE;
		m->picked[all[m->spf_cursor]] = !m->picked[all[m->spf_cursor]];
		spf_rebuild(m);
		return AW_FX_REDRAW | AW_FX_SPF_EVAL;
	}
	case AW_EV_CHAR:
	case AW_EV_ERASE:
	case AW_EV_BACK:
		return filter_key(m, &m->spf_filter, &m->spf_cursor, ev);
	case AW_EV_NEXT:
		return step(m, +1);
	default:
		return AW_FX_NONE;
	}
}

static unsigned
dkim_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	size_t idx[256], n = aw_tui_model_dkim_visible(m, idx, 256);

	if (n > 256)
		n = 256;
	if (m->focus == AW_FOCUS_FIELD1) {
		switch (ev->type) {
		case AW_EV_NEXT:
			if (m->dkim_keygen) {
				if (m->dkim_selector.len == 0 ||
				    !aw_domain_valid(m->dkim_selector.text) ||
				    strchr(m->dkim_selector.text, '.') != NULL) {
					set_error(m, _("a selector is one DNS label, like \"mail\" or \"2026\""));
					return AW_FX_REDRAW;
				}
				return step(m, +1) | (!aw_tui_model_dkim_key_current(m) ?
				    AW_FX_DKIM_KEYGEN : 0);
			}
			if (m->dkim_sender >= 0 &&
			    dkim_needs_account(&m->senders[m->dkim_sender]) &&
			    (m->dkim_account.len == 0 || !account_ok(m->dkim_account.text))) {
				set_error(m, _("type the account part (letters, digits, '-', '_' and '.')"));
				return AW_FX_REDRAW;
			}
			return step(m, +1);
		default:
			return AW_FX_NONE;
		}
	}
	switch (ev->type) {
	case AW_EV_UP:
		if (m->dkim_cursor > 0)
			m->dkim_cursor--;
		return AW_FX_REDRAW;
	case AW_EV_DOWN:
		if (m->dkim_cursor < n)       /* n: "generate a key" */
			m->dkim_cursor++;
		return AW_FX_REDRAW;
	case AW_EV_TOGGLE:
		if (m->dkim_cursor == n) {
			m->dkim_keygen = !m->dkim_keygen;
			m->dkim_sender = -1;
		} else if (m->dkim_sender == (int)idx[m->dkim_cursor]) {
			m->dkim_sender = -1;
		} else {
			m->dkim_sender = (int)idx[m->dkim_cursor];
			m->dkim_keygen = false;
		}
		set_error(m, NULL);
		if (m->dkim_keygen || (m->dkim_sender >= 0 &&
		    dkim_needs_account(&m->senders[m->dkim_sender])))
			m->focus = AW_FOCUS_FIELD1;
		return AW_FX_REDRAW;
	case AW_EV_CHAR:
	case AW_EV_ERASE:
	case AW_EV_BACK:
		return filter_key(m, &m->dkim_filter, &m->dkim_cursor, ev);
	case AW_EV_NEXT:
		if (m->dkim_sender >= 0 &&
		    dkim_needs_account(&m->senders[m->dkim_sender]) &&
		    m->dkim_account.len == 0) {
			m->focus = AW_FOCUS_FIELD1;
			set_error(m, _("type the account part"));
			return AW_FX_REDRAW;
		}
		return step(m, +1) | (m->dkim_keygen && !aw_tui_model_dkim_key_current(m) ?
		    AW_FX_DKIM_KEYGEN : 0);
	default:
		return AW_FX_NONE;
	}
}

static unsigned
dmarc_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	if (ev->type == AW_EV_NEXT) {
		/* Issue 13: an address that does not parse keeps the step,
		 * the message beside its field, nothing typed dropped. */
		dmarc_rebuild(m);
		if (m->dmarc_field_error[0] != NULL ||
		    m->dmarc_field_error[1] != NULL) {
			m->focus = m->dmarc_field_error[0] != NULL ?
			    AW_FOCUS_FIELD1 : AW_FOCUS_FIELD2;
			set_error(m, m->dmarc_field_error[m->focus == AW_FOCUS_FIELD1 ? 0 : 1]);
			return AW_FX_REDRAW;
		}
		return step(m, +1);
	}
	if (m->focus != AW_FOCUS_LIST)
		return AW_FX_NONE;
	switch (ev->type) {
	case AW_EV_UP:
	case AW_EV_LEFT:
		if (m->dmarc_policy > AW_TUI_DMARC_NONE)
			m->dmarc_policy--;
		dmarc_rebuild(m);
		return AW_FX_REDRAW;
	case AW_EV_DOWN:
	case AW_EV_RIGHT:
		if (m->dmarc_policy < AW_TUI_DMARC_REJECT)
			m->dmarc_policy++;
		dmarc_rebuild(m);
		return AW_FX_REDRAW;
	case AW_EV_BACK:
		return step(m, -1);
	default:
		return AW_FX_NONE;
	}
}

static unsigned
ptr_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	if (m->focus == AW_FOCUS_FIELD1) {
		if (ev->type != AW_EV_NEXT)
			return AW_FX_NONE;
		trim(m->ptr_ip.text);
		m->ptr_ip.len = strlen(m->ptr_ip.text);
		if (m->ptr_ip.len == 0)
			return step(m, +1);
		if (!is_ip(m->ptr_ip.text, NULL)) {
			char *msg = NULL;

			if (asprintf(&msg, _("not an IP address: %s"), m->ptr_ip.text) < 0)
				msg = NULL;
			set_error(m, msg);
			free(msg);
			return AW_FX_REDRAW;
		}
		ip_add(m, m->ptr_ip.text);
		field_clear(&m->ptr_ip);
		set_error(m, NULL);
		m->ptr_running = true;
		return AW_FX_REDRAW | AW_FX_PTR_CHECK;
	}
	if (m->focus == AW_FOCUS_FIELD2) {
		char *norm;

		if (ev->type != AW_EV_NEXT)
			return AW_FX_NONE;
		trim(m->helo.text);
		m->helo.len = strlen(m->helo.text);
		if (m->helo.len == 0)
			return step(m, +1);
		norm = aw_domain_normalize(m->helo.text);
		if (norm != NULL && m->helo_checked != NULL &&
		    aw_domain_equal(norm, m->helo_checked)) {
			free(norm);
			return step(m, +1);
		}
		if (norm == NULL || !aw_domain_valid(norm) || strchr(norm, '.') == NULL) {
			set_error(m, _("the HELO name must be a fully qualified host name"));
			free(norm);
			return AW_FX_REDRAW;
		}
		free(norm);
		set_error(m, NULL);
		m->ptr_running = true;
		return AW_FX_REDRAW | AW_FX_PTR_CHECK;
	}
	switch (ev->type) {
	case AW_EV_UP:
		if (m->ip_cursor > 0)
			m->ip_cursor--;
		return AW_FX_REDRAW;
	case AW_EV_DOWN:
		if (m->ip_cursor + 1 < m->nips)
			m->ip_cursor++;
		return AW_FX_REDRAW;
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
		return step(m, -1);
	case AW_EV_NEXT:
		return step(m, +1);
	default:
		return AW_FX_NONE;
	}
}

static unsigned
target_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	const struct aw_tui_target_info *ti = &aw_tui_targets[m->target];
	size_t i;

	if (m->confirming) {
		bool yes = ev->type == AW_EV_CONFIRM ||
		    (ev->type == AW_EV_CHAR && (ev->ch == 'y' || ev->ch == 'Y' ||
		    ev->ch == 'j' || ev->ch == 'J' || ev->ch == 'k' || ev->ch == 'K'));

		/* Issue 13: a review whose checks found an error is not
		 * applied on y alone: a second question, answered with "!". */
		if (yes && !m->confirm_forced &&
		    m->review_checks.status == AW_CHECK_ERROR) {
			m->confirm_forced = true;
			return AW_FX_REDRAW;
		}
		if (m->confirm_forced)
			yes = ev->type == AW_EV_CHAR && ev->ch == '!';
		if (yes) {
			m->confirming = false;
			m->confirm_forced = false;
			m->screen = AW_SCR_APPLY;
			m->applying = true;
			m->napplied = m->nfailed = 0;
			for (i = 0; i < m->nchanges; i++)
				m->changes[i].state = m->changes[i].op == AW_TUI_REQUEST ?
				    AW_TUI_SKIPPED : AW_TUI_PENDING;
			return AW_FX_REDRAW | AW_FX_APPLY;
		}
		if (ev->type == AW_EV_BACK || ev->type == AW_EV_CHAR) {
			m->confirming = false;
			m->confirm_forced = false;
			return AW_FX_REDRAW;
		}
		return AW_FX_NONE;
	}
	if (m->focus != AW_FOCUS_LIST && ev->type != AW_EV_NEXT)
		return AW_FX_NONE;
	switch (ev->type) {
	case AW_EV_UP:
	case AW_EV_DOWN:
		/* The plan being made is that host's: the choice stays until
		 * it is back (on_plan records it as the plan's host). */
		if (m->planning)
			return AW_FX_NONE;
		if (!m->target_locked && ev->type == AW_EV_UP && m->target > 0)
			m->target--;
		else if (!m->target_locked && ev->type == AW_EV_DOWN &&
		    m->target + 1 < AW_TARGET_COUNT)
			m->target++;
		return AW_FX_REDRAW;
	case AW_EV_BACK:
		return step(m, -1);
	case AW_EV_NEXT:
		if (m->target == AW_TARGET_SHOW) {
			m->screen = AW_SCR_APPLY;
			m->scroll = 0;
			return AW_FX_REDRAW;
		}
		for (i = 0; i < ti->ncred; i++) {
			size_t k, typed = 0;

			for (k = 0; k < ti->ncred; k++)
				typed += m->cred[m->target][k].len > 0;
			if (typed == 0 && m->cred_elsewhere[m->target])
				break;
			if (m->cred[m->target][i].len == 0) {
				char *msg = NULL;

				if (asprintf(&msg, _("%s is missing: type it, or set %s before starting"),
				    _(ti->cred[i].label), ti->cred[i].env) < 0)
					msg = NULL;
				set_error(m, msg);
				free(msg);
				m->focus = (enum aw_tui_focus)(AW_FOCUS_FIELD1 + i);
				return AW_FX_REDRAW;
			}
		}
		if (m->planning)
			return AW_FX_NONE;
		if (m->plan_target != (int)m->target) {
			/* Ask the host what the zone holds; the review then
			 * shows its plan. */
			set_error(m, NULL);
			m->focus = AW_FOCUS_LIST;
			m->planning = true;
			m->plan_ready = false;
			return AW_FX_REDRAW | AW_FX_BUILD_PLAN;
		}
		{
			size_t nap = 0;

			for (i = 0; i < m->nchanges; i++)
				if (m->changes[i].op != AW_TUI_REQUEST)
					nap++;
			if (nap == 0) {
				set_error(m, _("nothing to apply: the records are as chosen"));
				return AW_FX_REDRAW;
			}
		}
		set_error(m, NULL);
		m->focus = AW_FOCUS_LIST;
		m->confirming = true;
		return AW_FX_REDRAW;
	default:
		return AW_FX_NONE;
	}
}

/* ---- the host's plan ---- */

/* The plan replaces the changes worked out from DNS; the requests (PTR at
 * the IP's owner) stay after them. */
static unsigned
on_plan(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	struct aw_tui_change *all;
	size_t i, nreq = 0, n;
	bool was_planning = m->planning;

	m->planning = false;
	m->plan_ready = true;
	if (!ev->ok) {
		aw_tui_changes_free(ev->changes, ev->nchanges);
		m->plan_target = -1;
		if (ev->text != NULL)
			set_error(m, ev->text);
		return AW_FX_REDRAW;
	}
	for (i = 0; i < m->nchanges; i++)
		if (m->changes[i].op == AW_TUI_REQUEST)
			nreq++;
	n = ev->nchanges + nreq;
	all = calloc(n ? n : 1, sizeof *all);
	if (all == NULL) {
		aw_tui_changes_free(ev->changes, ev->nchanges);
		set_error(m, _("out of memory"));
		return AW_FX_REDRAW;
	}
	if (ev->nchanges > 0)
		memcpy(all, ev->changes, ev->nchanges * sizeof *all);
	free(ev->changes);
	n = ev->nchanges;
	for (i = 0; i < m->nchanges; i++) {
		size_t k;
		bool planned = false;

		if (m->changes[i].op != AW_TUI_REQUEST)
			continue;
		/* The host holds the reverse zone: the PTR is in its plan and
		 * the request to the IP's owner is not needed. */
		for (k = 0; k < ev->nchanges; k++)
			if (all[k].type == AW_RR_PTR &&
			    aw_domain_equal(all[k].name, m->changes[i].name))
				planned = true;
		if (planned)
			continue;
		all[n++] = m->changes[i];
		memset(&m->changes[i], 0, sizeof m->changes[i]);
	}
	changes_free(m);
	m->changes = all;
	m->nchanges = n;
	m->plan_target = (int)m->target;
	set_str(&m->plan_text, ev->text);
	m->scroll = 0;
	if (was_planning && m->screen == AW_SCR_TARGET) {
		/* Planned from the target screen: show the diff first. */
		m->screen = AW_SCR_REVIEW;
		m->focus = AW_FOCUS_LIST;
		set_error(m, NULL);
	}
	return AW_FX_REDRAW;
}

/* ---- the entry point ---- */

static unsigned
text_event(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	struct aw_tui_field *f = focused_field(m);

	if (f == NULL)
		return AW_FX_NONE;
	if (ev->type == AW_EV_CHAR) {
		if (!field_put(f, ev->ch))
			return AW_FX_NONE;
	} else if (ev->type == AW_EV_ERASE) {
		if (m->screen == AW_SCR_SPF && f->len == 0)
			return spf_key(m, ev);
		field_erase(f);
	} else {
		return AW_FX_NONE;
	}
	/* What was said of the text before no longer holds. */
	set_error(m, NULL);
	if (m->screen == AW_SCR_DMARC)
		dmarc_rebuild(m);
	if (m->screen == AW_SCR_TARGET) {
		m->cred_from_env[m->target][m->focus - AW_FOCUS_FIELD1] = false;
		/* Other credentials: the host is asked again before the apply. */
		if (m->plan_target == (int)m->target)
			m->plan_target = -1;
	}
	return AW_FX_REDRAW;
}

unsigned
aw_tui_model_event(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	unsigned fx;

	/* Results from the loop first: they arrive on any screen. */
	switch (ev->type) {
	case AW_EV_SECTION:
		if (ev->sec == NULL)
			return AW_FX_NONE;
		on_section(m, ev->sec);
		note_dns_failures(m, ev->sec);
		return m->screen == AW_SCR_OVERVIEW ? AW_FX_REDRAW : AW_FX_NONE;
	case AW_EV_CHECK_DONE:
		return on_check_done(m);
	case AW_EV_TXT_ANSWER:
		on_txt_answer(m, ev->ans);
		return AW_FX_REDRAW;
	case AW_EV_SPF_EVAL:
		/* The lookup tree's count replaces the estimate, and its
		 * warning. */
		m->spf_lookups_deep = ev->count;
		spf_warn(m);
		return AW_FX_REDRAW;
	case AW_EV_DKIM_KEY:
		set_str(&m->dkim_key, ev->text);
		set_str(&m->dkim_key_for, m->dkim_selector.text);
		return AW_FX_REDRAW;
	case AW_EV_PTR_SECTION:
		if (ev->sec != NULL)
			on_ptr_section(m, ev->sec);
		else
			m->ptr_running = false;
		return AW_FX_REDRAW;
	case AW_EV_PLAN_READY:
		return on_plan(m, ev);
	case AW_EV_APPLY_RECORD:
		if (ev->index < m->nchanges) {
			struct aw_tui_change *c = &m->changes[ev->index];

			if (ev->count == 1) {      /* started */
				c->state = AW_TUI_RUNNING;
				return AW_FX_REDRAW;
			}
			if (ev->count == 2) {      /* not for this host */
				c->state = AW_TUI_SKIPPED;
				if (c->op != AW_TUI_REQUEST)
					set_str(&c->message, ev->text);
				return AW_FX_REDRAW;
			}
			/* A result may come twice (sent, then read back): counted
			 * once, by its latest state. */
			if (c->state == AW_TUI_DONE && m->napplied > 0)
				m->napplied--;
			else if (c->state == AW_TUI_FAILED && m->nfailed > 0)
				m->nfailed--;
			c->state = ev->ok ? AW_TUI_DONE : AW_TUI_FAILED;
			if (ev->ok)
				m->napplied++;
			else
				m->nfailed++;
			if (c->op != AW_TUI_REQUEST)
				set_str(&c->message, ev->text);
		}
		return AW_FX_REDRAW;
	case AW_EV_APPLY_DONE:
		m->applying = false;
		m->applied = true;
		if (ev->text != NULL)
			set_error(m, ev->text);
		return m->quit_asked ? AW_FX_QUIT : AW_FX_REDRAW;
	case AW_EV_RECHECK:
		if (ev->index < m->nchanges) {
			struct aw_tui_change *c = &m->changes[ev->index];

			c->recheck = ev->ok ? 1 : 0;
			c->rc_matched = ev->matched;
			c->rc_servers = ev->servers;
			c->rc_old = ev->old;
		}
		if (ev->round > 0)
			m->recheck_rounds = ev->round;
		if (ev->count == 1)         /* the last of a round */
			m->rechecking = false;
		return AW_FX_REDRAW;
	case AW_EV_HOST_STATE:
		return host_state(m, ev);
	case AW_EV_NOTE:
		set_str(&m->note, ev->text);
		return AW_FX_REDRAW;
	case AW_EV_ERROR:
		set_error(m, ev->text);
		if (m->screen == AW_SCR_APPLY && m->applying && ev->ok) {
			m->applying = false;
			return m->quit_asked ? AW_FX_QUIT : AW_FX_REDRAW;
		}
		return AW_FX_REDRAW;
	case AW_EV_TICK:
		m->tick++;
		fx = AW_FX_NONE;
		if (m->check_running || m->ptr_running || m->applying || m->rechecking ||
		    m->planning)
			fx |= AW_FX_REDRAW;
		return fx;
	case AW_EV_RESIZE:
		return AW_FX_REDRAW;
	default:
		break;
	}

	/* The help window takes any key to close. */
	if (m->help) {
		if (ev->type == AW_EV_QUIT)
			return quit(m);
		m->help = false;
		return AW_FX_REDRAW;
	}
	if (ev->type == AW_EV_HELP) {
		m->help = true;
		return AW_FX_REDRAW;
	}
	if (ev->type == AW_EV_QUIT)
		return quit(m);
	if (ev->type == AW_EV_TAB || ev->type == AW_EV_BACKTAB) {
		if (m->confirming)
			return AW_FX_NONE;
		if (nfields(m) == 0)
			return AW_FX_NONE;
		return focus_next(m, ev->type == AW_EV_TAB ? +1 : -1);
	}

	/* In a text field, characters are text; Esc leaves the field. */
	if (field_focused(m)) {
		if (ev->type == AW_EV_CHAR || ev->type == AW_EV_ERASE)
			return text_event(m, ev);
		if (ev->type == AW_EV_BACK && m->screen != AW_SCR_DOMAIN) {
			m->focus = AW_FOCUS_LIST;
			return AW_FX_REDRAW;
		}
	} else if (ev->type == AW_EV_CHAR && !m->confirming) {
		if (ev->ch == 'q' || ev->ch == 'Q')
			return quit(m);
		if (ev->ch == '?')
			return (m->help = true), AW_FX_REDRAW;
		if (ev->ch == ' ') {
			struct aw_tui_event t = *ev;

			t.type = AW_EV_TOGGLE;
			return aw_tui_model_event(m, &t);
		}
	}

	switch (m->screen) {
	case AW_SCR_DOMAIN:
		if (ev->type == AW_EV_NEXT)
			return aw_tui_model_set_domain(m, m->domain_field.text);
		if (ev->type == AW_EV_BACK)
			return quit(m);
		return AW_FX_NONE;
	case AW_SCR_OVERVIEW:
		switch (ev->type) {
		case AW_EV_UP:
			if (m->row_cursor > 0)
				m->row_cursor--;
			return AW_FX_REDRAW;
		case AW_EV_DOWN:
			if (m->row_cursor + 1 < AW_ROW_COUNT)
				m->row_cursor++;
			return AW_FX_REDRAW;
		case AW_EV_NEXT:
		case AW_EV_TOGGLE:
			if (!m->prefilled) {
				m->prefilled = true;
				spf_prefill(m);
				dmarc_prefill(m);
			}
			switch (m->row_cursor) {
			case AW_ROW_DKIM: return go(m, AW_SCR_DKIM);
			case AW_ROW_DMARC: return go(m, AW_SCR_DMARC);
			case AW_ROW_PTR: return go(m, AW_SCR_PTR);
			default: return go(m, AW_SCR_SPF);
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
	case AW_SCR_SPF:
		return spf_key(m, ev);
	case AW_SCR_DKIM:
		return dkim_key(m, ev);
	case AW_SCR_DMARC:
		return dmarc_key(m, ev);
	case AW_SCR_PTR:
		return ptr_key(m, ev);
	case AW_SCR_REVIEW:
		switch (ev->type) {
		case AW_EV_UP:
			if (m->scroll > 0)
				m->scroll--;
			return AW_FX_REDRAW;
		case AW_EV_DOWN:
			if (m->scroll + 1 < review_lines(m))
				m->scroll++;
			return AW_FX_REDRAW;
		case AW_EV_BACK:
			return step(m, -1);
		case AW_EV_NEXT:
			if (m->planning)
				return AW_FX_NONE;
			return step(m, +1);
		default:
			return AW_FX_NONE;
		}
	case AW_SCR_TARGET:
		return target_key(m, ev);
	case AW_SCR_APPLY:
		if (m->applying)
			return AW_FX_NONE;
		switch (ev->type) {
		case AW_EV_UP:
			if (m->scroll > 0)
				m->scroll--;
			return AW_FX_REDRAW;
		case AW_EV_DOWN:
			if (m->scroll + 1 < m->nchanges)
				m->scroll++;
			return AW_FX_REDRAW;
		case AW_EV_BACK:
			if (m->applied && m->target != AW_TARGET_SHOW)
				return AW_FX_NONE;
			m->screen = AW_SCR_TARGET;
			return AW_FX_REDRAW;
		case AW_EV_NEXT: {
			size_t i;

			m->screen = AW_SCR_RECHECK;
			m->rechecking = true;
			m->recheck_rounds = 1;
			for (i = 0; i < m->nchanges; i++)
				m->changes[i].recheck = -1;
			hosts_free(m);      /* the recheck tells them again */
			return AW_FX_REDRAW | AW_FX_RECHECK;
		}
		default:
			return AW_FX_NONE;
		}
	case AW_SCR_RECHECK:
		switch (ev->type) {
		case AW_EV_NEXT:
			if (m->rechecking)
				return AW_FX_NONE;
			m->rechecking = true;
			m->recheck_rounds++;
			hosts_free(m);
			return AW_FX_REDRAW | AW_FX_RECHECK;
		case AW_EV_BACK: {
			/* Back to a fresh overview of what is published now. */
			char *d = m->check_running ? NULL : aw_strdup(m->domain);
			unsigned r = AW_FX_NONE;

			if (d != NULL) {
				r = aw_tui_model_set_domain(m, d);
				m->applied = false;
			}
			free(d);
			return r;
		}
		case AW_EV_CHAR:
			if (ev->ch == 'r') {
				struct aw_tui_event t = *ev;

				t.type = AW_EV_NEXT;
				return aw_tui_model_event(m, &t);
			}
			return AW_FX_NONE;
		default:
			return AW_FX_NONE;
		}
	default:
		return AW_FX_NONE;
	}
}

unsigned
aw_tui_model_key(struct aw_tui_model *m, enum aw_tui_event_type t)
{
	struct aw_tui_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = t;
	return aw_tui_model_event(m, &ev);
}

unsigned
aw_tui_model_type(struct aw_tui_model *m, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	unsigned fx = 0;

	while (*p) {
		struct aw_tui_event ev;
		uint32_t c;
		int n;

		if (*p < 0x80) {
			c = *p;
			n = 1;
		} else if ((*p & 0xe0) == 0xc0) {
			c = *p & 0x1f;
			n = 2;
		} else if ((*p & 0xf0) == 0xe0) {
			c = *p & 0x0f;
			n = 3;
		} else {
			c = *p & 0x07;
			n = 4;
		}
		p++;
		while (--n > 0 && (*p & 0xc0) == 0x80)
			c = (c << 6) | (*p++ & 0x3f);
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_CHAR;
		ev.ch = c;
		fx |= aw_tui_model_event(m, &ev);
	}
	return fx;
}
