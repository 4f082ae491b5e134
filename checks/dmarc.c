/* dmarc.c: DMARC records by RFC 9989 (tags §4.7, what a record without a
 * valid policy means §4.10.1), read with RFC 7489 receivers in mind; the
 * builder. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dmarc.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"

#define DMARC_RECORD_MAX 4096
#define DMARC_URIS_MAX 32

void
aw_dmarc_record_init(struct aw_dmarc_record *r)
{
	memset(r, 0, sizeof *r);
	r->adkim = 'r';
	r->aspf = 'r';
	r->psd = 'u';
	r->pct = -1;
}

static void
uris_free(struct aw_dmarc_uri *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(u[i].uri);
		free(u[i].address);
		free(u[i].domain);
		free(u[i].size);
	}
	free(u);
}

void
aw_dmarc_record_done(struct aw_dmarc_record *r)
{
	uris_free(r->rua, r->nrua);
	uris_free(r->ruf, r->nruf);
	free(r->fo);
	aw_dmarc_record_init(r);
}

static size_t
skip_wsp(const char *txt, size_t len, size_t i)
{
	while (i < len && (txt[i] == ' ' || txt[i] == '\t'))
		i++;
	return i;
}

bool
aw_dmarc_is_record(const char *txt, size_t len)
{
	size_t i;

	/* RFC 9989 §4.7: dmarc-version = "v" *WSP "=" *WSP %s"DMARC1": the
	 * tag name is an ABNF literal (case-insensitive, RFC 5234 §2.3),
	 * only the value is case-sensitive. */
	if (len == 0 || (txt[0] != 'v' && txt[0] != 'V'))
		return false;
	i = skip_wsp(txt, len, 1);
	if (i >= len || txt[i] != '=')
		return false;
	i = skip_wsp(txt, len, i + 1);
	if (len - i < 6 || strncmp(txt + i, "DMARC1", 6) != 0)
		return false;
	i = skip_wsp(txt, len, i + 6);
	return i == len || txt[i] == ';';
}

const char *
aw_dmarc_policy_name(enum aw_dmarc_policy p)
{
	switch (p) {
	case AW_DMARC_NONE:
		return "none";
	case AW_DMARC_QUARANTINE:
		return "quarantine";
	case AW_DMARC_REJECT:
		return "reject";
	case AW_DMARC_INVALID:
		return "invalid";
	default:
		return "";
	}
}

enum aw_dmarc_policy
aw_dmarc_policy_from_name(const char *s)
{
	if (aw_strcasecmp(s, "none") == 0)
		return AW_DMARC_NONE;
	if (aw_strcasecmp(s, "quarantine") == 0)
		return AW_DMARC_QUARANTINE;
	if (aw_strcasecmp(s, "reject") == 0)
		return AW_DMARC_REJECT;
	return AW_DMARC_INVALID;
}

enum aw_dmarc_policy
aw_dmarc_policy_for(const struct aw_dmarc_record *r, bool subdomain,
    bool nonexistent)
{
	if (!r->valid)
		return AW_DMARC_UNSET;
	/* RFC 9989 §4.10.1: p missing or invalid, or sp or np invalid: act
	 * as if the record said p=none when rua has a syntactically valid
	 * URI, else no DMARC processing. */
	if (!r->policy_ok)
		return r->rua_uri_ok ? AW_DMARC_NONE : AW_DMARC_UNSET;
	if (!subdomain)
		return r->p;
	/* §4.7: np defaults to sp, sp to p. */
	if (nonexistent && r->np != AW_DMARC_UNSET)
		return r->np;
	return r->sp != AW_DMARC_UNSET ? r->sp : r->p;
}

enum aw_dmarc_policy
aw_dmarc_policy_tested(enum aw_dmarc_policy p)
{
	/* RFC 9989 §4.7 t=y: reject is applied as quarantine, quarantine
	 * as none. */
	if (p == AW_DMARC_REJECT)
		return AW_DMARC_QUARANTINE;
	if (p == AW_DMARC_QUARANTINE)
		return AW_DMARC_NONE;
	return p;
}

static enum aw_dmarc_policy
policy_tag(const char *tag, const char *value, struct aw_findings *f)
{
	enum aw_dmarc_policy p = aw_dmarc_policy_from_name(value);

	if (p == AW_DMARC_INVALID)
		aw_findings_add(f, AW_SEV_ERROR, "dmarc.policy-invalid",
		    "RFC 9989 §4.7",
		    _("%s=%s: the policy must be none, quarantine or reject (RFC 9989 §4.7)"),
		    tag, value);
	return p;
}

static char
rors_tag(const char *tag, const char *value, struct aw_findings *f)
{
	if (aw_strcasecmp(value, "r") == 0)
		return 'r';
	if (aw_strcasecmp(value, "s") == 0)
		return 's';
	aw_findings_add(f, AW_SEV_ERROR, "dmarc.alignment-invalid",
	    "RFC 9989 §4.7",
	    _("%s=%s: alignment must be r (relaxed) or s (strict); receivers use r (RFC 9989 §4.7)"),
	    tag, value);
	return 'r';
}

/* RFC 3986 §3: scheme ":" then characters a URI may hold (unreserved,
 * reserved, %XX). An empty rest is a URI too (path-empty). */
static bool
uri_syntax_ok(const char *s)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	if (*p++ != ':')
		return false;
	for (; *p; p++) {
		if (*p == '%') {
			if (!isxdigit((unsigned char)p[1]) ||
			    !isxdigit((unsigned char)p[2]))
				return false;
			p += 2;
		} else if (!isalnum((unsigned char)*p) &&
		    strchr("-._~:/?#[]@!$&'()*+,;=", *p) == NULL) {
			return false;
		}
	}
	return true;
}

/* RFC 9989 §4.7: rua/ruf are comma-separated mailto: URIs. The !size
 * suffix of RFC 7489 §6.2 is obsolete. *uri_ok: one item is a
 * syntactically valid URI (what §4.10.1 asks of rua). */
static void
parse_uris(const char *tag, const char *value, struct aw_dmarc_uri **out,
    size_t *n, bool *uri_ok, struct aw_findings *f)
{
	const char *p = value, *end;

	while (*n < DMARC_URIS_MAX) {
		struct aw_dmarc_uri *u, *grown;
		char *item, *bang, *at;

		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		item = aw_str_trim_dup(p, (size_t)(end - p));
		p = *end ? end + 1 : end;
		if (item == NULL)
			return;
		if (item[0] == '\0') {
			free(item);
			aw_findings_add(f, AW_SEV_WARNING, "dmarc.uri-empty",
			    "RFC 9989 §4.7",
			    _("%s= has an empty entry (RFC 9989 §4.7)"), tag);
			if (*end == '\0')
				return;
			continue;
		}
		grown = realloc(*out, (*n + 1) * sizeof *grown);
		if (grown == NULL) {
			free(item);
			return;
		}
		*out = grown;
		u = &grown[(*n)++];
		memset(u, 0, sizeof *u);
		if (uri_syntax_ok(item))
			*uri_ok = true;
		if ((bang = strchr(item, '!')) != NULL) {
			u->size = strdup(bang + 1);
			*bang = '\0';
			aw_findings_add(f, AW_SEV_WARNING, "dmarc.uri-size-obsolete",
			    "RFC 9989 §4.7",
			    _("%s=%s!%s: the !size suffix is obsolete: RFC 9989 reporters ignore it, RFC 7489 reporters (§6.2) skip reports larger than it"),
			    tag, item, u->size ? u->size : "");
		}
		u->uri = item;
		if (!aw_str_has_prefix_ci(item, "mailto:")) {
			aw_findings_add(f, AW_SEV_ERROR, "dmarc.uri-not-mailto",
			    "RFC 9989 §4.7",
			    _("%s=%s: report destinations must be mailto: URIs (RFC 9989 §4.7)"),
			    tag, item);
		} else if ((at = strrchr(item + 7, '@')) == NULL || at == item + 7 ||
		    at[1] == '\0') {
			aw_findings_add(f, AW_SEV_ERROR, "dmarc.uri-not-address",
			    "RFC 9989 §4.7",
			    _("%s=%s: not an email address (RFC 9989 §4.7)"), tag,
			    item);
		} else {
			u->address = strdup(item + 7);
			u->domain = aw_domain_normalize(at + 1);
			if (u->domain != NULL && !aw_domain_valid(u->domain)) {
				aw_findings_add(f, AW_SEV_ERROR,
				    "dmarc.uri-bad-domain", NULL,
				    _("%s=%s: the address's domain is not a valid name"),
				    tag, item);
				free(u->domain);
				u->domain = NULL;
			}
		}
		if (*end == '\0')
			return;
	}
	aw_findings_add(f, AW_SEV_WARNING, "dmarc.uri-too-many", NULL,
	    _("%s= lists more than %d destinations; the rest are not checked"),
	    tag, DMARC_URIS_MAX);
}

static void
check_fo(const char *value, struct aw_findings *f)
{
	const char *p = value;

	/* RFC 9989 §4.7: colon-separated 0, 1, d, s. */
	while (*p) {
		const char *end = strchr(p, ':');
		char *item;

		if (end == NULL)
			end = p + strlen(p);
		item = aw_str_trim_dup(p, (size_t)(end - p));
		if (item != NULL && strcmp(item, "0") != 0 &&
		    strcmp(item, "1") != 0 && aw_strcasecmp(item, "d") != 0 &&
		    aw_strcasecmp(item, "s") != 0)
			aw_findings_add(f, AW_SEV_WARNING, "dmarc.fo-unknown",
			    "RFC 9989 §4.7",
			    _("fo=%s: unknown option \"%s\" (0, 1, d or s; RFC 9989 §4.7)"),
			    value, item);
		free(item);
		if (*end == '\0')
			break;
		p = end + 1;
	}
}

/* One tag=value of a record into r. */
static void
parse_tag(struct aw_dmarc_record *r, const char *tag, const char *value,
    struct aw_findings *f)
{
	if (strcmp(tag, "v") == 0) {
		/* checked by aw_dmarc_is_record */
	} else if (strcmp(tag, "p") == 0) {
		r->p = policy_tag("p", value, f);
	} else if (strcmp(tag, "sp") == 0) {
		r->sp = policy_tag("sp", value, f);
	} else if (strcmp(tag, "np") == 0) {
		r->np = policy_tag("np", value, f);
		if (r->np != AW_DMARC_INVALID)
			aw_findings_add(f, AW_SEV_NOTE, "dmarc.np-rfc7489",
			    "RFC 9989 §4.7",
			    _("np= is new in RFC 9989; RFC 7489 receivers ignore it and use sp= (or p=) for names that do not exist"));
	} else if (strcmp(tag, "adkim") == 0) {
		r->adkim = rors_tag("adkim", value, f);
	} else if (strcmp(tag, "aspf") == 0) {
		r->aspf = rors_tag("aspf", value, f);
	} else if (strcmp(tag, "t") == 0) {
		if (aw_strcasecmp(value, "y") == 0)
			r->testing = true;
		else if (aw_strcasecmp(value, "n") != 0)
			aw_findings_add(f, AW_SEV_ERROR, "dmarc.t-invalid",
			    "RFC 9989 §4.7",
			    _("t=%s: must be y or n (RFC 9989 §4.7)"), value);
	} else if (strcmp(tag, "psd") == 0) {
		if (strlen(value) == 1 && strchr("ynuYNU", value[0]))
			r->psd = (char)tolower((unsigned char)value[0]);
		else
			aw_findings_add(f, AW_SEV_ERROR, "dmarc.psd-invalid",
			    "RFC 9989 §4.7",
			    _("psd=%s: must be y, n or u (RFC 9989 §4.7)"), value);
	} else if (strcmp(tag, "rua") == 0) {
		parse_uris("rua", value, &r->rua, &r->nrua, &r->rua_uri_ok, f);
	} else if (strcmp(tag, "ruf") == 0) {
		bool ignored = false;

		parse_uris("ruf", value, &r->ruf, &r->nruf, &ignored, f);
	} else if (strcmp(tag, "fo") == 0) {
		free(r->fo);
		r->fo = strdup(value);
		check_fo(value, f);
	} else if (strcmp(tag, "pct") == 0) {
		char *e;
		long n = strtol(value, &e, 10);

		r->pct = (*e == '\0' && n >= 0 && n <= 100) ? (int)n : 100;
		if (r->pct < 100)
			aw_findings_add(f, AW_SEV_WARNING, "dmarc.pct-obsolete",
			    "RFC 9989 §A.6",
			    _("pct=%s is obsolete: RFC 9989 receivers ignore it and apply the policy to all failing mail; RFC 7489 receivers (§6.3) apply it to only %d%% (the rest one step lower). Use t=y to test instead"),
			    value, r->pct);
		else
			aw_findings_add(f, AW_SEV_WARNING, "dmarc.pct-obsolete",
			    "RFC 9989 §A.6",
			    _("pct=%s is obsolete (removed by RFC 9989; it had effect only for RFC 7489 receivers): remove it"),
			    value);
	} else if (strcmp(tag, "rf") == 0 || strcmp(tag, "ri") == 0) {
		if (tag[1] == 'f')
			r->has_rf = true;
		else
			r->has_ri = true;
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.tag-obsolete",
		    "RFC 9989 §A.6",
		    _("%s= is obsolete: RFC 9989 removed it (RFC 7489 §6.3 defined it); receivers ignore it"),
		    tag);
	} else {
		/* RFC 9989 §4.7: unknown tags MUST be ignored. */
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.tag-unknown",
		    "RFC 9989 §4.7",
		    _("unknown tag %s= (receivers ignore it, RFC 9989 §4.7)"),
		    tag);
	}
}

/* What receivers make of the record's policy tags (RFC 9989 §4.10.1). */
static void
judge_policy(struct aw_dmarc_record *r, bool p_second, struct aw_findings *f)
{
	enum aw_dmarc_policy applied;
	const char *bad = NULL;

	if (r->p == AW_DMARC_UNSET || r->p == AW_DMARC_INVALID)
		bad = "p=";
	else if (r->sp == AW_DMARC_INVALID)
		bad = "sp=";
	else if (r->np == AW_DMARC_INVALID)
		bad = "np=";
	r->policy_ok = bad == NULL;
	if (!r->valid)
		return;
	if (bad != NULL && r->rua_uri_ok)
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.policy-as-none",
		    "RFC 9989 §4.10.1",
		    _("%s is missing or invalid: because rua= holds a valid URI, receivers act as if the record said p=none (for every name) and keep its other tags (RFC 9989 §4.10.1; RFC 7489 §6.6.3 too)"),
		    bad);
	else if (bad != NULL)
		aw_findings_add(f, AW_SEV_ERROR, "dmarc.no-policy",
		    "RFC 9989 §4.10.1",
		    _("%s is missing or invalid and rua= holds no valid URI: receivers apply no DMARC processing with this record (RFC 9989 §4.10.1)"),
		    bad);
	else if (!p_second)
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.p-not-second",
		    "RFC 7489 §6.4",
		    _("p= is not right after v=DMARC1: RFC 9989 allows it, but RFC 7489 receivers (§6.4 grammar) may reject the record"));
	applied = aw_dmarc_policy_for(r, false, false);
	if (r->testing && applied != AW_DMARC_UNSET)
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.testing",
		    "RFC 9989 §4.7",
		    _("t=y (testing): RFC 9989 receivers apply %s as %s; RFC 7489 receivers ignore t= and apply %s in full"),
		    aw_dmarc_policy_name(applied),
		    aw_dmarc_policy_name(aw_dmarc_policy_tested(applied)),
		    aw_dmarc_policy_name(applied));
	if (r->fo != NULL && r->nruf == 0)
		aw_findings_add(f, AW_SEV_NOTE, "dmarc.fo-without-ruf",
		    "RFC 9989 §4.7", _("fo= has no effect without ruf="));
	if (r->nrua == 0)
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.no-rua", NULL,
		    _("no rua=: you get no aggregate reports, so you cannot see who sends as your domain"));
	if (applied == AW_DMARC_NONE)
		aw_findings_add(f, AW_SEV_NOTE, "dmarc.p-none", NULL,
		    _("p=none: monitoring only; failing mail is delivered as usual"));
}

enum aw_status
aw_dmarc_parse(const char *txt, size_t len, struct aw_dmarc_record *r,
    struct aw_findings *f)
{
	struct aw_strv seen;
	const char *p = txt, *end = txt + len, *semi, *eq;
	bool bad = false, p_second = false;
	size_t ntags = 0, i;

	aw_strv_init(&seen);
	if (len > DMARC_RECORD_MAX || memchr(txt, '\0', len) != NULL) {
		aw_findings_add(f, AW_SEV_ERROR, "dmarc.not-text", NULL, "%s",
		    _("the record is not DMARC text (too long or holds NUL)"));
		return AW_OK;
	}
	if (!aw_dmarc_is_record(txt, len)) {
		aw_findings_add(f, AW_SEV_ERROR, "dmarc.no-version",
		    "RFC 9989 §4.7", "%s",
		    _("the record does not start with v=DMARC1 (the value DMARC1 is case-sensitive, RFC 9989 §4.7)"));
		return AW_OK;
	}
	if (len < 8 || strncmp(txt, "v=DMARC1", 8) != 0)
		aw_findings_add(f, AW_SEV_WARNING, "dmarc.version-form",
		    "RFC 9989 §4.7", "%s",
		    _("the version tag is not written v=DMARC1: RFC 9989 allows V= and spaces around =, but receivers that look for the text v=DMARC1 miss the record; write v=DMARC1"));
	while (p < end) {
		char *tag, *value;

		semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			semi = end;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq == NULL) {
			char *junk = aw_str_trim_dup(p, (size_t)(semi - p));

			if (junk != NULL && junk[0] != '\0')
				aw_findings_add(f, AW_SEV_WARNING,
				    "dmarc.not-tag", "RFC 9989 §4.7",
				    _("\"%s\" is not a tag=value pair; receivers ignore it (RFC 9989 §4.7)"),
				    junk);
			free(junk);
			p = semi + 1;
			continue;
		}
		/* RFC 9989 §4.7: *WSP around '='; tag names are ABNF
		 * literals, so case-insensitive. */
		tag = aw_str_trim_dup(p, (size_t)(eq - p));
		value = aw_str_trim_dup(eq + 1, (size_t)(semi - eq - 1));
		p = semi + 1;
		if (tag == NULL || value == NULL) {
			free(tag);
			free(value);
			aw_strv_done(&seen);
			return AW_ERR_NOMEM;
		}
		for (i = 0; tag[i]; i++)
			tag[i] = (char)tolower((unsigned char)tag[i]);
		ntags++;
		if (aw_strv_find(&seen, tag) >= 0) {
			aw_findings_add(f, AW_SEV_ERROR, "dmarc.duplicate-tag",
			    "RFC 9989 §4.7",
			    _("tag %s= appears twice: the record is invalid"), tag);
			bad = true;
		}
		aw_strv_push(&seen, tag);
		if (strcmp(tag, "p") == 0)
			p_second = ntags == 2;
		parse_tag(r, tag, value, f);
		free(tag);
		free(value);
	}
	aw_strv_done(&seen);
	r->valid = !bad;
	judge_policy(r, p_second, f);
	return AW_OK;
}

static bool
uri_ok(const char *s)
{
	const char *a = s, *at;
	char *dom;
	bool ok;

	if (aw_str_has_prefix_ci(a, "mailto:"))
		a += 7;
	if ((at = strrchr(a, '@')) == NULL || at == a || strpbrk(a, ",;! \t"))
		return false;
	dom = aw_domain_normalize(at + 1);
	ok = dom != NULL && aw_domain_valid(dom) && strchr(dom, '.') != NULL;
	free(dom);
	return ok;
}

static enum aw_status
build_uris(struct aw_buf *b, const char *tag, const char *const *v, size_t n,
    struct aw_error *err)
{
	size_t i;

	if (n == 0)
		return AW_OK;
	aw_buf_printf(b, "; %s=", tag);
	for (i = 0; i < n; i++) {
		if (!uri_ok(v[i]))
			return aw_error_setw(err, AW_ERR_INVALID, tag,
			    _("%s: not an email address: %s"), tag, v[i]);
		aw_buf_printf(b, "%s%s%s", i ? "," : "",
		    aw_str_has_prefix_ci(v[i], "mailto:") ? "" : "mailto:", v[i]);
	}
	return AW_OK;
}

enum aw_status
aw_dmarc_build(const struct aw_dmarc_build *bd, char **out,
    struct aw_error *err)
{
	struct aw_buf b;
	enum aw_status st;

	*out = NULL;
	if (bd->p != AW_DMARC_NONE && bd->p != AW_DMARC_QUARANTINE &&
	    bd->p != AW_DMARC_REJECT)
		return aw_error_setw(err, AW_ERR_INVALID, "p", "%s",
		    _("the policy must be none, quarantine or reject"));
	if (bd->sp == AW_DMARC_INVALID || bd->np == AW_DMARC_INVALID)
		return aw_error_setw(err, AW_ERR_INVALID, "sp", "%s",
		    _("sp and np must be none, quarantine or reject"));
	if ((bd->adkim && bd->adkim != 'r' && bd->adkim != 's') ||
	    (bd->aspf && bd->aspf != 'r' && bd->aspf != 's'))
		return aw_error_setw(err, AW_ERR_INVALID, "adkim", "%s",
		    _("alignment must be r (relaxed) or s (strict)"));
	if (bd->fo != NULL && strspn(bd->fo, "01ds:") != strlen(bd->fo))
		return aw_error_setw(err, AW_ERR_INVALID, "fo", "%s",
		    _("fo must be made of 0, 1, d and s separated by ':'"));
	aw_buf_init(&b);
	/* RFC 9989 §4.7: v first; p next for RFC 7489 receivers (§6.4). */
	aw_buf_printf(&b, "v=DMARC1; p=%s", aw_dmarc_policy_name(bd->p));
	if (bd->sp != AW_DMARC_UNSET)
		aw_buf_printf(&b, "; sp=%s", aw_dmarc_policy_name(bd->sp));
	if (bd->np != AW_DMARC_UNSET)
		aw_buf_printf(&b, "; np=%s", aw_dmarc_policy_name(bd->np));
	if (bd->adkim == 's')
		aw_buf_puts(&b, "; adkim=s");
	if (bd->aspf == 's')
		aw_buf_puts(&b, "; aspf=s");
	if (bd->testing)
		aw_buf_puts(&b, "; t=y");
	if ((st = build_uris(&b, "rua", bd->rua, bd->nrua, err)) != AW_OK ||
	    (st = build_uris(&b, "ruf", bd->ruf, bd->nruf, err)) != AW_OK) {
		aw_buf_done(&b);
		return st;
	}
	if (bd->fo != NULL && bd->nruf > 0)
		aw_buf_printf(&b, "; fo=%s", bd->fo);
	if ((*out = aw_buf_steal(&b)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
	return AW_OK;
}

void
aw_dmarc_staged_path(struct aw_strv *out)
{
	aw_strv_push(out, _("1. p=none with rua=: monitor. Read the aggregate reports until every service that sends as you passes SPF or DKIM, aligned."));
	aw_strv_push(out, _("2. p=quarantine; t=y: testing. RFC 9989 receivers still deliver failing mail normally (t=y lowers quarantine to none) while you check the reports; RFC 7489 receivers ignore t= and quarantine."));
	aw_strv_push(out, _("3. p=quarantine: failing mail goes to the spam folder. Watch the reports for senders you missed."));
	aw_strv_push(out, _("4. p=reject; t=y: receivers quarantine instead of rejecting while you make sure nothing legitimate fails."));
	aw_strv_push(out, _("5. p=reject: receivers refuse failing mail. Keep rua= to see new senders and forgeries."));
}

char *
aw_dmarc_report_auth_name(const char *policy_domain, const char *dest)
{
	char *out;

	if (asprintf(&out, "%s._report._dmarc.%s", policy_domain, dest) < 0)
		return NULL;
	return out;
}
