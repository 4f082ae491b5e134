/* model-dkim.c: the DKIM step: the catalog's CNAMEs with the account typed, or a
 * key generated, and the step's keys. */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <strings.h>

#include "checks/dmarc.h"
#include "checks/mx.h"
#include "checks/ptr.h"
#include "checks/spf-build.h"
#include "checks/spf-terms.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/model-int.h"

/* ---- DKIM ---- */

size_t
aw_tui_model_dkim_visible(const struct aw_tui_model *m, size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < m->nsenders; i++) {
		if (m->senders[i].ndkim == 0)
			continue;
		if (!tm_ci_contains(m->senders[i].name, m->dkim_filter.text) &&
		    !tm_ci_contains(m->senders[i].id, m->dkim_filter.text))
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

/* The records the choice makes, "name TYPE value" lines, wherever they
 * go. */
static void
dkim_wanted(const struct aw_tui_model *m, struct aw_strv *out)
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

/* Where the lookup failed (timeout, SERVFAIL), or -1. */
static ssize_t
dkim_unread_at(const struct aw_tui_model *m, const char *line)
{
	const char *sp = strchr(line, ' ');
	size_t i;

	for (i = 0; sp != NULL && i < m->dkim_unread.n; i++)
		if (strlen(m->dkim_unread.v[i]) == (size_t)(sp - line) &&
		    strncasecmp(m->dkim_unread.v[i], line, (size_t)(sp - line)) == 0)
			return (ssize_t)i;
	return -1;
}

void
aw_tui_model_dkim_records(const struct aw_tui_model *m, struct aw_strv *out)
{
	struct aw_strv all;
	size_t i;

	dkim_wanted(m, &all);
	aw_strv_init(out);
	/* Unknown is not absent: never a record at a name whose records
	 * could not be read (aw_tui_model_dkim_unread says why). */
	for (i = 0; i < all.n; i++)
		if (dkim_unread_at(m, all.v[i]) < 0)
			aw_strv_push(out, all.v[i]);
	aw_strv_done(&all);
}

void
aw_tui_model_dkim_unread(const struct aw_tui_model *m, struct aw_strv *out)
{
	struct aw_strv all;
	size_t i;
	ssize_t k;

	dkim_wanted(m, &all);
	aw_strv_init(out);
	for (i = 0; i < all.n; i++)
		if ((k = dkim_unread_at(m, all.v[i])) >= 0)
			aw_strv_pushf(out, _("DKIM is not changed at %s: its records could not be read (%s); run the check again when DNS answers"),
			    m->dkim_unread.v[k], m->dkim_unread_why.v[k]);
	aw_strv_done(&all);
}

unsigned
tm_dkim_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
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
					tm_set_error(m, _("a selector is one DNS label, like \"mail\" or \"2026\""));
					return AW_FX_REDRAW;
				}
				return tm_step(m, +1) | (!aw_tui_model_dkim_key_current(m) ?
				    AW_FX_DKIM_KEYGEN : 0);
			}
			if (m->dkim_sender >= 0 &&
			    dkim_needs_account(&m->senders[m->dkim_sender]) &&
			    (m->dkim_account.len == 0 || !account_ok(m->dkim_account.text))) {
				tm_set_error(m, _("type the account part (letters, digits, '-', '_' and '.')"));
				return AW_FX_REDRAW;
			}
			return tm_step(m, +1);
		default:
			return AW_FX_NONE;
		}
	}
	/* n + 1 entries: the last is "generate a key". */
	if (tm_list_key(&m->dkim_cursor, n + 1, ev))
		return AW_FX_REDRAW;
	switch (ev->type) {
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
		tm_set_error(m, NULL);
		if (m->dkim_keygen || (m->dkim_sender >= 0 &&
		    dkim_needs_account(&m->senders[m->dkim_sender])))
			m->focus = AW_FOCUS_FIELD1;
		return AW_FX_REDRAW;
	case AW_EV_CHAR:
	case AW_EV_ERASE:
	case AW_EV_BACK:
		return tm_filter_key(m, &m->dkim_filter, &m->dkim_cursor, ev);
	case AW_EV_NEXT:
		if (m->dkim_sender >= 0 &&
		    dkim_needs_account(&m->senders[m->dkim_sender]) &&
		    m->dkim_account.len == 0) {
			m->focus = AW_FOCUS_FIELD1;
			tm_set_error(m, _("type the account part"));
			return AW_FX_REDRAW;
		}
		return tm_step(m, +1) | (m->dkim_keygen && !aw_tui_model_dkim_key_current(m) ?
		    AW_FX_DKIM_KEYGEN : 0);
	default:
		return AW_FX_NONE;
	}
}

/* ---- the screen ---- */

static struct aw_tui_field *
dkim_field(struct aw_tui_model *m)
{
	if (m->focus != AW_FOCUS_FIELD1)
		return NULL;
	return m->dkim_keygen ? &m->dkim_selector : &m->dkim_account;
}

static int
dkim_nfields(const struct aw_tui_model *m)
{
	return m->dkim_sender >= 0 || m->dkim_keygen ? 1 : 0;
}

const struct tm_screen tm_screen_dkim = {
	NULL, tm_dkim_key, dkim_field, dkim_nfields
};
