/* bimi.c: the BIMI assertion record (v=BIMI1; l=...; a=...). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/bimi.h"
#include "core/i18n.h"
#include "core/str.h"

#define SHOW_MAX 80
#define REF "draft-brand-indicators-for-message-identification"

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

bool
aw_bimi_is_record(const char *txt, size_t len)
{
	size_t i = 7;

	if (len < 7 || memcmp(txt, "v=BIMI1", 7) != 0)
		return false;
	while (i < len && is_wsp(txt[i]))
		i++;
	return i == len || txt[i] == ';';
}

void
aw_bimi_record_init(struct aw_bimi_record *r)
{
	memset(r, 0, sizeof *r);
}

void
aw_bimi_record_done(struct aw_bimi_record *r)
{
	free(r->l);
	free(r->a);
	aw_bimi_record_init(r);
}

char *
aw_bimi_url_host(const char *url)
{
	const char *h, *e;
	char *host;

	if (url == NULL || aw_strncasecmp(url, "https://", 8) != 0)
		return NULL;
	h = url + 8;
	e = h + strcspn(h, "/?#");
	if (e == h || memchr(h, '@', (size_t)(e - h)) != NULL ||
	    memchr(h, ':', (size_t)(e - h)) != NULL || e - h > 253)
		return NULL;
	if ((host = aw_str_trim_dup(h, (size_t)(e - h))) == NULL)
		return NULL;
	if (!aw_domain_valid(host) || strchr(host, '.') == NULL) {
		free(host);
		return NULL;
	}
	for (char *p = host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return host;
}

static void
bad(struct aw_findings *f, const char *code, const char *fmt, const char *s,
    size_t n)
{
	char *shown = aw_str_escape_dup(s, n, SHOW_MAX);

	aw_findings_add(f, AW_SEV_ERROR, code, REF, fmt, shown ? shown : "");
	free(shown);
}

/* l= and a= must be https URLs (or empty). */
static void
url_judge(struct aw_findings *f, const char *tag, const char *v, bool *ok)
{
	char *host;

	if (v == NULL || v[0] == '\0')
		return;
	if ((host = aw_bimi_url_host(v)) == NULL) {
		bad(f, tag[0] == 'l' ? "bimi.location-not-https" :
		    "bimi.authority-not-https",
		    tag[0] == 'l' ?
		    _("the BIMI logo URL \"%s\" is not an https URL with a host name") :
		    _("the BIMI certificate URL \"%s\" is not an https URL with a host name"),
		    v, strlen(v));
		*ok = false;
	}
	free(host);
}

enum aw_status
aw_bimi_parse(const char *txt, size_t len, struct aw_bimi_record *r,
    struct aw_findings *f)
{
	size_t i;
	bool ok = true;

	r->valid = false;
	if (!aw_bimi_is_record(txt, len)) {
		aw_findings_add(f, AW_SEV_ERROR, "bimi.syntax", REF,
		    _("the BIMI record does not begin with \"v=BIMI1;\""));
		return AW_OK;
	}
	i = 7;
	while (i < len) {
		size_t s, e, eq;
		char **slot = NULL;

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
			bad(f, "bimi.syntax",
			    _("the BIMI record has a malformed tag \"%s\""),
			    txt + s, e - s);
			ok = false;
			continue;
		}
		{
			char *name = aw_str_trim_dup(txt + s, eq - s);

			if (name == NULL)
				return AW_ERR_NOMEM;
			if (strcmp(name, "l") == 0)
				slot = &r->l;
			else if (strcmp(name, "a") == 0)
				slot = &r->a;
			free(name);
		}
		if (slot == NULL)
			continue;          /* other tags: ignored */
		if (*slot != NULL) {
			bad(f, "bimi.duplicate-tag",
			    _("the BIMI record gives the tag \"%s\" more than once"),
			    txt + s, eq - s);
			ok = false;
			continue;
		}
		if ((*slot = aw_str_trim_dup(txt + eq + 1, e - eq - 1)) == NULL)
			return AW_ERR_NOMEM;
	}
	if (r->l == NULL) {
		aw_findings_add(f, AW_SEV_ERROR, "bimi.no-location", REF,
		    _("the BIMI record has no l= tag (the logo's URL)"));
		ok = false;
	}
	url_judge(f, "l", r->l, &ok);
	url_judge(f, "a", r->a, &ok);
	r->declined = r->l != NULL && r->l[0] == '\0' &&
	    (r->a == NULL || r->a[0] == '\0');
	if (r->declined)
		aw_findings_add(f, AW_SEV_NOTE, "bimi.declined", REF,
		    _("the BIMI record is a declination (l= and a= empty): no logo is shown"));
	else if (ok && (r->a == NULL || r->a[0] == '\0'))
		aw_findings_add(f, AW_SEV_WARNING, "bimi.no-authority", REF,
		    _("the BIMI record has no a= (mark certificate): most mailbox providers show no logo without one"));
	r->valid = ok;
	return AW_OK;
}

/* A URL the record can carry: https with a host name, and nothing that
 * ends a tag or the TXT string (';', white space, controls, '"', '\\'). */
static bool
url_ok(const char *v)
{
	char *host = aw_bimi_url_host(v);
	const unsigned char *p;

	if (host == NULL)
		return false;
	free(host);
	for (p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == ';' || *p == '"' ||
		    *p == '\\')
			return false;
	return strlen(v) <= 1024;
}

enum aw_status
aw_bimi_build(const char *l, const char *a, char **out, struct aw_error *err)
{
	size_t n;

	*out = NULL;
	if (l == NULL || !url_ok(l)) {
		char *shown = aw_str_escape_dup(l ? l : "", l ? strlen(l) : 0,
		    SHOW_MAX);

		aw_error_set(err, AW_ERR_INVALID,
		    _("the BIMI logo URL \"%s\" is not an https URL with a host name"),
		    shown ? shown : "");
		free(shown);
		return AW_ERR_INVALID;
	}
	if (a != NULL && a[0] != '\0' && !url_ok(a)) {
		char *shown = aw_str_escape_dup(a, strlen(a), SHOW_MAX);

		aw_error_set(err, AW_ERR_INVALID,
		    _("the BIMI certificate URL \"%s\" is not an https URL with a host name"),
		    shown ? shown : "");
		free(shown);
		return AW_ERR_INVALID;
	}
	n = strlen(l) + (a != NULL ? strlen(a) : 0) + sizeof "v=BIMI1; l=; a=";
	if ((*out = malloc(n)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if (a != NULL && a[0] != '\0')
		snprintf(*out, n, "v=BIMI1; l=%s; a=%s", l, a);
	else
		snprintf(*out, n, "v=BIMI1; l=%s", l);
	return AW_OK;
}
