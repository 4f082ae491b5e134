/* tls-rpt.c: the TLS-RPT record (RFC 8460 §3). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/tls-rpt.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"

#define SHOW_MAX 80

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

bool
aw_tls_rpt_is_record(const char *txt, size_t len)
{
	size_t i = 10;

	if (len < 10 || memcmp(txt, "v=TLSRPTv1", 10) != 0)
		return false;
	while (i < len && is_wsp(txt[i]))
		i++;
	return i == len || txt[i] == ';';
}

void
aw_tls_rpt_record_init(struct aw_tls_rpt_record *r)
{
	memset(r, 0, sizeof *r);
	aw_strv_init(&r->rua);
}

void
aw_tls_rpt_record_done(struct aw_tls_rpt_record *r)
{
	aw_strv_done(&r->rua);
	aw_tls_rpt_record_init(r);
}

static void
bad(struct aw_findings *f, const char *code, const char *fmt,
    const char *s, size_t n)
{
	char *shown = aw_str_escape_dup(s, n, SHOW_MAX);

	aw_findings_add(f, AW_SEV_ERROR, code, "RFC 8460 §3", fmt,
	    shown ? shown : "");
	free(shown);
}

/* RFC 8460 §3: tlsrpt-uri is a mailto: or https: URI. */
static bool
uri_ok(struct aw_findings *f, const char *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f)
			break;
	if (i < n) {
		bad(f, "tls_rpt.rua-bad-uri",
		    _("the TLS-RPT report address \"%s\" is not a URI (RFC 8460 §3)"),
		    u, n);
		return false;
	}
	if (n > 7 && aw_strncasecmp(u, "mailto:", 7) == 0) {
		const char *at = memchr(u + 7, '@', n - 7);

		if (at == NULL || at == u + 7 || at == u + n - 1) {
			bad(f, "tls_rpt.rua-bad-uri",
			    _("the TLS-RPT report address \"%s\" is not a mailto: address (RFC 8460 §3)"),
			    u, n);
			return false;
		}
		return true;
	}
	if (n > 8 && aw_strncasecmp(u, "https://", 8) == 0)
		return true;
	bad(f, "tls_rpt.rua-scheme",
	    _("the TLS-RPT report address \"%s\" is neither mailto: nor https: (RFC 8460 §3)"),
	    u, n);
	return false;
}

/* rua=URI *(*WSP "," *WSP URI) */
static enum aw_status
parse_rua(struct aw_tls_rpt_record *r, struct aw_findings *f,
    const char *v, size_t n, bool *ok)
{
	size_t i = 0;

	if (n == 0) {
		aw_findings_add(f, AW_SEV_ERROR, "tls_rpt.no-rua", "RFC 8460 §3",
		    _("the TLS-RPT record's rua is empty: reports go nowhere (RFC 8460 §3)"));
		*ok = false;
	}
	while (i < n) {
		size_t s, e;
		char *u;

		while (i < n && (is_wsp(v[i]) || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && is_wsp(v[e - 1]))
			e--;
		if (e == s)
			continue;
		if (!uri_ok(f, v + s, e - s)) {
			*ok = false;
			continue;
		}
		if ((u = aw_str_trim_dup(v + s, e - s)) == NULL)
			return AW_ERR_NOMEM;
		if (r->rua.n < 32)
			aw_strv_push(&r->rua, u);
		free(u);
	}
	return AW_OK;
}

enum aw_status
aw_tls_rpt_parse(const char *txt, size_t len, struct aw_tls_rpt_record *r,
    struct aw_findings *f)
{
	size_t i;
	bool ok = true, seen_rua = false;
	enum aw_status st = AW_OK;

	r->valid = false;
	if (!aw_tls_rpt_is_record(txt, len)) {
		aw_findings_add(f, AW_SEV_ERROR, "tls_rpt.syntax", "RFC 8460 §3",
		    _("the TLS-RPT record does not begin with \"v=TLSRPTv1;\" (RFC 8460 §3)"));
		return AW_OK;
	}
	i = 10;
	while (i < len && st == AW_OK) {
		size_t s, e, eq;

		while (i < len && (is_wsp(txt[i]) || txt[i] == ';'))
			i++;
		if (i == len)
			break;
		s = i;
		while (i < len && txt[i] != ';')
			i++;
		e = i;
		while (e > s && is_wsp(txt[e - 1]))
			e--;
		for (eq = s; eq < e && txt[eq] != '='; eq++)
			;
		if (eq == e || eq == s) {
			bad(f, "tls_rpt.syntax",
			    _("the TLS-RPT record has a malformed field \"%s\" (RFC 8460 §3)"),
			    txt + s, e - s);
			ok = false;
			continue;
		}
		if (eq - s == 3 && memcmp(txt + s, "rua", 3) == 0) {
			size_t vs = eq + 1;

			if (seen_rua) {
				aw_findings_add(f, AW_SEV_ERROR,
				    "tls_rpt.duplicate-rua", "RFC 8460 §3",
				    _("the TLS-RPT record has more than one rua field"));
				ok = false;
				continue;
			}
			seen_rua = true;
			while (vs < e && is_wsp(txt[vs]))
				vs++;
			st = parse_rua(r, f, txt + vs, e - vs, &ok);
		}
		/* Other fields are extensions: ignored (RFC 8460 §3). */
	}
	if (!seen_rua) {
		aw_findings_add(f, AW_SEV_ERROR, "tls_rpt.no-rua", "RFC 8460 §3",
		    _("the TLS-RPT record has no rua field: reports go nowhere (RFC 8460 §3)"));
		ok = false;
	}
	r->valid = ok && r->rua.n > 0;
	return st;
}

enum aw_status
aw_tls_rpt_build(const char *const *rua, size_t n, char **out,
    struct aw_error *err)
{
	struct aw_findings f;
	struct aw_buf b;
	enum aw_status st = AW_OK;
	size_t i;

	*out = NULL;
	if (n == 0)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("the TLS-RPT record needs a report address: reports go nowhere without one (RFC 8460 §3)"));
	aw_buf_init(&b);
	aw_findings_init(&f);
	for (i = 0; i < n && st == AW_OK; i++) {
		const char *u = rua[i];
		bool bare = strchr(u, ':') == NULL && strchr(u, '@') != NULL;
		size_t start = b.len;

		/* A bare address is a mailbox: RFC 8460 §3 wants a URI. */
		aw_buf_printf(&b, "%s%s%s", i ? "," : "", bare ? "mailto:" : "", u);
		if (!uri_ok(&f, aw_buf_str(&b) + start + (i ? 1 : 0),
		    b.len - start - (i ? 1 : 0)) || strchr(u, ',') != NULL ||
		    strchr(u, ';') != NULL) {
			const struct aw_finding *why = f.nitems > 0 ? &f.items[0] : NULL;
			char *shown = aw_str_escape_dup(u, strlen(u), SHOW_MAX);

			if (why != NULL)
				aw_error_set(err, AW_ERR_INVALID, "%s", why->message);
			else
				aw_error_set(err, AW_ERR_INVALID,
				    _("the TLS-RPT report address \"%s\" is not a URI (RFC 8460 §3)"),
				    shown ? shown : "");
			free(shown);
			st = AW_ERR_INVALID;
		}
	}
	if (st == AW_OK) {
		char *rua_text = aw_buf_steal(&b);

		if (rua_text == NULL || asprintf(out, "v=TLSRPTv1; rua=%s",
		    rua_text) < 0) {
			*out = NULL;
			st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		}
		free(rua_text);
	}
	aw_findings_done(&f);
	aw_buf_done(&b);
	return st;
}
