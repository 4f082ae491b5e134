/* model.c: the wizard's state machine. No curses, no I/O: events in,
 * effects out (see model.h). This file: the shared helpers, life cycle,
 * navigation and the one entry point; each screen is in model-<screen>.c
 * (model-int.h). */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dmarc.h"
#include "checks/dnshost.h"
#include "checks/mx.h"
#include "checks/ptr.h"
#include "checks/spf-build.h"
#include "checks/spf-terms.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/provider.h"
#include "tui/model-int.h"


static struct aw_tui_target_info target_table[AW_TARGET_MAX];
static int target_count;

/* Built once from the provider table: its hosts, then show. */
static void
targets_build(void)
{
	struct aw_tui_target_info *t = target_table;
	const struct aw_provider_ops *ops;
	const struct aw_provider_option *o;
	size_t i, k;

	for (i = 0; i + 1 < AW_TARGET_MAX && (ops = aw_providers[i]) != NULL;
	    i++) {
		t[i].id = ops->name;
		t[i].name = ops->long_title != NULL ? ops->long_title : ops->title;
		for (o = ops->options, k = 0; o->option != NULL &&
		    k < AW_TUI_CRED_MAX; o++) {
			if (!o->ask)
				continue;
			t[i].cred[k].label = o->label != NULL ? o->label : o->help;
			t[i].cred[k].env = o->env;
			t[i].cred[k].secret = o->secret;
			k++;
		}
		t[i].ncred = k;
	}
	t[i].id = "show";
	t[i].name = N_("Show the records (paste them at any DNS host)");
	target_count = (int)i + 1;
}

const struct aw_tui_target_info *
aw_tui_target_table(void)
{
	if (target_count == 0)
		targets_build();
	return target_table;
}

int
aw_tui_target_count(void)
{
	if (target_count == 0)
		targets_build();
	return target_count;
}

int
aw_tui_target_find(const char *id)
{
	int t;

	for (t = 0; id != NULL && t < aw_tui_target_count(); t++)
		if (aw_strcasecmp(aw_tui_targets[t].id, id) == 0)
			return t;
	return -1;
}

/* ---- small helpers ---- */

void
tm_set_str(char **dst, const char *src)
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

void
tm_set_error(struct aw_tui_model *m, const char *msg)
{
	tm_set_str(&m->error, msg);
}

void
tm_field_clear(struct aw_tui_field *f)
{
	memset(f->text, 0, sizeof f->text);
	f->len = 0;
}

/* Fields are drawn as they are: text from DNS loses its control
 * characters (C0 and DEL) on the way in. */
void
tm_field_set(struct aw_tui_field *f, const char *s)
{
	size_t i;

	tm_field_clear(f);
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
bool
tm_field_erase(struct aw_tui_field *f)
{
	if (f->len == 0)
		return false;
	do
		f->len--;
	while (f->len > 0 && ((unsigned char)f->text[f->len] & 0xc0) == 0x80);
	f->text[f->len] = '\0';
	return true;
}

void
tm_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	memmove(s, s + i, n - i + 1);
}

bool
tm_ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0)
		return true;
	for (i = 0; hay[i] != '\0'; i++)
		if (aw_strncasecmp(hay + i, needle, n) == 0)
			return true;
	return false;
}

bool
tm_is_ip(const char *s, int *family)
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
bool
tm_is_cidr(const char *s, int *family)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	char *end;
	long bits;

	if (slash == NULL)
		return tm_is_ip(s, family);
	if ((size_t)(slash - s) >= sizeof buf)
		return false;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (!tm_is_ip(buf, family))
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
	size_t i;
	int t;

	if (m == NULL)
		return NULL;
	m->senders = senders;
	m->nsenders = n;
	aw_wants_init(&m->wants);
	aw_plan_init(&m->plan);
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
	aw_strv_init(&m->cur_txt);
	aw_strv_init(&m->dkim_selectors);
	aw_strv_init(&m->dkim_found);
	aw_strv_init(&m->dkim_broken);
	aw_strv_init(&m->dkim_unread);
	aw_strv_init(&m->dkim_unread_why);
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
	aw_findings_init(&m->bimi_findings);
	aw_preflight_result_init(&m->preflight);
	m->dkim_sender = -1;
	m->target = AW_TARGET_SHOW;
	m->plan_target = -1;
	m->mtasts.served = -1;
	for (t = 0; t < AW_TARGET_COUNT; t++)
		for (i = 0; i < AW_TUI_CRED_MAX; i++)
			m->cred[t][i].secret = aw_tui_targets[t].cred[i].secret;
	tm_field_set(&m->dkim_selector, "mail");
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
	m->req_known = false;
	memset(&m->req, 0, sizeof m->req);
	free(m->req_line);
	m->req_line = NULL;
}

void
tm_hosts_free(struct aw_tui_model *m)
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

bool
aw_tui_model_all_published(const struct aw_tui_model *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->plan.nchanges; i++) {
		n++;
		if (m->cstate[i].recheck != 1)
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
	tm_changes_free(m);
	tm_hosts_free(m);
	tm_mtasts_done(m);
	aw_strv_done(&m->cur_spf);
	aw_strv_done(&m->cur_dmarc);
	aw_strv_done(&m->cur_verify);
	aw_strv_done(&m->cur_txt);
	aw_strv_done(&m->dkim_selectors);
	aw_strv_done(&m->dkim_found);
	aw_strv_done(&m->dkim_broken);
	aw_strv_done(&m->dkim_unread);
	aw_strv_done(&m->dkim_unread_why);
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
	free(m->dns_host_zone);
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
	tm_bimi_reset(m, true);
	aw_findings_done(&m->bimi_findings);
	free(m->dnssec_line);
	aw_preflight_result_done(&m->preflight);
	free(m->preflight_why);
	free(m->plan_text);
	/* Credentials typed or copied: wipe before freeing. */
	memset(m->cred, 0, sizeof m->cred);
	free(m);
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
	tm_trim(copy);
	aw_error_clear(&err);
	if (aw_domain_to_ascii(copy, &ascii, &err) != AW_OK ||
	    !aw_domain_valid(ascii) || strchr(ascii, '.') == NULL) {
		char *msg = NULL;

		if (asprintf(&msg, _("not a domain name: %s"), copy) < 0)
			msg = NULL;
		tm_set_error(m, msg);
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
	tm_set_error(m, NULL);
	m->screen = AW_SCR_OVERVIEW;
	m->focus = AW_FOCUS_LIST;
	m->prefilled = false;
	aw_strv_done(&m->cur_spf);
	aw_strv_done(&m->cur_dmarc);
	aw_strv_done(&m->dkim_found);
	aw_strv_done(&m->dkim_broken);
	aw_strv_done(&m->dkim_unread);
	aw_strv_done(&m->dkim_unread_why);
	for (i = 0; i < m->nsenders; i++)
		m->picked[i] = m->spf_light[i] = false;
	tm_set_str(&m->spf_unread, NULL);
	tm_set_str(&m->dmarc_unread, NULL);
	tm_mtasts_done(m);
	rows_reset(m);
	tm_bimi_reset(m, false);
	tm_set_str(&m->dnssec_line, NULL);
	m->check_running = true;
	m->check_done = false;
	m->dns_down = false;
	return AW_FX_REDRAW | AW_FX_START_CHECK;
}

/* The host found from NS: remembered, and preselected unless --provider
 * named one or the user chose: its API path when this build has it,
 * else "show the records" (in its form's way). */
static unsigned
tm_on_dns_host(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	int t = -1;

	m->dns_host = ev->count == AW_DNSHOST_FOUND ? ev->host : NULL;
	m->dns_host_mixed = ev->count == AW_DNSHOST_MIXED;
	tm_set_str(&m->dns_host_zone, ev->text);
	if (m->dns_host == NULL || m->target_locked || m->target_moved ||
	    m->applying || m->applied || m->planning)
		return AW_FX_REDRAW;
	if (m->dns_host->provider != NULL)
		t = aw_tui_target_find(m->dns_host->provider);
	m->target = t >= 0 ? t : AW_TARGET_SHOW;
	return AW_FX_REDRAW;
}

bool
aw_tui_model_set_target(struct aw_tui_model *m, const char *id)
{
	int t = aw_tui_target_find(id);

	if (t < 0)
		return false;
	m->target = t;
	m->target_locked = true;
	return true;
}

void
aw_tui_model_set_cred(struct aw_tui_model *m, int t, size_t i,
    const char *value)
{
	if (t < 0 || t >= AW_TARGET_COUNT || i >= AW_TUI_CRED_MAX || value == NULL)
		return;
	tm_field_set(&m->cred[t][i], value);
	m->cred_from_env[t][i] = *value != '\0';
}

const char *
aw_tui_model_cred(const struct aw_tui_model *m, int t, size_t i)
{
	if (t < 0 || t >= AW_TARGET_COUNT || i >= AW_TUI_CRED_MAX)
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

static unsigned domain_key(struct aw_tui_model *m, const struct aw_tui_event *ev);
static struct aw_tui_field *domain_field(struct aw_tui_model *m);

static const struct tm_screen screen_domain = {
	NULL, domain_key, domain_field, NULL
};

/* The screens, one const entry each (model-<screen>.c defines it). */
static const struct tm_screen *const screens[AW_SCR_COUNT] = {
	[AW_SCR_DOMAIN] = &screen_domain,
	[AW_SCR_OVERVIEW] = &tm_screen_overview,
	[AW_SCR_SPF] = &tm_screen_spf,
	[AW_SCR_DKIM] = &tm_screen_dkim,
	[AW_SCR_DMARC] = &tm_screen_dmarc,
	[AW_SCR_PTR] = &tm_screen_ptr,
	[AW_SCR_MTASTS] = &tm_screen_mtasts,
	[AW_SCR_BIMI] = &tm_screen_bimi,
	[AW_SCR_REVIEW] = &tm_screen_review,
	[AW_SCR_TARGET] = &tm_screen_target,
	[AW_SCR_APPLY] = &tm_screen_apply,
	[AW_SCR_RECHECK] = &tm_screen_recheck,
};

unsigned
tm_go(struct aw_tui_model *m, enum aw_tui_screen s)
{
	m->screen = s;
	m->focus = AW_FOCUS_LIST;
	m->scroll = 0;
	m->confirming = false;
	m->confirm_forced = false;
	tm_set_error(m, NULL);
	tm_set_str(&m->note, NULL);
	return AW_FX_REDRAW | (screens[s]->enter != NULL ? screens[s]->enter(m) :
	    AW_FX_NONE);
}

/* The text field with the focus, or NULL when the focus is on a list. */
static struct aw_tui_field *
focused_field(struct aw_tui_model *m)
{
	return screens[m->screen]->field != NULL ? screens[m->screen]->field(m) :
	    NULL;
}

static bool
field_focused(const struct aw_tui_model *m)
{
	return focused_field((struct aw_tui_model *)m) != NULL;
}

/* How many fields the screen has after its list. */
static int
nfields(const struct aw_tui_model *m)
{
	return screens[m->screen]->nfields != NULL ? screens[m->screen]->nfields(m) :
	    0;
}

/* Up and Down on a list of n entries: the one list behaviour of every
 * screen. False for other events. */
bool
tm_list_key(size_t *cursor, size_t n, const struct aw_tui_event *ev)
{
	if (ev->type == AW_EV_UP) {
		if (*cursor > 0)
			(*cursor)--;
		return true;
	}
	if (ev->type == AW_EV_DOWN) {
		if (*cursor + 1 < n)
			(*cursor)++;
		return true;
	}
	return false;
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
	AW_SCR_MTASTS, AW_SCR_BIMI,
	AW_SCR_REVIEW, AW_SCR_TARGET, AW_SCR_APPLY, AW_SCR_RECHECK
};

unsigned
tm_step(struct aw_tui_model *m, int dir)
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
	return tm_go(m, step_order[(int)i + dir]);
}

/* The type-to-filter keys of a list (the SPF and DKIM steps): a character
 * narrows it, Backspace widens it, Esc clears the filter before it goes
 * back a step. The cursor goes to the top of what is left. */
unsigned
tm_filter_key(struct aw_tui_model *m, struct aw_tui_field *filter,
    size_t *cursor, const struct aw_tui_event *ev)
{
	switch (ev->type) {
	case AW_EV_CHAR:
		if (field_put(filter, ev->ch))
			*cursor = 0;
		return AW_FX_REDRAW;
	case AW_EV_ERASE:
		tm_field_erase(filter);
		*cursor = 0;
		return AW_FX_REDRAW;
	default:
		if (filter->len > 0) {
			tm_field_clear(filter);
			*cursor = 0;
			return AW_FX_REDRAW;
		}
		return tm_step(m, -1);
	}
}

static unsigned
quit(struct aw_tui_model *m)
{
	if (m->applying && !m->quit_asked) {
		m->quit_asked = true;
		tm_set_error(m, _("Changes are being applied. Press q again to quit now; what was and was not applied will be listed."));
		return AW_FX_REDRAW;
	}
	return AW_FX_QUIT;
}

/* ---- per-screen keys ---- */








/* ---- the domain screen ---- */

static unsigned
domain_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	if (ev->type == AW_EV_NEXT)
		return aw_tui_model_set_domain(m, m->domain_field.text);
	if (ev->type == AW_EV_BACK)
		return quit(m);
	return AW_FX_NONE;
}

static struct aw_tui_field *
domain_field(struct aw_tui_model *m)
{
	return &m->domain_field;
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
			return tm_spf_key(m, ev);
		tm_field_erase(f);
	} else {
		return AW_FX_NONE;
	}
	/* What was said of the text before no longer holds. */
	tm_set_error(m, NULL);
	if (m->screen == AW_SCR_DMARC)
		tm_dmarc_rebuild(m);
	if (m->screen == AW_SCR_MTASTS)
		tm_mtasts_rebuild(m);
	if (m->screen == AW_SCR_BIMI)
		tm_bimi_edited(m);
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
		tm_on_section(m, ev->sec);
		tm_mtasts_on_section(m, ev->sec);
		tm_note_dns_failures(m, ev->sec);
		return m->screen == AW_SCR_OVERVIEW ? AW_FX_REDRAW : AW_FX_NONE;
	case AW_EV_CHECK_DONE:
		return tm_on_check_done(m);
	case AW_EV_TXT_ANSWER:
		tm_on_txt_answer(m, ev->ans);
		return AW_FX_REDRAW;
	case AW_EV_SPF_EVAL:
		/* The lookup tree's count replaces the estimate, and its
		 * warning. */
		m->spf_lookups_deep = ev->count;
		tm_spf_warn(m);
		if (m->screen >= AW_SCR_REVIEW)
			tm_review_check(m);
		return AW_FX_REDRAW;
	case AW_EV_DKIM_KEY:
		tm_set_str(&m->dkim_key, ev->text);
		tm_set_str(&m->dkim_key_for, m->dkim_selector.text);
		return AW_FX_REDRAW;
	case AW_EV_PTR_SECTION:
		if (ev->sec != NULL)
			tm_on_ptr_section(m, ev->sec);
		else
			m->ptr_running = false;
		return AW_FX_REDRAW;
	case AW_EV_PLAN_READY:
		return tm_on_plan(m, ev);
	case AW_EV_PREFLIGHT:
		return tm_on_preflight(m, ev);
	case AW_EV_APPLY_RECORD:
	case AW_EV_APPLY_DONE:
	case AW_EV_RECHECK:
	case AW_EV_HOST_STATE:
		return tm_apply_result(m, ev);
	case AW_EV_POLICY_WRITTEN:
	case AW_EV_POLICY_FETCHED:
		return tm_mtasts_event(m, ev);
	case AW_EV_NOTE:
		tm_set_str(&m->note, ev->text);
		return AW_FX_REDRAW;
	case AW_EV_DNS_HOST:
		return tm_on_dns_host(m, ev);
	case AW_EV_REQUIREMENTS:
		return tm_on_requirements(m, ev->req);
	case AW_EV_BIMI_CHECKED:
		return tm_bimi_checked(m, ev);
	case AW_EV_ERROR:
		tm_set_error(m, ev->text);
		if (m->screen == AW_SCR_APPLY && m->applying && ev->ok) {
			m->applying = false;
			return m->quit_asked ? AW_FX_QUIT : AW_FX_REDRAW;
		}
		return AW_FX_REDRAW;
	case AW_EV_TICK:
		m->tick++;
		fx = AW_FX_NONE;
		if (m->check_running || m->ptr_running || m->applying || m->rechecking ||
		    m->planning || m->preflight_state == AW_TUI_PF_RUNNING)
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

	/* In a text field, characters are text; Esc leaves the field. A "?"
	 * opens the help (README: help on every screen) except where it can
	 * be part of the text: credentials, and an SPF term being typed
	 * ("?include:"). */
	if (field_focused(m) && ev->type == AW_EV_CHAR && ev->ch == '?' &&
	    m->screen != AW_SCR_TARGET &&
	    !(m->screen == AW_SCR_SPF && m->spf_own.len > 0)) {
		m->help = true;
		return AW_FX_REDRAW;
	}
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

	return screens[m->screen]->key(m, ev);
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
